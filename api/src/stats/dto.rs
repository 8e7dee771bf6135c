use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::figures::CaseFigures;
use crate::cases::dto::{Basis, CaseStatus, Category, EndReason};

/// A reporting period: a closed range of days.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct Period {
    /// `2026`, `2026-H1`, `2026-Q3`, `2026-07`, or `2026-03-15..2026-04-14`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `YYYY`, `YYYY-H1|H2` (the official 6 months: 1 Jan – 30 Jun), `YYYY-Q1..Q4`, `YYYY-MM`
    /// or `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let month_end = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            ymd(ny, nm, 1).map(|d| d.pred_opt().unwrap_or(d))
        };
        let make = |from: Option<NaiveDate>, to: Option<NaiveDate>| match (from, to) {
            (Some(from), Some(to)) if from <= to => Some(Period { label: s.to_string(), from, to }),
            _ => None,
        };
        if let Some((a, b)) = s.split_once("..") {
            let from = NaiveDate::parse_from_str(a, "%Y-%m-%d").ok();
            let to = NaiveDate::parse_from_str(b, "%Y-%m-%d").ok();
            return make(from, to);
        }
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s, None),
        };
        let year: i32 = year.parse().ok().filter(|y| (1990..=2100).contains(y))?;
        match rest {
            None => make(ymd(year, 1, 1), ymd(year, 12, 31)),
            Some("H1") => make(ymd(year, 1, 1), ymd(year, 6, 30)),
            Some("H2") => make(ymd(year, 7, 1), ymd(year, 12, 31)),
            Some(q) if q.len() == 2 && q.starts_with('Q') => {
                let n: u32 = q[1..].parse().ok().filter(|n| (1..=4).contains(n))?;
                make(ymd(year, 3 * n - 2, 1), month_end(year, 3 * n))
            }
            Some(m) if m.len() == 2 => {
                let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
                make(ymd(year, m, 1), month_end(year, m))
            }
            _ => None,
        }
    }

    /// The months the period touches, each cut to the period.
    pub fn months(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let (y, m) = (start.year(), start.month());
            let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
            let Some(next) = next else { break };
            let end = next.pred_opt().unwrap_or(next).min(self.to);
            out.push(Period { label: format!("{y}-{m:02}"), from: start, to: end });
            start = next;
        }
        out
    }
}

/// What a breakdown splits by.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BreakdownBy {
    /// The units of `level` inside the unit (e.g. every commune of a district).
    Unit,
    Category,
    Basis,
    Month,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct IndicatorQuery {
    /// The unit to report on (default: the caller's own).
    pub unit_id: Option<Uuid>,
    /// `2026`, `2026-H1` (1 Jan–30 Jun), `2026-Q3`, `2026-07`, or `2026-03-15..2026-04-14`.
    #[validate(length(min = 4, max = 30))]
    #[param(min_length = 4, max_length = 30)]
    pub period: String,
    /// Adds a breakdown: by child unit, category, basis or month.
    pub by: Option<BreakdownBy>,
    /// With `by=unit`: the level of the units to report (default: the level just below).
    pub level: Option<crate::units::dto::UnitLevel>,
    /// `current` (default): by the boundaries in force at the end of the period, so a commune
    /// formed by a merger includes the cases of the communes it absorbed; `historical`: by the
    /// units as they were when each case was recorded.
    pub boundaries: Option<Boundaries>,
    /// `json` (the default), `csv` for the CSV (as `Accept: text/csv`, the one way every CSV of
    /// the API is asked for), or `dhis2` for a DHIS2 data value set (docs/integrations.md).
    pub format: Option<IndicatorFormat>,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorFormat {
    Json,
    Csv,
    /// A DHIS2 data value set (`dataValueSets` JSON): the unit's figures, or with `by=unit` each
    /// unit's case figures; data elements and organisation units by code.
    Dhis2,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Boundaries {
    #[default]
    Current,
    Historical,
}

/// A unit whose figures could not be placed: it was split, and a split needs a manual mapping.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct UnmappedUnit {
    pub unit_id: String,
    pub name: String,
    /// Why: `split`.
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct MediatorFigures {
    /// Serving in a team at the end of the period.
    pub total: i64,
    pub women: i64,
    pub ethnic_minority: i64,
    /// With basic legal training or a law degree.
    pub with_legal_training: i64,
    /// Present at a training held from 1 January of the period's last year to the period's end.
    #[serde(default)]
    pub trained_this_year: i64,
}

/// Money for grassroots mediation in the unit, in đồng.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct FundingFigures {
    /// Budget estimates (dự toán) of the years the period falls in.
    pub budgeted: i64,
    /// Disbursed within the period.
    pub disbursed: i64,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, PartialEq)]
pub struct Figures {
    /// Teams working at the end of the period.
    pub teams: i64,
    pub mediators: MediatorFigures,
    pub cases: CaseFigures,
    #[serde(default)]
    pub funding: FundingFigures,
}

/// A line of a breakdown as computed, before anything is suppressed (`super::small_cells`).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct ComputedLine {
    pub key: String,
    pub label: String,
    pub cases: CaseFigures,
}

/// The indicators as computed, with every real count: what the year-end report and the frozen
/// reports read. The answer of `GET /stats/indicators` is made from it by
/// `super::small_cells::publish`.
#[derive(Serialize, Clone, Debug)]
pub struct ComputedIndicators {
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub period: Period,
    pub overdue_assignments: i64,
    pub figures: Figures,
    pub boundaries: Boundaries,
    pub needs_manual_mapping: Vec<UnmappedUnit>,
    pub breakdown_by: Option<BreakdownBy>,
    pub breakdown: Vec<ComputedLine>,
    pub generated_at: DateTime<Utc>,
    /// The unit is a village, or the lines are villages: small case counts could point at a
    /// household (`small_cells`).
    pub small_area: bool,
}

/// Case figures as answered. For a statistics client (`stats`) a count from 1 to
/// `min_cell` − 1, and any count or rate that would let one be recomputed, is `null`, and
/// `suppressed` is `true`; everyone else always gets numbers (docs/statistics.md, "Small cells").
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct CaseCells {
    /// New + carried over (tiếp nhận = mới + kỳ trước chuyển sang).
    pub received: Option<i64>,
    /// Received within the period.
    pub new: Option<i64>,
    /// Received before the period and without a result (successful or unsuccessful) before it.
    pub carried_over: Option<i64>,
    /// Hòa giải thành.
    pub successful: Option<i64>,
    /// Hòa giải không thành.
    pub unsuccessful: Option<i64>,
    /// Found not for grassroots mediation within the period; counted apart, never in `received`.
    pub out_of_scope: Option<i64>,
    /// `received` − `successful` − `unsuccessful`.
    pub in_progress_at_end: Option<i64>,
    /// successful ÷ (successful + unsuccessful); `null` when nothing was concluded or when
    /// suppressed.
    pub success_rate_of_concluded: Option<f64>,
    /// successful ÷ received; `null` when nothing was received or when suppressed.
    pub success_rate_of_received: Option<f64>,
    /// Some figure of these is `null` because it was suppressed (a small cell).
    pub suppressed: bool,
}

/// The mediators as answered; for a statistics client a count that would single out a person is
/// `null` (see `CaseCells`).
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct MediatorCells {
    /// Serving in a team at the end of the period.
    pub total: Option<i64>,
    pub women: Option<i64>,
    pub ethnic_minority: Option<i64>,
    /// With basic legal training or a law degree.
    pub with_legal_training: Option<i64>,
    /// Present at a training held from 1 January of the period's last year to the period's end.
    pub trained_this_year: Option<i64>,
    /// Some figure of these is `null` because it was suppressed (a small cell).
    pub suppressed: bool,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct IndicatorFigures {
    /// Teams working at the end of the period.
    pub teams: i64,
    pub mediators: MediatorCells,
    pub cases: CaseCells,
    pub funding: FundingFigures,
}

#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct BreakdownLine {
    /// A unit id, a category or basis code, or a month `YYYY-MM`.
    pub key: String,
    /// The unit's name, or the code's Vietnamese label.
    pub label: String,
    pub cases: CaseCells,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct Indicators {
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub period: Period,
    /// Cases in progress now whose start deadline passed with no session (at the time of asking);
    /// `null` when suppressed for a statistics client.
    pub overdue_assignments: Option<i64>,
    pub figures: IndicatorFigures,
    pub boundaries: Boundaries,
    /// Predecessor units left out because they were split: their figures need a manual mapping
    /// and are never guessed.
    pub needs_manual_mapping: Vec<UnmappedUnit>,
    pub breakdown_by: Option<BreakdownBy>,
    pub breakdown: Vec<BreakdownLine>,
    /// The smallest count shown (`HOAGIAI_STATS_MIN_CELL`) when small cells were suppressed, as
    /// for every statistics client (`stats`); `null` for officers, viewers and others, who see
    /// every count.
    pub min_cell: Option<i64>,
    /// When the figures were computed.
    pub generated_at: DateTime<Utc>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseFactsQuery {
    /// Only cases changed at or after this time (RFC 3339).
    pub updated_since: Option<DateTime<Utc>>,
    /// 1–1000 (default 100).
    #[validate(range(min = 1, max = 1000))]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

/// A case as statistics systems may copy it: facts only — never names, addresses or narratives.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct CaseFacts {
    pub id: String,
    pub unit_id: String,
    pub team_id: String,
    pub category: Category,
    pub basis: Basis,
    /// The day received; `null` for a statistics client (`stats`), which gets the month only.
    pub received_on: Option<NaiveDate>,
    /// The month received, `YYYY-MM`, for everyone.
    #[schema(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-03")]
    pub received_month: String,
    pub status: CaseStatus,
    pub end_reason: Option<EndReason>,
    /// The day it ended; `null` while open, and always
    /// for a statistics client (`stats`), which gets the month only.
    pub ended_on: Option<NaiveDate>,
    /// The month it ended, `YYYY-MM`; `null` while open.
    #[schema(pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$", example = "2026-04")]
    pub ended_month: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods() {
        let p = |s| Period::parse(s).map(|p| (p.from, p.to));
        assert_eq!(p("2026"), Some((d("2026-01-01"), d("2026-12-31"))));
        assert_eq!(p("2026-H1"), Some((d("2026-01-01"), d("2026-06-30"))));
        assert_eq!(p("2026-H2"), Some((d("2026-07-01"), d("2026-12-31"))));
        assert_eq!(p("2024-Q1"), Some((d("2024-01-01"), d("2024-03-31"))));
        assert_eq!(p("2026-02"), Some((d("2026-02-01"), d("2026-02-28"))));
        assert_eq!(p("2024-02"), Some((d("2024-02-01"), d("2024-02-29"))));
        assert_eq!(p("2026-12"), Some((d("2026-12-01"), d("2026-12-31"))));
        assert_eq!(p("2026-03-15..2026-04-14"), Some((d("2026-03-15"), d("2026-04-14"))));
        for bad in ["26", "2026-H3", "2026-Q5", "2026-13", "2026-04-14..2026-03-15", "abc", "2026-1"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn months_of_a_quarter() {
        let q = Period::parse("2026-Q1").unwrap();
        let labels: Vec<String> = q.months().into_iter().map(|m| m.label).collect();
        assert_eq!(labels, vec!["2026-01", "2026-02", "2026-03"]);
        let r = Period::parse("2026-01-20..2026-02-10").unwrap();
        let m = r.months();
        assert_eq!((m[0].from, m[0].to, m[1].from, m[1].to), (d("2026-01-20"), d("2026-01-31"), d("2026-02-01"), d("2026-02-10")));
    }
}
