use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::code_enum;
use crate::funding::dto::ItemLine;
use crate::stats::dto::MediatorFigures;
use crate::stats::figures::CaseFigures;
use crate::teams::rules::HealthWarning;
use crate::text::{clean_multiline, clean_text};

code_enum! {
    /// Who gives an award (`award_level`).
    pub enum AwardLevel ("award_level") {
        Commune = "commune": "Chủ tịch UBND cấp xã" / "Commune chairman",
        District = "district": "Chủ tịch UBND cấp huyện (trước 01/7/2025)" / "District chairman (before 1 July 2025)",
        Province = "province": "Chủ tịch UBND cấp tỉnh" / "Province chairman",
        Ministry = "ministry": "Bộ trưởng Bộ Tư pháp" / "Minister of Justice",
        National = "national": "Thủ tướng Chính phủ / Chủ tịch nước" / "Prime Minister / President",
    }
}

code_enum! {
    /// How a criterion is judged (`criterion_kind`).
    pub enum CriterionKind ("criterion_kind") {
        Judgement = "judgement": "Do cán bộ đánh giá" / "Officer's judgement",
        SuccessRateAtLeast = "success_rate_at_least": "Tính từ số liệu: tỷ lệ hòa giải thành tối thiểu" / "Computed: at least this share of concluded cases successful",
    }
}

code_enum! {
    /// A team's rating under a scheme (`rating`).
    pub enum Rating ("rating") {
        Achieved = "achieved": "Đạt" / "Achieved",
        NotAchieved = "not_achieved": "Không đạt" / "Not achieved",
    }
}

#[derive(Serialize, Deserialize, ToSchema, Validate, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub vi: String,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub en: String,
    pub kind: CriterionKind,
    /// For `success_rate_at_least`: the least share of concluded cases that must be successful, in percent.
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub threshold_pct: Option<i32>,
    /// Whether the wording was checked against the scheme's published text (`false`: from
    /// secondary sources; a scheme's owner corrects it).
    #[serde(default)]
    pub confirmed: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct RatingSchemeDto {
    pub code: String,
    pub name: String,
    /// Where the scheme comes from, and what in it is confirmed.
    pub origin: String,
    pub criteria: Vec<Criterion>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateRatingScheme {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub name: String,
    #[validate(length(min = 1, max = 1000), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 1000, pattern = "<plain-text>")]
    pub origin: String,
    #[validate(length(min = 1, max = 20), nested)]
    #[schema(min_items = 1, max_items = 20)]
    pub criteria: Vec<Criterion>,
}

/// An officer's judgement of one criterion.
#[derive(Deserialize, Serialize, ToSchema, Validate, Clone)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
    pub met: bool,
    #[validate(length(max = 1000), custom(function = "clean_multiline"))]
    #[schema(max_length = 1000, pattern = "<text>")]
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct CriterionResult {
    pub code: String,
    pub vi: String,
    pub met: bool,
    /// Computed from the cases (for `success_rate_at_least`), not judged.
    pub computed: bool,
    /// The computed value: successful ÷ concluded in the year, a fraction.
    pub value: Option<f64>,
    pub successful: Option<i64>,
    pub concluded: Option<i64>,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TeamRatingDto {
    pub id: String,
    pub team_id: String,
    pub team_name: String,
    pub year: i32,
    pub scheme_code: String,
    pub results: Vec<CriterionResult>,
    pub rating: Rating,
    pub notes: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateTeamRating {
    pub id: Option<Uuid>,
    pub team_id: Uuid,
    #[validate(range(min = 1990, max = 2100))]
    #[schema(minimum = 1990, maximum = 2100)]
    pub year: i32,
    /// Default: `to_hoa_giai_5_tot`.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub scheme_code: Option<String>,
    /// One for every judged criterion (and for a computed one when the team concluded no case).
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub judgements: Vec<Judgement>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateTeamRating {
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub judgements: Option<Vec<Judgement>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReviewQuery {
    /// This unit and below; the caller's scope when absent.
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AwardDto {
    pub id: String,
    pub year: i32,
    pub team_id: Option<String>,
    pub mediator_id: Option<String>,
    pub recipient_name: String,
    pub level: AwardLevel,
    /// "Giấy khen", "Bằng khen"…
    pub title: String,
    pub reason: String,
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    /// Prize money, in đồng.
    pub amount: Option<i64>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateAward {
    pub id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[schema(minimum = 1990, maximum = 2100)]
    pub year: i32,
    /// Exactly one of `team_id` and `mediator_id`.
    pub team_id: Option<Uuid>,
    pub mediator_id: Option<Uuid>,
    pub level: AwardLevel,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub title: String,
    #[validate(length(min = 1, max = 2000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 2000, pattern = "<text>")]
    pub reason: String,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub decision_no: Option<String>,
    pub decision_date: Option<NaiveDate>,
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    pub amount: Option<i64>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateAward {
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 2000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 2000, pattern = "<text>")]
    pub reason: Option<String>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub decision_no: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub decision_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(range(min = 0, max = 10_000_000_000i64))]
    #[schema(minimum = 0, maximum = 10000000000.0)]
    #[schema(value_type = Option<i64>, nullable)]
    pub amount: Option<Option<i64>>,
}

/// A commune's targets for a year, in percent.
#[derive(Serialize, Deserialize, ToSchema, Validate, Clone)]
#[serde(deny_unknown_fields)]
pub struct PlanTargetsInput {
    /// Successful ÷ concluded cases (default 90).
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub success_rate_pct: i32,
    /// Active mediators trained in the year (default 100).
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub trained_pct: i32,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct PlanTargets {
    pub unit_id: String,
    pub year: i32,
    pub success_rate_pct: i32,
    pub trained_pct: i32,
    /// No targets were set: these are the defaults of the commune plan.
    pub is_default: bool,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearEndQuery {
    /// The commune; the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: i32,
    /// `json` (default) or `html` (printable, in Vietnamese).
    pub format: Option<crate::logbook::dto::LogBookFormat>,
}

/// One line of the plan: the indicator, its value, the target, and whether it is met.
#[derive(Serialize, ToSchema, Clone)]
pub struct PlanLine {
    pub code: String,
    pub label: String,
    /// A count, an amount in đồng, or a fraction (for rates).
    pub value: Option<f64>,
    pub target: Option<f64>,
    /// `null` where there is no target or no value.
    pub met: Option<bool>,
    /// `count`, `rate`, `dong`
    pub unit: String,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TeamCompliance {
    pub team_id: String,
    pub team_name: String,
    pub warnings: Vec<HealthWarning>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct YearEndReport {
    pub unit_id: String,
    pub unit_name: String,
    pub year: i32,
    /// The day team and mediator figures are taken on: the year's end, or today while it runs.
    pub as_of: NaiveDate,
    pub targets: PlanTargets,
    /// The plan's indicators side by side with the targets.
    pub plan: Vec<PlanLine>,
    pub cases: CaseFigures,
    pub mediators: MediatorFigures,
    pub teams: i64,
    pub teams_compliant: i64,
    /// Teams that break a composition rule, with the rules they break.
    pub teams_not_compliant: Vec<TeamCompliance>,
    pub mediators_trained: i64,
    pub trained_rate: Option<f64>,
    pub untrained: Vec<crate::trainings::dto::UntrainedMediator>,
    pub ratings: Vec<TeamRatingDto>,
    pub teams_rated: i64,
    pub teams_rated_achieved: i64,
    pub funding: Vec<ItemLine>,
    pub funding_total: ItemLine,
    pub awards: Vec<AwardDto>,
    pub generated_at: DateTime<Utc>,
}
