use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::{CreateSuccession, CreateUnit, UnitDto, UnitLevel, UpdateUnit};
use super::model::{Succession, Unit};
use super::rules;
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Scope;
use crate::db::area::Area;
use crate::db::schema::{unit_successions, units};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::text;
use crate::versioned::{self, Edit};

/// The level of a unit (`commune`, …), for the scope carried in tokens.
pub fn level_of(conn: &mut DbConn, unit_id: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(id) = unit_id else { return Ok(None) };
    Ok(units::table.find(id).select(units::level).get_result(conn).optional()?)
}

/// The path of a `within=` filter's unit, checked against the scope (404 outside it).
pub fn path_within(conn: &mut DbConn, scope: &Scope, within: Option<uuid::Uuid>) -> Result<Option<String>, ApiError> {
    within.map(|id| find(conn, scope, &id.to_string()).map(|u| u.path)).transpose()
}

/// The `within=` filter of a record list: the unit asked for under today's boundaries — its
/// subtree and its predecessors' (404 outside the scope); `None` when none was asked for.
pub fn area_within(conn: &mut DbConn, scope: &Scope, unit: Option<uuid::Uuid>) -> Result<Option<Area>, ApiError> {
    let Some(id) = unit else { return Ok(None) };
    let unit = find(conn, scope, &id.to_string())?;
    Ok(Some(todays_area_of(conn, &unit)?))
}

/// The area a report or list covers: the unit asked for (as `area_within`), else the whole
/// scope (`None`: national, no filter).
pub fn area_or_scope(conn: &mut DbConn, scope: &Scope, unit: Option<uuid::Uuid>) -> Result<Option<Area>, ApiError> {
    Ok(match unit {
        Some(_) => area_within(conn, scope, unit)?,
        None => scope.area.clone(),
    })
}

/// The area a unit answers for today: its subtree and its predecessors' (`crate::db::area`).
pub fn todays_area_of(conn: &mut DbConn, unit: &Unit) -> Result<Area, ApiError> {
    Ok(crate::db::area::todays_area(conn, &unit.id, &unit.path)?.0)
}

/// A unit inside the scope, or 404: a unit outside it does not exist for the caller.
pub fn find(conn: &mut DbConn, scope: &Scope, id: &str) -> Result<Unit, ApiError> {
    // The scope checked here rather than by a `LIKE` in the statement: SQLite prepares a statement
    // with a bound `LIKE` again at every execution, and every statistics answer starts here.
    // On the backend's own connection (`dispatch!`): the enum's would write the statement out
    // twice at every call.
    let unit = crate::dispatch!(conn, |c| units::table.find(id).select(Unit::as_select()).get_result(c)).optional()?;
    unit.filter(|u| scope.covers(Some(&u.path))).ok_or_else(ApiError::not_found)
}

pub struct UnitFilter {
    pub parent_id: Option<String>,
    pub within_path: Option<String>,
    pub level: Option<UnitLevel>,
    pub code: Option<String>,
    pub q: Option<String>,
    pub valid_on: Option<NaiveDate>,
    pub after_path: Option<String>,
    pub limit: i64,
}

/// Units inside the scope, in tree order (by path: each unit comes before its children).
pub fn list(conn: &mut DbConn, scope: &Scope, f: &UnitFilter) -> Result<Vec<Unit>, ApiError> {
    let mut q = units::table.select(Unit::as_select()).into_boxed();
    if let Some(inside) = scope.contains(units::path) {
        q = q.filter(inside);
    }
    if let Some(p) = &f.within_path {
        q = q.filter(crate::db::area::Area::subtree(p).contains(units::path));
    }
    if let Some(p) = &f.parent_id {
        q = q.filter(units::parent_id.eq(p.clone()));
    }
    if let Some(l) = f.level {
        q = q.filter(units::level.eq(l.as_str()));
    }
    if let Some(c) = &f.code {
        q = q.filter(units::code.eq(c.clone()));
    }
    if let Some(text) = &f.q {
        q = q.filter(units::search_key.like(text::contains_pattern(text)).escape('\\'));
    }
    if let Some(day) = f.valid_on {
        q = q.filter(units::valid_from.le(day)).filter(units::valid_to.is_null().or(units::valid_to.gt(day)));
    }
    if let Some(after) = &f.after_path {
        q = q.filter(units::path.gt(after.clone()));
    }
    Ok(q.order(units::path.asc()).limit(f.limit + 1).load(conn)?)
}

fn audit_value(u: &Unit) -> serde_json::Value {
    serde_json::to_value(UnitDto::from(u.clone())).unwrap_or_default()
}

/// Creates a unit under a parent in the caller's scope. A retry with the same client-chosen id
/// answers the unit it already made (`Ok((unit, false))`).
pub fn create(conn: &mut DbConn, scope: &Scope, who: &Who<'_>, input: CreateUnit) -> Result<(Unit, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = units::table.find(&id).select(Unit::as_select()).get_result(conn).optional()? {
        let same = existing.name == input.name.trim()
            && existing.level == input.level.as_str()
            && existing.parent_id == input.parent_id.map(|p| p.to_string());
        return if same && scope.covers(Some(&existing.path)) { Ok((existing, false)) } else { Err(ApiError::conflict("already_exists")) };
    }
    let valid_from = input.valid_from.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut valid_to = input.valid_to;
    if valid_to.is_some_and(|to| to <= valid_from) {
        return Err(ApiError::invalid_field("valid_to", "invalid_value"));
    }
    if input.level == UnitLevel::District {
        valid_to = Some(super::validity::district_validity(valid_from, valid_to).map_err(super::validity::no_district_after_reform)?);
    }
    let parent = match input.parent_id {
        None if rules::allowed_parents(input.level).is_empty() => {
            if scope.path.is_some() {
                return Err(ApiError::invalid_field("parent_id", "outside_scope"));
            }
            None
        }
        None => return Err(ApiError::invalid_field("parent_id", "required")),
        Some(pid) => {
            let parent = find(conn, scope, &pid.to_string()).map_err(|_| ApiError::invalid_field("parent_id", "not_found"))?;
            let parent_level = UnitLevel::parse(&parent.level).ok_or_else(ApiError::internal)?;
            if !rules::allowed_parents(input.level).contains(&parent_level) {
                return Err(ApiError::new(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, "invalid_parent").with_detail(
                    format!("Đơn vị cấp {} không thể trực thuộc đơn vị cấp {}", input.level.as_str(), parent.level),
                    format!("A {} cannot sit under a {}", input.level.as_str(), parent.level),
                ));
            }
            if !parent.valid_on(valid_from) {
                return Err(ApiError::new(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, "unit_closed")
                    .with_detail("Đơn vị cấp trên không có hiệu lực vào ngày bắt đầu", "The parent does not exist on valid_from"));
            }
            Some(parent)
        }
    };
    let code = input.code.map(|c| c.trim().to_string());
    if let Some(c) = &code {
        ensure_code_free(conn, input.level, c, None)?;
    }
    let stamp = now();
    let name = input.name.trim().to_string();
    let unit = Unit {
        path: rules::child_path(parent.as_ref().map(|p| p.path.as_str()), &id),
        depth: parent.as_ref().map_or(0, |p| p.depth + 1),
        parent_id: parent.map(|p| p.id),
        id,
        code,
        search_key: text::fold(&name),
        name,
        level: input.level.as_str().to_string(),
        ethnic_minority_area: input.ethnic_minority_area,
        valid_from,
        valid_to,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(units::table).values(&unit).execute(conn)?;
    audit::record(
        conn,
        who,
        Change {
            action: "create",
            entity: "unit",
            entity_id: &unit.id,
            unit_path: Some(&unit.path),
            old: None,
            new: Some(audit_value(&unit)),
        },
    )?;
    Ok((unit, true))
}

fn ensure_code_free(conn: &mut DbConn, level: UnitLevel, code: &str, except: Option<&str>) -> Result<(), ApiError> {
    let mut q = units::table
        .filter(units::level.eq(level.as_str()))
        .filter(units::code.eq(code))
        .filter(units::valid_to.is_null())
        .select(units::id)
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(units::id.ne(id.to_string()));
    }
    if q.first::<String>(conn).optional()?.is_some() {
        return Err(ApiError::conflict("unit_code_taken"));
    }
    Ok(())
}

/// Applies a correction when `version` is still the current one (else 412 with the current unit).
pub fn update(conn: &mut DbConn, scope: &Scope, who: &Who<'_>, id: &str, version: i32, patch: UpdateUnit) -> Result<Unit, ApiError> {
    let current = find(conn, scope, id)?;
    let version = versioned::check(version, current.version, || Ok(audit_value(&current)))?;
    let mut next = current.clone();
    if let Some(name) = patch.name {
        next.name = name.trim().to_string();
        next.search_key = text::fold(&next.name);
    }
    if let Some(code) = patch.code {
        next.code = code.map(|c| c.trim().to_string());
    }
    if let Some(flag) = patch.ethnic_minority_area {
        next.ethnic_minority_area = flag;
    }
    if let Some(from) = patch.valid_from {
        next.valid_from = from;
    }
    if let Some(to) = patch.valid_to {
        next.valid_to = to;
    }
    if next.valid_to.is_some_and(|to| to <= next.valid_from) {
        return Err(ApiError::invalid_field("valid_to", "invalid_value"));
    }
    if next.level == UnitLevel::District.as_str() {
        next.valid_to =
            Some(super::validity::district_validity(next.valid_from, next.valid_to).map_err(super::validity::no_district_after_reform)?);
    }
    if let Some(code) = &next.code {
        if !rules::valid_code(code) {
            return Err(ApiError::invalid_field("code", "invalid_value"));
        }
        if next.valid_to.is_none() {
            let level = UnitLevel::parse(&next.level).ok_or_else(ApiError::internal)?;
            ensure_code_free(conn, level, code, Some(&next.id))?;
        }
    }
    next.version = current.version + 1;
    next.updated_at = now();
    Edit { who, action: "update", entity: "unit", id, unit_path: Some(&next.path) }.save(
        conn,
        |c| Ok(diesel::update(units::table.filter(units::id.eq(id)).filter(units::version.eq(version))).set(&next).execute(c)?),
        |c| find(c, scope, id).map(|fresh| (audit_value(&fresh), fresh.version)),
        |_| Ok((audit_value(&current), audit_value(&next))),
    )?;
    Ok(next)
}

pub fn create_succession(conn: &mut DbConn, scope: &Scope, who: &Who<'_>, input: CreateSuccession) -> Result<Succession, ApiError> {
    if input.from_unit_id == input.to_unit_id {
        return Err(ApiError::invalid_field("to_unit_id", "invalid_value"));
    }
    let from = find(conn, scope, &input.from_unit_id.to_string()).map_err(|_| ApiError::invalid_field("from_unit_id", "not_found"))?;
    let to = find(conn, scope, &input.to_unit_id.to_string()).map_err(|_| ApiError::invalid_field("to_unit_id", "not_found"))?;
    let row = Succession {
        id: new_id(),
        from_unit_id: from.id,
        to_unit_id: to.id,
        kind: input.kind.as_str().to_string(),
        effective_date: input.effective_date,
        legal_basis: input.legal_basis.map(|s| s.trim().to_string()),
        created_at: now(),
    };
    diesel::insert_into(unit_successions::table).values(&row).execute(conn)?;
    let value = serde_json::to_value(super::dto::SuccessionDto::from(row.clone())).unwrap_or_default();
    audit::record(
        conn,
        who,
        Change { action: "create", entity: "unit_succession", entity_id: &row.id, unit_path: Some(&to.path), old: None, new: Some(value) },
    )?;
    Ok(row)
}

/// The successions a unit takes part in, on either side, oldest first.
pub fn successions_of(conn: &mut DbConn, scope: &Scope, unit_id: &str) -> Result<Vec<Succession>, ApiError> {
    let unit = find(conn, scope, unit_id)?;
    Ok(unit_successions::table
        .filter(unit_successions::from_unit_id.eq(&unit.id).or(unit_successions::to_unit_id.eq(&unit.id)))
        .select(Succession::as_select())
        .order((unit_successions::effective_date.asc(), unit_successions::id.asc()))
        .load(conn)?)
}

/// The unit a request is about: the one asked for (404 outside the caller's scope), else the
/// caller's own; national callers must name one.
pub fn asked_or_own(conn: &mut DbConn, actor: &crate::auth::Actor, asked: Option<uuid::Uuid>) -> Result<Unit, ApiError> {
    match (asked, &actor.unit_id) {
        (Some(id), _) => find(conn, &actor.scope, &id.to_string()),
        (None, Some(own)) => find(conn, &actor.scope, own),
        (None, None) => Err(ApiError::invalid_field("unit_id", "required")),
    }
}

/// The unit and every unit above it, top first, in one query (a document's header names them).
pub fn with_ancestors(conn: &mut DbConn, unit: &Unit) -> Result<Vec<Unit>, ApiError> {
    Ok(units::table
        .filter(units::path.eq_any(ancestor_paths(&unit.path)))
        .order(units::depth.asc())
        .select(Unit::as_select())
        .load(conn)?)
}

/// The name of the province a unit is in (its own, for a province); empty above provinces.
pub fn province_name(conn: &mut DbConn, unit_id: &str) -> Result<String, ApiError> {
    let unit = find(conn, &Scope::national(), unit_id)?;
    Ok(with_ancestors(conn, &unit)?.into_iter().find(|u| u.level == "province").map(|u| u.name).unwrap_or_default())
}

/// The paths of a unit and every unit above it: "/a/b/" → ["/a/", "/a/b/"].
pub fn ancestor_paths(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut acc = String::from("/");
    for part in path.split('/').filter(|p| !p.is_empty()) {
        acc.push_str(part);
        acc.push('/');
        out.push(acc.clone());
    }
    out
}

/// The unit in force on `day` that `unit` was or became: itself while in force; after its end, the
/// unit it merged into, was renamed to or was transferred to, followed over several steps, of the
/// same level. A split is never guessed, nor a unit not yet formed on `day`: `None` then, and when
/// it ended with nothing in its place (a district after the 2025 reform).
pub fn in_force_on(conn: &mut DbConn, unit: Unit, day: NaiveDate) -> Result<Option<Unit>, ApiError> {
    let mut current = unit;
    // A succession chain is a handful of steps; the bound only guards against a recorded cycle.
    for _ in 0..16 {
        if current.valid_on(day) {
            return Ok(Some(current));
        }
        if current.valid_from > day {
            return Ok(None);
        }
        let next: Option<Unit> = unit_successions::table
            .inner_join(units::table.on(units::id.eq(unit_successions::to_unit_id)))
            .filter(unit_successions::from_unit_id.eq(&current.id))
            .filter(unit_successions::kind.ne("split"))
            .filter(unit_successions::effective_date.le(day))
            .filter(units::level.eq(&current.level))
            .select(Unit::as_select())
            .order((unit_successions::effective_date.desc(), unit_successions::id.asc()))
            .first(conn)
            .optional()?;
        match next {
            Some(n) => current = n,
            None => return Ok(None),
        }
    }
    Ok(None)
}
