//! Both migration folders hold the same versions, and yield the same tables and columns.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::Text;
use hoagiai::db::{migrations, Backend, DbConn};

use crate::common::TestApp;

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = migrations::versions(Backend::Sqlite);
    let postgres = migrations::versions(Backend::Postgres);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

fn columns(conn: &mut DbConn) -> BTreeMap<String, Vec<String>> {
    let rows: Vec<Column> = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' ORDER BY 1, 2",
        )
        .load(c)
        .unwrap(),
        DbConn::Pg(c) => diesel::sql_query(
            "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' ORDER BY 1, 2",
        )
        .load(c)
        .unwrap(),
    };
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in rows {
        out.entry(r.table_name).or_default().push(r.column_name);
    }
    out
}

#[actix_web::test]
async fn migrations_from_empty_apply_on_sqlite() {
    let sqlite = TestApp::sqlite().await;
    let sqlite_columns = columns(&mut sqlite.db.get().unwrap());
    assert!(sqlite_columns.contains_key("units") && sqlite_columns.contains_key("audit_log"));
    assert!(hoagiai::db::migrations::all_applied(&mut sqlite.db.get().unwrap()));
}

/// Named `postgres::…` like the PostgreSQL variants of `on_both_backends!`, so `tests/run` can
/// select them by name.
mod postgres {
    use super::*;

    #[actix_web::test]
    #[ignore = "needs TEST_DATABASE_URL (PostgreSQL)"]
    async fn migrations_from_empty_yield_the_same_schema_on_both_backends() {
        let sqlite = TestApp::sqlite().await;
        let sqlite_columns = columns(&mut sqlite.db.get().unwrap());
        let pg = TestApp::postgres().await;
        let pg_columns = columns(&mut pg.db.get().unwrap());
        assert_eq!(sqlite_columns, pg_columns);
        assert!(hoagiai::db::migrations::all_applied(&mut pg.db.get().unwrap()));
    }
}

#[test]
fn database_urls_are_read_strictly() {
    use hoagiai::db::DbUrl;
    assert_eq!(DbUrl::parse("postgres://u:secret@h/db").unwrap().backend, Backend::Postgres);
    assert!(!DbUrl::parse("postgres://u:secret@h/db").unwrap().display().contains("secret"));
    assert_eq!(DbUrl::parse("sqlite://./data/x.db").unwrap().target, "./data/x.db");
    assert_eq!(DbUrl::parse("data/x.db").unwrap().backend, Backend::Sqlite);
    assert!(DbUrl::parse("mysql://h/db").is_err());
    assert!(DbUrl::parse("").is_err());
}
