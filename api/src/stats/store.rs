use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::dto::*;
use super::figures::case_figures;
use crate::auth::Actor;
use crate::cases::dto::{Basis, Category};
use crate::codes::CodeEnum;
use crate::db::schema::{
    budgets, case_counters, cases, disbursements, mediators, memberships, teams, training_attendance, trainings, unit_successions, units,
};
use crate::db::{today, DbConn};
use crate::error::ApiError;
use crate::units::dto::UnitLevel;

/// A counter row: (unit path, day, metric, dimension, code, n).
type Row = (String, NaiveDate, String, String, String, i64);

/// The events of one dimension, summed over units and codes that pass `keep`.
fn events<'a>(rows: &'a [Row], dimension: &str, keep: impl Fn(&Row) -> bool) -> Vec<(NaiveDate, &'a str, i64)> {
    rows.iter().filter(|r| r.3 == dimension && keep(r)).map(|r| (r.1, r.2.as_str(), r.5)).collect()
}

/// The subtrees whose counters make up a unit's figures. Historical: the unit's own. Current: also
/// every unit that merged into it, was renamed to it or was transferred to it (transitively);
/// a split predecessor is reported as needing a manual mapping instead of being guessed.
fn sources(
    conn: &mut DbConn,
    unit_id: &str,
    path: &str,
    boundaries: Boundaries,
    unmapped: &mut Vec<UnmappedUnit>,
) -> Result<Vec<String>, ApiError> {
    let mut paths = vec![path.to_string()];
    if boundaries == Boundaries::Historical {
        return Ok(paths);
    }
    let mut queue = vec![unit_id.to_string()];
    let mut seen = vec![unit_id.to_string()];
    while let Some(current) = queue.pop() {
        let preds: Vec<(String, String, String, String)> = unit_successions::table
            .inner_join(units::table.on(units::id.eq(unit_successions::from_unit_id)))
            .filter(unit_successions::to_unit_id.eq(&current))
            .select((units::id, units::name, units::path, unit_successions::kind))
            .load(conn)?;
        for (id, name, pred_path, kind) in preds {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            if kind == "split" {
                if !unmapped.iter().any(|u| u.unit_id == id) {
                    unmapped.push(UnmappedUnit { unit_id: id, name, reason: "split".into() });
                }
                continue;
            }
            paths.push(pred_path);
            queue.push(id);
        }
    }
    // A path inside another already counted adds nothing (and must not count twice).
    paths.sort();
    let mut kept: Vec<String> = Vec::new();
    for p in paths {
        if !kept.iter().any(|k| p.starts_with(k.as_str())) {
            kept.push(p);
        }
    }
    Ok(kept)
}

fn counter_rows(conn: &mut DbConn, paths: Option<&[String]>, to: NaiveDate) -> Result<Vec<Row>, ApiError> {
    let select = (
        case_counters::unit_path,
        case_counters::day,
        case_counters::metric,
        case_counters::dimension,
        case_counters::code,
        case_counters::n,
    );
    match paths {
        None => Ok(case_counters::table.filter(case_counters::day.le(to)).select(select).load(conn)?),
        Some(paths) => {
            let mut rows = Vec::new();
            for p in paths {
                rows.extend(
                    case_counters::table
                        .filter(case_counters::day.le(to))
                        .filter(case_counters::unit_path.like(format!("{p}%")))
                        .select(select)
                        .load::<Row>(conn)?,
                );
            }
            Ok(rows)
        }
    }
}

/// The level just below, for a breakdown by unit.
fn level_below(conn: &mut DbConn, level: Option<UnitLevel>, pattern: &Option<String>, day: NaiveDate) -> Result<UnitLevel, ApiError> {
    Ok(match level {
        None => UnitLevel::Province,
        Some(UnitLevel::Province) => {
            // Districts where they exist on the period's last day (before the 2025 reform),
            // communes otherwise.
            let mut q = units::table
                .filter(units::level.eq("district"))
                .filter(units::valid_from.le(day))
                .filter(units::valid_to.is_null().or(units::valid_to.gt(day)))
                .select(units::id)
                .into_boxed();
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

/// Of these mediators, those present at a training held from 1 January of `to`'s year to `to`.
fn trained_this_year(conn: &mut DbConn, mediator_ids: &[String], to: NaiveDate) -> Result<i64, ApiError> {
    let from = NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to);
    let mut ids: Vec<String> = training_attendance::table
        .inner_join(trainings::table)
        .filter(training_attendance::mediator_id.eq_any(mediator_ids))
        .filter(training_attendance::present.eq(true))
        .filter(trainings::held_on.ge(from))
        .filter(trainings::held_on.le(to))
        .select(training_attendance::mediator_id)
        .load(conn)?;
    ids.sort();
    ids.dedup();
    Ok(ids.len() as i64)
}

/// Budgets of the years the period touches and money disbursed within it, under the paths.
fn funding_figures(conn: &mut DbConn, paths: Option<&[String]>, period: &Period) -> Result<FundingFigures, ApiError> {
    let scopes: Vec<Option<&String>> = match paths {
        Some(ps) => ps.iter().map(Some).collect(),
        None => vec![None],
    };
    let mut out = FundingFigures::default();
    for p in scopes {
        let mut b = budgets::table
            .filter(budgets::year.ge(period.from.year()))
            .filter(budgets::year.le(period.to.year()))
            .select(budgets::amount)
            .into_boxed();
        let mut d = disbursements::table
            .filter(disbursements::paid_on.ge(period.from))
            .filter(disbursements::paid_on.le(period.to))
            .select(disbursements::amount)
            .into_boxed();
        if let Some(p) = p {
            b = b.filter(budgets::unit_path.like(format!("{p}%")));
            d = d.filter(disbursements::unit_path.like(format!("{p}%")));
        }
        out.budgeted += b.load::<i64>(conn)?.iter().sum::<i64>();
        out.disbursed += d.load::<i64>(conn)?.iter().sum::<i64>();
    }
    Ok(out)
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
    let boundaries = q.boundaries.unwrap_or_default();
    let mut needs_manual_mapping = Vec::new();
    let paths = match &unit {
        Some(u) => Some(sources(conn, &u.id, &u.path, boundaries, &mut needs_manual_mapping)?),
        None => None,
    };
    let rows = counter_rows(conn, paths.as_deref(), period.to)?;
    let cases = case_figures(&events(&rows, "category", |_| true), period.from, period.to);

    // Teams and mediators serving at the end of the period.
    let mut team_ids: Vec<String> = Vec::new();
    let team_scopes: Vec<Option<String>> = match &paths {
        Some(ps) => ps.iter().cloned().map(Some).collect(),
        None => vec![None],
    };
    for p in team_scopes {
        let mut team_query = teams::table
            .filter(teams::founded_on.le(period.to))
            .filter(teams::dissolved_on.is_null().or(teams::dissolved_on.gt(period.to)))
            .select(teams::id)
            .into_boxed();
        if let Some(p) = p {
            team_query = team_query.filter(teams::unit_path.like(format!("{p}%")));
        }
        team_ids.extend(team_query.load::<String>(conn)?);
    }
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
        trained_this_year: trained_this_year(conn, &people.iter().map(|p| p.0.clone()).collect::<Vec<_>>(), period.to)?,
    };
    let funding = funding_figures(conn, paths.as_deref(), &period)?;

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
                None => level_below(conn, own_level, &pattern, period.to)?,
            };
            // Current boundaries: the units in force at the end of the period, each with what merged
            // into it; historical: every unit of that level that existed during the period.
            let mut child_query = units::table
                .filter(units::level.eq(level.as_str()))
                .filter(units::valid_from.le(period.to))
                .select((units::id, units::name, units::path))
                .order((units::name.asc(), units::id.asc()))
                .into_boxed();
            child_query = match boundaries {
                Boundaries::Current => child_query.filter(units::valid_to.is_null().or(units::valid_to.gt(period.to))),
                Boundaries::Historical => child_query.filter(units::valid_to.is_null().or(units::valid_to.gt(period.from))),
            };
            if let Some(p) = &pattern {
                child_query = child_query.filter(units::path.like(p.clone()));
            }
            let children: Vec<(String, String, String)> = child_query.load(conn)?;
            let mut lines = Vec::new();
            for (id, name, path) in children {
                let child_paths = sources(conn, &id, &path, boundaries, &mut needs_manual_mapping)?;
                let child_rows = counter_rows(conn, Some(&child_paths), period.to)?;
                lines.push(BreakdownLine {
                    cases: case_figures(&events(&child_rows, "category", |_| true), period.from, period.to),
                    key: id,
                    label: name,
                });
            }
            lines
        }
    };

    Ok(Indicators {
        unit_id: unit.as_ref().map(|u| u.id.clone()),
        unit_name: unit.map(|u| u.name),
        period,
        overdue_assignments,
        figures: Figures { teams: team_ids.len() as i64, mediators: mediator_figures, cases, funding },
        boundaries,
        needs_manual_mapping,
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
