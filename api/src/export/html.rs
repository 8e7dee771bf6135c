//! Printable pages: every one is a template under `api/templates`, rendered by minijinja with
//! HTML escaping on for every value (a party's name can never become markup). The page's only
//! `<style>` element is pinned by its hash in the Content-Security-Policy sent with it, under
//! which nothing else loads or runs.

use std::sync::OnceLock;

use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::error::ApiError;

/// Every template, by name; compiled once, checked by a test.
const TEMPLATES: &[(&str, &str)] = &[
    ("document.html", include_str!("../../templates/document.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("official_report.html", include_str!("../../templates/official_report.html")),
    ("year_end_report.html", include_str!("../../templates/year_end_report.html")),
    ("written_agreement.html", include_str!("../../templates/written_agreement.html")),
    ("leader_report.html", include_str!("../../templates/leader_report.html")),
    ("confirmation_list.html", include_str!("../../templates/confirmation_list.html")),
    ("team_activity.html", include_str!("../../templates/team_activity.html")),
    ("logbook.html", include_str!("../../templates/logbook.html")),
    ("person_export.html", include_str!("../../templates/person_export.html")),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // A value the page names but the code did not give is a bug, not an empty cell.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        // Text is escaped by the one escaper of printed pages (`print::esc`): `&<>"'` only, so
        // that "Hộ gia đình / gia đình" keeps its slash readable in the source; the rest as usual.
        env.set_formatter(|out, state, value| match value.as_str() {
            Some(text) if !value.is_safe() && state.auto_escape() != minijinja::AutoEscape::None => {
                out.write_str(&crate::print::esc(text)).map_err(|_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure))
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.add_filter("dong", |n: i64| crate::print::dong(n));
        env.add_filter("vn_date", vn_date);
        env.add_filter("percent", |v: Option<f64>| v.map(|v| format!("{:.1}%", v * 100.0).replace('.', ",")).unwrap_or_else(|| "—".into()));
        for (name, source) in TEMPLATES {
            if let Err(e) = env.add_template(name, source) {
                // The templates are compiled into the binary; a test renders each one.
                tracing::error!(template = name, error = %e, "a printable page's template does not compile");
            }
        }
        env
    })
}

/// `2026-11-30` → `30/11/2026`, as Vietnamese forms write a date; anything else unchanged.
fn vn_date(v: Value) -> String {
    let s = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
    match chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string(),
        Err(_) => s,
    }
}

/// A rendered page, with the Content-Security-Policy to send it under.
pub struct Page {
    pub html: String,
}

impl Page {
    /// Nothing loads or runs; only the page's one style element (pinned by its hash) applies.
    pub fn csp(&self) -> String {
        crate::print::csp(crate::print::only_style(&self.html))
    }
}

/// Renders a template with its context.
pub fn render<C: Serialize>(template: &str, context: C) -> Result<Page, ApiError> {
    let env = environment();
    let rendered = env.get_template(template).and_then(|t| t.render(context));
    match rendered {
        Ok(html) => Ok(Page { html }),
        Err(e) => {
            tracing::error!(template, error = %e, detail = ?e.detail(), "a printable page could not be rendered");
            Err(ApiError::internal())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let env = environment();
        for (name, _) in TEMPLATES {
            env.get_template(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn values_are_escaped() {
        let env = environment();
        let t = env.template_from_str("<p>{{ name }}</p>").unwrap();
        assert_eq!(
            t.render(minijinja::context! { name => "<b>A & \"B\"</b>" }).unwrap(),
            "<p>&lt;b&gt;A &amp; &quot;B&quot;&lt;/b&gt;</p>"
        );
        let t = env.template_from_str("<p title=\"{{ name }}\">{{ n }}</p>").unwrap();
        let out = t.render(minijinja::context! { name => "' onmouseover='x", n => 3 }).unwrap();
        assert_eq!(out, "<p title=\"&#39; onmouseover=&#39;x\">3</p>");
    }
}
