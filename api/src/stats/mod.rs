//! Statistics for district and province systems and dashboards: indicators per unit and period,
//! read from per-unit monthly rollups that every case write keeps in its own transaction (a range
//! of days that is not whole months: counted from the cases).

pub mod access;
pub mod boundaries;
pub mod cache;
pub mod counters;
pub mod dhis2;
pub mod dto;
pub mod figures;
pub mod reports;
pub mod roster;
pub mod routes;
pub mod small_cells;
pub mod store;

/// Fills the rollup tables from what the database holds when they are empty while what they count
/// is not: right after the migration that creates one (case rollups from the cases, roster
/// rollups from the teams), and on a database upgraded before this worked — the filling used to
/// look for migration names where only versions were passed, and never ran. Two `EXISTS` each
/// start otherwise. Then the yearly rollups of the years that are over (`fill_past_years`).
pub fn fill_empty_rollups(conn: &mut crate::db::DbConn) -> Result<(), String> {
    use crate::db::schema::{case_rollups, cases, roster_rollups, teams};
    use diesel::dsl::{exists, select};
    use diesel::prelude::*;
    let query_failed = |e: diesel::result::Error| e.to_string();
    let case_rollups_missing =
        !select(exists(case_rollups::table.select(case_rollups::unit_id))).get_result::<bool>(conn).map_err(query_failed)?
            && select(exists(cases::table.select(cases::id))).get_result::<bool>(conn).map_err(query_failed)?;
    if case_rollups_missing {
        let n = crate::db::write_transaction(conn, counters::rebuild).map_err(|e| e.to_string())?;
        tracing::info!(cases = n, "filled the monthly statistics rollups from the cases");
    }
    let roster_rollups_missing =
        !select(exists(roster_rollups::table.select(roster_rollups::unit_id))).get_result::<bool>(conn).map_err(query_failed)?
            && select(exists(teams::table.select(teams::id))).get_result::<bool>(conn).map_err(query_failed)?;
    if roster_rollups_missing {
        let n = crate::db::write_transaction(conn, roster::rebuild).map_err(|e| e.to_string())?;
        tracing::info!(teams = n, "filled the monthly roster rollups from the teams");
    }
    fill_past_years(conn).map_err(|e| e.to_string())
}

/// The yearly rollups of the years that are over, once (`counters::fill_past_years`): at start,
/// then hourly, so that a year is filled within the hour after its first day is over
/// (`counters::last_year_to_fill`).
pub fn fill_past_years(conn: &mut crate::db::DbConn) -> Result<(), crate::error::ApiError> {
    let last = counters::last_year_to_fill(crate::db::today());
    // Looked at first outside a transaction: the hourly run then takes no write lock (SQLite's
    // single writer) in the 8,759 hours a year when there is nothing to fill.
    if counters::years_filled_through(conn)? >= last {
        return Ok(());
    }
    if let Some(year) = crate::db::write_transaction(conn, |c| counters::fill_past_years(c, last))? {
        tracing::info!(through = year, "filled the yearly statistics rollups from the monthly ones");
    }
    Ok(())
}
