//! Control characters (NUL and the other C0 characters, and DEL) never reach the database: every
//! string a caller can send — query, path, header, JSON or form body — gets a 4xx problem on both
//! backends, never a 500 (PostgreSQL text cannot hold NUL).

use base64::Engine as _;
use hoagiai::auth::Role;
use serde_json::Value;

use crate::common::{Client, TestApp};

on_both_backends!(nul_in_every_query_and_path_parameter, control_characters_in_sign_in, control_characters_in_bodies);

/// `(operation id, path with the value in place, what was replaced)` for every GET operation's
/// string query and path parameters, each carrying `value` (already percent-encoded).
fn probes(value: &str) -> Vec<(String, String, String)> {
    let doc = serde_json::to_value(hoagiai::app::openapi_document()).unwrap();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let id = op["operationId"].as_str().unwrap().to_string();
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let is_string = |p: &Value| p["schema"]["type"] != "integer" && p["schema"]["type"] != "boolean";
        let concrete = |replace: Option<&str>| {
            path.split('/')
                .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if Some(name) == replace => value.to_string(),
                    Some(name) => {
                        let p = params.iter().find(|p| p["name"] == name);
                        if p.is_some_and(|p| p["schema"]["type"] == "integer") {
                            "2024".to_string()
                        } else {
                            uuid::Uuid::now_v7().to_string()
                        }
                    }
                    None => seg.to_string(),
                })
                .collect::<Vec<_>>()
                .join("/")
        };
        for p in &params {
            let name = p["name"].as_str().unwrap();
            if !is_string(p) {
                continue;
            }
            match p["in"].as_str() {
                Some("query") => out.push((id.clone(), format!("{}?{name}={value}", concrete(None)), format!("?{name}"))),
                Some("path") => out.push((id.clone(), concrete(Some(name)), format!("{{{name}}}"))),
                _ => {}
            }
        }
    }
    out
}

async fn nul_in_every_query_and_path_parameter(app: TestApp) {
    let tree = app.tree().await;
    let (officer, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let admin = &tree.admin;
    let probes = probes("ab%00c");
    assert!(probes.len() > 40, "the walk found only {} parameters", probes.len());
    let mut failures = Vec::new();
    for (id, path, what) in &probes {
        // The officer first (scoped, so the filters run); the administrator where officers may not.
        let mut res = officer.get(path).await;
        if res.status.as_u16() == 403 {
            res = admin.get(path).await;
        }
        if !res.status.is_client_error() {
            failures.push(format!("{id} {what}: {} {}", res.status.as_u16(), res.text.chars().take(200).collect::<String>()));
        }
    }
    // Other control characters, in the query and in the path.
    for value in ["%01", "%09", "%0A", "%0D", "%1F", "%7F", "+%00"] {
        for path in
            [format!("/api/v1/units?q=a{value}b"), format!("/api/v1/units/a{value}b"), format!("/api/v1/stats/indicators?period=a{value}")]
        {
            let res = officer.get(&path).await;
            if !res.status.is_client_error() {
                failures.push(format!("{path}: {}", res.status.as_u16()));
            }
        }
    }
    // A cursor is base64 of a sort key: one that decodes to a NUL is refused too.
    let cursor = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b"a\0b");
    for list in ["/api/v1/units", "/api/v1/users", "/api/v1/cases", "/api/v1/teams", "/api/v1/mediators", "/api/v1/audit-log"] {
        let res = officer.get(&format!("{list}?cursor={cursor}")).await;
        if !res.status.is_client_error() {
            failures.push(format!("{list}?cursor=<base64 of a NUL>: {} {}", res.status.as_u16(), res.text));
        }
    }
    assert!(failures.is_empty(), "{} of {} probes failed:\n{}", failures.len(), probes.len(), failures.join("\n"));
    // A rejected query names the problem in the caller's language.
    let res = officer.clone().english().get("/api/v1/units?q=a%00b").await;
    res.assert_problem(400, "control_characters");
    // Text that only looks like a control character is fine.
    let res = officer.get("/api/v1/units?q=%5Cu0000").await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
}

async fn control_characters_in_sign_in(app: TestApp) {
    let raw = |body: &str| Some(("application/json", body.as_bytes().to_vec()));
    let anon = app.anon();
    for username in ["a\\u0000b", "\\u0001", "a\\u001fb", "a\\u007fb", "a\\tb", "a\\nb"] {
        let body = format!("{{\"username\": \"{username}\", \"password\": \"correct horse battery\"}}");
        let res = anon.send("POST", "/api/v1/auth/login", &[], raw(&body)).await;
        assert!(res.status.is_client_error(), "login with {username}: {} {}", res.status, res.text);
    }
    let res = anon.send("POST", "/api/v1/auth/login", &[], raw("{\"username\": \"a\\u0000b\", \"password\": \"x\"}")).await;
    res.assert_problem(422, "validation_failed");
    assert_eq!(res.body["errors"][0]["field"], "username", "{}", res.text);
    let res = anon.send("POST", "/api/v1/auth/login", &[], raw("{\"username\": \"ab\", \"password\": \"x\\u0000\"}")).await;
    assert!(res.status.is_client_error(), "{}", res.text);

    let form = |body: &str| Some(("application/x-www-form-urlencoded", body.as_bytes().to_vec()));
    for body in [
        "grant_type=client_credentials&client_id=a%00b&client_secret=x",
        "grant_type=client_credentials&client_id=ab&client_secret=x%00",
        "grant_type=client_credentials&client_id=a%0Ab&client_secret=x",
        "grant_type=client%00_credentials&client_id=ab&client_secret=x",
    ] {
        let res = anon.send("POST", "/api/v1/auth/token", &[], form(body)).await;
        assert!(res.status.is_client_error(), "{body}: {} {}", res.status, res.text);
    }
    for pair in ["a\0b:secret", "ab:se\0cret", "a\u{7f}:x", "a\tb:x"] {
        let basic = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair));
        let res = anon.send("POST", "/api/v1/auth/token", &[("authorization", &basic)], form("grant_type=client_credentials")).await;
        assert!(res.status.is_client_error(), "Basic {pair:?}: {} {}", res.status, res.text);
    }
    // Header values: a tab is allowed (HTTP allows it); other control characters are refused
    // whoever sees them first, the HTTP parser or the application.
    let res = anon.send("GET", "/api/v1/meta/enums", &[("accept-language", "en,\tvi")], None).await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text);
    for bad in ["\0", "\x01", "\x1b", "\x7f"] {
        let status = raw_request(
            &app,
            &format!("GET /api/v1/meta/enums HTTP/1.1\r\nHost: x\r\nAccept-Language: en{bad}vi\r\nConnection: close\r\n\r\n"),
        )
        .await;
        assert!((400..500).contains(&status), "header with {bad:?}: {status}");
    }
}

/// Sends bytes as they are (a client library would refuse them) and answers the status code.
async fn raw_request(app: &TestApp, request: &str) -> u16 {
    use std::io::{Read, Write};
    let addr = app.base.trim_start_matches("http://").to_string();
    let request = request.as_bytes().to_vec();
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
        stream.write_all(&request).unwrap();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    })
    .await
    .unwrap();
    String::from_utf8_lossy(&answer).split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

async fn control_characters_in_bodies(app: TestApp) {
    let tree = app.tree().await;
    let admin: &Client = &tree.admin;
    let raw = |body: &str| Some(("application/json", body.as_bytes().to_vec()));
    let unit = |name: &str| format!("{{\"name\": \"{name}\", \"level\": \"village\", \"parent_id\": \"{}\"}}", tree.commune_a);
    // Refused, naming the field.
    for name in ["a\\u0000b", "a\\u0008b", "a\\u001Bb", "a\\u007Fb", "a\\\\\\u0000b"] {
        let res = admin.send("POST", "/api/v1/units", &[], raw(&unit(name))).await;
        res.assert_problem(422, "validation_failed");
        assert_eq!(res.body["errors"][0]["field"], "name", "{name}: {}", res.text);
        assert_eq!(res.body["errors"][0]["code"], "control_characters", "{name}: {}", res.text);
    }
    // In a key, in an array, deeper down: still refused.
    let res = admin.send("POST", "/api/v1/units", &[], raw("{\"na\\u0000me\": \"x\", \"level\": \"village\"}")).await;
    res.assert_problem(422, "validation_failed");
    // An escaped backslash followed by text is not a control character.
    let res = admin.send("POST", "/api/v1/units", &[], raw(&unit("Thôn \\\\u0000 Hội"))).await;
    assert_eq!(res.status.as_u16(), 201, "{}", res.text);
    assert_eq!(res.body["name"], "Thôn \\u0000 Hội");
}
