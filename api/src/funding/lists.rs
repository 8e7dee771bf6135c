//! Confirmation lists (danh sách xác nhận nhận hỗ trợ): the recipients of a set of disbursements
//! with a column to sign, printed for signature and marked when the signed paper comes back.

use diesel::prelude::*;

use super::dto::*;
use super::model::ConfirmationList;
use crate::audit::store::{self as audit, Change, Who};
use crate::auth::Actor;
use crate::db::schema::{cases, confirmation_lists, disbursement_cases, disbursements, mediators, teams, units};
use crate::db::{new_id, now, today, DbConn};
use crate::error::ApiError;
use crate::versioned::{self, Edit};

pub fn insert(conn: &mut DbConn, actor: &Actor, list: &ConfirmationList) -> Result<(), ApiError> {
    diesel::insert_into(confirmation_lists::table).values(list).execute(conn)?;
    audit::record(
        conn,
        &Who::from(actor),
        Change {
            action: "create",
            entity: "confirmation_list",
            entity_id: &list.id,
            unit_path: Some(&list.unit_path),
            old: None,
            new: Some(serde_json::json!({"title": list.title, "made_on": list.made_on})),
        },
    )
}

pub fn find(conn: &mut DbConn, actor: &Actor, id: &str) -> Result<ConfirmationList, ApiError> {
    let mut q =
        confirmation_lists::table.filter(confirmation_lists::id.eq(id.to_string())).select(ConfirmationList::as_select()).into_boxed();
    if let Some(inside) = actor.scope.contains(confirmation_lists::unit_path) {
        q = q.filter(inside);
    }
    q.first(conn).optional()?.ok_or_else(ApiError::not_found)
}

pub fn list(conn: &mut DbConn, actor: &Actor, q: &FundingQuery) -> Result<Vec<ConfirmationList>, ApiError> {
    let mut query = confirmation_lists::table.select(ConfirmationList::as_select()).into_boxed();
    if let Some(area) = crate::units::store::area_or_scope(conn, &actor.scope, q.unit_id)? {
        query = query.filter(area.contains(confirmation_lists::unit_path));
    }
    if let Some(y) = q.year {
        let (from, to) = crate::trainings::store::year_bounds(y)?;
        query = query.filter(confirmation_lists::made_on.ge(from)).filter(confirmation_lists::made_on.le(to));
    }
    Ok(query.order(confirmation_lists::id.desc()).load(conn)?)
}

pub fn dto(conn: &mut DbConn, l: ConfirmationList) -> Result<ConfirmationListDto, ApiError> {
    let unit_name: String = units::table.find(&l.unit_id).select(units::name).first(conn)?;
    let rows: Vec<super::model::Disbursement> = disbursements::table
        .filter(disbursements::confirmation_list_id.eq(&l.id))
        .select(super::model::Disbursement::as_select())
        .order(disbursements::id.asc())
        .load(conn)?;
    let mut lines = Vec::new();
    for (i, d) in rows.into_iter().enumerate() {
        let (id, item, payee_team, payee_mediator, team_id, amount, voucher_no) =
            (d.id, d.item, d.payee_team_id, d.payee_mediator_id, d.team_id, d.amount, d.voucher_no);
        let team_name: Option<String> = match &team_id {
            Some(t) => teams::table.find(t).select(teams::name).first(conn).optional()?,
            None => None,
        };
        let payee_name: String = match (&payee_team, &payee_mediator) {
            (_, Some(m)) => mediators::table.find(m).select(mediators::full_name).first(conn)?,
            (Some(_), None) => team_name.clone().unwrap_or_default(),
            (None, None) => String::new(),
        };
        let case_lines: Vec<String> = disbursement_cases::table
            .inner_join(cases::table)
            .filter(disbursement_cases::disbursement_id.eq(&id))
            .select((cases::logbook_line, cases::received_year))
            .order((cases::received_year.asc(), cases::logbook_line.asc()))
            .load::<(i32, i32)>(conn)?
            .into_iter()
            .map(|(line, year)| format!("{line}/{year}"))
            .collect();
        lines.push(ConfirmationLine {
            no: i as i64 + 1,
            disbursement_id: id,
            payee_name,
            team_name,
            item: FundingItem::parse(&item).unwrap_or(FundingItem::CaseFee),
            amount,
            voucher_no,
            cases: case_lines,
        });
    }
    Ok(ConfirmationListDto {
        total: lines.iter().map(|l| l.amount).sum(),
        id: l.id,
        unit_id: l.unit_id,
        unit_name,
        title: l.title,
        made_on: l.made_on,
        signed_returned: l.signed_returned,
        returned_on: l.returned_on,
        notes: l.notes,
        lines,
        version: l.version,
        created_at: l.created_at.and_utc(),
        updated_at: l.updated_at.and_utc(),
    })
}

/// A list of disbursements made by hand: all visible, from one paying unit, on no other list.
pub fn create(conn: &mut DbConn, actor: &Actor, input: CreateConfirmationList) -> Result<(ConfirmationList, bool), ApiError> {
    let id = input.id.map(|u| u.to_string()).unwrap_or_else(new_id);
    if let Some(existing) = confirmation_lists::table.find(&id).select(ConfirmationList::as_select()).first(conn).optional()? {
        let same = existing.title == input.title.trim();
        return if same && actor.scope.covers(Some(&existing.unit_path)) {
            Ok((existing, false))
        } else {
            Err(ApiError::conflict("already_exists"))
        };
    }
    let mut unit: Option<(String, String)> = None;
    let mut ids = Vec::new();
    for (i, d) in input.disbursement_ids.iter().enumerate() {
        let field = format!("disbursement_ids[{i}]");
        let d = super::store::find_disbursement(conn, actor, &d.to_string())
            .map_err(|_| ApiError::invalid_field(field.clone(), "not_found"))?;
        if d.confirmation_list_id.is_some() {
            return Err(ApiError::invalid_field(field, "already_listed"));
        }
        match &unit {
            None => unit = Some((d.unit_id.clone(), d.unit_path.clone())),
            Some((u, _)) if *u != d.unit_id => return Err(ApiError::invalid_field(field, "other_unit")),
            Some(_) => {}
        }
        if !ids.contains(&d.id) {
            ids.push(d.id);
        }
    }
    let (unit_id, unit_path) = unit.ok_or_else(|| ApiError::invalid_field("disbursement_ids", "required"))?;
    let made_on = input.made_on.unwrap_or_else(today);
    super::store::check_past_date("made_on", made_on)?;
    let stamp = now();
    let list = ConfirmationList {
        id,
        unit_id,
        unit_path,
        title: input.title.trim().into(),
        made_on,
        signed_returned: false,
        returned_on: None,
        notes: input.notes,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    };
    insert(conn, actor, &list)?;
    // Only disbursements still on no list: a concurrent list taking one of them makes this fail.
    let linked =
        diesel::update(disbursements::table.filter(disbursements::id.eq_any(&ids)).filter(disbursements::confirmation_list_id.is_null()))
            .set(disbursements::confirmation_list_id.eq(&list.id))
            .execute(conn)?;
    if linked != ids.len() {
        return Err(ApiError::conflict("already_listed"));
    }
    Ok((list, true))
}

pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    id: &str,
    version: i32,
    patch: UpdateConfirmationList,
) -> Result<ConfirmationList, ApiError> {
    let current = find(conn, actor, id)?;
    let old = serde_json::to_value(dto(conn, current.clone())?).unwrap_or_default();
    let version = versioned::check(version, current.version, || Ok(old.clone()))?;
    let mut next = current.clone();
    if let Some(t) = patch.title {
        next.title = t.trim().into();
    }
    if let Some(s) = patch.signed_returned {
        next.signed_returned = s;
        if s && next.returned_on.is_none() {
            next.returned_on = Some(today());
        }
        if !s {
            next.returned_on = None;
        }
    }
    if let Some(r) = patch.returned_on {
        next.returned_on = r;
    }
    if let Some(n) = patch.notes {
        next.notes = n;
    }
    if next.returned_on.is_some_and(|r| r < next.made_on || r > today()) || (next.returned_on.is_some() && !next.signed_returned) {
        return Err(ApiError::invalid_field("returned_on", "invalid_value"));
    }
    next.version += 1;
    next.updated_at = now();
    Edit { who: &Who::from(actor), action: "update", entity: "confirmation_list", id, unit_path: Some(&next.unit_path) }.save(
        conn,
        |c| {
            Ok(diesel::update(
                confirmation_lists::table.filter(confirmation_lists::id.eq(id)).filter(confirmation_lists::version.eq(version)),
            )
            .set(&next)
            .execute(c)?)
        },
        |c| {
            let fresh = find(c, actor, id)?;
            let value = serde_json::to_value(dto(c, fresh.clone())?).unwrap_or_default();
            Ok((value, fresh.version))
        },
        |c| {
            let new = serde_json::to_value(dto(c, next.clone())?).unwrap_or_default();
            Ok((old, new))
        },
    )?;
    Ok(next)
}

// --- Printing -------------------------------------------------------------------------------

/// The list as a printable A4 page in Vietnamese (`confirmation_list.html`), with a column for
/// each recipient's signature, signed by the maker, the accountant and the chairman for the
/// People's Committee.
pub fn html(l: &ConfirmationListDto) -> Result<crate::export::html::Page, ApiError> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        no: i64,
        payee_name: &'a str,
        team_name: Option<&'a str>,
        item: &'static str,
        cases: &'a [String],
        amount: i64,
    }
    let lines: Vec<Line> = l
        .lines
        .iter()
        .map(|x| Line {
            no: x.no,
            payee_name: &x.payee_name,
            team_name: x.team_name.as_deref(),
            item: crate::codes::CodeEnum::labels(x.item).0,
            cases: &x.cases,
            amount: x.amount,
        })
        .collect();
    crate::export::html::render(
        "confirmation_list.html",
        minijinja::context! {
            title => &l.title,
            unit_upper => l.unit_name.to_uppercase(),
            place_date => crate::units::names::place_date(&l.unit_name, l.made_on),
            lines => lines,
            total => l.total,
        },
    )
}

/// The list as a spreadsheet with the same columns.
pub fn xlsx(l: &ConfirmationListDto) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "confirmation list spreadsheet");
        ApiError::internal()
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let money = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    sheet.write_string_with_format(0, 0, "DANH SÁCH XÁC NHẬN NHẬN TIỀN", &Format::new().set_bold()).map_err(fail)?;
    sheet.write_string(1, 0, format!("{} — {}", l.unit_name, l.title)).map_err(fail)?;
    let headers = ["STT", "Họ và tên", "Tổ hòa giải", "Nội dung", "Vụ, việc (STT/năm)", "Số tiền (đồng)", "Ký nhận"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold).map_err(fail)?;
    }
    let mut row = 4u32;
    for line in &l.lines {
        sheet.write_number_with_format(row, 0, line.no as f64, &cell).map_err(fail)?;
        sheet.write_string_with_format(row, 1, &line.payee_name, &cell).map_err(fail)?;
        sheet.write_string_with_format(row, 2, line.team_name.as_deref().unwrap_or(""), &cell).map_err(fail)?;
        sheet.write_string_with_format(row, 3, crate::codes::CodeEnum::labels(line.item).0, &cell).map_err(fail)?;
        sheet.write_string_with_format(row, 4, line.cases.join(", "), &cell).map_err(fail)?;
        sheet.write_number_with_format(row, 5, line.amount as f64, &money).map_err(fail)?;
        sheet.write_string_with_format(row, 6, "", &cell).map_err(fail)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 1, "Tổng cộng", &bold).map_err(fail)?;
    sheet.write_number_with_format(row, 5, l.total as f64, &money.clone().set_bold()).map_err(fail)?;
    for (c, w) in [(1u16, 28.0), (2, 24.0), (3, 30.0), (4, 18.0), (5, 16.0), (6, 18.0)] {
        sheet.set_column_width(c, w).map_err(fail)?;
    }
    // The signatures, as on the printed page.
    row += 2;
    let sign = Format::new().set_bold().set_align(rust_xlsxwriter::FormatAlign::Center);
    let hint = Format::new().set_italic().set_align(rust_xlsxwriter::FormatAlign::Center);
    let signatures = [
        (1u16, "NGƯỜI LẬP", "(Ký, ghi rõ họ tên)", &hint),
        (3, "KẾ TOÁN", "(Ký, ghi rõ họ tên)", &hint),
        (5, "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", &sign),
    ];
    for (col, title, under, under_format) in signatures {
        sheet.write_string_with_format(row, col, title, &sign).map_err(fail)?;
        sheet.write_string_with_format(row + 1, col, under, under_format).map_err(fail)?;
    }
    sheet.set_name("Danh sách").map_err(fail)?;
    // Signed on paper: A4 portrait, as wide as the page, the column titles on every page.
    let setup = crate::export::xlsx::PageSetup { landscape: false, fit: (1, 0), repeat_rows: Some((3, 3)) };
    crate::export::xlsx::set_up(sheet, &setup).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
