use actix_web::http::StatusCode;
use actix_web::{get, patch, post, put, web, HttpResponse};

use super::dto::*;
use super::{render, store, year_end};
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{printable, IfMatch, JsonBody, QueryParams};
use crate::logbook::dto::LogBookFormat as Format;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_rating_schemes)
        .service(create_rating_scheme)
        .service(list_team_ratings)
        .service(create_team_rating)
        .service(update_team_rating)
        .service(list_awards)
        .service(create_award)
        .service(update_award)
        .service(get_plan_targets)
        .service(set_plan_targets)
        .service(record_team_review)
        .service(get_year_end_report)
        .service(get_team_activity);
}

/// The rating schemes (the first: Hà Nội's "Tổ hòa giải 5 tốt").
#[utoipa::path(tag = "review", responses((status = 200, body = Vec<RatingSchemeDto>)))]
#[get("/review/rating-schemes")]
async fn list_rating_schemes(_actor: Allowed<can::ReadReview>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let rows = st.db.run(store::schemes).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Adds a rating scheme (administrators): its criteria, judged or computed from the cases.
#[utoipa::path(tag = "review", request_body = CreateRatingScheme, responses((status = 201, body = RatingSchemeDto)))]
#[post("/review/rating-schemes")]
async fn create_rating_scheme(
    actor: Allowed<can::ConfigureSchemes>,
    body: JsonBody<CreateRatingScheme>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let dto = store::create_scheme(c, &actor, body.0)?;
        Answer::json(StatusCode::CREATED, &dto)
    })
    .await
}

/// Team ratings in the caller's scope.
#[utoipa::path(tag = "review", params(ReviewQuery), responses((status = 200, body = Vec<TeamRatingDto>)))]
#[get("/review/team-ratings")]
async fn list_team_ratings(
    actor: Allowed<can::ReadReview>,
    query: QueryParams<ReviewQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = st
        .db
        .run(move |c| {
            let rows = store::list_ratings(c, &actor, &query.0)?;
            rows.into_iter().map(|r| store::rating_dto(c, r)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Rates a team for a year: computed criteria from its cases, the others from the judgements.
/// One rating per team, year and scheme (409 `already_rated`).
#[utoipa::path(tag = "review", request_body = CreateTeamRating, responses((status = 201, body = TeamRatingDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/review/team-ratings")]
async fn create_team_rating(
    actor: Allowed<can::ManageReview>,
    body: JsonBody<CreateTeamRating>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (r, created) = store::create_rating(c, &actor, body.0)?;
        let dto = store::rating_dto(c, r)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/review/team-ratings/{}", dto.id))
    })
    .await
}

/// Re-rates a team (new judgements or notes; computed criteria are recomputed); needs `If-Match`.
#[utoipa::path(
    tag = "review",
    request_body = UpdateTeamRating,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = TeamRatingDto, headers(("ETag" = String))))
)]
#[patch("/review/team-ratings/{id}")]
async fn update_team_rating(
    actor: Allowed<can::ManageReview>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateTeamRating>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let r = store::update_rating(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::rating_dto(c, r)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Awards (khen thưởng) in the caller's scope.
#[utoipa::path(tag = "review", params(ReviewQuery), responses((status = 200, body = Vec<AwardDto>)))]
#[get("/review/awards")]
async fn list_awards(
    actor: Allowed<can::ReadReview>,
    query: QueryParams<ReviewQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = st
        .db
        .run(move |c| {
            let rows = store::list_awards(c, &actor, &query.0)?;
            rows.into_iter().map(|a| store::award_dto(c, a)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Records an award to a team or a mediator.
#[utoipa::path(tag = "review", request_body = CreateAward, responses((status = 201, body = AwardDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/review/awards")]
async fn create_award(actor: Allowed<can::ManageReview>, body: JsonBody<CreateAward>, cmd: Command) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (a, created) = store::create_award(c, &actor, body.0)?;
        let dto = store::award_dto(c, a)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/review/awards/{}", dto.id))
    })
    .await
}

/// Corrects an award; needs `If-Match`.
#[utoipa::path(
    tag = "review",
    request_body = UpdateAward,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = AwardDto, headers(("ETag" = String))))
)]
#[patch("/review/awards/{id}")]
async fn update_award(
    actor: Allowed<can::ManageReview>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateAward>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let a = store::update_award(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::award_dto(c, a)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// A commune's targets for the year (the defaults of the plan when none were set).
#[utoipa::path(tag = "review", responses((status = 200, body = PlanTargets)))]
#[get("/review/plan-targets/{unit_id}/{year}")]
async fn get_plan_targets(
    actor: Allowed<can::ReadReview>,
    path: web::Path<(uuid::Uuid, i32)>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (unit_id, year) = path.into_inner();
    let t = st
        .db
        .run(move |c| {
            let unit = crate::units::store::find(c, &actor.scope, &unit_id.to_string())?;
            store::targets(c, &unit.id, year)
        })
        .await?;
    Ok(HttpResponse::Ok().json(t))
}

/// Sets a commune's targets for the year.
#[utoipa::path(tag = "review", request_body = PlanTargetsInput, responses((status = 200, body = PlanTargets)))]
#[put("/review/plan-targets/{unit_id}/{year}")]
async fn set_plan_targets(
    actor: Allowed<can::ManageReview>,
    path: web::Path<(uuid::Uuid, i32)>,
    body: JsonBody<PlanTargetsInput>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let (unit_id, year) = path.into_inner();
    cmd.run(move |c| {
        let t = store::set_targets(c, &actor, &unit_id.to_string(), year, body.0)?;
        Answer::json(StatusCode::OK, &t)
    })
    .await
}

/// The year-end report of a commune: the plan's indicators beside its targets, computed from the
/// records — as JSON, or as a printable page in Vietnamese (`format=html`).
#[utoipa::path(
    tag = "review",
    params(YearEndQuery),
    responses((status = 200, body = YearEndReport, content((YearEndReport = "application/json"), (String = "text/html"))))
)]
#[get("/review/year-end")]
async fn get_year_end_report(
    actor: Allowed<can::ReadReview>,
    query: QueryParams<YearEndQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let (unit_id, year) = (q.unit_id, q.year);
    let (report, province) = st
        .db
        .run(move |c| {
            let report = year_end::report(c, &actor, unit_id, year)?;
            let province = crate::units::store::province_name(c, &report.unit_id)?;
            Ok((report, province))
        })
        .await?;
    Ok(match q.format.unwrap_or(Format::Json) {
        Format::Html => printable(render::html(&report, &render::Issued { province: &province, on: crate::db::today() })?),
        _ => HttpResponse::Ok().json(report),
    })
}

/// Records the commune's conclusion on a team's year and its re-staffing proposal (officers). The
/// first is created; replacing it needs `If-Match` with the version read (428 without, 412 when
/// someone recorded another meanwhile).
#[utoipa::path(
    tag = "review",
    request_body = super::activity::RecordTeamReview,
    params(("If-Match" = Option<String>, Header, description = "The ETag of the review being replaced; not needed for the first")),
    responses((status = 200, body = super::activity::TeamReview, headers(("ETag" = String))))
)]
#[put("/review/team-activity/{team_id}/{year}")]
async fn record_team_review(
    actor: Allowed<can::ManageReview>,
    path: web::Path<(uuid::Uuid, i32)>,
    if_match: Option<IfMatch>,
    body: JsonBody<super::activity::RecordTeamReview>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let (team_id, year) = path.into_inner();
    cmd.run(move |c| {
        let review = super::activity::record_review(c, &actor, &team_id.to_string(), year, if_match.map(|m| m.0), body.0)?;
        let version = review.version;
        Answer::record(&review, version)
    })
    .await
}

/// The yearly team review: per team and per mediator of a unit, the year's cases handled,
/// results, both success rates, sessions, trainings attended and last activity, with the
/// mediators who did nothing in the year flagged — as JSON, or as a printable page in Vietnamese
/// (`format=html`).
#[utoipa::path(
    tag = "review",
    params(super::activity::TeamActivityQuery),
    responses((status = 200, body = super::activity::TeamActivityReport, content(
        (super::activity::TeamActivityReport = "application/json"),
        (String = "text/html")
    )))
)]
#[get("/review/team-activity")]
async fn get_team_activity(
    actor: Allowed<can::ReadReview>,
    query: QueryParams<super::activity::TeamActivityQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let (unit_id, year) = (q.unit_id, q.year);
    let report = st.db.run(move |c| super::activity::report(c, &actor, unit_id, year)).await?;
    Ok(match q.format.unwrap_or(Format::Json) {
        Format::Html => printable(super::activity::html(&report)?),
        _ => HttpResponse::Ok().json(report),
    })
}
