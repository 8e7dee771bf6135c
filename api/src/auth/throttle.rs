//! Login throttling: failures are counted per username and per client address in a sliding
//! window; past the limit the caller gets 429 with `Retry-After` until the oldest failure ages
//! out. Kept in memory: one instance per database is the deployment this serves; several
//! instances each throttle on their own, which still bounds guessing.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Throttle {
    window: Duration,
    max_per_key: usize,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl Throttle {
    pub fn new(max_per_key: usize, window: Duration) -> Throttle {
        Throttle { window, max_per_key, failures: Mutex::new(HashMap::new()) }
    }

    /// `Some(seconds)` to wait when the key is locked out.
    pub fn retry_after(&self, key: &str) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entries = map.get_mut(key)?;
        while entries.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            entries.pop_front();
        }
        if entries.len() >= self.max_per_key {
            let oldest = *entries.front()?;
            Some((self.window - now.duration_since(oldest)).as_secs().max(1))
        } else {
            None
        }
    }

    pub fn record_failure(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Forget keys whose failures have all aged out, so the map cannot grow without bound.
        if map.len() > 10_000 {
            let window = self.window;
            map.retain(|_, v| v.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let entries = map.entry(key.to_string()).or_default();
        entries.push_back(now);
        while entries.len() > self.max_per_key {
            entries.pop_front();
        }
    }

    pub fn clear(&self, key: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(key);
    }
}

/// A token bucket per machine client: `per_minute` requests a minute on average, in bursts of up
/// to a tenth of that (at least 10). Past it the client gets 429 with `Retry-After`.
pub struct RateLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(per_minute: u32) -> RateLimiter {
        let per_minute = f64::from(per_minute.max(1));
        RateLimiter { per_second: per_minute / 60.0, burst: (per_minute / 10.0).max(10.0), buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes one request from the client's bucket; `Err(seconds)` to wait when it is empty.
    pub fn take(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            let burst = self.burst;
            let rate = self.per_second;
            map.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * rate < burst);
        }
        let (tokens, at) = map.entry(key.to_string()).or_insert((self.burst, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / self.per_second).ceil().max(1.0) as u64)
        }
    }
}

/// The two throttles a login passes: one per username, one per client address.
pub struct LoginThrottle {
    pub per_username: Throttle,
    pub per_address: Throttle,
}

impl LoginThrottle {
    pub fn new(max_per_username: usize, max_per_address: usize, window: Duration) -> Self {
        LoginThrottle { per_username: Throttle::new(max_per_username, window), per_address: Throttle::new(max_per_address, window) }
    }

    pub fn check(&self, username: &str, address: &str) -> Option<u64> {
        match (self.per_username.retry_after(username), self.per_address.retry_after(address)) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn failed(&self, username: &str, address: &str) {
        self.per_username.record_failure(username);
        self.per_address.record_failure(address);
    }

    pub fn succeeded(&self, username: &str) {
        self.per_username.clear(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_empties_and_says_how_long_to_wait() {
        let limiter = RateLimiter::new(60);
        for _ in 0..10 {
            assert!(limiter.take("a").is_ok());
        }
        assert_eq!(limiter.take("a"), Err(1));
        assert!(limiter.take("b").is_ok(), "each client has its own bucket");
    }
}
