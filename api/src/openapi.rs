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
        license(name = "AGPL-3.0-or-later"),
        contact(name = "The operator of this server (the province's or the commune's IT service)")
    ),
    components(schemas(
        Problem,
        ProblemField,
        crate::logbook::dto::LogBookFormat,
        crate::logbook::dto::LogBookPart,
        crate::stats::dto::IndicatorFormat,
        crate::funding::dto::SummaryTable,
        crate::privacy::dto::ExportFormat,
        crate::privacy::dto::RequestStatus
    )),
    tags(
        (name = "auth", description = "Sign-in, tokens, machine clients' grant"),
        (name = "users", description = "Accounts (tài khoản)"),
        (name = "units", description = "Administrative units (đơn vị hành chính)"),
        (name = "teams", description = "Mediation teams (tổ hòa giải)"),
        (name = "mediators", description = "Mediators (hòa giải viên) and their memberships"),
        (name = "cases", description = "Cases (vụ, việc hòa giải), the log book and the written agreement"),
        (name = "attachments", description = "Photos and scans of signed papers (văn bản hòa giải thành, sổ, danh sách ký nhận, biên bản)"),
        (name = "trainings", description = "Trainings (tập huấn, bồi dưỡng) and coverage"),
        (name = "funding", description = "Funding (kinh phí): rates, budget estimates, disbursements, fees, confirmation lists, incident support"),
        (name = "review", description = "Year-end review (tổng kết): team ratings, awards, plan targets, the year-end report"),
        (name = "statistics", description = "Indicators, official reports and de-identified case facts for the provinces' systems and dashboards"),
        (name = "api_clients", description = "Machine clients of the provinces' systems and dashboards"),
        (name = "privacy", description = "Data-subject rights (quyền của chủ thể dữ liệu cá nhân): the commune's register of requests, a person's export, pseudonymisation"),
        (name = "audit", description = "Audit log (nhật ký thao tác)"),
        (name = "meta", description = "Codes and labels"),
        (name = "operations", description = "Health and readiness")
    )
)]
pub struct ApiDoc;

/// Operations anyone may call without a token.
pub const PUBLIC_OPERATIONS: &[&str] = &["login", "refresh", "logout", "token", "list_enums", "healthz", "readyz", "metrics"];

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

/// What generated clients need beyond what the routes declare: the headers the API reads and
/// writes, the right security per operation, id formats, page limits, a server and a description
/// for every operation. Said on the document as JSON: utoipa's model has no shared headers or
/// parameters, and cannot read back some schemas it writes, so the served and committed document
/// is this JSON.
pub mod contract {
    use serde_json::{json, Map, Value};

    /// Operations a machine client (`stats`) may call: they accept its client-credentials token.
    const MACHINE_OPERATIONS: &[&str] =
        &["get_indicators", "list_case_facts", "list_reports", "get_report", "list_units", "get_unit", "list_unit_successions"];

    /// Files (photos, scans, spreadsheets) are bytes: `type: string, format: binary`, as OpenAPI
    /// 3.1 tools expect, not the array of integers utoipa writes for `Vec<u8>`.
    fn binary_files(doc: &mut Value) {
        let binary = |media: &str| media.starts_with("image/") || media == "application/pdf" || media.contains("spreadsheetml");
        let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
        let fix = |content: &mut serde_json::Map<String, Value>| {
            for (_, body) in content.iter_mut().filter(|(m, _)| binary(m)) {
                body["schema"] = json!({"type": "string", "format": "binary"});
            }
        };
        for op in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|p| p.values_mut()) {
            if let Some(c) = op.get_mut("requestBody").and_then(|b| b.get_mut("content")).and_then(Value::as_object_mut) {
                fix(c);
            }
            if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
                for r in responses.values_mut() {
                    if let Some(c) = r.get_mut("content").and_then(Value::as_object_mut) {
                        fix(c);
                    }
                }
            }
        }
    }

    /// Reads that answer an `ETag`, and so a 304 to `If-None-Match` (a test checks each does).
    pub const TAGGED_READS: &[&str] = &[
        "get_attachment",
        "get_case",
        "get_confirmation_list",
        "get_election",
        "get_me",
        "get_mediator",
        "get_indicators",
        "get_subject_request",
        "get_team",
        "get_training",
        "get_unit",
        "get_user",
    ];

    pub fn complete(doc: &mut Value) {
        doc["servers"] = json!([{"url": "/", "description": "This server; the API lives under /api/v1"}]);
        binary_files(doc);
        let components = doc["components"].as_object_mut().expect("components");
        // Parameters and headers are written out in each operation (utoipa's document model has
        // no shared header or parameter components); responses can be shared.
        let responses = components.entry("responses").or_insert_with(|| json!({}));
        let mut retry = responses["Problem"].clone();
        retry["description"] = json!("A problem document (RFC 9457); try again after `Retry-After` seconds");
        retry["headers"] = json!({"Retry-After": retry_after_header(), "X-Request-Id": request_id_header()});
        responses["RetryLater"] = retry;
        responses["Problem"]["headers"] = json!({"X-Request-Id": request_id_header()});
        if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
            // A training's topics: each 1–200 characters of plain text (`trainings::dto::topics_ok`);
            // utoipa cannot say it of a list's items.
            for name in ["CreateTraining", "UpdateTraining"] {
                if let Some(items) = schemas.get_mut(name).and_then(|s| s.pointer_mut("/properties/topics/items")) {
                    items["minLength"] = json!(1);
                    items["maxLength"] = json!(200);
                    items["pattern"] = json!(PLAIN_TEXT);
                }
            }
            // A page of items refers to the items' schema instead of repeating it (utoipa writes a
            // generic's argument inline).
            let names: Vec<String> = schemas.keys().cloned().collect();
            for name in &names {
                if let Some(item) = name.strip_prefix("Page_").filter(|item| names.iter().any(|n| n == item)) {
                    if let Some(items) = schemas.get_mut(name).and_then(|s| s.pointer_mut("/properties/items/items")) {
                        *items = json!({"$ref": format!("#/components/schemas/{item}")});
                    }
                }
            }
            for schema in schemas.values_mut() {
                uuid_formats(schema);
                text_patterns(schema);
            }
        }
        // Request bodies that may carry the new record's id, chosen by the client.
        let client_ids: Vec<String> = doc["components"]["schemas"]
            .as_object()
            .map(|schemas| schemas.iter().filter(|(_, s)| s.pointer("/properties/id").is_some()).map(|(name, _)| name.clone()).collect())
            .unwrap_or_default();
        let Some(paths) = doc["paths"].as_object_mut() else { return };
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            for (method, op) in item.iter_mut() {
                if let Some(op) = op.as_object_mut() {
                    operation(method, op);
                    if method == "post" {
                        retried_create(op, &client_ids);
                    }
                }
            }
        }
    }

    /// A create whose body may name the new record's `id` answers a retry — the record with that
    /// id exists already — with 200 and the record as it is (`command::Answer::created`).
    fn retried_create(op: &mut Map<String, Value>, client_ids: &[String]) {
        let schema = op.get("requestBody").and_then(|b| b.pointer("/content/application~1json/schema/$ref")).and_then(Value::as_str);
        let takes_id = schema.and_then(|r| r.rsplit('/').next()).is_some_and(|name| client_ids.iter().any(|n| n == name));
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { return };
        let Some(created) = responses.get("201").cloned() else { return };
        if takes_id && !responses.contains_key("200") {
            let mut again = created;
            again["description"] =
                json!("A retry: the record with this `id` exists already (an earlier try made it) and is answered as it is.");
            responses.insert("200".into(), again);
        }
    }

    fn operation(method: &str, op: &mut Map<String, Value>) {
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_string();
        // Anonymous operations need nothing: an empty list, not a list holding an empty requirement.
        if op.get("security") == Some(&json!([{}])) {
            op.insert("security".into(), json!([]));
        }
        if MACHINE_OPERATIONS.contains(&id.as_str()) {
            op.insert("security".into(), json!([{"bearer": []}, {"client_credentials": []}]));
        }
        if !op.contains_key("description") {
            if let Some(summary) = op.get("summary").cloned() {
                op.insert("description".into(), summary);
            }
        }
        let params = op.entry("parameters").or_insert_with(|| json!([])).as_array_mut().expect("parameters");
        for p in params.iter_mut() {
            let name = p["name"].as_str().unwrap_or_default().to_string();
            if is_id(&name) && p["schema"]["type"] == "string" && p["schema"].get("format").is_none() {
                p["schema"]["format"] = json!("uuid");
            }
            if p["in"] == "query" || p["in"] == "path" {
                plain_text(&mut p["schema"], URL_TEXT);
            }
            if name == "limit" && p["in"] == "query" {
                let max = if id == "list_case_facts" { 1000 } else { 100 };
                p["schema"]["minimum"] = json!(1);
                p["schema"]["maximum"] = json!(max);
            }
        }
        params.push(json!({
            "name": "X-Request-Id", "in": "header", "required": false,
            "description": "The caller's id for the request, echoed and logged when it is up to 64 letters, digits, `-` or `_`; any other value (or none) is replaced by one made up.",
            "schema": {"type": "string"}
        }));
        match method {
            "get" => params.push(json!({
                "name": "If-None-Match", "in": "header", "required": false,
                "description": "The ETag held: when it is still current the answer is 304 with no body (weak comparison; `*` matches any).",
                "schema": {"type": "string"}
            })),
            // Updates and deletions are safe to retry through `If-Match`; only a POST creates.
            "post" => params.push(json!({
                "name": "Idempotency-Key", "in": "header", "required": false,
                "description": "Makes a retried POST safe: the same key with the same body within 24 hours answers the first answer again (with `Idempotency-Replayed: true`); with another body, 422. 1–255 visible ASCII characters (a UUID is a good key); any other value is refused with 422.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"}
            })),
            _ => {}
        }
        let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else { return };
        for code in ["429", "503"] {
            if responses.contains_key(code) {
                responses.insert(code.into(), json!({"$ref": "#/components/responses/RetryLater"}));
            }
        }
        if method == "get" && TAGGED_READS.contains(&id.as_str()) {
            if let Some(ok) = responses.get_mut("200").and_then(Value::as_object_mut) {
                let headers = ok.entry("headers").or_insert_with(|| json!({}));
                if headers.get("ETag").is_none() && headers.get("etag").is_none() {
                    headers["ETag"] = json!({"description": "The representation's tag, for `If-None-Match` (and, on records, `If-Match`).", "schema": {"type": "string"}});
                }
            }
            responses.entry("304").or_insert_with(|| json!({"description": "Not modified: the ETag given in If-None-Match is current"}));
        }
        for r in responses.values_mut() {
            if r.get("$ref").is_none() {
                if let Some(r) = r.as_object_mut() {
                    let headers = r.entry("headers").or_insert_with(|| json!({}));
                    headers["X-Request-Id"] = request_id_header();
                }
            }
        }
    }

    /// What a JSON string may hold (`http::parse_json` refuses the rest): no C0 control character
    /// but tab and line breaks, no DEL.
    const JSON_TEXT: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$";
    /// Text of one line or more with something in it (`text::clean_text`): no control character
    /// but tab and line breaks, not only white space.
    const PLAIN_TEXT: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*[^\\s\\u0000-\\u001F\\u007F-\\u009F][^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";
    /// What a path or query value may hold (`middleware::refuse_control_characters` refuses the
    /// rest): no C0 control character at all, no DEL.
    const URL_TEXT: &str = "^[^\\u0000-\\u001F\\u007F]*$";

    /// Text that may span lines (`text::clean_multiline`): no control character but tab and line
    /// breaks, C1 included.
    const TEXT: &str = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$";

    /// The routes say `pattern = "<plain-text>"` or `"<text>"` for the fields that
    /// `text::clean_text` or `text::clean_multiline` check: the patterns are written once, here.
    fn expand_marker(schema: &mut Value) {
        let full = match schema.get("pattern").and_then(Value::as_str) {
            Some("<plain-text>") => PLAIN_TEXT,
            Some("<text>") => TEXT,
            _ => return,
        };
        schema["pattern"] = json!(full);
    }

    /// A string with no format, enum or pattern of its own gets `pattern`.
    fn plain_text(schema: &mut Value, pattern: &str) {
        expand_marker(schema);
        let is_string = schema["type"] == "string" || schema["type"] == json!(["string", "null"]);
        if is_string && schema.get("format").is_none() && schema.get("enum").is_none() && schema.get("pattern").is_none() {
            schema["pattern"] = json!(pattern);
        }
    }

    /// Every text property, and every text item of a list, says which characters the API takes.
    fn text_patterns(schema: &mut Value) {
        plain_text(schema, JSON_TEXT);
        if let Some(items) = schema.get_mut("items") {
            text_patterns(items);
        }
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            for prop in props.values_mut() {
                text_patterns(prop);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get_mut(key).and_then(Value::as_array_mut) {
                for s in list {
                    text_patterns(s);
                }
            }
        }
        if let Some(extra) = schema.get_mut("additionalProperties").filter(|v| v.is_object()) {
            text_patterns(extra);
        }
    }

    fn request_id_header() -> Value {
        json!({"description": "The request's id (the caller's, or one made up): quote it when reporting a problem.", "schema": {"type": "string"}})
    }

    fn retry_after_header() -> Value {
        json!({"description": "Seconds to wait before trying again.", "schema": {"type": "integer", "minimum": 0}})
    }

    /// `id`, `…_id` and `…_ids` hold UUIDs (the request id, which a caller chooses, does not).
    fn is_id(name: &str) -> bool {
        // The audit log's `entity_id` names any kind of record, some by a code (a rating scheme's).
        name == "id" || (name.ends_with("_id") && name != "request_id" && name != "entity_id")
    }

    fn uuid_formats(schema: &mut Value) {
        if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            for (name, prop) in props.iter_mut() {
                let is_string = prop["type"] == "string" || prop["type"] == json!(["string", "null"]);
                if is_id(name) && is_string && prop.get("format").is_none() {
                    prop["format"] = json!("uuid");
                }
                let is_list = prop["type"] == "array" || prop["type"] == json!(["array", "null"]);
                if name.ends_with("_ids") && is_list && prop["items"]["type"] == "string" && prop["items"].get("format").is_none() {
                    prop["items"]["format"] = json!("uuid");
                }
                uuid_formats(prop);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = schema.get_mut(key).and_then(Value::as_array_mut) {
                for s in list {
                    uuid_formats(s);
                }
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
        if matches!(op.operation_id.as_deref(), Some("token" | "login" | "refresh")) {
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
