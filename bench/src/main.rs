//! `hoagiai-bench`: seeds a province-sized hoagiai database for the load benchmark (`bench/run`).
//!
//! A province › communes › villages, one mediation team per village with 5–8 mediators, a team
//! leader account linked to its mediator record per team, an officer account per commune, and
//! cases spread over the last two years in every state, with their parties, assignments,
//! sessions, ends, written agreements, follow-ups and audit rows — the rows the API itself would
//! have written, inserted directly in large transactions with multi-row inserts.
//!
//! It also writes the fixtures the load generator needs: the sampled team leaders with their
//! team, and the sampled officers with case ids of their commune.

mod names;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use clap::Parser;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use hoagiai::audit::store::AuditRow;
use hoagiai::cases::model::{Assignment, Case, FollowUp, Party, Session};
use hoagiai::db::schema::{
    audit_log, case_assignments, case_follow_ups, case_parties, case_rollups, case_sessions, cases, mediators, memberships, teams, units,
    users,
};
use hoagiai::db::{DbConn, DbUrl, SqliteSync};
use hoagiai::mediators::model::{Mediator, Membership};
use hoagiai::teams::model::Team;
use hoagiai::text::fold;
use hoagiai::units::model::Unit;
use hoagiai::users::model::User;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::json;

#[derive(Parser)]
#[command(name = "hoagiai-bench", about = "Seeds a province-sized hoagiai database for bench/run")]
struct Args {
    /// sqlite://PATH or postgres://USER@HOST/DB; the database must be empty (it is migrated here).
    #[arg(long, env = "HOAGIAI_DATABASE_URL")]
    database_url: String,
    /// Cases over the whole province.
    #[arg(long, default_value_t = 200_000)]
    cases: usize,
    /// Mediation teams (one per village).
    #[arg(long, default_value_t = 2_000)]
    teams: usize,
    /// Villages (and so teams) per commune: 2,000 teams make about 100 communes.
    #[arg(long, default_value_t = 20)]
    teams_per_commune: usize,
    /// Provinces the communes are spread over (34 for the whole country after the 2025 reform).
    #[arg(long, default_value_t = 1)]
    provinces: usize,
    /// Days back from today over which cases were received.
    #[arg(long, default_value_t = 730)]
    days: i64,
    /// The password of every account (hashed once).
    #[arg(long, env = "BENCH_PASSWORD")]
    password: String,
    /// Folder for the fixtures: leaders.tsv and officers.tsv.
    #[arg(long)]
    fixtures: PathBuf,
    /// How many team leaders (of distinct teams) and officers (of distinct communes) to sample.
    #[arg(long, default_value_t = 64)]
    sample: usize,
    /// Case ids written per sampled officer.
    #[arg(long, default_value_t = 200)]
    ids_per_officer: usize,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Afterwards, check the statistics counters against the cases (as `hoagiai stats check` does).
    #[arg(long)]
    check: bool,
    /// Afterwards, time this many case creates (each rolled back) against the counter upkeep
    /// alone for the same cases (rolled back too), and print the upkeep's share.
    #[arg(long, default_value_t = 0)]
    upkeep_sample: usize,
}

type Res<T> = Result<T, String>;

fn db_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Rows per multi-row statement: under SQLite's and PostgreSQL's bind limits for every table here.
const ROWS_PER_STATEMENT: usize = 500;
/// Cases written per transaction.
const CASES_PER_TRANSACTION: usize = 20_000;

/// Inserts `rows` with multi-row statements on the concrete connection (the connection enum cannot
/// express a multi-row insert; each backend can).
macro_rules! insert_all {
    ($conn:expr, $table:path, $rows:expr) => {{
        for chunk in $rows.chunks(ROWS_PER_STATEMENT) {
            hoagiai::dispatch!(&mut *$conn, |c| diesel::insert_into($table).values(chunk).execute(c)).map_err(db_err)?;
        }
    }};
}

fn in_transaction<T>(conn: &mut DbConn, f: impl FnOnce(&mut DbConn) -> Res<T>) -> Res<T> {
    let mut out = None;
    let result = conn.transaction::<_, diesel::result::Error, _>(|c| match f(c) {
        Ok(v) => {
            out = Some(v);
            Ok(())
        }
        Err(e) => {
            eprintln!("seeding failed: {e}");
            Err(diesel::result::Error::RollbackTransaction)
        }
    });
    result.map_err(db_err)?;
    out.ok_or_else(|| "rolled back".to_string())
}

/// A UUIDv7 for an instant: ids sort by creation, as the API's own ids do.
fn id_at<R: Rng>(rng: &mut R, at: NaiveDateTime) -> String {
    let millis = at.and_utc().timestamp_millis().max(0) as u64;
    let bytes: [u8; 10] = rng.random();
    uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid().to_string()
}

/// The date in Vietnam (UTC+7) of a stored UTC timestamp: the date of the commune's book.
fn vietnam_date(t: NaiveDateTime) -> NaiveDate {
    (t + Duration::hours(7)).date()
}

fn request_id<R: Rng>(rng: &mut R) -> String {
    uuid::Builder::from_random_bytes(rng.random()).into_uuid().to_string()
}

/// A moment in office hours (07:00–17:30 in Vietnam, UTC+7) of `day`, as the UTC timestamp the API stores.
fn at<R: Rng>(rng: &mut R, day: NaiveDate, not_before: Option<NaiveDateTime>, now: NaiveDateTime) -> NaiveDateTime {
    let t = day.and_hms_opt(0, 0, 0).expect("midnight")
        + Duration::seconds(rng.random_range(0..37_800))
        + Duration::microseconds(rng.random_range(0..1_000_000));
    let t = match not_before {
        Some(earlier) => t.max(earlier + Duration::seconds(rng.random_range(60..3_600))),
        None => t,
    };
    t.min(now)
}

struct TeamInfo {
    id: String,
    unit_id: String,
    unit_path: String,
    village: String,
    commune: usize,
    minority: bool,
    leader_user: String,
    leader_username: String,
    members: Vec<(String, String)>,
    weight: f64,
}

struct Province {
    teams: Vec<TeamInfo>,
    /// (officer username, commune name) per commune.
    officers: Vec<(String, String)>,
    communes: Vec<String>,
    commune_ids: Vec<String>,
    province_ids: Vec<String>,
}

fn main() {
    let args = Args::parse();
    if let Err(e) = run(&args) {
        eprintln!("hoagiai-bench: {e}");
        std::process::exit(1);
    }
}

fn run(args: &Args) -> Res<()> {
    if args.teams == 0 || args.teams_per_commune == 0 || args.days < 30 {
        return Err("--teams and --teams-per-commune must be positive and --days at least 30".into());
    }
    let url = DbUrl::parse(&args.database_url)?;
    let mut conn = hoagiai::db::establish(&url, SqliteSync::Normal).map_err(db_err)?;
    hoagiai::db::migrations::run_pending(&mut conn)?;
    // Seeding is a bulk load: durability per commit does not matter, the run's final state does.
    hoagiai::dispatch!(&mut conn, |c| match url.backend {
        hoagiai::db::Backend::Sqlite => c.batch_execute("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"),
        hoagiai::db::Backend::Postgres => c.batch_execute("SET synchronous_commit = off;"),
    })
    .map_err(db_err)?;
    let existing: i64 = units::table.count().get_result(&mut conn).map_err(db_err)?;
    if existing > 0 {
        return Err(format!("{} is not empty: seed a fresh database", url.display()));
    }
    let mut rng = StdRng::seed_from_u64(args.seed);
    let started = Instant::now();
    let province = in_transaction(&mut conn, |c| seed_province(c, args, &mut rng))?;
    eprintln!(
        "seeded {} communes, {} teams with their mediators and accounts in {:.1}s",
        province.communes.len(),
        province.teams.len(),
        started.elapsed().as_secs_f64()
    );
    let commune_cases = seed_cases(&mut conn, args, &mut rng, &province)?;
    // The roster rollups from the seeded teams and memberships, as the server fills them.
    let t = Instant::now();
    in_transaction(&mut conn, |c| hoagiai::stats::roster::rebuild(c).map_err(|e| format!("roster rollups: {}", e.code)))?;
    eprintln!("roster rollups filled in {:.1}s", t.elapsed().as_secs_f64());
    if url.backend == hoagiai::db::Backend::Postgres {
        // What autovacuum would do shortly after a bulk load anyway: current planner statistics.
        hoagiai::dispatch!(&mut conn, |c| c.batch_execute("ANALYZE")).map_err(db_err)?;
    }
    if args.check {
        let differences = hoagiai::stats::counters::check(&mut conn).map_err(|e| format!("counter check failed: {}", e.code))?;
        if !differences.is_empty() {
            return Err(format!("{} counters differ from the cases, e.g. {}", differences.len(), differences[0]));
        }
        let copies = hoagiai::cases::copies::check(&mut conn).map_err(|e| format!("copies check failed: {}", e.code))?;
        if !copies.is_empty() {
            return Err(format!("{} rows hold copied columns that differ from their sources, e.g. {}", copies.len(), copies[0]));
        }
        eprintln!("counters checked: they agree with the cases; so do the cases' and parties' copied columns");
    }
    write_fixtures(args, &mut rng, &province, &commune_cases)?;
    eprintln!("seeding done in {:.1}s", started.elapsed().as_secs_f64());
    if args.upkeep_sample > 0 {
        measure_upkeep(&mut conn, args, &mut rng, &province)?;
    }
    Ok(())
}

fn unit(id: String, code: Option<String>, name: String, level: &str, parent: Option<&Unit>, ethnic: bool, stamp: NaiveDateTime) -> Unit {
    let path = hoagiai::units::rules::child_path(parent.map(|p| p.path.as_str()), &id);
    Unit {
        search_key: fold(&name),
        depth: parent.map_or(0, |p| p.depth + 1),
        parent_id: parent.map(|p| p.id.clone()),
        path,
        id,
        code,
        name,
        level: level.into(),
        ethnic_minority_area: ethnic,
        valid_from: NaiveDate::from_ymd_opt(2000, 1, 1).expect("date"),
        valid_to: None,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
    }
}

#[allow(clippy::too_many_arguments)]
fn audit(
    rng: &mut StdRng,
    at: NaiveDateTime,
    actor: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: &str,
    path: &str,
    new: serde_json::Value,
) -> AuditRow {
    AuditRow {
        id: id_at(rng, at),
        at,
        actor_kind: if actor.is_some() { "user" } else { "system" }.into(),
        actor_id: actor.map(str::to_string),
        action: action.into(),
        entity: entity.into(),
        entity_id: entity_id.into(),
        request_id: actor.map(|_| request_id(rng)),
        // As the API keeps them (`audit::store::kept_values`).
        old_values: None,
        new_values: hoagiai::audit::store::kept_values(None, Some(new)).1,
        unit_id: hoagiai::units::rules::own_id(path).map(str::to_string),
    }
}

/// The province, its communes and villages, the teams, mediators, memberships and accounts.
fn seed_province(conn: &mut DbConn, args: &Args, rng: &mut StdRng) -> Res<Province> {
    let password_hash = hoagiai::auth::password::hash(&args.password);
    let setup = hoagiai::db::now() - Duration::days(args.days + 30);
    let n_communes = args.teams.div_ceil(args.teams_per_commune);
    let commune_names = names::place_names(rng, n_communes);
    let village_words = names::place_names(rng, 64);

    let mut unit_rows = Vec::new();
    let mut audits = Vec::new();
    let province_names = names::place_names(rng, args.provinces.max(1));
    let provinces: Vec<Unit> = (0..args.provinces.max(1))
        .map(|pi| {
            let name = if args.provinces <= 1 { "Tỉnh Hưng Yên".to_string() } else { format!("Tỉnh {}", province_names[pi]) };
            unit(id_at(rng, setup), Some(format!("{:02}", 1 + pi)), name, "province", None, false, setup)
        })
        .collect();
    unit_rows.extend(provinces.iter().cloned());
    let mut team_rows = Vec::new();
    let mut mediator_rows = Vec::new();
    let mut membership_rows = Vec::new();
    let mut user_rows = Vec::new();
    let mut infos = Vec::new();
    let mut officers = Vec::new();
    let mut communes = Vec::new();
    let mut commune_ids = Vec::new();
    for (ci, cname) in commune_names.iter().enumerate() {
        let name = format!("Xã {cname}");
        let province = &provinces[ci % provinces.len()];
        let commune = unit(id_at(rng, setup), Some(format!("{}", 12_001 + ci)), name.clone(), "commune", Some(province), false, setup);
        let female = rng.random_bool(0.6);
        let officer_name = names::person(rng, female, false);
        let username = format!("canbo.xa{:03}", ci + 1);
        user_rows.push(user(
            rng,
            &username,
            &format!("{officer_name} (công chức Tư pháp – Hộ tịch)"),
            "officer",
            &commune,
            None,
            &password_hash,
            setup,
        ));
        officers.push((username, name.clone()));
        communes.push(name.clone());
        commune_ids.push(commune.id.clone());
        let villages = args.teams_per_commune.min(args.teams - ci * args.teams_per_commune);
        let hills = rng.random_bool(0.15);
        for vi in 0..villages {
            let minority = hills && rng.random_bool(0.7);
            let vname = names::village_name(vi, minority, &village_words);
            let village = unit(id_at(rng, setup), None, vname.clone(), "village", Some(&commune), minority, setup);
            let founded = NaiveDate::from_ymd_opt(rng.random_range(2010..2020), rng.random_range(1..=12), 1).expect("date");
            // "Thôn Tân Phong" → "Tổ hòa giải thôn Tân Phong".
            let team_name = match vname.split_once(' ') {
                Some((kind, rest)) => format!("Tổ hòa giải {} {rest}", kind.to_lowercase()),
                None => format!("Tổ hòa giải {vname}"),
            };
            let team = Team {
                id: id_at(rng, setup),
                search_key: fold(&team_name),
                name: team_name,
                unit_id: village.id.clone(),
                unit_path: village.path.clone(),
                founded_on: founded,
                dissolved_on: None,
                notes: None,
                version: 1,
                created_at: setup,
                updated_at: setup,
            };
            audits.push(audit(
                rng,
                setup,
                None,
                "create",
                "team",
                &team.id,
                &team.unit_path,
                json!({"name": team.name, "unit_id": team.unit_id}),
            ));
            let size = rng.random_range(5..=8);
            let mut members = Vec::new();
            let mut leader_mediator = String::new();
            for mi in 0..size {
                // At least one woman per team, as the law asks; about half are women.
                let female = mi == 1 || rng.random_bool(0.45);
                let full_name = names::person(rng, female, minority);
                let m = Mediator {
                    id: id_at(rng, setup),
                    search_key: fold(&full_name),
                    full_name: full_name.clone(),
                    sex: if female { "female" } else { "male" }.into(),
                    birth_year: Some(rng.random_range(1950..1995)),
                    ethnic_minority: minority,
                    unit_id: village.id.clone(),
                    unit_path: village.path.clone(),
                    phone: rng.random_bool(0.7).then(|| format!("09{}{:07}", rng.random_range(1..10), rng.random_range(0..10_000_000))),
                    legal_training: ["none", "basic", "basic", "basic", "degree"].choose(rng).expect("choice").to_string(),
                    occupation: Some(names::OCCUPATIONS.choose(rng).expect("choice").to_string()),
                    version: 1,
                    created_at: setup,
                    updated_at: setup,
                };
                let from = founded.max(NaiveDate::from_ymd_opt(2020, 1, 1).expect("date")) + Duration::days(rng.random_range(0..300));
                membership_rows.push(Membership {
                    id: id_at(rng, setup),
                    mediator_id: m.id.clone(),
                    team_id: team.id.clone(),
                    role: if mi == 0 { "leader" } else { "member" }.into(),
                    recognition_decision: Some(format!("{}/QĐ-UBND", rng.random_range(1..300))),
                    recognition_date: Some(from),
                    from_date: from,
                    to_date: None,
                    end_reason: None,
                    end_decision: None,
                    end_decision_date: None,
                    version: 1,
                    created_at: setup,
                    updated_at: setup,
                    removal_requested_by: None,
                    removal_requested_on: None,
                    removal_reason: None,
                });
                audits.push(audit(
                    rng,
                    setup,
                    None,
                    "create",
                    "mediator",
                    &m.id,
                    &m.unit_path,
                    json!({"full_name": m.full_name, "unit_id": m.unit_id}),
                ));
                if mi == 0 {
                    leader_mediator = m.id.clone();
                }
                members.push((m.id.clone(), full_name));
                mediator_rows.push(m);
            }
            let ti = infos.len();
            let username = format!("totruong.{:04}", ti + 1);
            let leader = user(
                rng,
                &username,
                &format!("{} (tổ trưởng)", members[0].1),
                "team_leader",
                &village,
                Some(&leader_mediator),
                &password_hash,
                setup,
            );
            infos.push(TeamInfo {
                id: team.id.clone(),
                unit_id: village.id.clone(),
                unit_path: village.path.clone(),
                village: format!("{vname}, {name}"),
                commune: ci,
                minority,
                leader_user: leader.id.clone(),
                leader_username: username,
                members,
                // Some teams are much busier than others.
                weight: 0.3 + rng.random::<f64>().powi(2) * 2.0,
            });
            user_rows.push(leader);
            team_rows.push(team);
            unit_rows.push(village);
        }
        unit_rows.push(commune);
    }
    // A national administrator, for the statistics scenarios (national scope).
    let mut admin = user(rng, "bench.admin", "Quản trị hệ thống", "admin", &provinces[0], None, &password_hash, setup);
    admin.unit_id = None;
    admin.unit_path = None;
    user_rows.push(admin);
    for u in &unit_rows {
        audits.push(audit(rng, setup, None, "create", "unit", &u.id, &u.path, json!({"name": u.name, "level": u.level})));
    }
    for u in &user_rows {
        let path = u.unit_path.clone().unwrap_or_default();
        audits.push(audit(rng, setup, None, "create", "user", &u.id, &path, json!({"username": u.username, "role": u.role})));
    }
    // Parents before children (the foreign key on parent_id).
    unit_rows.sort_by_key(|u| u.depth);
    insert_all!(conn, units::table, unit_rows);
    insert_all!(conn, teams::table, team_rows);
    insert_all!(conn, mediators::table, mediator_rows);
    insert_all!(conn, memberships::table, membership_rows);
    insert_all!(conn, users::table, user_rows);
    insert_all!(conn, audit_log::table, audits);
    let province_ids = provinces.iter().map(|p| p.id.clone()).collect();
    Ok(Province { teams: infos, officers, communes, commune_ids, province_ids })
}

#[allow(clippy::too_many_arguments)]
fn user(
    rng: &mut StdRng,
    username: &str,
    display_name: &str,
    role: &str,
    unit: &Unit,
    mediator: Option<&str>,
    password_hash: &str,
    stamp: NaiveDateTime,
) -> User {
    User {
        id: id_at(rng, stamp),
        username: username.into(),
        display_name: display_name.into(),
        search_key: fold(&format!("{username} {display_name}")),
        phone: None,
        role: role.into(),
        unit_id: Some(unit.id.clone()),
        unit_path: Some(unit.path.clone()),
        password_hash: password_hash.into(),
        active: true,
        version: 1,
        created_at: stamp,
        updated_at: stamp,
        password_changed_at: stamp,
        mediator_id: mediator.map(str::to_string),
    }
}

#[derive(Default)]
struct Batch {
    cases: Vec<Case>,
    parties: Vec<Party>,
    assignments: Vec<Assignment>,
    sessions: Vec<Session>,
    follow_ups: Vec<FollowUp>,
    audits: Vec<AuditRow>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Received,
    InProgress,
    Successful,
    Unsuccessful,
    OutOfScope,
}

fn target_status(rng: &mut StdRng, age: i64) -> Target {
    let weights: [f64; 5] = match age {
        0..3 => [0.6, 0.4, 0.0, 0.0, 0.0],
        3..30 => [0.10, 0.40, 0.37, 0.10, 0.03],
        _ => [0.005, 0.025, 0.77, 0.16, 0.04],
    };
    let mut r: f64 = rng.random();
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return [Target::Received, Target::InProgress, Target::Successful, Target::Unsuccessful, Target::OutOfScope][i];
        }
        r -= w;
    }
    Target::Successful
}

/// Every case: received moments spread over the period, each in a team chosen by its activity,
/// written oldest first so that log book lines follow the dates, as they would have.
fn seed_cases(conn: &mut DbConn, args: &Args, rng: &mut StdRng, province: &Province) -> Res<Vec<Vec<String>>> {
    let started = Instant::now();
    let today = hoagiai::db::today();
    let now = hoagiai::db::now();
    let total_weight: f64 = province.teams.iter().map(|t| t.weight).sum();
    let mut cumulative = Vec::with_capacity(province.teams.len());
    let mut acc = 0.0;
    for t in &province.teams {
        acc += t.weight / total_weight;
        cumulative.push(acc);
    }
    let mut skeleton: Vec<(NaiveDateTime, u32)> = (0..args.cases)
        .map(|_| {
            let day = today - Duration::days(rng.random_range(0..args.days));
            let when = at(rng, day, None, now);
            let r: f64 = rng.random();
            let team = cumulative.partition_point(|c| *c < r).min(province.teams.len() - 1);
            (when, team as u32)
        })
        .collect();
    skeleton.sort_unstable();
    let mut lines: HashMap<(u32, i32), i32> = HashMap::new();
    let mut commune_cases: Vec<Vec<String>> = vec![Vec::new(); province.communes.len()];
    let mut seen_per_commune = vec![0usize; province.communes.len()];
    let mut written = 0;
    // The statistics rollups, as every case write keeps them: summed here, written at the end.
    let mut rollups: HashMap<hoagiai::stats::counters::RollupKey, i64> = HashMap::new();
    for chunk in skeleton.chunks(CASES_PER_TRANSACTION) {
        let mut batch = Batch::default();
        for (received_at, team_index) in chunk {
            let team = &province.teams[*team_index as usize];
            let received_on = vietnam_date(*received_at);
            let line = lines.entry((*team_index, received_on.year())).or_insert(0);
            *line += 1;
            let id = one_case(rng, &mut batch, team, *received_at, *line, today, now);
            // A uniform sample of each commune's cases, for the officers' reads.
            let seen = &mut seen_per_commune[team.commune];
            *seen += 1;
            let kept = &mut commune_cases[team.commune];
            if kept.len() < args.ids_per_officer {
                kept.push(id);
            } else {
                let j = rng.random_range(0..*seen);
                if j < kept.len() {
                    kept[j] = id;
                }
            }
        }
        for case in &batch.cases {
            for k in hoagiai::stats::counters::rollup_contributions(case) {
                *rollups.entry(k).or_default() += 1;
            }
        }
        in_transaction(conn, |c| {
            insert_all!(c, cases::table, batch.cases);
            insert_all!(c, case_parties::table, batch.parties);
            insert_all!(c, case_assignments::table, batch.assignments);
            insert_all!(c, case_sessions::table, batch.sessions);
            insert_all!(c, case_follow_ups::table, batch.follow_ups);
            insert_all!(c, audit_log::table, batch.audits);
            Ok(())
        })?;
        written += chunk.len();
        let secs = started.elapsed().as_secs_f64();
        eprintln!("  {written} / {} cases ({:.0} cases/s)", args.cases, written as f64 / secs);
    }
    // The yearly rows of the years that are over are filled from these at the server's start
    // (`stats::fill_past_years`), as on any database.
    // One row per unit, month, dimension and code, its four metrics as columns.
    let mut by_code: BTreeMap<(String, NaiveDate, &'static str, String), [i64; 4]> = BTreeMap::new();
    for ((unit_id, month, metric, dimension, code), n) in rollups {
        by_code.entry((unit_id, month, dimension, code)).or_default()[hoagiai::stats::counters::metric_column(metric)] += n;
    }
    let rollup_rows: Vec<_> = by_code
        .into_iter()
        .map(|((unit_id, month, dimension, code), [received, successful, unsuccessful, out_of_scope])| {
            (
                case_rollups::unit_id.eq(unit_id),
                case_rollups::month.eq(month),
                case_rollups::dimension.eq(dimension),
                case_rollups::code.eq(code),
                case_rollups::received.eq(received),
                case_rollups::successful.eq(successful),
                case_rollups::unsuccessful.eq(unsuccessful),
                case_rollups::out_of_scope.eq(out_of_scope),
            )
        })
        .collect();
    let m = rollup_rows.len();
    in_transaction(conn, |c| {
        insert_all!(c, case_rollups::table, rollup_rows);
        Ok(())
    })?;
    eprintln!("  {m} monthly rollup rows");
    Ok(commune_cases)
}

/// A party of a case of the team, living in the team's village.
fn party<R: Rng>(rng: &mut R, case_id: &str, team: &TeamInfo, position: i32, full_name: String, kind: &str, at: NaiveDateTime) -> Party {
    let with_age = rng.random_bool(0.5);
    Party {
        id: id_at(rng, at),
        case_id: case_id.into(),
        team_id: team.id.clone(),
        position,
        kind: kind.into(),
        role: "party".into(),
        name_key: fold(&full_name),
        full_name,
        age: with_age.then(|| rng.random_range(20..85)),
        birth_year: (!with_age).then(|| rng.random_range(1940..2004)),
        address: Some(team.village.clone()),
        phone: rng
            .random_bool(0.4)
            .then(|| format!("09{} {:03} {:03}", rng.random_range(10..100), rng.random_range(0..1000), rng.random_range(0..1000))),
        id_number: None,
        demand: None,
    }
}

/// One case and everything that happened to it; returns its id.
fn one_case(
    rng: &mut StdRng,
    b: &mut Batch,
    team: &TeamInfo,
    received_at: NaiveDateTime,
    line: i32,
    today: NaiveDate,
    now: NaiveDateTime,
) -> String {
    let received_on = vietnam_date(received_at);
    let id = id_at(rng, received_at);
    let leader = Some(team.leader_user.as_str());
    let path = team.unit_path.as_str();
    let (category, templates) = names::SUMMARIES[rng.random_range(0..names::SUMMARIES.len())];
    let female_a = rng.random_bool(0.4);
    let a = names::person(rng, female_a, team.minority);
    let female_b = rng.random_bool(0.5);
    let b_name = names::person(rng, female_b, team.minority);
    let (b_kind, b_full) = if rng.random_bool(0.25) { ("family", format!("Hộ ông {b_name}")) } else { ("person", b_name) };
    let summary = templates.choose(rng).expect("templates").replace("{a}", &a).replace("{b}", &b_full);
    let basis = ["party_request", "party_request", "party_request", "mediator_initiative", "leader_assignment", "referral"]
        .choose(rng)
        .expect("basis");
    let mut parties = vec![party(rng, &id, team, 1, a, "person", received_at), party(rng, &id, team, 2, b_full, b_kind, received_at)];
    let mut case = Case {
        id: id.clone(),
        team_id: team.id.clone(),
        unit_id: team.unit_id.clone(),
        unit_path: team.unit_path.clone(),
        received_on,
        received_year: received_on.year(),
        received_month: received_on.month() as i32,
        logbook_line: line,
        logbook_volume: None,
        basis: basis.to_string(),
        referring_body: (*basis == "referral").then(|| "Ban công tác Mặt trận thôn".to_string()),
        category: category.into(),
        summary_key: fold(&summary),
        summary,
        status: "received".into(),
        out_of_scope_reason: None,
        out_of_scope_referred_to: None,
        deadline_days: 3,
        start_deadline: None,
        deadline_exception: None,
        deadline_exception_note: None,
        started_on: None,
        end_reason: None,
        ended_on: None,
        ended_year: None,
        ended_month: None,
        agreement_text: None,
        referral_body: None,
        referral_date: None,
        written_agreement_date: None,
        written_agreement_signature: None,
        for_court_recognition: false,
        notes: rng.random_bool(0.1).then(|| "Các bên đều có mặt khi tiếp nhận".to_string()),
        created_by: team.leader_user.clone(),
        version: 1,
        created_at: received_at,
        updated_at: received_at,
        transferred_from_team_id: None,
        transferred_from_line: None,
        transferred_on: None,
        pseudonymised_on: None,
    };
    b.audits.push(audit(
        rng,
        received_at,
        leader,
        "create",
        "case",
        &id,
        path,
        json!({"team_id": case.team_id, "received_on": received_on, "logbook_line": line, "logbook_volume": null, "basis": case.basis,
               "category": case.category, "status": "received", "start_deadline": null, "deadline_exception": null, "started_on": null,
               "end_reason": null, "ended_on": null, "referral_date": null, "written_agreement_date": null, "version": 1}),
    ));
    let mut last = received_at;
    let clamp = |d: NaiveDate| d.min(today);
    let mut target = target_status(rng, (today - received_on).num_days());
    match target {
        Target::Received => {}
        Target::OutOfScope => {
            let day = clamp(received_on + Duration::days(rng.random_range(0..3)));
            last = at(rng, day, Some(last), now);
            let (reason, body) = names::OUT_OF_SCOPE.choose(rng).expect("reasons");
            case.status = "out_of_scope".into();
            case.out_of_scope_reason = Some(reason.to_string());
            case.out_of_scope_referred_to = Some(body.to_string());
            case.ended_on = Some(day);
            (case.ended_year, case.ended_month) = (Some(day.year()), Some(day.month() as i32));
            case.version += 1;
            b.audits.push(audit(
                rng,
                last,
                leader,
                "out_of_scope",
                "case",
                &id,
                path,
                json!({"status": "out_of_scope", "version": case.version}),
            ));
        }
        Target::InProgress | Target::Successful | Target::Unsuccessful => {
            let assigned_on = clamp(received_on + Duration::days(rng.random_range(0..3)));
            let (mediator, _) = team.members.choose(rng).expect("members").clone();
            last = at(rng, assigned_on, Some(last), now);
            let first = Assignment {
                id: id_at(rng, last),
                case_id: id.clone(),
                mediator_id: mediator.clone(),
                assigned_on,
                chosen_by: if rng.random_bool(0.4) { "parties" } else { "leader" }.into(),
                ended_on: None,
                end_reason: None,
                end_note: None,
                created_at: last,
            };
            case.status = "in_progress".into();
            case.start_deadline = Some(assigned_on + Duration::days(3));
            case.version += 1;
            b.audits.push(audit(
                rng,
                last,
                leader,
                "assign",
                "case",
                &id,
                path,
                json!({"status": "in_progress", "mediator_id": mediator, "assigned_on": assigned_on, "version": case.version}),
            ));
            b.assignments.push(first);
            // A few are reassigned the next day.
            if rng.random_bool(0.03) && assigned_on < today {
                let (other, _) = team.members.choose(rng).expect("members").clone();
                if other != mediator {
                    let day = assigned_on + Duration::days(1);
                    last = at(rng, day, Some(last), now);
                    let previous = b.assignments.last_mut().expect("the first assignment");
                    previous.ended_on = Some(day);
                    previous.end_reason = Some("reassigned".into());
                    previous.end_note = Some("Hòa giải viên bận việc gia đình".into());
                    b.assignments.push(Assignment {
                        id: id_at(rng, last),
                        case_id: id.clone(),
                        mediator_id: other.clone(),
                        assigned_on: day,
                        chosen_by: "leader".into(),
                        ended_on: None,
                        end_reason: None,
                        end_note: None,
                        created_at: last,
                    });
                    case.version += 1;
                    b.audits.push(audit(
                        rng,
                        last,
                        leader,
                        "assign",
                        "case",
                        &id,
                        path,
                        json!({"mediator_id": other, "assigned_on": day, "version": case.version}),
                    ));
                }
            }
            // Sessions: most start within the three days, some late.
            let late = rng.random_bool(0.12);
            let mut held = assigned_on + Duration::days(if late { rng.random_range(4..11) } else { rng.random_range(0..4) });
            let sessions = match target {
                Target::InProgress if rng.random_bool(0.4) => 0,
                Target::InProgress => 1,
                _ if rng.random_bool(0.3) => 2,
                _ => 1,
            };
            let mut held_days = Vec::new();
            for _ in 0..sessions {
                if held > today {
                    break;
                }
                held_days.push(held);
                held += Duration::days(rng.random_range(3..15));
            }
            if held_days.len() < sessions {
                target = Target::InProgress;
            }
            if late && rng.random_bool(0.5) {
                case.deadline_exception = Some("parties_agreed_time".into());
                case.deadline_exception_note = Some("Các bên thống nhất hòa giải sau khi thu hoạch".into());
                case.version += 1;
                b.audits.push(audit(
                    rng,
                    last,
                    leader,
                    "deadline_exception",
                    "case",
                    &id,
                    path,
                    json!({"deadline_exception": "parties_agreed_time", "version": case.version}),
                ));
            }
            for day in &held_days {
                last = at(rng, *day, Some(last), now);
                let female = rng.random_bool(0.3);
                let witness = names::person(rng, female, team.minority);
                b.sessions.push(Session {
                    id: id_at(rng, last),
                    case_id: id.clone(),
                    held_on: *day,
                    place: Some(names::SESSION_PLACES.choose(rng).expect("places").to_string()),
                    is_public: rng.random_bool(0.2),
                    participants: json!([{"name": witness, "role": names::PARTICIPANT_ROLES.choose(rng).expect("roles")}]).to_string(),
                    notes: Some("Hai bên trình bày ý kiến, hòa giải viên phân tích quy định pháp luật".into()),
                    created_at: last,
                });
                case.started_on = Some(case.started_on.map_or(*day, |d| d.min(*day)));
                case.version += 1;
                b.audits.push(audit(
                    rng,
                    last,
                    leader,
                    "session",
                    "case",
                    &id,
                    path,
                    json!({"held_on": day, "is_public": false, "version": case.version}),
                ));
            }
            if matches!(target, Target::Successful | Target::Unsuccessful) {
                let ended_on = *held_days.last().expect("a concluded case had a session");
                (case.ended_on, case.ended_year, case.ended_month) = (Some(ended_on), Some(ended_on.year()), Some(ended_on.month() as i32));
                if target == Target::Successful {
                    case.status = "successful".into();
                    case.end_reason = Some("agreement".into());
                    case.agreement_text = Some(names::AGREEMENTS.choose(rng).expect("texts").to_string());
                } else {
                    case.status = "unsuccessful".into();
                    case.end_reason = Some(if rng.random_bool(0.4) { "party_withdrew" } else { "mediator_ended" }.into());
                    for p in parties.iter_mut() {
                        p.demand = Some(names::DEMANDS.choose(rng).expect("demands").to_string());
                    }
                }
                case.version += 1;
                b.audits.push(audit(
                    rng,
                    last,
                    leader,
                    "end",
                    "case",
                    &id,
                    path,
                    json!({"status": case.status, "end_reason": case.end_reason, "ended_on": ended_on, "version": case.version}),
                ));
                if target == Target::Unsuccessful && rng.random_bool(0.5) {
                    let day = clamp(ended_on + Duration::days(rng.random_range(0..6)));
                    last = at(rng, day, Some(last), now);
                    case.referral_body = Some(names::REFERRALS.choose(rng).expect("bodies").to_string());
                    case.referral_date = Some(day);
                    case.version += 1;
                    b.audits.push(audit(
                        rng,
                        last,
                        leader,
                        "referral",
                        "case",
                        &id,
                        path,
                        json!({"referral_date": day, "version": case.version}),
                    ));
                }
                if target == Target::Successful && rng.random_bool(0.35) {
                    let day = clamp(ended_on + Duration::days(rng.random_range(0..3)));
                    last = at(rng, day, Some(last), now);
                    case.written_agreement_date = Some(day);
                    case.written_agreement_signature = Some(if rng.random_bool(0.8) { "signed" } else { "fingerprinted" }.into());
                    // ID numbers only for an agreement a court will be asked to recognise.
                    if rng.random_bool(0.05) {
                        case.for_court_recognition = true;
                        for p in parties.iter_mut() {
                            p.id_number = Some(format!("0330{:08}", rng.random_range(0..100_000_000)));
                        }
                    }
                    case.version += 1;
                    b.audits.push(audit(
                        rng,
                        last,
                        leader,
                        "written_agreement",
                        "case",
                        &id,
                        path,
                        json!({"written_agreement_date": day, "version": case.version}),
                    ));
                }
                let check = ended_on + Duration::days(30);
                if target == Target::Successful && check <= today && rng.random_bool(0.15) {
                    last = at(rng, check, Some(last), now);
                    let status = ["implemented", "implemented", "implemented", "partially_implemented", "not_implemented"]
                        .choose(rng)
                        .expect("statuses");
                    b.follow_ups.push(FollowUp {
                        id: id_at(rng, last),
                        case_id: id.clone(),
                        checked_on: check,
                        status: status.to_string(),
                        notes: Some("Tổ hòa giải kiểm tra việc thực hiện thỏa thuận".into()),
                        created_at: last,
                    });
                    case.version += 1;
                    b.audits.push(audit(
                        rng,
                        last,
                        leader,
                        "follow_up",
                        "case",
                        &id,
                        path,
                        json!({"checked_on": check, "implementation": status, "version": case.version}),
                    ));
                }
            }
        }
    }
    case.updated_at = last;
    b.parties.extend(parties);
    b.cases.push(case);
    id
}

/// The share of a case create that is statistics upkeep: `n` creates through the store (as the
/// API makes them: the case, its party, its log-book line, audit, counters) against the counter
/// upkeep alone for the same cases, each in its own transaction, rolled back so that the database
/// stays as seeded. Without the commit's fsync and the HTTP work both are smaller than in the
/// server, so the share printed is an upper bound.
fn measure_upkeep(conn: &mut DbConn, args: &Args, rng: &mut StdRng, province: &Province) -> Res<()> {
    use hoagiai::cases::dto::{Basis, Category, CreateCase, NewParty, PartyKind, PartyRole};
    let rollback = || hoagiai::error::ApiError::conflict("rolled_back");
    let (mut create_time, mut upkeep_time) = (std::time::Duration::ZERO, std::time::Duration::ZERO);
    for _ in 0..args.upkeep_sample {
        let team = &province.teams[rng.random_range(0..province.teams.len())];
        let commune_path = team.unit_path.trim_end_matches('/').rsplit_once('/').map(|(p, _)| format!("{p}/")).unwrap_or_default();
        let actor = hoagiai::auth::Actor {
            id: team.leader_user.clone(),
            kind: hoagiai::auth::PrincipalKind::User,
            role: hoagiai::auth::Role::Officer,
            unit_id: None,
            scope: hoagiai::auth::Scope::subtree(&commune_path),
            unit_level: Some("commune".into()),
            mediator_id: None,
            request_id: None,
        };
        let input = CreateCase {
            id: None,
            team_id: team.id.parse().map_err(db_err)?,
            received_on: Some(hoagiai::db::today()),
            basis: Basis::PartyRequest,
            referring_body: None,
            category: Category::Land,
            summary: "Tranh chấp ranh giới đất giữa hai hộ".into(),
            parties: vec![NewParty {
                kind: PartyKind::Person,
                role: PartyRole::Party,
                full_name: "Nguyễn Văn An".into(),
                age: Some(50),
                birth_year: None,
                address: None,
                phone: None,
            }],
            notes: None,
            logbook_volume: None,
        };
        let mut made = None;
        let t = Instant::now();
        let _ = hoagiai::db::write_transaction(conn, |c| {
            let (dto, _) = hoagiai::cases::store::create(c, &actor, &input, 3, &[])?;
            made = Some(cases::table.find(&dto.id).select(Case::as_select()).first(c)?);
            Err::<(), _>(rollback())
        });
        create_time += t.elapsed();
        let case: Case = made.ok_or("a sample create failed")?;
        let t = Instant::now();
        let _ = hoagiai::db::write_transaction(conn, |c| {
            hoagiai::stats::counters::apply(c, None, Some(&case))?;
            Err::<(), _>(rollback())
        });
        upkeep_time += t.elapsed();
    }
    let n = args.upkeep_sample as f64;
    let (create_ms, upkeep_ms) = (create_time.as_secs_f64() * 1000.0 / n, upkeep_time.as_secs_f64() * 1000.0 / n);
    println!(
        "UPKEEP creates={} create_ms={create_ms:.3} upkeep_ms={upkeep_ms:.3} share_pct={:.1}",
        args.upkeep_sample,
        100.0 * upkeep_ms / create_ms
    );
    Ok(())
}

/// leaders.tsv: `username<TAB>team_id` of leaders of distinct teams, spread over the communes.
/// officers.tsv: `username<TAB>case_id,case_id,…` of officers of distinct communes.
fn write_fixtures(args: &Args, rng: &mut StdRng, province: &Province, commune_cases: &[Vec<String>]) -> Res<()> {
    std::fs::create_dir_all(&args.fixtures).map_err(db_err)?;
    let n = province.teams.len();
    let picks = args.sample.min(n);
    let mut leaders = String::new();
    let stride = (n / picks.max(1)).max(1);
    for i in 0..picks {
        // Evenly spaced over the teams, which are grouped by commune: distinct teams, many communes.
        let t = &province.teams[(i * stride + rng.random_range(0..stride)).min(n - 1)];
        leaders.push_str(&format!("{}\t{}\n", t.leader_username, t.id));
    }
    let mut officers = String::new();
    let communes = province.communes.len();
    for i in 0..args.sample.min(communes) {
        let c = i * communes / args.sample.min(communes);
        if commune_cases[c].is_empty() {
            continue;
        }
        officers.push_str(&format!("{}\t{}\n", province.officers[c].0, commune_cases[c].join(",")));
    }
    let write = |name: &str, text: &str| -> Res<()> {
        let mut f = std::fs::File::create(args.fixtures.join(name)).map_err(db_err)?;
        f.write_all(text.as_bytes()).map_err(db_err)
    };
    write("leaders.tsv", &leaders)?;
    write("officers.tsv", &officers)?;
    // The statistics scenarios, as the national administrator: every province's breakdown by
    // commune for this year, sampled communes' first half-year, the national total for the year.
    let year = hoagiai::db::today().year();
    let province_rows: String = province
        .province_ids
        .iter()
        .map(|p| format!("bench.admin\t/api/v1/stats/indicators?unit_id={p}&period={year}&by=unit\n"))
        .collect();
    let commune_rows: String = (0..args.sample.min(communes))
        .map(|i| &province.commune_ids[i * communes / args.sample.min(communes)])
        .map(|c| format!("bench.admin\t/api/v1/stats/indicators?unit_id={c}&period={year}-H1\n"))
        .collect();
    // The statistics workload: a commune officer's category × status counts of the own
    // commune for this year, summed by the server (one row per sampled officer, signed in by
    // bench/run; the server checks the commune is inside the officer's scope).
    let commune_year_rows: String = (0..args.sample.min(communes))
        .map(|i| i * communes / args.sample.min(communes))
        .map(|c| {
            format!("{}\t/api/v1/stats/indicators?unit_id={}&period={year}&by=category\n", province.officers[c].0, province.commune_ids[c])
        })
        .collect();
    write("stats-commune-year.tsv", &commune_year_rows)?;
    write("stats-province.tsv", &province_rows)?;
    write("stats-commune.tsv", &commune_rows)?;
    write("stats-national.tsv", &format!("bench.admin\t/api/v1/stats/indicators?period={year}\n"))?;
    eprintln!("fixtures: {} leaders, {} officers in {}", picks, officers.lines().count(), args.fixtures.display());
    Ok(())
}
