//! Layers point one way: composition → handlers (HTTP only) → commands → domain (rules, policy,
//! store queries, audit, statistics upkeep) → platform (HTTP helpers → state → configuration →
//! database → error, text and the other foundations). Every source file under `api/src` gets a
//! layer from its path; a `use crate::…`, `use super::…` or a `crate::…` path in code (comments
//! and `#[cfg(test)]` modules aside) that names a module of a higher layer fails this test, unless
//! it is one of the few listed exceptions — each of them a debt.

use std::collections::BTreeMap;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// Error, text rules, codes, private files, print helpers, password hashing, signed tokens,
    /// throttles, the statistics answer cache: they know nothing of the application.
    Foundation = 10,
    /// The connection pool, schema, migrations; the idempotency records.
    Database = 11,
    Config = 12,
    /// `AppState`: the platform handle handlers get.
    State = 13,
    /// Extractors, ETags, pages, the 404/405 fallback.
    HttpHelpers = 14,
    Domain = 30,
    Commands = 40,
    Handlers = 50,
    Composition = 60,
}

/// The layer of a file, by its path under `api/src`.
fn layer_of(path: &str) -> Layer {
    use Layer::*;
    let file = path.rsplit('/').next().unwrap_or(path);
    let top = path.split('/').next().unwrap_or(path);
    match path {
        "main.rs" | "lib.rs" | "app.rs" | "cli.rs" | "openapi.rs" | "backup.rs" => Composition,
        _ if top == "demo" => Composition,
        "middleware.rs" | "health.rs" | "client.rs" | "idempotency/mod.rs" => Handlers,
        _ if file == "routes.rs" => Handlers,
        "command.rs" => Commands,
        _ if file == "commands.rs" || top == "command" || path.contains("/commands/") => Commands,
        "error/mod.rs" | "error/messages.rs" | "text.rs" | "codes.rs" | "files.rs" | "print.rs" | "metrics.rs" | "calendar.rs" => {
            Foundation
        }
        "auth/jwt.rs" | "auth/password.rs" | "auth/throttle.rs" | "auth/identity.rs" | "stats/cache.rs" => Foundation,
        // The cache of whether a token's principal is still active: reads users and clients.
        "auth/principals.rs" => Database,
        // The optional span export: knows tracing and OpenTelemetry, nothing of the application.
        "telemetry.rs" => Foundation,
        _ if top == "error" => Foundation,
        // Templates, CSV and spreadsheets: how documents are written, not what they say.
        _ if top == "export" => Foundation,
        _ if top == "db" => Database,
        "idempotency/store.rs" => Database,
        // Kept answers and the claim a keyed request hands to its command: used by the command
        // runner and by the middleware above it.
        "idempotency/answers.rs" => Commands,
        "config.rs" => Config,
        "state.rs" => State,
        "http.rs" => HttpHelpers,
        // The versioned edit every store makes (check, write, 412, audit row).
        "versioned.rs" => Domain,
        // Everything else in a resource's folder: dto, model, rules, policy, store, render, …
        _ if path.contains('/') => Domain,
        _ => panic!("api/src/{path} has no layer: add it to layer_of in tests/architecture.rs"),
    }
}

/// Upward imports that remain, each with its reason. Keep this short: each one is a debt.
const EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "state.rs",
    "audit/store.rs",
    "the state owns the audit log's batch writer for reads (ReadLog), which writes audit rows defined in audit/store.rs",
)];

/// The module path a file defines: `cases/store.rs` → `[cases, store]`, `auth/mod.rs` → `[auth]`.
fn module_of(path: &str) -> Vec<String> {
    let path = path.trim_end_matches(".rs");
    let mut segments: Vec<String> = path.split('/').map(str::to_string).collect();
    if matches!(segments.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        segments.pop();
    }
    segments
}

/// The file a module path names: the longest prefix that is a file of the crate. `None` for the
/// crate root (macros exported there, `lib.rs` itself).
fn file_of(files: &BTreeMap<String, String>, segments: &[String]) -> Option<String> {
    (1..=segments.len()).rev().find_map(|n| {
        let base = segments[..n].join("/");
        [format!("{base}.rs"), format!("{base}/mod.rs")].into_iter().find(|f| files.contains_key(f))
    })
}

/// The source without comments and without `#[cfg(test)]` modules. String literals stay: a
/// `deserialize_with = "crate::http::nullable"` is a dependency too.
fn code_of(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            i += rest.find("*/").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with('"') {
            let mut j = 1;
            while j < rest.len() && rest.as_bytes()[j] != b'"' {
                j += if rest.as_bytes()[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(rest.len());
            out.push_str(&rest[..end]);
            i += end;
        } else if rest.starts_with("'\"'") {
            i += 3;
        } else if let Some(after) = rest.strip_prefix("#[cfg(test)]") {
            // Skip the attribute and, when it is a module, the module's block.
            let trimmed = after.trim_start();
            if trimmed.starts_with("mod ") && trimmed.find('{').is_some_and(|b| !trimmed[..b].contains(';')) {
                let start = rest.len() - trimmed.len() + trimmed.find('{').unwrap();
                let mut depth = 0;
                let mut k = start;
                for (n, c) in rest[start..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        k = start + n + 1;
                        break;
                    }
                }
                i += k;
            } else {
                i += "#[cfg(test)]".len();
            }
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reads a path (`a::b::{c, d::e as f}`) from `s`, which starts after a `crate::` or `super::`
/// prefix, into the full paths it names; answers how much of `s` it read.
fn read_tree(s: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let ws = |i: usize| i + (s[i..].len() - s[i..].trim_start().len());
    let mut path = prefix;
    let mut i = ws(0);
    loop {
        if s[i..].starts_with('{') {
            i += 1;
            loop {
                i = ws(i);
                if s[i..].starts_with('}') {
                    return i + 1;
                }
                i += read_tree(&s[i..], path.clone(), out);
                i = ws(i);
                match s[i..].chars().next() {
                    Some(',') => i += 1,
                    Some('}') => return i + 1,
                    _ => return i,
                }
            }
        }
        if s[i..].starts_with('*') {
            i += 1;
            break;
        }
        let len = s[i..].find(|c: char| !is_ident(c)).unwrap_or(s.len() - i);
        if len == 0 {
            break;
        }
        let ident = &s[i..i + len];
        i += len;
        if ident != "self" {
            path.push(ident.to_string());
        }
        let j = ws(i);
        if s[j..].starts_with("::") {
            i = ws(j + 2);
        } else {
            break;
        }
    }
    // `… as name`
    let j = ws(i);
    if s[j..].starts_with("as ") {
        let k = ws(j + 3);
        i = k + s[k..].find(|c: char| !is_ident(c)).unwrap_or(s.len() - k);
    }
    out.push(path);
    i
}

/// Every module path a file's code names through `crate::` or `super::`.
fn references(path: &str, source: &str) -> Vec<Vec<String>> {
    let code = code_of(source);
    let module = module_of(path);
    let mut out = Vec::new();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let before = code[..i].chars().next_back();
        let boundary = !before.is_some_and(|c| is_ident(c) || c == '$' || c == ':');
        let start = if !boundary {
            None
        } else if let Some(after) = rest.strip_prefix("crate::") {
            Some((after, Vec::new()))
        } else if rest.starts_with("super::") {
            let mut base = module.clone();
            let mut after = rest;
            while let Some(a) = after.strip_prefix("super::") {
                base.pop();
                after = a;
            }
            Some((after, base))
        } else {
            None
        };
        match start {
            Some((after, base)) => {
                let consumed = rest.len() - after.len();
                let n = read_tree(after, base, &mut out);
                i += consumed + n.max(1);
            }
            None => i += rest.chars().next().unwrap().len_utf8(),
        }
    }
    out
}

/// Every import of a module in a higher layer, as `from → to (path)`, exceptions aside.
fn upward_imports(files: &BTreeMap<String, String>, exceptions: &[(&str, &str, &str)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, source) in files {
        let from = layer_of(path);
        for segments in references(path, source) {
            let Some(target) = file_of(files, &segments) else { continue };
            if target == *path {
                continue;
            }
            let to = layer_of(&target);
            if to > from && !exceptions.iter().any(|(f, t, _)| f == path && *t == target) {
                let line = format!("{path} ({from:?}) imports {target} ({to:?}) as crate::{}", segments.join("::"));
                if !found.contains(&line) {
                    found.push(line);
                }
            }
        }
    }
    found
}

fn sources() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let name = path.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
                files.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn layers_point_one_way() {
    let files = sources();
    assert!(files.len() > 50, "read only {} files", files.len());
    let upward = upward_imports(&files, EXCEPTIONS);
    assert!(upward.is_empty(), "imports from a higher layer (see tests/architecture.rs):\n{}", upward.join("\n"));
    // An exception that no longer happens is removed, so the list stays the debt that remains.
    for (from, to, reason) in EXCEPTIONS {
        let still = files
            .get(*from)
            .is_some_and(|source| references(from, source).iter().any(|segments| file_of(&files, segments).as_deref() == Some(*to)));
        assert!(still, "stale exception {from} → {to} ({reason}): remove it from EXCEPTIONS");
        assert!(layer_of(to) > layer_of(from), "exception {from} → {to} is not upward");
    }
}

#[test]
fn the_checker_catches_a_planted_upward_import() {
    let file = |path: &str, source: &str| (path.to_string(), source.to_string());
    let files: BTreeMap<String, String> = [
        file("lib.rs", "pub mod cases; pub mod db; pub mod error; pub mod http;"),
        file("cases/mod.rs", "pub mod routes; pub mod store;"),
        file("cases/routes.rs", "use super::store::list;\npub fn x() {}"),
        file("cases/store.rs", "use crate::{db::DbConn, error::ApiError};\npub fn list() {}"),
        file("db/mod.rs", "// use crate::cases::routes::x; (a comment is no import)\nuse crate::error::ApiError;\npub struct DbConn;"),
        file(
            "db/pool.rs",
            "use crate::cases::routes::x;\nuse crate::{error::ApiError, http::{self, Page}};\nfn f() { crate::cases::store::list(); let s = \"https://x\"; }\n#[cfg(test)]\nmod tests {\n    use crate::app::build;\n}\n",
        ),
        file("error/mod.rs", "pub struct ApiError;"),
        file("http.rs", "use super::error::ApiError;\npub struct Page;"),
    ]
    .into_iter()
    .collect();
    let upward = upward_imports(&files, &[]);
    assert_eq!(
        upward,
        vec![
            "db/pool.rs (Database) imports cases/routes.rs (Handlers) as crate::cases::routes::x",
            "db/pool.rs (Database) imports http.rs (HttpHelpers) as crate::http",
            "db/pool.rs (Database) imports http.rs (HttpHelpers) as crate::http::Page",
            "db/pool.rs (Database) imports cases/store.rs (Domain) as crate::cases::store::list",
        ]
    );
    assert!(upward_imports(&files, &[("db/pool.rs", "cases/routes.rs", "planted")]).len() == 3);
}

#[test]
fn paths_are_read_like_the_compiler_reads_them() {
    let files: BTreeMap<String, String> =
        ["lib.rs", "a/mod.rs", "a/b.rs", "a/c.rs", "d.rs"].iter().map(|p| (p.to_string(), String::new())).collect();
    let targets =
        |path: &str, source: &str| -> Vec<Option<String>> { references(path, source).iter().map(|s| file_of(&files, s)).collect() };
    assert_eq!(targets("a/b.rs", "use super::c::X;"), vec![Some("a/c.rs".to_string())]);
    assert_eq!(targets("a/b.rs", "use super::super::d;"), vec![Some("d.rs".to_string())]);
    assert_eq!(targets("a/mod.rs", "use super::d::Y;"), vec![Some("d.rs".to_string())]);
    assert_eq!(targets("a/b.rs", "crate::dispatch!(c, x)"), vec![None]);
    assert_eq!(
        targets("d.rs", "use crate::a::{self as a, b::{X, Y}, c};"),
        vec![Some("a/mod.rs".to_string()), Some("a/b.rs".to_string()), Some("a/b.rs".to_string()), Some("a/c.rs".to_string())]
    );
    assert_eq!(targets("d.rs", "macro_rules! m { () => { $crate::a::b::X } }"), vec![]);
}

/// Only tests that need something a machine may lack are ignored, and only for that reason:
/// `tests/run` includes ignored tests by these reasons.
#[test]
fn only_tests_needing_a_missing_tool_are_ignored() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests");
    let allowed = [
        "#[ignore = \"needs TEST_DATABASE_URL (PostgreSQL)\"]",
        "#[ignore = \"needs openapi-spec-validator (pip install openapi-spec-validator)\"]",
        "#[ignore = \"needs chromium, LibreOffice (soffice) and pdfinfo\"]",
        "#[ignore = \"needs the otlp feature: cargo test -p hoagiai --features otlp --test integration -- otlp\"]",
    ];
    let mut dirs = vec![dir];
    let mut wrong = Vec::new();
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("architecture.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines().filter(|l| l.trim_start().starts_with("#[ignore")) {
                    if !allowed.contains(&line.trim()) {
                        wrong.push(format!("{}: {}", path.display(), line.trim()));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "ignored for another reason (tests/run would not include these):\n{}", wrong.join("\n"));
}
