use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::code_enum;
use crate::text::{clean_multiline, clean_text};

code_enum! {
    /// What a person asks of the data held about them (`subject_request_kind`; Law 91/2025/QH15).
    pub enum RequestKind ("subject_request_kind") {
        Access = "access": "Yêu cầu được biết, cung cấp dữ liệu cá nhân" / "Access to the data held",
        Correction = "correction": "Yêu cầu chỉnh sửa dữ liệu cá nhân" / "Correction",
        Erasure = "erasure": "Yêu cầu xóa dữ liệu cá nhân" / "Deletion or pseudonymisation",
        Objection = "objection": "Phản đối, yêu cầu hạn chế xử lý dữ liệu cá nhân" / "Objection to or restriction of processing",
    }
}

code_enum! {
    /// Where a request stands (`subject_request_status`).
    pub enum RequestStatus ("subject_request_status") {
        Open = "open": "Đang giải quyết" / "Open",
        Completed = "completed": "Đã đáp ứng" / "Answered",
        Refused = "refused": "Từ chối (có nêu lý do)" / "Refused, with the reason",
    }
}

/// A request as the officer receives it: from a party about their rows in the log book, or from
/// a mediator about their record. It is the officer's commune's: the People's Committee holding
/// the data answers.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    /// Client-chosen id: a retry finds the request already registered.
    pub id: Option<Uuid>,
    pub kind: RequestKind,
    /// The mediator the request is about.
    pub mediator_id: Option<Uuid>,
    /// Or the party rows of the one person it is about (a person may be a party in several cases;
    /// find them with `GET /privacy/parties`).
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    #[serde(default)]
    pub party_ids: Vec<Uuid>,
    /// Who asked: the person, or who represents them.
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub requester_name: String,
    /// The day the request reached the commune; the deadline runs from it.
    pub received_on: NaiveDate,
    /// What is asked, in the person's words (which fields to correct, what to delete).
    #[validate(length(min = 1, max = 4000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<text>")]
    pub details: Option<String>,
}

/// The answer to a request: given (`completed`) or refused with the reason, on a day.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// `completed` or `refused`.
    pub status: RequestStatus,
    pub closed_on: NaiveDate,
    /// What was done (what was given, corrected, pseudonymised), or why it was refused.
    #[validate(length(min = 1, max = 4000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<text>")]
    pub outcome: String,
}

/// A party row a request is about.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct PartyRef {
    pub party_id: String,
    pub case_id: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct RequestDto {
    pub id: String,
    pub unit_id: String,
    pub kind: RequestKind,
    pub mediator_id: Option<String>,
    pub parties: Vec<PartyRef>,
    pub requester_name: String,
    pub received_on: NaiveDate,
    /// The last day to answer: `HOAGIAI_SUBJECT_REQUEST_DAYS` working days after receipt.
    pub due_on: NaiveDate,
    /// Open past its due day, or answered after it.
    pub overdue: bool,
    pub details: Option<String>,
    pub status: RequestStatus,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestList {
    pub items: Vec<RequestDto>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RequestQuery {
    pub status: Option<RequestStatus>,
    /// Only those late (`true`) or in time (`false`).
    pub overdue: Option<bool>,
}

/// Finding a person's rows as a party, to name them in a request.
#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PartyQuery {
    /// The name as the person gives it (case and diacritics ignored; the whole name).
    #[validate(length(min = 2, max = 200))]
    #[param(min_length = 2, max_length = 200)]
    pub name: String,
    /// Narrows namesakes down.
    #[validate(range(min = 1900, max = 2100))]
    #[param(minimum = 1900, maximum = 2100)]
    pub birth_year: Option<i32>,
}

/// A party row with what tells namesakes apart.
#[derive(Serialize, ToSchema, Clone, Debug, diesel::Queryable)]
pub struct PartyMatch {
    pub party_id: String,
    pub case_id: String,
    pub team_id: String,
    pub received_on: NaiveDate,
    pub logbook_line: i32,
    pub full_name: String,
    pub age: Option<i32>,
    pub birth_year: Option<i32>,
    pub address: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PartyMatchList {
    pub items: Vec<PartyMatch>,
}

/// Everything held about the person a request is about: their mediator record (with their
/// memberships, trainings, assignments, candidacies, fees and awards) or, for a party, each case
/// they are a party in with their own row only — never another party's data.
#[derive(Serialize, ToSchema)]
pub struct PersonExport {
    /// The request this answers.
    pub request: RequestDto,
    pub generated_at: DateTime<Utc>,
    pub controller: String,
    pub mediator: Option<MediatorHeld>,
    pub cases: Vec<PartyHeld>,
}

#[derive(Serialize, ToSchema)]
pub struct MediatorHeld {
    pub record: crate::mediators::dto::MediatorDto,
    pub trainings: Vec<TrainingHeld>,
    pub assignments: Vec<AssignmentHeld>,
    pub candidacies: Vec<CandidacyHeld>,
    pub payments: Vec<PaymentHeld>,
    pub awards: Vec<AwardHeld>,
    /// Duties found breached on a case (Decree 15/2014).
    pub duty_breaches: Vec<BreachHeld>,
    /// Claims for support after an accident while mediating (health data: sensitive).
    pub incident_claims: Vec<ClaimHeld>,
    /// Sign-in accounts linked to the record (never their password).
    pub accounts: Vec<AccountHeld>,
}

#[derive(Serialize, ToSchema)]
pub struct TrainingHeld {
    pub training_id: String,
    pub title: String,
    pub starts_on: NaiveDate,
}

#[derive(Serialize, ToSchema, diesel::Queryable)]
pub struct AssignmentHeld {
    pub case_id: String,
    pub team_id: String,
    pub logbook_line: i32,
    pub received_on: NaiveDate,
    pub assigned_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CandidacyHeld {
    pub election_id: String,
    pub held_on: NaiveDate,
    pub kind: String,
    pub votes: i32,
    pub elected: bool,
}

/// Money paid to the mediator (fees per case, support).
#[derive(Serialize, ToSchema)]
pub struct PaymentHeld {
    pub disbursement_id: String,
    pub item: String,
    /// In đồng.
    pub amount: i64,
    pub paid_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct BreachHeld {
    pub case_id: String,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct ClaimHeld {
    pub claim_id: String,
    pub occurred_on: NaiveDate,
    pub kind: String,
    pub description: String,
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct AwardHeld {
    pub year: i32,
    pub title: String,
    pub level: String,
}

#[derive(Serialize, ToSchema)]
pub struct AccountHeld {
    pub username: String,
    pub role: String,
    pub active: bool,
}

/// One case as it concerns one party: the case's facts and narrative, and the party's own row.
#[derive(Serialize, ToSchema)]
pub struct PartyHeld {
    pub case_id: String,
    pub team_id: String,
    pub received_on: NaiveDate,
    pub logbook_line: i32,
    pub category: String,
    pub status: String,
    pub summary: String,
    pub ended_on: Option<NaiveDate>,
    pub agreement_text: Option<String>,
    pub party: crate::cases::dto::PartyDto,
    /// The days the matter was mediated (who else took part is others' data).
    pub sessions: Vec<NaiveDate>,
    /// Photos and scans kept with the case (names and types; the files through the attachments).
    pub attachments: Vec<String>,
    pub pseudonymised_on: Option<NaiveDate>,
}

/// Pseudonymise the officer's commune's closed cases (its predecessors' included) past the
/// retention period.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Pseudonymise {
    /// Keep the parties' data of a case this many years after it closed.
    #[validate(range(min = 1, max = 100))]
    #[schema(minimum = 1, maximum = 100)]
    pub retain_years: i32,
}

#[derive(Serialize, ToSchema)]
pub struct PseudonymisationDone {
    /// Cases closed before this day were pseudonymised.
    pub closed_before: NaiveDate,
    pub cases: i64,
    pub parties: i64,
    /// Photos and scans of those cases removed.
    pub attachments: i64,
}

/// How the export is given.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Json,
    Html,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `json` (default) or `html` (a page to print and hand over, in Vietnamese).
    pub format: Option<ExportFormat>,
}
