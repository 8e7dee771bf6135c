use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::{Succession, Unit};
use crate::text::clean_text;

/// Level of an administrative unit (`level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Tỉnh / thành phố trực thuộc trung ương
    Province,
    /// Huyện / quận / thị xã / thành phố thuộc tỉnh (only before 2025-07-01)
    District,
    /// Xã / phường / đặc khu
    Commune,
    /// Thôn / tổ dân phố
    Village,
}

impl UnitLevel {
    pub const ALL: [UnitLevel; 4] = [UnitLevel::Province, UnitLevel::District, UnitLevel::Commune, UnitLevel::Village];
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Province => "province",
            UnitLevel::District => "district",
            UnitLevel::Commune => "commune",
            UnitLevel::Village => "village",
        }
    }
    pub fn parse(s: &str) -> Option<UnitLevel> {
        UnitLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

/// Kind of a succession between units (`succession_kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SuccessionKind {
    /// Hợp nhất / sáp nhập
    Merge,
    /// Chia tách
    Split,
    /// Đổi tên
    Rename,
    /// Điều chỉnh địa giới (chuyển về đơn vị khác)
    Transfer,
}

impl SuccessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SuccessionKind::Merge => "merge",
            SuccessionKind::Split => "split",
            SuccessionKind::Rename => "rename",
            SuccessionKind::Transfer => "transfer",
        }
    }
}

/// An administrative unit as it was between `valid_from` and `valid_to`.
#[derive(Serialize, ToSchema)]
pub struct UnitDto {
    pub id: String,
    /// Official code (GSO) for provinces, districts and communes; villages have none.
    pub code: Option<String>,
    pub name: String,
    pub level: UnitLevel,
    pub parent_id: Option<String>,
    /// 0 for a province.
    pub depth: i32,
    /// The village is an ethnic-minority area (drives a team composition rule).
    pub ethnic_minority_area: bool,
    pub valid_from: NaiveDate,
    /// The first day the unit no longer exists; absent while it does.
    pub valid_to: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Unit> for UnitDto {
    fn from(u: Unit) -> Self {
        UnitDto {
            level: UnitLevel::parse(&u.level).unwrap_or(UnitLevel::Village),
            id: u.id,
            code: u.code,
            name: u.name,
            parent_id: u.parent_id,
            depth: u.depth,
            ethnic_minority_area: u.ethnic_minority_area,
            valid_from: u.valid_from,
            valid_to: u.valid_to,
            version: u.version,
            created_at: u.created_at.and_utc(),
            updated_at: u.updated_at.and_utc(),
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateUnit {
    /// Optional id chosen by the client (a retried create with the same id returns the first).
    pub id: Option<Uuid>,
    #[validate(length(min = 1, max = 10), custom(function = "valid_code"))]
    #[schema(min_length = 1, max_length = 10, pattern = r"^[0-9]+$")]
    pub code: Option<String>,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub name: String,
    pub level: UnitLevel,
    /// Required for every level but a province.
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub ethnic_minority_area: bool,
    /// Default: today.
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

fn valid_code(code: &str) -> Result<(), validator::ValidationError> {
    if super::rules::valid_code(code) {
        Ok(())
    } else {
        Err(validator::ValidationError::new("invalid_value").with_message("digits only".into()))
    }
}

/// A correction of a unit. Its place in the tree never changes: a transfer is a new unit with a
/// succession record, so that history keeps rolling up as it was.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateUnit {
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub name: Option<String>,
    /// `null` clears the code.
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub code: Option<Option<String>>,
    pub ethnic_minority_area: Option<bool>,
    pub valid_from: Option<NaiveDate>,
    /// `null` reopens the unit; a date closes it from that day.
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub valid_to: Option<Option<NaiveDate>>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UnitQuery {
    /// Direct children of this unit.
    pub parent_id: Option<Uuid>,
    /// The whole subtree below this unit (the unit itself included).
    pub within: Option<Uuid>,
    pub level: Option<UnitLevel>,
    /// Official code.
    #[validate(length(max = 10))]
    #[param(max_length = 10)]
    pub code: Option<String>,
    /// Text in the name; case and diacritics are ignored ("hoa binh" finds "Hòa Bình").
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    /// Only units that existed on this day.
    pub valid_on: Option<NaiveDate>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SuccessionDto {
    pub id: String,
    pub from_unit_id: String,
    pub to_unit_id: String,
    pub kind: SuccessionKind,
    pub effective_date: NaiveDate,
    /// The decision or resolution (e.g. "Nghị quyết 1669/NQ-UBTVQH15").
    pub legal_basis: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Succession> for SuccessionDto {
    fn from(s: Succession) -> Self {
        SuccessionDto {
            kind: match s.kind.as_str() {
                "split" => SuccessionKind::Split,
                "rename" => SuccessionKind::Rename,
                "transfer" => SuccessionKind::Transfer,
                _ => SuccessionKind::Merge,
            },
            id: s.id,
            from_unit_id: s.from_unit_id,
            to_unit_id: s.to_unit_id,
            effective_date: s.effective_date,
            legal_basis: s.legal_basis,
            created_at: s.created_at.and_utc(),
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateSuccession {
    pub from_unit_id: Uuid,
    pub to_unit_id: Uuid,
    pub kind: SuccessionKind,
    pub effective_date: NaiveDate,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub legal_basis: Option<String>,
}
