//! The database: one connection type over SQLite and PostgreSQL, chosen at run time by the URL,
//! a pool, and the single helper through which handlers run database work off the async workers.

pub mod area;
pub mod bound;
pub mod group_commit;
pub mod json;
pub mod migrations;
pub mod pages;
pub mod planned;
pub mod schema;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;

use crate::error::ApiError;

/// A connection to either backend. Store functions take `&mut DbConn` and are written once.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Runs the same diesel body against the concrete connection: for the few statements that the
/// `MultiConnection` enum cannot express (upserts, `BEGIN IMMEDIATE`), and for the statements on
/// the path of every case read and create. Through the enum, diesel writes out a statement's
/// whole SQL text twice at every execution (to learn whether it may be kept prepared, and again
/// while collecting its values), even when the connection keeps it prepared; on the backend's own
/// connection a kept statement only binds and steps. For the case's 41 columns that was 14 % of
/// a case read's database threads (docs/performance.md, twelfth pass). The body is expanded once
/// per backend, so a query whose types name the backend (`as_select()`) is typed for each.
#[macro_export]
macro_rules! dispatch {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Pg($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}

impl DbConn {
    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Pg(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Connections of the pool at one moment.
#[derive(Clone, Copy, Debug)]
pub struct PoolState {
    pub idle: u32,
    pub in_use: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How hard SQLite pushes each commit to disk. `Full` (the default) means an acknowledged write
/// survives a power cut; `Normal` in WAL mode can lose the last commits on power loss, never corrupt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SqliteSync {
    Full,
    Normal,
}

/// A parsed database URL. diesel's own `establish` would take any string as a SQLite path, so a
/// mistyped PostgreSQL URL would silently create a file; here the scheme decides.
#[derive(Clone, Debug)]
pub struct DbUrl {
    pub backend: Backend,
    /// For SQLite the file path; for PostgreSQL the URL as given.
    pub target: String,
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl { backend: Backend::Postgres, target: url.to_string() });
        }
        let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
        if path.contains("://") {
            return Err(format!("unsupported scheme in '{}': use postgres://… or sqlite://…", redact_url(url)));
        }
        if path.is_empty() {
            return Err("has no SQLite file path".into());
        }
        Ok(DbUrl { backend: Backend::Sqlite, target: path.to_string() })
    }

    /// The URL for logs: a PostgreSQL password never reaches them.
    pub fn display(&self) -> String {
        match self.backend {
            Backend::Sqlite => format!("SQLite file {}", self.target),
            Backend::Postgres => format!("PostgreSQL {}", redact_url(&self.target)),
        }
    }
}

fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// What the database has been asked to do by this process, for `/metrics` and the benchmark's
/// statements per create.
pub struct DbCounters {
    /// Statements sent, transaction control (`BEGIN`, `COMMIT`, savepoints) included.
    pub statements: std::sync::atomic::AtomicU64,
    /// Outermost transactions committed.
    pub commits: std::sync::atomic::AtomicU64,
    /// Outermost transactions rolled back.
    pub rollbacks: std::sync::atomic::AtomicU64,
}

pub static COUNTERS: DbCounters = DbCounters {
    statements: std::sync::atomic::AtomicU64::new(0),
    commits: std::sync::atomic::AtomicU64::new(0),
    rollbacks: std::sync::atomic::AtomicU64::new(0),
};

/// Counts every statement and outermost commit or rollback of a connection.
fn count_events(event: diesel::connection::InstrumentationEvent<'_>) {
    use diesel::connection::InstrumentationEvent as E;
    use std::sync::atomic::Ordering::Relaxed;
    match event {
        E::StartQuery { .. } => COUNTERS.statements.fetch_add(1, Relaxed),
        E::CommitTransaction { depth, .. } if depth.get() == 1 => COUNTERS.commits.fetch_add(1, Relaxed),
        E::RollbackTransaction { depth, .. } if depth.get() == 1 => COUNTERS.rollbacks.fetch_add(1, Relaxed),
        _ => 0,
    };
}

/// Opens one connection of the right backend, with SQLite's per-connection settings.
pub fn establish(url: &DbUrl, sync: SqliteSync) -> ConnectionResult<DbConn> {
    let mut conn = open(url, sync)?;
    conn.set_instrumentation(count_events);
    Ok(conn)
}

fn open(url: &DbUrl, sync: SqliteSync) -> ConnectionResult<DbConn> {
    match url.backend {
        Backend::Postgres => diesel::PgConnection::establish(&url.target).map(DbConn::Pg),
        Backend::Sqlite => {
            let mut conn = diesel::SqliteConnection::establish(&url.target)?;
            let sync = match sync {
                SqliteSync::Full => "FULL",
                SqliteSync::Normal => "NORMAL",
            };
            // WAL lets readers go on while one writer commits; the busy timeout makes writers
            // queue instead of failing; foreign keys are off by default in SQLite.
            conn.batch_execute(&format!(
                "PRAGMA journal_mode = WAL; PRAGMA synchronous = {sync}; PRAGMA busy_timeout = 5000; \
                 PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY; PRAGMA case_sensitive_like = ON;"
            ))
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
            static CHECKED: std::sync::Once = std::sync::Once::new();
            CHECKED.call_once(|| {
                let missing = missing_sqlite_options(&mut conn);
                if !missing.is_empty() {
                    tracing::warn!(
                        ?missing,
                        "SQLite was built without the options of .cargo/config.toml (a build started outside the repository?): \
                         statements will be prepared again and page reads will queue on one lock"
                    );
                }
            });
            Ok(DbConn::Sqlite(conn))
        }
    }
}

/// The compile options `.cargo/config.toml` gives the bundled SQLite that this one lacks (or
/// has when it should not). Cargo reads that file only when it is started inside the repository.
pub fn missing_sqlite_options(conn: &mut diesel::SqliteConnection) -> Vec<&'static str> {
    #[derive(diesel::QueryableByName)]
    struct Opt {
        #[diesel(sql_type = diesel::sql_types::Text)]
        compile_options: String,
    }
    let have: Vec<String> = diesel::sql_query("PRAGMA compile_options")
        .load::<Opt>(conn)
        .map(|rows| rows.into_iter().map(|o| o.compile_options).collect())
        .unwrap_or_default();
    let mut missing: Vec<&'static str> =
        ["ENABLE_QPSG", "THREADSAFE=2", "DEFAULT_MEMSTATUS=0"].into_iter().filter(|o| !have.iter().any(|h| h == o)).collect();
    if have.iter().any(|h| h == "ENABLE_MEMORY_MANAGEMENT") {
        missing.push("no ENABLE_MEMORY_MANAGEMENT");
    }
    missing
}

pub struct ConnManager {
    url: DbUrl,
    sync: SqliteSync,
}

impl r2d2::ManageConnection for ConnManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        establish(&self.url, self.sync).map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<ConnManager>;

/// The database handle kept in the application state.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// SQLite: the one writer, which commits the writes waiting for it in batches
    /// (`group_commit`). PostgreSQL runs writes concurrently, each in its own transaction.
    writer: Option<std::sync::Arc<group_commit::Writer>>,
    /// Counts the write transactions this process ran: an answer computed at generation N is
    /// still true while the generation is N (for writes made here; other instances are bounded by
    /// the cache's time limit).
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
    pub url: DbUrl,
}

impl Db {
    pub fn connect(url: DbUrl, sync: SqliteSync, max_size: u32) -> Result<Db, String> {
        // SQLite: first make sure the file can be opened (and its folder exists), so the error names it.
        if url.backend == Backend::Sqlite {
            if let Some(dir) = std::path::Path::new(&url.target).parent() {
                if !dir.as_os_str().is_empty() {
                    crate::files::create_private_dir(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                }
            }
        }
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(5))
            .test_on_check_out(false)
            .build(ConnManager { url: url.clone(), sync })
            .map_err(|e| format!("cannot connect to {}: {e}", url.display()))?;
        let writer = match url.backend {
            Backend::Sqlite => Some(std::sync::Arc::new(group_commit::Writer::start(url.clone(), sync)?)),
            Backend::Postgres => None,
        };
        Ok(Db { pool, url, writer, generation: Default::default() })
    }

    pub fn backend(&self) -> Backend {
        self.url.backend
    }

    /// A connection for work outside a request (CLI commands, migrations at start).
    pub fn get(&self) -> Result<r2d2::PooledConnection<ConnManager>, ApiError> {
        self.pool.get().map_err(|_| ApiError::unavailable())
    }

    /// Runs a unit of read work on the blocking pool. Handlers never touch the pool directly.
    pub async fn run<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get().map_err(|_| ApiError::unavailable())?;
            f(&mut conn)
        })
        .await
        .map_err(|_| ApiError::unavailable())?
    }

    /// Runs a unit of write work in one transaction: everything it writes (the record, its audit
    /// row, counters) commits together or not at all. On SQLite it is one savepoint of a batch
    /// (`group_commit`), answered once the batch is on disk.
    pub async fn write<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let result = self.write_async(f).await;
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        result
    }

    /// A write that changes nothing any statistics answer is computed from (a kept idempotent
    /// answer, a sign-in, a token refresh): it does not move the generation, so the answers kept
    /// by the statistics cache stay kept.
    pub async fn write_unseen<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.write_async(f).await
    }

    /// A write made of one statement (`planned`): on PostgreSQL it runs on a pooled connection
    /// outside any transaction — the statement is its own, and `BEGIN` and `COMMIT` would be two
    /// more round trips — so `f` must send at most ONE statement that writes. On SQLite it is
    /// an ordinary write of the group-commit writer.
    pub async fn write_in_one_statement<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        if self.writer.is_some() {
            return self.write(f).await;
        }
        let result = self.run(f).await;
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        result
    }

    async fn write_async<F, T>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        match &self.writer {
            Some(writer) => {
                let (done, answer) = tokio::sync::oneshot::channel();
                writer.submit(f, move |r| {
                    let _ = done.send(r);
                });
                answer.await.map_err(|_| ApiError::internal())?
            }
            None => {
                let pool = self.pool.clone();
                actix_web::web::block(move || {
                    let mut conn = pool.get().map_err(|_| ApiError::unavailable())?;
                    write_transaction(&mut conn, f)
                })
                .await
                .map_err(|_| ApiError::unavailable())?
            }
        }
    }

    /// The same unit of write work, waited for on the current thread (background writers, the CLI).
    pub fn write_now<T: Send + 'static>(&self, f: impl FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
        let result = self.write_log_only(f);
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
        result
    }

    /// A write that changes nothing any answer is computed from (the batched audit of reads):
    /// it does not move the generation.
    pub fn write_log_only<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        match &self.writer {
            Some(writer) => {
                let (done, answer) = std::sync::mpsc::sync_channel(1);
                writer.submit(f, move |r| {
                    let _ = done.send(r);
                });
                answer.recv().map_err(|_| ApiError::internal())?
            }
            None => {
                let mut conn = self.pool.get().map_err(|_| ApiError::unavailable())?;
                write_transaction(&mut conn, f)
            }
        }
    }

    /// The pool's connections now: idle and in use (for `/metrics`).
    pub fn pool_state(&self) -> PoolState {
        let state = self.pool.state();
        PoolState { idle: state.idle_connections, in_use: state.connections.saturating_sub(state.idle_connections) }
    }

    /// SQLite: what the group-commit writer has done (batches, writes); `None` on PostgreSQL.
    /// What the SQLite group-commit writer has done (none on PostgreSQL).
    pub fn writer_counts(&self) -> Option<&group_commit::Counts> {
        self.writer.as_ref().map(|w| w.counts())
    }

    pub fn write_batches(&self) -> Option<(u64, u64)> {
        use std::sync::atomic::Ordering::Relaxed;
        self.writer.as_ref().map(|w| (w.counts().batches.load(Relaxed), w.counts().writes.load(Relaxed)))
    }

    /// The number of write transactions run so far by this process.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock up
/// front: a deferred transaction that reads and then writes can fail with SQLITE_BUSY on the lock
/// upgrade, which the busy timeout does not cover.
pub fn write_transaction<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Result<T, ApiError>) -> Result<T, ApiError> {
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    type Manager = <DbConn as Connection>::TransactionManager;
    match f(conn) {
        Ok(value) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            Manager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Now, in UTC, cut to microseconds: PostgreSQL keeps microseconds and SQLite would keep
/// nanoseconds, and an echoed timestamp or a cursor must not differ between backends.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A new time-ordered id (UUIDv7) as lowercase text: ids sort by creation, which gives keyset
/// pagination a stable order for free.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Today in Vietnam (UTC+7, no daylight saving). Dates of cases are the commune's dates: a case
/// received at 6 in the morning is received that day, not the day before as in UTC.
pub fn today() -> chrono::NaiveDate {
    let vietnam = chrono::FixedOffset::east_opt(7 * 3600).expect("UTC+7 is a valid offset");
    chrono::Utc::now().with_timezone(&vietnam).date_naive()
}

#[cfg(test)]
mod tests {
    use diesel::Connection;

    /// The bundled SQLite carries the options the statement cache and the page caches rely on.
    #[test]
    fn sqlite_is_built_with_the_projects_options() {
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        assert_eq!(super::missing_sqlite_options(&mut conn), Vec::<&str>::new());
    }
}
