//! Renderers of the log book (Sổ theo dõi hoạt động hòa giải ở cơ sở): printable HTML, CSV and
//! XLSX, in the layout of the paper book — the cover, Part I (ten columns, one row per case) and
//! Part II (the team leader's summary by category and result).
//!
//! The HTML carries no script and exactly one `<style>` element, whose hash `html_style_hash`
//! gives, so that it can be served under `html_csp()`: nothing else is allowed to load or run.

use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet, XlsxError};

use super::dto::{LogBook, LogBookCover, LogBookFollowUp, LogBookPart, LogBookParty, LogBookRow, LogBookSummaryLine};
use crate::codes::CodeEnum;
use crate::export::csv::Table;
use crate::text::fold;

// ---------------------------------------------------------------------------------------------
// Wording of the paper book (see docs/glossary.md).

const NATION: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
const BOOK_TITLE: &str = "SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI Ở CƠ SỞ";
const PART_ONE: &str = "PHẦN I";
/// The form's titles of the two parts.
const PART_ONE_TITLE: &str = "GHI CHÉP CỦA HÒA GIẢI VIÊN";
const PART_TWO: &str = "PHẦN II";
const PART_TWO_TITLE: &str = "THEO DÕI, TỔNG HỢP CỦA TỔ TRƯỞNG TỔ HÒA GIẢI";
/// Part II's two sections: the summary, then the follow-ups of the agreements.
const SUMMARY_TITLE: &str = "Tổng hợp kết quả hòa giải theo phạm vi hòa giải";
const FOLLOW_UPS_TITLE: &str = "Theo dõi việc thực hiện thỏa thuận hòa giải thành";
const LEADER: &str = "TỔ TRƯỞNG TỔ HÒA GIẢI";
const SIGN_HINT: &str = "(Ký, ghi rõ họ tên)";
const SIGN_DATE: &str = "Ngày ...... tháng ...... năm ......";
/// Dots left for writing by hand where the data has nothing.
const DOTS: &str = "..............................";

/// The ten columns of Part I, flat (as in the CSV).
const COLUMNS: [&str; 10] = [
    "STT",
    "Ngày, tháng, năm nhận vụ, việc",
    "Họ và tên hòa giải viên, người được mời tham gia hòa giải",
    "Họ và tên, tuổi, địa chỉ của các bên (và người có quyền lợi, nghĩa vụ liên quan)",
    "Nội dung chủ yếu của vụ, việc",
    "Thỏa thuận của các bên hoặc yêu cầu của mỗi bên",
    "Hòa giải thành",
    "Hòa giải không thành",
    "Chữ ký",
    "Ghi chú",
];
/// On paper, columns 7 and 8 stand under one heading.
const RESULT_GROUP: &str = "Kết quả hòa giải";
const RESULT_YES: &str = "Thành";
const RESULT_NO: &str = "Không thành";
/// The mark written in column 7 or 8.
const MARK: &str = "x";

const INVITED: &str = "Người được mời tham gia hòa giải:";
const RELATED: &str = "người có quyền lợi, nghĩa vụ liên quan";
const NO_CASES: &str = "Không có vụ, việc nào.";

/// The columns of Part II's follow-ups.
const FOLLOW_UP_COLUMNS: [&str; 4] = ["STT vụ, việc (Phần I)", "Ngày theo dõi", "Kết quả thực hiện thỏa thuận", "Ghi chú"];
const NO_FOLLOW_UPS: &str = "Chưa ghi lần theo dõi nào.";

/// The columns of Part II (after STT, which the CSV leaves out).
const SUMMARY_COLUMNS: [&str; 6] = [
    "Phạm vi hòa giải",
    "Số vụ, việc tiếp nhận",
    "Hòa giải thành",
    "Hòa giải không thành",
    "Đang hòa giải",
    "Không thuộc phạm vi hòa giải",
];

// ---------------------------------------------------------------------------------------------
// Shared text.

fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// "Mở sổ ngày 05/01/2024", or dots for the day and month when the date is unknown.
fn cover_date(label: &str, d: Option<NaiveDate>, year: i32) -> String {
    match d {
        Some(d) => format!("{label} {}", date(d)),
        None => format!("{label} ........../........../{year}"),
    }
}

/// A unit's name as written on the cover: the name as recorded when it already starts with its
/// kind ("Tỉnh Hải Dương", "Thành phố Hà Nội"), else the default kind and the name ("Xã" + "Yết
/// Kiêu"); dots to fill in by hand when it is not recorded.
fn unit_line(value: Option<&str>, default_kind: &str, kinds: &[&str]) -> String {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return format!("{default_kind} {DOTS}");
    };
    let folded = fold(value);
    if kinds.iter().any(|k| folded == *k || folded.strip_prefix(k).is_some_and(|rest| rest.starts_with(' '))) {
        value.to_string()
    } else {
        format!("{default_kind} {value}")
    }
}

/// The cover's lines of units, top down; the district only when the volume has one (before 2025).
fn cover_units(cover: &LogBookCover) -> Vec<String> {
    let mut lines = vec![unit_line(cover.province.as_deref(), "Tỉnh", &["tinh", "thanh pho"])];
    if let Some(district) = cover.district.as_deref() {
        lines.push(unit_line(Some(district), "Huyện", &["huyen", "quan", "thi xa", "thanh pho"]));
    }
    lines.push(unit_line(cover.commune.as_deref(), "Xã", &["xa", "phuong", "thi tran", "dac khu"]));
    lines.push(unit_line(
        Some(&cover.village),
        "Thôn",
        &["thon", "to dan pho", "to", "xom", "lang", "ap", "ban", "buon", "bon", "khu pho", "khu", "khoi", "khom", "phum", "soc", "plei"],
    ));
    lines.push(unit_line(Some(&cover.team), "Tổ hòa giải", &["to hoa giai"]));
    lines
}

fn volume_line(cover: &LogBookCover) -> String {
    match cover.volume {
        Some(v) => format!("Quyển số: {v:02}"),
        None => format!("Quyển số: {DOTS}"),
    }
}

/// "Nguyễn Thị Hoa, tuổi 45, thôn Hội Yên", with the mark of a person with related rights.
fn party_text(p: &LogBookParty) -> String {
    let mut s = p.name.trim().to_string();
    if let Some(age) = p.age {
        s += &format!(", tuổi {age}");
    }
    if let Some(address) = p.address.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        s += ", ";
        s += address;
    }
    if p.related_person {
        s += &format!(" ({RELATED})");
    }
    s
}

/// Column 3 as one text: the mediators, then the invited participants after their label.
fn people_text(row: &LogBookRow, sep: &str) -> String {
    let mut s = row.mediators.join(sep);
    if !row.participants.is_empty() {
        if !s.is_empty() {
            s += sep;
        }
        s += INVITED;
        s += " ";
        s += &row.participants.join(sep);
    }
    s
}

fn parties_text(row: &LogBookRow, sep: &str) -> String {
    row.parties.iter().map(party_text).collect::<Vec<_>>().join(sep)
}

fn mark(on: bool) -> &'static str {
    if on {
        MARK
    } else {
        ""
    }
}

fn summary_counts(line: &LogBookSummaryLine) -> [i64; 5] {
    [line.received, line.successful, line.unsuccessful, line.in_progress, line.out_of_scope]
}

/// A follow-up as its four printed cells.
fn follow_up_cells(f: &LogBookFollowUp) -> [String; 4] {
    [f.number.to_string(), date(f.checked_on), f.status.labels().0.to_string(), f.notes.clone()]
}

// ---------------------------------------------------------------------------------------------
// HTML.

/// The only style of the printed book. ASCII only, so its hash does not depend on an encoding.
const STYLE: &str = r#"
@page { size: A4 landscape; margin: 14mm 12mm 14mm 12mm; @bottom-right { content: "Trang " counter(page); font-size: 10pt; } }
@page :first { @bottom-right { content: none; } }
* { box-sizing: border-box; }
html { font-family: "Times New Roman", Times, "Liberation Serif", "Nimbus Roman", "DejaVu Serif", serif; font-size: 12pt; line-height: 1.3; color: #000; background: #fff; }
body { margin: 0; }
@media screen { body { max-width: 297mm; margin: 0 auto; padding: 12mm; } }
p { margin: 0; }
.cover { text-align: center; }
.nation { font-weight: bold; font-size: 13pt; }
.motto { font-weight: bold; font-size: 13pt; display: inline-block; padding-bottom: 2pt; border-bottom: 1px solid #000; }
.units { display: inline-block; text-align: left; margin-top: 14mm; font-size: 13pt; line-height: 1.6; }
.cover h1 { font-size: 22pt; font-weight: bold; margin: 18mm 0 12mm 0; }
.volume { font-size: 14pt; font-weight: bold; margin-bottom: 4mm; }
.dates { font-size: 13pt; line-height: 1.6; }
.part { break-before: page; page-break-before: always; padding-top: 1mm; }
h2 { font-size: 14pt; font-weight: bold; text-align: center; margin: 0; }
.subtitle { text-align: center; font-weight: bold; margin: 0 0 4mm 0; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; font-size: 11pt; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: bold; text-align: center; vertical-align: middle; overflow-wrap: normal; }
tr.numbers th { font-weight: normal; font-style: italic; }
td.n { text-align: center; }
td.t { white-space: pre-line; }
td.sign { height: 16mm; }
td.empty { text-align: center; font-style: italic; }
tr.total td { font-weight: bold; }
.label { font-style: italic; }
col.c1 { width: 4%; } col.c2 { width: 7.5%; } col.c3 { width: 12.5%; } col.c4 { width: 16%; } col.c5 { width: 16%; }
col.c6 { width: 16%; } col.c7 { width: 5%; } col.c8 { width: 5%; } col.c9 { width: 8%; } col.c10 { width: 10%; }
col.s1 { width: 5%; } col.s2 { width: 30%; } col.s3, col.s4, col.s5, col.s6, col.s7 { width: 13%; }
col.f1 { width: 12%; } col.f2 { width: 12%; } col.f3 { width: 26%; } col.f4 { width: 50%; }
h3 { font-size: 12pt; font-weight: bold; margin: 5mm 0 2mm 0; }
.year { text-align: center; font-style: italic; margin: 0 0 4mm 0; }
.signature { width: 95mm; margin: 8mm 0 0 auto; text-align: center; break-inside: avoid; page-break-inside: avoid; }
.signature .date { font-style: italic; }
.signature .who { font-weight: bold; }
.signature .hint { font-style: italic; }
.signature .space { height: 25mm; }
"#;

/// The CSP source expression of the HTML's style element: `'sha256-…'`.
pub fn html_style_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| crate::print::style_hash(STYLE)).clone()
}

/// The whole Content-Security-Policy to send with `html`.
pub fn html_csp() -> String {
    crate::print::csp(STYLE)
}

/// The log book as one printable HTML5 document (A4 landscape), in Vietnamese, from the
/// `logbook.html` template; the cells are prepared here, the layout is the template's.
pub fn html(book: &LogBook) -> Result<String, crate::error::ApiError> {
    #[derive(serde::Serialize)]
    struct Row<'a> {
        number: i32,
        received: String,
        mediators: &'a [String],
        participants: &'a [String],
        parties: String,
        content: &'a str,
        agreement_or_demands: &'a str,
        successful: &'static str,
        unsuccessful: &'static str,
        notes: &'a str,
    }
    #[derive(serde::Serialize)]
    struct SummaryLine<'a> {
        number: String,
        label: &'a str,
        counts: [i64; 5],
        total: bool,
    }
    let rows: Vec<Row> = book
        .rows
        .iter()
        .map(|row| Row {
            number: row.number,
            received: date(row.received_on),
            mediators: &row.mediators,
            participants: &row.participants,
            parties: parties_text(row, "\n"),
            content: &row.content,
            agreement_or_demands: &row.agreement_or_demands,
            successful: mark(row.successful),
            unsuccessful: mark(row.unsuccessful),
            notes: &row.notes,
        })
        .collect();
    let mut summary: Vec<SummaryLine> = book
        .summary
        .by_category
        .iter()
        .enumerate()
        .map(|(i, line)| SummaryLine { number: (i + 1).to_string(), label: &line.label, counts: summary_counts(line), total: false })
        .collect();
    let total = &book.summary.total;
    summary.push(SummaryLine { number: String::new(), label: &total.label, counts: summary_counts(total), total: true });
    let follow_ups: Vec<[String; 4]> = book.follow_ups.iter().map(follow_up_cells).collect();
    let cover = &book.cover;
    let page = crate::export::html::render(
        "logbook.html",
        minijinja::context! {
            style => minijinja::Value::from_safe_string(STYLE.to_string()),
            // The paper book's wording, from the one place the spreadsheet takes it from too.
            w => minijinja::context! {
                nation => NATION, motto => MOTTO, book_title => BOOK_TITLE,
                part_one => PART_ONE, part_one_title => PART_ONE_TITLE, part_two => PART_TWO, part_two_title => PART_TWO_TITLE,
                summary_title => SUMMARY_TITLE, follow_ups_title => FOLLOW_UPS_TITLE,
                result_group => RESULT_GROUP, result_yes => RESULT_YES, result_no => RESULT_NO,
                invited => INVITED, no_cases => NO_CASES, no_follow_ups => NO_FOLLOW_UPS,
                leader => LEADER, sign_hint => SIGN_HINT, sign_date => SIGN_DATE,
            },
            team => &cover.team,
            year => book.year,
            units => cover_units(cover),
            volume => volume_line(cover),
            opened => cover_date("Mở sổ ngày", cover.opened_on, book.year),
            closed => cover_date("Khóa sổ ngày", cover.closed_on, book.year),
            columns => COLUMNS,
            rows => rows,
            summary_columns => SUMMARY_COLUMNS,
            summary => summary,
            follow_up_columns => FOLLOW_UP_COLUMNS,
            follow_ups => follow_ups,
        },
    )?;
    Ok(page.html)
}

// ---------------------------------------------------------------------------------------------
// CSV.

/// One table of the log book as CSV, UTF-8 with a byte order mark, a header line and then its
/// lines: Part I (the ten columns, one line per case), Part II's summary (by category, then the
/// total) or Part II's follow-ups. One table per file, so a spreadsheet or a loader reads every
/// line under its own header.
pub fn csv(book: &LogBook, part: LogBookPart) -> Result<Vec<u8>, crate::error::ApiError> {
    let mut t = Table::new();
    match part {
        LogBookPart::One => csv_part_one(&mut t, book)?,
        LogBookPart::Two => csv_part_two(&mut t, book)?,
        LogBookPart::FollowUps => csv_follow_ups(&mut t, book)?,
    }
    t.finish()
}

/// The file name's suffix of a part: `so-theo-doi-hoa-giai-2026-phan-1.csv`.
pub fn part_file_name(part: LogBookPart) -> &'static str {
    match part {
        LogBookPart::One => "phan-1",
        LogBookPart::Two => "phan-2",
        LogBookPart::FollowUps => "theo-doi",
    }
}

// Every cell goes through the one formula guard of our CSV files (`export::csv::Table`).

fn csv_part_one(t: &mut Table, book: &LogBook) -> Result<(), crate::error::ApiError> {
    t.row(COLUMNS)?;
    for row in &book.rows {
        t.row([
            row.number.to_string(),
            date(row.received_on),
            people_text(row, "; "),
            parties_text(row, "; "),
            row.content.clone(),
            row.agreement_or_demands.clone(),
            mark(row.successful).to_string(),
            mark(row.unsuccessful).to_string(),
            String::new(),
            row.notes.clone(),
        ])?;
    }
    Ok(())
}

fn csv_part_two(t: &mut Table, book: &LogBook) -> Result<(), crate::error::ApiError> {
    t.row(SUMMARY_COLUMNS)?;
    for line in book.summary.by_category.iter().chain([&book.summary.total]) {
        let mut record = vec![line.label.clone()];
        record.extend(summary_counts(line).iter().map(i64::to_string));
        t.row(record)?;
    }
    Ok(())
}

fn csv_follow_ups(t: &mut Table, book: &LogBook) -> Result<(), crate::error::ApiError> {
    t.row(FOLLOW_UP_COLUMNS)?;
    for f in &book.follow_ups {
        t.row(follow_up_cells(f))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// XLSX.

const FONT: &str = "Times New Roman";
/// A4 in Excel's paper sizes.
const PAPER_A4: u8 = 9;
/// The most characters Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;

/// Text for a cell, with Windows line breaks made plain, cut (with an ellipsis) at Excel's limit
/// rather than failing the whole book.
fn cell(s: &str) -> String {
    let s = s.replace("\r\n", "\n");
    if s.chars().count() <= MAX_CELL_CHARS {
        s
    } else {
        let mut cut: String = s.chars().take(MAX_CELL_CHARS - 1).collect();
        cut.push('…');
        cut
    }
}

struct Formats {
    title: Format,
    plain: Format,
    bold: Format,
    italic: Format,
    header: Format,
    numbers: Format,
    text: Format,
    center: Format,
    date: Format,
    total_text: Format,
    total_center: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name(FONT).set_font_size(12);
        let cell = base.clone().set_font_size(11).set_border(FormatBorder::Thin).set_text_wrap();
        Formats {
            title: base.clone().set_bold().set_font_size(14).set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            plain: base.clone().set_align(FormatAlign::Center),
            bold: base.clone().set_bold().set_align(FormatAlign::Center),
            italic: base.clone().set_italic().set_align(FormatAlign::Center),
            header: cell.clone().set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            numbers: cell.clone().set_italic().set_align(FormatAlign::Center).set_align(FormatAlign::VerticalCenter),
            text: cell.clone().set_align(FormatAlign::Top),
            center: cell.clone().set_align(FormatAlign::Center).set_align(FormatAlign::Top),
            date: cell.clone().set_align(FormatAlign::Center).set_align(FormatAlign::Top).set_num_format("dd/mm/yyyy"),
            total_text: cell.clone().set_bold().set_align(FormatAlign::Top),
            total_center: cell.set_bold().set_align(FormatAlign::Center).set_align(FormatAlign::Top),
        }
    }
}

fn page_setup(ws: &mut Worksheet) {
    ws.set_landscape().set_paper_size(PAPER_A4).set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3).set_print_fit_to_pages(1, 0);
}

/// The log book as an Excel workbook: sheets "Bìa" (the cover), "Phần I" and "Phần II".
pub fn xlsx(book: &LogBook) -> Result<Vec<u8>, String> {
    build_xlsx(book).map_err(|e| format!("log book workbook: {e}"))
}

fn build_xlsx(book: &LogBook) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    xlsx_cover(wb.add_worksheet(), book, &f)?;
    xlsx_part_one(wb.add_worksheet(), book, &f)?;
    xlsx_part_two(wb.add_worksheet(), book, &f)?;
    wb.save_to_buffer()
}

fn xlsx_cover(ws: &mut Worksheet, book: &LogBook, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Bìa")?;
    page_setup(ws);
    ws.set_print_center_horizontally(true);
    const LAST_COL: u16 = 9;
    for c in 0..=LAST_COL {
        ws.set_column_width(c, 13)?;
    }
    let motto = f.bold.clone().set_underline(FormatUnderline::Single);
    let big = f.title.clone().set_font_size(20).set_text_wrap();
    let units = f.plain.clone().set_font_size(13);
    let mut lines: Vec<(String, &Format)> = vec![(NATION.into(), &f.bold), (MOTTO.into(), &motto), (String::new(), &f.plain)];
    lines.extend(cover_units(&book.cover).into_iter().map(|l| (l, &units)));
    lines.push((String::new(), &f.plain));
    let title_row = lines.len() as u32;
    lines.push((BOOK_TITLE.into(), &big));
    lines.push((String::new(), &f.plain));
    lines.push((volume_line(&book.cover), &f.bold));
    lines.push((cover_date("Mở sổ ngày", book.cover.opened_on, book.year), &units));
    lines.push((cover_date("Khóa sổ ngày", book.cover.closed_on, book.year), &units));
    for (r, (text, format)) in lines.iter().enumerate() {
        ws.merge_range(r as u32, 0, r as u32, LAST_COL, &cell(text), format)?;
        ws.set_row_height(r as u32, 21)?;
    }
    ws.set_row_height(title_row, 60)?;
    Ok(())
}

/// The widths of Part I's columns, in Excel's character widths.
const P1_WIDTHS: [f64; 10] = [5.0, 12.0, 24.0, 30.0, 32.0, 32.0, 8.0, 8.0, 14.0, 22.0];
/// Row of Part I's first header line; the title is above it.
const P1_HEADER: u32 = 1;
/// Row of the (1)…(10) numbers; the cases follow it.
const P1_NUMBERS: u32 = P1_HEADER + 2;

fn xlsx_part_one(ws: &mut Worksheet, book: &LogBook, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Phần I")?;
    page_setup(ws);
    ws.set_footer("&CTrang &P/&N");
    for (c, width) in P1_WIDTHS.into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    ws.merge_range(0, 0, 0, 9, &format!("{PART_ONE}. {PART_ONE_TITLE} (NĂM {})", book.year), &f.title)?;
    ws.set_row_height(0, 24)?;
    for (c, title) in COLUMNS.iter().enumerate() {
        let c = c as u16;
        match c {
            6 => {
                ws.merge_range(P1_HEADER, 6, P1_HEADER, 7, RESULT_GROUP, &f.header)?;
                ws.write_string_with_format(P1_HEADER + 1, 6, RESULT_YES, &f.header)?;
            }
            7 => {
                ws.write_string_with_format(P1_HEADER + 1, 7, RESULT_NO, &f.header)?;
            }
            _ => {
                ws.merge_range(P1_HEADER, c, P1_HEADER + 1, c, title, &f.header)?;
            }
        }
        ws.write_string_with_format(P1_NUMBERS, c, format!("({})", c + 1), &f.numbers)?;
    }
    ws.set_row_height(P1_HEADER, 48)?;
    ws.set_row_height(P1_HEADER + 1, 36)?;
    ws.set_repeat_rows(P1_HEADER, P1_NUMBERS)?;
    ws.set_freeze_panes(P1_NUMBERS + 1, 0)?;
    if book.rows.is_empty() {
        ws.merge_range(P1_NUMBERS + 1, 0, P1_NUMBERS + 1, 9, NO_CASES, &f.center.clone().set_italic())?;
    }
    for (i, row) in book.rows.iter().enumerate() {
        let r = P1_NUMBERS + 1 + i as u32;
        ws.write_number_with_format(r, 0, row.number, &f.center)?;
        match excel_date(row.received_on) {
            Some(d) => ws.write_datetime_with_format(r, 1, d, &f.date)?,
            None => ws.write_string_with_format(r, 1, date(row.received_on), &f.center)?,
        };
        let texts = [
            (2, people_text(row, "\n")),
            (3, parties_text(row, "\n")),
            (4, row.content.clone()),
            (5, row.agreement_or_demands.clone()),
            (9, row.notes.clone()),
        ];
        for (c, text) in &texts {
            ws.write_string_with_format(r, *c, cell(text), &f.text)?;
        }
        ws.write_string_with_format(r, 6, mark(row.successful), &f.center)?;
        ws.write_string_with_format(r, 7, mark(row.unsuccessful), &f.center)?;
        ws.write_blank(r, 8, &f.text)?;
        // A set height (room to sign in column 9) turns off Excel's fitting of the row to its
        // text, so the height is estimated from the text, generously.
        let lines = texts.iter().map(|(c, text)| estimated_lines(text, P1_WIDTHS[usize::from(*c)])).max().unwrap_or(1);
        ws.set_row_height(r, (lines as f64 * 15.0 + 6.0).clamp(40.0, 409.0))?;
    }
    Ok(())
}

/// How many lines a wrapped text takes in a column of this width (in Excel's character widths):
/// a little more than a count of characters, as words do not break.
fn estimated_lines(text: &str, width: f64) -> usize {
    let per_line = (width * 0.9).max(1.0);
    text.split('\n').map(|l| ((l.chars().count() as f64 / per_line).ceil() as usize).max(1)).sum()
}

/// The date as an Excel date, when Excel has one for it (years 1900 to 9999).
fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(d.year()).ok()?;
    ExcelDateTime::from_ymd(year, u8::try_from(d.month()).ok()?, u8::try_from(d.day()).ok()?).ok()
}

/// Row of Part II's header; the categories follow it.
const P2_HEADER: u32 = 1;

fn xlsx_part_two(ws: &mut Worksheet, book: &LogBook, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Phần II")?;
    page_setup(ws);
    for (c, width) in [6.0, 40.0, 16.0, 16.0, 16.0, 16.0, 20.0].into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    ws.merge_range(0, 0, 0, 6, &format!("{PART_TWO}. {PART_TWO_TITLE} (NĂM {})", book.year), &f.title)?;
    ws.set_row_height(0, 24)?;
    ws.write_string_with_format(P2_HEADER, 0, "STT", &f.header)?;
    for (c, title) in SUMMARY_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(P2_HEADER, c as u16 + 1, *title, &f.header)?;
    }
    ws.set_row_height(P2_HEADER, 36)?;
    ws.set_repeat_rows(P2_HEADER, P2_HEADER)?;
    let mut r = P2_HEADER + 1;
    let lines = book.summary.by_category.iter().enumerate().map(|(i, l)| (Some(i + 1), l, false));
    for (number, line, total) in lines.chain([(None, &book.summary.total, true)]) {
        let (text, center) = if total { (&f.total_text, &f.total_center) } else { (&f.text, &f.center) };
        match number {
            Some(n) => ws.write_number_with_format(r, 0, n as f64, center)?,
            None => ws.write_blank(r, 0, center)?,
        };
        ws.write_string_with_format(r, 1, cell(&line.label), text)?;
        for (c, n) in summary_counts(line).into_iter().enumerate() {
            ws.write_number_with_format(r, c as u16 + 2, n as f64, center)?;
        }
        r += 1;
    }
    // The follow-ups below the summary, in the same columns: line, date, result, notes (merged
    // over the rest of the width).
    r += 1;
    ws.merge_range(r, 0, r, 6, FOLLOW_UPS_TITLE, &f.bold)?;
    r += 1;
    for (c, title) in FOLLOW_UP_COLUMNS.iter().enumerate() {
        if c == 3 {
            ws.merge_range(r, 3, r, 6, title, &f.header)?;
        } else {
            ws.write_string_with_format(r, c as u16, *title, &f.header)?;
        }
    }
    ws.set_row_height(r, 36)?;
    r += 1;
    if book.follow_ups.is_empty() {
        ws.merge_range(r, 0, r, 6, NO_FOLLOW_UPS, &f.center.clone().set_italic())?;
        r += 1;
    }
    for fu in &book.follow_ups {
        ws.write_number_with_format(r, 0, fu.number, &f.center)?;
        match excel_date(fu.checked_on) {
            Some(d) => ws.write_datetime_with_format(r, 1, d, &f.date)?,
            None => ws.write_string_with_format(r, 1, date(fu.checked_on), &f.center)?,
        };
        ws.write_string_with_format(r, 2, fu.status.labels().0, &f.text)?;
        ws.merge_range(r, 3, r, 6, &cell(&fu.notes), &f.text)?;
        r += 1;
    }
    let sign_row = r + 1;
    ws.merge_range(sign_row, 4, sign_row, 6, SIGN_DATE, &f.italic)?;
    ws.merge_range(sign_row + 1, 4, sign_row + 1, 6, LEADER, &f.bold)?;
    ws.merge_range(sign_row + 2, 4, sign_row + 2, 6, SIGN_HINT, &f.italic)?;
    ws.set_row_height(sign_row + 3, 60)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::super::dto::{LogBookSummary, LogBookSummaryLine};
    use super::*;
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    use std::io::Cursor;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn line(category: &str, label: &str, counts: [i64; 5]) -> LogBookSummaryLine {
        LogBookSummaryLine {
            category: category.into(),
            label: label.into(),
            received: counts[0],
            successful: counts[1],
            unsuccessful: counts[2],
            in_progress: counts[3],
            out_of_scope: counts[4],
        }
    }

    fn book(year: i32) -> LogBook {
        let pre_reform = year < 2025;
        LogBook {
            year,
            cover: LogBookCover {
                province: Some("Tỉnh Hải Dương".into()),
                district: pre_reform.then(|| "Huyện Gia Lộc".into()),
                commune: Some("Yết Kiêu".into()),
                village: "Thôn Hội Yên".into(),
                team: "Tổ hòa giải thôn Hội Yên".into(),
                volume: Some(1),
                opened_on: Some(d(year, 1, 5)),
                closed_on: None,
            },
            rows: vec![
                LogBookRow {
                    number: 1,
                    case_id: "c1".into(),
                    received_on: d(year, 1, 5),
                    mediators: vec!["Nguyễn Thị Hoa".into(), "Trần Văn Đức".into()],
                    participants: vec!["Nguyễn Văn Cường (trưởng thôn)".into()],
                    parties: vec![
                        LogBookParty {
                            name: "Phạm Văn Bình <script>alert(1)</script> & \"Tý\"".into(),
                            age: Some(52),
                            address: Some("thôn Hội Yên".into()),
                            related_person: false,
                        },
                        LogBookParty { name: "Lê Thị Lan".into(), age: None, address: None, related_person: true },
                    ],
                    content: "Tranh chấp ranh giới đất giữa hai hộ,\nlấn 0,5 m".into(),
                    agreement_or_demands: "Hai bên thống nhất cắm lại mốc".into(),
                    successful: true,
                    unsuccessful: false,
                    notes: "=HYPERLINK(\"x\") đã lập văn bản hòa giải thành".into(),
                },
                LogBookRow {
                    number: 2,
                    case_id: "c2".into(),
                    received_on: d(year, 3, 12),
                    mediators: vec!["Trần Văn Đức".into()],
                    participants: vec![],
                    parties: vec![LogBookParty {
                        name: "Đỗ Thị Mơ".into(),
                        age: Some(30),
                        address: Some("xóm Đông".into()),
                        related_person: false,
                    }],
                    content: "Mâu thuẫn trong sinh hoạt".into(),
                    agreement_or_demands: "Bà Mơ yêu cầu…".into(),
                    successful: false,
                    unsuccessful: true,
                    notes: String::new(),
                },
            ],
            summary: LogBookSummary {
                by_category: vec![
                    line("land", "Đất đai", [1, 1, 0, 0, 0]),
                    line("neighbourhood", "Mâu thuẫn trong sinh hoạt, láng giềng", [1, 0, 1, 0, 0]),
                ],
                total: line("total", "Tổng cộng", [2, 1, 1, 0, 0]),
            },
            follow_ups: vec![LogBookFollowUp {
                number: 1,
                case_id: "c1".into(),
                checked_on: d(year, 2, 10),
                status: crate::cases::dto::Implementation::PartiallyImplemented,
                notes: "Đã cắm 2/4 mốc <b>".into(),
            }],
        }
    }

    #[test]
    fn html_escapes_the_data() {
        let h = html(&book(2024)).unwrap();
        assert!(!h.contains("<script"), "raw script tag in the HTML");
        assert!(h.contains("Phạm Văn Bình &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Tý&quot;, tuổi 52, thôn Hội Yên"));
        assert!(h.contains("Lê Thị Lan (người có quyền lợi, nghĩa vụ liên quan)"));
        assert!(h.starts_with("<!DOCTYPE html>"));
    }

    #[test]
    fn html_cover_has_the_district_only_when_the_volume_has_one() {
        let old = html(&book(2024)).unwrap();
        assert!(old.contains("<p>Huyện Gia Lộc</p>"));
        for text in [
            NATION,
            MOTTO,
            BOOK_TITLE,
            "<p>Tỉnh Hải Dương</p>",
            "<p>Xã Yết Kiêu</p>",
            "<p>Thôn Hội Yên</p>",
            "<p>Tổ hòa giải thôn Hội Yên</p>",
        ] {
            assert!(old.contains(text), "{text}");
        }
        assert!(old.contains("Quyển số: 01"));
        assert!(old.contains("Mở sổ ngày 05/01/2024"));
        assert!(old.contains("Khóa sổ ngày ........../........../2024"));
        let new = html(&book(2025)).unwrap();
        assert!(!new.contains("Huyện"));
        assert!(new.contains("<p>Xã Yết Kiêu</p>"));
        assert!(new.contains("Mở sổ ngày 05/01/2025"));
    }

    #[test]
    fn html_has_the_ten_columns_and_the_summary() {
        let h = html(&book(2024)).unwrap();
        for (i, title) in COLUMNS.iter().enumerate() {
            if i != 6 && i != 7 {
                assert!(h.contains(&format!("<th rowspan=\"2\">{title}</th>")), "{title}");
            }
            assert!(h.contains(&format!("<th>({})</th>", i + 1)));
        }
        assert!(h.contains("<th colspan=\"2\">Kết quả hòa giải</th>"));
        assert!(h.contains("<tr><th>Thành</th><th>Không thành</th></tr>"));
        assert_eq!(h.matches("<tr><td class=\"n\">").count(), 2 + 2 + 1, "two cases, two categories, one follow-up");
        assert!(h.contains("<td class=\"n\">05/01/2024</td>"));
        assert!(h.contains("<td class=\"n\">x</td><td class=\"n\"></td><td class=\"sign\"></td>"));
        assert!(h.contains("<tr class=\"total\"><td class=\"n\"></td><td>Tổng cộng</td><td class=\"n\">2</td>"));
        assert!(h.contains("TỔ TRƯỞNG TỔ HÒA GIẢI") && h.contains("(Ký, ghi rõ họ tên)"));
        assert!(h.contains("Người được mời tham gia hòa giải:"));
        // The form's titles of the parts, and the leader's follow-ups in Part II.
        assert!(h.contains("<h2>PHẦN I</h2>\n<p class=\"subtitle\">GHI CHÉP CỦA HÒA GIẢI VIÊN</p>"));
        assert!(h.contains("<h2>PHẦN II</h2>\n<p class=\"subtitle\">THEO DÕI, TỔNG HỢP CỦA TỔ TRƯỞNG TỔ HÒA GIẢI</p>"));
        assert!(h.contains(
            "<tr><td class=\"n\">1</td><td class=\"n\">10/02/2024</td><td>Thực hiện một phần</td><td class=\"t\">Đã cắm 2/4 mốc &lt;b&gt;</td></tr>"
        ));
        let mut none = book(2024);
        none.follow_ups.clear();
        assert!(html(&none).unwrap().contains(NO_FOLLOW_UPS));
    }

    #[test]
    fn html_style_hash_matches_the_only_style_element() {
        let h = html(&book(2024)).unwrap();
        assert_eq!(h.matches("<style").count(), 1);
        assert!(!h.contains(" style="));
        let expected = crate::print::style_hash(crate::print::only_style(&h));
        assert_eq!(html_style_hash(), expected);
        assert!(html_csp().contains(&format!("style-src {expected};")));
        assert!(html_csp().starts_with("default-src 'none';"));
        for rule in ["size: A4 landscape", "thead { display: table-header-group; }", "break-inside: avoid", "Times New Roman"] {
            assert!(STYLE.contains(rule), "{rule}");
        }
        assert!(STYLE.is_ascii());
    }

    #[test]
    fn html_without_cases_says_so() {
        let mut b = book(2025);
        b.rows.clear();
        b.cover.volume = None;
        b.cover.opened_on = None;
        let h = html(&b).unwrap();
        assert!(h.contains(NO_CASES));
        assert!(h.contains("Quyển số: ...."));
        assert!(h.contains("Mở sổ ngày ........../........../2025"));
    }

    #[test]
    fn unit_lines_keep_a_recorded_kind() {
        assert_eq!(unit_line(Some("Thành phố Hà Nội"), "Tỉnh", &["tinh", "thanh pho"]), "Thành phố Hà Nội");
        assert_eq!(unit_line(Some("Hải Dương"), "Tỉnh", &["tinh", "thanh pho"]), "Tỉnh Hải Dương");
        assert_eq!(unit_line(Some("Phường Hàng Bạc"), "Xã", &["xa", "phuong"]), "Phường Hàng Bạc");
        assert_eq!(unit_line(Some("Xuân Phương"), "Xã", &["xa", "phuong"]), "Xã Xuân Phương");
        assert_eq!(unit_line(None, "Xã", &["xa"]), format!("Xã {DOTS}"));
    }

    #[test]
    fn row_heights_follow_the_text() {
        assert_eq!(estimated_lines("", 10.0), 1);
        assert_eq!(estimated_lines("a\nb", 10.0), 2);
        assert_eq!(estimated_lines(&"x".repeat(30), 10.0), 4);
    }

    /// A file of one table: every line has the header's columns (the reader is not flexible).
    fn parse_csv(bytes: &[u8]) -> Vec<csv::StringRecord> {
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "CSV starts with a BOM");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..])
            .records()
            .collect::<Result<Vec<_>, _>>()
            .expect("one table: every line as long as the header")
    }

    #[test]
    fn csv_part_one_has_a_header_and_one_line_per_case() {
        let b = book(2024);
        let bytes = csv(&b, LogBookPart::One).unwrap();
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let records = parse_csv(&bytes);
        assert_eq!(records[0].iter().collect::<Vec<_>>(), COLUMNS.to_vec());
        assert_eq!(&records[0][6], "Hòa giải thành");
        assert_eq!(&records[0][7], "Hòa giải không thành");
        // The header and the two cases: nothing of Part II.
        assert_eq!(records.len(), 1 + 2);
        let first = &records[1];
        assert_eq!(&first[0], "1");
        assert_eq!(&first[1], "05/01/2024");
        assert_eq!(&first[2], "Nguyễn Thị Hoa; Trần Văn Đức; Người được mời tham gia hòa giải: Nguyễn Văn Cường (trưởng thôn)");
        assert_eq!(
            &first[3],
            "Phạm Văn Bình <script>alert(1)</script> & \"Tý\", tuổi 52, thôn Hội Yên; Lê Thị Lan (người có quyền lợi, nghĩa vụ liên quan)"
        );
        assert_eq!(&first[4], "Tranh chấp ranh giới đất giữa hai hộ,\nlấn 0,5 m");
        assert_eq!((&first[6], &first[7], &first[8]), ("x", "", ""));
        assert!(first[9].starts_with("'=HYPERLINK"), "a formula is neutralised");
        assert_eq!((&records[2][6], &records[2][7]), ("", "x"));
        assert!(text.starts_with("STT,") && text.ends_with("\r\n") && !text.contains("\r\n\r\n"));
        assert!(!text.contains("Tổng cộng"));
    }

    #[test]
    fn csv_part_two_and_follow_ups_are_files_of_their_own() {
        let b = book(2024);
        let two = parse_csv(&csv(&b, LogBookPart::Two).unwrap());
        assert_eq!(two[0].iter().collect::<Vec<_>>(), SUMMARY_COLUMNS.to_vec());
        // Two categories and the total.
        assert_eq!(two.len(), 1 + 2 + 1);
        assert_eq!(two[3].iter().collect::<Vec<_>>(), ["Tổng cộng", "2", "1", "1", "0", "0"]);
        let follow_ups = parse_csv(&csv(&b, LogBookPart::FollowUps).unwrap());
        assert_eq!(follow_ups[0].iter().collect::<Vec<_>>(), FOLLOW_UP_COLUMNS.to_vec());
        assert_eq!(follow_ups.len(), 1 + 1);
        assert_eq!(follow_ups[1].iter().collect::<Vec<_>>(), ["1", "10/02/2024", "Thực hiện một phần", "Đã cắm 2/4 mốc <b>"]);
    }

    #[test]
    fn every_csv_part_guards_formulas() {
        let mut b = book(2024);
        b.summary.by_category[0].label = "=cmd|' /C calc'!A0".into();
        b.follow_ups[0].notes = "@SUM(A1)".into();
        let two = parse_csv(&csv(&b, LogBookPart::Two).unwrap());
        assert_eq!(&two[1][0], "'=cmd|' /C calc'!A0");
        let follow_ups = parse_csv(&csv(&b, LogBookPart::FollowUps).unwrap());
        assert_eq!(&follow_ups[1][3], "'@SUM(A1)");
    }

    fn s(range: &calamine::Range<Data>, r: u32, c: u32) -> String {
        match range.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    #[test]
    fn xlsx_reads_back() {
        let bytes = xlsx(&book(2024)).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["Bìa", "Phần I", "Phần II"]);

        let cover = wb.worksheet_range("Bìa").unwrap();
        let cover_text: Vec<String> = (0..20).map(|r| s(&cover, r, 0)).collect();
        for text in [NATION, MOTTO, BOOK_TITLE, "Tỉnh Hải Dương", "Huyện Gia Lộc", "Xã Yết Kiêu", "Quyển số: 01", "Mở sổ ngày 05/01/2024"]
        {
            assert!(cover_text.iter().any(|t| t == text), "{text}");
        }

        let p1 = wb.worksheet_range("Phần I").unwrap();
        for (c, title) in COLUMNS.iter().enumerate() {
            let c = c as u32;
            match c {
                6 => {
                    assert_eq!(s(&p1, P1_HEADER, 6), RESULT_GROUP);
                    assert_eq!(s(&p1, P1_HEADER + 1, 6), RESULT_YES);
                }
                7 => assert_eq!(s(&p1, P1_HEADER + 1, 7), RESULT_NO),
                _ => assert_eq!(s(&p1, P1_HEADER, c), *title),
            }
            assert_eq!(s(&p1, P1_NUMBERS, c), format!("({})", c + 1));
        }
        let first = P1_NUMBERS + 1;
        assert_eq!(p1.get_value((first, 0)), Some(&Data::Float(1.0)));
        match p1.get_value((first, 1)) {
            // 5 January 2024 is day 45296 of Excel's calendar.
            Some(Data::DateTime(dt)) => assert_eq!(dt.as_f64(), 45296.0),
            other => panic!("date cell: {other:?}"),
        }
        assert_eq!(s(&p1, first, 2), "Nguyễn Thị Hoa\nTrần Văn Đức\nNgười được mời tham gia hòa giải: Nguyễn Văn Cường (trưởng thôn)");
        assert!(s(&p1, first, 3).starts_with("Phạm Văn Bình <script>alert(1)</script> & \"Tý\", tuổi 52"));
        assert_eq!(s(&p1, first, 6), "x");
        assert_eq!(s(&p1, first, 7), "");
        assert_eq!(s(&p1, first + 1, 7), "x");
        assert_eq!(s(&p1, first, 9), "=HYPERLINK(\"x\") đã lập văn bản hòa giải thành", "text, not a formula");

        let p2 = wb.worksheet_range("Phần II").unwrap();
        assert_eq!(s(&p2, P2_HEADER, 1), "Phạm vi hòa giải");
        assert_eq!(s(&p2, P2_HEADER + 1, 1), "Đất đai");
        assert_eq!(s(&p2, P2_HEADER + 3, 1), "Tổng cộng");
        assert_eq!(p2.get_value((P2_HEADER + 3, 2)), Some(&Data::Float(2.0)));
        assert!((0..20).any(|r| s(&p2, r, 4) == LEADER));
        let follow_up = (0..20).find(|r| s(&p2, *r, 2) == "Thực hiện một phần").expect("the follow-up in Phần II");
        assert_eq!(p2.get_value((follow_up, 0)), Some(&Data::Float(1.0)));
        assert_eq!(s(&p2, follow_up, 3), "Đã cắm 2/4 mốc <b>");
        assert!((0..20).any(|r| s(&p2, r, 0) == FOLLOW_UPS_TITLE));
    }

    #[test]
    fn xlsx_without_district_or_cases() {
        let mut b = book(2025);
        b.rows.clear();
        let bytes = xlsx(&b).unwrap();
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let cover = wb.worksheet_range("Bìa").unwrap();
        assert!(!(0..20).any(|r| s(&cover, r, 0).starts_with("Huyện")));
        let p1 = wb.worksheet_range("Phần I").unwrap();
        assert_eq!(s(&p1, P1_NUMBERS + 1, 0), NO_CASES);
    }
}
