//! A fresh PostgreSQL database per test, copied from a template that is migrated once per
//! migration set (its name carries a hash of the migration files), guarded by an advisory lock
//! so parallel test processes agree.

use diesel::{Connection, PgConnection, RunQueryDsl};

pub struct TestDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

/// The server's URL with another database name.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{host_part}/{name}{query}")
}

fn migrations_hash() -> String {
    use sha2::{Digest, Sha256};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/postgres");
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(h.finalize())[..12].to_string()
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

impl TestDatabase {
    /// A fresh database on the server `TEST_DATABASE_URL` names; without one this fails, saying
    /// so (the tests that call it are ignored unless asked for).
    pub fn create() -> TestDatabase {
        let admin_url = match std::env::var("TEST_DATABASE_URL") {
            Ok(u) if !u.is_empty() => u,
            _ => panic!(
                "this PostgreSQL test needs TEST_DATABASE_URL=postgres://… (without it, run the suite without --include-ignored: PostgreSQL tests are then reported as ignored)"
            ),
        };
        let mut admin = PgConnection::establish(&admin_url).unwrap_or_else(|e| panic!("TEST_DATABASE_URL: {e}"));
        let template = format!("hoagiai_tpl_{}", migrations_hash());
        diesel::sql_query("SELECT pg_advisory_lock(7307301)").execute(&mut admin).expect("lock");
        let exists = diesel::sql_query(format!("SELECT 1 AS one FROM pg_database WHERE datname = '{template}'"))
            .execute(&mut admin)
            .expect("look up template")
            > 0;
        if !exists {
            diesel::sql_query(format!("CREATE DATABASE {template}")).execute(&mut admin).expect("create template");
            let mut conn = hoagiai::db::establish(
                &hoagiai::db::DbUrl::parse(&with_database(&admin_url, &template)).unwrap(),
                hoagiai::db::SqliteSync::Normal,
            )
            .expect("connect to template");
            hoagiai::db::migrations::run_pending(&mut conn).expect("migrate template");
        }
        diesel::sql_query("SELECT pg_advisory_unlock(7307301)").execute(&mut admin).expect("unlock");
        let name = format!("hoagiai_t_{}", uuid::Uuid::new_v4().simple());
        // Another process may still be closing its connection to a freshly migrated template.
        let mut tries = 0;
        loop {
            match diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut admin) {
                Ok(_) => break,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(e) => panic!("create test database: {e}"),
            }
        }
        TestDatabase { url: with_database(&admin_url, &name), admin_url, name }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.admin_url) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin);
        }
    }
}
