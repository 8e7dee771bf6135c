use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{unit_successions, units};

#[derive(Queryable, QueryableByName, Selectable, Insertable, AsChangeset, Clone, Debug)]
// No `None` means DEFAULT: every column is given, and SQLite takes a multi-row insert (the
// official import's batches) only without DEFAULT values.
#[diesel(table_name = units, treat_none_as_null = true, treat_none_as_default_value = false)]
pub struct Unit {
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub level: String,
    pub parent_id: Option<String>,
    pub path: String,
    pub depth: i32,
    pub ethnic_minority_area: bool,
    pub search_key: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Unit {
    /// The columns, for statements written as text (`db::bound`).
    pub const COLUMNS: &'static str =
        "id, code, name, level, parent_id, path, depth, ethnic_minority_area, search_key, valid_from, valid_to, version, created_at, updated_at";

    /// Whether the unit exists on `day` (valid_to is the first day it no longer does).
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day < to)
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = unit_successions, treat_none_as_default_value = false)]
pub struct Succession {
    pub id: String,
    pub from_unit_id: String,
    pub to_unit_id: String,
    pub kind: String,
    pub effective_date: NaiveDate,
    pub legal_basis: Option<String>,
    pub created_at: NaiveDateTime,
}
