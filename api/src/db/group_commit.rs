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

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::Connection;

use super::{establish, DbConn, DbUrl, SqliteSync};
use crate::error::ApiError;

/// The most writes one transaction takes: bounds how long the first of a batch waits.
const MAX_BATCH: usize = 256;

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
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut conn: Option<DbConn> = None;
                while let Ok(first) = jobs.recv() {
                    let mut batch = vec![first];
                    while batch.len() < MAX_BATCH {
                        match jobs.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    counted.queued.fetch_sub(batch.len() as u64, Relaxed);
                    counted.batch_of(batch.len());
                    if conn.is_none() {
                        conn = establish(&url, sync)
                            .map_err(|e| tracing::error!(error = %e, "the SQLite writer cannot open the database"))
                            .ok();
                    }
                    let healthy = run_batch(conn.as_mut(), batch, &counted);
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
