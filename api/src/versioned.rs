//! The versioned edit every resource makes the same way: the caller names the version it edits
//! (`If-Match`); the new version is written only over that one; if someone else wrote first the
//! caller gets 412 with the record as it is now; and the edit's audit row commits with it.

use serde_json::Value;

use crate::audit::store::{self as audit, Change, Who};
use crate::db::DbConn;
use crate::error::{ApiError, ANY_VERSION};

/// One edit of one record.
pub struct Edit<'a> {
    pub who: &'a Who<'a>,
    /// The audit action (`update`, `correct`, …).
    pub action: &'a str,
    /// The audit entity (`team`, `case`, …).
    pub entity: &'a str,
    pub id: &'a str,
    pub unit_path: Option<&'a str>,
}

/// Refuses an edit of a version that is no longer current, before anything is computed: 412
/// with the record as the caller sees it now. Answers the version to write over (the current one).
pub fn check(expected: i32, current_version: i32, shown: impl FnOnce() -> Result<Value, ApiError>) -> Result<i32, ApiError> {
    if current_version == expected || expected == ANY_VERSION {
        Ok(current_version)
    } else {
        Err(ApiError::stale(shown()?, current_version))
    }
}

impl Edit<'_> {
    /// Writes the new version with `write`, which must change the row only where its version is
    /// still the one checked and say how many rows it changed. None: someone wrote first, and the
    /// caller gets 412 with the record as `shown_now` reads it. Then the audit row of the edit,
    /// its values computed after the write (`audited`), in the same transaction.
    pub fn save(
        &self,
        conn: &mut DbConn,
        write: impl FnOnce(&mut DbConn) -> Result<usize, ApiError>,
        shown_now: impl FnOnce(&mut DbConn) -> Result<(Value, i32), ApiError>,
        audited: impl FnOnce(&mut DbConn) -> Result<(Value, Value), ApiError>,
    ) -> Result<(), ApiError> {
        if write(conn)? == 0 {
            let (value, version) = shown_now(conn)?;
            return Err(ApiError::stale(value, version));
        }
        let (old, new) = audited(conn)?;
        audit::record(
            conn,
            self.who,
            Change {
                action: self.action,
                entity: self.entity,
                entity_id: self.id,
                unit_path: self.unit_path,
                old: Some(old),
                new: Some(new),
            },
        )
    }
}
