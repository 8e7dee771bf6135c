//! The request spans reach an OpenTelemetry collector over OTLP/HTTP when one is configured: the
//! real server binary, built with the `otlp` feature, exports to a stand-in collector on loopback
//! that keeps what it is sent. Without the feature the test is reported as ignored; `tests/run`
//! runs it with the feature in CI (or with HOAGIAI_TEST_OTLP=1).

#[cfg(not(feature = "otlp"))]
#[test]
#[ignore = "needs the otlp feature: cargo test -p hoagiai --features otlp --test integration -- otlp"]
fn request_spans_reach_the_collector() {
    panic!("built without the otlp feature");
}

#[cfg(feature = "otlp")]
#[actix_web::test]
async fn request_spans_reach_the_collector() {
    use std::process::{Command, Stdio};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use actix_web::{web, App, HttpResponse, HttpServer};

    // The stand-in collector: every POST to /v1/traces is kept as it came.
    let received: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let kept = received.clone();
    let collector = HttpServer::new(move || {
        let kept = kept.clone();
        App::new().route(
            "/v1/traces",
            web::post().to(move |body: web::Bytes| {
                let kept = kept.clone();
                async move {
                    kept.lock().unwrap().push(body.to_vec());
                    HttpResponse::Ok().content_type("application/x-protobuf").body(Vec::<u8>::new())
                }
            }),
        )
    })
    .workers(1)
    .bind("127.0.0.1:0")
    .unwrap();
    let collector_addr = collector.addrs()[0];
    let collector = collector.run();
    let stop = collector.handle();
    actix_web::rt::spawn(collector);

    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_hoagiai"))
        .arg("serve")
        .env("HOAGIAI_BIND", format!("127.0.0.1:{port}"))
        .env("HOAGIAI_DATA_DIR", dir.path())
        .env("HOAGIAI_JWT_SECRET", crate::common::JWT_SECRET)
        .env("HOAGIAI_WORKERS", "1")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", format!("http://{collector_addr}"))
        // Send each batch after 100 ms instead of 5 s.
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("server.log")).unwrap())
        .spawn()
        .expect("the server binary starts");
    let base = format!("http://127.0.0.1:{port}");
    let client = awc::Client::builder().timeout(Duration::from_secs(2)).finish();
    let started = Instant::now();
    let mut answered = false;
    while started.elapsed() < Duration::from_secs(60) && !answered {
        answered = client.get(format!("{base}/api/v1/meta/enums")).send().await.is_ok_and(|r| r.status().is_success());
        if !answered {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(answered, "the server did not answer: {}", std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default());
    // The span names the route pattern and the service; the exporter sends protobuf, whose strings
    // are their UTF-8 bytes.
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    let waited = Instant::now();
    let mut seen = false;
    while waited.elapsed() < Duration::from_secs(20) && !seen {
        seen = received.lock().unwrap().iter().any(|b| contains(b, b"/api/v1/meta/enums") && contains(b, b"hoagiai"));
        if !seen {
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    stop.stop(false).await;
    assert!(seen, "no span of the request reached the collector ({} batches)", received.lock().unwrap().len());
}
