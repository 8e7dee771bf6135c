//! The result rules of an election, as plain functions over the counts.
//!
//! * Mediators are elected by the household representatives of the village: a candidate is
//!   elected with **more than half** of the representatives (Joint Resolution 01/2014).
//! * The team leader is elected by the team's mediators: **more than half** of them, and **the most
//!   votes**; one leader.
//!
//! The minutes say who was elected; a result that breaks the rule is refused, naming the rule.

use super::dto::ElectionKind;

/// A candidate's counts as the minutes give them.
pub struct Counted {
    pub votes: i32,
    pub elected: bool,
}

/// More than half of `voters`, in whole votes: 2 × votes > voters.
pub fn has_majority(votes: i32, voters: i32) -> bool {
    2 * i64::from(votes) > i64::from(voters)
}

/// `Ok` when the declared results follow the rule; otherwise the code of the rule broken, with
/// the candidate's position (0-based).
pub fn check(kind: ElectionKind, voters: i32, votes_cast: i32, candidates: &[Counted]) -> Result<(), (&'static str, Option<usize>)> {
    if votes_cast > voters {
        return Err(("more_votes_than_voters", None));
    }
    if let Some(i) = candidates.iter().position(|c| c.votes > votes_cast) {
        return Err(("more_votes_than_cast", Some(i)));
    }
    if let Some(i) = candidates.iter().position(|c| c.elected && !has_majority(c.votes, voters)) {
        return Err(("majority_not_reached", Some(i)));
    }
    if kind == ElectionKind::Leader {
        let elected: Vec<usize> = candidates.iter().enumerate().filter(|(_, c)| c.elected).map(|(i, _)| i).collect();
        if elected.len() > 1 {
            return Err(("one_leader", Some(elected[1])));
        }
        let most = candidates.iter().map(|c| c.votes).max().unwrap_or(0);
        if let Some(&i) = elected.first() {
            // The most votes, and alone: a tie at the top elects nobody (the team votes again).
            if candidates[i].votes < most || candidates.iter().filter(|c| c.votes == most).count() > 1 {
                return Err(("not_the_most_votes", Some(i)));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(votes: i32, elected: bool) -> Counted {
        Counted { votes, elected }
    }

    #[test]
    fn a_vote_short_of_the_majority_does_not_elect() {
        // 120 households: 60 is half, not more than half.
        assert_eq!(check(ElectionKind::Mediator, 120, 110, &[c(60, true)]), Err(("majority_not_reached", Some(0))));
        assert_eq!(check(ElectionKind::Mediator, 120, 110, &[c(61, true), c(60, false)]), Ok(()));
        assert!(has_majority(4, 7) && !has_majority(3, 7) && !has_majority(3, 6) && has_majority(4, 6));
    }

    #[test]
    fn the_leader_needs_the_most_votes_and_is_one() {
        assert_eq!(check(ElectionKind::Leader, 7, 7, &[c(4, true), c(3, false)]), Ok(()));
        assert_eq!(check(ElectionKind::Leader, 7, 7, &[c(4, true), c(4, true)]), Err(("one_leader", Some(1))));
        // More than half of 7 each is impossible with 7 votes unless ballots allow several names:
        // the rule still asks for the most.
        assert_eq!(check(ElectionKind::Leader, 7, 7, &[c(4, true), c(5, false)]), Err(("not_the_most_votes", Some(0))));
        assert_eq!(check(ElectionKind::Leader, 7, 8, &[c(4, false)]), Err(("more_votes_than_voters", None)));
        assert_eq!(check(ElectionKind::Leader, 7, 5, &[c(6, false)]), Err(("more_votes_than_cast", Some(0))));
    }
}
