use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub username: String,
    #[validate(length(min = 1, max = 128))]
    #[schema(min_length = 1, max_length = 128)]
    pub password: String,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: String,
}

/// OAuth2 token response (RFC 6749 §5.1).
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// For people only: exchange it at `/auth/refresh` for a new pair. Each one works once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

/// Client-credentials grant (RFC 6749 §4.4), sent as `application/x-www-form-urlencoded`. The
/// client id and secret may come in the body or as HTTP Basic credentials.
#[derive(Deserialize, ToSchema)]
pub struct ClientTokenRequest {
    /// Must be `client_credentials` (otherwise 400 `unsupported_grant_type`).
    #[schema(pattern = r"^client_credentials$")]
    pub grant_type: String,
    /// No control character at all (otherwise 400 `control_characters`).
    #[schema(pattern = r"^[^\u0000-\u001F\u007F]*$")]
    pub client_id: Option<String>,
    #[schema(pattern = r"^[^\u0000-\u001F\u007F]*$")]
    pub client_secret: Option<String>,
}
