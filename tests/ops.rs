//! Health, readiness, security headers, CORS, request ids, configuration errors.

use actix_web::http::StatusCode;
use hoagiai::config::Config;

use crate::common::TestApp;

#[actix_web::test]
async fn health_and_readiness() {
    let app = TestApp::sqlite().await;
    let res = app.anon().get("/healthz").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.body["status"], "ok");
    let res = app.anon().get("/readyz").await;
    assert_eq!(res.status, StatusCode::OK);
    for header in ["x-content-type-options", "x-frame-options", "content-security-policy", "referrer-policy", "x-request-id"] {
        assert!(res.header(header).is_some(), "{header} missing");
    }
    let res = app.anon().send("GET", "/healthz", &[("x-request-id", "phone-42")], None).await;
    assert_eq!(res.header("x-request-id").as_deref(), Some("phone-42"));
    let res = app.anon().send("GET", "/healthz", &[("x-request-id", "bad id with spaces")], None).await;
    assert_ne!(res.header("x-request-id").as_deref(), Some("bad id with spaces"));
}

#[actix_web::test]
async fn cors_only_for_configured_origins() {
    let closed = TestApp::sqlite().await;
    let res = closed.anon().send("GET", "/api/v1/meta/enums", &[("origin", "https://dashboard.example")], None).await;
    assert!(res.header("access-control-allow-origin").is_none(), "CORS is off by default");

    let open = TestApp::sqlite_with(&[("cors_origins", "https://dashboard.example")]).await;
    let res = open.anon().send("GET", "/api/v1/meta/enums", &[("origin", "https://dashboard.example")], None).await;
    assert_eq!(res.header("access-control-allow-origin").as_deref(), Some("https://dashboard.example"));
    let res = open
        .anon()
        .send(
            "OPTIONS",
            "/api/v1/units",
            &[
                ("origin", "https://dashboard.example"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization"),
            ],
            None,
        )
        .await;
    assert!(res.status.is_success(), "preflight: {}", res.status);
    let res = open.anon().send("GET", "/api/v1/meta/enums", &[("origin", "https://evil.example")], None).await;
    assert!(res.header("access-control-allow-origin").is_none());
}

#[actix_web::test]
async fn enums_have_both_languages() {
    let app = TestApp::sqlite().await;
    let res = app.anon().get("/api/v1/meta/enums").await;
    let roles = res.body["role"].as_array().unwrap();
    assert_eq!(roles.len(), 6);
    let officer = roles.iter().find(|r| r["code"] == "officer").unwrap();
    assert_eq!(officer["vi"], "Cán bộ quản lý (Tư pháp)");
    assert_eq!(officer["en"], "Justice officer");
}

#[test]
fn bad_settings_stop_startup_naming_the_setting() {
    let err = |pairs: &[(&str, &str)]| Config::from_pairs(pairs).unwrap_err().to_string();
    assert!(err(&[("bind", "localhost")]).contains("bind"));
    assert!(err(&[("database_url", "mysql://x/y")]).contains("database_url"));
    assert!(err(&[("jwt_secret", "short")]).contains("jwt_secret"));
    assert!(err(&[("access_token_ttl", "soon")]).contains("access_token_ttl"));
    assert!(err(&[("sqlite_synchronous", "off")]).contains("sqlite_synchronous"));
    assert!(err(&[("cors_origins", "dashboard.example")]).contains("cors_origins"));
    assert!(err(&[("no_such_setting", "1")]).contains("no_such_setting"));
    let ok = Config::from_pairs(&[]).unwrap();
    assert_eq!(ok.bind.to_string(), "127.0.0.1:8080");
    assert!(ok.database_url.target.ends_with("data/hoagiai.db"));
}

#[test]
fn a_generated_jwt_secret_is_kept_private_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let dir_text = dir.path().display().to_string();
    let mut config = Config::from_pairs(&[("data_dir", dir_text.as_str())]).unwrap();
    let first = config.resolve_jwt_secret().unwrap();
    assert!(first.len() >= 32);
    let mut again = Config::from_pairs(&[("data_dir", dir_text.as_str())]).unwrap();
    assert_eq!(again.resolve_jwt_secret().unwrap(), first, "a restart keeps the secret, so tokens stay valid");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("jwt-secret")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
