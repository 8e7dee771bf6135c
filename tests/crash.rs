//! A crash under load: the real server binary runs as a process, takes concurrent keyed creates
//! from phones, and is killed with SIGKILL in the middle. Restarted on the same database, every
//! request that got no answer is retried with its key; each key must end with exactly one case
//! and every case that was acknowledged must be there.

use std::collections::{HashMap, HashSet};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::cases::{new_case, world};
use crate::common::{TestApp, JWT_SECRET};

on_both_backends!(a_killed_server_loses_no_acknowledged_case_and_duplicates_none);

/// Concurrent phones.
const PHONES: usize = 32;
/// Acknowledged creates before the kill.
const ACKED_BEFORE_KILL: usize = 150;

struct Server {
    child: Child,
    base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `hoagiai serve` on the test's database and waits until it answers.
async fn start_server(database_url: &str, data_dir: &std::path::Path) -> Server {
    let port = free_port();
    let log = std::fs::File::create(data_dir.join(format!("server-{port}.log"))).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_hoagiai"))
        .arg("serve")
        .env("HOAGIAI_DATABASE_URL", database_url)
        .env("HOAGIAI_BIND", format!("127.0.0.1:{port}"))
        .env("HOAGIAI_DATA_DIR", data_dir)
        .env("HOAGIAI_JWT_SECRET", JWT_SECRET)
        .env("HOAGIAI_WORKERS", "2")
        .env("HOAGIAI_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("the server binary starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = awc::Client::builder().timeout(Duration::from_secs(2)).finish();
    let started = Instant::now();
    loop {
        if let Ok(res) = client.get(format!("{base}/healthz")).send().await {
            if res.status().is_success() {
                break;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start: see server-{port}.log");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    Server { child, base }
}

/// One keyed create: `Some(case id)` when answered with the case, `None` when the answer never came.
async fn send(base: &str, token: &str, key: &str, body: &Value) -> Option<String> {
    let client = awc::Client::builder().timeout(Duration::from_secs(20)).finish();
    let mut res = client
        .post(format!("{base}/api/v1/cases"))
        .insert_header(("authorization", format!("Bearer {token}")))
        .insert_header(("idempotency-key", key))
        .send_json(body)
        .await
        .ok()?;
    let bytes = res.body().await.ok()?;
    let status = res.status();
    assert!(status.is_success() || status.is_server_error(), "{key}: {status} {}", String::from_utf8_lossy(&bytes));
    if !status.is_success() {
        return None;
    }
    let v: Value = serde_json::from_slice(&bytes).ok()?;
    v["id"].as_str().map(str::to_string)
}

async fn a_killed_server_loses_no_acknowledged_case_and_duplicates_none(app: TestApp) {
    use hoagiai::db::schema::cases;
    let w = world(app).await;
    let token = w.leader.token.clone().unwrap();
    let url = match w.app.db.url.backend {
        hoagiai::db::Backend::Sqlite => format!("sqlite://{}", w.app.db.url.target),
        hoagiai::db::Backend::Postgres => w.app.db.url.target.clone(),
    };
    let body_of = |key: &str| {
        let mut b = new_case(&w.team);
        // No client-chosen id: only the key stands between a retry and a second case.
        b.as_object_mut().unwrap().remove("id");
        b["summary"] = json!(format!("Vụ việc của khóa {key}"));
        b
    };

    let first = start_server(&url, &w.app.data_dir).await;
    let acked: Arc<Mutex<HashMap<String, String>>> = Arc::default();
    let unanswered: Arc<Mutex<Vec<String>>> = Arc::default();
    let acked_count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let first_base = first.base.clone();
    let phones = (0..PHONES).map(|phone| {
        let (acked, unanswered, acked_count, stop) = (acked.clone(), unanswered.clone(), acked_count.clone(), stop.clone());
        let (base, token) = (first_base.clone(), token.clone());
        let bodies: Vec<(String, Value)> = (0..60).map(|n| format!("phone-{phone}-op-{n}")).map(|k| (k.clone(), body_of(&k))).collect();
        async move {
            for (key, body) in bodies {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                match send(&base, &token, &key, &body).await {
                    Some(id) => {
                        acked.lock().unwrap().insert(key, id);
                        acked_count.fetch_add(1, Ordering::Relaxed);
                    }
                    None => {
                        // The server is gone: this phone keeps the request in its outbox.
                        unanswered.lock().unwrap().push(key);
                        break;
                    }
                }
            }
        }
    });
    let mut first = first;
    let killer = {
        let acked_count = acked_count.clone();
        let stop = stop.clone();
        async move {
            let started = Instant::now();
            while acked_count.load(Ordering::Relaxed) < ACKED_BEFORE_KILL && started.elapsed() < Duration::from_secs(60) {
                actix_web::rt::time::sleep(Duration::from_millis(2)).await;
            }
            first.child.kill().expect("SIGKILL");
            first.child.wait().unwrap();
            stop.store(true, Ordering::Relaxed);
        }
    };
    futures_util::future::join(futures_util::future::join_all(phones), killer).await;
    let acked = acked.lock().unwrap().clone();
    let unanswered = unanswered.lock().unwrap().clone();
    assert!(acked.len() >= ACKED_BEFORE_KILL, "the load ran before the kill: {} acknowledged", acked.len());
    assert!(!unanswered.is_empty(), "the kill caught requests in flight");
    eprintln!("{} acknowledged, {} in flight at the kill", acked.len(), unanswered.len());

    // Restarted, every phone sends its outbox again, and repeats a few acknowledged ones too.
    let mut second = start_server(&url, &w.app.data_dir).await;
    let mut final_ids: HashMap<String, String> = acked.clone();
    for key in unanswered.iter().chain(acked.keys().take(20)) {
        let id = send(&second.base, &token, key, &body_of(key)).await.unwrap_or_else(|| panic!("{key} answered after the restart"));
        if let Some(first_id) = acked.get(key) {
            assert_eq!(&id, first_id, "{key}: a retry of an acknowledged create names the same case");
        }
        final_ids.insert(key.clone(), id);
    }
    second.child.kill().unwrap();
    second.child.wait().unwrap();

    let stored: Vec<(String, String)> =
        cases::table.filter(cases::team_id.eq(&w.team)).select((cases::id, cases::summary)).load(&mut *w.app.db.get().unwrap()).unwrap();
    let stored_ids: HashSet<&str> = stored.iter().map(|(id, _)| id.as_str()).collect();
    for (key, id) in &acked {
        assert!(stored_ids.contains(id.as_str()), "acknowledged case of {key} is present");
    }
    let mut per_summary: HashMap<&str, usize> = HashMap::new();
    for (_, summary) in &stored {
        *per_summary.entry(summary.as_str()).or_default() += 1;
    }
    let duplicated: Vec<_> = per_summary.iter().filter(|(_, n)| **n > 1).collect();
    assert!(duplicated.is_empty(), "one case per key: {duplicated:?}");
    assert_eq!(stored.len(), final_ids.len(), "every case belongs to a key that was answered");
    let distinct: HashSet<&String> = final_ids.values().collect();
    assert_eq!(distinct.len(), final_ids.len());
}
