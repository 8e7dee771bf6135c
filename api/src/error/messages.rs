//! The words of every problem code, in Vietnamese and English. A new code is added here once; a
//! code missing from the table falls back to the generic title of its HTTP status.

use actix_web::http::StatusCode;
use serde_json::{Map, Value};

use super::Lang;

/// (code, Tiếng Việt, English)
const TITLES: &[(&str, &str, &str)] = &[
    ("validation_failed", "Dữ liệu không hợp lệ", "The data is not valid"),
    ("malformed_json", "Nội dung JSON không đúng cú pháp", "The JSON body is malformed"),
    ("control_characters", "Yêu cầu chứa ký tự điều khiển", "The request holds a control character"),
    ("malformed_query", "Tham số truy vấn không hợp lệ", "The query parameters are not valid"),
    ("unsupported_media_type", "Định dạng nội dung không được hỗ trợ", "Unsupported content type"),
    ("payload_too_large", "Nội dung gửi lên quá lớn", "The request body is too large"),
    ("not_found", "Không tìm thấy", "Not found"),
    ("route_not_found", "Không có địa chỉ này", "No such route"),
    ("method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này", "Method not allowed on this route"),
    ("unauthenticated", "Chưa đăng nhập", "Authentication required"),
    ("invalid_token", "Mã truy cập không hợp lệ", "The access token is not valid"),
    ("token_expired", "Mã truy cập đã hết hạn", "The access token has expired"),
    ("token_revoked", "Tài khoản đã bị khóa hoặc ứng dụng kết nối đã bị thu hồi", "The account is deactivated or the client revoked"),
    ("invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng", "Wrong username or password"),
    ("account_inactive", "Tài khoản đã bị khóa", "The account is deactivated"),
    ("invalid_refresh_token", "Mã làm mới không hợp lệ hoặc đã hết hạn", "The refresh token is not valid or has expired"),
    (
        "refresh_token_reused",
        "Mã làm mới đã được dùng; mọi phiên liên quan đã bị thu hồi",
        "The refresh token was already used; its whole session family is revoked",
    ),
    ("invalid_client", "Thông tin ứng dụng kết nối không đúng", "Wrong client credentials"),
    ("unsupported_grant_type", "Kiểu cấp quyền không được hỗ trợ", "Unsupported grant type"),
    ("wrong_password", "Mật khẩu hiện tại không đúng", "The current password is wrong"),
    ("forbidden", "Không có quyền thực hiện thao tác này", "You may not do this"),
    ("outside_scope", "Ngoài phạm vi quản lý của bạn", "Outside your scope"),
    ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau", "Too many requests, try again later"),
    ("already_exists", "Bản ghi đã tồn tại", "The record already exists"),
    ("username_taken", "Tên đăng nhập đã được sử dụng", "The username is taken"),
    ("unit_code_taken", "Mã đơn vị hành chính đã được dùng cho đơn vị đang có hiệu lực", "The official code is in use by a current unit"),
    ("invalid_reference", "Tham chiếu đến bản ghi không tồn tại", "A referenced record does not exist"),
    ("invalid_parent", "Đơn vị cấp trên không phù hợp", "The parent unit does not fit"),
    ("unit_closed", "Đơn vị hành chính đã hết hiệu lực", "The administrative unit is no longer valid"),
    (
        "self_change_forbidden",
        "Không thể tự thay đổi vai trò, phạm vi hoặc khóa tài khoản của chính mình",
        "You cannot change your own role or scope, or deactivate yourself",
    ),
    ("if_match_required", "Cần gửi kèm phiên bản (If-Match) khi cập nhật", "An If-Match header with the record's version is required"),
    ("version_mismatch", "Bản ghi đã được người khác thay đổi", "The record was changed by someone else"),
    (
        "idempotency_key_reused",
        "Khóa Idempotency-Key đã được dùng cho một yêu cầu khác",
        "The Idempotency-Key was used for a different request",
    ),
    ("import_failed", "Nhập dữ liệu không thành công", "The import failed"),
    ("idempotency_in_progress", "Yêu cầu với khóa này đang được xử lý", "A request with this key is still being processed"),
    ("service_unavailable", "Hệ thống đang bận, vui lòng thử lại", "The service is busy, try again"),
    ("internal_error", "Lỗi hệ thống", "Internal error"),
    ("not_supported_on_backend", "Không hỗ trợ với cơ sở dữ liệu đang dùng", "Not supported on this database backend"),
];

pub fn title(code: &str, status: StatusCode, lang: Lang) -> &'static str {
    if let Some((_, vi, en)) = TITLES.iter().find(|(c, _, _)| *c == code) {
        return if lang == Lang::En { en } else { vi };
    }
    let (vi, en) = match status.as_u16() {
        400 => ("Yêu cầu không hợp lệ", "Bad request"),
        401 => ("Chưa đăng nhập", "Authentication required"),
        403 => ("Không có quyền", "Forbidden"),
        404 => ("Không tìm thấy", "Not found"),
        409 => ("Xung đột dữ liệu", "Conflict"),
        422 => ("Dữ liệu không hợp lệ", "The data is not valid"),
        s if s >= 500 => ("Lỗi hệ thống", "Internal error"),
        _ => ("Yêu cầu không thành công", "Request failed"),
    };
    if lang == Lang::En {
        en
    } else {
        vi
    }
}

fn param(params: &Map<String, Value>, key: &str) -> String {
    match params.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => "?".into(),
    }
}

/// Why a password was refused (`reason`), with zxcvbn's warning in English.
fn weak_password(params: &Map<String, Value>, en: bool) -> String {
    let reason = params.get("reason").and_then(Value::as_str).unwrap_or("guessable");
    match (reason, en) {
        ("blank", true) => "The password must not be only spaces".into(),
        ("blank", false) => "Mật khẩu không được chỉ gồm dấu cách".into(),
        ("same_as_username", true) => "The password must not be the username".into(),
        ("same_as_username", false) => "Mật khẩu không được trùng tên đăng nhập".into(),
        ("repeated", true) => "The password must not repeat one character or group".into(),
        ("repeated", false) => "Mật khẩu không được lặp lại một ký tự hoặc một nhóm ký tự".into(),
        ("common", true) => "This is one of the most common passwords; choose another".into(),
        ("common", false) => "Đây là một trong những mật khẩu phổ biến nhất; hãy chọn mật khẩu khác".into(),
        (_, true) => match params.get("warning").and_then(Value::as_str) {
            Some(w) => format!("The password is too easy to guess: {w} Use a few unrelated words"),
            None => "The password is too easy to guess; use a few unrelated words".into(),
        },
        (_, false) => "Mật khẩu quá dễ đoán; hãy dùng một cụm vài từ không liên quan đến nhau".into(),
    }
}

/// The sentence for one field error. Codes are validator's (`length`, `range`, `email`, …) and
/// ours (`required`, `invalid_type`, `unknown_variant`, …).
pub fn field_message(code: &str, params: &Map<String, Value>, lang: Lang) -> String {
    let en = lang == Lang::En;
    let p = |k| param(params, k);
    match code {
        "length" => match (params.contains_key("min"), params.contains_key("max")) {
            (true, true) if en => format!("Must be between {} and {} characters", p("min"), p("max")),
            (true, true) => format!("Độ dài phải từ {} đến {} ký tự", p("min"), p("max")),
            (true, false) if en => format!("Must be at least {} characters", p("min")),
            (true, false) => format!("Phải có ít nhất {} ký tự", p("min")),
            _ if en => format!("Must be at most {} characters", p("max")),
            _ => format!("Không được quá {} ký tự", p("max")),
        },
        "range" => match (params.contains_key("min"), params.contains_key("max")) {
            (true, true) if en => format!("Must be between {} and {}", p("min"), p("max")),
            (true, true) => format!("Phải từ {} đến {}", p("min"), p("max")),
            (true, false) if en => format!("Must be at least {}", p("min")),
            (true, false) => format!("Phải lớn hơn hoặc bằng {}", p("min")),
            _ if en => format!("Must be at most {}", p("max")),
            _ => format!("Phải nhỏ hơn hoặc bằng {}", p("max")),
        },
        "required" if en => "Required".into(),
        "required" => "Bắt buộc phải nhập".into(),
        "blank" if en => "Must not be blank".into(),
        "blank" => "Không được để trống".into(),
        "invalid_type" if en => format!("Wrong type: expected {}", p("expected")),
        "invalid_type" => format!("Sai kiểu dữ liệu: cần {}", p("expected")),
        "unknown_variant" if en => format!("Unknown value; allowed: {}", p("allowed")),
        "unknown_variant" => format!("Giá trị không hợp lệ; cho phép: {}", p("allowed")),
        "unknown_field" if en => "Unknown field".into(),
        "unknown_field" => "Trường không được hỗ trợ".into(),
        "invalid_value" if en && params.contains_key("reason") => format!("Invalid value: {}", p("reason")),
        "invalid_value" if params.contains_key("reason") => format!("Giá trị không hợp lệ: {}", p("reason")),
        "username_format" if en => "Use lowercase letters, digits, '.', '_' or '-'".into(),
        "username_format" => "Chỉ dùng chữ thường không dấu, chữ số, '.', '_' hoặc '-'".into(),
        "phone_format" if en => "Not a phone number".into(),
        "phone_format" => "Số điện thoại không hợp lệ".into(),
        "control_characters" if en => "Must not contain control characters".into(),
        "control_characters" => "Không được chứa ký tự điều khiển".into(),
        "weak_password" => weak_password(params, en),
        "not_allowed_for_role" if en => "Not allowed for this role".into(),
        "not_allowed_for_role" => "Không phù hợp với vai trò này".into(),
        "no_official_code" if en => "The unit has no official code".into(),
        "no_official_code" => "Đơn vị không có mã chính thức".into(),
        "outside_scope" if en => "Outside your scope".into(),
        "outside_scope" => "Ngoài phạm vi quản lý của bạn".into(),
        "not_found" if en => "No such record".into(),
        "not_found" => "Không tìm thấy bản ghi".into(),
        "invalid_cursor" if en => "Not a cursor from this list".into(),
        "invalid_cursor" => "Con trỏ phân trang không hợp lệ".into(),
        "majority_not_reached" if en => "Elected needs more than half of the voters".into(),
        "majority_not_reached" => "Trúng cử phải được quá nửa số người có quyền bầu".into(),
        "not_the_most_votes" if en => "The leader needs the most votes, alone".into(),
        "not_the_most_votes" => "Tổ trưởng phải là người có số phiếu cao nhất".into(),
        "one_leader" if en => "A team has one leader".into(),
        "one_leader" => "Mỗi tổ chỉ có một tổ trưởng".into(),
        "more_votes_than_voters" | "more_votes_than_cast" if en => "More votes than there can be".into(),
        "more_votes_than_voters" | "more_votes_than_cast" => "Số phiếu vượt quá số có thể có".into(),
        "content_mismatch" if en => "The file is not of the type it was sent as".into(),
        "content_mismatch" => "Nội dung tệp không đúng với loại tệp đã khai".into(),
        "exactly_one_owner" if en => "Name exactly one record: a case, a team's year or a confirmation list".into(),
        "exactly_one_owner" => "Chỉ ghi một hồ sơ: vụ, việc; sổ của tổ theo năm; hoặc danh sách xác nhận".into(),
        "in_the_future" if en => "Must not be in the future".into(),
        "in_the_future" => "Không được là ngày trong tương lai".into(),
        "required_with_session_id" if en => "Name the case the session was held for".into(),
        "required_with_session_id" => "Cần ghi vụ, việc của buổi hòa giải".into(),
        "use_transfer" if en => "A move to a successor team is recorded as a transfer".into(),
        "use_transfer" => "Chuyển sang tổ kế thừa được ghi bằng thao tác chuyển tổ".into(),
        "removal_request_required" if en => "A removal rests on the request of the Front work committee head".into(),
        "removal_request_required" => "Cho thôi làm hòa giải viên phải có đề nghị của Trưởng ban công tác Mặt trận".into(),
        "front_committee_request_required" if en => "This removal is requested by the head of the Front work committee".into(),
        "front_committee_request_required" => "Trường hợp này do Trưởng ban công tác Mặt trận đề nghị".into(),
        "reason_required" if en => "Give the reason".into(),
        "reason_required" => "Cần ghi lý do".into(),
        "decision_required" if en => "A removal is the chairman's decision: give its number and date".into(),
        "decision_required" => "Cho thôi làm hòa giải viên phải có quyết định của Chủ tịch UBND: ghi số và ngày".into(),
        "decision_before_request" if en => "The decision cannot come before the request".into(),
        "decision_before_request" => "Ngày quyết định không được trước ngày đề nghị".into(),
        "one_subject" if en => "A request is about a mediator or about a party, not both".into(),
        "one_subject" => "Mỗi yêu cầu chỉ về một hòa giải viên hoặc một bên tranh chấp".into(),
        "subject_required" if en => "Name whom the request is about: a mediator or the party rows".into(),
        "subject_required" => "Cần ghi người yêu cầu là hòa giải viên nào hoặc là bên nào trong vụ, việc".into(),
        "before_received" if en => "Must not be before the request was received".into(),
        "before_received" => "Không được trước ngày nhận yêu cầu".into(),
        _ if en => "Invalid value".into(),
        _ => "Giá trị không hợp lệ".into(),
    }
}
