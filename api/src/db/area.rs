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

    /// The rows of `column` inside the area, for a diesel query: on SQLite each subtree as a range
    /// of paths (`column >= '/a/' AND column < '/a0'`), on PostgreSQL `column LIKE '/a/%'`; see
    /// `bound_sql` for why the two differ. Unit paths hold only UUID text and slashes, so no
    /// `LIKE` wildcard can sneak in.
    pub fn contains<QS: 'static, C: TextColumn<QS>>(&self, column: C) -> Condition<QS> {
        self.condition(column, Held::Path)
    }

    /// The rows of `column`, a unit's id, whose unit lies inside the area: `column IN (the ids of
    /// the units whose path is inside)`. For records that name their unit rather than keep its
    /// path (the audit log); a unit's path never changes, so the two say the same.
    pub fn contains_unit<QS: 'static, C: TextColumn<QS>>(&self, column: C) -> Condition<QS> {
        self.condition(column, Held::UnitId)
    }

    fn condition<QS: 'static, C: TextColumn<QS>>(&self, column: C, held: Held) -> Condition<QS> {
        if self.paths.is_empty() {
            // An empty area covers nothing.
            return Box::new(diesel::dsl::sql::<Bool>("1 = 0"));
        }
        Box::new(InArea { column, held, subtrees: self.paths.iter().map(|p| Subtree::of(p)).collect() })
    }

    /// The same condition for the few hand-written statements, with the paths bound
    /// (`db::bound`) and appended to `values`. On SQLite a
    /// path prefix is a range (`column >= '/a/' AND column < '/a0'`, '0' being the byte after
    /// '/'): SQLite uses an index for a `LIKE` only by planning with the bound pattern, which
    /// the bundled build forbids (`.cargo/config.toml`: it would prepare the statement again at
    /// each new value); a range needs no value to be planned. Paths hold only UUID text and slashes, and
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

/// One subtree as the values a condition binds: the path and the first text after every path
/// below it (a range, on SQLite), or the `LIKE` pattern (on PostgreSQL, and for a path not ending
/// in '/', which no unit has).
struct Subtree {
    from: String,
    until: Option<String>,
    pattern: String,
}

impl Subtree {
    fn of(path: &str) -> Subtree {
        // '0' is the byte after '/': every path that starts with "/a/" sorts below "/a0".
        let until = path.strip_suffix('/').map(|stem| format!("{stem}0"));
        Subtree { from: path.to_string(), until, pattern: format!("{path}%") }
    }
}

/// The condition of `Area::contains`, written for the backend the statement goes to. SQLite
/// plans a `LIKE ?` with the value bound and prepares the statement again at each new value (or,
/// as built here with `SQLITE_ENABLE_QPSG`, uses no index for it), so a `LIKE` of a path — in
/// every officer's list and every statistics answer — was parsed afresh at every request; a range
/// stays prepared and uses the path's index. PostgreSQL keeps `LIKE`: its collation need not
/// order text by bytes, and it plans a bound `LIKE` once.
struct InArea<C> {
    column: C,
    held: Held,
    subtrees: Vec<Subtree>,
}

/// What the column of a condition holds: a unit path, or a unit's id — for records that name
/// their unit (the audit log), found among the ids of the units whose path is inside
/// (`column IN (SELECT id FROM units WHERE …)`). Written by hand rather than as diesel's
/// sub-select because diesel checks a sub-select's condition against the outer query's tables
/// too, which a condition boxed for one table cannot satisfy.
#[derive(Clone, Copy)]
enum Held {
    Path,
    UnitId,
}

/// A text column a condition may be put on (the bounds `Area::contains` needs of it, named once).
pub trait TextColumn<QS>:
    Expression<SqlType = Text>
    + diesel::expression::SelectableExpression<QS>
    + ValidGrouping<(), IsAggregate = is_aggregate::No>
    + QueryFragment<MultiBackend>
    + Copy
    + Send
    + 'static
{
}

impl<QS, C> TextColumn<QS> for C where
    C: Expression<SqlType = Text>
        + diesel::expression::SelectableExpression<QS>
        + ValidGrouping<(), IsAggregate = is_aggregate::No>
        + QueryFragment<MultiBackend>
        + Copy
        + Send
        + 'static
{
}

impl<C> Expression for InArea<C> {
    type SqlType = Bool;
}

impl<C: ValidGrouping<(), IsAggregate = is_aggregate::No>> ValidGrouping<()> for InArea<C> {
    type IsAggregate = is_aggregate::No;
}

impl<C, QS> diesel::expression::AppearsOnTable<QS> for InArea<C> where C: diesel::expression::AppearsOnTable<QS> {}

impl<C, QS> diesel::expression::SelectableExpression<QS> for InArea<C> where C: diesel::expression::SelectableExpression<QS> {}

impl<C> diesel::query_builder::QueryId for InArea<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<MultiBackend>> QueryFragment<MultiBackend> for InArea<C> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        match self.held {
            Held::Path => walk_subtrees(&self.subtrees, &self.column, out),
            Held::UnitId => {
                self.column.walk_ast(out.reborrow())?;
                out.push_sql(" IN (SELECT ");
                units::id.walk_ast(out.reborrow())?;
                out.push_sql(" FROM ");
                out.push_identifier("units")?;
                out.push_sql(" WHERE ");
                walk_subtrees(&self.subtrees, &units::path, out.reborrow())?;
                out.push_sql(")");
                Ok(())
            }
        }
    }
}

/// The paths of `path` inside any of the subtrees.
fn walk_subtrees<'b, P: QueryFragment<MultiBackend>>(
    subtrees: &'b [Subtree],
    path: &'b P,
    mut out: diesel::query_builder::AstPass<'_, 'b, MultiBackend>,
) -> QueryResult<()> {
    let sqlite = matches!(out.backend(), MultiBackend::Sqlite(_));
    out.push_sql("(");
    for (i, subtree) in subtrees.iter().enumerate() {
        if i > 0 {
            out.push_sql(" OR ");
        }
        if let (true, Some(until)) = (sqlite, &subtree.until) {
            out.push_sql("(");
            path.walk_ast(out.reborrow())?;
            out.push_sql(" >= ");
            out.push_bind_param::<Text, String>(&subtree.from)?;
            out.push_sql(" AND ");
            path.walk_ast(out.reborrow())?;
            out.push_sql(" < ");
            out.push_bind_param::<Text, String>(until)?;
            out.push_sql(")");
        } else {
            path.walk_ast(out.reborrow())?;
            out.push_sql(" LIKE ");
            out.push_bind_param::<Text, String>(&subtree.pattern)?;
        }
    }
    out.push_sql(")");
    Ok(())
}

/// A predecessor that is not inherited because it was split: its records need a manual mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitPredecessor {
    pub unit_id: String,
    pub name: String,
}

/// The area a unit answers for under today's boundaries: its own subtree and those of the units
/// that merged into it, were renamed to it or transferred to it, transitively (a few indexed
/// look-ups: one per predecessor found). Split predecessors are returned apart. For one unit — every
/// statistics answer starts here — this is cheaper than `todays_areas`' recursive walk: most units
/// have no predecessor, and one look-up kept prepared answers that (measured: the commune-year
/// counts lost 12–15 % of their rate to the walk, docs/performance.md, fourteenth pass).
pub fn todays_area(conn: &mut DbConn, unit_id: &str, path: &str) -> Result<(Area, Vec<SplitPredecessor>), ApiError> {
    walk(unit_id, path, |successor| {
        // One unit at a time: a list of ids would make SQLite prepare the statement again at every
        // call (a variable-length `IN`); on the backend's own connection (`dispatch!`) for the
        // same reason as `units::store::find`.
        let preds = crate::dispatch!(conn, |c| unit_successions::table
            .inner_join(units::table.on(units::id.eq(unit_successions::from_unit_id)))
            .filter(unit_successions::to_unit_id.eq(successor))
            .select((units::id, units::name, units::path, unit_successions::kind))
            .load::<(String, String, String, String)>(c))?;
        Ok(preds.into_iter().map(|(id, name, path, kind)| Succession { successor: successor.to_string(), id, name, path, kind }).collect())
    })
}

/// One unit's walk through its predecessors, generation by generation as the records were made
/// (`successions_into` answers a unit's own): a predecessor met again is not taken twice, a
/// split one is named and not walked through.
fn walk(
    unit_id: &str,
    path: &str,
    mut successions_into: impl FnMut(&str) -> Result<Vec<Succession>, ApiError>,
) -> Result<(Area, Vec<SplitPredecessor>), ApiError> {
    let mut paths = vec![path.to_string()];
    let mut splits: Vec<SplitPredecessor> = Vec::new();
    let mut seen = vec![unit_id.to_string()];
    let mut generation = vec![unit_id.to_string()];
    while !generation.is_empty() {
        let mut next = Vec::new();
        for successor in &generation {
            for pred in successions_into(successor)? {
                if seen.contains(&pred.id) {
                    continue;
                }
                seen.push(pred.id.clone());
                if pred.kind == "split" {
                    splits.push(SplitPredecessor { unit_id: pred.id, name: pred.name });
                    continue;
                }
                paths.push(pred.path);
                next.push(pred.id);
            }
        }
        generation = next;
    }
    Ok((Area::of(paths), splits))
}

/// A predecessor's succession into a unit, as `successions_reaching` reads it.
#[derive(QueryableByName, Clone)]
struct Succession {
    #[diesel(sql_type = Text)]
    successor: String,
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    path: String,
    #[diesel(sql_type = Text)]
    kind: String,
}

/// The successions into these units and, transitively, into every predecessor they inherit from
/// (not through a split): ONE statement whatever the generations or the number of units — a
/// province's breakdown by commune, and the boundaries check over the whole country, read them
/// all at once instead of a look-up per unit and predecessor. `UNION` (not `ALL`) ends the walk at a unit
/// already reached, so even a cycle recorded by mistake ends.
fn successions_reaching(conn: &mut DbConn, unit_ids: &[&str]) -> Result<Vec<Succession>, ApiError> {
    let sql = format!(
        "WITH RECURSIVE reach(id) AS ( \
           SELECT id FROM units WHERE id IN ({}) \
           UNION \
           SELECT s.from_unit_id FROM unit_successions s JOIN reach r ON s.to_unit_id = r.id WHERE s.kind <> 'split' \
         ) \
         SELECT s.to_unit_id AS successor, u.id AS id, u.name AS name, u.path AS path, s.kind AS kind \
           FROM reach r JOIN unit_successions s ON s.to_unit_id = r.id JOIN units u ON u.id = s.from_unit_id \
          ORDER BY u.path",
        super::bound::list(unit_ids.len())
    );
    super::bound::Bound::new(sql).binding(unit_ids.iter().copied()).load(conn)
}

/// `todays_area` of each unit (id, path), in the order given: several units (a breakdown, the
/// boundaries check) from one statement, one unit by `todays_area`'s look-ups.
pub fn todays_areas(conn: &mut DbConn, units: &[(&str, &str)]) -> Result<Vec<(Area, Vec<SplitPredecessor>)>, ApiError> {
    match units {
        [] => return Ok(Vec::new()),
        [(id, path)] => return Ok(vec![todays_area(conn, id, path)?]),
        _ => {}
    }
    let ids: Vec<&str> = units.iter().map(|(id, _)| *id).collect();
    let successions = successions_reaching(conn, &ids)?;
    let mut into: HashMap<&str, Vec<&Succession>> = HashMap::new();
    for s in &successions {
        into.entry(s.successor.as_str()).or_default().push(s);
    }
    units
        .iter()
        .map(|&(unit_id, path)| {
            walk(unit_id, path, |successor| Ok(into.get(successor).into_iter().flatten().map(|&s| s.clone()).collect()))
        })
        .collect()
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

    /// The diesel condition on SQLite is a range per subtree and finds exactly the subtrees' rows:
    /// not a sibling whose id begins like the subtree's ("/a0…", "/ab/"), not the parent.
    #[test]
    fn the_condition_finds_the_subtrees_rows_on_sqlite() {
        use crate::db::schema::units;
        use diesel::Connection;
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        diesel::RunQueryDsl::execute(diesel::sql_query("CREATE TABLE units (id TEXT PRIMARY KEY, path TEXT NOT NULL)"), &mut conn).unwrap();
        for (id, path) in [("1", "/a/"), ("2", "/a/b/"), ("3", "/a/b/c/"), ("4", "/a0/"), ("5", "/ab/"), ("6", "/c/"), ("7", "/")] {
            diesel::insert_into(units::table).values((units::id.eq(id), units::path.eq(path))).execute(&mut conn).unwrap();
        }
        let ids = |area: Area, conn: &mut DbConn| -> Vec<String> {
            units::table.filter(area.contains(units::path)).select(units::id).order(units::id).load(conn).unwrap()
        };
        assert_eq!(ids(Area::subtree("/a/"), &mut conn), ["1", "2", "3"]);
        assert_eq!(ids(Area::of(["/a/b/".to_string(), "/c/".to_string()]), &mut conn), ["2", "3", "6"]);
        assert!(ids(Area::of(Vec::<String>::new()), &mut conn).is_empty());
    }
}
