//! Text rules shared by every resource: search folding for Vietnamese, and the validators used
//! in request types.

use unicode_normalization::UnicodeNormalization;
use validator::ValidationError;

/// Folds text for search: lower case, diacritics removed, `đ` → `d`, spaces collapsed. Stored
/// beside the original at write time, so search is the same `LIKE` on SQLite and PostgreSQL.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if unicode_normalization::char::is_combining_mark(c) => continue,
            c => c,
        };
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.extend(c.to_lowercase());
            last_space = false;
        }
    }
    out.trim_end().to_string()
}

/// The `LIKE` pattern for "contains this text", with the wildcards of the search text escaped.
pub fn contains_pattern(query: &str) -> String {
    let folded = fold(query).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{folded}%")
}

/// Refuses control characters (a name with a NUL or an escape sequence is never a real name)
/// and text that is only white space.
pub fn clean_text(s: &str) -> Result<(), ValidationError> {
    if s.trim().is_empty() {
        return Err(ValidationError::new("blank"));
    }
    clean_multiline(s)
}

/// Like `clean_text`, but line breaks and tabs are allowed (notes, agreement texts).
pub fn clean_multiline(s: &str) -> Result<(), ValidationError> {
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(ValidationError::new("control_characters"));
    }
    Ok(())
}

/// A control character no text we keep may hold anywhere: the C0 characters but tab, line feed
/// and carriage return, and DEL. (PostgreSQL text cannot hold NUL at all.)
pub fn is_forbidden_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0x7f
}

/// Whether text holds a C0 control character (tab and line breaks included) or DEL: never right in
/// a name, an identifier, a search or a secret.
pub fn has_control_chars(s: &str) -> bool {
    s.bytes().any(|b| b < 0x20 || b == 0x7f)
}

/// Whether a percent-encoded URL part (path or query) decodes to a C0 control character (tab and
/// line breaks included) or DEL. `+` is a space, so it is fine.
pub fn percent_decoded_has_control(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut i = 0;
    while i < bytes.len() {
        let b = match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(hi), Some(lo)) => {
                i += 2;
                (hi * 16 + lo) as u8
            }
            (b, _, _) => b,
        };
        if b < 0x20 || b == 0x7f {
            return true;
        }
        i += 1;
    }
    false
}

/// Where a JSON text spells a forbidden control character as an escape (`\u0000`–`\u001f` but
/// `\t`, `\n`, `\r`, and `\u007f`) or holds a raw DEL: the byte offset, or `None`. A raw C0
/// byte in a string is already a JSON syntax error. One pass over the bytes, following escapes, so
/// `\\u0000` (an escaped backslash, then text) is not one.
pub fn json_control_escape(body: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            0x7f => return Some(i),
            b'\\' => {
                if body.get(i + 1) == Some(&b'u') {
                    let code =
                        body.get(i + 2..i + 6).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u32::from_str_radix(h, 16).ok());
                    if let Some(code) = code {
                        if code < 0x80 && is_forbidden_control(code as u8) {
                            return Some(i);
                        }
                    }
                    i += 6;
                } else {
                    // `\\`, `\"`, `\n`, …: the escaped character is text.
                    i += 2;
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Vietnamese phone numbers as people write them: digits, spaces, dots, dashes, an optional `+`.
pub fn phone(s: &str) -> Result<(), ValidationError> {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let ok =
        (8..=15).contains(&digits) && s.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " .-()".contains(c) || (i == 0 && c == '+'));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("phone_format"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Văn  Đức"), "nguyen van duc");
        assert_eq!(fold("Thôn Hòa Bình"), "thon hoa binh");
        assert_eq!(fold("ĐOÀN KẾT"), "doan ket");
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(contains_pattern("50%_x"), "%50\\%\\_x%");
    }

    #[test]
    fn control_characters_in_json_follow_escapes() {
        assert_eq!(json_control_escape(br#"{"a": "x\u0000"}"#), Some(8));
        assert_eq!(json_control_escape(br#"{"a": "x\u001F"}"#), Some(8));
        assert_eq!(json_control_escape(br#"{"a": "x\u007f"}"#), Some(8));
        assert_eq!(json_control_escape(b"{\"a\": \"x\x7f\"}"), Some(8));
        assert_eq!(json_control_escape(br#"{"a": "x\\u0000"}"#), None);
        assert_eq!(json_control_escape(br#"{"a": "x\\\u0000"}"#), Some(10));
        assert_eq!(json_control_escape(br#"{"a": "x\t\n\r\u0009\u000a\u000D\"\u00e9"}"#), None);
        assert_eq!(json_control_escape(br#"{"a": "x\u00"#), None);
    }

    #[test]
    fn control_characters_in_urls() {
        assert!(percent_decoded_has_control("a%00b"));
        assert!(percent_decoded_has_control("a%7Fb"));
        assert!(percent_decoded_has_control("a%0ab"));
        assert!(!percent_decoded_has_control("a+b%20c%25%5Cu0000"));
        assert!(!percent_decoded_has_control("%"));
        assert!(!percent_decoded_has_control("%0"));
    }

    #[test]
    fn phones() {
        assert!(phone("0912 345 678").is_ok());
        assert!(phone("+84912345678").is_ok());
        assert!(phone("12ab").is_err());
    }
}
