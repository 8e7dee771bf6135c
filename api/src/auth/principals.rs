//! Whether the principal behind a valid token may still act: a user not deactivated, a machine
//! client not revoked. Access tokens live 15 minutes (machine tokens an hour); this answers within
//! `HOAGIAI_PRINCIPAL_RECHECK_SECS` instead.
//!
//! The answer per subject is kept in memory and read again from the database when it is older
//! than the interval, so most requests cost a map look-up. The write that deactivates or revokes
//! on this instance sets the entry at once (`set`); other instances learn it at their next recheck.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use super::identity::PrincipalKind;
use crate::db::schema::{api_clients, users};
use crate::db::DbConn;
use crate::error::ApiError;

#[derive(Clone, Copy)]
struct Entry {
    active: bool,
    /// When the answer was read (or set by a write).
    at: Instant,
}

pub struct Principals {
    recheck: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Principals {
    pub fn new(recheck: Duration) -> Principals {
        Principals { recheck, entries: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The remembered answer for `id`, if it is younger than the recheck interval.
    pub fn cached(&self, id: &str) -> Option<bool> {
        self.cached_at(id, Instant::now())
    }

    fn cached_at(&self, id: &str, now: Instant) -> Option<bool> {
        self.lock().get(id).filter(|e| now.saturating_duration_since(e.at) < self.recheck).map(|e| e.active)
    }

    /// Remembers an answer read from the database by a read that began at `read_from`. A write's
    /// `set` after that moment wins: a read that raced the write must not bring back the old state.
    pub fn remember(&self, id: &str, active: bool, read_from: Instant) {
        let mut map = self.lock();
        if map.len() > 50_000 {
            let (now, recheck) = (Instant::now(), self.recheck);
            map.retain(|_, e| now.saturating_duration_since(e.at) < recheck);
        }
        match map.get(id) {
            Some(e) if e.at > read_from => {}
            _ => {
                map.insert(id.to_string(), Entry { active, at: read_from });
            }
        }
    }

    /// What a committed write just made true (a user deactivated or reactivated, a client revoked).
    pub fn set(&self, id: &str, active: bool) {
        self.lock().insert(id.to_string(), Entry { active, at: Instant::now() });
    }

    /// Whether the principal may still act: from memory, or read from the database.
    pub async fn check(&self, db: &crate::db::Db, kind: PrincipalKind, id: &str) -> Result<bool, ApiError> {
        if let Some(active) = self.cached(id) {
            return Ok(active);
        }
        let read_from = Instant::now();
        let subject = id.to_string();
        let active = db.run(move |c| is_active(c, kind, &subject)).await?;
        self.remember(id, active, read_from);
        Ok(active)
    }
}

/// A user that exists and is active; a client that exists and is not revoked.
pub fn is_active(conn: &mut DbConn, kind: PrincipalKind, id: &str) -> Result<bool, ApiError> {
    Ok(match kind {
        PrincipalKind::User => users::table.find(id).select(users::active).first::<bool>(conn).optional()?.unwrap_or(false),
        PrincipalKind::Client => api_clients::table
            .find(id)
            .select(api_clients::revoked_at)
            .first::<Option<chrono::NaiveDateTime>>(conn)
            .optional()?
            .is_some_and(|revoked| revoked.is_none()),
        PrincipalKind::System => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_kept_for_the_interval_then_read_again() {
        let principals = Principals::new(Duration::from_secs(15));
        let start = Instant::now();
        principals.remember("u1", true, start);
        assert_eq!(principals.cached_at("u1", start + Duration::from_secs(14)), Some(true));
        assert_eq!(principals.cached_at("u1", start + Duration::from_secs(15)), None, "stale: read again");
        assert_eq!(principals.cached_at("u2", start), None);
    }

    #[test]
    fn a_write_wins_over_a_read_that_raced_it() {
        let principals = Principals::new(Duration::from_secs(15));
        let read_from = Instant::now();
        principals.set("u1", false);
        // A read that began before the deactivation committed comes back with the old answer.
        principals.remember("u1", true, read_from);
        assert_eq!(principals.cached("u1"), Some(false));
        // A read that began afterwards is believed.
        principals.remember("u1", true, Instant::now());
        assert_eq!(principals.cached("u1"), Some(true));
    }

    #[test]
    fn zero_means_always_read() {
        let principals = Principals::new(Duration::ZERO);
        principals.set("u1", false);
        assert_eq!(principals.cached("u1"), None);
    }
}
