use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::trainings;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = trainings, treat_none_as_null = true)]
pub struct Training {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub held_on: NaiveDate,
    pub title: String,
    pub organiser: String,
    pub trainer: Option<String>,
    pub level: String,
    pub place: Option<String>,
    pub topics: String,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
