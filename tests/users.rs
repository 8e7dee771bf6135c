//! Accounts: the role × scope rules, optimistic concurrency, audit.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::json;

use crate::common::{unique_name, TestApp};

on_both_backends!(
    role_matrix_for_units_users_and_audit,
    officer_stays_inside_their_commune,
    updates_need_the_current_version,
    nobody_changes_their_own_role_or_locks_themselves_out,
    generated_password_is_shown_once_and_works,
    writes_are_audited_within_scope,
    audit_rows_keep_their_unit_through_the_upgrade,
    weak_passwords_are_refused,
);

/// Every role against the account and unit operations: who may do what.
async fn role_matrix_for_units_users_and_audit(app: TestApp) {
    let tree = app.tree().await;
    for role in Role::ALL {
        let unit = if role == Role::Admin { None } else { Some(tree.commune_a.as_str()) };
        let (client, _) = app.user(role, unit).await;
        let can_manage = matches!(role, Role::Admin | Role::Officer);
        let expect = |ok: bool, status: u16| if ok { status } else { 403 };

        let res = client.get("/api/v1/units").await;
        assert_eq!(res.status.as_u16(), 200, "{role:?} lists units");

        let res = client.post("/api/v1/units", &json!({"name": "Thôn Mới", "level": "village", "parent_id": tree.commune_a})).await;
        assert_eq!(res.status.as_u16(), expect(role == Role::Admin, 201), "{role:?} creates a unit: {}", res.text);

        let res = client.get("/api/v1/users").await;
        assert_eq!(res.status.as_u16(), expect(matches!(role, Role::Admin | Role::Officer | Role::Viewer), 200), "{role:?} lists users");

        let body = json!({"username": unique_name("u"), "display_name": "Nguyễn Văn A", "role": "viewer", "unit_id": tree.village_a, "password": "mat khau dai du"});
        let res = client.post("/api/v1/users", &body).await;
        assert_eq!(res.status.as_u16(), expect(can_manage, 201), "{role:?} creates a user: {}", res.text);

        let res = client.get("/api/v1/audit-log").await;
        assert_eq!(res.status.as_u16(), expect(can_manage, 200), "{role:?} reads the audit log");

        let res = client.get("/api/v1/api-clients").await;
        assert_eq!(res.status.as_u16(), expect(can_manage, 200), "{role:?} lists API clients");
    }
}

async fn officer_stays_inside_their_commune(app: TestApp) {
    let tree = app.tree().await;
    let (officer, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let other_id = app.create_user("o.b", Role::Officer, Some(&tree.commune_b), "mat khau dai du").await;

    // Cannot see, change or reset an account of commune B: it does not exist for them.
    officer.get(&format!("/api/v1/users/{other_id}")).await.assert_problem(404, "not_found");
    officer.patch(&format!("/api/v1/users/{other_id}"), "\"1\"", &json!({"display_name": "x"})).await.assert_problem(404, "not_found");
    officer.post(&format!("/api/v1/users/{other_id}/password"), &json!({})).await.assert_problem(404, "not_found");
    let listed = officer.get("/api/v1/users").await;
    assert!(listed.body["items"].as_array().unwrap().iter().all(|u| u["username"] != "o.b"));

    // Cannot create an account in commune B, nor an admin, nor one with national scope.
    let make = |role: &str, unit: Option<&str>| json!({"username": unique_name("x"), "display_name": "Trần Thị B", "role": role, "unit_id": unit, "password": "mat khau dai du"});
    let res = officer.post("/api/v1/users", &make("team_leader", Some(&tree.village_b))).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["field"], "unit_id");
    let res = officer.post("/api/v1/users", &make("admin", Some(&tree.commune_a))).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["field"], "role");
    officer.post("/api/v1/users", &make("viewer", None)).await.assert_problem(422, "validation_failed");

    // Cannot move one of their own accounts to commune B, nor promote it to admin.
    let res = officer.post("/api/v1/users", &make("team_leader", Some(&tree.village_a))).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["id"].as_str().unwrap();
    let etag = res.etag();
    officer
        .patch(&format!("/api/v1/users/{id}"), &etag, &json!({"unit_id": tree.commune_b}))
        .await
        .assert_problem(422, "validation_failed");
    officer.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"role": "admin"})).await.assert_problem(422, "validation_failed");
    let ok = officer.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"role": "mediator", "phone": "0912 345 678"})).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.body["role"], "mediator");

    // Units of commune B are invisible too.
    officer.get(&format!("/api/v1/units/{}", tree.commune_b)).await.assert_problem(404, "not_found");
    let units = officer.get("/api/v1/units").await;
    let ids: Vec<&str> = units.body["items"].as_array().unwrap().iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![tree.commune_a.as_str(), tree.village_a.as_str()]);
}

async fn updates_need_the_current_version(app: TestApp) {
    let tree = app.tree().await;
    let id = app.create_user("b.an", Role::Viewer, Some(&tree.commune_a), "mat khau dai du").await;
    let first = tree.admin.get(&format!("/api/v1/users/{id}")).await;
    let etag = first.etag();

    let res = tree
        .admin
        .send("PATCH", &format!("/api/v1/users/{id}"), &[], Some(("application/json", b"{\"display_name\":\"X\"}".to_vec())))
        .await;
    res.assert_problem(428, "if_match_required");

    let res = tree.admin.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"display_name": "Bùi Văn An"})).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_ne!(res.etag(), etag);

    // A second editor still holding the old version is refused, and told what is there now.
    let stale = tree.admin.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"display_name": "Bùi An"})).await;
    stale.assert_problem(412, "version_mismatch");
    assert_eq!(stale.body["current"]["display_name"], "Bùi Văn An");
    assert_eq!(stale.header("etag"), Some(res.etag()));
    let now = tree.admin.get(&format!("/api/v1/users/{id}")).await;
    assert_eq!(now.body["display_name"], "Bùi Văn An", "the stale write changed nothing");
}

async fn nobody_changes_their_own_role_or_locks_themselves_out(app: TestApp) {
    let tree = app.tree().await;
    let (officer, me) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let id = me["id"].as_str().unwrap();
    let etag = format!("\"{}\"", me["version"]);
    officer.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"active": false})).await.assert_problem(403, "self_change_forbidden");
    officer.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"unit_id": tree.province})).await.assert_problem(422, "validation_failed");
    let res = officer.patch(&format!("/api/v1/users/{id}"), &etag, &json!({"display_name": "Tên mới"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
}

async fn generated_password_is_shown_once_and_works(app: TestApp) {
    let tree = app.tree().await;
    let res = tree
        .admin
        .post(
            "/api/v1/users",
            &json!({"username": "Thanh.Tam", "display_name": "Đỗ Thanh Tâm", "role": "officer", "unit_id": tree.commune_a}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["username"], "thanh.tam");
    let password = res.body["generated_password"].as_str().unwrap().to_string();
    assert_eq!(res.header("location"), Some(format!("/api/v1/users/{}", res.body["id"].as_str().unwrap())));
    let officer = app.login("thanh.tam", &password).await;
    let again = tree.admin.get(&format!("/api/v1/users/{}", res.body["id"].as_str().unwrap())).await;
    assert!(again.body.get("generated_password").is_none());
    // The same username again, in any case, is taken.
    tree.admin
        .post("/api/v1/users", &json!({"username": "THANH.TAM", "display_name": "X", "role": "viewer", "unit_id": tree.commune_a}))
        .await
        .assert_problem(409, "username_taken");
    // A reset ends the old password.
    let id = res.body["id"].as_str().unwrap();
    let reset = tree.admin.post(&format!("/api/v1/users/{id}/password"), &json!({"new_password": "mat khau moi 789"})).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.text);
    app.anon()
        .post("/api/v1/auth/login", &json!({"username": "thanh.tam", "password": password}))
        .await
        .assert_problem(401, "invalid_credentials");
    drop(officer);
    app.login("thanh.tam", "mat khau moi 789").await;
}

async fn writes_are_audited_within_scope(app: TestApp) {
    let tree = app.tree().await;
    let (officer_a, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let res = officer_a
        .post("/api/v1/users", &json!({"username": "tl.a", "display_name": "Tổ trưởng A", "role": "team_leader", "unit_id": tree.village_a, "password": "mat khau dai du"}))
        .await;
    let id = res.body["id"].as_str().unwrap().to_string();
    let res = officer_a.patch(&format!("/api/v1/users/{id}"), &res.etag(), &json!({"display_name": "Tổ trưởng Hội Yên"})).await;
    assert_eq!(res.status, StatusCode::OK);

    let log = officer_a.get(&format!("/api/v1/audit-log?entity=user&entity_id={id}")).await;
    assert_eq!(log.status, StatusCode::OK, "{}", log.text);
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["action"], "update");
    assert_eq!(items[0]["old_values"]["display_name"], "Tổ trưởng A");
    assert_eq!(items[0]["new_values"]["display_name"], "Tổ trưởng Hội Yên");
    assert!(items[0]["new_values"].get("username").is_none(), "only changed fields are kept");
    assert_eq!(items[1]["action"], "create");
    assert!(!log.text.contains("password_hash") && !log.text.contains("argon2"));

    let (officer_b, _) = app.user(Role::Officer, Some(&tree.commune_b)).await;
    let log_b = officer_b.get(&format!("/api/v1/audit-log?entity_id={id}")).await;
    assert_eq!(log_b.body["items"].as_array().unwrap().len(), 0, "commune B does not see commune A's audit");
}

/// An audit row names its unit by id (migration 000028): rows written before, which named it by
/// path, are converted so that each scope reads the same rows as before; the way back restores
/// the paths. Each scope's page is compared before the way back, between and after.
async fn audit_rows_keep_their_unit_through_the_upgrade(app: TestApp) {
    use diesel::prelude::*;
    use diesel_migrations::MigrationHarness;
    use hoagiai::db::{migrations, DbConn};
    let tree = app.tree().await;
    let (officer_a, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let (officer_b, _) = app.user(Role::Officer, Some(&tree.commune_b)).await;
    let (province, _) = app.user(Role::Officer, Some(&tree.province)).await;
    for (who, village, name) in [(&officer_a, &tree.village_a, "tl.hoi.yen"), (&officer_b, &tree.village_b, "tl.phu.khe")] {
        let body = json!({"username": name, "display_name": "Tổ trưởng", "role": "team_leader", "unit_id": village, "password": "mat khau dai du"});
        assert_eq!(who.post("/api/v1/users", &body).await.status, StatusCode::CREATED);
    }
    // A national record: an account of no unit.
    let body = json!({"username": "quoc.gia", "display_name": "Chuyên viên Bộ", "role": "viewer", "password": "mat khau dai du"});
    assert_eq!(tree.admin.post("/api/v1/users", &body).await.status, StatusCode::CREATED);
    let ids = |page: &crate::common::Resp| -> Vec<String> {
        page.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect()
    };
    let pages = || async {
        let mut all = Vec::new();
        for who in [&officer_a, &officer_b, &province, &tree.admin] {
            let page = who.get("/api/v1/audit-log?limit=100").await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.text);
            all.push(ids(&page));
        }
        all
    };
    let before = pages().await;
    let (a, b, p, all) = (&before[0], &before[1], &before[2], &before[3]);
    assert!(!a.is_empty() && !b.is_empty());
    assert!(a.iter().all(|id| !b.contains(id)), "the communes see none of each other's rows");
    assert!(a.iter().chain(b).all(|id| p.contains(id)), "the province sees both communes' rows");
    assert!(p.len() < all.len(), "the national rows (an account of no unit) are the administrator's only");

    // The way back: the rows name their unit's path again, the path of the unit they named.
    // Every later migration's down first, newest first, then the audit's unit's.
    let mut conn = app.db.get().unwrap();
    loop {
        let reverted = match &mut *conn {
            DbConn::Sqlite(c) => c.revert_last_migration(migrations::SQLITE).map(|v| v.to_string()),
            DbConn::Pg(c) => c.revert_last_migration(migrations::POSTGRES).map(|v| v.to_string()),
        }
        .expect("down migration");
        assert!(reverted.as_str() >= "20261202000028", "the audit's unit's migration was passed by: {reverted}");
        if reverted.contains("000028") {
            break;
        }
    }
    #[derive(QueryableByName)]
    struct Named {
        #[diesel(sql_type = diesel::sql_types::Text)]
        entity_id: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
        unit_path: Option<String>,
    }
    let rows: Vec<Named> = diesel::sql_query("SELECT entity_id, unit_path FROM audit_log WHERE entity = 'user'").load(&mut *conn).unwrap();
    let village_a_path: String =
        hoagiai::db::schema::units::table.find(&tree.village_a).select(hoagiai::db::schema::units::path).first(&mut *conn).unwrap();
    assert!(village_a_path.ends_with(&format!("/{}/", tree.village_a)));
    assert!(rows.iter().any(|r| r.unit_path.as_deref() == Some(village_a_path.as_str())), "the village's path is back");
    assert!(rows.iter().all(|r| r.unit_path.as_deref().is_none_or(|p| p.starts_with('/') && p.ends_with('/'))));
    assert!(rows.iter().any(|r| !r.entity_id.is_empty()));
    // Up again: the paths become ids, and every scope reads what it read.
    let applied = migrations::run_pending(&mut conn).unwrap();
    assert!(applied.iter().any(|m| m.ends_with("_audit_unit_id")), "{applied:?}");
    drop(conn);
    assert_eq!(pages().await, before);
}

/// One's own password is changed with the current one, never reset by oneself.
#[actix_web::test]
async fn nobody_resets_their_own_password() {
    let app = TestApp::sqlite().await;
    let tree = app.tree().await;
    let (officer, me) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let id = me["id"].as_str().unwrap();
    officer.post(&format!("/api/v1/users/{id}/password"), &json!({})).await.assert_problem(403, "self_change_forbidden");
}

/// A retried account creation with the same client-chosen id answers the account, once.
#[actix_web::test]
async fn retried_user_create_with_the_same_id() {
    let app = TestApp::sqlite().await;
    let tree = app.tree().await;
    let id = uuid::Uuid::now_v7();
    let body = json!({"id": id, "username": "retry.me", "display_name": "Lê Thị Thu", "role": "viewer", "unit_id": tree.commune_a, "password": "mat khau dai du"});
    assert_eq!(tree.admin.post("/api/v1/users", &body).await.status, StatusCode::CREATED);
    let again = tree.admin.post("/api/v1/users", &body).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.body["id"], id.to_string());
}

/// Easy passwords are refused wherever a person's password is set: a new account, a reset, a
/// change. The refusal names the field, with the code `weak_password` and the reason.
async fn weak_passwords_are_refused(app: TestApp) {
    let admin = app.admin().await.english();
    // Long enough for the length rule: the username itself must be refused as too guessable.
    let username = unique_name("binh.lethanh");
    for weak in ["1234567890", "password12", "          ", username.as_str()] {
        let body = json!({"username": username, "display_name": "Lê Thanh Bình", "role": "viewer", "password": weak});
        let res = admin.post("/api/v1/users", &body).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.body["errors"][0]["field"], "password", "{weak:?}: {}", res.text);
        assert_eq!(res.body["errors"][0]["code"], "weak_password", "{weak:?}: {}", res.text);
        assert!(res.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // zxcvbn's feedback comes along where it has some.
    let body = json!({"username": username, "display_name": "Lê Thanh Bình", "role": "viewer", "password": "password12"});
    let res = admin.post("/api/v1/users", &body).await;
    assert!(res.body["errors"][0]["params"]["score"].as_u64().is_some_and(|s| s < 3), "{}", res.text);
    // Nothing was created; a strong password (or none: a generated one) is accepted.
    let body = json!({"username": username, "display_name": "Lê Thanh Bình", "role": "viewer", "password": "lúa chín vàng đồng quê"});
    let res = admin.post("/api/v1/users", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["id"].as_str().unwrap().to_string();
    let body = json!({"username": unique_name("gen"), "display_name": "Người được tạo mật khẩu", "role": "viewer"});
    let res = admin.post("/api/v1/users", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);

    // A reset by an administrator, and a change by the person.
    let res = admin.post(&format!("/api/v1/users/{id}/password"), &json!({"new_password": "1234567890"})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!((&res.body["errors"][0]["field"], &res.body["errors"][0]["code"]), (&json!("new_password"), &json!("weak_password")));
    let person = app.login(&username, "lúa chín vàng đồng quê").await;
    let res =
        person.post("/api/v1/me/password", &json!({"current_password": "lúa chín vàng đồng quê", "new_password": "password12"})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "weak_password");
    app.login(&username, "lúa chín vàng đồng quê").await;
}

/// `hoagiai admin create` refuses a weak password piped to it, and creates nothing.
#[test]
fn admin_create_refuses_a_weak_piped_password() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let run = |password: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hoagiai"))
            .args(["admin", "create", "--username", "quan.tri"])
            .current_dir(dir.path())
            .env("HOAGIAI_DATA_DIR", dir.path())
            .env("HOAGIAI_DATABASE_URL", format!("sqlite://{}", dir.path().join("cli.db").display()))
            .env_remove("HOAGIAI_CONFIG")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the hoagiai binary");
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run("password12");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a weak password was accepted");
    assert!(stderr.contains("password: "), "{stderr}");
    let out = run("quan.tri");
    assert!(!out.status.success(), "the username as password was accepted");
    let out = run("mỗi năm một mùa lúa mới");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
