//! The funding rules as plain functions: which rate applies to a case, how a case's fee is split
//! among its mediators, which item a rate unit fits. Tested without a database.

use chrono::NaiveDate;

use super::dto::{FundingItem, RateUnit};
use super::model::Policy;

/// The rate units an item may be counted by.
pub fn unit_fits_item(item: FundingItem, unit: RateUnit) -> bool {
    use FundingItem::*;
    use RateUnit::*;
    match item {
        CaseFee => unit == PerCasePerTeam,
        TeamSupport => matches!(unit, PerTeamPerMonth | PerTeamPerYear),
        Training | Election | Award => matches!(unit, PerEvent | PerPerson),
        IncidentSupport => matches!(unit, PerPerson | PerEvent),
    }
}

/// Whether two validity periods share a day (`None` = open-ended).
pub fn periods_overlap(a_from: NaiveDate, a_to: Option<NaiveDate>, b_from: NaiveDate, b_to: Option<NaiveDate>) -> bool {
    let a_before_b = a_to.is_some_and(|t| t < b_from);
    let b_before_a = b_to.is_some_and(|t| t < a_from);
    !a_before_b && !b_before_a
}

/// The case-fee rate for a case kept at `case_path` that ended on `ended_on` with `status`: among
/// the policies in force that day for a unit above the case — or above the unit that carries it on
/// today (`today_above`: the paths of a merged commune and the units above it, so the new
/// province's resolution reaches the cases its communes inherited) — one made for that result
/// beats one for every result, then the most specific unit (the longest path), then the newest.
pub fn pick_case_fee<'a>(
    policies: &'a [Policy],
    case_path: &str,
    today_above: &[String],
    ended_on: NaiveDate,
    status: &str,
) -> Option<&'a Policy> {
    policies
        .iter()
        .filter(|p| p.item == FundingItem::CaseFee.as_str())
        .filter(|p| case_path.starts_with(&p.unit_path) || today_above.contains(&p.unit_path))
        .filter(|p| p.valid_from <= ended_on && p.valid_to.is_none_or(|t| ended_on <= t))
        .filter(|p| p.outcome.as_deref().is_none_or(|o| o == status))
        .max_by_key(|p| (p.outcome.is_some(), p.unit_path.len(), p.valid_from))
}

/// A fee split in whole đồng among `n` people: equal shares, the remainder going one đồng each to
/// the first in order, so the shares always add up to the fee.
pub fn split(amount: i64, n: usize) -> Vec<i64> {
    if n == 0 {
        return Vec::new();
    }
    let n64 = n as i64;
    let (base, rest) = (amount / n64, amount % n64);
    (0..n64).map(|i| base + i64::from(i < rest)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(path: &str, from: (i32, u32, u32), to: Option<(i32, u32, u32)>, rate: i64, outcome: Option<&str>) -> Policy {
        let d = |(y, m, dd): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        Policy {
            id: format!("{path}{rate}"),
            unit_id: "u".into(),
            unit_path: path.into(),
            legal_basis: "NQ".into(),
            valid_from: d(from),
            valid_to: to.map(d),
            item: "case_fee".into(),
            rate,
            rate_unit: "per_case_per_team".into(),
            outcome: outcome.map(Into::into),
            notes: None,
            version: 1,
            created_at: chrono::NaiveDateTime::default(),
            updated_at: chrono::NaiveDateTime::default(),
        }
    }

    #[test]
    fn the_rate_in_force_on_the_end_date_applies() {
        let ps = vec![policy("/p/", (2014, 1, 1), Some((2023, 12, 31)), 200_000, None), policy("/p/", (2024, 1, 1), None, 400_000, None)];
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(pick_case_fee(&ps, "/p/c/v/", &[], day(2023, 12, 31), "successful").unwrap().rate, 200_000);
        assert_eq!(pick_case_fee(&ps, "/p/c/v/", &[], day(2024, 1, 1), "unsuccessful").unwrap().rate, 400_000);
        assert!(pick_case_fee(&ps, "/q/c/v/", &[], day(2024, 1, 1), "successful").is_none());
        assert!(pick_case_fee(&ps, "/p/c/v/", &[], day(2013, 12, 31), "successful").is_none());
    }

    #[test]
    fn an_outcome_rate_beats_a_general_one_and_a_nearer_unit_beats_a_farther() {
        let ps = vec![
            policy("/p/", (2024, 1, 1), None, 400_000, None),
            policy("/p/", (2024, 1, 1), None, 300_000, Some("unsuccessful")),
            policy("/p/c/", (2024, 1, 1), None, 450_000, None),
        ];
        let day = NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
        assert_eq!(pick_case_fee(&ps, "/p/c/v/", &[], day, "unsuccessful").unwrap().rate, 300_000);
        assert_eq!(pick_case_fee(&ps, "/p/c/v/", &[], day, "successful").unwrap().rate, 450_000);
        assert_eq!(pick_case_fee(&ps, "/p/d/v/", &[], day, "successful").unwrap().rate, 400_000);
    }

    #[test]
    fn shares_add_up_to_the_fee() {
        assert_eq!(split(400_000, 3), vec![133_334, 133_333, 133_333]);
        assert_eq!(split(400_000, 2), vec![200_000, 200_000]);
        assert_eq!(split(5, 0), Vec::<i64>::new());
        for n in 1..9 {
            assert_eq!(split(1_000_001, n).iter().sum::<i64>(), 1_000_001);
        }
    }

    #[test]
    fn periods() {
        let d = |m| NaiveDate::from_ymd_opt(2024, m, 1).unwrap();
        assert!(periods_overlap(d(1), None, d(5), None));
        assert!(!periods_overlap(d(1), Some(d(2)), d(3), None));
        assert!(periods_overlap(d(1), Some(d(3)), d(3), Some(d(4))));
        assert!(unit_fits_item(FundingItem::CaseFee, RateUnit::PerCasePerTeam));
        assert!(!unit_fits_item(FundingItem::CaseFee, RateUnit::PerTeamPerYear));
    }

    #[test]
    fn a_merged_communes_cases_keep_the_old_rate_until_the_new_provinces_applies() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // The old province /old/ had a rate with no end; the new province /new/ passed its own
        // from 2025-10-01. A case of the old commune /old/c/v/ is carried on by /new/h/ today.
        let ps = vec![policy("/old/", (2020, 1, 1), None, 300_000, None), policy("/new/", (2025, 10, 1), None, 500_000, None)];
        let today = vec!["/new/".to_string(), "/new/h/".to_string()];
        assert_eq!(pick_case_fee(&ps, "/old/c/v/", &today, day(2025, 8, 1), "successful").unwrap().rate, 300_000);
        assert_eq!(pick_case_fee(&ps, "/old/c/v/", &today, day(2025, 10, 1), "successful").unwrap().rate, 500_000);
        // A case of a new team of the successor, before the new resolution: the old rate carries over.
        let ps_new_team = vec![policy("/old/", (2020, 1, 1), None, 300_000, None)];
        assert!(pick_case_fee(&ps_new_team, "/new/h/v/", &[], day(2025, 8, 1), "successful").is_none());
        let carried = vec!["/new/".to_string(), "/new/h/".to_string(), "/old/".to_string()];
        assert_eq!(pick_case_fee(&ps_new_team, "/new/h/v/", &carried, day(2025, 8, 1), "successful").unwrap().rate, 300_000);
    }
}
