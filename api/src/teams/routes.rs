use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{CreateTeam, TeamDto, TeamHealth, TeamQuery, UpdateTeam};
use super::store::{self, TeamFilter};
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_teams)
        .service(create_team)
        .service(get_team)
        .service(update_team)
        .service(get_team_health)
        .service(print_annual_report);
}

/// Teams the caller may see: the subtree for officers and viewers, their own team for team
/// leaders and mediators.
#[utoipa::path(tag = "teams", params(TeamQuery), responses((status = 200, body = Page<TeamDto>)))]
#[get("/teams")]
async fn list_teams(
    actor: Allowed<can::ReadTeams>,
    query: QueryParams<TeamQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, after) = (page.limit(), page.after()?);
    let page = st
        .db
        .run(move |c| {
            let within = crate::units::store::area_within(c, &actor.scope, q.within)?;
            let filter = TeamFilter { within, active: q.active, q: q.q, after_id: after, limit };
            let rows = store::list(c, &actor, &filter)?;
            let page = page_of(rows, limit, |t| t.id.clone(), |t| t);
            let items = store::dtos(c, page.items)?;
            Ok(Page { items, next_cursor: page.next_cursor, total: None })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Creates a team in a village (officers).
#[utoipa::path(tag = "teams", request_body = CreateTeam, responses((status = 201, body = TeamDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/teams")]
async fn create_team(actor: Allowed<can::ManageTeams>, body: JsonBody<CreateTeam>, cmd: Command) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (team, created) = store::create(c, &actor, body.0)?;
        let dto = store::dto(c, team)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/teams/{}", dto.id))
    })
    .await
}

/// One team.
#[utoipa::path(tag = "teams", responses((status = 200, body = TeamDto, headers(("ETag" = String)))))]
#[get("/teams/{id}")]
async fn get_team(actor: Allowed<can::ReadTeams>, id: web::Path<uuid::Uuid>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let dto = st
        .db
        .run(move |c| {
            let team = store::find(c, &actor, &id.to_string())?;
            store::dto(c, team)
        })
        .await?;
    Ok(with_etag(StatusCode::OK, &dto, dto.version))
}

/// Changes a team (officers); needs `If-Match`.
#[utoipa::path(
    tag = "teams",
    request_body = UpdateTeam,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = TeamDto, headers(("ETag" = String))))
)]
#[patch("/teams/{id}")]
async fn update_team(
    actor: Allowed<can::ManageTeams>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateTeam>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let team = store::update(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::dto(c, team)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// The team's composition today against the law's rules (≥ 3 mediators, ≥ 1 woman, ≥ 1
/// ethnic-minority mediator in an ethnic-minority area, exactly one leader), as named warnings.
#[utoipa::path(tag = "teams", responses((status = 200, body = TeamHealth)))]
#[get("/teams/{id}/health")]
async fn get_team_health(
    actor: Allowed<can::ReadTeams>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let health = st.db.run(move |c| store::health(c, &actor, &id.to_string())).await?;
    Ok(HttpResponse::Ok().json(health))
}

#[derive(serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnualReportQuery {
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: i32,
}

/// The team leader's annual report on the team's organisation and activity, as a page to print
/// and sign (A4, Vietnamese, the national header): the members and what each did in the year,
/// the year's cases and both success rates, lines for the difficulties and proposals; addressed
/// to the commune's People's Committee. For those who may see the team.
#[utoipa::path(
    tag = "teams",
    params(AnnualReportQuery),
    responses((status = 200, description = "The printable page", content_type = "text/html", body = String))
)]
#[get("/teams/{id}/annual-report")]
async fn print_annual_report(
    actor: Allowed<can::ReadTeams>,
    id: web::Path<uuid::Uuid>,
    query: QueryParams<AnnualReportQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let year = query.0.year;
    let page = st.db.run(move |c| crate::review::leader_report::html(c, &actor, &id.to_string(), year, crate::db::today())).await?;
    Ok(crate::http::printable(page))
}
