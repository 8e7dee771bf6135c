use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{awards, team_ratings};

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = team_ratings, treat_none_as_null = true)]
pub struct TeamRating {
    pub id: String,
    pub team_id: String,
    pub unit_path: String,
    pub year: i32,
    pub scheme_code: String,
    pub results: String,
    pub rating: String,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = awards, treat_none_as_null = true)]
pub struct Award {
    pub id: String,
    pub unit_path: String,
    pub year: i32,
    pub team_id: Option<String>,
    pub mediator_id: Option<String>,
    pub level: String,
    pub title: String,
    pub reason: String,
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub amount: Option<i64>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}
