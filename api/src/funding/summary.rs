//! The funding summary of a unit and year: budget estimates against disbursements per item, and
//! what each team (with its mediators) received.

use std::collections::BTreeMap;

use diesel::prelude::*;

use super::dto::*;
use crate::auth::Actor;
use crate::codes::CodeEnum;
use crate::db::area::Area;
use crate::db::schema::{budgets, case_fee_payments, confirmation_lists, disbursements, teams};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::stats::figures::rate;

pub fn summary(conn: &mut DbConn, actor: &Actor, unit_id: Option<uuid::Uuid>, year: i32) -> Result<FundingSummary, ApiError> {
    let unit = crate::units::store::asked_or_own(conn, actor, unit_id)?;
    // Today's boundaries: a merged commune's summary holds its predecessors' money too.
    let area = crate::units::store::todays_area_of(conn, &unit)?;
    summary_of(conn, &unit.id, &unit.name, &area, year)
}

pub fn summary_of(conn: &mut DbConn, unit_id: &str, unit_name: &str, area: &Area, year: i32) -> Result<FundingSummary, ApiError> {
    let budgeted: Vec<(String, i64)> = budgets::table
        .filter(area.contains(budgets::unit_path))
        .filter(budgets::year.eq(year))
        .select((budgets::item, budgets::amount))
        .load(conn)?;
    let paid: Vec<(String, Option<String>, i64, Option<String>)> = disbursements::table
        .filter(area.contains(disbursements::unit_path))
        .filter(disbursements::paid_year.eq(year))
        .select((disbursements::item, disbursements::team_id, disbursements::amount, disbursements::confirmation_list_id))
        .load(conn)?;
    let items: Vec<ItemLine> = FundingItem::all()
        .iter()
        .map(|item| {
            let b: i64 = budgeted.iter().filter(|r| r.0 == item.as_str()).map(|r| r.1).sum();
            let d: i64 = paid.iter().filter(|r| r.0 == item.as_str()).map(|r| r.2).sum();
            ItemLine { item: Some(*item), label: item.labels().0.into(), budgeted: b, disbursed: d, spent_rate: rate(d, b) }
        })
        .collect();
    let (tb, td) = (items.iter().map(|i| i.budgeted).sum(), items.iter().map(|i| i.disbursed).sum());
    let total = ItemLine { item: None, label: "Tổng cộng".into(), budgeted: tb, disbursed: td, spent_rate: rate(td, tb) };

    let names: BTreeMap<String, String> = teams::table
        .filter(area.contains(teams::unit_path))
        .select((teams::id, teams::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut per_team: BTreeMap<String, BTreeMap<&'static str, i64>> = BTreeMap::new();
    for (item, team, amount, _) in &paid {
        if let (Some(team), Some(item)) = (team, FundingItem::parse(item)) {
            *per_team.entry(team.clone()).or_default().entry(item.as_str()).or_default() += amount;
        }
    }
    let mut team_lines: Vec<TeamLine> = per_team
        .into_iter()
        .map(|(team_id, by)| {
            let by_item: Vec<ItemAmount> =
                FundingItem::all().iter().filter_map(|i| by.get(i.as_str()).map(|a| ItemAmount { item: *i, amount: *a })).collect();
            TeamLine {
                team_name: names.get(&team_id).cloned().unwrap_or_default(),
                total: by_item.iter().map(|i| i.amount).sum(),
                team_id,
                by_item,
            }
        })
        .collect();
    team_lines.sort_by(|a, b| a.team_name.cmp(&b.team_name));

    let (from, to) = crate::trainings::store::year_bounds(year)?;
    let cases_paid: i64 = case_fee_payments::table
        .inner_join(crate::db::schema::cases::table)
        .filter(area.contains(crate::db::schema::cases::unit_path))
        .filter(case_fee_payments::paid_on.ge(from))
        .filter(case_fee_payments::paid_on.le(to))
        .count()
        .get_result(conn)?;
    let returned: Vec<String> = confirmation_lists::table
        .filter(area.contains(confirmation_lists::unit_path))
        .filter(confirmation_lists::signed_returned.eq(true))
        .select(confirmation_lists::id)
        .load(conn)?;
    let unconfirmed = paid.iter().filter(|p| p.3.as_ref().is_none_or(|l| !returned.contains(l))).count() as i64;
    Ok(FundingSummary {
        unit_id: unit_id.into(),
        unit_name: unit_name.into(),
        year,
        items,
        total,
        teams: team_lines,
        cases_paid,
        unconfirmed_disbursements: unconfirmed,
    })
}

/// One table of the summary as CSV: by item (budgeted, paid, rate) or by team (paid, by item).
pub fn csv(s: &FundingSummary, table: SummaryTable) -> Result<Vec<u8>, ApiError> {
    use crate::export::csv::{Cell, Table};
    let mut out = Table::new();
    let number = |n: i64| Cell::Number(n.to_string());
    match table {
        SummaryTable::Items => {
            out.row(["Nội dung", "Mã", "Dự toán (đồng)", "Đã chi (đồng)", "Tỷ lệ đã chi"])?;
            for l in s.items.iter().chain(std::iter::once(&s.total)) {
                out.mixed(vec![
                    Cell::Text(l.label.clone()),
                    Cell::Text(l.item.map(|i| i.as_str().to_string()).unwrap_or_else(|| "total".into())),
                    number(l.budgeted),
                    number(l.disbursed),
                    Cell::Number(l.spent_rate.map(|r| r.to_string()).unwrap_or_default()),
                ])?;
            }
        }
        SummaryTable::Teams => {
            let mut header = vec!["Tổ hòa giải".to_string()];
            header.extend(FundingItem::all().iter().map(|i| i.labels().0.to_string()));
            header.push("Tổng cộng".into());
            out.row(&header)?;
            for t in &s.teams {
                let mut row = vec![Cell::Text(t.team_name.clone())];
                row.extend(
                    FundingItem::all().iter().map(|i| number(t.by_item.iter().find(|a| a.item == *i).map(|a| a.amount).unwrap_or(0))),
                );
                row.push(number(t.total));
                out.mixed(row)?;
            }
        }
    }
    out.finish()
}

pub fn xlsx(s: &FundingSummary) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, FormatBorder, Workbook};
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "funding summary spreadsheet");
        ApiError::internal()
    };
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let bold = Format::new().set_bold().set_border(FormatBorder::Thin).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let money = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let pct = Format::new().set_border(FormatBorder::Thin).set_num_format("0.0%");
    sheet
        .write_string_with_format(0, 0, format!("TỔNG HỢP KINH PHÍ HÒA GIẢI Ở CƠ SỞ NĂM {}", s.year), &Format::new().set_bold())
        .map_err(fail)?;
    sheet.write_string(1, 0, &s.unit_name).map_err(fail)?;
    for (c, h) in ["Nội dung", "Dự toán (đồng)", "Đã chi (đồng)", "Tỷ lệ đã chi"].iter().enumerate() {
        sheet.write_string_with_format(3, c as u16, *h, &bold).map_err(fail)?;
    }
    let mut row = 4u32;
    for l in s.items.iter().chain(std::iter::once(&s.total)) {
        sheet.write_string_with_format(row, 0, &l.label, &cell).map_err(fail)?;
        sheet.write_number_with_format(row, 1, l.budgeted as f64, &money).map_err(fail)?;
        sheet.write_number_with_format(row, 2, l.disbursed as f64, &money).map_err(fail)?;
        match l.spent_rate {
            Some(r) => sheet.write_number_with_format(row, 3, r, &pct).map_err(fail)?,
            None => sheet.write_string_with_format(row, 3, "", &cell).map_err(fail)?,
        };
        row += 1;
    }
    row += 1;
    sheet.write_string_with_format(row, 0, "Tổ hòa giải", &bold).map_err(fail)?;
    for (c, i) in FundingItem::all().iter().enumerate() {
        sheet.write_string_with_format(row, 1 + c as u16, i.labels().0, &bold).map_err(fail)?;
    }
    sheet.write_string_with_format(row, 1 + FundingItem::all().len() as u16, "Tổng cộng", &bold).map_err(fail)?;
    for t in &s.teams {
        row += 1;
        sheet.write_string_with_format(row, 0, &t.team_name, &cell).map_err(fail)?;
        for (c, i) in FundingItem::all().iter().enumerate() {
            let a = t.by_item.iter().find(|a| a.item == *i).map(|a| a.amount).unwrap_or(0);
            sheet.write_number_with_format(row, 1 + c as u16, a as f64, &money).map_err(fail)?;
        }
        sheet.write_number_with_format(row, 1 + FundingItem::all().len() as u16, t.total as f64, &money).map_err(fail)?;
    }
    sheet.set_column_width(0, 40).map_err(fail)?;
    for c in 1..=7u16 {
        sheet.set_column_width(c, 18).map_err(fail)?;
    }
    sheet.set_name("Tổng hợp kinh phí").map_err(fail)?;
    let setup = crate::export::xlsx::PageSetup { landscape: true, fit: (1, 0), repeat_rows: None };
    crate::export::xlsx::set_up(sheet, &setup).map_err(fail)?;
    book.save_to_buffer().map_err(fail)
}
