//! The written agreement (văn bản hòa giải thành) as a page to print and sign, prefilled from the
//! case with the contents Article 24(2) of the Law on Grassroots Mediation asks of it: the basis
//! of the mediation, the parties, the main content, the course of the mediation, the agreement
//! and how it is carried out, the parties' rights and duties, and the signatures or fingerprints
//! of the parties and the mediators. What the record does not hold (how and by when the agreement
//! is carried out) is left as lines to write on.

use serde::Serialize;

use super::dto::{CaseDto, CaseStatus, EndReason, PartyRole};
use crate::auth::Actor;
use crate::codes::CodeEnum;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::export::html::{self, Page};

#[derive(Serialize)]
struct PartyLines {
    heading: String,
    name: String,
    kind: Option<&'static str>,
    born: String,
    address: String,
    id_number: Option<String>,
}

#[derive(Serialize)]
struct SessionLine {
    held_on: chrono::NaiveDate,
    place: Option<String>,
    notes: Option<String>,
}

/// The page for a case the caller may see with its parties' data (403 otherwise). A case that
/// ended without agreement, or was out of scope, has no written agreement (409 `no_agreement`).
pub fn written_agreement(conn: &mut DbConn, actor: &Actor, case: &CaseDto) -> Result<Page, ApiError> {
    if !actor.sees_party_details() || case.redacted {
        return Err(ApiError::forbidden());
    }
    let ended_without = matches!(case.status, CaseStatus::Unsuccessful | CaseStatus::OutOfScope)
        || case.end.as_ref().is_some_and(|e| e.reason != EndReason::Agreement);
    if ended_without {
        return Err(ApiError::conflict("no_agreement").with_detail(
            "Vụ, việc không hòa giải thành nên không có văn bản hòa giải thành",
            "The case did not end in agreement: there is no written agreement",
        ));
    }
    let team = {
        use crate::db::schema::teams;
        use diesel::prelude::*;
        teams::table.find(&case.team_id).select(crate::teams::model::Team::as_select()).first(conn)?
    };
    let village = crate::units::store::find(conn, &crate::auth::Scope::national(), &team.unit_id)?;
    let mut numbered = 0;
    let parties: Vec<PartyLines> = case
        .parties
        .iter()
        .map(|p| {
            let heading = match p.role {
                PartyRole::Party => {
                    numbered += 1;
                    format!("Bên thứ {}", ordinal(numbered))
                }
                PartyRole::RelatedPerson => PartyRole::RelatedPerson.labels().0.to_string(),
            };
            PartyLines {
                heading,
                name: p.full_name.clone().unwrap_or_default(),
                kind: (p.kind != super::dto::PartyKind::Person).then(|| p.kind.labels().0),
                born: match (p.birth_year, p.age) {
                    (Some(y), _) => format!("Năm sinh: {y}"),
                    (None, Some(a)) => format!("Tuổi: {a}"),
                    (None, None) => "Năm sinh: ……".into(),
                },
                address: p.address.clone().unwrap_or_else(|| "……………………".into()),
                id_number: p.id_number.clone(),
            }
        })
        .collect();
    let mediators: Vec<&str> = case
        .assignments
        .iter()
        .filter(|a| !case.conflicts.iter().any(|c| c.mediator_id == a.mediator_id))
        .map(|a| a.mediator_name.as_str())
        .collect();
    let sessions: Vec<SessionLine> =
        case.sessions.iter().map(|s| SessionLine { held_on: s.held_on, place: s.place.clone(), notes: s.notes.clone() }).collect();
    let signed_on = case.written_agreement.as_ref().map(|w| w.date).or(case.end.as_ref().map(|e| e.ended_on));
    let place_date = match signed_on {
        Some(d) => crate::units::names::place_date(&village.name, d),
        None => format!("{}, ngày …… tháng …… năm ……", crate::units::names::split(&village.name).1),
    };
    let signing_parties: Vec<(&str, &str)> = parties.iter().map(|p| (p.heading.as_str(), p.name.as_str())).collect();
    html::render(
        "written_agreement.html",
        minijinja::context! {
            team => &team.name,
            team_upper => team.name.to_uppercase(),
            village_upper => village.name.to_uppercase(),
            place_date => place_date,
            line => case.logbook_line,
            year => chrono::Datelike::year(&case.received_on),
            basis => case.basis.labels().0,
            referring_body => &case.referring_body,
            received_on => case.received_on,
            parties => &parties,
            signing_parties => signing_parties,
            summary => &case.summary,
            mediators => mediators,
            sessions => sessions,
            agreement => case.end.as_ref().and_then(|e| e.agreement_text.clone()),
            copies => parties.len() + 1,
        },
    )
}

/// "thứ nhất", "thứ hai", … as Vietnamese counts the sides of a dispute.
fn ordinal(n: usize) -> String {
    match n {
        1 => "nhất".into(),
        4 => "tư".into(),
        n => ["", "", "hai", "ba", "", "năm", "sáu", "bảy", "tám", "chín", "mười"]
            .get(n)
            .filter(|s| !s.is_empty())
            .map_or(n.to_string(), |s| s.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_sides_are_counted_in_words() {
        assert_eq!(super::ordinal(1), "nhất");
        assert_eq!(super::ordinal(2), "hai");
        assert_eq!(super::ordinal(4), "tư");
        assert_eq!(super::ordinal(12), "12");
    }
}
