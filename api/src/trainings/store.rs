use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::dto::*;
use super::model::Training;
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{Actor, Role};
use crate::db::area::Area;
use crate::db::schema::{mediators, memberships, teams, training_attendance, trainings};
use crate::db::{new_id, now, today, DbConn, MultiBackend};
use crate::error::ApiError;
use crate::versioned::{self, Edit};

/// The members of the caller's own teams today (team leaders and mediators).
fn my_team_members(conn: &mut DbConn, actor: &Actor) -> Result<Vec<String>, ApiError> {
    let team_ids = crate::teams::store::my_team_ids(conn, actor)?;
    let day = today();
    Ok(memberships::table
        .filter(memberships::team_id.eq_any(team_ids))
        .filter(memberships::from_date.le(day))
        .filter(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
        .select(memberships::mediator_id)
        .load(conn)?)
}

/// Officers and viewers see the trainings kept in their subtree; team leaders and mediators the
/// trainings their team's mediators attended.
fn visible(conn: &mut DbConn, actor: &Actor) -> Result<trainings::BoxedQuery<'static, MultiBackend>, ApiError> {
    let mut q = trainings::table.into_boxed();
    match actor.role {
        Role::TeamLeader | Role::Mediator => {
            let members = my_team_members(conn, actor)?;
            let ids: Vec<String> = training_attendance::table
                .filter(training_attendance::mediator_id.eq_any(members))
                .select(training_attendance::training_id)
                .distinct()
                .load(conn)?;
            q = q.filter(trainings::id.eq_any(ids));
        }
        _ => {
            if let Some(inside) = actor.scope.contains(trainings::unit_path) {
                q = q.filter(inside);
            }
        }
    }
    Ok(q)
}

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Training, ApiError> {
    visible(conn, actor)?
        .filter(trainings::id.eq(id.to_string()))
        .select(Training::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)
}

pub fn dto(conn: &mut DbConn, t: Training) -> Result<TrainingDto, ApiError> {
    dtos(conn, vec![t])?.pop().ok_or_else(ApiError::internal)
}

/// The answers for trainings: their attendance in one query, not one per training.
pub fn dtos(conn: &mut DbConn, list: Vec<Training>) -> Result<Vec<TrainingDto>, ApiError> {
    let ids: Vec<&str> = list.iter().map(|t| t.id.as_str()).collect();
    let mut by_training: std::collections::HashMap<String, Vec<AttendanceDto>> = std::collections::HashMap::new();
    if !ids.is_empty() {
        let rows = training_attendance::table
            .inner_join(mediators::table)
            .filter(training_attendance::training_id.eq_any(ids))
            .select((
                training_attendance::training_id,
                training_attendance::mediator_id,
                mediators::full_name,
                training_attendance::present,
            ))
            .order((mediators::search_key.asc(), mediators::id.asc()))
            .load::<(String, String, String, bool)>(conn)?;
        for (training, mediator_id, full_name, present) in rows {
            by_training.entry(training).or_default().push(AttendanceDto { mediator_id, full_name, present });
        }
    }
    Ok(list
        .into_iter()
        .map(|t| {
            let attendance = by_training.remove(&t.id).unwrap_or_default();
            training_dto(t, attendance)
        })
        .collect())
}

fn training_dto(t: Training, attendance: Vec<AttendanceDto>) -> TrainingDto {
    TrainingDto {
        present_count: attendance.iter().filter(|a| a.present).count() as i64,
        id: t.id,
        unit_id: t.unit_id,
        held_on: t.held_on,
        title: t.title,
        organiser: t.organiser,
        trainer: t.trainer,
        level: TrainingLevel::parse(&t.level).unwrap_or(TrainingLevel::Commune),
        place: t.place,
        topics: serde_json::from_str(&t.topics).unwrap_or_default(),
        notes: t.notes,
        attendance,
        version: t.version,
        created_at: t.created_at.and_utc(),
        updated_at: t.updated_at.and_utc(),
    }
}

pub struct TrainingFilter {
    /// Records of this area only (a unit asked for, with its predecessors').
    pub within: Option<Area>,
    pub year: Option<i32>,
    pub after_id: Option<String>,
    pub limit: i64,
}

/// Newest first (ids are time-ordered UUIDv7).
pub fn list(conn: &mut DbConn, actor: &Actor, f: &TrainingFilter) -> Result<Vec<Training>, ApiError> {
    let mut q = visible(conn, actor)?.select(Training::as_select());
    if let Some(area) = &f.within {
        q = q.filter(area.contains(trainings::unit_path));
    }
    if let Some(y) = f.year {
        let (from, to) = year_bounds(y)?;
        q = q.filter(trainings::held_on.ge(from)).filter(trainings::held_on.le(to));
    }
    if let Some(after) = &f.after_id {
        q = q.filter(trainings::id.lt(after.clone()));
    }
    Ok(q.order(trainings::id.desc()).limit(f.limit + 1).load(conn)?)
}

pub fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| ApiError::invalid_field("year", "invalid_value"))?;
    let to = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| ApiError::invalid_field("year", "invalid_value"))?;
    Ok((from, to))
}

/// A training must be dated within reason: not before 1990 and not more than a year ahead; and
/// nobody can have attended one that has not happened yet.
fn check_dates(held_on: NaiveDate, attendance: &[AttendanceInput]) -> Result<(), ApiError> {
    if held_on.year() < 1990 || held_on > today() + chrono::Duration::days(366) {
        return Err(ApiError::invalid_field("held_on", "invalid_value"));
    }
    if held_on > today() && attendance.iter().any(|a| a.present) {
        return Err(ApiError::invalid_field("attendance", "invalid_value").with_detail(
            "Không thể ghi nhận có mặt ở buổi tập huấn chưa diễn ra",
            "Nobody can have attended a training that has not happened yet",
        ));
    }
    Ok(())
}

/// Each attendee once, a mediator living in the training unit's area (its subtree and its
/// predecessors') and visible to the caller.
fn write_attendance(conn: &mut DbConn, actor: &Actor, t: &Training, list: &[AttendanceInput]) -> Result<(), ApiError> {
    let mut seen = std::collections::HashSet::new();
    // A mediator may live in a village of a commune that merged into the training's unit.
    let unit = crate::units::store::find(conn, &crate::auth::Scope::national(), &t.unit_id)?;
    let area = crate::units::store::todays_area_of(conn, &unit)?;
    for (i, a) in list.iter().enumerate() {
        let field = format!("attendance[{i}].mediator_id");
        if !seen.insert(a.mediator_id) {
            return Err(ApiError::invalid_field(field, "duplicate"));
        }
        let m = crate::mediators::store::find(conn, actor, &a.mediator_id.to_string())
            .map_err(|_| ApiError::invalid_field(field.clone(), "not_found"))?;
        if !area.covers(&m.unit_path) {
            return Err(ApiError::invalid_field(field, "outside_unit"));
        }
    }
    diesel::delete(training_attendance::table.filter(training_attendance::training_id.eq(&t.id))).execute(conn)?;
    for a in list {
        diesel::insert_into(training_attendance::table)
            .values((
                training_attendance::training_id.eq(&t.id),
                training_attendance::mediator_id.eq(a.mediator_id.to_string()),
                training_attendance::present.eq(a.present),
            ))
            .execute(conn)?;
    }
    Ok(())
}

fn audit_value(conn: &mut DbConn, t: &Training) -> Result<serde_json::Value, ApiError> {
    Ok(serde_json::to_value(dto(conn, t.clone())?).unwrap_or_default())
}

fn topics_json(topics: &[String]) -> String {
    serde_json::to_string(&topics.iter().map(|t| t.trim()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateTraining) -> Result<(Training, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = trainings::table.find(&id).select(Training::as_select()).first(conn).optional()? {
        let same = existing.title == input.title.trim() && existing.held_on == input.held_on;
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let unit_id = match (input.unit_id, &actor.unit_id) {
        (Some(u), _) => u.to_string(),
        (None, Some(own)) => own.clone(),
        (None, None) => return Err(ApiError::invalid_field("unit_id", "required")),
    };
    let unit = crate::units::store::find(conn, &actor.scope, &unit_id).map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    check_dates(input.held_on, &input.attendance)?;
    crate::units::validity::ensure_open(conn, &unit.path, input.held_on, "held_on")?;
    crate::units::validity::district_level_on(input.level == TrainingLevel::District, input.held_on)?;
    let stamp = now();
    let t = Training {
        id,
        unit_id: unit.id,
        unit_path: unit.path,
        held_on: input.held_on,
        title: input.title.trim().into(),
        organiser: input.organiser.trim().into(),
        trainer: input.trainer.map(|s| s.trim().into()),
        level: input.level.as_str().into(),
        place: input.place.map(|s| s.trim().into()),
        topics: topics_json(&input.topics),
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(trainings::table).values(&t).execute(conn)?;
    write_attendance(conn, actor, &t, &input.attendance)?;
    let new = audit_value(conn, &t)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "training", entity_id: &t.id, unit_path: Some(&t.unit_path), old: None, new: Some(new) },
    )?;
    Ok((t, true))
}

pub fn update(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateTraining) -> Result<Training, ApiError> {
    let current = find(conn, actor, id)?;
    let old = audit_value(conn, &current)?;
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    if let Some(v) = patch.held_on {
        next.held_on = v;
    }
    if let Some(v) = patch.title {
        next.title = v.trim().into();
    }
    if let Some(v) = patch.organiser {
        next.organiser = v.trim().into();
    }
    if let Some(v) = patch.trainer {
        next.trainer = v.map(|s| s.trim().into());
    }
    if let Some(v) = patch.level {
        next.level = v.as_str().into();
    }
    crate::units::validity::district_level_on(next.level == TrainingLevel::District.as_str(), next.held_on)?;
    if let Some(v) = patch.place {
        next.place = v.map(|s| s.trim().into());
    }
    if let Some(v) = &patch.topics {
        next.topics = topics_json(v);
    }
    if let Some(v) = patch.notes {
        next.notes = v;
    }
    let attendance = match &patch.attendance {
        Some(list) => list.clone(),
        None => training_attendance::table
            .filter(training_attendance::training_id.eq(id))
            .select((training_attendance::mediator_id, training_attendance::present))
            .load::<(String, bool)>(conn)?
            .into_iter()
            .map(|(m, present)| AttendanceInput { mediator_id: m.parse().unwrap_or_default(), present })
            .collect(),
    };
    check_dates(next.held_on, &attendance)?;
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "training", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            Ok(diesel::update(trainings::table.filter(trainings::id.eq(id)).filter(trainings::version.eq(version)))
                .set(&next)
                .execute(c)?)
        },
        |c| {
            let fresh = find(c, actor, id)?;
            let value = audit_value(c, &fresh)?;
            Ok((value, fresh.version))
        },
        |c| {
            if let Some(list) = &patch.attendance {
                write_attendance(c, actor, &next, list)?;
            }
            let new = audit_value(c, &next)?;
            Ok((old, new))
        },
    )?;
    Ok(next)
}

/// The day a year's figures are taken on: its last day, or today while it runs.
pub fn as_of(year: i32) -> Result<NaiveDate, ApiError> {
    let (_, end) = year_bounds(year)?;
    Ok(end.min(today()))
}

/// The mediators serving in the given teams on `day`, with their team: (mediator, name, team, team name).
pub fn serving(conn: &mut DbConn, team_ids: &[String], day: NaiveDate) -> Result<Vec<(String, String, String, String)>, ApiError> {
    let mut rows: Vec<(String, String, String, String)> = memberships::table
        .inner_join(mediators::table)
        .inner_join(teams::table)
        .filter(memberships::team_id.eq_any(team_ids))
        .filter(memberships::from_date.le(day))
        .filter(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
        .select((mediators::id, mediators::full_name, teams::id, teams::name))
        .order((teams::name.asc(), mediators::search_key.asc(), mediators::id.asc()))
        .load(conn)?;
    // A mediator in two teams counts once, under the first.
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert(r.0.clone()));
    Ok(rows)
}

/// The teams working on `day` under `path`.
/// The teams working on `day` in `area` (national: all).
pub fn teams_on(conn: &mut DbConn, area: Option<&Area>, day: NaiveDate) -> Result<Vec<String>, ApiError> {
    let mut q = teams::table
        .filter(teams::founded_on.le(day))
        .filter(teams::dissolved_on.is_null().or(teams::dissolved_on.gt(day)))
        .select(teams::id)
        .into_boxed();
    if let Some(area) = area {
        q = q.filter(area.contains(teams::unit_path));
    }
    Ok(q.load(conn)?)
}

/// Training coverage of the mediators serving at the year's end (today for the current year).
pub fn coverage(conn: &mut DbConn, actor: &Actor, q: &CoverageQuery) -> Result<Coverage, ApiError> {
    let day = as_of(q.year)?;
    let (unit_id, team_ids) = match (q.team_id, actor.role) {
        (Some(team), _) => {
            let team = crate::teams::store::find(conn, actor, &team.to_string())?;
            (None, vec![team.id])
        }
        (None, Role::TeamLeader | Role::Mediator) => return Err(ApiError::invalid_field("team_id", "required")),
        (None, _) => {
            let unit = match (q.unit_id, &actor.unit_id) {
                (Some(u), _) => crate::units::store::find(conn, &actor.scope, &u.to_string())?,
                (None, Some(own)) => crate::units::store::find(conn, &actor.scope, own)?,
                (None, None) => return Err(ApiError::invalid_field("unit_id", "required")),
            };
            // Today's boundaries: a merged commune's coverage counts its predecessors' teams.
            let area = crate::units::store::todays_area_of(conn, &unit)?;
            let ids = teams_on(conn, Some(&area), day)?;
            (Some(unit.id), ids)
        }
    };
    coverage_of(conn, unit_id, q.team_id.map(|t| t.to_string()), &team_ids, q.year, day)
}

pub fn coverage_of(
    conn: &mut DbConn,
    unit_id: Option<String>,
    team_id: Option<String>,
    team_ids: &[String],
    year: i32,
    day: NaiveDate,
) -> Result<Coverage, ApiError> {
    let people = serving(conn, team_ids, day)?;
    let (from, to) = year_bounds(year)?;
    let ids: Vec<String> = people.iter().map(|p| p.0.clone()).collect();
    let attended: Vec<(String, String)> = training_attendance::table
        .inner_join(trainings::table)
        .filter(training_attendance::mediator_id.eq_any(&ids))
        .filter(training_attendance::present.eq(true))
        .filter(trainings::held_on.ge(from))
        .filter(trainings::held_on.le(to))
        .select((training_attendance::mediator_id, trainings::id))
        .load(conn)?;
    let trained: std::collections::HashSet<&str> = attended.iter().map(|a| a.0.as_str()).collect();
    let events: std::collections::HashSet<&str> = attended.iter().map(|a| a.1.as_str()).collect();
    let untrained: Vec<UntrainedMediator> = people
        .iter()
        .filter(|p| !trained.contains(p.0.as_str()))
        .map(|p| UntrainedMediator { mediator_id: p.0.clone(), full_name: p.1.clone(), team_id: p.2.clone(), team_name: p.3.clone() })
        .collect();
    let active = people.len() as i64;
    let trained_n = active - untrained.len() as i64;
    Ok(Coverage {
        unit_id,
        team_id,
        year,
        as_of: day,
        active_mediators: active,
        trained: trained_n,
        trained_rate: crate::stats::figures::rate(trained_n, active),
        trainings_attended: events.len() as i64,
        untrained,
    })
}
