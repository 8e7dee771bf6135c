use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::*;
use super::model::Case;
use super::store::{self, CaseFilter};
use crate::auth::{can, Actor, Allowed};
use crate::command::{Answer, Command, Planned};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_cases)
        .service(create_case)
        .service(get_case)
        .service(print_written_agreement)
        .service(update_case)
        .service(assign_mediator)
        .service(end_assignment)
        .service(flag_conflict)
        .service(record_session)
        .service(record_escalation)
        .service(end_case)
        .service(correct_result)
        .service(mark_out_of_scope)
        .service(record_referral)
        .service(transfer_case)
        .service(record_written_agreement)
        .service(record_follow_up)
        .service(record_deadline_exception);
}

/// Runs a case command and answers the case as it now is, with its new ETag.
async fn command(
    cmd: Command,
    actor: Actor,
    f: impl FnOnce(&mut DbConn, &Actor) -> Result<Case, ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let case = f(c, &actor)?;
        let dto = store::detail(c, &actor, case)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Cases the caller may see, newest first: the subtree for officers and viewers, the team's for a
/// team leader, their own for a mediator. Party names and summaries only for those who may see them.
#[utoipa::path(tag = "cases", params(CaseQuery), responses((status = 200, body = Page<CaseListItem>)))]
#[get("/cases")]
async fn list_cases(
    actor: Allowed<can::ReadCases>,
    query: QueryParams<CaseQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, before) = (page.limit(), page.after()?);
    let rows = st
        .db
        .run(move |c| {
            let within = crate::units::store::area_within(c, &actor.scope, q.within)?;
            let filter = CaseFilter {
                within,
                team_id: q.team_id.map(|t| t.to_string()),
                status: q.status,
                open: q.open,
                category: q.category,
                basis: q.basis,
                received_from: q.received_from,
                received_to: q.received_to,
                overdue: q.overdue,
                mediator_id: q.mediator_id.map(|m| m.to_string()),
                q: q.q,
                before_id: before,
                limit,
            };
            store::list(c, &actor, &filter, q.with_total == Some(true))
        })
        .await?;
    let (rows, total) = rows;
    Ok(HttpResponse::Ok().json(Page { total, ..page_of(rows, limit, |c| c.id.clone(), |c| c) }))
}

/// Opens a case in a team's log book. The phone may choose the id: a retry with the same id (or
/// the same `Idempotency-Key`) answers the case already made, never a second one. Possible
/// duplicates (same team, a party of the same name, received within 30 days) come back as
/// `warnings`; they are not refused.
#[utoipa::path(
    tag = "cases",
    request_body = CreateCase,
    responses(
        (status = 201, description = "Opened", body = CaseDto, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "Already opened by an earlier try with the same id", body = CaseDto)
    )
)]
#[post("/cases")]
async fn create_case(actor: Allowed<can::CreateCases>, body: JsonBody<CreateCase>, cmd: Command) -> Result<HttpResponse, ApiError> {
    let days = cmd.config().case_start_deadline_days;
    let probe = store::DuplicateProbe::of(&body.0);
    let duplicates = cmd.read(move |c| store::possible_duplicates(c, &probe)).await?;
    cmd.run_planned(move |c| {
        let answer = |created, dto: &CaseDto| Answer::created(created, dto, dto.version, &format!("/api/v1/cases/{}", dto.id));
        Ok(match store::plan_create(c, &actor, &body.0, days, &duplicates)? {
            store::CreatePlan::Existing(dto) => Planned::answer_only(answer(false, &dto)?),
            store::CreatePlan::New(dto, writes) => Planned::write(answer(true, &dto)?, writes),
        })
    })
    .await
}

/// One case with its whole history. Reading the parties' personal data is recorded in the audit log.
#[utoipa::path(tag = "cases", responses((status = 200, body = CaseDto, headers(("ETag" = String)))))]
#[get("/cases/{id}")]
async fn get_case(actor: Allowed<can::ReadCases>, id: web::Path<uuid::Uuid>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let state = st.clone();
    let (dto, audited) = st
        .db
        .run(move |c| {
            let case = store::find(c, &actor, &id.to_string())?;
            let audited = actor.sees_party_details().then(|| store::record_read(&state.read_log, &actor, &case));
            Ok((store::detail(c, &actor, case)?, audited))
        })
        .await?;
    // Personal data leaves only once the audit row of its reading is committed.
    if let Some(receipt) = audited {
        receipt.committed().await?;
    }
    let mut res = with_etag(StatusCode::OK, &dto, dto.version);
    // Personal data: not for shared caches.
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-cache"));
    Ok(res)
}

/// The written agreement (văn bản hòa giải thành) as a page to print and sign (A4, Vietnamese,
/// the national header), prefilled from the case with the contents Article 24 of the law asks for;
/// what the record does not hold is left as lines to write on. Only for those who see the parties'
/// data (403), never for a case that ended without agreement (409 `no_agreement`); the read is
/// audited like the case's.
#[utoipa::path(tag = "cases", responses((status = 200, description = "The printable page", content_type = "text/html", body = String)))]
#[get("/cases/{id}/written-agreement")]
async fn print_written_agreement(
    actor: Allowed<can::ReadCases>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let state = st.clone();
    let (page, audited) = st
        .db
        .run(move |c| {
            let case = store::find(c, &actor, &id.to_string())?;
            let dto = store::detail(c, &actor, case.clone())?;
            // Who may have the page is the document's rule; only a page made is a read to record.
            let page = super::documents::written_agreement(c, &actor, &dto)?;
            Ok((page, store::record_read(&state.read_log, &actor, &case)))
        })
        .await?;
    audited.committed().await?;
    let mut res = crate::http::printable(page);
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    Ok(res)
}

/// Changes a case's details; needs `If-Match`. After the end only officers may (a correction,
/// audited as such).
#[utoipa::path(
    tag = "cases",
    request_body = UpdateCase,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[patch("/cases/{id}")]
async fn update_case(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateCase>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::update(c, a, &id.to_string(), if_match.0, body.0)).await
}

/// `If-Match` on a command is optional: with it, the command applies only to that version.
const IF_MATCH_OPTIONAL: &str = "Optional: the ETag of the version the command is meant for";

/// Assigns a mediator of the case's team (chosen by the parties or by the leader). A mediator
/// with a conflict of interest cannot be assigned. The first assignment starts the case and its
/// start deadline.
#[utoipa::path(
    tag = "cases",
    request_body = AssignMediator,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/assignments")]
async fn assign_mediator(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<AssignMediator>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::assign(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Ends an assignment (recusal or reassignment).
#[utoipa::path(
    tag = "cases",
    request_body = EndAssignment,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/assignments/{assignment_id}/end")]
async fn end_assignment(
    actor: Allowed<can::EditCases>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    if_match: Option<IfMatch>,
    body: JsonBody<EndAssignment>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let (id, assignment) = path.into_inner();
    command(cmd, actor.0, move |c, a| store::end_assignment(c, a, &id.to_string(), &assignment.to_string(), if_match.map(|m| m.0), body.0))
        .await
}

/// Records that a mediator has an interest in the case: they cannot be assigned, and an
/// assignment they hold ends as a recusal on `recused_on` (default today).
#[utoipa::path(
    tag = "cases",
    request_body = FlagConflict,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/conflicts")]
async fn flag_conflict(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<FlagConflict>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::flag_conflict(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records a mediation session (date, place, public or private, invited participants, notes).
/// The first session is the start of mediation.
#[utoipa::path(
    tag = "cases",
    request_body = RecordSession,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/sessions")]
async fn record_session(
    actor: Allowed<can::RecordCaseProgress>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<RecordSession>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::record_session(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records an escalation: a risk of violence or signs of an offence, and who was notified.
#[utoipa::path(
    tag = "cases",
    request_body = RecordEscalation,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/escalations")]
async fn record_escalation(
    actor: Allowed<can::RecordCaseProgress>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<RecordEscalation>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::record_escalation(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records the end of mediation: an agreement (successful) with its text, or a withdrawal or the
/// mediator's decision (unsuccessful) with each party's demands and, optionally, the referral.
#[utoipa::path(
    tag = "cases",
    request_body = EndCase,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/end")]
async fn end_case(
    actor: Allowed<can::RecordCaseProgress>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<EndCase>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::end(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Corrects a recorded result: successful ↔ unsuccessful, or the details of the same result (end
/// date, agreement, demands, referral). Commune officers only; needs `If-Match`. The statistics
/// follow at once, in the same transaction; the audit log records it as `correct_result`. A
/// successful case with a written agreement or follow-ups cannot become unsuccessful (409
/// `result_has_agreement_records`).
#[utoipa::path(
    tag = "cases",
    request_body = CorrectResult,
    params(("If-Match" = String, Header, description = "The ETag of the version being corrected")),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/result-correction")]
async fn correct_result(
    actor: Allowed<can::CorrectCaseResults>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<CorrectResult>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::correct_result(c, a, &id.to_string(), if_match.0, body.0)).await
}

/// Records that the case is not for grassroots mediation (Law art. 3), why, where it was sent, and
/// on which day (`decided_on`, default today): the statistics count it on that day, apart from the
/// cases received.
#[utoipa::path(
    tag = "cases",
    request_body = MarkOutOfScope,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/out-of-scope")]
async fn mark_out_of_scope(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<MarkOutOfScope>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::mark_out_of_scope(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records where an unsuccessful case was sent on.
#[utoipa::path(
    tag = "cases",
    request_body = Referral,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/referral")]
async fn record_referral(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<Referral>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::record_referral(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Moves an open case to a successor team (officers), after communes or villages merged: the case
/// keeps its first log-book line (shown as `transferred_from`) and takes the next line of the new
/// team's book for its year.
#[utoipa::path(
    tag = "cases",
    request_body = TransferCase,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/transfer")]
async fn transfer_case(
    actor: Allowed<can::TransferCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<TransferCase>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::transfer(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records the written agreement (date; signed or fingerprinted). ID numbers only when it is made
/// for recognition by a court.
#[utoipa::path(
    tag = "cases",
    request_body = RecordWrittenAgreement,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/written-agreement")]
async fn record_written_agreement(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<RecordWrittenAgreement>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::record_written_agreement(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records a follow-up of how the agreement is carried out.
#[utoipa::path(
    tag = "cases",
    request_body = RecordFollowUp,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/follow-ups")]
async fn record_follow_up(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<RecordFollowUp>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::record_follow_up(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}

/// Records why mediation did not start within the deadline (it had to be done at once, or the
/// parties agreed another time): the case is no longer overdue.
#[utoipa::path(
    tag = "cases",
    request_body = RecordDeadlineException,
    params(("If-Match" = Option<String>, Header, description = IF_MATCH_OPTIONAL)),
    responses((status = 200, body = CaseDto, headers(("ETag" = String))))
)]
#[post("/cases/{id}/deadline-exception")]
async fn record_deadline_exception(
    actor: Allowed<can::EditCases>,
    id: web::Path<uuid::Uuid>,
    if_match: Option<IfMatch>,
    body: JsonBody<RecordDeadlineException>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    command(cmd, actor.0, move |c, a| store::record_deadline_exception(c, a, &id.to_string(), if_match.map(|m| m.0), body.0)).await
}
