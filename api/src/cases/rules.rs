//! The life of a case as plain functions: which command may happen in which state, where each
//! leads, and when a case is overdue.
//!
//! ```text
//! received ──assign──▶ in_progress ──end(agreement)──────────────▶ successful
//!    │                     │        └─end(party_withdrew | mediator_ended)─▶ unsuccessful
//!    └──out_of_scope──▶ out_of_scope
//! ```
//!
//! A recorded result can be corrected by a commune officer (successful ↔ unsuccessful): the
//! only move out of a result, and never out of `out_of_scope`.

use chrono::{Duration, NaiveDate};

use super::dto::{CaseStatus, EndReason};

/// Everything that can happen to a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    EditDetails,
    Assign,
    EndAssignment,
    FlagConflict,
    RecordSession,
    RecordEscalation,
    End,
    MarkOutOfScope,
    RecordReferral,
    RecordWrittenAgreement,
    RecordFollowUp,
    RecordDeadlineException,
    /// Move an open case to a successor team (after communes or villages merged).
    Transfer,
    CorrectResult,
}

impl Command {
    pub const ALL: [Command; 14] = [
        Command::EditDetails,
        Command::Assign,
        Command::EndAssignment,
        Command::FlagConflict,
        Command::RecordSession,
        Command::RecordEscalation,
        Command::End,
        Command::MarkOutOfScope,
        Command::RecordReferral,
        Command::RecordWrittenAgreement,
        Command::RecordFollowUp,
        Command::RecordDeadlineException,
        Command::Transfer,
        Command::CorrectResult,
    ];
}

/// What a command does, in words for messages: (Tiếng Việt, English).
pub fn describe(command: Command) -> (&'static str, &'static str) {
    match command {
        Command::EditDetails => ("sửa thông tin vụ việc", "edit the case"),
        Command::Assign => ("phân công hòa giải viên", "assign a mediator"),
        Command::EndAssignment => ("kết thúc phân công", "end an assignment"),
        Command::FlagConflict => ("ghi nhận hòa giải viên có quyền lợi liên quan", "record a conflict of interest"),
        Command::RecordSession => ("ghi buổi hòa giải", "record a session"),
        Command::RecordEscalation => ("ghi báo cáo vụ việc có nguy cơ", "record an escalation"),
        Command::End => ("ghi kết thúc hòa giải", "record the end of mediation"),
        Command::MarkOutOfScope => ("ghi không thuộc phạm vi hòa giải", "mark it out of scope"),
        Command::RecordReferral => ("ghi chuyển cơ quan có thẩm quyền", "record a referral"),
        Command::RecordWrittenAgreement => ("ghi văn bản hòa giải thành", "record a written agreement"),
        Command::RecordFollowUp => ("ghi theo dõi thực hiện thỏa thuận", "record a follow-up"),
        Command::RecordDeadlineException => ("ghi lý do chưa hòa giải đúng hạn", "record a deadline exception"),
        Command::Transfer => ("chuyển sang tổ hòa giải kế thừa", "move it to a successor team"),
        Command::CorrectResult => ("đính chính kết quả hòa giải", "correct the result"),
    }
}

pub fn is_concluded(status: CaseStatus) -> bool {
    matches!(status, CaseStatus::Successful | CaseStatus::Unsuccessful | CaseStatus::OutOfScope)
}

/// Whether `command` may happen to a case in `status`. Editing details after the end is a
/// correction: allowed here, but only to officers (checked by the store).
pub fn allowed(status: CaseStatus, command: Command) -> bool {
    use CaseStatus::*;
    use Command::*;
    match command {
        EditDetails => true,
        Assign | FlagConflict | RecordDeadlineException | RecordEscalation | Transfer => matches!(status, Received | InProgress),
        EndAssignment | RecordSession | End => status == InProgress,
        MarkOutOfScope => status == Received,
        RecordReferral => status == Unsuccessful,
        RecordWrittenAgreement | RecordFollowUp => status == Successful,
        CorrectResult => matches!(status, Successful | Unsuccessful),
    }
}

/// The status a command leads to.
pub fn next_status(status: CaseStatus, command: Command, end_reason: Option<EndReason>) -> CaseStatus {
    match (command, end_reason) {
        (Command::Assign, _) if status == CaseStatus::Received => CaseStatus::InProgress,
        (Command::End | Command::CorrectResult, Some(EndReason::Agreement)) => CaseStatus::Successful,
        (Command::End | Command::CorrectResult, Some(_)) => CaseStatus::Unsuccessful,
        (Command::MarkOutOfScope, _) => CaseStatus::OutOfScope,
        _ => status,
    }
}

/// The last day mediation may start: `days` after the first assignment (the law's "03 ngày",
/// calendar days).
pub fn start_deadline(assigned_on: NaiveDate, days: i32) -> NaiveDate {
    assigned_on + Duration::days(i64::from(days))
}

/// Overdue: in progress, the start deadline passed, no session held and no exception recorded.
pub fn is_overdue(
    status: CaseStatus,
    start_by: Option<NaiveDate>,
    started_on: Option<NaiveDate>,
    has_exception: bool,
    today: NaiveDate,
) -> bool {
    status == CaseStatus::InProgress && started_on.is_none() && !has_exception && start_by.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CaseStatus::*;

    const STATES: [CaseStatus; 5] = [Received, InProgress, Successful, Unsuccessful, OutOfScope];

    /// Every command in every state, against a table written out by hand.
    #[test]
    fn every_allowed_and_refused_move() {
        let expected = |status: CaseStatus, c: Command| -> bool {
            use Command::*;
            matches!(
                (status, c),
                (_, EditDetails)
                    | (Received, Assign | FlagConflict | RecordDeadlineException | RecordEscalation | MarkOutOfScope | Transfer)
                    | (
                        InProgress,
                        Assign | FlagConflict | RecordDeadlineException | RecordEscalation | EndAssignment | RecordSession | End | Transfer
                    )
                    | (Successful, RecordWrittenAgreement | RecordFollowUp | CorrectResult)
                    | (Unsuccessful, RecordReferral | CorrectResult)
            )
        };
        for status in STATES {
            for command in Command::ALL {
                assert_eq!(allowed(status, command), expected(status, command), "{status:?} × {command:?}");
            }
        }
    }

    #[test]
    fn where_commands_lead() {
        assert_eq!(next_status(Received, Command::Assign, None), InProgress);
        assert_eq!(next_status(InProgress, Command::Assign, None), InProgress);
        assert_eq!(next_status(InProgress, Command::End, Some(EndReason::Agreement)), Successful);
        assert_eq!(next_status(InProgress, Command::End, Some(EndReason::PartyWithdrew)), Unsuccessful);
        assert_eq!(next_status(InProgress, Command::End, Some(EndReason::MediatorEnded)), Unsuccessful);
        assert_eq!(next_status(Received, Command::MarkOutOfScope, None), OutOfScope);
        assert_eq!(next_status(InProgress, Command::RecordSession, None), InProgress);
        assert_eq!(next_status(Successful, Command::CorrectResult, Some(EndReason::MediatorEnded)), Unsuccessful);
        assert_eq!(next_status(Unsuccessful, Command::CorrectResult, Some(EndReason::Agreement)), Successful);
        assert_eq!(next_status(Unsuccessful, Command::CorrectResult, Some(EndReason::PartyWithdrew)), Unsuccessful);
    }

    /// No allowed command leaves a concluded case: only a correction moves a result, to the other
    /// result, and an out-of-scope case never moves.
    #[test]
    fn concluded_cases_stay_concluded() {
        for status in STATES.into_iter().filter(|s| is_concluded(*s)) {
            for command in Command::ALL {
                if allowed(status, command) {
                    for reason in [Some(EndReason::Agreement), Some(EndReason::PartyWithdrew)] {
                        let next = next_status(status, command, reason);
                        if command == Command::CorrectResult {
                            assert!(matches!(next, Successful | Unsuccessful), "{status:?} {command:?}");
                        } else {
                            assert_eq!(next, status, "{status:?} {command:?}");
                        }
                    }
                }
            }
        }
        assert!(!allowed(OutOfScope, Command::CorrectResult));
    }

    #[test]
    fn deadline_and_overdue() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(start_deadline(d("2026-03-30"), 3), d("2026-04-02"));
        let by = Some(d("2026-04-02"));
        assert!(!is_overdue(InProgress, by, None, false, d("2026-04-02")), "the last day itself is still on time");
        assert!(is_overdue(InProgress, by, None, false, d("2026-04-03")));
        assert!(!is_overdue(InProgress, by, Some(d("2026-04-01")), false, d("2026-04-10")));
        assert!(!is_overdue(InProgress, by, None, true, d("2026-04-10")));
        assert!(!is_overdue(Successful, by, None, false, d("2026-04-10")));
    }
}
