use std::collections::BTreeMap;

use actix_web::{get, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::codes::CodeEnum;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_enums);
}

/// One code with its labels.
#[derive(Serialize, ToSchema)]
pub struct EnumLabel {
    pub code: &'static str,
    /// Tiếng Việt, as the law and the paper forms word it.
    pub vi: &'static str,
    pub en: &'static str,
}

/// (enumeration, code, Tiếng Việt, English). The glossary's wording; extend it with each resource.
pub const LABELS: &[(&str, &str, &str, &str)] = &[
    ("role", "admin", "Quản trị hệ thống", "Administrator"),
    ("role", "officer", "Cán bộ quản lý (Tư pháp)", "Justice officer"),
    ("role", "team_leader", "Tổ trưởng tổ hòa giải", "Team leader"),
    ("role", "mediator", "Hòa giải viên", "Mediator"),
    ("role", "viewer", "Người xem", "Viewer"),
    ("role", "stats", "Khai thác số liệu thống kê", "Statistics reader"),
    ("unit_level", "province", "Tỉnh / thành phố trực thuộc trung ương", "Province / city"),
    ("unit_level", "district", "Huyện / quận / thị xã / thành phố thuộc tỉnh", "District"),
    ("unit_level", "commune", "Xã / phường / đặc khu", "Commune / ward / special zone"),
    ("unit_level", "village", "Thôn / tổ dân phố", "Village / residential group"),
    ("succession_kind", "merge", "Hợp nhất, sáp nhập", "Merge"),
    ("succession_kind", "split", "Chia tách", "Split"),
    ("succession_kind", "rename", "Đổi tên", "Rename"),
    ("succession_kind", "transfer", "Điều chỉnh địa giới", "Boundary transfer"),
];

fn push<E: CodeEnum + serde::Serialize>(out: &mut BTreeMap<&'static str, Vec<EnumLabel>>) {
    for e in E::all() {
        // The code on the wire and the code in the labels are one and the same.
        debug_assert_eq!(serde_json::to_value(e).ok(), Some(serde_json::Value::String(e.as_str().into())), "{}", E::NAME);
        let (vi, en) = e.labels();
        out.entry(E::NAME).or_default().push(EnumLabel { code: e.as_str(), vi, en });
    }
}

/// The enumerations declared with `code_enum!`.
fn push_code_enums(out: &mut BTreeMap<&'static str, Vec<EnumLabel>>) {
    use crate::cases::dto::*;
    use crate::mediators::dto::*;
    push::<Sex>(out);
    push::<LegalTraining>(out);
    push::<MembershipRole>(out);
    push::<MembershipEndReason>(out);
    push::<Basis>(out);
    push::<Category>(out);
    push::<CaseStatus>(out);
    push::<EndReason>(out);
    push::<PartyKind>(out);
    push::<PartyRole>(out);
    push::<ChosenBy>(out);
    push::<AssignmentEnd>(out);
    push::<DeadlineException>(out);
    push::<EscalationKind>(out);
    push::<Implementation>(out);
    push::<Signature>(out);
    push::<crate::trainings::dto::TrainingLevel>(out);
    push::<crate::elections::dto::ElectionKind>(out);
    push::<crate::attachments::dto::AttachmentKind>(out);
    push::<crate::funding::dto::FundingItem>(out);
    push::<crate::funding::dto::RateUnit>(out);
    push::<crate::funding::dto::FeeOutcome>(out);
    push::<crate::funding::dto::IncidentKind>(out);
    push::<crate::funding::dto::ClaimStatus>(out);
    push::<crate::review::dto::AwardLevel>(out);
    push::<crate::review::dto::CriterionKind>(out);
    push::<crate::review::dto::Rating>(out);
    push::<crate::stats::access::AccessMetric>(out);
    push::<crate::stats::access::EvidenceKind>(out);
    push::<crate::mediators::dto::RemovalRequester>(out);
    push::<crate::privacy::dto::RequestKind>(out);
    push::<crate::privacy::dto::RequestStatus>(out);
}

/// Every enumeration code with its Vietnamese and English labels, grouped by enumeration.
#[utoipa::path(tag = "meta", responses((status = 200, body = BTreeMap<String, Vec<EnumLabel>>)))]
#[get("/meta/enums")]
async fn list_enums() -> HttpResponse {
    let mut out: BTreeMap<&str, Vec<EnumLabel>> = BTreeMap::new();
    for (name, code, vi, en) in LABELS {
        out.entry(name).or_default().push(EnumLabel { code, vi, en });
    }
    push_code_enums(&mut out);
    HttpResponse::Ok().insert_header(("Cache-Control", "public, max-age=3600")).json(out)
}

#[cfg(test)]
mod tests {
    /// Every code serialises as the code its labels are listed under (`push` asserts it).
    #[test]
    fn codes_on_the_wire_match_the_labels() {
        let mut out = std::collections::BTreeMap::new();
        super::push_code_enums(&mut out);
        assert_eq!(out.len(), 32);
    }
}
