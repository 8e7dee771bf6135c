//! The year-end report of a commune: the plan's indicators, computed from the records, beside
//! the plan's targets (success rate 90%, 100% of mediators trained and of teams properly formed,
//! unless the commune set others).

use std::collections::HashSet;

use diesel::prelude::*;

use super::dto::*;
use super::store;
use crate::auth::Actor;
use crate::db::schema::teams;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::stats::figures::rate;
use crate::teams::model::Team;

fn line(code: &str, label: &str, value: Option<f64>, target: Option<f64>, unit: &str) -> PlanLine {
    let met = match (value, target) {
        (Some(v), Some(t)) => Some(v + 1e-9 >= t),
        _ => None,
    };
    PlanLine { code: code.into(), label: label.into(), value, target, met, unit: unit.into() }
}

pub fn report(conn: &mut DbConn, actor: &Actor, unit_id: Option<uuid::Uuid>, year: i32) -> Result<YearEndReport, ApiError> {
    let unit = crate::units::store::asked_or_own(conn, actor, unit_id)?;
    // Today's boundaries: a commune formed by a merger reports its predecessors' year too.
    let area = crate::units::store::todays_area_of(conn, &unit)?;
    let as_of = crate::trainings::store::as_of(year)?;
    let targets = store::targets(conn, &unit.id, year)?;

    // Cases and mediators: the statistics' own definitions (docs/statistics.md).
    let query = crate::stats::dto::IndicatorQuery {
        unit_id: unit.id.parse().ok(),
        period: year.to_string(),
        by: None,
        level: None,
        boundaries: Some(crate::stats::dto::Boundaries::Current),
        format: None,
    };
    let indicators = crate::stats::store::indicators(conn, actor, &query)?;
    let cases = indicators.figures.cases;

    // Teams working on the day, and the composition rules each breaks.
    let team_ids = crate::trainings::store::teams_on(conn, Some(&area), as_of)?;
    let team_rows: Vec<Team> =
        teams::table.filter(teams::id.eq_any(&team_ids)).select(Team::as_select()).order(teams::name.asc()).load(conn)?;
    let mut not_compliant = Vec::new();
    for t in &team_rows {
        let composition = crate::teams::store::composition_on(conn, t, as_of)?;
        let warnings = crate::teams::rules::warnings(&composition);
        if !warnings.is_empty() {
            not_compliant.push(TeamCompliance { team_id: t.id.clone(), team_name: t.name.clone(), warnings });
        }
    }
    let teams_n = team_rows.len() as i64;
    let compliant = teams_n - not_compliant.len() as i64;

    let coverage = crate::trainings::store::coverage_of(conn, Some(unit.id.clone()), None, &team_ids, year, as_of)?;

    let ratings: Vec<TeamRatingDto> = store::list_ratings(conn, actor, &ReviewQuery { unit_id: unit.id.parse().ok(), year: Some(year) })?
        .into_iter()
        .filter(|r| r.scheme_code == store::DEFAULT_SCHEME)
        .map(|r| store::rating_dto(conn, r))
        .collect::<Result<_, _>>()?;
    let rated: HashSet<&str> = ratings.iter().map(|r| r.team_id.as_str()).collect();
    let achieved = ratings.iter().filter(|r| r.rating == Rating::Achieved).count() as i64;

    let funding = crate::funding::summary::summary_of(conn, &unit.id, &unit.name, &area, year)?;
    let awards: Vec<AwardDto> = store::list_awards(conn, actor, &ReviewQuery { unit_id: unit.id.parse().ok(), year: Some(year) })?
        .into_iter()
        .map(|a| store::award_dto(conn, a))
        .collect::<Result<_, _>>()?;

    let success_target = Some(f64::from(targets.success_rate_pct) / 100.0);
    let count = |n: i64| Some(n as f64);
    let plan = vec![
        line("cases_received", "Số vụ, việc tiếp nhận (kể cả kỳ trước chuyển sang)", count(cases.received), None, "count"),
        line("cases_successful", "Số vụ, việc hòa giải thành", count(cases.successful), None, "count"),
        line("cases_unsuccessful", "Số vụ, việc hòa giải không thành", count(cases.unsuccessful), None, "count"),
        line("cases_in_progress", "Số vụ, việc đang hòa giải (chuyển kỳ sau)", count(cases.in_progress_at_end), None, "count"),
        line("cases_out_of_scope", "Số vụ, việc không thuộc phạm vi hòa giải", count(cases.out_of_scope), None, "count"),
        line(
            "success_rate_of_concluded",
            "Tỷ lệ hòa giải thành (trên số vụ, việc đã kết thúc)",
            cases.success_rate_of_concluded,
            success_target,
            "rate",
        ),
        line(
            "success_rate_of_received",
            "Tỷ lệ hòa giải thành (trên số vụ, việc tiếp nhận)",
            cases.success_rate_of_received,
            success_target,
            "rate",
        ),
        line(
            "mediators_trained",
            "Tỷ lệ hòa giải viên được tập huấn, bồi dưỡng trong năm",
            coverage.trained_rate,
            Some(f64::from(targets.trained_pct) / 100.0),
            "rate",
        ),
        line("teams_compliant", "Tỷ lệ tổ hòa giải được kiện toàn đúng quy định", rate(compliant, teams_n), Some(1.0), "rate"),
        line("teams_rated", "Số tổ hòa giải được đánh giá, xếp loại", count(rated.len() as i64), count(teams_n), "count"),
        line("teams_rated_achieved", "Số tổ hòa giải đạt \"Tổ hòa giải 5 tốt\"", count(achieved), None, "count"),
        line("funding_budgeted", "Kinh phí được giao theo dự toán (đồng)", count(funding.total.budgeted), None, "dong"),
        line("funding_disbursed", "Kinh phí đã chi (đồng)", count(funding.total.disbursed), None, "dong"),
        line("funding_spent_rate", "Tỷ lệ kinh phí đã chi so với dự toán", funding.total.spent_rate, None, "rate"),
        line("awards", "Số tập thể, cá nhân được khen thưởng", count(awards.len() as i64), None, "count"),
    ];
    Ok(YearEndReport {
        unit_id: unit.id,
        unit_name: unit.name,
        year,
        as_of,
        targets,
        plan,
        cases,
        mediators: indicators.figures.mediators,
        teams: teams_n,
        teams_compliant: compliant,
        teams_not_compliant: not_compliant,
        mediators_trained: coverage.trained,
        trained_rate: coverage.trained_rate,
        untrained: coverage.untrained,
        teams_rated: rated.len() as i64,
        teams_rated_achieved: achieved,
        ratings,
        funding: funding.items,
        funding_total: funding.total,
        awards,
        generated_at: chrono::Utc::now(),
    })
}
