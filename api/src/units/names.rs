//! How documents name units: "UBND XÃ HẢI HƯNG" in a header, "xã" in running text, "Sở Tư pháp
//! thành phố Hải Phòng" as the body a commune reports to. A unit's name starts with its kind
//! ("Xã Hải Hưng", "Thành phố Hải Phòng"); the kinds are those of the official lists.

use chrono::NaiveDate;

use super::model::Unit;

/// The kinds a unit's name may start with, longest first where one begins another.
const KINDS: &[&str] =
    &["Thành phố", "Tỉnh", "Đặc khu", "Phường", "Thị trấn", "Thị xã", "Quận", "Huyện", "Xã", "Thôn", "Tổ dân phố", "Khu phố", "Ấp", "Bản"];

/// (kind, place): "Xã Hải Hưng" → ("Xã", "Hải Hưng"); a name without a known kind is all place.
pub fn split(name: &str) -> (&str, &str) {
    KINDS.iter().find_map(|k| name.strip_prefix(k).and_then(|rest| rest.strip_prefix(' ')).map(|place| (*k, place))).unwrap_or(("", name))
}

/// The name in running text, its kind in lower case: "thành phố Hải Phòng".
pub fn in_text(name: &str) -> String {
    match split(name) {
        ("", place) => place.to_string(),
        (kind, place) => format!("{} {place}", kind.to_lowercase()),
    }
}

/// The kind in running text ("xã", "phường", "đặc khu"), "đơn vị" when unknown.
pub fn kind_in_text(name: &str) -> String {
    match split(name).0 {
        "" => "đơn vị".into(),
        kind => kind.to_lowercase(),
    }
}

/// The place-date line of an administrative document (Decree 30/2020/NĐ-CP): "Hải Hưng, ngày 30
/// tháng 11 năm 2026" — the place is the unit's name without its kind.
pub fn place_date(unit_name: &str, on: NaiveDate) -> String {
    use chrono::Datelike;
    let (d, m) = (on.day(), on.month());
    // Decree 30/2020: days below 10 and months below 3 take a leading zero.
    let day = if d < 10 { format!("0{d}") } else { d.to_string() };
    let month = if m < 3 { format!("0{m}") } else { m.to_string() };
    format!("{}, ngày {day} tháng {month} năm {}", split(unit_name).1, on.year())
}

/// The body a unit's mediation report goes to: the district's justice office (Phòng Tư pháp)
/// for a commune while districts existed (a period ending before 1 July 2025), the province's
/// Department of Justice (Sở Tư pháp) after, and for a district; the Ministry for a province.
/// `chain` is the unit and those above it, top first.
pub fn report_receiver(chain: &[Unit], period_end: NaiveDate) -> String {
    let Some(unit) = chain.last() else { return String::new() };
    let above = |level: &str| chain.iter().find(|u| u.level == level);
    let province = above("province").map(|p| in_text(&p.name)).unwrap_or_default();
    match unit.level.as_str() {
        "province" => "Bộ Tư pháp".into(),
        "commune" | "village" if period_end < crate::units::validity::REFORM_DAY => match above("district") {
            Some(d) => format!("Phòng Tư pháp {}", in_text(&d.name)),
            None => format!("Sở Tư pháp {province}"),
        },
        _ => format!("Sở Tư pháp {province}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_text() {
        assert_eq!(split("Xã Hải Hưng"), ("Xã", "Hải Hưng"));
        assert_eq!(in_text("Thành phố Hải Phòng"), "thành phố Hải Phòng");
        assert_eq!(in_text("Thị xã Kinh Môn"), "thị xã Kinh Môn");
        assert_eq!(kind_in_text("Đặc khu Bạch Long Vĩ"), "đặc khu");
        assert_eq!(kind_in_text("Hải Hưng"), "đơn vị");
        assert_eq!(split("Xãhội"), ("", "Xãhội"));
    }

    #[test]
    fn place_date_follows_decree_30() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 5).unwrap();
        assert_eq!(place_date("Xã Hải Hưng", d), "Hải Hưng, ngày 05 tháng 02 năm 2026");
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(place_date("Phường Lê Chân", d), "Lê Chân, ngày 30 tháng 11 năm 2026");
    }
}
