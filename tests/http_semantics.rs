//! HTTP by the book (RFC 9110): HEAD for every GET, `If-None-Match` by weak comparison on records
//! as well as statistics, `If-Match: *`, and a CORS preflight for the headers the guide invites.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::json;

use crate::common::TestApp;

on_both_backends!(head_and_conditional_requests, metrics_are_prometheus_text);

/// The labels of a sample.
type Labels = Vec<(String, String)>;
/// One sample of the Prometheus text exposition format: name, labels, value.
type Sample = (String, Labels, f64);

/// Parses the Prometheus text format (version 0.0.4) strictly: `# HELP` and `# TYPE` lines, then
/// samples `name{label="value",…} number`; every sample belongs to a family declared by `# TYPE`
/// (a histogram's `_bucket`, `_sum` and `_count` to the histogram). Panics on anything else.
fn parse_prometheus(text: &str) -> (std::collections::BTreeMap<String, String>, Vec<Sample>) {
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    let mut types = std::collections::BTreeMap::new();
    let mut samples = Vec::new();
    assert!(text.ends_with('\n'), "the exposition ends with a line feed");
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            let (kind, name, what) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap_or(""));
            assert!(name_ok(name), "metric name: {line}");
            match kind {
                "HELP" => assert!(!what.is_empty(), "{line}"),
                "TYPE" => {
                    assert!(["counter", "gauge", "histogram", "summary", "untyped"].contains(&what), "{line}");
                    assert!(types.insert(name.to_string(), what.to_string()).is_none(), "declared twice: {name}");
                }
                _ => panic!("unknown comment: {line}"),
            }
            continue;
        }
        assert!(!line.trim().is_empty(), "no blank line");
        let (series, value) = line.rsplit_once(' ').unwrap_or_else(|| panic!("no value: {line}"));
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().unwrap_or_else(|_| panic!("value: {line}")),
        };
        let (name, labels) = match series.split_once('{') {
            None => (series, Vec::new()),
            Some((name, rest)) => {
                let body = rest.strip_suffix('}').unwrap_or_else(|| panic!("labels: {line}"));
                let labels = body
                    .split("\",")
                    .filter(|l| !l.is_empty())
                    .map(|l| {
                        let (k, v) = l.split_once("=\"").unwrap_or_else(|| panic!("label: {line}"));
                        assert!(name_ok(k), "label name: {line}");
                        (k.to_string(), v.trim_end_matches('"').to_string())
                    })
                    .collect();
                (name, labels)
            }
        };
        assert!(name_ok(name), "metric name: {line}");
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|f| types.get(*f).is_some_and(|t| t == "histogram")))
            .unwrap_or(name);
        assert!(types.contains_key(family), "a sample before its # TYPE: {line}");
        samples.push((name.to_string(), labels, value));
    }
    (types, samples)
}

/// `/metrics` is Prometheus text that a scraper can read: the writer's queue and batch sizes (on
/// SQLite), the statistics cache's hits and misses, requests by route, each histogram's buckets
/// rising to its count.
async fn metrics_are_prometheus_text(app: TestApp) {
    let admin = app.admin().await;
    let year = hoagiai::db::today().format("%Y").to_string();
    for _ in 0..3 {
        let unit = admin.post("/api/v1/units", &serde_json::json!({"name": hoagiai_name(), "level": "province"})).await;
        assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.text);
    }
    let url = format!("/api/v1/stats/indicators?period={year}");
    let first = admin.get(&url).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    admin.get(&url).await;
    let res = app.anon().get("/metrics").await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("content-type").unwrap().starts_with("text/plain; version=0.0.4"));
    let (types, samples) = parse_prometheus(&res.text);
    let value = |name: &str, label: Option<(&str, &str)>| {
        samples.iter().find(|(n, l, _)| n == name && label.is_none_or(|(k, v)| l.iter().any(|(a, b)| a == k && b == v))).map(|(_, _, v)| *v)
    };
    assert_eq!(types["hoagiai_stats_cache_requests_total"], "counter");
    assert!(value("hoagiai_stats_cache_requests_total", Some(("result", "hit"))).unwrap() >= 1.0, "the second ask is a hit");
    assert!(value("hoagiai_stats_cache_requests_total", Some(("result", "miss"))).unwrap() >= 1.0);
    assert!(value("hoagiai_http_requests_total", Some(("route", "/api/v1/stats/indicators"))).unwrap() >= 2.0);
    // Every histogram: buckets never fall, and the last (`+Inf`) is the count.
    for (family, kind) in &types {
        if kind != "histogram" {
            continue;
        }
        let bucket = format!("{family}_bucket");
        // Each series of the histogram (its labels but `le`): its buckets as (le, count).
        let mut series: std::collections::BTreeMap<Labels, Vec<(f64, f64)>> = Default::default();
        for (_, labels, v) in samples.iter().filter(|(n, _, _)| *n == bucket) {
            let le = labels.iter().find(|(k, _)| k == "le").map(|(_, v)| v.clone()).expect("a bucket has le");
            let le = if le == "+Inf" { f64::INFINITY } else { le.parse().expect("le is a number") };
            let rest: Vec<_> = labels.iter().filter(|(k, _)| k != "le").cloned().collect();
            series.entry(rest).or_default().push((le, *v));
        }
        for (labels, buckets) in series {
            assert!(buckets.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 <= w[1].1), "{family} {labels:?}: {buckets:?}");
            let (last_le, last) = *buckets.last().unwrap();
            assert!(last_le.is_infinite());
            let count = samples
                .iter()
                .find(|(n, l, _)| *n == format!("{family}_count") && *l == labels)
                .map(|(_, _, v)| *v)
                .expect("a histogram has a count");
            assert_eq!(last, count, "{family}: +Inf is the count");
        }
    }
    if app.state.config.database_url.display().starts_with("PostgreSQL") {
        assert!(!types.contains_key("hoagiai_db_write_queue_depth"), "PostgreSQL has no group-commit writer");
    } else {
        assert_eq!(types["hoagiai_db_write_queue_depth"], "gauge");
        assert_eq!(types["hoagiai_db_write_batch_size"], "histogram");
        assert_eq!(value("hoagiai_db_write_queue_depth", None), Some(0.0), "nothing waits once the answers are in");
        let batches = value("hoagiai_db_write_batch_size_count", None).unwrap();
        let writes = value("hoagiai_db_write_batch_size_sum", None).unwrap();
        assert!(batches >= 1.0 && writes >= batches, "{batches} batches of {writes} writes");
        assert_eq!(Some(writes), value("hoagiai_db_batched_writes_total", None));
    }
}

fn hoagiai_name() -> String {
    crate::common::unique_name("Tỉnh thử")
}

async fn head_and_conditional_requests(app: TestApp) {
    let tree = app.tree().await;
    let (officer, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    let res = officer
        .post("/api/v1/teams", &json!({"name": "Tổ hòa giải thôn Hội Yên", "unit_id": tree.village_a, "founded_on": "2015-03-01"}))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let path = format!("/api/v1/teams/{}", res.body["id"].as_str().unwrap());

    // HEAD: the GET's status and headers, no body.
    let get = officer.get(&path).await;
    let head = officer.send("HEAD", &path, &[], None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.text.is_empty());
    assert_eq!(head.header("etag"), get.header("etag"));
    assert_eq!(head.header("content-length"), Some(get.text.len().to_string()));
    let health = app.anon().send("HEAD", "/healthz", &[], None).await;
    assert_eq!((health.status, health.text.as_str()), (StatusCode::OK, ""));

    // If-None-Match on a record: the tag held, weak or strong, gives 304; another gives 200.
    let etag = get.etag();
    for held in [etag.clone(), format!("W/{etag}"), format!("\"0\", {etag}"), "*".to_string()] {
        let res = officer.send("GET", &path, &[("if-none-match", &held)], None).await;
        assert_eq!(res.status, StatusCode::NOT_MODIFIED, "{held}");
        assert_eq!(res.header("etag"), Some(etag.clone()));
        assert!(res.text.is_empty());
    }
    let res = officer.send("GET", &path, &[("if-none-match", "\"999\"")], None).await;
    assert_eq!(res.status, StatusCode::OK);

    // Statistics: their weak tag matches its strong spelling too.
    let stats = officer.get("/api/v1/stats/indicators?period=2025").await;
    let tag = stats.header("etag").unwrap();
    assert!(tag.starts_with("W/"));
    let strong = tag.trim_start_matches("W/").to_string();
    let res = officer.send("GET", "/api/v1/stats/indicators?period=2025", &[("if-none-match", &strong)], None).await;
    assert_eq!(res.status, StatusCode::NOT_MODIFIED);

    // One way to ask for CSV everywhere (`format=csv`; `Accept: text/csv` still works), CRLF lines.
    let by_format = officer.get("/api/v1/stats/indicators?period=2025&format=csv").await;
    assert!(by_format.header("content-type").unwrap().starts_with("text/csv"), "{}", by_format.text);
    assert!(by_format.text.contains("\r\n") && !by_format.text.replace("\r\n", "").contains('\n'));
    let by_accept = officer.send("GET", "/api/v1/stats/indicators?period=2025", &[("accept", "text/csv")], None).await;
    assert_eq!(by_format.text, by_accept.text);
    officer.get("/api/v1/stats/indicators?period=2025&format=html").await.assert_problem(422, "validation_failed");

    // If-Match: * writes over whatever version is current; a wrong version is still refused.
    let res = officer.patch(&path, "*", &json!({"notes": "Kiện toàn năm 2026"})).await;
    assert_eq!((res.status, res.body["version"].as_i64()), (StatusCode::OK, Some(2)), "{}", res.text);
    officer.patch(&path, "\"1\"", &json!({"notes": "cũ"})).await.assert_problem(412, "version_mismatch");

    // /metrics counts those requests by route pattern and status, never by the path asked for.
    let metrics = app.anon().get("/metrics").await.text;
    assert!(metrics.contains(r#"hoagiai_http_requests_total{method="GET",route="/api/v1/teams/{id}",status="304"}"#), "{metrics}");
    assert!(metrics.contains(r#"hoagiai_http_requests_total{method="HEAD",route="/api/v1/teams/{id}",status="200"} 1"#), "{metrics}");
    assert!(metrics.contains("hoagiai_http_request_duration_seconds_bucket{method=\"PATCH\",route=\"/api/v1/teams/{id}\",le=\"0.005\"}"));
    assert!(metrics.contains("hoagiai_db_pool_connections{state=\"idle\"}"));
    let team_id = path.rsplit('/').next().unwrap();
    assert!(!metrics.contains(team_id), "no record id in the metrics");
}

/// A dashboard's preflight for the headers the API guide invites (`X-Request-Id` among them).
#[actix_web::test]
async fn a_dashboard_preflight_allows_the_invited_headers() {
    let app = TestApp::sqlite_with(&[("cors_origins", "https://dashboard.example")]).await;
    let res = app
        .anon()
        .send(
            "OPTIONS",
            "/api/v1/stats/indicators?period=2025",
            &[
                ("origin", "https://dashboard.example"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "authorization, x-request-id, if-none-match"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let allowed = res.header("access-control-allow-headers").unwrap_or_default().to_lowercase();
    assert!(allowed.contains("x-request-id") && allowed.contains("if-none-match"), "{allowed}");
}

/// Every read the OpenAPI document says answers an `ETag` does (on the demo's records), and a
/// 304 for it.
#[actix_web::test]
async fn the_documented_tagged_reads_send_their_tag() {
    let app = TestApp::sqlite().await;
    let logins = {
        let mut conn = app.db.get().unwrap();
        hoagiai::demo::seed(&mut conn, &app.data_dir.clone()).unwrap()
    };
    let password = logins.iter().find(|l| l.username == "canbo.tuphap").unwrap().password.clone();
    let officer = app.login("canbo.tuphap", &password).await;
    let first = |list: &serde_json::Value| list["items"][0]["id"].as_str().unwrap().to_string();
    let case = first(&officer.get("/api/v1/cases?limit=1").await.body);
    let team = first(&officer.get("/api/v1/teams?limit=1").await.body);
    let mediator = first(&officer.get("/api/v1/mediators?limit=1").await.body);
    let training = first(&officer.get("/api/v1/trainings?limit=1").await.body);
    let unit = first(&officer.get("/api/v1/units?limit=1").await.body);
    let user = first(&officer.get("/api/v1/users?limit=1").await.body);
    let lists = officer.get("/api/v1/funding/confirmation-lists").await.body;
    let list = lists["items"][0]["id"].as_str().or(lists[0]["id"].as_str()).unwrap().to_string();
    let election = officer
        .post(
            "/api/v1/elections",
            &serde_json::json!({"team_id": team, "kind": "mediator", "held_on": "2025-04-25", "voters": 100, "votes_cast": 90,
                "candidates": [{"full_name": "Nguyễn Văn An", "votes": 60, "elected": true}]}),
        )
        .await;
    assert_eq!(election.status, StatusCode::CREATED, "{}", election.text);
    let election = election.body["id"].as_str().unwrap().to_string();
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    let query = format!("/api/v1/attachments?team_id={team}&year=2025&kind=logbook_pages");
    let attachment = officer.send("POST", &query, &[("idempotency-key", "tagged-1")], Some(("application/pdf", pdf))).await;
    assert_eq!(attachment.status, StatusCode::CREATED, "{}", attachment.text);
    let attachment = attachment.body["id"].as_str().unwrap().to_string();
    let request = officer
        .post(
            "/api/v1/privacy/requests",
            &serde_json::json!({"kind": "access", "mediator_id": mediator, "requester_name": "Hòa giải viên", "received_on": "2026-01-05"}),
        )
        .await;
    assert_eq!(request.status, StatusCode::CREATED, "{}", request.text);
    let request = request.body["id"].as_str().unwrap().to_string();
    let paths = [
        ("get_attachment", format!("/api/v1/attachments/{attachment}")),
        ("get_case", format!("/api/v1/cases/{case}")),
        ("get_confirmation_list", format!("/api/v1/funding/confirmation-lists/{list}")),
        ("get_election", format!("/api/v1/elections/{election}")),
        ("get_me", "/api/v1/me".to_string()),
        ("get_mediator", format!("/api/v1/mediators/{mediator}")),
        ("get_indicators", "/api/v1/stats/indicators?period=2025".to_string()),
        ("get_subject_request", format!("/api/v1/privacy/requests/{request}")),
        ("get_team", format!("/api/v1/teams/{team}")),
        ("get_training", format!("/api/v1/trainings/{training}")),
        ("get_unit", format!("/api/v1/units/{unit}")),
        ("get_user", format!("/api/v1/users/{user}")),
    ];
    let documented: Vec<&str> = hoagiai::openapi::contract::TAGGED_READS.to_vec();
    assert_eq!(documented, paths.iter().map(|(id, _)| *id).collect::<Vec<_>>(), "one path per documented tagged read");
    for (id, path) in paths {
        let res = officer.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{id}: {}", res.text);
        let tag = res.header("etag").unwrap_or_else(|| panic!("{id} sends no ETag"));
        let again = officer.send("GET", &path, &[("if-none-match", &tag)], None).await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{id}");
    }
}
