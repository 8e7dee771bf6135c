use actix_web::{delete, get, post, web, HttpResponse};

use super::dto::{ApiClientDto, CreateApiClient, CreatedApiClient};
use super::store;
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{page_of, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;
use actix_web::http::{header, StatusCode};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_clients).service(create_api_client).service(revoke_api_client);
}

/// Machine clients registered inside the caller's scope (admins, officers).
#[utoipa::path(tag = "api_clients", params(PageParams), responses((status = 200, body = Page<ApiClientDto>)))]
#[get("/api-clients")]
async fn list_api_clients(
    actor: Allowed<can::ManageApiClients>,
    page: QueryParams<PageParams>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (limit, after) = (page.0.limit(), page.0.after()?);
    let scope = actor.scope.clone();
    let rows = st.db.run(move |c| store::list(c, &scope, after, limit)).await?;
    Ok(HttpResponse::Ok().json(page_of(rows, limit, |c| c.id.clone(), ApiClientDto::from)))
}

/// Registers a machine client for a unit; the secret is in this answer only.
#[utoipa::path(tag = "api_clients", request_body = CreateApiClient, responses((status = 201, body = CreatedApiClient)))]
#[post("/api-clients")]
async fn create_api_client(
    actor: Allowed<can::ManageApiClients>,
    body: JsonBody<CreateApiClient>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (client, client_secret) = store::create(c, &actor, body.0)?;
        // The secret is in this answer only: never cached, never kept for a replay.
        Answer::json(StatusCode::CREATED, &CreatedApiClient { client: client.into(), client_secret })?
            .with_header(header::CACHE_CONTROL, "no-store")
    })
    .await
}

/// Revokes a machine client; its secret stops working at once, and so do its tokens (on other
/// instances sharing the database, within `HOAGIAI_PRINCIPAL_RECHECK_SECS`).
#[utoipa::path(tag = "api_clients", responses((status = 200, body = ApiClientDto)))]
#[delete("/api-clients/{id}")]
async fn revoke_api_client(
    actor: Allowed<can::ManageApiClients>,
    id: web::Path<uuid::Uuid>,
    cmd: Command,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let revoked = id.to_string();
    let res = cmd
        .run(move |c| {
            let client = store::revoke(c, &actor, &id.to_string())?;
            Answer::json(StatusCode::OK, &ApiClientDto::from(client))
        })
        .await?;
    // Its tokens stop here at once; other instances notice within the recheck interval.
    st.principals.set(&revoked, false);
    Ok(res)
}
