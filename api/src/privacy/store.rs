//! Keeping the register, answering with what is held, and pseudonymising. Every request is the
//! officer's commune's; the records it names must lie in the officer's area (the commune, its
//! villages and its predecessors).

use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::*;
use super::rules;
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{Actor, Role};
use crate::codes::{stored, CodeEnum};
use crate::db::schema::{
    attachment_contents, attachments, awards, case_assignments, case_escalations, case_follow_ups, case_parties, case_sessions, cases,
    disbursements, duty_breaches, election_candidates, elections, incident_claims, subject_request_parties, subject_requests,
    training_attendance, trainings, users,
};
use crate::db::{new_id, now, today, DbConn};
use crate::error::ApiError;
use crate::text;
use crate::units::model::Unit;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = subject_requests)]
pub struct Request {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub kind: String,
    pub mediator_id: Option<String>,
    pub requester_name: String,
    pub received_on: NaiveDate,
    pub due_on: NaiveDate,
    pub details: Option<String>,
    pub status: String,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

/// The law gives these rights against the controller holding the data: the commune's People's
/// Committee, through its justice officer. Officers above the commune (who read cases redacted),
/// administrators and everyone else get 403.
fn officers_commune(conn: &mut DbConn, actor: &Actor) -> Result<Unit, ApiError> {
    let commune_officer = actor.role == Role::Officer && actor.unit_level.as_deref() == Some("commune");
    let Some(own) = actor.unit_id.as_deref().filter(|_| commune_officer) else {
        return Err(ApiError::new(actix_web::http::StatusCode::FORBIDDEN, "commune_officer_only").with_detail(
            "Chỉ công chức tư pháp của xã (phường) đang giữ dữ liệu mới giải quyết yêu cầu của chủ thể dữ liệu",
            "Only the justice officer of the commune holding the data handles data-subject requests",
        ));
    };
    crate::units::store::find(conn, &actor.scope, own)
}

fn dto(conn: &mut DbConn, r: Request) -> Result<RequestDto, ApiError> {
    dtos(conn, vec![r])?.pop().ok_or_else(ApiError::internal)
}

/// The requests with their party rows: one query for the rows of them all.
fn dtos(conn: &mut DbConn, rows: Vec<Request>) -> Result<Vec<RequestDto>, ApiError> {
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let refs: Vec<(String, String, String)> = subject_request_parties::table
        .filter(subject_request_parties::request_id.eq_any(ids))
        .order((subject_request_parties::request_id.asc(), subject_request_parties::case_id.asc()))
        .select((subject_request_parties::request_id, subject_request_parties::party_id, subject_request_parties::case_id))
        .load(conn)?;
    let mut by_request: std::collections::HashMap<String, Vec<PartyRef>> = std::collections::HashMap::new();
    for (request, party_id, case_id) in refs {
        by_request.entry(request).or_default().push(PartyRef { party_id, case_id });
    }
    let day = today();
    rows.into_iter()
        .map(|r| {
            let status = stored(RequestStatus::parse(&r.status), "subject_requests.status", &r.status)?;
            Ok(RequestDto {
                kind: stored(RequestKind::parse(&r.kind), "subject_requests.kind", &r.kind)?,
                overdue: rules::overdue(r.due_on, r.closed_on, day),
                status,
                parties: by_request.remove(&r.id).unwrap_or_default(),
                id: r.id,
                unit_id: r.unit_id,
                mediator_id: r.mediator_id,
                requester_name: r.requester_name,
                received_on: r.received_on,
                due_on: r.due_on,
                details: r.details,
                closed_on: r.closed_on,
                outcome: r.outcome,
                version: r.version,
                created_at: r.created_at.and_utc(),
                updated_at: r.updated_at.and_utc(),
            })
        })
        .collect()
}

/// The party rows named, each in a case of the officer's area (422 `party_ids`: `not_found`).
fn named_parties(conn: &mut DbConn, actor: &Actor, ids: &[uuid::Uuid]) -> Result<Vec<(String, String)>, ApiError> {
    let ids: Vec<String> = ids.iter().map(|u| u.to_string()).collect();
    let mut q = case_parties::table.inner_join(cases::table).filter(case_parties::id.eq_any(&ids)).into_boxed();
    if let Some(inside) = actor.scope.contains(cases::unit_path) {
        q = q.filter(inside);
    }
    let found: Vec<(String, String)> = q.select((case_parties::id, case_parties::case_id)).load(conn)?;
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    if found.len() != unique.len() {
        return Err(ApiError::invalid_field("party_ids", "not_found"));
    }
    Ok(found)
}

/// Registers a request with its deadline (`working_days` after receipt).
pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateRequest, working_days: u32) -> Result<(RequestDto, bool), ApiError> {
    let commune = officers_commune(conn, actor)?;
    if let Some(id) = input.id {
        if let Ok(found) = find_row(conn, actor, &id.to_string()) {
            return Ok((dto(conn, found)?, false));
        }
    }
    rules::check_subject(input.mediator_id.is_some(), input.party_ids.len()).map_err(|(f, c)| ApiError::invalid_field(f, c))?;
    if input.received_on > today() {
        return Err(ApiError::invalid_field("received_on", "in_the_future"));
    }
    let mediator_id = match input.mediator_id {
        Some(m) => Some(
            crate::mediators::store::find(conn, actor, &m.to_string()).map_err(|_| ApiError::invalid_field("mediator_id", "not_found"))?.id,
        ),
        None => None,
    };
    let parties = named_parties(conn, actor, &input.party_ids)?;
    let stamp = now();
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    let due_on = rules::due_on(input.received_on, working_days);
    diesel::insert_into(subject_requests::table)
        .values((
            subject_requests::id.eq(&id),
            subject_requests::unit_id.eq(&commune.id),
            subject_requests::unit_path.eq(&commune.path),
            subject_requests::kind.eq(input.kind.as_str()),
            subject_requests::mediator_id.eq(&mediator_id),
            subject_requests::requester_name.eq(input.requester_name.trim()),
            subject_requests::received_on.eq(input.received_on),
            subject_requests::due_on.eq(due_on),
            subject_requests::details.eq(input.details.as_deref().map(str::trim)),
            subject_requests::status.eq(RequestStatus::Open.as_str()),
            subject_requests::version.eq(1),
            subject_requests::created_by.eq(&actor.id),
            subject_requests::created_at.eq(stamp),
            subject_requests::updated_at.eq(stamp),
        ))
        .execute(conn)?;
    for (party_id, case_id) in &parties {
        diesel::insert_into(subject_request_parties::table)
            .values((
                subject_request_parties::request_id.eq(&id),
                subject_request_parties::party_id.eq(party_id),
                subject_request_parties::case_id.eq(case_id),
            ))
            .execute(conn)?;
    }
    let row = find_row(conn, actor, &id)?;
    let out = dto(conn, row)?;
    // The register's facts, not the person's name or words.
    let facts = serde_json::json!({"kind": out.kind, "mediator_id": out.mediator_id, "parties": parties.len(),
        "received_on": out.received_on, "due_on": out.due_on});
    let change =
        Change { action: "create", entity: "subject_request", entity_id: &id, unit_path: Some(&commune.path), old: None, new: Some(facts) };
    audit::record(conn, &Who::from(actor), change)?;
    Ok((out, true))
}

/// A request of the officer's commune (404 otherwise).
fn find_row(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<Request, ApiError> {
    let commune = officers_commune(conn, actor)?;
    subject_requests::table
        .find(id)
        .filter(subject_requests::unit_id.eq(&commune.id))
        .select(Request::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(ApiError::not_found)
}

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<RequestDto, ApiError> {
    let row = find_row(conn, actor, id)?;
    dto(conn, row)
}

/// The commune's register, newest first.
pub fn list(conn: &mut DbConn, actor: &Actor, q: &RequestQuery) -> Result<Vec<RequestDto>, ApiError> {
    let commune = officers_commune(conn, actor)?;
    let mut query = subject_requests::table.filter(subject_requests::unit_id.eq(&commune.id)).select(Request::as_select()).into_boxed();
    if let Some(s) = q.status {
        query = query.filter(subject_requests::status.eq(s.as_str()));
    }
    // `overdue` as `rules::overdue` says, in SQL: open past due, or closed after due.
    let day = today();
    let open = RequestStatus::Open.as_str();
    match q.overdue {
        Some(true) => {
            let late = subject_requests::closed_on.gt(subject_requests::due_on.nullable()).assume_not_null();
            query = query.filter(subject_requests::status.eq(open).and(subject_requests::due_on.lt(day)).or(late));
        }
        Some(false) => {
            let in_time = subject_requests::closed_on.le(subject_requests::due_on.nullable()).assume_not_null();
            query = query.filter(subject_requests::status.eq(open).and(subject_requests::due_on.ge(day)).or(in_time));
        }
        None => {}
    }
    let rows = query.order((subject_requests::received_on.desc(), subject_requests::id.desc())).limit(500).load(conn)?;
    dtos(conn, rows)
}

/// Records the answer (with the version read: 428 without, 412 when stale).
pub fn close(conn: &mut DbConn, actor: &Actor, id: &str, expected: i32, input: CloseRequest) -> Result<RequestDto, ApiError> {
    let current = find_row(conn, actor, id)?;
    let version =
        crate::versioned::check(expected, current.version, || Ok(serde_json::to_value(dto(conn, current.clone())?).unwrap_or_default()))?;
    if current.status != RequestStatus::Open.as_str() {
        return Err(
            ApiError::conflict("already_closed").with_detail("Yêu cầu này đã được giải quyết", "This request has already been answered")
        );
    }
    rules::check_closing(input.status, current.received_on, input.closed_on, today()).map_err(|(f, c)| ApiError::invalid_field(f, c))?;
    let stamp = now();
    let updated = diesel::update(subject_requests::table.find(id).filter(subject_requests::version.eq(version)))
        .set((
            subject_requests::status.eq(input.status.as_str()),
            subject_requests::closed_on.eq(input.closed_on),
            subject_requests::outcome.eq(input.outcome.trim()),
            subject_requests::version.eq(version + 1),
            subject_requests::updated_at.eq(stamp),
        ))
        .execute(conn)?;
    if updated != 1 {
        let now_row = find(conn, actor, id)?;
        return Err(ApiError::stale(serde_json::to_value(&now_row).unwrap_or_default(), now_row.version));
    }
    let out = find(conn, actor, id)?;
    let change = Change {
        action: "close",
        entity: "subject_request",
        entity_id: id,
        unit_path: Some(&current.unit_path),
        old: Some(serde_json::json!({"status": current.status})),
        new: Some(serde_json::json!({"status": out.status, "closed_on": out.closed_on, "overdue": out.overdue})),
    };
    audit::record(conn, &Who::from(actor), change)?;
    Ok(out)
}

/// A person's rows as a party in the officer's area, by their whole name (folded), to name them
/// in a request. At most 100, newest first.
pub fn search_parties(conn: &mut DbConn, actor: &Actor, q: &PartyQuery) -> Result<Vec<PartyMatch>, ApiError> {
    officers_commune(conn, actor)?;
    let mut query = case_parties::table
        .inner_join(cases::table)
        .filter(case_parties::name_key.eq(text::fold(q.name.trim())))
        .filter(cases::pseudonymised_on.is_null())
        .into_boxed();
    if let Some(inside) = actor.scope.contains(cases::unit_path) {
        query = query.filter(inside);
    }
    if let Some(y) = q.birth_year {
        query = query.filter(case_parties::birth_year.eq(y));
    }
    Ok(query
        .select((
            case_parties::id,
            case_parties::case_id,
            cases::team_id,
            cases::received_on,
            cases::logbook_line,
            case_parties::full_name,
            case_parties::age,
            case_parties::birth_year,
            case_parties::address,
        ))
        .order((cases::received_on.desc(), case_parties::id.asc()))
        .limit(100)
        .load::<PartyMatch>(conn)?)
}

/// Everything held about the request's subject. The caller records the read before answering.
pub fn export(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<(PersonExport, String), ApiError> {
    let request = find_row(conn, actor, id)?;
    let commune = officers_commune(conn, actor)?;
    let mediator = match &request.mediator_id {
        Some(m) => Some(mediator_held(conn, actor, m)?),
        None => None,
    };
    let party_ids: Vec<String> = subject_request_parties::table
        .filter(subject_request_parties::request_id.eq(&request.id))
        .select(subject_request_parties::party_id)
        .load(conn)?;
    let cases = parties_held(conn, &party_ids)?;
    let controller = format!("Ủy ban nhân dân {}", crate::units::names::in_text(&commune.name));
    let unit_path = request.unit_path.clone();
    let request = dto(conn, request)?;
    Ok((PersonExport { request, generated_at: chrono::Utc::now(), controller, mediator, cases }, unit_path))
}

fn mediator_held(conn: &mut DbConn, actor: &Actor, mediator_id: &str) -> Result<MediatorHeld, ApiError> {
    let m = crate::mediators::store::find(conn, actor, mediator_id)?;
    let record = crate::mediators::store::dto(conn, actor, m)?;
    let trainings: Vec<(String, String, NaiveDate)> = training_attendance::table
        .inner_join(trainings::table)
        .filter(training_attendance::mediator_id.eq(mediator_id))
        .order(trainings::held_on.asc())
        .select((trainings::id, trainings::title, trainings::held_on))
        .load(conn)?;
    let assignments: Vec<AssignmentHeld> = case_assignments::table
        .inner_join(cases::table)
        .filter(case_assignments::mediator_id.eq(mediator_id))
        .order((case_assignments::assigned_on.asc(), case_assignments::id.asc()))
        .select((
            cases::id,
            cases::team_id,
            cases::logbook_line,
            cases::received_on,
            case_assignments::assigned_on,
            case_assignments::ended_on,
            case_assignments::end_reason,
        ))
        .load(conn)?;
    let votes: Vec<(String, i32, bool)> = election_candidates::table
        .filter(election_candidates::mediator_id.eq(mediator_id))
        .select((election_candidates::election_id, election_candidates::votes, election_candidates::elected))
        .load(conn)?;
    let held: std::collections::HashMap<String, (NaiveDate, String)> = elections::table
        .filter(elections::id.eq_any(votes.iter().map(|v| v.0.as_str())))
        .select((elections::id, elections::held_on, elections::kind))
        .load::<(String, NaiveDate, String)>(conn)?
        .into_iter()
        .map(|(id, on, kind)| (id, (on, kind)))
        .collect();
    let mut candidacies: Vec<(String, NaiveDate, String, i32, bool)> = votes
        .into_iter()
        .filter_map(|(election, votes, elected)| held.get(&election).cloned().map(|(on, kind)| (election, on, kind, votes, elected)))
        .collect();
    candidacies.sort_by_key(|c| c.1);
    let payments: Vec<(String, String, i64, NaiveDate)> = disbursements::table
        .filter(disbursements::payee_mediator_id.eq(mediator_id))
        .order(disbursements::paid_on.asc())
        .select((disbursements::id, disbursements::item, disbursements::amount, disbursements::paid_on))
        .load(conn)?;
    let awards: Vec<(i32, String, String)> = awards::table
        .filter(awards::mediator_id.eq(mediator_id))
        .order(awards::year.asc())
        .select((awards::year, awards::title, awards::level))
        .load(conn)?;
    let breaches: Vec<(String, String)> = duty_breaches::table
        .filter(duty_breaches::mediator_id.eq(mediator_id))
        .select((duty_breaches::case_id, duty_breaches::note))
        .load(conn)?;
    let claims: Vec<(String, NaiveDate, String, String, String)> = incident_claims::table
        .filter(incident_claims::mediator_id.eq(mediator_id))
        .order(incident_claims::occurred_on.asc())
        .select((
            incident_claims::id,
            incident_claims::occurred_on,
            incident_claims::kind,
            incident_claims::description,
            incident_claims::status,
        ))
        .load(conn)?;
    let accounts: Vec<(String, String, bool)> =
        users::table.filter(users::mediator_id.eq(mediator_id)).select((users::username, users::role, users::active)).load(conn)?;
    Ok(MediatorHeld {
        record,
        trainings: trainings.into_iter().map(|(training_id, title, starts_on)| TrainingHeld { training_id, title, starts_on }).collect(),
        assignments,
        candidacies: candidacies
            .into_iter()
            .map(|(election_id, held_on, kind, votes, elected)| CandidacyHeld { election_id, held_on, kind, votes, elected })
            .collect(),
        payments: payments
            .into_iter()
            .map(|(disbursement_id, item, amount, paid_on)| PaymentHeld { disbursement_id, item, amount, paid_on })
            .collect(),
        awards: awards.into_iter().map(|(year, title, level)| AwardHeld { year, title, level }).collect(),
        duty_breaches: breaches.into_iter().map(|(case_id, note)| BreachHeld { case_id, note }).collect(),
        incident_claims: claims
            .into_iter()
            .map(|(claim_id, occurred_on, kind, description, status)| ClaimHeld { claim_id, occurred_on, kind, description, status })
            .collect(),
        accounts: accounts.into_iter().map(|(username, role, active)| AccountHeld { username, role, active }).collect(),
    })
}

/// Each named party row with its case's facts and narrative; the other parties are left out.
fn parties_held(conn: &mut DbConn, party_ids: &[String]) -> Result<Vec<PartyHeld>, ApiError> {
    let rows: Vec<(crate::cases::model::Party, crate::cases::model::Case)> = case_parties::table
        .inner_join(cases::table)
        .filter(case_parties::id.eq_any(party_ids))
        .order((cases::received_on.asc(), cases::id.asc()))
        .select((crate::cases::model::Party::as_select(), crate::cases::model::Case::as_select()))
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for (party, case) in rows {
        let sessions: Vec<NaiveDate> = case_sessions::table
            .filter(case_sessions::case_id.eq(&case.id))
            .order(case_sessions::held_on.asc())
            .select(case_sessions::held_on)
            .load(conn)?;
        let files: Vec<String> = attachments::table
            .filter(attachments::case_id.eq(&case.id))
            .order(attachments::created_at.asc())
            .select(attachments::file_name)
            .load(conn)?;
        out.push(PartyHeld {
            party: crate::cases::store::party_dto(party, true)?,
            case_id: case.id,
            team_id: case.team_id,
            received_on: case.received_on,
            logbook_line: case.logbook_line,
            category: case.category,
            status: case.status,
            summary: case.summary,
            ended_on: case.ended_on,
            agreement_text: case.agreement_text,
            sessions,
            attachments: files,
            pseudonymised_on: case.pseudonymised_on,
        });
    }
    Ok(out)
}

/// Pseudonymises the closed cases of the officer's area that closed before the retention period:
/// each party keeps only its place ("Bên 1"), kind, role and age; contacts, identity numbers,
/// demands, session participants and every narrative are cleared, the photos and scans removed.
/// The case's facts the statistics count — dates, category, basis, status, result, team, line —
/// are kept, so no figure changes. One audit row per case.
pub fn pseudonymise(conn: &mut DbConn, actor: &Actor, input: &Pseudonymise) -> Result<PseudonymisationDone, ApiError> {
    officers_commune(conn, actor)?;
    let day = today();
    let before = rules::closed_before(day, input.retain_years);
    let mut q = cases::table
        .filter(cases::pseudonymised_on.is_null())
        .filter(cases::status.eq_any(["successful", "unsuccessful", "out_of_scope"]))
        .filter(cases::ended_on.lt(before))
        .into_boxed();
    if let Some(inside) = actor.scope.contains(cases::unit_path) {
        q = q.filter(inside);
    }
    let due: Vec<(String, String, String, String, i32)> =
        q.select((cases::id, cases::status, cases::category, cases::unit_path, cases::version)).order(cases::id.asc()).load(conn)?;
    let (mut parties, mut files) = (0_i64, 0_i64);
    let stamp = now();
    for (case_id, status, category, unit_path, version) in &due {
        let label = crate::cases::dto::Category::parse(category).map_or(category.as_str(), |c| c.labels().0);
        let summary = rules::pseudonymised_summary(label);
        diesel::update(cases::table.find(case_id))
            .set((
                cases::summary_key.eq(text::fold(&summary)),
                cases::summary.eq(summary),
                cases::agreement_text.eq(None::<String>),
                cases::notes.eq(None::<String>),
                cases::deadline_exception_note.eq(None::<String>),
                // Only a case found out of scope has a reason for it.
                cases::out_of_scope_reason.eq((status == "out_of_scope").then_some("(đã ẩn danh hóa)")),
                cases::pseudonymised_on.eq(day),
                cases::version.eq(version + 1),
                cases::updated_at.eq(stamp),
            ))
            .execute(conn)?;
        let rows: Vec<(String, i32, String)> = case_parties::table
            .filter(case_parties::case_id.eq(case_id))
            .select((case_parties::id, case_parties::position, case_parties::role))
            .load(conn)?;
        for (party_id, position, role) in &rows {
            let name = rules::pseudonym(*position, role == "related_person");
            diesel::update(case_parties::table.find(party_id))
                .set((
                    case_parties::name_key.eq(text::fold(&name)),
                    case_parties::full_name.eq(name),
                    case_parties::birth_year.eq(None::<i32>),
                    case_parties::address.eq(None::<String>),
                    case_parties::phone.eq(None::<String>),
                    case_parties::id_number.eq(None::<String>),
                    case_parties::demand.eq(None::<String>),
                ))
                .execute(conn)?;
        }
        parties += rows.len() as i64;
        diesel::update(case_sessions::table.filter(case_sessions::case_id.eq(case_id)))
            .set((case_sessions::participants.eq("[]"), case_sessions::notes.eq(None::<String>)))
            .execute(conn)?;
        diesel::update(case_escalations::table.filter(case_escalations::case_id.eq(case_id)))
            .set(case_escalations::notes.eq(None::<String>))
            .execute(conn)?;
        diesel::update(case_follow_ups::table.filter(case_follow_ups::case_id.eq(case_id)))
            .set(case_follow_ups::notes.eq(None::<String>))
            .execute(conn)?;
        diesel::update(case_assignments::table.filter(case_assignments::case_id.eq(case_id)))
            .set(case_assignments::end_note.eq(None::<String>))
            .execute(conn)?;
        let scans: Vec<String> = attachments::table.filter(attachments::case_id.eq(case_id)).select(attachments::id).load(conn)?;
        diesel::delete(attachment_contents::table.filter(attachment_contents::attachment_id.eq_any(&scans))).execute(conn)?;
        diesel::delete(attachments::table.filter(attachments::id.eq_any(&scans))).execute(conn)?;
        files += scans.len() as i64;
        let facts = serde_json::json!({"pseudonymised_on": day, "parties": rows.len(), "attachments": scans.len(),
            "retain_years": input.retain_years, "version": version + 1});
        let change =
            Change { action: "pseudonymise", entity: "case", entity_id: case_id, unit_path: Some(unit_path), old: None, new: Some(facts) };
        audit::record(conn, &Who::from(actor), change)?;
    }
    Ok(PseudonymisationDone { closed_before: before, cases: due.len() as i64, parties, attachments: files })
}
