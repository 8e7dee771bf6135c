//! The plain rules of the register and of pseudonymisation.

use chrono::{Datelike, NaiveDate};

use super::dto::RequestStatus;
use crate::calendar;

/// The last day to answer a request received on `received_on`, `working_days` after it (Decree
/// 356/2025 as reported: 2 working days; `HOAGIAI_SUBJECT_REQUEST_DAYS`), public holidays counted
/// out.
pub fn due_on(received_on: NaiveDate, working_days: u32) -> NaiveDate {
    calendar::add_working_days(received_on, working_days)
}

/// Late: still open after its due day, or answered after it (an open request has no closing day:
/// the table's check says so).
pub fn overdue(due_on: NaiveDate, closed_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    calendar::late(due_on, closed_on, today)
}

/// A request names its subject one way: a mediator, or one person's rows as a party.
pub fn check_subject(mediator: bool, parties: usize) -> Result<(), (&'static str, &'static str)> {
    match (mediator, parties) {
        (true, 0) | (false, 1..) => Ok(()),
        (true, _) => Err(("party_ids", "one_subject")),
        (false, 0) => Err(("mediator_id", "subject_required")),
    }
}

/// A request is closed as answered or refused, on a day between its receipt and today.
pub fn check_closing(
    status: RequestStatus,
    received_on: NaiveDate,
    closed_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), (&'static str, &'static str)> {
    if status == RequestStatus::Open {
        return Err(("status", "invalid_value"));
    }
    if closed_on < received_on {
        return Err(("closed_on", "before_received"));
    }
    if closed_on > today {
        return Err(("closed_on", "in_the_future"));
    }
    Ok(())
}

/// Cases closed before this day are past a retention of `years` counted back from `today`.
pub fn closed_before(today: NaiveDate, years: i32) -> NaiveDate {
    let year = today.year() - years;
    // 29 February becomes 28 February in a year that has none.
    NaiveDate::from_ymd_opt(year, today.month(), today.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, today.month(), today.day() - 1))
        .unwrap_or(today)
}

/// The name a pseudonymised party keeps: its place in the log book line ("Bên 1", "Người có quyền
/// lợi, nghĩa vụ liên quan 3"), which says who was who in the record without saying who they are.
pub fn pseudonym(position: i32, related: bool) -> String {
    if related {
        format!("Người liên quan {position}")
    } else {
        format!("Bên {position}")
    }
}

/// The main content of a pseudonymised case: its category, as the log book's column 5 would read
/// without the story.
pub fn pseudonymised_summary(category_label: &str) -> String {
    format!("{category_label} (nội dung đã được ẩn danh hóa)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_deadline_counts_working_days_across_a_holiday() {
        // Received Tuesday 28 April 2026: 29 April, (30/4 and 1/5 holidays, weekend), 4 May.
        assert_eq!(due_on(d(2026, 4, 28), 2), d(2026, 5, 4));
        // Received Friday: Monday and Tuesday.
        assert_eq!(due_on(d(2026, 11, 27), 2), d(2026, 12, 1));
    }

    #[test]
    fn late_while_open_after_the_due_day_or_answered_after_it() {
        let due = d(2026, 5, 4);
        assert!(!overdue(due, None, d(2026, 5, 4)));
        assert!(overdue(due, None, d(2026, 5, 5)));
        assert!(!overdue(due, Some(d(2026, 5, 4)), d(2026, 6, 1)));
        assert!(overdue(due, Some(d(2026, 5, 6)), d(2026, 6, 1)));
    }

    #[test]
    fn one_subject_per_request() {
        assert_eq!(check_subject(true, 0), Ok(()));
        assert_eq!(check_subject(false, 2), Ok(()));
        assert_eq!(check_subject(true, 1), Err(("party_ids", "one_subject")));
        assert_eq!(check_subject(false, 0), Err(("mediator_id", "subject_required")));
    }

    #[test]
    fn closing_days_and_retention() {
        let today = d(2026, 11, 30);
        assert_eq!(check_closing(RequestStatus::Open, d(2026, 11, 1), d(2026, 11, 2), today), Err(("status", "invalid_value")));
        assert_eq!(check_closing(RequestStatus::Completed, d(2026, 11, 5), d(2026, 11, 2), today), Err(("closed_on", "before_received")));
        assert_eq!(check_closing(RequestStatus::Completed, d(2026, 11, 5), d(2026, 12, 2), today), Err(("closed_on", "in_the_future")));
        assert_eq!(closed_before(today, 5), d(2021, 11, 30));
        assert_eq!(closed_before(d(2028, 2, 29), 1), d(2027, 2, 28));
        assert_eq!(pseudonym(2, false), "Bên 2");
    }
}
