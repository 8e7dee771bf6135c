use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use super::store::AuditRow;

/// One audit entry: who changed what, when, and the fields before and after.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: String,
    pub at: chrono::DateTime<chrono::Utc>,
    /// `user`, `client` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<String>,
    /// `create`, `update`, `delete`, `read`, `revoke`, `password_change`, …
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub request_id: Option<String>,
    /// The changed fields as they were.
    pub old_values: Option<Value>,
    /// The changed fields as they became; of a create, the first version's fields that are not
    /// empty (a field it does not name was null).
    pub new_values: Option<Value>,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntry {
            id: r.id,
            at: r.at.and_utc(),
            actor_kind: r.actor_kind,
            actor_id: r.actor_id,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            request_id: r.request_id,
            old_values: parse(r.old_values),
            new_values: parse(r.new_values),
        }
    }
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries about this kind of record (`unit`, `user`, `api_client`, …).
    #[validate(length(max = 64))]
    #[param(max_length = 64)]
    pub entity: Option<String>,
    /// Only entries about this record.
    #[validate(length(max = 64))]
    #[param(max_length = 64)]
    pub entity_id: Option<String>,
    /// Only entries made by this user or client.
    pub actor_id: Option<uuid::Uuid>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}
