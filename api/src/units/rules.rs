//! The shape of the tree, as plain functions.

use super::dto::UnitLevel;

/// Which levels may sit directly above a unit. Districts are optional (there are none after the
/// 2025 reform), so a commune may hang from a province; nothing ever requires a district.
pub fn allowed_parents(level: UnitLevel) -> &'static [UnitLevel] {
    match level {
        UnitLevel::Province => &[],
        UnitLevel::District => &[UnitLevel::Province],
        UnitLevel::Commune => &[UnitLevel::District, UnitLevel::Province],
        UnitLevel::Village => &[UnitLevel::Commune],
    }
}

/// The materialised path of a unit: its parent's path and its own id.
pub fn child_path(parent_path: Option<&str>, id: &str) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// The unit a path is the path of: its last segment ("/a/b/" → "b"); `None` for an empty path.
pub fn own_id(path: &str) -> Option<&str> {
    path.trim_end_matches('/').rsplit('/').next().filter(|id| !id.is_empty())
}

/// Official codes are digits (GSO: 2 for a province, 3 for a district, 5 for a commune).
pub fn valid_code(code: &str) -> bool {
    !code.is_empty() && code.len() <= 10 && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communes_need_no_district() {
        assert!(allowed_parents(UnitLevel::Commune).contains(&UnitLevel::Province));
        assert!(allowed_parents(UnitLevel::Province).is_empty());
        assert!(!allowed_parents(UnitLevel::Village).contains(&UnitLevel::District));
    }

    #[test]
    fn a_path_names_its_unit_last() {
        assert_eq!(own_id(&child_path(Some(&child_path(None, "a")), "b")), Some("b"));
        assert_eq!(own_id("/a/"), Some("a"));
        assert_eq!(own_id(""), None);
        assert_eq!(own_id("/"), None);
    }

    #[test]
    fn paths_nest() {
        let p = child_path(None, "a");
        assert_eq!(p, "/a/");
        assert_eq!(child_path(Some(&p), "b"), "/a/b/");
    }
}
