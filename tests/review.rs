//! Trainings and coverage; team ratings; the year-end report's figures for a known data set, as
//! JSON and as a printable page; the demo commune's report with every indicator filled in.

use actix_web::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::cases::{create, new_case, world};
use crate::common::{Client, Resp, TestApp};
use crate::funding::{days_ago, ended_case};
use crate::teams::{mediator, team};

on_both_backends!(training_coverage_and_who_is_left, year_end_report_from_a_known_year, team_activity_from_a_known_year);

/// The demo commune: this year's coverage equals what its trainings and mediators say, and the
/// year-end report of last year and of this year has a figure for every indicator of the plan.
#[actix_web::test]
async fn the_demo_commune_has_every_indicator() {
    let app = TestApp::sqlite().await;
    let dir = app.data_dir.clone();
    let logins = {
        let mut conn = app.db.get().unwrap();
        hoagiai::demo::seed(&mut conn, &dir).unwrap()
    };
    let password = logins.iter().find(|l| l.username == "canbo.tuphap").unwrap().password.clone();
    let officer = app.login("canbo.tuphap", &password).await;
    let year = days_ago(0).year();

    // Independently: who serves now, and who attended a training held this year.
    let mediators = ok(officer.get("/api/v1/mediators?limit=100").await, StatusCode::OK).await.body;
    let active: Vec<String> = mediators["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["current_team_id"].is_string())
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    let trainings = ok(officer.get(&format!("/api/v1/trainings?year={year}")).await, StatusCode::OK).await.body;
    let mut trained: Vec<String> = trainings["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["attendance"].as_array().unwrap().clone())
        .filter(|a| a["present"] == true)
        .map(|a| a["mediator_id"].as_str().unwrap().to_string())
        .filter(|m| active.contains(m))
        .collect();
    trained.sort();
    trained.dedup();
    let cov = ok(officer.get(&format!("/api/v1/trainings/coverage?year={year}")).await, StatusCode::OK).await.body;
    assert_eq!((cov["active_mediators"].as_i64(), cov["trained"].as_i64()), (Some(active.len() as i64), Some(trained.len() as i64)));
    let untrained: Vec<String> =
        cov["untrained"].as_array().unwrap().iter().map(|m| m["mediator_id"].as_str().unwrap().to_string()).collect();
    assert!(!untrained.is_empty(), "the demo leaves someone to train");
    assert!(untrained.iter().all(|m| active.contains(m) && !trained.contains(m)));
    assert_eq!(untrained.len() + trained.len(), active.len());

    for y in [year - 1, year] {
        let r = ok(officer.get(&format!("/api/v1/review/year-end?year={y}")).await, StatusCode::OK).await.body;
        let missing: Vec<&Value> = r["plan"].as_array().unwrap().iter().filter(|l| l["value"].is_null()).collect();
        assert!(missing.is_empty(), "{y}: indicators without a figure: {missing:?}");
        assert!(r["cases"]["received"].as_i64().unwrap() > 0 && r["funding_total"]["disbursed"].as_i64().unwrap() > 0);
        let html = ok(officer.get(&format!("/api/v1/review/year-end?year={y}&format=html")).await, StatusCode::OK).await;
        assert!(html.text.contains("XÃ HẢI HƯNG") || html.text.contains("Xã Hải Hưng"), "the successor reports its merger year too");
    }
    // The access-to-law assessment of both years: every indicator measured, evidence linked.
    for y in [year - 1, year] {
        let a = ok(officer.get(&format!("/api/v1/stats/access-to-law?year={y}")).await, StatusCode::OK).await.body;
        for i in a["indicators"].as_array().unwrap() {
            assert!(i["value"].is_number(), "{y} {}: {i}", i["code"]);
            assert!(!i["evidence"].as_array().unwrap().is_empty(), "{y} {}: no evidence", i["code"]);
        }
        assert!(!a.to_string().contains("Xóm 2"), "no party address in the assessment");
    }
    // The log book's cover names the units in force for each volume: the old team's 2024 book
    // Hải Dương › Thanh Miện › Đoàn Kết, the re-formed team's 2026 book Hải Phòng › Hải Hưng.
    let teams = ok(officer.get("/api/v1/teams?limit=100&q=hoi%20yen").await, StatusCode::OK).await.body;
    let hoi_yen: Vec<&Value> = teams["items"].as_array().unwrap().iter().collect();
    assert_eq!(hoi_yen.len(), 2, "the old team and the re-formed one: {teams}");
    for t in hoi_yen {
        let id = t["id"].as_str().unwrap();
        let old = t["dissolved_on"].is_string();
        let y = if old { 2024 } else { 2026 };
        let cover = ok(officer.get(&format!("/api/v1/teams/{id}/logbook?year={y}")).await, StatusCode::OK).await.body["cover"].clone();
        if old {
            assert_eq!(
                (cover["province"].as_str(), cover["district"].as_str(), cover["commune"].as_str()),
                (Some("Tỉnh Hải Dương"), Some("Huyện Thanh Miện"), Some("Xã Đoàn Kết")),
                "{cover}"
            );
        } else {
            assert_eq!(
                (cover["province"].as_str(), cover["district"].as_str(), cover["commune"].as_str()),
                (Some("Thành phố Hải Phòng"), None, Some("Xã Hải Hưng")),
                "{cover}"
            );
        }
    }
    // The merger year by village, under today's boundaries: the villages' lines add up to the
    // commune (each village carries its moved predecessor's records).
    let by_village = ok(officer.get("/api/v1/stats/indicators?period=2025&by=unit").await, StatusCode::OK).await.body;
    let lines: i64 = by_village["breakdown"].as_array().unwrap().iter().map(|l| l["cases"]["received"].as_i64().unwrap()).sum();
    assert_eq!(Some(lines), by_village["figures"]["cases"]["received"].as_i64(), "{by_village}");
    assert!(lines > 0 && by_village["needs_manual_mapping"].as_array().unwrap().is_empty());
    let last = ok(officer.get(&format!("/api/v1/review/year-end?year={}", year - 1)).await, StatusCode::OK).await.body;
    assert_eq!((last["teams_rated"].as_i64(), last["awards"].as_array().unwrap().len()), (Some(7), 2));
}

async fn ok(res: Resp, status: StatusCode) -> Resp {
    assert_eq!(res.status, status, "{}", res.text);
    res
}

fn training(held_on: NaiveDate, attendance: Value) -> Value {
    json!({"held_on": held_on, "title": "Bồi dưỡng kỹ năng hòa giải", "organiser": "UBND xã", "level": "commune", "topics": ["Luật Hòa giải ở cơ sở"], "attendance": attendance})
}

async fn training_coverage_and_who_is_left(app: TestApp) {
    let w = world(app).await;
    let year = days_ago(0).year();
    let held = NaiveDate::from_ymd_opt(year, 1, 1).unwrap().max(days_ago(3));
    let t = ok(
        w.officer
            .post(
                "/api/v1/trainings",
                &training(
                    held,
                    json!([{"mediator_id": w.mediator_a_id, "present": true}, {"mediator_id": w.mediator_b_id, "present": false}]),
                ),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!((t.body["present_count"].as_i64(), t.body["attendance"].as_array().unwrap().len()), (Some(1), 2));
    // A training last year does not count for this year.
    let last = NaiveDate::from_ymd_opt(year - 1, 6, 1).unwrap();
    ok(
        w.officer.post("/api/v1/trainings", &training(last, json!([{"mediator_id": w.mediator_b_id, "present": true}]))).await,
        StatusCode::CREATED,
    )
    .await;

    let cov = ok(w.officer.get(&format!("/api/v1/trainings/coverage?year={year}")).await, StatusCode::OK).await.body;
    assert_eq!((cov["active_mediators"].as_i64(), cov["trained"].as_i64(), cov["trained_rate"].as_f64()), (Some(3), Some(1), Some(0.3333)));
    let untrained: Vec<&str> = cov["untrained"].as_array().unwrap().iter().map(|m| m["mediator_id"].as_str().unwrap()).collect();
    assert_eq!(untrained.len(), 2);
    assert!(untrained.contains(&w.mediator_b_id.as_str()) && untrained.contains(&w.leader_id.as_str()));
    let last_cov = ok(w.officer.get(&format!("/api/v1/trainings/coverage?year={}", year - 1)).await, StatusCode::OK).await.body;
    assert_eq!(last_cov["trained"].as_i64(), Some(1));

    // Marking the leader present later (a PATCH replacing the attendance) updates the figures.
    let etag = t.etag();
    let id = t.body["id"].as_str().unwrap();
    let all = json!({"attendance": [{"mediator_id": w.mediator_a_id, "present": true}, {"mediator_id": w.leader_id, "present": true}]});
    ok(w.officer.patch(&format!("/api/v1/trainings/{id}"), &etag, &all).await, StatusCode::OK).await;
    w.officer.patch(&format!("/api/v1/trainings/{id}"), &etag, &all).await.assert_problem(412, "version_mismatch");
    let cov = ok(w.officer.get(&format!("/api/v1/trainings/coverage?year={year}")).await, StatusCode::OK).await.body;
    assert_eq!(cov["trained"].as_i64(), Some(2));

    // The team leader sees the team's coverage and the trainings its mediators attended.
    let tl = ok(w.leader.get(&format!("/api/v1/trainings/coverage?year={year}&team_id={}", w.team)).await, StatusCode::OK).await.body;
    assert_eq!(tl["trained"].as_i64(), Some(2));
    w.leader.get(&format!("/api/v1/trainings/coverage?year={year}")).await.assert_problem(422, "validation_failed");
    assert_eq!(ok(w.leader.get("/api/v1/trainings").await, StatusCode::OK).await.body["items"].as_array().unwrap().len(), 2);
    w.leader.post("/api/v1/trainings", &training(held, json!([]))).await.assert_problem(403, "forbidden");

    // Bad input changes nothing: a mediator from another commune, a future training attended,
    // the same person twice, an unknown level.
    let (other_officer, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    let other_team = team(&other_officer, &w.tree.village_b, "Tổ hòa giải thôn Phú Khê").await;
    let stranger = mediator(&other_officer, &w.tree.village_b, Some(&other_team), "Lò Văn Páo", "male", "leader").await;
    let bad = [
        training(held, json!([{"mediator_id": stranger["id"], "present": true}])),
        training(days_ago(-10), json!([{"mediator_id": w.mediator_a_id, "present": true}])),
        training(held, json!([{"mediator_id": w.mediator_a_id, "present": true}, {"mediator_id": w.mediator_a_id, "present": false}])),
        json!({"held_on": held, "title": "x", "organiser": "y", "level": "village"}),
        json!({"held_on": "1980-01-01", "title": "x", "organiser": "y", "level": "commune"}),
    ];
    for body in bad {
        w.officer.post("/api/v1/trainings", &body).await.assert_problem(422, "validation_failed");
    }
    assert_eq!(ok(w.officer.get("/api/v1/trainings").await, StatusCode::OK).await.body["items"].as_array().unwrap().len(), 2);
    // And another commune's officer sees neither the trainings nor the coverage.
    other_officer.get(&format!("/api/v1/trainings/{id}")).await.assert_problem(404, "not_found");
    other_officer
        .get(&format!("/api/v1/trainings/coverage?year={year}&unit_id={}", w.tree.commune_a))
        .await
        .assert_problem(404, "not_found");
}

async fn post_ok(c: &Client, path: &str, body: Value) -> Value {
    let res = c.post(path, &body).await;
    assert!(res.status == StatusCode::CREATED || res.status == StatusCode::OK, "{path}: {}", res.text);
    res.body
}

/// Last year, in commune A: team 1 (three mediators, compliant) with two successful cases, one
/// unsuccessful and one still open; team 2 with a single mediator (not compliant). Two of the four
/// mediators trained; a budget of 3,000,000 đ, 1,800,000 đ paid; team 1 rated; one award.
async fn year_end_report_from_a_known_year(app: TestApp) {
    let w = world(app).await;
    let y = days_ago(0).year() - 1;
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let second = team(&w.officer, &w.tree.village_a, "Tổ hòa giải xóm Trại").await;
    mediator(&w.officer, &w.tree.village_a, Some(&second), "Vũ Văn Khải", "male", "leader").await;
    let (a, b) = (w.mediator_a_id.as_str(), w.mediator_b_id.as_str());
    ended_case(&w, d(2, 1), &[a], "agreement", d(2, 10)).await;
    ended_case(&w, d(3, 1), &[a, b], "agreement", d(3, 12)).await;
    ended_case(&w, d(4, 1), &[b], "mediator_ended", d(4, 20)).await;
    let mut open = new_case(&w.team);
    open["received_on"] = json!(d(12, 20));
    create(&w.leader, &open).await;

    let attendance =
        json!([{"mediator_id": a, "present": true}, {"mediator_id": w.leader_id, "present": true}, {"mediator_id": b, "present": false}]);
    post_ok(&w.officer, "/api/v1/trainings", training(d(5, 5), attendance)).await;
    for (item, amount) in [("case_fee", 1_200_000), ("team_support", 1_800_000)] {
        post_ok(&w.officer, "/api/v1/funding/budgets", json!({"year": y, "item": item, "amount": amount})).await;
    }
    post_ok(
        &w.officer,
        "/api/v1/funding/disbursements",
        json!({"paid_on": d(3, 15), "item": "team_support", "payee_team_id": w.team, "amount": 1_800_000}),
    )
    .await;
    let judgements = json!(["detection", "coordination", "mediation_results", "training", "reviews_reports"]
        .iter()
        .map(|c| json!({"code": c, "met": true}))
        .collect::<Vec<_>>());
    let rating = post_ok(&w.officer, "/api/v1/review/team-ratings", json!({"team_id": w.team, "year": y, "judgements": judgements})).await;
    // Two of three concluded cases successful: under the 80% the scheme asks, whatever the officer says.
    let results = rating["results"].as_array().unwrap();
    let computed = results.iter().find(|r| r["code"] == "mediation_results").unwrap();
    assert_eq!(
        (computed["computed"].as_bool(), computed["value"].as_f64(), computed["met"].as_bool()),
        (Some(true), Some(0.6667), Some(false))
    );
    assert_eq!(rating["rating"], "not_achieved");
    w.officer
        .post("/api/v1/review/team-ratings", &json!({"team_id": w.team, "year": y, "judgements": judgements}))
        .await
        .assert_problem(409, "already_rated");
    post_ok(
        &w.officer,
        "/api/v1/review/awards",
        json!({"year": y, "mediator_id": a, "level": "commune", "title": "Giấy khen", "reason": "Hòa giải thành nhiều vụ việc"}),
    )
    .await;
    let put = w
        .officer
        .send(
            "PUT",
            &format!("/api/v1/review/plan-targets/{}/{y}", w.tree.commune_a),
            &[],
            Some(("application/json", json!({"success_rate_pct": 60, "trained_pct": 100}).to_string().into_bytes())),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);

    let r = ok(w.officer.get(&format!("/api/v1/review/year-end?year={y}")).await, StatusCode::OK).await.body;
    let plan = |code: &str| r["plan"].as_array().unwrap().iter().find(|l| l["code"] == code).cloned().unwrap();
    let v = |code: &str| plan(code)["value"].as_f64();
    assert_eq!(
        (v("cases_received"), v("cases_successful"), v("cases_unsuccessful"), v("cases_in_progress")),
        (Some(4.0), Some(2.0), Some(1.0), Some(1.0))
    );
    assert_eq!((v("success_rate_of_concluded"), plan("success_rate_of_concluded")["met"].as_bool()), (Some(0.6667), Some(true)));
    assert_eq!((v("success_rate_of_received"), plan("success_rate_of_received")["met"].as_bool()), (Some(0.5), Some(false)));
    assert_eq!(
        (v("mediators_trained"), plan("mediators_trained")["target"].as_f64(), plan("mediators_trained")["met"].as_bool()),
        (Some(0.5), Some(1.0), Some(false))
    );
    assert_eq!((r["teams"].as_i64(), r["teams_compliant"].as_i64(), v("teams_compliant")), (Some(2), Some(1), Some(0.5)));
    assert_eq!(r["teams_not_compliant"][0]["team_id"], second);
    assert_eq!((v("teams_rated"), v("teams_rated_achieved")), (Some(1.0), Some(0.0)));
    assert_eq!((v("funding_budgeted"), v("funding_disbursed"), v("funding_spent_rate")), (Some(3_000_000.0), Some(1_800_000.0), Some(0.6)));
    assert_eq!(v("awards"), Some(1.0));
    assert_eq!(r["untrained"].as_array().unwrap().len(), 2);
    // The statistics carry the same trained and funding figures.
    let stats = ok(w.officer.get(&format!("/api/v1/stats/indicators?period={y}")).await, StatusCode::OK).await.body;
    let f = &stats["figures"];
    assert_eq!(
        (f["mediators"]["trained_this_year"].as_i64(), f["funding"]["budgeted"].as_i64(), f["funding"]["disbursed"].as_i64()),
        (Some(2), Some(3_000_000), Some(1_800_000))
    );
    let h1 = ok(w.officer.get(&format!("/api/v1/stats/indicators?period={y}-H1")).await, StatusCode::OK).await.body;
    assert_eq!(
        (h1["figures"]["mediators"]["trained_this_year"].as_i64(), h1["figures"]["funding"]["disbursed"].as_i64()),
        (Some(2), Some(1_800_000))
    );
    let q1 = ok(w.officer.get(&format!("/api/v1/stats/indicators?period={y}-Q1")).await, StatusCode::OK).await.body;
    assert_eq!(
        (q1["figures"]["mediators"]["trained_this_year"].as_i64(), q1["figures"]["funding"]["disbursed"].as_i64()),
        (Some(0), Some(1_800_000))
    );
    // The review holds no party's name or the matter's content.
    assert!(!r.to_string().contains("Nguyễn Văn An") && !r.to_string().contains("lối đi"));

    let html = ok(w.officer.get(&format!("/api/v1/review/year-end?year={y}&format=html")).await, StatusCode::OK).await;
    assert!(html.text.contains(&format!("BÁO CÁO<br>Tổng kết công tác hòa giải ở cơ sở năm {y}")));
    // Decree 30/2020: the number, the place-date line, and the chairman signing for the committee.
    for line in ["Số: ……/BC-UBND", "Đoàn Kết, ngày ", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nơi nhận:", "Sở Tư pháp tỉnh Hải Dương"]
    {
        assert!(html.text.contains(line), "{line} missing");
    }
    assert!(
        html.text.contains("66,7%") && html.text.contains("60,0%") && html.text.contains("1.800.000") && html.text.contains("Chưa đạt")
    );
    assert!(html.header("content-security-policy").unwrap().contains(&hoagiai::print::style_hash(hoagiai::print::only_style(&html.text))));
    // The access-to-law assessment of that year, from the same records.
    let a = ok(w.officer.get(&format!("/api/v1/stats/access-to-law?year={y}")).await, StatusCode::OK).await.body;
    assert_eq!(a["standard_code"], if y <= 2025 { "qd_25_2021" } else { "qd_27_2025" });
    let ind = |code: &str| a["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).cloned().unwrap();
    let handled = ind("cases_handled_per_rules");
    assert_eq!(
        (handled["value"].as_f64(), handled["numerator"].as_f64(), handled["denominator"].as_f64(), handled["met"].as_bool()),
        (Some(1.0), Some(3.0), Some(3.0), Some(true))
    );
    assert_eq!((ind("cases_successful")["value"].as_f64(), ind("cases_successful")["met"].as_bool()), (Some(0.6667), Some(false)));
    assert_eq!(ind("mediators_trained")["value"].as_f64(), Some(0.5));
    // A statistics client: the commune's case measures exact, the mediators trained (a few
    // people) hidden with their value; the verdict as published.
    let (stats, _) = w.app.user(Role::Stats, Some(&w.tree.commune_a)).await;
    let theirs = ok(stats.get(&format!("/api/v1/stats/access-to-law?year={y}")).await, StatusCode::OK).await.body;
    let their = |code: &str| theirs["indicators"].as_array().unwrap().iter().find(|i| i["code"] == code).cloned().unwrap();
    let trained = their("mediators_trained");
    assert_eq!((&trained["value"], &trained["numerator"], &trained["suppressed"]), (&Value::Null, &Value::Null, &json!(true)), "{theirs}");
    assert_eq!(trained["met"], ind("mediators_trained")["met"]);
    assert_eq!(
        (their("cases_handled_per_rules")["value"].as_f64(), their("cases_handled_per_rules")["suppressed"].as_bool()),
        (Some(1.0), Some(false))
    );
    assert_eq!(theirs["passed"], a["passed"]);
    // Money was paid, but on no signed, returned list: not yet evidence.
    assert_eq!((ind("funding_provided")["value"].as_f64(), ind("funding_provided")["met"].as_bool()), (Some(0.0), Some(false)));
    assert_eq!(a["passed"], false);
    let logbooks: Vec<&Value> = handled["evidence"].as_array().unwrap().iter().filter(|e| e["kind"] == "logbook").collect();
    assert_eq!(logbooks.len(), 1);
    assert_eq!(logbooks[0]["href"], format!("/api/v1/teams/{}/logbook?year={y}&format=html", w.team));
    assert_eq!(logbooks[0]["count"].as_i64(), Some(4));
    // The standard is data: an administrator replaces the threshold, and the verdict follows.
    let standards = ok(w.officer.get("/api/v1/stats/access-to-law/standards").await, StatusCode::OK).await.body;
    let mut standard = standards.as_array().unwrap().iter().find(|s| s["code"] == a["standard_code"]).cloned().unwrap();
    let code = standard["code"].as_str().unwrap().to_string();
    for i in standard["definition"]["indicators"].as_array_mut().unwrap() {
        if i["code"] == "cases_successful" {
            i["threshold"] = json!(0.6);
        }
    }
    let put = |body: Value| {
        let admin = w.tree.admin.clone();
        let code = code.clone();
        async move {
            admin
                .send(
                    "PUT",
                    &format!("/api/v1/stats/access-to-law/standards/{code}"),
                    &[],
                    Some(("application/json", body.to_string().into_bytes())),
                )
                .await
        }
    };
    let body = json!({"name": standard["name"], "legal_basis": standard["legal_basis"], "from_year": standard["from_year"], "to_year": standard["to_year"], "definition": standard["definition"]});
    let saved = ok(put(body.clone()).await, StatusCode::OK).await;
    assert_eq!(saved.body["version"].as_i64(), Some(2));
    let a = ok(w.officer.get(&format!("/api/v1/stats/access-to-law?year={y}")).await, StatusCode::OK).await.body;
    let successful = a["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "cases_successful").cloned().unwrap();
    assert_eq!(successful["met"].as_bool(), Some(true));
    // Scored by points with a pass mark (as Decision 25/2021 scores its standard): the met
    // indicators' points against the mark decide.
    let mut scored = body.clone();
    let n = scored["definition"]["indicators"].as_array().unwrap().len() as i64;
    for (k, i) in scored["definition"]["indicators"].as_array_mut().unwrap().iter_mut().enumerate() {
        i["points"] = json!(if k == 0 { 100 - 10 * (n - 1) } else { 10 });
    }
    scored["definition"]["pass_rule"] = json!("points");
    put(scored.clone()).await.assert_problem(422, "validation_failed");
    scored["definition"]["pass_mark"] = json!(80);
    let saved = ok(put(scored.clone()).await, StatusCode::OK).await;
    assert_eq!(saved.body["definition"]["pass_mark"].as_i64(), Some(80));
    let a = ok(w.officer.get(&format!("/api/v1/stats/access-to-law?year={y}")).await, StatusCode::OK).await.body;
    let score: i64 = a["indicators"].as_array().unwrap().iter().filter(|i| i["met"] == true).map(|i| i["points"].as_i64().unwrap()).sum();
    assert_eq!(a["points"].as_i64(), Some(score));
    assert_eq!((a["pass_rule"].as_str(), a["pass_mark"].as_i64()), (Some("points"), Some(80)));
    assert_eq!(a["passed"].as_bool(), Some(score >= 80), "{a}");
    scored["definition"]["pass_mark"] = json!(101);
    put(scored).await.assert_problem(422, "validation_failed");

    let mut bad = body.clone();
    bad["definition"]["indicators"][0]["threshold"] = json!(1.5);
    put(bad).await.assert_problem(422, "validation_failed");
    let mut bad = body.clone();
    bad["definition"]["indicators"][0]["metric"] = json!("vibes");
    put(bad).await.assert_problem(422, "validation_failed");
    let mut overlapping = body;
    overlapping["from_year"] = json!(2000);
    overlapping["to_year"] = json!(2100);
    let other = w
        .tree
        .admin
        .send("PUT", "/api/v1/stats/access-to-law/standards/another", &[], Some(("application/json", overlapping.to_string().into_bytes())))
        .await;
    other.assert_problem(409, "overlapping_standard");
    w.officer
        .send("PUT", &format!("/api/v1/stats/access-to-law/standards/{code}"), &[], Some(("application/json", b"{}".to_vec())))
        .await
        .assert_problem(403, "forbidden");
    w.officer.get("/api/v1/stats/access-to-law?year=1999").await.assert_problem(422, "validation_failed");

    // Another commune cannot read it; a team leader cannot either.
    let (stranger, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    stranger.get(&format!("/api/v1/stats/access-to-law?year={y}&unit_id={}", w.tree.commune_a)).await.assert_problem(404, "not_found");
    stranger.get(&format!("/api/v1/review/year-end?year={y}&unit_id={}", w.tree.commune_a)).await.assert_problem(404, "not_found");
    w.leader.get(&format!("/api/v1/review/year-end?year={y}")).await.assert_problem(403, "forbidden");
}

/// The yearly team review of a known 2025, computed by hand. The world's team: Bình (leader), Lan
/// and Tư (members since 2020).
///
/// | case | received   | assigned to      | sessions   | what happened                  |
/// | C1   | 2024-12-10 | Lan 2024-12-11   | 2025-01-05 | successful 2025-01-20          |
/// | C2   | 2025-02-01 | Lan 2025-02-02   | 2025-02-10 | unsuccessful 2025-03-01        |
/// | C3   | 2025-04-10 | Bình 2025-04-11  | 2025-04-15 | successful 2025-05-01          |
/// | C4   | 2025-06-01 | Lan 2025-06-02   | —          | open                           |
/// | C5   | 2025-06-20 | —                | —          | out of scope 2025-06-25        |
///
/// and a training on 2025-08-01 that Bình attended. The team: received 4 (C1 carried over; C2, C3,
/// C4 new; C5 never received), successful 2 (C1, C3), unsuccessful 1 (C2), in progress 1 (C4);
/// rates 2 ÷ 3 = 0.6667 and 2 ÷ 4 = 0.5; 3 sessions. Lan: handled 3 (C1, C2, C4), 1 successful, 1
/// unsuccessful, rates 0.5 and 0.3333, 2 sessions, no training, last active 2025-06-02 (C4's
/// assignment). Bình: handled 1, 1 successful, rates 1 and 1, 1 session, 1 training, last active
/// 2025-08-01. Tư: nothing — inactive ("only on paper"), no last activity.
async fn team_activity_from_a_known_year(app: TestApp) {
    let w = world(app).await;
    let leader_id = w.leader_id.clone();
    let lan = w.mediator_a_id.clone();
    // (received, category, assigned to, steps)
    type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);
    let steps: [Case; 5] = [
        ("2024-12-10", "land", &lan, &[("assign", "2024-12-11"), ("session", "2025-01-05"), ("agreement", "2025-01-20")]),
        ("2025-02-01", "family_marriage", &lan, &[("assign", "2025-02-02"), ("session", "2025-02-10"), ("mediator_ended", "2025-03-01")]),
        ("2025-04-10", "land", &leader_id, &[("assign", "2025-04-11"), ("session", "2025-04-15"), ("agreement", "2025-05-01")]),
        ("2025-06-01", "neighbourhood", &lan, &[("assign", "2025-06-02")]),
        ("2025-06-20", "land", &lan, &[("out_of_scope", "2025-06-25")]),
    ];
    for (received, category, who, steps) in steps {
        let mut body = new_case(&w.team);
        body["received_on"] = json!(received);
        body["category"] = json!(category);
        let c = create(&w.leader, &body).await;
        let p = format!("/api/v1/cases/{}", c.body["id"].as_str().unwrap());
        for (step, day) in steps {
            let (path, body) = match *step {
                "assign" => ("assignments", json!({"mediator_id": who, "chosen_by": "leader", "assigned_on": day})),
                "session" => ("sessions", json!({"held_on": day})),
                "agreement" => ("end", json!({"end_reason": "agreement", "agreement_text": "Thỏa thuận", "ended_on": day})),
                "mediator_ended" => (
                    "end",
                    json!({"end_reason": "mediator_ended", "ended_on": day, "demands": [{"party_id": c.body["parties"][0]["id"], "demand": "Yêu cầu"}]}),
                ),
                _ => ("out-of-scope", json!({"reason": "Có dấu hiệu tội phạm", "decided_on": day})),
            };
            let res = w.leader.post(&format!("{p}/{path}"), &body).await;
            assert_eq!(res.status, StatusCode::OK, "{step} {day}: {}", res.text);
        }
    }
    let held = NaiveDate::from_ymd_opt(2025, 8, 1).unwrap();
    ok(
        w.officer.post("/api/v1/trainings", &training(held, json!([{"mediator_id": leader_id, "present": true}]))).await,
        StatusCode::CREATED,
    )
    .await;

    let res = ok(w.officer.get("/api/v1/review/team-activity?year=2025").await, StatusCode::OK).await;
    let teams = res.body["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 1, "{}", res.text);
    let t = &teams[0];
    let n = |v: &Value, k: &str| v[k].as_i64().unwrap_or_else(|| panic!("{k} in {v}"));
    assert_eq!(
        (
            n(t, "received"),
            n(t, "successful"),
            n(t, "unsuccessful"),
            n(t, "in_progress_at_end"),
            n(t, "sessions"),
            n(t, "inactive_mediators")
        ),
        (4, 2, 1, 1, 3, 1)
    );
    assert_eq!((t["success_rate_of_concluded"].as_f64(), t["success_rate_of_received"].as_f64()), (Some(0.6667), Some(0.5)));
    let person = |name: &str| t["mediators"].as_array().unwrap().iter().find(|m| m["full_name"] == name).unwrap().clone();
    let row = |m: &Value| {
        (
            n(m, "cases_handled"),
            n(m, "successful"),
            n(m, "unsuccessful"),
            m["success_rate_of_concluded"].as_f64(),
            m["success_rate_of_received"].as_f64(),
            n(m, "sessions"),
            n(m, "trainings_attended"),
            m["last_activity"].as_str().map(str::to_string),
            m["inactive"].as_bool(),
        )
    };
    assert_eq!(row(&person("Phạm Thị Lan")), (3, 1, 1, Some(0.5), Some(0.3333), 2, 0, Some("2025-06-02".into()), Some(false)));
    assert_eq!(row(&person("Trần Văn Bình")), (1, 1, 0, Some(1.0), Some(1.0), 1, 1, Some("2025-08-01".into()), Some(false)));
    assert_eq!(row(&person("Nguyễn Văn Tư")), (0, 0, 0, None, None, 0, 0, None, Some(true)));
    assert_eq!(t["mediators"][0]["full_name"], "Trần Văn Bình", "the leader first");

    // Printable; the viewer of the commune reads it, a team leader and a statistics client do not,
    // and another commune's officer cannot name this one.
    let page = w.officer.get("/api/v1/review/team-activity?year=2025&format=html").await;
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert!(page.text.contains("Không hoạt động trong năm") && page.text.contains("Phạm Thị Lan"), "{}", page.text);
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.commune_a)).await;
    assert_eq!(viewer.get("/api/v1/review/team-activity?year=2025").await.body, res.body);
    w.leader.get("/api/v1/review/team-activity?year=2025").await.assert_problem(403, "forbidden");
    let (other, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    other.get(&format!("/api/v1/review/team-activity?year=2025&unit_id={}", w.tree.commune_a)).await.assert_problem(404, "not_found");
    let theirs = ok(other.get("/api/v1/review/team-activity?year=2025").await, StatusCode::OK).await;
    assert_eq!(theirs.body["teams"], json!([]));

    // The commune records its conclusion and re-staffing proposal for the team's year; replacing
    // it needs the version read; it shows in the view and on the printed page; audited.
    let url = format!("/api/v1/review/team-activity/{}/2025", w.team);
    let body = json!({"conclusion": "Tổ hoạt động đều; một hòa giải viên không tham gia vụ, việc nào trong năm",
                      "restaffing_proposal": "Đề nghị bầu bổ sung 01 hòa giải viên"});
    let first = ok(w.officer.send("PUT", &url, &[], Some(("application/json", body.to_string().into_bytes()))).await, StatusCode::OK).await;
    assert_eq!((first.body["version"].as_i64(), first.etag()), (Some(1), "\"1\"".to_string()), "{}", first.text);
    let again = json!({"conclusion": "Tổ hoạt động tốt"});
    let put = |headers: Vec<(&'static str, &'static str)>| {
        let (officer, url, again) = (w.officer.clone(), url.clone(), again.clone());
        async move { officer.send("PUT", &url, &headers, Some(("application/json", again.to_string().into_bytes()))).await }
    };
    put(vec![]).await.assert_problem(428, "if_match_required");
    put(vec![("if-match", "\"7\"")]).await.assert_problem(412, "version_mismatch");
    let second = ok(put(vec![("if-match", "\"1\"")]).await, StatusCode::OK).await;
    assert_eq!((second.body["version"].as_i64(), &second.body["restaffing_proposal"]), (Some(2), &Value::Null));
    let view = ok(w.officer.get("/api/v1/review/team-activity?year=2025").await, StatusCode::OK).await;
    let review = &view.body["teams"][0]["review"];
    assert_eq!((review["conclusion"].as_str(), review["version"].as_i64()), (Some("Tổ hoạt động tốt"), Some(2)), "{}", view.text);
    let page = w.officer.get("/api/v1/review/team-activity?year=2025&format=html").await;
    assert!(page.text.contains("Kết luận rà soát: Tổ hoạt động tốt") && page.text.contains("Đề xuất kiện toàn tổ: Không"), "{}", page.text);
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.commune_a)).await;
    let refused = viewer.send("PUT", &url, &[], Some(("application/json", body.to_string().into_bytes()))).await;
    refused.assert_problem(403, "forbidden");
    let audit = ok(w.officer.get("/api/v1/audit-log?entity=team_review").await, StatusCode::OK).await;
    assert_eq!(audit.body["items"].as_array().map(Vec::len), Some(2), "{}", audit.text);
}
