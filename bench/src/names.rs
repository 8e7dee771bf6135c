//! Vietnamese names, places and case texts for the seeded province. Illustrative, not official
//! lists: they only have to look and fold like the real thing.

use rand::seq::IndexedRandom;
use rand::Rng;

pub const SURNAMES: &[&str] = &[
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai", "Đào", "Lương", "Tạ", "Cao", "Đoàn",
];
const MIDDLE_MALE: &[&str] = &["Văn", "Văn", "Văn", "Đức", "Hữu", "Quang", "Minh", "Công", "Xuân", "Thanh", "Đình", "Ngọc"];
const MIDDLE_FEMALE: &[&str] = &["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Minh", "Phương"];
const GIVEN_MALE: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hùng", "Hải", "Hòa", "Khánh", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Tuấn",
    "Tùng", "Việt", "Vinh", "Bảo", "Đạt", "Hiếu", "Lâm", "Thành", "Trung", "Tư", "Chiến", "Quý", "Toàn",
];
const GIVEN_FEMALE: &[&str] = &[
    "Lan", "Hoa", "Hương", "Mai", "Linh", "Hằng", "Thảo", "Nga", "Nhung", "Yến", "Trang", "Huệ", "Loan", "Phương", "Thủy", "Vân", "Hạnh",
    "Hà", "Liên", "Oanh", "Tuyết", "Dung", "Xuân", "Ngân",
];
/// Names of the ethnic minority villages of the hills (Tày, Thái, H'Mông, Mường).
const MINORITY_MALE: &[&str] =
    &["Hoàng Văn Páo", "Lò Văn Pấng", "Giàng A Sùng", "Lường Văn Chiến", "Hà Văn Tươi", "Sầm Văn Bảy", "Vàng A Chứ", "Lục Văn Thào"];
const MINORITY_FEMALE: &[&str] =
    &["Lò Thị Mai", "Sùng Thị Mỷ", "Hà Thị Xuyến", "Lường Thị Ón", "Giàng Thị Dua", "Vi Thị Hiền", "Nông Thị Lả", "Bế Thị Thoa"];

pub fn person<R: Rng>(rng: &mut R, female: bool, minority: bool) -> String {
    if minority && rng.random_bool(0.7) {
        return if female { MINORITY_FEMALE } else { MINORITY_MALE }.choose(rng).expect("names").to_string();
    }
    let surname = SURNAMES.choose(rng).expect("names");
    let (middle, given) = if female { (MIDDLE_FEMALE, GIVEN_FEMALE) } else { (MIDDLE_MALE, GIVEN_MALE) };
    format!("{surname} {} {}", middle.choose(rng).expect("names"), given.choose(rng).expect("names"))
}

const PLACE_A: &[&str] = &[
    "Tân", "Hòa", "An", "Phú", "Bình", "Thanh", "Minh", "Hồng", "Quang", "Đồng", "Hưng", "Vĩnh", "Trung", "Đại", "Nghĩa", "Thạch", "Cẩm",
    "Yên", "Xuân", "Thiện", "Long", "Phúc", "Việt", "Ngọc",
];
const PLACE_B: &[&str] = &[
    "Phong", "Bình", "Lộc", "Thịnh", "Hưng", "Sơn", "Hòa", "Tiến", "Lợi", "Thành", "Khê", "Yên", "Xuyên", "Quang", "Đông", "Tây", "An",
    "Phúc", "Lạc", "Mỹ", "Hải", "Châu",
];

/// `n` distinct two-word place names ("Tân Phong", "Hòa Bình", …), in a shuffled order.
pub fn place_names<R: Rng>(rng: &mut R, n: usize) -> Vec<String> {
    let mut all: Vec<String> =
        PLACE_A.iter().flat_map(|a| PLACE_B.iter().filter(move |b| *b != a).map(move |b| format!("{a} {b}"))).collect();
    rand::seq::SliceRandom::shuffle(all.as_mut_slice(), rng);
    let base = all.len();
    (0..n).map(|i| if i < base { all[i].clone() } else { format!("{} {}", all[i % base], i / base + 1) }).collect()
}

/// A village's name within its commune: "Thôn Tân Phong", "Thôn 3", "Xóm Đông", "Tổ dân phố số 2", "Bản Nà Phặc".
pub fn village_name(index: usize, minority: bool, words: &[String]) -> String {
    if minority {
        const BAN: &[&str] = &["Nà Phặc", "Khuổi Tát", "Nà Lẹng", "Pác Bó", "Nặm Lìn", "Cốc Lếu", "Phiêng Luông", "Lũng Cú"];
        return format!("Bản {} {}", BAN[index % BAN.len()], index / BAN.len() + 1);
    }
    match index % 5 {
        0 | 1 => format!("Thôn {}", words[index % words.len()]),
        2 => format!("Thôn {}", index + 1),
        3 => format!("Xóm {}", ["Đông", "Tây", "Nam", "Bắc", "Giữa", "Chùa", "Đình", "Bến"][(index / 5) % 8]),
        _ => format!("Tổ dân phố số {}", index + 1),
    }
}

pub const OCCUPATIONS: &[&str] =
    &["Nông dân", "Hưu trí", "Giáo viên nghỉ hưu", "Trưởng thôn", "Chi hội trưởng phụ nữ", "Bí thư chi bộ", "Buôn bán", "Cựu chiến binh"];

/// (category, summary templates): `{a}` and `{b}` are the two parties.
pub const SUMMARIES: &[(&str, &[&str])] = &[
    (
        "land",
        &[
            "Tranh chấp ranh giới đất vườn giữa hộ {a} và hộ {b}",
            "Tranh chấp lối đi chung giữa hai hộ liền kề {a} và {b}",
            "Hộ {a} xây tường rào lấn sang đất của hộ {b} khoảng 0,5 m",
            "Tranh chấp quyền sử dụng thửa ruộng giữa {a} và {b} sau dồn điền đổi thửa",
        ],
    ),
    (
        "family_marriage",
        &[
            "Mâu thuẫn vợ chồng giữa {a} và {b}, một bên đề nghị hòa giải",
            "Mâu thuẫn giữa {a} và con dâu {b} về việc chăm sóc con nhỏ",
            "{b} đề nghị {a} cấp dưỡng nuôi con sau khi ly thân",
        ],
    ),
    (
        "civil_property",
        &[
            "Tranh chấp khoản vay 30 triệu đồng giữa {a} và {b}",
            "Tranh chấp chia thừa kế thửa đất do cha mẹ để lại giữa {a} và {b}",
            "Tranh chấp tiền công xây nhà giữa chủ nhà {a} và thợ xây {b}",
            "{a} mua trâu của {b} nhưng chưa trả đủ tiền",
        ],
    ),
    (
        "neighbourhood",
        &[
            "Gà, vịt nhà {a} phá hoa màu của nhà {b}",
            "Tiếng ồn từ xưởng mộc của hộ {a} ảnh hưởng đến hộ {b}",
            "Nước thải chăn nuôi lợn của hộ {a} chảy sang vườn hộ {b}",
            "Cây nhãn nhà {a} che nắng và rụng lá sang sân nhà {b}",
        ],
    ),
    (
        "minor_violation",
        &[
            "Xô xát nhẹ giữa {a} và {b} sau đám cưới trong thôn",
            "Con của {a} làm vỡ kính cửa sổ nhà {b}",
            "{a} chặt cây keo trồng trên đất của hộ {b}",
        ],
    ),
    (
        "other",
        &["Mâu thuẫn giữa {a} và {b} về việc đóng góp làm đường bê tông thôn", "Tranh chấp việc dùng giếng nước chung giữa {a} và {b}"],
    ),
];

pub const AGREEMENTS: &[&str] = &[
    "Hai bên thống nhất giữ nguyên ranh giới theo bản đồ địa chính, hộ lấn đất tự tháo dỡ trong 15 ngày",
    "Hai bên thống nhất trả nợ làm 3 lần, mỗi lần 10 triệu đồng, hạn cuối trong năm",
    "Các bên xin lỗi nhau, cam kết không tái diễn và giữ tình làng nghĩa xóm",
    "Hộ chăn nuôi làm hầm biogas và rãnh thoát nước riêng trong tháng",
    "Hai bên giữ lối đi chung rộng 1,5 m, không ai được lấn chiếm",
    "Vợ chồng đoàn tụ, cam kết cùng nhau chăm sóc con và không bạo lực",
];

pub const DEMANDS: &[&str] = &[
    "Yêu cầu trả lại phần đất bị lấn chiếm",
    "Yêu cầu bồi thường thiệt hại 5 triệu đồng",
    "Không đồng ý, đề nghị chuyển lên UBND xã giải quyết",
    "Yêu cầu trả đủ số tiền đã vay cùng tiền lãi",
    "Đề nghị chia đều di sản theo pháp luật",
];

pub const OUT_OF_SCOPE: &[(&str, &str)] = &[
    ("Có dấu hiệu tội phạm hình sự (trộm cắp tài sản)", "Công an xã"),
    ("Tranh chấp đất đai đã có quyết định giải quyết của cơ quan có thẩm quyền", "UBND xã"),
    ("Vi phạm hành chính về trật tự xây dựng", "UBND xã"),
    ("Yêu cầu ly hôn", "Tòa án nhân dân khu vực"),
];

pub const REFERRALS: &[&str] = &["UBND xã", "Tòa án nhân dân khu vực 3", "Công an xã"];

pub const SESSION_PLACES: &[&str] = &["Nhà văn hóa thôn", "Nhà tổ trưởng tổ hòa giải", "Nhà một bên tranh chấp", "Trụ sở UBND xã"];

pub const PARTICIPANT_ROLES: &[&str] = &["trưởng thôn", "công an viên", "người cao tuổi", "chi hội trưởng phụ nữ", "người có uy tín"];
