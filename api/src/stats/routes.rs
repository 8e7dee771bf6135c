use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use super::cache::Answer;
use super::dto::CaseCells;
use super::dto::{CaseFacts, CaseFactsQuery, IndicatorFormat, IndicatorQuery, Indicators};
use super::reports::{self, ReportDto, ReportQuery, SubmitReport};
use super::store;
use crate::auth::{can, Actor, Allowed};
use crate::command::{self, Command};
use crate::error::ApiError;
use crate::http::{encode_cursor, JsonBody, Page, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_indicators)
        .service(list_case_facts)
        .service(submit_report)
        .service(list_reports)
        .service(get_report)
        .service(list_access_standards)
        .service(put_access_standard)
        .service(get_access_assessment);
}

/// The ETag of a statistics answer: its figures *and* the caller's scope, whether small cells
/// were suppressed for it, and the representation, so one caller's cached answer is never taken
/// for another's and JSON, CSV and DHIS2 carry different tags. The time of computing is not part
/// of it: the same figures computed again keep their tag. The figures are written straight into
/// the hash (no JSON value built and dropped: that was a sixth of the HTTP thread's work on a
/// statistics answer: docs/performance.md, thirteenth pass).
fn etag(actor: &Actor, exact: bool, format: &str, indicators: &mut Indicators) -> Result<String, ApiError> {
    let mut h = Sha256::new();
    h.update(actor.scope.path.as_deref().unwrap_or("/").as_bytes());
    h.update(if exact { b"\nexact\n" } else { b"\nsmall\n" });
    h.update(format.as_bytes());
    h.update(b"\n");
    let generated_at = std::mem::replace(&mut indicators.generated_at, chrono::DateTime::UNIX_EPOCH);
    let written = serde_json::to_writer(&mut h, indicators);
    indicators.generated_at = generated_at;
    written.map_err(|_| ApiError::internal())?;
    Ok(format!("W/\"{}\"", &hex::encode(h.finalize())[..32]))
}

fn wants_csv(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/csv"))
}

/// A line of the CSV; a suppressed figure (or a rate with no denominator) is an empty cell.
fn csv_line(key: &str, label: &str, c: &CaseCells) -> [String; 11] {
    let text = |n: Option<i64>| n.map(|x| x.to_string()).unwrap_or_default();
    let rate = |r: Option<f64>| r.map(|x| x.to_string()).unwrap_or_default();
    [
        key.to_string(),
        label.to_string(),
        text(c.received),
        text(c.new),
        text(c.carried_over),
        text(c.successful),
        text(c.unsuccessful),
        text(c.out_of_scope),
        text(c.in_progress_at_end),
        rate(c.success_rate_of_concluded),
        rate(c.success_rate_of_received),
    ]
}

/// The indicators as CSV (`export::csv`: BOM, CRLF, the formula guard): the total, then the breakdown.
fn indicators_csv(i: &Indicators) -> Result<Vec<u8>, ApiError> {
    let mut out = crate::export::csv::Table::new();
    out.row([
        "key",
        "label",
        "received",
        "new",
        "carried_over",
        "successful",
        "unsuccessful",
        "out_of_scope",
        "in_progress_at_end",
        "success_rate_of_concluded",
        "success_rate_of_received",
    ])?;
    out.row(csv_line("total", i.unit_name.as_deref().unwrap_or("Toàn quốc"), &i.figures.cases))?;
    for line in &i.breakdown {
        out.row(csv_line(&line.key, &line.label, &line.cases))?;
    }
    out.finish()
}

/// Indicators for a unit and a period: teams, mediators, cases received (new + carried over),
/// successful, unsuccessful, in progress at the end, out of scope, both success rates, overdue
/// assignments — optionally broken down by child unit, category, basis or month. Never any
/// personal data. Answers carry an `ETag` (which depends on the figures and the caller's
/// scope) and honour `If-None-Match` with 304; `Accept: text/csv` gives CSV. For a statistics
/// client (`stats`) counts below `HOAGIAI_STATS_MIN_CELL` (default 3), and those that would give
/// them back, are `null` (empty in CSV) with `suppressed: true`: no figure singles out a person.
#[utoipa::path(
    tag = "statistics",
    params(IndicatorQuery),
    responses(
        (status = 200, description = "The indicators (JSON or CSV), or with `format=dhis2` a DHIS2 data value set", content(
            (Indicators = "application/json"),
            (String = "text/csv"),
            (super::dhis2::DataValueSet = "application/vnd.dhis2+json")
        )),
        (status = 304, description = "Not modified since the ETag given in If-None-Match")
    )
)]
#[get("/stats/indicators")]
async fn get_indicators(
    req: HttpRequest,
    actor: Allowed<can::ReadStats>,
    query: QueryParams<IndicatorQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let dhis2 = query.0.format == Some(IndicatorFormat::Dhis2);
    let csv = !dhis2 && (wants_csv(&req) || query.0.format == Some(IndicatorFormat::Csv));
    // A statistics client gets small cells suppressed; everyone else who may read statistics sees
    // every count (they may read the records themselves).
    let exact = super::small_cells::sees_exact_figures(&actor);
    let min_cell = (!exact).then_some(st.config.stats_min_cell);
    // One scope, one kind of caller, one query, one representation: one cached answer, while
    // nothing was written here.
    let key = format!("{}\n{exact}\n{}\n{csv}", actor.scope.path.as_deref().unwrap_or("/"), req.query_string());
    let generation = st.db.generation();
    let answer = match st.stats_cache.get(&key, generation) {
        Some(answer) => answer,
        None => {
            let who = actor.0.clone();
            let (mut indicators, codes) = st
                .db
                .run(move |c| {
                    let computed = store::indicators(c, &actor, &query.0)?;
                    let indicators = super::small_cells::publish(computed, min_cell);
                    // DHIS2 names organisation units by their official codes.
                    let codes = if dhis2 { Some(store::official_codes(c, &indicators)?) } else { None };
                    Ok((indicators, codes))
                })
                .await?;
            let (format, content_type, body) = if let Some((unit_code, line_codes)) = codes {
                let set = super::dhis2::data_value_set(&indicators, unit_code.as_deref(), &line_codes)?;
                ("dhis2", "application/vnd.dhis2+json", serde_json::to_vec(&set).map_err(|_| ApiError::internal())?)
            } else if csv {
                ("csv", "text/csv; charset=utf-8", indicators_csv(&indicators)?)
            } else {
                ("json", "application/json", serde_json::to_vec(&indicators).map_err(|_| ApiError::internal())?)
            };
            let answer = Answer { etag: etag(&who, exact, format, &mut indicators)?, content_type, body: body.into() };
            st.stats_cache.put(key, generation, answer.clone());
            answer
        }
    };
    // `If-None-Match` is answered for every tagged read by `middleware::head_and_conditional_get`.
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, answer.etag.clone()))
        .insert_header((header::CACHE_CONTROL, "private, max-age=60, must-revalidate"))
        .insert_header((header::VARY, "Accept, Authorization"))
        .insert_header((header::CONTENT_TYPE, answer.content_type))
        .body(answer.body))
}

/// Case facts changed since a time, for a district system's nightly copy: unit, team, category,
/// basis, dates, status — never names, addresses or narratives. Keyset-paginated in
/// (updated_at, id) order; pass the last page's `next_cursor` (or the newest `updated_at` seen as
/// `updated_since` next night).
#[utoipa::path(tag = "statistics", params(CaseFactsQuery), responses((status = 200, body = Page<CaseFacts>)))]
#[get("/stats/cases")]
async fn list_case_facts(
    actor: Allowed<can::ReadCaseFacts>,
    query: QueryParams<CaseFactsQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let limit = q.limit.unwrap_or(100);
    let after = match &q.cursor {
        None => None,
        Some(c) => {
            let text = crate::http::PageParams { limit: None, cursor: Some(c.clone()) }.after()?.unwrap_or_default();
            let (at, id) = text.split_once('|').ok_or_else(|| ApiError::invalid_field("cursor", "invalid_cursor"))?;
            let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%S%.f")
                .map_err(|_| ApiError::invalid_field("cursor", "invalid_cursor"))?;
            Some((at, id.to_string()))
        }
    };
    let since = q.updated_since.map(|t| t.naive_utc());
    let mut rows = st.db.run(move |c| store::case_facts(c, &actor, since, after, limit)).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more {
        rows.last().map(|r| encode_cursor(&format!("{}|{}", r.updated_at.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f"), r.id)))
    } else {
        None
    };
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "private, no-cache")).json(Page { items: rows, next_cursor, total: None }))
}

/// Submits the official report of a unit (6-monthly or yearly, Circular 03/2019/TT-BTP): the
/// figures from 1 January to the cut-off are computed now and frozen, with the officer's
/// estimates for the rest of the period marked as such. Submitting again makes a new version
/// that supersedes the last; both are kept.
#[utoipa::path(tag = "statistics", request_body = SubmitReport, responses((status = 201, body = ReportDto)))]
#[post("/stats/reports")]
async fn submit_report(actor: Allowed<can::SubmitReports>, body: JsonBody<SubmitReport>, cmd: Command) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let report = reports::submit(c, &actor, body.0)?;
        command::Answer::json(actix_web::http::StatusCode::CREATED, &report)
    })
    .await
}

/// The submitted reports of the caller's scope, every version, newest first. A statistics client
/// (`stats`) reads the lines with small cells suppressed (`min_cell`) and no raw `actual`.
#[utoipa::path(tag = "statistics", params(ReportQuery), responses((status = 200, body = Vec<ReportDto>)))]
#[get("/stats/reports")]
async fn list_reports(
    actor: Allowed<can::ReadStats>,
    query: QueryParams<ReportQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let min = st.config.stats_min_cell;
    let rows = st.db.run(move |c| reports::list(c, &actor, q.unit_id.map(|u| u.to_string()), q.year, min)).await?;
    Ok(HttpResponse::Ok().json(rows))
}

#[derive(serde::Deserialize, utoipa::IntoParams, validator::Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportFormat {
    /// `json` (default), `html` (a printable page, one A4 landscape sheet), `csv` (UTF-8 with BOM)
    /// or `xlsx` (laid out and set up to print as the page).
    pub format: Option<crate::logbook::dto::LogBookFormat>,
}

/// One submitted report, as it was frozen (for a statistics client, with small cells suppressed in
/// every format, docs/statistics.md): JSON; a printable page (`html`: one A4 landscape page
/// with the form's header — reporting and receiving units — and the signature block); CSV; or a
/// spreadsheet laid out and set up to print as that page (`xlsx`).
#[utoipa::path(
    tag = "statistics",
    params(ReportFormat),
    responses((status = 200, body = ReportDto, content(
        (ReportDto = "application/json"),
        (String = "text/html"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
#[get("/stats/reports/{id}")]
async fn get_report(
    actor: Allowed<can::ReadStats>,
    id: web::Path<uuid::Uuid>,
    query: QueryParams<ReportFormat>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let min = st.config.stats_min_cell;
    let (report, chain) = st
        .db
        .run(move |c| {
            // A statistics client gets the protected form, in every format.
            let report = reports::find(c, &actor, &id.to_string(), min)?;
            let unit = crate::units::store::find(c, &crate::auth::Scope::national(), &report.unit_id)?;
            let chain = crate::units::store::with_ancestors(c, &unit)?;
            Ok((report, chain))
        })
        .await?;
    let printed = || reports::sheet(&report, &chain, crate::db::today());
    use crate::logbook::dto::LogBookFormat as F;
    let name = format!(
        "bao-cao-hoa-giai-{}-{}-lan-{}",
        report.year,
        match report.kind {
            reports::ReportKind::SixMonth => "6-thang",
            _ => "nam",
        },
        report.report_version
    );
    Ok(match query.0.format.unwrap_or(F::Json) {
        F::Json => HttpResponse::Ok().json(&report),
        F::Html => crate::http::printable(reports::html(&printed())?),
        F::Csv => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
            .body(reports::csv(&report)?),
        F::Xlsx => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.xlsx\"")))
            .body(reports::xlsx(&printed())?),
    })
}

/// The access-to-law standards on record, by assessment years (data, versioned by legal basis).
#[utoipa::path(tag = "statistics", responses((status = 200, body = Vec<super::access::AccessStandard>)))]
#[get("/stats/access-to-law/standards")]
async fn list_access_standards(_actor: Allowed<can::ReadStats>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let rows = st.db.run(super::access::standards).await?;
    Ok(HttpResponse::Ok().json(rows))
}

/// Adds or replaces a standard (administrators): its years, indicators, measures, thresholds and
/// evidence. Years may not overlap another standard's (409 `overlapping_standard`).
#[utoipa::path(tag = "statistics", request_body = super::access::PutAccessStandard, responses((status = 200, body = super::access::AccessStandard)))]
#[put("/stats/access-to-law/standards/{code}")]
async fn put_access_standard(
    actor: Allowed<can::ConfigureSchemes>,
    code: web::Path<String>,
    body: JsonBody<super::access::PutAccessStandard>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    cmd.run(move |c| {
        let out = super::access::put_standard(c, &actor, &code, body.0)?;
        command::Answer::json(actix_web::http::StatusCode::OK, &out)
    })
    .await
}

/// The mediation indicators of the access-to-law standard in force for the year, assessed for a
/// commune from its records: each with its value, threshold, verdict and links to the evidence.
#[utoipa::path(tag = "statistics", params(super::access::AccessQuery), responses((status = 200, body = super::access::AccessAssessment)))]
#[get("/stats/access-to-law")]
async fn get_access_assessment(
    actor: Allowed<can::ReadStats>,
    query: QueryParams<super::access::AccessQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let min = st.config.stats_min_cell;
    let out = st.db.run(move |c| super::access::assess(c, &actor, q.unit_id, q.year, min)).await?;
    Ok(HttpResponse::Ok().json(out))
}
