//! Migrations for both backends, embedded in the binary. The two folders hold the same migration
//! names, so the applied versions agree whichever backend runs.

use diesel::migration::MigrationSource;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::{Backend, DbConn};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Applies pending migrations; returns the names of those applied (`2026-11-27-000008_roster_rollups`),
/// as the log and the tests name them.
pub fn run_pending(conn: &mut DbConn) -> Result<Vec<String>, String> {
    let (applied, all) = match conn {
        DbConn::Sqlite(c) => (
            c.run_pending_migrations(SQLITE).map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
            names::<diesel::sqlite::Sqlite, _>(&SQLITE),
        ),
        DbConn::Pg(c) => (
            c.run_pending_migrations(POSTGRES).map(|v| v.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
            names::<diesel::pg::Pg, _>(&POSTGRES),
        ),
    };
    let applied = applied.map_err(|e| format!("migration failed: {e}"))?;
    // diesel reports versions only; the names come from the embedded folders.
    Ok(applied.into_iter().map(|v| all.iter().find(|(version, _)| *version == v).map(|(_, name)| name.clone()).unwrap_or(v)).collect())
}

/// (version, name) of every embedded migration of one backend.
fn names<DB: diesel::backend::Backend, S: MigrationSource<DB>>(source: &S) -> Vec<(String, String)> {
    source.migrations().map(|m| m.iter().map(|m| (m.name().version().to_string(), m.name().to_string())).collect()).unwrap_or_default()
}

/// True when every embedded migration has been applied (for `/readyz`).
pub fn all_applied(conn: &mut DbConn) -> bool {
    let pending = match conn {
        DbConn::Sqlite(c) => c.has_pending_migration(SQLITE),
        DbConn::Pg(c) => c.has_pending_migration(POSTGRES),
    };
    matches!(pending, Ok(false))
}

/// The embedded migration versions of one backend, in order.
pub fn versions(backend: Backend) -> Vec<String> {
    let names = match backend {
        Backend::Sqlite => MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE)
            .map(|m| m.iter().map(|m| m.name().version().to_string()).collect::<Vec<_>>()),
        Backend::Postgres => MigrationSource::<diesel::pg::Pg>::migrations(&POSTGRES)
            .map(|m| m.iter().map(|m| m.name().version().to_string()).collect::<Vec<_>>()),
    };
    let mut names = names.unwrap_or_default();
    names.sort();
    names
}
