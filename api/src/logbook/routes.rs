use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;
use validator::Validate;

use super::dto::{LogBook, LogBookFormat, LogBookPart};
use super::{render, store};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::{can, Allowed};
use crate::error::ApiError;
use crate::http::QueryParams;
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_logbook);
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogBookQuery {
    #[validate(range(min = 1990, max = 2100))]
    #[param(minimum = 1990, maximum = 2100)]
    pub year: i32,
    /// `json` (default), `html` (printable, A4 landscape), `csv` (UTF-8 with BOM) or `xlsx`.
    pub format: Option<LogBookFormat>,
    /// With `format=csv`, the table the file holds: `one` (Part I, the default), `two` (Part
    /// II's summary) or `follow_ups` (Part II's follow-ups). Only for CSV: the other formats
    /// hold the whole book.
    pub part: Option<LogBookPart>,
}

/// The team's log book (Sổ theo dõi hoạt động hòa giải ở cơ sở) for a year in the official
/// layout: the cover, Part I with the ten columns, Part II the leader's summary. It holds the
/// parties' names: only for those who may see them, and every read is audited.
#[utoipa::path(
    tag = "cases",
    params(LogBookQuery),
    responses((status = 200, body = LogBook, content(
        (LogBook = "application/json"),
        (String = "text/html"),
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
#[get("/teams/{id}/logbook")]
async fn get_logbook(
    actor: Allowed<can::ReadCases>,
    id: web::Path<uuid::Uuid>,
    query: QueryParams<LogBookQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let format = query.0.format.unwrap_or(LogBookFormat::Json);
    if query.0.part.is_some() && format != LogBookFormat::Csv {
        return Err(ApiError::invalid_field("part", "invalid_value")
            .with_detail("Chỉ tệp CSV được tách theo phần của sổ", "Only the CSV is split by part of the book"));
    }
    let part = query.0.part.unwrap_or_default();
    // A mediator sees the cases assigned to them, not the team's whole book.
    let year = query.0.year;
    let book = st
        .db
        .write(move |c| {
            let book = store::assemble(c, &actor, &id.to_string(), year)?;
            let team_path: String = {
                use crate::db::schema::teams;
                use diesel::prelude::*;
                teams::table.find(id.to_string()).select(teams::unit_path).first(c)?
            };
            audit::record(
                c,
                &Who::from(&*actor),
                Change {
                    action: "read_logbook",
                    entity: "team",
                    entity_id: &id.to_string(),
                    unit_path: Some(&team_path),
                    old: None,
                    new: Some(serde_json::json!({"year": year})),
                },
            )?;
            Ok(book)
        })
        .await?;
    let name = format!("so-theo-doi-hoa-giai-{year}");
    let private = (header::CACHE_CONTROL, "private, no-store");
    Ok(match format {
        LogBookFormat::Json => HttpResponse::Ok().insert_header(private).json(book),
        LogBookFormat::Html => HttpResponse::Ok()
            .insert_header(private)
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CONTENT_SECURITY_POLICY, render::html_csp()))
            .body(render::html(&book)?),
        LogBookFormat::Csv => HttpResponse::Ok()
            .insert_header(private)
            .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}-{}.csv\"", render::part_file_name(part))))
            .body(render::csv(&book, part)?),
        LogBookFormat::Xlsx => HttpResponse::Ok()
            .insert_header(private)
            .insert_header((header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.xlsx\"")))
            .body(render::xlsx(&book).map_err(|e| {
                tracing::error!(error = %e, "log book spreadsheet");
                ApiError::internal()
            })?),
    })
}
