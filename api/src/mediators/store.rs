use diesel::prelude::*;

use super::dto::{
    CreateMediator, EndMembership, LegalTraining, MediatorDto, MembershipEndReason, MembershipRole, NewMembership, RemovalRequest,
    TransferMembership, UpdateMediator,
};
use super::model::{Mediator, Membership};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{Action, Actor, Role, Scope};
use crate::db::area::Area;
use crate::db::schema::{mediators, memberships};
use crate::db::{new_id, now, today, DbConn, MultiBackend};
use crate::error::ApiError;
use crate::text;
use crate::versioned::{self, Edit};

/// Whether the caller sees the sensitive ethnic-minority flag: those who manage mediators.
pub fn shows_sensitive(actor: &Actor) -> bool {
    crate::auth::policy::allows(actor.role, Action::ManageMediators)
}

/// The mediators the caller may see: by residence in the subtree for officers and viewers; the
/// members of their own teams for team leaders and mediators.
fn visible(conn: &mut DbConn, actor: &Actor) -> Result<mediators::BoxedQuery<'static, MultiBackend>, ApiError> {
    let mut q = mediators::table.into_boxed();
    match actor.role {
        Role::TeamLeader | Role::Mediator => {
            let teams = crate::teams::store::my_team_ids(conn, actor)?;
            let day = today();
            let ids: Vec<String> = memberships::table
                .filter(memberships::team_id.eq_any(teams))
                .filter(memberships::from_date.le(day))
                .filter(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
                .select(memberships::mediator_id)
                .load(conn)?;
            q = q.filter(mediators::id.eq_any(ids));
        }
        _ => {
            if let Some(inside) = actor.scope.contains(mediators::unit_path) {
                q = q.filter(inside);
            }
        }
    }
    Ok(q)
}

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Mediator, ApiError> {
    visible(conn, actor)?
        .filter(mediators::id.eq(id.to_string()))
        .select(Mediator::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)
}

/// A mediator record by residence scope only (for linking accounts).
pub fn find_in_scope(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Mediator, ApiError> {
    let mut q = mediators::table.filter(mediators::id.eq(id.to_string())).select(Mediator::as_select()).into_boxed();
    if let Some(inside) = scope.contains(mediators::unit_path) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

pub fn memberships_of(conn: &mut DbConn, mediator_id: &str) -> Result<Vec<Membership>, ApiError> {
    Ok(memberships::table
        .filter(memberships::mediator_id.eq(mediator_id))
        .select(Membership::as_select())
        .order((memberships::from_date.asc(), memberships::id.asc()))
        .load(conn)?)
}

pub fn dto(conn: &mut DbConn, actor: &Actor, m: Mediator) -> Result<MediatorDto, ApiError> {
    let ms = memberships_of(conn, &m.id)?;
    Ok(MediatorDto::new(m, ms, shows_sensitive(actor)))
}

/// The answers for a page of mediators: their memberships in one query, not one per mediator.
pub fn dtos(conn: &mut DbConn, actor: &Actor, list: Vec<Mediator>) -> Result<Vec<MediatorDto>, ApiError> {
    let ids: Vec<&str> = list.iter().map(|m| m.id.as_str()).collect();
    let mut by_mediator: std::collections::HashMap<String, Vec<Membership>> = std::collections::HashMap::new();
    if !ids.is_empty() {
        let rows: Vec<Membership> = memberships::table
            .filter(memberships::mediator_id.eq_any(ids))
            .select(Membership::as_select())
            .order((memberships::from_date.asc(), memberships::id.asc()))
            .load(conn)?;
        for m in rows {
            by_mediator.entry(m.mediator_id.clone()).or_default().push(m);
        }
    }
    let sensitive = shows_sensitive(actor);
    Ok(list
        .into_iter()
        .map(|m| {
            let ms = by_mediator.remove(&m.id).unwrap_or_default();
            MediatorDto::new(m, ms, sensitive)
        })
        .collect())
}

/// The audit keeps mediators without the sensitive flag's value.
fn audit_value(conn: &mut DbConn, m: &Mediator) -> Result<serde_json::Value, ApiError> {
    let ms = memberships_of(conn, &m.id)?;
    Ok(serde_json::to_value(MediatorDto::new(m.clone(), ms, false)).unwrap_or_default())
}

pub struct MediatorFilter {
    pub team_id: Option<String>,
    /// Records of this area only (a unit asked for, with its predecessors').
    pub within: Option<Area>,
    pub q: Option<String>,
    pub after_id: Option<String>,
    pub limit: i64,
}

pub fn list(conn: &mut DbConn, actor: &Actor, f: &MediatorFilter) -> Result<Vec<Mediator>, ApiError> {
    let mut q = visible(conn, actor)?.select(Mediator::as_select());
    if let Some(team) = &f.team_id {
        let day = today();
        let ids: Vec<String> = memberships::table
            .filter(memberships::team_id.eq(team))
            .filter(memberships::from_date.le(day))
            .filter(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
            .select(memberships::mediator_id)
            .load(conn)?;
        q = q.filter(mediators::id.eq_any(ids));
    }
    if let Some(area) = &f.within {
        q = q.filter(area.contains(mediators::unit_path));
    }
    if let Some(t) = &f.q {
        q = q.filter(mediators::search_key.like(text::contains_pattern(t)).escape('\\'));
    }
    if let Some(after) = &f.after_id {
        q = q.filter(mediators::id.gt(after.clone()));
    }
    Ok(q.order(mediators::id.asc()).limit(f.limit + 1).load(conn)?)
}

fn village_in_scope(conn: &mut DbConn, actor: &Actor, unit_id: &uuid::Uuid) -> Result<crate::units::model::Unit, ApiError> {
    let unit =
        crate::units::store::find(conn, &actor.scope, &unit_id.to_string()).map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    if unit.level != "village" {
        return Err(ApiError::invalid_field("unit_id", "invalid_value"));
    }
    Ok(unit)
}

pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateMediator) -> Result<(Mediator, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = mediators::table.find(&id).select(Mediator::as_select()).first(conn).optional()? {
        let same = existing.full_name == input.full_name.trim() && existing.unit_id == input.unit_id.to_string();
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let unit = village_in_scope(conn, actor, &input.unit_id)?;
    let stamp = now();
    let full_name = input.full_name.trim().to_string();
    let mediator = Mediator {
        id,
        search_key: text::fold(&full_name),
        full_name,
        sex: input.sex.as_str().into(),
        birth_year: input.birth_year,
        ethnic_minority: input.ethnic_minority,
        unit_id: unit.id,
        unit_path: unit.path,
        phone: input.phone,
        legal_training: input.legal_training.unwrap_or(LegalTraining::None).as_str().into(),
        occupation: input.occupation,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(mediators::table).values(&mediator).execute(conn)?;
    if let Some(m) = input.membership {
        insert_membership(conn, actor, &mediator.id, m)?;
    }
    let new = audit_value(conn, &mediator)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "mediator",
            entity_id: &mediator.id,
            unit_path: Some(&mediator.unit_path),
            old: None,
            new: Some(new),
        },
    )?;
    Ok((mediator, true))
}

pub fn update(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateMediator) -> Result<Mediator, ApiError> {
    let current = find(conn, actor, id)?;
    let old = audit_value(conn, &current)?;
    let version =
        versioned::check(version, current.version, || Ok(serde_json::to_value(dto(conn, actor, current.clone())?).unwrap_or_default()))?;
    let mut next = current.clone();
    if let Some(n) = patch.full_name {
        next.full_name = n.trim().to_string();
        next.search_key = text::fold(&next.full_name);
    }
    if let Some(s) = patch.sex {
        next.sex = s.as_str().into();
    }
    if let Some(b) = patch.birth_year {
        if b.is_some_and(|y| !(1900..=2100).contains(&y)) {
            return Err(ApiError::invalid_field("birth_year", "range"));
        }
        next.birth_year = b;
    }
    if let Some(e) = patch.ethnic_minority {
        next.ethnic_minority = e;
    }
    if let Some(u) = patch.unit_id {
        let unit = village_in_scope(conn, actor, &u)?;
        next.unit_id = unit.id;
        next.unit_path = unit.path;
    }
    if let Some(p) = patch.phone {
        next.phone = p;
    }
    if let Some(l) = patch.legal_training {
        next.legal_training = l.as_str().into();
    }
    if let Some(o) = patch.occupation {
        next.occupation = o;
    }
    next.version += 1;
    next.updated_at = now();
    // Sex, ethnicity and legal training are counted in the roster of every team the mediator served
    // in; a change of anything else leaves the roster as it is.
    let counted_changed =
        (next.sex != current.sex) || (next.ethnic_minority != current.ethnic_minority) || (next.legal_training != current.legal_training);
    let teams = if counted_changed { crate::stats::roster::teams_of_mediator(conn, id)? } else { Vec::new() };
    Edit { who: &Who::from(actor), action: "update", entity: "mediator", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            crate::stats::roster::around_teams(c, &teams, |c| {
                Ok(diesel::update(mediators::table.filter(mediators::id.eq(id)).filter(mediators::version.eq(version)))
                    .set(&next)
                    .execute(c)?)
            })
        },
        |c| {
            let fresh = find(c, actor, id)?;
            let v = fresh.version;
            Ok((serde_json::to_value(dto(c, actor, fresh)?).unwrap_or_default(), v))
        },
        |c| {
            let new = audit_value(c, &next)?;
            Ok((old, new))
        },
    )?;
    Ok(next)
}

fn insert_membership(conn: &mut DbConn, actor: &Actor, mediator_id: &str, m: NewMembership) -> Result<Membership, ApiError> {
    let team =
        crate::teams::store::find(conn, actor, &m.team_id.to_string()).map_err(|_| ApiError::invalid_field("team_id", "not_found"))?;
    // A team in a village closed by a merger takes no new member: the successor's team does.
    crate::units::validity::ensure_open(conn, &team.unit_path, m.from_date, "from_date")?;
    // One membership at a time: serving in two teams at once is a data error worth refusing.
    let open = memberships_of(conn, mediator_id)?.into_iter().any(|x| x.to_date.is_none_or(|to| to > m.from_date));
    if open {
        return Err(ApiError::conflict("membership_overlaps").with_detail(
            "Hòa giải viên đang là thành viên của một tổ; hãy kết thúc tư cách thành viên trước",
            "The mediator is still a member of a team; end that membership first",
        ));
    }
    let stamp = now();
    let row = Membership {
        id: new_id(),
        mediator_id: mediator_id.into(),
        team_id: team.id,
        role: m.role.as_str().into(),
        recognition_decision: m.recognition_decision,
        recognition_date: m.recognition_date,
        from_date: m.from_date,
        to_date: None,
        end_reason: None,
        end_decision: None,
        end_decision_date: None,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
        removal_requested_by: None,
        removal_requested_on: None,
        removal_reason: None,
    };
    crate::stats::roster::around_teams(conn, std::slice::from_ref(&row.team_id), |c| {
        Ok(diesel::insert_into(memberships::table).values(&row).execute(c)?)
    })?;
    Ok(row)
}

/// Adds a membership (joining a team, or becoming its leader after an election).
pub fn add_membership(conn: &mut DbConn, actor: &Actor, mediator_id: &str, m: NewMembership) -> Result<Mediator, ApiError> {
    let mediator = find(conn, actor, mediator_id)?;
    let old = audit_value(conn, &mediator)?;
    insert_membership(conn, actor, &mediator.id, m)?;
    bump(conn, actor, mediator, old)
}

/// The mediator's membership `membership_id`, still running: 404 if it is not theirs, 409 if it
/// has ended.
fn open_membership(conn: &mut DbConn, mediator_id: &str, membership_id: &str) -> Result<Membership, ApiError> {
    let ms: Membership = memberships::table
        .filter(memberships::id.eq(membership_id))
        .filter(memberships::mediator_id.eq(mediator_id))
        .select(Membership::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)?;
    if ms.to_date.is_some() {
        return Err(ApiError::conflict("membership_ended"));
    }
    Ok(ms)
}

/// Ends a running membership on `to_date` (the first day no longer served), with the reason and
/// the decision; the team's roster rollups follow in the same transaction.
fn close_membership(conn: &mut DbConn, ms: &Membership, end: Closing) -> Result<(), ApiError> {
    crate::stats::roster::around_teams(conn, std::slice::from_ref(&ms.team_id), |c| {
        Ok(diesel::update(memberships::table.find(&ms.id))
            .set((
                memberships::to_date.eq(end.to_date),
                memberships::end_reason.eq(end.reason.as_str()),
                memberships::end_decision.eq(end.decision),
                memberships::end_decision_date.eq(end.decision_date),
                memberships::removal_requested_by.eq(end.request.map(|r| r.requested_by.as_str())),
                memberships::removal_requested_on.eq(end.request.map(|r| r.requested_on)),
                memberships::removal_reason.eq(end.removal_reason),
                memberships::version.eq(ms.version + 1),
                memberships::updated_at.eq(now()),
            ))
            .execute(c)?)
    })?;
    Ok(())
}

/// How a membership ends: the day, the reason, the chairman's decision and, for a removal, the
/// request it was decided on.
struct Closing {
    to_date: chrono::NaiveDate,
    reason: MembershipEndReason,
    decision: Option<String>,
    decision_date: Option<chrono::NaiveDate>,
    request: Option<RemovalRequest>,
    removal_reason: Option<String>,
}

/// Ends a membership, with the reason and the decision.
pub fn end_membership(
    conn: &mut DbConn,
    actor: &Actor,
    mediator_id: &str,
    membership_id: &str,
    e: EndMembership,
) -> Result<Mediator, ApiError> {
    let mediator = find(conn, actor, mediator_id)?;
    let old = audit_value(conn, &mediator)?;
    let ms = open_membership(conn, &mediator.id, membership_id)?;
    if e.to_date < ms.from_date {
        return Err(ApiError::invalid_field("to_date", "invalid_value"));
    }
    let ending = super::rules::Ending {
        reason: e.end_reason,
        to_date: e.to_date,
        decision: e.end_decision.as_deref(),
        decision_date: e.end_decision_date,
        request: e.removal_request,
        removal_reason: e.removal_reason.as_deref(),
    };
    super::rules::check_ending(&ending, today()).map_err(|(field, code)| ApiError::invalid_field(field, code))?;
    let closing = Closing {
        to_date: e.to_date,
        reason: e.end_reason,
        decision: e.end_decision.map(|d| d.trim().to_string()),
        decision_date: e.end_decision_date,
        request: e.removal_request,
        removal_reason: e.removal_reason.map(|r| r.trim().to_string()),
    };
    close_membership(conn, &ms, closing)?;
    bump(conn, actor, mediator, old)
}

/// Moves an open membership to a team that carries on the old one's work (after a merger): ends it
/// on `t.on` as `transferred` and starts the new one that day, in one write.
pub fn transfer_membership(
    conn: &mut DbConn,
    actor: &Actor,
    mediator_id: &str,
    membership_id: &str,
    t: TransferMembership,
) -> Result<Mediator, ApiError> {
    let mediator = find(conn, actor, mediator_id)?;
    let old = audit_value(conn, &mediator)?;
    let ms = open_membership(conn, &mediator.id, membership_id)?;
    if t.on <= ms.from_date {
        return Err(ApiError::invalid_field("on", "invalid_value"));
    }
    let to = crate::teams::store::find(conn, actor, &t.team_id.to_string()).map_err(|_| ApiError::invalid_field("team_id", "not_found"))?;
    let from_team = crate::teams::store::find(conn, &Actor::system(), &ms.team_id)?;
    if to.id == from_team.id || !crate::teams::store::carries_on(conn, &to, &from_team.id, &from_team.unit_path)? {
        return Err(ApiError::invalid_field("team_id", "not_a_successor")
            .with_detail("Tổ nhận không phải tổ hòa giải kế thừa của tổ cũ", "The team does not carry on the old team's work"));
    }
    // The new chairman's decision ends the old membership as it starts the new one.
    let closing = Closing {
        to_date: t.on,
        reason: MembershipEndReason::Transferred,
        decision: Some(t.recognition_decision.clone()),
        decision_date: Some(t.recognition_date),
        request: None,
        removal_reason: None,
    };
    close_membership(conn, &ms, closing)?;
    let role = match t.role {
        Some(r) => r,
        None => MembershipRole::parse(&ms.role).ok_or_else(ApiError::internal)?,
    };
    let next = NewMembership {
        team_id: t.team_id,
        role,
        recognition_decision: Some(t.recognition_decision),
        recognition_date: Some(t.recognition_date),
        from_date: t.on,
    };
    insert_membership(conn, actor, &mediator.id, next)?;
    bump(conn, actor, mediator, old)
}

/// A membership change is a change of the mediator: new version, one audit row.
fn bump(conn: &mut DbConn, actor: &Actor, mut mediator: Mediator, old: serde_json::Value) -> Result<Mediator, ApiError> {
    mediator.version += 1;
    mediator.updated_at = now();
    diesel::update(mediators::table.find(&mediator.id))
        .set((mediators::version.eq(mediator.version), mediators::updated_at.eq(mediator.updated_at)))
        .execute(conn)?;
    let new = audit_value(conn, &mediator)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "update",
            entity: "mediator",
            entity_id: &mediator.id,
            unit_path: Some(&mediator.unit_path),
            old: Some(old),
            new: Some(new),
        },
    )?;
    Ok(mediator)
}

/// The team a mediator served in on a day (the earliest membership, if several).
pub fn team_on(conn: &mut DbConn, mediator_id: &str, day: chrono::NaiveDate) -> Result<Option<String>, ApiError> {
    Ok(memberships::table
        .filter(memberships::mediator_id.eq(mediator_id))
        .filter(memberships::from_date.le(day))
        .filter(memberships::to_date.is_null().or(memberships::to_date.gt(day)))
        .select(memberships::team_id)
        .order(memberships::from_date.asc())
        .first(conn)
        .optional()?)
}
