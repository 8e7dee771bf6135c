use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::rules::Owner;
use crate::error::ApiError;

use crate::code_enum;

code_enum! {
    /// What a kept file shows (`attachment_kind`).
    pub enum AttachmentKind ("attachment_kind") {
        WrittenAgreement = "written_agreement": "Văn bản hòa giải thành đã ký" / "Signed written agreement",
        LogbookPages = "logbook_pages": "Trang sổ theo dõi đã ký" / "Signed log-book pages",
        ConfirmationList = "confirmation_list": "Danh sách xác nhận đã ký" / "Signed confirmation list",
        Minutes = "minutes": "Biên bản" / "Minutes",
        Other = "other": "Giấy tờ khác" / "Other document",
    }
}

/// Whose files: exactly one of a case, a team's log-book year (`team_id` with `year`) or a
/// confirmation list.
#[derive(Deserialize, IntoParams, Validate, Clone, Debug)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AttachmentOwnerQuery {
    pub case_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// The log book's year, with `team_id`.
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
    pub confirmation_list_id: Option<Uuid>,
}

/// A file to keep: whose it is, what it shows, the name it had on the sender's device.
#[derive(Deserialize, IntoParams, Validate, Clone, Debug)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub case_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    /// The log book's year, with `team_id`.
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
    pub confirmation_list_id: Option<Uuid>,
    pub kind: AttachmentKind,
    /// The name on the sender's device; kept without folders, with the extension of the real type.
    #[validate(length(min = 1, max = 200))]
    #[param(min_length = 1, max_length = 200)]
    pub file_name: Option<String>,
}

impl UploadQuery {
    pub fn owner(&self) -> Result<Owner, ApiError> {
        let q = AttachmentOwnerQuery {
            case_id: self.case_id,
            team_id: self.team_id,
            year: self.year,
            confirmation_list_id: self.confirmation_list_id,
        };
        q.owner()
    }
}

impl AttachmentOwnerQuery {
    /// The one owner named (422 naming the field otherwise).
    pub fn owner(&self) -> Result<Owner, ApiError> {
        if self.team_id.is_some() != self.year.is_some() {
            let missing = if self.year.is_none() { "year" } else { "team_id" };
            return Err(ApiError::invalid_field(missing, "required_with_team_id_and_year"));
        }
        match (self.case_id, self.team_id.zip(self.year), self.confirmation_list_id) {
            (Some(case), None, None) => Ok(Owner::Case(case.to_string())),
            (None, Some((team, year)), None) => Ok(Owner::LogBook { team_id: team.to_string(), year }),
            (None, None, Some(list)) => Ok(Owner::ConfirmationList(list.to_string())),
            _ => Err(ApiError::invalid_field("case_id", "exactly_one_owner")),
        }
    }
}

/// A kept file's description; its bytes are at `GET /api/v1/attachments/{id}`.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct AttachmentDto {
    pub id: String,
    pub case_id: Option<String>,
    pub team_id: Option<String>,
    pub year: Option<i32>,
    pub confirmation_list_id: Option<String>,
    pub kind: AttachmentKind,
    pub file_name: String,
    /// `image/jpeg`, `image/png`, `image/webp` or `application/pdf`.
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes: the same file sent twice for one owner is kept once.
    pub sha256: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AttachmentList {
    pub items: Vec<AttachmentDto>,
}
