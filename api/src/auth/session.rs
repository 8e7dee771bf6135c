//! Sessions of people: a short-lived access token plus a rotating refresh token. Refresh tokens
//! are stored hashed, belong to a family (one sign-in), and work once: presenting a used one means
//! it was stolen or replayed, so the whole family is revoked.

use chrono::Duration;
use diesel::prelude::*;

use super::dto::TokenResponse;
use super::jwt::{JwtKeys, Subject};
use super::{password, PrincipalKind, Role};
use crate::config::Config;
use crate::db::schema::{refresh_tokens, users};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::users::model::User;

/// Issues an access token and a new refresh token in `family`.
pub fn issue(conn: &mut DbConn, keys: &JwtKeys, config: &Config, user: &User, family: &str) -> Result<TokenResponse, ApiError> {
    let role = Role::parse(&user.role).ok_or_else(ApiError::internal)?;
    let level = crate::units::store::level_of(conn, user.unit_id.as_deref())?;
    let access_token = keys.issue(
        &Subject {
            id: &user.id,
            kind: PrincipalKind::User,
            role,
            unit_id: user.unit_id.as_deref(),
            unit_path: user.unit_path.as_deref(),
            unit_level: level.as_deref(),
            mediator_id: user.mediator_id.as_deref(),
        },
        config.access_token_ttl,
    )?;
    let refresh = password::random_secret(32);
    let stamp = now();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(new_id()),
            refresh_tokens::family_id.eq(family),
            refresh_tokens::user_id.eq(&user.id),
            refresh_tokens::token_hash.eq(password::token_hash(&refresh)),
            refresh_tokens::created_at.eq(stamp),
            refresh_tokens::expires_at.eq(stamp + Duration::seconds(config.refresh_token_ttl)),
        ))
        .execute(conn)?;
    Ok(TokenResponse { access_token, token_type: "Bearer".into(), expires_in: config.access_token_ttl, refresh_token: Some(refresh) })
}

#[derive(Queryable)]
struct TokenRow {
    id: String,
    family_id: String,
    user_id: String,
    expires_at: chrono::NaiveDateTime,
    used_at: Option<chrono::NaiveDateTime>,
    revoked_at: Option<chrono::NaiveDateTime>,
}

fn find_token(conn: &mut DbConn, token: &str) -> Result<Option<TokenRow>, ApiError> {
    Ok(refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(password::token_hash(token)))
        .select((
            refresh_tokens::id,
            refresh_tokens::family_id,
            refresh_tokens::user_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            refresh_tokens::revoked_at,
        ))
        .first(conn)
        .optional()?)
}

fn revoke_family(conn: &mut DbConn, family: &str) -> Result<(), ApiError> {
    diesel::update(refresh_tokens::table.filter(refresh_tokens::family_id.eq(family)).filter(refresh_tokens::revoked_at.is_null()))
        .set(refresh_tokens::revoked_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// What a refresh attempt came to. A reuse must revoke the family *and* be refused; the
/// revocation has to commit, so it is returned as a value rather than an error that would roll
/// the transaction back.
pub enum Refreshed {
    Tokens(TokenResponse),
    Refused(ApiError),
}

/// Exchanges a refresh token for a new pair.
pub fn refresh(conn: &mut DbConn, keys: &JwtKeys, config: &Config, token: &str) -> Result<Refreshed, ApiError> {
    let invalid = || Refreshed::Refused(ApiError::unauthorized("invalid_refresh_token"));
    let Some(row) = find_token(conn, token)? else { return Ok(invalid()) };
    if row.revoked_at.is_some() {
        return Ok(invalid());
    }
    // Mark it used only if nobody did before: of two racing refreshes exactly one wins.
    let claimed = diesel::update(refresh_tokens::table.filter(refresh_tokens::id.eq(&row.id)).filter(refresh_tokens::used_at.is_null()))
        .set(refresh_tokens::used_at.eq(now()))
        .execute(conn)?;
    if row.used_at.is_some() || claimed == 0 {
        revoke_family(conn, &row.family_id)?;
        tracing::warn!(family = %row.family_id, "refresh token reused; session family revoked");
        return Ok(Refreshed::Refused(ApiError::unauthorized("refresh_token_reused")));
    }
    if row.expires_at <= now() {
        return Ok(invalid());
    }
    let user: User = users::table.find(&row.user_id).select(User::as_select()).first(conn)?;
    if !user.active {
        revoke_family(conn, &row.family_id)?;
        return Ok(Refreshed::Refused(ApiError::new(actix_web::http::StatusCode::FORBIDDEN, "account_inactive")));
    }
    Ok(Refreshed::Tokens(issue(conn, keys, config, &user, &row.family_id)?))
}

/// Signs out: revokes the family of the given refresh token. Unknown tokens are ignored, so
/// signing out twice is harmless.
pub fn logout(conn: &mut DbConn, token: &str) -> Result<(), ApiError> {
    if let Some(row) = find_token(conn, token)? {
        revoke_family(conn, &row.family_id)?;
    }
    Ok(())
}
