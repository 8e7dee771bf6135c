//! Small cells: what a statistics client (`stats`: machine clients and statistics readers) is
//! shown. A count of people from 1 to `min` − 1 can single out a person ("1 ethnic-minority
//! mediator"), and so can a small count of cases in a village ("1 unsuccessful land case in
//! March"): such a count is suppressed (`null`),
//! and so is every count that would let it be recomputed from the others: the total minus the
//! other lines of a breakdown, `received` minus its parts, the mediators minus the women.
//! Officers, viewers and administrators — who may read the records themselves — see every count.
//! The rule is docs/statistics.md's "Small cells"; the table test below is its worked example.

use super::dto::*;
use super::figures::{rate, CaseFigures};
use crate::auth::{Actor, Role};

/// Whether the caller sees every count and exact days, or the protected answer.
pub fn sees_exact_figures(actor: &Actor) -> bool {
    actor.role != Role::Stats
}

/// Which cells to suppress. `values` are the counts; `published[i]` is false for a count that is
/// never shown but can be worked out (the men among the mediators: total − women). Each group is
/// a set of cells of which one is the sum of the others (or two equal cells): whoever sees all
/// members of a group but one knows that one too.
///
/// Primary suppression hides every published count from 1 to `min` − 1. Secondary suppression
/// then, while some group has exactly one unknown member that must stay unknown (a suppressed
/// count, or an unpublished small one), hides one more member of that group: the smallest
/// non-zero one (a zero would hide nothing: counts are never negative), else the smallest. It
/// ends because it only ever hides.
pub fn suppress(values: &[i64], published: &[bool], groups: &[Vec<usize>], min: i64) -> Vec<bool> {
    suppress_sensitive(values, published, &vec![true; values.len()], groups, min)
}

/// `suppress`, where only the cells marked `sensitive` are hidden for being small (the rest only
/// when they would give a hidden one back).
pub fn suppress_sensitive(values: &[i64], published: &[bool], sensitive: &[bool], groups: &[Vec<usize>], min: i64) -> Vec<bool> {
    let small = |v: i64| v > 0 && v < min;
    let mut hidden: Vec<bool> = values.iter().zip(published).zip(sensitive).map(|((&v, &p), &s)| p && s && small(v)).collect();
    loop {
        let mut changed = false;
        for group in groups {
            let mut unknown = group.iter().copied().filter(|&i| hidden[i] || !published[i]);
            let (Some(only), None) = (unknown.next(), unknown.next()) else { continue };
            if !(hidden[only] || small(values[only])) {
                continue;
            }
            let other =
                group.iter().copied().filter(|&i| i != only && published[i] && !hidden[i]).min_by_key(|&i| (values[i] == 0, values[i], i));
            if let Some(i) = other {
                hidden[i] = true;
                changed = true;
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// The count fields of a set of case figures, in the order of `CaseCells`.
const RECEIVED: usize = 0;
const NEW: usize = 1;
const CARRIED: usize = 2;
const SUCCESSFUL: usize = 3;
const UNSUCCESSFUL: usize = 4;
const OUT_OF_SCOPE: usize = 5;
const IN_PROGRESS: usize = 6;
const FIELDS: usize = 7;

fn counts(c: &CaseFigures) -> [i64; FIELDS] {
    [c.received, c.new, c.carried_over, c.successful, c.unsuccessful, c.out_of_scope, c.in_progress_at_end]
}

fn cells(c: &CaseFigures, hidden: &[bool]) -> CaseCells {
    let v = counts(c);
    let show = |f: usize| (!hidden[f]).then_some(v[f]);
    // A rate with a hidden term would give that term back.
    let concluded = if hidden[SUCCESSFUL] || hidden[UNSUCCESSFUL] { None } else { rate(c.successful, c.successful + c.unsuccessful) };
    let of_received = if hidden[SUCCESSFUL] || hidden[RECEIVED] { None } else { rate(c.successful, c.received) };
    CaseCells {
        received: show(RECEIVED),
        new: show(NEW),
        carried_over: show(CARRIED),
        successful: show(SUCCESSFUL),
        unsuccessful: show(UNSUCCESSFUL),
        out_of_scope: show(OUT_OF_SCOPE),
        in_progress_at_end: show(IN_PROGRESS),
        success_rate_of_concluded: concluded,
        success_rate_of_received: of_received,
        suppressed: hidden[..FIELDS].iter().any(|&h| h),
    }
}

/// The answer of `GET /stats/indicators`: every count when `min` is `None`, the protected one for
/// a statistics client (`Some(HOAGIAI_STATS_MIN_CELL)`).
pub fn publish(c: ComputedIndicators, min: Option<i64>) -> Indicators {
    let sets: Vec<&CaseFigures> = std::iter::once(&c.figures.cases).chain(c.breakdown.iter().map(|l| &l.cases)).collect();
    let lines = c.breakdown.len();
    let at = |set: usize, field: usize| set * FIELDS + field;
    let mut values: Vec<i64> = sets.iter().flat_map(|s| counts(s)).collect();
    let mut published = vec![true; values.len()];
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for s in 0..sets.len() {
        groups.push(vec![at(s, RECEIVED), at(s, NEW), at(s, CARRIED)]);
        groups.push(vec![at(s, RECEIVED), at(s, SUCCESSFUL), at(s, UNSUCCESSFUL), at(s, IN_PROGRESS)]);
    }
    // The lines against the total. Units, categories and bases split the cases: each count of the
    // total is the sum of the lines'. Months split what happens within the period; what is open
    // passes from one month to the next (a month's end is the next one's carried over).
    let additive: &[usize] = match c.breakdown_by {
        None => &[],
        Some(BreakdownBy::Month) => &[NEW, SUCCESSFUL, UNSUCCESSFUL, OUT_OF_SCOPE],
        Some(_) => &[RECEIVED, NEW, CARRIED, SUCCESSFUL, UNSUCCESSFUL, OUT_OF_SCOPE, IN_PROGRESS],
    };
    for &f in additive {
        groups.push((0..=lines).map(|s| at(s, f)).collect());
    }
    if c.breakdown_by == Some(BreakdownBy::Month) && lines > 0 {
        groups.push(vec![at(0, CARRIED), at(1, CARRIED)]);
        for m in 1..lines {
            groups.push(vec![at(m, IN_PROGRESS), at(m + 1, CARRIED)]);
        }
        groups.push(vec![at(lines, IN_PROGRESS), at(0, IN_PROGRESS)]);
    }
    // The mediators: each kind and what is left of the total (never shown, but worked out).
    let m = &c.figures.mediators;
    let roster = values.len();
    let kinds = [m.women, m.ethnic_minority, m.with_legal_training, m.trained_this_year];
    values.push(m.total);
    values.extend(kinds);
    values.extend(kinds.iter().map(|k| m.total - k));
    published.extend([true; 5]);
    published.extend([false; 4]);
    for k in 0..4 {
        groups.push(vec![roster, roster + 1 + k, roster + 5 + k]);
    }
    let overdue = values.len();
    values.push(c.overdue_assignments);
    published.push(true);
    // People are counted small everywhere; cases only where the area is small enough to point at
    // a household (a village, or lines by village). A commune's or a province's case counts are
    // what the law has communes report up, exactly.
    let mut sensitive = vec![c.small_area; roster];
    sensitive.extend([true; 9]);
    sensitive.push(c.small_area);

    let hidden = match min {
        Some(min) => suppress_sensitive(&values, &published, &sensitive, &groups, min),
        None => vec![false; values.len()],
    };
    let show = |i: usize| (!hidden[i]).then_some(values[i]);
    let set_cells = |s: usize| cells(sets[s], &hidden[at(s, 0)..at(s + 1, 0)]);
    let mediators = MediatorCells {
        total: show(roster),
        women: show(roster + 1),
        ethnic_minority: show(roster + 2),
        with_legal_training: show(roster + 3),
        trained_this_year: show(roster + 4),
        suppressed: hidden[roster..roster + 5].iter().any(|&h| h),
    };
    let breakdown = c
        .breakdown
        .iter()
        .enumerate()
        .map(|(i, l)| BreakdownLine { key: l.key.clone(), label: l.label.clone(), cases: set_cells(i + 1) })
        .collect();
    Indicators {
        figures: IndicatorFigures { teams: c.figures.teams, mediators, cases: set_cells(0), funding: c.figures.funding.clone() },
        overdue_assignments: show(overdue),
        breakdown,
        unit_id: c.unit_id,
        unit_name: c.unit_name,
        period: c.period,
        boundaries: c.boundaries,
        needs_manual_mapping: c.needs_manual_mapping,
        breakdown_by: c.breakdown_by,
        min_cell: min,
        generated_at: c.generated_at,
    }
}

/// A frozen report as a statistics client reads it: the raw figures left out, and on the lines
/// the same rule as `publish` — people counted small at every level, cases only in a village
/// (`small_area`) — with every relation of the form closed: mediators = each kind + the rest,
/// received = carried over + new = successful + unsuccessful + in progress. A hidden actual hides
/// its total too (total − estimate would give it back), and a rate with a hidden term is hidden.
pub fn protect_report(report: &mut super::reports::ReportDto, min: i64, small_area: bool) {
    let Some(actual) = report.actual.take() else { return };
    let (m, c) = (&actual.mediators, &actual.cases);
    let kinds = [m.women, m.ethnic_minority, m.with_legal_training];
    // Cells: 0 mediators, 1–3 the kinds, 4–6 the rest of each kind (never shown), then the cases.
    let mut values = vec![m.total];
    values.extend(kinds);
    values.extend(kinds.iter().map(|k| m.total - k));
    let cases = values.len();
    values.extend([c.received, c.carried_over, c.new, c.successful, c.unsuccessful, c.in_progress_at_end, c.out_of_scope]);
    let mut published = vec![true; values.len()];
    published[4..7].fill(false);
    let mut sensitive = vec![true; cases];
    sensitive.extend([small_area; 7]);
    let at = |i: usize| cases + i;
    let mut groups: Vec<Vec<usize>> = (0..3).map(|k| vec![0, 1 + k, 4 + k]).collect();
    groups.push(vec![at(0), at(1), at(2)]);
    groups.push(vec![at(0), at(3), at(4), at(5)]);
    let hidden = suppress_sensitive(&values, &published, &sensitive, &groups, min);
    let cell = |code: &str| match code {
        "mediators" => Some(0),
        "mediators_women" => Some(1),
        "mediators_ethnic_minority" => Some(2),
        "mediators_legal_training" => Some(3),
        "received" => Some(at(0)),
        "carried_over" => Some(at(1)),
        "new" => Some(at(2)),
        "successful" => Some(at(3)),
        "unsuccessful" => Some(at(4)),
        "in_progress" => Some(at(5)),
        "out_of_scope" => Some(at(6)),
        _ => None,
    };
    let rate_terms: &[(&str, &[usize])] = &[("success_rate_of_concluded", &[at(3), at(4)]), ("success_rate_of_received", &[at(3), at(0)])];
    for line in &mut report.lines {
        let hide = match cell(line.code) {
            Some(i) => hidden[i],
            None => rate_terms.iter().any(|(code, terms)| *code == line.code && terms.iter().any(|&t| hidden[t])),
        };
        if hide {
            line.actual = None;
            line.total = None;
            line.suppressed = true;
        }
    }
    report.min_cell = Some(min);
}

/// The access-to-law assessment as a statistics client reads it. Its case measures are the
/// commune's, exact; a measure of people (mediators trained of the active ones) whose trained or
/// untrained count is small is hidden with its value, since either gives the other back.
pub fn protect_assessment(a: &mut super::access::AccessAssessment, min: i64) {
    let small = |v: i64| v > 0 && v < min;
    for r in &mut a.indicators {
        if r.metric != super::access::AccessMetric::MediatorsTrained {
            continue;
        }
        if let (Some(n), Some(d)) = (r.numerator, r.denominator) {
            let (n, d) = (n.round() as i64, d.round() as i64);
            if small(n) || small(d - n) {
                (r.value, r.numerator, r.denominator, r.suppressed) = (None, None, None, true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A commune's total and its villages, by received: 11 = 1 + 10 + 0. The 1 is suppressed;
    /// alone, it would be 11 − 10 − 0, so the 10 goes too (the smallest non-zero other), and the
    /// zero stays.
    #[test]
    fn secondary_suppression_closes_the_total() {
        let values = [11, 1, 10, 0];
        let hidden = suppress(&values, &[true; 4], &[vec![0, 1, 2, 3]], 3);
        assert_eq!(hidden, vec![false, true, true, false]);
    }

    /// Two small lines protect each other; a big total with no small line hides nothing.
    #[test]
    fn two_small_cells_need_nothing_more() {
        assert_eq!(suppress(&[12, 1, 2, 9], &[true; 4], &[vec![0, 1, 2, 3]], 3), vec![false, true, true, false]);
        assert_eq!(suppress(&[12, 3, 9], &[true; 3], &[vec![0, 1, 2]], 3), vec![false; 3]);
        assert_eq!(suppress(&[12, 1, 9], &[true; 3], &[vec![0, 1, 2]], 1), vec![false; 3], "1 turns it off");
    }

    /// 5 mediators, 4 of them ethnic minority: the 1 who is not would be singled out by 5 − 4.
    #[test]
    fn a_small_complement_hides_its_kind() {
        assert_eq!(suppress(&[5, 4, 1], &[true, true, false], &[vec![0, 1, 2]], 3), vec![false, true, false]);
        assert_eq!(suppress(&[5, 2, 3], &[true, true, false], &[vec![0, 1, 2]], 3), vec![false, true, false]);
        assert_eq!(suppress(&[5, 3, 2], &[true, true, false], &[vec![0, 1, 2]], 3), vec![false, true, false]);
        assert_eq!(suppress(&[6, 3, 3], &[true, true, false], &[vec![0, 1, 2]], 3), vec![false; 3]);
    }

    /// Suppression spreads through groups that share a cell until no group gives one back:
    /// rows a = b + c, columns b = d + e; d = 1 hides e (the column), then e hidden alone in
    /// no other group; b stays (its column has two unknowns).
    #[test]
    fn suppression_spreads_until_nothing_can_be_recomputed() {
        // cells: 0 a, 1 b, 2 c, 3 d, 4 e, 5 f; groups: a = b + c, b = d + e, c = d' … chain b = f
        let values = [20, 8, 12, 1, 7, 8];
        let groups = vec![vec![0, 1, 2], vec![1, 3, 4], vec![1, 5]];
        let hidden = suppress(&values, &[true; 6], &groups, 3);
        assert_eq!(hidden, vec![false, false, false, true, true, false]);
        // Hide b by force of a small d and e: b = d + e = 2, then b's equal f and its row follow.
        let values = [20, 2, 18, 1, 1, 2];
        let hidden = suppress(&values, &[true; 6], &groups, 3);
        assert_eq!(hidden, vec![false, true, true, true, true, true]);
    }

    fn figures(received: i64, new: i64, successful: i64, unsuccessful: i64) -> CaseFigures {
        CaseFigures {
            received,
            new,
            carried_over: received - new,
            successful,
            unsuccessful,
            out_of_scope: 0,
            in_progress_at_end: received - successful - unsuccessful,
            success_rate_of_concluded: rate(successful, successful + unsuccessful),
            success_rate_of_received: rate(successful, received),
        }
    }

    fn computed(total: CaseFigures, lines: Vec<CaseFigures>, by: BreakdownBy) -> ComputedIndicators {
        ComputedIndicators {
            unit_id: None,
            unit_name: None,
            period: Period::parse("2026").unwrap(),
            overdue_assignments: 0,
            figures: Figures {
                teams: 2,
                mediators: MediatorFigures { total: 7, women: 3, ethnic_minority: 1, with_legal_training: 7, trained_this_year: 0 },
                cases: total,
                funding: FundingFigures::default(),
            },
            boundaries: Boundaries::Current,
            needs_manual_mapping: Vec::new(),
            breakdown_by: Some(by),
            breakdown: lines
                .into_iter()
                .enumerate()
                .map(|(i, cases)| ComputedLine { key: i.to_string(), label: i.to_string(), cases })
                .collect(),
            generated_at: chrono::Utc::now(),
            small_area: true,
        }
    }

    #[test]
    fn a_breakdown_for_a_statistics_client_and_for_an_officer() {
        // Village 0: 1 case received, in progress. Village 1: 9 received, 6 successful, 3 unsuccessful.
        let c = computed(figures(10, 10, 6, 3), vec![figures(1, 1, 0, 0), figures(9, 9, 6, 3)], BreakdownBy::Unit);
        let officer = publish(c.clone(), None);
        assert_eq!(officer.breakdown[0].cases.received, Some(1));
        assert_eq!(officer.figures.mediators.ethnic_minority, Some(1));
        assert!(!officer.breakdown[0].cases.suppressed && officer.min_cell.is_none());

        let stats = publish(c, Some(3));
        let (v0, v1, total) = (&stats.breakdown[0].cases, &stats.breakdown[1].cases, &stats.figures.cases);
        assert!(v0.suppressed && v0.received.is_none() && v0.new.is_none() && v0.in_progress_at_end.is_none());
        // Village 1's received and new would give village 0's back (10 − 9): hidden too, with
        // its rate of received.
        assert!(v1.suppressed && v1.received.is_none() && v1.new.is_none() && v1.success_rate_of_received.is_none());
        // The total's 1 in progress is small; 10 − 6 − 3 would give it back, so the total's 3
        // unsuccessful goes (the smallest other), and then village 1's 3 (the total's would be
        // village 1's + village 0's shown 0), with both rates of concluded.
        assert_eq!((total.received, total.successful, total.unsuccessful, total.in_progress_at_end), (Some(10), Some(6), None, None));
        assert_eq!((total.success_rate_of_received, total.success_rate_of_concluded), (Some(0.6), None));
        assert_eq!((v1.successful, v1.unsuccessful, v1.in_progress_at_end, v1.success_rate_of_concluded), (Some(6), None, Some(0), None));
        // 1 ethnic-minority mediator of 7: hidden; 3 women of 7 (4 men): shown.
        assert_eq!(
            (stats.figures.mediators.total, stats.figures.mediators.women, stats.figures.mediators.ethnic_minority),
            (Some(7), Some(3), None)
        );
        assert_eq!(stats.min_cell, Some(3));
    }
}
