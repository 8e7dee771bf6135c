//! A write planned from what was read, applied only while what was read still holds.
//!
//! On PostgreSQL a case create was a dozen statements in one transaction: a round trip each, and
//! the statistics rows it had written stayed locked until the last of them came back. A planned
//! write makes its reads and its rules first (on a pooled connection, outside any transaction)
//! and then writes every row in ONE statement. The statement's first part, the guard, checks again
//! what the plan relied on — and takes, say, the next line of a log book only if it is still the
//! next; every other part writes only if the guard did (`WHERE EXISTS (SELECT 1 FROM guard)`). One
//! statement is a transaction of its own: all of it is committed or none. When the guard finds
//! that something changed in between, nothing was written, and the plan is made again.
//!
//! On SQLite the single writer already serialises the writes, and SQLite has no data-modifying
//! `WITH`: the plan is made inside the writer's transaction and the same parts run there one after
//! another, as the statements they have always been.

use std::borrow::Cow;

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::RunQueryDsl;

use super::bound::{self, Bound, Value};
use super::DbConn;
use crate::error::ApiError;

/// An `INSERT` of some rows, which can run on its own or as one part of a guarded statement.
#[derive(Clone, Debug)]
pub struct Insert {
    /// `table (column, …)`.
    into: Cow<'static, str>,
    /// One row's placeholders, `(?, ?, …)`.
    row: Cow<'static, str>,
    /// What follows the rows: an `ON CONFLICT …` clause, or nothing.
    tail: Cow<'static, str>,
    values: Vec<Value>,
}

impl Insert {
    /// Rows for `into` (`"table (a, b)"`), each written as `row` (`"(?, ?)"`).
    pub fn into(into: impl Into<Cow<'static, str>>, row: impl Into<Cow<'static, str>>) -> Insert {
        Insert { into: into.into(), row: row.into(), tail: Cow::Borrowed(""), values: Vec::new() }
    }

    /// The clause after the rows (`ON CONFLICT …`).
    pub fn then(mut self, tail: impl Into<Cow<'static, str>>) -> Insert {
        self.tail = tail.into();
        self
    }

    /// The next value, row after row.
    pub fn push(&mut self, v: impl Into<Value>) {
        self.values.push(v.into());
    }

    fn rows(&self) -> usize {
        let per_row = self.row.matches('?').count().max(1);
        self.values.len() / per_row
    }

    /// The insert as a statement of its own; `None` when it has no row.
    pub fn statement(self) -> Option<Bound> {
        let rows = self.rows();
        if rows == 0 {
            return None;
        }
        let sql = format!("INSERT INTO {} VALUES {}{}{}", self.into, bound::rows(&self.row, rows), space(&self.tail), self.tail);
        Some(Bound::with_capacity(sql, self.values.len()).binding(self.values))
    }

    /// The insert as a part of a guarded statement: its rows are written only if the guard's were.
    fn guarded(self) -> Option<Bound> {
        let rows = self.rows();
        if rows == 0 {
            return None;
        }
        let sql = format!(
            "INSERT INTO {} SELECT * FROM (VALUES {}) AS v WHERE EXISTS (SELECT 1 FROM guard){}{}",
            self.into,
            bound::rows(&self.row, rows),
            space(&self.tail),
            self.tail
        );
        Some(Bound::with_capacity(sql, self.values.len()).binding(self.values))
    }
}

fn space(tail: &str) -> &'static str {
    if tail.is_empty() {
        ""
    } else {
        " "
    }
}

/// The rows of one write, and the guard they depend on.
#[derive(Debug)]
pub struct Writes {
    /// A statement that writes one row if the plan still holds and none otherwise (an `INSERT …
    /// SELECT … WHERE`, or an upsert whose `DO UPDATE` has a `WHERE`); without `RETURNING`.
    guard: Bound,
    parts: Vec<Insert>,
}

/// What became of a planned write.
#[derive(Debug, PartialEq, Eq)]
pub enum Applied {
    /// Every row is written.
    Done,
    /// What the plan read has changed: nothing was written; make the plan again.
    Stale,
    /// Another request kept its answer under the same idempotency key first: nothing was written.
    KeyTaken,
}

impl Writes {
    pub fn guarded_by(guard: Bound) -> Writes {
        Writes { guard, parts: Vec::new() }
    }

    pub fn insert(mut self, part: Insert) -> Writes {
        self.parts.push(part);
        self
    }

    pub fn insert_all(mut self, parts: impl IntoIterator<Item = Insert>) -> Writes {
        self.parts.extend(parts);
        self
    }

    /// In the caller's transaction (SQLite's writer): the guard, then each part. `Stale` leaves
    /// nothing written, since nothing runs after a guard that wrote nothing.
    pub fn apply_in_transaction(self, conn: &mut DbConn) -> Result<Applied, ApiError> {
        if self.guard.execute(conn)? == 0 {
            return Ok(Applied::Stale);
        }
        for part in self.parts {
            if let Some(statement) = part.statement() {
                statement.execute(conn)?;
            }
        }
        Ok(Applied::Done)
    }

    /// PostgreSQL, outside any transaction: all of it in one statement, with `kept` (the request's
    /// idempotent answer) as one more part. A key kept meanwhile by another request makes the
    /// statement fail as a whole (`KeyTaken`); so does a row another request wrote first with the
    /// same key (a case with the same client-chosen id), which is `Stale`: the plan made again
    /// finds that row.
    pub fn apply_as_one_statement(self, conn: &mut DbConn, kept: Option<Insert>) -> Result<Applied, ApiError> {
        let mut statement = Bound::new("WITH guard AS (");
        statement.append(self.guard);
        statement.push_sql(" RETURNING 1)");
        for (i, part) in self.parts.into_iter().chain(kept).enumerate() {
            if let Some(part) = part.guarded() {
                statement.push_sql(&format!(", w{i} AS ("));
                statement.append(part);
                statement.push_sql(")");
            }
        }
        statement.push_sql(" SELECT 1 FROM guard");
        let result = match conn {
            DbConn::Pg(c) => RunQueryDsl::execute(&statement, c),
            DbConn::Sqlite(_) => return Err(ApiError::internal()),
        };
        match result {
            Ok(0) => Ok(Applied::Stale),
            Ok(_) => Ok(Applied::Done),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info)) => {
                Ok(if info.table_name() == Some("idempotency_keys") { Applied::KeyTaken } else { Applied::Stale })
            }
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_insert_stands_alone_or_waits_for_its_guard() {
        let mut i = Insert::into("t (a, b)", "(?, ?)").then("ON CONFLICT (a) DO NOTHING");
        for v in ["x", "1", "y", "2"] {
            i.push(v);
        }
        assert_eq!(i.rows(), 2);
        let alone = format!("{:?}", i.clone().statement().unwrap());
        assert!(alone.contains("INSERT INTO t (a, b) VALUES (?, ?), (?, ?) ON CONFLICT (a) DO NOTHING"), "{alone}");
        let guarded = format!("{:?}", i.guarded().unwrap());
        assert!(
            guarded.contains(
                "INSERT INTO t (a, b) SELECT * FROM (VALUES (?, ?), (?, ?)) AS v WHERE EXISTS (SELECT 1 FROM guard) ON CONFLICT (a) DO NOTHING"
            ),
            "{guarded}"
        );
        assert!(Insert::into("t (a)", "(?)").statement().is_none());
    }
}
