//! The indicators as plain arithmetic over counter rows, so every definition is testable
//! without a database. Definitions (docs/statistics.md): `received` = new in the period + carried
//! over (received before and without a result before the period); `in_progress_at_end` = received
//! − successful − unsuccessful in the period, so received = successful + unsuccessful + in
//! progress always; out-of-scope cases are counted apart and are never received (the counters
//! give them no `received` event); two success rates, both named.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

/// Counter rows of one dimension (category or basis), already summed over units: (day, metric, n).
pub type Events<'a> = &'a [(NaiveDate, &'a str, i64)];

#[derive(Serialize, serde::Deserialize, ToSchema, Clone, Debug, Default, PartialEq)]
pub struct CaseFigures {
    /// New + carried over (tiếp nhận = mới + kỳ trước chuyển sang).
    pub received: i64,
    /// Received within the period.
    pub new: i64,
    /// Received before the period and without a result (successful or unsuccessful) before it.
    pub carried_over: i64,
    /// Hòa giải thành.
    pub successful: i64,
    /// Hòa giải không thành.
    pub unsuccessful: i64,
    /// Found not for grassroots mediation within the period; counted apart, never in `received`.
    pub out_of_scope: i64,
    /// Still without a result at the end of the period (carried into the next):
    /// `received` − `successful` − `unsuccessful`.
    pub in_progress_at_end: i64,
    /// successful ÷ (successful + unsuccessful); absent when nothing was concluded.
    pub success_rate_of_concluded: Option<f64>,
    /// successful ÷ received; absent when nothing was received.
    pub success_rate_of_received: Option<f64>,
}

/// numerator ÷ denominator as a fraction rounded to four places; `None` when the denominator is 0.
pub fn rate(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator > 0).then(|| ((numerator as f64 / denominator as f64) * 10_000.0).round() / 10_000.0)
}

pub fn case_figures(events: Events<'_>, from: NaiveDate, to: NaiveDate) -> CaseFigures {
    let mut f = CaseFigures::default();
    let (mut received_before, mut concluded_before) = (0, 0);
    for &(day, metric, n) in events {
        if day > to {
            continue;
        }
        let before = day < from;
        match (metric, before) {
            ("received", true) => received_before += n,
            ("received", false) => f.new += n,
            ("successful" | "unsuccessful", true) => concluded_before += n,
            ("successful", false) => f.successful += n,
            ("unsuccessful", false) => f.unsuccessful += n,
            ("out_of_scope", false) => f.out_of_scope += n,
            // An out-of-scope case before the period was never received: nothing to carry.
            _ => {}
        }
    }
    f.carried_over = received_before - concluded_before;
    f.received = f.new + f.carried_over;
    f.in_progress_at_end = f.received - f.successful - f.unsuccessful;
    f.success_rate_of_concluded = rate(f.successful, f.successful + f.unsuccessful);
    f.success_rate_of_received = rate(f.successful, f.received);
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A hand-computed example: the first half of 2026. The out-of-scope cases bring no
    /// `received` event (the counters never give them one).
    #[test]
    fn carried_over_and_both_rates() {
        let events = [
            (d("2025-11-03"), "received", 3),     // three received last year…
            (d("2025-12-01"), "successful", 1),   // …one concluded last year: two carried over
            (d("2025-12-15"), "out_of_scope", 1), // found out of scope last year: nothing to carry
            (d("2026-01-10"), "received", 4),
            (d("2026-02-01"), "successful", 3),
            (d("2026-03-05"), "unsuccessful", 1),
            (d("2026-04-01"), "out_of_scope", 1),
            (d("2026-07-02"), "received", 9), // after the period: ignored
            (d("2026-07-02"), "successful", 1),
        ];
        let f = case_figures(&events, d("2026-01-01"), d("2026-06-30"));
        assert_eq!((f.carried_over, f.new, f.received), (2, 4, 6));
        assert_eq!((f.successful, f.unsuccessful, f.out_of_scope, f.in_progress_at_end), (3, 1, 1, 2));
        assert_eq!(f.received, f.successful + f.unsuccessful + f.in_progress_at_end);
        assert_eq!(f.success_rate_of_concluded, Some(0.75));
        assert_eq!(f.success_rate_of_received, Some(0.5));
    }

    #[test]
    fn nothing_concluded_has_no_rate() {
        let f = case_figures(&[(d("2026-01-10"), "received", 2)], d("2026-01-01"), d("2026-12-31"));
        assert_eq!(f.success_rate_of_concluded, None);
        assert_eq!(f.success_rate_of_received, Some(0.0));
        assert_eq!(f.in_progress_at_end, 2);
    }
}
