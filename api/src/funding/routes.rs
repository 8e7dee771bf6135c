use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::*;
use super::{fees, lists, store, summary};
use crate::auth::{can, Allowed};
use crate::command::{Answer, Command};
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::logbook::dto::LogBookFormat as Format;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_funding_policies)
        .service(create_funding_policy)
        .service(update_funding_policy)
        .service(list_budgets)
        .service(create_budget)
        .service(update_budget)
        .service(list_disbursements)
        .service(create_disbursement)
        .service(get_disbursement)
        .service(get_fee_suggestions)
        .service(accept_fee_suggestions)
        .service(record_duty_breach)
        .service(list_confirmation_lists)
        .service(create_confirmation_list)
        .service(get_confirmation_list)
        .service(update_confirmation_list)
        .service(get_funding_summary)
        .service(list_incident_claims)
        .service(create_incident_claim)
        .service(decide_incident_claim);
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn attachment(content_type: &str, name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}

/// The rates the caller's units are paid by: those set for a unit in scope or above it.
#[utoipa::path(tag = "funding", params(PolicyQuery), responses((status = 200, body = Vec<PolicyDto>)))]
#[get("/funding/policies")]
async fn list_funding_policies(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<PolicyQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = st.db.run(move |c| store::list_policies(c, &actor, &query.0)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(store::policy_dto).collect::<Vec<_>>()))
}

/// Records a rate set by a resolution, for a unit's subtree and a validity period. Two rates for
/// the same unit, item and result may not overlap (409 `overlapping_policy`).
#[utoipa::path(tag = "funding", request_body = CreatePolicy, responses((status = 201, body = PolicyDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/funding/policies")]
async fn create_funding_policy(
    actor: Allowed<can::ManageFunding>,
    body: JsonBody<CreatePolicy>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (p, created) = store::create_policy(c, &actor, body.0)?;
        let dto = store::policy_dto(p);
        Answer::created(created, &dto, dto.version, &format!("/api/v1/funding/policies/{}", dto.id))
    })
    .await
}

/// Ends or corrects a rate (its legal basis, end date, amount, notes); needs `If-Match`.
#[utoipa::path(
    tag = "funding",
    request_body = UpdatePolicy,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = PolicyDto, headers(("ETag" = String))))
)]
#[patch("/funding/policies/{id}")]
async fn update_funding_policy(
    actor: Allowed<can::ManageFunding>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdatePolicy>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let p = store::update_policy(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::policy_dto(p);
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Budget estimates (dự toán) in the caller's scope.
#[utoipa::path(tag = "funding", params(FundingQuery), responses((status = 200, body = Vec<BudgetDto>)))]
#[get("/funding/budgets")]
async fn list_budgets(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<FundingQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = st.db.run(move |c| store::list_budgets(c, &actor, &query.0)).await?;
    Ok(HttpResponse::Ok().json(rows.into_iter().map(store::budget_dto).collect::<Vec<_>>()))
}

/// A commune's estimate for a year and item; one per commune, year and item (409 `budget_exists`).
#[utoipa::path(tag = "funding", request_body = CreateBudget, responses((status = 201, body = BudgetDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/funding/budgets")]
async fn create_budget(actor: Allowed<can::ManageFunding>, body: JsonBody<CreateBudget>, cmd: Command) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (b, created) = store::create_budget(c, &actor, body.0)?;
        let dto = store::budget_dto(b);
        Answer::created(created, &dto, dto.version, &format!("/api/v1/funding/budgets/{}", dto.id))
    })
    .await
}

/// Changes an estimate (amount, decision, notes); needs `If-Match`.
#[utoipa::path(
    tag = "funding",
    request_body = UpdateBudget,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = BudgetDto, headers(("ETag" = String))))
)]
#[patch("/funding/budgets/{id}")]
async fn update_budget(
    actor: Allowed<can::ManageFunding>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateBudget>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let b = store::update_budget(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::budget_dto(b);
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Disbursements, newest first.
#[utoipa::path(tag = "funding", params(DisbursementQuery), responses((status = 200, body = Page<DisbursementDto>)))]
#[get("/funding/disbursements")]
async fn list_disbursements(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<DisbursementQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, after) = (page.limit(), page.after()?);
    let page = st
        .db
        .run(move |c| {
            let within = crate::units::store::area_within(c, &actor.scope, q.unit_id)?;
            let f = store::DisbursementFilter {
                within,
                year: q.year,
                item: q.item,
                team_id: q.team_id.map(|t| t.to_string()),
                list_id: q.confirmation_list_id.map(|l| l.to_string()),
                after_id: after,
                limit,
            };
            let rows = store::list_disbursements(c, &actor, &f)?;
            let page = page_of(rows, limit, |d| d.id.clone(), |d| d);
            let items = page.items.into_iter().map(|d| store::disbursement_dto(c, d)).collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, next_cursor: page.next_cursor, total: None })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Records money paid to a team or a mediator. For `case_fee` with `case_ids`, every case must
/// have ended lawfully and never have been paid (409 `already_paid`).
#[utoipa::path(tag = "funding", request_body = CreateDisbursement, responses((status = 201, body = DisbursementDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/funding/disbursements")]
async fn create_disbursement(
    actor: Allowed<can::ManageFunding>,
    body: JsonBody<CreateDisbursement>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (d, created) = store::create_disbursement(c, &actor, body.0)?;
        let dto = store::disbursement_dto(c, d)?;
        Answer::created(created, &dto, 1, &format!("/api/v1/funding/disbursements/{}", dto.id))
    })
    .await
}

/// One disbursement with the cases it pays.
#[utoipa::path(tag = "funding", responses((status = 200, body = DisbursementDto)))]
#[get("/funding/disbursements/{id}")]
async fn get_disbursement(
    actor: Allowed<can::ReadFunding>,
    id: web::Path<uuid::Uuid>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dto = st
        .db
        .run(move |c| {
            let d = store::find_disbursement(c, &actor, &id.to_string())?;
            store::disbursement_dto(c, d)
        })
        .await?;
    Ok(HttpResponse::Ok().json(dto))
}

/// The fees owed for the cases that ended in a period and have not been paid: the rate in force
/// on each case's end date, split among the mediators who took part. Computes; changes nothing.
#[utoipa::path(tag = "funding", params(FeeQuery), responses((status = 200, body = FeeSuggestions)))]
#[get("/funding/fee-suggestions")]
async fn get_fee_suggestions(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<FeeQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let s = st.db.run(move |c| fees::suggestions(c, &actor, q.unit_id, q.from, q.to)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(s))
}

/// Pays the suggested fees in one call: one disbursement per recipient, each case marked paid
/// (a case is never paid twice: 409 `already_paid`), and a confirmation list to print and sign.
#[utoipa::path(tag = "funding", request_body = AcceptFees, responses((status = 201, body = AcceptedFees)))]
#[post("/funding/fee-suggestions/accept")]
async fn accept_fee_suggestions(
    actor: Allowed<can::ManageFunding>,
    body: JsonBody<AcceptFees>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let out = fees::accept(c, &actor, body.0)?;
        Answer::json(StatusCode::CREATED, &out)
    })
    .await
}

/// Records that a mediator breached a duty on a case: they get no share of its fee.
#[utoipa::path(tag = "funding", request_body = RecordDutyBreach, responses((status = 201, body = DutyBreachDto)))]
#[post("/funding/duty-breaches")]
async fn record_duty_breach(
    actor: Allowed<can::ManageFunding>,
    body: JsonBody<RecordDutyBreach>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let out = store::record_duty_breach(c, &actor, body.0)?;
        Answer::json(StatusCode::CREATED, &out)
    })
    .await
}

/// Confirmation lists, newest first.
#[utoipa::path(tag = "funding", params(FundingQuery), responses((status = 200, body = Vec<ConfirmationListDto>)))]
#[get("/funding/confirmation-lists")]
async fn list_confirmation_lists(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<FundingQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = st
        .db
        .run(move |c| {
            let rows = lists::list(c, &actor, &query.0)?;
            rows.into_iter().map(|l| lists::dto(c, l)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// A list of recipients for disbursements made by hand (each on one list only).
#[utoipa::path(tag = "funding", request_body = CreateConfirmationList, responses((status = 201, body = ConfirmationListDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/funding/confirmation-lists")]
async fn create_confirmation_list(
    actor: Allowed<can::ManageFunding>,
    body: JsonBody<CreateConfirmationList>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (l, created) = lists::create(c, &actor, body.0)?;
        let dto = lists::dto(c, l)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/funding/confirmation-lists/{}", dto.id))
    })
    .await
}

/// One confirmation list: JSON, a printable A4 page (`format=html`) with a signature column, or XLSX.
#[utoipa::path(
    tag = "funding",
    params(DocumentFormat),
    responses((status = 200, body = ConfirmationListDto, headers(("ETag" = String)), content(
        (ConfirmationListDto = "application/json"),
        (String = "text/html"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
#[get("/funding/confirmation-lists/{id}")]
async fn get_confirmation_list(
    actor: Allowed<can::ReadFunding>,
    id: web::Path<uuid::Uuid>,
    query: QueryParams<DocumentFormat>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dto = st
        .db
        .run(move |c| {
            let l = lists::find(c, &actor, &id.to_string())?;
            lists::dto(c, l)
        })
        .await?;
    Ok(match query.0.format.unwrap_or(Format::Json) {
        Format::Json | Format::Csv => with_etag(StatusCode::OK, &dto, dto.version),
        Format::Html => crate::http::printable(lists::html(&dto)?),
        Format::Xlsx => attachment(XLSX, "danh-sach-xac-nhan.xlsx", lists::xlsx(&dto)?),
    })
}

/// Marks the signed list returned (or corrects its title or notes); needs `If-Match`.
#[utoipa::path(
    tag = "funding",
    request_body = UpdateConfirmationList,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = ConfirmationListDto, headers(("ETag" = String))))
)]
#[patch("/funding/confirmation-lists/{id}")]
async fn update_confirmation_list(
    actor: Allowed<can::ManageFunding>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateConfirmationList>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let l = lists::update(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = lists::dto(c, l)?;
        Answer::record(&dto, dto.version)
    })
    .await
}

/// Budget against disbursements per item, and what each team received, for a unit and year:
/// JSON, CSV (UTF-8 with BOM) or XLSX.
#[utoipa::path(
    tag = "funding",
    params(SummaryQuery),
    responses((status = 200, body = FundingSummary, content(
        (FundingSummary = "application/json"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
#[get("/funding/summary")]
async fn get_funding_summary(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<SummaryQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let (unit_id, year, format, table) = (q.unit_id, q.year, q.format.unwrap_or(Format::Json), q.table.unwrap_or(SummaryTable::Items));
    let s = st.db.run(move |c| summary::summary(c, &actor, unit_id, year)).await?;
    let name = format!("tong-hop-kinh-phi-{year}");
    Ok(match format {
        Format::Json | Format::Html => HttpResponse::Ok().json(s),
        Format::Csv => {
            let name = if table == SummaryTable::Teams { format!("{name}-theo-to") } else { name };
            attachment("text/csv; charset=utf-8", &format!("{name}.csv"), summary::csv(&s, table)?)
        }
        Format::Xlsx => attachment(XLSX, &format!("{name}.xlsx"), summary::xlsx(&s)?),
    })
}

/// Support claims for mediators injured or killed while mediating.
#[utoipa::path(tag = "funding", params(FundingQuery), responses((status = 200, body = Vec<IncidentClaimDto>)))]
#[get("/funding/incident-claims")]
async fn list_incident_claims(
    actor: Allowed<can::ReadFunding>,
    query: QueryParams<FundingQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let rows = st
        .db
        .run(move |c| {
            let rows = store::list_claims(c, &actor, &query.0)?;
            rows.into_iter().map(|r| store::claim_dto(c, r)).collect::<Result<Vec<_>, _>>()
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "private, no-store")).json(rows))
}

/// Records a claim: the mediator, what happened, when, at which case or session, and the costs.
#[utoipa::path(tag = "funding", request_body = CreateIncidentClaim, responses((status = 201, body = IncidentClaimDto, headers(("ETag" = String), ("Location" = String)))))]
#[post("/funding/incident-claims")]
async fn create_incident_claim(
    actor: Allowed<can::ManageFunding>,
    body: JsonBody<CreateIncidentClaim>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let (claim, created) = store::create_claim(c, &actor, body.0)?;
        let dto = store::claim_dto(c, claim)?;
        Answer::created(created, &dto, dto.version, &format!("/api/v1/funding/incident-claims/{}", dto.id))
    })
    .await
}

/// Records the decision on a submitted claim; needs `If-Match`.
#[utoipa::path(
    tag = "funding",
    request_body = DecideIncidentClaim,
    params(("If-Match" = String, Header, description = "The ETag of the version being decided")),
    responses((status = 200, body = IncidentClaimDto, headers(("ETag" = String))))
)]
#[post("/funding/incident-claims/{id}/decision")]
async fn decide_incident_claim(
    actor: Allowed<can::ManageFunding>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<DecideIncidentClaim>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let claim = store::decide_claim(c, &actor, &id.to_string(), if_match.0, body.0)?;
        let dto = store::claim_dto(c, claim)?;
        Answer::record(&dto, dto.version)
    })
    .await
}
