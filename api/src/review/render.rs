//! The year-end report as a printable page in Vietnamese (A4 portrait, `year_end_report.html`),
//! for the year-end conference: the plan's indicators beside the targets, then the details behind
//! them, under the national header with the number and place-date lines and signed by the
//! chairman on behalf of the People's Committee (Decree 30/2020/NĐ-CP).

use chrono::NaiveDate;
use serde::Serialize;

use super::dto::{PlanLine, YearEndReport};
use crate::codes::CodeEnum;
use crate::error::ApiError;
use crate::export::html::{self, Page};
use crate::print::dong;
use crate::units::names;

fn value(l: &PlanLine, v: Option<f64>) -> String {
    match (v, l.unit.as_str()) {
        (None, _) => "—".into(),
        (Some(v), "rate") => format!("{:.1}%", v * 100.0).replace('.', ","),
        (Some(v), "dong") => dong(v as i64),
        (Some(v), _) => format!("{}", v as i64),
    }
}

/// Where the page is issued: the unit's province (for "Nơi nhận") and the day it is printed.
pub struct Issued<'a> {
    pub province: &'a str,
    pub on: NaiveDate,
}

pub fn html(r: &YearEndReport, issued: &Issued<'_>) -> Result<Page, ApiError> {
    #[derive(Serialize)]
    struct Line {
        label: String,
        value: String,
        target: String,
        met: Option<bool>,
    }
    #[derive(Serialize)]
    struct Rating<'a> {
        team_name: &'a str,
        missed: Vec<&'a str>,
        rating: &'static str,
    }
    #[derive(Serialize)]
    struct Award<'a> {
        recipient_name: &'a str,
        title: &'a str,
        level: &'static str,
        reason: &'a str,
        decision_no: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Compliance<'a> {
        team_name: &'a str,
        warnings: Vec<&'static str>,
    }
    let plan: Vec<Line> = r
        .plan
        .iter()
        .map(|l| Line {
            label: l.label.clone(),
            value: value(l, l.value),
            target: if l.target.is_some() { value(l, l.target) } else { String::new() },
            met: l.met,
        })
        .collect();
    let ratings: Vec<Rating> = r
        .ratings
        .iter()
        .map(|rt| Rating {
            team_name: &rt.team_name,
            missed: rt.results.iter().filter(|c| !c.met).map(|c| c.vi.as_str()).collect(),
            rating: rt.rating.labels().0,
        })
        .collect();
    let awards: Vec<Award> = r
        .awards
        .iter()
        .map(|a| Award {
            recipient_name: &a.recipient_name,
            title: &a.title,
            level: a.level.labels().0,
            reason: &a.reason,
            decision_no: a.decision_no.as_deref(),
        })
        .collect();
    let compliance: Vec<Compliance> = r
        .teams_not_compliant
        .iter()
        .map(|t| Compliance { team_name: &t.team_name, warnings: t.warnings.iter().map(|w| w.message_vi).collect() })
        .collect();
    let funding: Vec<_> = r.funding.iter().chain(std::iter::once(&r.funding_total)).collect();
    html::render(
        "year_end_report.html",
        minijinja::context! {
            year => r.year,
            unit_name => &r.unit_name,
            unit_upper => r.unit_name.to_uppercase(),
            unit_kind => names::kind_in_text(&r.unit_name),
            province => names::in_text(issued.province),
            number => "……/BC-UBND",
            place_date => names::place_date(&r.unit_name, issued.on),
            as_of => r.as_of.to_string(),
            plan => plan,
            teams => r.teams,
            mediators => &r.mediators,
            teams_compliant => r.teams_compliant,
            mediators_trained => r.mediators_trained,
            teams_not_compliant => compliance,
            untrained => &r.untrained,
            ratings => ratings,
            funding => funding,
            awards => awards,
        },
    )
}
