use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use super::model::{Mediator, Membership};
use crate::code_enum;
use crate::text::clean_text;

code_enum! {
    /// Sex (`sex`).
    pub enum Sex ("sex") {
        Female = "female": "Nữ" / "Female",
        Male = "male": "Nam" / "Male",
    }
}

code_enum! {
    /// Legal training (`legal_training`).
    pub enum LegalTraining ("legal_training") {
        None = "none": "Chưa qua đào tạo pháp luật" / "No legal training",
        Basic = "basic": "Đã được bồi dưỡng kiến thức pháp luật" / "Basic legal training",
        Degree = "degree": "Có trình độ chuyên môn luật" / "Law degree",
    }
}

code_enum! {
    /// Role in a team (`membership_role`).
    pub enum MembershipRole ("membership_role") {
        Leader = "leader": "Tổ trưởng" / "Team leader",
        Member = "member": "Tổ viên" / "Member",
    }
}

code_enum! {
    /// Who asked for a mediator's removal (`removal_requester`): the head of the village's Front
    /// work committee, with the team leader (Law on Grassroots Mediation, art. 13), or the
    /// mediator, by their own application.
    pub enum RemovalRequester ("removal_requester") {
        FrontCommitteeHead = "front_committee_head": "Trưởng ban công tác Mặt trận" / "Head of the Front work committee",
        Mediator = "mediator": "Hòa giải viên tự đề nghị" / "The mediator's own application",
    }
}

code_enum! {
    /// Why a membership ended (`membership_end_reason`).
    pub enum MembershipEndReason ("membership_end_reason") {
        OwnWish = "own_wish": "Tự nguyện xin thôi" / "At their own wish",
        NoLongerMeetsCriteria = "no_longer_meets_criteria": "Không còn đáp ứng tiêu chuẩn" / "No longer meets the criteria",
        Violation = "violation": "Vi phạm nguyên tắc hoặc bị xử lý" / "Violation",
        Transferred = "transferred": "Chuyển sang tổ hòa giải kế thừa" / "Moved to a successor team",
    }
}

#[derive(Serialize, ToSchema, Clone)]
pub struct MembershipDto {
    pub id: String,
    pub mediator_id: String,
    pub team_id: String,
    pub role: MembershipRole,
    /// Recognition decision (quyết định công nhận) number and date.
    pub recognition_decision: Option<String>,
    pub recognition_date: Option<NaiveDate>,
    pub from_date: NaiveDate,
    /// The day the membership ended; absent while it lasts.
    pub to_date: Option<NaiveDate>,
    pub end_reason: Option<MembershipEndReason>,
    pub end_decision: Option<String>,
    pub end_decision_date: Option<NaiveDate>,
    /// The request the removal was decided on: who asked and when.
    pub removal_requested_by: Option<RemovalRequester>,
    pub removal_requested_on: Option<NaiveDate>,
    /// Why the mediator was removed, as the request gives it; shown to those who see the
    /// sensitive fields (officers), like `ethnic_minority`.
    pub removal_reason: Option<String>,
    pub version: i32,
}

impl From<Membership> for MembershipDto {
    fn from(m: Membership) -> Self {
        MembershipDto {
            role: MembershipRole::parse(&m.role).unwrap_or(MembershipRole::Member),
            end_reason: m.end_reason.as_deref().and_then(MembershipEndReason::parse),
            id: m.id,
            mediator_id: m.mediator_id,
            team_id: m.team_id,
            recognition_decision: m.recognition_decision,
            recognition_date: m.recognition_date,
            from_date: m.from_date,
            to_date: m.to_date,
            end_decision: m.end_decision,
            end_decision_date: m.end_decision_date,
            removal_requested_by: m.removal_requested_by.as_deref().and_then(RemovalRequester::parse),
            removal_requested_on: m.removal_requested_on,
            removal_reason: m.removal_reason,
            version: m.version,
        }
    }
}

/// A mediator with their membership history.
#[derive(Serialize, ToSchema, Clone)]
pub struct MediatorDto {
    pub id: String,
    pub full_name: String,
    pub sex: Sex,
    pub birth_year: Option<i32>,
    /// Ethnic minority (sensitive: absent for callers who do not manage mediators).
    pub ethnic_minority: Option<bool>,
    /// Residence village.
    pub unit_id: String,
    pub phone: Option<String>,
    pub legal_training: LegalTraining,
    pub occupation: Option<String>,
    /// The team the mediator serves in today, if any.
    pub current_team_id: Option<String>,
    pub current_role: Option<MembershipRole>,
    pub memberships: Vec<MembershipDto>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl MediatorDto {
    pub fn new(m: Mediator, memberships: Vec<Membership>, show_sensitive: bool) -> Self {
        let today = crate::db::today();
        let current = memberships.iter().find(|ms| ms.active_on(today));
        MediatorDto {
            current_team_id: current.map(|c| c.team_id.clone()),
            current_role: current.and_then(|c| MembershipRole::parse(&c.role)),
            sex: Sex::parse(&m.sex).unwrap_or(Sex::Female),
            legal_training: LegalTraining::parse(&m.legal_training).unwrap_or(LegalTraining::None),
            ethnic_minority: show_sensitive.then_some(m.ethnic_minority),
            id: m.id,
            full_name: m.full_name,
            birth_year: m.birth_year,
            unit_id: m.unit_id,
            phone: m.phone,
            occupation: m.occupation,
            // Why someone was removed is for those who may see the sensitive fields.
            memberships: memberships
                .into_iter()
                .map(MembershipDto::from)
                .map(|ms| MembershipDto { removal_reason: ms.removal_reason.filter(|_| show_sensitive), ..ms })
                .collect(),
            version: m.version,
            created_at: m.created_at.and_utc(),
            updated_at: m.updated_at.and_utc(),
        }
    }
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct NewMembership {
    pub team_id: Uuid,
    pub role: MembershipRole,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub recognition_decision: Option<String>,
    pub recognition_date: Option<NaiveDate>,
    pub from_date: NaiveDate,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct CreateMediator {
    pub id: Option<Uuid>,
    #[validate(length(min = 1, max = 120), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 120, pattern = "<plain-text>")]
    pub full_name: String,
    pub sex: Sex,
    #[validate(range(min = 1900, max = 2100))]
    #[schema(minimum = 1900, maximum = 2100)]
    pub birth_year: Option<i32>,
    #[serde(default)]
    pub ethnic_minority: bool,
    /// Residence village.
    pub unit_id: Uuid,
    #[validate(length(max = 20), custom(function = "crate::text::phone"))]
    #[schema(max_length = 20, pattern = r"^\+?[ .()-]*(?:[0-9][ .()-]*){8,15}$")]
    pub phone: Option<String>,
    pub legal_training: Option<LegalTraining>,
    #[validate(length(min = 1, max = 120), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 120, pattern = "<plain-text>")]
    pub occupation: Option<String>,
    /// The first membership, when the mediator joins a team at once.
    #[validate(nested)]
    pub membership: Option<NewMembership>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct UpdateMediator {
    #[validate(length(min = 1, max = 120), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 120, pattern = "<plain-text>")]
    pub full_name: Option<String>,
    pub sex: Option<Sex>,
    /// 1900–2100, or `null` to clear it.
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<i32>, nullable, minimum = 1900, maximum = 2100)]
    pub birth_year: Option<Option<i32>>,
    pub ethnic_minority: Option<bool>,
    pub unit_id: Option<Uuid>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[validate(length(max = 20), custom(function = "crate::text::phone"))]
    #[schema(max_length = 20, pattern = r"^\+?[ .()-]*(?:[0-9][ .()-]*){8,15}$")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    pub legal_training: Option<LegalTraining>,
    #[serde(default, deserialize_with = "crate::http::nullable")]
    #[schema(value_type = Option<String>, nullable)]
    pub occupation: Option<Option<String>>,
}

#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct EndMembership {
    /// The day the membership ends.
    pub to_date: NaiveDate,
    pub end_reason: MembershipEndReason,
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub end_decision: Option<String>,
    pub end_decision_date: Option<NaiveDate>,
    /// The request the chairman decided on. Required when the mediator is removed
    /// (`no_longer_meets_criteria`, `violation`): the head of the village's Front work committee
    /// asks, with the team leader (Law on Grassroots Mediation, art. 13).
    pub removal_request: Option<RemovalRequest>,
    /// Why, as the request gives it. Required with a removal.
    #[validate(length(min = 1, max = 1000), custom(function = "crate::text::clean_multiline"))]
    #[schema(min_length = 1, max_length = 1000, pattern = "<text>")]
    pub removal_reason: Option<String>,
}

/// Who asked for a removal, and when.
#[derive(Deserialize, ToSchema, Clone, Copy, Debug)]
#[serde(deny_unknown_fields)]
pub struct RemovalRequest {
    pub requested_by: RemovalRequester,
    pub requested_on: NaiveDate,
}

/// Moves a membership to a successor team after communes or villages merged: the old membership
/// ends on `on` (its first day no longer served, reason `transferred`) and the new one starts that
/// day, recognised by the new commune chairman's decision.
#[derive(Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct TransferMembership {
    /// The successor team.
    pub team_id: Uuid,
    /// The first day in the new team.
    pub on: NaiveDate,
    /// The role in the new team (default: the same as before).
    pub role: Option<MembershipRole>,
    /// The decision recognising the mediator in the new team (the new commune chairman's).
    #[validate(length(min = 1, max = 100), custom(function = "clean_text"))]
    #[schema(min_length = 1, max_length = 100, pattern = "<plain-text>")]
    pub recognition_decision: String,
    pub recognition_date: NaiveDate,
}

#[derive(Deserialize, IntoParams, Validate)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MediatorQuery {
    /// Mediators serving in this team today.
    pub team_id: Option<Uuid>,
    /// Mediators living at this unit or below.
    pub within: Option<Uuid>,
    /// Name contains (case and diacritics ignored).
    #[validate(length(min = 1, max = 100))]
    #[param(min_length = 1, max_length = 100)]
    pub q: Option<String>,
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}
