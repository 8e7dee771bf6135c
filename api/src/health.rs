//! Liveness and readiness for load balancers and orchestrators.

use actix_web::{get, web, HttpResponse};
use diesel::RunQueryDsl;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers and every migration is applied (503 otherwise).
#[utoipa::path(tag = "operations", responses((status = 200, body = Health)))]
#[get("/readyz")]
pub async fn readyz(st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let ready = st
        .db
        .run(|c| {
            diesel::sql_query("SELECT 1").execute(c)?;
            Ok(crate::db::migrations::all_applied(c))
        })
        .await?;
    if ready {
        Ok(HttpResponse::Ok().json(Health { status: "ok" }))
    } else {
        Err(ApiError::unavailable().with_detail("Cơ sở dữ liệu chưa được cập nhật cấu trúc", "Database migrations are pending"))
    }
}
