//! The demo commune's trainings, funding and year-end review, made through the same store
//! functions the API uses: Hải Dương's rates (Resolution 96/2014/NQ-HĐND, raised in 2024), carried
//! over after the 2025 merger until Hải Phòng's apply (1 October 2025); budget estimates, team
//! support and case fees paid with their confirmation lists — by Xã Đoàn Kết before 1 July 2025,
//! by Xã Hải Hưng after — last year's ratings and awards, and this year's second-half fees left
//! unpaid, for the officer to pay.

use chrono::{Datelike, Duration, NaiveDate};

use super::cases::DemoTeam;
use super::Places;
use crate::auth::Actor;
use crate::db::{today, DbConn};
use crate::error::ApiError;
use crate::funding::dto::*;
use crate::review::dto::{AwardLevel, CreateAward, CreateTeamRating, Judgement};
use crate::trainings::dto::{AttendanceInput, CreateTraining, TrainingLevel};

fn uuid(id: &str) -> uuid::Uuid {
    id.parse().expect("ids are UUIDs")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The team-support rate paid in a year: Hải Dương's 500,000 đ before 2024 and 1,800,000 đ from
/// 2024; Hải Phòng's 2,000,000 đ from 2026 (its resolution applies from 1 October 2025).
fn team_support(year: i32) -> i64 {
    match year {
        ..=2023 => 500_000,
        2024 | 2025 => 1_800_000,
        _ => 2_000_000,
    }
}

pub fn seed(conn: &mut DbConn, actor: &Actor, places: &Places) -> Result<(), ApiError> {
    let this_year = today().year();
    let last_year = this_year - 1;
    seed_policies(conn, actor, places.old_province, places.new_province)?;
    for year in [last_year, this_year] {
        let on = date(year, 1, 5);
        seed_budget(conn, actor, places.commune_on(on), year, places.teams_on(on).len() as i64)?;
    }
    seed_trainings(conn, actor, places, last_year, this_year)?;

    // Team support, paid each March, on a list the teams sign.
    for year in [last_year, this_year] {
        let paid_on = date(year, 3, 15);
        if paid_on > today() {
            continue;
        }
        let mut ids = Vec::new();
        for t in places.teams_on(paid_on) {
            let input = CreateDisbursement {
                id: None,
                unit_id: Some(uuid(places.commune_on(paid_on))),
                paid_on,
                item: FundingItem::TeamSupport,
                payee_team_id: Some(uuid(&t.team_id)),
                payee_mediator_id: None,
                amount: team_support(year),
                voucher_no: Some(format!("PC-{year}-03")),
                note: None,
                case_ids: Vec::new(),
            };
            ids.push(uuid(&crate::funding::store::create_disbursement(conn, actor, input)?.0.id));
        }
        let list = CreateConfirmationList {
            id: None,
            title: format!("Danh sách chi hỗ trợ hoạt động của các tổ hòa giải năm {year}"),
            made_on: Some(paid_on),
            disbursement_ids: ids,
            notes: None,
        };
        let (list, _) = crate::funding::lists::create(conn, actor, list)?;
        if year == last_year {
            sign_returned(conn, actor, &list.id)?;
        }
    }

    // Case fees: everything that ended before this year, paid in December; this year's first
    // half paid in July. The second half waits for the officer.
    let mut payments = vec![(date(last_year - 1, 1, 1), date(last_year, 12, 15), date(last_year, 12, 20))];
    if date(this_year, 7, 10) <= today() {
        payments.push((date(this_year, 1, 1), date(this_year, 6, 30), date(this_year, 7, 10)));
    }
    for (from, to, paid_on) in payments {
        let accept = AcceptFees {
            unit_id: Some(uuid(places.commune_on(paid_on))),
            from,
            to,
            case_ids: None,
            paid_on,
            voucher_no: Some(format!("PC-{}-{:02}", paid_on.year(), paid_on.month())),
            confirmation_list: Some(true),
            title: None,
        };
        match crate::funding::fees::accept(conn, actor, accept) {
            Ok(done) => {
                if paid_on.year() == last_year {
                    if let Some(list) = done.confirmation_list_id {
                        sign_returned(conn, actor, &list)?;
                    }
                }
            }
            Err(e) if e.code == "nothing_to_pay" => {}
            Err(e) => return Err(e),
        }
    }

    seed_review(conn, actor, places.teams_on(date(last_year, 12, 31)), last_year)?;
    Ok(())
}

fn sign_returned(conn: &mut DbConn, actor: &Actor, list_id: &str) -> Result<(), ApiError> {
    let patch = UpdateConfirmationList { title: None, signed_returned: Some(true), returned_on: None, notes: None };
    crate::funding::lists::update(conn, actor, list_id, 1, patch)?;
    Ok(())
}

/// Hải Dương's rates, which carry over to the communes it merged into until Hải Phòng's own
/// resolution applies (the dates and amounts of the 2024 and 2025 resolutions are illustrative).
fn seed_policies(conn: &mut DbConn, actor: &Actor, old_province: &str, new_province: &str) -> Result<(), ApiError> {
    let old_basis = "Nghị quyết số 96/2014/NQ-HĐND của HĐND tỉnh Hải Dương";
    let new_basis = "Nghị quyết của HĐND tỉnh Hải Dương năm 2024 (mức chi theo Thông tư 56/2023/TT-BTC)";
    let city_basis = "Nghị quyết của HĐND thành phố Hải Phòng năm 2025 (mức chi theo Thông tư 56/2023/TT-BTC)";
    let rates = [
        (old_province, FundingItem::CaseFee, RateUnit::PerCasePerTeam, 200_000, date(2014, 7, 1), Some(date(2023, 12, 31)), old_basis),
        (old_province, FundingItem::CaseFee, RateUnit::PerCasePerTeam, 400_000, date(2024, 1, 1), None, new_basis),
        (old_province, FundingItem::TeamSupport, RateUnit::PerTeamPerYear, 500_000, date(2014, 7, 1), Some(date(2023, 12, 31)), old_basis),
        (old_province, FundingItem::TeamSupport, RateUnit::PerTeamPerYear, 1_800_000, date(2024, 1, 1), None, new_basis),
        (new_province, FundingItem::CaseFee, RateUnit::PerCasePerTeam, 450_000, date(2025, 10, 1), None, city_basis),
        (new_province, FundingItem::TeamSupport, RateUnit::PerTeamPerYear, 2_000_000, date(2025, 10, 1), None, city_basis),
    ];
    for (province, item, rate_unit, rate, valid_from, valid_to, basis) in rates {
        let input = CreatePolicy {
            id: None,
            unit_id: uuid(province),
            legal_basis: basis.into(),
            valid_from,
            valid_to,
            item,
            rate,
            rate_unit,
            outcome: None,
            notes: None,
        };
        crate::funding::store::create_policy(conn, actor, input)?;
    }
    Ok(())
}

fn seed_budget(conn: &mut DbConn, actor: &Actor, commune: &str, year: i32, teams: i64) -> Result<(), ApiError> {
    let lines = [
        (FundingItem::CaseFee, 30 * 400_000),
        (FundingItem::TeamSupport, teams * team_support(year)),
        (FundingItem::Training, 6_000_000),
        (FundingItem::Award, 2_000_000),
    ];
    for (item, amount) in lines {
        let input = CreateBudget {
            id: None,
            unit_id: Some(uuid(commune)),
            year,
            item,
            amount,
            decision_no: Some(format!("12/QĐ-UBND ngày 05/01/{year}")),
            decision_date: Some(date(year, 1, 5)),
            notes: None,
        };
        crate::funding::store::create_budget(conn, actor, input)?;
    }
    Ok(())
}

/// Last year everyone but two was trained; this year the leaders went to the province's course
/// and the commune's session left three members to train.
fn seed_trainings(conn: &mut DbConn, actor: &Actor, places: &Places, last_year: i32, this_year: i32) -> Result<(), ApiError> {
    // The same people before and after the merger: their memberships moved to the re-formed teams.
    // Before it, Đoàn Kết trained its own teams' mediators; after it, Hải Hưng trains everyone.
    let teams = places.new_teams;
    let last_year_teams = places.teams_on(date(last_year, 4, 15));
    let everyone_then: Vec<&String> =
        last_year_teams.iter().flat_map(|t| std::iter::once(&t.leader_id).chain(t.member_ids.iter())).collect();
    let everyone: Vec<&String> = teams.iter().flat_map(|t| std::iter::once(&t.leader_id).chain(t.member_ids.iter())).collect();
    let leaders: Vec<&String> = teams.iter().map(|t| &t.leader_id).collect();
    let this_year_day = date(this_year, 5, 10).min(today() - Duration::days(7));
    // (held on, title, organiser, level, who was present)
    type Session<'a> = (NaiveDate, &'a str, &'a str, TrainingLevel, Vec<(&'a String, bool)>);
    let sessions: [Session; 3] = [
        (
            date(last_year, 4, 15),
            "Bồi dưỡng kiến thức pháp luật và kỹ năng hòa giải ở cơ sở",
            places.commune_name_on(date(last_year, 4, 15)),
            TrainingLevel::Commune,
            everyone_then.iter().enumerate().map(|(i, m)| (*m, i % 11 != 4)).collect(),
        ),
        (
            date(this_year, 3, 20).min(this_year_day),
            "Tập huấn kỹ năng hòa giải cho tổ trưởng tổ hòa giải",
            places.justice_department_on(date(this_year, 3, 20).min(this_year_day)),
            TrainingLevel::Province,
            leaders.iter().map(|m| (*m, true)).collect(),
        ),
        (
            this_year_day,
            "Phổ biến Luật Hòa giải ở cơ sở và kỹ năng hòa giải tranh chấp đất đai",
            places.commune_name_on(this_year_day),
            TrainingLevel::Commune,
            everyone.iter().enumerate().filter(|(_, m)| !leaders.contains(m)).map(|(i, m)| (*m, i % 7 != 3)).collect(),
        ),
    ];
    for (held_on, title, organiser, level, attendance) in sessions {
        let input = CreateTraining {
            id: None,
            unit_id: Some(uuid(places.commune_on(held_on))),
            held_on,
            title: title.into(),
            organiser: organiser.into(),
            trainer: Some("Công chức Tư pháp – Hộ tịch".into()),
            level,
            place: Some("Hội trường UBND xã".into()),
            topics: vec!["Luật Hòa giải ở cơ sở 2013".into(), "Kỹ năng hòa giải".into()],
            notes: None,
            attendance: attendance.into_iter().map(|(m, present)| AttendanceInput { mediator_id: uuid(m), present }).collect(),
        };
        crate::trainings::store::create(conn, actor, input)?;
    }
    Ok(())
}

fn seed_review(conn: &mut DbConn, actor: &Actor, teams: &[DemoTeam], last_year: i32) -> Result<(), ApiError> {
    let judge = |code: &str, met: bool| Judgement { code: code.into(), met, note: None };
    for (i, t) in teams.iter().enumerate() {
        // The last team held no review of its year; the third trained nobody.
        let reviewed = i + 1 < teams.len();
        let input = CreateTeamRating {
            id: None,
            team_id: uuid(&t.team_id),
            year: last_year,
            scheme_code: None,
            judgements: vec![
                judge("detection", true),
                judge("coordination", true),
                judge("mediation_results", true),
                judge("training", i != 2),
                judge("reviews_reports", reviewed),
            ],
            notes: None,
        };
        crate::review::store::create_rating(conn, actor, input)?;
    }
    let awards = [
        (Some(&teams[0].team_id), None, "Giấy khen", "Đạt danh hiệu \"Tổ hòa giải 5 tốt\" năm"),
        (None, Some(&teams[0].member_ids[0]), "Giấy khen", "Có thành tích xuất sắc trong công tác hòa giải ở cơ sở năm"),
    ];
    for (team, mediator, title, reason) in awards {
        let input = CreateAward {
            id: None,
            year: last_year,
            team_id: team.map(|t| uuid(t)),
            mediator_id: mediator.map(|m| uuid(m)),
            level: AwardLevel::Commune,
            title: title.into(),
            reason: format!("{reason} {last_year}"),
            decision_no: Some(format!("145/QĐ-UBND ngày 28/12/{last_year}")),
            decision_date: Some(date(last_year, 12, 28)),
            amount: Some(500_000),
        };
        crate::review::store::create_award(conn, actor, input)?;
    }
    let claim = CreateIncidentClaim {
        id: None,
        mediator_id: uuid(&teams[1].member_ids[0]),
        occurred_on: date(last_year, 8, 12),
        case_id: None,
        session_id: None,
        kind: IncidentKind::Injury,
        description: "Bị ngã xe trên đường đến nhà đương sự để hòa giải, gãy tay".into(),
        medical_costs: 2_500_000,
        lost_income: 1_200_000,
        funeral_costs: 0,
        notes: None,
    };
    let (claim, _) = crate::funding::store::create_claim(conn, actor, claim)?;
    let decision = DecideIncidentClaim {
        status: ClaimStatus::Approved,
        approved_amount: Some(3_700_000),
        decision_no: format!("98/QĐ-UBND ngày 10/09/{last_year}"),
        decision_date: date(last_year, 9, 10),
        notes: None,
    };
    crate::funding::store::decide_claim(conn, actor, &claim.id, 1, decision)?;
    Ok(())
}
