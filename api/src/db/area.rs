//! Areas: the set of unit subtrees a scope, a report or a list covers.
//!
//! Records are kept at a unit path (`/<root id>/…/<own id>/`) and a unit's records are its
//! subtree. Since units merge — the 2025 reform merged two to four communes into each new one and
//! 63 provinces into 34 — a unit today also answers for the subtrees of every unit that merged into
//! it, was renamed to it or was transferred to it, transitively: the successor's officer carries on
//! the predecessors' cases, and the new province's figures include the old provinces'. Records
//! stay where they were written (history is not rewritten); the area names all the subtrees.
//!
//! A predecessor that was *split* between several successors is not inherited by any of them:
//! which of its records belong where needs a manual mapping, never a guess.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::expression::{is_aggregate, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::QueryFragment;
use diesel::sql_types::{Bool, Text};

use super::schema::{unit_successions, units};
use super::{DbConn, MultiBackend};
use crate::error::ApiError;

/// A set of subtrees, each named by its unit path; none lies inside another, so nothing counts twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Area {
    paths: Vec<String>,
}

/// A boxed `WHERE` condition over the rows of `QS`.
pub type Condition<QS> = Box<dyn BoxableExpression<QS, MultiBackend, SqlType = Bool>>;

impl Area {
    /// The subtrees of `paths`; a path inside another adds nothing.
    pub fn of(paths: impl IntoIterator<Item = String>) -> Area {
        let mut all: Vec<String> = paths.into_iter().collect();
        all.sort();
        let mut kept: Vec<String> = Vec::with_capacity(all.len());
        for p in all {
            if !kept.iter().any(|k| p.starts_with(k.as_str())) {
                kept.push(p);
            }
        }
        Area { paths: kept }
    }

    /// One unit's subtree.
    pub fn subtree(path: &str) -> Area {
        Area { paths: vec![path.to_string()] }
    }

    pub fn paths(&self) -> &[String] {
        &self.paths
    }

    /// Whether a record kept at `path` lies inside the area.
    pub fn covers(&self, path: &str) -> bool {
        self.paths.iter().any(|p| path.starts_with(p.as_str()))
    }

    /// Whether every subtree of `other` lies inside this area.
    pub fn includes(&self, other: &Area) -> bool {
        other.paths.iter().all(|p| self.covers(p))
    }

    /// `column LIKE '<p1>%' OR column LIKE '<p2>%' …` for a diesel query. Unit paths hold only
    /// UUID text and slashes, so no `LIKE` wildcard can sneak in.
    pub fn contains<QS, C>(&self, column: C) -> Condition<QS>
    where
        C: Expression<SqlType = Text>
            + diesel::expression::SelectableExpression<QS>
            + ValidGrouping<(), IsAggregate = is_aggregate::No>
            + QueryFragment<MultiBackend>
            + Copy
            + Send
            + 'static,
        QS: 'static,
    {
        let mut patterns = self.paths.iter().map(|p| format!("{p}%"));
        let Some(first) = patterns.next() else {
            // An empty area covers nothing.
            return Box::new(diesel::dsl::sql::<Bool>("1 = 0"));
        };
        let mut condition: Condition<QS> = Box::new(column.like(first));
        for pattern in patterns {
            condition = Box::new(condition.or(column.like(pattern)));
        }
        condition
    }

    /// The same condition for the few hand-written statements, with the paths bound
    /// (`db::bound`) and appended to `values`. On SQLite a
    /// path prefix is a range (`column >= '/a/' AND column < '/a0'`, '0' being the byte after
    /// '/'): SQLite plans a `LIKE ?` with the value bound and prepares it again at each new value,
    /// so a bound `LIKE` would never stay prepared. Paths hold only UUID text and slashes, and
    /// SQLite compares text bytewise. PostgreSQL keeps `LIKE`: its collation may not order text by
    /// bytes.
    pub fn bound_sql(&self, column: &str, backend: super::Backend, values: &mut Vec<super::bound::Value>) -> String {
        if self.paths.is_empty() {
            return "1 = 0".into();
        }
        let mut parts = Vec::with_capacity(self.paths.len());
        for p in &self.paths {
            match (backend, p.strip_suffix('/')) {
                (super::Backend::Sqlite, Some(stem)) => {
                    parts.push(format!("({column} >= ? AND {column} < ?)"));
                    values.push(p.clone().into());
                    values.push(format!("{stem}0").into());
                }
                _ => {
                    parts.push(format!("{column} LIKE ?"));
                    values.push(format!("{p}%").into());
                }
            }
        }
        format!("({})", parts.join(" OR "))
    }
}

/// A predecessor that is not inherited because it was split: its records need a manual mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitPredecessor {
    pub unit_id: String,
    pub name: String,
}

/// The area a unit answers for under today's boundaries: its own subtree and those of the units
/// that merged into it, were renamed to it or transferred to it, transitively (a few indexed
/// look-ups: one per generation of predecessors). Split predecessors are returned apart.
pub fn todays_area(conn: &mut DbConn, unit_id: &str, path: &str) -> Result<(Area, Vec<SplitPredecessor>), ApiError> {
    let mut paths = vec![path.to_string()];
    let mut splits: Vec<SplitPredecessor> = Vec::new();
    let mut seen = vec![unit_id.to_string()];
    let mut generation = vec![unit_id.to_string()];
    while !generation.is_empty() {
        let preds: Vec<(String, String, String, String)> = unit_successions::table
            .inner_join(units::table.on(units::id.eq(unit_successions::from_unit_id)))
            .filter(unit_successions::to_unit_id.eq_any(&generation))
            .select((units::id, units::name, units::path, unit_successions::kind))
            .load(conn)?;
        generation = Vec::new();
        for (id, name, pred_path, kind) in preds {
            if seen.contains(&id) {
                continue;
            }
            seen.push(id.clone());
            if kind == "split" {
                splits.push(SplitPredecessor { unit_id: id, name });
                continue;
            }
            paths.push(pred_path);
            generation.push(id);
        }
    }
    Ok((Area::of(paths), splits))
}

/// The inherited areas of scope units, remembered for `recheck` (like the principal cache): a
/// request costs a map look-up, and a succession recorded on this instance clears it at once.
pub struct Areas {
    recheck: Duration,
    entries: Mutex<HashMap<String, (Area, Instant)>>,
}

impl Areas {
    pub fn new(recheck: Duration) -> Areas {
        Areas { recheck, entries: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Area, Instant)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The area of the scope unit `unit_id` kept at `path`, from memory or read.
    pub async fn of(&self, db: &super::Db, unit_id: &str, path: &str) -> Result<Area, ApiError> {
        if let Some((area, at)) = self.lock().get(unit_id) {
            if at.elapsed() < self.recheck {
                return Ok(area.clone());
            }
        }
        let (id, p) = (unit_id.to_string(), path.to_string());
        let (area, _) = db.run(move |c| todays_area(c, &id, &p)).await?;
        let mut map = self.lock();
        if map.len() > 50_000 {
            map.clear();
        }
        map.insert(unit_id.to_string(), (area.clone(), Instant::now()));
        Ok(area)
    }

    /// A unit or a succession was written: every remembered area may have changed.
    pub fn forget(&self) {
        self.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_inside_another_counts_once() {
        let area = Area::of(["/a/b/".to_string(), "/a/".to_string(), "/c/".to_string()]);
        assert_eq!(area.paths(), ["/a/".to_string(), "/c/".to_string()]);
        assert!(area.covers("/a/b/x/") && area.covers("/c/") && !area.covers("/d/"));
        let mut values = Vec::new();
        assert_eq!(
            area.bound_sql("t.unit_path", super::super::Backend::Postgres, &mut values),
            "(t.unit_path LIKE ? OR t.unit_path LIKE ?)"
        );
        assert_eq!(format!("{values:?}"), r#"[Text("/a/%"), Text("/c/%")]"#);
        let mut values = Vec::new();
        assert_eq!(area.bound_sql("p", super::super::Backend::Sqlite, &mut values), "((p >= ? AND p < ?) OR (p >= ? AND p < ?))");
        assert_eq!(format!("{values:?}"), r#"[Text("/a/"), Text("/a0"), Text("/c/"), Text("/c0")]"#);
        assert!(area.includes(&Area::subtree("/a/b/")));
        assert!(!Area::subtree("/a/b/").includes(&area));
    }
}
