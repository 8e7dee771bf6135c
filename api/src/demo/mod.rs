//! `hoagiai serve --demo`: a demo that tells the real story of a commune through the 2025 reform.
//! From 2023 to June 2025: Xã Đoàn Kết, Huyện Thanh Miện, Tỉnh Hải Dương, and the two communes it
//! merged with (Ngô Quyền, Tân Trào), with their villages, teams, cases and money. From 1 July
//! 2025: Xã Hải Hưng of Thành phố Hải Phòng (the official units, imported as `hoagiai units import
//! --official` does), with its teams re-formed from the old ones, the mediators' memberships moved
//! with the new chairman's decisions, the open cases carried over, and Hải Phòng's rates from
//! 1 October 2025; the chairman's decision on the teams, a leader's election and its recognition,
//! and the commune's register of data-subject requests. One account per role in the new commune, and a machine client for Sở Tư pháp
//! thành phố Hải Phòng. The passwords are generated on first run and kept in
//! `<data_dir>/demo-logins.txt` (readable by its owner only); every demo start prints them.

mod cases;
mod funding;
mod people;

use std::path::Path;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::audit::store::Who;
use crate::auth::{password, Actor, Role, Scope};
use crate::db::schema::units;
use crate::db::{write_transaction, DbConn};
use crate::error::ApiError;
use crate::units::dto::{CreateUnit, UnitLevel};
use crate::units::validity::REFORM_DAY;
use crate::users::dto::CreateUser;
use cases::DemoTeam;

const LOGINS_FILE: &str = "demo-logins.txt";

/// The villages of the three old communes, with whether each is an ethnic-minority area. The
/// names are illustrative, not an official list (villages have no official codes). After the
/// merger each carries on, under the same name, in Xã Hải Hưng.
const VILLAGES: &[(&str, bool, &str)] = &[
    ("Thôn Hội Yên", false, "11263"),
    ("Thôn Phú Khê", false, "11263"),
    ("Thôn Tam Cát", false, "11263"),
    ("Thôn Nhân Nghĩa", false, "11263"),
    ("Thôn Thọ Xuân", true, "11263"),
    ("Thôn Đông Hưng", false, "11248"),
    ("Thôn Bình Dân", false, "11257"),
];

/// The first villages of `VILLAGES` are Đoàn Kết's.
const DOAN_KET_VILLAGES: usize = 5;

pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub where_: String,
}

/// Where the demo's records go on a given day: the old commune and its teams before the reform,
/// the successor and its re-formed teams from 1 July 2025.
pub(crate) struct Places<'a> {
    pub old_province: &'a str,
    pub new_province: &'a str,
    pub old_commune: &'a str,
    pub new_commune: &'a str,
    pub old_teams: &'a [DemoTeam],
    pub new_teams: &'a [DemoTeam],
}

impl Places<'_> {
    fn after_reform(day: NaiveDate) -> bool {
        day >= REFORM_DAY
    }
    pub fn commune_on(&self, day: NaiveDate) -> &str {
        if Self::after_reform(day) {
            self.new_commune
        } else {
            self.old_commune
        }
    }
    pub fn commune_name_on(&self, day: NaiveDate) -> &'static str {
        if Self::after_reform(day) {
            "UBND xã Hải Hưng"
        } else {
            "UBND xã Đoàn Kết"
        }
    }
    pub fn justice_department_on(&self, day: NaiveDate) -> &'static str {
        if Self::after_reform(day) {
            "Sở Tư pháp thành phố Hải Phòng"
        } else {
            "Sở Tư pháp tỉnh Hải Dương"
        }
    }
    /// The teams the commune of the day pays and trains: Đoàn Kết's own (its five villages) before
    /// the reform, all of Hải Hưng's after it.
    pub fn teams_on(&self, day: NaiveDate) -> &[DemoTeam] {
        if Self::after_reform(day) {
            self.new_teams
        } else {
            &self.old_teams[..self.old_teams.len().min(DOAN_KET_VILLAGES)]
        }
    }
}

fn village(conn: &mut DbConn, name: &str, commune: &str, from: NaiveDate, to: Option<NaiveDate>, ethnic: bool) -> Result<String, ApiError> {
    let input = CreateUnit {
        id: None,
        code: None,
        name: name.into(),
        level: UnitLevel::Village,
        parent_id: Some(commune.parse().expect("unit ids are UUIDs")),
        ethnic_minority_area: ethnic,
        valid_from: Some(from),
        valid_to: to,
    };
    Ok(crate::units::store::create(conn, &Scope::national(), &Who::SYSTEM, input)?.0.id)
}

/// The official unit of `level` and `code` in the old tree (`old`: closed on the reform day) or
/// in today's.
fn official(conn: &mut DbConn, level: &str, code: &str, old: bool) -> Result<String, ApiError> {
    let mut q = units::table.filter(units::level.eq(level)).filter(units::code.eq(code)).select(units::id).into_boxed();
    q = if old { q.filter(units::valid_to.eq(REFORM_DAY)) } else { q.filter(units::valid_to.is_null()) };
    q.first(conn).optional()?.ok_or_else(|| {
        tracing::error!(level, code, old, "an official unit the demo needs is missing");
        ApiError::internal()
    })
}

/// The demo's officer: commune-level casework (a transfer is the commune officer's decision).
fn commune_officer() -> Actor {
    Actor { role: Role::Officer, unit_level: Some("commune".into()), ..Actor::system() }
}

/// Where the demo keeps its logins (readable by its owner only).
pub fn logins_file(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join(LOGINS_FILE)
}

/// Seeds the demo data once; returns the logins (read back from the file on later runs).
pub fn seed(conn: &mut DbConn, data_dir: &Path) -> Result<Vec<DemoLogin>, String> {
    let file = logins_file(data_dir);
    let seeded: Option<String> = units::table
        .filter(units::level.eq("village"))
        .filter(units::name.eq(VILLAGES[0].0))
        .select(units::id)
        .first(conn)
        .optional()
        .map_err(|e| e.to_string())?;
    if seeded.is_some() {
        return read_logins(&file);
    }
    let logins = write_transaction(conn, |conn| {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
        // Hải Dương before the reform, Hải Phòng before and after it, and the successions.
        crate::units::official::import(conn, &crate::units::official::Filter::provinces(&["30", "31"]))?;
        let old_province = official(conn, "province", "30", true)?;
        let new_province = official(conn, "province", "31", false)?;
        let doan_ket = official(conn, "commune", "11263", true)?;
        let hai_hung = official(conn, "commune", "11257", false)?;
        let mut old_villages = Vec::new();
        let mut new_villages = Vec::new();
        for (name, ethnic, commune_code) in VILLAGES {
            let old_commune = official(conn, "commune", commune_code, true)?;
            old_villages.push(village(conn, name, &old_commune, d(2000, 1, 1), Some(REFORM_DAY), *ethnic)?);
            new_villages.push(village(conn, name, &hai_hung, REFORM_DAY, None, *ethnic)?);
            // Villages have no official codes: the commune enters their moves itself, so each
            // village's figures carry on under today's boundaries too.
            let moved = crate::units::dto::CreateSuccession {
                from_unit_id: old_villages[old_villages.len() - 1].parse().expect("unit ids are UUIDs"),
                to_unit_id: new_villages[new_villages.len() - 1].parse().expect("unit ids are UUIDs"),
                kind: crate::units::dto::SuccessionKind::Transfer,
                effective_date: REFORM_DAY,
                legal_basis: Some("Quyết định của UBND thành phố Hải Phòng về thôn, tổ dân phố sau sắp xếp (minh họa)".into()),
            };
            crate::units::store::create_succession(conn, &Scope::national(), &Who::SYSTEM, moved)?;
        }
        let system_admin = Actor::system();
        let officer = commune_officer();
        let names: Vec<&str> = VILLAGES.iter().map(|(n, _, _)| *n).collect();
        let old_named: Vec<(String, &str)> = old_villages.iter().cloned().zip(names.iter().copied()).collect();
        let new_named: Vec<(String, &str)> = new_villages.iter().cloned().zip(names.iter().copied()).collect();
        let old_teams = cases::seed_teams(conn, &system_admin, &old_named)?;
        let new_teams = cases::reform_teams(conn, &system_admin, &old_teams, &new_named)?;
        cases::seed_cases(conn, &officer, &old_teams, &new_teams)?;
        let places = Places {
            old_province: &old_province,
            new_province: &new_province,
            old_commune: &doan_ket,
            new_commune: &hai_hung,
            old_teams: &old_teams,
            new_teams: &new_teams,
        };
        funding::seed(conn, &system_admin, &places)?;
        people::seed(conn, &hai_hung, VILLAGES.len(), &new_teams)?;
        let hoi_yen = &new_teams[0];
        // (username, display name, role, scope unit, mediator record, where)
        let account = |username: &'static str, name: &'static str, role, unit: Option<&String>, mediator: Option<&String>, place: &str| {
            (username, name, role, unit.cloned(), mediator.cloned(), place.to_string())
        };
        let people = [
            account("admin", "Quản trị hệ thống", Role::Admin, None, None, "toàn quốc / national"),
            account("canbo.tuphap", "Nguyễn Thị Hồng (công chức Tư pháp – Hộ tịch)", Role::Officer, Some(&hai_hung), None, "Xã Hải Hưng"),
            account(
                "totruong.hoiyen",
                "Trần Văn Bình (tổ trưởng)",
                Role::TeamLeader,
                Some(&new_villages[0]),
                Some(&hoi_yen.leader_id),
                "Thôn Hội Yên, Xã Hải Hưng",
            ),
            account(
                "hgv.lan",
                "Phạm Thị Lan (hòa giải viên)",
                Role::Mediator,
                Some(&new_villages[0]),
                Some(&hoi_yen.member_ids[0]),
                "Thôn Hội Yên, Xã Hải Hưng",
            ),
            account("chutich.xa", "Lê Văn Thắng (Chủ tịch UBND xã)", Role::Viewer, Some(&hai_hung), None, "Xã Hải Hưng"),
        ];
        let mut logins = Vec::new();
        let mut admin_id = None;
        for (username, name, role, unit_id, mediator_id, where_) in people {
            let secret = password::generate_password();
            let mut input = CreateUser {
                id: None,
                username: username.into(),
                display_name: name.into(),
                phone: None,
                role,
                unit_id: unit_id.map(|u| u.parse().expect("unit ids are UUIDs")),
                password: Some(secret.clone()),
                mediator_id: mediator_id.map(|m| m.parse().expect("mediator ids are UUIDs")),
            };
            let new = crate::users::rules::new_password("password", input.password.take(), username, name)?;
            let (user, _, _) = crate::users::store::create(conn, &system_admin, input, new)?;
            if role == Role::Admin {
                admin_id = Some(user.id);
            }
            logins.push(DemoLogin { username: username.into(), password: secret, role, where_ });
        }
        // The city's Department of Justice pulls its communes' figures as a machine client.
        let client = crate::api_clients::dto::CreateApiClient {
            name: "Hệ thống thống kê Sở Tư pháp thành phố Hải Phòng".into(),
            unit_id: Some(new_province.parse().expect("unit ids are UUIDs")),
        };
        // A machine client is registered by a person: the demo's administrator.
        let registrar = Actor { id: admin_id.ok_or_else(ApiError::internal)?, ..Actor::system() };
        let (client, secret) = crate::api_clients::store::create(conn, &registrar, client)?;
        logins.push(DemoLogin {
            username: client.id,
            password: secret,
            role: Role::Stats,
            where_: "Sở Tư pháp thành phố Hải Phòng (machine client: POST /api/v1/auth/token)".into(),
        });
        Ok(logins)
    })
    .map_err(|e| format!("demo seeding failed: {e}"))?;
    let text: String = logins.iter().map(|l| format!("{}\t{}\t{}\t{}\n", l.username, l.password, l.role.as_str(), l.where_)).collect();
    crate::files::create_private_dir(data_dir).map_err(|e| e.to_string())?;
    crate::files::write_private(&file, &text).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(logins)
}

fn read_logins(file: &Path) -> Result<Vec<DemoLogin>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        format!("the demo data exists but {} cannot be read ({e}); start with a fresh data directory, or create an administrator with `hoagiai admin create`", file.display())
    })?;
    Ok(text
        .lines()
        .filter_map(|line| {
            let mut it = line.split('\t');
            let (u, p, r, w) = (it.next()?, it.next()?, it.next()?, it.next()?);
            Some(DemoLogin { username: u.into(), password: p.into(), role: Role::parse(r)?, where_: w.into() })
        })
        .collect())
}
