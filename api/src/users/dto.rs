use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::User;
use super::rules::username_format;
use crate::auth::Role;
use crate::text::clean_text;

/// An account. The password hash never leaves the server.
#[derive(Serialize, ToSchema)]
pub struct UserDto {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    /// The unit the account sees and manages (with everything below it); absent: the whole country.
    pub unit_id: Option<String>,
    /// For team leaders and mediators: their mediator record.
    pub mediator_id: Option<String>,
    pub active: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserDto {
    fn from(u: User) -> Self {
        UserDto {
            role: Role::parse(&u.role).unwrap_or(Role::Viewer),
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            phone: u.phone,
            unit_id: u.unit_id,
            mediator_id: u.mediator_id,
            active: u.active,
            version: u.version,
            created_at: u.created_at.and_utc(),
            updated_at: u.updated_at.and_utc(),
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateUser {
    /// Optional id chosen by the client.
    pub id: Option<Uuid>,
    /// 3–64 characters: lower-case letters, digits, '.', '_' or '-' (folded to lower case).
    #[validate(length(min = 3, max = 64), custom(function = "username_format"))]
    #[schema(min_length = 3, max_length = 64, pattern = r"^[ \t\n\r]*[A-Za-z0-9][A-Za-z0-9._-]{2,}[ \t\n\r]*$")]
    pub username: String,
    #[validate(length(min = 1, max = 120), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 120, pattern = "<plain-text>")]
    pub display_name: String,
    #[validate(length(max = 20), custom(function = "crate::text::phone"))]
    #[schema(max_length = 20, pattern = r"^\+?[ .()-]*(?:[0-9][ .()-]*){8,15}$")]
    pub phone: Option<String>,
    pub role: Role,
    /// Required except for national admins, viewers and statistics readers.
    pub unit_id: Option<Uuid>,
    /// 10–128 characters. When absent a password is generated and returned once.
    #[validate(length(min = 10, max = 128))]
    #[schema(min_length = 10, max_length = 128)]
    pub password: Option<String>,
    /// For a team leader or mediator: their mediator record (in the caller's scope).
    #[serde(default)]
    pub mediator_id: Option<Uuid>,
}

/// A new account, with the generated password when none was given (shown this once).
#[derive(Serialize, ToSchema)]
pub struct CreatedUser {
    #[serde(flatten)]
    pub user: UserDto,
    pub generated_password: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateUser {
    #[validate(length(min = 1, max = 120), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 120, pattern = "<plain-text>")]
    pub display_name: Option<String>,
    /// `null` clears the phone.
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 20), custom(function = "crate::text::phone"))]
    #[schema(max_length = 20, pattern = r"^\+?[ .()-]*(?:[0-9][ .()-]*){8,15}$")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    pub role: Option<Role>,
    /// `null` gives national scope (admins, viewers, statistics readers only).
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub unit_id: Option<Option<Uuid>>,
    /// `false` deactivates the account: it can no longer sign in or refresh its tokens.
    pub active: Option<bool>,
    /// Links (or with `null` unlinks) the account's mediator record.
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub mediator_id: Option<Option<Uuid>>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ResetPassword {
    /// 10–128 characters; when absent a password is generated and returned once.
    #[validate(length(min = 10, max = 128))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PasswordReset {
    pub generated_password: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    #[validate(length(min = 1, max = 128))]
    #[schema(min_length = 1, max_length = 128)]
    pub current_password: String,
    #[validate(length(min = 10, max = 128))]
    #[schema(min_length = 10, max_length = 128)]
    pub new_password: String,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Accounts at this unit or below it.
    pub within: Option<Uuid>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    /// Text in the username or display name (case-insensitive).
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}
