//! The committed OpenAPI document is what the code generates and what the server serves, and it
//! is valid OpenAPI 3.

use std::path::PathBuf;

use crate::common::TestApp;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json")
}

fn generated() -> String {
    serde_json::to_string_pretty(&hoagiai::app::openapi_json()).unwrap() + "\n"
}

/// Fails when `openapi/openapi.json` is not what the code generates. Run with
/// `UPDATE_OPENAPI=1` (or `cargo run -- openapi --output openapi/openapi.json`) to refresh it.
#[test]
fn committed_document_matches_the_code() {
    let generated = generated();
    let path = committed_path();
    if std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date: run `UPDATE_OPENAPI=1 cargo test --test integration openapi` and commit it"
    );
}

#[actix_web::test]
async fn served_document_is_the_generated_one() {
    let app = TestApp::sqlite().await;
    let served = app.anon().get("/openapi.json").await;
    assert_eq!(served.status.as_u16(), 200);
    let generated: serde_json::Value = serde_json::from_str(&generated()).unwrap();
    assert_eq!(served.body, generated);
    let docs = app.anon().get("/docs/").await;
    assert_eq!(docs.status.as_u16(), 200);
    assert!(docs.text.contains("swagger"), "the docs page is served");
}

#[test]
fn every_operation_declares_security_and_problem_responses() {
    let doc = hoagiai::app::openapi_json();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_string()), "operationId {id} is used twice");
            assert!(op["security"].is_array(), "{method} {path} declares no security");
            let responses = op["responses"].as_object().unwrap();
            for code in ["400", "500"] {
                assert!(responses.contains_key(code), "{method} {path} lacks a {code} response");
            }
            assert!(responses.keys().any(|c| c.starts_with('2')), "{method} {path} has no success response");
            assert!(op["description"].is_string() || op["summary"].is_string(), "{method} {path} is not described");
        }
    }
}

/// Validates the committed document with openapi-spec-validator. Ignored unless asked for, so a
/// machine without the validator reports it as ignored rather than passed: `tests/run` includes it
/// when the validator is installed, and CI installs it.
#[test]
#[ignore = "needs openapi-spec-validator (pip install openapi-spec-validator)"]
fn committed_document_is_valid_openapi() {
    let path = committed_path();
    let out = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("this test needs python3 with openapi-spec-validator: {e}"));
    assert!(
        out.status.success(),
        "openapi/openapi.json is not valid (or openapi-spec-validator is missing): {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
