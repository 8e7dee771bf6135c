//! Keeping and reading attachments. Every function first finds the owner through its own store,
//! so the owner's scope rules (a team leader's team, a mediator's assigned cases, the officer's
//! commune and its predecessors) decide who sees which file; then the role rule of `rules`.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::dto::{AttachmentDto, AttachmentKind};
use super::rules::{self, Owner};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::codes::stored;
use crate::db::schema::{attachment_contents, attachments};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    pub id: String,
    pub case_id: Option<String>,
    pub team_id: Option<String>,
    pub year: Option<i32>,
    pub confirmation_list_id: Option<String>,
    pub unit_path: String,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

impl Attachment {
    fn owner(&self) -> Result<Owner, ApiError> {
        match (&self.case_id, &self.team_id, self.year, &self.confirmation_list_id) {
            (Some(c), None, None, None) => Ok(Owner::Case(c.clone())),
            (None, Some(t), Some(year), None) => Ok(Owner::LogBook { team_id: t.clone(), year }),
            (None, None, None, Some(l)) => Ok(Owner::ConfirmationList(l.clone())),
            _ => {
                tracing::error!(id = %self.id, "an attachment has no single owner");
                Err(ApiError::internal())
            }
        }
    }
}

pub fn dto(a: Attachment) -> Result<AttachmentDto, ApiError> {
    Ok(AttachmentDto {
        kind: stored(AttachmentKind::parse(&a.kind), "attachments.kind", &a.kind)?,
        id: a.id,
        case_id: a.case_id,
        team_id: a.team_id,
        year: a.year,
        confirmation_list_id: a.confirmation_list_id,
        file_name: a.file_name,
        content_type: a.content_type,
        size_bytes: a.size_bytes,
        sha256: a.sha256,
        created_by: a.created_by,
        created_at: a.created_at.and_utc(),
    })
}

/// The unit path of the owner, found as the caller sees it (404 when they may not see it).
fn owner_path(conn: &mut DbConn, actor: &Actor, owner: &Owner) -> Result<String, ApiError> {
    Ok(match owner {
        Owner::Case(id) => crate::cases::store::find(conn, actor, id)?.unit_path,
        Owner::LogBook { team_id, .. } => crate::teams::store::find(conn, actor, team_id)?.unit_path,
        Owner::ConfirmationList(id) => crate::funding::lists::find(conn, actor, id)?.unit_path,
    })
}

fn of_owner(owner: &Owner) -> attachments::BoxedQuery<'static, crate::db::MultiBackend> {
    let q = attachments::table.into_boxed();
    match owner.clone() {
        Owner::Case(id) => q.filter(attachments::case_id.eq(id)),
        Owner::LogBook { team_id, year } => q.filter(attachments::team_id.eq(team_id)).filter(attachments::year.eq(year)),
        Owner::ConfirmationList(id) => q.filter(attachments::confirmation_list_id.eq(id)),
    }
}

/// Keeps a file for an owner. The same bytes sent again for the same owner (a phone that lost
/// its key, a double tap) find the file kept the first time: `(attachment, false)`.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner,
    kind: AttachmentKind,
    file_name: Option<&str>,
    declared_type: &str,
    bytes: &[u8],
) -> Result<(Attachment, bool), ApiError> {
    // One may attach only what one could then see.
    if !rules::may_attach(actor.role, &owner) || !rules::may_see(actor.role, actor.sees_party_details(), &owner) {
        return Err(ApiError::forbidden());
    }
    let unit_path = owner_path(conn, actor, &owner)?;
    let media_type = rules::check_file(declared_type, bytes).map_err(|code| match code {
        "unsupported_media_type" => ApiError::new(actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            .with_detail("Chỉ nhận ảnh JPEG, PNG, WebP hoặc tệp PDF", "Only JPEG, PNG or WebP photos and PDF files are kept")
            .with_extension("accepted", serde_json::json!(rules::MEDIA_TYPES)),
        code => ApiError::invalid_field("body", code),
    })?;
    let sha256 = hex::encode(Sha256::digest(bytes));
    let same: Option<Attachment> =
        of_owner(&owner).filter(attachments::sha256.eq(&sha256)).select(Attachment::as_select()).first(conn).optional()?;
    if let Some(found) = same {
        return Ok((found, false));
    }
    let (case_id, team_id, year, list_id) = match &owner {
        Owner::Case(id) => (Some(id.clone()), None, None, None),
        Owner::LogBook { team_id, year } => (None, Some(team_id.clone()), Some(*year), None),
        Owner::ConfirmationList(id) => (None, None, None, Some(id.clone())),
    };
    let row = Attachment {
        id: new_id(),
        case_id,
        team_id,
        year,
        confirmation_list_id: list_id,
        unit_path,
        kind: kind.as_str().to_string(),
        file_name: rules::file_name(file_name, kind, media_type),
        content_type: media_type.to_string(),
        size_bytes: bytes.len() as i64,
        sha256,
        created_by: actor.id.clone(),
        created_at: now(),
    };
    diesel::insert_into(attachments::table)
        .values((
            attachments::id.eq(&row.id),
            attachments::case_id.eq(&row.case_id),
            attachments::team_id.eq(&row.team_id),
            attachments::year.eq(row.year),
            attachments::confirmation_list_id.eq(&row.confirmation_list_id),
            attachments::unit_path.eq(&row.unit_path),
            attachments::kind.eq(&row.kind),
            attachments::file_name.eq(&row.file_name),
            attachments::content_type.eq(&row.content_type),
            attachments::size_bytes.eq(row.size_bytes),
            attachments::sha256.eq(&row.sha256),
            attachments::created_by.eq(&row.created_by),
            attachments::created_at.eq(row.created_at),
        ))
        .execute(conn)?;
    diesel::insert_into(attachment_contents::table)
        .values((attachment_contents::attachment_id.eq(&row.id), attachment_contents::bytes.eq(bytes)))
        .execute(conn)?;
    // The audit row describes the file; the bytes (personal data) stay out of the log.
    let described = serde_json::json!({
        "case_id": row.case_id, "team_id": row.team_id, "year": row.year,
        "confirmation_list_id": row.confirmation_list_id, "kind": row.kind,
        "content_type": row.content_type, "size_bytes": row.size_bytes, "sha256": row.sha256,
    });
    let change = Change {
        action: "create",
        entity: "attachment",
        entity_id: &row.id,
        unit_path: Some(&row.unit_path),
        old: None,
        new: Some(described),
    };
    audit::record(conn, &Who::from(actor), change)?;
    Ok((row, true))
}

/// The files of an owner the caller may see, oldest first.
pub fn list(conn: &mut DbConn, actor: &Actor, owner: &Owner) -> Result<Vec<Attachment>, ApiError> {
    if !rules::may_see(actor.role, actor.sees_party_details(), owner) {
        return Err(ApiError::forbidden());
    }
    owner_path(conn, actor, owner)?;
    Ok(of_owner(owner).order((attachments::created_at.asc(), attachments::id.asc())).select(Attachment::as_select()).load(conn)?)
}

/// A file's description and bytes, read by someone who may see its owner. The read is audited
/// (a signed agreement names the parties): the bytes may leave once the receipt is committed.
pub fn read(
    conn: &mut DbConn,
    log: &audit::ReadLog,
    actor: &Actor,
    id: &str,
) -> Result<(Attachment, Vec<u8>, audit::ReadReceipt), ApiError> {
    let found: Attachment =
        attachments::table.find(id).select(Attachment::as_select()).first(conn).optional()?.ok_or_else(ApiError::not_found)?;
    let owner = found.owner()?;
    // Not even whether it exists, to one who may not see its owner.
    if !rules::may_see(actor.role, actor.sees_party_details(), &owner) {
        return Err(ApiError::not_found());
    }
    owner_path(conn, actor, &owner)?;
    let bytes: Vec<u8> = attachment_contents::table.find(id).select(attachment_contents::bytes).first(conn)?;
    let change = Change {
        action: "read_attachment",
        entity: "attachment",
        entity_id: &found.id,
        unit_path: Some(&found.unit_path),
        old: None,
        new: None,
    };
    let receipt = log.record(&Who::from(actor), change);
    Ok((found, bytes, receipt))
}
