//! The team leader's annual report on the team's organisation and activity (listed in the seed
//! plan as evidence of the year's work): the members and what each did, the year's cases and
//! both success rates from the review's own figures, and lines to write the difficulties and
//! proposals on; addressed to the commune's People's Committee and signed by the leader.

use chrono::NaiveDate;
use serde::Serialize;

use super::activity;
use crate::auth::Actor;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::export::html::{self, Page};
use crate::units::names;

/// The page for `team_id`'s `year`, for those who may see the team (its leader and members, the
/// commune's officers and viewers).
pub fn html(conn: &mut DbConn, actor: &Actor, team_id: &str, year: i32, printed_on: NaiveDate) -> Result<Page, ApiError> {
    let team = crate::teams::store::find(conn, actor, team_id)?;
    let village = crate::units::store::find(conn, &crate::auth::Scope::national(), &team.unit_id)?;
    let chain = crate::units::store::with_ancestors(conn, &village)?;
    // The commune the team reports to today: the village's commune, or its successor.
    let commune = chain.iter().rev().find(|u| u.level == "commune").cloned();
    let commune = match commune {
        Some(c) => crate::units::store::in_force_on(conn, c.clone(), printed_on)?.unwrap_or(c).name,
        None => village.name.clone(),
    };
    let whole = activity::report(conn, &Actor::system(), team.unit_id.parse().ok(), year)?;
    let Some(found) = whole.teams.into_iter().find(|t| t.team_id == team.id) else {
        return Err(ApiError::not_found().with_detail("Tổ hòa giải không hoạt động trong năm này", "The team did not work in that year"));
    };
    #[derive(Serialize)]
    struct Member {
        full_name: String,
        role: &'static str,
        cases_handled: i64,
        successful: i64,
        sessions: i64,
        trainings_attended: i64,
        last_activity: Option<NaiveDate>,
    }
    let leader = found.mediators.iter().find(|m| m.role == "leader").map(|m| m.full_name.clone());
    let members: Vec<Member> = found
        .mediators
        .iter()
        .map(|m| Member {
            full_name: m.full_name.clone(),
            role: if m.role == "leader" { "Tổ trưởng" } else { "Thành viên" },
            cases_handled: m.cases_handled,
            successful: m.successful,
            sessions: m.sessions,
            trainings_attended: m.trainings_attended,
            last_activity: m.last_activity,
        })
        .collect();
    html::render(
        "leader_report.html",
        minijinja::context! {
            year => year,
            team => &team.name,
            team_upper => team.name.to_uppercase(),
            village_upper => village.name.to_uppercase(),
            commune => names::in_text(&commune),
            place_date => names::place_date(&village.name, printed_on),
            founded_on => found.founded_on,
            dissolved_on => found.dissolved_on,
            members => members,
            inactive => found.inactive_mediators,
            received => found.received,
            successful => found.successful,
            unsuccessful => found.unsuccessful,
            in_progress => found.in_progress_at_end,
            sessions => found.sessions,
            rate_concluded => found.success_rate_of_concluded,
            rate_received => found.success_rate_of_received,
            leader => leader,
        },
    )
}
