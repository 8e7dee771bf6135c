use diesel::prelude::*;

use super::dto::{CreateUser, UpdateUser, UserDto};
use super::model::User;
use super::rules::{may_assign, normalise_username, NewPassword};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{Actor, Role, Scope};
use crate::db::schema::{refresh_tokens, users};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::text;
use crate::units::store as units;
use crate::versioned::{self, Edit};

fn scoped(scope: &Scope) -> users::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut q = users::table.into_boxed();
    if let Some(inside) = scope.contains(users::unit_path.assume_not_null()) {
        q = q.filter(inside);
    }
    q
}

/// An account inside the scope, or 404.
pub fn find(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<User, ApiError> {
    scoped(scope).filter(users::id.eq(id.to_string())).select(User::as_select()).first(conn).optional()?.ok_or_else(ApiError::not_found)
}

/// Any account by id, for the caller's own `/me`.
pub fn find_self(conn: &mut DbConn, id: &str) -> Result<User, ApiError> {
    users::table.find(id).select(User::as_select()).first(conn).optional()?.ok_or_else(|| ApiError::unauthorized("invalid_token"))
}

pub fn find_by_username(conn: &mut DbConn, username: &str) -> Result<Option<User>, ApiError> {
    Ok(users::table.filter(users::username.eq(normalise_username(username))).select(User::as_select()).first(conn).optional()?)
}

pub struct UserFilter {
    pub within_path: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub q: Option<String>,
    pub after_username: Option<String>,
    pub limit: i64,
}

/// Accounts inside the scope, by username.
pub fn list(conn: &mut DbConn, scope: &Scope, f: &UserFilter) -> Result<Vec<User>, ApiError> {
    let mut q = scoped(scope).select(User::as_select());
    if let Some(p) = &f.within_path {
        q = q.filter(crate::db::area::Area::subtree(p).contains(users::unit_path.assume_not_null()));
    }
    if let Some(r) = f.role {
        q = q.filter(users::role.eq(r.as_str()));
    }
    if let Some(a) = f.active {
        q = q.filter(users::active.eq(a));
    }
    if let Some(t) = &f.q {
        q = q.filter(users::search_key.like(text::contains_pattern(t)).escape('\\'));
    }
    if let Some(after) = &f.after_username {
        q = q.filter(users::username.gt(after.clone()));
    }
    Ok(q.order(users::username.asc()).limit(f.limit + 1).load(conn)?)
}

fn audit_value(u: &User) -> serde_json::Value {
    serde_json::to_value(UserDto::from(u.clone())).unwrap_or_default()
}

/// The unit an account is given, checked against the caller's scope; `(id, path)`. A unit closed
/// by the reform or a merger takes readers of its history (viewers, statistics readers) only: the
/// work goes on in its successor.
fn resolve_unit(
    conn: &mut DbConn,
    actor: &Actor,
    role: Role,
    unit_id: Option<uuid::Uuid>,
) -> Result<(Option<String>, Option<String>), ApiError> {
    match unit_id {
        None => Ok((None, None)),
        Some(id) => {
            let unit = units::find(conn, &actor.scope, &id.to_string()).map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
            let reads_history = matches!(role, Role::Viewer | Role::Stats);
            if !reads_history && unit.valid_to.is_some_and(|to| to <= chrono::Utc::now().date_naive()) {
                return Err(ApiError::invalid_field("unit_id", "invalid_value"));
            }
            Ok((Some(unit.id), Some(unit.path)))
        }
    }
}

/// The mediator record an account is linked to: only team leaders and mediators have one, and it
/// must lie inside the caller's scope.
fn resolve_mediator(conn: &mut DbConn, actor: &Actor, role: Role, mediator_id: Option<uuid::Uuid>) -> Result<Option<String>, ApiError> {
    let Some(id) = mediator_id else { return Ok(None) };
    if !matches!(role, Role::TeamLeader | Role::Mediator) {
        return Err(ApiError::invalid_field("mediator_id", "not_allowed_for_role"));
    }
    let mediator = crate::mediators::store::find_in_scope(conn, &actor.scope, &id.to_string())
        .map_err(|_| ApiError::invalid_field("mediator_id", "not_found"))?;
    Ok(Some(mediator.id))
}

/// Creates an account with a password made beforehand (`rules::new_password`, outside the
/// transaction: hashing takes tens of milliseconds); returns it, the generated password (if any)
/// and whether it is new.
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    input: CreateUser,
    password: NewPassword,
) -> Result<(User, Option<String>, bool), ApiError> {
    // A retry with the same client-chosen id answers the account already made (without a password).
    if let Some(id) = input.id {
        if let Some(existing) = users::table.find(id.to_string()).select(User::as_select()).first(conn).optional()? {
            let same = existing.username == normalise_username(&input.username) && actor.scope.covers(existing.unit_path.as_deref());
            return if same { Ok((existing, None, false)) } else { Err(ApiError::conflict("already_exists")) };
        }
    }
    let (unit_id, unit_path) = resolve_unit(conn, actor, input.role, input.unit_id)?;
    may_assign(actor, input.role, unit_path.as_deref())?;
    let mediator_id = resolve_mediator(conn, actor, input.role, input.mediator_id)?;
    let username = normalise_username(&input.username);
    if find_by_username(conn, &username)?.is_some() {
        return Err(ApiError::conflict("username_taken"));
    }
    let NewPassword { hash: password_hash, generated } = password;
    let stamp = now();
    let display_name = input.display_name.trim().to_string();
    let user = User {
        id: input.id.map(|u| u.to_string()).unwrap_or_else(new_id),
        search_key: text::fold(&format!("{username} {display_name}")),
        username,
        display_name,
        phone: input.phone.map(|p| p.trim().to_string()),
        role: input.role.as_str().to_string(),
        unit_id,
        unit_path,
        password_hash,
        active: true,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
        password_changed_at: stamp,
        mediator_id,
    };
    diesel::insert_into(users::table).values(&user).execute(conn).map_err(|e| match ApiError::from(e) {
        e if e.code == "already_exists" => ApiError::conflict("username_taken"),
        e => e,
    })?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "user",
            entity_id: &user.id,
            unit_path: user.unit_path.as_deref(),
            old: None,
            new: Some(audit_value(&user)),
        },
    )?;
    Ok((user, generated, true))
}

pub fn update(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateUser) -> Result<User, ApiError> {
    let current = find(conn, &actor.scope, id)?;
    let version = versioned::check(version, current.version, || Ok(audit_value(&current)))?;
    let is_self = current.id == actor.id;
    let mut next = current.clone();
    if let Some(name) = patch.display_name {
        next.display_name = name.trim().to_string();
    }
    if let Some(phone) = patch.phone {
        next.phone = phone.map(|p| p.trim().to_string());
    }
    let role = patch.role.unwrap_or_else(|| Role::parse(&current.role).unwrap_or(Role::Viewer));
    if let Some(unit) = patch.unit_id {
        let (unit_id, unit_path) = resolve_unit(conn, actor, role, unit)?;
        next.unit_id = unit_id;
        next.unit_path = unit_path;
    }
    next.role = role.as_str().to_string();
    if let Some(link) = patch.mediator_id {
        next.mediator_id = resolve_mediator(conn, actor, role, link)?;
    } else if !matches!(role, Role::TeamLeader | Role::Mediator) {
        next.mediator_id = None;
    }
    if let Some(active) = patch.active {
        next.active = active;
    }
    // Nobody locks themselves out or widens their own powers.
    if is_self && (next.role != current.role || next.unit_id != current.unit_id || !next.active) {
        return Err(ApiError::new(actix_web::http::StatusCode::FORBIDDEN, "self_change_forbidden"));
    }
    // The account as it is must be one the actor could give, and so must the account it becomes.
    let current_role = Role::parse(&current.role).unwrap_or(Role::Viewer);
    may_assign(actor, current_role, current.unit_path.as_deref()).map_err(|_| ApiError::forbidden())?;
    may_assign(actor, role, next.unit_path.as_deref())?;
    next.search_key = text::fold(&format!("{} {}", next.username, next.display_name));
    next.version = current.version + 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "user", id, unit_path: next.unit_path.as_deref() }.save(
        conn,
        |c| Ok(diesel::update(users::table.filter(users::id.eq(id)).filter(users::version.eq(version))).set(&next).execute(c)?),
        |c| find(c, &actor.scope, id).map(|fresh| (audit_value(&fresh), fresh.version)),
        |c| {
            // A deactivated account, or one whose role or scope changed, must sign in again.
            if !next.active || next.role != current.role || next.unit_id != current.unit_id {
                revoke_all_refresh_tokens(c, &next.id)?;
            }
            Ok((audit_value(&current), audit_value(&next)))
        },
    )?;
    Ok(next)
}

/// Sets a new password (hashed beforehand, outside the transaction) and signs the account out
/// everywhere.
pub fn set_password(conn: &mut DbConn, who: &Who<'_>, user: &User, password_hash: &str, action: &str) -> Result<(), ApiError> {
    let stamp = now();
    diesel::update(users::table.find(&user.id))
        .set((
            users::password_hash.eq(password_hash),
            users::password_changed_at.eq(stamp),
            users::updated_at.eq(stamp),
            users::version.eq(users::version + 1),
        ))
        .execute(conn)?;
    revoke_all_refresh_tokens(conn, &user.id)?;
    audit::record(
        conn,
        who,
        Change { action, entity: "user", entity_id: &user.id, unit_path: user.unit_path.as_deref(), old: None, new: None },
    )
}

pub fn revoke_all_refresh_tokens(conn: &mut DbConn, user_id: &str) -> Result<(), ApiError> {
    diesel::update(refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)).filter(refresh_tokens::revoked_at.is_null()))
        .set(refresh_tokens::revoked_at.eq(now()))
        .execute(conn)?;
    Ok(())
}
