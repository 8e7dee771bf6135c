//! Who may give which account to whom, as plain functions.

use crate::auth::{Actor, Role, Scope};
use crate::error::ApiError;

/// Whether `actor` may hold an account with `role` at the unit with path `unit_path`
/// (None: national). Admins may do anything; officers only inside their subtree and never admin.
pub fn may_assign(actor: &Actor, role: Role, unit_path: Option<&str>) -> Result<(), ApiError> {
    if unit_path.is_none() && !role.may_be_national() {
        return Err(ApiError::invalid_field("unit_id", "required"));
    }
    if actor.is_admin() {
        return Ok(());
    }
    if role == Role::Admin {
        return Err(ApiError::invalid_field("role", "not_allowed_for_role"));
    }
    if unit_path.is_none() || !actor.scope.covers(unit_path) {
        return Err(ApiError::invalid_field("unit_id", "outside_scope"));
    }
    Ok(())
}

/// Usernames are folded to lower case, so `Lan.NT` and `lan.nt` are one account.
pub fn normalise_username(s: &str) -> String {
    s.trim().to_lowercase()
}

pub fn username_format(s: &str) -> Result<(), validator::ValidationError> {
    let s = normalise_username(s);
    let ok = s.len() >= 3
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("username_format"))
    }
}

/// The scope an account's token carries.
pub fn scope_of(unit_path: Option<&str>) -> Scope {
    Scope { path: unit_path.map(str::to_string) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::PrincipalKind;

    fn officer(path: &str) -> Actor {
        Actor {
            id: "x".into(),
            kind: PrincipalKind::User,
            role: Role::Officer,
            unit_id: None,
            scope: Scope { path: Some(path.into()) },
            unit_level: Some("commune".into()),
            mediator_id: None,
            request_id: None,
        }
    }

    #[test]
    fn officers_stay_in_their_subtree() {
        let o = officer("/p/c/");
        assert!(may_assign(&o, Role::TeamLeader, Some("/p/c/v/")).is_ok());
        assert!(may_assign(&o, Role::TeamLeader, Some("/p/other/")).is_err());
        assert!(may_assign(&o, Role::Admin, Some("/p/c/")).is_err());
        assert!(may_assign(&o, Role::Viewer, None).is_err());
    }

    #[test]
    fn usernames() {
        assert!(username_format("lan.nt").is_ok());
        assert!(username_format("Lan.NT").is_ok());
        assert!(username_format("nguyễn").is_err());
        assert!(username_format("_x1").is_err());
    }
}
