//! Elections and the chairman's decisions: the result rules (a vote short of the majority is
//! refused as a result; the leader needs the most votes), the 5-working-day recognition clock
//! across public holidays with its overdue flag, the minutes as an attachment, and the decision on
//! teams and sizes.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::cases::world;
use crate::common::TestApp;

on_both_backends!(election_results_follow_the_rule_and_recognition_has_a_clock, the_chairman_decides_teams_and_sizes);

fn mediators_election(team: &str, held_on: &str, a_votes: i32, b_elected: bool) -> Value {
    json!({"team_id": team, "kind": "mediator", "held_on": held_on, "voters": 120, "votes_cast": 110,
    "candidates": [
        {"full_name": "Nguyễn Thị Hoa", "votes": a_votes, "elected": true},
        {"full_name": "Lê Văn Bảy", "votes": 60, "elected": b_elected}
    ]})
}

async fn election_results_follow_the_rule_and_recognition_has_a_clock(app: TestApp) {
    let w = world(app).await;
    // 60 of 120 household representatives is half, not more than half: refused as a result.
    let res = w.officer.post("/api/v1/elections", &mediators_election(&w.team, "2025-04-25", 61, true)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["field"], "candidates[1].elected");
    assert_eq!(res.body["errors"][0]["code"], "majority_not_reached");
    let listed = w.officer.get(&format!("/api/v1/elections?team_id={}", w.team)).await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 0, "nothing kept");

    // 61 of 120 elects; the chairman has 5 working days, counted past 30/4 and 1/5.
    let res = w.officer.post("/api/v1/elections", &mediators_election(&w.team, "2025-04-25", 61, false)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["recognition_due"], "2025-05-06");
    assert_eq!(res.body["overdue"], true, "not recognised and the day has passed");
    assert_eq!(res.body["candidates"][0]["share"].as_f64(), Some(0.5083));
    let id = res.body["id"].as_str().unwrap().to_string();
    let etag = res.etag();
    let path = format!("/api/v1/elections/{id}/recognition");
    let body = json!({"decided_on": "2025-05-05", "decision_no": "45/QĐ-UBND"});
    let res = w.officer.send("POST", &path, &[], Some(("application/json", body.to_string().into_bytes()))).await;
    res.assert_problem(428, "if_match_required");
    let res = w.officer.send("POST", &path, &[("if-match", &etag)], Some(("application/json", body.to_string().into_bytes()))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!((res.body["recognised_on"].as_str(), res.body["overdue"].as_bool()), (Some("2025-05-05"), Some(false)));
    // A stale second recognition is refused.
    let res = w.officer.send("POST", &path, &[("if-match", &etag)], Some(("application/json", body.to_string().into_bytes()))).await;
    res.assert_problem(412, "version_mismatch");

    // Across Tết Ất Tỵ: held Friday 24 January 2025, due Friday 7 February; recognised on the
    // 10th, late.
    let res = w.officer.post("/api/v1/elections", &mediators_election(&w.team, "2025-01-24", 70, false)).await;
    assert_eq!(res.body["recognition_due"], "2025-02-07", "{}", res.text);
    let late = res.body["id"].as_str().unwrap().to_string();
    let body = json!({"decided_on": "2025-02-10", "decision_no": "12/QĐ-UBND"});
    let res = w
        .officer
        .send(
            "POST",
            &format!("/api/v1/elections/{late}/recognition"),
            &[("if-match", &res.etag())],
            Some(("application/json", body.to_string().into_bytes())),
        )
        .await;
    assert_eq!(res.body["overdue"], true, "{}", res.text);
    let overdue = w.officer.get("/api/v1/elections?overdue=true&year=2025").await;
    let ids: Vec<&str> = overdue.body["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![late.as_str()]);

    // The leader: more than half of the team, and the most votes.
    let leader = |a: i32, b: i32| {
        json!({"team_id": w.team, "kind": "leader", "held_on": "2025-05-12", "voters": 3, "votes_cast": 3,
            "candidates": [{"mediator_id": w.leader_id, "full_name": "Trần Văn Bình", "votes": a, "elected": true},
                           {"mediator_id": w.mediator_a_id, "full_name": "Phạm Thị Lan", "votes": b, "elected": false}]})
    };
    let res = w.officer.post("/api/v1/elections", &leader(2, 3)).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["code"], "not_the_most_votes");

    // The minutes, attached to the team's year, go with it; another record's file does not.
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let up = w
        .officer
        .send(
            "POST",
            &format!("/api/v1/attachments?team_id={}&year=2025&kind=minutes&file_name=bien-ban-bau-to-truong.pdf", w.team),
            &[("idempotency-key", "minutes-1")],
            Some(("application/pdf", pdf)),
        )
        .await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.text);
    let mut with_minutes = leader(2, 1);
    with_minutes["minutes_attachment_id"] = up.body["id"].clone();
    let res = w.officer.post("/api/v1/elections", &with_minutes).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["minutes_attachment_id"], up.body["id"]);
    assert_eq!(res.body["recognition_due"], "2025-05-19");
    with_minutes["minutes_attachment_id"] = json!(uuid::Uuid::now_v7());
    w.officer.post("/api/v1/elections", &with_minutes).await.assert_problem(422, "validation_failed");

    // The team sees its elections; another commune does not; the team may not record one.
    let seen = w.mediator_a.get(&format!("/api/v1/elections/{id}")).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    let (stranger, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    stranger.get(&format!("/api/v1/elections/{id}")).await.assert_problem(404, "not_found");
    w.leader.post("/api/v1/elections", &leader(2, 1)).await.assert_problem(403, "forbidden");
    // Every change is audited.
    let audit = w.officer.get(&format!("/api/v1/audit-log?entity=election&entity_id={id}")).await;
    let actions: Vec<&str> = audit.body["items"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["recognise", "create"]);
}

async fn the_chairman_decides_teams_and_sizes(app: TestApp) {
    let w = world(app).await;
    let body =
        json!({"unit_id": w.tree.village_a, "decision_no": "08/QĐ-UBND", "decided_on": "2025-07-02", "teams": 1, "members_per_team": 5});
    let res = w.officer.post("/api/v1/staffing-decisions", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let mut small = body.clone();
    small["members_per_team"] = json!(2);
    w.officer.post("/api/v1/staffing-decisions", &small).await.assert_problem(422, "validation_failed");
    let mut province = body.clone();
    province["unit_id"] = json!(w.tree.province);
    w.officer.post("/api/v1/staffing-decisions", &province).await.assert_problem(404, "not_found");
    let listed = w.officer.get("/api/v1/staffing-decisions").await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.text);
    assert_eq!(listed.body["items"][0]["members_per_team"], 5);
    let leader_view = w.leader.get("/api/v1/staffing-decisions").await;
    assert_eq!(leader_view.body["items"].as_array().unwrap().len(), 1, "{}", leader_view.text);
    w.leader.post("/api/v1/staffing-decisions", &body).await.assert_problem(403, "forbidden");
}
