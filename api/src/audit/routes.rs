use actix_web::{get, web, HttpResponse};

use super::dto::{AuditEntry, AuditQuery};
use super::store::{self, AuditFilter};
use crate::auth::{can, Allowed};
use crate::error::ApiError;
use crate::http::{page_of, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_audit);
}

/// The audit log of the caller's scope, newest first (admins and officers).
#[utoipa::path(
    tag = "audit",
    params(AuditQuery),
    responses((status = 200, description = "One page of audit entries", body = Page<AuditEntry>))
)]
#[get("/audit-log")]
async fn list_audit(
    actor: Allowed<can::ReadAudit>,
    query: QueryParams<AuditQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let filter = AuditFilter {
        entity: q.entity,
        entity_id: q.entity_id,
        actor_id: q.actor_id.map(|u| u.to_string()),
        before_id: page.after()?,
        limit: page.limit(),
    };
    let scope = actor.scope.clone();
    let rows = st.db.run(move |c| store::list(c, &scope, &filter)).await?;
    Ok(HttpResponse::Ok().json(page_of(rows, page.limit(), |r| r.id.clone(), AuditEntry::from)))
}
