//! Mediator fees per case (thù lao theo vụ, việc): what is owed for the cases that ended in a
//! period, and turning that into disbursements in one call.
//!
//! A case is owed a fee when it ended in one of the lawful ways (successful or unsuccessful) and
//! has not been paid. The amount is the case-fee rate in force on its end date for the unit that
//! keeps it (a rate for that result first), split equally among the mediators who took part (every
//! assignment except a recusal). A mediator recorded as having breached a duty on the case gets no
//! share; their share is withheld, not handed to the others.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Datelike;
use diesel::prelude::*;

use super::dto::*;
use super::model::{ConfirmationList, Disbursement};
use super::{lists, rules, store};
use crate::auth::Actor;
use crate::db::schema::{case_assignments, duty_breaches, mediators, teams};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::units::model::Unit;

pub fn suggestions(
    conn: &mut DbConn,
    actor: &Actor,
    unit_id: Option<uuid::Uuid>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
) -> Result<FeeSuggestions, ApiError> {
    let unit = crate::units::store::asked_or_own(conn, actor, unit_id)?;
    suggestions_for(conn, &unit, from, to)
}

fn suggestions_for(conn: &mut DbConn, unit: &Unit, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Result<FeeSuggestions, ApiError> {
    if to < from {
        return Err(ApiError::invalid_field("to", "invalid_value"));
    }
    if (to - from).num_days() > 366 * 2 {
        return Err(ApiError::invalid_field("to", "period_too_long"));
    }
    // Today's boundaries: a merged commune pays its predecessors' cases too.
    let area = crate::units::store::todays_area_of(conn, unit)?;
    let ended = store::ended_cases(conn, &area, from, to)?;
    let ids: Vec<String> = ended.iter().map(|c| c.id.clone()).collect();
    let paid: HashSet<String> = store::paid_case_ids(conn, &ids)?.into_iter().collect();
    let unpaid: Vec<_> = ended.into_iter().filter(|c| !paid.contains(&c.id)).collect();
    let unpaid_ids: Vec<String> = unpaid.iter().map(|c| c.id.clone()).collect();

    // Who took part in each case, in the order they were assigned; and who breached a duty.
    let mut taking_part: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let rows: Vec<(String, String, String, Option<String>)> = case_assignments::table
        .inner_join(mediators::table)
        .filter(case_assignments::case_id.eq_any(&unpaid_ids))
        .select((case_assignments::case_id, mediators::id, mediators::full_name, case_assignments::end_reason))
        .order((case_assignments::assigned_on.asc(), case_assignments::id.asc()))
        .load(conn)?;
    for (case_id, mediator_id, name, end_reason) in rows {
        if end_reason.as_deref() == Some("recusal") {
            continue;
        }
        let list = taking_part.entry(case_id).or_default();
        if !list.iter().any(|(m, _)| *m == mediator_id) {
            list.push((mediator_id, name));
        }
    }
    let breaches: HashSet<(String, String)> = duty_breaches::table
        .filter(duty_breaches::case_id.eq_any(&unpaid_ids))
        .select((duty_breaches::case_id, duty_breaches::mediator_id))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let team_names: HashMap<String, String> = teams::table
        .filter(area.contains(teams::unit_path))
        .select((teams::id, teams::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let policies = store::case_fee_policies(conn, &area)?;
    // The units above the commune and above each predecessor: their rates reach every case it carries.
    let today_above: Vec<String> = area.paths().iter().flat_map(|p| crate::units::store::ancestor_paths(p)).collect();

    let mut out = Vec::new();
    for case in unpaid {
        let ended_on = case.ended_on.unwrap_or(from);
        let policy = rules::pick_case_fee(&policies, &case.unit_path, &today_above, ended_on, &case.status);
        let people = taking_part.remove(&case.id).unwrap_or_default();
        let (mut shares, mut withheld) = (Vec::new(), Vec::new());
        let mut problem = None;
        let mut amount = 0;
        match policy {
            None => problem = Some("no_policy".to_string()),
            Some(p) => {
                for ((mediator_id, full_name), share) in people.iter().cloned().zip(rules::split(p.rate, people.len())) {
                    if breaches.contains(&(case.id.clone(), mediator_id.clone())) {
                        withheld.push(WithheldShare { mediator_id, full_name, reason: "duty_breach".into(), amount: share });
                    } else {
                        shares.push(FeeShare { mediator_id, full_name, amount: share });
                    }
                }
                amount = if people.is_empty() { p.rate } else { shares.iter().map(|s| s.amount).sum() };
                if !people.is_empty() && shares.is_empty() {
                    problem = Some("all_withheld".to_string());
                }
            }
        }
        out.push(FeeSuggestion {
            team_name: team_names.get(&case.team_id).cloned().unwrap_or_default(),
            case_id: case.id,
            team_id: case.team_id,
            logbook_line: case.logbook_line,
            received_year: case.received_year,
            ended_on,
            status: case.status,
            policy_id: policy.map(|p| p.id.clone()),
            legal_basis: policy.map(|p| p.legal_basis.clone()),
            rate: policy.map(|p| p.rate),
            shares,
            withheld,
            amount,
            problem,
        });
    }
    let payable: Vec<&FeeSuggestion> = out.iter().filter(|s| s.problem.is_none()).collect();
    Ok(FeeSuggestions {
        unit_id: unit.id.clone(),
        from,
        to,
        payable_cases: payable.len() as i64,
        total: payable.iter().map(|s| s.amount).sum(),
        cases: out,
    })
}

/// Pays the suggested fees: one disbursement per recipient (a mediator, or the team for a case
/// with no mediator recorded) covering all their cases, every case marked paid, and by default a
/// confirmation list of the recipients. All or nothing, in one transaction.
pub fn accept(conn: &mut DbConn, actor: &Actor, input: AcceptFees) -> Result<AcceptedFees, ApiError> {
    store::check_past_date("paid_on", input.paid_on)?;
    if input.paid_on < input.from {
        return Err(ApiError::invalid_field("paid_on", "invalid_value"));
    }
    let unit = crate::units::store::asked_or_own(conn, actor, input.unit_id)?;
    crate::units::validity::ensure_open(conn, &unit.path, input.paid_on, "paid_on")?;
    let all = suggestions_for(conn, &unit, input.from, input.to)?;
    let chosen: Vec<FeeSuggestion> = match &input.case_ids {
        None => all.cases.into_iter().filter(|s| s.problem.is_none()).collect(),
        Some(ids) => {
            let mut picked: Vec<FeeSuggestion> = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                let id = id.to_string();
                if picked.iter().any(|p| p.case_id == id) {
                    continue;
                }
                match all.cases.iter().find(|s| s.case_id == id) {
                    Some(s) if s.problem.is_none() => picked.push(s.clone()),
                    Some(_) => return Err(ApiError::invalid_field(format!("case_ids[{i}]"), "not_payable")),
                    // Not among the unpaid cases of the period: paid already, or not payable at all.
                    None => {
                        if !store::paid_case_ids(conn, std::slice::from_ref(&id))?.is_empty() {
                            return Err(ApiError::conflict("already_paid").with_extension("case_ids", serde_json::json!([id])));
                        }
                        return Err(ApiError::invalid_field(format!("case_ids[{i}]"), "not_payable"));
                    }
                }
            }
            picked
        }
    };
    if chosen.is_empty() {
        return Err(ApiError::new(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY, "nothing_to_pay"));
    }
    store::mark_fees_paid(
        conn,
        &chosen.iter().map(|s| (s.case_id.clone(), s.policy_id.clone(), s.amount)).collect::<Vec<_>>(),
        input.paid_on,
    )?;

    // Recipient → (team, cases with the amount for each). BTreeMap: a stable order on every run.
    #[derive(Ord, PartialOrd, Eq, PartialEq, Clone)]
    enum Payee {
        Mediator(String),
        Team(String),
    }
    let mut by_payee: BTreeMap<Payee, (String, Vec<(String, i64)>)> = BTreeMap::new();
    for s in &chosen {
        if s.shares.is_empty() {
            by_payee
                .entry(Payee::Team(s.team_id.clone()))
                .or_insert_with(|| (s.team_id.clone(), Vec::new()))
                .1
                .push((s.case_id.clone(), s.amount));
        }
        for share in &s.shares {
            by_payee
                .entry(Payee::Mediator(share.mediator_id.clone()))
                .or_insert_with(|| (s.team_id.clone(), Vec::new()))
                .1
                .push((s.case_id.clone(), share.amount));
        }
    }
    let list_id = match input.confirmation_list.unwrap_or(true) {
        false => None,
        true => {
            let stamp = now();
            let title = input.title.clone().unwrap_or_else(|| {
                format!(
                    "Danh sách chi thù lao hòa giải viên các vụ, việc kết thúc từ {} đến {}",
                    input.from.format("%d/%m/%Y"),
                    input.to.format("%d/%m/%Y")
                )
            });
            let list = ConfirmationList {
                id: new_id(),
                unit_id: unit.id.clone(),
                unit_path: unit.path.clone(),
                title,
                made_on: input.paid_on,
                signed_returned: false,
                returned_on: None,
                notes: None,
                version: 1,
                created_at: stamp,
                updated_at: stamp,
            };
            lists::insert(conn, actor, &list)?;
            Some(list.id)
        }
    };
    let mut made = Vec::new();
    for (payee, (team_id, cases)) in by_payee {
        // A rate of 0 đồng marks the case paid but makes no payment.
        if cases.iter().map(|c| c.1).sum::<i64>() == 0 {
            continue;
        }
        let stamp = now();
        let (payee_team_id, payee_mediator_id) = match payee {
            Payee::Mediator(m) => (None, Some(m)),
            Payee::Team(t) => (Some(t), None),
        };
        let d = Disbursement {
            id: new_id(),
            unit_id: unit.id.clone(),
            unit_path: unit.path.clone(),
            paid_on: input.paid_on,
            paid_year: input.paid_on.year(),
            item: FundingItem::CaseFee.as_str().into(),
            payee_team_id,
            payee_mediator_id,
            team_id: Some(team_id),
            amount: cases.iter().map(|c| c.1).sum(),
            voucher_no: input.voucher_no.clone(),
            note: None,
            confirmation_list_id: list_id.clone(),
            created_by: actor.id.clone(),
            version: 1,
            created_at: stamp,
            updated_at: stamp,
        };
        store::insert_disbursement(conn, actor, &d, &cases)?;
        made.push(store::disbursement_dto(conn, d)?);
    }
    Ok(AcceptedFees {
        paid_cases: chosen.len() as i64,
        total: made.iter().map(|d| d.amount).sum(),
        disbursements: made,
        confirmation_list_id: list_id,
    })
}
