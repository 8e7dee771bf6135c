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
/// holds: the monthly case rollups from the cases, the roster rollups from the teams.
/// `applied`: the names `db::migrations::run_pending` returned.
pub fn fill_after_migrations(conn: &mut crate::db::DbConn, applied: &[String]) -> Result<(), String> {
    if applied.iter().any(|m| m.ends_with("_case_rollups")) {
        let n = crate::db::write_transaction(conn, counters::rebuild).map_err(|e| e.to_string())?;
        if n > 0 {
            tracing::info!(cases = n, "filled the monthly statistics rollups from the cases");
        }
    }
    if applied.iter().any(|m| m.ends_with("_roster_rollups")) {
        let n = crate::db::write_transaction(conn, roster::rebuild).map_err(|e| e.to_string())?;
        if n > 0 {
            tracing::info!(teams = n, "filled the monthly roster rollups from the teams");
        }
    }
    Ok(())
}
