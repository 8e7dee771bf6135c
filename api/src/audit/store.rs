use diesel::prelude::*;
use serde_json::Value;

use crate::auth::{Actor, PrincipalKind, Scope};
use crate::db::planned::Insert;
use crate::db::schema::audit_log;
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::units::rules::own_id;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub at: chrono::NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub request_id: Option<String>,
    pub old_values: Option<String>,
    pub new_values: Option<String>,
    /// The unit the record belongs to (the last segment of its path): officers read the audit of
    /// their subtree only. `None` for national records.
    pub unit_id: Option<String>,
}

/// Who did it: a person, a machine client, or the system itself (CLI commands, demo seeding).
pub struct Who<'a> {
    pub kind: &'a str,
    pub id: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

impl<'a> From<&'a Actor> for Who<'a> {
    fn from(a: &'a Actor) -> Self {
        match a.kind {
            PrincipalKind::User => Who { kind: "user", id: Some(&a.id), request_id: a.request_id.as_deref() },
            PrincipalKind::Client => Who { kind: "client", id: Some(&a.id), request_id: a.request_id.as_deref() },
            PrincipalKind::System => Who::SYSTEM,
        }
    }
}

impl Who<'static> {
    pub const SYSTEM: Who<'static> = Who { kind: "system", id: None, request_id: None };
}

/// What changed. `old`/`new` are the record's API representation, never secrets.
pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    /// The path of the unit the record belongs to; the row keeps the unit's id.
    pub unit_path: Option<&'a str>,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// Appends one audit row. Every write of every resource goes through here.
pub fn record(conn: &mut DbConn, who: &Who<'_>, change: Change<'_>) -> Result<(), ApiError> {
    diesel::insert_into(audit_log::table).values(&row(who, change)).execute(conn)?;
    Ok(())
}

/// The same row as an insert that a planned write sends with its other rows (`db::planned`).
pub fn insert_of(who: &Who<'_>, change: Change<'_>) -> Insert {
    let r = row(who, change);
    let mut insert = Insert::into(
        "audit_log (id, at, actor_kind, actor_id, action, entity, entity_id, request_id, old_values, new_values, unit_id)",
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    insert.push(r.id);
    insert.push(r.at);
    insert.push(r.actor_kind);
    insert.push(r.actor_id);
    insert.push(r.action);
    insert.push(r.entity);
    insert.push(r.entity_id);
    insert.push(r.request_id);
    insert.push(r.old_values);
    insert.push(r.new_values);
    insert.push(r.unit_id);
    insert
}

/// The values a row keeps for a change: of an edit, only the fields that changed, before and
/// after, so a row says what happened without repeating the record; of a create (or a removal),
/// the record's fields without the empty ones — a field a create's row does not name was empty
/// (null) in the first version. Nothing is lost either way: the unchanged fields are in the
/// record, and an absent field of a create's values can only have been null.
pub fn kept_values(old: Option<Value>, new: Option<Value>) -> (Option<String>, Option<String>) {
    let without_nulls = |v: Value| match v {
        Value::Object(mut fields) => {
            fields.retain(|_, v| !v.is_null());
            Value::Object(fields)
        }
        other => other,
    };
    let (old, new) = match (old, new) {
        (Some(Value::Object(mut old)), Some(Value::Object(mut new))) => {
            let same: Vec<String> = old.iter().filter(|(k, v)| new.get(*k) == Some(v)).map(|(k, _)| k.clone()).collect();
            for k in same {
                old.remove(&k);
                new.remove(&k);
            }
            (Some(Value::Object(old)), Some(Value::Object(new)))
        }
        (None, Some(new)) => (None, Some(without_nulls(new))),
        (Some(old), None) => (Some(without_nulls(old)), None),
        other => other,
    };
    (old.map(|v| v.to_string()), new.map(|v| v.to_string()))
}

/// The row for a change.
fn row(who: &Who<'_>, change: Change<'_>) -> AuditRow {
    let (old_values, new_values) = kept_values(change.old, change.new);
    AuditRow {
        id: new_id(),
        at: now(),
        actor_kind: who.kind.to_string(),
        actor_id: who.id.map(str::to_string),
        action: change.action.to_string(),
        entity: change.entity.to_string(),
        entity_id: change.entity_id.to_string(),
        request_id: who.request_id.map(str::to_string),
        old_values,
        new_values,
        unit_id: change.unit_path.and_then(own_id).map(str::to_string),
    }
}

/// Records of reads of personal data. A read's row is committed before its answer leaves: the
/// reader waits on a `ReadReceipt`. Concurrent reads share one transaction — a background thread
/// takes every row waiting and commits them together — so the wait is one commit, shared, and
/// on SQLite it queues behind writers once per batch, not once per read.
pub struct ReadLog {
    tx: std::sync::Mutex<std::sync::mpsc::Sender<(AuditRow, tokio::sync::oneshot::Sender<bool>)>>,
}

/// The promise that a read's audit row is on disk.
pub struct ReadReceipt(tokio::sync::oneshot::Receiver<bool>);

impl ReadReceipt {
    /// Waits for the commit; an unrecorded read must not be answered (503, the caller retries).
    pub async fn committed(self) -> Result<(), ApiError> {
        match self.0.await {
            Ok(true) => Ok(()),
            _ => Err(ApiError::unavailable()),
        }
    }
}

impl ReadLog {
    pub fn start(db: crate::db::Db) -> ReadLog {
        let (tx, rx) = std::sync::mpsc::channel::<(AuditRow, tokio::sync::oneshot::Sender<bool>)>();
        let spawned = std::thread::Builder::new().name("audit-reads".into()).spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = vec![first];
                while batch.len() < 500 {
                    match rx.try_recv() {
                        Ok(r) => batch.push(r),
                        Err(_) => break,
                    }
                }
                let (rows, waiting): (Vec<AuditRow>, Vec<_>) = batch.into_iter().unzip();
                let count = rows.len();
                let written = db.write_log_only(move |c| {
                    crate::dispatch!(c, |conn| diesel::insert_into(audit_log::table).values(&rows).execute(conn))?;
                    Ok(())
                });
                if let Err(e) = &written {
                    tracing::error!(code = e.code, rows = count, "could not write read records to the audit log");
                }
                for w in waiting {
                    let _ = w.send(written.is_ok());
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start the audit writer for reads");
        }
        ReadLog { tx: std::sync::Mutex::new(tx) }
    }

    /// Queues the read's row; the answer waits for the receipt.
    pub fn record(&self, who: &Who<'_>, change: Change<'_>) -> ReadReceipt {
        let (done, receipt) = tokio::sync::oneshot::channel();
        let tx = self.tx.lock().unwrap_or_else(|p| p.into_inner());
        if tx.send((row(who, change), done)).is_err() {
            tracing::error!("the audit writer for reads has stopped");
        }
        ReadReceipt(receipt)
    }
}

pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_id: Option<String>,
    /// Newest first: the cursor is the last id seen.
    pub before_id: Option<String>,
    pub limit: i64,
}

/// Audit rows inside the scope, newest first. Rows of national records (no unit) are for
/// national scope only. A row names its unit by id; the units inside the scope are found by their
/// paths (a unit's path never changes), so a scope's rows are those of its units.
pub fn list(conn: &mut DbConn, scope: &Scope, f: &AuditFilter) -> Result<Vec<AuditRow>, ApiError> {
    let mut q = audit_log::table.select(AuditRow::as_select()).into_boxed();
    if let Some(inside) = scope.contains_unit(audit_log::unit_id.assume_not_null()) {
        q = q.filter(inside);
    }
    if let Some(e) = &f.entity {
        q = q.filter(audit_log::entity.eq(e.clone()));
    }
    if let Some(e) = &f.entity_id {
        q = q.filter(audit_log::entity_id.eq(e.clone()));
    }
    if let Some(a) = &f.actor_id {
        q = q.filter(audit_log::actor_id.eq(a.clone()));
    }
    if let Some(b) = &f.before_id {
        q = q.filter(audit_log::id.lt(b.clone()));
    }
    Ok(q.order(audit_log::id.desc()).limit(f.limit + 1).load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::kept_values;
    use serde_json::{json, Value};

    fn parsed(s: Option<String>) -> Option<Value> {
        s.map(|s| serde_json::from_str(&s).unwrap())
    }

    #[test]
    fn a_create_keeps_its_values_without_the_empty_ones() {
        let (old, new) = kept_values(None, Some(json!({"status": "received", "ended_on": null, "parties": [null], "version": 1})));
        assert_eq!(old, None);
        assert_eq!(parsed(new), Some(json!({"status": "received", "parties": [null], "version": 1})));
    }

    #[test]
    fn an_edit_keeps_what_changed_even_to_or_from_empty() {
        let (old, new) = kept_values(
            Some(json!({"status": "in_progress", "ended_on": null, "team_id": "t", "version": 2})),
            Some(json!({"status": "successful", "ended_on": "2026-11-30", "team_id": "t", "version": 3})),
        );
        assert_eq!(parsed(old), Some(json!({"status": "in_progress", "ended_on": null, "version": 2})));
        assert_eq!(parsed(new), Some(json!({"status": "successful", "ended_on": "2026-11-30", "version": 3})));
    }
}
