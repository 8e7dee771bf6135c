use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::code_enum;
use crate::text::{clean_multiline, clean_text};

/// The largest single amount accepted, in đồng (10 billion): anything above is a typing error.
pub const MAX_AMOUNT: i64 = 10_000_000_000;

code_enum! {
    /// What money is for (`funding_item`) — nội dung chi.
    pub enum FundingItem ("funding_item") {
        CaseFee = "case_fee": "Thù lao hòa giải viên theo vụ, việc" / "Mediator fee per case",
        TeamSupport = "team_support": "Hỗ trợ hoạt động của tổ hòa giải" / "Team operating support",
        Training = "training": "Tập huấn, bồi dưỡng hòa giải viên" / "Training of mediators",
        Election = "election": "Bầu hòa giải viên" / "Election of mediators",
        Award = "award": "Khen thưởng" / "Awards",
        IncidentSupport = "incident_support": "Hỗ trợ hòa giải viên gặp tai nạn, rủi ro" / "Support for mediators injured or killed while mediating",
    }
}

code_enum! {
    /// What a rate is counted by (`rate_unit`).
    pub enum RateUnit ("rate_unit") {
        PerCasePerTeam = "per_case_per_team": "Đồng/vụ, việc/tổ hòa giải" / "Per case per team",
        PerTeamPerMonth = "per_team_per_month": "Đồng/tổ hòa giải/tháng" / "Per team per month",
        PerTeamPerYear = "per_team_per_year": "Đồng/tổ hòa giải/năm" / "Per team per year",
        PerEvent = "per_event": "Đồng/cuộc" / "Per event",
        PerPerson = "per_person": "Đồng/người" / "Per person",
    }
}

code_enum! {
    /// The result a case-fee rate applies to (`fee_outcome`); none: every lawful end.
    pub enum FeeOutcome ("fee_outcome") {
        Successful = "successful": "Vụ, việc hòa giải thành" / "Successful cases",
        Unsuccessful = "unsuccessful": "Vụ, việc hòa giải không thành" / "Unsuccessful cases",
    }
}

code_enum! {
    /// Who suffered what (`incident_kind`).
    pub enum IncidentKind ("incident_kind") {
        Injury = "injury": "Bị tai nạn, tổn hại sức khỏe" / "Injury",
        Death = "death": "Thiệt hại về tính mạng" / "Death",
    }
}

code_enum! {
    /// Where a support claim stands (`claim_status`).
    pub enum ClaimStatus ("claim_status") {
        Submitted = "submitted": "Đã đề nghị" / "Submitted",
        Approved = "approved": "Đã quyết định hỗ trợ" / "Approved",
        Rejected = "rejected": "Không được hỗ trợ" / "Rejected",
    }
}

// --- Policies -------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone)]
pub struct PolicyDto {
    pub id: String,
    /// The rate holds for this unit's subtree (usually a province).
    pub unit_id: String,
    /// "Nghị quyết số 96/2014/NQ-HĐND"
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub item: FundingItem,
    /// In đồng.
    pub rate: i64,
    pub rate_unit: RateUnit,
    pub outcome: Option<FeeOutcome>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreatePolicy {
    pub id: Option<Uuid>,
    pub unit_id: Uuid,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub legal_basis: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub item: FundingItem,
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub rate: i64,
    pub rate_unit: RateUnit,
    pub outcome: Option<FeeOutcome>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdatePolicy {
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub legal_basis: Option<String>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub valid_to: Option<Option<NaiveDate>>,
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub rate: Option<i64>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuery {
    /// Policies that apply to this unit (set for it or for a unit above it).
    pub applies_to: Option<Uuid>,
    pub item: Option<FundingItem>,
    /// In force on this day.
    pub on: Option<NaiveDate>,
}

// --- Budgets --------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone)]
pub struct BudgetDto {
    pub id: String,
    pub unit_id: String,
    pub year: i32,
    pub item: FundingItem,
    /// Dự toán, in đồng.
    pub amount: i64,
    /// The decision that approved the estimate.
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateBudget {
    pub id: Option<Uuid>,
    /// The commune; the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[schema(minimum = 1990, maximum = 2100)]
    pub year: i32,
    pub item: FundingItem,
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub amount: i64,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateBudget {
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub amount: Option<i64>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub decision_no: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub decision_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FundingQuery {
    /// This unit and below; the caller's scope when absent.
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
}

// --- Disbursements --------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone)]
pub struct DisbursedCase {
    pub case_id: String,
    /// The part of the disbursement that pays this case.
    pub amount: i64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct DisbursementDto {
    pub id: String,
    /// The paying unit (the commune).
    pub unit_id: String,
    pub paid_on: NaiveDate,
    pub item: FundingItem,
    pub payee_team_id: Option<String>,
    pub payee_mediator_id: Option<String>,
    /// The team's name or the mediator's full name.
    pub payee_name: String,
    /// The team the money went to or through.
    pub team_id: Option<String>,
    pub amount: i64,
    pub voucher_no: Option<String>,
    pub note: Option<String>,
    pub confirmation_list_id: Option<String>,
    pub cases: Vec<DisbursedCase>,
    pub created_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateDisbursement {
    pub id: Option<Uuid>,
    /// The paying unit; the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    pub paid_on: NaiveDate,
    pub item: FundingItem,
    /// Exactly one of `payee_team_id` and `payee_mediator_id`.
    pub payee_team_id: Option<Uuid>,
    pub payee_mediator_id: Option<Uuid>,
    #[validate(range(min = 1, max = 10_000_000_000i64))]
    #[schema(minimum = 1, maximum = 10000000000.0)]
    pub amount: i64,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub voucher_no: Option<String>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub note: Option<String>,
    /// For `case_fee`: the cases this pays (each paid once, ever).
    #[serde(default)]
    #[validate(length(max = 500))]
    #[schema(max_items = 500)]
    pub case_ids: Vec<Uuid>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DisbursementQuery {
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
    pub item: Option<FundingItem>,
    pub team_id: Option<Uuid>,
    pub confirmation_list_id: Option<Uuid>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

// --- Fees -----------------------------------------------------------------------------------

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeeQuery {
    /// The commune (or a unit below it); the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    /// Cases that ended from this day…
    pub from: NaiveDate,
    /// …to this day, inclusive.
    pub to: NaiveDate,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct FeeShare {
    pub mediator_id: String,
    pub full_name: String,
    pub amount: i64,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct WithheldShare {
    pub mediator_id: String,
    pub full_name: String,
    /// `duty_breach`: the mediator breached a duty on this case.
    pub reason: String,
    pub amount: i64,
}

/// One case that ended lawfully in the period and has not been paid: what the rate in force on
/// its end date gives, split among the mediators who took part. No party data.
#[derive(Serialize, ToSchema, Clone)]
pub struct FeeSuggestion {
    pub case_id: String,
    pub team_id: String,
    pub team_name: String,
    /// The case's line (STT) in the team's log book for the year it was received.
    pub logbook_line: i32,
    pub received_year: i32,
    pub ended_on: NaiveDate,
    /// `successful` or `unsuccessful`.
    pub status: String,
    pub policy_id: Option<String>,
    pub legal_basis: Option<String>,
    /// The rate per case per team; `null` with `problem: no_policy`.
    pub rate: Option<i64>,
    pub shares: Vec<FeeShare>,
    pub withheld: Vec<WithheldShare>,
    /// What would be paid: the sum of the shares (the whole rate to the team when no mediator
    /// is recorded).
    pub amount: i64,
    /// Why this case cannot be paid as it stands: `no_policy` (no rate in force for its end
    /// date) or `all_withheld`.
    pub problem: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FeeSuggestions {
    pub unit_id: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub cases: Vec<FeeSuggestion>,
    /// Cases that can be paid now, and the total they come to.
    pub payable_cases: i64,
    pub total: i64,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AcceptFees {
    pub unit_id: Option<Uuid>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Only these suggested cases; every payable one when absent.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_items = 1, max_items = 2000)]
    pub case_ids: Option<Vec<Uuid>>,
    pub paid_on: NaiveDate,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub voucher_no: Option<String>,
    /// Make a confirmation list of the recipients (default: yes).
    pub confirmation_list: Option<bool>,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub title: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AcceptedFees {
    pub paid_cases: i64,
    pub total: i64,
    /// One per recipient.
    pub disbursements: Vec<DisbursementDto>,
    pub confirmation_list_id: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordDutyBreach {
    pub case_id: Uuid,
    pub mediator_id: Uuid,
    /// What duty was breached, and the decision that found it.
    #[validate(length(min = 1, max = 2000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 2000, pattern = "<text>")]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct DutyBreachDto {
    pub case_id: String,
    pub mediator_id: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

// --- Confirmation lists ---------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone)]
pub struct ConfirmationLine {
    /// STT
    pub no: i64,
    pub disbursement_id: String,
    pub payee_name: String,
    pub team_name: Option<String>,
    pub item: FundingItem,
    pub amount: i64,
    pub voucher_no: Option<String>,
    /// The cases paid, as log-book lines: "12/2026, 15/2026".
    pub cases: Vec<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ConfirmationListDto {
    pub id: String,
    pub unit_id: String,
    pub unit_name: String,
    pub title: String,
    pub made_on: NaiveDate,
    /// The signed paper came back to the commune.
    pub signed_returned: bool,
    pub returned_on: Option<NaiveDate>,
    pub notes: Option<String>,
    pub lines: Vec<ConfirmationLine>,
    pub total: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateConfirmationList {
    pub id: Option<Uuid>,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub title: String,
    pub made_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 1000))]
    #[schema(min_items = 1, max_items = 1000)]
    pub disbursement_ids: Vec<Uuid>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateConfirmationList {
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub title: Option<String>,
    pub signed_returned: Option<bool>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub returned_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocumentFormat {
    /// `json` (default), `html` (printable A4) or `xlsx`; CSV where the resource offers it.
    pub format: Option<crate::logbook::dto::LogBookFormat>,
}

// --- Summary --------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone, Default)]
pub struct ItemLine {
    pub item: Option<FundingItem>,
    pub label: String,
    pub budgeted: i64,
    pub disbursed: i64,
    /// disbursed ÷ budgeted; `null` without a budget.
    pub spent_rate: Option<f64>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TeamLine {
    pub team_id: String,
    pub team_name: String,
    /// Disbursed to the team or its mediators, per item.
    pub by_item: Vec<ItemAmount>,
    pub total: i64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ItemAmount {
    pub item: FundingItem,
    pub amount: i64,
}

/// Budget against disbursements for a unit's subtree and year.
#[derive(Serialize, ToSchema, Clone)]
pub struct FundingSummary {
    pub unit_id: String,
    pub unit_name: String,
    pub year: i32,
    pub items: Vec<ItemLine>,
    pub total: ItemLine,
    pub teams: Vec<TeamLine>,
    /// Fee-paid cases in the year, and disbursements not yet on a signed, returned list.
    pub cases_paid: i64,
    pub unconfirmed_disbursements: i64,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: i32,
    /// `json` (default), `csv` (UTF-8 with BOM) or `xlsx`.
    pub format: Option<crate::logbook::dto::LogBookFormat>,
    /// With `format=csv`, the table in the file (one per file): `items` (default: budgeted and
    /// paid by item) or `teams` (paid to each team, by item). The spreadsheet holds both.
    pub table: Option<SummaryTable>,
}

#[derive(Deserialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SummaryTable {
    Items,
    Teams,
}

// --- Incident support -----------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone)]
pub struct IncidentClaimDto {
    pub id: String,
    pub mediator_id: String,
    pub mediator_name: String,
    pub occurred_on: NaiveDate,
    pub case_id: Option<String>,
    pub session_id: Option<String>,
    pub kind: IncidentKind,
    pub description: String,
    pub medical_costs: i64,
    pub lost_income: i64,
    pub funeral_costs: i64,
    pub claimed_total: i64,
    pub status: ClaimStatus,
    pub approved_amount: Option<i64>,
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateIncidentClaim {
    pub id: Option<Uuid>,
    pub mediator_id: Uuid,
    pub occurred_on: NaiveDate,
    /// The case being mediated (or travelled to), when known.
    pub case_id: Option<Uuid>,
    /// The session, when it happened at one: it must belong to `case_id`, which is then required
    /// (422 `required_with_session_id`).
    pub session_id: Option<Uuid>,
    pub kind: IncidentKind,
    #[validate(length(min = 1, max = 4000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<text>")]
    pub description: String,
    #[serde(default)]
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub medical_costs: i64,
    #[serde(default)]
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub lost_income: i64,
    #[serde(default)]
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub funeral_costs: i64,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

/// The decision on a claim.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct DecideIncidentClaim {
    /// `approved` or `rejected`.
    pub status: ClaimStatus,
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub approved_amount: Option<i64>,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub decision_no: String,
    pub decision_date: NaiveDate,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}
