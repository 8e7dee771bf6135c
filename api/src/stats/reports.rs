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
    /// The figures as they were when submitted, from 1 January to the cut-off.
    pub actual: Figures,
    pub estimates: Option<ReportEstimates>,
    pub lines: Vec<ReportLine>,
    pub notes: Option<String>,
    pub submitted_by: String,
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// The version that replaced this one, if any.
    pub superseded_by: Option<String>,
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
    };
    let rate_line = |code, label, (num, den): (i64, i64), (total_num, total_den): (i64, i64)| ReportLine {
        code,
        label,
        unit: "rate",
        actual: rate_number(rate(num, den)),
        estimated: None,
        total: rate_number(rate(total_num, total_den)),
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
        actual,
        estimates,
        notes: r.notes,
        submitted_by: r.submitted_by,
        submitted_at: r.submitted_at.and_utc(),
        superseded_by: r.superseded_by,
    })
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

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<ReportDto, ApiError> {
    let mut q = stat_reports::table.filter(stat_reports::id.eq(id.to_string())).select(Report::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(stat_reports::unit_path) {
        q = q.filter(inside);
    }
    dto(q.first(conn).optional()?.ok_or_else(ApiError::not_found)?)
}

pub fn list(conn: &mut DbConn, actor: &Actor, unit_id: Option<String>, year: Option<i32>) -> Result<Vec<ReportDto>, ApiError> {
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
    q.order((stat_reports::year.desc(), stat_reports::kind.asc(), stat_reports::report_version.desc()))
        .limit(200)
        .load(conn)?
        .into_iter()
        .map(dto)
        .collect()
}

/// The report as CSV (UTF-8 with BOM), laid out as the paper form.
pub fn csv(r: &ReportDto) -> Result<Vec<u8>, ApiError> {
    // CRLF, as RFC 4180 and every other CSV of the API.
    let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let fail = |_| ApiError::internal();
    let cutoff = r.cutoff_date.format("%d/%m/%Y").to_string();
    out.write_record(["Mã", "Chỉ tiêu", &format!("Thực tế (đến {cutoff})"), "Ước tính", "Tổng số"]).map_err(fail)?;
    let text = |n: &Option<serde_json::Number>| n.as_ref().map(|n| n.to_string()).unwrap_or_default();
    for l in &r.lines {
        out.write_record([l.code.to_string(), l.label.to_string(), text(&l.actual), text(&l.estimated), text(&l.total)]).map_err(fail)?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(out.into_inner().map_err(|_| ApiError::internal())?);
    Ok(bytes)
}

/// The report as a spreadsheet laid out as the paper form.
pub fn xlsx(r: &ReportDto, unit_name: &str) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "report spreadsheet");
        ApiError::internal()
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let percent = cell.clone().set_num_format("0.00%");
    let title = match r.kind {
        ReportKind::SixMonth => format!("BÁO CÁO KẾT QUẢ HÒA GIẢI Ở CƠ SỞ 6 THÁNG NĂM {}", r.year),
        ReportKind::Annual => format!("BÁO CÁO KẾT QUẢ HÒA GIẢI Ở CƠ SỞ NĂM {}", r.year),
        ReportKind::AnnualOfficial => format!("BÁO CÁO KẾT QUẢ HÒA GIẢI Ở CƠ SỞ NĂM {} (CHÍNH THỨC)", r.year),
    };
    sheet.write_string_with_format(0, 0, &title, &Format::new().set_bold()).map_err(fail)?;
    sheet
        .write_string(
            1,
            0,
            format!("Đơn vị báo cáo: {unit_name} — lần {} — chốt số liệu ngày {}", r.report_version, r.cutoff_date.format("%d/%m/%Y")),
        )
        .map_err(fail)?;
    let headers = ["STT", "Chỉ tiêu", "Thực tế", "Ước tính", "Tổng số"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold).map_err(fail)?;
    }
    for (i, l) in r.lines.iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write_number_with_format(row, 0, (i + 1) as f64, &cell).map_err(fail)?;
        sheet.write_string_with_format(row, 1, l.label, &cell).map_err(fail)?;
        let format = if l.unit == "rate" { &percent } else { &cell };
        for (col, value) in [(2, &l.actual), (3, &l.estimated), (4, &l.total)] {
            match value.as_ref().and_then(serde_json::Number::as_f64) {
                Some(v) => sheet.write_number_with_format(row, col, v, format).map_err(fail)?,
                None => sheet.write_string_with_format(row, col, "", &cell).map_err(fail)?,
            };
        }
    }
    sheet.set_column_width(1, 60).map_err(fail)?;
    for c in [2u16, 3, 4] {
        sheet.set_column_width(c, 14).map_err(fail)?;
    }
    book.save_to_buffer().map_err(fail)
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
