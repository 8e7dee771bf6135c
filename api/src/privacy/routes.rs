use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};

use super::dto::*;
use super::store;
use crate::audit::store::{Change, Who};
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{with_etag, IfMatch, JsonBody, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_subject_requests)
        .service(create_subject_request)
        .service(get_subject_request)
        .service(close_subject_request)
        .service(export_subject_request)
        .service(find_party_rows)
        .service(pseudonymise_closed_cases);
}

/// Registers a data-subject request (Law 91/2025/QH15) received by the commune: to see what is
/// held, to correct it, to delete or pseudonymise it, or to object. The answer is due
/// `HOAGIAI_SUBJECT_REQUEST_DAYS` working days (default 2, Decree 356/2025) after receipt, public
/// holidays counted out. The commune's justice officer only (403 `commune_officer_only`).
#[utoipa::path(tag = "privacy", request_body = CreateRequest, responses((status = 201, body = RequestDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/privacy/requests")]
async fn create_subject_request(
    actor: Allowed<can::ManagePersonalData>,
    body: JsonBody<CreateRequest>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let days = cmd.config().subject_request_days;
    cmd.run(move |c| {
        let (dto, created) = store::create(c, &actor, body.0, days)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/privacy/requests/{}", dto.id))
    })
    .await
}

/// The commune's register of data-subject requests, newest first; `overdue=true` for those open
/// past their due day or answered after it.
#[utoipa::path(tag = "privacy", params(RequestQuery), responses((status = 200, body = RequestList)))]
#[get("/privacy/requests")]
async fn list_subject_requests(
    actor: Allowed<can::ManagePersonalData>,
    query: QueryParams<RequestQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let items = st.db.run(move |c| store::list(c, &actor, &q)).await?;
    Ok(private(HttpResponse::Ok().json(RequestList { items })))
}

/// One request with its deadline and whether it is late.
#[utoipa::path(tag = "privacy", responses((status = 200, body = RequestDto, headers(("ETag" = String)))))]
#[get("/privacy/requests/{id}")]
async fn get_subject_request(
    actor: Allowed<can::ManagePersonalData>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dto = st.db.run(move |c| store::find(c, &actor, &id.to_string())).await?;
    Ok(private(with_etag(StatusCode::OK, &dto, dto.version)))
}

/// Records the answer to a request: `completed` (what was given, corrected or pseudonymised) or
/// `refused` (why), on a day; needs `If-Match`. Corrections themselves are made with the records'
/// own commands (`PATCH /cases/{id}`, `PATCH /mediators/{id}`), which keep their audit.
#[utoipa::path(
    tag = "privacy",
    request_body = CloseRequest,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = RequestDto, headers(("ETag" = String))))
)]
#[post("/privacy/requests/{id}/close")]
async fn close_subject_request(
    actor: Allowed<can::ManagePersonalData>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<CloseRequest>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let dto = store::close(c, &actor, &id.to_string(), if_match.0, body.0)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Everything held about the person a request is about, to hand over: their mediator record with
/// memberships, trainings, assignments, candidacies, payments, awards, duty findings, claims and
/// accounts; or, for a party, each case they are a party in with their own row only (the other
/// parties' data is theirs). JSON, or a printable page (`format=html`). The read is recorded in
/// the audit log before the answer leaves.
#[utoipa::path(
    tag = "privacy",
    params(ExportQuery),
    responses((status = 200, body = PersonExport, content((PersonExport = "application/json"), (String = "text/html"))))
)]
#[get("/privacy/requests/{id}/export")]
async fn export_subject_request(
    actor: Allowed<can::ManagePersonalData>,
    id: web::Path<uuid::Uuid>,
    query: QueryParams<ExportQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let state = st.clone();
    let (export, place, receipt) = st
        .db
        .run(move |c| {
            let (export, unit_path) = store::export(c, &actor, &id.to_string())?;
            let place = crate::units::store::find(c, &crate::auth::Scope::national(), &export.request.unit_id)?.name;
            let read = Change {
                action: "export",
                entity: "subject_request",
                entity_id: &export.request.id,
                unit_path: Some(&unit_path),
                old: None,
                new: None,
            };
            let receipt = state.read_log.record(&Who::from(&*actor), read);
            Ok((export, place, receipt))
        })
        .await?;
    receipt.committed().await?;
    let res = match query.0.format.unwrap_or(ExportFormat::Json) {
        ExportFormat::Html => crate::http::printable(super::render::page(&export, &place)?),
        ExportFormat::Json => HttpResponse::Ok().json(&export),
    };
    Ok(no_store(res))
}

/// A person's rows as a party in the commune's cases (and its predecessors'), by the whole name
/// as they give it (case and diacritics ignored), optionally their year of birth: to name the
/// rows in a request. Pseudonymised cases hold no names and are not searched. The search is
/// recorded in the audit log.
#[utoipa::path(tag = "privacy", params(PartyQuery), responses((status = 200, body = PartyMatchList)))]
#[get("/privacy/parties")]
async fn find_party_rows(
    actor: Allowed<can::ManagePersonalData>,
    query: QueryParams<PartyQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let state = st.clone();
    let q = query.0;
    let (items, receipt) = st
        .db
        .run(move |c| {
            let items = store::search_parties(c, &actor, &q)?;
            let path = actor.scope.path.clone();
            let read = Change { action: "search", entity: "case_party", entity_id: "-", unit_path: path.as_deref(), old: None, new: None };
            Ok((items, state.read_log.record(&Who::from(&*actor), read)))
        })
        .await?;
    receipt.committed().await?;
    Ok(no_store(HttpResponse::Ok().json(PartyMatchList { items })))
}

/// Pseudonymises the commune's closed cases (its predecessors' included) that closed more than
/// `retain_years` ago: each party keeps its place in the line ("Bên 1"), kind, role and age;
/// names, contacts, identity numbers, demands, session participants and narratives are cleared
/// and the case's photos and scans removed. Dates, category, basis, status and result stay, so
/// every statistic and report is unchanged. One audit row per case. Cannot be undone.
#[utoipa::path(tag = "privacy", request_body = Pseudonymise, responses((status = 200, body = PseudonymisationDone)))]
#[post("/privacy/pseudonymisations")]
async fn pseudonymise_closed_cases(
    actor: Allowed<can::ManagePersonalData>,
    body: JsonBody<Pseudonymise>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let done = store::pseudonymise(c, &actor, &body.0)?;
        Answer::json(StatusCode::OK, &done)
    })
    .await
}

/// Personal data: not for shared caches.
fn private(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-cache"));
    res
}

/// An export handed over is not kept anywhere on the way.
fn no_store(mut res: HttpResponse) -> HttpResponse {
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    res
}
