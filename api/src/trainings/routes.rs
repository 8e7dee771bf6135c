use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{Coverage, CoverageQuery, CreateTraining, TrainingDto, TrainingQuery, UpdateTraining};
use super::store::{self, TrainingFilter};
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_trainings).service(create_training).service(get_training_coverage).service(get_training).service(update_training);
}

/// Trainings, newest first: those kept in the caller's subtree; for team leaders and mediators,
/// those their team's mediators attended.
#[utoipa::path(tag = "trainings", params(TrainingQuery), responses((status = 200, body = Page<TrainingDto>)))]
#[get("/trainings")]
async fn list_trainings(
    actor: Allowed<can::ReadTrainings>,
    query: QueryParams<TrainingQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, after) = (page.limit(), page.after()?);
    let page = st
        .db
        .run(move |c| {
            let within = crate::units::store::area_within(c, &actor.scope, q.within)?;
            let rows = store::list(c, &actor, &TrainingFilter { within, year: q.year, after_id: after, limit })?;
            let page = page_of(rows, limit, |t| t.id.clone(), |t| t);
            let items = store::dtos(c, page.items)?;
            Ok(Page { items, next_cursor: page.next_cursor, total: None })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Records a training and who attended (officers).
#[utoipa::path(tag = "trainings", request_body = CreateTraining, responses((status = 201, body = TrainingDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/trainings")]
async fn create_training(
    actor: Allowed<can::ManageTrainings>,
    body: JsonBody<CreateTraining>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (t, created) = store::create(c, &actor, body.0)?;
        let dto = store::dto(c, t)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/trainings/{}", dto.id))
    })
    .await
}

/// One training with its attendance.
#[utoipa::path(tag = "trainings", responses((status = 200, body = TrainingDto, headers(("ETag" = String)))))]
#[get("/trainings/{id}")]
async fn get_training(
    actor: Allowed<can::ReadTrainings>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dto = st
        .db
        .run(move |c| {
            let t = store::find(c, &actor, &id.to_string())?;
            store::dto(c, t)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &dto, dto.version))
}

/// Changes a training; `attendance`, when given, replaces the whole list. Needs `If-Match`.
#[utoipa::path(
    tag = "trainings",
    request_body = UpdateTraining,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = TrainingDto, headers(("ETag" = String))))
)]
#[patch("/trainings/{id}")]
async fn update_training(
    actor: Allowed<can::ManageTrainings>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateTraining>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let t = store::update(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::dto(c, t)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Of the mediators serving at the year's end (today for the current year), how many attended a
/// training held in the year, and who has not — for a unit, or one team.
#[utoipa::path(tag = "trainings", params(CoverageQuery), responses((status = 200, body = Coverage)))]
#[get("/trainings/coverage")]
async fn get_training_coverage(
    actor: Allowed<can::ReadTrainings>,
    query: QueryParams<CoverageQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let cov = st.db.run(move |c| store::coverage(c, &actor, &q)).await?;
    Ok(HttpResponse::Ok().json(cov))
}
