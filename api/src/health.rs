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
    // The SQLite writer: its queue now, and how many writes each of its transactions held.
    if let Some(w) = st.db.writer_counts() {
        let _ = write!(
            out,
            "# HELP hoagiai_db_write_queue_depth SQLite: writes waiting for the group-commit writer.\n# TYPE hoagiai_db_write_queue_depth gauge\nhoagiai_db_write_queue_depth {}\n",
            w.queued.load(Relaxed)
        );
        out.push_str("# HELP hoagiai_db_write_batch_size SQLite: writes per transaction of the group-commit writer.\n# TYPE hoagiai_db_write_batch_size histogram\n");
        let mut cumulative = 0;
        for (le, n) in crate::db::group_commit::BATCH_BUCKETS.iter().zip(&w.batch_sizes) {
            cumulative += n.load(Relaxed);
            let _ = writeln!(out, "hoagiai_db_write_batch_size_bucket{{le=\"{le}\"}} {cumulative}");
        }
        let _ = write!(
            out,
            "hoagiai_db_write_batch_size_bucket{{le=\"+Inf\"}} {cumulative}\nhoagiai_db_write_batch_size_sum {}\nhoagiai_db_write_batch_size_count {cumulative}\n",
            w.writes.load(Relaxed)
        );
    }
    out.push_str("# HELP hoagiai_stats_cache_requests_total Statistics answers asked of the answer cache, by result.\n# TYPE hoagiai_stats_cache_requests_total counter\n");
    for (result, n) in [("hit", &st.stats_cache.hits), ("miss", &st.stats_cache.misses)] {
        let _ = writeln!(out, "hoagiai_stats_cache_requests_total{{result=\"{result}\"}} {}", n.load(Relaxed));
    }
    out.push_str(&st.http_metrics.text());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(out)
}
