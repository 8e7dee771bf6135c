//! Bad input of every kind gets a clear 4xx problem and changes nothing.

use actix_web::http::StatusCode;
use serde_json::{json, Value};

use crate::common::{Client, TestApp};

on_both_backends!(
    bad_bodies_change_nothing,
    bad_queries_and_paths,
    hostile_but_valid_text_is_kept_verbatim,
    problems_speak_the_callers_language
);

async fn unit_count(admin: &Client) -> usize {
    let mut n = 0;
    let mut cursor = String::new();
    loop {
        let page = admin.get(&format!("/api/v1/units?limit=100{cursor}")).await;
        n += page.body["items"].as_array().unwrap().len();
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return n,
        }
    }
}

async fn bad_bodies_change_nothing(app: TestApp) {
    let tree = app.tree().await;
    let admin = &tree.admin;
    let before = unit_count(admin).await;
    let raw = |body: &str| Some(("application/json", body.as_bytes().to_vec()));

    // (what, body, status, code, the field the error must name)
    type Case<'a> = (&'a str, Option<(&'a str, Vec<u8>)>, u16, &'a str, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("broken JSON", raw("{\"name\": \"Thôn"), 400, "malformed_json", None),
        ("not JSON at all", raw("name=Thôn"), 400, "malformed_json", None),
        ("trailing data", raw("{\"name\":\"A\",\"level\":\"province\"} {}"), 400, "malformed_json", None),
        ("empty body", raw(""), 400, "malformed_json", None),
        ("array instead of object", raw("[1,2]"), 422, "validation_failed", None),
        ("wrong type", raw("{\"name\": 5, \"level\": \"province\"}"), 422, "validation_failed", Some("name")),
        ("missing field", raw("{\"level\": \"province\"}"), 422, "validation_failed", Some("name")),
        ("unknown enum", raw("{\"name\": \"X\", \"level\": \"town\"}"), 422, "validation_failed", Some("level")),
        ("unknown field", raw("{\"name\": \"X\", \"level\": \"province\", \"colour\": 1}"), 422, "validation_failed", Some("colour")),
        (
            "overlong name",
            Some(("application/json", json!({"name": "x".repeat(201), "level": "province"}).to_string().into_bytes())),
            422,
            "validation_failed",
            Some("name"),
        ),
        ("blank name", raw("{\"name\": \"   \", \"level\": \"province\"}"), 422, "validation_failed", Some("name")),
        ("control character", raw("{\"name\": \"Th\\u0000ôn\", \"level\": \"province\"}"), 422, "validation_failed", Some("name")),
        (
            "impossible date",
            raw("{\"name\": \"X\", \"level\": \"province\", \"valid_from\": \"2025-13-45\"}"),
            422,
            "validation_failed",
            Some("valid_from"),
        ),
        (
            "year out of range",
            raw("{\"name\": \"X\", \"level\": \"province\", \"valid_from\": \"99999-01-01\"}"),
            422,
            "validation_failed",
            Some("valid_from"),
        ),
        ("bad uuid", raw("{\"name\": \"X\", \"level\": \"village\", \"parent_id\": \"abc\"}"), 422, "validation_failed", Some("parent_id")),
        (
            "unknown parent",
            Some((
                "application/json",
                json!({"name": "X", "level": "village", "parent_id": uuid::Uuid::now_v7()}).to_string().into_bytes(),
            )),
            422,
            "validation_failed",
            Some("parent_id"),
        ),
        (
            "wrong content type",
            Some(("text/plain", b"{\"name\":\"X\",\"level\":\"province\"}".to_vec())),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "huge body",
            Some(("application/json", format!("{{\"name\": \"{}\", \"level\": \"province\"}}", "x".repeat(300 * 1024)).into_bytes())),
            413,
            "payload_too_large",
            None,
        ),
    ];
    for (what, body, status, code, field) in cases {
        let res = admin.send("POST", "/api/v1/units", &[], body).await;
        assert_eq!(res.status.as_u16(), status, "{what}: {}", res.text);
        res.assert_problem(status, code);
        if let Some(field) = field {
            let fields: Vec<&str> = res.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
            assert!(fields.contains(&field), "{what}: expected an error on '{field}', got {fields:?}");
            assert!(res.body["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()));
        }
        for leak in ["diesel", "SQL", "panicked", "sqlite", "postgres", "src/"] {
            assert!(!res.text.contains(leak), "{what}: internal detail '{leak}' in {}", res.text);
        }
    }
    assert_eq!(unit_count(admin).await, before, "no bad request created anything");

    // The same on the other write endpoints.
    let login = app.anon().send("POST", "/api/v1/auth/login", &[], raw("{\"username\": [], \"password\": 1}")).await;
    login.assert_problem(422, "validation_failed");
    let users = admin.send("POST", "/api/v1/users", &[], raw("{\"username\": \"ab\", \"display_name\": \"X\", \"role\": \"king\"}")).await;
    users.assert_problem(422, "validation_failed");
    let path = format!("/api/v1/units/{}", tree.commune_a);
    let etag = admin.get(&path).await.etag();
    let res = admin.send("PATCH", &path, &[("if-match", &etag)], raw("{\"name\": null, \"ethnic_minority_area\": \"yes\"}")).await;
    res.assert_problem(422, "validation_failed");
    let unchanged = admin.get(&path).await;
    assert_eq!(unchanged.etag(), etag);
    assert_eq!(unchanged.body["name"], "Xã Đoàn Kết");
}

async fn bad_queries_and_paths(app: TestApp) {
    let admin = app.admin().await;
    for (query, field) in [
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=1000", "limit"),
        ("level=town", "level"),
        ("valid_on=yesterday", "valid_on"),
        ("parent_id=1", "parent_id"),
        ("colour=red", "colour"),
    ] {
        let res = admin.get(&format!("/api/v1/units?{query}")).await;
        res.assert_problem(422, "validation_failed");
        let fields: Vec<&str> = res.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.contains(&field), "?{query}: {fields:?}");
    }
    admin.get("/api/v1/units/not-a-uuid").await.assert_problem(404, "not_found");
    admin.get(&format!("/api/v1/units/{}", uuid::Uuid::now_v7())).await.assert_problem(404, "not_found");
    admin.get("/api/v1/no-such-thing").await.assert_problem(404, "route_not_found");
    admin.get("/nowhere").await.assert_problem(404, "route_not_found");
    let res = admin.send("PUT", "/api/v1/units", &[], None).await;
    res.assert_problem(405, "method_not_allowed");
    assert_eq!(res.header("allow").as_deref(), Some("GET, POST"));
    let res = admin.send("DELETE", &format!("/api/v1/units/{}", uuid::Uuid::now_v7()), &[], None).await;
    res.assert_problem(405, "method_not_allowed");
}

async fn hostile_but_valid_text_is_kept_verbatim(app: TestApp) {
    let tree = app.tree().await;
    let names = [
        "Thôn '); DROP TABLE units; --",
        "Thôn \" OR 1=1 --",
        "Thôn Nà 🏔️ Hang",
        "Thôn \u{202e}ngược",
        "Thôn Ngũ Hành Sơn — 第一",
        "Thôn Đồng %_\\",
    ];
    for name in names {
        let res = tree.admin.post("/api/v1/units", &json!({"name": name, "level": "village", "parent_id": tree.commune_a})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{name}: {}", res.text);
        let back = tree.admin.get(&format!("/api/v1/units/{}", res.body["id"].as_str().unwrap())).await;
        assert_eq!(back.body["name"], Value::String(name.to_string()));
    }
    let all = tree.admin.get("/api/v1/units?limit=100").await;
    assert_eq!(all.body["items"].as_array().unwrap().len(), 6 + names.len(), "the tables are all still there");
}

async fn problems_speak_the_callers_language(app: TestApp) {
    let vi = app.anon().get("/api/v1/units").await;
    assert_eq!(vi.body["title"], "Chưa đăng nhập");
    assert_eq!(vi.header("content-language").as_deref(), Some("vi"));
    let en = app.anon().english().get("/api/v1/units").await;
    assert_eq!(en.body["title"], "Authentication required");
    assert_eq!(en.header("content-language").as_deref(), Some("en"));
    assert_eq!(en.body["instance"], "/api/v1/units");
    assert_eq!(en.body["request_id"], Value::String(en.header("x-request-id").unwrap()));
    let admin = app.admin().await.english();
    let res = admin.post("/api/v1/units", &json!({"name": "", "level": "province"})).await;
    assert_eq!(res.body["title"], "The data is not valid");
    assert_eq!(res.body["errors"][0]["message"], "Must be between 1 and 200 characters");
    let res = app.anon().send("GET", "/api/v1/units", &[("accept-language", "fr, en;q=0.8, vi;q=0.5")], None).await;
    assert_eq!(res.body["title"], "Authentication required");
}
