//! Assembles a team's log book for a year from its cases.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::dto::{LogBook, LogBookCover, LogBookFollowUp, LogBookParty, LogBookRow, LogBookSummary, LogBookSummaryLine};
use crate::auth::Actor;
use crate::cases::dto::{AssignmentEnd, CaseStatus, Category, Implementation, Participant};
use crate::cases::model::Case;
use crate::codes::{stored, CodeEnum};
use crate::db::schema::{case_assignments, case_follow_ups, case_parties, case_sessions, cases, mediators, units};
use crate::db::{today, DbConn};
use crate::error::ApiError;
use crate::units::model::Unit;

/// A party as the book prints it.
#[derive(Queryable)]
struct PartyLine {
    case_id: String,
    name: String,
    age: Option<i32>,
    birth_year: Option<i32>,
    address: Option<String>,
    role: String,
    demand: Option<String>,
}

/// The cover's units: the team's chain (village, commune, district if any, province) as in force
/// on `day`, the day the volume was opened. A unit ended by then is named by the unit that took its
/// place (merge, rename, transfer); with none, a province, commune or village keeps its recorded
/// name, and a district is left out: a chain has a district on the cover only while it has one.
fn cover_units(conn: &mut DbConn, team_path: &str, day: NaiveDate) -> Result<Vec<Unit>, ApiError> {
    let ids: Vec<String> = team_path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
    let recorded: Vec<Unit> = units::table.filter(units::id.eq_any(&ids)).select(Unit::as_select()).load(conn)?;
    let mut out = Vec::new();
    for unit in recorded {
        let district = unit.level == "district";
        match crate::units::store::in_force_on(conn, unit.clone(), day)? {
            Some(u) => out.push(u),
            None if district => {}
            None => out.push(unit),
        }
    }
    Ok(out)
}

/// The book of a team for a year. It holds the parties' personal data, so only the team's leader
/// and the commune (officers and viewers scoped to it) may have it — not each mediator, who sees
/// the cases assigned to them.
pub fn assemble(conn: &mut DbConn, actor: &Actor, team_id: &str, year: i32) -> Result<LogBook, ApiError> {
    if !actor.sees_party_details() || actor.role == crate::auth::Role::Mediator {
        return Err(ApiError::forbidden().with_detail(
            "Sổ theo dõi có thông tin cá nhân của các bên; chỉ tổ hòa giải và cấp xã được xem",
            "The log book holds the parties' personal data: for the team and the commune only",
        ));
    }
    let team = crate::teams::store::find(conn, actor, team_id)?;

    // The team's cases of the year, and those it wrote down and a successor team carries on since
    // a merger: their line stays in this book, with where they went.
    let mut rows: Vec<Case> = cases::table
        .filter(cases::team_id.eq(&team.id).or(cases::transferred_from_team_id.eq(&team.id)))
        .filter(cases::received_year.eq(year))
        .select(Case::as_select())
        .load(conn)?;
    let line_here = |c: &Case| if c.team_id == team.id { c.logbook_line } else { c.transferred_from_line.unwrap_or(c.logbook_line) };
    rows.sort_by_key(|c| (line_here(c), c.team_id != team.id));
    let other_teams: Vec<&str> = rows
        .iter()
        .flat_map(|c| [c.team_id.as_str(), c.transferred_from_team_id.as_deref().unwrap_or_default()])
        .filter(|t| !t.is_empty() && *t != team.id)
        .collect();
    let team_names: HashMap<String, String> = crate::db::schema::teams::table
        .filter(crate::db::schema::teams::id.eq_any(&other_teams))
        .select((crate::db::schema::teams::id, crate::db::schema::teams::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let ids: Vec<&str> = rows.iter().map(|c| c.id.as_str()).collect();
    let mut parties: HashMap<String, Vec<PartyLine>> = HashMap::new();
    for line in case_parties::table
        .filter(case_parties::case_id.eq_any(&ids))
        .order((case_parties::case_id.asc(), case_parties::position.asc()))
        .select((
            case_parties::case_id,
            case_parties::full_name,
            case_parties::age,
            case_parties::birth_year,
            case_parties::address,
            case_parties::role,
            case_parties::demand,
        ))
        .load::<PartyLine>(conn)?
    {
        parties.entry(line.case_id.clone()).or_default().push(line);
    }
    // Column 3 names those who mediated: a mediator who recused themselves did not.
    let mut mediator_names: HashMap<String, Vec<String>> = HashMap::new();
    for (case_id, name) in case_assignments::table
        .inner_join(mediators::table)
        .filter(case_assignments::case_id.eq_any(&ids))
        .filter(case_assignments::end_reason.is_null().or(case_assignments::end_reason.ne(AssignmentEnd::Recusal.as_str())))
        .order((case_assignments::case_id.asc(), case_assignments::assigned_on.asc()))
        .select((case_assignments::case_id, mediators::full_name))
        .load::<(String, String)>(conn)?
    {
        let names = mediator_names.entry(case_id).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let mut participants: HashMap<String, Vec<String>> = HashMap::new();
    for (case_id, json) in case_sessions::table
        .filter(case_sessions::case_id.eq_any(&ids))
        .order((case_sessions::case_id.asc(), case_sessions::held_on.asc()))
        .select((case_sessions::case_id, case_sessions::participants))
        .load::<(String, String)>(conn)?
    {
        let list = participants.entry(case_id).or_default();
        for p in serde_json::from_str::<Vec<Participant>>(&json).unwrap_or_default() {
            let text = match p.role {
                Some(role) => format!("{} ({role})", p.name),
                None => p.name,
            };
            if !list.contains(&text) {
                list.push(text);
            }
        }
    }

    let mut summary: Vec<LogBookSummaryLine> = Category::all()
        .iter()
        .map(|c| LogBookSummaryLine { category: c.as_str().into(), label: c.labels().0.into(), ..Default::default() })
        .collect();
    let mut book_rows = Vec::new();
    for case in &rows {
        let status = CaseStatus::parse(&case.status).unwrap_or(CaseStatus::Received);
        let moved_out = case.team_id != team.id;
        // Part II sums up the year as it closed: a case that ended after 31 December was still
        // in progress then (its row, like the paper book, shows the result once known). As in the
        // statistics, an out-of-scope case is never received: it counts apart, in the year it was
        // found so, and received = successful + unsuccessful + in progress.
        let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(case.received_on);
        let ended_later = case.ended_on.is_some_and(|d| d > year_end);
        // A case a successor team carries on is summed up in that team's book, not twice.
        if let Some(line) = summary.iter_mut().find(|l| l.category == case.category && !moved_out) {
            match status {
                CaseStatus::OutOfScope if ended_later => {}
                CaseStatus::OutOfScope => line.out_of_scope += 1,
                _ if ended_later => line.in_progress += 1,
                CaseStatus::Successful => line.successful += 1,
                CaseStatus::Unsuccessful => line.unsuccessful += 1,
                CaseStatus::Received | CaseStatus::InProgress => line.in_progress += 1,
            }
            if status != CaseStatus::OutOfScope {
                line.received += 1;
            }
        }
        let case_parties = parties.remove(&case.id).unwrap_or_default();
        let agreement_or_demands = match (status, &case.agreement_text) {
            (CaseStatus::Successful, Some(text)) => text.clone(),
            _ => case_parties.iter().filter_map(|p| p.demand.as_ref().map(|d| format!("{}: {d}", p.name))).collect::<Vec<_>>().join("\n"),
        };
        let mut notes = notes_of(case, status);
        let moved = match (&case.transferred_from_team_id, case.transferred_from_line, case.transferred_on) {
            (Some(_), Some(_), Some(on)) if moved_out => Some(format!(
                "Chuyển sang {} ngày {} (số thứ tự {})",
                team_names.get(&case.team_id).map(String::as_str).unwrap_or("tổ hòa giải kế thừa"),
                on.format("%d/%m/%Y"),
                case.logbook_line
            )),
            (Some(from), Some(line), Some(on)) => Some(format!(
                "Tiếp nhận từ {} ngày {} (số thứ tự {line})",
                team_names.get(from).map(String::as_str).unwrap_or("tổ hòa giải tiền thân"),
                on.format("%d/%m/%Y")
            )),
            _ => None,
        };
        if let Some(m) = moved {
            notes = if notes.is_empty() { m } else { format!("{m}; {notes}") };
        }
        book_rows.push(LogBookRow {
            number: line_here(case),
            case_id: case.id.clone(),
            received_on: case.received_on,
            mediators: mediator_names.remove(&case.id).unwrap_or_default(),
            participants: participants.remove(&case.id).unwrap_or_default(),
            parties: case_parties
                .into_iter()
                .map(|p| LogBookParty {
                    // The book asks for the age; a year of birth gives the age in the book's year.
                    age: p.age.or_else(|| p.birth_year.map(|y| year - y)),
                    related_person: p.role == "related_person",
                    name: p.name,
                    address: p.address,
                })
                .collect(),
            content: case.summary.clone(),
            agreement_or_demands,
            successful: status == CaseStatus::Successful,
            unsuccessful: status == CaseStatus::Unsuccessful,
            notes,
        });
    }
    let mut total = LogBookSummaryLine { category: "total".into(), label: "Tổng cộng".into(), ..Default::default() };
    for l in &summary {
        total.received += l.received;
        total.successful += l.successful;
        total.unsuccessful += l.unsuccessful;
        total.in_progress += l.in_progress;
        total.out_of_scope += l.out_of_scope;
    }
    // Part II, "theo dõi": the leader's follow-ups of the agreements, by line of Part I.
    let lines: HashMap<&str, i32> = rows.iter().map(|c| (c.id.as_str(), line_here(c))).collect();
    let mut follow_ups = Vec::new();
    for (case_id, checked_on, status, notes) in case_follow_ups::table
        .filter(case_follow_ups::case_id.eq_any(&ids))
        .order((case_follow_ups::checked_on.asc(), case_follow_ups::id.asc()))
        .select((case_follow_ups::case_id, case_follow_ups::checked_on, case_follow_ups::status, case_follow_ups::notes))
        .load::<(String, NaiveDate, String, Option<String>)>(conn)?
    {
        follow_ups.push(LogBookFollowUp {
            number: lines.get(case_id.as_str()).copied().unwrap_or_default(),
            status: stored(Implementation::parse(&status), "case_follow_ups.status", &status)?,
            case_id,
            checked_on,
            notes: notes.unwrap_or_default(),
        });
    }
    follow_ups.sort_by_key(|f| (f.number, f.checked_on));

    let opened_on = rows.iter().map(|c| c.received_on).min();
    let closed_on = (year < today().year()).then(|| NaiveDate::from_ymd_opt(year, 12, 31)).flatten();
    // The units on the cover are those in force when the volume was opened (1 January while it
    // holds nothing yet), not those of the book's calendar year.
    let cover_day = opened_on.or_else(|| NaiveDate::from_ymd_opt(year, 1, 1)).unwrap_or_else(today);
    let places = cover_units(conn, &team.unit_path, cover_day)?;
    let name_at = |level: &str| places.iter().find(|u| u.level == level).map(|u| u.name.clone());
    Ok(LogBook {
        year,
        cover: LogBookCover {
            province: name_at("province"),
            district: name_at("district"),
            commune: name_at("commune"),
            village: name_at("village").unwrap_or_default(),
            team: team.name.clone(),
            volume: rows.iter().filter_map(|c| c.logbook_volume).min(),
            opened_on,
            closed_on,
        },
        rows: book_rows,
        summary: LogBookSummary { by_category: summary, total },
        follow_ups,
    })
}

/// Column 10: what a reader of the book needs to know beyond the result.
fn notes_of(case: &Case, status: CaseStatus) -> String {
    let mut notes = Vec::new();
    match status {
        CaseStatus::Received | CaseStatus::InProgress => notes.push(status.labels().0.to_string()),
        CaseStatus::OutOfScope => {
            let mut s = format!("Không thuộc phạm vi hòa giải: {}", case.out_of_scope_reason.clone().unwrap_or_default());
            if let Some(to) = &case.out_of_scope_referred_to {
                s.push_str(&format!("; chuyển {to}"));
            }
            notes.push(s);
        }
        _ => {}
    }
    if let (Some(body), Some(date)) = (&case.referral_body, case.referral_date) {
        notes.push(format!("Đã chuyển {body} ngày {}", date.format("%d/%m/%Y")));
    }
    if let Some(date) = case.written_agreement_date {
        notes.push(format!("Lập văn bản hòa giải thành ngày {}", date.format("%d/%m/%Y")));
    }
    if let Some(n) = &case.notes {
        notes.push(n.clone());
    }
    notes.join("; ")
}
