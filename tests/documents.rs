//! Printed documents: the official report as one A4 landscape page with the form's header — the
//! reporting and receiving units — and its signature block, from HTML and from the spreadsheet;
//! the year-end report with its signatory, number and place-date lines.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use serde_json::json;

use crate::common::{Client, TestApp};

on_both_backends!(
    the_official_report_names_both_units_and_its_signatories,
    the_written_agreement_is_prefilled_from_the_case,
    the_leader_reports_the_teams_year
);

/// The team leader's annual report: the members and their year, the team's figures, to the
/// commune; signed by the leader; for those who may see the team.
async fn the_leader_reports_the_teams_year(app: TestApp) {
    use crate::funding::{days_ago, ended_case};
    let w = crate::cases::world(app).await;
    ended_case(&w, days_ago(10), &[&w.mediator_a_id], "agreement", days_ago(3)).await;
    ended_case(&w, days_ago(9), &[&w.mediator_a_id], "mediator_ended", days_ago(2)).await;
    let year = days_ago(0).format("%Y").to_string();
    let page = w.leader.get(&format!("/api/v1/teams/{}/annual-report?year={year}", w.team)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    for text in [
        "TỔ HÒA GIẢI THÔN HỘI YÊN",
        &format!("Về tổ chức và hoạt động của tổ hòa giải năm {year}"),
        "Kính gửi: Ủy ban nhân dân xã Đoàn Kết",
        "Trần Văn Bình</td><td>Tổ trưởng",
        "Phạm Thị Lan</td><td>Thành viên</td><td class=\"num\">2</td><td class=\"num\">1</td>",
        "tổ tiếp nhận 2 vụ, việc",
        "hòa giải thành 1, hòa giải không thành 1, đang hòa giải 0",
        "50,0% trên số vụ, việc đã có kết quả hòa giải",
        "III. KHÓ KHĂN, VƯỚNG MẮC",
        "TỔ TRƯỞNG",
    ] {
        assert!(page.text.contains(text), "{text} missing:\n{}", page.text);
    }
    assert_eq!(w.officer.get(&format!("/api/v1/teams/{}/annual-report?year={year}", w.team)).await.status, StatusCode::OK);
    w.leader.get(&format!("/api/v1/teams/{}/annual-report?year=1800", w.team)).await.assert_problem(422, "validation_failed");
    let (stranger, _) = w.app.user(Role::Officer, Some(&w.tree.commune_b)).await;
    stranger.get(&format!("/api/v1/teams/{}/annual-report?year={year}", w.team)).await.assert_problem(404, "not_found");
}

/// The written agreement: the law's contents prefilled from the case, lines to write on where the
/// record holds nothing, a place to sign for each party and mediator; refused without agreement.
async fn the_written_agreement_is_prefilled_from_the_case(app: TestApp) {
    use crate::funding::{days_ago, ended_case};
    let w = crate::cases::world(app).await;
    let id = ended_case(&w, days_ago(10), &[&w.mediator_a_id], "agreement", days_ago(3)).await;
    let page = w.leader.get(&format!("/api/v1/cases/{id}/written-agreement")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(page.header("cache-control").as_deref(), Some("private, no-store"));
    assert!(page.header("content-security-policy").unwrap().contains(&hoagiai::print::style_hash(hoagiai::print::only_style(&page.text))));
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TỔ HÒA GIẢI THÔN HỘI YÊN",
        "VĂN BẢN HÒA GIẢI THÀNH",
        "Luật Hòa giải ở cơ sở số 35/2013/QH13",
        "1. Căn cứ tiến hành hòa giải",
        "Một bên hoặc các bên yêu cầu hòa giải",
        "Bên thứ nhất:</span> Nguyễn Văn An",
        "Tuổi: 58",
        "Bên thứ hai:</span> Hộ ông Lê Văn Bảo (Hộ gia đình / gia đình)",
        "Năm sinh: 1961",
        "Tranh chấp lối đi chung giữa hai hộ liền kề",
        "Hòa giải viên tiến hành hòa giải: Phạm Thị Lan",
        "5. Thỏa thuận đạt được và giải pháp thực hiện",
        "Hai bên thống nhất",
        "6. Phương thức, thời hạn thực hiện thỏa thuận",
        "(Ký hoặc điểm chỉ, ghi rõ họ tên)",
        &format!("Hội Yên, ngày {}", days_ago(3).format("%d")),
    ] {
        assert!(page.text.contains(text), "{text} missing:\n{}", page.text);
    }
    // Reading it is reading the parties' data: audited.
    let audit = w.officer.get(&format!("/api/v1/audit-log?entity=case&entity_id={id}")).await;
    assert!(audit.body["items"].as_array().unwrap().iter().any(|r| r["action"] == "read"), "{}", audit.text);
    // Not for those who do not see the parties, nor for a case that ended without agreement.
    w.tree.admin.get(&format!("/api/v1/cases/{id}/written-agreement")).await.assert_problem(403, "forbidden");
    let failed = ended_case(&w, days_ago(10), &[&w.mediator_a_id], "mediator_ended", days_ago(3)).await;
    w.leader.get(&format!("/api/v1/cases/{failed}/written-agreement")).await.assert_problem(409, "no_agreement");
}

/// An officer of commune A (Xã Đoàn Kết, under Huyện Thanh Miện of Tỉnh Hải Dương in the test
/// tree), and its id.
async fn officer_of_commune_a(app: &TestApp) -> (Client, String) {
    let tree = app.tree().await;
    let (officer, _) = app.user(Role::Officer, Some(&tree.commune_a)).await;
    (officer, tree.commune_a)
}

/// The id of a report the officer submitted.
async fn submitted(officer: &Client, unit: &str, kind: &str, year: i32) -> String {
    let body = json!({"unit_id": unit, "kind": kind, "year": year,
        "estimates": {"new": 2, "successful": 1, "unsuccessful": 0, "out_of_scope": 0}, "notes": "Tháng 11, 12 ước tính."});
    let res = officer.post("/api/v1/stats/reports", &body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    res.body["id"].as_str().unwrap().to_string()
}

async fn the_official_report_names_both_units_and_its_signatories(app: TestApp) {
    let (officer, unit) = officer_of_commune_a(&app).await;
    let id = submitted(&officer, &unit, "annual", 2026).await;
    let page = officer.get(&format!("/api/v1/stats/reports/{id}?format=html")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains(&hoagiai::print::style_hash(hoagiai::print::only_style(&page.text))), "{csp}");
    for text in [
        "size:A4 landscape",
        "KẾT QUẢ HÒA GIẢI Ở CƠ SỞ NĂM 2026",
        "Thông tư số 03/2019/TT-BTP",
        "Đơn vị báo cáo: <span class=\"b\">Ủy ban nhân dân xã Đoàn Kết</span>",
        // A 2026 report of a commune goes to the province: there are no districts after 2025.
        "Đơn vị nhận báo cáo: <span class=\"b\">Sở Tư pháp tỉnh Hải Dương</span>",
        "Người lập biểu",
        "Người kiểm tra biểu",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Tháng 11, 12 ước tính.",
        "Đoàn Kết, ngày ",
    ] {
        assert!(page.text.contains(text), "{text} missing from the page");
    }
    // A report of a period before the reform went to the district's justice office.
    let id = submitted(&officer, &unit, "annual", 2024).await;
    let page = officer.get(&format!("/api/v1/stats/reports/{id}?format=html")).await;
    assert!(page.text.contains("Phòng Tư pháp huyện Thanh Miện"), "{}", page.text);

    // The spreadsheet: a named sheet with the same header and signatures.
    let bytes = raw(&officer, &format!("/api/v1/stats/reports/{id}?format=xlsx")).await;
    use calamine::Reader as _;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["Báo cáo".to_string()]);
    let range = book.worksheet_range("Báo cáo").unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, c)| c.to_string()).collect();
    for text in ["Đơn vị nhận báo cáo: Phòng Tư pháp huyện Thanh Miện", "Người lập biểu", "CHỦ TỊCH", "(Ký, đóng dấu, ghi rõ họ tên)"]
    {
        assert!(cells.iter().any(|c| c.contains(text)), "{text} missing from the sheet: {cells:?}");
    }
}

/// The bytes of an answer (the test client reads text).
async fn raw(client: &Client, path: &str) -> Vec<u8> {
    let http = awc::Client::builder().timeout(std::time::Duration::from_secs(30)).finish();
    let mut res = http
        .get(format!("{}{}", client.base, path))
        .insert_header(("authorization", format!("Bearer {}", client.token.as_deref().unwrap())))
        .send()
        .await
        .unwrap();
    res.body().limit(10 * 1024 * 1024).await.unwrap().to_vec()
}

/// Runs a program, failing the test with its output when it fails.
fn run(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// (pages, landscape) of a PDF, by poppler's pdfinfo.
fn pdf_pages(pdf: &std::path::Path) -> (u32, bool) {
    let info = run("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| info.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_string()).unwrap_or_default();
    let pages = field("Pages:").parse().unwrap();
    let size: Vec<f64> = field("Page size:").split_whitespace().filter_map(|w| w.parse().ok()).collect();
    (pages, size.len() >= 2 && size[0] > size[1])
}

/// The official report, printed from its page by Chromium and from its spreadsheet by LibreOffice:
/// one A4 landscape page each. Needs `chromium`, `soffice` (LibreOffice Calc) and `pdfinfo`
/// (poppler-utils); `tests/run` includes it when they are present, and CI installs them.
#[actix_web::test]
#[ignore = "needs chromium, LibreOffice (soffice) and pdfinfo"]
async fn official_report_prints_on_one_a4_landscape_page() {
    let app = TestApp::sqlite().await;
    let (officer, unit) = officer_of_commune_a(&app).await;
    let id = submitted(&officer, &unit, "six_month", 2026).await;
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("bao-cao.html");
    std::fs::write(&html, raw(&officer, &format!("/api/v1/stats/reports/{id}?format=html")).await).unwrap();
    let from_html = dir.path().join("from-html.pdf");
    run(
        "chromium",
        &[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            &format!("--print-to-pdf={}", from_html.display()),
            &format!("file://{}", html.display()),
        ],
    );
    assert_eq!(pdf_pages(&from_html), (1, true), "the page prints on one A4 landscape sheet");

    let xlsx = dir.path().join("bao-cao.xlsx");
    std::fs::write(&xlsx, raw(&officer, &format!("/api/v1/stats/reports/{id}?format=xlsx")).await).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    run("soffice", &[&profile, "--headless", "--convert-to", "pdf", "--outdir", dir.path().to_str().unwrap(), xlsx.to_str().unwrap()]);
    assert_eq!(pdf_pages(&dir.path().join("bao-cao.pdf")), (1, true), "the spreadsheet prints on one A4 landscape sheet");
}
