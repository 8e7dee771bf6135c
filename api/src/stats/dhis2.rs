//! The indicators as a DHIS2 data value set (`dataValueSets` JSON), for upper-level systems that
//! import aggregate data: each count is one data value of a data element (by its code), an
//! organisation unit (by the unit's official code) and a period (in DHIS2's period format). The
//! mapping is in docs/integrations.md ("DHIS2"); rates are not sent, since DHIS2 computes its own
//! indicators from the counts.

use serde::Serialize;
use utoipa::ToSchema;

use super::dto::{CaseCells, Indicators, Period};
use crate::error::ApiError;

/// A case figure of an answer's line.
type CaseFigure = fn(&CaseCells) -> Option<i64>;

/// The data elements, by code: what each one counts is the indicator of the same name in
/// docs/statistics.md.
pub const CASE_ELEMENTS: [(&str, CaseFigure); 7] = [
    ("HGCS_CASES_RECEIVED", |c| c.received),
    ("HGCS_CASES_NEW", |c| c.new),
    ("HGCS_CASES_CARRIED_OVER", |c| c.carried_over),
    ("HGCS_CASES_SUCCESSFUL", |c| c.successful),
    ("HGCS_CASES_UNSUCCESSFUL", |c| c.unsuccessful),
    ("HGCS_CASES_OUT_OF_SCOPE", |c| c.out_of_scope),
    ("HGCS_CASES_IN_PROGRESS_END", |c| c.in_progress_at_end),
];

/// A data value set (DHIS2 Web API, `POST /api/dataValueSets`), with data elements and
/// organisation units given by code: import it with `dataElementIdScheme=CODE` and
/// `orgUnitIdScheme=CODE`.
#[derive(Serialize, ToSchema, Debug)]
#[serde(rename_all = "camelCase")]
pub struct DataValueSet {
    pub data_values: Vec<DataValue>,
}

#[derive(Serialize, ToSchema, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DataValue {
    /// The data element's code (`HGCS_CASES_RECEIVED`, …).
    pub data_element: String,
    /// The period in DHIS2's format: `2026`, `2026S1`, `2026Q3`, `202607`.
    pub period: String,
    /// The organisation unit's code: the unit's official code (GSO).
    pub org_unit: String,
    /// The count, as DHIS2 writes every value: a string.
    pub value: String,
}

/// The DHIS2 period of one of ours: a year, a half-year (DHIS2's six-monthly `S1` is January to
/// June), a quarter or a month. A range of days has none.
pub fn period(p: &Period) -> Option<String> {
    let label = p.label.trim();
    if label.contains("..") {
        return None;
    }
    let (year, rest) = match label.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (label, None),
    };
    match rest {
        None => Some(year.to_string()),
        Some("H1") => Some(format!("{year}S1")),
        Some("H2") => Some(format!("{year}S2")),
        Some(q) if q.starts_with('Q') => Some(format!("{year}{q}")),
        Some(m) => Some(format!("{year}{m}")),
    }
}

/// The data value set of an answer. `unit_code` is the code of the unit reported on, `line_codes`
/// those of the breakdown's units, in its order. Without a breakdown the unit's own figures are
/// sent (teams, mediators, cases, funding); with a breakdown by unit, the case figures of each
/// unit of the breakdown only, since DHIS2 adds children up to their parents itself and the
/// total would count twice. A suppressed count (`null`, a small cell) is left out: DHIS2 reads a
/// missing value as "no value", never as 0.
pub fn data_value_set(i: &Indicators, unit_code: Option<&str>, line_codes: &[Option<String>]) -> Result<DataValueSet, ApiError> {
    let period = period(&i.period).ok_or_else(|| {
        ApiError::invalid_field("period", "invalid_value").with_detail(
            "DHIS2 chỉ nhận kỳ là năm, 6 tháng, quý hoặc tháng",
            "DHIS2 takes a year, a half-year, a quarter or a month, not a range of days",
        )
    })?;
    let no_code = || {
        ApiError::invalid_field("unit_id", "no_official_code").with_detail(
            "Đơn vị không có mã chính thức để làm mã đơn vị tổ chức của DHIS2",
            "The unit has no official code to serve as the DHIS2 organisation unit code",
        )
    };
    let mut values = Vec::new();
    let mut push = |element: &str, org_unit: &str, value: Option<i64>| {
        if let Some(v) = value {
            values.push(DataValue {
                data_element: element.to_string(),
                period: period.clone(),
                org_unit: org_unit.to_string(),
                value: v.to_string(),
            });
        }
    };
    match i.breakdown_by {
        None => {
            let org_unit = unit_code.ok_or_else(no_code)?;
            let f = &i.figures;
            push("HGCS_TEAMS", org_unit, Some(f.teams));
            push("HGCS_MEDIATORS", org_unit, f.mediators.total);
            push("HGCS_MEDIATORS_WOMEN", org_unit, f.mediators.women);
            push("HGCS_MEDIATORS_ETHNIC_MINORITY", org_unit, f.mediators.ethnic_minority);
            push("HGCS_MEDIATORS_LEGAL_TRAINING", org_unit, f.mediators.with_legal_training);
            push("HGCS_MEDIATORS_TRAINED_THIS_YEAR", org_unit, f.mediators.trained_this_year);
            for (element, value) in CASE_ELEMENTS {
                push(element, org_unit, value(&f.cases));
            }
            push("HGCS_FUNDING_BUDGETED", org_unit, Some(f.funding.budgeted));
            push("HGCS_FUNDING_DISBURSED", org_unit, Some(f.funding.disbursed));
        }
        Some(super::dto::BreakdownBy::Unit) => {
            for (line, code) in i.breakdown.iter().zip(line_codes) {
                let org_unit = code.as_deref().ok_or_else(|| {
                    no_code().with_detail(
                        format!("{} không có mã chính thức (thôn, tổ dân phố không có mã)", line.label),
                        format!("{} has no official code (villages have none)", line.label),
                    )
                })?;
                for (element, value) in CASE_ELEMENTS {
                    push(element, org_unit, value(&line.cases));
                }
            }
        }
        Some(_) => {
            return Err(ApiError::invalid_field("by", "invalid_value").with_detail(
                "DHIS2 nhận số liệu theo đơn vị: không phân tổ, hoặc by=unit",
                "DHIS2 takes figures by organisation unit: no breakdown, or by=unit",
            ))
        }
    }
    Ok(DataValueSet { data_values: values })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(label: &str) -> Option<String> {
        period(&Period::parse(label).unwrap())
    }

    #[test]
    fn periods_in_dhis2_format() {
        assert_eq!(p("2026").as_deref(), Some("2026"));
        assert_eq!(p("2026-H1").as_deref(), Some("2026S1"));
        assert_eq!(p("2026-H2").as_deref(), Some("2026S2"));
        assert_eq!(p("2026-Q3").as_deref(), Some("2026Q3"));
        assert_eq!(p("2026-07").as_deref(), Some("202607"));
        assert_eq!(p("2026-03-15..2026-04-14"), None);
    }
}
