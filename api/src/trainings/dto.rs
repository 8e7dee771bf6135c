use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::code_enum;
use crate::text::{clean_multiline, clean_text};

code_enum! {
    /// Who held a training (`training_level`).
    pub enum TrainingLevel ("training_level") {
        Commune = "commune": "Cấp xã" / "Commune",
        District = "district": "Cấp huyện (trước 01/7/2025)" / "District (before 1 July 2025)",
        Province = "province": "Cấp tỉnh" / "Province",
        National = "national": "Cấp trung ương" / "National",
    }
}

#[derive(Deserialize, Serialize, ToSchema, Validate, Clone)]
#[serde(deny_unknown_fields)]
pub struct AttendanceInput {
    pub mediator_id: Uuid,
    /// Có mặt (`true`) or vắng mặt (`false`).
    pub present: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AttendanceDto {
    pub mediator_id: String,
    pub full_name: String,
    pub present: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct TrainingDto {
    pub id: String,
    /// The unit that keeps the record (usually the commune).
    pub unit_id: String,
    pub held_on: NaiveDate,
    pub title: String,
    /// "Phòng Tư pháp huyện Thanh Miện", "Sở Tư pháp"…
    pub organiser: String,
    pub trainer: Option<String>,
    pub level: TrainingLevel,
    pub place: Option<String>,
    pub topics: Vec<String>,
    pub notes: Option<String>,
    pub attendance: Vec<AttendanceDto>,
    pub present_count: i64,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn topics_ok(topics: &[String]) -> Result<(), validator::ValidationError> {
    for t in topics {
        if t.trim().is_empty() || t.chars().count() > 200 {
            return Err(validator::ValidationError::new("invalid_value"));
        }
        clean_text(t)?;
    }
    Ok(())
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateTraining {
    pub id: Option<Uuid>,
    /// The unit that keeps the record; the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    pub held_on: NaiveDate,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub title: String,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub organiser: String,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub trainer: Option<String>,
    pub level: TrainingLevel,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub place: Option<String>,
    #[serde(default)]
    #[validate(length(max = 30), custom(function = "topics_ok"))]
    #[schema(max_items = 30)]
    pub topics: Vec<String>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(max_items = 2000)]
    pub attendance: Vec<AttendanceInput>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateTraining {
    pub held_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub title: Option<String>,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub organiser: Option<String>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub trainer: Option<Option<String>>,
    pub level: Option<TrainingLevel>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub place: Option<Option<String>>,
    #[validate(length(max = 30), custom(function = "topics_ok"))]
    #[schema(max_items = 30)]
    pub topics: Option<Vec<String>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
    /// Replaces the whole attendance list.
    #[validate(length(max = 2000))]
    #[schema(max_items = 2000)]
    pub attendance: Option<Vec<AttendanceInput>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TrainingQuery {
    /// Trainings kept at this unit or below.
    pub within: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: Option<i32>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CoverageQuery {
    /// A commune (or any unit); the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    /// One team only (team leaders: their own team).
    pub team_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: i32,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct UntrainedMediator {
    pub mediator_id: String,
    pub full_name: String,
    pub team_id: String,
    pub team_name: String,
}

/// Training coverage of the mediators serving on `as_of` (the year's last day, or today for the
/// current year): who attended at least one training held in the year.
#[derive(Serialize, ToSchema, Clone)]
pub struct Coverage {
    pub unit_id: Option<String>,
    pub team_id: Option<String>,
    pub year: i32,
    pub as_of: NaiveDate,
    pub active_mediators: i64,
    pub trained: i64,
    /// trained ÷ active mediators, a fraction (0.9 = 90%); `null` when there are none.
    pub trained_rate: Option<f64>,
    /// Trainings held in the year that these mediators attended.
    pub trainings_attended: i64,
    /// Those still to train, by team and name, for planning the next session.
    pub untrained: Vec<UntrainedMediator>,
}
