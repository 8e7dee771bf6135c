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
    fn phones() {
        assert!(phone("0912 345 678").is_ok());
        assert!(phone("+84912345678").is_ok());
        assert!(phone("12ab").is_err());
    }
}
