//! Official reports (Circular 03/2019/TT-BTP): the 6-monthly and yearly mediation report of a
//! unit, with actual figures to a cut-off date and the officer's estimates for the rest, frozen
//! when submitted. A new version supersedes the last; both are kept.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::dto::{Figures, IndicatorQuery, Period};
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::db::schema::stat_reports;
use crate::db::{new_id, now, today, DbConn};
use crate::error::ApiError;

#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// Báo cáo 6 tháng: 1 January – 30 June (actual to 31 May by default, June estimated).
    SixMonth,
    /// Báo cáo năm: the calendar year (actual to 31 October by default for local reporters).
    Annual,
    /// Báo cáo năm chính thức: the calendar year, actual figures only.
    AnnualOfficial,
}

impl ReportKind {
    fn as_str(self) -> &'static str {
        match self {
            ReportKind::SixMonth => "six_month",
            ReportKind::Annual => "annual",
            ReportKind::AnnualOfficial => "annual_official",
        }
    }
    fn parse(s: &str) -> ReportKind {
        match s {
            "six_month" => ReportKind::SixMonth,
            "annual" => ReportKind::Annual,
            _ => ReportKind::AnnualOfficial,
        }
    }
    /// The reporting period and the default cut-off of actual data.
    pub fn period(self, year: i32) -> Option<(NaiveDate, NaiveDate, NaiveDate)> {
        let d = |m, day| NaiveDate::from_ymd_opt(year, m, day);
        Some(match self {
            ReportKind::SixMonth => (d(1, 1)?, d(6, 30)?, d(5, 31)?),
            ReportKind::Annual => (d(1, 1)?, d(12, 31)?, d(10, 31)?),
            ReportKind::AnnualOfficial => (d(1, 1)?, d(12, 31)?, d(12, 31)?),
        })
    }
}

/// The officer's estimates for the days after the cut-off, marked as such in the report. As in
/// the actual figures, `new` counts cases for mediation only: out-of-scope cases are estimated
/// apart, in `out_of_scope`.
#[derive(Deserialize, Serialize, ToSchema, Validate, Clone, Debug, Default, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReportEstimates {
    #[validate(range(min = 0, max = 1000000))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub new: i64,
    #[validate(range(min = 0, max = 1000000))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub successful: i64,
    #[validate(range(min = 0, max = 1000000))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub unsuccessful: i64,
    #[validate(range(min = 0, max = 1000000))]
    #[schema(minimum = 0, maximum = 1000000)]
    pub out_of_scope: i64,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SubmitReport {
    pub unit_id: Uuid,
    pub kind: ReportKind,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    /// Default: 31 May (6-month), 31 October (annual), 31 December (official annual).
    pub cutoff_date: Option<NaiveDate>,
    #[validate(nested)]
    pub estimates: Option<ReportEstimates>,
    #[validate(length(max = 4000), custom(function = "crate::text::clean_multiline"))]
    #[schema(max_length = 4000, pattern = "<text>")]
    pub notes: Option<String>,
}

/// One line of the report as on the paper form: a count, or one of the two success rates.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ReportLine {
    pub code: &'static str,
    /// The indicator in Vietnamese.
    pub label: &'static str,
    /// `count` (a whole number), or `rate` (a fraction from 0 to 1, four places).
    pub unit: &'static str,
    /// Actual, from 1 January to the cut-off. A rate is `null` when its denominator is 0.
    #[schema(value_type = Option<f64>)]
    pub actual: Option<serde_json::Number>,
    /// Estimated for the rest of the period; absent where nothing is estimated (always for a rate).
    #[schema(value_type = Option<f64>)]
    pub estimated: Option<serde_json::Number>,
    /// Actual plus estimated; for a rate, the rate of the total counts.
    #[schema(value_type = Option<f64>)]
    pub total: Option<serde_json::Number>,
    /// For a statistics client: `actual` and `total` are `null` because they are small, or would
    /// give a small one back (docs/statistics.md, "Small cells").
    pub suppressed: bool,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct ReportDto {
    pub id: String,
    pub unit_id: String,
    pub kind: ReportKind,
    pub year: i32,
    pub period: Period,
    pub cutoff_date: NaiveDate,
    /// 1 for the first submission; each resubmission adds one.
    pub report_version: i32,
    /// The figures as they were when submitted, from 1 January to the cut-off. Absent for a
    /// statistics client (`stats`), who reads the `lines` with small cells suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<Figures>,
    pub estimates: Option<ReportEstimates>,
    pub lines: Vec<ReportLine>,
    pub notes: Option<String>,
    pub submitted_by: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// The version that replaced this one, if any.
    pub superseded_by: Option<String>,
    /// The smallest count shown (`HOAGIAI_STATS_MIN_CELL`) when small cells were suppressed for
    /// a statistics client; absent for everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_cell: Option<i64>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    pub unit_id: Option<Uuid>,
    #[validate(range(min = 2000, max = 2100))]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = stat_reports)]
pub struct Report {
    pub id: String,
    pub unit_id: String,
    pub unit_path: String,
    pub kind: String,
    pub year: i32,
    pub cutoff_date: NaiveDate,
    pub report_version: i32,
    pub figures: String,
    pub estimates: Option<String>,
    pub notes: Option<String>,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub superseded_by: Option<String>,
}

/// A rate as a report line's number.
fn rate_number(r: Option<f64>) -> Option<serde_json::Number> {
    r.and_then(serde_json::Number::from_f64)
}

/// The paper form's lines: actual, estimated, total. Received = successful + unsuccessful + in
/// progress holds in each column, out of scope beside them; then the two success rates, of the
/// actual figures and of the totals (docs/statistics.md).
pub fn lines(actual: &Figures, est: Option<&ReportEstimates>) -> Vec<ReportLine> {
    use super::figures::rate;
    let e = est.cloned().unwrap_or_default();
    let has = est.is_some();
    let c = &actual.cases;
    let line = |code, label, actual: i64, estimated: Option<i64>| ReportLine {
        code,
        label,
        unit: "count",
        actual: Some(actual.into()),
        estimated: estimated.map(Into::into),
        total: Some((actual + estimated.unwrap_or(0)).into()),
        suppressed: false,
    };
    let rate_line = |code, label, (num, den): (i64, i64), (total_num, total_den): (i64, i64)| ReportLine {
        code,
        label,
        unit: "rate",
        actual: rate_number(rate(num, den)),
        estimated: None,
        total: rate_number(rate(total_num, total_den)),
        suppressed: false,
    };
    let received_est = has.then_some(e.new);
    let in_progress_est = has.then(|| e.new - e.successful - e.unsuccessful);
    let successful_total = c.successful + e.successful;
    let concluded_total = successful_total + c.unsuccessful + e.unsuccessful;
    let received_total = c.received + e.new;
    vec![
        line("teams", "Số tổ hòa giải", actual.teams, None),
        line("mediators", "Số hòa giải viên", actual.mediators.total, None),
        line("mediators_women", "Trong đó: hòa giải viên nữ", actual.mediators.women, None),
        line("mediators_ethnic_minority", "Trong đó: hòa giải viên là người dân tộc thiểu số", actual.mediators.ethnic_minority, None),
        line(
            "mediators_legal_training",
            "Trong đó: hòa giải viên có trình độ hoặc được bồi dưỡng pháp luật",
            actual.mediators.with_legal_training,
            None,
        ),
        line("received", "Số vụ, việc tiếp nhận", c.received, received_est),
        line("carried_over", "Trong đó: kỳ trước chuyển sang", c.carried_over, None),
        line("new", "Trong đó: mới tiếp nhận", c.new, received_est),
        line("successful", "Số vụ, việc hòa giải thành", c.successful, has.then_some(e.successful)),
        line("unsuccessful", "Số vụ, việc hòa giải không thành", c.unsuccessful, has.then_some(e.unsuccessful)),
        line("in_progress", "Số vụ, việc đang hòa giải", c.in_progress_at_end, in_progress_est),
        line("out_of_scope", "Số vụ, việc không thuộc phạm vi hòa giải", c.out_of_scope, has.then_some(e.out_of_scope)),
        rate_line(
            "success_rate_of_concluded",
            "Tỷ lệ hòa giải thành (trên số vụ, việc đã có kết quả hòa giải)",
            (c.successful, c.successful + c.unsuccessful),
            (successful_total, concluded_total),
        ),
        rate_line(
            "success_rate_of_received",
            "Tỷ lệ hòa giải thành (trên tổng số vụ, việc tiếp nhận)",
            (c.successful, c.received),
            (successful_total, received_total),
        ),
    ]
}

fn dto(r: Report) -> Result<ReportDto, ApiError> {
    let kind = ReportKind::parse(&r.kind);
    let (from, to, _) = kind.period(r.year).ok_or_else(ApiError::internal)?;
    let actual: Figures = serde_json::from_str(&r.figures).map_err(|_| ApiError::internal())?;
    let estimates: Option<ReportEstimates> = r.estimates.as_deref().and_then(|e| serde_json::from_str(e).ok());
    Ok(ReportDto {
        lines: lines(&actual, estimates.as_ref()),
        period: Period { label: format!("{}-{}", r.year, kind.as_str()), from, to },
        id: r.id,
        unit_id: r.unit_id,
        kind,
        year: r.year,
        cutoff_date: r.cutoff_date,
        report_version: r.report_version,
        actual: Some(actual),
        estimates,
        notes: r.notes,
        submitted_by: r.submitted_by,
        submitted_at: r.submitted_at.and_utc(),
        superseded_by: r.superseded_by,
        min_cell: None,
    })
}

/// The reports as the caller may read them: for a statistics client, small cells suppressed — a
/// village's report being a small area, whose case counts can point at a household.
fn protected(conn: &mut DbConn, actor: &Actor, mut reports: Vec<ReportDto>, min_cell: i64) -> Result<Vec<ReportDto>, ApiError> {
    use crate::db::schema::units;
    if super::small_cells::sees_exact_figures(actor) {
        return Ok(reports);
    }
    let ids: Vec<&str> = reports.iter().map(|r| r.unit_id.as_str()).collect();
    let villages: std::collections::HashSet<String> = units::table
        .filter(units::id.eq_any(ids))
        .filter(units::level.eq("village"))
        .select(units::id)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    for r in &mut reports {
        let small_area = villages.contains(&r.unit_id);
        super::small_cells::protect_report(r, min_cell, small_area);
    }
    Ok(reports)
}

/// Computes the figures to the cut-off and freezes them as a new version of the report.
pub fn submit(conn: &mut DbConn, actor: &Actor, input: SubmitReport) -> Result<ReportDto, ApiError> {
    let unit = crate::units::store::find(conn, &actor.scope, &input.unit_id.to_string())
        .map_err(|_| ApiError::invalid_field("unit_id", "not_found"))?;
    let (from, to, default_cutoff) = input.kind.period(input.year).ok_or_else(|| ApiError::invalid_field("year", "invalid_value"))?;
    let cutoff = input.cutoff_date.unwrap_or(default_cutoff);
    if cutoff < from || cutoff > to {
        return Err(ApiError::invalid_field("cutoff_date", "invalid_value")
            .with_detail("Ngày chốt số liệu phải nằm trong kỳ báo cáo", "The cut-off must lie in the period"));
    }
    if cutoff > today() {
        return Err(ApiError::invalid_field("cutoff_date", "invalid_value")
            .with_detail("Chưa đến ngày chốt số liệu", "The cut-off date has not come yet"));
    }
    if input.kind == ReportKind::AnnualOfficial && input.estimates.is_some() {
        return Err(ApiError::invalid_field("estimates", "invalid_value")
            .with_detail("Báo cáo năm chính thức chỉ gồm số liệu thực tế", "The official annual report holds actual figures only"));
    }
    let query = IndicatorQuery {
        unit_id: Some(input.unit_id),
        period: format!("{from}..{cutoff}"),
        by: None,
        level: None,
        boundaries: None,
        format: None,
    };
    let figures = super::store::indicators(conn, actor, &query)?.figures;
    let previous: Option<Report> = stat_reports::table
        .filter(stat_reports::unit_id.eq(&unit.id))
        .filter(stat_reports::kind.eq(input.kind.as_str()))
        .filter(stat_reports::year.eq(input.year))
        .filter(stat_reports::superseded_by.is_null())
        .select(Report::as_select())
        .first(conn)
        .optional()?;
    let report = Report {
        id: new_id(),
        unit_id: unit.id.clone(),
        unit_path: unit.path.clone(),
        kind: input.kind.as_str().into(),
        year: input.year,
        cutoff_date: cutoff,
        report_version: previous.as_ref().map_or(1, |p| p.report_version + 1),
        figures: serde_json::to_string(&figures).map_err(|_| ApiError::internal())?,
        estimates: input.estimates.as_ref().map(|e| serde_json::to_string(e).unwrap_or_default()),
        notes: input.notes,
        submitted_by: actor.id.clone(),
        submitted_at: now(),
        superseded_by: None,
    };
    diesel::insert_into(stat_reports::table).values(&report).execute(conn)?;
    if let Some(p) = &previous {
        diesel::update(stat_reports::table.find(&p.id)).set(stat_reports::superseded_by.eq(&report.id)).execute(conn)?;
    }
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "submit",
            entity: "stat_report",
            entity_id: &report.id,
            unit_path: Some(&report.unit_path),
            old: None,
            new: Some(
                serde_json::json!({"kind": report.kind, "year": report.year, "version": report.report_version, "cutoff_date": report.cutoff_date}),
            ),
        },
    )?;
    dto(report)
}

/// One report as the caller may read it: a statistics client's with its small cells suppressed
/// (`min_cell`, `small_cells::protect_report`), everyone else's as frozen.
pub fn find(conn: &mut DbConn, actor: &Actor, id: &str, min_cell: i64) -> Result<ReportDto, ApiError> {
    let mut q = stat_reports::table.filter(stat_reports::id.eq(id.to_string())).select(Report::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(stat_reports::unit_path) {
        q = q.filter(inside);
    }
    let report = dto(q.first(conn).optional()?.ok_or_else(ApiError::not_found)?)?;
    protected(conn, actor, vec![report], min_cell)?.pop().ok_or_else(ApiError::internal)
}

pub fn list(
    conn: &mut DbConn,
    actor: &Actor,
    unit_id: Option<String>,
    year: Option<i32>,
    min_cell: i64,
) -> Result<Vec<ReportDto>, ApiError> {
    let mut q = stat_reports::table.select(Report::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(stat_reports::unit_path) {
        q = q.filter(inside);
    }
    if let Some(u) = unit_id {
        q = q.filter(stat_reports::unit_id.eq(u));
    }
    if let Some(y) = year {
        q = q.filter(stat_reports::year.eq(y));
    }
    let reports = q
        .order((stat_reports::year.desc(), stat_reports::kind.asc(), stat_reports::report_version.desc()))
        .limit(200)
        .load(conn)?
        .into_iter()
        .map(dto)
        .collect::<Result<Vec<_>, _>>()?;
    protected(conn, actor, reports, min_cell)
}

/// The report as CSV, one line per indicator.
pub fn csv(r: &ReportDto) -> Result<Vec<u8>, ApiError> {
    use crate::export::csv::{Cell, Table};
    let mut out = Table::new();
    let cutoff = r.cutoff_date.format("%d/%m/%Y").to_string();
    out.row(["Mã", "Chỉ tiêu", &format!("Thực tế (đến {cutoff})"), "Ước tính", "Tổng số"])?;
    let number = |n: &Option<serde_json::Number>| Cell::Number(n.as_ref().map(|n| n.to_string()).unwrap_or_default());
    for l in &r.lines {
        out.mixed(vec![Cell::Text(l.code.into()), Cell::Text(l.label.into()), number(&l.actual), number(&l.estimated), number(&l.total)])?;
    }
    out.finish()
}

/// What the printed report says around its figures: who reports, to whom, the title, and each
/// line's cells as the form prints them. The HTML page and the spreadsheet are made from it.
#[derive(Serialize)]
pub struct ReportSheet {
    pub title: String,
    pub reporter: String,
    pub receiver: String,
    /// The form's number and the day it is due are not confirmed for Circular 03/2019's annex
    /// (docs/statistics.md): the officer writes them in.
    pub form_number: &'static str,
    pub receipt_deadline: &'static str,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub cutoff: NaiveDate,
    pub has_estimates: bool,
    pub version: i32,
    pub lines: Vec<SheetLine>,
    pub notes: Option<String>,
    pub place_date: String,
}

#[derive(Serialize)]
pub struct SheetLine {
    pub number: String,
    pub label: &'static str,
    /// "Trong đó" lines, indented under the line above.
    pub sub: bool,
    pub unit: &'static str,
    pub actual: String,
    pub estimated: String,
    pub total: String,
    /// The figures as numbers, for the spreadsheet (a rate as a fraction).
    #[serde(skip)]
    pub values: [Option<f64>; 3],
    #[serde(skip)]
    pub is_rate: bool,
}

/// The report as it prints. `chain` is the reporting unit and those above it, top first.
pub fn sheet(r: &ReportDto, chain: &[crate::units::model::Unit], printed_on: NaiveDate) -> ReportSheet {
    use crate::units::names;
    let unit_name = chain.last().map(|u| u.name.clone()).unwrap_or_default();
    let title = match r.kind {
        ReportKind::SixMonth => format!("KẾT QUẢ HÒA GIẢI Ở CƠ SỞ 6 THÁNG ĐẦU NĂM {}", r.year),
        ReportKind::Annual => format!("KẾT QUẢ HÒA GIẢI Ở CƠ SỞ NĂM {}", r.year),
        ReportKind::AnnualOfficial => format!("KẾT QUẢ HÒA GIẢI Ở CƠ SỞ NĂM {} (BÁO CÁO NĂM CHÍNH THỨC)", r.year),
    };
    let period = r.kind.period(r.year);
    let (from, to) = period.map(|(f, t, _)| (f, t)).unwrap_or((r.cutoff_date, r.cutoff_date));
    let mut main = 0;
    let lines = r
        .lines
        .iter()
        .map(|l| {
            let sub = l.label.starts_with("Trong đó");
            if !sub {
                main += 1;
            }
            let is_rate = l.unit == "rate";
            let show = |n: &Option<serde_json::Number>| match n.as_ref().and_then(serde_json::Number::as_f64) {
                None => String::new(),
                Some(v) if is_rate => format!("{:.2}%", v * 100.0).replace('.', ","),
                Some(v) => crate::print::dong(v as i64),
            };
            let f = |n: &Option<serde_json::Number>| n.as_ref().and_then(serde_json::Number::as_f64);
            SheetLine {
                number: if sub { String::new() } else { main.to_string() },
                label: l.label,
                sub,
                unit: match (is_rate, l.code) {
                    (true, _) => "%",
                    (false, "teams") => "Tổ",
                    (false, c) if c.starts_with("mediators") => "Người",
                    _ => "Vụ, việc",
                },
                actual: show(&l.actual),
                estimated: show(&l.estimated),
                total: show(&l.total),
                values: [f(&l.actual), f(&l.estimated), f(&l.total)],
                is_rate,
            }
        })
        .collect();
    ReportSheet {
        title,
        reporter: format!("Ủy ban nhân dân {}", names::in_text(&unit_name)),
        receiver: names::report_receiver(chain, to),
        form_number: "……………",
        receipt_deadline: "……………",
        period_from: from,
        period_to: to,
        cutoff: r.cutoff_date,
        has_estimates: r.estimates.is_some(),
        version: r.report_version,
        lines,
        notes: r.notes.clone(),
        place_date: crate::units::names::place_date(&unit_name, printed_on),
    }
}

/// The report as a printable page: one A4 landscape page with the form's header boxes and the
/// signature block.
pub fn html(sheet: &ReportSheet) -> Result<crate::export::html::Page, ApiError> {
    crate::export::html::render("official_report.html", sheet)
}

/// The report as a spreadsheet laid out as the printed form — the header boxes, the table with
/// its column codes, the three signatures — set up to print on one A4 landscape page.
pub fn xlsx(s: &ReportSheet) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

    use crate::export::xlsx::{failed, set_up, PageSetup};
    let font = |f: Format| f.set_font_name("Times New Roman").set_font_size(11);
    let plain = font(Format::new().set_text_wrap().set_align(FormatAlign::Top));
    let bold = plain.clone().set_bold();
    let centre = plain.clone().set_align(FormatAlign::Center);
    let centre_bold = centre.clone().set_bold();
    let italic_centre = centre.clone().set_italic();
    let title = centre_bold.clone().set_font_size(13);
    let boxed = plain.clone().set_border(FormatBorder::Thin);
    let head = centre_bold.clone().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
    let code = italic_centre.clone().set_border(FormatBorder::Thin);
    let cell = boxed.clone().set_align(FormatAlign::VerticalCenter);
    let sub_cell = cell.clone().set_italic().set_indent(2);
    let stt = cell.clone().set_align(FormatAlign::Center);
    let count = cell.clone().set_num_format("#,##0").set_align(FormatAlign::Right);
    let rate = cell.clone().set_num_format("0.00%").set_align(FormatAlign::Right);

    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let build = |ws: &mut rust_xlsxwriter::Worksheet| -> Result<(), rust_xlsxwriter::XlsxError> {
        ws.set_name("Báo cáo")?;
        for (col, width) in [(0u16, 6.0), (1, 62.0), (2, 11.0), (3, 14.0), (4, 14.0), (5, 14.0)] {
            ws.set_column_width(col, width)?;
        }
        // The form's three header boxes: the form, the title, the units.
        ws.merge_range(0, 0, 0, 1, &format!("Biểu số: {}", s.form_number), &bold)?;
        ws.merge_range(1, 0, 2, 1, "Ban hành kèm theo Thông tư số 03/2019/TT-BTP", &plain)?;
        ws.merge_range(3, 0, 3, 1, &format!("Ngày nhận báo cáo: {}", s.receipt_deadline), &plain)?;
        ws.merge_range(0, 2, 0, 5, &format!("Đơn vị báo cáo: {}", s.reporter), &plain)?;
        ws.merge_range(1, 2, 2, 5, &format!("Đơn vị nhận báo cáo: {}", s.receiver), &plain)?;
        ws.merge_range(5, 0, 5, 5, &s.title, &title)?;
        let period = format!("(Từ ngày {} đến ngày {})", s.period_from.format("%d/%m/%Y"), s.period_to.format("%d/%m/%Y"));
        ws.merge_range(6, 0, 6, 5, &period, &centre)?;
        let mut cut = format!("Số liệu thực tế đến ngày {}", s.cutoff.format("%d/%m/%Y"));
        if s.has_estimates {
            cut += "; phần còn lại của kỳ là số ước tính";
        }
        ws.merge_range(7, 0, 7, 5, &format!("{cut} — báo cáo lần {}", s.version), &italic_centre)?;
        let headers = ["STT", "Chỉ tiêu", "Đơn vị tính", "Số thực tế", "Số ước tính", "Tổng số"];
        let codes = ["A", "B", "C", "1", "2", "3 = 1 + 2"];
        for c in 0..6u16 {
            ws.write_string_with_format(9, c, headers[c as usize], &head)?;
            ws.write_string_with_format(10, c, codes[c as usize], &code)?;
        }
        ws.set_row_height(9, 30)?;
        let mut row = 11u32;
        for l in &s.lines {
            ws.write_string_with_format(row, 0, &l.number, &stt)?;
            ws.write_string_with_format(row, 1, l.label, if l.sub { &sub_cell } else { &cell })?;
            ws.write_string_with_format(row, 2, l.unit, &stt)?;
            for (i, v) in l.values.iter().enumerate() {
                let col = 3 + i as u16;
                match v {
                    Some(v) => ws.write_number_with_format(row, col, *v, if l.is_rate { &rate } else { &count })?,
                    None => ws.write_blank(row, col, &cell)?,
                };
            }
            row += 1;
        }
        if let Some(notes) = &s.notes {
            row += 1;
            ws.merge_range(row, 0, row, 5, &format!("Ghi chú: {notes}"), &plain)?;
        }
        // The signatures: the preparer, the checker, the chairman for the People's Committee.
        row += 2;
        ws.write_string_with_format(row, 3, "", &plain)?;
        ws.merge_range(row, 4, row, 5, &s.place_date, &italic_centre)?;
        row += 1;
        ws.write_string_with_format(row, 1, "Người lập biểu", &centre_bold)?;
        ws.merge_range(row, 2, row, 3, "Người kiểm tra biểu", &centre_bold)?;
        ws.merge_range(row, 4, row, 5, "TM. ỦY BAN NHÂN DÂN", &centre_bold)?;
        row += 1;
        ws.merge_range(row, 4, row, 5, "CHỦ TỊCH", &centre_bold)?;
        ws.write_string_with_format(row, 1, "(Ký, ghi rõ họ tên)", &italic_centre)?;
        ws.merge_range(row, 2, row, 3, "(Ký, ghi rõ họ tên)", &italic_centre)?;
        row += 1;
        ws.merge_range(row, 4, row, 5, "(Ký, đóng dấu, ghi rõ họ tên)", &italic_centre)?;
        ws.set_print_area(0, 0, row + 4, 5)?;
        set_up(ws, &PageSetup { landscape: true, fit: (1, 1), repeat_rows: None })?;
        Ok(())
    };
    build(ws).map_err(failed)?;
    book.save_to_buffer().map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::dto::MediatorFigures;
    use crate::stats::figures::CaseFigures;

    #[test]
    fn estimates_add_to_the_actual_figures() {
        let actual = Figures {
            teams: 5,
            mediators: MediatorFigures { total: 25, women: 9, ethnic_minority: 1, with_legal_training: 20, trained_this_year: 18 },
            funding: Default::default(),
            cases: CaseFigures {
                received: 10,
                new: 8,
                carried_over: 2,
                successful: 6,
                unsuccessful: 1,
                out_of_scope: 1,
                in_progress_at_end: 3,
                ..Default::default()
            },
        };
        // Received 10 = 6 successful + 1 unsuccessful + 3 in progress; 1 out of scope apart.
        let est = ReportEstimates { new: 3, successful: 2, unsuccessful: 0, out_of_scope: 1 };
        let l = lines(&actual, Some(&est));
        let get = |code: &str| l.iter().find(|x| x.code == code).unwrap().clone();
        let n = |v: Option<serde_json::Number>| v.and_then(|n| n.as_f64()).unwrap();
        assert_eq!(n(get("received").total), 13.0);
        assert_eq!(n(get("successful").total), 8.0);
        // 3 + (3 − 2 − 0): the estimated out-of-scope case is not in progress.
        assert_eq!(n(get("in_progress").total), 4.0);
        assert_eq!(n(get("out_of_scope").total), 2.0);
        let columns: [fn(&ReportLine) -> Option<serde_json::Number>; 2] = [|l| l.actual.clone(), |l| l.total.clone()];
        for column in columns {
            let v = |code: &str| n(column(&get(code)));
            assert_eq!(v("received"), v("successful") + v("unsuccessful") + v("in_progress"));
        }
        assert_eq!(get("teams").estimated, None);
        assert!(lines(&actual, None).iter().all(|x| x.estimated.is_none()));
        // The rates: 6 of 7 with a result, 6 of 10 received; of the totals 8 of 9 and 8 of 13.
        let rate = get("success_rate_of_concluded");
        assert_eq!((rate.unit, n(rate.actual), rate.estimated, n(rate.total)), ("rate", 0.8571, None, 0.8889));
        let rate = get("success_rate_of_received");
        assert_eq!((n(rate.actual), n(rate.total)), (0.6, 0.6154));
        assert_eq!(serde_json::to_value(get("received")).unwrap()["actual"], serde_json::json!(10), "counts stay whole numbers");
    }

    #[test]
    fn periods_and_default_cutoffs() {
        let (from, to, cut) = ReportKind::SixMonth.period(2026).unwrap();
        assert_eq!((from.to_string(), to.to_string(), cut.to_string()), ("2026-01-01".into(), "2026-06-30".into(), "2026-05-31".into()));
        assert_eq!(ReportKind::Annual.period(2026).unwrap().2.to_string(), "2026-10-31");
    }
}
