//! What every printable page shares: HTML escaping, and a Content-Security-Policy under which
//! nothing loads or runs and only the page's one `<style>` element (pinned by its hash) applies.

use base64::Engine;
use sha2::{Digest, Sha256};

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The CSP source expression of a style element's text: `'sha256-…'`.
pub fn style_hash(style: &str) -> String {
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style.as_bytes())))
}

/// The whole Content-Security-Policy for a page whose only style element holds `style`.
pub fn csp(style: &str) -> String {
    format!("default-src 'none'; style-src {}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", style_hash(style))
}

/// An amount in đồng with dot thousands separators, as Vietnamese forms print it: 1.800.000.
pub fn dong(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    out
}

/// The text of a page's one `<style>` element, to check its pinned hash.
pub fn only_style(html: &str) -> &str {
    let start = html.find("<style>").map(|i| i + "<style>".len()).unwrap_or(0);
    let end = html.find("</style>").unwrap_or(start);
    &html[start..end.max(start)]
}

#[cfg(test)]
mod tests {
    #[test]
    fn dong_groups_thousands_with_dots() {
        assert_eq!(super::dong(0), "0");
        assert_eq!(super::dong(400_000), "400.000");
        assert_eq!(super::dong(1_800_000), "1.800.000");
        assert_eq!(super::dong(-12_345), "-12.345");
    }
}
