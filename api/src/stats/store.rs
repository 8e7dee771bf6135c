use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::*;
use super::figures::case_figures;
use crate::auth::Actor;
use crate::cases::dto::{Basis, Category};
use crate::codes::CodeEnum;
use crate::db::schema::{case_counters, cases, mediators, memberships, teams, units};
use crate::db::{today, DbConn};
use crate::error::ApiError;
use crate::units::dto::UnitLevel;

/// A counter row: (unit path, day, metric, dimension, code, n).
type Row = (String, NaiveDate, String, String, String, i64);

/// The events of one dimension, summed over units and codes that pass `keep`.
fn events<'a>(rows: &'a [Row], dimension: &str, keep: impl Fn(&Row) -> bool) -> Vec<(NaiveDate, &'a str, i64)> {
    rows.iter().filter(|r| r.3 == dimension && keep(r)).map(|r| (r.1, r.2.as_str(), r.5)).collect()
}

/// The level just below, for a breakdown by unit.
fn level_below(conn: &mut DbConn, level: Option<UnitLevel>, pattern: &Option<String>) -> Result<UnitLevel, ApiError> {
    Ok(match level {
        None => UnitLevel::Province,
        Some(UnitLevel::Province) => {
            // Districts where they exist (before 2025), communes otherwise.
            let mut q = units::table.filter(units::level.eq("district")).select(units::id).into_boxed();
            if let Some(p) = pattern {
                q = q.filter(units::path.like(p.clone()));
            }
            if q.first::<String>(conn).optional()?.is_some() {
                UnitLevel::District
            } else {
                UnitLevel::Commune
            }
        }
        Some(UnitLevel::District) => UnitLevel::Commune,
        Some(UnitLevel::Commune) | Some(UnitLevel::Village) => UnitLevel::Village,
    })
}

pub fn indicators(conn: &mut DbConn, actor: &Actor, q: &IndicatorQuery) -> Result<Indicators, ApiError> {
    let period = Period::parse(&q.period).ok_or_else(|| ApiError::invalid_field("period", "invalid_value"))?;
    // The unit reported on: the one asked for, inside the caller's scope, or the caller's own.
    let unit = match (q.unit_id, &actor.unit_id) {
        (Some(id), _) => Some(crate::units::store::find(conn, &actor.scope, &id.to_string())?),
        (None, Some(own)) => Some(crate::units::store::find(conn, &actor.scope, own)?),
        (None, None) => None,
    };
    let pattern = unit.as_ref().map(|u| format!("{}%", u.path));

    let mut counter_query = case_counters::table
        .filter(case_counters::day.le(period.to))
        .select((
            case_counters::unit_path,
            case_counters::day,
            case_counters::metric,
            case_counters::dimension,
            case_counters::code,
            case_counters::n,
        ))
        .into_boxed();
    if let Some(p) = &pattern {
        counter_query = counter_query.filter(case_counters::unit_path.like(p.clone()));
    }
    let rows: Vec<Row> = counter_query.load(conn)?;
    let cases = case_figures(&events(&rows, "category", |_| true), period.from, period.to);

    // Teams and mediators serving at the end of the period.
    let mut team_query = teams::table
        .filter(teams::founded_on.le(period.to))
        .filter(teams::dissolved_on.is_null().or(teams::dissolved_on.gt(period.to)))
        .select(teams::id)
        .into_boxed();
    if let Some(p) = &pattern {
        team_query = team_query.filter(teams::unit_path.like(p.clone()));
    }
    let team_ids: Vec<String> = team_query.load(conn)?;
    let mut people: Vec<(String, String, bool, String)> = memberships::table
        .inner_join(mediators::table)
        .filter(memberships::team_id.eq_any(&team_ids))
        .filter(memberships::from_date.le(period.to))
        .filter(memberships::to_date.is_null().or(memberships::to_date.gt(period.to)))
        .select((mediators::id, mediators::sex, mediators::ethnic_minority, mediators::legal_training))
        .load(conn)?;
    people.sort();
    people.dedup_by(|a, b| a.0 == b.0);
    let mediator_figures = MediatorFigures {
        total: people.len() as i64,
        women: people.iter().filter(|p| p.1 == "female").count() as i64,
        ethnic_minority: people.iter().filter(|p| p.2).count() as i64,
        with_legal_training: people.iter().filter(|p| p.3 != "none").count() as i64,
    };

    let mut overdue_query = cases::table
        .filter(cases::status.eq("in_progress"))
        .filter(cases::started_on.is_null())
        .filter(cases::deadline_exception.is_null())
        .filter(cases::start_deadline.lt(today()))
        .count()
        .into_boxed();
    if let Some(p) = &pattern {
        overdue_query = overdue_query.filter(cases::unit_path.like(p.clone()));
    }
    let overdue_assignments: i64 = overdue_query.get_result(conn)?;

    let breakdown = match q.by {
        None => Vec::new(),
        Some(BreakdownBy::Category) => Category::all()
            .iter()
            .map(|c| BreakdownLine {
                key: c.as_str().into(),
                label: c.labels().0.into(),
                cases: case_figures(&events(&rows, "category", |r| r.4 == c.as_str()), period.from, period.to),
            })
            .collect(),
        Some(BreakdownBy::Basis) => Basis::all()
            .iter()
            .map(|b| BreakdownLine {
                key: b.as_str().into(),
                label: b.labels().0.into(),
                cases: case_figures(&events(&rows, "basis", |r| r.4 == b.as_str()), period.from, period.to),
            })
            .collect(),
        Some(BreakdownBy::Month) => {
            let all = events(&rows, "category", |_| true);
            period
                .months()
                .into_iter()
                .map(|m| BreakdownLine { key: m.label.clone(), label: m.label, cases: case_figures(&all, m.from, m.to) })
                .collect()
        }
        Some(BreakdownBy::Unit) => {
            let own_level = unit.as_ref().and_then(|u| UnitLevel::parse(&u.level));
            let level = match q.level {
                Some(l) => l,
                None => level_below(conn, own_level, &pattern)?,
            };
            let mut child_query = units::table
                .filter(units::level.eq(level.as_str()))
                .filter(units::valid_from.le(period.to))
                .select((units::id, units::name, units::path))
                .order((units::name.asc(), units::id.asc()))
                .into_boxed();
            if let Some(p) = &pattern {
                child_query = child_query.filter(units::path.like(p.clone()));
            }
            let children: Vec<(String, String, String)> = child_query.load(conn)?;
            children
                .into_iter()
                .map(|(id, name, path)| BreakdownLine {
                    cases: case_figures(&events(&rows, "category", |r| r.0.starts_with(&path)), period.from, period.to),
                    key: id,
                    label: name,
                })
                .collect()
        }
    };

    Ok(Indicators {
        unit_id: unit.as_ref().map(|u| u.id.clone()),
        unit_name: unit.map(|u| u.name),
        period,
        overdue_assignments,
        figures: Figures { teams: team_ids.len() as i64, mediators: mediator_figures, cases },
        breakdown_by: q.by,
        breakdown,
        generated_at: chrono::Utc::now(),
    })
}

/// De-identified case facts changed since a time, in (updated_at, id) order, for incremental pulls.
pub fn case_facts(
    conn: &mut DbConn,
    actor: &Actor,
    since: Option<chrono::NaiveDateTime>,
    after: Option<(chrono::NaiveDateTime, String)>,
    limit: i64,
) -> Result<Vec<CaseFacts>, ApiError> {
    let mut q = cases::table
        .select((
            cases::id,
            cases::unit_id,
            cases::team_id,
            cases::category,
            cases::basis,
            cases::received_on,
            cases::status,
            cases::end_reason,
            cases::ended_on,
            cases::updated_at,
        ))
        .into_boxed();
    if let Some(p) = actor.scope.like_pattern() {
        q = q.filter(cases::unit_path.like(p));
    }
    if let Some(s) = since {
        q = q.filter(cases::updated_at.ge(s));
    }
    if let Some((at, id)) = after {
        q = q.filter(cases::updated_at.gt(at).or(cases::updated_at.eq(at).and(cases::id.gt(id))));
    }
    type FactRow = (String, String, String, String, String, NaiveDate, String, Option<String>, Option<NaiveDate>, chrono::NaiveDateTime);
    let rows: Vec<FactRow> = q.order((cases::updated_at.asc(), cases::id.asc())).limit(limit + 1).load(conn)?;
    use crate::cases::dto::{CaseStatus, EndReason};
    Ok(rows
        .into_iter()
        .map(|(id, unit_id, team_id, category, basis, received_on, status, end_reason, ended_on, updated_at)| CaseFacts {
            id,
            unit_id,
            team_id,
            category: Category::parse(&category).unwrap_or(Category::Other),
            basis: Basis::parse(&basis).unwrap_or(Basis::PartyRequest),
            received_on,
            status: CaseStatus::parse(&status).unwrap_or(CaseStatus::Received),
            end_reason: end_reason.as_deref().and_then(EndReason::parse),
            ended_on,
            updated_at: updated_at.and_utc(),
        })
        .collect())
}
