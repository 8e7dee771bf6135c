//! Rating a team under a scheme, as a plain function: computed criteria come from the team's
//! cases, the others from the officer's judgements; the team achieves the rating when every
//! criterion is met.

use super::dto::{Criterion, CriterionKind, CriterionResult, Judgement, Rating};
use crate::error::ApiError;

/// The team's concluded cases in the year: (successful, concluded).
#[derive(Clone, Copy, Debug, Default)]
pub struct TeamYear {
    pub successful: i64,
    pub concluded: i64,
}

pub fn rate(criteria: &[Criterion], year: TeamYear, judgements: &[Judgement]) -> Result<(Vec<CriterionResult>, Rating), ApiError> {
    for (i, j) in judgements.iter().enumerate() {
        if !criteria.iter().any(|c| c.code == j.code) {
            return Err(ApiError::invalid_field(format!("judgements[{i}].code"), "invalid_value"));
        }
    }
    let judged = |code: &str| judgements.iter().find(|j| j.code == code);
    let mut out = Vec::new();
    for c in criteria {
        let result = match c.kind {
            CriterionKind::SuccessRateAtLeast if year.concluded > 0 => {
                let value = year.successful as f64 / year.concluded as f64;
                let threshold = f64::from(c.threshold_pct.unwrap_or(0)) / 100.0;
                CriterionResult {
                    code: c.code.clone(),
                    vi: c.vi.clone(),
                    met: value + 1e-9 >= threshold,
                    computed: true,
                    value: Some((value * 10_000.0).round() / 10_000.0),
                    successful: Some(year.successful),
                    concluded: Some(year.concluded),
                    note: judged(&c.code).and_then(|j| j.note.clone()),
                }
            }
            // With no concluded case there is no rate to compute: the officer judges it.
            _ => {
                let j = judged(&c.code).ok_or_else(|| {
                    ApiError::invalid_field("judgements", "missing_judgement")
                        .with_extension("criterion", serde_json::Value::String(c.code.clone()))
                })?;
                CriterionResult {
                    code: c.code.clone(),
                    vi: c.vi.clone(),
                    met: j.met,
                    computed: false,
                    value: None,
                    successful: (c.kind == CriterionKind::SuccessRateAtLeast).then_some(0),
                    concluded: (c.kind == CriterionKind::SuccessRateAtLeast).then_some(0),
                    note: j.note.clone(),
                }
            }
        };
        out.push(result);
    }
    let rating = if out.iter().all(|r| r.met) { Rating::Achieved } else { Rating::NotAchieved };
    Ok((out, rating))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> Vec<Criterion> {
        let c = |code: &str, kind, t| Criterion {
            code: code.into(),
            vi: code.into(),
            en: code.into(),
            kind,
            threshold_pct: t,
            confirmed: false,
        };
        vec![c("organisation", CriterionKind::Judgement, None), c("results", CriterionKind::SuccessRateAtLeast, Some(80))]
    }
    fn judge(code: &str, met: bool) -> Judgement {
        Judgement { code: code.into(), met, note: None }
    }

    #[test]
    fn eighty_percent_is_computed_from_the_cases() {
        let (r, rating) = rate(&scheme(), TeamYear { successful: 4, concluded: 5 }, &[judge("organisation", true)]).unwrap();
        assert!(r[1].met && r[1].computed && r[1].value == Some(0.8));
        assert_eq!(rating, Rating::Achieved);
        // The officer cannot overrule the figures.
        let (r, rating) =
            rate(&scheme(), TeamYear { successful: 3, concluded: 5 }, &[judge("organisation", true), judge("results", true)]).unwrap();
        assert!(!r[1].met);
        assert_eq!(rating, Rating::NotAchieved);
    }

    #[test]
    fn judgements_are_required_and_must_name_criteria() {
        assert!(rate(&scheme(), TeamYear { successful: 1, concluded: 1 }, &[]).is_err());
        assert!(rate(&scheme(), TeamYear { successful: 1, concluded: 1 }, &[judge("organisation", true), judge("nope", true)]).is_err());
        // No concluded case: the rate criterion needs a judgement too.
        assert!(rate(&scheme(), TeamYear::default(), &[judge("organisation", true)]).is_err());
        let (r, _) = rate(&scheme(), TeamYear::default(), &[judge("organisation", true), judge("results", true)]).unwrap();
        assert!(r[1].met && !r[1].computed);
    }
}
