use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{CreateMediator, EndMembership, MediatorDto, MediatorQuery, NewMembership, TransferMembership, UpdateMediator};
use super::store::{self, MediatorFilter};
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_mediators)
        .service(create_mediator)
        .service(get_mediator)
        .service(update_mediator)
        .service(add_membership)
        .service(end_membership)
        .service(transfer_membership);
}

/// Mediators the caller may see, with their membership history.
#[utoipa::path(tag = "mediators", params(MediatorQuery), responses((status = 200, body = Page<MediatorDto>)))]
#[get("/mediators")]
async fn list_mediators(
    actor: Allowed<can::ReadMediators>,
    query: QueryParams<MediatorQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, after) = (page.limit(), page.after()?);
    let page = st
        .db
        .run(move |c| {
            let within = crate::units::store::area_within(c, &actor.scope, q.within)?;
            let filter = MediatorFilter { team_id: q.team_id.map(|t| t.to_string()), within, q: q.q, after_id: after, limit };
            let rows = store::list(c, &actor, &filter)?;
            let page = page_of(rows, limit, |m| m.id.clone(), |m| m);
            let items = store::dtos(c, &actor, page.items)?;
            Ok(Page { items, next_cursor: page.next_cursor, total: None })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Records a mediator (officers), optionally with their first membership.
#[utoipa::path(tag = "mediators", request_body = CreateMediator, responses((status = 201, body = MediatorDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/mediators")]
async fn create_mediator(
    actor: Allowed<can::ManageMediators>,
    body: JsonBody<CreateMediator>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (m, created) = store::create(c, &actor, body.0)?;
        let dto = store::dto(c, &actor, m)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/mediators/{}", dto.id))
    })
    .await
}

/// One mediator with their membership history.
#[utoipa::path(tag = "mediators", responses((status = 200, body = MediatorDto, headers(("ETag" = String)))))]
#[get("/mediators/{id}")]
async fn get_mediator(
    actor: Allowed<can::ReadMediators>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dto = st
        .db
        .run(move |c| {
            let m = store::find(c, &actor, &id.to_string())?;
            store::dto(c, &actor, m)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &dto, dto.version))
}

/// Changes a mediator's data (officers); needs `If-Match`.
#[utoipa::path(
    tag = "mediators",
    request_body = UpdateMediator,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = MediatorDto, headers(("ETag" = String))))
)]
#[patch("/mediators/{id}")]
async fn update_mediator(
    actor: Allowed<can::ManageMediators>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateMediator>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let m = store::update(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::dto(c, &actor, m)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Adds a membership: the mediator joins a team as member or leader (officers).
#[utoipa::path(tag = "mediators", request_body = NewMembership, responses((status = 200, body = MediatorDto, headers(("ETag" = String)))))]
#[post("/mediators/{id}/memberships")]
async fn add_membership(
    actor: Allowed<can::ManageMediators>,
    id: web::Path<uuid::Uuid>,
    body: JsonBody<NewMembership>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let m = store::add_membership(c, &actor, &id.to_string(), body.0)?;
        let dto = store::dto(c, &actor, m)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Moves a membership to a successor team after a merger (officers): ended here as `transferred`,
/// started there the same day with the new chairman's recognition decision.
#[utoipa::path(tag = "mediators", request_body = TransferMembership, responses((status = 200, body = MediatorDto, headers(("ETag" = String)))))]
#[post("/mediators/{id}/memberships/{membership_id}/transfer")]
async fn transfer_membership(
    actor: Allowed<can::ManageMediators>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: JsonBody<TransferMembership>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let (id, membership_id) = path.into_inner();
    cmd.run(move |c| {
        let m = store::transfer_membership(c, &actor, &id.to_string(), &membership_id.to_string(), body.0)?;
        let dto = store::dto(c, &actor, m)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Ends a membership, with the reason and the decision (officers).
#[utoipa::path(tag = "mediators", request_body = EndMembership, responses((status = 200, body = MediatorDto, headers(("ETag" = String)))))]
#[post("/mediators/{id}/memberships/{membership_id}/end")]
async fn end_membership(
    actor: Allowed<can::ManageMediators>,
    path: web::Path<(uuid::Uuid, uuid::Uuid)>,
    body: JsonBody<EndMembership>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let (id, membership_id) = path.into_inner();
    cmd.run(move |c| {
        let m = store::end_membership(c, &actor, &id.to_string(), &membership_id.to_string(), body.0)?;
        let dto = store::dto(c, &actor, m)?;
        Answer::record(&dto, dto.version)
    })
    .await
}
