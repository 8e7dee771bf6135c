use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::code_enum;
use crate::text::{clean_multiline, clean_text};

code_enum! {
    /// Why mediation started (`basis`) — căn cứ tiến hành hòa giải.
    pub enum Basis ("basis") {
        PartyRequest = "party_request": "Một bên hoặc các bên yêu cầu hòa giải" / "Requested by a party",
        MediatorInitiative = "mediator_initiative": "Hòa giải viên chứng kiến hoặc biết vụ việc" / "Witnessed or learned of by a mediator",
        LeaderAssignment = "leader_assignment": "Theo phân công của tổ trưởng tổ hòa giải" / "Assigned by the team leader",
        Referral = "referral": "Theo đề nghị của cơ quan, tổ chức, cá nhân liên quan" / "Referred by an agency, organisation or person",
    }
}

code_enum! {
    /// The kind of dispute (`category`) — phạm vi hòa giải.
    pub enum Category ("category") {
        FamilyMarriage = "family_marriage": "Hôn nhân và gia đình" / "Marriage and family",
        Land = "land": "Đất đai" / "Land",
        CivilProperty = "civil_property": "Dân sự (tài sản, hợp đồng, thừa kế, nghĩa vụ)" / "Civil (property, contracts, inheritance, obligations)",
        Neighbourhood = "neighbourhood": "Mâu thuẫn trong sinh hoạt, láng giềng" / "Everyday and neighbour conflicts",
        MinorViolation = "minor_violation": "Vi phạm pháp luật nhẹ chưa đến mức xử lý" / "Minor violations not subject to sanctions",
        Other = "other": "Khác" / "Other",
    }
}

code_enum! {
    /// Where a case stands (`status`).
    pub enum CaseStatus ("status") {
        Received = "received": "Mới tiếp nhận" / "Received",
        InProgress = "in_progress": "Đang hòa giải" / "In progress",
        Successful = "successful": "Hòa giải thành" / "Successful",
        Unsuccessful = "unsuccessful": "Hòa giải không thành" / "Unsuccessful",
        OutOfScope = "out_of_scope": "Không thuộc phạm vi hòa giải" / "Out of scope",
    }
}

code_enum! {
    /// How mediation ended (`end_reason`) — kết thúc hòa giải.
    pub enum EndReason ("end_reason") {
        Agreement = "agreement": "Các bên đạt được thỏa thuận" / "The parties reached agreement",
        PartyWithdrew = "party_withdrew": "Một bên hoặc các bên yêu cầu chấm dứt hòa giải" / "A party asked to stop",
        MediatorEnded = "mediator_ended": "Hòa giải viên quyết định kết thúc do các bên không thể đạt được thỏa thuận" / "The mediator ended it: no agreement possible",
    }
}

code_enum! {
    /// Who a party is (`party_kind`).
    pub enum PartyKind ("party_kind") {
        Person = "person": "Cá nhân" / "Person",
        Group = "group": "Nhóm người" / "Group of people",
        Family = "family": "Hộ gia đình / gia đình" / "Household / family",
        Organisation = "organisation": "Tổ chức" / "Organisation",
    }
}

code_enum! {
    /// A party's place in the dispute (`party_role`).
    pub enum PartyRole ("party_role") {
        Party = "party": "Bên tranh chấp" / "Party",
        RelatedPerson = "related_person": "Người có quyền lợi, nghĩa vụ liên quan" / "Person with related rights and obligations",
    }
}

code_enum! {
    /// How a mediator came to the case (`chosen_by`).
    pub enum ChosenBy ("chosen_by") {
        Parties = "parties": "Các bên lựa chọn" / "Chosen by the parties",
        Leader = "leader": "Tổ trưởng phân công" / "Assigned by the team leader",
    }
}

code_enum! {
    /// Why an assignment ended (`assignment_end`).
    pub enum AssignmentEnd ("assignment_end") {
        Recusal = "recusal": "Từ chối vì có quyền lợi liên quan / không khách quan" / "Recusal: an interest or lack of impartiality",
        Reassigned = "reassigned": "Phân công lại" / "Reassigned",
    }
}

code_enum! {
    /// Why mediation did not start within the deadline (`deadline_exception`).
    pub enum DeadlineException ("deadline_exception") {
        Immediate = "immediate": "Phải hòa giải ngay khi chứng kiến" / "Had to be mediated at once",
        PartiesAgreedTime = "parties_agreed_time": "Các bên thống nhất thời gian khác" / "The parties agreed another time",
    }
}

code_enum! {
    /// What was escalated (`escalation_kind`).
    pub enum EscalationKind ("escalation_kind") {
        ViolenceRisk = "violence_risk": "Có nguy cơ bạo lực" / "Risk of violence",
        OffenceSigns = "offence_signs": "Có dấu hiệu vi phạm pháp luật (hành chính, hình sự)" / "Signs of an administrative or criminal offence",
    }
}

code_enum! {
    /// How an agreement is being carried out (`implementation`).
    pub enum Implementation ("implementation") {
        Implemented = "implemented": "Đã thực hiện" / "Implemented",
        PartiallyImplemented = "partially_implemented": "Thực hiện một phần" / "Partially implemented",
        NotImplemented = "not_implemented": "Chưa thực hiện" / "Not implemented",
    }
}

code_enum! {
    /// How a written agreement was signed (`signature`).
    pub enum Signature ("signature") {
        Signed = "signed": "Ký" / "Signed",
        Fingerprinted = "fingerprinted": "Điểm chỉ" / "Fingerprinted",
    }
}

// ---- requests -------------------------------------------------------------------------------

#[derive(Deserialize, ToSchema, Validate, Clone, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewParty {
    pub kind: PartyKind,
    #[serde(default = "default_party_role")]
    pub role: PartyRole,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub full_name: String,
    #[validate(range(min = 0, max = 130))]
    #[schema(minimum = 0, maximum = 130)]
    pub age: Option<i32>,
    #[validate(range(min = 1890, max = 2100))]
    #[schema(minimum = 1890, maximum = 2100)]
    pub birth_year: Option<i32>,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub address: Option<String>,
    #[validate(length(max = 20), custom(function = "crate::text::phone"))]
    #[schema(max_length = 20, pattern = r"^\+?[ .()-]*(?:[0-9][ .()-]*){8,15}$")]
    pub phone: Option<String>,
}

/// A party as a correction names it: absent fields stay as they are; `null` clears an optional one.
#[derive(Deserialize, ToSchema, Validate, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct PartyPatch {
    /// The party corrected; without it, the party at the same position.
    pub id: Option<Uuid>,
    /// Removes the party this item names (nothing else may be given with it).
    #[serde(default)]
    pub removed: bool,
    pub kind: Option<PartyKind>,
    pub role: Option<PartyRole>,
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(range(min = 0, max = 130))]
    #[schema(minimum = 0, maximum = 130)]
    #[schema(value_type = Option<i32>, nullable)]
    pub age: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(range(min = 1890, max = 2100))]
    #[schema(minimum = 1890, maximum = 2100)]
    #[schema(value_type = Option<i32>, nullable)]
    pub birth_year: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 20), custom(function = "crate::text::phone"))]
    #[schema(max_length = 20, pattern = r"^\+?[ .()-]*(?:[0-9][ .()-]*){8,15}$")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
}

fn default_party_role() -> PartyRole {
    PartyRole::Party
}

/// A new case: only what the log book needs; the rest may come later.
#[derive(Deserialize, ToSchema, Validate, Clone, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCase {
    /// Chosen by the phone (UUIDv7), so a retried create is recognised and never duplicated.
    pub id: Option<Uuid>,
    /// The team whose log book records the case.
    pub team_id: Uuid,
    /// Default: today (Vietnam time).
    pub received_on: Option<NaiveDate>,
    pub basis: Basis,
    /// Who referred the case, when `basis` is `referral`.
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub referring_body: Option<String>,
    pub category: Category,
    /// The main content of the matter (log book column 5).
    #[validate(length(min = 1, max = 4000), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<plain-text>")]
    pub summary: String,
    #[validate(length(min = 1, max = 20), nested)]
    #[schema(min_items = 1, max_items = 20)]
    pub parties: Vec<NewParty>,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
    #[validate(range(min = 1, max = 1000))]
    #[schema(minimum = 1, maximum = 1000)]
    pub logbook_volume: Option<i32>,
}

/// A change of a case's details. Before the end: the team and officers; after: officers only
/// (a correction, audited).
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateCase {
    pub received_on: Option<NaiveDate>,
    pub basis: Option<Basis>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(min = 1, max = 200), custom(function = "crate::text::clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub referring_body: Option<Option<String>>,
    pub category: Option<Category>,
    #[validate(length(min = 1, max = 4000), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<plain-text>")]
    pub summary: Option<String>,
    /// Corrections of the parties. Each item corrects the party with its `id` or, without one,
    /// the party at the same position (1st item, 1st party): only the fields it names change, the
    /// rest — ID number and demand included — stay as they were. An item matching no party adds
    /// one at the end (`kind` and `full_name` required); `"removed": true` removes the party it
    /// names. Parties no item names stay as they are.
    pub parties: Option<Vec<PartyPatch>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 2000), custom(function = "crate::text::clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<i32>, nullable)]
    pub logbook_volume: Option<Option<i32>>,
    /// After the end only: the corrected agreement text.
    #[validate(length(min = 1, max = 8000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 8000, pattern = "<text>")]
    pub agreement_text: Option<String>,
    /// After the end only: the corrected end date.
    pub ended_on: Option<NaiveDate>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct AssignMediator {
    pub mediator_id: Uuid,
    /// Default: today.
    pub assigned_on: Option<NaiveDate>,
    pub chosen_by: ChosenBy,
    /// An assignment this one replaces (it ends as `reassigned`).
    pub replaces: Option<Uuid>,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EndAssignment {
    pub reason: AssignmentEnd,
    pub ended_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub note: Option<String>,
}

/// A mediator with an interest in the case: they may not be assigned, and an assignment they hold
/// ends as a recusal.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct FlagConflict {
    pub mediator_id: Uuid,
    /// The day of the recusal: an assignment the mediator holds ends that day. Default: today
    /// (Vietnam time); not in the future, not before the case was received or the assignment made.
    pub recused_on: Option<NaiveDate>,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub note: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate, Serialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    #[validate(length(min = 1, max = 200), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 200, pattern = "<plain-text>")]
    pub name: String,
    /// "trưởng thôn", "công an viên", "người cao tuổi", …
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub role: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordSession {
    pub held_on: NaiveDate,
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub place: Option<String>,
    #[serde(default)]
    pub is_public: bool,
    #[serde(default)]
    #[validate(length(max = 50), nested)]
    #[schema(max_items = 50)]
    pub participants: Vec<Participant>,
    #[validate(length(max = 8000), custom(function = "clean_multiline"))]
    #[schema(max_length = 8000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PartyDemand {
    pub party_id: Uuid,
    #[validate(length(min = 1, max = 4000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 4000, pattern = "<text>")]
    pub demand: String,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// The body the case was sent on to (UBND xã, Tòa án, …).
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub body: String,
    pub date: NaiveDate,
}

/// Moves an open case to a successor team: after a merger the successor commune's team carries on
/// the case; the case keeps its first log-book line (shown) and takes the next line of the new
/// team's book for its year. Statistics keep the case where it was received.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct TransferCase {
    pub team_id: Uuid,
    /// The day it moves (default today; not before the case was received).
    pub transferred_on: Option<NaiveDate>,
}

/// Where a case carried on by a successor team came from.
#[derive(Serialize, ToSchema, Clone)]
pub struct TransferredFromDto {
    pub team_id: String,
    /// Its line in that team's log book (STT), kept.
    pub logbook_line: i32,
    pub transferred_on: NaiveDate,
}

/// The end of mediation: an agreement (successful), or a withdrawal or the mediator's decision
/// (unsuccessful) with each party's demands.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EndCase {
    pub end_reason: EndReason,
    /// Default: today.
    pub ended_on: Option<NaiveDate>,
    /// Required for an agreement (log book column 6).
    #[validate(length(min = 1, max = 8000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 8000, pattern = "<text>")]
    pub agreement_text: Option<String>,
    /// Required when unsuccessful: what each party asked for.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub demands: Vec<PartyDemand>,
    /// After an unsuccessful end, where the case was sent.
    #[validate(nested)]
    pub referral: Option<Referral>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct MarkOutOfScope {
    /// Why (Law art. 3: State interest, criminal or administrative matter, …).
    #[validate(length(min = 1, max = 1000), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 1000, pattern = "<plain-text>")]
    pub reason: String,
    /// The day the case was found out of scope: the statistics count it on that day. Default:
    /// today (Vietnam time); not in the future, not before the case was received.
    pub decided_on: Option<NaiveDate>,
    /// The body it was referred to.
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub referred_to: Option<String>,
}

/// A commune officer's correction of a recorded result: successful ↔ unsuccessful, or the details
/// of the same result. Fields left out keep what was recorded, where the corrected result can keep
/// it.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CorrectResult {
    /// The result as it should have been recorded.
    pub end_reason: EndReason,
    /// The corrected end date. Default: the recorded one.
    pub ended_on: Option<NaiveDate>,
    /// The agreement (log book column 6): required when an unsuccessful case is corrected to
    /// successful; otherwise it replaces the recorded text.
    #[validate(length(min = 1, max = 8000), custom(function = "clean_multiline"))]
    #[schema(min_length = 1, max_length = 8000, pattern = "<text>")]
    pub agreement_text: Option<String>,
    /// Each party's demands: required (at least one) when a successful case is corrected to
    /// unsuccessful; otherwise they replace the demands of the parties they name.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub demands: Vec<PartyDemand>,
    /// Unsuccessful only: where the case was sent on (replaces the recorded referral).
    #[validate(nested)]
    pub referral: Option<Referral>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordEscalation {
    pub kind: EscalationKind,
    pub occurred_on: NaiveDate,
    /// Who was notified (the team leader, the commune police, …).
    #[validate(length(min = 1, max = 300), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 300, pattern = "<plain-text>")]
    pub notified: String,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordFollowUp {
    pub checked_on: NaiveDate,
    pub status: Implementation,
    #[validate(length(max = 2000), custom(function = "clean_multiline"))]
    #[schema(max_length = 2000, pattern = "<text>")]
    pub notes: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct PartyIdNumber {
    pub party_id: Uuid,
    #[validate(length(min = 6, max = 20), custom(function = "clean_text"))]
    #[schema(min_length = 6, max_length = 20, pattern = "<plain-text>")]
    pub id_number: String,
}

/// The written agreement (văn bản hòa giải thành). ID numbers are recorded only when it is made
/// for recognition by a court.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordWrittenAgreement {
    pub date: NaiveDate,
    pub signature: Signature,
    #[serde(default)]
    pub for_court_recognition: bool,
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub id_numbers: Vec<PartyIdNumber>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct RecordDeadlineException {
    pub kind: DeadlineException,
    #[validate(length(min = 1, max = 500), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 500, pattern = "<plain-text>")]
    pub note: Option<String>,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// Cases of teams at this unit or below.
    pub within: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub status: Option<CaseStatus>,
    /// `true`: cases not yet concluded (received, in progress).
    pub open: Option<bool>,
    pub category: Option<Category>,
    pub basis: Option<Basis>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    /// Only cases whose start deadline has passed without a session.
    pub overdue: Option<bool>,
    /// Cases this mediator is (or was) assigned to.
    pub mediator_id: Option<Uuid>,
    /// Text in the summary (case and diacritics ignored).
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
    /// Also count every matching case across all pages (`total` in the answer; counted in the page's own query: it costs the count, not another query).
    pub with_total: Option<bool>,
}

// ---- responses ------------------------------------------------------------------------------

#[derive(Serialize, ToSchema, Clone)]
pub struct PartyDto {
    pub id: String,
    pub position: i32,
    pub kind: PartyKind,
    pub role: PartyRole,
    /// Absent when the caller may not see the parties' personal data.
    pub full_name: Option<String>,
    pub age: Option<i32>,
    pub birth_year: Option<i32>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub demand: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct AssignmentDto {
    pub id: String,
    pub mediator_id: String,
    pub mediator_name: String,
    pub assigned_on: NaiveDate,
    pub chosen_by: ChosenBy,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<AssignmentEnd>,
    pub end_note: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ConflictDto {
    pub mediator_id: String,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct SessionDto {
    pub id: String,
    pub held_on: NaiveDate,
    pub place: Option<String>,
    pub is_public: bool,
    /// Absent when personal data is hidden.
    pub participants: Option<Vec<Participant>>,
    pub notes: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct EscalationDto {
    pub id: String,
    pub kind: EscalationKind,
    pub occurred_on: NaiveDate,
    pub notified: String,
    pub notes: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct FollowUpDto {
    pub id: String,
    pub checked_on: NaiveDate,
    pub status: Implementation,
    pub notes: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct DeadlineDto {
    /// Days allowed between the first assignment and the start of mediation.
    pub days: i32,
    /// The last day to start; absent until a mediator is assigned.
    pub start_by: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub exception: Option<DeadlineException>,
    pub exception_note: Option<String>,
    /// The start deadline passed with no session and no recorded exception.
    pub overdue: bool,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct CaseEndDto {
    pub reason: EndReason,
    pub ended_on: NaiveDate,
    pub agreement_text: Option<String>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct ReferralDto {
    pub body: String,
    pub date: NaiveDate,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct OutOfScopeDto {
    pub reason: String,
    pub referred_to: Option<String>,
    /// The day it was found out of scope (the day the statistics count it).
    pub decided_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema, Clone)]
pub struct WrittenAgreementDto {
    pub date: NaiveDate,
    pub signature: Signature,
    pub for_court_recognition: bool,
}

/// A warning about the data, not a refusal.
#[derive(Serialize, ToSchema, Clone)]
pub struct CaseWarning {
    /// `possible_duplicate`
    pub code: &'static str,
    /// The cases it may duplicate.
    pub case_ids: Vec<String>,
}

/// A case with everything the log book and the law ask to keep.
#[derive(Serialize, ToSchema, Clone)]
pub struct CaseDto {
    pub id: String,
    pub team_id: String,
    pub unit_id: String,
    pub received_on: NaiveDate,
    /// The line of the team's log book for the year (STT).
    pub logbook_line: i32,
    pub logbook_volume: Option<i32>,
    pub basis: Basis,
    pub referring_body: Option<String>,
    pub category: Category,
    /// Absent when personal data is hidden (a narrative is sensitive).
    pub summary: Option<String>,
    pub status: CaseStatus,
    pub parties: Vec<PartyDto>,
    pub assignments: Vec<AssignmentDto>,
    pub conflicts: Vec<ConflictDto>,
    pub deadline: DeadlineDto,
    pub sessions: Vec<SessionDto>,
    pub escalations: Vec<EscalationDto>,
    pub out_of_scope: Option<OutOfScopeDto>,
    pub end: Option<CaseEndDto>,
    pub referral: Option<ReferralDto>,
    pub written_agreement: Option<WrittenAgreementDto>,
    pub follow_ups: Vec<FollowUpDto>,
    /// Set when a successor team carries the case on.
    pub transferred_from: Option<TransferredFromDto>,
    /// The day the parties' data and the narratives were pseudonymised after the commune's
    /// retention period: names read "Bên 1", "Bên 2"…; the facts counted are as they were.
    pub pseudonymised_on: Option<NaiveDate>,
    pub notes: Option<String>,
    /// True when the parties' personal data and the narratives were left out for this caller.
    pub redacted: bool,
    /// On create: possible duplicates (same team, overlapping party names, received within 30 days).
    pub warnings: Vec<CaseWarning>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A case in a list: enough to find it and see where it stands.
#[derive(Serialize, ToSchema, Clone)]
pub struct CaseListItem {
    pub id: String,
    pub team_id: String,
    pub unit_id: String,
    pub received_on: NaiveDate,
    pub logbook_line: i32,
    pub basis: Basis,
    pub category: Category,
    pub status: CaseStatus,
    pub overdue: bool,
    /// The parties' names; absent when personal data is hidden.
    pub party_names: Option<Vec<String>>,
    /// Absent when personal data is hidden.
    pub summary: Option<String>,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}
