//! Statistics for district and province systems and dashboards: indicators per unit and period,
//! read from per-unit, per-day counters that every case write keeps in its own transaction.

pub mod access;
pub mod cache;
pub mod counters;
pub mod dto;
pub mod figures;
pub mod reports;
pub mod roster;
pub mod routes;
pub mod store;

/// Fills the statistics tables that a just-applied migration created from what the database
/// holds: the monthly case rollups from the cases, the roster rollups from the teams. Also when
/// such a table is empty while what it counts is not: until this was fixed the filling never ran
/// (the applied migrations were recognised by name, and only versions were passed), so a database
/// upgraded across the rollups' migration has them empty.
/// `applied`: the names `db::migrations::run_pending` returned.
pub fn fill_after_migrations(conn: &mut crate::db::DbConn, applied: &[String]) -> Result<(), String> {
    use crate::db::schema::{case_rollups, cases, roster_rollups, teams};
    use diesel::dsl::{exists, select};
    use diesel::prelude::*;
    let query_failed = |e: diesel::result::Error| e.to_string();
    let case_rollups_missing =
        !select(exists(case_rollups::table.select(case_rollups::unit_id))).get_result::<bool>(conn).map_err(query_failed)?
            && select(exists(cases::table.select(cases::id))).get_result::<bool>(conn).map_err(query_failed)?;
    let roster_rollups_missing =
        !select(exists(roster_rollups::table.select(roster_rollups::unit_id))).get_result::<bool>(conn).map_err(query_failed)?
            && select(exists(teams::table.select(teams::id))).get_result::<bool>(conn).map_err(query_failed)?;
    if case_rollups_missing || applied.iter().any(|m| m.ends_with("_case_rollups")) {
        let n = crate::db::write_transaction(conn, counters::rebuild).map_err(|e| e.to_string())?;
        if n > 0 {
            tracing::info!(cases = n, "filled the monthly statistics rollups from the cases");
        }
    }
    if roster_rollups_missing || applied.iter().any(|m| m.ends_with("_roster_rollups")) {
        let n = crate::db::write_transaction(conn, roster::rebuild).map_err(|e| e.to_string())?;
        if n > 0 {
            tracing::info!(teams = n, "filled the monthly roster rollups from the teams");
        }
    }
    Ok(())
}
