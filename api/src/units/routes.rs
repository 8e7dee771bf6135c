use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{CreateSuccession, CreateUnit, SuccessionDto, UnitDto, UnitQuery, UpdateUnit};
use super::store::{self, UnitFilter};
use crate::audit::store::Who;
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_units)
        .service(create_unit)
        .service(get_unit)
        .service(update_unit)
        .service(list_unit_successions)
        .service(create_succession);
}

/// Units inside the caller's scope, in tree order, with filters.
#[utoipa::path(tag = "units", params(UnitQuery), responses((status = 200, body = Page<UnitDto>)))]
#[get("/units")]
async fn list_units(
    actor: Allowed<can::ReadUnits>,
    query: QueryParams<UnitQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let scope = actor.scope.clone();
    let (limit, after) = (page.limit(), page.after()?);
    let rows = st
        .db
        .run(move |c| {
            let within_path = store::path_within(c, &scope, q.within)?;
            let filter = UnitFilter {
                parent_id: q.parent_id.map(|p| p.to_string()),
                within_path,
                level: q.level,
                code: q.code,
                q: q.q,
                valid_on: q.valid_on,
                after_path: after,
                limit,
            };
            store::list(c, &scope, &filter)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page_of(rows, limit, |u| u.path.clone(), UnitDto::from)))
}

/// Creates a unit (admins). A retry with the same `id` answers 200 with the unit already made.
#[utoipa::path(
    tag = "units",
    request_body = CreateUnit,
    responses(
        (status = 201, description = "Created", body = UnitDto, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "Already created by an earlier try with the same id", body = UnitDto)
    )
)]
#[post("/units")]
async fn create_unit(actor: Allowed<can::ManageUnits>, body: JsonBody<CreateUnit>, cmd: Command) -> Result<HttpResponse, ApiError> {
    let who_actor = actor.clone();
    cmd.run(move |c| {
        let (unit, created) = store::create(c, &who_actor.scope, &Who::from(&who_actor), body.0)?;
        let location = format!("/api/v1/units/{}", unit.id);
        let version = unit.version;
        Answer::created(created, &UnitDto::from(unit), version, &location)
    })
    .await
}

/// One unit inside the caller's scope.
#[utoipa::path(tag = "units", responses((status = 200, body = UnitDto, headers(("ETag" = String)))))]
#[get("/units/{id}")]
async fn get_unit(actor: Allowed<can::ReadUnits>, id: web::Path<uuid::Uuid>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let scope = actor.scope.clone();
    let unit = st.db.run(move |c| store::find(c, &scope, &id.to_string())).await?;
    let version = unit.version;
    Ok(with_etag(StatusCode::OK, &UnitDto::from(unit), version))
}

/// Corrects a unit (admins); needs `If-Match` with the version read.
#[utoipa::path(
    tag = "units",
    request_body = UpdateUnit,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = UnitDto, headers(("ETag" = String))))
)]
#[patch("/units/{id}")]
async fn update_unit(
    actor: Allowed<can::ManageUnits>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateUnit>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let unit = store::update(c, &actor.scope, &Who::from(&*actor), &id.to_string(), if_match.0, body.0)?;
        let version = unit.version;
        Answer::record(&UnitDto::from(unit), version)
    })
    .await
}

/// The merges, splits, renames and transfers a unit took part in.
#[utoipa::path(tag = "units", responses((status = 200, body = Vec<SuccessionDto>)))]
#[get("/units/{id}/successions")]
async fn list_unit_successions(
    actor: Allowed<can::ReadUnits>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let scope = actor.scope.clone();
    let rows = st.db.run(move |c| store::successions_of(c, &scope, &id.to_string())).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(SuccessionDto::from).collect::<Vec<_>>()))
}

/// Records that one unit succeeded another (admins).
#[utoipa::path(tag = "units", request_body = CreateSuccession, responses((status = 201, body = SuccessionDto)))]
#[post("/unit-successions")]
async fn create_succession(
    actor: Allowed<can::ManageUnits>,
    body: JsonBody<CreateSuccession>,
    cmd: Command,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let answer = cmd
        .run(move |c| {
            let row = store::create_succession(c, &actor.scope, &Who::from(&*actor), body.0)?;
            Answer::json(StatusCode::CREATED, &SuccessionDto::from(row))
        })
        .await;
    // The successor now answers for the predecessor's records: scopes read their areas again.
    st.areas.forget();
    answer
}
