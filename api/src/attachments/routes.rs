use actix_web::http::header::{self, HeaderValue};
use actix_web::{get, post, web, HttpResponse};

use super::dto::{AttachmentDto, AttachmentList, AttachmentOwnerQuery, UploadQuery};
use super::store;
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{FileBody, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_attachments).service(upload_attachment).service(get_attachment);
}

/// Keeps a photo or scan of a signed paper with the record it proves: the body is the file itself
/// (`image/jpeg`, `image/png`, `image/webp` or `application/pdf`, at most the attachment limit,
/// 5 MiB by default), its first bytes must match its type. Needs an `Idempotency-Key`: a phone
/// resending from its queue gets the first answer; the same bytes sent again for the same owner
/// answer 200 with the file kept the first time.
#[utoipa::path(
    tag = "attachments",
    params(UploadQuery),
    request_body(description = "The file", content(
        (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf")
    )),
    responses(
        (status = 201, body = AttachmentDto, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "The same file was kept for this owner before", body = AttachmentDto)
    )
)]
#[post("/attachments")]
async fn upload_attachment(
    actor: Allowed<can::AddAttachments>,
    query: QueryParams<UploadQuery>,
    file: FileBody,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.require_key()?;
    let q = query.0;
    let owner = q.owner()?;
    cmd.run(move |c| {
        let (row, created) = store::create(c, &actor, owner, q.kind, q.file_name.as_deref(), &file.content_type, &file.bytes)?;
        let dto = store::dto(row)?;
        Answer::created(created, &dto, 1, &format!("/api/v1/attachments/{}", dto.id))
    })
    .await
}

/// The files kept for one record — a case, a team's log-book year (`team_id` and `year`) or a
/// confirmation list — oldest first, without their bytes.
#[utoipa::path(tag = "attachments", params(AttachmentOwnerQuery), responses((status = 200, body = AttachmentList)))]
#[get("/attachments")]
async fn list_attachments(
    actor: Allowed<can::ReadAttachments>,
    query: QueryParams<AttachmentOwnerQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let owner = query.0.owner()?;
    let rows = st.db.run(move |c| store::list(c, &actor, &owner)).await?;
    let items = rows.into_iter().map(store::dto).collect::<Result<Vec<_>, _>>()?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "private, no-cache")).json(AttachmentList { items }))
}

/// The file itself, with its type and name. Reading it is recorded in the audit log (a signed
/// agreement names the parties); only those who may see its record get it.
#[utoipa::path(
    tag = "attachments",
    responses((status = 200, description = "The file", content(
        (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf")
    ), headers(("ETag" = String), ("Content-Disposition" = String))))
)]
#[get("/attachments/{id}")]
async fn get_attachment(
    actor: Allowed<can::ReadAttachments>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let state = st.clone();
    let (row, bytes, receipt) = st.db.run(move |c| store::read(c, &state.read_log, &actor, &id.to_string())).await?;
    receipt.committed().await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_str(&row.content_type).map_err(|_| ApiError::internal())?))
        .insert_header((header::CONTENT_DISPOSITION, content_disposition(&row.file_name)))
        .insert_header((header::ETAG, format!("\"{}\"", row.sha256)))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        // A PDF opened from here runs no script and reaches nothing.
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"))
        .body(bytes))
}

/// `inline` with the name twice: plain ASCII for old clients, `filename*` in UTF-8 (RFC 6266,
/// RFC 8187) for the Vietnamese one.
fn content_disposition(name: &str) -> String {
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_vietnamese_name_is_sent_both_ways() {
        assert_eq!(
            super::content_disposition("biên bản.jpg"),
            "inline; filename=\"bi_n b_n.jpg\"; filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n.jpg"
        );
    }
}
