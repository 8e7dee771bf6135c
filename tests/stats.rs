//! Statistics: indicators from the counters equal what the cases say, in every breakdown; ETag
//! and 304; CSV; no personal data; scope; incremental pulls; the consistency check.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use hoagiai::stats::dto::{BreakdownBy, IndicatorQuery};
use serde_json::{json, Value};

use crate::cases::{create, new_case, world, World};
use crate::common::{Client, TestApp};

on_both_backends!(
    indicators_from_a_known_data_set,
    conditional_and_csv_answers,
    machine_clients_pull_facts_incrementally,
    counters_survive_random_case_writes,
    merged_communes_and_boundaries,
    a_write_is_seen_at_once_despite_the_answer_cache,
    roster_rollups_survive_random_roster_writes,
    rollups_are_filled_when_their_migrations_arrive
);

/// Answers are kept while nothing is written; the next read after a write is computed afresh.
async fn a_write_is_seen_at_once_despite_the_answer_cache(app: TestApp) {
    let w = world(app).await;
    let year = hoagiai::db::today().format("%Y").to_string();
    let path = format!("/api/v1/stats/indicators?period={year}");
    let first = w.officer.get(&path).await;
    let again = w.officer.get(&path).await;
    assert_eq!((first.etag(), &first.body["figures"]), (again.etag(), &again.body["figures"]));
    create(&w.leader, &new_case(&w.team)).await;
    let after = w.officer.get(&path).await;
    assert_eq!(after.body["figures"]["cases"]["new"].as_i64(), first.body["figures"]["cases"]["new"].as_i64().map(|n| n + 1));
    assert_ne!(after.etag(), first.etag());
}

fn days_ago(n: i64) -> chrono::NaiveDate {
    hoagiai::db::today() - chrono::Duration::days(n)
}

/// Two cases received before the period (one concluded before it), three within it: one
/// successful, one unsuccessful, one out of scope, and one carried in still open.
async fn seed(w: &World) -> (String, chrono::NaiveDate, chrono::NaiveDate) {
    let start = days_ago(40);
    let end = days_ago(0);
    let post = |c: &Client, path: String, body: Value| {
        let c = c.clone();
        async move {
            let res = c.post(&path, &body).await;
            assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        }
    };
    let mut ids = Vec::new();
    for (received, category) in [(60, "land"), (50, "land"), (30, "family_marriage"), (20, "land"), (10, "neighbourhood")] {
        let mut body = new_case(&w.team);
        body["received_on"] = json!(days_ago(received));
        body["category"] = json!(category);
        let c = create(&w.leader, &body).await;
        ids.push((c.body["id"].as_str().unwrap().to_string(), c.body["parties"].clone(), received));
    }
    for (i, (id, parties, received)) in ids.iter().enumerate() {
        let p = format!("/api/v1/cases/{id}");
        if i == 4 {
            post(&w.leader, format!("{p}/out-of-scope"), json!({"reason": "Hình sự"})).await;
            continue;
        }
        post(
            &w.leader,
            format!("{p}/assignments"),
            json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(*received - 1)}),
        )
        .await;
        post(&w.leader, format!("{p}/sessions"), json!({"held_on": days_ago(*received - 2)})).await;
        match i {
            0 => post(&w.leader, format!("{p}/end"), json!({"end_reason": "agreement", "agreement_text": "x", "ended_on": days_ago(55)})).await,
            2 => post(&w.leader, format!("{p}/end"), json!({"end_reason": "agreement", "agreement_text": "x", "ended_on": days_ago(25)})).await,
            3 => {
                post(&w.leader, format!("{p}/end"), json!({"end_reason": "party_withdrew", "ended_on": days_ago(15), "demands": [{"party_id": parties[0]["id"], "demand": "y"}]})).await
            }
            _ => {}
        }
    }
    (format!("{start}..{end}"), start, end)
}

async fn indicators_from_a_known_data_set(app: TestApp) {
    let w = world(app).await;
    let (period, _, _) = seed(&w).await;
    let res = w.officer.get(&format!("/api/v1/stats/indicators?period={period}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let c = &res.body["figures"]["cases"];
    // Carried over: received 60 and 50 days ago, the first concluded 55 days ago → 1.
    assert_eq!(c["carried_over"], 1, "{}", res.text);
    assert_eq!(c["new"], 3);
    assert_eq!(c["received"], 4);
    assert_eq!(c["successful"], 1);
    assert_eq!(c["unsuccessful"], 1);
    assert_eq!(c["out_of_scope"], 1);
    assert_eq!(c["in_progress_at_end"], 1);
    assert_eq!(c["success_rate_of_concluded"], 0.5);
    assert_eq!(c["success_rate_of_received"], 0.25);
    assert_eq!(res.body["figures"]["teams"], 1);
    assert_eq!(res.body["figures"]["mediators"]["total"], 3);
    assert_eq!(res.body["figures"]["mediators"]["women"], 1);
    assert!(!res.text.contains("Nguyễn Văn An"), "no personal data in statistics");

    let by_cat = w.officer.get(&format!("/api/v1/stats/indicators?period={period}&by=category")).await;
    let land = by_cat.body["breakdown"].as_array().unwrap().iter().find(|l| l["key"] == "land").unwrap().clone();
    assert_eq!(
        (land["cases"]["carried_over"].as_i64(), land["cases"]["new"].as_i64(), land["cases"]["unsuccessful"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(land["label"], "Đất đai");
    let by_month = w.officer.get(&format!("/api/v1/stats/indicators?period={period}&by=month")).await;
    let new_by_month: i64 = by_month.body["breakdown"].as_array().unwrap().iter().map(|l| l["cases"]["new"].as_i64().unwrap()).sum();
    assert_eq!(new_by_month, 3, "the months add up");
    // A district system gets all its communes in one call.
    let (district_stats, _) = w.app.user(Role::Stats, Some(&w.tree.district)).await;
    let by_unit = district_stats.get(&format!("/api/v1/stats/indicators?period={period}&by=unit&level=commune")).await;
    assert_eq!(by_unit.status, StatusCode::OK, "{}", by_unit.text);
    let lines = by_unit.body["breakdown"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["label"], "Xã Đoàn Kết");
    assert_eq!(lines[0]["cases"]["received"], 4);
    // Scope: commune B's statistics reader cannot ask about commune A.
    let (other, _) = w.app.user(Role::Stats, Some(&w.tree.commune_b)).await;
    other.get(&format!("/api/v1/stats/indicators?period={period}&unit_id={}", w.tree.commune_a)).await.assert_problem(404, "not_found");
    let theirs = other.get(&format!("/api/v1/stats/indicators?period={period}")).await;
    assert_eq!(theirs.body["figures"]["cases"]["received"], 0);
    w.officer.get("/api/v1/stats/indicators?period=2026-H3").await.assert_problem(422, "validation_failed");

    // The counters agree with the cases.
    let differences = hoagiai::stats::counters::check(&mut w.app.db.get().unwrap()).unwrap();
    assert!(differences.is_empty(), "{differences:?}");
}

async fn conditional_and_csv_answers(app: TestApp) {
    let w = world(app).await;
    let (period, _, _) = seed(&w).await;
    let url = format!("/api/v1/stats/indicators?period={period}");
    let first = w.officer.get(&url).await;
    let etag = first.etag();
    assert!(first.header("cache-control").unwrap().contains("max-age"));
    let again = w.officer.send("GET", &url, &[("if-none-match", &etag)], None).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Another scope never shares the ETag, even with the same figures.
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.district)).await;
    let theirs = viewer.get(&format!("{url}&unit_id={}", w.tree.commune_a)).await;
    assert_eq!(theirs.body["figures"], first.body["figures"]);
    assert_ne!(theirs.etag(), etag);
    // A new case changes the figures, so the ETag.
    create(&w.leader, &new_case(&w.team)).await;
    let changed = w.officer.send("GET", &url, &[("if-none-match", &etag)], None).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.etag(), etag);
    let csv = w.officer.send("GET", &format!("{url}&by=category"), &[("accept", "text/csv")], None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.text.starts_with('\u{feff}'));
    assert!(csv.text.contains("Hôn nhân và gia đình"));
    assert_eq!(csv.text.lines().count(), 1 + 1 + 6);
}

async fn machine_clients_pull_facts_incrementally(app: TestApp) {
    let w = world(app).await;
    for _ in 0..5 {
        create(&w.leader, &new_case(&w.team)).await;
    }
    let res = w.officer.post("/api/v1/api-clients", &json!({"name": "Sở Tư pháp", "unit_id": w.tree.commune_a})).await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = w.app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = w.app.with_token(token.body["access_token"].as_str().unwrap());
    let mut seen = Vec::new();
    let mut url = "/api/v1/stats/cases?limit=2".to_string();
    loop {
        let page = machine.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(!page.text.contains("Nguyễn Văn An") && !page.text.contains("lối đi"), "facts only");
        for item in page.body["items"].as_array().unwrap() {
            seen.push(item["updated_at"].as_str().unwrap().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/stats/cases?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    // Tomorrow night: only what changed since the newest seen.
    let newest = seen.last().unwrap().clone();
    let first = w.leader.get("/api/v1/cases?limit=1").await;
    let id = first.body["items"][0]["id"].as_str().unwrap();
    w.leader.post(&format!("/api/v1/cases/{id}/out-of-scope"), &json!({"reason": "Hình sự"})).await;
    let changed = machine.get(&format!("/api/v1/stats/cases?updated_since={}", newest.replace('+', "%2B"))).await;
    let items = changed.body["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["id"] == id && i["status"] == "out_of_scope"), "{}", changed.text);
    assert!(items.len() <= 2);
    // A machine client reads statistics, not case lists.
    machine.get("/api/v1/cases").await.assert_problem(403, "forbidden");
    let ind = machine.get(&format!("/api/v1/stats/indicators?period={}", hoagiai::db::today().format("%Y"))).await;
    assert_eq!(ind.status, StatusCode::OK, "{}", ind.text);
}

/// A submitted report is frozen: a later change of the cases never changes it; a new version
/// supersedes it and both are kept.
#[actix_web::test]
async fn submitted_reports_are_frozen_and_versioned() {
    let w = world(TestApp::sqlite().await).await;
    let year: i32 = hoagiai::db::today().format("%Y").to_string().parse().unwrap();
    create(&w.leader, &new_case(&w.team)).await;
    let body = json!({"unit_id": w.tree.commune_a, "kind": "annual_official", "year": year - 1});
    w.officer.post("/api/v1/stats/reports", &json!({"unit_id": w.tree.commune_a, "kind": "annual_official", "year": year, "estimates": {"new": 1, "successful": 0, "unsuccessful": 0, "out_of_scope": 0}}))
        .await
        .assert_problem(422, "validation_failed");
    let first = w.officer.post("/api/v1/stats/reports", &json!({"unit_id": w.tree.commune_a, "kind": "annual", "year": year, "cutoff_date": hoagiai::db::today(), "estimates": {"new": 2, "successful": 1, "unsuccessful": 0, "out_of_scope": 0}})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["report_version"], 1);
    let received = first.body["lines"].as_array().unwrap().iter().find(|l| l["code"] == "received").unwrap().clone();
    assert_eq!((received["actual"].as_i64(), received["estimated"].as_i64(), received["total"].as_i64()), (Some(1), Some(2), Some(3)));
    // More cases after submission: the submitted report does not move.
    create(&w.leader, &new_case(&w.team)).await;
    let again = w.officer.get(&format!("/api/v1/stats/reports/{}", first.body["id"].as_str().unwrap())).await;
    assert_eq!(again.body["actual"], first.body["actual"]);
    let second = w
        .officer
        .post(
            "/api/v1/stats/reports",
            &json!({"unit_id": w.tree.commune_a, "kind": "annual", "year": year, "cutoff_date": hoagiai::db::today()}),
        )
        .await;
    assert_eq!(second.body["report_version"], 2);
    assert_eq!(second.body["actual"]["cases"]["new"], 2);
    let listed = w.officer.get(&format!("/api/v1/stats/reports?year={year}")).await;
    let items = listed.body.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["superseded_by"], second.body["id"]);
    let csv = w.officer.get(&format!("/api/v1/stats/reports/{}?format=csv", second.body["id"].as_str().unwrap())).await;
    assert!(csv.text.starts_with('\u{feff}') && csv.text.contains("Số vụ, việc hòa giải thành"));
    let xlsx = w.officer.get(&format!("/api/v1/stats/reports/{}?format=xlsx", second.body["id"].as_str().unwrap())).await;
    assert!(xlsx.text.starts_with("PK"));
    // A district statistics reader reads it; a team leader cannot submit one.
    let (district, _) = w.app.user(Role::Stats, Some(&w.tree.district)).await;
    assert_eq!(district.get(&format!("/api/v1/stats/reports/{}", second.body["id"].as_str().unwrap())).await.status, StatusCode::OK);
    w.leader.post("/api/v1/stats/reports", &body).await.assert_problem(403, "forbidden");
}

/// The officer the random walks write as: every unit in scope.
fn walk_officer() -> hoagiai::auth::Actor {
    let scope = hoagiai::auth::Scope::national();
    hoagiai::auth::Actor { role: Role::Officer, unit_level: Some("commune".into()), scope, ..hoagiai::auth::Actor::system() }
}

/// A seeded xorshift: `roll(n)` is a number below n, the same sequence on every run.
fn dice(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}

/// After any sequence of case writes — creates, assignments, sessions, ends, out-of-scope,
/// corrections — the counters equal what the cases say. A seeded random walk, many steps.
async fn counters_survive_random_case_writes(app: TestApp) {
    use hoagiai::cases::dto::*;
    use hoagiai::cases::store as cases;
    let w = world(app).await;
    let officer = walk_officer();
    let team: uuid::Uuid = w.team.parse().unwrap();
    let mediator: uuid::Uuid = w.mediator_a_id.parse().unwrap();
    let mut roll = dice(0x5eed_1234_abcd_0001);
    let mut ids: Vec<String> = Vec::new();
    for step in 0..150 {
        let officer = officer.clone();
        let choice = if ids.is_empty() { 0 } else { roll(7) };
        let target = if ids.is_empty() { String::new() } else { ids[roll(ids.len() as u64) as usize].clone() };
        let ago = roll(90) as i64 + 10;
        let category = [Category::Land, Category::FamilyMarriage, Category::Neighbourhood][roll(3) as usize];
        let result = w
            .app
            .db
            .write(move |c| {
                let day = |n: i64| hoagiai::db::today() - chrono::Duration::days(n);
                match choice {
                    0 | 1 => {
                        let input = CreateCase {
                            id: None,
                            team_id: team,
                            received_on: Some(day(ago)),
                            basis: Basis::PartyRequest,
                            referring_body: None,
                            category,
                            summary: format!("Vụ việc số {step}"),
                            parties: vec![NewParty {
                                kind: PartyKind::Person,
                                role: PartyRole::Party,
                                full_name: format!("Bên {step}"),
                                age: None,
                                birth_year: None,
                                address: None,
                                phone: None,
                            }],
                            notes: None,
                            logbook_volume: None,
                        };
                        cases::create(c, &officer, input, 3).map(|(d, _)| Some(d.id))
                    }
                    2 => cases::assign(
                        c,
                        &officer,
                        &target,
                        None,
                        AssignMediator {
                            mediator_id: mediator,
                            assigned_on: Some(day(5)),
                            chosen_by: ChosenBy::Leader,
                            replaces: None,
                            reason: None,
                        },
                    )
                    .map(|_| None),
                    3 => cases::end(
                        c,
                        &officer,
                        &target,
                        None,
                        EndCase {
                            end_reason: EndReason::Agreement,
                            ended_on: Some(day(ago.min(4))),
                            agreement_text: Some("x".into()),
                            demands: vec![],
                            referral: None,
                        },
                    )
                    .map(|_| None),
                    4 => cases::mark_out_of_scope(c, &officer, &target, None, MarkOutOfScope { reason: "x".into(), referred_to: None })
                        .map(|_| None),
                    5 => {
                        let case = cases::find(c, &officer, &target)?;
                        let patch = UpdateCase {
                            received_on: None,
                            basis: None,
                            referring_body: None,
                            category: Some(category),
                            summary: None,
                            parties: None,
                            notes: None,
                            logbook_volume: None,
                            agreement_text: None,
                            ended_on: case.ended_on.map(|_| day(ago.min(3))),
                        };
                        cases::update(c, &officer, &target, case.version, patch).map(|_| None)
                    }
                    _ => cases::record_session(
                        c,
                        &officer,
                        &target,
                        None,
                        RecordSession { held_on: day(3), place: None, is_public: false, participants: vec![], notes: None },
                    )
                    .map(|_| None),
                }
            })
            .await;
        match result {
            Ok(Some(id)) => ids.push(id),
            Ok(None) => {}
            // Refused moves (409, 422) change nothing; that is part of what is checked.
            Err(e) => assert!(e.status.is_client_error(), "step {step}: {e}"),
        }
    }
    let differences = hoagiai::stats::counters::check(&mut w.app.db.get().unwrap()).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    // The monthly rollups and the daily counters give the same figures, in every breakdown.
    let today = hoagiai::db::today();
    let year = today.format("%Y").to_string();
    let last_year = (today - chrono::Duration::days(365)).format("%Y").to_string();
    let month = today.format("%Y-%m").to_string();
    let mut conn = w.app.db.get().unwrap();
    let system = hoagiai::auth::Actor::system();
    for period in [year.clone(), last_year, format!("{year}-H1"), format!("{year}-H2"), format!("{year}-Q4"), month] {
        for by in [None, Some(BreakdownBy::Category), Some(BreakdownBy::Basis), Some(BreakdownBy::Month), Some(BreakdownBy::Unit)] {
            for unit in [Some(w.tree.commune_a.parse().unwrap()), Some(w.tree.province.parse().unwrap()), None] {
                let q = IndicatorQuery { unit_id: unit, period: period.clone(), by, level: None, boundaries: None };
                let monthly = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, true).unwrap();
                let daily = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, false).unwrap();
                assert_eq!(monthly.figures, daily.figures, "{period} {by:?} {unit:?}");
                assert_eq!(monthly.breakdown, daily.breakdown, "{period} {by:?} {unit:?}");
            }
        }
    }
    // The walk went everywhere: every kind of end happened.
    let all = w.officer.get("/api/v1/cases?limit=100").await;
    for status in ["successful", "out_of_scope", "in_progress"] {
        assert!(all.body["items"].as_array().unwrap().iter().any(|c| c["status"] == status), "no {status} case in the walk");
    }
}

/// A merged commune: by the boundaries in force its figures include the communes it absorbed;
/// by historical boundaries each commune keeps its own. A split is never guessed.
async fn merged_communes_and_boundaries(app: TestApp) {
    let w = world(app).await;
    for _ in 0..3 {
        create(&w.leader, &new_case(&w.team)).await;
    }
    let admin = &w.tree.admin;
    let today = hoagiai::db::today();
    let year = today.format("%Y").to_string();
    let merged = admin
        .post(
            "/api/v1/units",
            &json!({"name": "Xã Đoàn Kết Mới", "code": "11999", "level": "commune", "parent_id": w.tree.province, "valid_from": today}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::CREATED, "{}", merged.text);
    let merged_id = merged.body["id"].as_str().unwrap().to_string();
    let res = admin
        .post(
            "/api/v1/unit-successions",
            &json!({"from_unit_id": w.tree.commune_a, "to_unit_id": merged_id, "kind": "merge", "effective_date": today}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let a = admin.get(&format!("/api/v1/units/{}", w.tree.commune_a)).await;
    let closed = admin.patch(&format!("/api/v1/units/{}", w.tree.commune_a), &a.etag(), &json!({"valid_to": today})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);

    let current = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={merged_id}")).await;
    assert_eq!(current.body["figures"]["cases"]["received"], 3, "{}", current.text);
    assert_eq!(current.body["boundaries"], "current");
    let historical = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={merged_id}&boundaries=historical")).await;
    assert_eq!(historical.body["figures"]["cases"]["received"], 0);

    let key = |r: &crate::common::Resp| -> Vec<(String, i64)> {
        r.body["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["label"].as_str().unwrap().to_string(), l["cases"]["received"].as_i64().unwrap()))
            .collect()
    };
    let by_current = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={}&by=unit&level=commune", w.tree.province)).await;
    assert_eq!(key(&by_current), vec![("Xã Hồng Quang".to_string(), 0), ("Xã Đoàn Kết Mới".to_string(), 3)]);
    let by_history = admin
        .get(&format!("/api/v1/stats/indicators?period={year}&unit_id={}&by=unit&level=commune&boundaries=historical", w.tree.province))
        .await;
    assert_eq!(
        key(&by_history),
        vec![("Xã Hồng Quang".to_string(), 0), ("Xã Đoàn Kết".to_string(), 3), ("Xã Đoàn Kết Mới".to_string(), 0)]
    );
    // The province's total is the same either way.
    let total = |b: &str| {
        let admin = admin.clone();
        let url = format!("/api/v1/stats/indicators?period={year}&unit_id={}&boundaries={b}", w.tree.province);
        async move { admin.get(&url).await.body["figures"]["cases"]["received"].clone() }
    };
    assert_eq!(total("current").await, total("historical").await);

    // Hồng Quang is split: the new commune's figures leave it out and say so.
    let part = admin
        .post("/api/v1/units", &json!({"name": "Xã Tách Ra", "level": "commune", "parent_id": w.tree.province, "valid_from": today}))
        .await;
    let part_id = part.body["id"].as_str().unwrap();
    admin
        .post(
            "/api/v1/unit-successions",
            &json!({"from_unit_id": w.tree.commune_b, "to_unit_id": part_id, "kind": "split", "effective_date": today}),
        )
        .await;
    let split = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={part_id}")).await;
    assert_eq!(split.body["needs_manual_mapping"][0]["unit_id"], w.tree.commune_b.as_str());
    assert_eq!(split.body["needs_manual_mapping"][0]["reason"], "split");
}

/// Each machine client has its own rate; past it, 429 with Retry-After, and people are unaffected.
#[actix_web::test]
async fn machine_clients_are_rate_limited() {
    let app = TestApp::sqlite_with(&[("client_rate_limit", "60")]).await;
    let tree = app.tree().await;
    let res = tree.admin.post("/api/v1/api-clients", &json!({"name": "Bảng điều khiển", "unit_id": tree.commune_a})).await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = app.with_token(token.body["access_token"].as_str().unwrap());
    let url = format!("/api/v1/stats/indicators?period={}", hoagiai::db::today().format("%Y"));
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(machine.get(&url).await);
    }
    assert!(statuses[..10].iter().all(|r| r.status == StatusCode::OK));
    let limited = statuses.last().unwrap();
    limited.assert_problem(429, "too_many_requests");
    assert!(limited.header("retry-after").is_some());
    assert_eq!(tree.admin.get(&url).await.status, StatusCode::OK, "people are not limited by a machine's rate");
}

/// On the demo commune: no statistics or `stats`-level answer carries a party's name.
#[actix_web::test]
async fn no_personal_data_in_statistics_of_the_demo() {
    let app = TestApp::sqlite().await;
    let dir = app.data_dir.clone();
    let logins = {
        let mut conn = app.db.get().unwrap();
        hoagiai::demo::seed(&mut conn, &dir).unwrap()
    };
    let password = |user: &str| logins.iter().find(|l| l.username == user).unwrap().password.clone();
    let officer = app.login("canbo.tuphap", &password("canbo.tuphap")).await;
    // The demo's party names, as the officer (who may) sees them.
    let cases = officer.get("/api/v1/cases?limit=100").await;
    let names: Vec<String> = cases.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["party_names"].as_array().unwrap().clone())
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    assert!(names.len() > 50, "the demo has parties");
    let summaries: Vec<String> =
        cases.body["items"].as_array().unwrap().iter().map(|c| c["summary"].as_str().unwrap().to_string()).collect();
    let year = hoagiai::db::today().format("%Y").to_string();
    let res = officer.post("/api/v1/api-clients", &json!({"name": "Huyện", "unit_id": cases.body["items"][0]["unit_id"]})).await;
    let commune_units = officer.get("/api/v1/units?level=commune").await;
    let commune = commune_units.body["items"][0]["id"].as_str().unwrap().to_string();
    let report = officer
        .post(
            "/api/v1/stats/reports",
            &json!({"unit_id": commune, "kind": "annual", "year": year.parse::<i32>().unwrap(), "cutoff_date": hoagiai::db::today()}),
        )
        .await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = app.with_token(token.body["access_token"].as_str().unwrap());
    let mut answers = Vec::new();
    for client in [&officer, &machine] {
        for by in ["", "&by=unit", "&by=category", "&by=basis", "&by=month"] {
            answers.push(client.get(&format!("/api/v1/stats/indicators?period={year}{by}")).await.text);
            answers.push(
                client.send("GET", &format!("/api/v1/stats/indicators?period={year}{by}"), &[("accept", "text/csv")], None).await.text,
            );
        }
        answers.push(client.get("/api/v1/stats/cases?limit=1000").await.text);
        answers.push(client.get("/api/v1/stats/reports").await.text);
        // The machine client is registered for a village: it asks for its own unit.
        let unit = if std::ptr::eq(client, &officer) { format!("&unit_id={commune}") } else { String::new() };
        let access = client.get(&format!("/api/v1/stats/access-to-law?year={year}{unit}")).await;
        assert_eq!(access.status, StatusCode::OK, "{}", access.text);
        answers.push(access.text);
    }
    // The officer's funding and review answers hold mediators' names, never the parties' (the
    // demo's name generator gives some parties a mediator's name: those cannot be told apart).
    let mediators = officer.get("/api/v1/mediators?limit=100").await;
    let mediator_names: Vec<String> =
        mediators.body["items"].as_array().unwrap().iter().map(|m| m["full_name"].as_str().unwrap().to_string()).collect();
    let party_only: Vec<&String> = names.iter().filter(|n| !mediator_names.contains(n)).collect();
    assert!(party_only.len() > 40);
    let mut officer_answers = Vec::new();
    for path in [
        "/api/v1/funding/fee-suggestions?from=2000-01-01&to=2001-12-31",
        "/api/v1/review/year-end?year=",
        "/api/v1/funding/confirmation-lists",
        "/api/v1/funding/summary?year=",
    ] {
        let path = if path.ends_with('=') { format!("{path}{year}") } else { path.to_string() };
        let res = officer.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        officer_answers.push(res.text);
    }
    for answer in &officer_answers {
        for name in &party_only {
            assert!(!answer.contains(name.as_str()), "a party's name ({name}) in a funding or review answer");
        }
        for summary in &summaries {
            assert!(!answer.contains(summary.as_str()), "a narrative in a funding or review answer");
        }
    }
    answers.push(machine.get(&format!("/api/v1/stats/reports/{}?format=csv", report.body["id"].as_str().unwrap())).await.text);
    for answer in &answers {
        for name in &names {
            assert!(!answer.contains(name.as_str()), "a party's name ({name}) in a statistics answer");
        }
        for summary in &summaries {
            assert!(!answer.contains(summary.as_str()), "a narrative in a statistics answer");
        }
    }
}

/// After any sequence of roster writes — teams founded, re-dated and dissolved, mediators joining,
/// leaving, changing teams and what they are — the monthly roster rollups equal what the roster
/// says, and every whole-month figure read from them equals the one counted from the roster.
async fn roster_rollups_survive_random_roster_writes(app: TestApp) {
    use diesel::prelude::*;
    use hoagiai::db::schema::memberships;
    use hoagiai::mediators::dto::*;
    use hoagiai::mediators::store as mediators;
    use hoagiai::teams::dto::{CreateTeam, UpdateTeam};
    use hoagiai::teams::store as teams;
    let w = world(app).await;
    let officer = walk_officer();
    let villages: Vec<uuid::Uuid> = [&w.tree.village_a, &w.tree.village_b].iter().map(|v| v.parse().unwrap()).collect();
    let mut roll = dice(0x0105_7e55_0000_2026);
    let mut team_ids: Vec<String> = vec![w.team.clone()];
    let mut mediator_ids: Vec<String> = vec![w.mediator_a_id.clone(), w.mediator_b_id.clone(), w.leader_id.clone()];
    let mut refused = 0;
    for step in 0..160 {
        let officer = officer.clone();
        let choice = roll(6);
        let team = team_ids[roll(team_ids.len() as u64) as usize].clone();
        let mediator = mediator_ids[roll(mediator_ids.len() as u64) as usize].clone();
        let village = villages[roll(2) as usize];
        let (a, b, flag) = (roll(700) as i64, roll(400) as i64, roll(8));
        let result = w
            .app
            .db
            .write(move |c| {
                let day = |n: i64| hoagiai::db::today() - chrono::Duration::days(n);
                match choice {
                    0 => {
                        let input = CreateTeam {
                            id: None,
                            name: format!("Tổ hòa giải {step}"),
                            unit_id: village,
                            founded_on: day(a),
                            notes: None,
                            predecessor_ids: vec![],
                        };
                        teams::create(c, &officer, input).map(|(t, _)| (Some(t.id), None))
                    }
                    1 => {
                        let input = CreateMediator {
                            id: None,
                            full_name: format!("Hòa giải viên {step}"),
                            sex: if flag % 2 == 0 { Sex::Female } else { Sex::Male },
                            birth_year: None,
                            ethnic_minority: flag % 3 == 0,
                            unit_id: village,
                            phone: None,
                            legal_training: Some([LegalTraining::None, LegalTraining::Basic, LegalTraining::Degree][(flag % 3) as usize]),
                            occupation: None,
                            membership: Some(NewMembership {
                                team_id: team.parse().unwrap(),
                                role: MembershipRole::Member,
                                recognition_decision: None,
                                recognition_date: None,
                                from_date: day(a),
                            }),
                        };
                        mediators::create(c, &officer, input).map(|(m, _)| (None, Some(m.id)))
                    }
                    2 => {
                        // End the mediator's open membership some days after it began (maybe in the future).
                        let open: Option<(String, chrono::NaiveDate)> = memberships::table
                            .filter(memberships::mediator_id.eq(&mediator))
                            .filter(memberships::to_date.is_null())
                            .select((memberships::id, memberships::from_date))
                            .first(c)
                            .optional()?;
                        let Some((id, from)) = open else { return Ok((None, None)) };
                        let end = EndMembership {
                            to_date: from + chrono::Duration::days(b),
                            end_reason: MembershipEndReason::OwnWish,
                            end_decision: None,
                            end_decision_date: None,
                        };
                        mediators::end_membership(c, &officer, &mediator, &id, end).map(|_| (None, None))
                    }
                    3 => {
                        let m = NewMembership {
                            team_id: team.parse().unwrap(),
                            role: MembershipRole::Member,
                            recognition_decision: None,
                            recognition_date: None,
                            from_date: day(a.min(300)),
                        };
                        mediators::add_membership(c, &officer, &mediator, m).map(|_| (None, None))
                    }
                    4 => {
                        let current = mediators::find(c, &officer, &mediator)?;
                        let patch = UpdateMediator {
                            full_name: None,
                            sex: Some(if current.sex == "female" { Sex::Male } else { Sex::Female }),
                            birth_year: None,
                            ethnic_minority: Some(flag % 2 == 0),
                            unit_id: None,
                            phone: None,
                            legal_training: Some(if current.legal_training == "none" { LegalTraining::Basic } else { LegalTraining::None }),
                            occupation: None,
                        };
                        mediators::update(c, &officer, &mediator, current.version, patch).map(|_| (None, None))
                    }
                    _ => {
                        let current = teams::find(c, &officer, &team)?;
                        let patch = UpdateTeam {
                            name: None,
                            founded_on: (flag < 4).then(|| day(a)),
                            dissolved_on: (flag >= 2).then(|| (flag < 6).then(|| day(b))),
                            notes: None,
                            predecessor_ids: None,
                        };
                        teams::update(c, &officer, &team, current.version, patch).map(|_| (None, None))
                    }
                }
            })
            .await;
        match result {
            Ok((t, m)) => {
                team_ids.extend(t);
                mediator_ids.extend(m);
            }
            // Refused writes (overlapping memberships, a dissolution before the founding) change nothing.
            Err(e) => {
                assert!(e.status.is_client_error(), "step {step}: {e}");
                refused += 1;
            }
        }
    }
    assert!(refused < 120, "the walk was mostly refused ({refused} of 160)");
    let mut conn = w.app.db.get().unwrap();
    let differences = hoagiai::stats::counters::check(&mut conn).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    let system = hoagiai::auth::Actor::system();
    let today = hoagiai::db::today();
    let mut periods: Vec<String> = (0..26).map(|m| (today - chrono::Duration::days(30 * m)).format("%Y-%m").to_string()).collect();
    for y in [today.format("%Y").to_string(), (today - chrono::Duration::days(365)).format("%Y").to_string()] {
        periods.extend([format!("{y}-H1"), format!("{y}-H2"), y]);
    }
    let mut seen_mediators = 0;
    for period in periods {
        for unit in [Some(w.tree.commune_a.parse().unwrap()), Some(w.tree.province.parse().unwrap()), None] {
            let q = IndicatorQuery { unit_id: unit, period: period.clone(), by: None, level: None, boundaries: None };
            let monthly = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, true).unwrap();
            let counted = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, false).unwrap();
            assert_eq!(monthly.figures.teams, counted.figures.teams, "{period} {unit:?}");
            assert_eq!(monthly.figures.mediators, counted.figures.mediators, "{period} {unit:?}");
            seen_mediators = seen_mediators.max(counted.figures.mediators.total);
        }
    }
    assert!(seen_mediators > 5, "the walk left almost nobody serving ({seen_mediators})");
}

/// An upgrade: a database from before the roster rollups and the shards gets them on its next
/// start, filled from what it holds (the down migrations run too, with data in the tables).
async fn rollups_are_filled_when_their_migrations_arrive(app: TestApp) {
    use diesel::prelude::*;
    use diesel_migrations::MigrationHarness;
    use hoagiai::db::{migrations, DbConn};
    let w = world(app).await;
    for _ in 0..3 {
        create(&w.leader, &new_case(&w.team)).await;
    }
    let mut conn = w.app.db.get().unwrap();
    let before = hoagiai::stats::store::indicators(
        &mut conn,
        &hoagiai::auth::Actor::system(),
        &IndicatorQuery { unit_id: None, period: hoagiai::db::today().format("%Y").to_string(), by: None, level: None, boundaries: None },
    )
    .unwrap();
    // The last four: the successors' transfers, the log-book line counters, the shards, the roster rollups.
    for _ in 0..4 {
        match &mut *conn {
            DbConn::Sqlite(c) => c.revert_last_migration(migrations::SQLITE).map(|_| ()),
            DbConn::Pg(c) => c.revert_last_migration(migrations::POSTGRES).map(|_| ()),
        }
        .expect("down migration");
    }
    let applied = migrations::run_pending(&mut conn).unwrap();
    assert!(
        applied.iter().any(|m| m.ends_with("_roster_rollups"))
            && applied.iter().any(|m| m.ends_with("_case_rollup_shards"))
            && applied.iter().any(|m| m.ends_with("_logbook_lines")),
        "{applied:?}"
    );
    // The line counters start from the books as they are.
    let last: Vec<i32> =
        hoagiai::db::schema::logbook_lines::table.select(hoagiai::db::schema::logbook_lines::last_line).load(&mut *conn).unwrap();
    assert_eq!(last, vec![3]);
    hoagiai::stats::fill_empty_rollups(&mut conn).unwrap();
    let filled: i64 = hoagiai::db::schema::roster_rollups::table.count().get_result(&mut *conn).unwrap();
    assert!(filled > 0);
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
    let after = hoagiai::stats::store::indicators(
        &mut conn,
        &hoagiai::auth::Actor::system(),
        &IndicatorQuery { unit_id: None, period: hoagiai::db::today().format("%Y").to_string(), by: None, level: None, boundaries: None },
    )
    .unwrap();
    assert_eq!(before.figures, after.figures);
    assert!(after.figures.cases.received >= 3 && after.figures.mediators.total >= 3);
    // A database upgraded before the filling worked: its rollups are empty; the next start fills them.
    diesel::delete(hoagiai::db::schema::case_rollups::table).execute(&mut *conn).unwrap();
    diesel::delete(hoagiai::db::schema::roster_rollups::table).execute(&mut *conn).unwrap();
    assert!(!hoagiai::stats::counters::check(&mut conn).unwrap().is_empty());
    hoagiai::stats::fill_empty_rollups(&mut conn).unwrap();
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
}
