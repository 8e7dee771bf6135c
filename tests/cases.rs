//! Cases: the whole life of a dispute over real HTTP, as a team leader on a phone would drive it;
//! the state machine, retries, races, scope, redaction, the deadline, duplicates, the log book.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::common::{Client, Resp, TestApp, Tree};
use crate::teams::{mediator, team};

on_both_backends!(
    a_case_from_intake_to_follow_up,
    impossible_moves_are_refused,
    retried_creates_never_duplicate,
    stale_edits_never_overwrite,
    team_leaders_and_mediators_stay_in_their_lane,
    personal_data_only_for_those_who_need_it,
    conflict_of_interest_and_reassignment,
    overdue_start_and_its_exceptions,
    possible_duplicates_are_warned_not_refused,
    copied_columns_are_checked_and_set_from_their_sources,
    log_book_rows_and_totals,
    bad_case_input_changes_nothing,
    out_of_scope_and_recusal_take_their_dates,
    officers_correct_a_recorded_result,
    log_book_cover_names_the_units_in_force,
    a_case_reads_in_two_statements,
);

/// A commune with one team, its leader and two mediators, each with an account.
pub struct World {
    pub app: TestApp,
    pub tree: Tree,
    pub officer: Client,
    pub team: String,
    pub leader: Client,
    pub mediator_a: Client,
    pub mediator_a_id: String,
    pub mediator_b_id: String,
    pub leader_id: String,
}

pub async fn world(app: TestApp) -> World {
    let tree = app.tree().await;
    let (officer, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let team = team(&officer, &tree.village_a, "Tổ hòa giải thôn Hội Yên").await;
    let leader = mediator(&officer, &tree.village_a, Some(&team), "Trần Văn Bình", "male", "leader").await;
    let a = mediator(&officer, &tree.village_a, Some(&team), "Phạm Thị Lan", "female", "member").await;
    let b = mediator(&officer, &tree.village_a, Some(&team), "Nguyễn Văn Tư", "male", "member").await;
    let account = |username: &str, role: &str, mediator: &Value| json!({"username": username, "display_name": "x", "role": role, "unit_id": tree.village_a, "mediator_id": mediator["id"], "password": "mat khau dai du"});
    for (u, r, m) in [("tt.hoiyen", "team_leader", &leader), ("hgv.lan", "mediator", &a)] {
        let res = officer.post("/api/v1/users", &account(u, r, m)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let leader_client = app.login("tt.hoiyen", "mat khau dai du").await;
    let mediator_a = app.login("hgv.lan", "mat khau dai du").await;
    World {
        tree,
        officer,
        team,
        leader: leader_client,
        mediator_a,
        mediator_a_id: a["id"].as_str().unwrap().into(),
        mediator_b_id: b["id"].as_str().unwrap().into(),
        leader_id: leader["id"].as_str().unwrap().into(),
        app,
    }
}

pub fn new_case(team: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7(),
        "team_id": team,
        "received_on": hoagiai::db::today() - chrono::Duration::days(5),
        "basis": "party_request",
        "category": "land",
        "summary": "Tranh chấp lối đi chung giữa hai hộ liền kề",
        "parties": [
            {"kind": "person", "full_name": "Nguyễn Văn An", "age": 58, "address": "Thôn Hội Yên"},
            {"kind": "family", "full_name": "Hộ ông Lê Văn Bảo", "birth_year": 1961, "address": "Thôn Hội Yên", "phone": "0912 345 678"}
        ]
    })
}

pub async fn create(client: &Client, body: &Value) -> Resp {
    let res = client.post("/api/v1/cases", body).await;
    assert!(res.status == StatusCode::CREATED || res.status == StatusCode::OK, "{}", res.text);
    res
}

fn path(case: &Resp) -> String {
    format!("/api/v1/cases/{}", case.body["id"].as_str().unwrap())
}

fn days_ago(n: i64) -> String {
    (hoagiai::db::today() - chrono::Duration::days(n)).to_string()
}

async fn ok(res: Resp) -> Resp {
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    res
}

async fn a_case_from_intake_to_follow_up(app: TestApp) {
    let w = world(app).await;
    let created = create(&w.leader, &new_case(&w.team)).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["status"], "received");
    assert_eq!(created.body["logbook_line"], 1);
    assert_eq!(created.body["parties"][1]["full_name"], "Hộ ông Lê Văn Bảo");
    assert_eq!(created.body["redacted"], false);
    let p = path(&created);

    let assigned = ok(w
        .leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "parties", "assigned_on": days_ago(4)}))
        .await)
    .await;
    assert_eq!(assigned.body["status"], "in_progress");
    assert_eq!(assigned.body["deadline"]["start_by"], days_ago(1));
    assert_eq!(assigned.body["assignments"][0]["mediator_name"], "Phạm Thị Lan");

    // The assigned mediator records the session from their own phone.
    let session = w
        .mediator_a
        .post(
            &format!("{p}/sessions"),
            &json!({"held_on": days_ago(3), "place": "Nhà văn hóa thôn", "participants": [{"name": "Đỗ Văn Cường", "role": "trưởng thôn"}], "notes": "Hai bên trình bày"}),
        )
        .await;
    let session = ok(session).await;
    assert_eq!(session.body["deadline"]["started_on"], days_ago(3));
    assert_eq!(session.body["deadline"]["overdue"], false);

    let ended = ok(w
        .mediator_a
        .send("POST", &format!("{p}/end"), &[("if-match", &session.etag())], Some(("application/json", json!({"end_reason": "agreement", "ended_on": days_ago(2), "agreement_text": "Hai hộ giữ lối đi rộng 1,5 m, ông Bảo dỡ hàng rào trong tháng"}).to_string().into_bytes())))
        .await)
    .await;
    assert_eq!(ended.body["status"], "successful");
    assert_eq!(ended.body["end"]["reason"], "agreement");

    let parties: Vec<String> = ended.body["parties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    let res = w
        .leader
        .post(
            &format!("{p}/written-agreement"),
            &json!({"date": days_ago(2), "signature": "fingerprinted", "for_court_recognition": true, "id_numbers": [{"party_id": parties[0], "id_number": "030061000123"}]}),
        )
        .await;
    let res = ok(res).await;
    assert_eq!(res.body["written_agreement"]["signature"], "fingerprinted");
    assert_eq!(res.body["parties"][0]["id_number"], "030061000123");
    let res = ok(w.leader.post(&format!("{p}/follow-ups"), &json!({"checked_on": days_ago(1), "status": "implemented"})).await).await;
    assert_eq!(res.body["follow_ups"][0]["status"], "implemented");

    // A team leader cannot correct a concluded case; an officer can, and it is audited as a correction.
    let etag = res.etag();
    w.leader.patch(&p, &etag, &json!({"notes": "sửa"})).await.assert_problem(403, "correction_requires_officer");
    let fixed =
        ok(w.officer.patch(&p, &etag, &json!({"ended_on": days_ago(2), "agreement_text": "Hai hộ giữ lối đi rộng 1,5 m"})).await).await;
    assert_eq!(fixed.body["end"]["agreement_text"], "Hai hộ giữ lối đi rộng 1,5 m");
    let log = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={}", created.body["id"].as_str().unwrap())).await;
    let actions: Vec<&str> = log.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions.first(), Some(&"correct"));
    for a in ["create", "assign", "session", "end", "written_agreement", "follow_up"] {
        assert!(actions.contains(&a), "{a} is audited: {actions:?}");
    }
    assert!(!log.text.contains("Nguyễn Văn An") && !log.text.contains("030061000123"), "no personal data in the audit values");
}

async fn impossible_moves_are_refused(app: TestApp) {
    let w = world(app).await;
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    let session = json!({"held_on": days_ago(1)});
    w.leader.post(&format!("{p}/sessions"), &session).await.assert_problem(409, "invalid_transition");
    w.leader
        .post(&format!("{p}/end"), &json!({"end_reason": "agreement", "agreement_text": "x"}))
        .await
        .assert_problem(409, "invalid_transition");
    w.leader
        .post(&format!("{p}/follow-ups"), &json!({"checked_on": days_ago(1), "status": "implemented"}))
        .await
        .assert_problem(409, "invalid_transition");
    w.leader
        .post(&format!("{p}/referral"), &json!({"body": "UBND xã", "date": days_ago(1)}))
        .await
        .assert_problem(409, "invalid_transition");

    ok(w.leader.post(&format!("{p}/out-of-scope"), &json!({"reason": "Có dấu hiệu tội phạm hình sự", "referred_to": "Công an xã"})).await)
        .await;
    w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"}))
        .await
        .assert_problem(409, "invalid_transition");
    w.leader.post(&format!("{p}/out-of-scope"), &json!({"reason": "x"})).await.assert_problem(409, "invalid_transition");

    // An unsuccessful end needs each party's demands, then allows a referral and nothing else.
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(2)}))
        .await)
    .await;
    w.leader.post(&format!("{p}/out-of-scope"), &json!({"reason": "x"})).await.assert_problem(409, "invalid_transition");
    w.leader.post(&format!("{p}/end"), &json!({"end_reason": "party_withdrew"})).await.assert_problem(422, "validation_failed");
    let parties = c.body["parties"].as_array().unwrap();
    let ended = ok(w
        .leader
        .post(
            &format!("{p}/end"),
            &json!({"end_reason": "party_withdrew", "ended_on": days_ago(1), "demands": [
                {"party_id": parties[0]["id"], "demand": "Đòi mở lối đi 2 m"}, {"party_id": parties[1]["id"], "demand": "Chỉ đồng ý 1 m"}]}),
        )
        .await)
    .await;
    assert_eq!(ended.body["status"], "unsuccessful");
    assert_eq!(ended.body["parties"][0]["demand"], "Đòi mở lối đi 2 m");
    ok(w.leader.post(&format!("{p}/referral"), &json!({"body": "UBND xã Đoàn Kết", "date": hoagiai::db::today()})).await).await;
    w.leader.post(&format!("{p}/sessions"), &json!({"held_on": days_ago(1)})).await.assert_problem(409, "invalid_transition");
    w.leader
        .post(&format!("{p}/written-agreement"), &json!({"date": days_ago(1), "signature": "signed"}))
        .await
        .assert_problem(409, "invalid_transition");
}

async fn retried_creates_never_duplicate(app: TestApp) {
    let w = world(app).await;
    let body = new_case(&w.team);
    // Many parallel identical creates with the phone's id: one case, every answer names it.
    let tries = (0..12).map(|_| {
        let c = w.leader.clone();
        let b = body.clone();
        async move { c.post("/api/v1/cases", &b).await }
    });
    let answers = futures_util::future::join_all(tries).await;
    let created = answers.iter().filter(|a| a.status == StatusCode::CREATED).count();
    assert_eq!(created, 1, "exactly one create made the case");
    for a in &answers {
        assert!(a.status == StatusCode::CREATED || a.status == StatusCode::OK, "{}", a.text);
        assert_eq!(a.body["id"], body["id"]);
    }
    // Parallel retries carrying only an Idempotency-Key, no id.
    let mut keyed = new_case(&w.team);
    keyed.as_object_mut().unwrap().remove("id");
    let tries = (0..12).map(|_| {
        let c = w.leader.clone();
        let b = keyed.clone();
        async move {
            c.send("POST", "/api/v1/cases", &[("idempotency-key", "outbox-7")], Some(("application/json", b.to_string().into_bytes())))
                .await
        }
    });
    let answers = futures_util::future::join_all(tries).await;
    assert!(
        answers.iter().all(|a| a.status == StatusCode::CREATED || a.status == StatusCode::CONFLICT),
        "{:?}",
        answers.iter().map(|a| a.status).collect::<Vec<_>>()
    );
    let list = w.leader.get(&format!("/api/v1/cases?team_id={}", w.team)).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2, "two cases in all: {}", list.text);
    // The same id with another content is refused.
    let mut other = body.clone();
    other["summary"] = json!("Một vụ khác");
    w.leader.post("/api/v1/cases", &other).await.assert_problem(409, "already_exists");
}

async fn stale_edits_never_overwrite(app: TestApp) {
    let w = world(app).await;
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    let etag = c.etag();
    let (first, second) = futures_util::future::join(
        w.leader.patch(&p, &etag, &json!({"summary": "Tranh chấp lối đi (sửa trên điện thoại 1)"})),
        w.officer.patch(&p, &etag, &json!({"summary": "Tranh chấp lối đi (sửa trên máy tính)"})),
    )
    .await;
    let statuses = [first.status.as_u16(), second.status.as_u16()];
    assert!(statuses.contains(&200) && statuses.contains(&412), "{statuses:?}");
    let loser = if first.status == StatusCode::PRECONDITION_FAILED { &first } else { &second };
    let winner = if first.status == StatusCode::OK { &first } else { &second };
    assert_eq!(loser.body["current"]["summary"], winner.body["summary"], "the loser is shown what won");
    let now = w.officer.get(&p).await;
    assert_eq!(now.body["summary"], winner.body["summary"]);
    // A command with a stale If-Match is refused too.
    let res = w
        .leader
        .send(
            "POST",
            &format!("{p}/assignments"),
            &[("if-match", &etag)],
            Some(("application/json", json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"}).to_string().into_bytes())),
        )
        .await;
    res.assert_problem(412, "version_mismatch");
}

async fn team_leaders_and_mediators_stay_in_their_lane(app: TestApp) {
    let w = world(app).await;
    // Team B in the same village, with its own leader.
    let team_b = team(&w.officer, &w.tree.village_a, "Tổ hòa giải số 2").await;
    let leader_b = mediator(&w.officer, &w.tree.village_a, Some(&team_b), "Vũ Thị Hòa", "female", "leader").await;
    let res = w
        .officer
        .post("/api/v1/users", &json!({"username": "tt.b", "display_name": "x", "role": "team_leader", "unit_id": w.tree.village_a, "mediator_id": leader_b["id"], "password": "mat khau dai du"}))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let tl_b = w.app.login("tt.b", "mat khau dai du").await;

    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    tl_b.get(&p).await.assert_problem(404, "not_found");
    tl_b.patch(&p, &c.etag(), &json!({"summary": "x"})).await.assert_problem(404, "not_found");
    tl_b.post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"}))
        .await
        .assert_problem(404, "not_found");
    assert_eq!(tl_b.get("/api/v1/cases").await.body["items"].as_array().unwrap().len(), 0);
    // Nor can they open a case in team A's book.
    let res = tl_b.post("/api/v1/cases", &new_case(&w.team)).await;
    res.assert_problem(422, "validation_failed");

    // A mediator sees the cases assigned to them, and records progress only on those.
    w.mediator_a.get(&p).await.assert_problem(404, "not_found");
    ok(w.leader.post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await).await;
    ok(w.mediator_a.get(&p).await).await;
    w.mediator_a.patch(&p, &w.mediator_a.get(&p).await.etag(), &json!({"summary": "x"})).await.assert_problem(403, "forbidden");
    let listed = w.mediator_a.get("/api/v1/cases").await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    // The team's whole log book is for the leader and the commune, not for each mediator.
    w.mediator_a.get(&format!("/api/v1/teams/{}/logbook?year=2026", w.team)).await.assert_problem(403, "forbidden");
    // A mediator may open a case for their own team on their own initiative.
    let mut own = new_case(&w.team);
    own["basis"] = json!("mediator_initiative");
    assert_eq!(w.mediator_a.post("/api/v1/cases", &own).await.status, StatusCode::CREATED);
    // Statistics readers and administrators do no casework.
    let (stats, _) = w.app.user(Role::Stats, Some(&w.tree.commune_a)).await;
    stats.get("/api/v1/cases").await.assert_problem(403, "forbidden");
    w.tree.admin.post("/api/v1/cases", &new_case(&w.team)).await.assert_problem(403, "forbidden");
}

async fn personal_data_only_for_those_who_need_it(app: TestApp) {
    let w = world(app).await;
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    let (viewer_commune, _) = w.app.user(Role::Viewer, Some(&w.tree.commune_a)).await;
    let (viewer_district, _) = w.app.user(Role::Viewer, Some(&w.tree.district)).await;
    let (officer_province, _) = w.app.user(Role::Officer, Some(&w.tree.province)).await;
    for (who, client, sees) in [
        ("team leader", &w.leader, true),
        ("commune officer", &w.officer, true),
        ("commune viewer", &viewer_commune, true),
        ("district viewer", &viewer_district, false),
        ("province officer", &officer_province, false),
        ("admin", &w.tree.admin, false),
    ] {
        let res = client.get(&p).await;
        assert_eq!(res.status, StatusCode::OK, "{who}: {}", res.text);
        assert_eq!(res.body["redacted"], !sees, "{who}");
        assert_eq!(res.text.contains("Nguyễn Văn An"), sees, "{who} and the party's name");
        assert_eq!(res.text.contains("0912 345 678"), sees, "{who} and the phone");
        assert_eq!(res.text.contains("lối đi chung"), sees, "{who} and the narrative");
        assert_eq!(res.body["category"], "land", "{who} still sees the facts");
        let list = client.get("/api/v1/cases").await;
        assert_eq!(list.text.contains("Nguyễn Văn An"), sees, "{who} in lists");
        if !sees {
            client.get("/api/v1/cases?q=loi%20di").await.assert_problem(422, "validation_failed");
            client.get(&format!("/api/v1/teams/{}/logbook?year=2026", w.team)).await.assert_problem(403, "forbidden");
        }
    }
    // Those who may not see the people may not change them either.
    officer_province.post("/api/v1/cases", &new_case(&w.team)).await.assert_problem(403, "forbidden");
    officer_province.patch(&p, &c.etag(), &json!({"summary": "x"})).await.assert_problem(403, "forbidden");
    // Reading the details is audited (written in batches within milliseconds).
    let mut audited = false;
    for _ in 0..50 {
        let log = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={}", c.body["id"].as_str().unwrap())).await;
        if log.body["items"].as_array().unwrap().iter().any(|e| e["action"] == "read") {
            audited = true;
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(audited, "the read of the details is in the audit log");
    // ID numbers only with a written agreement for court recognition: never at intake.
    let mut with_id = new_case(&w.team);
    with_id["parties"][0]["id_number"] = json!("030061000123");
    w.leader.post("/api/v1/cases", &with_id).await.assert_problem(422, "validation_failed");
}

async fn conflict_of_interest_and_reassignment(app: TestApp) {
    let w = world(app).await;
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    let res = ok(w.leader.post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await).await;
    w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"}))
        .await
        .assert_problem(409, "already_assigned");
    // Lan turns out to be related to a party: recused, and cannot be assigned again.
    let res2 =
        ok(w.leader.post(&format!("{p}/conflicts"), &json!({"mediator_id": w.mediator_a_id, "note": "Là cháu của một bên"})).await).await;
    assert_eq!(res2.body["assignments"][0]["end_reason"], "recusal");
    w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"}))
        .await
        .assert_problem(409, "mediator_conflict_of_interest");
    // Tư takes over; then is replaced by another assignment, with a reason.
    let with_tu =
        ok(w.leader.post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_b_id, "chosen_by": "parties"})).await).await;
    let tu_assignment = with_tu.body["assignments"][1]["id"].as_str().unwrap().to_string();
    let ended =
        ok(w.leader.post(&format!("{p}/assignments/{tu_assignment}/end"), &json!({"reason": "reassigned", "note": "Ốm"})).await).await;
    assert_eq!(ended.body["assignments"][1]["end_reason"], "reassigned");
    assert!(res.body["version"].as_i64() < ended.body["version"].as_i64());
    // A mediator of another team cannot be assigned.
    let other_team = team(&w.officer, &w.tree.village_a, "Tổ khác").await;
    let outsider = mediator(&w.officer, &w.tree.village_a, Some(&other_team), "Hà Văn Khác", "male", "member").await;
    w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": outsider["id"], "chosen_by": "leader"}))
        .await
        .assert_problem(422, "validation_failed");
}

async fn overdue_start_and_its_exceptions(app: TestApp) {
    let w = world(app).await;
    let late = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&late);
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(5)}))
        .await)
    .await;
    let on_time = create(&w.leader, &new_case(&w.team)).await;
    ok(w.leader
        .post(
            &format!("{}/assignments", path(&on_time)),
            &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(1)}),
        )
        .await)
    .await;

    let res = w.leader.get(&p).await;
    assert_eq!(res.body["deadline"]["overdue"], true);
    let overdue = w.leader.get("/api/v1/cases?overdue=true").await;
    let ids: Vec<&str> = overdue.body["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![late.body["id"].as_str().unwrap()]);
    assert_eq!(w.leader.get("/api/v1/cases?overdue=false").await.body["items"].as_array().unwrap().len(), 1);
    // The commune's statistics count the start that is overdue today, whatever the period.
    let year = hoagiai::db::today().format("%Y").to_string();
    let overdue_in_figures =
        || async { w.officer.get(&format!("/api/v1/stats/indicators?period={year}")).await.body["overdue_assignments"].as_i64() };
    assert_eq!(overdue_in_figures().await, Some(1));

    let res = ok(w
        .leader
        .post(&format!("{p}/deadline-exception"), &json!({"kind": "parties_agreed_time", "note": "Các bên hẹn sau vụ gặt"}))
        .await)
    .await;
    assert_eq!(res.body["deadline"]["overdue"], false);
    assert_eq!(res.body["deadline"]["exception"], "parties_agreed_time");
    assert_eq!(w.leader.get("/api/v1/cases?overdue=true").await.body["items"].as_array().unwrap().len(), 0);
    assert_eq!(overdue_in_figures().await, Some(0));
}

async fn possible_duplicates_are_warned_not_refused(app: TestApp) {
    let w = world(app).await;
    let first = create(&w.leader, &new_case(&w.team)).await;
    assert_eq!(first.body["warnings"].as_array().unwrap().len(), 0);
    // Another phone records the same dispute, spelling the name without diacritics.
    let mut again = new_case(&w.team);
    again["parties"] = json!([{"kind": "person", "full_name": "nguyen van an"}, {"kind": "person", "full_name": "Trần Thị Mơ"}]);
    let second = create(&w.mediator_a, &again).await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.body["warnings"][0]["code"], "possible_duplicate");
    assert_eq!(second.body["warnings"][0]["case_ids"][0], first.body["id"]);
    // Search ignores diacritics as well.
    let found = w.leader.get("/api/v1/cases?q=LOI%20DI%20CHUNG").await;
    assert_eq!(found.body["items"].as_array().unwrap().len(), 2);

    // What a new case is compared with: the same team's cases received within 30 days of it,
    // under their parties' names and team as they are now.
    let warned = |res: &Resp| -> Vec<String> {
        let w = res.body["warnings"].as_array().unwrap();
        w.iter().flat_map(|w| w["case_ids"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_string())).collect()
    };
    let id = |res: &Resp| res.body["id"].as_str().unwrap().to_string();
    let named = |team: &str, name: &str, days: i64| {
        let mut body = new_case(team);
        body["received_on"] = json!(days_ago(days));
        body["parties"] = json!([{"kind": "person", "full_name": name}]);
        body
    };
    // 31 days apart is outside the window; 30 is inside (and one day, the case just made).
    let early = create(&w.leader, &named(&w.team, "Nguyễn Văn An", 36)).await;
    assert_eq!(warned(&early), Vec::<String>::new());
    let later = create(&w.leader, &named(&w.team, "Nguyễn Văn An", 35)).await;
    assert_eq!(warned(&later), vec![id(&first), id(&second), id(&early)]);
    // Another team's cases are not its duplicates.
    let other = team(&w.officer, &w.tree.village_a, "Tổ hòa giải xóm Giữa").await;
    assert_eq!(warned(&create(&w.officer, &named(&other, "Nguyễn Văn An", 5)).await), Vec::<String>::new());
    // A corrected name is found under the new name, no longer under the old one.
    let p = path(&second);
    let before = w.leader.get(&p).await;
    let party = before.body["parties"][0]["id"].clone();
    ok(w.officer.patch(&p, &before.etag(), &json!({"parties": [{"id": party, "full_name": "Đỗ Văn Khoa"}]})).await).await;
    assert_eq!(warned(&create(&w.leader, &named(&w.team, "Đỗ Văn Khoa", 1)).await), vec![id(&second)]);
    assert!(!warned(&create(&w.leader, &named(&w.team, "Nguyễn Văn An", 1)).await).contains(&id(&second)));
    // A case moved to another team is that team's to compare with, no longer the first's.
    ok(w.officer.post(&format!("{}/transfer", path(&first)), &json!({"team_id": other})).await).await;
    assert!(warned(&create(&w.officer, &named(&other, "Nguyễn Văn An", 2)).await).contains(&id(&first)));
    assert!(!warned(&create(&w.leader, &named(&w.team, "Nguyễn Văn An", 2)).await).contains(&id(&first)));
}

/// The columns kept as copies of others (a case's received and ended year and month, its folded
/// summary; a party's folded name and its case's team) agree with their sources after every
/// write that moves them; `hoagiai stats check` names the rows whose copies were spoilt — ids and
/// columns, never a name or a summary — and `--fix` sets them from their sources, leaving the
/// record's version alone.
async fn copied_columns_are_checked_and_set_from_their_sources(app: TestApp) {
    use diesel::prelude::*;
    use hoagiai::db::schema::{case_parties, cases};
    let w = world(app).await;
    let first = create(&w.leader, &new_case(&w.team)).await;
    let second = create(&w.leader, &new_case(&w.team)).await;
    // The writes that move a copy: a correction of the day, the summary and a name; an end; a transfer.
    let before = w.leader.get(&path(&first)).await;
    let party = before.body["parties"][0]["id"].as_str().unwrap().to_string();
    ok(w.officer
        .patch(
            &path(&first),
            &before.etag(),
            &json!({"received_on": days_ago(40), "summary": "Tranh chấp lối đi sau nhà", "parties": [{"id": party, "full_name": "Đỗ Văn Khoa"}]}),
        )
        .await)
    .await;
    ok(w.leader.post(&format!("{}/assignments", path(&first)), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await)
        .await;
    ok(w.leader.post(&format!("{}/sessions", path(&first)), &json!({"held_on": days_ago(1)})).await).await;
    ok(w.leader.post(&format!("{}/end", path(&first)), &json!({"end_reason": "agreement", "agreement_text": "Mở lối đi 1,2 m"})).await)
        .await;
    let other = team(&w.officer, &w.tree.village_a, "Tổ hòa giải xóm Giữa").await;
    ok(w.officer.post(&format!("{}/transfer", path(&second)), &json!({"team_id": other})).await).await;
    let mut conn = w.app.db.get().unwrap();
    assert_eq!(hoagiai::cases::copies::check(&mut conn).unwrap(), Vec::<String>::new(), "every write kept the copies in step");

    // Spoilt by hand, as a bad restore or a bug would leave them.
    let (first_id, second_id) = (first.body["id"].as_str().unwrap(), second.body["id"].as_str().unwrap());
    let month: i32 = cases::table.find(first_id).select(cases::received_month).first(&mut *conn).unwrap();
    diesel::update(cases::table.find(first_id))
        .set((cases::received_month.eq(13 - month), cases::ended_year.eq(None::<i32>), cases::summary_key.eq("x")))
        .execute(&mut *conn)
        .unwrap();
    diesel::update(case_parties::table.find(&party)).set(case_parties::name_key.eq("nguyen van an")).execute(&mut *conn).unwrap();
    diesel::update(case_parties::table.filter(case_parties::case_id.eq(second_id)))
        .set(case_parties::team_id.eq(&w.team))
        .execute(&mut *conn)
        .unwrap();
    let second_parties: Vec<String> = case_parties::table
        .filter(case_parties::case_id.eq(second_id))
        .select(case_parties::id)
        .order(case_parties::position)
        .load(&mut *conn)
        .unwrap();
    let mut expected = vec![
        format!("case {first_id}: received_month, ended_year, summary_key not as its sources say"),
        format!("party {party} of case {first_id}: name_key not as its sources say"),
    ];
    expected.extend(second_parties.iter().map(|p| format!("party {p} of case {second_id}: team_id not as its sources say")));
    let mut found = hoagiai::cases::copies::check(&mut conn).unwrap();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    let version = |conn: &mut hoagiai::db::DbConn| -> i32 { cases::table.find(first_id).select(cases::version).first(conn).unwrap() };
    let version_before = version(&mut conn);
    drop(conn);

    // The operator's command, on the same database.
    let stats_check = |fix: bool| {
        let mut args = vec!["stats", "check"];
        if fix {
            args.push("--fix");
        }
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_hoagiai"))
            .args(&args)
            .env("HOAGIAI_DATABASE_URL", &w.app.url)
            .env("HOAGIAI_DATA_DIR", &w.app.data_dir)
            .env("HOAGIAI_JWT_SECRET", crate::common::JWT_SECRET)
            .env("HOAGIAI_LOG", "warn")
            .output()
            .unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
    };
    let (passed, said) = stats_check(false);
    assert!(!passed, "{said}");
    for line in &expected {
        assert!(said.contains(line.as_str()), "{line} in {said}");
    }
    for personal in ["Khoa", "khoa", "lối đi", "loi di", "Nguyễn", "nguyen"] {
        assert!(!said.contains(personal), "{personal} printed: {said}");
    }
    // The test's tree has an old province whose communes the cases are not under (`successors`
    // covers it), so the command's exit also reports that; the copies are what is looked at here.
    let (_, said) = stats_check(true);
    assert!(said.contains(&format!("set the copied columns of {} case and party rows", expected.len())), "{said}");
    assert!(!said.contains("rebuilt the counters"), "the counters agreed: {said}");
    let (_, said) = stats_check(false);
    assert!(!said.contains("not as its sources say") && !said.contains("hold copies"), "{said}");

    // Back as they were, and the record's version untouched.
    let mut conn = w.app.db.get().unwrap();
    assert_eq!(hoagiai::cases::copies::check(&mut conn).unwrap(), Vec::<String>::new());
    assert_eq!(version(&mut conn), version_before);
    drop(conn);
    // The moved case is again found by the possible-duplicate check of the team it is in.
    let moved = create(&w.officer, &new_case(&other)).await;
    assert!(moved.body["warnings"][0]["case_ids"].as_array().is_some_and(|ids| ids.iter().any(|i| i == second_id)), "{}", moved.text);
}

async fn log_book_rows_and_totals(app: TestApp) {
    let w = world(app).await;
    let year = hoagiai::db::today().format("%Y").to_string();
    // Three cases: successful, unsuccessful, and one still open; one out of scope.
    let mut ids = Vec::new();
    for summary in ["Tranh chấp ranh giới đất", "Mâu thuẫn vợ chồng", "Tranh chấp tiền vay", "Đánh nhau gây thương tích"]
    {
        let mut body = new_case(&w.team);
        body["summary"] = json!(summary);
        body["received_on"] = json!(hoagiai::db::today());
        if summary.starts_with("Mâu") {
            body["category"] = json!("family_marriage");
        }
        ids.push(create(&w.leader, &body).await);
    }
    // Tư is assigned to the first case too, then recuses himself: he did not mediate it.
    ok(w.leader.post(&format!("{}/assignments", path(&ids[0])), &json!({"mediator_id": w.mediator_b_id, "chosen_by": "leader"})).await)
        .await;
    ok(w.leader.post(&format!("{}/conflicts", path(&ids[0])), &json!({"mediator_id": w.mediator_b_id})).await).await;
    for c in &ids[..3] {
        ok(w.leader.post(&format!("{}/assignments", path(c)), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await).await;
        ok(w.leader
            .post(
                &format!("{}/sessions", path(c)),
                &json!({"held_on": hoagiai::db::today(), "participants": [{"name": "Đỗ Văn Cường", "role": "trưởng thôn"}]}),
            )
            .await)
        .await;
    }
    ok(w.leader
        .post(
            &format!("{}/end", path(&ids[0])),
            &json!({"end_reason": "agreement", "agreement_text": "Cắm lại mốc giới theo bản đồ địa chính"}),
        )
        .await)
    .await;
    let parties = ids[1].body["parties"].as_array().unwrap();
    ok(w.leader
        .post(
            &format!("{}/end", path(&ids[1])),
            &json!({"end_reason": "mediator_ended", "demands": [{"party_id": parties[0]["id"], "demand": "Ly hôn"}]}),
        )
        .await)
    .await;
    ok(w.leader
        .post(&format!("{}/out-of-scope", path(&ids[3])), &json!({"reason": "Có dấu hiệu tội phạm", "referred_to": "Công an xã"}))
        .await)
    .await;

    let book = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={year}", w.team)).await;
    assert_eq!(book.status, StatusCode::OK, "{}", book.text);
    let rows = book.body["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows.iter().map(|r| r["number"].as_i64().unwrap()).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    assert_eq!(rows[0]["successful"], true);
    assert_eq!(rows[0]["agreement_or_demands"], "Cắm lại mốc giới theo bản đồ địa chính");
    assert_eq!(rows[0]["mediators"], json!(["Phạm Thị Lan"]), "column 3 leaves out the mediator who recused himself");
    assert_eq!(rows[0]["participants"][0], "Đỗ Văn Cường (trưởng thôn)");
    assert_eq!(rows[0]["parties"][1]["age"], year.parse::<i64>().unwrap() - 1961);
    assert_eq!(rows[1]["unsuccessful"], true);
    assert_eq!(rows[1]["agreement_or_demands"], "Nguyễn Văn An: Ly hôn");
    assert!(rows[2]["notes"].as_str().unwrap().contains("Đang hòa giải"));
    assert!(rows[3]["notes"].as_str().unwrap().contains("Công an xã"));
    let total = &book.body["summary"]["total"];
    assert_eq!(
        (
            total["received"].as_i64(),
            total["successful"].as_i64(),
            total["unsuccessful"].as_i64(),
            total["in_progress"].as_i64(),
            total["out_of_scope"].as_i64()
        ),
        (Some(3), Some(1), Some(1), Some(1), Some(1)),
        "received 3 = 1 + 1 + 1; the out-of-scope case apart"
    );
    let land = book.body["summary"]["by_category"].as_array().unwrap().iter().find(|l| l["category"] == "land").unwrap().clone();
    assert_eq!((land["received"].as_i64(), land["out_of_scope"].as_i64()), (Some(2), Some(1)));
    assert_eq!(book.body["cover"]["commune"], "Xã Đoàn Kết");
    // The test tree's district ended with the reform (a district entered without an end date ends
    // on 1 July 2025): this year's volume names none.
    assert!(book.body["cover"]["district"].is_null(), "{}", book.body["cover"]);

    let html = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={year}&format=html", w.team)).await;
    assert!(html.header("content-type").unwrap().starts_with("text/html"));
    assert!(html.text.contains("SỔ THEO DÕI HOẠT ĐỘNG HÒA GIẢI Ở CƠ SỞ") && html.text.contains("Cắm lại mốc giới"));
    assert!(html.text.contains("GHI CHÉP CỦA HÒA GIẢI VIÊN") && html.text.contains("THEO DÕI, TỔNG HỢP CỦA TỔ TRƯỞNG TỔ HÒA GIẢI"));
    assert!(!html.text.contains("Nguyễn Văn Tư"), "a recused mediator is not printed");
    assert!(html.header("content-security-policy").unwrap().contains("sha256-"));
    let csv = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={year}&format=csv", w.team)).await;
    assert!(csv.text.starts_with('\u{feff}'), "CSV starts with a BOM");
    assert!(csv.text.contains("Tranh chấp ranh giới đất"));
    // One table per file: Part I by default, Part II's summary and follow-ups on request.
    assert!(csv.header("content-disposition").unwrap().contains(&format!("so-theo-doi-hoa-giai-{year}-phan-1.csv")));
    assert!(!csv.text.contains("Tổng cộng"), "Part II is a file of its own");
    let two = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={year}&format=csv&part=two", w.team)).await;
    assert_eq!(two.status, StatusCode::OK);
    assert!(two.text.contains("Tổng cộng") && !two.text.contains("Tranh chấp ranh giới đất"));
    let follow_ups = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={year}&format=csv&part=follow_ups", w.team)).await;
    assert_eq!(follow_ups.status, StatusCode::OK);
    assert!(follow_ups.header("content-disposition").unwrap().contains("theo-doi.csv"));
    w.leader
        .get(&format!("/api/v1/teams/{}/logbook?year={year}&format=csv&part=three", w.team))
        .await
        .assert_problem(422, "validation_failed");
    w.leader.get(&format!("/api/v1/teams/{}/logbook?year={year}&part=two", w.team)).await.assert_problem(422, "validation_failed");
    let xlsx = w.leader.send("GET", &format!("/api/v1/teams/{}/logbook?year={year}&format=xlsx", w.team), &[], None).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.text.starts_with("PK"), "an XLSX is a zip");
}

async fn bad_case_input_changes_nothing(app: TestApp) {
    let w = world(app).await;
    let count = |c: Resp| c.body["items"].as_array().unwrap().len();
    let before = count(w.leader.get("/api/v1/cases").await);
    let mut future = new_case(&w.team);
    future["received_on"] = json!(hoagiai::db::today() + chrono::Duration::days(2));
    let mut no_parties = new_case(&w.team);
    no_parties["parties"] = json!([]);
    let mut bad_kind = new_case(&w.team);
    bad_kind["parties"][0]["kind"] = json!("company");
    let mut referral = new_case(&w.team);
    referral["basis"] = json!("referral");
    let mut old_age = new_case(&w.team);
    old_age["parties"][0]["age"] = json!(300);
    for (what, body, field) in [
        ("future date", future, "received_on"),
        ("no parties", no_parties, "parties"),
        ("unknown party kind", bad_kind, "parties[0].kind"),
        ("referral without body", referral, "referring_body"),
        ("impossible age", old_age, "parties[0].age"),
    ] {
        let res = w.leader.post("/api/v1/cases", &body).await;
        res.assert_problem(422, "validation_failed");
        let fields: Vec<&str> = res.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert!(fields.iter().any(|f| f.starts_with(field)), "{what}: {fields:?}");
    }
    assert_eq!(count(w.leader.get("/api/v1/cases").await), before);
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    ok(w.leader.post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"})).await).await;
    w.leader.post(&format!("{p}/end"), &json!({"end_reason": "agreement"})).await.assert_problem(422, "validation_failed");
    w.leader
        .post(&format!("{p}/end"), &json!({"end_reason": "surrender", "agreement_text": "x"}))
        .await
        .assert_problem(422, "validation_failed");
    w.leader.post(&format!("{p}/sessions"), &json!({"held_on": "2001-01-01"})).await.assert_problem(422, "validation_failed");
    w.leader.post(&format!("{p}/sessions"), &json!({"held_on": "yesterday"})).await.assert_problem(422, "validation_failed");
    let still = w.leader.get(&p).await;
    assert_eq!(still.body["status"], "in_progress");
    assert_eq!(still.body["sessions"].as_array().unwrap().len(), 0);
    w.leader.get("/api/v1/cases?status=closed").await.assert_problem(422, "validation_failed");
    w.leader.get(&format!("/api/v1/teams/{}/logbook?year=1800", w.team)).await.assert_problem(422, "validation_failed");
    w.leader.get(&format!("/api/v1/teams/{}/logbook?year=2026&format=pdf", w.team)).await.assert_problem(422, "validation_failed");
}

/// Part II sums the year as it closed: a case received in December and ended in January was in
/// progress at the end of its book's year; its row shows the result once known.
#[actix_web::test]
async fn log_book_summary_is_as_of_the_year_end() {
    let w = world(TestApp::sqlite().await).await;
    let today = hoagiai::db::today();
    let last_year = today.format("%Y").to_string().parse::<i32>().unwrap() - 1;
    let mut body = new_case(&w.team);
    body["received_on"] = json!(format!("{last_year}-12-20"));
    let c = create(&w.leader, &body).await;
    let p = path(&c);
    ok(w.leader
        .post(
            &format!("{p}/assignments"),
            &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": format!("{last_year}-12-21")}),
        )
        .await)
    .await;
    ok(w.leader.post(&format!("{p}/end"), &json!({"end_reason": "agreement", "agreement_text": "Thỏa thuận", "ended_on": today})).await)
        .await;
    let book = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={last_year}", w.team)).await;
    assert_eq!(book.body["rows"][0]["successful"], true);
    assert_eq!(book.body["summary"]["total"]["in_progress"], 1);
    assert_eq!(book.body["summary"]["total"]["successful"], 0);
    if last_year <= 2024 {
        assert!(book.body["cover"]["district"].is_string());
    }
}

/// Out of scope and a recusal copied from the paper book keep their own day: the statistics and
/// the assignment follow it; a day in the future or before the case came is refused (422).
async fn out_of_scope_and_recusal_take_their_dates(app: TestApp) {
    let w = world(app).await;
    let mut body = new_case(&w.team);
    body["received_on"] = json!(days_ago(20));
    let c = create(&w.leader, &body).await;
    let p = path(&c);
    for (day, why) in [(days_ago(-1), "tomorrow"), (days_ago(21), "before it was received")] {
        let res = w.leader.post(&format!("{p}/out-of-scope"), &json!({"reason": "Hình sự", "decided_on": day})).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.body["errors"][0]["field"], "decided_on", "{why}: {}", res.text);
    }
    assert_eq!(w.leader.get(&p).await.body["status"], "received", "a refused command changes nothing");
    let marked = ok(w.leader.post(&format!("{p}/out-of-scope"), &json!({"reason": "Hình sự", "decided_on": days_ago(15)})).await).await;
    assert_eq!(marked.body["out_of_scope"]["decided_on"], days_ago(15));
    // Counted on that day, and never as received.
    let figures = |from: i64, to: i64| {
        let (officer, url) = (w.officer.clone(), format!("/api/v1/stats/indicators?period={}..{}", days_ago(from), days_ago(to)));
        async move { officer.get(&url).await.body["figures"]["cases"].clone() }
    };
    let on_the_day = figures(20, 15).await;
    assert_eq!((on_the_day["out_of_scope"].as_i64(), on_the_day["received"].as_i64()), (Some(1), Some(0)));
    assert_eq!(figures(14, 0).await["out_of_scope"], 0);
    // Without a day: today, in Vietnam.
    let other = create(&w.leader, &new_case(&w.team)).await;
    let today = ok(w.leader.post(&format!("{}/out-of-scope", path(&other)), &json!({"reason": "Hành chính"})).await).await;
    assert_eq!(today.body["out_of_scope"]["decided_on"], hoagiai::db::today().to_string());

    // A recusal: Lan was assigned 6 days ago.
    let mut body = new_case(&w.team);
    body["received_on"] = json!(days_ago(10));
    let c = create(&w.leader, &body).await;
    let p = path(&c);
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(6)}))
        .await)
    .await;
    for (day, why) in [(days_ago(-2), "in the future"), (days_ago(11), "before it was received"), (days_ago(8), "before the assignment")] {
        let res = w.leader.post(&format!("{p}/conflicts"), &json!({"mediator_id": w.mediator_a_id, "recused_on": day})).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.body["errors"][0]["field"], "recused_on", "{why}: {}", res.text);
    }
    let recused =
        ok(w.leader.post(&format!("{p}/conflicts"), &json!({"mediator_id": w.mediator_a_id, "recused_on": days_ago(5)})).await).await;
    assert_eq!(recused.body["assignments"][0]["end_reason"], "recusal");
    assert_eq!(recused.body["assignments"][0]["ended_on"], days_ago(5));
    // An assignment ended as a recusal by its own command: the same limits.
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_b_id, "chosen_by": "leader", "assigned_on": days_ago(4)}))
        .await)
    .await;
    let tu = w.leader.get(&p).await.body["assignments"][1]["id"].as_str().unwrap().to_string();
    let res = w.leader.post(&format!("{p}/assignments/{tu}/end"), &json!({"reason": "recusal", "ended_on": days_ago(5)})).await;
    res.assert_problem(422, "validation_failed");
    let ended = ok(w.leader.post(&format!("{p}/assignments/{tu}/end"), &json!({"reason": "recusal", "ended_on": days_ago(3)})).await).await;
    assert_eq!(ended.body["assignments"][1]["ended_on"], days_ago(3));
}

/// A commune officer corrects a recorded result, with If-Match; the statistics follow in the same
/// write and the audit names what changed without the text. Team leaders, province officers and
/// stale versions are refused; so is a correction that would drop the agreement's own records.
async fn officers_correct_a_recorded_result(app: TestApp) {
    let w = world(app).await;
    let mut body = new_case(&w.team);
    body["received_on"] = json!(days_ago(10));
    let c = create(&w.leader, &body).await;
    let p = path(&c);
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(9)}))
        .await)
    .await;
    let ended = ok(w
        .leader
        .post(&format!("{p}/end"), &json!({"end_reason": "agreement", "agreement_text": "Hai hộ mở lối đi 1 m", "ended_on": days_ago(8)}))
        .await)
    .await;
    // A second case, unsuccessful, so that the rates move both ways.
    let mut body = new_case(&w.team);
    body["received_on"] = json!(days_ago(10));
    let other = create(&w.leader, &body).await;
    let q = path(&other);
    ok(w.leader
        .post(&format!("{q}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(9)}))
        .await)
    .await;
    ok(w.leader
        .post(&format!("{q}/end"), &json!({"end_reason": "party_withdrew", "ended_on": days_ago(7), "demands": [{"party_id": other.body["parties"][0]["id"], "demand": "Rút đơn"}]}))
        .await)
    .await;
    let period = format!("/api/v1/stats/indicators?period={}..{}", days_ago(10), days_ago(0));
    let figures = || {
        let (officer, url) = (w.officer.clone(), period.clone());
        async move {
            let c = officer.get(&url).await.body["figures"]["cases"].clone();
            (
                c["received"].as_i64().unwrap(),
                c["successful"].as_i64().unwrap(),
                c["unsuccessful"].as_i64().unwrap(),
                c["success_rate_of_received"].clone(),
            )
        }
    };
    assert_eq!(figures().await, (2, 1, 1, json!(0.5)));

    let parties = ended.body["parties"].as_array().unwrap();
    let flip = json!({"end_reason": "mediator_ended", "demands": [{"party_id": parties[1]["id"], "demand": "Giữ nguyên hàng rào"}]});
    let url = format!("{p}/result-correction");
    let send = |client: &Client, etag: Option<&str>, body: &Value| {
        let (client, url, body) = (client.clone(), url.clone(), body.clone());
        let etag = etag.map(str::to_string);
        async move {
            let headers: Vec<(&str, &str)> = etag.iter().map(|e| ("if-match", e.as_str())).collect();
            client.send("POST", &url, &headers, Some(("application/json", body.to_string().into_bytes()))).await
        }
    };
    let etag = ended.etag();
    // Not the team leader who recorded it, nor an officer who cannot see the people.
    send(&w.leader, Some(&etag), &flip).await.assert_problem(403, "forbidden");
    let (province_officer, _) = w.app.user(Role::Officer, Some(&w.tree.province)).await;
    send(&province_officer, Some(&etag), &flip).await.assert_problem(403, "forbidden");
    send(&w.officer, None, &flip).await.assert_problem(428, "if_match_required");
    send(&w.officer, Some("\"1\""), &flip).await.assert_problem(412, "version_mismatch");
    let no_demands = send(&w.officer, Some(&etag), &json!({"end_reason": "mediator_ended"})).await;
    no_demands.assert_problem(422, "validation_failed");
    assert_eq!(no_demands.body["errors"][0]["field"], "demands");
    send(&w.officer, Some(&etag), &json!({"end_reason": "mediator_ended", "ended_on": days_ago(-1), "demands": flip["demands"]}))
        .await
        .assert_problem(422, "validation_failed");
    assert_eq!(figures().await, (2, 1, 1, json!(0.5)), "refused corrections change nothing");

    // Successful → unsuccessful: 0 of 2 successful.
    let corrected = send(&w.officer, Some(&etag), &flip).await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.text);
    assert_eq!(corrected.body["status"], "unsuccessful");
    assert_eq!(corrected.body["end"]["reason"], "mediator_ended");
    assert_eq!(corrected.body["end"]["ended_on"], days_ago(8), "the end date is kept");
    assert!(corrected.body["end"]["agreement_text"].is_null());
    assert_eq!(corrected.body["parties"][1]["demand"], "Giữ nguyên hàng rào");
    assert_eq!(figures().await, (2, 0, 2, json!(0.0)));
    // … and back, with a new end date: 1 of 2 again.
    let back = send(
        &w.officer,
        Some(&corrected.etag()),
        &json!({"end_reason": "agreement", "agreement_text": "Mở lối đi 1,2 m", "ended_on": days_ago(6)}),
    )
    .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    assert_eq!((back.body["status"].as_str(), back.body["end"]["ended_on"].as_str()), (Some("successful"), Some(days_ago(6).as_str())));
    assert!(back.body["parties"][1]["demand"].is_null(), "column 6 holds the agreement again");
    assert_eq!(figures().await, (2, 1, 1, json!(0.5)));
    // Audited as corrections, naming the fields, never their text.
    let log = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={}", c.body["id"].as_str().unwrap())).await;
    let corrections: Vec<&Value> = log.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "correct_result").collect();
    assert_eq!(corrections.len(), 2, "{}", log.text);
    assert!(log.text.contains("parties[2].demand") && log.text.contains("agreement_text"), "{}", log.text);
    assert!(!log.text.contains("Giữ nguyên hàng rào") && !log.text.contains("Mở lối đi"), "no narrative in the audit");
    // A follow-up of the agreement stands in the way of making it unsuccessful.
    let followed = ok(w.leader.post(&format!("{p}/follow-ups"), &json!({"checked_on": days_ago(1), "status": "implemented"})).await).await;
    send(&w.officer, Some(&followed.etag()), &flip).await.assert_problem(409, "result_has_agreement_records");
    // Nothing to correct on a case without a result.
    let open = create(&w.leader, &new_case(&w.team)).await;
    let res = w
        .officer
        .send(
            "POST",
            &format!("{}/result-correction", path(&open)),
            &[("if-match", &open.etag())],
            Some(("application/json", flip.to_string().into_bytes())),
        )
        .await;
    res.assert_problem(409, "invalid_transition");
    let differences = hoagiai::stats::counters::check(&mut w.app.db.get().unwrap()).unwrap();
    assert!(differences.is_empty(), "{differences:?}");
}

/// The cover names the units in force on the day the volume was opened: before the reform the
/// province, district and commune of the time; after it the merged province and commune, and no
/// district — by the units' dates and successions, not by the calendar year.
async fn log_book_cover_names_the_units_in_force(app: TestApp) {
    let w = world(app).await;
    let admin = &w.tree.admin;
    let reform = "2025-07-01";
    let unit = |body: Value| {
        let admin = admin.clone();
        async move {
            let res = admin.post("/api/v1/units", &body).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
            res.body["id"].as_str().unwrap().to_string()
        }
    };
    // A 2025 volume opened in January, under the district; and this year's (recorded before the
    // old units are closed: a closed unit takes no new case).
    let mut body = new_case(&w.team);
    body["received_on"] = json!("2025-01-06");
    create(&w.leader, &body).await;
    let mut body = new_case(&w.team);
    body["received_on"] = json!("2025-09-15");
    create(&w.leader, &body).await;
    create(&w.leader, &new_case(&w.team)).await;
    let city = unit(json!({"name": "Thành phố Hải Phòng", "code": "31", "level": "province", "valid_from": reform})).await;
    let commune = unit(json!({"name": "Xã Hải Hưng", "code": "11257", "level": "commune", "parent_id": city, "valid_from": reform})).await;
    for (from, to) in [(&w.tree.province, &city), (&w.tree.commune_a, &commune)] {
        let res = admin
            .post("/api/v1/unit-successions", &json!({"from_unit_id": from, "to_unit_id": to, "kind": "merge", "effective_date": reform}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    for old in [&w.tree.province, &w.tree.district, &w.tree.commune_a] {
        let u = admin.get(&format!("/api/v1/units/{old}")).await;
        ok(admin.patch(&format!("/api/v1/units/{old}"), &u.etag(), &json!({"valid_to": reform})).await).await;
    }
    let cover = |year: i32| {
        let (leader, url) = (w.leader.clone(), format!("/api/v1/teams/{}/logbook?year={year}", w.team));
        async move { leader.get(&url).await.body["cover"].clone() }
    };
    let old = cover(2025).await;
    assert_eq!(
        (old["province"].as_str(), old["district"].as_str(), old["commune"].as_str()),
        (Some("Tỉnh Hải Dương"), Some("Huyện Thanh Miện"), Some("Xã Đoàn Kết"))
    );
    let this_year: i32 = hoagiai::db::today().format("%Y").to_string().parse().unwrap();
    let new = cover(this_year).await;
    assert_eq!((new["province"].as_str(), new["commune"].as_str()), (Some("Thành phố Hải Phòng"), Some("Xã Hải Hưng")));
    assert!(new["district"].is_null(), "no district after the reform: {new}");
    assert_eq!(new["village"], "Thôn Hội Yên");
    let html = w.leader.get(&format!("/api/v1/teams/{}/logbook?year={this_year}&format=html", w.team)).await;
    assert!(html.text.contains("<p>Thành phố Hải Phòng</p>") && !html.text.contains("Huyện"), "{}", html.text);
}

/// A case read is two statements whatever the case holds: the case, then its children of every
/// kind in one. Counted on a connection of the test's own, so that the other tests' statements in
/// this process do not mix in; and what the two statements bring back is the case the API serves.
async fn a_case_reads_in_two_statements(app: TestApp) {
    use std::sync::atomic::Ordering;

    let w = world(app).await;
    let c = create(&w.leader, &new_case(&w.team)).await;
    let p = path(&c);
    let id = c.body["id"].as_str().unwrap().to_string();
    // Every kind of child, and two of the ordered ones, given out of order.
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_b_id, "chosen_by": "leader", "assigned_on": days_ago(3)}))
        .await)
    .await;
    ok(w.leader.post(&format!("{p}/conflicts"), &json!({"mediator_id": w.mediator_b_id, "note": "Là cháu của một bên"})).await).await;
    ok(w.leader
        .post(&format!("{p}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "parties", "assigned_on": days_ago(2)}))
        .await)
    .await;
    for day in [1, 2] {
        let body = json!({"held_on": days_ago(day), "place": "Nhà văn hóa thôn", "participants": [{"name": "Đỗ Văn Cường", "role": "trưởng thôn"}], "notes": "Hai bên trình bày"});
        ok(w.leader.post(&format!("{p}/sessions"), &body).await).await;
    }
    let body = json!({"kind": "violence_risk", "occurred_on": days_ago(1), "notified": "Công an xã", "notes": "Lời qua tiếng lại"});
    ok(w.leader.post(&format!("{p}/escalations"), &body).await).await;
    let read = ok(w.officer.get(&p).await).await;
    let served = read.body;
    for (kind, n) in [("parties", 2), ("assignments", 2), ("conflicts", 1), ("sessions", 2), ("escalations", 1)] {
        assert_eq!(served[kind].as_array().map(Vec::len), Some(n), "{kind}: {served}");
    }
    assert_eq!(served["assignments"][0]["mediator_id"], w.mediator_b_id.as_str(), "assignments in the order they were made");
    assert_eq!(served["assignments"][0]["end_reason"], "recusal");
    assert_eq!(served["sessions"][0]["held_on"], days_ago(2), "sessions by the day they were held");
    assert_eq!(served["sessions"][1]["is_public"], false);
    assert_eq!(served["parties"][0]["full_name"], "Nguyễn Văn An", "parties in their order");

    let mut conn = w.app.db.get().unwrap();
    let statements = crate::common::count_statements(&mut conn);
    // The commune's officer, as the request above was (national scope; the level lets them see people).
    let officer = hoagiai::auth::Actor { role: Role::Officer, unit_level: Some("commune".into()), ..hoagiai::auth::Actor::system() };
    let case = hoagiai::cases::store::find(&mut conn, &officer, &id).unwrap();
    let dto = hoagiai::cases::store::detail(&mut conn, &officer, case).unwrap();
    assert_eq!(statements.load(Ordering::Relaxed), 2, "the case, then its children");
    assert_eq!(serde_json::to_value(&dto).unwrap(), served, "the same case as served");
}
