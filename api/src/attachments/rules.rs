//! What a file must be to be kept: a type a phone or a scanner makes, whose first bytes agree
//! with the type it was sent as (a renamed executable is refused), and a name that is a name.

use super::dto::AttachmentKind;
use crate::auth::Role;

/// The media types kept: photos (JPEG, PNG, WebP) and scans (PDF).
pub const MEDIA_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp", "application/pdf"];

/// The media type the bytes are, by their signature; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Why a file is refused: `unsupported_media_type` (declared type not kept), `empty`,
/// `content_mismatch` (the bytes are not what was declared).
pub fn check_file(declared: &str, bytes: &[u8]) -> Result<&'static str, &'static str> {
    let Some(kept) = MEDIA_TYPES.iter().find(|t| **t == declared) else { return Err("unsupported_media_type") };
    if bytes.is_empty() {
        return Err("empty");
    }
    match sniff(bytes) {
        Some(actual) if actual == *kept => Ok(kept),
        _ => Err("content_mismatch"),
    }
}

/// The extension a kept file is named with.
pub fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        _ => "pdf",
    }
}

/// The name a file is kept and downloaded under: the sender's name without any folder part or
/// character a file system or a `Content-Disposition` header would stumble on, at most 120
/// characters, ending in the extension of its real type; the kind's name when none is left.
pub fn file_name(given: Option<&str>, kind: AttachmentKind, media_type: &str) -> String {
    let ext = extension(media_type);
    let base = given.unwrap_or("").rsplit(['/', '\\']).next().unwrap_or("");
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let clean: String = stem
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\\' | '/' | ':' | '*' | '?' | '<' | '>' | '|' | ';'))
        .take(120)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    let stem = if clean.is_empty() { kind.as_str().replace('_', "-") } else { clean };
    format!("{stem}.{ext}")
}

/// What an attachment is attached to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Case(String),
    /// A team's log book of a year.
    LogBook {
        team_id: String,
        year: i32,
    },
    ConfirmationList(String),
}

/// Who may add a file to an owner of this sort (the owner's own scope is checked by its store):
/// a case's papers by those who record its progress; a log book's signed pages by the team's
/// leader or the commune's officer; a confirmation list by those who keep the money.
pub fn may_attach(role: Role, owner: &Owner) -> bool {
    match owner {
        Owner::Case(_) => matches!(role, Role::Officer | Role::TeamLeader | Role::Mediator),
        Owner::LogBook { .. } => matches!(role, Role::Officer | Role::TeamLeader),
        Owner::ConfirmationList(_) => role == Role::Officer,
    }
}

/// Who may see the files of an owner of this sort: those who may read the owner itself. A signed
/// agreement or log-book page names the parties, so for those only who see the parties' data
/// (`sees_party_details`: the team, and officers and viewers of a commune or village — never an
/// administrator or a province); a mediator sees only the cases assigned to them, so never a
/// whole log book; the money is the commune's officers' and leadership's.
pub fn may_see(role: Role, sees_party_details: bool, owner: &Owner) -> bool {
    match owner {
        Owner::Case(_) => sees_party_details && matches!(role, Role::Officer | Role::TeamLeader | Role::Mediator | Role::Viewer),
        Owner::LogBook { .. } => sees_party_details && matches!(role, Role::Officer | Role::TeamLeader | Role::Viewer),
        Owner::ConfirmationList(_) => matches!(role, Role::Admin | Role::Officer | Role::Viewer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_must_be_what_was_declared() {
        assert_eq!(check_file("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0, 1, 2]), Ok("image/jpeg"));
        assert_eq!(check_file("application/pdf", b"%PDF-1.7\n"), Ok("application/pdf"));
        assert_eq!(check_file("image/png", &[0xFF, 0xD8, 0xFF, 0xE0]), Err("content_mismatch"));
        assert_eq!(check_file("image/jpeg", b"MZ\x90\x00"), Err("content_mismatch"));
        assert_eq!(check_file("text/html", b"<html>"), Err("unsupported_media_type"));
        assert_eq!(check_file("image/jpeg", b""), Err("empty"));
        assert_eq!(check_file("image/webp", b"RIFF\x10\x00\x00\x00WEBPVP8 "), Ok("image/webp"));
    }

    #[test]
    fn names_lose_folders_and_take_the_real_extension() {
        let k = AttachmentKind::WrittenAgreement;
        assert_eq!(file_name(Some("../../etc/passwd"), k, "image/jpeg"), "passwd.jpg");
        assert_eq!(file_name(Some("C:\\Ảnh\\biên bản.PNG"), k, "image/png"), "biên bản.png");
        assert_eq!(file_name(Some("report.exe"), k, "application/pdf"), "report.pdf");
        assert_eq!(file_name(None, k, "image/jpeg"), "written-agreement.jpg");
        assert_eq!(file_name(Some("\"; x=y"), k, "image/jpeg"), "x=y.jpg");
        assert_eq!(file_name(Some(".hidden"), k, "image/jpeg"), "hidden.jpg");
    }

    #[test]
    fn a_mediator_never_sees_a_whole_log_book_nor_the_money() {
        let book = Owner::LogBook { team_id: "t".into(), year: 2026 };
        assert!(!may_see(Role::Mediator, true, &book));
        assert!(!may_see(Role::Mediator, true, &Owner::ConfirmationList("l".into())));
        assert!(may_see(Role::Mediator, true, &Owner::Case("c".into())));
        assert!(!may_see(Role::Stats, true, &Owner::Case("c".into())));
        // A province's officer reads the case's facts, not the signed paper naming its parties.
        assert!(!may_see(Role::Officer, false, &Owner::Case("c".into())));
        assert!(!may_see(Role::Admin, false, &book));
        assert!(may_see(Role::Admin, false, &Owner::ConfirmationList("l".into())));
        assert!(!may_attach(Role::Viewer, &Owner::Case("c".into())));
        assert!(!may_attach(Role::TeamLeader, &Owner::ConfirmationList("l".into())));
    }
}
