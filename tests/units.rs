//! Administrative units: the tree rules, effective dates, successions, search, paging, import.

use actix_web::http::StatusCode;
use serde_json::json;

use crate::common::TestApp;

on_both_backends!(
    tree_rules,
    corrections_and_closing,
    successions,
    search_ignores_diacritics_and_pages_are_stable,
    client_chosen_id_is_idempotent,
    csv_import
);

async fn tree_rules(app: TestApp) {
    let tree = app.tree().await;
    let admin = &tree.admin;
    // A village straight under a province, or a province under anything, is refused.
    let res = admin.post("/api/v1/units", &json!({"name": "Thôn Lạc", "level": "village", "parent_id": tree.province})).await;
    res.assert_problem(422, "invalid_parent");
    let res = admin.post("/api/v1/units", &json!({"name": "Tỉnh X", "level": "province", "parent_id": tree.province})).await;
    res.assert_problem(422, "invalid_parent");
    admin.post("/api/v1/units", &json!({"name": "Xã Y", "level": "commune"})).await.assert_problem(422, "validation_failed");
    // A commune needs no district (after the 2025 reform there is none).
    let res = admin.get(&format!("/api/v1/units/{}", tree.commune_b)).await;
    assert_eq!(res.body["parent_id"], tree.province);
    assert_eq!(res.body["depth"], 1);
    // An official code belongs to one current unit of a level.
    let res =
        admin.post("/api/v1/units", &json!({"name": "Xã Trùng", "code": "11110", "level": "commune", "parent_id": tree.province})).await;
    res.assert_problem(409, "unit_code_taken");
    let res = admin.post("/api/v1/units", &json!({"name": "Xã Z", "code": "12a", "level": "commune", "parent_id": tree.province})).await;
    res.assert_problem(422, "validation_failed");
    // Subtree listing.
    let res = admin.get(&format!("/api/v1/units?within={}", tree.district)).await;
    let names: Vec<&str> = res.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Huyện Thanh Miện", "Xã Đoàn Kết", "Thôn Hội Yên"]);
    let res = admin.get(&format!("/api/v1/units?parent_id={}&level=commune", tree.province)).await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 1);
}

async fn corrections_and_closing(app: TestApp) {
    let tree = app.tree().await;
    let admin = &tree.admin;
    let path = format!("/api/v1/units/{}", tree.district);
    let unit = admin.get(&path).await;
    let res = admin.patch(&path, &unit.etag(), &json!({"valid_to": "2025-07-01"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["valid_to"], "2025-07-01");
    assert_eq!(res.body["version"], 2);
    let res2 = admin.patch(&path, &res.etag(), &json!({"valid_to": "1990-01-01"})).await;
    res2.assert_problem(422, "validation_failed");
    // It no longer shows among the units valid after the reform, but still for 2024.
    let after = admin.get("/api/v1/units?level=district&valid_on=2025-07-01").await;
    assert_eq!(after.body["items"].as_array().unwrap().len(), 0);
    let before = admin.get("/api/v1/units?level=district&valid_on=2024-12-31").await;
    assert_eq!(before.body["items"].as_array().unwrap().len(), 1);
    // No district can be made after the reform: districts were abolished on 1 July 2025.
    let res =
        admin.post("/api/v1/units", &json!({"name": "Huyện Mới", "code": "300", "level": "district", "parent_id": tree.province})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "district_abolished");
    // One entered without an end date ends on the reform day.
    let res = admin
        .post(
            "/api/v1/units",
            &json!({"name": "Huyện Cũ", "code": "301", "level": "district", "parent_id": tree.province, "valid_from": "1997-01-01"}),
        )
        .await;
    assert_eq!((res.status, res.body["valid_to"].as_str()), (StatusCode::CREATED, Some("2025-07-01")), "{}", res.text);
    // The parent cannot be changed: a transfer is a new unit with a succession.
    let res = admin.patch(&path, &admin.get(&path).await.etag(), &json!({"parent_id": tree.commune_b})).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "unknown_field");
    // Officers cannot correct units.
    let (officer, _) = app.user(hoagiai::auth::Role::Officer, Some(&tree.commune_a)).await;
    officer.patch(&format!("/api/v1/units/{}", tree.commune_a), "\"1\"", &json!({"name": "X"})).await.assert_problem(403, "forbidden");
}

async fn successions(app: TestApp) {
    let tree = app.tree().await;
    let admin = &tree.admin;
    let merged = admin
        .post("/api/v1/units", &json!({"name": "Xã Đoàn Kết Mới", "code": "11112", "level": "commune", "parent_id": tree.province, "valid_from": "2025-07-01"}))
        .await;
    let merged_id = merged.body["id"].as_str().unwrap();
    for from in [&tree.commune_a, &tree.commune_b] {
        let res = admin
            .post(
                "/api/v1/unit-successions",
                &json!({"from_unit_id": from, "to_unit_id": merged_id, "kind": "merge", "effective_date": "2025-07-01", "legal_basis": "Nghị quyết 1669/NQ-UBTVQH15"}),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let res = admin.get(&format!("/api/v1/units/{merged_id}/successions")).await;
    assert_eq!(res.body.as_array().unwrap().len(), 2);
    let res = admin.get(&format!("/api/v1/units/{}/successions", tree.commune_a)).await;
    assert_eq!(res.body[0]["to_unit_id"], merged_id);
    let res = admin
        .post(
            "/api/v1/unit-successions",
            &json!({"from_unit_id": merged_id, "to_unit_id": merged_id, "kind": "rename", "effective_date": "2025-07-01"}),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    let res = admin
        .post(
            "/api/v1/unit-successions",
            &json!({"from_unit_id": tree.commune_a, "to_unit_id": merged_id, "kind": "absorb", "effective_date": "2025-07-01"}),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "unknown_variant");
    assert_eq!(res.body["errors"][0]["field"], "kind");
}

async fn search_ignores_diacritics_and_pages_are_stable(app: TestApp) {
    let tree = app.tree().await;
    let admin = &tree.admin;
    for i in 0..7 {
        let res =
            admin.post("/api/v1/units", &json!({"name": format!("Thôn Đồng {i}"), "level": "village", "parent_id": tree.commune_a})).await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let res = admin.get("/api/v1/units?q=dong").await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 7, "{}", res.text);
    let res = admin.get("/api/v1/units?q=HOI%20YEN").await;
    assert_eq!(res.body["items"][0]["name"], "Thôn Hội Yên");
    let res = admin.get("/api/v1/units?q=%25").await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 0, "a % in the search is text, not a wildcard");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/units?limit=3&cursor={c}"),
            None => "/api/v1/units?limit=3".to_string(),
        };
        let page = admin.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        let items = page.body["items"].as_array().unwrap();
        assert!(items.len() <= 3);
        seen.extend(items.iter().map(|u| u["id"].as_str().unwrap().to_string()));
        match page.body["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no unit twice");
    assert_eq!(seen.len(), 13, "every unit once");
    admin.get("/api/v1/units?cursor=%%%").await.assert_problem(422, "validation_failed");
}

async fn client_chosen_id_is_idempotent(app: TestApp) {
    let tree = app.tree().await;
    let id = uuid::Uuid::now_v7().to_string();
    let body = json!({"id": id, "name": "Thôn Bến", "level": "village", "parent_id": tree.commune_a});
    let first = tree.admin.post("/api/v1/units", &body).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = tree.admin.post("/api/v1/units", &body).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["id"], id);
    let different =
        tree.admin.post("/api/v1/units", &json!({"id": id, "name": "Thôn Khác", "level": "village", "parent_id": tree.commune_a})).await;
    different.assert_problem(409, "already_exists");
    let count = tree.admin.get("/api/v1/units?q=ben").await;
    assert_eq!(count.body["items"].as_array().unwrap().len(), 1);
}

async fn csv_import(app: TestApp) {
    let csv = "\u{feff}code,name,level,parent_code,valid_from,ethnic_minority_area\n\
               ,Thôn Na Hang,village,08001,2020-01-01,x\n\
               08,Tỉnh Tuyên Quang,province,,1991-01-01,\n\
               08001,Xã Thượng Lâm,commune,08,2020-01-01,\n";
    let mut conn = app.db.get().unwrap();
    let report = hoagiai::units::import::import(&mut conn, csv.as_bytes()).unwrap();
    assert_eq!(report.created, 3);
    let again = hoagiai::units::import::import(&mut conn, csv.as_bytes()).unwrap();
    assert_eq!((again.created, again.existing), (0, 3), "running it again changes nothing");
    let bad = "code,name,level,parent_code\n,Thôn X,village,99999\n";
    let err = hoagiai::units::import::import(&mut conn, bad.as_bytes()).unwrap_err();
    assert!(err.contains("line 2") && err.contains("99999"), "{err}");
    drop(conn);
    let admin = app.admin().await;
    let res = admin.get("/api/v1/units?q=na%20hang").await;
    assert_eq!(res.body["items"][0]["ethnic_minority_area"], true);
    assert_eq!(res.body["items"][0]["depth"], 2);
}
