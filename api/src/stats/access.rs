//! The access-to-law standard (chuẩn tiếp cận pháp luật) for a commune and year, as data: each
//! legal basis (Decision 25/2021/QĐ-TTg for the years to 2025, Decision 27/2025/QĐ-TTg from 2026)
//! lists its mediation indicators, the measure each is computed by, the threshold and the evidence
//! it rests on. The exact wording and thresholds are not confirmed (see docs/domain.md): they are
//! rows an administrator can replace, not constants in the code.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Actor;
use crate::code_enum;
use crate::db::schema::{access_standards, cases, confirmation_lists, disbursements, stat_reports, teams, trainings};
use crate::db::{now, DbConn};
use crate::error::ApiError;
use crate::text::clean_text;

code_enum! {
    /// How an indicator is measured from the records (`access_metric`).
    pub enum AccessMetric ("access_metric") {
        CasesHandledPerRules = "cases_handled_per_rules": "Vụ, việc được bắt đầu hòa giải đúng hạn (hoặc có lý do được ghi nhận) trên số vụ, việc đã phân công" / "Cases whose mediation started in time (or with a recorded exception), of the cases assigned",
        SuccessRateOfConcluded = "success_rate_of_concluded": "Hòa giải thành trên số vụ, việc đã kết thúc" / "Successful of concluded cases",
        SuccessRateOfReceived = "success_rate_of_received": "Hòa giải thành trên số vụ, việc tiếp nhận" / "Successful of received cases",
        MediatorsTrained = "mediators_trained": "Hòa giải viên được tập huấn trong năm trên số hòa giải viên" / "Mediators trained in the year, of active mediators",
        TeamsCompliant = "teams_compliant": "Tổ hòa giải đủ thành phần trên số tổ" / "Teams meeting the composition rules, of all teams",
        FundingPaidWithConfirmation = "funding_paid_with_confirmation": "Số tiền đã chi có danh sách ký nhận đã thu về, trên số tiền đã chi (0 nếu không có dự toán)" / "Money paid that is on a signed, returned confirmation list, of all money paid (0 without a budget estimate)",
    }
}

code_enum! {
    /// What an indicator's evidence is (`evidence_kind`).
    pub enum EvidenceKind ("evidence_kind") {
        Logbook = "logbook": "Sổ theo dõi hoạt động hòa giải ở cơ sở" / "Log books",
        Agreements = "agreements": "Văn bản, kết quả hòa giải thành" / "Agreements",
        Reports = "reports": "Báo cáo thống kê về hòa giải ở cơ sở" / "Statistical reports",
        Trainings = "trainings": "Hồ sơ tập huấn, bồi dưỡng" / "Training records",
        Teams = "teams": "Hồ sơ kiện toàn tổ hòa giải" / "Team composition records",
        Funding = "funding": "Dự toán, chứng từ chi kinh phí" / "Budget estimates and disbursements",
        ConfirmationLists = "confirmation_lists": "Danh sách xác nhận nhận tiền" / "Confirmation lists",
    }
}

#[derive(Serialize, Deserialize, ToSchema, Validate, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDefinition {
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub vi: String,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub en: String,
    pub metric: AccessMetric,
    /// The least value (a fraction) that meets the indicator.
    #[validate(range(min = 0.0, max = 1.0))]
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub threshold: f64,
    /// Points when met, where the standard scores by points.
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub points: Option<i32>,
    /// Whether the wording and threshold were checked against the legal text.
    pub confirmed: bool,
    #[serde(default)]
    pub evidence: Vec<EvidenceKind>,
}

#[derive(Serialize, Deserialize, ToSchema, Validate, Clone, Debug)]
#[serde(deny_unknown_fields)]
pub struct StandardDefinition {
    /// `all`: the commune meets the standard's mediation part when every indicator is met;
    /// `points`: when the points of the indicators met reach `pass_mark` (Decision 25/2021 scores
    /// the whole standard out of 100 and passes at 80).
    pub pass_rule: String,
    /// With `points`: the least score that passes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub pass_mark: Option<i32>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    #[validate(length(min = 1, max = 30), nested)]
    #[schema(min_items = 1, max_items = 30)]
    pub indicators: Vec<IndicatorDefinition>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AccessStandard {
    pub code: String,
    pub name: String,
    pub legal_basis: String,
    pub from_year: i32,
    pub to_year: Option<i32>,
    pub definition: StandardDefinition,
    pub version: i32,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PutAccessStandard {
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub name: String,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub legal_basis: String,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub from_year: i32,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub to_year: Option<i32>,
    #[validate(nested)]
    pub definition: StandardDefinition,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AccessQuery {
    /// The commune; the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct EvidenceLink {
    pub kind: EvidenceKind,
    pub title: String,
    /// Where the record is (an API path; the reader's own rights apply).
    pub href: String,
    /// How many records stand behind it (cases, trainings, disbursements…).
    pub count: i64,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct IndicatorResult {
    pub code: String,
    pub vi: String,
    pub en: String,
    pub metric: AccessMetric,
    /// The measure's value (a fraction); `null` when there is nothing to measure.
    pub value: Option<f64>,
    /// What the value was computed from: numerator and denominator.
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub threshold: f64,
    /// `null` when the value is.
    pub met: Option<bool>,
    pub points: Option<i32>,
    pub confirmed: bool,
    pub evidence: Vec<EvidenceLink>,
    /// For a statistics client: `value`, `numerator` and `denominator` are `null` because they
    /// would single out a few people (docs/statistics.md, "Small cells"); `met` stays, the
    /// assessment's published outcome.
    pub suppressed: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AccessAssessment {
    pub unit_id: String,
    pub unit_name: String,
    pub year: i32,
    pub standard_code: String,
    pub standard_name: String,
    pub legal_basis: String,
    pub note: Option<String>,
    pub indicators: Vec<IndicatorResult>,
    /// `all`: every indicator met (`null` while one has no value); `points`: the score reaches
    /// `pass_mark`.
    pub passed: Option<bool>,
    pub pass_rule: String,
    pub pass_mark: Option<i32>,
    /// Points of the indicators met, where the standard scores by points.
    pub points: Option<i32>,
    pub generated_at: chrono::DateTime<chrono::Utc>,
}

type StandardRow = (String, String, String, i32, Option<i32>, String, i32);

fn standard_of(row: StandardRow) -> Result<AccessStandard, ApiError> {
    let (code, name, legal_basis, from_year, to_year, definition, version) = row;
    let definition = serde_json::from_str(&definition).map_err(|e| {
        tracing::error!(error = %e, code, "access standard definition");
        ApiError::internal()
    })?;
    Ok(AccessStandard { code, name, legal_basis, from_year, to_year, definition, version })
}

fn select() -> (
    access_standards::code,
    access_standards::name,
    access_standards::legal_basis,
    access_standards::from_year,
    access_standards::to_year,
    access_standards::definition,
    access_standards::version,
) {
    use access_standards::*;
    (code, name, legal_basis, from_year, to_year, definition, version)
}

pub fn standards(conn: &mut DbConn) -> Result<Vec<AccessStandard>, ApiError> {
    let rows: Vec<StandardRow> = access_standards::table.select(select()).order(access_standards::from_year.asc()).load(conn)?;
    rows.into_iter().map(standard_of).collect()
}

/// Adds or replaces a standard version; its years may not overlap another standard's.
pub fn put_standard(conn: &mut DbConn, actor: &Actor, code: &str, input: PutAccessStandard) -> Result<AccessStandard, ApiError> {
    if code.is_empty() || code.len() > 64 || !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(ApiError::invalid_field("code", "invalid_value"));
    }
    if input.to_year.is_some_and(|t| t < input.from_year) {
        return Err(ApiError::invalid_field("to_year", "invalid_value"));
    }
    check_pass_rule(&input.definition)?;
    for others in standards(conn)?.iter().filter(|s| s.code != code) {
        let apart = input.to_year.is_some_and(|t| t < others.from_year) || others.to_year.is_some_and(|t| t < input.from_year);
        if !apart {
            return Err(
                ApiError::conflict("overlapping_standard").with_extension("standard", serde_json::Value::String(others.code.clone()))
            );
        }
    }
    let old = standards(conn)?.into_iter().find(|s| s.code == code);
    let definition = serde_json::to_string(&input.definition).map_err(|_| ApiError::internal())?;
    let version = old.as_ref().map(|o| o.version + 1).unwrap_or(1);
    diesel::delete(access_standards::table.filter(access_standards::code.eq(code))).execute(conn)?;
    diesel::insert_into(access_standards::table)
        .values((
            access_standards::code.eq(code),
            access_standards::name.eq(input.name.trim()),
            access_standards::legal_basis.eq(input.legal_basis.trim()),
            access_standards::from_year.eq(input.from_year),
            access_standards::to_year.eq(input.to_year),
            access_standards::definition.eq(&definition),
            access_standards::version.eq(version),
            access_standards::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let new = standards(conn)?.into_iter().find(|s| s.code == code).ok_or_else(ApiError::internal)?;
    crate::audit::store::record(
        conn,
        &crate::audit::store::Who::from(actor),
        crate::audit::store::Change {
            action: if old.is_some() { "update" } else { "create" },
            entity: "access_standard",
            entity_id: code,
            unit_path: None,
            old: old.map(|o| serde_json::to_value(o).unwrap_or_default()),
            new: Some(serde_json::to_value(&new).unwrap_or_default()),
        },
    )?;
    Ok(new)
}

/// `all` needs nothing more; `points` needs a pass mark that the indicators' points can reach,
/// and points on every indicator.
fn check_pass_rule(d: &StandardDefinition) -> Result<(), ApiError> {
    match (d.pass_rule.as_str(), d.pass_mark) {
        ("all", None) => Ok(()),
        ("all", Some(_)) => Err(ApiError::invalid_field("definition.pass_mark", "only_with_points")),
        ("points", None) => Err(ApiError::invalid_field("definition.pass_mark", "required")),
        ("points", Some(mark)) => {
            if let Some(i) = d.indicators.iter().position(|x| x.points.is_none()) {
                return Err(ApiError::invalid_field(format!("definition.indicators[{i}].points"), "required"));
            }
            let total: i32 = d.indicators.iter().filter_map(|x| x.points).sum();
            if total > 100 || mark > total {
                return Err(ApiError::invalid_field("definition.pass_mark", "out_of_range"));
            }
            Ok(())
        }
        _ => Err(ApiError::invalid_field("definition.pass_rule", "invalid_value")),
    }
}

/// Whether the standard is met: every indicator (`null` while one has no value), or a score at
/// least the pass mark (an indicator with nothing to measure scores nothing).
pub fn passes(d: &StandardDefinition, met: &[Option<bool>], points: &[Option<i32>]) -> Option<bool> {
    match (d.pass_rule.as_str(), d.pass_mark) {
        ("points", Some(mark)) => {
            let score: i32 = met.iter().zip(points).filter(|(m, _)| **m == Some(true)).filter_map(|(_, p)| *p).sum();
            Some(score >= mark)
        }
        _ => met.iter().copied().collect::<Option<Vec<bool>>>().map(|m| m.iter().all(|x| *x)),
    }
}

/// (numerator, denominator) as a value.
fn fraction(n: i64, d: i64) -> (Option<f64>, Option<f64>, Option<f64>) {
    (crate::stats::figures::rate(n, d), Some(n as f64), Some(d as f64))
}

/// The assessment as the caller may read it: a statistics client's with the measures of a few
/// people suppressed (`min_cell`, `small_cells::protect_assessment`).
pub fn assess(conn: &mut DbConn, actor: &Actor, unit_id: Option<Uuid>, year: i32, min_cell: i64) -> Result<AccessAssessment, ApiError> {
    let unit = crate::units::store::asked_or_own(conn, actor, unit_id)?;
    let rows: Vec<StandardRow> = access_standards::table
        .filter(access_standards::from_year.le(year))
        .filter(access_standards::to_year.is_null().or(access_standards::to_year.ge(year)))
        .select(select())
        .load(conn)?;
    let standard = rows.into_iter().next().map(standard_of).transpose()?.ok_or_else(|| {
        ApiError::new(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, "no_standard")
            .with_detail("Chưa có bộ tiêu chí tiếp cận pháp luật cho năm này", "No access-to-law standard is recorded for this year")
    })?;
    let year_end = crate::review::year_end::report(conn, actor, unit.id.parse().ok(), year)?;
    let plan = |code: &str| year_end.plan.iter().find(|l| l.code == code).cloned();
    // Today's boundaries, as the year-end report: a merged commune is assessed with its predecessors.
    let area = crate::units::store::todays_area_of(conn, &unit)?;

    // Cases assigned in the year's intake, and those that started in time or with a recorded reason.
    let assigned: Vec<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, Option<String>)> = cases::table
        .filter(area.contains(cases::unit_path))
        .filter(cases::received_year.eq(year))
        .filter(cases::status.ne("out_of_scope"))
        .filter(cases::start_deadline.is_not_null())
        .select((cases::start_deadline, cases::started_on, cases::deadline_exception))
        .load(conn)?;
    let in_time = assigned
        .iter()
        .filter(|(deadline, started, exception)| exception.is_some() || matches!((started, deadline), (Some(s), Some(d)) if s <= d))
        .count() as i64;

    let (from, to) = crate::trainings::store::year_bounds(year)?;
    let paid: Vec<(i64, Option<String>)> = disbursements::table
        .filter(area.contains(disbursements::unit_path))
        .filter(disbursements::paid_year.eq(year))
        .select((disbursements::amount, disbursements::confirmation_list_id))
        .load(conn)?;
    let lists: Vec<(String, String, bool)> = confirmation_lists::table
        .filter(area.contains(confirmation_lists::unit_path))
        .filter(confirmation_lists::made_on.ge(from))
        .filter(confirmation_lists::made_on.le(to))
        .select((confirmation_lists::id, confirmation_lists::title, confirmation_lists::signed_returned))
        .order(confirmation_lists::made_on.asc())
        .load(conn)?;
    let returned: Vec<&String> = lists.iter().filter(|l| l.2).map(|l| &l.0).collect();
    let paid_total: i64 = paid.iter().map(|p| p.0).sum();
    let confirmed_total: i64 = paid.iter().filter(|p| p.1.as_ref().is_some_and(|l| returned.contains(&l))).map(|p| p.0).sum();

    let evidence = |conn: &mut DbConn, kind: EvidenceKind| -> Result<Vec<EvidenceLink>, ApiError> {
        let link = |title: String, href: String, count: i64| EvidenceLink { kind, title, href, count };
        Ok(match kind {
            EvidenceKind::Logbook => {
                let team_rows: Vec<(String, String)> = teams::table
                    .filter(area.contains(teams::unit_path))
                    .select((teams::id, teams::name))
                    .order(teams::name.asc())
                    .load(conn)?;
                let mut out = Vec::new();
                for (id, name) in team_rows {
                    let n: i64 =
                        cases::table.filter(cases::team_id.eq(&id)).filter(cases::received_year.eq(year)).count().get_result(conn)?;
                    if n > 0 {
                        out.push(link(
                            format!("Sổ theo dõi hoạt động hòa giải ở cơ sở – {name} – năm {year}"),
                            format!("/api/v1/teams/{id}/logbook?year={year}&format=html"),
                            n,
                        ));
                    }
                }
                out
            }
            EvidenceKind::Agreements => {
                let n: i64 = cases::table
                    .filter(area.contains(cases::unit_path))
                    .filter(cases::ended_year.eq(year))
                    .filter(cases::status.eq("successful"))
                    .count()
                    .get_result(conn)?;
                vec![link(format!("Vụ, việc hòa giải thành năm {year}"), format!("/api/v1/cases?within={}&status=successful", unit.id), n)]
            }
            EvidenceKind::Reports => stat_reports::table
                .filter(stat_reports::unit_id.eq(&unit.id))
                .filter(stat_reports::year.eq(year))
                .filter(stat_reports::superseded_by.is_null())
                .select((stat_reports::id, stat_reports::kind, stat_reports::report_version))
                .load::<(String, String, i32)>(conn)?
                .into_iter()
                .map(|(id, kind, v)| {
                    link(format!("Báo cáo {kind} năm {year}, lần {v}"), format!("/api/v1/stats/reports/{id}?format=xlsx"), 1)
                })
                .collect(),
            EvidenceKind::Trainings => {
                let n: i64 = trainings::table
                    .filter(area.contains(trainings::unit_path))
                    .filter(trainings::held_on.ge(from))
                    .filter(trainings::held_on.le(to))
                    .count()
                    .get_result(conn)?;
                vec![link(
                    format!("Tập huấn, bồi dưỡng năm {year}"),
                    format!("/api/v1/trainings/coverage?unit_id={}&year={year}", unit.id),
                    n,
                )]
            }
            EvidenceKind::Teams => {
                vec![link(
                    format!("Tổ hòa giải chưa đủ thành phần năm {year}"),
                    format!("/api/v1/review/year-end?unit_id={}&year={year}", unit.id),
                    year_end.teams_not_compliant.len() as i64,
                )]
            }
            EvidenceKind::Funding => {
                vec![link(
                    format!("Tổng hợp kinh phí năm {year}"),
                    format!("/api/v1/funding/summary?unit_id={}&year={year}&format=xlsx", unit.id),
                    paid.len() as i64,
                )]
            }
            EvidenceKind::ConfirmationLists => lists
                .iter()
                .map(|(id, title, signed)| {
                    link(
                        format!("{title}{}", if *signed { " (đã ký, thu về)" } else { " (chưa thu về)" }),
                        format!("/api/v1/funding/confirmation-lists/{id}?format=html"),
                        1,
                    )
                })
                .collect(),
        })
    };

    let mut results = Vec::new();
    for def in &standard.definition.indicators {
        let (value, numerator, denominator) = match def.metric {
            AccessMetric::CasesHandledPerRules => fraction(in_time, assigned.len() as i64),
            AccessMetric::SuccessRateOfConcluded => {
                let c = &year_end.cases;
                fraction(c.successful, c.successful + c.unsuccessful)
            }
            AccessMetric::SuccessRateOfReceived => fraction(year_end.cases.successful, year_end.cases.received),
            AccessMetric::MediatorsTrained => (
                plan("mediators_trained").and_then(|l| l.value),
                Some(year_end.mediators_trained as f64),
                Some(year_end.mediators.total as f64),
            ),
            AccessMetric::TeamsCompliant => fraction(year_end.teams_compliant, year_end.teams),
            AccessMetric::FundingPaidWithConfirmation if year_end.funding_total.budgeted == 0 => (Some(0.0), Some(0.0), Some(0.0)),
            AccessMetric::FundingPaidWithConfirmation => match paid_total {
                0 => (Some(0.0), Some(0.0), Some(0.0)),
                _ => fraction(confirmed_total, paid_total),
            },
        };
        let met = value.map(|v| v + 1e-9 >= def.threshold);
        let mut links = Vec::new();
        for kind in &def.evidence {
            links.extend(evidence(conn, *kind)?);
        }
        results.push(IndicatorResult {
            code: def.code.clone(),
            vi: def.vi.clone(),
            en: def.en.clone(),
            metric: def.metric,
            value,
            numerator,
            denominator,
            threshold: def.threshold,
            met,
            points: def.points,
            confirmed: def.confirmed,
            evidence: links,
            suppressed: false,
        });
    }
    let met: Vec<Option<bool>> = results.iter().map(|r| r.met).collect();
    let each: Vec<Option<i32>> = results.iter().map(|r| r.points).collect();
    let passed = passes(&standard.definition, &met, &each);
    let scored = results.iter().any(|r| r.points.is_some());
    let points = scored.then(|| results.iter().filter(|r| r.met == Some(true)).filter_map(|r| r.points).sum());
    let mut assessment = AccessAssessment {
        unit_id: unit.id,
        unit_name: unit.name,
        year,
        standard_code: standard.code,
        standard_name: standard.name,
        legal_basis: standard.legal_basis,
        pass_rule: standard.definition.pass_rule.clone(),
        pass_mark: standard.definition.pass_mark,
        note: standard.definition.note,
        indicators: results,
        passed,
        points,
        generated_at: chrono::Utc::now(),
    };
    if !super::small_cells::sees_exact_figures(actor) {
        super::small_cells::protect_assessment(&mut assessment, min_cell);
    }
    Ok(assessment)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(rule: &str, mark: Option<i32>, points: &[Option<i32>]) -> StandardDefinition {
        StandardDefinition {
            pass_rule: rule.into(),
            pass_mark: mark,
            note: None,
            indicators: points
                .iter()
                .enumerate()
                .map(|(i, p)| IndicatorDefinition {
                    code: format!("i{i}"),
                    vi: "x".into(),
                    en: "x".into(),
                    metric: AccessMetric::SuccessRateOfConcluded,
                    threshold: 0.8,
                    points: *p,
                    confirmed: false,
                    evidence: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn a_points_standard_passes_at_its_mark() {
        let d = def("points", Some(80), &[Some(50), Some(30), Some(20)]);
        assert!(check_pass_rule(&d).is_ok());
        let pts = [Some(50), Some(30), Some(20)];
        assert_eq!(passes(&d, &[Some(true), Some(true), Some(false)], &pts), Some(true), "50 + 30 = 80");
        assert_eq!(passes(&d, &[Some(true), Some(false), Some(true)], &pts), Some(false), "50 + 20 = 70");
        assert_eq!(passes(&d, &[Some(true), None, Some(true)], &pts), Some(false), "nothing to measure scores nothing");
        let all = def("all", None, &[None, None]);
        assert_eq!(passes(&all, &[Some(true), None], &[None, None]), None);
        assert_eq!(passes(&all, &[Some(true), Some(false)], &[None, None]), Some(false));
    }

    #[test]
    fn a_points_standard_is_checked() {
        assert!(check_pass_rule(&def("points", None, &[Some(50)])).is_err());
        assert!(check_pass_rule(&def("points", Some(90), &[Some(50), Some(30)])).is_err(), "a mark no score reaches");
        assert!(check_pass_rule(&def("points", Some(50), &[Some(50), None])).is_err(), "every indicator scores");
        assert!(check_pass_rule(&def("all", Some(50), &[None])).is_err());
        assert!(check_pass_rule(&def("average", None, &[None])).is_err());
    }
}
