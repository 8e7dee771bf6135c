use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::code_enum;
use crate::text::{clean_multiline, clean_text};

code_enum! {
    /// Who is elected (`election_kind`).
    pub enum ElectionKind ("election_kind") {
        Mediator = "mediator": "Bầu hòa giải viên (đại diện hộ gia đình bầu)" / "Election of mediators (by household representatives)",
        Leader = "leader": "Bầu tổ trưởng tổ hòa giải (tổ hòa giải bầu)" / "Election of the team leader (by the team)",
    }
}

#[derive(Deserialize, Serialize, ToSchema, Validate, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct CandidateInput {
    /// The mediator's record when there is one (a leader is always a mediator of the team).
    pub mediator_id: Option<Uuid>,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub full_name: String,
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    pub votes: i32,
    /// Elected, as the minutes declare it; checked against the rule.
    pub elected: bool,
}

/// An election as its minutes record it.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateElection {
    /// Client-chosen id: a retry finds the election already recorded.
    pub id: Option<Uuid>,
    pub team_id: Uuid,
    pub kind: ElectionKind,
    pub held_on: NaiveDate,
    /// Who may vote: the household representatives of the village (mediators), or the team's
    /// mediators (leader).
    #[validate(range(min = 1, max = 100000))]
    #[schema(minimum = 1, maximum = 100000)]
    pub voters: i32,
    /// Ballots (or votes) cast.
    #[validate(range(min = 0, max = 100000))]
    #[schema(minimum = 0, maximum = 100000)]
    pub votes_cast: i32,
    #[validate(length(min = 1, max = 50), nested)]
    #[schema(min_items = 1, max_items = 50)]
    pub candidates: Vec<CandidateInput>,
    /// The minutes (biên bản), attached to the team's log-book year with kind `minutes`.
    pub minutes_attachment_id: Option<Uuid>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

/// The chairman's decision recognising the result.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordRecognition {
    pub decided_on: NaiveDate,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub decision_no: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CandidateDto {
    pub mediator_id: Option<String>,
    pub full_name: String,
    pub votes: i32,
    /// votes ÷ voters (four places).
    pub share: f64,
    pub elected: bool,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ElectionDto {
    pub id: String,
    pub team_id: String,
    pub kind: ElectionKind,
    pub held_on: NaiveDate,
    pub voters: i32,
    pub votes_cast: i32,
    pub candidates: Vec<CandidateDto>,
    pub minutes_attachment_id: Option<String>,
    /// The last day for the chairman's recognition: 5 working days after the election.
    pub recognition_due: NaiveDate,
    pub recognised_on: Option<NaiveDate>,
    pub recognition_decision_no: Option<String>,
    /// Not recognised by the due day (or recognised after it).
    pub overdue: bool,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ElectionQuery {
    pub team_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
    /// `true`: only those still waiting past their due day (or recognised late).
    pub overdue: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct ElectionList {
    pub items: Vec<ElectionDto>,
}

/// The chairman's decision on a village's teams: how many, and how many members each.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateStaffingDecision {
    /// The village (or, for a team serving a whole commune, the commune).
    pub unit_id: Uuid,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub decision_no: String,
    pub decided_on: NaiveDate,
    #[validate(range(min = 1, max = 50))]
    #[schema(minimum = 1, maximum = 50)]
    pub teams: i32,
    /// At least 3, the smallest team the law allows.
    #[validate(range(min = 3, max = 100))]
    #[schema(minimum = 3, maximum = 100)]
    pub members_per_team: i32,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct StaffingDecisionDto {
    pub id: String,
    pub unit_id: String,
    pub decision_no: String,
    pub decided_on: NaiveDate,
    pub teams: i32,
    pub members_per_team: i32,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StaffingQuery {
    /// Decisions for this unit and the units below it; the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct StaffingDecisionList {
    pub items: Vec<StaffingDecisionDto>,
}
