//! Statements of fixed text with bound values, kept prepared by the connection.
//!
//! diesel keeps a prepared statement only when it can tell the statement's shape is fixed: never
//! for `sql_query`, nor for any `UPDATE` or `ON CONFLICT … DO UPDATE`, nor for `IN (…)` lists and
//! multi-row inserts on SQLite. Those were parsed and planned afresh on every call — on the
//! single SQLite writer, for every case create (the counters' upserts, the log-book line, the
//! duplicate check). A `Bound` statement is text with a `?` where each value goes; the text is
//! the cache key, so the connection prepares it once per shape (one per row count of a multi-row
//! insert) and afterwards only binds and steps it.
//!
//! A kept statement is only worth keeping if SQLite does not prepare it again: SQLite (since 3.47)
//! plans with the value bound to a `LIMIT`, a `LIKE` pattern or a partial index's term, and then
//! marks the statement to be re-prepared at every new binding. The bundled SQLite is built with
//! `SQLITE_ENABLE_QPSG` (`.cargo/config.toml`), under which the planner never looks at bound
//! values; look-ups by key still use `get_result` (no `LIMIT` at all), and a condition that needs
//! its value to pick an index writes it out (`db::area`, `cases::store::awaiting_start`).

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Bool, Date, HasSqlType, Integer, Nullable, SmallInt, Text, Timestamp, Untyped};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use super::DbConn;
use crate::error::ApiError;

/// One bound value.
#[derive(Clone, Debug)]
pub enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i32),
    OptInt(Option<i32>),
    BigInt(i64),
    SmallInt(i16),
    Date(NaiveDate),
    OptDate(Option<NaiveDate>),
    Bool(bool),
    Timestamp(NaiveDateTime),
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Text(s.to_string())
    }
}

/// `From` for each type a value can be bound as, into its variant.
macro_rules! value_from {
    ($($t:ty => $variant:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Value {
                Value::$variant(v)
            }
        })*
    };
}

value_from!(
    String => Text,
    Option<String> => OptText,
    i32 => Int,
    Option<i32> => OptInt,
    i64 => BigInt,
    i16 => SmallInt,
    NaiveDate => Date,
    Option<NaiveDate> => OptDate,
    bool => Bool,
    NaiveDateTime => Timestamp,
);

/// A statement: its text, `?` for each value, and the values in order. The text must hold no
/// other `?` (no literals with one in them).
#[derive(Clone, Debug)]
pub struct Bound {
    sql: Cow<'static, str>,
    values: Vec<Value>,
}

impl Bound {
    pub fn new(sql: impl Into<Cow<'static, str>>) -> Bound {
        Bound { sql: sql.into(), values: Vec::new() }
    }

    /// The same, with room for `n` values.
    pub fn with_capacity(sql: impl Into<Cow<'static, str>>, n: usize) -> Bound {
        Bound { sql: sql.into(), values: Vec::with_capacity(n) }
    }

    pub fn bind(mut self, v: impl Into<Value>) -> Bound {
        self.values.push(v.into());
        self
    }

    /// Binds each of the values, in order.
    pub fn binding<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Bound {
        self.values.extend(values.into_iter().map(Into::into));
        self
    }

    pub fn push(&mut self, v: impl Into<Value>) {
        self.values.push(v.into());
    }

    /// Appends another statement's text and values (to build one statement out of parts).
    pub fn append(&mut self, other: Bound) {
        self.sql.to_mut().push_str(&other.sql);
        self.values.extend(other.values);
    }

    /// Appends text that binds nothing.
    pub fn push_sql(&mut self, sql: &str) {
        self.sql.to_mut().push_str(sql);
    }

    pub fn execute(self, conn: &mut DbConn) -> Result<usize, ApiError> {
        Ok(crate::dispatch!(conn, |c| RunQueryDsl::execute(&self, c))?)
    }

    pub fn load<U>(self, conn: &mut DbConn) -> Result<Vec<U>, ApiError>
    where
        U: QueryableByName<diesel::sqlite::Sqlite> + QueryableByName<diesel::pg::Pg> + 'static,
    {
        Ok(crate::dispatch!(conn, |c| RunQueryDsl::load::<U>(&self, c))?)
    }
}

/// `n` comma-separated copies of a row of placeholders, e.g. `(?, ?), (?, ?)`.
pub fn rows(row: &str, n: usize) -> String {
    let mut out = String::with_capacity((row.len() + 2) * n);
    for i in 0..n {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(row);
    }
    out
}

/// `?, ?, ?` for an `IN (…)` list of `n` values.
pub fn list(n: usize) -> String {
    rows("?", n)
}

impl QueryId for Bound {
    type QueryId = ();
    // Not static: the cache key is then the statement's text (and its values' types).
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Bound {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for &Bound {}

impl<DB> QueryFragment<DB> for Bound
where
    DB: Backend
        + HasSqlType<Text>
        + HasSqlType<Nullable<Text>>
        + HasSqlType<Integer>
        + HasSqlType<Nullable<Integer>>
        + HasSqlType<BigInt>
        + HasSqlType<SmallInt>
        + HasSqlType<Date>
        + HasSqlType<Nullable<Date>>
        + HasSqlType<Bool>
        + HasSqlType<Timestamp>,
    String: ToSql<Text, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    i32: ToSql<Integer, DB>,
    Option<i32>: ToSql<Nullable<Integer>, DB>,
    i64: ToSql<BigInt, DB>,
    i16: ToSql<SmallInt, DB>,
    NaiveDate: ToSql<Date, DB>,
    Option<NaiveDate>: ToSql<Nullable<Date>, DB>,
    bool: ToSql<Bool, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let mut pieces = self.sql.split('?');
        let mut values = self.values.iter();
        if let Some(first) = pieces.next() {
            out.push_sql(first);
        }
        for piece in pieces {
            match values.next() {
                Some(Value::Text(s)) => out.push_bind_param::<Text, _>(s)?,
                Some(Value::OptText(s)) => out.push_bind_param::<Nullable<Text>, _>(s)?,
                Some(Value::Int(n)) => out.push_bind_param::<Integer, _>(n)?,
                Some(Value::OptInt(n)) => out.push_bind_param::<Nullable<Integer>, _>(n)?,
                Some(Value::BigInt(n)) => out.push_bind_param::<BigInt, _>(n)?,
                Some(Value::SmallInt(n)) => out.push_bind_param::<SmallInt, _>(n)?,
                Some(Value::Date(d)) => out.push_bind_param::<Date, _>(d)?,
                Some(Value::OptDate(d)) => out.push_bind_param::<Nullable<Date>, _>(d)?,
                Some(Value::Bool(b)) => out.push_bind_param::<Bool, _>(b)?,
                Some(Value::Timestamp(t)) => out.push_bind_param::<Timestamp, _>(t)?,
                None => return Err(diesel::result::Error::QueryBuilderError("a bound statement has fewer values than `?`".into())),
            }
            out.push_sql(piece);
        }
        if values.next().is_some() {
            return Err(diesel::result::Error::QueryBuilderError("a bound statement has more values than `?`".into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_lists() {
        assert_eq!(rows("(?, ?)", 2), "(?, ?), (?, ?)");
        assert_eq!(list(3), "?, ?, ?");
        assert_eq!(list(0), "");
    }

    #[test]
    fn a_bound_statement_is_prepared_once_and_binds_its_values() {
        use diesel::Connection;
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        Bound::new("CREATE TABLE t (a TEXT, b BIGINT, PRIMARY KEY (a))").execute(&mut conn).unwrap();
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            a: String,
            #[diesel(sql_type = BigInt)]
            b: i64,
        }
        for i in 0..3i64 {
            let up =
                Bound::new("INSERT INTO t (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = t.b + excluded.b").bind("x").bind(i + 1);
            assert_eq!(up.execute(&mut conn).unwrap(), 1);
        }
        let got: Vec<Row> = Bound::new(format!("SELECT a, b FROM t WHERE a IN ({})", list(2))).bind("x").bind("y").load(&mut conn).unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!((got[0].a.as_str(), got[0].b), ("x", 6));
        let short = Bound::new("SELECT ?, ?").bind(1).execute(&mut conn);
        assert!(short.is_err());
    }
}
