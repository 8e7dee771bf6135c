//! Configuration: defaults that just work, overridden by an optional TOML file, overridden by
//! `HOAGIAI_*` environment variables. A bad value stops startup with a message naming the setting.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::db::{DbUrl, SqliteSync};
use crate::files::{create_private_dir, write_private};

/// The largest JSON body accepted when nothing else is configured.
pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;
pub const DEFAULT_ATTACHMENT_LIMIT: usize = 5 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: DbUrl,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// `None` until resolved: then read from (or generated into) the data directory.
    pub jwt_secret: Option<Vec<u8>>,
    pub access_token_ttl: i64,
    pub refresh_token_ttl: i64,
    pub client_token_ttl: i64,
    pub cors_origins: Vec<String>,
    pub body_limit: usize,
    /// The largest attachment (a photo or scan of a signed paper), in bytes.
    pub attachment_limit: usize,
    pub sqlite_synchronous: SqliteSync,
    pub db_pool_size: u32,
    pub workers: usize,
    pub backup_keep: usize,
    pub trust_proxy: bool,
    pub login_max_failures_per_username: usize,
    pub login_max_failures_per_address: usize,
    pub login_window_secs: u64,
    /// Seconds a "still active / not revoked" answer about a token's principal is trusted.
    pub principal_recheck_secs: u64,
    pub log_format: LogFormat,
    /// Days between the first assignment and the start of mediation (the law's "03 ngày").
    pub case_start_deadline_days: i32,
    /// Requests a minute each machine client may make (bursts of a tenth of that).
    pub client_rate_limit: u32,
    pub stats_cache_secs: u64,
    /// The smallest count a `stats` principal is shown: a count from 1 to this − 1 (and any count
    /// that would let one be recomputed) is suppressed, so that no figure singles out a person.
    pub stats_min_cell: i64,
    /// Working days the commune has to answer a data-subject request (Decree 356/2025 as reported:
    /// 2; domain-research.md §6).
    pub subject_request_days: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Every setting: (name in the file, environment variable, default, meaning). The README's
/// configuration table is this list.
pub const SETTINGS: &[(&str, &str, &str, &str)] = &[
    (
        "database_url",
        "HOAGIAI_DATABASE_URL",
        "sqlite://<data_dir>/hoagiai.db",
        "sqlite://PATH (or a plain path) or postgres://USER@HOST/DB",
    ),
    ("bind", "HOAGIAI_BIND", "127.0.0.1:8080", "host:port to listen on"),
    ("data_dir", "HOAGIAI_DATA_DIR", "./data", "SQLite database, JWT secret, backups"),
    ("jwt_secret", "HOAGIAI_JWT_SECRET", "generated into <data_dir>/jwt-secret", "at least 32 characters; the same on every instance"),
    ("access_token_ttl", "HOAGIAI_ACCESS_TOKEN_TTL", "900", "seconds a person's access token lives"),
    ("refresh_token_ttl", "HOAGIAI_REFRESH_TOKEN_TTL", "2592000", "seconds a refresh token lives (30 days; each refresh renews it)"),
    ("client_token_ttl", "HOAGIAI_CLIENT_TOKEN_TTL", "3600", "seconds a machine client's token lives"),
    ("cors_origins", "HOAGIAI_CORS_ORIGINS", "(none: CORS off)", "comma-separated origins allowed to call the API from a browser"),
    ("body_limit", "HOAGIAI_BODY_LIMIT", "262144", "largest JSON request body, in bytes"),
    (
        "attachment_limit",
        "HOAGIAI_ATTACHMENT_LIMIT",
        "5242880",
        "largest attachment (a photo or scan of a signed document), in bytes; the phone shrinks photos well below it",
    ),
    ("sqlite_synchronous", "HOAGIAI_SQLITE_SYNCHRONOUS", "full", "full (an acknowledged write survives a power cut) or normal (faster)"),
    ("db_pool_size", "HOAGIAI_DB_POOL_SIZE", "8", "database connections"),
    ("workers", "HOAGIAI_WORKERS", "(number of cores)", "HTTP worker threads"),
    ("backup_keep", "HOAGIAI_BACKUP_KEEP", "7", "SQLite backups kept by `hoagiai backup`"),
    (
        "client_rate_limit",
        "HOAGIAI_CLIENT_RATE_LIMIT",
        "600",
        "requests a minute each machine client may make, in bursts of up to a tenth of that; then 429",
    ),
    (
        "stats_cache_secs",
        "HOAGIAI_STATS_CACHE_SECONDS",
        "30",
        "seconds a computed statistics answer may be served again while no write happened here; 0: never",
    ),
    (
        "stats_min_cell",
        "HOAGIAI_STATS_MIN_CELL",
        "3",
        "the smallest count statistics clients (`stats`) are shown; smaller ones (1 to this − 1) are suppressed; 1: none",
    ),
    (
        "subject_request_days",
        "HOAGIAI_SUBJECT_REQUEST_DAYS",
        "2",
        "working days the commune has to answer a data-subject request (Decree 356/2025/NĐ-CP as reported; public holidays counted out)",
    ),
    ("trust_proxy", "HOAGIAI_TRUST_PROXY", "false", "take the client address from X-Forwarded-For (only behind your own reverse proxy)"),
    (
        "login_max_failures_per_username",
        "HOAGIAI_LOGIN_MAX_FAILURES_PER_USERNAME",
        "5",
        "failed logins per username in the window before 429",
    ),
    (
        "login_max_failures_per_address",
        "HOAGIAI_LOGIN_MAX_FAILURES_PER_ADDRESS",
        "20",
        "failed logins per client address in the window before 429",
    ),
    ("login_window_secs", "HOAGIAI_LOGIN_WINDOW_SECS", "900", "the login throttling window, in seconds"),
    (
        "principal_recheck_secs",
        "HOAGIAI_PRINCIPAL_RECHECK_SECS",
        "15",
        "seconds after which a token's account or client is checked again for deactivation or revocation; 0: every request",
    ),
    ("log_format", "HOAGIAI_LOG_FORMAT", "text", "text or json"),
    (
        "case_start_deadline_days",
        "HOAGIAI_CASE_START_DEADLINE_DAYS",
        "3",
        "days from a mediator's assignment to the start of mediation (calendar days)",
    ),
];

#[derive(Debug)]
pub struct ConfigError(pub String);

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the file named by `HOAGIAI_CONFIG` (or `./hoagiai.toml` when it exists), then the
    /// environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        let file = std::env::var("HOAGIAI_CONFIG").ok().map(PathBuf::from).or_else(|| {
            let default = PathBuf::from("hoagiai.toml");
            default.exists().then_some(default)
        });
        let mut raw = match &file {
            Some(path) => read_file(path)?,
            None => BTreeMap::new(),
        };
        for (key, env, _, _) in SETTINGS {
            if let Ok(value) = std::env::var(env) {
                raw.insert((*key).to_string(), (value, (*env).to_string()));
            }
        }
        Config::from_raw(raw)
    }

    /// Settings from (name → (value, where it came from)); used by tests too.
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let raw = pairs.iter().map(|(k, v)| ((*k).to_string(), ((*v).to_string(), (*k).to_string()))).collect();
        Config::from_raw(raw)
    }

    fn from_raw(raw: BTreeMap<String, (String, String)>) -> Result<Config, ConfigError> {
        for key in raw.keys() {
            if !SETTINGS.iter().any(|(k, ..)| k == key) {
                return Err(ConfigError(format!("unknown setting '{key}'")));
            }
        }
        let get = |key: &str| raw.get(key).map(|(v, source)| (v.trim().to_string(), source.clone()));
        fn bad(source: &str, value: &str, why: &str) -> ConfigError {
            ConfigError(format!("{source}: '{value}' {why}"))
        }
        fn number<T>(v: Option<(String, String)>, default: T, min: T) -> Result<T, ConfigError>
        where
            T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
        {
            match v {
                None => Ok(default),
                Some((value, source)) => match value.parse::<T>() {
                    Ok(n) if n >= min => Ok(n),
                    Ok(_) => Err(bad(&source, &value, &format!("must be at least {min}"))),
                    Err(_) => Err(bad(&source, &value, "is not a whole number")),
                },
            }
        }
        fn boolean(v: Option<(String, String)>) -> Result<bool, ConfigError> {
            match v {
                None => Ok(false),
                Some((value, source)) => match value.to_ascii_lowercase().as_str() {
                    "1" | "true" | "yes" | "on" => Ok(true),
                    "0" | "false" | "no" | "off" | "" => Ok(false),
                    _ => Err(bad(&source, &value, "is not true or false")),
                },
            }
        }

        let data_dir = get("data_dir").map(|(v, _)| PathBuf::from(v)).unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = match get("database_url") {
            Some((value, source)) => DbUrl::parse(&value).map_err(|why| bad(&source, "…", &why))?,
            None => DbUrl::parse(&format!("sqlite://{}", data_dir.join("hoagiai.db").display())).map_err(ConfigError)?,
        };
        let bind = match get("bind") {
            Some((value, source)) => {
                value.parse::<SocketAddr>().map_err(|_| bad(&source, &value, "is not host:port (e.g. 127.0.0.1:8080)"))?
            }
            None => "127.0.0.1:8080".parse().expect("default bind address"),
        };
        let jwt_secret = match get("jwt_secret") {
            Some((value, source)) if value.len() < 32 => return Err(ConfigError(format!("{source}: must be at least 32 characters long"))),
            Some((value, _)) => Some(value.into_bytes()),
            None => None,
        };
        let cors_origins = get("cors_origins")
            .map(|(v, source)| {
                v.split(',')
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(|o| {
                        if o.starts_with("http://") || o.starts_with("https://") {
                            Ok(o.trim_end_matches('/').to_string())
                        } else {
                            Err(bad(&source, o, "is not an origin like https://dashboard.example"))
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        let sqlite_synchronous = match get("sqlite_synchronous") {
            None => SqliteSync::Full,
            Some((v, source)) => match v.to_ascii_lowercase().as_str() {
                "full" => SqliteSync::Full,
                "normal" => SqliteSync::Normal,
                _ => return Err(bad(&source, &v, "must be full or normal")),
            },
        };
        let log_format = match get("log_format") {
            None => LogFormat::Text,
            Some((v, source)) => match v.to_ascii_lowercase().as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => return Err(bad(&source, &v, "must be text or json")),
            },
        };
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Ok(Config {
            database_url,
            bind,
            data_dir,
            jwt_secret,
            access_token_ttl: number(get("access_token_ttl"), 900, 30)?,
            refresh_token_ttl: number(get("refresh_token_ttl"), 30 * 24 * 3600, 60)?,
            client_token_ttl: number(get("client_token_ttl"), 3600, 30)?,
            cors_origins,
            body_limit: number(get("body_limit"), DEFAULT_BODY_LIMIT, 1024)?,
            attachment_limit: number(get("attachment_limit"), DEFAULT_ATTACHMENT_LIMIT, 1024)?,
            sqlite_synchronous,
            db_pool_size: number(get("db_pool_size"), 8, 1)?,
            workers: number(get("workers"), cores, 1)?,
            backup_keep: number(get("backup_keep"), 7, 1)?,
            trust_proxy: boolean(get("trust_proxy"))?,
            login_max_failures_per_username: number(get("login_max_failures_per_username"), 5, 1)?,
            login_max_failures_per_address: number(get("login_max_failures_per_address"), 20, 1)?,
            login_window_secs: number(get("login_window_secs"), 900, 1)?,
            principal_recheck_secs: number(get("principal_recheck_secs"), 15, 0)?,
            log_format,
            case_start_deadline_days: number(get("case_start_deadline_days"), 3, 0)?,
            client_rate_limit: number(get("client_rate_limit"), 600, 1)?,
            stats_cache_secs: number(get("stats_cache_secs"), 30, 0)?,
            stats_min_cell: number(get("stats_min_cell"), 3, 1)?,
            subject_request_days: number(get("subject_request_days"), 2, 1)?,
        })
    }

    /// The JWT secret: configured, or read from the data directory, or generated there (0600) on
    /// first run so tokens survive a restart.
    pub fn resolve_jwt_secret(&mut self) -> Result<Vec<u8>, ConfigError> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(secret.clone());
        }
        let path = self.data_dir.join("jwt-secret");
        let secret = if path.exists() {
            let s = std::fs::read_to_string(&path).map_err(|e| ConfigError(format!("cannot read {}: {e}", path.display())))?;
            let s = s.trim().to_string();
            if s.len() < 32 {
                return Err(ConfigError(format!("{}: the secret must be at least 32 characters long", path.display())));
            }
            s
        } else {
            create_private_dir(&self.data_dir)
                .map_err(|e| ConfigError(format!("HOAGIAI_DATA_DIR: cannot create {}: {e}", self.data_dir.display())))?;
            let s = crate::auth::password::random_secret(48);
            write_private(&path, &s).map_err(|e| ConfigError(format!("cannot write {}: {e}", path.display())))?;
            s
        };
        self.jwt_secret = Some(secret.clone().into_bytes());
        Ok(secret.into_bytes())
    }
}

fn read_file(path: &Path) -> Result<BTreeMap<String, (String, String)>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError(format!("HOAGIAI_CONFIG: cannot read {}: {e}", path.display())))?;
    let table: toml::Table = text.parse().map_err(|e| ConfigError(format!("{}: {e}", path.display())))?;
    let mut out = BTreeMap::new();
    for (key, value) in table {
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Array(items) => {
                items.iter().map(|v| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())).collect::<Vec<_>>().join(",")
            }
            other => other.to_string(),
        };
        let source = format!("{} ({key})", path.display());
        out.insert(key, (value, source));
    }
    Ok(out)
}
