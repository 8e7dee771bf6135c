//! After the 2025 reform: a commune formed by a merger carries on its predecessors' records. Its
//! officer lists, continues, finishes and pays their cases, re-forms a team with their teams, moves
//! a mediator's membership; its figures and its new province's include the predecessors', and the
//! province's total equals the sum of its communes. A closed village takes no new record.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::common::{Client, Resp, TestApp};

on_both_backends!(a_merged_commune_carries_on_its_predecessors);

async fn ok(res: Resp, status: StatusCode) -> Value {
    assert_eq!(res.status, status, "{}", res.text);
    res.body
}

async fn unit(admin: &Client, body: Value) -> String {
    ok(admin.post("/api/v1/units", &body).await, StatusCode::CREATED).await["id"].as_str().unwrap().to_string()
}

fn case(team: &str, received_on: &str) -> Value {
    json!({
        "team_id": team, "received_on": received_on, "basis": "party_request", "category": "land",
        "summary": "Tranh chấp ranh giới đất giữa hai hộ",
        "parties": [{"kind": "person", "full_name": "Vũ Văn Hải", "address": "Thôn Đông"},
                    {"kind": "person", "full_name": "Đỗ Thị Hoa", "address": "Thôn Đông"}]
    })
}

/// Assigns the mediator, holds a session, and (when `end` is given) ends the case that day.
async fn work(officer: &Client, case: &Value, mediator: &str, on: &str, end: Option<(&str, &str)>) {
    let p = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
    ok(
        officer.post(&format!("{p}/assignments"), &json!({"mediator_id": mediator, "chosen_by": "leader", "assigned_on": on})).await,
        StatusCode::OK,
    )
    .await;
    ok(officer.post(&format!("{p}/sessions"), &json!({"held_on": on})).await, StatusCode::OK).await;
    if let Some((reason, ended_on)) = end {
        let body = match reason {
            "agreement" => json!({"end_reason": "agreement", "agreement_text": "Hai bên thống nhất mốc giới", "ended_on": ended_on}),
            _ => {
                json!({"end_reason": reason, "ended_on": ended_on, "demands": [{"party_id": case["parties"][0]["id"], "demand": "Giữ nguyên"}]})
            }
        };
        ok(officer.post(&format!("{p}/end"), &body).await, StatusCode::OK).await;
    }
}

fn received(indicators: &Value) -> (i64, i64, i64) {
    let c = &indicators["figures"]["cases"];
    (c["received"].as_i64().unwrap(), c["successful"].as_i64().unwrap(), c["unsuccessful"].as_i64().unwrap())
}

async fn a_merged_commune_carries_on_its_predecessors(app: TestApp) {
    let admin = app.admin().await;
    // Before: Tỉnh Hải Dương › Huyện Thanh Miện › Xã Đoàn Kết and Xã Ngô Quyền, until 30 June 2025.
    let closed = "2025-07-01";
    let hai_duong =
        unit(&admin, json!({"name": "Tỉnh Hải Dương", "code": "30", "level": "province", "valid_from": "1997-01-01", "valid_to": closed}))
            .await;
    let thanh_mien = unit(
        &admin,
        json!({"name": "Huyện Thanh Miện", "code": "300", "level": "district", "parent_id": hai_duong, "valid_from": "1997-01-01"}),
    )
    .await;
    let doan_ket = unit(&admin, json!({"name": "Xã Đoàn Kết", "code": "11263", "level": "commune", "parent_id": thanh_mien, "valid_from": "1997-01-01", "valid_to": closed})).await;
    let ngo_quyen = unit(&admin, json!({"name": "Xã Ngô Quyền", "code": "11248", "level": "commune", "parent_id": thanh_mien, "valid_from": "1997-01-01", "valid_to": closed})).await;
    let dong = unit(
        &admin,
        json!({"name": "Thôn Đông", "level": "village", "parent_id": doan_ket, "valid_from": "2000-01-01", "valid_to": closed}),
    )
    .await;
    let tay = unit(
        &admin,
        json!({"name": "Thôn Tây", "level": "village", "parent_id": ngo_quyen, "valid_from": "2000-01-01", "valid_to": closed}),
    )
    .await;
    // A district cannot be dated after the reform.
    admin
        .post(
            "/api/v1/units",
            &json!({"name": "Huyện Mới", "code": "301", "level": "district", "parent_id": hai_duong, "valid_from": "2025-07-01"}),
        )
        .await
        .assert_problem(422, "validation_failed");
    // After: Thành phố Hải Phòng › Xã Hải Hưng, from 1 July 2025.
    let hai_phong =
        unit(&admin, json!({"name": "Thành phố Hải Phòng", "code": "31", "level": "province", "valid_from": "1955-05-13"})).await;
    let hai_hung =
        unit(&admin, json!({"name": "Xã Hải Hưng", "code": "11257", "level": "commune", "parent_id": hai_phong, "valid_from": closed}))
            .await;
    let thon_1 = unit(&admin, json!({"name": "Thôn Đông Tây", "level": "village", "parent_id": hai_hung, "valid_from": closed})).await;
    for (from, to) in [(&hai_duong, &hai_phong), (&doan_ket, &hai_hung), (&ngo_quyen, &hai_hung)] {
        let s = json!({"from_unit_id": from, "to_unit_id": to, "kind": "merge", "effective_date": closed, "legal_basis": "Nghị quyết 1669/NQ-UBTVQH15"});
        ok(admin.post("/api/v1/unit-successions", &s).await, StatusCode::CREATED).await;
    }
    // The province's rates: Hải Dương's until Hải Phòng's resolution applies on 1 October 2025.
    for (unit, rate, from) in [(&hai_duong, 200_000, "2020-01-01"), (&hai_phong, 300_000, "2025-10-01")] {
        let p = json!({"unit_id": unit, "legal_basis": "Nghị quyết HĐND tỉnh", "valid_from": from, "item": "case_fee", "rate": rate, "rate_unit": "per_case_per_team"});
        ok(admin.post("/api/v1/funding/policies", &p).await, StatusCode::CREATED).await;
    }

    // The predecessors' paper records, entered by the successor's officer (who answers for them).
    let (officer, _) = app.user(Role::Officer, Some(&hai_hung)).await;
    let old_officer = officer.clone();
    // A closed commune takes no new officer; a reader of its history, yes.
    let officer_there = json!({"username": "canbo.doanket", "display_name": "Cán bộ xã cũ", "role": "officer", "unit_id": doan_ket, "password": "Mat-khau-rat-dai-2025!"});
    admin.post("/api/v1/users", &officer_there).await.assert_problem(422, "validation_failed");
    app.user(Role::Viewer, Some(&thanh_mien)).await;
    let old_team = ok(
        old_officer.post("/api/v1/teams", &json!({"name": "Tổ hòa giải thôn Đông", "unit_id": dong, "founded_on": "2015-03-01"})).await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let m = json!({"full_name": "Phạm Văn Tùng", "sex": "male", "birth_year": 1968, "unit_id": dong,
                   "membership": {"team_id": old_team, "role": "leader", "from_date": "2020-01-01", "recognition_decision": "12/QĐ-UBND"}});
    let mediator = ok(old_officer.post("/api/v1/mediators", &m).await, StatusCode::CREATED).await;
    let mediator_id = mediator["id"].as_str().unwrap().to_string();
    let membership_id = mediator["memberships"][0]["id"].as_str().unwrap().to_string();
    let open = ok(old_officer.post("/api/v1/cases", &case(&old_team, "2025-03-10")).await, StatusCode::CREATED).await;
    work(&old_officer, &open, &mediator_id, "2025-03-12", None).await;
    let won = ok(old_officer.post("/api/v1/cases", &case(&old_team, "2025-04-01")).await, StatusCode::CREATED).await;
    work(&old_officer, &won, &mediator_id, "2025-04-03", Some(("agreement", "2025-05-01"))).await;
    let lost = ok(old_officer.post("/api/v1/cases", &case(&old_team, "2025-06-01")).await, StatusCode::CREATED).await;
    work(&old_officer, &lost, &mediator_id, "2025-06-02", Some(("party_withdrew", "2025-06-20"))).await;
    assert_eq!(open["logbook_line"], 1);

    // The closed village takes no new case and no new team.
    old_officer.post("/api/v1/cases", &case(&old_team, "2025-08-01")).await.assert_problem(422, "validation_failed");
    let refused = old_officer.post("/api/v1/cases", &case(&old_team, "2025-08-01")).await;
    assert_eq!(refused.body["errors"][0]["field"], "received_on");
    assert_eq!(refused.body["errors"][0]["code"], "unit_closed");
    old_officer
        .post("/api/v1/teams", &json!({"name": "Tổ hòa giải thôn Tây", "unit_id": tay, "founded_on": "2025-09-01"}))
        .await
        .assert_problem(422, "validation_failed");

    // The successor's officer sees the predecessors' teams and cases, and opens the open one.
    let teams = ok(officer.get("/api/v1/teams").await, StatusCode::OK).await;
    assert_eq!(teams["items"].as_array().unwrap().len(), 1, "{teams}");
    let cases = ok(officer.get("/api/v1/cases").await, StatusCode::OK).await;
    assert_eq!(cases["items"].as_array().unwrap().len(), 3, "{cases}");
    let open_id = open["id"].as_str().unwrap();
    ok(officer.get(&format!("/api/v1/cases/{open_id}")).await, StatusCode::OK).await;
    let within = ok(officer.get(&format!("/api/v1/cases?within={hai_hung}")).await, StatusCode::OK).await;
    assert_eq!(within["items"].as_array().unwrap().len(), 3);

    // It re-forms the team with its predecessor, and moves the leader's membership across.
    let new_team = ok(
        officer
            .post(
                "/api/v1/teams",
                &json!({"name": "Tổ hòa giải thôn Đông Tây", "unit_id": thon_1, "founded_on": closed, "predecessor_ids": [old_team]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let moved = ok(
        officer
            .post(
                &format!("/api/v1/mediators/{mediator_id}/memberships/{membership_id}/transfer"),
                &json!({"team_id": new_team, "on": closed, "recognition_decision": "05/QĐ-UBND", "recognition_date": "2025-07-01"}),
            )
            .await,
        StatusCode::OK,
    )
    .await;
    let ms = moved["memberships"].as_array().unwrap();
    assert_eq!(ms.len(), 2, "{moved}");
    let old_ms = ms.iter().find(|m| m["team_id"] == old_team.as_str()).unwrap();
    let new_ms = ms.iter().find(|m| m["team_id"] == new_team.as_str()).unwrap();
    assert_eq!((old_ms["to_date"].as_str(), old_ms["end_reason"].as_str()), (Some(closed), Some("transferred")));
    assert_eq!(
        (new_ms["from_date"].as_str(), new_ms["recognition_decision"].as_str(), new_ms["role"].as_str()),
        (Some(closed), Some("05/QĐ-UBND"), Some("leader"))
    );

    // It moves the open case to the new team (its first line kept) and finishes it there.
    let transferred = ok(
        officer.post(&format!("/api/v1/cases/{open_id}/transfer"), &json!({"team_id": new_team, "transferred_on": "2025-07-15"})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(transferred["team_id"], new_team.as_str());
    assert_eq!(transferred["logbook_line"], 1, "the first line of the new team's 2025 book");
    assert_eq!(transferred["transferred_from"], json!({"team_id": old_team, "logbook_line": 1, "transferred_on": "2025-07-15"}));
    // The old team's 2025 book keeps the line, saying where the case went; the new team's says
    // where it came from. Each case is summed up once, in the book of the team that carries it.
    let old_book = ok(officer.get(&format!("/api/v1/teams/{old_team}/logbook?year=2025")).await, StatusCode::OK).await;
    let row = old_book["rows"].as_array().unwrap().iter().find(|r| r["case_id"] == open_id).unwrap().clone();
    assert_eq!(row["number"], 1);
    assert!(row["notes"].as_str().unwrap().starts_with("Chuyển sang Tổ hòa giải thôn Đông Tây ngày 15/07/2025 (số thứ tự 1)"), "{row}");
    assert_eq!(old_book["rows"].as_array().unwrap().len(), 3);
    let new_book = ok(officer.get(&format!("/api/v1/teams/{new_team}/logbook?year=2025")).await, StatusCode::OK).await;
    let row = &new_book["rows"][0];
    assert_eq!((row["number"].as_i64(), row["case_id"].as_str()), (Some(1), Some(open_id)));
    assert!(row["notes"].as_str().unwrap().starts_with("Tiếp nhận từ Tổ hòa giải thôn Đông ngày 15/07/2025 (số thứ tự 1)"), "{row}");
    let total = |book: &Value| book["summary"]["total"]["received"].as_i64();
    assert_eq!((total(&old_book), total(&new_book)), (Some(2), Some(1)), "{}", old_book["summary"]);
    let end = json!({"end_reason": "agreement", "agreement_text": "Hai bên thống nhất mốc giới", "ended_on": "2025-08-01"});
    ok(officer.post(&format!("/api/v1/cases/{open_id}/end"), &end).await, StatusCode::OK).await;

    // The commune's 2025 figures hold its predecessors': 3 received, 2 successful, 1 unsuccessful.
    let own = ok(officer.get("/api/v1/stats/indicators?period=2025").await, StatusCode::OK).await;
    assert_eq!(received(&own), (3, 2, 1), "{own}");
    // The new province's total equals the sum of its communes, as its Department of Justice's
    // statistics client reads them (exact case counts by commune; its single mediator is a small
    // cell and stays hidden).
    let (province_stats, _) = app.user(Role::Stats, Some(&hai_phong)).await;
    let province = ok(province_stats.get("/api/v1/stats/indicators?period=2025&by=unit&level=commune").await, StatusCode::OK).await;
    assert_eq!(received(&province), (3, 2, 1), "{province}");
    assert_eq!(province["figures"]["mediators"]["total"], Value::Null, "{province}");
    let lines = province["breakdown"].as_array().unwrap();
    let sum: i64 = lines.iter().map(|l| l["cases"]["received"].as_i64().unwrap()).sum();
    assert_eq!(sum, 3, "{province}");
    assert!(lines.iter().any(|l| l["key"] == hai_hung.as_str() && l["cases"]["received"] == 3));
    // What `hoagiai stats check` verifies: every province equals the sum of its communes.
    let sums = {
        let mut conn = app.db.get().unwrap();
        hoagiai::stats::boundaries::check(&mut conn).unwrap()
    };
    assert!(sums.is_empty(), "{sums:?}");

    // The year-end report and the access-to-law assessment of 2025 carry the figures.
    let year_end = ok(officer.get("/api/v1/review/year-end?year=2025").await, StatusCode::OK).await;
    assert_eq!(year_end["cases"]["received"], 3, "{year_end}");
    assert_eq!(year_end["cases"]["successful"], 2);
    let access = ok(officer.get("/api/v1/stats/access-to-law?year=2025").await, StatusCode::OK).await;
    let positive = access["indicators"].as_array().unwrap().iter().filter(|i| i["value"].as_f64().is_some_and(|v| v > 0.0)).count();
    assert!(positive > 0, "the merger year is assessed with the predecessors' work: {access}");

    // Fees: the three cases at Hải Dương's rate (the last ended before Hải Phòng's applied).
    let s = ok(officer.get("/api/v1/funding/fee-suggestions?from=2025-01-01&to=2025-12-31").await, StatusCode::OK).await;
    assert_eq!((s["payable_cases"].as_i64(), s["total"].as_i64()), (Some(3), Some(600_000)), "{s}");
    let pay = json!({"from": "2025-01-01", "to": "2025-12-31", "paid_on": "2025-12-15", "voucher_no": "PC-07",
                     "case_ids": [open_id, won["id"], lost["id"]]});
    ok(officer.post("/api/v1/funding/fee-suggestions/accept", &pay).await, StatusCode::CREATED).await;
    let after = ok(officer.get("/api/v1/funding/fee-suggestions?from=2025-01-01&to=2025-12-31").await, StatusCode::OK).await;
    assert_eq!(after["payable_cases"], 0, "{after}");

    // District-level facts are history: no district training after the reform; before it, yes.
    let training = |held_on: &str| {
        json!({"held_on": held_on, "title": "Tập huấn kỹ năng hòa giải", "organiser": "Phòng Tư pháp huyện Thanh Miện",
                                          "level": "district", "topics": ["Luật Hòa giải ở cơ sở"], "attendance": [{"mediator_id": mediator_id, "present": true}]})
    };
    let res = officer.post("/api/v1/trainings", &training("2025-09-10")).await;
    assert_eq!((res.status.as_u16(), res.body["errors"][0]["code"].as_str()), (422, Some("district_abolished")), "{}", res.text);
    let mut before = training("2025-03-10");
    before["unit_id"] = json!(doan_ket);
    ok(officer.post("/api/v1/trainings", &before).await, StatusCode::CREATED).await;
    // A team of another commune is not a successor: the case cannot move there.
    let elsewhere =
        unit(&admin, json!({"name": "Xã Khác", "code": "11999", "level": "commune", "parent_id": hai_phong, "valid_from": closed})).await;
    let v = unit(&admin, json!({"name": "Thôn Khác", "level": "village", "parent_id": elsewhere, "valid_from": closed})).await;
    let (far_officer, _) = app.user(Role::Officer, Some(&elsewhere)).await;
    let far_team =
        ok(far_officer.post("/api/v1/teams", &json!({"name": "Tổ khác", "unit_id": v, "founded_on": closed})).await, StatusCode::CREATED)
            .await["id"]
            .as_str()
            .unwrap()
            .to_string();
    let second = ok(officer.post("/api/v1/cases", &case(&new_team, "2025-09-01")).await, StatusCode::CREATED).await;
    let res = officer.post(&format!("/api/v1/cases/{}/transfer", second["id"].as_str().unwrap()), &json!({"team_id": far_team})).await;
    assert_eq!(res.status.as_u16(), 422, "{}", res.text);
    // The other commune's officer sees none of Hải Hưng's or its predecessors' cases.
    let theirs = ok(far_officer.get("/api/v1/cases").await, StatusCode::OK).await;
    assert_eq!(theirs["items"].as_array().unwrap().len(), 0);
}
