use diesel::prelude::*;

use super::dto::*;
use super::model::{Award, TeamRating};
use super::rules::{self, TeamYear};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::db::schema::{awards, cases, mediators, plan_targets, rating_schemes, team_ratings, teams};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::versioned::{self, Edit};

pub const DEFAULT_SCHEME: &str = "to_hoa_giai_5_tot";
pub const DEFAULT_SUCCESS_PCT: i32 = 90;
pub const DEFAULT_TRAINED_PCT: i32 = 100;

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

// --- Schemes --------------------------------------------------------------------------------

pub fn schemes(conn: &mut DbConn) -> Result<Vec<RatingSchemeDto>, ApiError> {
    let rows: Vec<(String, String, String, String)> = rating_schemes::table
        .select((rating_schemes::code, rating_schemes::name, rating_schemes::origin, rating_schemes::criteria))
        .order(rating_schemes::code.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(code, name, origin, criteria)| RatingSchemeDto {
            code,
            name,
            origin,
            criteria: serde_json::from_str(&criteria).unwrap_or_default(),
        })
        .collect())
}

pub fn scheme(conn: &mut DbConn, code: &str) -> Result<RatingSchemeDto, ApiError> {
    schemes(conn)?.into_iter().find(|s| s.code == code).ok_or_else(|| ApiError::invalid_field("scheme_code", "not_found"))
}

pub fn create_scheme(conn: &mut DbConn, actor: &Actor, input: CreateRatingScheme) -> Result<RatingSchemeDto, ApiError> {
    let code_ok = input.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !code_ok {
        return Err(ApiError::invalid_field("code", "invalid_value"));
    }
    for (i, c) in input.criteria.iter().enumerate() {
        if input.criteria.iter().filter(|o| o.code == c.code).count() > 1 {
            return Err(ApiError::invalid_field(format!("criteria[{i}].code"), "duplicate"));
        }
        if (c.kind == CriterionKind::SuccessRateAtLeast) != c.threshold_pct.is_some() {
            return Err(ApiError::invalid_field(format!("criteria[{i}].threshold_pct"), "invalid_value"));
        }
    }
    let dto =
        RatingSchemeDto { code: input.code, name: input.name.trim().into(), origin: input.origin.trim().into(), criteria: input.criteria };
    diesel::insert_into(rating_schemes::table)
        .values((
            rating_schemes::code.eq(&dto.code),
            rating_schemes::name.eq(&dto.name),
            rating_schemes::origin.eq(&dto.origin),
            rating_schemes::criteria.eq(serde_json::to_string(&dto.criteria).unwrap_or_default()),
            rating_schemes::created_at.eq(now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "rating_scheme", entity_id: &dto.code, unit_path: None, old: None, new: Some(json(&dto)) },
    )?;
    Ok(dto)
}

// --- Ratings --------------------------------------------------------------------------------

pub fn rating_dto(conn: &mut DbConn, r: TeamRating) -> Result<TeamRatingDto, ApiError> {
    let team_name = teams::table.find(&r.team_id).select(teams::name).first(conn)?;
    Ok(TeamRatingDto {
        id: r.id,
        team_id: r.team_id,
        team_name,
        year: r.year,
        scheme_code: r.scheme_code,
        results: serde_json::from_str(&r.results).unwrap_or_default(),
        rating: Rating::parse(&r.rating).unwrap_or(Rating::NotAchieved),
        notes: r.notes,
        version: r.version,
        created_at: r.created_at.and_utc(),
        updated_at: r.updated_at.and_utc(),
    })
}

pub fn list_ratings(conn: &mut DbConn, actor: &Actor, q: &ReviewQuery) -> Result<Vec<TeamRating>, ApiError> {
    let mut query = team_ratings::table.select(TeamRating::as_select()).into_boxed();
    if let Some(area) = crate::units::store::area_or_scope(conn, &actor.scope, q.unit_id)? {
        query = query.filter(area.contains(team_ratings::unit_path));
    }
    if let Some(y) = q.year {
        query = query.filter(team_ratings::year.eq(y));
    }
    Ok(query.order((team_ratings::year.desc(), team_ratings::unit_path.asc(), team_ratings::id.asc())).load(conn)?)
}

pub fn find_rating(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<TeamRating, ApiError> {
    let mut q = team_ratings::table.filter(team_ratings::id.eq(id.to_string())).select(TeamRating::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(team_ratings::unit_path) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

/// The team's cases concluded in the year (by end date).
pub fn team_year(conn: &mut DbConn, team_id: &str, year: i32) -> Result<TeamYear, ApiError> {
    let statuses: Vec<String> = cases::table
        .filter(cases::team_id.eq(team_id))
        .filter(cases::ended_year.eq(year))
        .filter(cases::status.eq_any(["successful", "unsuccessful"]))
        .select(cases::status)
        .load(conn)?;
    Ok(TeamYear { successful: statuses.iter().filter(|s| *s == "successful").count() as i64, concluded: statuses.len() as i64 })
}

pub fn create_rating(conn: &mut DbConn, actor: &Actor, input: CreateTeamRating) -> Result<(TeamRating, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = team_ratings::table.find(&id).select(TeamRating::as_select()).first(conn).optional()? {
        let same = existing.team_id == input.team_id.to_string() && existing.year == input.year;
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let team =
        crate::teams::store::find(conn, actor, &input.team_id.to_string()).map_err(|_| ApiError::invalid_field("team_id", "not_found"))?;
    let scheme = scheme(conn, input.scheme_code.as_deref().unwrap_or(DEFAULT_SCHEME))?;
    let (results, rating) = rules::rate(&scheme.criteria, team_year(conn, &team.id, input.year)?, &input.judgements)?;
    let stamp = now();
    let r = TeamRating {
        id,
        team_id: team.id,
        unit_path: team.unit_path,
        year: input.year,
        scheme_code: scheme.code,
        results: serde_json::to_string(&results).unwrap_or_default(),
        rating: rating.as_str().into(),
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(team_ratings::table).values(&r).execute(conn).map_err(|e| match ApiError::from(e) {
        err if err.code == "already_exists" => ApiError::conflict("already_rated"),
        err => err,
    })?;
    let value = json(&rating_dto(conn, r.clone())?);
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "team_rating", entity_id: &r.id, unit_path: Some(&r.unit_path), old: None, new: Some(value) },
    )?;
    Ok((r, true))
}

/// Re-rates with new judgements (the computed criteria are recomputed from today's cases).
pub fn update_rating(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateTeamRating) -> Result<TeamRating, ApiError> {
    let current = find_rating(conn, actor, id)?;
    let old = json(&rating_dto(conn, current.clone())?);
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    let previous: Vec<CriterionResult> = serde_json::from_str(&current.results).unwrap_or_default();
    let judgements = patch.judgements.unwrap_or_else(|| {
        previous.iter().filter(|r| !r.computed).map(|r| Judgement { code: r.code.clone(), met: r.met, note: r.note.clone() }).collect()
    });
    let scheme = scheme(conn, &current.scheme_code)?;
    let (results, rating) = rules::rate(&scheme.criteria, team_year(conn, &current.team_id, current.year)?, &judgements)?;
    next.results = serde_json::to_string(&results).unwrap_or_default();
    next.rating = rating.as_str().into();
    if let Some(n) = patch.notes {
        next.notes = n;
    }
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "team_rating", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            Ok(diesel::update(team_ratings::table.filter(team_ratings::id.eq(id)).filter(team_ratings::version.eq(version)))
                .set(&next)
                .execute(c)?)
        },
        |c| {
            let fresh = find_rating(c, actor, id)?;
            let value = json(&rating_dto(c, fresh.clone())?);
            Ok((value, fresh.version))
        },
        |c| {
            let value = json(&rating_dto(c, next.clone())?);
            Ok((old, value))
        },
    )?;
    Ok(next)
}

// --- Awards ---------------------------------------------------------------------------------

pub fn award_dto(conn: &mut DbConn, a: Award) -> Result<AwardDto, ApiError> {
    let recipient_name = match (&a.team_id, &a.mediator_id) {
        (Some(t), _) => teams::table.find(t).select(teams::name).first(conn)?,
        (_, Some(m)) => mediators::table.find(m).select(mediators::full_name).first(conn)?,
        _ => String::new(),
    };
    Ok(AwardDto {
        id: a.id,
        year: a.year,
        team_id: a.team_id,
        mediator_id: a.mediator_id,
        recipient_name,
        level: AwardLevel::parse(&a.level).unwrap_or(AwardLevel::Commune),
        title: a.title,
        reason: a.reason,
        decision_no: a.decision_no,
        decision_date: a.decision_date,
        amount: a.amount,
        version: a.version,
        created_at: a.created_at.and_utc(),
        updated_at: a.updated_at.and_utc(),
    })
}

pub fn list_awards(conn: &mut DbConn, actor: &Actor, q: &ReviewQuery) -> Result<Vec<Award>, ApiError> {
    let mut query = awards::table.select(Award::as_select()).into_boxed();
    if let Some(area) = crate::units::store::area_or_scope(conn, &actor.scope, q.unit_id)? {
        query = query.filter(area.contains(awards::unit_path));
    }
    if let Some(y) = q.year {
        query = query.filter(awards::year.eq(y));
    }
    Ok(query.order((awards::year.desc(), awards::id.asc())).load(conn)?)
}

pub fn find_award(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Award, ApiError> {
    let mut q = awards::table.filter(awards::id.eq(id.to_string())).select(Award::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(awards::unit_path) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

pub fn create_award(conn: &mut DbConn, actor: &Actor, input: CreateAward) -> Result<(Award, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = awards::table.find(&id).select(Award::as_select()).first(conn).optional()? {
        let same = existing.year == input.year && existing.title == input.title.trim();
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let (team_id, mediator_id, unit_path) = match (input.team_id, input.mediator_id) {
        (Some(t), None) => {
            let team =
                crate::teams::store::find(conn, actor, &t.to_string()).map_err(|_| ApiError::invalid_field("team_id", "not_found"))?;
            (Some(team.id), None, team.unit_path)
        }
        (None, Some(m)) => {
            let m = crate::mediators::store::find(conn, actor, &m.to_string())
                .map_err(|_| ApiError::invalid_field("mediator_id", "not_found"))?;
            (None, Some(m.id), m.unit_path)
        }
        _ => return Err(ApiError::invalid_field("team_id", "exactly_one_recipient")),
    };
    if input.decision_date.is_some_and(|d| d > crate::db::today()) {
        return Err(ApiError::invalid_field("decision_date", "invalid_value"));
    }
    // A district award is history: none is given after the reform (dated by its decision, else by
    // the first day after its year).
    let given_on = input.decision_date.or_else(|| chrono::NaiveDate::from_ymd_opt(input.year + 1, 1, 1)).unwrap_or_else(crate::db::today);
    crate::units::validity::district_level_on(input.level == AwardLevel::District, given_on)?;
    let stamp = now();
    let a = Award {
        id,
        unit_path,
        year: input.year,
        team_id,
        mediator_id,
        level: input.level.as_str().into(),
        title: input.title.trim().into(),
        reason: input.reason,
        decision_no: input.decision_no.map(|s| s.trim().into()),
        decision_date: input.decision_date,
        amount: input.amount,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(awards::table).values(&a).execute(conn)?;
    let value = json(&award_dto(conn, a.clone())?);
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "award", entity_id: &a.id, unit_path: Some(&a.unit_path), old: None, new: Some(value) },
    )?;
    Ok((a, true))
}

pub fn update_award(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateAward) -> Result<Award, ApiError> {
    let current = find_award(conn, actor, id)?;
    let old = json(&award_dto(conn, current.clone())?);
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    if let Some(v) = patch.title {
        next.title = v.trim().into();
    }
    if let Some(v) = patch.reason {
        next.reason = v;
    }
    if let Some(v) = patch.decision_no {
        next.decision_no = v.map(|s| s.trim().into());
    }
    if let Some(v) = patch.decision_date {
        next.decision_date = v;
    }
    if let Some(v) = patch.amount {
        next.amount = v;
    }
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "award", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| Ok(diesel::update(awards::table.filter(awards::id.eq(id)).filter(awards::version.eq(version))).set(&next).execute(c)?),
        |c| {
            let fresh = find_award(c, actor, id)?;
            let value = json(&award_dto(c, fresh.clone())?);
            Ok((value, fresh.version))
        },
        |c| {
            let value = json(&award_dto(c, next.clone())?);
            Ok((old, value))
        },
    )?;
    Ok(next)
}

// --- Targets --------------------------------------------------------------------------------

pub fn targets(conn: &mut DbConn, unit_id: &str, year: i32) -> Result<PlanTargets, ApiError> {
    let row: Option<(i32, i32)> = plan_targets::table
        .filter(plan_targets::unit_id.eq(unit_id))
        .filter(plan_targets::year.eq(year))
        .select((plan_targets::success_rate_pct, plan_targets::trained_pct))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((s, t)) => PlanTargets { unit_id: unit_id.into(), year, success_rate_pct: s, trained_pct: t, is_default: false },
        None => PlanTargets {
            unit_id: unit_id.into(),
            year,
            success_rate_pct: DEFAULT_SUCCESS_PCT,
            trained_pct: DEFAULT_TRAINED_PCT,
            is_default: true,
        },
    })
}

pub fn set_targets(conn: &mut DbConn, actor: &Actor, unit_id: &str, year: i32, input: PlanTargetsInput) -> Result<PlanTargets, ApiError> {
    if !(1990..=2100).contains(&year) {
        return Err(ApiError::invalid_field("year", "out_of_range"));
    }
    let unit = crate::units::store::find(conn, &actor.scope, unit_id)?;
    let old = targets(conn, &unit.id, year)?;
    diesel::delete(plan_targets::table.filter(plan_targets::unit_id.eq(&unit.id)).filter(plan_targets::year.eq(year))).execute(conn)?;
    diesel::insert_into(plan_targets::table)
        .values((
            plan_targets::unit_id.eq(&unit.id),
            plan_targets::year.eq(year),
            plan_targets::success_rate_pct.eq(input.success_rate_pct),
            plan_targets::trained_pct.eq(input.trained_pct),
            plan_targets::updated_at.eq(now()),
        ))
        .execute(conn)?;
    let new = targets(conn, &unit.id, year)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "update",
            entity: "plan_targets",
            entity_id: &unit.id,
            unit_path: Some(&unit.path),
            old: Some(json(&old)),
            new: Some(json(&new)),
        },
    )?;
    Ok(new)
}
