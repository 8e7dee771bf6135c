//! The demo commune's casework: a team per village with its mediators, re-formed in the successor
//! commune on 1 July 2025, and cases from 2023 to today in every state — before the reform in the
//! old teams, after it in the new ones, the ones open at the reform carried over — made through
//! the same store functions the API uses, so every screen and report has something true to show.

use chrono::{Duration, NaiveDate};

use crate::auth::Actor;
use crate::cases::dto::*;
use crate::cases::store as cases;
use crate::db::{today, DbConn};
use crate::error::ApiError;
use crate::mediators::dto::{CreateMediator, LegalTraining, MembershipRole, NewMembership, Sex, TransferMembership};
use crate::units::validity::REFORM_DAY;

/// A small deterministic generator: the demo is the same on every machine.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FAMILY: &[&str] = &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Đinh"];
const MALE: &[&str] =
    &["Văn An", "Văn Bình", "Đức Cường", "Văn Dũng", "Minh Hùng", "Văn Nam", "Quang Sơn", "Văn Tuấn", "Xuân Trường", "Văn Lợi"];
const FEMALE: &[&str] =
    &["Thị Hà", "Thị Hạnh", "Thị Lan", "Thị Mai", "Thu Phương", "Thị Thảo", "Thị Yến", "Thị Hoa", "Thị Nga", "Thanh Tâm"];

const SUMMARIES: &[(Category, &str)] = &[
    (Category::Land, "Tranh chấp ranh giới đất ở giữa hai hộ liền kề"),
    (Category::Land, "Tranh chấp lối đi chung vào ngõ xóm"),
    (Category::Land, "Lấn chiếm bờ thửa ruộng khi làm đất vụ mùa"),
    (Category::FamilyMarriage, "Mâu thuẫn vợ chồng do chồng uống rượu, không chăm lo gia đình"),
    (Category::FamilyMarriage, "Anh em tranh cãi về việc nuôi dưỡng mẹ già"),
    (Category::CivilProperty, "Tranh chấp khoản vay tiền không trả đúng hẹn"),
    (Category::CivilProperty, "Chia di sản thừa kế là nhà và đất của bố mẹ để lại"),
    (Category::Neighbourhood, "Nước thải chăn nuôi chảy sang nhà bên cạnh"),
    (Category::Neighbourhood, "Tiếng ồn hát karaoke về khuya ảnh hưởng hàng xóm"),
    (Category::Neighbourhood, "Cây nhà bên vươn cành sang mái nhà hàng xóm"),
    (Category::MinorViolation, "Xô xát nhẹ giữa hai thanh niên trong đám cưới"),
    (Category::Other, "Mâu thuẫn về việc đóng góp xây nhà văn hóa thôn"),
];

const AGREEMENTS: &[&str] = &[
    "Hai bên thống nhất cắm lại mốc giới theo bản đồ địa chính, cam kết không lấn chiếm",
    "Các bên thỏa thuận trả nợ làm ba lần, lần đầu trước ngày rằm tháng sau",
    "Bên gây ảnh hưởng cam kết xây bể chứa, không để nước thải chảy sang nhà bên",
    "Hai bên xin lỗi nhau, cam kết giữ gìn tình làng nghĩa xóm",
    "Các anh em thống nhất luân phiên chăm sóc mẹ, mỗi người ba tháng",
];

fn name(dice: &mut Dice, female: bool) -> String {
    let given = if female { dice.pick(FEMALE) } else { dice.pick(MALE) };
    format!("{} {}", dice.pick(FAMILY), given)
}

pub struct DemoTeam {
    pub team_id: String,
    pub leader_id: String,
    pub member_ids: Vec<String>,
}

/// The team of a village ("Thôn Hội Yên" → "Tổ hòa giải thôn Hội Yên"), re-formed from a
/// predecessor when one is given.
fn village_team(
    conn: &mut DbConn,
    actor: &Actor,
    village: &str,
    village_name: &str,
    founded_on: NaiveDate,
    predecessor: Option<&String>,
) -> Result<crate::teams::model::Team, ApiError> {
    let input = crate::teams::dto::CreateTeam {
        id: None,
        name: format!("Tổ hòa giải {}", village_name.replacen("Thôn", "thôn", 1)),
        unit_id: village.parse().expect("unit ids are UUIDs"),
        founded_on,
        notes: predecessor.map(|_| "Kiện toàn sau sắp xếp đơn vị hành chính cấp xã năm 2025".to_string()),
        predecessor_ids: predecessor.map(|p| p.parse().expect("team ids are UUIDs")).into_iter().collect(),
    };
    Ok(crate::teams::store::create(conn, actor, input)?.0)
}

/// One team per village, with its mediators (the first is the leader). Thôn Thọ Xuân is an
/// ethnic-minority area; the last village's team is short of members, so the composition
/// warnings have something to show.
pub fn seed_teams(conn: &mut DbConn, actor: &Actor, villages: &[(String, &str)]) -> Result<Vec<DemoTeam>, ApiError> {
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut out = Vec::new();
    for (i, (village, village_name)) in villages.iter().enumerate() {
        let team = village_team(conn, actor, village, village_name, NaiveDate::from_ymd_opt(2014, 6, 1).expect("date"), None)?;
        let size = if i == villages.len() - 1 { 2 } else { 5 };
        let mut ids = Vec::new();
        for k in 0..size {
            // The Hội Yên team's leader and first member are the demo's own accounts.
            let (full_name, female) = match (i, k) {
                (0, 0) => ("Trần Văn Bình".to_string(), false),
                (0, 1) => ("Phạm Thị Lan".to_string(), true),
                _ => {
                    let female = k % 2 == 1;
                    (name(&mut dice, female), female)
                }
            };
            let ethnic = village_name.contains("Thọ Xuân") && k == 1;
            let (m, _) = crate::mediators::store::create(
                conn,
                actor,
                CreateMediator {
                    id: None,
                    full_name,
                    sex: if female { Sex::Female } else { Sex::Male },
                    birth_year: Some(1955 + dice.below(35) as i32),
                    ethnic_minority: ethnic,
                    unit_id: village.parse().expect("unit ids are UUIDs"),
                    phone: Some(format!("09{:08}", dice.next() % 100_000_000)),
                    legal_training: Some(*dice.pick(&[
                        LegalTraining::None,
                        LegalTraining::Basic,
                        LegalTraining::Basic,
                        LegalTraining::Degree,
                    ])),
                    occupation: Some(
                        dice.pick(&["Nông dân", "Giáo viên nghỉ hưu", "Cựu chiến binh", "Công an viên", "Trưởng thôn"]).to_string(),
                    ),
                    membership: Some(NewMembership {
                        team_id: team.id.parse().expect("team ids are UUIDs"),
                        role: if k == 0 { MembershipRole::Leader } else { MembershipRole::Member },
                        recognition_decision: Some(format!("{}/QĐ-UBND", 20 + i * 5 + k)),
                        recognition_date: NaiveDate::from_ymd_opt(2019, 7, 15),
                        from_date: NaiveDate::from_ymd_opt(2019, 7, 15).expect("date"),
                    }),
                },
            )?;
            ids.push(m.id);
        }
        out.push(DemoTeam { team_id: team.id, leader_id: ids[0].clone(), member_ids: ids[1..].to_vec() });
    }
    Ok(out)
}

/// The teams re-formed in the successor's villages on 1 July 2025, each with its predecessor: every
/// mediator's membership moves across (recognised by the new chairman's decision), and the old
/// team is dissolved that day.
pub fn reform_teams(conn: &mut DbConn, actor: &Actor, old: &[DemoTeam], villages: &[(String, &str)]) -> Result<Vec<DemoTeam>, ApiError> {
    let mut out = Vec::new();
    for (i, (old_team, (village, village_name))) in old.iter().zip(villages).enumerate() {
        let team = village_team(conn, actor, village, village_name, REFORM_DAY, Some(&old_team.team_id))?;
        for (k, mediator) in std::iter::once(&old_team.leader_id).chain(old_team.member_ids.iter()).enumerate() {
            let membership = crate::mediators::store::memberships_of(conn, mediator)?
                .into_iter()
                .find(|m| m.team_id == old_team.team_id && m.to_date.is_none())
                .ok_or_else(ApiError::internal)?;
            let moved = TransferMembership {
                team_id: team.id.parse().expect("team ids are UUIDs"),
                on: REFORM_DAY,
                role: None,
                recognition_decision: format!("{}/QĐ-UBND", 101 + i * 5 + k),
                recognition_date: REFORM_DAY,
            };
            crate::mediators::store::transfer_membership(conn, actor, mediator, &membership.id, moved)?;
        }
        let dissolved = crate::teams::dto::UpdateTeam {
            name: None,
            founded_on: None,
            dissolved_on: Some(Some(REFORM_DAY)),
            notes: None,
            predecessor_ids: None,
        };
        let current = crate::teams::store::find(conn, actor, &old_team.team_id)?;
        crate::teams::store::update(conn, actor, &old_team.team_id, current.version, dissolved)?;
        out.push(DemoTeam { team_id: team.id, leader_id: old_team.leader_id.clone(), member_ids: old_team.member_ids.clone() });
    }
    Ok(out)
}

fn day(n: i64) -> NaiveDate {
    today() - Duration::days(n)
}

/// The days cases were received: 56 spread from January 2023 to a month ago, two in the last
/// days before the reform (still open on 1 July 2025, carried over), eight in the past three weeks.
fn intake_days() -> Vec<NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2023, 1, 16).expect("date");
    let span = (day(30) - start).num_days().max(56);
    let mut days: Vec<NaiveDate> = (0..56).map(|n| start + Duration::days(span * n / 56)).collect();
    // Nothing else lands in the fortnight before the reform, so only the two below are carried over.
    days.retain(|d| !carried_over(*d));
    days.extend([REFORM_DAY - Duration::days(12), REFORM_DAY - Duration::days(6)]);
    days.sort();
    days.extend((56..64).map(|n| day((64 - n) * 3)));
    days
}

/// A case received in the fortnight before the reform is still open on 1 July 2025: the successor
/// carries it on.
fn carried_over(received_on: NaiveDate) -> bool {
    received_on < REFORM_DAY && received_on >= REFORM_DAY - Duration::days(14)
}

/// Cases from 2023 to today across the teams of their day: concluded ones in the past, open ones
/// recently, one overdue, one out of scope, some with written agreements and follow-ups; the two
/// open at the reform moved to the successor's teams and finished there.
pub fn seed_cases(conn: &mut DbConn, actor: &Actor, old_teams: &[DemoTeam], new_teams: &[DemoTeam]) -> Result<usize, ApiError> {
    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let mut count = 0;
    for (n, received_on) in intake_days().into_iter().enumerate() {
        let teams = if received_on >= REFORM_DAY { new_teams } else { old_teams };
        let team = &teams[n % teams.len()];
        let age = (today() - received_on).num_days();
        let (category, summary) = *dice.pick(SUMMARIES);
        let (female_first, female_second) = (dice.below(2) == 0, dice.below(2) == 0);
        let first = name(&mut dice, female_first);
        let second = name(&mut dice, female_second);
        let input = CreateCase {
            id: None,
            team_id: team.team_id.parse().expect("team ids are UUIDs"),
            received_on: Some(received_on),
            basis: *dice.pick(&[Basis::PartyRequest, Basis::PartyRequest, Basis::MediatorInitiative, Basis::LeaderAssignment]),
            referring_body: None,
            category,
            summary: summary.into(),
            parties: vec![
                NewParty {
                    kind: PartyKind::Person,
                    role: PartyRole::Party,
                    full_name: first,
                    age: Some(25 + dice.below(50) as i32),
                    birth_year: None,
                    address: Some("Xóm 2".into()),
                    phone: None,
                },
                NewParty {
                    kind: if dice.below(3) == 0 { PartyKind::Family } else { PartyKind::Person },
                    role: PartyRole::Party,
                    full_name: second,
                    age: Some(25 + dice.below(50) as i32),
                    birth_year: None,
                    address: Some("Xóm 3".into()),
                    phone: None,
                },
            ],
            notes: None,
            logbook_volume: Some(1),
        };
        let duplicates = cases::possible_duplicates(conn, &cases::DuplicateProbe::of(&input))?;
        let (case, _) = cases::create(conn, actor, &input, 3, &duplicates)?;
        count += 1;
        let id = case.id.clone();
        // The newest cases are still open; one of them waits past its start deadline.
        if age <= 8 && n % 2 == 0 {
            continue;
        }
        if n == 3 {
            cases::mark_out_of_scope(
                conn,
                actor,
                &id,
                None,
                MarkOutOfScope {
                    reason: "Có dấu hiệu tội phạm hình sự".into(),
                    referred_to: Some("Công an xã".into()),
                    // Found out of scope at intake, as the paper book would show, not on seeding day.
                    decided_on: Some(received_on + Duration::days(2).min(day(0) - received_on)),
                },
            )?;
            continue;
        }
        let mediator = dice.pick(&team.member_ids).clone();
        // The Hội Yên team's cases since the reform go to its first member, whose login the demo
        // prints: a mediator who signs in sees the cases assigned to them, open and closed.
        let mediator = if std::ptr::eq(team, &new_teams[0]) { team.member_ids[0].clone() } else { mediator };
        let assigned_on = received_on + Duration::days(1).min(day(0) - received_on);
        cases::assign(
            conn,
            actor,
            &id,
            None,
            AssignMediator {
                mediator_id: mediator.parse().expect("ids"),
                assigned_on: Some(assigned_on),
                chosen_by: ChosenBy::Leader,
                replaces: None,
                reason: None,
            },
        )?;
        // Assigned but not started: the one assigned eight days ago is overdue.
        if age <= 9 {
            continue;
        }
        let held_on = assigned_on + Duration::days(2);
        cases::record_session(
            conn,
            actor,
            &id,
            None,
            RecordSession {
                held_on,
                place: Some("Nhà văn hóa thôn".into()),
                is_public: false,
                participants: vec![Participant { name: name(&mut dice, false), role: Some("trưởng thôn".into()) }],
                notes: None,
            },
        )?;
        if age <= 20 {
            continue;
        }
        let mut ended_on = held_on + Duration::days(3);
        if carried_over(received_on) {
            // Open on the reform day: the successor's officer moves it to the re-formed team.
            let successor = &new_teams[n % old_teams.len()];
            let moved = TransferCase { team_id: successor.team_id.parse().expect("ids"), transferred_on: Some(REFORM_DAY) };
            cases::transfer(conn, actor, &id, None, moved)?;
            ended_on = REFORM_DAY + Duration::days(14);
        }
        let referred_to = if ended_on >= REFORM_DAY { "UBND xã Hải Hưng" } else { "UBND xã Đoàn Kết" };
        if dice.below(9) == 0 {
            let parties = &case.parties;
            cases::end(
                conn,
                actor,
                &id,
                None,
                EndCase {
                    end_reason: *dice.pick(&[EndReason::PartyWithdrew, EndReason::MediatorEnded]),
                    ended_on: Some(ended_on),
                    agreement_text: None,
                    demands: parties
                        .iter()
                        .map(|p| PartyDemand { party_id: p.id.parse().expect("ids"), demand: "Giữ nguyên yêu cầu ban đầu".into() })
                        .collect(),
                    referral: Some(Referral { body: referred_to.into(), date: ended_on }),
                },
            )?;
        } else {
            cases::end(
                conn,
                actor,
                &id,
                None,
                EndCase {
                    end_reason: EndReason::Agreement,
                    ended_on: Some(ended_on),
                    agreement_text: Some(dice.pick(AGREEMENTS).to_string()),
                    demands: Vec::new(),
                    referral: None,
                },
            )?;
            if n % 4 == 0 {
                cases::record_written_agreement(
                    conn,
                    actor,
                    &id,
                    None,
                    RecordWrittenAgreement {
                        date: ended_on,
                        signature: Signature::Signed,
                        for_court_recognition: false,
                        id_numbers: Vec::new(),
                    },
                )?;
            }
            if n % 3 == 0 && ended_on + Duration::days(30) < today() {
                cases::record_follow_up(
                    conn,
                    actor,
                    &id,
                    None,
                    RecordFollowUp { checked_on: ended_on + Duration::days(30), status: Implementation::Implemented, notes: None },
                )?;
            }
        }
    }
    Ok(count)
}
