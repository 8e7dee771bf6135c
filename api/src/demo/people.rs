//! The procedures around people in the demo's new commune: the chairman's decision on its teams
//! and their sizes after the reform, the Hội Yên team electing its leader and the chairman
//! recognising the result in time, and the register of data-subject requests — a mediator who
//! asked what is held about her (answered the next day) and a party's correction still open.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::cases::DemoTeam;
use crate::auth::{Actor, Role};
use crate::db::schema::{case_parties, cases};
use crate::db::today;
use crate::error::ApiError;

pub fn seed(conn: &mut crate::db::DbConn, hai_hung: &str, villages: usize, teams: &[DemoTeam]) -> Result<(), ApiError> {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).ok_or_else(ApiError::internal);
    // The commune's justice officer: the register is the commune's own.
    let officer = Actor {
        role: Role::Officer,
        unit_id: Some(hai_hung.to_string()),
        unit_level: Some("commune".into()),
        id: "demo".into(),
        ..Actor::system()
    };
    let decision = crate::elections::dto::CreateStaffingDecision {
        unit_id: hai_hung.parse().map_err(|_| ApiError::internal())?,
        decision_no: "15/QĐ-UBND".into(),
        decided_on: d(2025, 7, 8)?,
        teams: villages as i32,
        members_per_team: 5,
        notes: Some(
            "Kiện toàn tổ hòa giải ở các thôn sau sắp xếp đơn vị hành chính, theo đề nghị của Ban Thường trực Ủy ban MTTQ xã".into(),
        ),
    };
    crate::elections::store::create_decision(conn, &officer, decision)?;

    // Hội Yên's mediators elect their leader on Thursday 10 July 2025: due Thursday 17 July.
    let hoi_yen = &teams[0];
    let voters = 1 + hoi_yen.member_ids.len() as i32;
    let candidate = |id: &str, name: &str, votes: i32, elected: bool| crate::elections::dto::CandidateInput {
        mediator_id: id.parse().ok(),
        full_name: name.into(),
        votes,
        elected,
    };
    let election = crate::elections::dto::CreateElection {
        id: None,
        team_id: hoi_yen.team_id.parse().map_err(|_| ApiError::internal())?,
        kind: crate::elections::dto::ElectionKind::Leader,
        held_on: d(2025, 7, 10)?,
        voters,
        votes_cast: voters,
        candidates: vec![
            candidate(&hoi_yen.leader_id, "Trần Văn Bình", voters - 1, true),
            candidate(&hoi_yen.member_ids[0], "Phạm Thị Lan", 1, false),
        ],
        minutes_attachment_id: None,
        notes: Some("Biểu quyết công khai (Mẫu 04), do Trưởng ban công tác Mặt trận thôn chủ trì".into()),
    };
    let (elected, _) = crate::elections::store::create(conn, &officer, election)?;
    let recognition = crate::elections::dto::RecordRecognition { decided_on: d(2025, 7, 15)?, decision_no: "21/QĐ-UBND".into() };
    crate::elections::store::recognise(conn, &officer, &elected.id, elected.version, recognition)?;

    // A mediator asked to see what is held about her; answered the next working day.
    let asked = crate::privacy::dto::CreateRequest {
        id: None,
        kind: crate::privacy::dto::RequestKind::Access,
        mediator_id: hoi_yen.member_ids[0].parse().ok(),
        party_ids: Vec::new(),
        requester_name: "Phạm Thị Lan".into(),
        received_on: d(2026, 3, 2)?,
        details: Some("Đề nghị cung cấp thông tin cá nhân của tôi đang được lưu trong phần mềm".into()),
    };
    let (request, _) = crate::privacy::store::create(conn, &officer, asked, 2)?;
    let answer = crate::privacy::dto::CloseRequest {
        status: crate::privacy::dto::RequestStatus::Completed,
        closed_on: d(2026, 3, 3)?,
        outcome: "Đã trao bản in thông tin đang lưu giữ (kết xuất từ phần mềm) tại bộ phận một cửa".into(),
    };
    crate::privacy::store::close(conn, &officer, &request.id, request.version, answer)?;

    // A party of one of the new commune's cases asked on the last working day to correct their
    // address: still open, due in two working days.
    let party: Option<String> = case_parties::table
        .inner_join(cases::table)
        .filter(cases::team_id.eq(&hoi_yen.team_id))
        .order((cases::received_on.desc(), case_parties::position.asc()))
        .select(case_parties::id)
        .first(conn)
        .optional()?;
    if let Some(party) = party {
        let name: String = case_parties::table.find(&party).select(case_parties::full_name).first(conn)?;
        let correction = crate::privacy::dto::CreateRequest {
            id: None,
            kind: crate::privacy::dto::RequestKind::Correction,
            mediator_id: None,
            party_ids: vec![party.parse().map_err(|_| ApiError::internal())?],
            requester_name: name,
            received_on: last_working_day(today()),
            details: Some("Địa chỉ ghi chưa đúng số nhà".into()),
        };
        crate::privacy::store::create(conn, &officer, correction, 2)?;
    }
    Ok(())
}

/// The working day before `day` (the office was open).
fn last_working_day(day: NaiveDate) -> NaiveDate {
    let mut d = day - Duration::days(1);
    while !crate::calendar::is_working_day(d) {
        d -= Duration::days(1);
    }
    d
}
