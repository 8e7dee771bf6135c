//! The test harness: `TestApp` starts the real application on a fresh database and a free port;
//! `Client` speaks HTTP to it, optionally with a token.

#![allow(dead_code)]

pub mod pg;

use std::sync::atomic::{AtomicU32, Ordering};

use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use hoagiai::app::Shared;
use hoagiai::auth::Role;
use hoagiai::config::Config;
use hoagiai::db::{migrations, Db, DbUrl, SqliteSync};
use hoagiai::state::AppState;
use serde_json::{json, Value};

/// Runs each named `async fn name(app: TestApp)` once on SQLite and once on PostgreSQL. The
/// PostgreSQL variants are `#[ignore]`d, so without a server they are reported as ignored, never
/// as passed; `tests/run` adds `--include-ignored` when `TEST_DATABASE_URL` is set. No other test
/// is ignored (`tests/architecture.rs` checks that), so that flag runs exactly these.
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $name() {
                    super::$name($crate::common::TestApp::sqlite().await).await
                }
            )*
        }
        mod postgres {
            $(
                #[actix_web::test]
                #[ignore = "needs TEST_DATABASE_URL (PostgreSQL)"]
                async fn $name() {
                    super::$name($crate::common::TestApp::postgres().await).await
                }
            )*
        }
    };
}

pub const JWT_SECRET: &str = "test-secret-that-is-long-enough-for-hs256-000";

/// Where a test's database lives; dropping it removes the database.
enum DbHome {
    Sqlite(tempfile::TempDir),
    Postgres(pg::TestDatabase),
}

pub struct TestApp {
    pub base: String,
    /// The database's URL, for a command of the binary run on the same database.
    pub url: String,
    pub db: Db,
    pub state: actix_web::web::Data<AppState>,
    pub data_dir: std::path::PathBuf,
    handle: ServerHandle,
    _home: DbHome,
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        Self::sqlite_with(&[]).await
    }

    /// A SQLite app with extra settings (e.g. a lower throttling limit).
    pub async fn sqlite_with(settings: &[(&str, &str)]) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        let data_dir = dir.path().to_path_buf();
        Self::start(&url, data_dir, DbHome::Sqlite(dir), settings).await
    }

    /// A PostgreSQL app on a fresh database. Only PostgreSQL tests call it, and they are
    /// `#[ignore]`d: run (with `--include-ignored`) without `TEST_DATABASE_URL`, they fail.
    pub async fn postgres() -> TestApp {
        let db = pg::TestDatabase::create();
        let url = db.url.clone();
        let dir = tempfile::tempdir().expect("temp dir").keep();
        Self::start(&url, dir, DbHome::Postgres(db), &[]).await
    }

    async fn start(url: &str, data_dir: std::path::PathBuf, home: DbHome, settings: &[(&str, &str)]) -> TestApp {
        let data_dir_text = data_dir.display().to_string();
        let mut pairs =
            vec![("database_url", url), ("jwt_secret", JWT_SECRET), ("data_dir", data_dir_text.as_str()), ("db_pool_size", "4")];
        pairs.extend_from_slice(settings);
        let config = Config::from_pairs(&pairs).expect("test config");
        let db = Db::connect(DbUrl::parse(url).unwrap(), SqliteSync::Normal, config.db_pool_size).expect("database");
        let mut conn = db.get().expect("connection");
        migrations::run_pending(&mut conn).expect("migrations");
        // What `hoagiai serve` does at start (`cli::open_db`).
        hoagiai::stats::fill_empty_rollups(&mut conn).expect("rollups");
        drop(conn);
        let shared = Shared::new(AppState::new(db.clone(), config, JWT_SECRET.as_bytes()));
        let state = shared.state.clone();
        let server = actix_web::HttpServer::new(move || hoagiai::app::build(&shared))
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", 0))
            .expect("bind");
        let port = server.addrs()[0].port();
        let server = server.run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp { base: format!("http://127.0.0.1:{port}"), url: url.to_string(), db, state, data_dir, handle, _home: home }
    }

    pub fn anon(&self) -> Client {
        Client { base: self.base.clone(), token: None, lang: None }
    }

    /// A client with a token of its own.
    pub fn with_token(&self, token: &str) -> Client {
        Client { base: self.base.clone(), token: Some(token.to_string()), lang: None }
    }

    /// Creates an account directly in the database (as the system) and signs it in.
    pub async fn user(&self, role: Role, unit_id: Option<&str>) -> (Client, Value) {
        let username = unique_name(role.as_str());
        self.create_user(&username, role, unit_id, "correct horse battery").await;
        let client = self.login(&username, "correct horse battery").await;
        let me = client.get("/api/v1/me").await;
        assert_eq!(me.status, StatusCode::OK, "{}", me.body);
        (client, me.body)
    }

    pub async fn create_user(&self, username: &str, role: Role, unit_id: Option<&str>, password: &str) -> String {
        let input = hoagiai::users::dto::CreateUser {
            id: None,
            username: username.into(),
            display_name: format!("Người dùng {username}"),
            phone: None,
            role,
            unit_id: unit_id.map(|u| u.parse().unwrap()),
            password: Some(password.into()),
            mediator_id: None,
        };
        let system = hoagiai::auth::Actor::system();
        // The same strength rule as over HTTP: a test password must be a strong one.
        let new = hoagiai::users::rules::new_password("password", Some(password.into()), username, &input.display_name)
            .expect("a strong password");
        let (user, _, _) = self.db.write(move |c| hoagiai::users::store::create(c, &system, input, new)).await.expect("create user");
        user.id
    }

    pub async fn login(&self, username: &str, password: &str) -> Client {
        let res = self.anon().post("/api/v1/auth/login", &json!({"username": username, "password": password})).await;
        assert_eq!(res.status, StatusCode::OK, "login of {username}: {}", res.body);
        self.with_token(res.body["access_token"].as_str().unwrap())
    }

    pub async fn admin(&self) -> Client {
        self.user(Role::Admin, None).await.0
    }

    /// A small tree: a province with two communes (A under a district, B straight under the
    /// province, as after the 2025 reform), each with one village.
    pub async fn tree(&self) -> Tree {
        let admin = self.admin().await;
        let unit = |body: Value| {
            let admin = admin.clone();
            async move {
                let res = admin.post("/api/v1/units", &body).await;
                assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
                res.body["id"].as_str().unwrap().to_string()
            }
        };
        let province = unit(json!({"name": "Tỉnh Hải Dương", "code": "30", "level": "province", "valid_from": "1997-01-01"})).await;
        let district = unit(
            json!({"name": "Huyện Thanh Miện", "code": "300", "level": "district", "parent_id": province, "valid_from": "1997-01-01"}),
        )
        .await;
        let commune_a =
            unit(json!({"name": "Xã Đoàn Kết", "code": "11110", "level": "commune", "parent_id": district, "valid_from": "1997-01-01"}))
                .await;
        let commune_b =
            unit(json!({"name": "Xã Hồng Quang", "code": "11111", "level": "commune", "parent_id": province, "valid_from": "1997-01-01"}))
                .await;
        let village_a = unit(json!({"name": "Thôn Hội Yên", "level": "village", "parent_id": commune_a, "valid_from": "2000-01-01"})).await;
        let village_b = unit(json!({"name": "Thôn Phú Khê", "level": "village", "parent_id": commune_b, "valid_from": "2000-01-01", "ethnic_minority_area": true})).await;
        Tree { admin, province, district, commune_a, commune_b, village_a, village_b }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting at once; the runtime ends with the test.
        let handle = self.handle.clone();
        actix_web::rt::spawn(async move { handle.stop(false).await });
    }
}

pub struct Tree {
    pub admin: Client,
    pub province: String,
    pub district: String,
    pub commune_a: String,
    pub commune_b: String,
    pub village_a: String,
    pub village_b: String,
}

/// How many statements `conn` has sent since this call (diesel's instrumentation): what a test of
/// "in N statements" reads before and after.
pub fn count_statements(conn: &mut hoagiai::db::DbConn) -> std::sync::Arc<std::sync::atomic::AtomicUsize> {
    use diesel::connection::{Connection, InstrumentationEvent};
    let statements = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = statements.clone();
    conn.set_instrumentation(move |e: InstrumentationEvent<'_>| {
        if matches!(e, InstrumentationEvent::StartQuery { .. }) {
            counted.fetch_add(1, Ordering::Relaxed);
        }
    });
    statements
}

pub fn unique_name(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{}{}", prefix.replace('_', "."), N.fetch_add(1, Ordering::Relaxed))
}

#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub token: Option<String>,
    pub lang: Option<&'static str>,
}

#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    }

    pub fn etag(&self) -> String {
        self.header("etag").expect("an ETag header")
    }

    /// Asserts a problem+json answer with this status and code.
    pub fn assert_problem(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "expected {status} {code}, got: {}", self.text);
        assert_eq!(self.header("content-type").as_deref(), Some("application/problem+json"), "{}", self.text);
        assert_eq!(self.body["code"], code, "{}", self.text);
        assert_eq!(self.body["status"], status);
    }
}

impl Client {
    pub fn english(mut self) -> Self {
        self.lang = Some("en");
        self
    }

    fn request(&self, method: actix_web::http::Method, path: &str) -> awc::ClientRequest {
        let client = awc::Client::builder().timeout(std::time::Duration::from_secs(30)).finish();
        let mut req = client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.insert_header(("authorization", format!("Bearer {t}")));
        }
        if let Some(l) = self.lang {
            req = req.insert_header(("accept-language", l));
        }
        req
    }

    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<(&str, Vec<u8>)>) -> Resp {
        let mut req = self.request(method.parse().unwrap(), path);
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let res = match body {
            Some((content_type, bytes)) => req.insert_header(("content-type", content_type)).send_body(bytes).await,
            None => req.send().await,
        };
        let mut res = res.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let bytes = res.body().limit(50 * 1024 * 1024).await.expect("body");
        let text = String::from_utf8_lossy(&bytes).to_string();
        Resp { status: res.status(), headers: res.headers().clone(), body: serde_json::from_slice(&bytes).unwrap_or(Value::Null), text }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, &[], None).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Resp {
        self.send("POST", path, &[], Some(("application/json", body.to_string().into_bytes()))).await
    }

    pub async fn patch(&self, path: &str, etag: &str, body: &Value) -> Resp {
        self.send("PATCH", path, &[("if-match", etag)], Some(("application/json", body.to_string().into_bytes()))).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send("DELETE", path, &[], None).await
    }
}
