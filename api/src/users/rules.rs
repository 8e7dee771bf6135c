//! Who may give which account to whom, as plain functions.

use serde_json::{Map, Value};

use crate::auth::{password, Actor, Role};
use crate::error::{ApiError, FieldError};

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

/// ASCII letters (folded to lower case), digits, `.`, `_` and `-`, from a letter or digit, at least
/// three; spaces and line breaks around are dropped. The OpenAPI document says the same as a
/// pattern, so no other character may pass through a case folding (the Kelvin sign folds to `k`).
pub fn username_format(s: &str) -> Result<(), validator::ValidationError> {
    let s = s.trim_matches([' ', '\t', '\n', '\r']);
    let ok = s.len() >= 3
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("username_format"))
    }
}

/// The lowest zxcvbn score a person's password may have: 3 is "safely unguessable" (more than
/// 10^8 guesses, out of reach of an online attack and costly offline against argon2id).
pub const MIN_PASSWORD_SCORE: u8 = 3;

/// Refuses a password that is easy to guess (422 on `field`, code `weak_password`): a zxcvbn
/// score below 3, the username itself, one character or one group repeated, one of the
/// commonest passwords. The account's username and display name (each of its words, also
/// without diacritics) count as words a guesser knows.
pub fn password_strength(field: &str, secret: &str, username: &str, display_name: &str) -> Result<(), ApiError> {
    let weak = |reason: &str, extra: Map<String, Value>| {
        let mut params = extra;
        params.insert("reason".into(), Value::String(reason.into()));
        ApiError::validation(vec![FieldError { field: field.into(), code: "weak_password".into(), params }])
    };
    let compact: String = secret.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect();
    let username = normalise_username(username);
    if compact.is_empty() {
        return Err(weak("blank", Map::new()));
    }
    if compact == username || compact == username.replace(['.', '_', '-'], "") {
        return Err(weak("same_as_username", Map::new()));
    }
    if is_repetition(&compact) {
        return Err(weak("repeated", Map::new()));
    }
    let folded = crate::text::fold(display_name).to_lowercase();
    let mut inputs: Vec<&str> = vec![username.as_str(), display_name, folded.as_str()];
    inputs.extend(folded.split_whitespace());
    inputs.extend(username.split(['.', '_', '-']).filter(|p| p.len() >= 3));
    let entropy = zxcvbn::zxcvbn(secret, &inputs);
    let score = u8::from(entropy.score());
    let warning = entropy.feedback().and_then(|f| f.warning());
    let common = matches!(
        warning,
        Some(
            zxcvbn::feedback::Warning::ThisIsATop10Password
                | zxcvbn::feedback::Warning::ThisIsATop100Password
                | zxcvbn::feedback::Warning::ThisIsACommonPassword
        )
    );
    if score < MIN_PASSWORD_SCORE || common {
        let mut params = Map::new();
        params.insert("score".into(), Value::from(score));
        params.insert("min_score".into(), Value::from(MIN_PASSWORD_SCORE));
        if let Some(w) = warning {
            params.insert("warning".into(), Value::String(w.to_string()));
        }
        if let Some(f) = entropy.feedback() {
            let hints: Vec<Value> = f.suggestions().iter().map(|s| Value::String(s.to_string())).collect();
            if !hints.is_empty() {
                params.insert("suggestions".into(), Value::Array(hints));
            }
        }
        return Err(weak(if common { "common" } else { "guessable" }, params));
    }
    Ok(())
}

/// One character or one group of characters over and over (`aaaaaaaaaa`, `abcabcabcabc`).
fn is_repetition(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (1..=chars.len() / 2).any(|n| chars.len() % n == 0 && chars.chunks(n).all(|c| c == &chars[..n]))
}

/// A person's new password, hashed: the one given (checked for strength first) or a generated
/// one, returned to be shown once. CPU work (zxcvbn, argon2id): handlers call it on the blocking
/// pool, before any database write, never inside one.
pub struct NewPassword {
    pub hash: String,
    pub generated: Option<String>,
}

pub fn new_password(field: &str, given: Option<String>, username: &str, display_name: &str) -> Result<NewPassword, ApiError> {
    match given {
        Some(secret) => {
            password_strength(field, &secret, username, display_name)?;
            Ok(NewPassword { hash: password::hash(&secret), generated: None })
        }
        None => {
            let secret = password::generate_password();
            Ok(NewPassword { hash: password::hash(&secret), generated: Some(secret) })
        }
    }
}

/// `new_password` on the blocking pool.
pub async fn new_password_off_thread(
    field: &'static str,
    given: Option<String>,
    username: String,
    display_name: String,
) -> Result<NewPassword, ApiError> {
    actix_web::web::block(move || new_password(field, given, &username, &display_name)).await.map_err(|_| ApiError::unavailable())?
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
            scope: crate::auth::Scope::subtree(path),
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

    fn weak_reason(secret: &str) -> Option<String> {
        password_strength("password", secret, "lan.nt", "Nguyễn Thị Lan")
            .err()
            .map(|e| format!("{} {}", e.errors[0].code, e.errors[0].params["reason"].as_str().unwrap()))
    }

    #[test]
    fn weak_passwords_are_refused() {
        for secret in
            ["1234567890", "password12", "          ", "lan.nt", "LanNT", "aaaaaaaaaaaa", "abcabcabcabc", "qwertyuiop", "nguyen thi lan"]
        {
            assert!(weak_reason(secret).is_some(), "{secret:?} passes");
        }
        assert_eq!(weak_reason("          ").as_deref(), Some("weak_password blank"));
        assert_eq!(weak_reason("lan.nt").as_deref(), Some("weak_password same_as_username"));
        assert_eq!(weak_reason("xyzxyzxyzxyz").as_deref(), Some("weak_password repeated"));
        let e = password_strength("new_password", "password12", "lan.nt", "Lan").unwrap_err();
        assert_eq!(e.errors[0].field, "new_password");
        assert!(e.errors[0].params["score"].as_u64().unwrap() < 3);
        assert!(e.errors[0].params.contains_key("warning"), "{:?}", e.errors[0].params);
    }

    #[test]
    fn strong_and_generated_passwords_pass() {
        for secret in [
            "correct horse battery",
            "mat khau dung 123",
            "mat khau dai du",
            "mat khau moi 456",
            "mat khau moi 789",
            "Hội Yên mùa lúa chín 2024",
            "sông Hồng chảy về biển",
        ] {
            assert_eq!(weak_reason(secret), None, "{secret:?} is refused");
        }
        for _ in 0..500 {
            let generated = password::generate_password();
            assert_eq!(weak_reason(&generated), None, "generated {generated:?} is refused");
        }
    }

    #[test]
    fn usernames() {
        assert!(username_format("lan.nt").is_ok());
        assert!(username_format("Lan.NT").is_ok());
        assert!(username_format("nguyễn").is_err());
        assert!(username_format("_x1").is_err());
        assert!(username_format(" lan.nt\r\n").is_ok());
        // The Kelvin sign folds to `k`, an ideographic space trims away: neither is in the pattern.
        assert!(username_format("\u{212A}elvin").is_err());
        assert!(username_format("\u{3000}lan.nt").is_err());
    }
}
