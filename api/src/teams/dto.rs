use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::Team;
use super::rules::HealthWarning;
use crate::text::{clean_multiline, clean_text};

#[derive(Serialize, ToSchema, Clone)]
pub struct TeamDto {
    pub id: String,
    /// "Tổ hòa giải thôn Hội Yên"
    pub name: String,
    /// The village the team serves.
    pub unit_id: String,
    pub founded_on: NaiveDate,
    /// The day the team was dissolved (giải thể); absent while it works.
    pub dissolved_on: Option<NaiveDate>,
    pub notes: Option<String>,
    /// The teams this one continues (after a re-forming or a village merge).
    pub predecessor_ids: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TeamDto {
    pub fn new(t: Team, predecessor_ids: Vec<String>) -> Self {
        TeamDto {
            id: t.id,
            name: t.name,
            unit_id: t.unit_id,
            founded_on: t.founded_on,
            dissolved_on: t.dissolved_on,
            notes: t.notes,
            predecessor_ids,
            version: t.version,
            created_at: t.created_at.and_utc(),
            updated_at: t.updated_at.and_utc(),
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateTeam {
    pub id: Option<Uuid>,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub name: String,
    /// A village (thôn / tổ dân phố).
    pub unit_id: Uuid,
    pub founded_on: NaiveDate,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub predecessor_ids: Vec<Uuid>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateTeam {
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub name: Option<String>,
    pub founded_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub dissolved_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "crate::text::clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub predecessor_ids: Option<Vec<Uuid>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TeamQuery {
    /// Teams at this unit or below.
    pub within: Option<Uuid>,
    /// Only teams working today (`true`) or dissolved (`false`).
    pub active: Option<bool>,
    /// Name contains (case and diacritics ignored).
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// The team's composition today against the law's rules.
#[derive(Serialize, ToSchema)]
pub struct TeamHealth {
    pub team_id: String,
    pub active_mediators: i64,
    pub women: i64,
    pub ethnic_minority: i64,
    pub leaders: i64,
    pub ethnic_minority_area: bool,
    /// Empty when every rule is met.
    pub warnings: Vec<HealthWarning>,
}
