//! The state every handler shares: the database, the configuration, the signing keys, the
//! throttles and the caches. In a module of its own so that handlers and the plumbing below them
//! can name it without importing the application that wires the routes (`app.rs`).

use std::sync::Arc;
use std::time::Duration;

use crate::auth::jwt::JwtKeys;
use crate::auth::throttle::{LoginThrottle, RateLimiter};
use crate::config::Config;
use crate::db::Db;

pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub keys: JwtKeys,
    pub login_throttle: LoginThrottle,
    /// Whether a token's user is still active or its client not revoked, checked again every
    /// `principal_recheck_secs`.
    pub principals: crate::auth::principals::Principals,
    /// Requests by route and status, and their durations, for `/metrics`.
    pub http_metrics: crate::metrics::HttpMetrics,
    /// The areas scope units inherited from their predecessors.
    pub areas: crate::db::area::Areas,
    /// Requests of machine clients, per client.
    pub client_limiter: RateLimiter,
    /// Reads of personal data, recorded in the audit log in batches.
    pub read_log: crate::audit::store::ReadLog,
    /// Statistics answers computed since the last write.
    pub stats_cache: crate::stats::cache::AnswerCache,
}

impl AppState {
    pub fn new(db: Db, config: Config, jwt_secret: &[u8]) -> AppState {
        let window = Duration::from_secs(config.login_window_secs);
        AppState {
            login_throttle: LoginThrottle::new(config.login_max_failures_per_username, config.login_max_failures_per_address, window),
            keys: JwtKeys::new(jwt_secret),
            principals: crate::auth::principals::Principals::new(Duration::from_secs(config.principal_recheck_secs)),
            http_metrics: crate::metrics::HttpMetrics::new(),
            areas: crate::db::area::Areas::new(Duration::from_secs(config.principal_recheck_secs)),
            client_limiter: RateLimiter::new(config.client_rate_limit),
            stats_cache: crate::stats::cache::AnswerCache::new(config.stats_cache_secs),
            read_log: crate::audit::store::ReadLog::start(db.clone()),
            config: Arc::new(config),
            db,
        }
    }
}
