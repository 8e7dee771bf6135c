use diesel::prelude::*;

use super::dto::{ApiClientDto, CreateApiClient};
use super::model::ApiClient;
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{password, Actor, Role, Scope};
use crate::db::schema::api_clients;
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::users::rules::may_assign;

fn audit_value(c: &ApiClient) -> serde_json::Value {
    serde_json::to_value(ApiClientDto::from(c.clone())).unwrap_or_default()
}

pub fn list(conn: &mut DbConn, scope: &Scope, after_id: Option<String>, limit: i64) -> Result<Vec<ApiClient>, ApiError> {
    let mut q = api_clients::table.select(ApiClient::as_select()).into_boxed();
    if let Some(inside) = scope.contains(api_clients::unit_path.assume_not_null()) {
        q = q.filter(inside);
    }
    if let Some(after) = after_id {
        q = q.filter(api_clients::id.gt(after));
    }
    Ok(q.order(api_clients::id.asc()).limit(limit + 1).load(conn)?)
}

pub fn find(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<ApiClient, ApiError> {
    let mut q = api_clients::table.filter(api_clients::id.eq(id.to_string())).select(ApiClient::as_select()).into_boxed();
    if let Some(inside) = scope.contains(api_clients::unit_path.assume_not_null()) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

/// Registers a client; returns it with its secret.
pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateApiClient) -> Result<(ApiClient, String), ApiError> {
    let (unit_id, unit_path) = match input.unit_id {
        None => (None, None),
        Some(id) => {
            let unit = crate::units::store::find(conn, &actor.scope, &id.to_string())
                .map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
            (Some(unit.id), Some(unit.path))
        }
    };
    may_assign(actor, Role::Stats, unit_path.as_deref())?;
    let secret = format!("hgs_{}", password::random_secret(32));
    let client = ApiClient {
        id: new_id(),
        name: input.name.trim().to_string(),
        secret_hash: password::token_hash(&secret),
        role: Role::Stats.as_str().into(),
        unit_id,
        unit_path,
        created_by: actor.id.clone(),
        created_at: now(),
        last_used_at: None,
        revoked_at: None,
    };
    diesel::insert_into(api_clients::table).values(&client).execute(conn)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "api_client",
            entity_id: &client.id,
            unit_path: client.unit_path.as_deref(),
            old: None,
            new: Some(audit_value(&client)),
        },
    )?;
    Ok((client, secret))
}

/// Revokes a client: its secret stops working at once, its tokens within
/// `HOAGIAI_PRINCIPAL_RECHECK_SECS` (at once on this instance: the route tells `Principals`).
pub fn revoke(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<ApiClient, ApiError> {
    let current = find(conn, &actor.scope, id)?;
    if current.revoked_at.is_some() {
        return Ok(current);
    }
    let stamp = now();
    diesel::update(api_clients::table.find(id)).set(api_clients::revoked_at.eq(stamp)).execute(conn)?;
    let next = ApiClient { revoked_at: Some(stamp), ..current.clone() };
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "revoke",
            entity: "api_client",
            entity_id: id,
            unit_path: next.unit_path.as_deref(),
            old: Some(audit_value(&current)),
            new: Some(audit_value(&next)),
        },
    )?;
    Ok(next)
}

/// Checks a client's credentials (a read: the secret is a SHA-256 of 256 random bits).
pub fn authenticate(conn: &mut DbConn, client_id: &str, secret: &str) -> Result<Option<ApiClient>, ApiError> {
    let Some(client) = api_clients::table.find(client_id).select(ApiClient::as_select()).first(conn).optional()? else {
        return Ok(None);
    };
    if client.revoked_at.is_some() || client.secret_hash != password::token_hash(secret) {
        return Ok(None);
    }
    Ok(Some(client))
}

/// Whether a token request should update `last_used_at`: it shows when a client was last seen,
/// to the minute, so a client asking for tokens in a loop costs one write a minute.
pub fn use_worth_recording(client: &ApiClient) -> bool {
    client.last_used_at.is_none_or(|at| now() - at >= chrono::Duration::seconds(60))
}

pub fn record_use(conn: &mut DbConn, client_id: &str) -> Result<(), ApiError> {
    diesel::update(api_clients::table.find(client_id)).set(api_clients::last_used_at.eq(now())).execute(conn)?;
    Ok(())
}
