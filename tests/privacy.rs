//! Data-subject rights: the register with its deadline across a holiday, a person's export
//! holding exactly their records (never a namesake's, never the other parties'), who may do any of
//! it, and pseudonymisation that leaves every figure where it was.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::cases::{create, new_case, world};
use crate::common::Resp;

on_both_backends!(
    a_persons_export_holds_exactly_their_records,
    requests_have_a_deadline_and_an_answer,
    a_pseudonymised_case_is_still_counted
);

fn ids(res: &Resp, field: &str) -> Vec<String> {
    res.body["items"].as_array().unwrap().iter().map(|i| i[field].as_str().unwrap().to_string()).collect()
}

fn party(case: &Resp, name: &str) -> String {
    let parties = case.body["parties"].as_array().unwrap();
    parties.iter().find(|p| p["full_name"] == name).unwrap()["id"].as_str().unwrap().to_string()
}

async fn a_persons_export_holds_exactly_their_records(app: crate::common::TestApp) {
    let w = world(app).await;
    // Nguyễn Văn An is a party in two cases; a namesake born in 1990 in a third.
    let first = create(&w.leader, &new_case(&w.team)).await;
    let mut body = new_case(&w.team);
    body["summary"] = json!("Tranh chấp ranh giới ao");
    body["parties"] = json!([
        {"kind": "person", "full_name": "Nguyễn Văn An", "birth_year": 1968, "address": "Thôn Hội Yên", "phone": "0987 000 111"},
        {"kind": "person", "full_name": "Trần Thị Cúc", "birth_year": 1972, "address": "Thôn Hội Yên"}
    ]);
    let second = create(&w.leader, &body).await;
    body["id"] = json!(uuid::Uuid::now_v7());
    body["summary"] = json!("Mâu thuẫn về tiếng ồn");
    body["parties"] = json!([
        {"kind": "person", "full_name": "Nguyễn Văn  An", "birth_year": 1990, "address": "Xóm Đông"},
        {"kind": "person", "full_name": "Đỗ Văn Dũng", "birth_year": 1988, "address": "Xóm Đông"}
    ]);
    let namesake = create(&w.leader, &body).await;
    let an = [party(&first, "Nguyễn Văn An"), party(&second, "Nguyễn Văn An")];

    // The officer finds the rows by the whole name, diacritics and case aside; the year of birth
    // tells namesakes apart.
    let found = w.officer.get("/api/v1/privacy/parties?name=nguyen%20van%20an").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.text);
    assert_eq!(found.body["items"].as_array().unwrap().len(), 3, "{}", found.text);
    let found = w.officer.get("/api/v1/privacy/parties?name=Nguy%E1%BB%85n%20V%C4%83n%20An&birth_year=1968").await;
    assert_eq!(ids(&found, "party_id"), vec![an[1].clone()]);

    let request = json!({"kind": "access", "party_ids": an, "requester_name": "Nguyễn Văn An", "received_on": "2026-11-27",
        "details": "Xin được biết thông tin về tôi đang được lưu"});
    let res = w.officer.post("/api/v1/privacy/requests", &request).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let id = res.body["id"].as_str().unwrap().to_string();
    let export = w.officer.get(&format!("/api/v1/privacy/requests/{id}/export")).await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    assert_eq!(export.header("cache-control").as_deref(), Some("private, no-store"));
    let cases: Vec<&str> = export.body["cases"].as_array().unwrap().iter().map(|c| c["case_id"].as_str().unwrap()).collect();
    let mut expected = vec![first.body["id"].as_str().unwrap(), second.body["id"].as_str().unwrap()];
    expected.sort();
    let mut got = cases.clone();
    got.sort();
    assert_eq!(got, expected, "exactly their two cases");
    for c in export.body["cases"].as_array().unwrap() {
        assert_eq!(c["party"]["full_name"], "Nguyễn Văn An");
    }
    assert_eq!(export.body["cases"][1]["party"]["phone"], "0987 000 111");
    assert!(export.body["mediator"].is_null());
    for other in ["Lê Văn Bảo", "Trần Thị Cúc", "Đỗ Văn Dũng", "Xóm Đông", "Mâu thuẫn về tiếng ồn", namesake.body["id"].as_str().unwrap()]
    {
        assert!(!export.text.contains(other), "the export holds {other}: {}", export.text);
    }
    let page = w.officer.get(&format!("/api/v1/privacy/requests/{id}/export?format=html")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.text.contains("THÔNG TIN DỮ LIỆU CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ") && page.text.contains("Tranh chấp ranh giới ao"));
    assert!(!page.text.contains("Trần Thị Cúc") && !page.text.contains("Lê Văn Bảo"));
    // Each export is a read of personal data, in the audit log.
    let audit = w.officer.get(&format!("/api/v1/audit-log?entity=subject_request&entity_id={id}")).await;
    let actions: Vec<&str> = audit.body["items"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "export").count(), 2, "{}", audit.text);
    assert!(actions.contains(&"create"));

    // A mediator's export: their record, their assignment, their account; no party's data.
    let case = format!("/api/v1/cases/{}", first.body["id"].as_str().unwrap());
    let res = w.leader.post(&format!("{case}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = w
        .officer
        .post(
            "/api/v1/privacy/requests",
            &json!({"kind": "access", "mediator_id": w.mediator_a_id, "requester_name": "Phạm Thị Lan", "received_on": "2026-11-27"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let export = w.officer.get(&format!("/api/v1/privacy/requests/{}/export", res.body["id"].as_str().unwrap())).await;
    let m = &export.body["mediator"];
    assert_eq!(m["record"]["full_name"], "Phạm Thị Lan", "{}", export.text);
    assert_eq!(m["assignments"].as_array().unwrap().len(), 1);
    assert_eq!(m["accounts"][0]["username"], "hgv.lan");
    assert!(export.body["cases"].as_array().unwrap().is_empty());
    assert!(!export.text.contains("Nguyễn Văn An") && !export.text.contains("Lê Văn Bảo"));

    // One subject per request; rows of another commune are not found.
    let both =
        json!({"kind": "access", "mediator_id": w.mediator_a_id, "party_ids": [an[0]], "requester_name": "X", "received_on": "2026-11-27"});
    w.officer.post("/api/v1/privacy/requests", &both).await.assert_problem(422, "validation_failed");
    let (other_officer, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    let res = other_officer
        .post(
            "/api/v1/privacy/requests",
            &json!({"kind": "access", "party_ids": [an[0]], "requester_name": "X", "received_on": "2026-11-27"}),
        )
        .await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "not_found");
    other_officer.get(&format!("/api/v1/privacy/requests/{id}")).await.assert_problem(404, "not_found");
    assert!(other_officer.get("/api/v1/privacy/parties?name=nguyen%20van%20an").await.body["items"].as_array().unwrap().is_empty());

    // Only the commune's justice officer: not the team leader, the leadership, an administrator,
    // or an officer above the commune.
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.commune_a)).await;
    let (province_officer, _) = w.app.user(Role::Officer, Some(&w.tree.province)).await;
    for (who, client) in [("leader", &w.leader), ("viewer", &viewer), ("admin", &w.tree.admin)] {
        let res = client.get(&format!("/api/v1/privacy/requests/{id}/export")).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}: {}", res.text);
    }
    province_officer.get(&format!("/api/v1/privacy/requests/{id}/export")).await.assert_problem(403, "commune_officer_only");
    province_officer.get("/api/v1/privacy/parties?name=nguyen%20van%20an").await.assert_problem(403, "commune_officer_only");
}

async fn requests_have_a_deadline_and_an_answer(app: crate::common::TestApp) {
    let w = world(app).await;
    // Received Tuesday 28 April 2026: 29 April, then 30/4 and 1/5 (holidays) and the weekend;
    // due Monday 4 May.
    let body = json!({"kind": "correction", "mediator_id": w.mediator_b_id, "requester_name": "Nguyễn Văn Tư",
        "received_on": "2026-04-28", "details": "Sửa năm sinh"});
    let res = w.officer.post("/api/v1/privacy/requests", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!((res.body["due_on"].as_str(), res.body["overdue"].as_bool()), (Some("2026-05-04"), Some(true)));
    let id = res.body["id"].as_str().unwrap().to_string();
    let etag = res.etag();
    let late = w.officer.get("/api/v1/privacy/requests?overdue=true").await;
    assert_eq!(ids(&late, "id"), vec![id.clone()]);

    // The correction itself is the mediator's own audited command; the request records the answer.
    let close = format!("/api/v1/privacy/requests/{id}/close");
    let answer = json!({"status": "completed", "closed_on": "2026-05-04", "outcome": "Đã sửa năm sinh theo căn cước"});
    let send = |tag: Option<&str>, body: &Value| {
        let tag = tag.map(str::to_string);
        let body = body.to_string().into_bytes();
        let officer = w.officer.clone();
        let close = close.clone();
        async move {
            let headers: Vec<(&str, &str)> = tag.as_deref().map(|t| vec![("if-match", t)]).unwrap_or_default();
            officer.send("POST", &close, &headers, Some(("application/json", body))).await
        }
    };
    send(None, &answer).await.assert_problem(428, "if_match_required");
    let early = json!({"status": "completed", "closed_on": "2026-04-27", "outcome": "x"});
    let res = send(Some(&etag), &early).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "before_received");
    let res = send(Some(&etag), &answer).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!((res.body["status"].as_str(), res.body["overdue"].as_bool()), (Some("completed"), Some(false)));
    send(Some(&etag), &answer).await.assert_problem(412, "version_mismatch");
    send(Some(&res.etag()), &answer).await.assert_problem(409, "already_closed");
    assert!(w.officer.get("/api/v1/privacy/requests?overdue=true").await.body["items"].as_array().unwrap().is_empty());
    let open = w.officer.get("/api/v1/privacy/requests?status=open").await;
    assert!(open.body["items"].as_array().unwrap().is_empty());
}

/// The indicators of the commune for a year, without the moment they were computed.
async fn figures(w: &crate::cases::World, year: i32) -> Value {
    let res = w.officer.get(&format!("/api/v1/stats/indicators?unit_id={}&period={year}&by=category", w.tree.commune_a)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let mut body = res.body;
    body.as_object_mut().unwrap().remove("generated_at");
    body
}

async fn a_pseudonymised_case_is_still_counted(app: crate::common::TestApp) {
    let w = world(app).await;
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let old = crate::funding::ended_case(&w, d(2023, 3, 1), &[&w.mediator_a_id], "agreement", d(2023, 3, 20)).await;
    let failed = crate::funding::ended_case(&w, d(2023, 5, 2), &[&w.mediator_a_id], "mediator_ended", d(2023, 6, 1)).await;
    let recent = crate::funding::ended_case(&w, d(2025, 9, 1), &[&w.mediator_a_id], "agreement", d(2025, 9, 10)).await;
    let open = create(&w.leader, &new_case(&w.team)).await;
    let before_2023 = figures(&w, 2023).await;
    let before_2025 = figures(&w, 2025).await;
    let logbook_lines = |year: i32| {
        let officer = w.officer.clone();
        let team = w.team.clone();
        async move { officer.get(&format!("/api/v1/teams/{team}/logbook?year={year}")).await.body["rows"].as_array().map(Vec::len) }
    };
    let lines_before = logbook_lines(2023).await;

    // Bad input changes nothing.
    w.officer.post("/api/v1/privacy/pseudonymisations", &json!({"retain_years": 0})).await.assert_problem(422, "validation_failed");
    w.leader.post("/api/v1/privacy/pseudonymisations", &json!({"retain_years": 2})).await.assert_problem(403, "forbidden");

    // Keep three years: the two cases of 2023 go, the one of 2025 and the open one stay.
    let res = w.officer.post("/api/v1/privacy/pseudonymisations", &json!({"retain_years": 3})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!((res.body["cases"].as_i64(), res.body["parties"].as_i64()), (Some(2), Some(4)), "{}", res.text);

    let case = w.officer.get(&format!("/api/v1/cases/{old}")).await;
    let names: Vec<&str> = case.body["parties"].as_array().unwrap().iter().map(|p| p["full_name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Bên 1", "Bên 2"], "{}", case.text);
    assert!(case.body["parties"].as_array().unwrap().iter().all(|p| p["address"].is_null() && p["phone"].is_null()));
    assert!(!case.text.contains("Nguyễn Văn An") && !case.text.contains("Hai bên thống nhất") && !case.text.contains("lối đi chung"));
    assert!(case.body["pseudonymised_on"].is_string());
    assert_eq!((case.body["status"].as_str(), case.body["category"].as_str()), (Some("successful"), Some("land")));
    let case = w.officer.get(&format!("/api/v1/cases/{failed}")).await;
    assert!(case.body["parties"].as_array().unwrap().iter().all(|p| p["demand"].is_null()), "{}", case.text);
    for kept in [&recent, open.body["id"].as_str().unwrap()] {
        let case = w.officer.get(&format!("/api/v1/cases/{kept}")).await;
        assert!(case.body["pseudonymised_on"].is_null());
        assert_eq!(case.body["parties"][0]["full_name"], "Nguyễn Văn An");
    }

    // Every figure is where it was, and the log book keeps its lines.
    assert_eq!(figures(&w, 2023).await, before_2023);
    assert_eq!(figures(&w, 2025).await, before_2025);
    assert_eq!(logbook_lines(2023).await, lines_before);
    let check = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={old}")).await;
    assert!(check.body["items"].as_array().unwrap().iter().any(|r| r["action"] == "pseudonymise"), "{}", check.text);
    // Run again: nothing left to do. Nobody can find the person in those cases any more.
    let res = w.officer.post("/api/v1/privacy/pseudonymisations", &json!({"retain_years": 3})).await;
    assert_eq!(res.body["cases"], 0);
    let found = w.officer.get("/api/v1/privacy/parties?name=nguyen%20van%20an").await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 2, "the 2025 case and the open one: {}", found.text);
}
