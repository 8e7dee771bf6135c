//! `hoagiai units import FILE`: loads units from a CSV file with the columns
//! `code,name,level,parent_code` (and optionally `valid_from,ethnic_minority_area`). Rows are
//! taken parents first; a unit that already exists (same level and code, or for villages the same
//! name under the same commune) is left as it is, so the import can be run again safely.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::dto::{CreateUnit, UnitLevel};
use super::store;
use crate::audit::store::Who;
use crate::auth::Scope;
use crate::db::schema::units;
use crate::db::DbConn;
use crate::error::ApiError;

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub existing: usize,
}

#[derive(Debug)]
struct Row {
    line: usize,
    code: Option<String>,
    name: String,
    level: UnitLevel,
    parent_code: Option<String>,
    valid_from: Option<NaiveDate>,
    ethnic_minority_area: bool,
}

fn parse(reader: impl std::io::Read) -> Result<Vec<Row>, String> {
    let mut csv = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(reader);
    let headers: Vec<String> =
        csv.headers().map_err(|e| e.to_string())?.iter().map(|h| h.trim_start_matches('\u{feff}').to_lowercase()).collect();
    let col = |name: &str| headers.iter().position(|h| h == name);
    let (Some(code_i), Some(name_i), Some(level_i), Some(parent_i)) = (col("code"), col("name"), col("level"), col("parent_code")) else {
        return Err("the header must name the columns code, name, level, parent_code".into());
    };
    let (from_i, ethnic_i) = (col("valid_from"), col("ethnic_minority_area"));
    let mut rows = Vec::new();
    for (n, record) in csv.records().enumerate() {
        let line = n + 2;
        let record = record.map_err(|e| format!("line {line}: {e}"))?;
        let get = |i: usize| record.get(i).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let level_text = get(level_i).unwrap_or_default();
        let level = UnitLevel::parse(&level_text.to_lowercase())
            .ok_or_else(|| format!("line {line}: level '{level_text}' is not province, district, commune or village"))?;
        let name = get(name_i).ok_or_else(|| format!("line {line}: the name is empty"))?;
        let valid_from = match from_i.and_then(get) {
            Some(d) => {
                Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| format!("line {line}: valid_from '{d}' is not YYYY-MM-DD"))?)
            }
            None => None,
        };
        let ethnic_minority_area =
            matches!(ethnic_i.and_then(get).as_deref().map(str::to_lowercase).as_deref(), Some("1" | "true" | "yes" | "x" | "có" | "co"));
        rows.push(Row { line, code: get(code_i), name, level, parent_code: get(parent_i), valid_from, ethnic_minority_area });
    }
    Ok(rows)
}

/// Imports in one transaction: either every row is in, or none is.
pub fn import(conn: &mut DbConn, reader: impl std::io::Read) -> Result<ImportReport, String> {
    let mut rows = parse(reader)?;
    rows.sort_by_key(|r| UnitLevel::ALL.iter().position(|l| *l == r.level));
    crate::db::write_transaction(conn, |conn| {
        let mut report = ImportReport::default();
        let scope = Scope::national();
        for row in rows {
            let fail = |e: String| {
                ApiError::bad_request("import_failed").with_detail(format!("dòng {}: {e}", row.line), format!("line {}: {e}", row.line))
            };
            let parent_id: Option<uuid::Uuid> = match &row.parent_code {
                None => None,
                Some(code) => {
                    let ids: Vec<String> = units::table
                        .filter(units::code.eq(code))
                        .filter(units::valid_to.is_null())
                        .filter(units::level.ne(row.level.as_str()))
                        .select(units::id)
                        .load(conn)?;
                    match ids.as_slice() {
                        [id] => Some(id.parse().map_err(|_| ApiError::internal())?),
                        [] => return Err(fail(format!("no current unit has the code {code}"))),
                        _ => return Err(fail(format!("several current units have the code {code}"))),
                    }
                }
            };
            let existing: Option<String> = match (&row.code, &parent_id) {
                (Some(code), _) => units::table
                    .filter(units::level.eq(row.level.as_str()))
                    .filter(units::code.eq(code))
                    .filter(units::valid_to.is_null())
                    .select(units::id)
                    .first(conn)
                    .optional()?,
                (None, Some(pid)) => units::table
                    .filter(units::parent_id.eq(pid.to_string()))
                    .filter(units::name.eq(&row.name))
                    .filter(units::valid_to.is_null())
                    .select(units::id)
                    .first(conn)
                    .optional()?,
                (None, None) => None,
            };
            if existing.is_some() {
                report.existing += 1;
                continue;
            }
            let input = CreateUnit {
                id: None,
                code: row.code.clone(),
                name: row.name.clone(),
                level: row.level,
                parent_id,
                ethnic_minority_area: row.ethnic_minority_area,
                valid_from: row.valid_from,
                valid_to: None,
            };
            validator::Validate::validate(&input).map_err(|e| fail(format!("{}", ApiError::from(e))))?;
            store::create(conn, &scope, &Who::SYSTEM, input).map_err(|e| fail(e.code.to_string()))?;
            report.created += 1;
        }
        Ok(report)
    })
    .map_err(|e| e.detail.map(|d| d.en).unwrap_or_else(|| e.code.to_string()))
}
