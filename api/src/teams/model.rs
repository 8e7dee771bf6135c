use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::teams;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = teams, treat_none_as_null = true)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub search_key: String,
    pub unit_id: String,
    pub unit_path: String,
    pub founded_on: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
