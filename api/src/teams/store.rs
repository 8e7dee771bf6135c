use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::{CreateTeam, TeamDto, TeamHealth, UpdateTeam};
use super::model::Team;
use super::rules::{self, Composition};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{Actor, Role};
use crate::db::area::Area;
use crate::db::schema::{mediators, memberships, team_predecessors, teams, units};
use crate::db::{new_id, now, today, DbConn, MultiBackend};
use crate::error::ApiError;
use crate::text;
use crate::versioned::{self, Edit};

/// The teams a team leader or mediator serves in today.
pub fn my_team_ids(conn: &mut DbConn, actor: &Actor) -> Result<Vec<String>, ApiError> {
    let Some(mediator_id) = &actor.mediator_id else { return Ok(Vec::new()) };
    // On the backend's own connection (`dispatch!`): asked by every list of a team leader's cases.
    Ok(crate::dispatch!(conn, |c| memberships::table.filter(serving_on(mediator_id, today())).select(memberships::team_id).load(c))?)
}

/// The memberships of a mediator record in force on `day`.
#[diesel::dsl::auto_type]
fn serving_on<'a>(mediator_id: &'a str, day: NaiveDate) -> _ {
    memberships::mediator_id
        .eq(mediator_id)
        .and(memberships::from_date.le(day))
        .and(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
}

/// The teams the caller may see: the subtree for officers and viewers, their own teams for team
/// leaders and mediators.
pub fn visible(conn: &mut DbConn, actor: &Actor) -> Result<teams::BoxedQuery<'static, MultiBackend>, ApiError> {
    let mut q = teams::table.into_boxed();
    match actor.role {
        Role::TeamLeader | Role::Mediator => q = q.filter(teams::id.eq_any(my_team_ids(conn, actor)?)),
        _ => {
            if let Some(inside) = actor.scope.contains(teams::unit_path) {
                q = q.filter(inside);
            }
        }
    }
    Ok(q)
}

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Team, ApiError> {
    if matches!(actor.role, Role::TeamLeader | Role::Mediator) {
        // The team by its key if the caller serves in it today: one statement, which the
        // connection keeps prepared (`visible`'s `IN (…)` of the own teams would be prepared
        // afresh on SQLite) — on every case create, so on the backend's own connection
        // (`dispatch!`).
        let Some(mediator_id) = &actor.mediator_id else { return Err(ApiError::not_found()) };
        let own = crate::dispatch!(conn, |c| teams::table
            .find(id)
            .filter(diesel::dsl::exists(
                memberships::table.filter(serving_on(mediator_id, today())).filter(memberships::team_id.eq(id.to_string())),
            ))
            .select(Team::as_select())
            .get_result(c));
        return own.optional()?.ok_or_else(ApiError::not_found);
    }
    visible(conn, actor)?
        .filter(teams::id.eq(id.to_string()))
        .select(Team::as_select())
        .get_result(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)
}

pub fn predecessors(conn: &mut DbConn, team_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(team_predecessors::table
        .filter(team_predecessors::team_id.eq(team_id))
        .select(team_predecessors::predecessor_id)
        .order(team_predecessors::predecessor_id.asc())
        .load(conn)?)
}

/// Whether `team` may carry on the work of the team `old_team_id`, kept at `old_path`: it lists
/// that team among its predecessors, or its commune answers today for the old team's village (the
/// same commune, or one that merged into it).
pub fn carries_on(conn: &mut DbConn, team: &Team, old_team_id: &str, old_path: &str) -> Result<bool, ApiError> {
    if predecessors(conn, &team.id)?.iter().any(|p| p == old_team_id) {
        return Ok(true);
    }
    let village = crate::units::store::find(conn, &crate::auth::Scope::national(), &team.unit_id)?;
    let Some(commune_id) = village.parent_id else { return Ok(false) };
    let commune = crate::units::store::find(conn, &crate::auth::Scope::national(), &commune_id)?;
    Ok(crate::units::store::todays_area_of(conn, &commune)?.covers(old_path))
}

pub fn dto(conn: &mut DbConn, team: Team) -> Result<TeamDto, ApiError> {
    let preds = predecessors(conn, &team.id)?;
    Ok(TeamDto::new(team, preds))
}

/// The answers for a page of teams: their predecessors in one query, not one per team.
pub fn dtos(conn: &mut DbConn, teams: Vec<Team>) -> Result<Vec<TeamDto>, ApiError> {
    let ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
    let mut preds: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
    if !ids.is_empty() {
        let rows: Vec<(String, String)> = team_predecessors::table
            .filter(team_predecessors::team_id.eq_any(ids))
            .select((team_predecessors::team_id, team_predecessors::predecessor_id))
            .order((team_predecessors::team_id.asc(), team_predecessors::predecessor_id.asc()))
            .load(conn)?;
        for (team, pred) in rows {
            preds.entry(team).or_default().push(pred);
        }
    }
    Ok(teams
        .into_iter()
        .map(|t| {
            let p = preds.remove(&t.id).unwrap_or_default();
            TeamDto::new(t, p)
        })
        .collect())
}

pub struct TeamFilter {
    /// Records of this area only (a unit asked for, with its predecessors').
    pub within: Option<Area>,
    pub active: Option<bool>,
    pub q: Option<String>,
    pub after_id: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, actor: &Actor, f: &TeamFilter) -> Result<Vec<Team>, ApiError> {
    let mut q = visible(conn, actor)?.select(Team::as_select());
    if let Some(area) = &f.within {
        q = q.filter(area.contains(teams::unit_path));
    }
    match f.active {
        Some(true) => q = q.filter(teams::dissolved_on.is_null().or(teams::dissolved_on.gt(today()))),
        Some(false) => q = q.filter(teams::dissolved_on.le(today())),
        None => {}
    }
    if let Some(t) = &f.q {
        q = q.filter(teams::search_key.like(text::contains_pattern(t)).escape('\\'));
    }
    if let Some(after) = &f.after_id {
        q = q.filter(teams::id.gt(after.clone()));
    }
    Ok(q.order(teams::id.asc()).limit(f.limit + 1).load(conn)?)
}

fn audit_value(conn: &mut DbConn, t: &Team) -> Result<serde_json::Value, ApiError> {
    Ok(serde_json::to_value(dto(conn, t.clone())?).unwrap_or_default())
}

/// The predecessor teams, each visible to the caller and not the team itself.
fn check_predecessors(conn: &mut DbConn, actor: &Actor, team_id: &str, ids: &[uuid::Uuid]) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::new();
    for id in ids {
        let id = id.to_string();
        if id == team_id {
            return Err(ApiError::invalid_field("predecessor_ids", "invalid_value"));
        }
        find(conn, actor, &id).map_err(|_| ApiError::invalid_field("predecessor_ids", "not_found"))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

fn write_predecessors(conn: &mut DbConn, team_id: &str, ids: &[String]) -> Result<(), ApiError> {
    diesel::delete(team_predecessors::table.filter(team_predecessors::team_id.eq(team_id))).execute(conn)?;
    for id in ids {
        diesel::insert_into(team_predecessors::table)
            .values((team_predecessors::team_id.eq(team_id), team_predecessors::predecessor_id.eq(id)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateTeam) -> Result<(Team, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = teams::table.find(&id).select(Team::as_select()).get_result(conn).optional()? {
        let same = existing.name == input.name.trim() && existing.unit_id == input.unit_id.to_string();
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let unit = crate::units::store::find(conn, &actor.scope, &input.unit_id.to_string())
        .map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    if unit.level != "village" {
        return Err(ApiError::invalid_field("unit_id", "invalid_value")
            .with_detail("Tổ hòa giải được tổ chức ở thôn, tổ dân phố", "A team works in a village or residential group"));
    }
    crate::units::validity::ensure_open(conn, &unit.path, input.founded_on, "founded_on")?;
    let preds = check_predecessors(conn, actor, &id, &input.predecessor_ids)?;
    let stamp = now();
    let name = input.name.trim().to_string();
    let team = Team {
        id,
        search_key: text::fold(&name),
        name,
        unit_id: unit.id,
        unit_path: unit.path,
        founded_on: input.founded_on,
        dissolved_on: None,
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    // The statistics' roster rollups change with the team, in the same transaction.
    crate::stats::roster::around_teams(conn, std::slice::from_ref(&team.id), |c| {
        Ok(diesel::insert_into(teams::table).values(&team).execute(c)?)
    })?;
    write_predecessors(conn, &team.id, &preds)?;
    let new = audit_value(conn, &team)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "team", entity_id: &team.id, unit_path: Some(&team.unit_path), old: None, new: Some(new) },
    )?;
    Ok((team, true))
}

pub fn update(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateTeam) -> Result<Team, ApiError> {
    let current = find(conn, actor, id)?;
    let old = audit_value(conn, &current)?;
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    if let Some(name) = patch.name {
        next.name = name.trim().to_string();
        next.search_key = text::fold(&next.name);
    }
    if let Some(d) = patch.founded_on {
        next.founded_on = d;
    }
    if let Some(d) = patch.dissolved_on {
        next.dissolved_on = d;
    }
    if let Some(n) = patch.notes {
        next.notes = n;
    }
    if next.dissolved_on.is_some_and(|d| d < next.founded_on) {
        return Err(ApiError::invalid_field("dissolved_on", "invalid_value"));
    }
    next.version += 1;
    next.updated_at = now();
    // The roster counts a team by its dates; a new name or note leaves it as it is.
    let affected =
        if (next.founded_on, next.dissolved_on) != (current.founded_on, current.dissolved_on) { vec![id.to_string()] } else { Vec::new() };
    Edit { who: &Who::from(actor), action: "update", entity: "team", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            crate::stats::roster::around_teams(c, &affected, |c| {
                Ok(diesel::update(teams::table.filter(teams::id.eq(id)).filter(teams::version.eq(version))).set(&next).execute(c)?)
            })
        },
        |c| {
            let fresh = find(c, actor, id)?;
            Ok((audit_value(c, &fresh)?, fresh.version))
        },
        |c| {
            if let Some(ids) = patch.predecessor_ids {
                let preds = check_predecessors(c, actor, id, &ids)?;
                write_predecessors(c, id, &preds)?;
            }
            Ok((old, audit_value(c, &next)?))
        },
    )?;
    Ok(next)
}

/// The team's composition today against the law's rules.
pub fn health(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<TeamHealth, ApiError> {
    let team = find(conn, actor, id)?;
    let composition = composition_on(conn, &team, today())?;
    Ok(TeamHealth {
        team_id: team.id,
        active_mediators: composition.active_mediators,
        women: composition.women,
        ethnic_minority: composition.ethnic_minority,
        leaders: composition.leaders,
        ethnic_minority_area: composition.ethnic_minority_area,
        warnings: rules::warnings(&composition),
    })
}

/// Who served in the team on a day, as the composition rules see them.
pub fn composition_on(conn: &mut DbConn, team: &Team, day: chrono::NaiveDate) -> Result<Composition, ApiError> {
    let people: Vec<(String, String, bool)> = memberships::table
        .inner_join(mediators::table)
        .filter(memberships::team_id.eq(&team.id))
        .filter(memberships::from_date.le(day))
        .filter(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
        .select((memberships::role, mediators::sex, mediators::ethnic_minority))
        .load(conn)?;
    let ethnic_minority_area: bool = units::table.find(&team.unit_id).select(units::ethnic_minority_area).get_result(conn)?;
    Ok(Composition {
        active_mediators: people.len() as i64,
        women: people.iter().filter(|(_, sex, _)| sex == "female").count() as i64,
        ethnic_minority: people.iter().filter(|(_, _, e)| *e).count() as i64,
        leaders: people.iter().filter(|(role, _, _)| role == "leader").count() as i64,
        ethnic_minority_area,
    })
}
