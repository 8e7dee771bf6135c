//! `hoagiai backup`: a consistent copy of a live SQLite database (`VACUUM INTO` reads one snapshot
//! while the server keeps writing), keeping the newest N copies. PostgreSQL is backed up with its
//! own tools (docs/backup.md).

use std::path::{Path, PathBuf};

use diesel::RunQueryDsl;

use crate::db::{Backend, Db};

const PREFIX: &str = "hoagiai-";
const SUFFIX: &str = ".db";

/// Writes `dir/hoagiai-<UTC time>.db` and deletes the oldest copies beyond `keep`.
pub fn sqlite_backup(db: &Db, dir: &Path, keep: usize) -> Result<PathBuf, String> {
    if db.backend() != Backend::Sqlite {
        return Err("`hoagiai backup` copies SQLite databases; back PostgreSQL up with pg_dump (docs/backup.md)".into());
    }
    crate::files::create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    let target = dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
    let target_text = target.to_str().ok_or("the backup path is not UTF-8")?;
    let mut conn = db.get().map_err(|_| "cannot open the database".to_string())?;
    diesel::sql_query(format!("VACUUM INTO '{}'", target_text.replace('\'', "''")))
        .execute(&mut *conn)
        .map_err(|e| format!("backup failed: {e}"))?;
    prune(dir, keep)?;
    Ok(target)
}

/// The backups in `dir`, oldest first (the names sort by time).
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX)))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn prune(dir: &Path, keep: usize) -> Result<(), String> {
    let files = list(dir);
    let excess = files.len().saturating_sub(keep.max(1));
    for old in &files[..excess] {
        std::fs::remove_file(old).map_err(|e| format!("cannot remove {}: {e}", old.display()))?;
    }
    Ok(())
}
