//! The year-end report as a printable page in Vietnamese (A4 portrait), for the year-end
//! conference: the plan's indicators beside the targets, then the details behind them.

use super::dto::{PlanLine, YearEndReport};
use crate::codes::CodeEnum;
use crate::print::{dong, esc};

const STYLE: &str =
    "@page{size:A4 portrait;margin:15mm}body{font-family:'Times New Roman',serif;font-size:13pt;color:#000;max-width:190mm;margin:auto}\
.head{display:flex;justify-content:space-between;text-align:center}.head p{margin:0}.bold{font-weight:bold}\
h1{text-align:center;font-size:15pt;margin:18pt 0 4pt}h2{font-size:13pt;margin:14pt 0 6pt}.sub{text-align:center;margin:0 0 12pt}\
table{width:100%;border-collapse:collapse;margin-bottom:8pt}th,td{border:1px solid #000;padding:3pt 5pt;vertical-align:top}\
th{text-align:center}.num{text-align:right;white-space:nowrap}.ok{font-weight:bold}.no{font-style:italic}\
.foot{display:flex;justify-content:flex-end;text-align:center;margin-top:18pt}.foot p{margin:0}.gap{height:60pt}";

pub fn html_csp() -> String {
    crate::print::csp(STYLE)
}

fn value(l: &PlanLine, v: Option<f64>) -> String {
    match (v, l.unit.as_str()) {
        (None, _) => "—".into(),
        (Some(v), "rate") => format!("{:.1}%", v * 100.0).replace('.', ","),
        (Some(v), "dong") => dong(v as i64),
        (Some(v), _) => format!("{}", v as i64),
    }
}

pub fn html(r: &YearEndReport) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n");
    out += &format!(
        "<title>Báo cáo tổng kết công tác hòa giải ở cơ sở năm {} – {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        r.year,
        esc(&r.unit_name)
    );
    out += &format!(
        "<div class=\"head\"><div><p class=\"bold\">{}</p></div><div><p class=\"bold\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p></div></div>\n",
        esc(&format!("UBND {}", r.unit_name).to_uppercase())
    );
    out += &format!("<h1>BÁO CÁO TỔNG KẾT CÔNG TÁC HÒA GIẢI Ở CƠ SỞ NĂM {}</h1>\n", r.year);
    out += &format!("<p class=\"sub\">Số liệu tính đến ngày {}</p>\n", r.as_of.format("%d/%m/%Y"));

    out += "<h2>I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CỦA KẾ HOẠCH</h2>\n<table>\n<thead><tr><th>STT</th><th>Chỉ tiêu</th><th>Kết quả</th><th>Chỉ tiêu kế hoạch</th><th>Đánh giá</th></tr></thead>\n<tbody>\n";
    for (i, l) in r.plan.iter().enumerate() {
        let verdict = match l.met {
            Some(true) => "<span class=\"ok\">Đạt</span>",
            Some(false) => "<span class=\"no\">Chưa đạt</span>",
            None => "",
        };
        out += &format!(
            "<tr><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{verdict}</td></tr>\n",
            i + 1,
            esc(&l.label),
            value(l, l.value),
            if l.target.is_some() { value(l, l.target) } else { String::new() }
        );
    }
    out += "</tbody>\n</table>\n";

    out += "<h2>II. TỔ HÒA GIẢI VÀ HÒA GIẢI VIÊN</h2>\n";
    out += &format!(
        "<p>Toàn xã có {} tổ hòa giải với {} hòa giải viên ({} nữ, {} người dân tộc thiểu số, {} có trình độ pháp luật). {} tổ được kiện toàn đúng quy định; {} hòa giải viên được tập huấn, bồi dưỡng trong năm.</p>\n",
        r.teams, r.mediators.total, r.mediators.women, r.mediators.ethnic_minority, r.mediators.with_legal_training, r.teams_compliant, r.mediators_trained
    );
    if !r.teams_not_compliant.is_empty() {
        out += "<table>\n<thead><tr><th>Tổ hòa giải chưa đủ thành phần</th><th>Nội dung</th></tr></thead>\n<tbody>\n";
        for t in &r.teams_not_compliant {
            let w: Vec<&str> = t.warnings.iter().map(|w| w.message_vi).collect();
            out += &format!("<tr><td>{}</td><td>{}</td></tr>\n", esc(&t.team_name), esc(&w.join("; ")));
        }
        out += "</tbody>\n</table>\n";
    }
    if !r.untrained.is_empty() {
        out += "<table>\n<thead><tr><th>STT</th><th>Hòa giải viên chưa được tập huấn trong năm</th><th>Tổ hòa giải</th></tr></thead>\n<tbody>\n";
        for (i, m) in r.untrained.iter().enumerate() {
            out += &format!("<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n", i + 1, esc(&m.full_name), esc(&m.team_name));
        }
        out += "</tbody>\n</table>\n";
    }

    out += "<h2>III. ĐÁNH GIÁ, XẾP LOẠI TỔ HÒA GIẢI</h2>\n";
    if r.ratings.is_empty() {
        out += "<p>Chưa có tổ hòa giải nào được đánh giá trong năm.</p>\n";
    } else {
        out += "<table>\n<thead><tr><th>Tổ hòa giải</th><th>Tiêu chí chưa đạt</th><th>Xếp loại</th></tr></thead>\n<tbody>\n";
        for rt in &r.ratings {
            let missed: Vec<&str> = rt.results.iter().filter(|c| !c.met).map(|c| c.vi.as_str()).collect();
            out +=
                &format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(&rt.team_name), esc(&missed.join("; ")), rt.rating.labels().0);
        }
        out += "</tbody>\n</table>\n";
    }

    out +=
        "<h2>IV. KINH PHÍ</h2>\n<table>\n<thead><tr><th>Nội dung</th><th>Dự toán (đồng)</th><th>Đã chi (đồng)</th></tr></thead>\n<tbody>\n";
    for l in r.funding.iter().chain(std::iter::once(&r.funding_total)) {
        out += &format!(
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            esc(&l.label),
            dong(l.budgeted),
            dong(l.disbursed)
        );
    }
    out += "</tbody>\n</table>\n";

    out += "<h2>V. KHEN THƯỞNG</h2>\n";
    if r.awards.is_empty() {
        out += "<p>Không có.</p>\n";
    } else {
        out += "<table>\n<thead><tr><th>Tập thể, cá nhân</th><th>Hình thức</th><th>Cấp khen</th><th>Lý do</th><th>Quyết định</th></tr></thead>\n<tbody>\n";
        for a in &r.awards {
            out += &format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&a.recipient_name),
                esc(&a.title),
                a.level.labels().0,
                esc(&a.reason),
                esc(a.decision_no.as_deref().unwrap_or(""))
            );
        }
        out += "</tbody>\n</table>\n";
    }
    out += "<div class=\"foot\"><div><p>Ngày ...... tháng ...... năm ......</p><p class=\"bold\">TM. ỦY BAN NHÂN DÂN</p><p>(Ký, đóng dấu)</p><div class=\"gap\"></div></div></div>\n";
    out += "</body>\n</html>\n";
    out
}
