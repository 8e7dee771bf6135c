//! The composition rules of a team (Law on Grassroots Mediation, art. 12): reported, not enforced,
//! because the data must record reality.

use serde::Serialize;
use utoipa::ToSchema;

/// The people serving in a team today, as the rules see them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Composition {
    pub active_mediators: i64,
    pub women: i64,
    pub ethnic_minority: i64,
    pub leaders: i64,
    /// The team's village is an ethnic-minority area.
    pub ethnic_minority_area: bool,
}

/// A broken rule, by stable code.
#[derive(Serialize, ToSchema, Clone, Debug, PartialEq, Eq)]
pub struct HealthWarning {
    /// `too_few_mediators`, `no_woman`, `no_ethnic_minority_mediator`, `no_leader`, `several_leaders`
    pub code: &'static str,
    pub message_vi: &'static str,
    pub message_en: &'static str,
}

pub const MIN_MEDIATORS: i64 = 3;

pub fn warnings(c: &Composition) -> Vec<HealthWarning> {
    let mut out = Vec::new();
    let mut warn = |code, vi, en| out.push(HealthWarning { code, message_vi: vi, message_en: en });
    if c.active_mediators < MIN_MEDIATORS {
        warn("too_few_mediators", "Tổ hòa giải có ít hơn 3 hòa giải viên", "The team has fewer than 3 mediators");
    }
    if c.women == 0 {
        warn("no_woman", "Tổ hòa giải chưa có hòa giải viên nữ", "The team has no woman mediator");
    }
    if c.ethnic_minority_area && c.ethnic_minority == 0 {
        warn(
            "no_ethnic_minority_mediator",
            "Vùng đồng bào dân tộc thiểu số nhưng tổ chưa có hòa giải viên là người dân tộc thiểu số",
            "An ethnic-minority area, but no ethnic-minority mediator",
        );
    }
    match c.leaders {
        0 => warn("no_leader", "Tổ hòa giải chưa có tổ trưởng", "The team has no leader"),
        1 => {}
        _ => warn("several_leaders", "Tổ hòa giải có nhiều hơn một tổ trưởng", "The team has more than one leader"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: Composition) -> Vec<&'static str> {
        warnings(&c).into_iter().map(|w| w.code).collect()
    }

    #[test]
    fn a_healthy_team_has_no_warnings() {
        let c = Composition { active_mediators: 5, women: 2, ethnic_minority: 0, leaders: 1, ethnic_minority_area: false };
        assert!(codes(c).is_empty());
    }

    #[test]
    fn each_rule_is_named() {
        let empty = Composition::default();
        assert_eq!(codes(empty), vec!["too_few_mediators", "no_woman", "no_leader"]);
        let c = Composition { active_mediators: 4, women: 1, ethnic_minority: 0, leaders: 2, ethnic_minority_area: true };
        assert_eq!(codes(c), vec!["no_ethnic_minority_mediator", "several_leaders"]);
    }
}
