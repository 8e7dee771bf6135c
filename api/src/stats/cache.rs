//! Computed statistics answers, kept for a short time and served again while nothing was written
//! through this process: a dashboard asking for a province's figures every few seconds costs one
//! computation per write, not one per request. Entries are for one caller scope and query; a write
//! here (any write transaction) makes them all stale at once, and the time limit bounds how stale
//! an answer can be when other instances write to the same PostgreSQL database.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

/// A rendered answer: its ETag, content type and body.
#[derive(Clone)]
pub struct Answer {
    pub etag: String,
    pub content_type: &'static str,
    pub body: actix_web::web::Bytes,
}

struct Entry {
    generation: u64,
    at: Instant,
    answer: Answer,
}

pub struct AnswerCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
    /// Answers served from the cache, and asked for but computed (for `/metrics`).
    pub hits: AtomicU64,
    pub misses: AtomicU64,
}

/// Enough for every commune and province a busy dashboard asks about; past it, start afresh.
const MAX_ENTRIES: usize = 4096;

impl AnswerCache {
    pub fn new(ttl_secs: u64) -> AnswerCache {
        AnswerCache {
            ttl: Duration::from_secs(ttl_secs),
            entries: Mutex::new(HashMap::new()),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    pub fn get(&self, key: &str, generation: u64) -> Option<Answer> {
        let found = self.lookup(key, generation);
        if found.is_some() { &self.hits } else { &self.misses }.fetch_add(1, Relaxed);
        found
    }

    fn lookup(&self, key: &str, generation: u64) -> Option<Answer> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock();
        let e = entries.get(key)?;
        (e.generation == generation && e.at.elapsed() < self.ttl).then(|| e.answer.clone())
    }

    pub fn put(&self, key: String, generation: u64, answer: Answer) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.retain(|_, e| e.generation == generation && e.at.elapsed() < self.ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, Entry { generation, at: Instant::now(), answer });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &'static str) -> Answer {
        Answer { etag: "W/\"x\"".into(), content_type: "application/json", body: actix_web::web::Bytes::from_static(body.as_bytes()) }
    }

    #[test]
    fn a_write_or_the_time_limit_makes_an_answer_stale() {
        let cache = AnswerCache::new(30);
        cache.put("k".into(), 7, answer("a"));
        assert!(cache.get("k", 7).is_some());
        assert!(cache.get("k", 8).is_none(), "a write happened since");
        assert!(cache.get("other", 7).is_none());
        assert_eq!((cache.hits.load(Relaxed), cache.misses.load(Relaxed)), (1, 2));
        let off = AnswerCache::new(0);
        off.put("k".into(), 1, answer("a"));
        assert!(off.get("k", 1).is_none(), "0 turns the cache off");
        assert_eq!((off.hits.load(Relaxed), off.misses.load(Relaxed)), (0, 1));
    }
}
