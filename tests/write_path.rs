//! The write path: one transaction per command with its idempotency answer, log-book lines that
//! never clash, corrections that keep what they do not name, reads of personal data audited
//! before they are answered.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::cases::{create, new_case, world, World};
use crate::common::{Resp, TestApp};

on_both_backends!(
    keyed_creates_make_one_case_whatever_the_bearer_spelling,
    parallel_creates_for_one_team_take_consecutive_lines,
    parallel_tries_of_one_case_make_it_once,
    a_planned_create_is_written_only_while_what_it_read_holds,
    a_list_page_is_one_statement_with_its_names_and_total,
    a_correction_keeps_what_it_does_not_name,
    a_personal_data_read_is_audited_before_it_is_answered,
    a_refused_command_keeps_its_refusal_and_changes_nothing,
);

fn cases_of_team(app: &TestApp, team: &str) -> Vec<(String, i32)> {
    use hoagiai::db::schema::cases;
    cases::table.filter(cases::team_id.eq(team)).select((cases::id, cases::logbook_line)).load(&mut *app.db.get().unwrap()).unwrap()
}

fn keyless(team: &str, summary: &str) -> Value {
    let mut body = new_case(team);
    body.as_object_mut().unwrap().remove("id");
    body["summary"] = json!(summary);
    body
}

async fn keyed_creates_make_one_case_whatever_the_bearer_spelling(app: TestApp) {
    let w = world(app).await;
    let token = w.leader.token.clone().unwrap();
    let body = keyless(&w.team, "Tranh chấp ranh giới đất vườn");
    // 200 identical creates at once with one key, half of them spelling the scheme in lower case.
    let tries = (0..200).map(|i| {
        let c = w.leader.clone();
        let auth = if i % 2 == 0 { format!("Bearer {token}") } else { format!("bearer {token}") };
        let b = body.to_string().into_bytes();
        async move {
            c.send(
                "POST",
                "/api/v1/cases",
                &[("authorization", &auth), ("idempotency-key", "outbox-case-1")],
                Some(("application/json", b)),
            )
            .await
        }
    });
    let answers: Vec<Resp> = futures_util::future::join_all(tries).await;
    for a in &answers {
        assert_eq!(a.status, StatusCode::CREATED, "every try gets the first answer: {}", a.text);
    }
    let ids: std::collections::HashSet<&str> = answers.iter().map(|a| a.body["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 1, "every answer names the same case");
    let fresh = answers.iter().filter(|a| a.header("idempotency-replayed").is_none()).count();
    assert_eq!(fresh, 1, "one answer is the first, the others are replays");
    assert_eq!(cases_of_team(&w.app, &w.team).len(), 1, "exactly one case was made");
}

async fn parallel_creates_for_one_team_take_consecutive_lines(app: TestApp) {
    let w = world(app).await;
    let tries = (0..64).map(|i| {
        let c = w.leader.clone();
        let b = keyless(&w.team, &format!("Vụ việc số {i}"));
        async move { c.post("/api/v1/cases", &b).await }
    });
    let answers = futures_util::future::join_all(tries).await;
    let refused: Vec<String> = answers.iter().filter(|a| a.status != StatusCode::CREATED).map(|a| a.text.clone()).collect();
    assert!(refused.is_empty(), "{} of 64 creates refused, e.g. {:?}", refused.len(), refused.first());
    let mut lines: Vec<i32> = cases_of_team(&w.app, &w.team).into_iter().map(|(_, l)| l).collect();
    lines.sort_unstable();
    assert_eq!(lines, (1..=64).collect::<Vec<_>>(), "64 distinct consecutive lines");
    let mut answered: Vec<i64> = answers.iter().map(|a| a.body["logbook_line"].as_i64().unwrap()).collect();
    answered.sort_unstable();
    assert_eq!(answered, (1..=64).collect::<Vec<_>>(), "each answer shows its own line");

    // "Page 1 of 4": the total, when asked for, counts every matching case whatever the page.
    let first = w.leader.get(&format!("/api/v1/cases?team_id={}&limit=20&with_total=true", w.team)).await;
    assert_eq!(first.body["items"].as_array().unwrap().len(), 20);
    assert_eq!(first.body["total"], 64, "{}", first.text);
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = w.leader.get(&format!("/api/v1/cases?team_id={}&limit=20&with_total=true&cursor={cursor}", w.team)).await;
    assert_eq!(second.body["total"], 64);
    let filtered = w.leader.get(&format!("/api/v1/cases?team_id={}&status=successful&with_total=true", w.team)).await;
    assert_eq!(filtered.body["total"], 0);
    let plain = w.leader.get(&format!("/api/v1/cases?team_id={}&limit=20", w.team)).await;
    assert!(plain.body.get("total").is_none(), "no count unless asked: {}", plain.text);
}

/// A phone that lost its connection sends the same case again (same client-chosen id, no
/// `Idempotency-Key`) while the first try is still being written: many tries planned at once all
/// see no case with that id, and one of them is written. The others find it when they are made
/// again, answer it (200, the same line) and write nothing.
async fn parallel_tries_of_one_case_make_it_once(app: TestApp) {
    let w = world(app).await;
    let body = new_case(&w.team);
    let tries = (0..32).map(|_| {
        let (c, b) = (w.leader.clone(), body.clone());
        async move { c.post("/api/v1/cases", &b).await }
    });
    let answers = futures_util::future::join_all(tries).await;
    let made = answers.iter().filter(|a| a.status == StatusCode::CREATED).count();
    let found = answers.iter().filter(|a| a.status == StatusCode::OK).count();
    assert_eq!((made, found), (1, 31), "one made, the others answered with it: {:?}", answers.iter().map(|a| &a.text).collect::<Vec<_>>());
    for a in &answers {
        assert_eq!(a.body["id"], body["id"], "{}", a.text);
        assert_eq!(a.body["logbook_line"], 1, "{}", a.text);
    }
    assert_eq!(cases_of_team(&w.app, &w.team), vec![(body["id"].as_str().unwrap().to_string(), 1)]);
    let audit = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={}", body["id"].as_str().unwrap())).await;
    let creates = audit.body["items"].as_array().unwrap().iter().filter(|r| r["action"] == "create").count();
    assert_eq!(creates, 1, "one audit row: {}", audit.text);
    // The next case takes the next line: the tries that lost took none.
    assert_eq!(create(&w.leader, &new_case(&w.team)).await.body["logbook_line"], 2);
}

/// A create is planned from reads and written at once (`db::planned`): when another case took the
/// planned log-book line, the team changed, or a case with its id was made, in between, nothing is
/// written; otherwise all of
/// it — on PostgreSQL in one statement, no `BEGIN` or `COMMIT` around it.
async fn a_planned_create_is_written_only_while_what_it_read_holds(app: TestApp) {
    use hoagiai::cases::store::{plan_create, CreatePlan};
    use hoagiai::db::planned::{Applied, Writes};
    use hoagiai::db::{Backend, DbConn};
    use std::sync::atomic::Ordering;

    let w = world(app).await;
    // The commune's officer (national scope; the level lets them open cases).
    let officer =
        hoagiai::auth::Actor { role: hoagiai::auth::Role::Officer, unit_level: Some("commune".into()), ..hoagiai::auth::Actor::system() };
    let input: hoagiai::cases::dto::CreateCase = serde_json::from_value(keyless(&w.team, "Tranh chấp lối đi chung")).unwrap();
    let mut conn = w.app.db.get().unwrap();
    let statements = crate::common::count_statements(&mut conn);
    let plan = |conn: &mut DbConn| match plan_create(conn, &officer, &input, 30, &[]).unwrap() {
        CreatePlan::New(dto, writes) => (dto, writes),
        CreatePlan::Existing(_) => panic!("a new id was planned as an existing case"),
    };
    let apply = |conn: &mut DbConn, writes: Writes| match conn.backend() {
        Backend::Sqlite => hoagiai::db::write_transaction(conn, |c| writes.apply_in_transaction(c)).unwrap(),
        Backend::Postgres => writes.apply_as_one_statement(conn, None).unwrap(),
    };
    let served = |id: &str| {
        let (officer, id) = (w.officer.clone(), id.to_string());
        async move { officer.get(&format!("/api/v1/cases/{id}")).await }
    };

    // Another case takes the planned line in between.
    let (lost_line, writes) = plan(&mut conn);
    assert_eq!(lost_line.logbook_line, 1);
    let other = create(&w.leader, &new_case(&w.team)).await;
    assert_eq!(other.body["logbook_line"], 1);
    assert_eq!(apply(&mut conn, writes), Applied::Stale);
    assert_eq!(served(&lost_line.id).await.status, StatusCode::NOT_FOUND, "nothing of a stale plan is written");

    // The team is edited in between (its version moves): what the rules were checked against is gone.
    let (lost_team, writes) = plan(&mut conn);
    assert_eq!(lost_team.logbook_line, 2);
    let team = w.officer.get(&format!("/api/v1/teams/{}", w.team)).await;
    let edited = w.officer.patch(&format!("/api/v1/teams/{}", w.team), &team.etag(), &json!({"notes": "Họp ngày 5 hằng tháng"})).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    assert_eq!(apply(&mut conn, writes), Applied::Stale);
    assert_eq!(served(&lost_team.id).await.status, StatusCode::NOT_FOUND);

    // A case with the planned id is made in between, in another year's book so that the planned
    // line is still free: the id alone makes the plan stale, and nothing of it is written (no
    // unique-key error either: the guard looks for the id).
    let same = new_case(&w.team);
    let input_with_id: hoagiai::cases::dto::CreateCase = serde_json::from_value(same.clone()).unwrap();
    let writes = match plan_create(&mut conn, &officer, &input_with_id, 30, &[]).unwrap() {
        CreatePlan::New(_, writes) => writes,
        CreatePlan::Existing(_) => panic!("a new id was planned as an existing case"),
    };
    let mut earlier = same.clone();
    earlier["received_on"] = json!("2019-06-03");
    let first = create(&w.leader, &earlier).await;
    assert_eq!((first.body["id"].clone(), first.body["logbook_line"].clone()), (same["id"].clone(), json!(1)));
    assert_eq!(apply(&mut conn, writes), Applied::Stale);
    let (lines_after, statistics_after) = (cases_of_team(&w.app, &w.team).len(), rollup_total(&w.app));

    // Nothing changes in between: all of it is written, and it is the case the plan answered with.
    let (kept, writes) = plan(&mut conn);
    assert_eq!(kept.logbook_line, 2, "the lost plans took no line");
    let before = statements.load(Ordering::Relaxed);
    assert_eq!(apply(&mut conn, writes), Applied::Done);
    let written = statements.load(Ordering::Relaxed) - before;
    if conn.backend() == Backend::Postgres {
        assert_eq!(written, 1, "the whole write is one statement");
    }
    let read = served(&kept.id).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    for field in ["logbook_line", "summary", "received_on", "status", "category", "basis", "team_id", "created_at", "version"] {
        assert_eq!(read.body[field], serde_json::to_value(&kept).unwrap()[field], "{field}");
    }
    assert_eq!(read.body["parties"], serde_json::to_value(&kept).unwrap()["parties"]);
    assert_eq!(cases_of_team(&w.app, &w.team).len(), lines_after + 1);
    assert!(rollup_total(&w.app) > statistics_after, "the counters moved with the case");
    let audit = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={}", kept.id)).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let creates = audit.body["items"].as_array().unwrap().iter().filter(|r| r["action"] == "create").count();
    assert_eq!(creates, 1, "its audit row: {}", audit.text);
}

/// A list page is one statement after the caller's sight: its rows, their parties' names in
/// log-book order for those who may read them, and when asked the total. Only a page past the
/// last row, which has no row to carry the total, counts on its own.
async fn a_list_page_is_one_statement_with_its_names_and_total(app: TestApp) {
    use hoagiai::auth::{Actor, Role};
    use hoagiai::cases::store::{list, CaseFilter};
    use std::sync::atomic::Ordering;

    let w = world(app).await;
    let mut made: Vec<String> = Vec::new();
    for _ in 0..3 {
        made.push(create(&w.leader, &new_case(&w.team)).await.body["id"].as_str().unwrap().to_string());
    }
    made.sort();
    // A commune officer with national scope: their sight is the area, read with no statement.
    let officer = Actor { role: Role::Officer, unit_level: Some("commune".into()), ..Actor::system() };
    let mut conn = w.app.db.get().unwrap();
    let statements = crate::common::count_statements(&mut conn);
    let filter = |before_id: Option<&String>| CaseFilter {
        team_id: Some(w.team.clone()),
        before_id: before_id.cloned(),
        limit: 2,
        ..Default::default()
    };
    let mut page = |actor: &Actor, f: CaseFilter, with_total: bool| {
        let before = statements.load(Ordering::Relaxed);
        let (items, total) = list(&mut conn, actor, &f, with_total).unwrap();
        (items, total, statements.load(Ordering::Relaxed) - before)
    };

    let (items, total, used) = page(&officer, filter(None), true);
    assert_eq!(used, 1, "the page, its names and its total in one statement");
    assert_eq!(total, Some(3));
    let ids: Vec<&str> = items.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, made.iter().rev().map(String::as_str).collect::<Vec<_>>(), "newest first, one row past the page for its cursor");
    for c in &items {
        // Log-book order (position), not the names' order.
        assert_eq!(c.party_names.as_deref(), Some(&["Nguyễn Văn An".to_string(), "Hộ ông Lê Văn Bảo".to_string()][..]));
        assert!(c.summary.is_some());
    }

    let (items, total, used) = page(&officer, filter(Some(&made[2])), false);
    assert_eq!((items.len(), total, used), (2, None, 1), "no count unless asked");

    let (items, total, used) = page(&officer, filter(Some(&made[0])), true);
    assert_eq!((items.len(), total, used), (0, Some(3), 2), "past the last row the total is counted on its own");

    // An administrator does not read the parties' data: no names, no summary.
    let (items, total, _) = page(&Actor::system(), filter(None), true);
    assert_eq!(total, Some(3));
    assert!(items.iter().all(|c| c.party_names.is_none() && c.summary.is_none()));
}

/// The sum of every monthly counter.
fn rollup_total(app: &TestApp) -> i64 {
    use hoagiai::db::schema::case_rollups;
    let rows: Vec<(i64, i64, i64, i64)> = case_rollups::table
        .select((case_rollups::received, case_rollups::successful, case_rollups::unsuccessful, case_rollups::out_of_scope))
        .load(&mut *app.db.get().unwrap())
        .unwrap();
    rows.into_iter().map(|(r, s, u, o)| r + s + u + o).sum()
}

/// A concluded case whose first party has an ID number (written agreement for court recognition).
async fn concluded_with_id_number(w: &World) -> (String, Vec<String>) {
    let created = create(&w.leader, &new_case(&w.team)).await;
    let p = format!("/api/v1/cases/{}", created.body["id"].as_str().unwrap());
    let day = |n: i64| (hoagiai::db::today() - chrono::Duration::days(n)).to_string();
    let res = w
        .leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "parties", "assigned_on": day(4)}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let res = w
        .leader
        .post(&format!("{p}/end"), &json!({"end_reason": "agreement", "ended_on": day(2), "agreement_text": "Hai hộ giữ lối đi chung"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let parties: Vec<String> = res.body["parties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    let res = w
        .leader
        .post(
            &format!("{p}/written-agreement"),
            &json!({"date": day(2), "signature": "signed", "for_court_recognition": true, "id_numbers": [{"party_id": parties[0], "id_number": "030061000123"}]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    (p, parties)
}

async fn a_correction_keeps_what_it_does_not_name(app: TestApp) {
    let w = world(app).await;
    let (p, parties) = concluded_with_id_number(&w).await;
    let before = w.officer.get(&p).await;
    // The officer fixes the first party's name, naming nothing else.
    let fixed = w.officer.patch(&p, &before.etag(), &json!({"parties": [{"full_name": "Nguyễn Văn Ân"}]})).await;
    assert_eq!(fixed.status, StatusCode::OK, "{}", fixed.text);
    let first = &fixed.body["parties"][0];
    assert_eq!(first["id"], parties[0].as_str());
    assert_eq!(first["full_name"], "Nguyễn Văn Ân");
    assert_eq!(first["id_number"], "030061000123", "the ID number stays: {}", fixed.text);
    assert_eq!(first["age"], 58);
    assert_eq!(first["address"], "Thôn Hội Yên");
    assert_eq!(fixed.body["parties"][1], before.body["parties"][1], "the party not named is untouched");
    assert_eq!(fixed.body["summary"], before.body["summary"]);

    // By id, the second party's phone; clearing is explicit (null).
    let res = w.officer.patch(&p, &fixed.etag(), &json!({"parties": [{"id": parties[1], "phone": null}]})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert!(res.body["parties"][1]["phone"].is_null());
    assert_eq!(res.body["parties"][1]["birth_year"], 1961);
    assert_eq!(res.body["parties"][0]["full_name"], "Nguyễn Văn Ân", "by id, the first party is not touched");

    // The audit row names the changed fields, without the personal data itself.
    let case_id = p.rsplit('/').next().unwrap();
    let log = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={case_id}")).await;
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(items[0]["action"], "correct");
    assert_eq!(items[0]["new_values"]["changed_fields"], json!(["parties[2].phone"]));
    assert_eq!(items[1]["new_values"]["changed_fields"], json!(["parties[1].full_name"]));
    assert!(!log.text.contains("Nguyễn Văn Ân") && !log.text.contains("030061000123"), "no personal data in the audit: {}", log.text);

    // A demand stays through a correction too (an unsuccessful case).
    let created = create(&w.leader, &new_case(&w.team)).await;
    let q = format!("/api/v1/cases/{}", created.body["id"].as_str().unwrap());
    w.leader.post(&format!("{q}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await;
    let party = created.body["parties"][0]["id"].as_str().unwrap();
    let ended = w
        .leader
        .post(&format!("{q}/end"), &json!({"end_reason": "party_withdrew", "demands": [{"party_id": party, "demand": "Trả lại 2 m đất"}]}))
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.text);
    let res = w.officer.patch(&q, &ended.etag(), &json!({"parties": [{"full_name": "Nguyễn Văn Ân"}]})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["parties"][0]["demand"], "Trả lại 2 m đất", "{}", res.text);

    // Removing is said, never implied; a case keeps a party.
    let res = w.officer.patch(&q, &res.etag(), &json!({"parties": [{"id": party, "removed": true}]})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["parties"].as_array().unwrap().len(), 1);
    assert_eq!(res.body["parties"][0]["position"], 1);
    let last = res.body["parties"][0]["id"].as_str().unwrap().to_string();
    w.officer.patch(&q, &res.etag(), &json!({"parties": [{"id": last, "removed": true}]})).await.assert_problem(422, "validation_failed");
}

async fn a_personal_data_read_is_audited_before_it_is_answered(app: TestApp) {
    use hoagiai::db::schema::audit_log;
    let w = world(app).await;
    let created = create(&w.leader, &new_case(&w.team)).await;
    let id = created.body["id"].as_str().unwrap().to_string();
    for n in 1..=5 {
        let read = w.leader.get(&format!("/api/v1/cases/{id}")).await;
        assert_eq!(read.status, StatusCode::OK);
        // Checked the moment the answer arrives: the row is already committed.
        let rows: i64 = audit_log::table
            .filter(audit_log::entity_id.eq(&id))
            .filter(audit_log::action.eq("read"))
            .count()
            .get_result(&mut *w.app.db.get().unwrap())
            .unwrap();
        assert_eq!(rows, n, "read {n} is in the audit log when its answer arrives");
    }
}

async fn a_refused_command_keeps_its_refusal_and_changes_nothing(app: TestApp) {
    let w = world(app).await;
    let created = create(&w.leader, &new_case(&w.team)).await;
    let p = format!("/api/v1/cases/{}", created.body["id"].as_str().unwrap());
    // Ending a case nobody mediated is refused by the state machine: nothing changes, and the
    // retry with the same key gets the same refusal.
    let body = json!({"end_reason": "agreement", "agreement_text": "x"}).to_string().into_bytes();
    let first = w.leader.send("POST", &format!("{p}/end"), &[("idempotency-key", "end-1")], Some(("application/json", body.clone()))).await;
    assert!(first.status.is_client_error(), "{}", first.text);
    let again = w.leader.send("POST", &format!("{p}/end"), &[("idempotency-key", "end-1")], Some(("application/json", body))).await;
    assert_eq!(again.status, first.status);
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
    let now = w.leader.get(&p).await;
    assert_eq!(now.body["version"], created.body["version"]);
    assert_eq!(now.body["status"], "received");
}

/// Group commit (SQLite): writes that queue while one runs share its next transaction, each in a
/// savepoint of its own. One that fails rolls back alone; the others commit and are answered.
#[actix_web::test]
async fn a_failing_write_in_a_batch_rolls_back_alone() {
    use hoagiai::error::ApiError;
    use hoagiai::idempotency::store::{self as kept, Kept, KeyOf};
    use std::time::Duration;
    let app = TestApp::sqlite().await;
    let db = app.db.clone();
    let key = |k: &str| KeyOf { owner: "user:batch-test".into(), key: k.into(), fingerprint: "f".into() };
    let answer = Kept { status: 201, headers: Vec::new(), body: "{}".into() };
    let (before, _) = db.write_batches().expect("SQLite has a group-commit writer");
    // A slow write holds the writer; three more queue behind it and are taken as one batch.
    let slow = db.write(|_| {
        std::thread::sleep(Duration::from_millis(400));
        Ok(())
    });
    let queued = async {
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        let (a, b, c) = (answer.clone(), answer.clone(), answer.clone());
        let (ka, kb, kc) = (key("a"), key("b"), key("c"));
        futures_util::future::join3(
            db.write(move |conn| kept::keep(conn, &ka, &a)),
            db.write(move |conn| {
                kept::keep(conn, &kb, &b)?;
                Err::<bool, ApiError>(ApiError::conflict("refused_after_writing"))
            }),
            db.write(move |conn| kept::keep(conn, &kc, &c)),
        )
        .await
    };
    let (slow, (a, b, c)) = futures_util::future::join(slow, queued).await;
    slow.unwrap();
    assert!(a.unwrap() && c.unwrap(), "the writes beside the failing one committed");
    assert_eq!(b.unwrap_err().code, "refused_after_writing", "the failing write gets its own error");
    assert_eq!(db.write_batches().unwrap().0 - before, 2, "the three queued writes shared one transaction");
    let mut conn = db.get().unwrap();
    for (k, present) in [("a", true), ("b", false), ("c", true)] {
        let found = matches!(kept::find(&mut conn, &key(k)).unwrap(), kept::Found::Done(_));
        assert_eq!(found, present, "key {k}");
    }
}

/// Signing in and refreshing change no figure: the statistics answers kept stay kept (the
/// generation the cache compares with does not move); a case write does move it.
#[actix_web::test]
async fn sign_ins_leave_the_statistics_cache_alone() {
    let app = TestApp::sqlite().await;
    let w = world(app).await;
    let before = w.app.db.generation();
    let res = w.app.anon().post("/api/v1/auth/login", &json!({"username": "tt.hoiyen", "password": "mat khau dai du"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let refreshed = w.app.anon().post("/api/v1/auth/refresh", &json!({"refresh_token": res.body["refresh_token"]})).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.text);
    assert_eq!(w.app.db.generation(), before, "a sign-in and a refresh moved the generation");
    create(&w.leader, &new_case(&w.team)).await;
    assert!(w.app.db.generation() > before, "a case write moves it");
}
