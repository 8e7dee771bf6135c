//! The rules of ending a membership (Law on Grassroots Mediation 2013, art. 13; Decree 15/2014):
//! the commune chairman decides a mediator's removal on the request of the head of the village's
//! Front work committee, who makes it with the team leader; a mediator may also ask to leave.

use chrono::NaiveDate;

use super::dto::{MembershipEndReason, RemovalRequest, RemovalRequester};

/// What an ending says, as far as the rule looks at it.
pub struct Ending<'a> {
    pub reason: MembershipEndReason,
    pub to_date: NaiveDate,
    pub decision: Option<&'a str>,
    pub decision_date: Option<NaiveDate>,
    pub request: Option<RemovalRequest>,
    pub removal_reason: Option<&'a str>,
}

/// A removal against the mediator's will (no longer meeting the criteria, a violation) rests on
/// the Front committee head's request, gives its reason and is the chairman's decision; a request
/// comes before its decision and not after `today`. Returns the field at fault and the code.
pub fn check_ending(e: &Ending<'_>, today: NaiveDate) -> Result<(), (&'static str, &'static str)> {
    let removal = matches!(e.reason, MembershipEndReason::NoLongerMeetsCriteria | MembershipEndReason::Violation);
    if e.reason == MembershipEndReason::Transferred {
        // A move to a successor team has its own command, with the new team's recognition.
        return Err(("end_reason", "use_transfer"));
    }
    if removal {
        match e.request {
            None => return Err(("removal_request", "removal_request_required")),
            Some(r) if r.requested_by != RemovalRequester::FrontCommitteeHead => {
                return Err(("removal_request.requested_by", "front_committee_request_required"))
            }
            Some(_) => {}
        }
        if e.removal_reason.is_none_or(|r| r.trim().is_empty()) {
            return Err(("removal_reason", "reason_required"));
        }
        if e.decision.is_none() {
            return Err(("end_decision", "decision_required"));
        }
        if e.decision_date.is_none() {
            return Err(("end_decision_date", "decision_required"));
        }
    }
    if let Some(r) = e.request {
        if r.requested_on > today {
            return Err(("removal_request.requested_on", "in_the_future"));
        }
        if e.decision_date.is_some_and(|d| d < r.requested_on) {
            return Err(("end_decision_date", "decision_before_request"));
        }
    }
    if e.decision_date.is_some_and(|d| d > today) {
        return Err(("end_decision_date", "in_the_future"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn ending(reason: MembershipEndReason) -> Ending<'static> {
        Ending {
            reason,
            to_date: d(2026, 3, 1),
            decision: Some("12/QĐ-UBND"),
            decision_date: Some(d(2026, 2, 20)),
            request: Some(RemovalRequest { requested_by: RemovalRequester::FrontCommitteeHead, requested_on: d(2026, 2, 10) }),
            removal_reason: Some("Nhiều lần vi phạm nguyên tắc hòa giải"),
        }
    }

    #[test]
    fn a_removal_needs_the_front_committee_request_a_reason_and_the_decision() {
        let today = d(2026, 11, 30);
        assert_eq!(check_ending(&ending(MembershipEndReason::Violation), today), Ok(()));
        let no_request = Ending { request: None, ..ending(MembershipEndReason::Violation) };
        assert_eq!(check_ending(&no_request, today), Err(("removal_request", "removal_request_required")));
        let own = Ending {
            request: Some(RemovalRequest { requested_by: RemovalRequester::Mediator, requested_on: d(2026, 2, 10) }),
            ..ending(MembershipEndReason::NoLongerMeetsCriteria)
        };
        assert_eq!(check_ending(&own, today), Err(("removal_request.requested_by", "front_committee_request_required")));
        let no_reason = Ending { removal_reason: Some("  "), ..ending(MembershipEndReason::Violation) };
        assert_eq!(check_ending(&no_reason, today), Err(("removal_reason", "reason_required")));
        let no_decision = Ending { decision: None, ..ending(MembershipEndReason::Violation) };
        assert_eq!(check_ending(&no_decision, today), Err(("end_decision", "decision_required")));
    }

    #[test]
    fn a_request_comes_before_its_decision_and_leaving_at_ones_own_wish_needs_none() {
        let today = d(2026, 11, 30);
        let early = Ending { decision_date: Some(d(2026, 2, 1)), ..ending(MembershipEndReason::Violation) };
        assert_eq!(check_ending(&early, today), Err(("end_decision_date", "decision_before_request")));
        let bare =
            Ending { decision: None, decision_date: None, request: None, removal_reason: None, ..ending(MembershipEndReason::OwnWish) };
        assert_eq!(check_ending(&bare, today), Ok(()));
        let moved = Ending { request: None, ..ending(MembershipEndReason::Transferred) };
        assert_eq!(check_ending(&moved, today), Err(("end_reason", "use_transfer")));
    }
}
