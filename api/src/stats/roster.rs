//! The roster behind the statistics, kept as monthly changes. A team counts from the month it is
//! founded until the month it is dissolved; a mediator counts while serving in a working team
//! (the overlap of the membership and the team's life), as one of each kind they are. The roster
//! at the end of month M is the sum of the changes of the months up to M, for the team's village
//! and every unit above it. Every team, mediator and membership write recomputes the affected
//! teams' changes before and after, in the same transaction ([`around_teams`]).
//!
//! This answers whole-month periods (their last day is a month's last day: a change on any day of
//! a month is in force at its end). Other ranges of days count the roster itself.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::counters::{execute, lit, month_of, upsert_sql};
use crate::db::bound::Value;
use crate::db::schema::{mediators, memberships, roster_rollups, teams};
use crate::db::DbConn;
use crate::error::ApiError;

/// (unit, first day of the month, kind) → change.
type Changes = BTreeMap<(String, NaiveDate, &'static str), i64>;

/// A team's dates and place, and the mediators who served in it with what they are.
struct TeamLife {
    unit_path: String,
    founded_on: NaiveDate,
    dissolved_on: Option<NaiveDate>,
    members: Vec<MemberLife>,
}

struct MemberLife {
    from: NaiveDate,
    to: Option<NaiveDate>,
    sex: String,
    ethnic_minority: bool,
    legal_training: String,
}

/// Every kind the rollups count: a team, then a serving mediator as one of each kind they are.
/// Also the columns `at_end_of_month_sql` answers with.
const KINDS: [&str; 5] = [TEAMS, MEDIATORS, WOMEN, ETHNIC_MINORITY, WITH_LEGAL_TRAINING];
const TEAMS: &str = "teams";
const MEDIATORS: &str = "mediators";
const WOMEN: &str = "women";
const ETHNIC_MINORITY: &str = "ethnic_minority";
const WITH_LEGAL_TRAINING: &str = "with_legal_training";

impl MemberLife {
    fn kinds(&self) -> impl Iterator<Item = &'static str> {
        [
            Some(MEDIATORS),
            (self.sex == "female").then_some(WOMEN),
            self.ethnic_minority.then_some(ETHNIC_MINORITY),
            (self.legal_training != "none").then_some(WITH_LEGAL_TRAINING),
        ]
        .into_iter()
        .flatten()
    }
}

/// The earlier of two ends, where `None` is "not yet".
fn earlier(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// What one team adds to the monthly changes of its units.
fn changes_of(team: &TeamLife, out: &mut Changes) {
    let units: Vec<&str> = team.unit_path.split('/').filter(|s| !s.is_empty()).collect();
    let mut add = |start: NaiveDate, end: Option<NaiveDate>, kind: &'static str| {
        // Serving on day d: start ≤ d < end. Nothing when the interval is empty.
        if end.is_some_and(|e| e <= start) {
            return;
        }
        for u in &units {
            *out.entry((u.to_string(), month_of(start), kind)).or_default() += 1;
            if let Some(e) = end {
                *out.entry((u.to_string(), month_of(e), kind)).or_default() -= 1;
            }
        }
    };
    add(team.founded_on, team.dissolved_on, TEAMS);
    for m in &team.members {
        let start = m.from.max(team.founded_on);
        let end = earlier(m.to, team.dissolved_on);
        for kind in m.kinds() {
            add(start, end, kind);
        }
    }
}

type MemberRow = (String, NaiveDate, Option<NaiveDate>, String, bool, String);

/// The lives of these teams (all teams when `None`), read in two statements.
fn lives(conn: &mut DbConn, team_ids: Option<&[String]>) -> Result<Vec<TeamLife>, ApiError> {
    let mut tq = teams::table.select((teams::id, teams::unit_path, teams::founded_on, teams::dissolved_on)).into_boxed();
    let mut mq = memberships::table
        .inner_join(mediators::table)
        .select((
            memberships::team_id,
            memberships::from_date,
            memberships::to_date,
            mediators::sex,
            mediators::ethnic_minority,
            mediators::legal_training,
        ))
        .into_boxed();
    if let Some(ids) = team_ids {
        tq = tq.filter(teams::id.eq_any(ids));
        mq = mq.filter(memberships::team_id.eq_any(ids));
    }
    let team_rows: Vec<(String, String, NaiveDate, Option<NaiveDate>)> = tq.load(conn)?;
    let member_rows: Vec<MemberRow> = mq.load(conn)?;
    let mut by_team: BTreeMap<String, TeamLife> = team_rows
        .into_iter()
        .map(|(id, unit_path, founded_on, dissolved_on)| (id, TeamLife { unit_path, founded_on, dissolved_on, members: Vec::new() }))
        .collect();
    for (team_id, from, to, sex, ethnic_minority, legal_training) in member_rows {
        if let Some(t) = by_team.get_mut(&team_id) {
            t.members.push(MemberLife { from, to, sex, ethnic_minority, legal_training });
        }
    }
    Ok(by_team.into_values().collect())
}

fn changes_of_teams(conn: &mut DbConn, team_ids: Option<&[String]>) -> Result<Changes, ApiError> {
    let mut out = Changes::new();
    for t in lives(conn, team_ids)? {
        changes_of(&t, &mut out);
    }
    Ok(out)
}

/// Adds `changes` to the stored rollups, in multi-row upserts.
fn store(conn: &mut DbConn, changes: &Changes) -> Result<(), ApiError> {
    let rows: Vec<String> = changes
        .iter()
        .filter(|(_, n)| **n != 0)
        .map(|((unit, month, kind), n)| format!("({}, '{kind}', '{month}', {n})", lit(unit)))
        .collect();
    for chunk in rows.chunks(5_000) {
        if let Some(sql) = upsert_sql(
            "roster_rollups (unit_id, kind, month, n)",
            chunk,
            "(unit_id, kind, month) DO UPDATE SET n = roster_rollups.n + excluded.n",
        ) {
            execute(conn, &sql)?;
        }
    }
    Ok(())
}

/// Runs a write that changes these teams (their dates, their memberships, or what their members
/// are) and moves the rollups from what the teams contributed before to what they contribute
/// after. Call inside the write's transaction. A team has a handful of members: two small reads.
/// No teams: the write alone (it changes nothing the roster counts).
pub fn around_teams<T>(
    conn: &mut DbConn,
    team_ids: &[String],
    write: impl FnOnce(&mut DbConn) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    if team_ids.is_empty() {
        return write(conn);
    }
    let before = changes_of_teams(conn, Some(team_ids))?;
    let out = write(conn)?;
    let mut delta = changes_of_teams(conn, Some(team_ids))?;
    for (key, n) in before {
        *delta.entry(key).or_default() -= n;
    }
    store(conn, &delta)?;
    Ok(out)
}

/// The teams a mediator has served in (whose rollups change with what the mediator is).
pub fn teams_of_mediator(conn: &mut DbConn, mediator_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(memberships::table.filter(memberships::mediator_id.eq(mediator_id)).select(memberships::team_id).distinct().load(conn)?)
}

/// The roster at the end of the month of `day` for the subtrees of these units, as a part of a
/// statement (`stats::store::unit_figures`): one row of `teams, mediators, women,
/// ethnic_minority, with_legal_training` (absent: zero), its values appended to `values` in the
/// order of its `?`. Only right on a month's last day, which is where whole-month periods end.
pub fn at_end_of_month_sql(unit_ids: &[String], day: NaiveDate, values: &mut Vec<Value>) -> String {
    let units = if unit_ids.is_empty() {
        "1 = 0".to_string()
    } else {
        values.extend(unit_ids.iter().map(|u| Value::from(u.as_str())));
        format!("unit_id IN ({})", crate::db::bound::list(unit_ids.len()))
    };
    values.push(month_of(day).into());
    let sums: Vec<String> = KINDS
        .iter()
        .map(|kind| format!("CAST(COALESCE(SUM(CASE WHEN kind = '{kind}' THEN n ELSE 0 END), 0) AS BIGINT) AS {kind}"))
        .collect();
    format!("SELECT {} FROM roster_rollups WHERE {units} AND month <= ?", sums.join(", "))
}

/// Every row where the stored rollups differ from the roster.
pub fn check(conn: &mut DbConn) -> Result<Vec<String>, ApiError> {
    let expected: BTreeMap<(String, NaiveDate, String), i64> =
        changes_of_teams(conn, None)?.into_iter().map(|((u, m, k), n)| ((u, m, k.to_string()), n)).collect();
    let stored: BTreeMap<(String, NaiveDate, String), i64> = roster_rollups::table
        .select((roster_rollups::unit_id, roster_rollups::month, roster_rollups::kind, roster_rollups::n))
        .load::<(String, NaiveDate, String, i64)>(conn)?
        .into_iter()
        .map(|(u, m, k, n)| ((u, m, k), n))
        .collect();
    Ok(super::counters::differences("roster ", "the roster says", &expected, &stored))
}

/// Rebuilds the rollups from the roster (on the first start after the migration, after a
/// restore, or when `check` found differences). Returns the number of teams.
pub fn rebuild(conn: &mut DbConn) -> Result<usize, ApiError> {
    diesel::delete(roster_rollups::table).execute(conn)?;
    let all = lives(conn, None)?;
    let mut changes = Changes::new();
    for t in &all {
        changes_of(t, &mut changes);
    }
    store(conn, &changes)?;
    Ok(all.len())
}
