//! Funding: rates as dated policies, fee suggestions against a hand-computed data set (a rate
//! change, a lower rate for unsuccessful cases, splits, a withheld share, a case already paid, a
//! case outside every policy), paying once even when two officers accept at once, confirmation
//! lists, the summary, incident claims, and bad input that changes nothing.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::cases::{create, new_case, world, World};
use crate::common::{Client, Resp};

on_both_backends!(fees_from_the_cases_paid_once, funding_records_and_bad_input);

pub fn days_ago(n: i64) -> NaiveDate {
    hoagiai::db::today() - chrono::Duration::days(n)
}

async fn ok(res: Resp, status: StatusCode) -> Resp {
    assert_eq!(res.status, status, "{}", res.text);
    res
}

/// A case received on `received`, mediated by `mediators`, ended on `ended` with `reason`.
pub async fn ended_case(w: &World, received: NaiveDate, mediators: &[&str], reason: &str, ended: NaiveDate) -> String {
    let mut body = new_case(&w.team);
    body["received_on"] = json!(received);
    let c = create(&w.leader, &body).await;
    let id = c.body["id"].as_str().unwrap().to_string();
    let p = format!("/api/v1/cases/{id}");
    for m in mediators {
        ok(
            w.leader.post(&format!("{p}/assignments"), &json!({"mediator_id": m, "chosen_by": "leader", "assigned_on": received})).await,
            StatusCode::OK,
        )
        .await;
    }
    ok(w.leader.post(&format!("{p}/sessions"), &json!({"held_on": received + chrono::Duration::days(1)})).await, StatusCode::OK).await;
    let end = match reason {
        "agreement" => json!({"end_reason": "agreement", "agreement_text": "Hai bên thống nhất", "ended_on": ended}),
        _ => {
            json!({"end_reason": reason, "ended_on": ended, "demands": [{"party_id": c.body["parties"][0]["id"], "demand": "Giữ nguyên"}]})
        }
    };
    ok(w.leader.post(&format!("{p}/end"), &end).await, StatusCode::OK).await;
    id
}

async fn policy(admin: &Client, unit: &str, item: &str, rate: i64, from: NaiveDate, to: Option<NaiveDate>, outcome: Option<&str>) -> Value {
    let unit_of = if item == "case_fee" { "per_case_per_team" } else { "per_team_per_year" };
    let body = json!({"unit_id": unit, "legal_basis": "Nghị quyết 96/2014/NQ-HĐND", "valid_from": from, "valid_to": to, "item": item, "rate": rate, "rate_unit": unit_of, "outcome": outcome});
    ok(admin.post("/api/v1/funding/policies", &body).await, StatusCode::CREATED).await.body
}

async fn fees_from_the_cases_paid_once(app: crate::common::TestApp) {
    let w = world(app).await;
    let admin = &w.tree.admin;
    // The province's rates: 200,000 đ until 30 days ago, then 400,000 đ, and 150,000 đ for
    // unsuccessful cases from then on. Nothing before 42 days ago.
    policy(admin, &w.tree.province, "case_fee", 200_000, days_ago(42), Some(days_ago(30)), None).await;
    policy(admin, &w.tree.province, "case_fee", 400_000, days_ago(29), None, None).await;
    policy(admin, &w.tree.province, "case_fee", 150_000, days_ago(29), None, Some("unsuccessful")).await;
    let (a, b) = (w.mediator_a_id.as_str(), w.mediator_b_id.as_str());

    let old_rate = ended_case(&w, days_ago(60), &[a, b], "agreement", days_ago(40)).await;
    let unsuccessful = ended_case(&w, days_ago(60), &[a, b], "party_withdrew", days_ago(10)).await;
    let breach = ended_case(&w, days_ago(60), &[a, b], "agreement", days_ago(5)).await;
    let paid_by_hand = ended_case(&w, days_ago(60), &[a], "agreement", days_ago(8)).await;
    let before_any_rate = ended_case(&w, days_ago(60), &[a], "mediator_ended", days_ago(44)).await;
    // Not payable at all: still open, and out of scope.
    let open = create(&w.leader, &new_case(&w.team)).await;
    let oos = create(&w.leader, &new_case(&w.team)).await;
    ok(
        w.leader.post(&format!("/api/v1/cases/{}/out-of-scope", oos.body["id"].as_str().unwrap()), &json!({"reason": "Hình sự"})).await,
        StatusCode::OK,
    )
    .await;

    ok(
        w.officer
            .post(
                "/api/v1/funding/duty-breaches",
                &json!({"case_id": breach, "mediator_id": b, "note": "Tiết lộ thông tin bí mật đời tư của các bên"}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let hand = json!({"paid_on": days_ago(1), "item": "case_fee", "payee_mediator_id": a, "amount": 400_000, "case_ids": [paid_by_hand], "voucher_no": "PC-01"});
    ok(w.officer.post("/api/v1/funding/disbursements", &hand).await, StatusCode::CREATED).await;

    let q = format!("/api/v1/funding/fee-suggestions?from={}&to={}", days_ago(45), days_ago(0));
    let s = ok(w.officer.get(&q).await, StatusCode::OK).await.body;
    let cases = s["cases"].as_array().unwrap();
    let find = |id: &str| cases.iter().find(|c| c["case_id"] == id).cloned();
    assert!(
        find(&paid_by_hand).is_none()
            && find(open.body["id"].as_str().unwrap()).is_none()
            && find(oos.body["id"].as_str().unwrap()).is_none()
    );
    let shares = |c: &Value| {
        c["shares"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["mediator_id"].as_str().unwrap().to_string(), s["amount"].as_i64().unwrap()))
            .collect::<Vec<_>>()
    };
    let c = find(&old_rate).unwrap();
    assert_eq!((c["rate"].as_i64(), shares(&c)), (Some(200_000), vec![(a.to_string(), 100_000), (b.to_string(), 100_000)]));
    let c = find(&unsuccessful).unwrap();
    assert_eq!((c["rate"].as_i64(), shares(&c)), (Some(150_000), vec![(a.to_string(), 75_000), (b.to_string(), 75_000)]));
    let c = find(&breach).unwrap();
    assert_eq!((c["rate"].as_i64(), shares(&c), c["amount"].as_i64()), (Some(400_000), vec![(a.to_string(), 200_000)], Some(200_000)));
    assert_eq!(c["withheld"][0]["mediator_id"], b);
    assert_eq!(c["withheld"][0]["reason"], "duty_breach");
    let c = find(&before_any_rate).unwrap();
    assert_eq!((c["problem"].as_str(), c["rate"].as_i64()), (Some("no_policy"), None));
    assert_eq!((s["payable_cases"].as_i64(), s["total"].as_i64()), (Some(3), Some(550_000)));
    // No party data in what the money office sees.
    assert!(!s.to_string().contains("Nguyễn Văn An") && !s.to_string().contains("lối đi"));

    // Asking to pay the case with no rate is refused and pays nothing.
    let body =
        |ids: Value| json!({"from": days_ago(45), "to": days_ago(0), "paid_on": days_ago(0), "voucher_no": "PC-02", "case_ids": ids});
    w.officer
        .post("/api/v1/funding/fee-suggestions/accept", &body(json!([before_any_rate])))
        .await
        .assert_problem(422, "validation_failed");

    // Two officers accept the same suggestion at the same moment: one pays, the other is told.
    let (other, _) = w.app.user(Role::Officer, Some(&w.tree.commune_a)).await;
    let all = json!([old_rate, unsuccessful, breach]);
    let (first, second) = (body(all.clone()), body(all.clone()));
    let (r1, r2) = futures_util::future::join(
        w.officer.post("/api/v1/funding/fee-suggestions/accept", &first),
        other.post("/api/v1/funding/fee-suggestions/accept", &second),
    )
    .await;
    let (won, lost) = if r1.status == StatusCode::CREATED { (r1, r2) } else { (r2, r1) };
    assert_eq!(won.status, StatusCode::CREATED, "{}", won.text);
    lost.assert_problem(409, "already_paid");
    assert_eq!((won.body["paid_cases"].as_i64(), won.body["total"].as_i64()), (Some(3), Some(550_000)));
    let per: Vec<(String, i64)> = won.body["disbursements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["payee_mediator_id"].as_str().unwrap().to_string(), d["amount"].as_i64().unwrap()))
        .collect();
    assert!(per.contains(&(a.to_string(), 375_000)) && per.contains(&(b.to_string(), 175_000)) && per.len() == 2, "{per:?}");
    // Nothing left to pay; paying by hand again is refused by the database's guarantee.
    let s = ok(w.officer.get(&q).await, StatusCode::OK).await.body;
    assert_eq!((s["payable_cases"].as_i64(), s["total"].as_i64()), (Some(0), Some(0)));
    let mut none = body(Value::Null);
    none.as_object_mut().unwrap().remove("case_ids");
    w.officer.post("/api/v1/funding/fee-suggestions/accept", &none).await.assert_problem(422, "nothing_to_pay");
    let again = json!({"paid_on": days_ago(0), "item": "case_fee", "payee_mediator_id": a, "amount": 200_000, "case_ids": [old_rate]});
    w.officer.post("/api/v1/funding/disbursements", &again).await.assert_problem(409, "already_paid");

    // The confirmation list: the two recipients, printable with a signature column, then signed.
    let list_id = won.body["confirmation_list_id"].as_str().unwrap().to_string();
    let list = ok(w.officer.get(&format!("/api/v1/funding/confirmation-lists/{list_id}")).await, StatusCode::OK).await;
    assert_eq!(
        (list.body["lines"].as_array().unwrap().len(), list.body["total"].as_i64(), list.body["signed_returned"].as_bool()),
        (2, Some(550_000), Some(false))
    );
    let html = ok(w.officer.get(&format!("/api/v1/funding/confirmation-lists/{list_id}?format=html")).await, StatusCode::OK).await;
    assert!(
        html.text.contains("DANH SÁCH XÁC NHẬN")
            && html.text.contains("Ký nhận")
            && html.text.contains("375.000")
            && html.text.contains("550.000")
    );
    let csp = html.header("content-security-policy").unwrap();
    assert!(csp.contains(&hoagiai::print::style_hash(hoagiai::print::only_style(&html.text))), "{csp}");
    let xlsx = ok(w.officer.get(&format!("/api/v1/funding/confirmation-lists/{list_id}?format=xlsx")).await, StatusCode::OK).await;
    assert_eq!(xlsx.header("content-type").as_deref(), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    let signed = ok(
        w.officer.patch(&format!("/api/v1/funding/confirmation-lists/{list_id}"), &list.etag(), &json!({"signed_returned": true})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!((signed.body["signed_returned"].as_bool(), signed.body["returned_on"].is_string()), (Some(true), true));
    w.officer
        .patch(&format!("/api/v1/funding/confirmation-lists/{list_id}"), &list.etag(), &json!({"notes": "cũ"}))
        .await
        .assert_problem(412, "version_mismatch");

    // The summary counts what was paid, by item and team.
    let year = hoagiai::db::today().format("%Y").to_string();
    let sum = ok(w.officer.get(&format!("/api/v1/funding/summary?year={year}")).await, StatusCode::OK).await.body;
    let paid_this_year: i64 =
        [(days_ago(1), 400_000), (days_ago(0), 550_000)].iter().filter(|(d, _)| d.format("%Y").to_string() == year).map(|(_, a)| a).sum();
    assert_eq!(sum["items"][0]["item"], "case_fee");
    assert_eq!(sum["items"][0]["disbursed"].as_i64(), Some(paid_this_year));
    let csv = ok(w.officer.get(&format!("/api/v1/funding/summary?year={year}&format=csv")).await, StatusCode::OK).await;
    assert!(csv.text.starts_with('\u{feff}') && csv.text.contains("Thù lao hòa giải viên theo vụ, việc"));
    // One table per file: the items, or the teams.
    assert!(!csv.text.contains("Tổ hòa giải thôn Hội Yên") && csv.text.lines().all(|l| !l.is_empty()), "{}", csv.text);
    let by_team = w.officer.get(&format!("/api/v1/funding/summary?year={year}&format=csv&table=teams")).await;
    let by_team = ok(by_team, StatusCode::OK).await;
    assert!(by_team.text.contains("Tổ hòa giải thôn Hội Yên") && !by_team.text.contains("Dự toán"), "{}", by_team.text);

    // Another commune's officer sees none of it.
    let (stranger, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    stranger.get(&format!("/api/v1/funding/confirmation-lists/{list_id}")).await.assert_problem(404, "not_found");
    stranger
        .get(&format!("/api/v1/funding/fee-suggestions?unit_id={}&from={}&to={}", w.tree.commune_a, days_ago(45), days_ago(0)))
        .await
        .assert_problem(404, "not_found");
}

async fn count(c: &Client, path: &str) -> usize {
    let res = ok(c.get(path).await, StatusCode::OK).await;
    res.body.get("items").unwrap_or(&res.body).as_array().unwrap().len()
}

async fn funding_records_and_bad_input(app: crate::common::TestApp) {
    let w: World = world(app).await;
    let admin = &w.tree.admin;
    let p = policy(admin, &w.tree.province, "team_support", 1_800_000, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), None, None).await;
    // Overlapping the same unit, item and result: refused. The commune sees the province's rate.
    let overlap = json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2025-01-01", "item": "team_support", "rate": 1, "rate_unit": "per_team_per_year"});
    admin.post("/api/v1/funding/policies", &overlap).await.assert_problem(409, "overlapping_policy");
    let seen = ok(w.officer.get("/api/v1/funding/policies").await, StatusCode::OK).await.body;
    assert_eq!(seen[0]["id"], p["id"]);
    // The commune officer reads the province's rate but cannot change it.
    let etag = format!("\"{}\"", p["version"]);
    ok(
        w.officer.patch(&format!("/api/v1/funding/policies/{}", p["id"].as_str().unwrap()), &etag, &json!({"rate": 1})).await,
        StatusCode::FORBIDDEN,
    )
    .await;

    let before = (
        count(&w.officer, "/api/v1/funding/policies").await,
        count(&w.officer, "/api/v1/funding/disbursements").await,
        count(&w.officer, "/api/v1/funding/budgets").await,
    );
    let bad_policies = [
        json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2030-01-01", "item": "case_fee", "rate": -5, "rate_unit": "per_case_per_team"}),
        json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2030-01-01", "item": "case_fee", "rate": 50_000_000_000i64, "rate_unit": "per_case_per_team"}),
        json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2030-01-01", "item": "lunch", "rate": 5, "rate_unit": "per_case_per_team"}),
        json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2030-01-01", "item": "case_fee", "rate": 5, "rate_unit": "per_team_per_year"}),
        json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2030-01-01", "valid_to": "2029-01-01", "item": "case_fee", "rate": 5, "rate_unit": "per_case_per_team"}),
        json!({"unit_id": w.tree.province, "legal_basis": "x", "valid_from": "2030-01-01", "item": "team_support", "rate": 5, "rate_unit": "per_team_per_year", "outcome": "successful"}),
    ];
    for body in bad_policies {
        admin.post("/api/v1/funding/policies", &body).await.assert_problem(422, "validation_failed");
    }
    let bad_disbursements = [
        json!({"paid_on": days_ago(1), "item": "team_support", "payee_team_id": w.team, "amount": -1}),
        json!({"paid_on": days_ago(1), "item": "team_support", "payee_team_id": w.team, "amount": 0}),
        json!({"paid_on": days_ago(1), "item": "team_support", "payee_team_id": w.team, "amount": 99_000_000_000i64}),
        json!({"paid_on": days_ago(-3), "item": "team_support", "payee_team_id": w.team, "amount": 5}),
        json!({"paid_on": days_ago(1), "item": "team_support", "payee_team_id": w.team, "payee_mediator_id": w.mediator_a_id, "amount": 5}),
        json!({"paid_on": days_ago(1), "item": "team_support", "amount": 5}),
        json!({"paid_on": days_ago(1), "item": "gift", "payee_team_id": w.team, "amount": 5}),
        json!({"paid_on": days_ago(1), "item": "team_support", "payee_team_id": w.team, "amount": 5, "case_ids": [uuid::Uuid::now_v7()]}),
    ];
    for body in bad_disbursements {
        w.officer.post("/api/v1/funding/disbursements", &body).await.assert_problem(422, "validation_failed");
    }
    // A fee for a case that has not ended cannot be paid.
    let open = create(&w.leader, &new_case(&w.team)).await;
    let fee = json!({"paid_on": days_ago(1), "item": "case_fee", "payee_mediator_id": w.mediator_a_id, "amount": 5, "case_ids": [open.body["id"]]});
    w.officer.post("/api/v1/funding/disbursements", &fee).await.assert_problem(422, "validation_failed");
    let budget = json!({"year": 2026, "item": "case_fee", "amount": 12_000_000, "decision_no": "12/QĐ-UBND"});
    ok(w.officer.post("/api/v1/funding/budgets", &budget).await, StatusCode::CREATED).await;
    w.officer.post("/api/v1/funding/budgets", &budget).await.assert_problem(409, "budget_exists");
    w.officer
        .post("/api/v1/funding/budgets", &json!({"year": 2026, "item": "award", "amount": -3}))
        .await
        .assert_problem(422, "validation_failed");
    w.officer
        .post("/api/v1/funding/budgets", &json!({"unit_id": w.tree.village_a, "year": 2026, "item": "award", "amount": 3}))
        .await
        .assert_problem(422, "validation_failed");
    let after = (
        count(&w.officer, "/api/v1/funding/policies").await,
        count(&w.officer, "/api/v1/funding/disbursements").await,
        count(&w.officer, "/api/v1/funding/budgets").await,
    );
    assert_eq!((before.0, before.1, before.2 + 1), after, "bad input must change nothing");

    // Team leaders and mediators do not see the money.
    w.leader.get("/api/v1/funding/budgets").await.assert_problem(403, "forbidden");

    // Incident support: a claim, then its decision (no more than was claimed).
    let claim = json!({"mediator_id": w.mediator_a_id, "occurred_on": days_ago(20), "kind": "injury", "description": "Ngã xe trên đường đi hòa giải", "medical_costs": 2_000_000, "lost_income": 500_000});
    let c = ok(w.officer.post("/api/v1/funding/incident-claims", &claim).await, StatusCode::CREATED).await;
    assert_eq!((c.body["claimed_total"].as_i64(), c.body["status"].as_str()), (Some(2_500_000), Some("submitted")));
    let path = format!("/api/v1/funding/incident-claims/{}/decision", c.body["id"].as_str().unwrap());
    let decide =
        |amount: i64| json!({"status": "approved", "approved_amount": amount, "decision_no": "98/QĐ-UBND", "decision_date": days_ago(2)});
    let send = |body: Value, etag: String| {
        let officer = w.officer.clone();
        let path = path.clone();
        async move { officer.send("POST", &path, &[("if-match", &etag)], Some(("application/json", body.to_string().into_bytes()))).await }
    };
    send(decide(3_000_000), c.etag()).await.assert_problem(422, "validation_failed");
    let done = ok(send(decide(2_500_000), c.etag()).await, StatusCode::OK).await;
    assert_eq!(done.body["status"], "approved");
    send(decide(1), done.etag()).await.assert_problem(409, "invalid_transition");
    let injury_with_funeral =
        json!({"mediator_id": w.mediator_a_id, "occurred_on": days_ago(20), "kind": "injury", "description": "x", "funeral_costs": 1});
    w.officer.post("/api/v1/funding/incident-claims", &injury_with_funeral).await.assert_problem(422, "validation_failed");
}
