//! `hoagiai serve --demo`: a realistic demo commune — Đoàn Kết commune, Thanh Miện district, Hải
//! Dương province, with its villages — and one account per role, so a newcomer has something to
//! look at. The passwords are generated on first run and kept in `<data_dir>/demo-logins.txt`
//! (readable by its owner only); every demo start prints them.

mod cases;
mod funding;

use std::path::Path;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::audit::store::Who;
use crate::auth::{password, Actor, Role, Scope};
use crate::db::schema::units;
use crate::db::{write_transaction, DbConn};
use crate::error::ApiError;
use crate::units::dto::{CreateUnit, UnitLevel};
use crate::users::dto::CreateUser;

const LOGINS_FILE: &str = "demo-logins.txt";

/// Villages of the demo commune, with whether each is an ethnic-minority area. The names are
/// illustrative, not an official list.
const VILLAGES: &[(&str, bool)] =
    &[("Thôn Hội Yên", false), ("Thôn Phú Khê", false), ("Thôn Tam Cát", false), ("Thôn Nhân Nghĩa", false), ("Thôn Thọ Xuân", true)];

pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub where_: String,
}

fn unit(
    conn: &mut DbConn,
    code: Option<&str>,
    name: &str,
    level: UnitLevel,
    parent: Option<&str>,
    (from, to): (NaiveDate, Option<NaiveDate>),
    ethnic: bool,
) -> Result<String, ApiError> {
    let input = CreateUnit {
        id: None,
        code: code.map(str::to_string),
        name: name.into(),
        level,
        parent_id: parent.map(|p| p.parse().expect("unit ids are UUIDs")),
        ethnic_minority_area: ethnic,
        valid_from: Some(from),
        valid_to: to,
    };
    Ok(crate::units::store::create(conn, &Scope::national(), &Who::SYSTEM, input)?.0.id)
}

/// Seeds the demo data once; returns the logins (read back from the file on later runs).
pub fn seed(conn: &mut DbConn, data_dir: &Path) -> Result<Vec<DemoLogin>, String> {
    let file = data_dir.join(LOGINS_FILE);
    let seeded: Option<String> = units::table
        .filter(units::level.eq("commune"))
        .filter(units::name.eq("Xã Đoàn Kết"))
        .select(units::id)
        .first(conn)
        .optional()
        .map_err(|e| e.to_string())?;
    if seeded.is_some() {
        return read_logins(&file);
    }
    let logins = write_transaction(conn, |conn| {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("valid date");
        let always = (d(1997, 1, 1), None);
        let province = unit(conn, Some("30"), "Tỉnh Hải Dương", UnitLevel::Province, None, always, false)?;
        // Districts ended with the 2025 reform: the log book's cover names Thanh Miện on the
        // volumes opened before 1 July 2025 only. (The merges of the province and the commune
        // into Hải Phòng and Hải Hưng are not seeded: the demo keeps its commune.)
        let until_reform = (d(1997, 1, 1), Some(d(2025, 7, 1)));
        let district = unit(conn, Some("300"), "Huyện Thanh Miện", UnitLevel::District, Some(&province), until_reform, false)?;
        let commune = unit(conn, None, "Xã Đoàn Kết", UnitLevel::Commune, Some(&district), always, false)?;
        let mut villages = Vec::new();
        for (name, ethnic) in VILLAGES {
            villages.push(unit(conn, None, name, UnitLevel::Village, Some(&commune), (d(2000, 1, 1), None), *ethnic)?);
        }
        let system_admin = Actor::system();
        let named: Vec<(String, &str)> = villages.iter().cloned().zip(VILLAGES.iter().map(|(n, _)| *n)).collect();
        let teams = cases::seed_teams(conn, &system_admin, &named)?;
        cases::seed_cases(conn, &system_admin, &teams)?;
        funding::seed(conn, &system_admin, &province, &commune, &teams)?;
        let hoi_yen = &teams[0];
        // (username, display name, role, scope unit, mediator record, where)
        let account = |username: &'static str, name: &'static str, role, unit: Option<&String>, mediator: Option<&String>, place: &str| {
            (username, name, role, unit.cloned(), mediator.cloned(), place.to_string())
        };
        let people = [
            account("admin", "Quản trị hệ thống", Role::Admin, None, None, "toàn quốc / national"),
            account("canbo.tuphap", "Nguyễn Thị Hồng (công chức Tư pháp – Hộ tịch)", Role::Officer, Some(&commune), None, "Xã Đoàn Kết"),
            account(
                "totruong.hoiyen",
                "Trần Văn Bình (tổ trưởng)",
                Role::TeamLeader,
                Some(&villages[0]),
                Some(&hoi_yen.leader_id),
                "Thôn Hội Yên",
            ),
            account(
                "hgv.lan",
                "Phạm Thị Lan (hòa giải viên)",
                Role::Mediator,
                Some(&villages[0]),
                Some(&hoi_yen.member_ids[0]),
                "Thôn Hội Yên",
            ),
            account("chutich.xa", "Lê Văn Thắng (Chủ tịch UBND xã)", Role::Viewer, Some(&commune), None, "Xã Đoàn Kết"),
        ];
        let mut logins = Vec::new();
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
            crate::users::store::create(conn, &system_admin, input, new)?;
            logins.push(DemoLogin { username: username.into(), password: secret, role, where_ });
        }
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
