//! The law's sums under today's boundaries: a parent's figures equal the sum of its children's.
//! Each unit in force today answers for its own subtree and its predecessors' (`crate::db::area`),
//! so the country's cases equal the sum over today's provinces, and a province's the sum over its
//! communes — unless a predecessor was split and its records still wait for a manual mapping,
//! which the check names.

use std::collections::{BTreeMap, HashMap};

use diesel::prelude::*;

use crate::db::area::{todays_areas, Area, SplitPredecessor};
use crate::db::schema::{cases, units};
use crate::db::{today, DbConn};
use crate::error::ApiError;

/// Cases per unit path, so that an area's count is a few range sums.
struct CasesByPath(BTreeMap<String, i64>);

impl CasesByPath {
    fn load(conn: &mut DbConn) -> Result<CasesByPath, ApiError> {
        let rows: Vec<(String, i64)> =
            cases::table.group_by(cases::unit_path).select((cases::unit_path, diesel::dsl::count_star())).load(conn)?;
        Ok(CasesByPath(rows.into_iter().collect()))
    }

    fn in_area(&self, area: &Area) -> i64 {
        area.paths()
            .iter()
            .map(|p| self.0.range(p.clone()..).take_while(|(k, _)| k.starts_with(p.as_str())).map(|(_, n)| n).sum::<i64>())
            .sum()
    }

    fn total(&self) -> i64 {
        self.0.values().sum()
    }
}

/// Every parent (the country, each province in force today) whose cases differ from the sum of
/// its children's under today's boundaries, in words.
pub fn check(conn: &mut DbConn) -> Result<Vec<String>, ApiError> {
    let counts = CasesByPath::load(conn)?;
    let day = today();
    let current: Vec<(String, String, String, Option<String>)> = units::table
        .filter(units::level.eq_any(["province", "commune"]))
        .filter(units::valid_from.le(day))
        .filter(units::valid_to.is_null().or(units::valid_to.gt(day)))
        .select((units::id, units::name, units::path, units::parent_id))
        .load(conn)?;
    let mut out = Vec::new();
    let mut provinces_sum = 0;
    // Every unit's area in one statement.
    let units: Vec<(&str, &str)> = current.iter().map(|(id, _, path, _)| (id.as_str(), path.as_str())).collect();
    let areas: HashMap<&str, (Area, Vec<SplitPredecessor>)> = units.iter().map(|(id, _)| *id).zip(todays_areas(conn, &units)?).collect();
    for (id, name, _, _) in current.iter().filter(|u| u.3.is_none()) {
        let (area, splits) = &areas[id.as_str()];
        let own = counts.in_area(area);
        provinces_sum += own;
        let mut communes_sum = 0;
        for (cid, _, _, _) in current.iter().filter(|u| u.3.as_deref() == Some(id.as_str())) {
            communes_sum += counts.in_area(&areas[cid.as_str()].0);
        }
        if own != communes_sum {
            let split =
                if splits.is_empty() { String::new() } else { format!(" ({} split predecessor(s) need a manual mapping)", splits.len()) };
            out.push(format!("{name}: {own} cases under today's boundaries, its communes' sum {communes_sum}{split}"));
        }
    }
    if provinces_sum != counts.total() {
        out.push(format!("the country: {} cases, today's provinces' sum {provinces_sum}", counts.total()));
    }
    Ok(out)
}
