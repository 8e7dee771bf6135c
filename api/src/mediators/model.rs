use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{mediators, memberships};

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = mediators, treat_none_as_null = true)]
pub struct Mediator {
    pub id: String,
    pub full_name: String,
    pub search_key: String,
    pub sex: String,
    pub birth_year: Option<i32>,
    pub ethnic_minority: bool,
    pub unit_id: String,
    pub unit_path: String,
    pub phone: Option<String>,
    pub legal_training: String,
    pub occupation: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = memberships, treat_none_as_null = true)]
pub struct Membership {
    pub id: String,
    pub mediator_id: String,
    pub team_id: String,
    pub role: String,
    pub recognition_decision: Option<String>,
    pub recognition_date: Option<NaiveDate>,
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub end_decision: Option<String>,
    pub end_decision_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub removal_requested_by: Option<String>,
    pub removal_requested_on: Option<NaiveDate>,
    pub removal_reason: Option<String>,
}

impl Membership {
    /// Serving on `day`: from `from_date`, until the day before `to_date`.
    pub fn active_on(&self, day: NaiveDate) -> bool {
        self.from_date <= day && self.to_date.is_none_or(|to| day < to)
    }
}
