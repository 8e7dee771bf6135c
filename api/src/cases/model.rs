use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{case_assignments, case_conflicts, case_escalations, case_follow_ups, case_parties, case_sessions, cases};

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = cases, treat_none_as_null = true)]
pub struct Case {
    pub id: String,
    pub team_id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub received_on: NaiveDate,
    pub received_year: i32,
    pub received_month: i32,
    pub logbook_line: i32,
    pub logbook_volume: Option<i32>,
    pub basis: String,
    pub referring_body: Option<String>,
    pub category: String,
    pub summary: String,
    pub summary_key: String,
    pub status: String,
    pub out_of_scope_reason: Option<String>,
    pub out_of_scope_referred_to: Option<String>,
    pub deadline_days: i32,
    pub start_deadline: Option<NaiveDate>,
    pub deadline_exception: Option<String>,
    pub deadline_exception_note: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub ended_year: Option<i32>,
    pub ended_month: Option<i32>,
    pub agreement_text: Option<String>,
    pub referral_body: Option<String>,
    pub referral_date: Option<NaiveDate>,
    pub written_agreement_date: Option<NaiveDate>,
    pub written_agreement_signature: Option<String>,
    pub for_court_recognition: bool,
    pub notes: Option<String>,
    pub created_by: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// A case carried on by a successor team: the team that received it, its line in that team's
    /// book (kept and shown), and the day it moved.
    pub transferred_from_team_id: Option<String>,
    pub transferred_from_line: Option<i32>,
    pub transferred_on: Option<NaiveDate>,
    /// The day the parties' data and the narratives were pseudonymised after the retention period
    /// (`privacy`); the facts the statistics count are kept.
    pub pseudonymised_on: Option<NaiveDate>,
}

/// The year and month a case is filed under for a day (its log book's year, the statistics'
/// month): kept beside the day as copies so that the counters and the book's numbering read an
/// indexed integer, set by every write of the day and checked by `cases::copies`.
pub fn year_and_month(day: NaiveDate) -> (i32, i32) {
    (day.year(), day.month() as i32)
}

impl Case {
    /// Ends the case on a day, with the copies of its year and month.
    pub fn set_ended_on(&mut self, day: NaiveDate) {
        let (year, month) = year_and_month(day);
        self.ended_on = Some(day);
        self.ended_year = Some(year);
        self.ended_month = Some(month);
    }
}

/// The columns of a case that a list shows (`store::list`): a page reads these, not the whole
/// record with its narratives, agreement and notes, which a list never shows.
#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = cases)]
pub struct ListedCase {
    pub id: String,
    pub team_id: String,
    pub unit_id: String,
    pub received_on: NaiveDate,
    pub logbook_line: i32,
    pub basis: String,
    pub category: String,
    pub summary: String,
    pub status: String,
    pub start_deadline: Option<NaiveDate>,
    pub deadline_exception: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, serde::Deserialize)]
#[diesel(table_name = case_parties, treat_none_as_null = true)]
pub struct Party {
    pub id: String,
    pub case_id: String,
    /// The case's team (`cases.team_id`), kept beside the name for the possible-duplicate check.
    pub team_id: String,
    pub position: i32,
    pub kind: String,
    pub role: String,
    pub full_name: String,
    pub name_key: String,
    pub age: Option<i32>,
    pub birth_year: Option<i32>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub demand: Option<String>,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Deserialize)]
#[diesel(table_name = case_assignments)]
pub struct Assignment {
    pub id: String,
    pub case_id: String,
    pub mediator_id: String,
    pub assigned_on: NaiveDate,
    pub chosen_by: String,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub end_note: Option<String>,
    #[serde(deserialize_with = "crate::db::json::timestamp")]
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Deserialize)]
#[diesel(table_name = case_conflicts)]
pub struct Conflict {
    pub case_id: String,
    pub mediator_id: String,
    pub note: Option<String>,
    #[serde(deserialize_with = "crate::db::json::timestamp")]
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Deserialize)]
#[diesel(table_name = case_sessions)]
pub struct Session {
    pub id: String,
    pub case_id: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    #[serde(deserialize_with = "crate::db::json::flag")]
    pub is_public: bool,
    pub participants: String,
    pub notes: Option<String>,
    #[serde(deserialize_with = "crate::db::json::timestamp")]
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Deserialize)]
#[diesel(table_name = case_escalations)]
pub struct Escalation {
    pub id: String,
    pub case_id: String,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub notified: String,
    pub notes: Option<String>,
    #[serde(deserialize_with = "crate::db::json::timestamp")]
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Deserialize)]
#[diesel(table_name = case_follow_ups)]
pub struct FollowUp {
    pub id: String,
    pub case_id: String,
    pub checked_on: NaiveDate,
    pub status: String,
    pub notes: Option<String>,
    #[serde(deserialize_with = "crate::db::json::timestamp")]
    pub created_at: NaiveDateTime,
}
