//! The yearly team review (the seed plan: review every team each year, find the mediators who
//! work "only on paper", re-staff weak teams): per team and per mediator of a unit, the year's
//! cases, results, both success rates, sessions, trainings attended and last activity. One query
//! per table for the whole unit; the figures are plain arithmetic below (`team_figures`,
//! `mediator_figures`), with the statistics' own definitions (docs/statistics.md).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::db::schema::{
    case_assignments, case_sessions, cases, mediators, memberships, team_reviews, teams, training_attendance, trainings,
};
use crate::db::{now, DbConn};
use crate::error::ApiError;
use crate::stats::figures::{case_figures, rate};

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TeamActivityQuery {
    /// The unit (usually a commune); the caller's own unit when absent.
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: i32,
    /// `json` (default) or `html` (printable, in Vietnamese).
    pub format: Option<crate::logbook::dto::LogBookFormat>,
}

/// A mediator's year in a team.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct MediatorActivity {
    pub mediator_id: String,
    pub full_name: String,
    /// `leader` or `member` (the latest membership of the year in this team).
    pub role: String,
    /// The team's cases received in the year (new or carried over, as in the statistics) that
    /// were assigned to this mediator at some time.
    pub cases_handled: i64,
    /// Of those, ended successful / unsuccessful within the year.
    pub successful: i64,
    pub unsuccessful: i64,
    /// successful ÷ (successful + unsuccessful); `null` when none concluded.
    pub success_rate_of_concluded: Option<f64>,
    /// successful ÷ cases handled; `null` when none.
    pub success_rate_of_received: Option<f64>,
    /// Sessions held in the year on the team's cases while this mediator was assigned to them.
    pub sessions: i64,
    /// Trainings held in the year that this mediator attended (present).
    pub trainings_attended: i64,
    /// The latest of: an assignment, a session or an end of a case they were assigned to, a
    /// training attended — on or before the last day of the year; `null` when there is none.
    pub last_activity: Option<NaiveDate>,
    /// No case, no session and no training in the year: the "only on paper" the review looks for.
    pub inactive: bool,
}

/// A team's year and its members'.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq)]
pub struct TeamActivity {
    pub team_id: String,
    pub team_name: String,
    /// A team founded or dissolved during the year worked part of it (after a merger, the old team
    /// and the re-formed one may share a name).
    pub founded_on: NaiveDate,
    pub dissolved_on: Option<NaiveDate>,
    /// Received in the year: new + carried over (out-of-scope cases aside).
    pub received: i64,
    pub successful: i64,
    pub unsuccessful: i64,
    pub in_progress_at_end: i64,
    pub success_rate_of_concluded: Option<f64>,
    pub success_rate_of_received: Option<f64>,
    /// Sessions held in the year on the team's cases.
    pub sessions: i64,
    /// Members at some time in the year.
    pub mediators: Vec<MediatorActivity>,
    /// Members with no activity in the year.
    pub inactive_mediators: i64,
    /// The commune's conclusion on the team's year, once recorded.
    pub review: Option<TeamReview>,
}

/// The commune's conclusion on a team's year and its re-staffing proposal (`ETag`: its version).
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Queryable, Selectable)]
#[diesel(table_name = team_reviews)]
pub struct TeamReview {
    pub team_id: String,
    pub year: i32,
    pub conclusion: String,
    pub restaffing_proposal: Option<String>,
    /// Who recorded it last.
    pub reviewed_by: String,
    pub version: i32,
    #[schema(value_type = String, format = DateTime)]
    #[serde(serialize_with = "as_utc")]
    pub updated_at: chrono::NaiveDateTime,
}

fn as_utc<S: serde::Serializer>(t: &chrono::NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    let utc: DateTime<Utc> = t.and_utc();
    utc.serialize(s)
}

/// The conclusion of a team's yearly review (officers). A second one replaces the first only with
/// `If-Match` naming the version read, so one officer's conclusion never silently overwrites
/// another's.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordTeamReview {
    /// E.g. "Tổ hoạt động tốt; ông X không tham gia hòa giải vụ việc nào trong năm".
    #[validate(length(min = 1, max = 4000), custom(function = "crate::text::clean_multiline"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<text>")]
    pub conclusion: String,
    /// E.g. "Đề nghị bầu bổ sung 01 hòa giải viên nữ".
    #[validate(length(min = 1, max = 4000), custom(function = "crate::text::clean_multiline"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<text>")]
    pub restaffing_proposal: Option<String>,
}

/// Records (or, with the version read, replaces) the review of `team_id`'s `year`, audited.
pub fn record_review(
    conn: &mut DbConn,
    actor: &Actor,
    team_id: &str,
    year: i32,
    if_match: Option<i32>,
    input: RecordTeamReview,
) -> Result<TeamReview, ApiError> {
    if !(1990..=2100).contains(&year) {
        return Err(ApiError::invalid_field("year", "out_of_range"));
    }
    let team = crate::teams::store::find(conn, actor, team_id)?;
    let key = team_reviews::table.find((&team.id, year));
    let existing: Option<TeamReview> = key.select(TeamReview::as_select()).first(conn).optional()?;
    let stamp = now();
    let (conclusion, proposal) = (input.conclusion.trim().to_string(), input.restaffing_proposal.map(|p| p.trim().to_string()));
    let who = Who::from(actor);
    let value = |r: &TeamReview| serde_json::to_value(r).unwrap_or_default();
    match existing {
        None => {
            diesel::insert_into(team_reviews::table)
                .values((
                    team_reviews::team_id.eq(&team.id),
                    team_reviews::year.eq(year),
                    team_reviews::unit_path.eq(&team.unit_path),
                    team_reviews::conclusion.eq(&conclusion),
                    team_reviews::restaffing_proposal.eq(&proposal),
                    team_reviews::reviewed_by.eq(&actor.id),
                    team_reviews::version.eq(1),
                    team_reviews::created_at.eq(stamp),
                    team_reviews::updated_at.eq(stamp),
                ))
                .execute(conn)?;
            let row = key.select(TeamReview::as_select()).first(conn)?;
            let id = format!("{}/{year}", team.id);
            let change = Change {
                action: "create",
                entity: "team_review",
                entity_id: &id,
                unit_path: Some(&team.unit_path),
                old: None,
                new: Some(value(&row)),
            };
            audit::record(conn, &who, change)?;
            Ok(row)
        }
        Some(current) => {
            let Some(expected) = if_match else { return Err(ApiError::precondition_required()) };
            let version = crate::versioned::check(expected, current.version, || Ok(value(&current)))?;
            let next = TeamReview {
                conclusion,
                restaffing_proposal: proposal,
                reviewed_by: actor.id.clone(),
                version: version + 1,
                updated_at: stamp,
                ..current.clone()
            };
            let id = format!("{}/{year}", team.id);
            let edit =
                crate::versioned::Edit { who: &who, action: "update", entity: "team_review", id: &id, unit_path: Some(&team.unit_path) };
            edit.save(
                conn,
                |c| {
                    Ok(diesel::update(key.filter(team_reviews::version.eq(version)))
                        .set((
                            team_reviews::conclusion.eq(&next.conclusion),
                            team_reviews::restaffing_proposal.eq(&next.restaffing_proposal),
                            team_reviews::reviewed_by.eq(&next.reviewed_by),
                            team_reviews::version.eq(next.version),
                            team_reviews::updated_at.eq(stamp),
                        ))
                        .execute(c)?)
                },
                |c| {
                    let now = key.select(TeamReview::as_select()).first(c)?;
                    Ok((value(&now), now.version))
                },
                |_| Ok((value(&current), value(&next))),
            )?;
            Ok(next)
        }
    }
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct TeamActivityReport {
    pub unit_id: String,
    pub unit_name: String,
    pub year: i32,
    /// Teams working at some time in the year, by name.
    pub teams: Vec<TeamActivity>,
}

/// A case as the review needs it: (id, team, received, status, end reason, ended).
type CaseRow = (String, String, NaiveDate, String, Option<NaiveDate>);

/// The team's figures for the year from its cases, by the statistics' definitions.
pub fn team_figures(cases: &[&CaseRow], from: NaiveDate, to: NaiveDate) -> crate::stats::figures::CaseFigures {
    let mut events = Vec::new();
    for (_, _, received_on, status, ended_on) in cases {
        if status == "out_of_scope" {
            continue;
        }
        events.push((*received_on, "received", 1));
        if let (Some(day), "successful" | "unsuccessful") = (ended_on, status.as_str()) {
            events.push((*day, status.as_str(), 1));
        }
    }
    case_figures(&events, from, to)
}

/// Whether a case counts as received in the year (new or carried over).
fn received_in(c: &CaseRow, from: NaiveDate, to: NaiveDate) -> bool {
    let (_, _, received_on, status, ended_on) = c;
    let concluded_before = matches!(status.as_str(), "successful" | "unsuccessful") && ended_on.is_some_and(|d| d < from);
    status != "out_of_scope" && *received_on <= to && !concluded_before
}

pub fn report(conn: &mut DbConn, actor: &Actor, unit_id: Option<Uuid>, year: i32) -> Result<TeamActivityReport, ApiError> {
    let unit = crate::units::store::asked_or_own(conn, actor, unit_id)?;
    // Today's area of the unit, inside the caller's scope: a merged commune reviews its
    // predecessors' teams too.
    let area = crate::units::store::area_or_scope(conn, &actor.scope, unit.id.parse().ok())?;
    let (from, to) = match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
        (Some(f), Some(t)) => (f, t),
        _ => return Err(ApiError::invalid_field("year", "invalid_value")),
    };

    let mut team_q = teams::table
        .filter(teams::founded_on.le(to))
        .filter(teams::dissolved_on.is_null().or(teams::dissolved_on.ge(from)))
        .select((teams::id, teams::name, teams::founded_on, teams::dissolved_on))
        .order((teams::name.asc(), teams::founded_on.asc(), teams::id.asc()))
        .into_boxed();
    if let Some(a) = &area {
        team_q = team_q.filter(a.contains(teams::unit_path));
    }
    let team_rows: Vec<(String, String, NaiveDate, Option<NaiveDate>)> = team_q.load(conn)?;
    let team_ids: Vec<String> = team_rows.iter().map(|t| t.0.clone()).collect();

    // Members at some time in the year, with their names.
    let member_rows: Vec<(String, String, String, NaiveDate)> = memberships::table
        .filter(memberships::team_id.eq_any(&team_ids))
        .filter(memberships::from_date.le(to))
        .filter(memberships::to_date.is_null().or(memberships::to_date.ge(from)))
        .select((memberships::team_id, memberships::mediator_id, memberships::role, memberships::from_date))
        .order(memberships::from_date.asc())
        .load(conn)?;
    let mediator_ids: Vec<String> = member_rows.iter().map(|m| m.1.clone()).collect::<HashSet<_>>().into_iter().collect();
    let names: HashMap<String, String> = mediators::table
        .filter(mediators::id.eq_any(&mediator_ids))
        .select((mediators::id, mediators::full_name))
        .load(conn)?
        .into_iter()
        .collect();

    let case_rows: Vec<(String, String, NaiveDate, String, Option<NaiveDate>)> = cases::table
        .filter(cases::team_id.eq_any(&team_ids))
        .filter(cases::received_on.le(to))
        .select((cases::id, cases::team_id, cases::received_on, cases::status, cases::ended_on))
        .load(conn)?;
    let case_by_id: HashMap<&str, &CaseRow> = case_rows.iter().map(|c| (c.0.as_str(), c)).collect();
    let assignments: Vec<(String, String, NaiveDate, Option<NaiveDate>)> = case_assignments::table
        .inner_join(cases::table.on(cases::id.eq(case_assignments::case_id)))
        .filter(cases::team_id.eq_any(&team_ids))
        .filter(case_assignments::assigned_on.le(to))
        .select((case_assignments::case_id, case_assignments::mediator_id, case_assignments::assigned_on, case_assignments::ended_on))
        .load(conn)?;
    let sessions: Vec<(String, NaiveDate)> = case_sessions::table
        .inner_join(cases::table.on(cases::id.eq(case_sessions::case_id)))
        .filter(cases::team_id.eq_any(&team_ids))
        .filter(case_sessions::held_on.le(to))
        .select((case_sessions::case_id, case_sessions::held_on))
        .load(conn)?;
    let attended: Vec<(String, NaiveDate)> = training_attendance::table
        .inner_join(trainings::table.on(trainings::id.eq(training_attendance::training_id)))
        .filter(training_attendance::mediator_id.eq_any(&mediator_ids))
        .filter(training_attendance::present.eq(true))
        .filter(trainings::held_on.le(to))
        .select((training_attendance::mediator_id, trainings::held_on))
        .load(conn)?;

    let in_year = |d: NaiveDate| d >= from && d <= to;
    let mut out = Vec::new();
    for (team_id, team_name, founded_on, dissolved_on) in team_rows {
        let own: Vec<&CaseRow> = case_rows.iter().filter(|c| c.1 == team_id).collect();
        let f = team_figures(&own, from, to);
        let team_sessions = sessions.iter().filter(|(case, day)| in_year(*day) && own.iter().any(|c| &c.0 == case)).count() as i64;
        // The latest membership of the year in this team says the role.
        let mut roles: BTreeMap<String, String> = BTreeMap::new();
        for (t, m, role, _) in member_rows.iter().filter(|m| m.0 == team_id) {
            let _ = t;
            roles.insert(m.clone(), role.clone());
        }
        let mut people = Vec::new();
        for (mediator_id, role) in roles {
            let mine: Vec<&(String, String, NaiveDate, Option<NaiveDate>)> =
                assignments.iter().filter(|a| a.1 == mediator_id && own.iter().any(|c| c.0 == a.0)).collect();
            let handled: HashSet<&str> = mine
                .iter()
                .filter(|a| case_by_id.get(a.0.as_str()).is_some_and(|c| received_in(c, from, to)))
                .map(|a| a.0.as_str())
                .collect();
            let ended = |status: &str| {
                handled.iter().filter(|id| case_by_id.get(*id).is_some_and(|c| c.3 == status && c.4.is_some_and(in_year))).count() as i64
            };
            let (successful, unsuccessful) = (ended("successful"), ended("unsuccessful"));
            let while_assigned =
                |case: &str, day: NaiveDate| mine.iter().any(|a| a.0 == case && a.2 <= day && a.3.is_none_or(|e| e >= day));
            let my_sessions: Vec<NaiveDate> =
                sessions.iter().filter(|(case, day)| while_assigned(case, *day)).map(|(_, day)| *day).collect();
            let my_trainings: Vec<NaiveDate> = attended.iter().filter(|(m, _)| *m == mediator_id).map(|(_, d)| *d).collect();
            let case_ends = mine.iter().filter_map(|a| case_by_id.get(a.0.as_str()).and_then(|c| c.4).filter(|d| while_assigned(&a.0, *d)));
            let last_activity = mine
                .iter()
                .map(|a| a.2)
                .chain(my_sessions.iter().copied())
                .chain(my_trainings.iter().copied())
                .chain(case_ends)
                .filter(|d| *d <= to)
                .max();
            let sessions_n = my_sessions.iter().filter(|d| in_year(**d)).count() as i64;
            let trainings_n = my_trainings.iter().filter(|d| in_year(**d)).count() as i64;
            let cases_handled = handled.len() as i64;
            people.push(MediatorActivity {
                full_name: names.get(&mediator_id).cloned().unwrap_or_default(),
                mediator_id,
                role,
                cases_handled,
                successful,
                unsuccessful,
                success_rate_of_concluded: rate(successful, successful + unsuccessful),
                success_rate_of_received: rate(successful, cases_handled),
                sessions: sessions_n,
                trainings_attended: trainings_n,
                last_activity,
                inactive: cases_handled == 0 && sessions_n == 0 && trainings_n == 0,
            });
        }
        people.sort_by(|a, b| (a.role != "leader", &a.full_name).cmp(&(b.role != "leader", &b.full_name)));
        out.push(TeamActivity {
            team_id,
            team_name,
            founded_on,
            dissolved_on,
            received: f.received,
            successful: f.successful,
            unsuccessful: f.unsuccessful,
            in_progress_at_end: f.in_progress_at_end,
            success_rate_of_concluded: f.success_rate_of_concluded,
            success_rate_of_received: f.success_rate_of_received,
            sessions: team_sessions,
            inactive_mediators: people.iter().filter(|p| p.inactive).count() as i64,
            mediators: people,
            review: None,
        });
    }
    // The conclusions recorded for the year: one query for the whole unit.
    let mut reviews: HashMap<String, TeamReview> = team_reviews::table
        .filter(team_reviews::team_id.eq_any(&team_ids))
        .filter(team_reviews::year.eq(year))
        .select(TeamReview::as_select())
        .load(conn)?
        .into_iter()
        .map(|r| (r.team_id.clone(), r))
        .collect();
    for t in &mut out {
        t.review = reviews.remove(&t.team_id);
    }
    Ok(TeamActivityReport { unit_id: unit.id, unit_name: unit.name, year, teams: out })
}

/// The review as a printable page in Vietnamese (A4 landscape, `team_activity.html`): one table
/// per team, the commune's conclusion under it (a line to write it on until recorded).
pub fn html(r: &TeamActivityReport) -> Result<crate::export::html::Page, ApiError> {
    // Part of the year only: say which part (an old team and its successor can share a name).
    let year_start = NaiveDate::from_ymd_opt(r.year, 1, 1);
    let teams: Vec<serde_json::Value> = r
        .teams
        .iter()
        .map(|t| {
            let mut part = Vec::new();
            if year_start.is_some_and(|start| t.founded_on > start) {
                part.push(format!("thành lập ngày {}", t.founded_on.format("%d/%m/%Y")));
            }
            if let Some(d) = t.dissolved_on {
                part.push(format!("giải thể ngày {}", d.format("%d/%m/%Y")));
            }
            let mut v = serde_json::to_value(t).unwrap_or_default();
            v["part"] = serde_json::json!(part);
            v
        })
        .collect();
    crate::export::html::render("team_activity.html", minijinja::context! { year => r.year, unit_name => &r.unit_name, teams => teams })
}
