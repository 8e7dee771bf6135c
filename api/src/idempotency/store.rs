use chrono::Duration;
use diesel::prelude::*;

use crate::db::schema::idempotency_keys as keys;
use crate::db::{now, DbConn};
use crate::error::ApiError;

/// How long a key is remembered.
pub const KEEP_FOR_HOURS: i64 = 24;
/// A first request still unfinished after this long is taken to have died with its process.
const ABANDONED_AFTER_SECS: i64 = 120;

pub struct Kept {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub enum Begun {
    /// This request is the first with the key: run it.
    Fresh,
    /// The first is still running.
    InProgress,
    /// The first finished: here is its answer.
    Done(Kept),
    /// The key was used for a different request.
    Mismatch,
}

#[derive(Queryable)]
struct Row {
    request_hash: String,
    status_code: Option<i32>,
    response_headers: Option<String>,
    response_body: Option<String>,
    created_at: chrono::NaiveDateTime,
}

/// Claims the key, or tells what happened to the request that claimed it first. The primary key
/// decides races: of two requests inserting at once, exactly one succeeds.
pub fn begin(conn: &mut DbConn, owner: &str, key: &str, fingerprint: &str) -> Result<Begun, ApiError> {
    let insert = diesel::insert_into(keys::table)
        .values((keys::actor_id.eq(owner), keys::idem_key.eq(key), keys::request_hash.eq(fingerprint), keys::created_at.eq(now())))
        .execute(conn);
    match insert {
        Ok(_) => return Ok(Begun::Fresh),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e.into()),
    }
    let row: Option<Row> = keys::table
        .find((owner, key))
        .select((keys::request_hash, keys::status_code, keys::response_headers, keys::response_body, keys::created_at))
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        // Abandoned and removed between our insert and read: try once more.
        return begin(conn, owner, key, fingerprint);
    };
    if row.request_hash != fingerprint {
        return Ok(Begun::Mismatch);
    }
    match row.status_code {
        Some(status) => Ok(Begun::Done(Kept {
            status: u16::try_from(status).unwrap_or(200),
            headers: row.response_headers.and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default(),
            body: row.response_body.unwrap_or_default(),
        })),
        None if row.created_at < now() - Duration::seconds(ABANDONED_AFTER_SECS) => {
            let taken = diesel::update(keys::table.find((owner, key)).filter(keys::created_at.eq(row.created_at)))
                .set(keys::created_at.eq(now()))
                .execute(conn)?;
            Ok(if taken == 1 { Begun::Fresh } else { Begun::InProgress })
        }
        None => Ok(Begun::InProgress),
    }
}

pub fn complete(conn: &mut DbConn, owner: &str, key: &str, status: u16, headers: &[(String, String)], body: &str) -> Result<(), ApiError> {
    diesel::update(keys::table.find((owner, key)))
        .set((
            keys::status_code.eq(i32::from(status)),
            keys::response_headers.eq(serde_json::to_string(headers).unwrap_or_default()),
            keys::response_body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets a key whose request failed on the server side, so a retry runs again.
pub fn abandon(conn: &mut DbConn, owner: &str, key: &str) -> Result<(), ApiError> {
    diesel::delete(keys::table.find((owner, key))).execute(conn)?;
    Ok(())
}

/// Forgets keys older than a day; run periodically by the server.
pub fn purge_expired(conn: &mut DbConn) -> Result<usize, ApiError> {
    Ok(diesel::delete(keys::table.filter(keys::created_at.lt(now() - Duration::hours(KEEP_FOR_HOURS)))).execute(conn)?)
}
