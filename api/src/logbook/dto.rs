//! The log book (Sổ theo dõi hoạt động hòa giải ở cơ sở) of one team for one year, in the
//! official layout: the cover, Part I (one row per case, ten columns) and Part II (the team
//! leader's summary by category and result).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::cases::dto::Implementation;

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct LogBook {
    pub year: i32,
    pub cover: LogBookCover,
    /// Part I: the cases received in the year, by log-book line.
    pub rows: Vec<LogBookRow>,
    /// Part II: the team leader's summary.
    pub summary: LogBookSummary,
    /// Part II: the team leader's follow-ups (theo dõi) of the agreements of the book's cases, by
    /// line, then date.
    pub follow_ups: Vec<LogBookFollowUp>,
}

/// One follow-up of how an agreement is carried out.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct LogBookFollowUp {
    /// The case's line in Part I (STT).
    pub number: i32,
    pub case_id: String,
    pub checked_on: NaiveDate,
    pub status: Implementation,
    pub notes: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct LogBookCover {
    /// "Tỉnh Hải Dương". The cover's units are those in force on the day the volume was opened
    /// (the first date written in it; 1 January while it is empty), each followed to the unit that
    /// took its place if it had ended by then.
    pub province: Option<String>,
    /// Only when the team's chain had a district in force that day: none after the 2025 reform.
    pub district: Option<String>,
    pub commune: Option<String>,
    /// "Thôn Hội Yên"
    pub village: String,
    /// "Tổ hòa giải thôn Hội Yên"
    pub team: String,
    /// The volume number (quyển số), when recorded on the cases.
    pub volume: Option<i32>,
    /// The first and last dates written in the book this year.
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// One line of Part I. Column 9 (signatures) is left blank for signing on paper.
#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct LogBookRow {
    /// Column 1: STT, the line number of the year.
    pub number: i32,
    pub case_id: String,
    /// Column 2: date received.
    pub received_on: NaiveDate,
    /// Column 3: the mediators…
    pub mediators: Vec<String>,
    /// …and the invited participants ("Nguyễn Văn Cường (trưởng thôn)").
    pub participants: Vec<String>,
    /// Column 4: the parties and persons with related rights.
    pub parties: Vec<LogBookParty>,
    /// Column 5: the main content of the matter.
    pub content: String,
    /// Column 6: the parties' agreement, or each party's demands.
    pub agreement_or_demands: String,
    /// Column 7: successful (hòa giải thành).
    pub successful: bool,
    /// Column 8: unsuccessful (hòa giải không thành).
    pub unsuccessful: bool,
    /// Column 10: notes (status if not concluded, out-of-scope reason, referral, written agreement).
    pub notes: String,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct LogBookParty {
    pub name: String,
    pub age: Option<i32>,
    pub address: Option<String>,
    /// True for a person with related rights and obligations (người có quyền lợi, nghĩa vụ liên quan).
    pub related_person: bool,
}

#[derive(Serialize, ToSchema, Clone, Debug)]
pub struct LogBookSummary {
    /// One line per category, in the glossary's order.
    pub by_category: Vec<LogBookSummaryLine>,
    pub total: LogBookSummaryLine,
}

#[derive(Serialize, ToSchema, Clone, Debug, Default)]
pub struct LogBookSummaryLine {
    /// Category code (`land`, …); `total` on the total line.
    pub category: String,
    /// The Vietnamese label of the category ("Đất đai"); "Tổng cộng" on the total line.
    pub label: String,
    /// The cases for mediation: `successful` + `unsuccessful` + `in_progress`.
    pub received: i64,
    pub successful: i64,
    pub unsuccessful: i64,
    /// Without a result on 31 December.
    pub in_progress: i64,
    /// Found out of scope by 31 December: never among the received.
    pub out_of_scope: i64,
}

#[derive(Deserialize, Clone, Copy, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogBookFormat {
    Json,
    Html,
    Csv,
    Xlsx,
}

/// Which table of the log book a CSV holds: one table per file, so every line of a file has the
/// columns of its header.
#[derive(Deserialize, Clone, Copy, ToSchema, PartialEq, Eq, Debug, Default)]
#[serde(rename_all = "snake_case")]
pub enum LogBookPart {
    /// Part I: one line per case, the ten columns of the form.
    #[default]
    One,
    /// Part II: the leader's summary by category and result, then the total.
    Two,
    /// Part II: the leader's follow-ups of the agreements, by line, then date.
    FollowUps,
}
