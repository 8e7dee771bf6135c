//! The `hoagiai` command line: serve (the default), migrate, openapi, admin, units, backup.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::app::Shared;
use crate::config::{Config, LogFormat};
use crate::db::{migrations, Db};
use crate::state::AppState;

#[derive(Parser)]
#[command(name = "hoagiai", version, about = "The system of record for grassroots mediation (hòa giải ở cơ sở)")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the server (the default). Migrations are applied first.
    Serve {
        /// Seed the demo commune (Hải Hưng, Hải Phòng; before 1 July 2025 Đoàn Kết, Thanh Miện, Hải
        /// Dương) on first run and print its logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Manage administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Manage administrative units.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Statistics maintenance.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Write a consistent copy of the SQLite database into <data_dir>/backups, keeping the newest N.
    Backup {
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long)]
        keep: Option<usize>,
    },
}

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create an administrator. The password is read from standard input when it is piped (and
    /// refused when it is easy to guess); otherwise one is generated and printed once.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long, default_value = "Quản trị hệ thống")]
        display_name: String,
    },
}

#[derive(Subcommand)]
pub enum StatsCommand {
    /// Recompute the statistics counters from the cases, and the columns kept as copies of others
    /// (a case's received and ended year and month, its folded summary; a party's folded name and
    /// its case's team), and report every difference (exit 1 if any); check that the country and
    /// each province equal the sum of their children under today's boundaries. With --fix,
    /// rebuild the counters and set the copies from their sources.
    Check {
        #[arg(long)]
        fix: bool,
    },
}

#[derive(Subcommand)]
pub enum UnitsCommand {
    /// Import units from a CSV file with the columns code,name,level,parent_code
    /// (optional: valid_from, ethnic_minority_area), or with --official the official units shipped
    /// in the binary: the tree before the 2025 reform, the tree from 2025-07-01 and the
    /// successions between them (see docs/units.md).
    Import {
        /// A CSV file of units (e.g. a commune's villages).
        #[arg(required_unless_present = "official", conflicts_with = "official")]
        file: Option<PathBuf>,
        /// The official provinces, districts and communes shipped in the binary, before and after
        /// the reform, with the successions between them.
        #[arg(long)]
        official: bool,
        /// With --official: only these provinces (codes, old or new; repeat or separate with commas).
        #[arg(long, value_delimiter = ',', requires = "official")]
        province: Vec<String>,
    },
}

/// Logs to stderr (text or flat JSON lines) and, when a collector is configured and the build has
/// the `otlp` feature, exports the spans to it (`telemetry`). The guard flushes the export at exit.
fn init_logging(format: LogFormat) -> Option<crate::telemetry::Guard> {
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let filter = tracing_subscriber::EnvFilter::try_from_env("HOAGIAI_LOG").unwrap_or_else(|_| "info,actix_server=warn".into());
    // Colours only on a terminal: files and journald get plain text.
    let text = tracing_subscriber::fmt::layer().with_target(false).with_ansi(std::io::stderr().is_terminal()).with_writer(std::io::stderr);
    #[cfg(feature = "otlp")]
    let (tracer, guard, failed) = match crate::telemetry::tracer() {
        Ok(Some((tracer, guard))) => (Some(tracer), Some(guard), None),
        Ok(None) => (None, None, None),
        Err(e) => (None, None, Some(e)),
    };
    #[cfg(not(feature = "otlp"))]
    let (guard, tracer) = (None, None::<()>);
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match format {
        // One flat object per line: the event's fields beside the time and level, not under `fields`.
        LogFormat::Json => registry.with(text.json().flatten_event(true)).with(export_layer(&tracer)).try_init(),
        LogFormat::Text => registry.with(text).with(export_layer(&tracer)).try_init(),
    };
    #[cfg(feature = "otlp")]
    if let Some(e) = failed {
        tracing::error!(error = %e, "spans are not exported");
    }
    #[cfg(not(feature = "otlp"))]
    if let Some(endpoint) = crate::telemetry::configured_endpoint() {
        tracing::warn!(%endpoint, "an OTLP collector is configured, but this build cannot export to it: build with --features otlp");
    }
    guard
}

/// The layer that hands spans to the exporter (generic: each log format stacks it on its own).
#[cfg(feature = "otlp")]
fn export_layer<S>(
    tracer: &Option<opentelemetry_sdk::trace::Tracer>,
) -> Option<tracing_opentelemetry::OpenTelemetryLayer<S, opentelemetry_sdk::trace::Tracer>>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    tracer.clone().map(|t| tracing_opentelemetry::layer().with_tracer(t))
}

#[cfg(not(feature = "otlp"))]
fn export_layer(_: &Option<()>) -> Option<tracing_subscriber::layer::Identity> {
    None
}

fn open_db(config: &Config) -> Result<Db, String> {
    let db = Db::connect(config.database_url.clone(), config.sqlite_synchronous, config.db_pool_size)?;
    let mut conn = db.get().map_err(|_| format!("cannot connect to {}", config.database_url.display()))?;
    let applied = migrations::run_pending(&mut conn)?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied database migrations");
    }
    crate::stats::fill_empty_rollups(&mut conn)?;
    drop(conn);
    Ok(db)
}

pub fn run(cli: Cli) -> Result<(), String> {
    let command = cli.command.unwrap_or(Command::Serve { demo: false });
    if let Command::Openapi { output } = &command {
        let text = serde_json::to_string_pretty(&crate::app::openapi_json()).map_err(|e| e.to_string())? + "\n";
        return match output {
            Some(path) => std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display())),
            None => {
                print!("{text}");
                Ok(())
            }
        };
    }
    let config = Config::from_env().map_err(|e| e.to_string())?;
    let _export = init_logging(config.log_format);
    match command {
        Command::Serve { demo } => serve(config, demo),
        Command::Migrate => {
            open_db(&config)?;
            println!("migrations applied: {}", config.database_url.display());
            Ok(())
        }
        Command::Openapi { .. } => unreachable!("handled above"),
        Command::Admin { command: AdminCommand::Create { username, display_name } } => {
            let db = open_db(&config)?;
            let piped = !std::io::stdin().is_terminal();
            // A piped password is used as given; nothing piped (a terminal, or empty input from
            // cron or /dev/null) means: generate one.
            let password = if piped {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).map_err(|e| e.to_string())?;
                Some(s.trim_end_matches(['\r', '\n']).to_string()).filter(|p| !p.is_empty())
            } else {
                None
            };
            let (user, generated) = create_admin(&db, &username, &display_name, password)?;
            println!("created administrator '{user}' in {}", db.url.display());
            if let Some(p) = generated {
                println!("password (shown once): {p}");
            }
            Ok(())
        }
        Command::Units { command: UnitsCommand::Import { official: true, province, .. } } => {
            use crate::units::official::{self, Filter};
            let db = open_db(&config)?;
            let mut conn = db.get().map_err(|_| "cannot open the database".to_string())?;
            let codes: Vec<&str> = province.iter().map(String::as_str).collect();
            let filter = if codes.is_empty() { Filter::all() } else { Filter::provinces(&codes) };
            let started = std::time::Instant::now();
            let r = crate::db::write_transaction(&mut conn, |c| official::import(c, &filter))
                .map_err(|e| e.detail.map(|d| d.en).unwrap_or_else(|| e.code.to_string()))?;
            println!(
                "official units imported in {:.1} s: {} new, {} already present; successions: {} new, {} already present{}",
                started.elapsed().as_secs_f64(),
                r.units_created,
                r.units_present,
                r.successions_created,
                r.successions_present,
                if r.successions_skipped > 0 {
                    format!(", {} leading outside the provinces chosen (not imported)", r.successions_skipped)
                } else {
                    String::new()
                }
            );
            Ok(())
        }
        Command::Units { command: UnitsCommand::Import { file, .. } } => {
            let file = file.ok_or("name a CSV file, or give --official")?;
            let db = open_db(&config)?;
            let reader = std::fs::File::open(&file).map_err(|e| format!("cannot open {}: {e}", file.display()))?;
            let mut conn = db.get().map_err(|_| "cannot open the database".to_string())?;
            let report = crate::units::import::import(&mut conn, reader)?;
            println!("units imported: {} new, {} already present", report.created, report.existing);
            Ok(())
        }
        Command::Stats { command: StatsCommand::Check { fix } } => {
            let db = open_db(&config)?;
            let mut conn = db.get().map_err(|_| "cannot open the database".to_string())?;
            let counters = crate::stats::counters::check(&mut conn).map_err(|e| e.to_string())?;
            // The columns kept as copies of others for the look-ups (`cases::copies`).
            let copies = crate::cases::copies::check(&mut conn).map_err(|e| e.to_string())?;
            for d in counters.iter().chain(&copies) {
                println!("{d}");
            }
            // Parents equal the sum of their children under today's boundaries (no fix: a
            // difference means a split predecessor waits for a manual mapping).
            let sums = crate::stats::boundaries::check(&mut conn).map_err(|e| e.to_string())?;
            for d in &sums {
                println!("{d}");
            }
            if counters.is_empty() && copies.is_empty() && sums.is_empty() {
                println!(
                    "statistics counters agree with the cases and the roster; the cases' and parties' copied columns with their sources; \
                     every province equals the sum of its communes"
                );
                return Ok(());
            }
            if counters.is_empty() && copies.is_empty() {
                return Err(format!("{} parent(s) differ from the sum of their children under today's boundaries", sums.len()));
            }
            if fix {
                let (cases, teams, rows) = crate::db::write_transaction(&mut conn, |c| {
                    let rebuilt =
                        if counters.is_empty() { (0, 0) } else { (crate::stats::counters::rebuild(c)?, crate::stats::roster::rebuild(c)?) };
                    Ok::<_, crate::error::ApiError>((rebuilt.0, rebuilt.1, crate::cases::copies::rebuild(c)?))
                })
                .map_err(|e| e.to_string())?;
                if !counters.is_empty() {
                    println!("rebuilt the counters from {cases} cases and {teams} teams");
                }
                if !copies.is_empty() {
                    println!("set the copied columns of {rows} case and party rows from their sources");
                }
                if !sums.is_empty() {
                    return Err(format!("{} parent(s) differ from the sum of their children under today's boundaries", sums.len()));
                }
                return Ok(());
            }
            Err(format!(
                "{} counter(s) differ from the cases or the roster, {} row(s) hold copies that differ from their sources; \
                 run `hoagiai stats check --fix` to rebuild them",
                counters.len(),
                copies.len()
            ))
        }
        Command::Backup { dir, keep } => {
            let db = open_db(&config)?;
            let dir = dir.unwrap_or_else(|| config.data_dir.join("backups"));
            let path = crate::backup::sqlite_backup(&db, &dir, keep.unwrap_or(config.backup_keep))?;
            println!("backup written: {}", path.display());
            Ok(())
        }
    }
}

/// Creates an administrator with national scope; returns its username and the generated password.
pub fn create_admin(db: &Db, username: &str, display_name: &str, password: Option<String>) -> Result<(String, Option<String>), String> {
    use crate::auth::{Actor, Role};
    let system = Actor::system();
    let input = crate::users::dto::CreateUser {
        id: None,
        username: username.into(),
        display_name: display_name.into(),
        phone: None,
        role: Role::Admin,
        unit_id: None,
        password,
        mediator_id: None,
    };
    validator::Validate::validate(&input).map_err(|e| problem_text(&crate::error::ApiError::from(e)))?;
    let mut input = input;
    let new = crate::users::rules::new_password("password", input.password.take(), username, display_name).map_err(|e| problem_text(&e))?;
    let mut conn = db.get().map_err(|_| "cannot open the database".to_string())?;
    let (user, generated, _) =
        crate::db::write_transaction(&mut conn, |c| crate::users::store::create(c, &system, input, new)).map_err(|e| problem_text(&e))?;
    Ok((user.username, generated))
}

/// A problem for the terminal, in English: each field at fault with its sentence, or the title.
fn problem_text(e: &crate::error::ApiError) -> String {
    if e.errors.is_empty() {
        return crate::error::title(e.code, e.status, crate::error::Lang::En).to_string();
    }
    let fields: Vec<String> = e
        .errors
        .iter()
        .map(|f| format!("{}: {}", f.field, crate::error::field_message(&f.code, &f.params, crate::error::Lang::En)))
        .collect();
    fields.join("; ")
}

fn serve(mut config: Config, demo: bool) -> Result<(), String> {
    let secret = config.resolve_jwt_secret().map_err(|e| e.to_string())?;
    let db = open_db(&config)?;
    let logins_file = crate::demo::logins_file(&config.data_dir);
    let logins = if demo {
        let mut conn = db.get().map_err(|_| "cannot open the database".to_string())?;
        Some(crate::demo::seed(&mut conn, &config.data_dir)?)
    } else {
        None
    };
    let bind = config.bind;
    let workers = config.workers;
    let blocking_threads = (config.db_pool_size as usize * 2).max(4);
    let data = db.url.display();
    let shared = Shared::new(AppState::new(db.clone(), config, &secret));
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        // Forget idempotency keys older than a day, and fill the years that are over, hourly.
        actix_web::rt::spawn(async move {
            let mut every_hour = actix_web::rt::time::interval(std::time::Duration::from_secs(3600));
            loop {
                every_hour.tick().await;
                if let Err(e) = db.run(crate::idempotency::store::purge_expired).await {
                    tracing::warn!(code = e.code, "could not purge old idempotency keys");
                }
                // A year that has just ended gets its yearly statistics rows within the hour.
                if let Err(e) = db.run(crate::stats::fill_past_years).await {
                    tracing::warn!(code = e.code, "could not fill the yearly statistics rollups");
                }
            }
        });
        let server = actix_web::HttpServer::new(move || crate::app::build(&shared))
            .workers(workers)
            // Blocking database work waits for a connection anyway: a few threads per worker do,
            // and each idle thread would only cost memory.
            .worker_max_blocking_threads(blocking_threads)
            .shutdown_timeout(10)
            .bind(bind)
            .map_err(|e| format!("HOAGIAI_BIND: cannot listen on {bind}: {e}"))?;
        let url = format!("http://{bind}");
        tracing::info!("hoagiai {} listening on {url} — API docs {url}/docs — data: {data}", env!("CARGO_PKG_VERSION"));
        if cfg!(feature = "bench-without-counter-upkeep") {
            tracing::warn!("built with bench-without-counter-upkeep: case writes skip the statistics counters; for bench/run only");
        }
        if let Some(logins) = logins {
            println!(
                "\nDemo: Xã Hải Hưng, Thành phố Hải Phòng — formed on 1 July 2025 from Đoàn Kết, Ngô Quyền and Tân Trào \
                 (Thanh Miện, Hải Dương), whose records it carries on.\n\
                 \n  the phone client  {url}/   (a phone-sized window; sign in as totruong.hoiyen)\
                 \n  the API and docs  {url}/docs\
                 \n  these logins      {}\n",
                logins_file.display()
            );
            for l in logins {
                println!("  {:<36} {:<20} {:<12} {}", l.username, l.password, l.role.as_str(), l.where_);
            }
            println!("\nThe people sign in on the client (or POST {url}/api/v1/auth/login); the machine client takes a token at POST {url}/api/v1/auth/token.\n");
        }
        server.run().await.map_err(|e| e.to_string())
    })
}
