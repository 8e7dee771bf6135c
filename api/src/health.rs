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

/// Counters in the Prometheus text format: database statements and transactions of this process,
/// the connection pool, and requests by route and status with their durations.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(st: web::Data<AppState>) -> HttpResponse {
    use std::fmt::Write as _;
    use std::sync::atomic::Ordering::Relaxed;
    let c = &crate::db::COUNTERS;
    let (batches, batched) = st.db.write_batches().unwrap_or_default();
    let mut out = String::new();
    for (name, help, value) in [
        ("hoagiai_db_statements_total", "Statements sent to the database, transaction control included.", c.statements.load(Relaxed)),
        ("hoagiai_db_commits_total", "Outermost database transactions committed.", c.commits.load(Relaxed)),
        ("hoagiai_db_rollbacks_total", "Outermost database transactions rolled back.", c.rollbacks.load(Relaxed)),
        ("hoagiai_db_write_batches_total", "SQLite: transactions of the group-commit writer.", batches),
        ("hoagiai_db_batched_writes_total", "SQLite: writes committed by the group-commit writer.", batched),
    ] {
        let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");
    }
    let pool = st.db.pool_state();
    out.push_str(
        "# HELP hoagiai_db_pool_connections Database connections of the pool, idle or in use.\n# TYPE hoagiai_db_pool_connections gauge\n",
    );
    for (state, n) in [("idle", pool.idle), ("in_use", pool.in_use)] {
        let _ = writeln!(out, "hoagiai_db_pool_connections{{state=\"{state}\"}} {n}");
    }
    out.push_str(&st.http_metrics.text());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(out)
}
