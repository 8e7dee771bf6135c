//! Working days: Monday to Friday, less the public holidays (Labour Code 2019 art. 112 and the
//! year's announced schedule), which are data (`data/holidays/vn.csv`, embedded): each with the
//! basis it rests on and whether it is confirmed against the announcement. A legal clock counted
//! in working days ("trong thời hạn 05 ngày làm việc") is counted here.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

const HOLIDAYS_CSV: &str = include_str!("../../data/holidays/vn.csv");

/// The public holidays on record.
pub fn holidays() -> &'static BTreeSet<NaiveDate> {
    static DAYS: OnceLock<BTreeSet<NaiveDate>> = OnceLock::new();
    DAYS.get_or_init(|| {
        HOLIDAYS_CSV
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').next())
            .filter_map(|d| NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
            .collect()
    })
}

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays().contains(&d)
}

/// The day `n` working days after `from` (the day of the event itself not counted): the last day
/// of a clock of `n` working days.
pub fn add_working_days(from: NaiveDate, n: u32) -> NaiveDate {
    let mut day = from;
    let mut left = n;
    while left > 0 {
        day += Duration::days(1);
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// Late against a legal clock: not done by its last day (counted on `today`), or done after it.
pub fn late(due: NaiveDate, done_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    done_on.map_or(today > due, |on| on > due)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_file_parses_whole() {
        let lines = HOLIDAYS_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
        assert_eq!(holidays().len(), lines, "every line is a date");
        assert!(HOLIDAYS_CSV.lines().skip(1).all(|l| l.split(',').nth(2).is_some_and(|c| c == "yes" || c == "no")));
    }

    #[test]
    fn five_working_days_skip_weekends_and_holidays() {
        // Monday 6 October 2025 → Monday 13 October.
        assert_eq!(add_working_days(d(2025, 10, 6), 5), d(2025, 10, 13));
        // Friday 25 April 2025: Mon 28, Tue 29, (30/4 and 1/5 holidays), Fri 2, Mon 5, Tue 6 May.
        assert_eq!(add_working_days(d(2025, 4, 25), 5), d(2025, 5, 6));
        // Across Tết Ất Tỵ: Friday 24 January 2025 → 3, 4, 5, 6, 7 February.
        assert_eq!(add_working_days(d(2025, 1, 24), 5), d(2025, 2, 7));
        assert!(!is_working_day(d(2025, 9, 2)) && is_working_day(d(2025, 9, 3)));
    }
}
