//! Records live in units that exist: no case, team, training, payment or membership dated where
//! its unit was not (yet, or any more) in force, and no district after the 2025 reform.

use chrono::NaiveDate;

use super::model::Unit;
use crate::db::bound::{self, Bound};
use crate::db::DbConn;
use crate::error::ApiError;

/// 1 July 2025: the two-level local government (Resolution 202/2025/QH15 and the Law on the
/// Organisation of Local Government 2025): no district from this day on.
pub const REFORM_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The validity of a district: it must have begun before the reform and ends on it at the latest.
/// A district entered without an end date ends on the reform day. `Err` names the field at fault.
pub fn district_validity(valid_from: NaiveDate, valid_to: Option<NaiveDate>) -> Result<NaiveDate, &'static str> {
    if valid_from >= REFORM_DAY {
        return Err("valid_from");
    }
    match valid_to {
        Some(to) if to > REFORM_DAY => Err("valid_to"),
        Some(to) => Ok(to),
        None => Ok(REFORM_DAY),
    }
}

/// The problem for a district dated on or after the reform.
pub fn no_district_after_reform(field: &'static str) -> ApiError {
    ApiError::invalid_field(field, "district_abolished").with_detail(
        "Từ ngày 01/7/2025 không còn đơn vị hành chính cấp huyện",
        "There are no districts from 1 July 2025 (the two-level local government)",
    )
}

/// A district-level fact (a training held, an award given by a district) dated `day`: refused on or
/// after the reform, when there is no district to hold or give it.
pub fn district_level_on(is_district: bool, day: NaiveDate) -> Result<(), ApiError> {
    if is_district && day >= REFORM_DAY {
        return Err(no_district_after_reform("level"));
    }
    Ok(())
}

/// The units on the way from the root to `unit` (itself last) that must be in force for a record
/// dated `day` to live in it. Districts are left out: their end on the reform day is the reform's,
/// and a commune entered under one before the official units were imported keeps working until it
/// is itself closed or succeeded.
pub fn closed_on(chain: &[Unit], day: NaiveDate) -> Option<&Unit> {
    chain.iter().filter(|u| u.level != "district").find(|u| !u.valid_on(day))
}

/// Refuses a record dated `day` in the unit kept at `path` (or under it) when that unit or one
/// above it is not in force that day: 422 on `field`, naming the unit and its dates.
pub fn ensure_open(conn: &mut DbConn, path: &str, day: NaiveDate, field: &'static str) -> Result<(), ApiError> {
    let ids: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // Bound rather than `eq_any`, which SQLite would prepare afresh each time (`db::bound`).
    let mut chain: Vec<Unit> = Bound::new(format!("SELECT {} FROM units WHERE id IN ({})", Unit::COLUMNS, bound::list(ids.len())))
        .binding(ids.iter().copied())
        .load(conn)?;
    chain.sort_by_key(|u| u.depth);
    match closed_on(&chain, day) {
        None => Ok(()),
        Some(u) => {
            let until = u.valid_to.map(|t| (t - chrono::Duration::days(1)).format("%d/%m/%Y").to_string());
            let (vi_until, en_until) = match &until {
                Some(t) => (format!(" đến hết ngày {t}"), format!(" until {t}")),
                None => (String::new(), String::new()),
            };
            let from = u.valid_from.format("%d/%m/%Y");
            Err(ApiError::invalid_field(field, "unit_closed").with_detail(
                format!(
                    "{} không có hiệu lực vào ngày {} (hiệu lực từ ngày {from}{vi_until}); hãy ghi vào đơn vị kế thừa",
                    u.name,
                    day.format("%d/%m/%Y")
                ),
                format!(
                    "{} does not exist on {} (in force from {from}{en_until}); record it in its successor",
                    u.name,
                    day.format("%d/%m/%Y")
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn districts_end_by_the_reform() {
        assert_eq!(district_validity(d(1997, 1, 1), None), Ok(REFORM_DAY));
        assert_eq!(district_validity(d(1997, 1, 1), Some(d(2020, 1, 1))), Ok(d(2020, 1, 1)));
        assert_eq!(district_validity(d(1997, 1, 1), Some(d(2025, 7, 2))), Err("valid_to"));
        assert_eq!(district_validity(REFORM_DAY, None), Err("valid_from"));
    }

    fn unit(level: &str, from: NaiveDate, to: Option<NaiveDate>) -> Unit {
        Unit {
            id: level.into(),
            code: None,
            name: level.into(),
            level: level.into(),
            parent_id: None,
            path: String::new(),
            depth: 0,
            ethnic_minority_area: false,
            search_key: String::new(),
            valid_from: from,
            valid_to: to,
            version: 1,
            created_at: chrono::NaiveDateTime::default(),
            updated_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn a_closed_commune_closes_its_villages_but_a_closed_district_does_not() {
        let chain = vec![
            unit("province", d(1997, 1, 1), None),
            unit("district", d(1997, 1, 1), Some(REFORM_DAY)),
            unit("commune", d(1997, 1, 1), Some(REFORM_DAY)),
            unit("village", d(2000, 1, 1), None),
        ];
        assert!(closed_on(&chain, d(2025, 6, 30)).is_none());
        assert_eq!(closed_on(&chain, REFORM_DAY).map(|u| u.level.as_str()), Some("commune"));
        let kept = vec![chain[0].clone(), chain[1].clone(), unit("commune", d(1997, 1, 1), None), chain[3].clone()];
        assert!(closed_on(&kept, d(2026, 1, 1)).is_none());
        assert_eq!(closed_on(&kept, d(1999, 1, 1)).map(|u| u.level.as_str()), Some("village"));
    }
}
