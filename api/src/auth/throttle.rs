//! Login throttling: failures are counted per username and per client address in a sliding
//! window; past the limit the caller gets 429 with `Retry-After` until the oldest failure ages
//! out. Kept in memory: one instance per database is the deployment this serves; several
//! instances each throttle on their own, which still bounds guessing.
//!
//! A login *reserves* its attempt before the password is checked: the attempt counts as a
//! failure in progress until it is known, so N guesses sent at once never get more than the
//! limit's worth of password checks. A right password releases the reservation (and clears the
//! username's failures); a wrong one turns it into a failure.
//!
//! Hand-written rather than `governor`: governor's GCRA counts every request that is let
//! through, with no way to give a cell back when the attempt succeeds. What is limited here is
//! *failures* (a person who signs in correctly many times a day must never be locked out), and
//! the lock lifts when the oldest failure leaves the window, which needs the failures' times.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
struct Attempts {
    /// Failures inside the window, oldest first.
    failures: VecDeque<Instant>,
    /// Attempts reserved and not yet known to have failed or succeeded.
    pending: usize,
}

pub struct Throttle {
    window: Duration,
    max_per_key: usize,
    keys: Mutex<HashMap<String, Attempts>>,
}

impl Throttle {
    pub fn new(max_per_key: usize, window: Duration) -> Throttle {
        Throttle { window, max_per_key, keys: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Attempts>> {
        self.keys.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Seconds to wait when `entry` is at the limit, else `None`.
    fn locked(&self, entry: &mut Attempts, now: Instant) -> Option<u64> {
        while entry.failures.front().is_some_and(|t| now.duration_since(*t) >= self.window) {
            entry.failures.pop_front();
        }
        if entry.failures.len() + entry.pending < self.max_per_key {
            return None;
        }
        // Full of failures: until the oldest ages out. Full only because of attempts still being
        // checked: those are known within a second.
        Some(match (entry.failures.len() >= self.max_per_key, entry.failures.front()) {
            (true, Some(oldest)) => (self.window - now.duration_since(*oldest)).as_secs().max(1),
            _ => 1,
        })
    }

    /// `Some(seconds)` to wait when the key is locked out.
    pub fn retry_after(&self, key: &str) -> Option<u64> {
        let now = Instant::now();
        let mut map = self.lock();
        let entry = map.get_mut(key)?;
        self.locked(entry, now)
    }

    /// Counts an attempt as a failure in progress, unless the key is at its limit
    /// (`Err(seconds to wait)`). Every `Ok` must be followed by `release` or `fail`.
    pub fn reserve(&self, key: &str) -> Result<(), u64> {
        let now = Instant::now();
        let mut map = self.lock();
        // Forget keys with nothing in flight and every failure aged out, so the map stays small.
        if map.len() > 10_000 {
            let window = self.window;
            map.retain(|_, v| v.pending > 0 || v.failures.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        let entry = map.entry(key.to_string()).or_default();
        if let Some(wait) = self.locked(entry, now) {
            return Err(wait);
        }
        entry.pending += 1;
        Ok(())
    }

    /// A reserved attempt that did not fail: it no longer counts.
    pub fn release(&self, key: &str) {
        if let Some(entry) = self.lock().get_mut(key) {
            entry.pending = entry.pending.saturating_sub(1);
        }
    }

    /// A reserved attempt that failed: it counts for the window.
    pub fn fail(&self, key: &str) {
        let now = Instant::now();
        let mut map = self.lock();
        let entry = map.entry(key.to_string()).or_default();
        entry.pending = entry.pending.saturating_sub(1);
        entry.failures.push_back(now);
        while entry.failures.len() > self.max_per_key {
            entry.failures.pop_front();
        }
    }

    /// Forgets the key's failures (attempts still in flight keep counting until they end).
    pub fn clear(&self, key: &str) {
        if let Some(entry) = self.lock().get_mut(key) {
            entry.failures.clear();
        }
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

/// One reserved login attempt. Dropped without a verdict (an error on the way, a deactivated
/// account behind a right password), it simply stops counting.
#[must_use]
pub struct Reservation<'a> {
    throttle: &'a LoginThrottle,
    username: String,
    address: String,
    done: bool,
}

impl Reservation<'_> {
    /// The password was wrong: the attempt counts as a failure for the username and the address.
    pub fn failed(mut self) {
        self.done = true;
        self.throttle.per_username.fail(&self.username);
        self.throttle.per_address.fail(&self.address);
    }

    /// The password was right: the username's failures are forgotten.
    pub fn succeeded(mut self) {
        self.done = true;
        self.throttle.per_username.release(&self.username);
        self.throttle.per_username.clear(&self.username);
        self.throttle.per_address.release(&self.address);
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.throttle.per_username.release(&self.username);
            self.throttle.per_address.release(&self.address);
        }
    }
}

impl LoginThrottle {
    pub fn new(max_per_username: usize, max_per_address: usize, window: Duration) -> Self {
        LoginThrottle { per_username: Throttle::new(max_per_username, window), per_address: Throttle::new(max_per_address, window) }
    }

    /// Reserves one attempt for the username and the address, or says how many seconds to wait.
    /// Taken before the password is checked, so attempts sent at once cannot overrun the limit.
    pub fn reserve(&self, username: &str, address: &str) -> Result<Reservation<'_>, u64> {
        self.per_username.reserve(username)?;
        if let Err(wait) = self.per_address.reserve(address) {
            self.per_username.release(username);
            return Err(wait.max(self.per_username.retry_after(username).unwrap_or(0)));
        }
        Ok(Reservation { throttle: self, username: username.to_string(), address: address.to_string(), done: false })
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

    #[test]
    fn reservations_count_before_the_verdict() {
        let throttle = LoginThrottle::new(3, 10, Duration::from_secs(900));
        let held: Vec<_> = (0..3).map(|_| throttle.reserve("lan", "10.0.0.1").expect("under the limit")).collect();
        assert_eq!(throttle.reserve("lan", "10.0.0.1").err(), Some(1), "three in flight fill the limit");
        assert!(throttle.reserve("hoa", "10.0.0.1").is_ok(), "another username is not locked");
        let mut held = held.into_iter();
        held.next().unwrap().failed();
        drop(held.next());
        assert!(throttle.reserve("lan", "10.0.0.1").is_ok(), "a released attempt no longer counts");
        held.next().unwrap().succeeded();
        // The success forgot the failure; the attempt reserved above is still in flight.
        assert_eq!(throttle.per_username.retry_after("lan"), None);
    }

    #[test]
    fn failures_lock_until_the_oldest_ages_out() {
        let throttle = LoginThrottle::new(2, 10, Duration::from_secs(900));
        throttle.reserve("lan", "a").unwrap().failed();
        throttle.reserve("lan", "a").unwrap().failed();
        let wait = throttle.reserve("lan", "a").err().expect("locked");
        assert!(wait > 800 && wait <= 900, "{wait}");
        let throttle = LoginThrottle::new(10, 2, Duration::from_secs(900));
        throttle.reserve("a", "addr").unwrap().failed();
        throttle.reserve("b", "addr").unwrap().failed();
        assert!(throttle.reserve("c", "addr").is_err(), "the address limit spans usernames");
        assert_eq!(throttle.per_username.retry_after("c"), None, "a refused attempt reserves nothing");
    }
}
