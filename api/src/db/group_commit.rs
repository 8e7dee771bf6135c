//! Group commit for SQLite. SQLite has one writer, and with `synchronous = FULL` every commit waits
//! for an fsync: one transaction per request caps a durable server at a few hundred writes a
//! second whatever the code around it does. So one thread owns the write connection; it takes
//! every write waiting in its queue, runs each in a savepoint of one transaction (a write that
//! fails rolls back alone and gets its own error), commits once — one fsync for the batch — and
//! only then answers them all. No answer leaves before its commit is on disk.
//!
//! Hand-written: neither diesel nor r2d2 batches transactions, and the batching must see each
//! write's own success or failure to give it its own savepoint.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::Connection;

use super::{establish, DbConn, DbUrl, SqliteSync};
use crate::error::ApiError;

/// The most writes one transaction takes: bounds how long the first of a batch waits.
const MAX_BATCH: usize = 256;

/// How long the writer waits for more writes after a batch of several before beginning the next.
const LINGER: Duration = Duration::from_micros(500);

/// What is left to do for a write once its batch is committed (or is not).
type Delivery = Box<dyn FnOnce(Result<(), ApiError>) + Send>;
/// A write: run on the writer's connection (or told why it cannot run), it returns its delivery.
type Job = Box<dyn FnOnce(Result<&mut DbConn, ApiError>) -> Delivery + Send>;

pub struct Writer {
    queue: mpsc::Sender<Job>,
    counts: Arc<Counts>,
}

/// The upper bounds of the batch-size histogram's buckets (writes per transaction).
pub const BATCH_BUCKETS: [u64; 9] = [1, 2, 4, 8, 16, 32, 64, 128, 256];

/// What the writer has done, for `/metrics` and the tests.
#[derive(Default)]
pub struct Counts {
    /// Transactions begun.
    pub batches: AtomicU64,
    /// Writes those transactions held.
    pub writes: AtomicU64,
    /// Writes submitted and not yet taken into a batch: the queue's depth.
    pub queued: AtomicU64,
    /// Batches of at most `BATCH_BUCKETS[i]` writes (not cumulative).
    pub batch_sizes: [AtomicU64; BATCH_BUCKETS.len()],
}

impl Counts {
    fn batch_of(&self, size: usize) {
        let bucket = BATCH_BUCKETS.iter().position(|&b| size as u64 <= b).unwrap_or(BATCH_BUCKETS.len() - 1);
        self.batch_sizes[bucket].fetch_add(1, Relaxed);
    }
}

impl Writer {
    pub fn start(url: DbUrl, sync: SqliteSync) -> Result<Writer, String> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let counts = Arc::new(Counts::default());
        let counted = counts.clone();
        let nudge = start_checkpointer(url.clone(), sync)?;
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn: Option<DbConn> = None;
                let mut last_batch = 1;
                while let Ok(first) = jobs.recv() {
                    let mut batch = vec![first];
                    // After a batch of several, others are on their way: wait a little for them,
                    // so that one fsync serves more writes. A lone writer never waits.
                    let linger_until = (last_batch > 1).then(|| std::time::Instant::now() + LINGER);
                    while batch.len() < MAX_BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(mpsc::TryRecvError::Disconnected) => break,
                            Err(mpsc::TryRecvError::Empty) => {
                                let left = linger_until.map(|t| t.saturating_duration_since(std::time::Instant::now()));
                                match left.filter(|d| !d.is_zero()).map(|d| jobs.recv_timeout(d)) {
                                    Some(Ok(job)) => batch.push(job),
                                    _ => break,
                                }
                            }
                        }
                    }
                    last_batch = batch.len();
                    counted.queued.fetch_sub(batch.len() as u64, Relaxed);
                    counted.batch_of(batch.len());
                    if conn.is_none() {
                        conn = establish(&url, sync)
                            .map_err(|e| tracing::error!(error = %e, "the SQLite writer cannot open the database"))
                            .ok();
                        // The checkpointer copies the WAL; the writer's own checkpoint is the backstop.
                        if let Some(DbConn::Sqlite(c)) = conn.as_mut() {
                            if let Err(e) = c.batch_execute(&format!("PRAGMA wal_autocheckpoint = {WRITER_AUTOCHECKPOINT_PAGES}")) {
                                tracing::warn!(error = %e, "cannot set the writer's checkpoint threshold");
                            }
                        }
                    }
                    let healthy = run_batch(conn.as_mut(), batch, &counted);
                    // Committed pages wait in the WAL: the checkpointer copies them to the database.
                    let _ = nudge.try_send(());
                    if !healthy {
                        // A broken transaction state: start again from a fresh connection.
                        conn = None;
                    }
                }
            })
            .map_err(|e| format!("cannot start the SQLite writer: {e}"))?;
        Ok(Writer { queue, counts })
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Queues a write; `deliver` gets its result once the batch holding it is committed.
    pub fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        deliver: impl FnOnce(Result<T, ApiError>) + Send + 'static,
    ) {
        let job: Job = Box::new(move |conn: Result<&mut DbConn, ApiError>| -> Delivery {
            let result = conn.and_then(|c| c.transaction::<T, ApiError, _>(work));
            Box::new(move |committed: Result<(), ApiError>| deliver(committed.and(result)))
        });
        self.counts.queued.fetch_add(1, Relaxed);
        if let Err(mpsc::SendError(job)) = self.queue.send(job) {
            self.counts.queued.fetch_sub(1, Relaxed);
            tracing::error!("the SQLite writer has stopped");
            job(Err(ApiError::unavailable()))(Err(ApiError::unavailable()));
        }
    }
}

/// How long the checkpointer lets commits gather before copying them. A page written by several
/// batches in that time is copied once: checkpointing after every commit copied the hot pages
/// (counters, the ends of the indexes) over and over.
const CHECKPOINT_GATHER: Duration = Duration::from_millis(200);

/// The WAL size (pages) at which the writer checkpoints by itself: the backstop when the
/// checkpointer falls behind (SQLite's default is 1,000, reached every few batches under load).
const WRITER_AUTOCHECKPOINT_PAGES: u32 = 4000;

/// Starts the thread that copies committed WAL pages into the database file (a passive checkpoint
/// on a connection of its own) after the writer's commits. SQLite would otherwise do it inside
/// the commit that takes the WAL past 1,000 pages — on the writer's thread, a third of its time at
/// 64 concurrent creates (copying pages and an fsync of the database file), while every other write
/// waits. A passive checkpoint never blocks the writer, and durability does not depend on it:
/// a commit is on disk once its WAL frames are. The writer's own automatic checkpoint stays as the
/// backstop that keeps the WAL from growing under constant load (`WRITER_AUTOCHECKPOINT_PAGES`).
fn start_checkpointer(url: DbUrl, sync: SqliteSync) -> Result<mpsc::SyncSender<()>, String> {
    let (nudge, nudged) = mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("sqlite-checkpoint".into())
        .spawn(move || {
            let mut conn: Option<DbConn> = None;
            while nudged.recv().is_ok() {
                std::thread::sleep(CHECKPOINT_GATHER);
                while nudged.try_recv().is_ok() {}
                if conn.is_none() {
                    // Not `establish`: its statements are no request's, so they stay out of `/metrics`.
                    conn = super::open(&url, sync)
                        .map_err(|e| tracing::warn!(error = %e, "the SQLite checkpointer cannot open the database"))
                        .ok();
                }
                if let Some(DbConn::Sqlite(c)) = conn.as_mut() {
                    if let Err(e) = c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                        tracing::warn!(error = %e, "a WAL checkpoint failed");
                        conn = None;
                    }
                }
            }
        })
        .map_err(|e| format!("cannot start the SQLite checkpointer: {e}"))?;
    Ok(nudge)
}

/// Runs one batch in one transaction and answers every write in it. `false` when the connection
/// must not be used again.
fn run_batch(conn: Option<&mut DbConn>, batch: Vec<Job>, counts: &Counts) -> bool {
    let Some(conn) = conn else {
        for job in batch {
            job(Err(ApiError::unavailable()))(Err(ApiError::unavailable()));
        }
        return true;
    };
    let begun = match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE"),
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c),
    };
    if let Err(e) = begun {
        tracing::error!(error = %e, "the SQLite writer cannot begin a transaction");
        for job in batch {
            job(Err(ApiError::unavailable()))(Err(ApiError::unavailable()));
        }
        return false;
    }
    counts.batches.fetch_add(1, Relaxed);
    counts.writes.fetch_add(batch.len() as u64, Relaxed);
    let mut deliveries: Vec<Delivery> = Vec::with_capacity(batch.len());
    let mut panicked = false;
    for job in batch {
        if panicked {
            // Everything after a panic is refused with the rest of the batch.
            deliveries.push(job(Err(ApiError::unavailable())));
            continue;
        }
        match catch_unwind(AssertUnwindSafe(|| job(Ok(&mut *conn)))) {
            Ok(delivery) => deliveries.push(delivery),
            // The panicking write's answer channel is gone with it: its caller sees a failure.
            Err(_) => panicked = true,
        }
    }
    type Manager = <DbConn as Connection>::TransactionManager;
    let committed = if panicked {
        let _ = Manager::rollback_transaction(conn);
        Err(ApiError::internal())
    } else {
        Manager::commit_transaction(conn).map_err(|e| {
            tracing::error!(error = %e, "a batch of writes failed to commit");
            let _ = Manager::rollback_transaction(conn);
            ApiError::unavailable()
        })
    };
    let healthy = committed.is_ok();
    for deliver in deliveries {
        deliver(committed.clone());
    }
    healthy
}
