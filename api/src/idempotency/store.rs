//! The kept answers of `Idempotency-Key` requests. A row is written once, with its answer, in the
//! same transaction as the work it answers: a row without the work, or the work without its
//! row, cannot be committed.

use chrono::Duration;
use diesel::prelude::*;

use crate::db::planned::Insert;
use crate::db::schema::idempotency_keys as keys;
use crate::db::{now, DbConn};
use crate::error::ApiError;

/// How long a key is remembered.
pub const KEEP_FOR_HOURS: i64 = 24;
/// Rows without an answer come only from versions that claimed a key before running its work;
/// one still unanswered after this long died with its process.
const ABANDONED_AFTER_SECS: i64 = 120;

/// Who asked, with which key, for what: the request's identity for replays.
#[derive(Clone, Debug)]
pub struct KeyOf {
    /// `user:<id>` or `client:<id>`: keys belong to their caller, so two phones never collide.
    pub owner: String,
    pub key: String,
    /// SHA-256 of method, path, query and body.
    pub fingerprint: String,
}

/// An answer as it is kept and replayed.
#[derive(Clone, Debug)]
pub struct Kept {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub enum Found {
    /// No request with this key yet: run it.
    Nothing,
    /// The first request finished: here is its answer.
    Done(Kept),
    /// The key was used for a different request.
    Mismatch,
    /// A row without an answer, left by an older version that claimed keys up front.
    Unanswered,
}

#[derive(Queryable)]
struct Row {
    request_hash: String,
    status_code: Option<i32>,
    response_headers: Option<String>,
    response_body: Option<String>,
    created_at: chrono::NaiveDateTime,
}

/// What became of an earlier request with this key.
pub fn find(conn: &mut DbConn, k: &KeyOf) -> Result<Found, ApiError> {
    // On the backend's own connection (`dispatch!`): asked before every write that carries a key.
    let row: Option<Row> = crate::dispatch!(conn, |c| keys::table
        .find((&k.owner, &k.key))
        .select((keys::request_hash, keys::status_code, keys::response_headers, keys::response_body, keys::created_at))
        .get_result(c))
    .optional()?;
    let Some(row) = row else { return Ok(Found::Nothing) };
    if row.request_hash != k.fingerprint {
        return Ok(Found::Mismatch);
    }
    match row.status_code {
        Some(status) => Ok(Found::Done(Kept {
            status: u16::try_from(status).map_err(|_| ApiError::internal())?,
            headers: row
                .response_headers
                .map(|h| serde_json::from_str(&h))
                .transpose()
                .map_err(|_| ApiError::internal())?
                .unwrap_or_default(),
            body: row.response_body.unwrap_or_default(),
        })),
        None if row.created_at < now() - Duration::seconds(ABANDONED_AFTER_SECS) => {
            // Its process died before answering; under the old scheme its work committed on its
            // own, so this is the best that can be done for such a row: forget it.
            diesel::delete(keys::table.find((&k.owner, &k.key)).filter(keys::status_code.is_null())).execute(conn)?;
            Ok(Found::Nothing)
        }
        None => Ok(Found::Unanswered),
    }
}

/// Keeps the answer of the request. `false` when another request with the same key was kept
/// first (on PostgreSQL this waits for that request's transaction to end): the caller must then
/// undo its own work and replay the kept answer.
pub fn keep(conn: &mut DbConn, k: &KeyOf, answer: &Kept) -> Result<bool, ApiError> {
    let Some(statement) = insert_of(k, answer)?.then("ON CONFLICT DO NOTHING").statement() else { return Err(ApiError::internal()) };
    Ok(statement.execute(conn)? == 1)
}

/// The row that keeps the answer, as an insert a planned write sends with its other rows
/// (`db::planned`): there a key kept first by another request fails the whole statement.
pub fn insert_of(k: &KeyOf, answer: &Kept) -> Result<Insert, ApiError> {
    let headers = serde_json::to_string(&answer.headers).map_err(|_| ApiError::internal())?;
    let mut insert = Insert::into(
        "idempotency_keys (actor_id, idem_key, request_hash, status_code, response_headers, response_body, created_at)",
        "(?, ?, ?, ?, ?, ?, ?)",
    );
    insert.push(k.owner.as_str());
    insert.push(k.key.as_str());
    insert.push(k.fingerprint.as_str());
    insert.push(i32::from(answer.status));
    insert.push(Some(headers));
    insert.push(Some(answer.body.clone()));
    insert.push(now());
    Ok(insert)
}

/// Forgets keys older than a day; run periodically by the server.
pub fn purge_expired(conn: &mut DbConn) -> Result<usize, ApiError> {
    Ok(diesel::delete(keys::table.filter(keys::created_at.lt(now() - Duration::hours(KEEP_FOR_HOURS)))).execute(conn)?)
}
