//! The counters behind the statistics. A case contributes `received` on the day it was received
//! and, once it has a result, that result on the day it ended — by category and by basis. An
//! out-of-scope case contributes only `out_of_scope`, on the day it was found so: it was never a
//! case for mediation, so it is never received, and received = successful + unsuccessful + in
//! progress holds in every period (docs/statistics.md). Every case
//! write applies the difference between the case before and after, in the same transaction, to
//! the monthly and yearly rollups of the village and every unit above it (the yearly rows are the
//! sums of the monthly ones, so that the cases carried into a period are read from a row per year
//! rather than from every month of the unit's history). A range of days that is not whole months
//! is counted from the cases themselves (`stats::store`), by the same rule.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use crate::cases::model::Case;
use crate::db::bound::Bound;
use crate::db::planned::Insert;
use crate::db::schema::{case_rollup_years, case_rollup_years_filled, case_rollups, cases};
use crate::db::{pages, today, Backend, DbConn};
use crate::error::ApiError;

/// One +1 a case adds to the counters, on a day; `rollup_contributions` gives it to the case's
/// units and months.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Contribution {
    pub day: NaiveDate,
    pub metric: &'static str,
    pub dimension: &'static str,
    pub code: String,
}

pub const METRICS: [&str; 4] = ["received", "successful", "unsuccessful", "out_of_scope"];

pub fn contributions(c: &Case) -> Vec<Contribution> {
    let mut out = Vec::new();
    let mut add = |day: NaiveDate, metric: &'static str| {
        for (dimension, code) in [("category", &c.category), ("basis", &c.basis)] {
            out.push(Contribution { day, metric, dimension, code: code.clone() });
        }
    };
    let result = match c.status.as_str() {
        "successful" => Some("successful"),
        "unsuccessful" => Some("unsuccessful"),
        "out_of_scope" => Some("out_of_scope"),
        _ => None,
    };
    if result != Some("out_of_scope") {
        add(c.received_on, "received");
    }
    if let (Some(metric), Some(day)) = (result, c.ended_on) {
        add(day, metric);
    }
    out
}

/// A monthly rollup row: (unit, first day of the month, metric, dimension, code).
pub type RollupKey = (String, NaiveDate, &'static str, &'static str, String);

/// The first day of the day's month.
pub fn month_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// What a case adds to the monthly rollups: each daily contribution, for the village and every
/// unit above it (the ids in its path), plus an `all` row per metric for the total.
pub fn rollup_contributions(c: &Case) -> Vec<RollupKey> {
    let units: Vec<&str> = c.unit_path.split('/').filter(|s| !s.is_empty()).collect();
    let mut out = Vec::new();
    for d in contributions(c) {
        let month = month_of(d.day);
        for u in &units {
            out.push((u.to_string(), month, d.metric, d.dimension, d.code.clone()));
            if d.dimension == "category" {
                out.push((u.to_string(), month, d.metric, "all", String::new()));
            }
        }
    }
    out
}

/// The shards of a hot rollup row (PostgreSQL); readers sum over them.
const ROLLUP_SHARDS: i16 = 32;

/// The units whose rollup rows are sharded for this write: on PostgreSQL, the top of the case's
/// path (the province), which every create in the province touches. SQLite has one writer at a
/// time: nothing to spread.
fn hot_units(conn: &DbConn, before: Option<&Case>, after: Option<&Case>) -> Vec<String> {
    if !matches!(conn, DbConn::Pg(_)) {
        return Vec::new();
    }
    [before, after].into_iter().flatten().filter_map(|c| c.unit_path.split('/').find(|s| !s.is_empty()).map(str::to_string)).collect()
}

/// Moves the monthly rollups, and the yearly ones of the years that are over, from what `before`
/// contributed to what `after` contributes, in one multi-row upsert each (one statement per case
/// write for a case of this year, two for an older one, however many units sit above it).
pub fn apply(conn: &mut DbConn, before: Option<&Case>, after: Option<&Case>) -> Result<(), ApiError> {
    for insert in rollup_inserts(conn, before, after) {
        if let Some(statement) = insert.statement() {
            statement.execute(conn)?;
        }
    }
    Ok(())
}

/// The upserts `apply` runs, for a write that sends them with its other rows (`db::planned`):
/// the monthly rows, and the yearly rows of the years that are over when a case of such a year
/// changes; none when nothing a figure counts changed.
pub fn rollup_inserts(conn: &DbConn, before: Option<&Case>, after: Option<&Case>) -> Vec<Insert> {
    if cfg!(feature = "bench-without-counter-upkeep") {
        return Vec::new();
    }
    let mut deltas: BTreeMap<RollupKey, i64> = BTreeMap::new();
    for k in before.map(rollup_contributions).unwrap_or_default() {
        *deltas.entry(k).or_default() -= 1;
    }
    for k in after.map(rollup_contributions).unwrap_or_default() {
        *deltas.entry(k).or_default() += 1;
    }
    let deltas: Vec<_> = deltas.into_iter().filter(|(_, d)| *d != 0).collect();
    if deltas.is_empty() {
        return Vec::new();
    }
    // On PostgreSQL every create would add to the same few province rows of the month and wait for
    // the commit of the create before it; a random shard of those rows spreads the writers out.
    let sharded = hot_units(conn, before, after);
    let shard = rand::random_range(0..ROLLUP_SHARDS);
    let shard_of = |unit: &String| if sharded.contains(unit) { shard } else { 0 };
    // A rollup row holds the four metrics of a unit's month (or year), dimension and code as
    // columns: the deltas of one row's metrics go into one row of the upsert.
    let mut monthly: BTreeMap<(String, NaiveDate, &'static str, String), [i64; 4]> = BTreeMap::new();
    // The yearly rows of the years that are over (`fill_past_years`): a case of this year, as
    // every create's, leaves them alone.
    let kept_through = last_year_over(today());
    let mut yearly: BTreeMap<(String, i32, &'static str, String), [i64; 4]> = BTreeMap::new();
    for ((unit, month, metric, dim, code), d) in deltas {
        let m = metric_column(metric);
        if month.year() <= kept_through {
            yearly.entry((unit.clone(), month.year(), dim, code.clone())).or_default()[m] += d;
        }
        monthly.entry((unit, month, dim, code)).or_default()[m] += d;
    }
    // A case of this year, or one moved within a year (a correction of its received day, say),
    // leaves the yearly rows as they were.
    [upsert("case_rollups", "month", monthly, shard_of), upsert("case_rollup_years", "year", yearly, shard_of)]
        .into_iter()
        .flatten()
        .collect()
}

/// The column of a metric in a rollup row (`METRICS` is the columns' order).
pub fn metric_column(metric: &str) -> usize {
    METRICS.iter().position(|m| *m == metric).unwrap_or_else(|| unreachable!("a metric of `contributions`: {metric}"))
}

/// The rollup upsert into `table`, whose period column is `period` (month or year), of the rows
/// whose metrics moved; `None` when none did. Values are bound, so the text depends only on the
/// row count and the statement stays prepared on the connection (`db::bound`) instead of being
/// parsed again for every case write.
fn upsert<P: Into<crate::db::bound::Value>>(
    table: &'static str,
    period: &'static str,
    rows: BTreeMap<(String, P, &'static str, String), [i64; 4]>,
    shard_of: impl Fn(&String) -> i16,
) -> Option<Insert> {
    let mut insert = Insert::into(
        format!("{table} (unit_id, {period}, dimension, code, shard, received, successful, unsuccessful, out_of_scope)"),
        "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .then(format!(
        "ON CONFLICT (unit_id, dimension, {period}, code, shard) DO UPDATE SET received = {table}.received + excluded.received, \
         successful = {table}.successful + excluded.successful, unsuccessful = {table}.unsuccessful + excluded.unsuccessful, \
         out_of_scope = {table}.out_of_scope + excluded.out_of_scope"
    ));
    let mut any = false;
    for ((unit, at, dim, code), metrics) in rows.into_iter().filter(|(_, m)| m.iter().any(|d| *d != 0)) {
        any = true;
        let shard = shard_of(&unit);
        insert.push(unit);
        insert.push(at);
        insert.push(dim);
        insert.push(code);
        insert.push(shard);
        for d in metrics {
            insert.push(d);
        }
    }
    any.then_some(insert)
}

/// The last year that is over on `today`: the case writes keep the yearly rows up to it.
pub fn last_year_over(today: NaiveDate) -> i32 {
    today.year() - 1
}

/// The last year `fill_past_years` fills on `today`: the last one over a day ago. A server whose
/// clock is still in the old year does not keep its yearly rows (`last_year_over` by its clock);
/// were the year filled at the first minute of the new one, such a server's write in that minute
/// would be missing from the filled rows for good. A day's wait covers clocks that far apart;
/// until the fill the statistics read that year from its months.
pub fn last_year_to_fill(today: NaiveDate) -> i32 {
    last_year_over(today.pred_opt().unwrap_or(today))
}

/// The last year whose yearly rows were filled from the monthly ones.
pub fn years_filled_through(conn: &mut DbConn) -> Result<i32, ApiError> {
    Ok(case_rollup_years_filled::table.select(case_rollup_years_filled::through_year).get_result(conn)?)
}

/// SQL read inside the statement that reads the rollups, so that the mark and the rows come from
/// one snapshot (a year's rows and its mark are written in one transaction, `fill_past_years`,
/// and the mark only moves forward): the last year whose yearly rows may be read, those filled;
/// and the earlier of a bound day (its `?`) and the first day after that year, from which the
/// monthly rows are read instead.
pub(crate) fn filled_mark_sql(backend: Backend) -> (&'static str, &'static str) {
    const THROUGH: &str = "(SELECT through_year FROM case_rollup_years_filled)";
    match backend {
        Backend::Sqlite => (THROUGH, "min(?, (SELECT printf('%04d-01-01', through_year + 1) FROM case_rollup_years_filled))"),
        Backend::Postgres => (THROUGH, "LEAST(?, (SELECT make_date(through_year + 1, 1, 1) FROM case_rollup_years_filled))"),
    }
}

/// Fills the yearly rollups of the years through `last` not filled yet from their monthly rows,
/// and moves `case_rollup_years_filled` to `last`; `None` when there was nothing to do. Case
/// writes kept the rows of those years only from the day they were over (or not at all, on an
/// upgrade), so the rows are replaced, not added to. Inside a write transaction; on PostgreSQL it
/// locks the yearly table first: a case write that added to a row before the sums were read, and
/// commits after, would otherwise be overwritten. Run at start and hourly (`stats::fill_past_years`,
/// with `last_year_to_fill`); the statistics read a year's yearly rows only once its mark says it
/// is filled, and its months until then (`filled_mark_sql`), so a late fill is never wrong.
pub fn fill_past_years(conn: &mut DbConn, last: i32) -> Result<Option<i32>, ApiError> {
    let through = years_filled_through(conn)?;
    if through >= last {
        return Ok(None);
    }
    if let DbConn::Pg(_) = conn {
        Bound::new("LOCK TABLE case_rollup_years IN EXCLUSIVE MODE").execute(conn)?;
    }
    diesel::delete(case_rollup_years::table.filter(case_rollup_years::year.gt(through)).filter(case_rollup_years::year.le(last)))
        .execute(conn)?;
    let year_of_month = match conn.backend() {
        crate::db::Backend::Sqlite => "CAST(strftime('%Y', month) AS INTEGER)",
        crate::db::Backend::Postgres => "CAST(EXTRACT(YEAR FROM month) AS INTEGER)",
    };
    let first = NaiveDate::from_ymd_opt(through + 1, 1, 1).ok_or_else(ApiError::internal)?;
    let after = NaiveDate::from_ymd_opt(last + 1, 1, 1).ok_or_else(ApiError::internal)?;
    Bound::new(format!(
        "INSERT INTO case_rollup_years (unit_id, year, dimension, code, shard, received, successful, unsuccessful, out_of_scope) \
         SELECT unit_id, {year_of_month}, dimension, code, shard, SUM(received), SUM(successful), SUM(unsuccessful), SUM(out_of_scope) \
         FROM case_rollups WHERE month >= ? AND month < ? GROUP BY unit_id, {year_of_month}, dimension, code, shard \
         HAVING SUM(received) <> 0 OR SUM(successful) <> 0 OR SUM(unsuccessful) <> 0 OR SUM(out_of_scope) <> 0"
    ))
    .bind(first)
    .bind(after)
    .execute(conn)?;
    diesel::update(case_rollup_years_filled::table).set(case_rollup_years_filled::through_year.eq(last)).execute(conn)?;
    Ok(Some(last))
}

/// A text literal. The values are ids, paths and codes the database already holds (UUID text,
/// slashes, snake_case); quoting is still done properly.
pub(crate) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One `INSERT … VALUES …, … ON CONFLICT … DO UPDATE` statement, the same text on both backends.
pub(crate) fn upsert_sql(into: &str, rows: &[String], on_conflict: &str) -> Option<String> {
    (!rows.is_empty()).then(|| format!("INSERT INTO {into} VALUES {} ON CONFLICT {on_conflict}", rows.join(", ")))
}

pub(crate) fn execute(conn: &mut DbConn, sql: &str) -> Result<(), ApiError> {
    crate::dispatch!(conn, |c| diesel::sql_query(sql).execute(c))?;
    Ok(())
}

type Key = (String, NaiveDate, String, String, String);
/// A stored rollup row: unit, month or year, dimension, code and the four metrics.
type Stored<P> = (String, P, String, String, i64, i64, i64, i64);
type YearKey = (String, i32, String, String, String);

/// The rollups as the cases say they should be, and as they are, and the roster rollups as the
/// roster says; every difference.
pub fn check(conn: &mut DbConn) -> Result<Vec<String>, ApiError> {
    let mut expected_monthly: BTreeMap<Key, i64> = BTreeMap::new();
    pages::each_row(
        conn,
        case_page,
        |c| &c.id,
        |_, case| {
            for (u, m, metric, dim, code) in rollup_contributions(case) {
                *expected_monthly.entry((u, m, metric.into(), dim.into(), code)).or_default() += 1;
            }
            Ok(())
        },
    )?;
    use case_rollups as cr;
    let monthly = by_key(
        cr::table
            .select((cr::unit_id, cr::month, cr::dimension, cr::code, cr::received, cr::successful, cr::unsuccessful, cr::out_of_scope))
            .load::<Stored<NaiveDate>>(conn)?,
    );
    let mut out = differences("rollup ", "the cases say", &expected_monthly, &monthly);
    // The yearly rows the statistics may read: those of the years filled (`fill_past_years`).
    let kept_through = years_filled_through(conn)?;
    let mut expected_yearly: BTreeMap<YearKey, i64> = BTreeMap::new();
    for ((u, m, metric, dim, code), n) in expected_monthly.into_iter().filter(|(k, _)| k.1.year() <= kept_through) {
        *expected_yearly.entry((u, m.year(), metric, dim, code)).or_default() += n;
    }
    use case_rollup_years as cy;
    let yearly = by_key(
        cy::table
            .filter(cy::year.le(kept_through))
            .select((cy::unit_id, cy::year, cy::dimension, cy::code, cy::received, cy::successful, cy::unsuccessful, cy::out_of_scope))
            .load::<Stored<i32>>(conn)?,
    );
    out.extend(differences("yearly rollup ", "the cases say", &expected_yearly, &yearly));
    out.extend(super::roster::check(conn)?);
    Ok(out)
}

/// Stored rows summed by key, a metric at a time (the shards of a rollup row count as one).
fn by_key<P: Ord + Copy>(rows: Vec<Stored<P>>) -> BTreeMap<(String, P, String, String, String), i64> {
    let mut out = BTreeMap::new();
    for (u, at, dim, code, received, successful, unsuccessful, out_of_scope) in rows {
        for (metric, n) in METRICS.iter().zip([received, successful, unsuccessful, out_of_scope]) {
            *out.entry((u.clone(), at, metric.to_string(), dim.clone(), code.clone())).or_default() += n;
        }
    }
    out
}

/// Every key where the stored count differs from the expected one (`source` says what expects
/// it: "the cases say"); a zero counts as absent on either side.
pub(crate) fn differences<K: Ord + std::fmt::Debug>(
    label: &str,
    source: &str,
    expected: &BTreeMap<K, i64>,
    stored: &BTreeMap<K, i64>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (key, n) in expected.iter().filter(|(_, n)| **n != 0) {
        let got = stored.get(key).copied().unwrap_or(0);
        if got != *n {
            out.push(format!("{label}{key:?}: counted {got}, {source} {n}"));
        }
    }
    for (key, n) in stored.iter().filter(|(_, n)| **n != 0) {
        if expected.get(key).copied().unwrap_or(0) == 0 {
            out.push(format!("{label}{key:?}: counted {n}, {source} 0"));
        }
    }
    out
}

/// Rebuilds every rollup from the cases (after a restore, or when `check` found differences).
pub fn rebuild(conn: &mut DbConn) -> Result<usize, ApiError> {
    diesel::delete(case_rollups::table).execute(conn)?;
    diesel::delete(case_rollup_years::table).execute(conn)?;
    let mut counted = 0;
    pages::each_row(
        conn,
        case_page,
        |c| &c.id,
        |conn, case| {
            counted += 1;
            apply(conn, None, Some(case))
        },
    )?;
    // Every year that is over now has its whole rows, from empty; it is marked filled under the
    // same rule as the hourly fill (`last_year_to_fill`: not on a new year's first day), so a
    // rebuild on 1 January does not let a server whose clock is behind miss that year's rows.
    // The rows of a year not marked are not read, and the next fill replaces them.
    diesel::update(case_rollup_years_filled::table)
        .set(case_rollup_years_filled::through_year.eq(last_year_to_fill(today())))
        .execute(conn)?;
    Ok(counted)
}

/// A page of whole cases in the order of their ids, for the check and the rebuild.
fn case_page(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<Case>, ApiError> {
    Ok(cases::table.filter(cases::id.gt(after)).order(cases::id.asc()).limit(limit).select(Case::as_select()).load(conn)?)
}
