//! Teams and mediators: composition warnings, lineage, memberships, scope, the sensitive flag.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::common::{Client, TestApp, Tree};

on_both_backends!(team_health_names_every_broken_rule, memberships_and_lineage, team_leader_sees_only_their_team);

pub async fn team(officer: &Client, village: &str, name: &str) -> String {
    let res = officer.post("/api/v1/teams", &json!({"name": name, "unit_id": village, "founded_on": "2015-03-01"})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

pub async fn mediator(officer: &Client, village: &str, team: Option<&str>, name: &str, sex: &str, role: &str) -> Value {
    let mut body = json!({"full_name": name, "sex": sex, "birth_year": 1970, "unit_id": village, "legal_training": "basic"});
    if let Some(team) = team {
        body["membership"] = json!({"team_id": team, "role": role, "from_date": "2020-01-01", "recognition_decision": "12/QĐ-UBND"});
    }
    let res = officer.post("/api/v1/mediators", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body
}

async fn officer_of(app: &TestApp, tree: &Tree, commune: &str) -> Client {
    let _ = tree;
    app.user(Role::Officer, Some(commune)).await.0
}

async fn team_health_names_every_broken_rule(app: TestApp) {
    let tree = app.tree().await;
    let officer = officer_of(&app, &tree, &tree.commune_b).await;
    // Village B is an ethnic-minority area.
    let t = team(&officer, &tree.village_b, "Tổ hòa giải thôn Phú Khê").await;
    let health = officer.get(&format!("/api/v1/teams/{t}/health")).await;
    let codes: Vec<&str> = health.body["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["too_few_mediators", "no_woman", "no_ethnic_minority_mediator", "no_leader"]);

    mediator(&officer, &tree.village_b, Some(&t), "Hoàng Văn Páo", "male", "leader").await;
    mediator(&officer, &tree.village_b, Some(&t), "Lò Thị Mai", "female", "member").await;
    let res = officer
        .post(
            "/api/v1/mediators",
            &json!({"full_name": "Vàng A Sử", "sex": "male", "unit_id": tree.village_b, "ethnic_minority": true,
                    "membership": {"team_id": t, "role": "member", "from_date": "2020-01-01"}}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["ethnic_minority"], true, "officers see the flag");
    let health = officer.get(&format!("/api/v1/teams/{t}/health")).await;
    assert_eq!(health.body["active_mediators"], 3);
    assert_eq!(health.body["warnings"].as_array().unwrap().len(), 0, "{}", health.text);

    // A second leader is recorded, and reported.
    mediator(&officer, &tree.village_b, Some(&t), "Giàng Thị Dua", "female", "leader").await;
    let health = officer.get(&format!("/api/v1/teams/{t}/health")).await;
    assert_eq!(health.body["warnings"][0]["code"], "several_leaders");

    // A team sits in a village, not a commune.
    let res = officer.post("/api/v1/teams", &json!({"name": "Tổ X", "unit_id": tree.commune_b, "founded_on": "2015-03-01"})).await;
    res.assert_problem(422, "validation_failed");
}

async fn memberships_and_lineage(app: TestApp) {
    let tree = app.tree().await;
    let officer = officer_of(&app, &tree, &tree.commune_a).await;
    let old = team(&officer, &tree.village_a, "Tổ hòa giải cũ").await;
    let m = mediator(&officer, &tree.village_a, Some(&old), "Nguyễn Văn Hùng", "male", "member").await;
    let mid = m["id"].as_str().unwrap();
    let membership = m["memberships"][0]["id"].as_str().unwrap();
    assert_eq!(m["current_team_id"], old);

    // Joining another team while still a member is refused.
    let new = officer
        .post(
            "/api/v1/teams",
            &json!({"name": "Tổ hòa giải mới", "unit_id": tree.village_a, "founded_on": "2025-08-01", "predecessor_ids": [old]}),
        )
        .await;
    assert_eq!(new.status, StatusCode::CREATED, "{}", new.text);
    assert_eq!(new.body["predecessor_ids"][0], old);
    let new_id = new.body["id"].as_str().unwrap();
    let res = officer
        .post(&format!("/api/v1/mediators/{mid}/memberships"), &json!({"team_id": new_id, "role": "leader", "from_date": "2025-08-01"}))
        .await;
    res.assert_problem(409, "membership_overlaps");

    let res = officer
        .post(
            &format!("/api/v1/mediators/{mid}/memberships/{membership}/end"),
            &json!({"to_date": "2025-08-01", "end_reason": "own_wish", "end_decision": "45/QĐ-UBND", "end_decision_date": "2025-07-30"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["memberships"][0]["end_reason"], "own_wish");
    let res = officer
        .post(&format!("/api/v1/mediators/{mid}/memberships"), &json!({"team_id": new_id, "role": "leader", "from_date": "2025-08-01"}))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["current_team_id"], new_id);
    assert_eq!(res.body["current_role"], "leader");
    assert_eq!(res.body["memberships"].as_array().unwrap().len(), 2);

    // A bad end reason is refused with the field named.
    let res = officer
        .post(&format!("/api/v1/mediators/{mid}/memberships/{membership}/end"), &json!({"to_date": "2025-08-01", "end_reason": "tired"}))
        .await;
    res.assert_problem(422, "validation_failed");

    // Officers of another commune see none of it.
    let other = officer_of(&app, &tree, &tree.commune_b).await;
    other.get(&format!("/api/v1/teams/{new_id}")).await.assert_problem(404, "not_found");
    other.get(&format!("/api/v1/mediators/{mid}")).await.assert_problem(404, "not_found");
    let listed = officer.get("/api/v1/mediators?q=hung").await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
}

async fn team_leader_sees_only_their_team(app: TestApp) {
    let tree = app.tree().await;
    let officer = officer_of(&app, &tree, &tree.commune_a).await;
    let team_a = team(&officer, &tree.village_a, "Tổ A").await;
    let team_b = team(&officer, &tree.village_a, "Tổ B").await;
    let leader = mediator(&officer, &tree.village_a, Some(&team_a), "Trần Văn Bình", "male", "leader").await;
    mediator(&officer, &tree.village_a, Some(&team_b), "Đỗ Thị Hạnh", "female", "member").await;
    let res = officer
        .post(
            "/api/v1/users",
            &json!({"username": "tt.binh", "display_name": "Trần Văn Bình", "role": "team_leader", "unit_id": tree.village_a,
                    "mediator_id": leader["id"], "password": "mat khau dai du"}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(res.body["mediator_id"], leader["id"]);
    let tl = app.login("tt.binh", "mat khau dai du").await;
    let teams = tl.get("/api/v1/teams").await;
    let ids: Vec<&str> = teams.body["items"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![team_a.as_str()]);
    tl.get(&format!("/api/v1/teams/{team_b}")).await.assert_problem(404, "not_found");
    let mediators = tl.get("/api/v1/mediators").await;
    assert_eq!(mediators.body["items"].as_array().unwrap().len(), 1);
    assert!(mediators.body["items"][0]["ethnic_minority"].is_null(), "the sensitive flag is for those who manage mediators");
    tl.post("/api/v1/teams", &json!({"name": "Tổ C", "unit_id": tree.village_a, "founded_on": "2015-03-01"}))
        .await
        .assert_problem(403, "forbidden");
    // A viewer account cannot be linked to a mediator record.
    let res = officer
        .post(
            "/api/v1/users",
            &json!({"username": "v.x", "display_name": "X", "role": "viewer", "unit_id": tree.village_a, "mediator_id": leader["id"], "password": "mat khau dai du"}),
        )
        .await;
    res.assert_problem(422, "validation_failed");
}
