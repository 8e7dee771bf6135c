//! The columns that copy others, kept so that an index can serve a look-up: a case's received and
//! ended year and month (the log book's numbering and the statistics' keys), its folded summary
//! (search), a party's folded name (search, the data-subject request) and its case's team (the
//! possible-duplicate check). Every write sets them beside their source. `check` finds where they
//! disagree — after a bug, a hand edit, a restore, or a change of `text::fold`, which no SQL
//! migration can apply — and `rebuild` makes them agree again (`hoagiai stats check [--fix]`).
//!
//! What they report names ids and columns, never a value: the summary and the names are personal
//! data, and the report is printed.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::model::year_and_month;
use crate::db::schema::{case_parties, cases};
use crate::db::{pages, DbConn};
use crate::error::ApiError;
use crate::text;

/// A case's copies and their sources.
#[derive(Queryable, Selectable)]
#[diesel(table_name = cases)]
struct CaseCopies {
    id: String,
    received_on: NaiveDate,
    received_year: i32,
    received_month: i32,
    ended_on: Option<NaiveDate>,
    ended_year: Option<i32>,
    ended_month: Option<i32>,
    summary: String,
    summary_key: String,
}

/// What a case's copies should hold, from their sources.
struct CaseKeys {
    received_year: i32,
    received_month: i32,
    ended_year: Option<i32>,
    ended_month: Option<i32>,
    summary_key: String,
}

impl CaseCopies {
    fn expected(&self) -> CaseKeys {
        let (received_year, received_month) = year_and_month(self.received_on);
        let ended = self.ended_on.map(year_and_month);
        CaseKeys {
            received_year,
            received_month,
            ended_year: ended.map(|(y, _)| y),
            ended_month: ended.map(|(_, m)| m),
            summary_key: text::fold(&self.summary),
        }
    }

    /// The columns whose value differs from what their sources say.
    fn disagreeing(&self, k: &CaseKeys) -> Vec<&'static str> {
        [
            ("received_year", self.received_year == k.received_year),
            ("received_month", self.received_month == k.received_month),
            ("ended_year", self.ended_year == k.ended_year),
            ("ended_month", self.ended_month == k.ended_month),
            ("summary_key", self.summary_key == k.summary_key),
        ]
        .into_iter()
        .filter_map(|(column, agrees)| (!agrees).then_some(column))
        .collect()
    }
}

/// A party's copies and their sources (its name; its case's team).
struct PartyCopies {
    id: String,
    case_id: String,
    full_name: String,
    name_key: String,
    team_id: String,
    case_team_id: String,
}

impl PartyCopies {
    fn disagreeing(&self, name_key: &str) -> Vec<&'static str> {
        [("name_key", self.name_key == name_key), ("team_id", self.team_id == self.case_team_id)]
            .into_iter()
            .filter_map(|(column, agrees)| (!agrees).then_some(column))
            .collect()
    }
}

fn case_page(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<CaseCopies>, ApiError> {
    Ok(cases::table.filter(cases::id.gt(after)).order(cases::id.asc()).limit(limit).select(CaseCopies::as_select()).load(conn)?)
}

fn party_page(conn: &mut DbConn, after: &str, limit: i64) -> Result<Vec<PartyCopies>, ApiError> {
    let rows: Vec<(String, String, String, String, String, String)> = case_parties::table
        .inner_join(cases::table)
        .filter(case_parties::id.gt(after))
        .order(case_parties::id.asc())
        .limit(limit)
        .select((
            case_parties::id,
            case_parties::case_id,
            case_parties::full_name,
            case_parties::name_key,
            case_parties::team_id,
            cases::team_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, case_id, full_name, name_key, team_id, case_team_id)| PartyCopies {
            id,
            case_id,
            full_name,
            name_key,
            team_id,
            case_team_id,
        })
        .collect())
}

/// Every case, then every party, whose copies differ from their sources, a page at a time; the
/// callbacks get the row, the columns that differ, and what the copies should hold.
fn walk(
    conn: &mut DbConn,
    mut on_case: impl FnMut(&mut DbConn, &CaseCopies, &[&'static str], CaseKeys) -> Result<(), ApiError>,
    mut on_party: impl FnMut(&mut DbConn, &PartyCopies, &[&'static str], String) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    pages::each_row(
        conn,
        case_page,
        |c| &c.id,
        |conn, case| {
            let keys = case.expected();
            let columns = case.disagreeing(&keys);
            if columns.is_empty() {
                return Ok(());
            }
            on_case(conn, case, &columns, keys)
        },
    )?;
    pages::each_row(
        conn,
        party_page,
        |p| &p.id,
        |conn, party| {
            let name_key = text::fold(&party.full_name);
            let columns = party.disagreeing(&name_key);
            if columns.is_empty() {
                return Ok(());
            }
            on_party(conn, party, &columns, name_key)
        },
    )
}

/// Every copy that differs from its source, one line per row: ids and column names only.
pub fn check(conn: &mut DbConn) -> Result<Vec<String>, ApiError> {
    let (mut cases_out, mut parties_out) = (Vec::new(), Vec::new());
    walk(
        conn,
        |_, c, columns, _| {
            cases_out.push(format!("case {}: {} not as its sources say", c.id, columns.join(", ")));
            Ok(())
        },
        |_, p, columns, _| {
            parties_out.push(format!("party {} of case {}: {} not as its sources say", p.id, p.case_id, columns.join(", ")));
            Ok(())
        },
    )?;
    cases_out.extend(parties_out);
    Ok(cases_out)
}

/// Sets every copy that differs from its source to what the source says; the number of rows
/// changed. A copy is not a fact of the record: its version and audit trail stay as they are.
pub fn rebuild(conn: &mut DbConn) -> Result<usize, ApiError> {
    let mut cases_changed = 0;
    let mut parties_changed = 0;
    walk(
        conn,
        |conn, c, _, k| {
            cases_changed += diesel::update(cases::table.find(&c.id))
                .set((
                    cases::received_year.eq(k.received_year),
                    cases::received_month.eq(k.received_month),
                    cases::ended_year.eq(k.ended_year),
                    cases::ended_month.eq(k.ended_month),
                    cases::summary_key.eq(k.summary_key),
                ))
                .execute(conn)?;
            Ok(())
        },
        |conn, p, _, name_key| {
            parties_changed += diesel::update(case_parties::table.find(&p.id))
                .set((case_parties::name_key.eq(name_key), case_parties::team_id.eq(&p.case_team_id)))
                .execute(conn)?;
            Ok(())
        },
    )?;
    Ok(cases_changed + parties_changed)
}
