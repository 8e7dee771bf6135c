//! A backup of a live SQLite database restores to a working server with the same data.

use actix_web::http::StatusCode;
use serde_json::json;

use crate::common::TestApp;

#[actix_web::test]
async fn sqlite_backup_restores_and_keeps_the_newest() {
    let app = TestApp::sqlite().await;
    let tree = app.tree().await;
    let dir = app.data_dir.join("backups");
    let mut last = None;
    for _ in 0..3 {
        // Written while the server is up and writing.
        let res = tree.admin.post("/api/v1/units", &json!({"name": "Thôn Sao Lưu", "level": "village", "parent_id": tree.commune_a})).await;
        assert_eq!(res.status, StatusCode::CREATED);
        last = Some(hoagiai::backup::sqlite_backup(&app.db, &dir, 2).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert_eq!(hoagiai::backup::list(&dir).len(), 2, "only the newest two are kept");

    // Restore: start a server on the copy.
    let restored_dir = tempfile::tempdir().unwrap();
    let restored = restored_dir.path().join("restored.db");
    std::fs::copy(last.unwrap(), &restored).unwrap();
    let url = format!("sqlite://{}", restored.display());
    let db = hoagiai::db::Db::connect(hoagiai::db::DbUrl::parse(&url).unwrap(), hoagiai::db::SqliteSync::Full, 2).unwrap();
    assert!(hoagiai::db::migrations::all_applied(&mut db.get().unwrap()));
    let count: i64 = {
        use diesel::prelude::*;
        hoagiai::db::schema::units::table.count().get_result(&mut *db.get().unwrap()).unwrap()
    };
    assert_eq!(count, 6 + 3, "every unit written before the backup is in it");
}
