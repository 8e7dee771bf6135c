//! Elections and the chairman's decisions: the result rules (a vote short of the majority is
//! refused as a result; the leader needs the most votes), the 5-working-day recognition clock
//! across public holidays with its overdue flag, the minutes as an attachment, and the decision on
//! teams and sizes.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::cases::world;
use crate::common::TestApp;

on_both_backends!(
    election_results_follow_the_rule_and_recognition_has_a_clock,
    the_chairman_decides_teams_and_sizes,
    a_removal_rests_on_the_front_committees_request
);

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

/// Removing a mediator against their will (a violation, no longer meeting the criteria) is the
/// chairman's decision on the request of the village's Front work committee head, for a reason
/// (Law on Grassroots Mediation, art. 13): without them it is refused and nothing changes. The
/// reason is shown to officers, like the sensitive flag, not to the leadership's viewers.
async fn a_removal_rests_on_the_front_committees_request(app: TestApp) {
    let w = world(app).await;
    let mediator = w.officer.get(&format!("/api/v1/mediators/{}", w.mediator_b_id)).await;
    let membership = mediator.body["memberships"][0]["id"].as_str().unwrap().to_string();
    let end = format!("/api/v1/mediators/{}/memberships/{membership}/end", w.mediator_b_id);
    let bare = json!({"to_date": "2026-03-01", "end_reason": "violation", "end_decision": "21/QĐ-UBND", "end_decision_date": "2026-02-20"});
    let res = w.officer.post(&end, &bare).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(
        (res.body["errors"][0]["field"].as_str(), res.body["errors"][0]["code"].as_str()),
        (Some("removal_request"), Some("removal_request_required"))
    );
    let own_application = json!({"to_date": "2026-03-01", "end_reason": "violation", "end_decision": "21/QĐ-UBND", "end_decision_date": "2026-02-20",
        "removal_request": {"requested_by": "mediator", "requested_on": "2026-02-10"}, "removal_reason": "Vi phạm nguyên tắc khách quan"});
    let res = w.officer.post(&end, &own_application).await;
    assert_eq!(res.body["errors"][0]["code"], "front_committee_request_required", "{}", res.text);
    let after_decision = json!({"to_date": "2026-03-01", "end_reason": "violation", "end_decision": "21/QĐ-UBND", "end_decision_date": "2026-02-20",
        "removal_request": {"requested_by": "front_committee_head", "requested_on": "2026-02-25"}, "removal_reason": "Vi phạm nguyên tắc khách quan"});
    let res = w.officer.post(&end, &after_decision).await;
    assert_eq!(res.body["errors"][0]["code"], "decision_before_request", "{}", res.text);
    let unchanged = w.officer.get(&format!("/api/v1/mediators/{}", w.mediator_b_id)).await;
    assert!(unchanged.body["memberships"][0]["to_date"].is_null(), "nothing changed: {}", unchanged.text);
    assert_eq!(unchanged.body["version"], mediator.body["version"]);

    let removal = json!({"to_date": "2026-03-01", "end_reason": "violation", "end_decision": "21/QĐ-UBND", "end_decision_date": "2026-02-20",
        "removal_request": {"requested_by": "front_committee_head", "requested_on": "2026-02-10"}, "removal_reason": "Vi phạm nguyên tắc khách quan"});
    let res = w.officer.post(&end, &removal).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let ms = &res.body["memberships"][0];
    assert_eq!((ms["end_reason"].as_str(), ms["removal_requested_by"].as_str()), (Some("violation"), Some("front_committee_head")));
    assert_eq!(
        (ms["removal_requested_on"].as_str(), ms["removal_reason"].as_str()),
        (Some("2026-02-10"), Some("Vi phạm nguyên tắc khách quan"))
    );
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.commune_a)).await;
    let seen = viewer.get(&format!("/api/v1/mediators/{}", w.mediator_b_id)).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert!(seen.body["memberships"][0]["removal_reason"].is_null(), "{}", seen.text);
    assert_eq!(seen.body["memberships"][0]["removal_requested_by"], "front_committee_head");
}
