//! The official administrative units, shipped inside the binary: the tree before the 2025 reform
//! (63 provinces, 696 districts, 10,035 communes), the tree from 1 July 2025 (34 provinces, 3,321
//! communes) and the successions between them (`data/units/`, written by `tools/units/convert.py`;
//! see docs/units.md). `hoagiai units import --official` imports them all, the demo only its
//! provinces; an import finds what an earlier one made and changes nothing.
//!
//! Codes are reused across the reform (11257 was Xã Tân Trào and is Xã Hải Hưng; 31 was and is
//! Hải Phòng), so a unit is found by its era as well as its level and code: a unit of the old tree
//! is closed on the reform day (`valid_to` 2025-07-01, the first day it no longer exists), a unit
//! of the new tree starts on it. The 11 provinces the reform left alone (same code, same name, no
//! other predecessor) are one unit in both trees, open since before the reform.
//!
//! Everything is written in multi-row inserts: the whole country is about
//! 14,000 units and 10,600 successions.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::UnitLevel;
use super::model::{Succession, Unit};
use super::rules;
use crate::audit::store::{self as audit, Change, Who};
use crate::db::schema::{unit_successions, units};
use crate::db::{new_id, now, DbConn};
use crate::error::ApiError;
use crate::text;

const BEFORE_2025: &str = include_str!("../../../data/units/units-before-2025.csv");
const FROM_2025: &str = include_str!("../../../data/units/units-2025.csv");
const SUCCESSIONS_2025: &str = include_str!("../../../data/units/successions-2025.csv");

/// The first day of the 2025 tree: the old units' `valid_to`, the new units' `valid_from` and the
/// successions' `effective_date`.
pub fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("a valid date")
}

/// The start given to old units, which the sources date no earlier than this: 1 January 1997,
/// when the provinces of the old tree (61, later 63) came into being. It is a floor, not a
/// historical fact for every unit; a later creation date can be corrected unit by unit.
pub fn before_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(1997, 1, 1).expect("a valid date")
}

/// Which provinces to import: all, or those with the given codes. A code selects the province of
/// that code in both trees (31: old and new Hải Phòng) and every unit under them; a succession is
/// imported when both its ends are.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    provinces: Option<HashSet<String>>,
}

impl Filter {
    pub fn all() -> Filter {
        Filter { provinces: None }
    }

    /// E.g. `Filter::provinces(&["30", "31"])`: Hải Dương before the reform, Hải Phòng before and
    /// after it, and the successions between their communes.
    pub fn provinces(codes: &[&str]) -> Filter {
        Filter { provinces: Some(codes.iter().map(|c| c.to_string()).collect()) }
    }

    fn takes(&self, province: &str) -> bool {
        self.provinces.as_ref().is_none_or(|p| p.contains(province))
    }
}

/// What an import did. A second import of the same selection creates nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub units_created: usize,
    pub units_present: usize,
    pub successions_created: usize,
    pub successions_present: usize,
    /// Successions with one end outside the selected provinces.
    pub successions_skipped: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Era {
    Before,
    From2025,
}

/// A unit of a tree: its era, level and code identify it.
type Key = (Era, UnitLevel, String);

struct Row {
    key: Key,
    name: String,
    parent: Option<Key>,
    province: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
}

struct SuccessionRow {
    from: Key,
    to: Key,
    kind: String,
    legal_basis: Option<String>,
}

fn level(text: &str) -> Result<UnitLevel, String> {
    UnitLevel::parse(text).ok_or_else(|| format!("unknown level '{text}'"))
}

fn records(data: &'static str) -> impl Iterator<Item = Result<csv::StringRecord, String>> {
    csv::ReaderBuilder::new().from_reader(data.as_bytes()).into_records().map(|r| r.map_err(|e| e.to_string()))
}

fn date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map(Some).map_err(|_| format!("'{text}' is not a date"))
}

/// Both trees, parents first. A province of the 2025 list without `valid_from` is the same unit as
/// the open province of that code in the old list (one the reform left alone).
fn trees() -> Result<Vec<Row>, String> {
    let mut rows = Vec::with_capacity(15_000);
    for (era, data) in [(Era::Before, BEFORE_2025), (Era::From2025, FROM_2025)] {
        let mut province_of: HashMap<String, String> = HashMap::new();
        for record in records(data) {
            let r = record?;
            let (code, name, lvl, parent, from, to) = (&r[0], &r[1], level(&r[2])?, &r[3], date(&r[4])?, date(&r[5])?);
            let province = match lvl {
                UnitLevel::Province => code.to_string(),
                _ => province_of.get(parent).cloned().ok_or_else(|| format!("{name}: unknown parent {parent}"))?,
            };
            province_of.insert(code.to_string(), province.clone());
            if era == Era::From2025 && lvl == UnitLevel::Province && from.is_none() {
                continue;
            }
            let parent = match lvl {
                UnitLevel::Province => None,
                UnitLevel::District => Some((era, UnitLevel::Province, parent.to_string())),
                _ if era == Era::Before => Some((era, UnitLevel::District, parent.to_string())),
                _ => Some((era, UnitLevel::Province, parent.to_string())),
            };
            rows.push(Row {
                key: (era, lvl, code.to_string()),
                name: name.to_string(),
                parent,
                province,
                valid_from: from.unwrap_or_else(before_start),
                valid_to: to,
            });
        }
    }
    // The provinces that continue are keyed in the old tree; their new communes hang from them.
    let continuing: HashSet<String> = rows
        .iter()
        .filter(|r| r.key.0 == Era::Before && r.key.1 == UnitLevel::Province && r.valid_to.is_none())
        .map(|r| r.key.2.clone())
        .collect();
    for row in &mut rows {
        if let Some(parent) = &mut row.parent {
            if parent.0 == Era::From2025 && parent.1 == UnitLevel::Province && continuing.contains(&parent.2) {
                parent.0 = Era::Before;
            }
        }
    }
    Ok(rows)
}

fn successions() -> Result<Vec<SuccessionRow>, String> {
    let mut out = Vec::with_capacity(11_000);
    for record in records(SUCCESSIONS_2025) {
        let r = record?;
        if date(&r[5])? != Some(reform_day()) {
            return Err(format!("succession {} → {}: only the 2025 reform is shipped", &r[1], &r[3]));
        }
        out.push(SuccessionRow {
            from: (Era::Before, level(&r[0])?, r[1].to_string()),
            to: (Era::From2025, level(&r[2])?, r[3].to_string()),
            kind: r[4].to_string(),
            legal_basis: Some(r[6].to_string()).filter(|s| !s.is_empty()),
        });
    }
    Ok(out)
}

/// The official units already in the database, by era: closed on the reform day → the old tree;
/// open and started on or after it → the new tree. Open units that started before it are
/// returned apart: right for the provinces that continue, a conflict for any other unit.
struct Existing {
    units: HashMap<Key, (String, String, i32)>,
    open_before: HashMap<Key, String>,
}

fn existing(conn: &mut DbConn) -> Result<Existing, ApiError> {
    type Found = (String, Option<String>, String, String, i32, NaiveDate, Option<NaiveDate>);
    let rows: Vec<Found> = units::table
        .filter(units::code.is_not_null())
        .filter(units::level.ne(UnitLevel::Village.as_str()))
        .select((units::id, units::code, units::level, units::path, units::depth, units::valid_from, units::valid_to))
        .load(conn)?;
    let mut out = Existing { units: HashMap::with_capacity(rows.len()), open_before: HashMap::new() };
    for (id, code, lvl, path, depth, from, to) in rows {
        let (Some(code), Some(lvl)) = (code, UnitLevel::parse(&lvl)) else { continue };
        match to {
            Some(to) if to == reform_day() => {
                out.units.insert((Era::Before, lvl, code), (id, path, depth));
            }
            Some(_) => {}
            None if from >= reform_day() => {
                out.units.insert((Era::From2025, lvl, code), (id, path, depth));
            }
            None => {
                out.open_before.insert((Era::Before, lvl, code.clone()), id.clone());
                out.units.insert((Era::Before, lvl, code), (id, path, depth));
            }
        }
    }
    Ok(out)
}

const BATCH: usize = 500;

/// Imports the official units of the selected provinces. Run it in a write transaction
/// (`db::write_transaction`, `Db::write`): it is all or nothing only there, and it joins the
/// caller's (the demo's seed is one transaction, the import a part of it).
pub fn import(conn: &mut DbConn, filter: &Filter) -> Result<Report, ApiError> {
    let unreadable = |e: String| {
        ApiError::internal().with_detail(format!("Dữ liệu đơn vị kèm theo bị lỗi: {e}"), format!("the shipped units are unreadable: {e}"))
    };
    let rows = trees().map_err(unreadable)?;
    let links = successions().map_err(unreadable)?;
    let province_of: HashMap<&Key, &str> = rows.iter().map(|r| (&r.key, r.province.as_str())).collect();
    let run = |conn: &mut DbConn| -> Result<Report, ApiError> {
        let mut report = Report::default();
        let Existing { units: mut known, open_before } = existing(conn)?;
        let stamp = now();
        let mut new_units: Vec<Unit> = Vec::new();
        for row in rows.iter().filter(|r| filter.takes(&r.province)) {
            // An open unit where the official list has a closed one, or one holding the code a
            // new unit takes from the reform day on: the import would give one code two current
            // units. Say which, rather than guess whether it is the same place.
            let old_twin = (Era::Before, row.key.1, row.key.2.clone());
            let clash = match row.key.0 {
                Era::Before if row.valid_to.is_some() => open_before.get(&row.key),
                Era::From2025 if !known.contains_key(&row.key) => open_before.get(&old_twin),
                _ => None,
            };
            if let Some(id) = clash {
                return Err(conflict(conn, id, &row.name));
            }
            if known.contains_key(&row.key) {
                report.units_present += 1;
                continue;
            }
            let parent = match &row.parent {
                None => None,
                Some(key) => Some(known.get(key).cloned().ok_or_else(|| unreadable(format!("{}: no parent {}", row.name, key.2)))?),
            };
            let id = new_id();
            let path = rules::child_path(parent.as_ref().map(|p| p.1.as_str()), &id);
            let depth = parent.as_ref().map_or(0, |p| p.2 + 1);
            known.insert(row.key.clone(), (id.clone(), path.clone(), depth));
            new_units.push(Unit {
                id,
                code: Some(row.key.2.clone()),
                name: row.name.clone(),
                level: row.key.1.as_str().to_string(),
                parent_id: parent.map(|p| p.0),
                path,
                depth,
                ethnic_minority_area: false,
                search_key: text::fold(&row.name),
                valid_from: row.valid_from,
                valid_to: row.valid_to,
                version: 1,
                created_at: stamp,
                updated_at: stamp,
            });
        }
        for chunk in new_units.chunks(BATCH) {
            crate::dispatch!(conn, |c| diesel::insert_into(units::table).values(chunk).execute(c))?;
        }
        report.units_created = new_units.len();

        let present: HashSet<(String, String)> = unit_successions::table
            .filter(unit_successions::effective_date.eq(reform_day()))
            .select((unit_successions::from_unit_id, unit_successions::to_unit_id))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        let mut new_links = Vec::new();
        for link in &links {
            let selected = |key: &Key| province_of.get(key).is_some_and(|p| filter.takes(p));
            if !selected(&link.from) && !selected(&link.to) {
                continue;
            }
            let (Some(from), Some(to)) =
                (known.get(&link.from).filter(|_| selected(&link.from)), known.get(&link.to).filter(|_| selected(&link.to)))
            else {
                // One end lies outside the selected provinces.
                report.successions_skipped += 1;
                continue;
            };
            if present.contains(&(from.0.clone(), to.0.clone())) {
                report.successions_present += 1;
                continue;
            }
            new_links.push(Succession {
                id: new_id(),
                from_unit_id: from.0.clone(),
                to_unit_id: to.0.clone(),
                kind: link.kind.clone(),
                effective_date: reform_day(),
                legal_basis: link.legal_basis.clone(),
                created_at: stamp,
            });
        }
        for chunk in new_links.chunks(BATCH) {
            crate::dispatch!(conn, |c| diesel::insert_into(unit_successions::table).values(chunk).execute(c))?;
        }
        report.successions_created = new_links.len();

        // One audit entry for the import rather than one per unit: the units are the shipped
        // list, and the entry says which selection was imported and what it added.
        if report.units_created + report.successions_created > 0 {
            let selection = filter.provinces.as_ref().map(|p| {
                let mut codes: Vec<&String> = p.iter().collect();
                codes.sort();
                codes
            });
            let new = serde_json::json!({ "provinces": selection, "report": report });
            audit::record(
                conn,
                &Who::SYSTEM,
                Change {
                    action: "import_official",
                    entity: "unit",
                    entity_id: "official-2025",
                    unit_path: None,
                    old: None,
                    new: Some(new),
                },
            )?;
        }
        Ok(report)
    };
    run(conn)
}

fn conflict(conn: &mut DbConn, id: &str, official_name: &str) -> ApiError {
    let found: Option<(String, Option<String>)> =
        units::table.find(id).select((units::name, units::code)).first(conn).optional().ok().flatten();
    let (name, code) = found.unwrap_or_default();
    let code = code.unwrap_or_default();
    ApiError::conflict("unit_code_taken").with_detail(
        format!(
            "Đơn vị {name} (mã {code}) còn hiệu lực từ trước 2025-07-01, trái với danh mục chính thức ({official_name}): hãy đóng đơn vị đó từ 2025-07-01 (valid_to) rồi nhập lại"
        ),
        format!(
            "{name} (code {code}) is open since before 2025-07-01, against the official list ({official_name}): close it on 2025-07-01 (valid_to), then import again"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded files read, and hang together: every parent and every succession's two ends
    /// are units of the files, every kind is one the database takes.
    #[test]
    fn shipped_files_hang_together() {
        let rows = trees().unwrap();
        assert_eq!(rows.len(), 14_138);
        let keys: HashSet<&Key> = rows.iter().map(|r| &r.key).collect();
        assert_eq!(keys.len(), rows.len(), "a unit twice");
        for r in &rows {
            if let Some(p) = &r.parent {
                assert!(keys.contains(p), "{}: parent {p:?}", r.name);
            }
        }
        let links = successions().unwrap();
        assert_eq!(links.len(), 10_654);
        for l in &links {
            assert!(keys.contains(&l.from) && keys.contains(&l.to), "{:?} → {:?}", l.from, l.to);
            assert!(["merge", "split", "rename", "transfer"].contains(&l.kind.as_str()), "{}", l.kind);
        }
        let current = |lvl: UnitLevel| rows.iter().filter(|r| r.key.1 == lvl && r.valid_to.is_none()).count();
        assert_eq!((current(UnitLevel::Province), current(UnitLevel::District), current(UnitLevel::Commune)), (34, 0, 3_321));
    }
}
