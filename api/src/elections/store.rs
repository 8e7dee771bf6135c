//! Keeping elections and staffing decisions. The team (or unit) is found through its own store,
//! so scope is the team's; every change is audited in its transaction.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::*;
use super::rules::{self, Counted};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::calendar;
use crate::codes::stored;
use crate::db::schema::{attachments, election_candidates, elections, mediators, staffing_decisions};
use crate::db::{new_id, now, today, DbConn};
use crate::error::ApiError;

/// The chairman recognises a result within this many working days.
pub const RECOGNITION_WORKING_DAYS: u32 = 5;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = elections)]
pub struct Election {
    pub id: String,
    pub team_id: String,
    pub unit_path: String,
    pub kind: String,
    pub held_on: NaiveDate,
    pub voters: i32,
    pub votes_cast: i32,
    pub minutes_attachment_id: Option<String>,
    pub recognition_due: NaiveDate,
    pub recognised_on: Option<NaiveDate>,
    pub recognition_decision_no: Option<String>,
    pub notes: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// The elections with their candidates: one query for the candidates of them all.
fn dtos(conn: &mut DbConn, rows: Vec<Election>) -> Result<Vec<ElectionDto>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|e| e.id.as_str()).collect();
    let all: Vec<(String, Option<String>, String, i32, bool)> = election_candidates::table
        .filter(election_candidates::election_id.eq_any(ids))
        .order((election_candidates::election_id.asc(), election_candidates::position.asc()))
        .select((
            election_candidates::election_id,
            election_candidates::mediator_id,
            election_candidates::full_name,
            election_candidates::votes,
            election_candidates::elected,
        ))
        .load(conn)?;
    let mut by_election: std::collections::HashMap<String, Vec<CandidateDto>> = std::collections::HashMap::new();
    let voters: std::collections::HashMap<&str, i32> = rows.iter().map(|e| (e.id.as_str(), e.voters)).collect();
    for (election, mediator_id, full_name, votes, elected) in all {
        let of = f64::from(voters.get(election.as_str()).copied().unwrap_or(1).max(1));
        let share = (f64::from(votes) / of * 10000.0).round() / 10000.0;
        by_election.entry(election).or_default().push(CandidateDto { mediator_id, full_name, votes, share, elected });
    }
    let day = today();
    rows.into_iter()
        .map(|e| {
            Ok(ElectionDto {
                kind: stored(ElectionKind::parse(&e.kind), "elections.kind", &e.kind)?,
                overdue: calendar::late(e.recognition_due, e.recognised_on, day),
                candidates: by_election.remove(&e.id).unwrap_or_default(),
                id: e.id,
                team_id: e.team_id,
                held_on: e.held_on,
                voters: e.voters,
                votes_cast: e.votes_cast,
                minutes_attachment_id: e.minutes_attachment_id,
                recognition_due: e.recognition_due,
                recognised_on: e.recognised_on,
                recognition_decision_no: e.recognition_decision_no,
                notes: e.notes,
                version: e.version,
                created_at: e.created_at.and_utc(),
                updated_at: e.updated_at.and_utc(),
            })
        })
        .collect()
}

fn dto(conn: &mut DbConn, e: Election) -> Result<ElectionDto, ApiError> {
    dtos(conn, vec![e])?.pop().ok_or_else(ApiError::internal)
}

/// Records an election after checking its result against the rule (422 naming the candidate and
/// the rule: `majority_not_reached`, `not_the_most_votes`, `one_leader`, …).
pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateElection) -> Result<(ElectionDto, bool), ApiError> {
    let team = crate::teams::store::find(conn, actor, &input.team_id.to_string())?;
    if let Some(id) = input.id {
        let found: Option<Election> = elections::table.find(id.to_string()).select(Election::as_select()).first(conn).optional()?;
        if let Some(found) = found {
            return Ok((dto(conn, found)?, false));
        }
    }
    if input.held_on > today() {
        return Err(ApiError::invalid_field("held_on", "in_the_future"));
    }
    let counted: Vec<Counted> = input.candidates.iter().map(|c| Counted { votes: c.votes, elected: c.elected }).collect();
    rules::check(input.kind, input.voters, input.votes_cast, &counted).map_err(|(code, at)| match at {
        Some(i) => ApiError::invalid_field(format!("candidates[{i}].elected"), code),
        None => ApiError::invalid_field("votes_cast", code),
    })?;
    let named: Vec<String> = input.candidates.iter().filter_map(|c| c.mediator_id.map(|m| m.to_string())).collect();
    let known: i64 = mediators::table.filter(mediators::id.eq_any(&named)).count().get_result(conn)?;
    if known != named.len() as i64 {
        return Err(ApiError::invalid_field("candidates", "unknown_mediator"));
    }
    if let Some(minutes) = input.minutes_attachment_id {
        let owner: Option<(Option<String>, String)> =
            attachments::table.find(minutes.to_string()).select((attachments::team_id, attachments::kind)).first(conn).optional()?;
        if owner != Some((Some(team.id.clone()), "minutes".to_string())) {
            return Err(ApiError::invalid_field("minutes_attachment_id", "not_minutes_of_this_team"));
        }
    }
    let stamp = now();
    let row = Election {
        id: input.id.map(|u| u.to_string()).unwrap_or_else(new_id),
        team_id: team.id.clone(),
        unit_path: team.unit_path.clone(),
        kind: input.kind.as_str().to_string(),
        held_on: input.held_on,
        voters: input.voters,
        votes_cast: input.votes_cast,
        minutes_attachment_id: input.minutes_attachment_id.map(|u| u.to_string()),
        recognition_due: calendar::add_working_days(input.held_on, RECOGNITION_WORKING_DAYS),
        recognised_on: None,
        recognition_decision_no: None,
        notes: input.notes.map(|n| n.trim().to_string()),
        version: 1,
        created_by: actor.id.clone(),
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(elections::table)
        .values((
            elections::id.eq(&row.id),
            elections::team_id.eq(&row.team_id),
            elections::unit_path.eq(&row.unit_path),
            elections::kind.eq(&row.kind),
            elections::held_on.eq(row.held_on),
            elections::voters.eq(row.voters),
            elections::votes_cast.eq(row.votes_cast),
            elections::minutes_attachment_id.eq(&row.minutes_attachment_id),
            elections::recognition_due.eq(row.recognition_due),
            elections::notes.eq(&row.notes),
            elections::version.eq(1),
            elections::created_by.eq(&row.created_by),
            elections::created_at.eq(stamp),
            elections::updated_at.eq(stamp),
        ))
        .execute(conn)?;
    for (i, c) in input.candidates.iter().enumerate() {
        diesel::insert_into(election_candidates::table)
            .values((
                election_candidates::election_id.eq(&row.id),
                election_candidates::position.eq(i as i32),
                election_candidates::mediator_id.eq(c.mediator_id.map(|m| m.to_string())),
                election_candidates::full_name.eq(c.full_name.trim()),
                election_candidates::votes.eq(c.votes),
                election_candidates::elected.eq(c.elected),
            ))
            .execute(conn)?;
    }
    let out = dto(conn, row)?;
    let facts = serde_json::json!({"team_id": out.team_id, "kind": out.kind, "held_on": out.held_on, "voters": out.voters,
        "votes_cast": out.votes_cast, "recognition_due": out.recognition_due});
    let change =
        Change { action: "create", entity: "election", entity_id: &out.id, unit_path: Some(&team.unit_path), old: None, new: Some(facts) };
    audit::record(conn, &Who::from(actor), change)?;
    Ok((out, true))
}

/// The election's row, for those who see its team (404 otherwise).
fn find_row(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Election, ApiError> {
    let e: Election = elections::table.find(id).select(Election::as_select()).first(conn).optional()?.ok_or_else(ApiError::not_found)?;
    crate::teams::store::find(conn, actor, &e.team_id)?;
    Ok(e)
}

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<ElectionDto, ApiError> {
    let e = find_row(conn, actor, id)?;
    dto(conn, e)
}

pub fn list(conn: &mut DbConn, actor: &Actor, q: &ElectionQuery) -> Result<Vec<ElectionDto>, ApiError> {
    let mut query = elections::table.select(Election::as_select()).into_boxed();
    match q.team_id {
        Some(team) => {
            crate::teams::store::find(conn, actor, &team.to_string())?;
            query = query.filter(elections::team_id.eq(team.to_string()));
        }
        None => {
            if matches!(actor.role, crate::auth::Role::TeamLeader | crate::auth::Role::Mediator) {
                query = query.filter(elections::team_id.eq_any(crate::teams::store::my_team_ids(conn, actor)?));
            } else if let Some(inside) = actor.scope.contains(elections::unit_path) {
                query = query.filter(inside);
            }
        }
    }
    if let Some(y) = q.year {
        let (from, to) = (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31));
        if let (Some(from), Some(to)) = (from, to) {
            query = query.filter(elections::held_on.between(from, to));
        }
    }
    // `overdue` as the query (see `overdue`): not recognised and past due, or recognised late.
    let day = today();
    match q.overdue {
        Some(true) => {
            let late = elections::recognised_on.gt(elections::recognition_due.nullable()).assume_not_null();
            query = query.filter(elections::recognised_on.is_null().and(elections::recognition_due.lt(day)).or(late));
        }
        Some(false) => {
            let in_time = elections::recognised_on.le(elections::recognition_due.nullable()).assume_not_null();
            query = query.filter(elections::recognised_on.is_null().and(elections::recognition_due.ge(day)).or(in_time));
        }
        None => {}
    }
    let rows: Vec<Election> = query.order((elections::held_on.desc(), elections::id.desc())).limit(500).load(conn)?;
    dtos(conn, rows)
}

/// Records the chairman's recognition (with the version read: 428 without, 412 when stale).
pub fn recognise(conn: &mut DbConn, actor: &Actor, id: &str, expected: i32, input: RecordRecognition) -> Result<ElectionDto, ApiError> {
    let current = find_row(conn, actor, id)?;
    let version =
        crate::versioned::check(expected, current.version, || Ok(serde_json::to_value(dto(conn, current.clone())?).unwrap_or_default()))?;
    if input.decided_on < current.held_on {
        return Err(ApiError::invalid_field("decided_on", "before_the_election"));
    }
    if input.decided_on > today() {
        return Err(ApiError::invalid_field("decided_on", "in_the_future"));
    }
    let stamp = now();
    let decision_no = input.decision_no.trim().to_string();
    let updated = diesel::update(elections::table.find(id).filter(elections::version.eq(version)))
        .set((
            elections::recognised_on.eq(input.decided_on),
            elections::recognition_decision_no.eq(&decision_no),
            elections::version.eq(version + 1),
            elections::updated_at.eq(stamp),
        ))
        .execute(conn)?;
    if updated != 1 {
        let now_row = find(conn, actor, id)?;
        return Err(ApiError::stale(serde_json::to_value(&now_row).unwrap_or_default(), now_row.version));
    }
    let unit_path = current.unit_path.clone();
    let out = dto(
        conn,
        Election {
            recognised_on: Some(input.decided_on),
            recognition_decision_no: Some(decision_no),
            version: version + 1,
            updated_at: stamp,
            ..current
        },
    )?;
    let change = Change {
        action: "recognise",
        entity: "election",
        entity_id: id,
        unit_path: Some(&unit_path),
        old: None,
        new: Some(
            serde_json::json!({"recognised_on": out.recognised_on, "decision_no": out.recognition_decision_no, "overdue": out.overdue}),
        ),
    };
    audit::record(conn, &Who::from(actor), change)?;
    Ok(out)
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = staffing_decisions)]
pub struct StaffingDecision {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub decision_no: String,
    pub decided_on: NaiveDate,
    pub teams: i32,
    pub members_per_team: i32,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
}

fn decision_dto(d: StaffingDecision) -> StaffingDecisionDto {
    StaffingDecisionDto {
        id: d.id,
        unit_id: d.unit_id,
        decision_no: d.decision_no,
        decided_on: d.decided_on,
        teams: d.teams,
        members_per_team: d.members_per_team,
        notes: d.notes,
        created_at: d.created_at.and_utc(),
    }
}

pub fn create_decision(conn: &mut DbConn, actor: &Actor, input: CreateStaffingDecision) -> Result<StaffingDecisionDto, ApiError> {
    let unit = crate::units::store::find(conn, &actor.scope, &input.unit_id.to_string())?;
    if !matches!(unit.level.as_str(), "village" | "commune") {
        return Err(ApiError::invalid_field("unit_id", "not_a_village_or_commune"));
    }
    if input.decided_on > today() {
        return Err(ApiError::invalid_field("decided_on", "in_the_future"));
    }
    let row = StaffingDecision {
        id: new_id(),
        unit_id: unit.id.clone(),
        unit_path: unit.path.clone(),
        decision_no: input.decision_no.trim().to_string(),
        decided_on: input.decided_on,
        teams: input.teams,
        members_per_team: input.members_per_team,
        notes: input.notes.map(|n| n.trim().to_string()),
        created_by: actor.id.clone(),
        created_at: now(),
    };
    diesel::insert_into(staffing_decisions::table)
        .values((
            staffing_decisions::id.eq(&row.id),
            staffing_decisions::unit_id.eq(&row.unit_id),
            staffing_decisions::unit_path.eq(&row.unit_path),
            staffing_decisions::decision_no.eq(&row.decision_no),
            staffing_decisions::decided_on.eq(row.decided_on),
            staffing_decisions::teams.eq(row.teams),
            staffing_decisions::members_per_team.eq(row.members_per_team),
            staffing_decisions::notes.eq(&row.notes),
            staffing_decisions::created_by.eq(&row.created_by),
            staffing_decisions::created_at.eq(row.created_at),
        ))
        .execute(conn)?;
    let facts = serde_json::json!({"unit_id": row.unit_id, "decision_no": row.decision_no, "decided_on": row.decided_on,
        "teams": row.teams, "members_per_team": row.members_per_team});
    let change = Change {
        action: "create",
        entity: "staffing_decision",
        entity_id: &row.id,
        unit_path: Some(&row.unit_path),
        old: None,
        new: Some(facts),
    };
    audit::record(conn, &Who::from(actor), change)?;
    Ok(decision_dto(row))
}

pub fn list_decisions(conn: &mut DbConn, actor: &Actor, unit_id: Option<uuid::Uuid>) -> Result<Vec<StaffingDecisionDto>, ApiError> {
    let unit = crate::units::store::asked_or_own(conn, actor, unit_id)?;
    let rows: Vec<StaffingDecision> = staffing_decisions::table
        .filter(crate::db::area::Area::subtree(&unit.path).contains(staffing_decisions::unit_path))
        .select(StaffingDecision::as_select())
        .order((staffing_decisions::decided_on.desc(), staffing_decisions::id.desc()))
        .limit(500)
        .load(conn)?;
    Ok(rows.into_iter().map(decision_dto).collect())
}
