//! Attachments: a photo of a signed paper sent once (a retry and a resend keep one file), its
//! type checked by its bytes, its size bounded, and seen only by those who may see its record —
//! never by a statistics client; every read of one is in the audit log.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::{json, Value};

use crate::cases::{create, new_case, world};
use crate::common::{Client, Resp, TestApp};
use crate::funding::days_ago;

on_both_backends!(a_photo_is_kept_once_and_seen_by_who_may_see_its_record, log_book_pages_and_confirmation_lists);

/// A small JPEG-signed photo; `n` makes the bytes differ.
fn photo(n: u8) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0];
    b.extend(std::iter::repeat_n(n, 3000));
    b.extend([0xFF, 0xD9]);
    b
}

async fn upload(client: &Client, query: &str, key: Option<&str>, content_type: &str, bytes: Vec<u8>) -> Resp {
    let mut headers = vec![];
    if let Some(k) = key {
        headers.push(("idempotency-key", k));
    }
    client.send("POST", &format!("/api/v1/attachments?{query}"), &headers, Some((content_type, bytes))).await
}

async fn listed(client: &Client, query: &str) -> Vec<Value> {
    let res = client.get(&format!("/api/v1/attachments?{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    res.body["items"].as_array().unwrap().clone()
}

async fn a_photo_is_kept_once_and_seen_by_who_may_see_its_record(app: TestApp) {
    let w = world(app).await;
    let case = create(&w.leader, &new_case(&w.team)).await;
    let case_id = case.body["id"].as_str().unwrap().to_string();
    let owner = format!("case_id={case_id}");
    let q = format!("{owner}&kind=written_agreement&file_name=van-ban-hoa-giai.jpeg");

    // Sent from the phone's queue, then retried with the same key after a lost answer.
    let first = upload(&w.leader, &q, Some("att-1"), "image/jpeg", photo(1)).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    let id = first.body["id"].as_str().unwrap().to_string();
    assert_eq!(first.body["file_name"], "van-ban-hoa-giai.jpg");
    assert_eq!(first.body["size_bytes"].as_i64(), Some(photo(1).len() as i64));
    assert_eq!(first.header("location").as_deref(), Some(format!("/api/v1/attachments/{id}").as_str()));
    let retry = upload(&w.leader, &q, Some("att-1"), "image/jpeg", photo(1)).await;
    assert_eq!((retry.status, retry.body["id"].as_str()), (StatusCode::CREATED, Some(id.as_str())), "{}", retry.text);
    assert_eq!(retry.header("idempotency-replayed").as_deref(), Some("true"));
    // The same photo queued twice (a double tap): kept once.
    let again = upload(&w.leader, &q, Some("att-2"), "image/jpeg", photo(1)).await;
    assert_eq!((again.status, again.body["id"].as_str()), (StatusCode::OK, Some(id.as_str())), "{}", again.text);

    // Bad files are refused with a problem and keep nothing.
    upload(&w.leader, &q, None, "image/jpeg", photo(2)).await.assert_problem(400, "idempotency_key_required");
    upload(&w.leader, &q, Some("att-3"), "image/png", photo(2)).await.assert_problem(422, "validation_failed");
    upload(&w.leader, &q, Some("att-4"), "text/html", b"<script>alert(1)</script>".to_vec())
        .await
        .assert_problem(415, "unsupported_media_type");
    upload(&w.leader, &q, Some("att-5"), "image/jpeg", Vec::new()).await.assert_problem(422, "validation_failed");
    upload(&w.leader, &format!("{q}&team_id={}", w.team), Some("att-6"), "image/jpeg", photo(3))
        .await
        .assert_problem(422, "validation_failed");
    upload(&w.leader, &format!("case_id={}&kind=written_agreement", uuid::Uuid::now_v7()), Some("att-7"), "image/jpeg", photo(3))
        .await
        .assert_problem(404, "not_found");
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.commune_a)).await;
    upload(&viewer, &q, Some("att-8"), "image/jpeg", photo(3)).await.assert_problem(403, "forbidden");
    assert_eq!(listed(&w.officer, &owner).await.len(), 1);

    // The officer and the commune's leadership read it, byte for byte; each read is audited.
    for reader in [&w.officer, &viewer, &w.leader] {
        let got = reader.get(&format!("/api/v1/attachments/{id}")).await;
        assert_eq!(got.status, StatusCode::OK, "{}", got.text);
        assert_eq!(got.header("content-type").as_deref(), Some("image/jpeg"));
        assert!(got.header("content-disposition").unwrap().contains("filename*=UTF-8''van-ban-hoa-giai.jpg"));
        assert_eq!(got.text.len(), String::from_utf8_lossy(&photo(1)).len());
    }
    let audit = w.officer.get(&format!("/api/v1/audit-log?entity=attachment&entity_id={id}")).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let actions: Vec<&str> = audit.body["items"].as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "read_attachment").count(), 3, "{actions:?}");
    assert_eq!(actions.iter().filter(|a| **a == "create").count(), 1, "{actions:?}");
    assert!(!audit.text.contains("/9j/"), "no bytes in the audit log");

    // A mediator not assigned to the case sees nothing of it; once assigned, the file.
    w.mediator_a.get(&format!("/api/v1/attachments/{id}")).await.assert_problem(404, "not_found");
    w.mediator_a.get(&format!("/api/v1/attachments?{owner}")).await.assert_problem(404, "not_found");
    let res = w
        .leader
        .post(&format!("/api/v1/cases/{case_id}/assignments"), &json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader"}))
        .await;
    assert!(res.status.is_success(), "{}", res.text);
    assert_eq!(w.mediator_a.get(&format!("/api/v1/attachments/{id}")).await.status, StatusCode::OK);

    // The province's officer and the administrator read the case's facts, not the signed paper
    // naming its parties.
    let (province, _) = w.app.user(Role::Officer, Some(&w.tree.province)).await;
    province.get(&format!("/api/v1/attachments/{id}")).await.assert_problem(404, "not_found");
    province.get(&format!("/api/v1/attachments?{owner}")).await.assert_problem(403, "forbidden");
    w.tree.admin.get(&format!("/api/v1/attachments/{id}")).await.assert_problem(404, "not_found");

    // An officer of another commune, and a statistics client even of this one: refused.
    let (stranger, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    stranger.get(&format!("/api/v1/attachments/{id}")).await.assert_problem(404, "not_found");
    stranger.get(&format!("/api/v1/attachments?{owner}")).await.assert_problem(404, "not_found");
    let res = w.officer.post("/api/v1/api-clients", &json!({"name": "Sở Tư pháp", "unit_id": w.tree.commune_a})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = w.app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = w.app.with_token(token.body["access_token"].as_str().unwrap());
    machine.get(&format!("/api/v1/attachments/{id}")).await.assert_problem(403, "forbidden");
    machine.get(&format!("/api/v1/attachments?{owner}")).await.assert_problem(403, "forbidden");
}

async fn log_book_pages_and_confirmation_lists(app: TestApp) {
    let w = world(app).await;
    let year = days_ago(0).format("%Y").to_string();
    let book = format!("team_id={}&year={year}", w.team);
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let res = upload(&w.leader, &format!("{book}&kind=logbook_pages&file_name=so.pdf"), Some("p-1"), "application/pdf", pdf.clone()).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!((res.body["team_id"].as_str(), res.body["year"].to_string()), (Some(w.team.as_str()), year.clone()));
    let id = res.body["id"].as_str().unwrap().to_string();
    assert_eq!(listed(&w.officer, &book).await.len(), 1);
    // A mediator never sees a whole log book.
    w.mediator_a.get(&format!("/api/v1/attachments?{book}")).await.assert_problem(403, "forbidden");
    w.mediator_a.get(&format!("/api/v1/attachments/{id}")).await.assert_problem(404, "not_found");
    // Another year of the same team has its own pages.
    assert!(listed(&w.officer, &format!("team_id={}&year=2001", w.team)).await.is_empty());
    w.officer.get(&format!("/api/v1/attachments?team_id={}", w.team)).await.assert_problem(422, "validation_failed");

    // A signed confirmation list: the officer's.
    let paid = w
        .officer
        .post(
            "/api/v1/funding/disbursements",
            &json!({"paid_on": days_ago(1), "item": "team_support", "payee_team_id": w.team, "amount": 500_000}),
        )
        .await;
    assert_eq!(paid.status, StatusCode::CREATED, "{}", paid.text);
    let list = w
        .officer
        .post("/api/v1/funding/confirmation-lists", &json!({"title": "Danh sách nhận hỗ trợ", "disbursement_ids": [paid.body["id"]]}))
        .await;
    assert_eq!(list.status, StatusCode::CREATED, "{}", list.text);
    let owner = format!("confirmation_list_id={}", list.body["id"].as_str().unwrap());
    upload(&w.leader, &format!("{owner}&kind=confirmation_list"), Some("c-0"), "application/pdf", pdf.clone())
        .await
        .assert_problem(403, "forbidden");
    let res = upload(&w.officer, &format!("{owner}&kind=confirmation_list"), Some("c-1"), "application/pdf", pdf).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(listed(&w.officer, &owner).await.len(), 1);
    w.leader.get(&format!("/api/v1/attachments?{owner}")).await.assert_problem(403, "forbidden");
}

/// The attachment limit: a larger file is refused before it is read whole, and nothing is kept.
#[actix_web::test]
async fn a_file_over_the_limit_is_refused() {
    let app = TestApp::sqlite_with(&[("attachment_limit", "2048")]).await;
    let w = world(app).await;
    let case = create(&w.leader, &new_case(&w.team)).await;
    let owner = format!("case_id={}", case.body["id"].as_str().unwrap());
    let res = upload(&w.leader, &format!("{owner}&kind=other"), Some("big-1"), "image/jpeg", photo(1)).await;
    res.assert_problem(413, "payload_too_large");
    assert!(listed(&w.officer, &owner).await.is_empty());
}
