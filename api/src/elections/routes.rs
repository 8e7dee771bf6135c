use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};

use super::dto::*;
use super::store;
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{with_etag, IfMatch, JsonBody, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_elections)
        .service(create_election)
        .service(get_election)
        .service(recognise_election)
        .service(list_staffing_decisions)
        .service(create_staffing_decision);
}

/// Records an election as its minutes give it (officers): mediators elected by the household
/// representatives with more than half of them; the leader by the team with more than half and
/// the most votes. A declared result that breaks the rule is refused (422, naming the candidate:
/// `majority_not_reached`, `not_the_most_votes`, `one_leader`). The chairman's recognition is
/// due 5 working days after (public holidays counted out).
#[utoipa::path(tag = "mediators", request_body = CreateElection, responses((status = 201, body = ElectionDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/elections")]
async fn create_election(
    actor: Allowed<can::ManageMediators>,
    body: JsonBody<CreateElection>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (dto, created) = store::create(c, &actor, body.0)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/elections/{}", dto.id))
    })
    .await
}

/// Elections of the teams the caller may see, newest first; `overdue=true` for those whose
/// recognition is late.
#[utoipa::path(tag = "mediators", params(ElectionQuery), responses((status = 200, body = ElectionList)))]
#[get("/elections")]
async fn list_elections(
    actor: Allowed<can::ReadMediators>,
    query: QueryParams<ElectionQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let items = st.db.run(move |c| store::list(c, &actor, &q)).await?;
    Ok(HttpResponse::Ok().json(ElectionList { items }))
}

/// One election with its counts, the due day of its recognition and whether it is late.
#[utoipa::path(tag = "mediators", responses((status = 200, body = ElectionDto, headers(("ETag" = String)))))]
#[get("/elections/{id}")]
async fn get_election(
    actor: Allowed<can::ReadMediators>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dto = st.db.run(move |c| store::find(c, &actor, &id.to_string())).await?;
    Ok(with_etag(StatusCode::OK, &dto, dto.version))
}

/// Records the chairman's decision recognising the result (officers); needs `If-Match`. One
/// made after the due day is kept, and the election stays flagged `overdue`.
#[utoipa::path(
    tag = "mediators",
    request_body = RecordRecognition,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = ElectionDto, headers(("ETag" = String))))
)]
#[post("/elections/{id}/recognition")]
async fn recognise_election(
    actor: Allowed<can::ManageMediators>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<RecordRecognition>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let dto = store::recognise(c, &actor, &id.to_string(), if_match.0, body.0)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Records the chairman's decision on how many teams a village has and how many members each
/// (officers).
#[utoipa::path(tag = "teams", request_body = CreateStaffingDecision, responses((status = 201, body = StaffingDecisionDto)))]
#[post("/staffing-decisions")]
async fn create_staffing_decision(
    actor: Allowed<can::ManageTeams>,
    body: JsonBody<CreateStaffingDecision>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let dto = store::create_decision(c, &actor, body.0)?;
        Answer::json(StatusCode::CREATED, &dto)
    })
    .await
}

/// The chairman's decisions on teams and sizes for a unit and the units below it, newest first.
#[utoipa::path(tag = "teams", params(StaffingQuery), responses((status = 200, body = StaffingDecisionList)))]
#[get("/staffing-decisions")]
async fn list_staffing_decisions(
    actor: Allowed<can::ReadTeams>,
    query: QueryParams<StaffingQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let unit = query.0.unit_id;
    let items = st.db.run(move |c| store::list_decisions(c, &actor, unit)).await?;
    Ok(HttpResponse::Ok().json(StaffingDecisionList { items }))
}
