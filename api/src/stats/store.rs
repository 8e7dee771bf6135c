use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::dto::*;
use super::figures::case_figures;
use crate::auth::Actor;
use crate::cases::dto::{Basis, Category};
use crate::codes::CodeEnum;
use crate::db::area::Area;
use crate::db::bound::{self, Bound};
use crate::db::schema::{cases, units};
use crate::db::{today, DbConn};
use crate::error::ApiError;
use crate::units::dto::UnitLevel;

/// An event row: (day, metric, dimension, code, n).
type Row = (NaiveDate, String, String, String, i64);

/// The events of one dimension, summed over units and codes that pass `keep`.
fn events<'a>(rows: &'a [Row], dimension: &str, keep: impl Fn(&Row) -> bool) -> Vec<(NaiveDate, &'a str, i64)> {
    rows.iter().filter(|r| r.2 == dimension && keep(r)).map(|r| (r.0, r.1.as_str(), r.4)).collect()
}

/// The subtrees whose cases make up each unit's figures (units as id and path; several units'
/// areas in one statement, `db::area::todays_areas`). Historical: the unit's own. Current: its area today (`crate::db::area`), a split
/// predecessor reported as needing a manual mapping.
fn sources(
    conn: &mut DbConn,
    units: &[(&str, &str)],
    boundaries: Boundaries,
    unmapped: &mut Vec<UnmappedUnit>,
) -> Result<Vec<Vec<String>>, ApiError> {
    if boundaries == Boundaries::Historical {
        return Ok(units.iter().map(|(_, path)| vec![path.to_string()]).collect());
    }
    let areas = crate::db::area::todays_areas(conn, units)?;
    Ok(areas
        .into_iter()
        .map(|(area, splits)| {
            for split in splits {
                if !unmapped.iter().any(|u| u.unit_id == split.unit_id) {
                    unmapped.push(UnmappedUnit { unit_id: split.unit_id, name: split.name, reason: "split".into() });
                }
            }
            area.paths().to_vec()
        })
        .collect())
}

/// Cases counted by the day of an event, its metric, category and basis.
#[derive(diesel::QueryableByName)]
struct CaseEvents {
    #[diesel(sql_type = diesel::sql_types::Date)]
    day: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Text)]
    metric: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    category: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    basis: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The events of the cases under the paths (national: all) up to `to`, counted by the database
/// from the cases themselves: what `counters::contributions` says each case adds, summed. A range
/// of days that is not whole months is rare (a report's cut-off is a month's end; dashboards ask
/// for months, quarters and years), so it reads the cases instead of daily counters kept in every
/// case write (docs/performance.md, "Disk per 100,000 cases"). Keep in step with `contributions`:
/// an out-of-scope case is never received; a result counts on its day of end.
fn case_events(conn: &mut DbConn, paths: Option<&[String]>, to: NaiveDate) -> Result<Vec<Row>, ApiError> {
    let backend = conn.backend();
    let mut values: Vec<bound::Value> = Vec::new();
    let area = |values: &mut Vec<bound::Value>| match paths {
        Some(ps) => Area::of(ps.iter().cloned()).bound_sql("unit_path", backend, values),
        None => "1 = 1".to_string(),
    };
    let received_area = area(&mut values);
    values.push(to.into());
    let ended_area = area(&mut values);
    values.push(to.into());
    let sql = format!(
        "SELECT received_on AS day, CAST('received' AS TEXT) AS metric, category, basis, CAST(COUNT(*) AS BIGINT) AS n \
         FROM cases WHERE {received_area} AND status <> 'out_of_scope' AND received_on <= ? \
         GROUP BY received_on, category, basis \
         UNION ALL \
         SELECT ended_on AS day, status AS metric, category, basis, CAST(COUNT(*) AS BIGINT) AS n \
         FROM cases WHERE {ended_area} AND status IN ('successful', 'unsuccessful', 'out_of_scope') AND ended_on <= ? \
         GROUP BY ended_on, status, category, basis"
    );
    let counted: Vec<CaseEvents> = Bound::new(sql).binding(values).load(conn)?;
    let mut rows = Vec::with_capacity(counted.len() * 2);
    for e in counted {
        rows.push((e.day, e.metric.clone(), "category".to_string(), e.category, e.n));
        rows.push((e.day, e.metric, "basis".to_string(), e.basis, e.n));
    }
    Ok(rows)
}

/// One metric's sum of one rollup key, dated: the day before the period (what came before it),
/// the period's first day (what came within it), or a month of it (`by_month`).
struct RollupSum {
    unit_id: String,
    dimension: String,
    metric: &'static str,
    code: String,
    month: NaiveDate,
    n: i64,
}

/// A rollup key's four metrics summed over a stretch of the period, as the statement returns them.
#[derive(diesel::QueryableByName)]
struct RollupRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    unit_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    dimension: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
    /// The day the sums are dated by (`RollupSum::month`).
    #[diesel(sql_type = diesel::sql_types::Date)]
    at: NaiveDate,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    received: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    successful: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    unsuccessful: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    out_of_scope: i64,
}

impl RollupRow {
    /// A sum per metric that is not 0.
    fn into_sums(self, out: &mut Vec<RollupSum>) {
        let RollupRow { unit_id, dimension, code, at: month, received, successful, unsuccessful, out_of_scope } = self;
        for (metric, n) in super::counters::METRICS.into_iter().zip([received, successful, unsuccessful, out_of_scope]) {
            if n != 0 {
                out.push(RollupSum { unit_id: unit_id.clone(), dimension: dimension.clone(), metric, code: code.clone(), month, n });
            }
        }
    }
}

/// Whether a period is made of whole months, so the monthly rollups can answer it.
fn whole_months(p: &Period) -> bool {
    p.from.day() == 1 && p.to.succ_opt().is_some_and(|d| d.day() == 1)
}

/// The rollup sums of these dimensions (`all`, `category`, `basis`; fixed names) for these
/// units: what came before `from` summed into one row (dated the day before `from`), and the
/// period summed too (dated `from`; or one row per month when `by_month`) — `case_figures` only
/// asks whether a date is before, within or after the period. The database does the adding, in
/// one statement for every dimension asked. What came before is read from the yearly rollups of
/// the earlier years and the monthly ones of the period's first year (and of any year not yet
/// filled: last year, in the first day or hour of a new one), so the rows read do not grow with
/// the years of history; a period of whole years already filled reads the yearly rows alone. A province's
/// breakdown reads communes × (years + months) rows and returns a few per commune; a commune's
/// breakdown by category reads its total and its categories at once.
fn rollup_sums(
    conn: &mut DbConn,
    unit_ids: &[String],
    dimensions: &[&'static str],
    period: &Period,
    by_month: bool,
) -> Result<Vec<RollupSum>, ApiError> {
    if unit_ids.is_empty() || dimensions.is_empty() {
        return Ok(Vec::new());
    }
    // Bound, so that each shape (number of units and dimensions) is prepared once per connection;
    // which rows each branch reads is in the values, not in the text.
    let (from, to) = (period.from, period.to);
    let before = from.pred_opt().ok_or_else(ApiError::internal)?;
    // Yearly rows are read for the years marked filled only (`counters::fill_past_years`), the
    // years after them from their months: the bounds below are the period's, and the statement
    // narrows them to the mark it reads (`filled`; `months_from`, the earlier of its `?` and the
    // first day after the last year filled).
    let (filled, months_from) = super::counters::filled_mark_sql(conn.backend());
    let year_start = NaiveDate::from_ymd_opt(from.year(), 1, 1).ok_or_else(ApiError::internal)?;
    let filter = format!("unit_id IN ({}) AND dimension IN ({})", bound::list(unit_ids.len()), bound::list(dimensions.len()));
    let keys = || unit_ids.iter().map(String::as_str).chain(dimensions.iter().copied());
    let sums = |row: &str| {
        format!(
            "SELECT unit_id, dimension, code, {row}, CAST(SUM(received) AS BIGINT) AS received, \
               CAST(SUM(successful) AS BIGINT) AS successful, CAST(SUM(unsuccessful) AS BIGINT) AS unsuccessful, \
               CAST(SUM(out_of_scope) AS BIGINT) AS out_of_scope"
        )
    };
    let rows: Vec<RollupRow> = if !by_month {
        // Years before `from`'s year are before the period; years from it up to `last_year` are
        // within it, and months from `first_month` to `to` are before or within it by `from`.
        let whole_years = from == year_start && to.month() == 12 && to.day() == 31;
        let (last_year, first_month) = if whole_years { (to.year(), to.succ_opt().unwrap_or(to)) } else { (from.year() - 1, year_start) };
        // Each table summed on its own, each key's rows into the stretch before the period and
        // the one within it (`at`: the day before `from` or `from`): the yearly rows read in the
        // order of their key, the months found by theirs (month third) and grouped in a small
        // sort. A key may then come from both, and the figures add the two. One `GROUP BY` over
        // the union would sort the yearly rows too.
        let years = sums("CASE WHEN year < ? THEN ? ELSE ? END AS at");
        let months = sums("CASE WHEN month < ? THEN ? ELSE ? END AS at");
        let sql = format!(
            "{years} FROM case_rollup_years WHERE {filter} AND year <= ? AND year <= {filled} GROUP BY unit_id, dimension, code, at \
             UNION ALL \
             {months} FROM case_rollups WHERE {filter} AND month >= {months_from} AND month <= ? GROUP BY unit_id, dimension, code, at"
        );
        Bound::new(sql)
            .bind(from.year())
            .bind(before)
            .bind(from)
            .binding(keys())
            .bind(last_year)
            .bind(from)
            .bind(before)
            .bind(from)
            .binding(keys())
            .bind(first_month)
            .bind(to)
            .load(conn)?
    } else {
        let (years, months) = (sums("? AS at"), sums("? AS at"));
        let sql = format!(
            "{years} FROM case_rollup_years WHERE {filter} AND year < ? AND year <= {filled} GROUP BY unit_id, dimension, code \
             UNION ALL \
             {months} FROM case_rollups WHERE {filter} AND month >= {months_from} AND month < ? GROUP BY unit_id, dimension, code \
             UNION ALL \
             SELECT unit_id, dimension, code, month AS at, received, successful, unsuccessful, out_of_scope \
               FROM case_rollups WHERE {filter} AND month >= ? AND month <= ?"
        );
        Bound::new(sql)
            .bind(before)
            .binding(keys())
            .bind(from.year())
            .bind(before)
            .binding(keys())
            .bind(year_start)
            .bind(from)
            .binding(keys())
            .bind(from)
            .bind(to)
            .load(conn)?
    };
    let mut out = Vec::with_capacity(rows.len() * 2);
    for row in rows {
        row.into_sums(&mut out);
    }
    Ok(out)
}

fn unit_ids_of_paths(paths: &[String]) -> Vec<String> {
    paths.iter().filter_map(|p| p.trim_end_matches('/').rsplit('/').next().map(str::to_string)).collect()
}

/// The unit ids whose subtrees the paths are (the last id of each path); national: the roots.
fn unit_ids_of(conn: &mut DbConn, paths: Option<&[String]>) -> Result<Vec<String>, ApiError> {
    Ok(match paths {
        Some(ps) => unit_ids_of_paths(ps),
        None => units::table.filter(units::parent_id.is_null()).select(units::id).load(conn)?,
    })
}

/// Events of the caller's whole unit from the rollups, as (day, metric, code, n) rows of `dimension`.
fn rollup_events(rows: &[RollupSum], keep: impl Fn(&RollupSum) -> bool) -> Vec<(NaiveDate, &str, i64)> {
    rows.iter().filter(|r| keep(r)).map(|r| (r.month, r.metric, r.n)).collect()
}

/// The level just below, for a breakdown by unit.
fn level_below(conn: &mut DbConn, level: Option<UnitLevel>, within: &Option<Area>, day: NaiveDate) -> Result<UnitLevel, ApiError> {
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
            if let Some(area) = within {
                q = q.filter(area.contains(units::path));
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

/// What an answer says besides its cases, as the database sums it.
#[derive(diesel::QueryableByName)]
struct UnitFigures {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    teams: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    mediators: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    women: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ethnic_minority: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    with_legal_training: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    trained: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    budgeted: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    disbursed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    overdue: i64,
}

/// Under the paths (national: all), in ONE statement (on PostgreSQL one round trip, where it was
/// six): the teams working at the end of the period and their mediators — each person once, by
/// sex, ethnicity, legal training, and whether trained from 1 January of the end's year; the
/// budgets of the years the period touches and the money disbursed within it; the cases whose
/// start is overdue today. When the period ends a month (`from_rollups`) the teams and mediators
/// come from the roster rollups of the units (`unit_ids`: the paths' own units), otherwise from
/// the roster itself. Either way a national figure never brings the roster into memory, and the
/// paths of an area never nest, so nothing counts twice.
fn unit_figures(
    conn: &mut DbConn,
    paths: Option<&[String]>,
    unit_ids: &[String],
    period: &Period,
    from_rollups: bool,
) -> Result<(i64, MediatorFigures, FundingFigures, i64), ApiError> {
    let backend = conn.backend();
    let day = period.to;
    // Each part is written in the order it stands in the statement, its values pushed as its `?`
    // come (`db::bound`).
    let mut values: Vec<bound::Value> = Vec::new();
    let area = |column: &str, values: &mut Vec<bound::Value>| match paths {
        Some(ps) => Area::of(ps.iter().cloned()).bound_sql(column, backend, values),
        None => "1 = 1".to_string(),
    };
    let working = |values: &mut Vec<bound::Value>| {
        values.extend([bound::Value::from(day), day.into()]);
        let within = area("t.unit_path", values);
        format!("t.founded_on <= ? AND (t.dissolved_on IS NULL OR t.dissolved_on > ?) AND {within}")
    };
    let serving = |values: &mut Vec<bound::Value>| {
        values.extend([bound::Value::from(day), day.into()]);
        let team = working(values);
        format!("ms.from_date <= ? AND (ms.to_date IS NULL OR ms.to_date > ?) AND {team}")
    };
    // The year's trainings are few: their attendees, then whether each served here on `day`.
    values.extend([bound::Value::from(NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day)), day.into()]);
    let trained_serving = serving(&mut values);
    values.extend([bound::Value::from(period.from.year()), period.to.year().into()]);
    let budgets_area = area("unit_path", &mut values);
    values.extend([bound::Value::from(period.from), period.to.into()]);
    let disbursements_area = area("unit_path", &mut values);
    values.push(today().into());
    let overdue_area = area("cases.unit_path", &mut values);
    let roster = if from_rollups {
        super::roster::at_end_of_month_sql(unit_ids, day, &mut values)
    } else {
        let working_teams = working(&mut values);
        let serving_people = serving(&mut values);
        format!(
            "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM teams t WHERE {working_teams}) AS teams, \
               CAST(COUNT(*) AS BIGINT) AS mediators, \
               CAST(COALESCE(SUM(CASE WHEN x.sex = 'female' THEN 1 ELSE 0 END), 0) AS BIGINT) AS women, \
               CAST(COALESCE(SUM(CASE WHEN x.ethnic_minority THEN 1 ELSE 0 END), 0) AS BIGINT) AS ethnic_minority, \
               CAST(COALESCE(SUM(CASE WHEN x.legal_training <> 'none' THEN 1 ELSE 0 END), 0) AS BIGINT) AS with_legal_training \
             FROM (SELECT DISTINCT m.id, m.sex, m.ethnic_minority, m.legal_training \
                   FROM teams t JOIN memberships ms ON ms.team_id = t.id JOIN mediators m ON m.id = ms.mediator_id \
                   WHERE {serving_people}) x"
        )
    };
    let awaiting = crate::cases::store::AWAITING_START_SQL;
    let sql = format!(
        "SELECT r.teams, r.mediators, r.women, r.ethnic_minority, r.with_legal_training, \
           (SELECT CAST(COUNT(DISTINCT a.mediator_id) AS BIGINT) \
              FROM training_attendance a JOIN trainings tr ON tr.id = a.training_id \
                JOIN memberships ms ON ms.mediator_id = a.mediator_id JOIN teams t ON t.id = ms.team_id \
              WHERE a.present AND tr.held_on >= ? AND tr.held_on <= ? AND {trained_serving}) AS trained, \
           (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM budgets \
              WHERE year >= ? AND year <= ? AND {budgets_area}) AS budgeted, \
           (SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM disbursements \
              WHERE paid_on >= ? AND paid_on <= ? AND {disbursements_area}) AS disbursed, \
           (SELECT CAST(COUNT(*) AS BIGINT) FROM cases \
              WHERE {awaiting} AND cases.start_deadline < ? AND {overdue_area}) AS overdue \
         FROM ({roster}) r"
    );
    let rows: Vec<UnitFigures> = Bound::new(sql).binding(values).load(conn)?;
    let f = rows.into_iter().next().ok_or_else(ApiError::internal)?;
    Ok((
        f.teams,
        MediatorFigures {
            total: f.mediators,
            women: f.women,
            ethnic_minority: f.ethnic_minority,
            with_legal_training: f.with_legal_training,
            trained_this_year: f.trained,
        },
        FundingFigures { budgeted: f.budgeted, disbursed: f.disbursed },
        f.overdue,
    ))
}

pub fn indicators(conn: &mut DbConn, actor: &Actor, q: &IndicatorQuery) -> Result<ComputedIndicators, ApiError> {
    indicators_with(conn, actor, q, true)
}

/// The indicators, from the monthly rollups where the period allows (`use_rollups`), else counted
/// from the cases themselves. Both must agree: a test compares them.
pub fn indicators_with(conn: &mut DbConn, actor: &Actor, q: &IndicatorQuery, use_rollups: bool) -> Result<ComputedIndicators, ApiError> {
    let period = Period::parse(&q.period).ok_or_else(|| ApiError::invalid_field("period", "invalid_value"))?;
    // The unit reported on: the one asked for, inside the caller's scope, or the caller's own.
    let unit = match (q.unit_id, &actor.unit_id) {
        (Some(id), _) => Some(crate::units::store::find(conn, &actor.scope, &id.to_string())?),
        (None, Some(own)) => Some(crate::units::store::find(conn, &actor.scope, own)?),
        (None, None) => None,
    };
    let within = unit.as_ref().map(|u| Area::subtree(&u.path));
    let boundaries = q.boundaries.unwrap_or_default();
    let mut needs_manual_mapping = Vec::new();
    let paths = match &unit {
        Some(u) => sources(conn, &[(&u.id, &u.path)], boundaries, &mut needs_manual_mapping)?.pop(),
        None => None,
    };
    // Whole months: the monthly rollups of the unit (and what merged into it); any other range of
    // days: the cases.
    let monthly = use_rollups && whole_months(&period);
    let own_ids = unit_ids_of(conn, paths.as_deref())?;
    let rows = if monthly { Vec::new() } else { case_events(conn, paths.as_deref(), period.to)? };
    // The total, and the coded dimension of a breakdown by category or basis, in one statement.
    let coded_dimension = match q.by {
        Some(BreakdownBy::Category) => Some("category"),
        Some(BreakdownBy::Basis) => Some("basis"),
        _ => None,
    };
    let own_sums = if monthly {
        let dimensions: Vec<&'static str> = std::iter::once("all").chain(coded_dimension).collect();
        rollup_sums(conn, &own_ids, &dimensions, &period, q.by == Some(BreakdownBy::Month))?
    } else {
        Vec::new()
    };
    let (total_rows, coded): (Vec<RollupSum>, Vec<RollupSum>) = own_sums.into_iter().partition(|r| r.dimension == "all");
    let cases = if monthly {
        case_figures(&rollup_events(&total_rows, |_| true), period.from, period.to)
    } else {
        case_figures(&events(&rows, "category", |_| true), period.from, period.to)
    };

    // Teams and mediators serving at the end of the period, funding, overdue starts: one statement.
    let (teams_n, mediator_figures, funding, overdue_assignments) = unit_figures(conn, paths.as_deref(), &own_ids, &period, monthly)?;

    // One line per code of a dimension (category or basis), from the rollups or the cases.
    let coded_lines = |codes: &mut dyn Iterator<Item = (&'static str, &'static str)>, dimension: &str| -> Vec<ComputedLine> {
        codes
            .map(|(code, label)| ComputedLine {
                key: code.into(),
                label: label.into(),
                cases: if monthly {
                    case_figures(&rollup_events(&coded, |r| r.code == code), period.from, period.to)
                } else {
                    case_figures(&events(&rows, dimension, |r| r.3 == code), period.from, period.to)
                },
            })
            .collect()
    };
    let mut village_lines = false;
    let breakdown = match q.by {
        None => Vec::new(),
        Some(BreakdownBy::Category) => coded_lines(&mut Category::all().iter().map(|c| (c.as_str(), c.labels().0)), "category"),
        Some(BreakdownBy::Basis) => coded_lines(&mut Basis::all().iter().map(|b| (b.as_str(), b.labels().0)), "basis"),
        Some(BreakdownBy::Month) => {
            let all = if monthly { rollup_events(&total_rows, |_| true) } else { events(&rows, "category", |_| true) };
            period
                .months()
                .into_iter()
                .map(|m| ComputedLine { key: m.label.clone(), label: m.label, cases: case_figures(&all, m.from, m.to) })
                .collect()
        }
        Some(BreakdownBy::Unit) => {
            let own_level = unit.as_ref().and_then(|u| UnitLevel::parse(&u.level));
            let level = match q.level {
                Some(l) => l,
                None => level_below(conn, own_level, &within, period.to)?,
            };
            village_lines = level == UnitLevel::Village;
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
            if let Some(area) = &within {
                child_query = child_query.filter(area.contains(units::path));
            }
            let children: Vec<(String, String, String)> = child_query.load(conn)?;
            let child_units: Vec<(&str, &str)> = children.iter().map(|(id, _, path)| (id.as_str(), path.as_str())).collect();
            let child_sources = sources(conn, &child_units, boundaries, &mut needs_manual_mapping)?;
            // Whole months: one statement for every child's rollups.
            let sums = if monthly {
                let all_ids: Vec<String> = child_sources.iter().flat_map(|ps| unit_ids_of_paths(ps)).collect();
                rollup_sums(conn, &all_ids, &["all"], &period, false)?
            } else {
                Vec::new()
            };
            let mut lines = Vec::new();
            for ((id, name, _), child_paths) in children.into_iter().zip(child_sources) {
                let cases = if monthly {
                    let ids = unit_ids_of_paths(&child_paths);
                    case_figures(&rollup_events(&sums, |r| ids.contains(&r.unit_id)), period.from, period.to)
                } else {
                    let child_rows = case_events(conn, Some(&child_paths), period.to)?;
                    case_figures(&events(&child_rows, "category", |_| true), period.from, period.to)
                };
                lines.push(ComputedLine { cases, key: id, label: name });
            }
            lines
        }
    };

    let small_area = village_lines || unit.as_ref().is_some_and(|u| u.level == "village");
    Ok(ComputedIndicators {
        unit_id: unit.as_ref().map(|u| u.id.clone()),
        unit_name: unit.map(|u| u.name),
        period,
        overdue_assignments,
        figures: Figures { teams: teams_n, mediators: mediator_figures, cases, funding },
        boundaries,
        needs_manual_mapping,
        breakdown_by: q.by,
        small_area,
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
    if let Some(inside) = actor.scope.contains(cases::unit_path) {
        q = q.filter(inside);
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
    // A statistics client gets months, not days: a day with a category and a team can point at
    // the case, and so at its parties (docs/statistics.md, "Small cells").
    let days = super::small_cells::sees_exact_figures(actor);
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    rows.into_iter()
        .map(|(id, unit_id, team_id, category, basis, received_on, status, end_reason, ended_on, updated_at)| {
            Ok(CaseFacts {
                id,
                unit_id,
                team_id,
                category: crate::codes::stored(Category::parse(&category), "cases.category", &category)?,
                basis: crate::codes::stored(Basis::parse(&basis), "cases.basis", &basis)?,
                received_on: days.then_some(received_on),
                received_month: month(received_on),
                status: crate::codes::stored(CaseStatus::parse(&status), "cases.status", &status)?,
                end_reason: crate::codes::stored_opt(end_reason.as_deref(), EndReason::parse, "cases.end_reason")?,
                ended_on: ended_on.filter(|_| days),
                ended_month: ended_on.map(month),
                updated_at: updated_at.and_utc(),
            })
        })
        .collect::<Result<_, ApiError>>()
}

/// The official codes of the unit reported on and of the units of a breakdown by unit (in its
/// order): DHIS2 names organisation units by them. A unit without one (a village) gives `None`.
pub fn official_codes(conn: &mut DbConn, i: &Indicators) -> Result<(Option<String>, Vec<Option<String>>), ApiError> {
    let mut ids: Vec<String> = i.unit_id.iter().cloned().collect();
    if i.breakdown_by == Some(BreakdownBy::Unit) {
        ids.extend(i.breakdown.iter().map(|l| l.key.clone()));
    }
    let found: std::collections::HashMap<String, Option<String>> = units::table
        .filter(units::id.eq_any(&ids))
        .select((units::id, units::code))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .collect();
    let code = |id: &String| found.get(id).cloned().flatten();
    let lines = if i.breakdown_by == Some(BreakdownBy::Unit) { i.breakdown.iter().map(|l| code(&l.key)).collect() } else { Vec::new() };
    Ok((i.unit_id.as_ref().and_then(code), lines))
}
