//! Funding records: rate policies, budget estimates, disbursements, duty breaches and incident
//! support claims. Fees are in `fees`, confirmation lists in `lists`, the summary in `summary`.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::dto::*;
use super::model::{Budget, Disbursement, IncidentClaim, Policy};
use super::rules;
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::db::area::Area;
use crate::db::schema::{
    budgets, case_fee_payments, case_sessions, cases, disbursement_cases, disbursements, duty_breaches, funding_policies, incident_claims,
    mediators, teams,
};
use crate::db::{new_id, now, today, DbConn};
use crate::error::ApiError;
use crate::versioned::{self, Edit};

fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or_default()
}

/// A date of something done (a payment, an incident, a list made) must be real: not before 1990
/// and not in the future.
pub fn check_past_date(field: &str, day: NaiveDate) -> Result<(), ApiError> {
    if day.year() < 1990 || day > today() {
        return Err(ApiError::invalid_field(field.to_string(), "invalid_value"));
    }
    Ok(())
}

// --- Policies -------------------------------------------------------------------------------

pub fn policy_dto(p: Policy) -> PolicyDto {
    PolicyDto {
        id: p.id,
        unit_id: p.unit_id,
        legal_basis: p.legal_basis,
        valid_from: p.valid_from,
        valid_to: p.valid_to,
        item: FundingItem::parse(&p.item).unwrap_or(FundingItem::CaseFee),
        rate: p.rate,
        rate_unit: RateUnit::parse(&p.rate_unit).unwrap_or(RateUnit::PerCasePerTeam),
        outcome: p.outcome.as_deref().and_then(FeeOutcome::parse),
        notes: p.notes,
        version: p.version,
        created_at: p.created_at.and_utc(),
        updated_at: p.updated_at.and_utc(),
    }
}

/// The policies a caller may read: those made for a unit in their scope, and those made above it
/// or above a predecessor (a commune officer must see the province's rates, and a merged commune
/// the old province's, which carry over until the new province's resolution applies).
fn visible_policies(actor: &Actor) -> funding_policies::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut q = funding_policies::table.into_boxed();
    if let Some(area) = &actor.scope.area {
        let above: Vec<String> = area.paths().iter().flat_map(|p| crate::units::store::ancestor_paths(p)).collect();
        q = q.filter(area.contains(funding_policies::unit_path).or(funding_policies::unit_path.eq_any(above)));
    }
    q
}

/// The case-fee policies that can apply to cases kept in `area` (made for a unit of it, above it or
/// below it; the area holds a merged unit's predecessors, so their rates come too).
pub fn case_fee_policies(conn: &mut DbConn, area: &Area) -> Result<Vec<Policy>, ApiError> {
    let above: Vec<String> = area.paths().iter().flat_map(|p| crate::units::store::ancestor_paths(p)).collect();
    Ok(funding_policies::table
        .filter(funding_policies::item.eq(FundingItem::CaseFee.as_str()))
        .filter(funding_policies::unit_path.eq_any(above).or(area.contains(funding_policies::unit_path)))
        .select(Policy::as_select())
        .load(conn)?)
}

pub fn list_policies(conn: &mut DbConn, actor: &Actor, q: &PolicyQuery) -> Result<Vec<Policy>, ApiError> {
    let mut query = visible_policies(actor).select(Policy::as_select());
    if let Some(unit) = q.applies_to {
        let unit = crate::units::store::find(conn, &actor.scope, &unit.to_string())?;
        query = query.filter(funding_policies::unit_path.eq_any(crate::units::store::ancestor_paths(&unit.path)));
    }
    if let Some(item) = q.item {
        query = query.filter(funding_policies::item.eq(item.as_str()));
    }
    if let Some(day) = q.on {
        query = query
            .filter(funding_policies::valid_from.le(day))
            .filter(funding_policies::valid_to.is_null().or(funding_policies::valid_to.ge(day)));
    }
    Ok(query.order((funding_policies::item.asc(), funding_policies::valid_from.asc(), funding_policies::id.asc())).load(conn)?)
}

pub fn find_policy(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Policy, ApiError> {
    visible_policies(actor)
        .filter(funding_policies::id.eq(id.to_string()))
        .select(Policy::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)
}

/// One rate per unit, item and result on any day: a new rate ends the old one first.
fn check_no_overlap(conn: &mut DbConn, p: &Policy) -> Result<(), ApiError> {
    let others: Vec<Policy> = funding_policies::table
        .filter(funding_policies::unit_id.eq(&p.unit_id))
        .filter(funding_policies::item.eq(&p.item))
        .filter(funding_policies::id.ne(&p.id))
        .select(Policy::as_select())
        .load(conn)?;
    if let Some(clash) =
        others.iter().find(|o| o.outcome == p.outcome && rules::periods_overlap(o.valid_from, o.valid_to, p.valid_from, p.valid_to))
    {
        return Err(ApiError::conflict("overlapping_policy").with_extension("policy_id", serde_json::Value::String(clash.id.clone())));
    }
    Ok(())
}

pub fn create_policy(conn: &mut DbConn, actor: &Actor, input: CreatePolicy) -> Result<(Policy, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = funding_policies::table.find(&id).select(Policy::as_select()).first(conn).optional()? {
        let same = existing.unit_id == input.unit_id.to_string() && existing.item == input.item.as_str() && existing.rate == input.rate;
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let unit = crate::units::store::find(conn, &actor.scope, &input.unit_id.to_string())
        .map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    if !rules::unit_fits_item(input.item, input.rate_unit) {
        return Err(ApiError::invalid_field("rate_unit", "invalid_value"));
    }
    if input.outcome.is_some() && input.item != FundingItem::CaseFee {
        return Err(ApiError::invalid_field("outcome", "invalid_value"));
    }
    if input.valid_from.year() < 1990 || input.valid_to.is_some_and(|t| t < input.valid_from) {
        return Err(ApiError::invalid_field("valid_to", "invalid_value"));
    }
    let stamp = now();
    let p = Policy {
        id,
        unit_id: unit.id,
        unit_path: unit.path,
        legal_basis: input.legal_basis.trim().into(),
        valid_from: input.valid_from,
        valid_to: input.valid_to,
        item: input.item.as_str().into(),
        rate: input.rate,
        rate_unit: input.rate_unit.as_str().into(),
        outcome: input.outcome.map(|o| o.as_str().into()),
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    check_no_overlap(conn, &p)?;
    diesel::insert_into(funding_policies::table).values(&p).execute(conn)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "funding_policy",
            entity_id: &p.id,
            unit_path: Some(&p.unit_path),
            old: None,
            new: Some(json(&policy_dto(p.clone()))),
        },
    )?;
    Ok((p, true))
}

pub fn update_policy(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdatePolicy) -> Result<Policy, ApiError> {
    let current = find_policy(conn, actor, id)?;
    // Rates made above the caller's unit are read, not changed, by them.
    if !actor.scope.covers(Some(&current.unit_path)) {
        return Err(ApiError::forbidden());
    }
    let old = json(&policy_dto(current.clone()));
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    if let Some(v) = patch.legal_basis {
        next.legal_basis = v.trim().into();
    }
    if let Some(v) = patch.valid_to {
        next.valid_to = v;
    }
    if let Some(v) = patch.rate {
        next.rate = v;
    }
    if let Some(v) = patch.notes {
        next.notes = v;
    }
    if next.valid_to.is_some_and(|t| t < next.valid_from) {
        return Err(ApiError::invalid_field("valid_to", "invalid_value"));
    }
    check_no_overlap(conn, &next)?;
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "funding_policy", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            Ok(diesel::update(funding_policies::table.filter(funding_policies::id.eq(id)).filter(funding_policies::version.eq(version)))
                .set(&next)
                .execute(c)?)
        },
        |c| {
            let fresh = find_policy(c, actor, id)?;
            Ok((json(&policy_dto(fresh.clone())), fresh.version))
        },
        |_| Ok((old, json(&policy_dto(next.clone())))),
    )?;
    Ok(next)
}

// --- Budgets --------------------------------------------------------------------------------

pub fn budget_dto(b: Budget) -> BudgetDto {
    BudgetDto {
        id: b.id,
        unit_id: b.unit_id,
        year: b.year,
        item: FundingItem::parse(&b.item).unwrap_or(FundingItem::CaseFee),
        amount: b.amount,
        decision_no: b.decision_no,
        decision_date: b.decision_date,
        notes: b.notes,
        version: b.version,
        created_at: b.created_at.and_utc(),
        updated_at: b.updated_at.and_utc(),
    }
}

pub fn list_budgets(conn: &mut DbConn, actor: &Actor, q: &FundingQuery) -> Result<Vec<Budget>, ApiError> {
    let mut query = budgets::table.select(Budget::as_select()).into_boxed();
    if let Some(area) = crate::units::store::area_or_scope(conn, &actor.scope, q.unit_id)? {
        query = query.filter(area.contains(budgets::unit_path));
    }
    if let Some(y) = q.year {
        query = query.filter(budgets::year.eq(y));
    }
    Ok(query.order((budgets::year.desc(), budgets::unit_path.asc(), budgets::item.asc())).load(conn)?)
}

pub fn find_budget(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Budget, ApiError> {
    let mut q = budgets::table.filter(budgets::id.eq(id.to_string())).select(Budget::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(budgets::unit_path) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

pub fn create_budget(conn: &mut DbConn, actor: &Actor, input: CreateBudget) -> Result<(Budget, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = budgets::table.find(&id).select(Budget::as_select()).first(conn).optional()? {
        let same = existing.year == input.year && existing.item == input.item.as_str() && existing.amount == input.amount;
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let unit =
        crate::units::store::asked_or_own(conn, actor, input.unit_id).map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    if unit.level != "commune" {
        return Err(ApiError::invalid_field("unit_id", "invalid_value")
            .with_detail("Dự toán kinh phí lập theo cấp xã", "Budget estimates are made per commune"));
    }
    let stamp = now();
    let b = Budget {
        id,
        unit_id: unit.id,
        unit_path: unit.path,
        year: input.year,
        item: input.item.as_str().into(),
        amount: input.amount,
        decision_no: input.decision_no.map(|s| s.trim().into()),
        decision_date: input.decision_date,
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(budgets::table).values(&b).execute(conn).map_err(|e| match ApiError::from(e) {
        err if err.code == "already_exists" => ApiError::conflict("budget_exists"),
        err => err,
    })?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "budget",
            entity_id: &b.id,
            unit_path: Some(&b.unit_path),
            old: None,
            new: Some(json(&budget_dto(b.clone()))),
        },
    )?;
    Ok((b, true))
}

pub fn update_budget(conn: &mut DbConn, actor: &Actor, id: &str, version: i32, patch: UpdateBudget) -> Result<Budget, ApiError> {
    let current = find_budget(conn, actor, id)?;
    let old = json(&budget_dto(current.clone()));
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    if let Some(v) = patch.amount {
        next.amount = v;
    }
    if let Some(v) = patch.decision_no {
        next.decision_no = v.map(|s| s.trim().into());
    }
    if let Some(v) = patch.decision_date {
        next.decision_date = v;
    }
    if let Some(v) = patch.notes {
        next.notes = v;
    }
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "budget", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| Ok(diesel::update(budgets::table.filter(budgets::id.eq(id)).filter(budgets::version.eq(version))).set(&next).execute(c)?),
        |c| {
            let fresh = find_budget(c, actor, id)?;
            Ok((json(&budget_dto(fresh.clone())), fresh.version))
        },
        |_| Ok((old, json(&budget_dto(next.clone())))),
    )?;
    Ok(next)
}

// --- Disbursements --------------------------------------------------------------------------

pub fn disbursement_dto(conn: &mut DbConn, d: Disbursement) -> Result<DisbursementDto, ApiError> {
    let payee_name = match (&d.payee_team_id, &d.payee_mediator_id) {
        (Some(t), _) => teams::table.find(t).select(teams::name).first(conn)?,
        (_, Some(m)) => mediators::table.find(m).select(mediators::full_name).first(conn)?,
        _ => String::new(),
    };
    let cases = disbursement_cases::table
        .filter(disbursement_cases::disbursement_id.eq(&d.id))
        .select((disbursement_cases::case_id, disbursement_cases::amount))
        .order(disbursement_cases::case_id.asc())
        .load::<(String, i64)>(conn)?
        .into_iter()
        .map(|(case_id, amount)| DisbursedCase { case_id, amount })
        .collect();
    Ok(DisbursementDto {
        id: d.id,
        unit_id: d.unit_id,
        paid_on: d.paid_on,
        item: FundingItem::parse(&d.item).unwrap_or(FundingItem::CaseFee),
        payee_team_id: d.payee_team_id,
        payee_mediator_id: d.payee_mediator_id,
        payee_name,
        team_id: d.team_id,
        amount: d.amount,
        voucher_no: d.voucher_no,
        note: d.note,
        confirmation_list_id: d.confirmation_list_id,
        cases,
        created_at: d.created_at.and_utc(),
    })
}

pub fn visible_disbursements(actor: &Actor) -> disbursements::BoxedQuery<'static, crate::db::MultiBackend> {
    let mut q = disbursements::table.into_boxed();
    if let Some(inside) = actor.scope.contains(disbursements::unit_path) {
        q = q.filter(inside);
    }
    q
}

pub struct DisbursementFilter {
    /// Records of this area only (a unit asked for, with its predecessors').
    pub within: Option<crate::db::area::Area>,
    pub year: Option<i32>,
    pub item: Option<FundingItem>,
    pub team_id: Option<String>,
    pub list_id: Option<String>,
    pub after_id: Option<String>,
    pub limit: i64,
}

/// Newest first.
pub fn list_disbursements(conn: &mut DbConn, actor: &Actor, f: &DisbursementFilter) -> Result<Vec<Disbursement>, ApiError> {
    let mut q = visible_disbursements(actor).select(Disbursement::as_select());
    if let Some(area) = &f.within {
        q = q.filter(area.contains(disbursements::unit_path));
    }
    if let Some(y) = f.year {
        q = q.filter(disbursements::paid_year.eq(y));
    }
    if let Some(i) = f.item {
        q = q.filter(disbursements::item.eq(i.as_str()));
    }
    if let Some(t) = &f.team_id {
        q = q.filter(disbursements::team_id.eq(t.clone()));
    }
    if let Some(l) = &f.list_id {
        q = q.filter(disbursements::confirmation_list_id.eq(l.clone()));
    }
    if let Some(after) = &f.after_id {
        q = q.filter(disbursements::id.lt(after.clone()));
    }
    Ok(q.order(disbursements::id.desc()).limit(f.limit + 1).load(conn)?)
}

pub fn find_disbursement(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Disbursement, ApiError> {
    visible_disbursements(actor)
        .filter(disbursements::id.eq(id.to_string()))
        .select(Disbursement::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)
}

/// Marks cases' fees as paid. The primary key of `case_fee_payments` is the guarantee that a case
/// is paid once: a second attempt, even one racing this one, fails here with `already_paid`.
pub fn mark_fees_paid(conn: &mut DbConn, paid: &[(String, Option<String>, i64)], paid_on: NaiveDate) -> Result<(), ApiError> {
    let ids: Vec<&String> = paid.iter().map(|p| &p.0).collect();
    let already: Vec<String> =
        case_fee_payments::table.filter(case_fee_payments::case_id.eq_any(ids)).select(case_fee_payments::case_id).load(conn)?;
    if !already.is_empty() {
        return Err(already_paid(already));
    }
    let stamp = now();
    for (case_id, policy_id, amount) in paid {
        diesel::insert_into(case_fee_payments::table)
            .values((
                case_fee_payments::case_id.eq(case_id),
                case_fee_payments::policy_id.eq(policy_id),
                case_fee_payments::amount.eq(amount),
                case_fee_payments::paid_on.eq(paid_on),
                case_fee_payments::created_at.eq(stamp),
            ))
            .execute(conn)
            .map_err(|e| match ApiError::from(e) {
                err if err.code == "already_exists" => already_paid(vec![case_id.clone()]),
                err => err,
            })?;
    }
    Ok(())
}

fn already_paid(case_ids: Vec<String>) -> ApiError {
    ApiError::conflict("already_paid").with_extension("case_ids", json(&case_ids))
}

/// A new disbursement row (and its case links), audited.
pub fn insert_disbursement(conn: &mut DbConn, actor: &Actor, d: &Disbursement, cases: &[(String, i64)]) -> Result<(), ApiError> {
    diesel::insert_into(disbursements::table).values(d).execute(conn)?;
    for (case_id, amount) in cases {
        diesel::insert_into(disbursement_cases::table)
            .values((
                disbursement_cases::disbursement_id.eq(&d.id),
                disbursement_cases::case_id.eq(case_id),
                disbursement_cases::amount.eq(amount),
            ))
            .execute(conn)?;
    }
    let value = json(&disbursement_dto(conn, d.clone())?);
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "disbursement", entity_id: &d.id, unit_path: Some(&d.unit_path), old: None, new: Some(value) },
    )
}

pub fn create_disbursement(conn: &mut DbConn, actor: &Actor, input: CreateDisbursement) -> Result<(Disbursement, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = disbursements::table.find(&id).select(Disbursement::as_select()).first(conn).optional()? {
        let same = existing.amount == input.amount && existing.item == input.item.as_str() && existing.paid_on == input.paid_on;
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let unit =
        crate::units::store::asked_or_own(conn, actor, input.unit_id).map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    check_past_date("paid_on", input.paid_on)?;
    // The paying unit must exist on the day; it pays for its predecessors' teams and cases too.
    crate::units::validity::ensure_open(conn, &unit.path, input.paid_on, "paid_on")?;
    let area = crate::units::store::todays_area_of(conn, &unit)?;
    let (payee_team_id, payee_mediator_id, team_id) = match (input.payee_team_id, input.payee_mediator_id) {
        (Some(t), None) => {
            let team = crate::teams::store::find(conn, actor, &t.to_string())
                .map_err(|_| ApiError::invalid_field("payee_team_id", "not_found"))?;
            if !area.covers(&team.unit_path) {
                return Err(ApiError::invalid_field("payee_team_id", "outside_unit"));
            }
            (Some(team.id.clone()), None, Some(team.id))
        }
        (None, Some(m)) => {
            let mediator = crate::mediators::store::find(conn, actor, &m.to_string())
                .map_err(|_| ApiError::invalid_field("payee_mediator_id", "not_found"))?;
            let team = crate::mediators::store::team_on(conn, &mediator.id, input.paid_on)?;
            (None, Some(mediator.id), team)
        }
        _ => return Err(ApiError::invalid_field("payee_team_id", "exactly_one_payee")),
    };
    if !input.case_ids.is_empty() && input.item != FundingItem::CaseFee {
        return Err(ApiError::invalid_field("case_ids", "invalid_value"));
    }
    // Fees for cases: each case visible, ended lawfully inside the paying unit, and never paid before.
    let mut case_ids: Vec<String> = input.case_ids.iter().map(|c| c.to_string()).collect();
    case_ids.sort();
    case_ids.dedup();
    for (i, id) in case_ids.iter().enumerate() {
        let case =
            crate::cases::store::find(conn, actor, id).map_err(|_| ApiError::invalid_field(format!("case_ids[{i}]"), "not_found"))?;
        if !matches!(case.status.as_str(), "successful" | "unsuccessful") || !area.covers(&case.unit_path) {
            return Err(ApiError::invalid_field(format!("case_ids[{i}]"), "not_payable"));
        }
    }
    let shares = rules::split(input.amount, case_ids.len());
    let links: Vec<(String, i64)> = case_ids.iter().cloned().zip(shares).collect();
    mark_fees_paid(conn, &links.iter().map(|(c, a)| (c.clone(), None, *a)).collect::<Vec<_>>(), input.paid_on)?;
    let stamp = now();
    let d = Disbursement {
        id,
        unit_id: unit.id,
        unit_path: unit.path,
        paid_on: input.paid_on,
        paid_year: input.paid_on.year(),
        item: input.item.as_str().into(),
        payee_team_id,
        payee_mediator_id,
        team_id,
        amount: input.amount,
        voucher_no: input.voucher_no.map(|s| s.trim().into()),
        note: input.note,
        confirmation_list_id: None,
        created_by: actor.id.clone(),
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    insert_disbursement(conn, actor, &d, &links)?;
    Ok((d, true))
}

// --- Duty breaches --------------------------------------------------------------------------

pub fn record_duty_breach(conn: &mut DbConn, actor: &Actor, input: RecordDutyBreach) -> Result<DutyBreachDto, ApiError> {
    let case =
        crate::cases::store::find(conn, actor, &input.case_id.to_string()).map_err(|_| ApiError::invalid_field("case_id", "not_found"))?;
    let mediator_id = input.mediator_id.to_string();
    let assigned: i64 = crate::db::schema::case_assignments::table
        .filter(crate::db::schema::case_assignments::case_id.eq(&case.id))
        .filter(crate::db::schema::case_assignments::mediator_id.eq(&mediator_id))
        .count()
        .get_result(conn)?;
    if assigned == 0 {
        return Err(ApiError::invalid_field("mediator_id", "not_assigned"));
    }
    let stamp = now();
    diesel::insert_into(duty_breaches::table)
        .values((
            duty_breaches::case_id.eq(&case.id),
            duty_breaches::mediator_id.eq(&mediator_id),
            duty_breaches::unit_path.eq(&case.unit_path),
            duty_breaches::note.eq(input.note.trim()),
            duty_breaches::recorded_by.eq(&actor.id),
            duty_breaches::created_at.eq(stamp),
        ))
        .execute(conn)?;
    let dto = DutyBreachDto { case_id: case.id.clone(), mediator_id, note: input.note.trim().into(), created_at: stamp.and_utc() };
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "duty_breach",
            entity_id: &case.id,
            unit_path: Some(&case.unit_path),
            old: None,
            new: Some(json(&dto)),
        },
    )?;
    Ok(dto)
}

// --- Incident support -----------------------------------------------------------------------

pub fn claim_dto(conn: &mut DbConn, c: IncidentClaim) -> Result<IncidentClaimDto, ApiError> {
    let mediator_name = mediators::table.find(&c.mediator_id).select(mediators::full_name).first(conn)?;
    Ok(IncidentClaimDto {
        id: c.id,
        mediator_id: c.mediator_id,
        mediator_name,
        occurred_on: c.occurred_on,
        case_id: c.case_id,
        session_id: c.session_id,
        kind: IncidentKind::parse(&c.kind).unwrap_or(IncidentKind::Injury),
        description: c.description,
        medical_costs: c.medical_costs,
        lost_income: c.lost_income,
        funeral_costs: c.funeral_costs,
        claimed_total: c.medical_costs + c.lost_income + c.funeral_costs,
        status: ClaimStatus::parse(&c.status).unwrap_or(ClaimStatus::Submitted),
        approved_amount: c.approved_amount,
        decision_no: c.decision_no,
        decision_date: c.decision_date,
        notes: c.notes,
        version: c.version,
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
    })
}

pub fn list_claims(conn: &mut DbConn, actor: &Actor, q: &FundingQuery) -> Result<Vec<IncidentClaim>, ApiError> {
    let mut query = incident_claims::table.select(IncidentClaim::as_select()).into_boxed();
    if let Some(area) = crate::units::store::area_or_scope(conn, &actor.scope, q.unit_id)? {
        query = query.filter(area.contains(incident_claims::unit_path));
    }
    if let Some(y) = q.year {
        let (from, to) = crate::trainings::store::year_bounds(y)?;
        query = query.filter(incident_claims::occurred_on.ge(from)).filter(incident_claims::occurred_on.le(to));
    }
    Ok(query.order(incident_claims::id.desc()).load(conn)?)
}

pub fn find_claim(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<IncidentClaim, ApiError> {
    let mut q = incident_claims::table.filter(incident_claims::id.eq(id.to_string())).select(IncidentClaim::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(incident_claims::unit_path) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

pub fn create_claim(conn: &mut DbConn, actor: &Actor, input: CreateIncidentClaim) -> Result<(IncidentClaim, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = incident_claims::table.find(&id).select(IncidentClaim::as_select()).first(conn).optional()? {
        let same = existing.mediator_id == input.mediator_id.to_string() && existing.occurred_on == input.occurred_on;
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let mediator = crate::mediators::store::find(conn, actor, &input.mediator_id.to_string())
        .map_err(|_| ApiError::invalid_field("mediator_id", "not_found"))?;
    check_past_date("occurred_on", input.occurred_on)?;
    let case_id = match input.case_id {
        Some(c) => {
            Some(crate::cases::store::find(conn, actor, &c.to_string()).map_err(|_| ApiError::invalid_field("case_id", "not_found"))?.id)
        }
        None => None,
    };
    let session_id = match (input.session_id, &case_id) {
        (Some(s), Some(case)) => {
            let found: Option<String> = case_sessions::table
                .filter(case_sessions::id.eq(s.to_string()))
                .filter(case_sessions::case_id.eq(case))
                .select(case_sessions::id)
                .first(conn)
                .optional()?;
            Some(found.ok_or_else(|| ApiError::invalid_field("session_id", "not_found"))?)
        }
        // A session belongs to a case: name the case it was held for.
        (Some(_), None) => return Err(ApiError::invalid_field("case_id", "required_with_session_id")),
        (None, _) => None,
    };
    if input.kind == IncidentKind::Injury && input.funeral_costs > 0 {
        return Err(ApiError::invalid_field("funeral_costs", "invalid_value"));
    }
    let stamp = now();
    let c = IncidentClaim {
        id,
        mediator_id: mediator.id,
        unit_path: mediator.unit_path,
        occurred_on: input.occurred_on,
        case_id,
        session_id,
        kind: input.kind.as_str().into(),
        description: input.description,
        medical_costs: input.medical_costs,
        lost_income: input.lost_income,
        funeral_costs: input.funeral_costs,
        status: ClaimStatus::Submitted.as_str().into(),
        approved_amount: None,
        decision_no: None,
        decision_date: None,
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    diesel::insert_into(incident_claims::table).values(&c).execute(conn)?;
    let value = json(&claim_dto(conn, c.clone())?);
    audit::record(
        conn,
        &Who::from(actor),
        Change { action: "create", entity: "incident_claim", entity_id: &c.id, unit_path: Some(&c.unit_path), old: None, new: Some(value) },
    )?;
    Ok((c, true))
}

/// Records the decision on a submitted claim: approved (with the amount, at most what was
/// claimed) or rejected.
pub fn decide_claim(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    version: i32,
    input: DecideIncidentClaim,
) -> Result<IncidentClaim, ApiError> {
    let current = find_claim(conn, actor, id)?;
    let old = json(&claim_dto(conn, current.clone())?);
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    if current.status != ClaimStatus::Submitted.as_str() {
        return Err(ApiError::conflict("invalid_transition"));
    }
    let claimed = current.medical_costs + current.lost_income + current.funeral_costs;
    let approved_amount = match (input.status, input.approved_amount) {
        (ClaimStatus::Approved, Some(a)) if a > 0 && (claimed == 0 || a <= claimed) => Some(a),
        (ClaimStatus::Approved, _) => return Err(ApiError::invalid_field("approved_amount", "invalid_value")),
        (ClaimStatus::Rejected, None) => None,
        (ClaimStatus::Rejected, Some(_)) => return Err(ApiError::invalid_field("approved_amount", "invalid_value")),
        (ClaimStatus::Submitted, _) => return Err(ApiError::invalid_field("status", "invalid_value")),
    };
    if input.decision_date < current.occurred_on || input.decision_date > today() {
        return Err(ApiError::invalid_field("decision_date", "invalid_value"));
    }
    let mut next = current.clone();
    next.status = input.status.as_str().into();
    next.approved_amount = approved_amount;
    next.decision_no = Some(input.decision_no.trim().into());
    next.decision_date = Some(input.decision_date);
    if input.notes.is_some() {
        next.notes = input.notes;
    }
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "decide", entity: "incident_claim", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            Ok(diesel::update(incident_claims::table.filter(incident_claims::id.eq(id)).filter(incident_claims::version.eq(version)))
                .set(&next)
                .execute(c)?)
        },
        |c| {
            let fresh = find_claim(c, actor, id)?;
            let value = json(&claim_dto(c, fresh.clone())?);
            Ok((value, fresh.version))
        },
        |c| {
            let value = json(&claim_dto(c, next.clone())?);
            Ok((old, value))
        },
    )?;
    Ok(next)
}

/// Whether a case has been paid its fee.
pub fn paid_case_ids(conn: &mut DbConn, ids: &[String]) -> Result<Vec<String>, ApiError> {
    Ok(case_fee_payments::table.filter(case_fee_payments::case_id.eq_any(ids)).select(case_fee_payments::case_id).load(conn)?)
}

/// The cases that ended lawfully between two days under a path (status, ended_on known).
pub fn ended_cases(conn: &mut DbConn, area: &Area, from: NaiveDate, to: NaiveDate) -> Result<Vec<crate::cases::model::Case>, ApiError> {
    Ok(cases::table
        .filter(area.contains(cases::unit_path))
        .filter(cases::status.eq_any(["successful", "unsuccessful"]))
        .filter(cases::ended_on.ge(from))
        .filter(cases::ended_on.le(to))
        .select(crate::cases::model::Case::as_select())
        .order((cases::ended_on.asc(), cases::id.asc()))
        .load(conn)?)
}
