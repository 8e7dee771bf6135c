use actix_web::{delete, get, post, web, HttpResponse};

use super::dto::{ApiClientDto, CreateApiClient, CreatedApiClient};
use super::store;
use crate::auth::{can, Allowed};
use crate::error::ApiError;
use crate::http::{page_of, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

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
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (client, client_secret) = st.db.write(move |c| store::create(c, &actor, body.0)).await?;
    Ok(HttpResponse::Created().insert_header(("Cache-Control", "no-store")).json(CreatedApiClient { client: client.into(), client_secret }))
}

/// Revokes a machine client; its secret stops working at once, and so do its tokens (on other
/// instances sharing the database, within `HOAGIAI_PRINCIPAL_RECHECK_SECS`).
#[utoipa::path(tag = "api_clients", responses((status = 200, body = ApiClientDto)))]
#[delete("/api-clients/{id}")]
async fn revoke_api_client(
    actor: Allowed<can::ManageApiClients>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let client = st.db.write(move |c| store::revoke(c, &actor, &id.to_string())).await?;
    // Its tokens stop here at once; other instances notice within the recheck interval.
    st.principals.set(&client.id, false);
    Ok(HttpResponse::Ok().json(ApiClientDto::from(client)))
}
