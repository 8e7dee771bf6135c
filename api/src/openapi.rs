//! The OpenAPI document: collected from the routes themselves (utoipa-actix-web), then given the
//! conventions every operation shares: its security requirement and its problem responses.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi as Doc, Ref, RefOr, ResponseBuilder};
use utoipa::OpenApi;

use crate::error::{Problem, ProblemField};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hoagiai API",
        description = "The system of record for grassroots mediation (hòa giải ở cơ sở) in Vietnam.\n\n\
            Errors are RFC 9457 problem documents with a stable `code`; text is Vietnamese unless \
            `Accept-Language: en`. Records carry a version as `ETag`; updates need `If-Match`. \
            Lists are keyset-paginated with `cursor`/`next_cursor`.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(Problem, ProblemField, crate::logbook::dto::LogBookFormat)),
    tags(
        (name = "auth", description = "Sign-in, tokens, machine clients' grant"),
        (name = "users", description = "Accounts (tài khoản)"),
        (name = "units", description = "Administrative units (đơn vị hành chính)"),
        (name = "teams", description = "Mediation teams (tổ hòa giải)"),
        (name = "mediators", description = "Mediators (hòa giải viên) and their memberships"),
        (name = "cases", description = "Cases (vụ, việc hòa giải) and the log book"),
        (name = "trainings", description = "Trainings (tập huấn, bồi dưỡng) and coverage"),
        (name = "funding", description = "Funding (kinh phí): rates, budget estimates, disbursements, fees, confirmation lists, incident support"),
        (name = "review", description = "Year-end review (tổng kết): team ratings, awards, plan targets, the year-end report"),
        (name = "statistics", description = "Indicators and de-identified case facts for district systems and dashboards"),
        (name = "api_clients", description = "Machine clients of district systems and dashboards"),
        (name = "audit", description = "Audit log (nhật ký thao tác)"),
        (name = "meta", description = "Codes and labels"),
        (name = "operations", description = "Health and readiness")
    )
)]
pub struct ApiDoc;

/// Operations anyone may call without a token.
pub const PUBLIC_OPERATIONS: &[&str] = &["login", "refresh", "logout", "token", "list_enums", "healthz", "readyz"];

/// Adds what every operation shares. Run once on the collected document.
pub fn apply_conventions(doc: &mut Doc) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
    );
    components.add_security_scheme(
        "client_credentials",
        SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(ClientCredentials::new("/api/v1/auth/token", Scopes::new()))])),
    );
    components.responses.insert(
        "Problem".into(),
        RefOr::T(
            ResponseBuilder::new()
                .description("A problem document (RFC 9457)")
                .content("application/problem+json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
                .build(),
        ),
    );
    for item in doc.paths.paths.values_mut() {
        let ops =
            [(&mut item.get, false), (&mut item.post, true), (&mut item.put, true), (&mut item.patch, true), (&mut item.delete, false)];
        for (op, writes) in ops {
            if let Some(op) = op.as_mut() {
                shape_operation(op, writes);
            }
        }
    }
}

fn shape_operation(op: &mut Operation, writes: bool) {
    let public = op.operation_id.as_deref().is_some_and(|id| PUBLIC_OPERATIONS.contains(&id));
    let mut codes = vec!["400", "404", "429", "500", "503"];
    if !public {
        op.security = Some(vec![SecurityRequirement::new("bearer", Vec::<String>::new())]);
        codes.extend(["401", "403"]);
    } else {
        op.security = Some(vec![SecurityRequirement::default()]);
        if op.operation_id.as_deref() == Some("token") || op.operation_id.as_deref() == Some("login") {
            codes.push("401");
            codes.push("403");
        }
    }
    if op.request_body.is_some() {
        codes.extend(["413", "415", "422"]);
    } else if !op.parameters.as_ref().is_none_or(|p| p.is_empty()) {
        codes.push("422");
    }
    if writes {
        codes.push("409");
    }
    let has_if_match = op.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| p.name == "If-Match"));
    if has_if_match {
        codes.extend(["412", "428"]);
    }
    for code in codes {
        op.responses.responses.entry(code.to_string()).or_insert_with(|| RefOr::Ref(Ref::from_response_name("Problem")));
    }
}
