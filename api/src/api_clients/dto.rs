use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::model::ApiClient;
use crate::auth::Role;
use crate::text::clean_text;

#[derive(Serialize, ToSchema)]
pub struct ApiClientDto {
    /// The `client_id` of the client-credentials grant.
    pub id: String,
    pub name: String,
    /// Always `stats`.
    pub role: Role,
    /// The unit whose statistics it may read; absent: the whole country.
    pub unit_id: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiClient> for ApiClientDto {
    fn from(c: ApiClient) -> Self {
        ApiClientDto {
            id: c.id,
            name: c.name,
            role: Role::Stats,
            unit_id: c.unit_id,
            created_by: c.created_by,
            created_at: c.created_at.and_utc(),
            last_used_at: c.last_used_at.map(|t| t.and_utc()),
            revoked_at: c.revoked_at.map(|t| t.and_utc()),
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateApiClient {
    /// What it is, e.g. "Hệ thống thống kê Sở Tư pháp".
    #[validate(length(min = 1, max = 120), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 120, pattern = "<plain-text>")]
    pub name: String,
    /// The unit whose statistics it may read. Only admins may leave it out (national scope).
    pub unit_id: Option<Uuid>,
}

/// A new client with its secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiClient {
    #[serde(flatten)]
    pub client: ApiClientDto,
    pub client_secret: String,
}
