//! `Idempotency-Key`: a retried POST never does its work twice.

use actix_web::http::StatusCode;
use serde_json::json;

use crate::common::{Client, TestApp};

on_both_backends!(
    retry_replays_the_first_answer,
    same_key_other_body_is_refused,
    parallel_retries_make_one_record,
    keys_belong_to_their_caller
);

async fn post_with_key(client: &Client, path: &str, key: &str, body: &serde_json::Value) -> crate::common::Resp {
    client.send("POST", path, &[("idempotency-key", key)], Some(("application/json", body.to_string().into_bytes()))).await
}

async fn count_named(client: &Client, q: &str) -> usize {
    client.get(&format!("/api/v1/units?q={q}")).await.body["items"].as_array().unwrap().len()
}

async fn retry_replays_the_first_answer(app: TestApp) {
    let tree = app.tree().await;
    let body = json!({"name": "Thôn Lặp Lại", "level": "village", "parent_id": tree.commune_a});
    let first = post_with_key(&tree.admin, "/api/v1/units", "phone-1-op-1", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert!(first.header("idempotency-replayed").is_none());
    let again = post_with_key(&tree.admin, "/api/v1/units", "phone-1-op-1", &body).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(again.body, first.body);
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(count_named(&tree.admin, "lap%20lai").await, 1);

    // A refused request is an answer too: the retry gets the same refusal.
    let bad = json!({"name": "", "level": "village", "parent_id": tree.commune_a});
    let refused = post_with_key(&tree.admin, "/api/v1/units", "phone-1-op-2", &bad).await;
    refused.assert_problem(422, "validation_failed");
    let again = post_with_key(&tree.admin, "/api/v1/units", "phone-1-op-2", &bad).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
}

async fn same_key_other_body_is_refused(app: TestApp) {
    let tree = app.tree().await;
    let first =
        post_with_key(&tree.admin, "/api/v1/units", "k-2", &json!({"name": "Thôn Một", "level": "village", "parent_id": tree.commune_a}))
            .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let other =
        post_with_key(&tree.admin, "/api/v1/units", "k-2", &json!({"name": "Thôn Hai", "level": "village", "parent_id": tree.commune_a}))
            .await;
    other.assert_problem(422, "idempotency_key_reused");
    assert_eq!(count_named(&tree.admin, "thon%20hai").await, 0);
    let bad_key = post_with_key(&tree.admin, "/api/v1/units", "has space", &json!({})).await;
    bad_key.assert_problem(422, "validation_failed");
}

async fn parallel_retries_make_one_record(app: TestApp) {
    let tree = app.tree().await;
    let body = json!({"name": "Thôn Song Song", "level": "village", "parent_id": tree.commune_a});
    let tries = (0..16).map(|_| {
        let admin = tree.admin.clone();
        let body = body.clone();
        async move { post_with_key(&admin, "/api/v1/units", "same-op", &body).await }
    });
    let answers = futures_util::future::join_all(tries).await;
    let mut created_ids = std::collections::HashSet::new();
    for a in &answers {
        match a.status.as_u16() {
            201 => {
                created_ids.insert(a.body["id"].as_str().unwrap().to_string());
            }
            409 => a.assert_problem(409, "idempotency_in_progress"),
            other => panic!("unexpected {other}: {}", a.text),
        }
    }
    assert_eq!(created_ids.len(), 1, "every success names the same unit");
    assert_eq!(count_named(&tree.admin, "song%20song").await, 1, "exactly one unit was made");
}

async fn keys_belong_to_their_caller(app: TestApp) {
    let tree = app.tree().await;
    let other_admin = app.admin().await;
    let a = post_with_key(
        &tree.admin,
        "/api/v1/units",
        "shared-key",
        &json!({"name": "Thôn A1", "level": "village", "parent_id": tree.commune_a}),
    )
    .await;
    let b = post_with_key(
        &other_admin,
        "/api/v1/units",
        "shared-key",
        &json!({"name": "Thôn B1", "level": "village", "parent_id": tree.commune_a}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.text);
    assert_ne!(a.body["id"], b.body["id"]);
}

/// Secrets shown once are never written down for replays.
#[actix_web::test]
async fn replays_never_repeat_secrets() {
    let app = TestApp::sqlite().await;
    let tree = app.tree().await;
    let body = json!({"username": "lan.hgv", "display_name": "Phạm Thị Lan", "role": "viewer", "unit_id": tree.commune_a});
    let first = post_with_key(&tree.admin, "/api/v1/users", "create-lan", &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let password = first.body["generated_password"].as_str().unwrap().to_string();
    let again = post_with_key(&tree.admin, "/api/v1/users", "create-lan", &body).await;
    assert_eq!(again.header("idempotency-replayed").as_deref(), Some("true"));
    assert_eq!(again.body["id"], first.body["id"]);
    assert!(again.body["generated_password"].is_null(), "the password is not kept: {}", again.text);
    assert_eq!(again.header("cache-control").as_deref(), Some("no-store"));
    let stored: Vec<String> = {
        use diesel::prelude::*;
        hoagiai::db::schema::idempotency_keys::table
            .select(hoagiai::db::schema::idempotency_keys::response_body)
            .load::<Option<String>>(&mut *app.db.get().unwrap())
            .unwrap()
            .into_iter()
            .flatten()
            .collect()
    };
    assert!(stored.iter().all(|b| !b.contains(&password)));
}
