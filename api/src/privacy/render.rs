//! The export as a page to print and hand to the person: the commune's header, the request it
//! answers, then what is held, section by section, in Vietnamese.

use serde::Serialize;

use super::dto::{PersonExport, RequestKind};
use crate::cases::dto::{CaseStatus, Category};
use crate::codes::CodeEnum;
use crate::error::ApiError;
use crate::export::html::{self, Page};

#[derive(Serialize, Default)]
struct Section {
    title: String,
    /// Label and value lines.
    rows: Vec<(String, String)>,
    /// A table: its head and its lines.
    head: Vec<&'static str>,
    lines: Vec<Vec<String>>,
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_else(|| "—".into())
}

/// Items joined, or a dash for none (an empty cell reads as forgotten).
fn listed(items: Vec<String>) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        items.join(", ")
    }
}

fn label<E: CodeEnum>(code: &str) -> String {
    E::all().iter().find(|e| e.as_str() == code).map_or(code.to_string(), |e| e.labels().0.to_string())
}

/// The page; `commune` is the controller's unit name as it stands ("Xã Hải Hưng").
pub fn page(export: &PersonExport, commune: &str) -> Result<Page, ApiError> {
    let mut sections = Vec::new();
    if let Some(m) = &export.mediator {
        let r = &m.record;
        sections.push(Section {
            title: "Hồ sơ hòa giải viên".into(),
            rows: vec![
                ("Họ và tên".into(), r.full_name.clone()),
                ("Giới tính".into(), r.sex.labels().0.into()),
                ("Năm sinh".into(), opt(&r.birth_year)),
                ("Dân tộc thiểu số".into(), r.ethnic_minority.map_or("—".into(), |e| if e { "Có" } else { "Không" }.into())),
                ("Số điện thoại".into(), opt(&r.phone)),
                ("Trình độ pháp luật".into(), r.legal_training.labels().0.into()),
                ("Nghề nghiệp".into(), opt(&r.occupation)),
            ],
            ..Default::default()
        });
        sections.push(Section {
            title: "Quá trình tham gia tổ hòa giải".into(),
            head: vec!["Từ ngày", "Đến ngày", "Vai trò", "Quyết định công nhận", "Lý do thôi"],
            lines: r
                .memberships
                .iter()
                .map(|ms| {
                    vec![
                        day(ms.from_date),
                        ms.to_date.map_or("—".into(), day),
                        ms.role.labels().0.into(),
                        opt(&ms.recognition_decision),
                        ms.end_reason.map_or("—".into(), |e| e.labels().0.into()),
                    ]
                })
                .collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Tập huấn, bồi dưỡng đã tham dự".into(),
            head: vec!["Ngày", "Nội dung"],
            lines: m.trainings.iter().map(|t| vec![day(t.starts_on), t.title.clone()]).collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Vụ, việc được phân công hòa giải".into(),
            head: vec!["Số thứ tự trong sổ", "Ngày tiếp nhận", "Ngày phân công", "Ngày kết thúc phân công"],
            lines: m
                .assignments
                .iter()
                .map(|a| vec![a.logbook_line.to_string(), day(a.received_on), day(a.assigned_on), a.ended_on.map_or("—".into(), day)])
                .collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Bầu hòa giải viên, tổ trưởng".into(),
            head: vec!["Ngày bầu", "Số phiếu", "Trúng cử"],
            lines: m
                .candidacies
                .iter()
                .map(|c| vec![day(c.held_on), c.votes.to_string(), if c.elected { "Có" } else { "Không" }.into()])
                .collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Các khoản đã chi trả".into(),
            head: vec!["Ngày chi", "Số tiền (đồng)"],
            lines: m.payments.iter().map(|p| vec![day(p.paid_on), crate::print::dong(p.amount)]).collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Khen thưởng".into(),
            head: vec!["Năm", "Danh hiệu"],
            lines: m.awards.iter().map(|a| vec![a.year.to_string(), a.title.clone()]).collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Vi phạm nghĩa vụ đã ghi nhận".into(),
            head: vec!["Nội dung"],
            lines: m.duty_breaches.iter().map(|b| vec![b.note.clone()]).collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Đề nghị hỗ trợ khi gặp tai nạn, rủi ro".into(),
            head: vec!["Ngày xảy ra", "Nội dung"],
            lines: m.incident_claims.iter().map(|c| vec![day(c.occurred_on), c.description.clone()]).collect(),
            ..Default::default()
        });
        sections.push(Section {
            title: "Tài khoản sử dụng phần mềm".into(),
            head: vec!["Tên đăng nhập", "Đang hoạt động"],
            lines: m.accounts.iter().map(|a| vec![a.username.clone(), if a.active { "Có" } else { "Không" }.into()]).collect(),
            ..Default::default()
        });
    }
    for c in &export.cases {
        let p = &c.party;
        let mut rows = vec![
            ("Ngày tiếp nhận".into(), day(c.received_on)),
            ("Loại vụ, việc".into(), label::<Category>(&c.category)),
            ("Kết quả".into(), label::<CaseStatus>(&c.status)),
            ("Nội dung chủ yếu".into(), c.summary.clone()),
            ("Họ và tên".into(), opt(&p.full_name)),
            ("Tuổi / năm sinh".into(), format!("{} / {}", opt(&p.age), opt(&p.birth_year))),
            ("Địa chỉ".into(), opt(&p.address)),
            ("Số điện thoại".into(), opt(&p.phone)),
            ("Số giấy tờ tùy thân".into(), opt(&p.id_number)),
            ("Yêu cầu của bên".into(), opt(&p.demand)),
            ("Nội dung thỏa thuận".into(), opt(&c.agreement_text)),
            ("Ngày hòa giải".into(), listed(c.sessions.iter().map(|d| day(*d)).collect())),
            ("Ảnh, bản chụp lưu kèm".into(), listed(c.attachments.clone())),
        ];
        if let Some(on) = c.pseudonymised_on {
            rows.push(("Đã ẩn danh hóa ngày".into(), day(on)));
        }
        sections.push(Section {
            title: format!("Vụ, việc số {} năm {}", c.logbook_line, chrono::Datelike::year(&c.received_on)),
            rows,
            ..Default::default()
        });
    }
    let r = &export.request;
    html::render(
        "person_export.html",
        minijinja::context! {
            issuer => format!("ỦY BAN NHÂN DÂN {}", commune.to_uppercase()),
            place_date => crate::units::names::place_date(commune, export.generated_at.date_naive()),
            controller => &export.controller,
            requester => &r.requester_name,
            received_on => day(r.received_on),
            kind => label::<RequestKind>(r.kind.as_str()),
            sections => sections,
        },
    )
}
