//! HTTP plumbing shared by every resource: the JSON body and query extractors (parse, then
//! validate, with per-field errors), `If-Match`, ETags, keyset pages, and the 404/405 fallback.

use std::collections::BTreeSet;

use actix_web::dev::Payload;
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse};
use base64::Engine as _;
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt as _;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::error::{ApiError, FieldError};

/// A JSON request body, parsed (400 on broken JSON, 422 naming the field on wrong types, missing
/// fields, unknown fields or enum values) and then validated (422 with per-field errors).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req.app_data::<web::Data<crate::state::AppState>>().map_or(crate::config::DEFAULT_BODY_LIMIT, |s| s.config.body_limit);
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let declared_len = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_len.is_some_and(|n| n > limit) {
                return Err(payload_too_large(limit));
            }
            if !content_type_ok {
                return Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
                    .with_detail("Hãy gửi nội dung dạng application/json", "Send the body as application/json"));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::bad_request("malformed_json"))?;
                if body.len() + chunk.len() > limit {
                    return Err(payload_too_large(limit));
                }
                body.extend_from_slice(&chunk);
            }
            let value: T = parse_json(&body)?;
            value.validate()?;
            Ok(JsonBody(value))
        })
    }
}

/// A file sent as the raw request body (an attachment): its bytes, up to the attachment limit
/// (413 beyond it), and the media type it was declared as, lower-cased without parameters.
pub struct FileBody {
    pub content_type: String,
    pub bytes: web::Bytes,
}

impl FromRequest for FileBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<crate::state::AppState>>()
            .map_or(crate::config::DEFAULT_ATTACHMENT_LIMIT, |s| s.config.attachment_limit);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        let declared_len = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared_len.is_some_and(|n| n > limit) {
                return Err(payload_too_large(limit));
            }
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|_| ApiError::bad_request("malformed_body"))?;
                if body.len() + chunk.len() > limit {
                    return Err(payload_too_large(limit));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(FileBody { content_type, bytes: body.freeze() })
        })
    }
}

fn payload_too_large(limit: usize) -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        .with_detail(format!("Tối đa {limit} byte"), format!("At most {limit} bytes"))
        .with_extension("limit", Value::from(limit))
}

/// Parses JSON, turning serde's messages into a field path and a stable code. A string spelling a
/// control character other than tab and line breaks (`\u0000`, …) is refused first, naming the
/// field: no text we keep holds one, and PostgreSQL text cannot hold NUL.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    if crate::text::json_control_escape(body).is_some() {
        return Err(control_characters_in_json(body));
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => ApiError::validation(vec![serde_field_error(&path, &inner.to_string())]),
            _ => ApiError::bad_request("malformed_json").with_detail(
                format!("Lỗi cú pháp ở dòng {}, cột {}", inner.line(), inner.column()),
                format!("Syntax error at line {}, column {}", inner.line(), inner.column()),
            ),
        }
    })?;
    de.end().map_err(|_| {
        ApiError::bad_request("malformed_json").with_detail("Có dữ liệu thừa sau JSON", "Trailing data after the JSON value")
    })?;
    Ok(value)
}

/// The 422 for a body with a control character, naming the first field that holds one (found by
/// parsing again: this is the rare path). Broken JSON is reported as such.
fn control_characters_in_json(body: &[u8]) -> ApiError {
    fn find(value: &Value, path: &str) -> Option<String> {
        let bad = |s: &str| s.bytes().any(crate::text::is_forbidden_control);
        let join = |key: &str| if path.is_empty() { key.to_string() } else { format!("{path}.{key}") };
        match value {
            Value::String(s) if bad(s) => Some(path.to_string()),
            Value::Array(items) => items.iter().enumerate().find_map(|(i, v)| find(v, &format!("{path}[{i}]"))),
            Value::Object(map) => map.iter().find_map(|(k, v)| if bad(k) { Some(join(k)) } else { find(v, &join(k)) }),
            _ => None,
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => {
            let field = find(&value, "").map(|f| f.replace(|c: char| (c as u32) < 0x20 || c == '\u{7f}', "?")).unwrap_or_default();
            ApiError::validation(vec![FieldError { field, code: "control_characters".into(), params: Map::new() }])
        }
        Err(_) => ApiError::bad_request("malformed_json"),
    }
}

/// Reads serde's data-error message (the only place it says what was wrong) into a field error.
fn serde_field_error(path: &str, message: &str) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or(message);
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string);
    let join = |field: Option<String>| match (path, field) {
        (".", Some(f)) | ("", Some(f)) => f,
        // Some deserializers already put the field in the path.
        (p, Some(f)) if p == f || p.ends_with(&format!(".{f}")) => p.to_string(),
        (p, Some(f)) => format!("{p}.{f}"),
        (".", None) => String::new(),
        (p, None) => p.to_string(),
    };
    let mut params = Map::new();
    let (field, code) = if message.starts_with("missing field") {
        (join(quoted(message)), "required")
    } else if message.starts_with("unknown field") {
        (join(quoted(message)), "unknown_field")
    } else if message.starts_with("unknown variant") {
        let allowed: Vec<String> =
            message.split("expected ").nth(1).unwrap_or("").split('`').skip(1).step_by(2).map(str::to_string).collect();
        params.insert("allowed".into(), Value::String(allowed.join(", ")));
        (join(None), "unknown_variant")
    } else if message.starts_with("invalid type") {
        let expected = message.split("expected ").nth(1).unwrap_or("").to_string();
        params.insert("expected".into(), Value::String(expected));
        (join(None), "invalid_type")
    } else {
        params.insert("reason".into(), Value::String(message.to_string()));
        (join(None), "invalid_value")
    };
    FieldError { field, code: code.to_string(), params }
}

/// Query parameters, parsed and validated like a body (422 names the parameter).
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(QueryParams))
    }
}

pub fn parse_query<T: DeserializeOwned + Validate>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    let value: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        let mut err = serde_field_error(&path, &message);
        if err.code == "invalid_value" && err.field.is_empty() {
            err.field = "query".into();
        }
        ApiError::validation(vec![err])
    })?;
    value.validate()?;
    Ok(value)
}

/// The token of an `Authorization: Bearer …` header value. The scheme is case-insensitive
/// (RFC 9110 §11.1), so `bearer` and `BEARER` work as everywhere else; this is the only parser
/// of the header in the service.
pub fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The version a client says it edits, from `If-Match`. Missing → 428; unreadable → a version no
/// record has, so the write is refused as stale and the client gets the current record; `*`
/// (RFC 9110 §13.1.1: any current representation) → `crate::error::ANY_VERSION`, the client
/// knowingly writing over whatever is there.
pub struct IfMatch(pub i32);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // A header that is there but names no version of ours (not a tag, or not even visible
        // ASCII) matches nothing: 412 at the write, as any other tag that is not current.
        let result = match req.headers().get(header::IF_MATCH).map(|v| v.to_str()) {
            None => Err(ApiError::precondition_required()),
            Some(Ok(v)) if v.trim() == "*" => Ok(IfMatch(crate::error::ANY_VERSION)),
            Some(Ok(v)) => Ok(IfMatch(parse_etag_version(v).unwrap_or(-1))),
            Some(Err(_)) => Ok(IfMatch(-1)),
        };
        std::future::ready(result)
    }
}

/// Whether an `If-None-Match` value names `etag`, by the weak comparison RFC 9110 §8.8.3.2 asks of
/// it: the opaque tags equal, whether either is marked weak; `*` names any representation.
pub fn none_match(if_none_match: &str, etag: &str) -> bool {
    let opaque = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let wanted = opaque(etag);
    if_none_match.split(',').any(|t| t.trim() == "*" || opaque(t) == wanted)
}

pub fn parse_etag_version(v: &str) -> Option<i32> {
    let v = v.trim();
    let v = v.strip_prefix("W/").unwrap_or(v);
    v.strip_prefix('"')?.strip_suffix('"')?.parse().ok()
}

pub use crate::error::etag_for_version;

/// A record with its version: answered with an `ETag` header.
pub fn with_etag<T: Serialize>(status: StatusCode, body: &T, version: i32) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag_for_version(version))).json(body)
}

/// One page of a keyset-paginated list. `next_cursor` is `null` on the last page.
#[derive(Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// How many items match the filters across all pages; only when asked for (`with_total=true`
    /// where a list offers it), since counting costs a query of its own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

#[derive(Deserialize, IntoParams, Validate, Default, Clone)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageParams {
    /// Items per page, 1–100 (default 50).
    #[validate(range(min = 1, max = 100))]
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    #[validate(length(max = 512))]
    #[param(max_length = 512)]
    pub cursor: Option<String>,
}

impl PageParams {
    pub fn limit(&self) -> i64 {
        self.limit.unwrap_or(50)
    }
    /// The sort key the cursor stands for.
    pub fn after(&self) -> Result<Option<String>, ApiError> {
        self.cursor.as_deref().map(decode_cursor).transpose()
    }
}

pub fn encode_cursor(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.as_bytes())
}

fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|key| !crate::text::has_control_chars(key))
        .ok_or_else(|| ApiError::invalid_field("cursor", "invalid_cursor"))
}

/// Cuts a fetched `limit + 1` rows to a page, with the cursor of its last item.
pub fn page_of<R, T>(mut rows: Vec<R>, limit: i64, key: impl Fn(&R) -> String, to_dto: impl Fn(R) -> T) -> Page<T> {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if more { rows.last().map(|r| encode_cursor(&key(r))) } else { None };
    Page { items: rows.into_iter().map(to_dto).collect(), next_cursor, total: None }
}

/// The routes the API serves (path template → methods), read from the OpenAPI document, so that
/// the fallback can tell "no such route" (404) from "wrong method" (405 with `Allow`).
#[derive(Default)]
pub struct KnownRoutes(Vec<(Vec<String>, BTreeSet<String>)>);

impl KnownRoutes {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let mut routes = Vec::new();
        for (path, item) in doc.paths.paths.iter() {
            let segments = path.trim_matches('/').split('/').map(str::to_string).collect();
            let mut methods = BTreeSet::new();
            let ops = [
                ("GET", item.get.is_some()),
                ("POST", item.post.is_some()),
                ("PUT", item.put.is_some()),
                ("PATCH", item.patch.is_some()),
                ("DELETE", item.delete.is_some()),
            ];
            for (m, present) in ops {
                if present {
                    methods.insert(m.to_string());
                }
            }
            routes.push((segments, methods));
        }
        KnownRoutes(routes)
    }

    /// Whether the path is a route of the API that does not take the method (so the answer will
    /// be 405).
    pub fn refuses(&self, path: &str, method: &str) -> bool {
        self.allowed_methods(path).is_some_and(|m| !m.contains(method))
    }

    /// The methods of the routes the path names; where several patterns match, those of the most
    /// literal ones (`/trainings/coverage` before `/trainings/{id}`).
    fn allowed_methods(&self, path: &str) -> Option<BTreeSet<String>> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut found: Option<(usize, BTreeSet<String>)> = None;
        for (segments, methods) in &self.0 {
            let matches =
                segments.len() == parts.len() && segments.iter().zip(&parts).all(|(s, p)| (s.starts_with('{') && !p.is_empty()) || s == p);
            if !matches {
                continue;
            }
            let literal = segments.iter().filter(|s| !s.starts_with('{')).count();
            match &mut found {
                Some((best, set)) if *best == literal => set.extend(methods.iter().cloned()),
                Some((best, _)) if *best > literal => {}
                _ => found = Some((literal, methods.clone())),
            }
        }
        found.map(|(_, set)| set)
    }

    /// 405 with `Allow` when the path names a route that does not take the method.
    pub fn method_not_allowed(&self, path: &str, method: &Method) -> Option<ApiError> {
        match self.allowed_methods(path) {
            Some(methods) if !methods.contains(method.as_str()) && method != Method::OPTIONS => {
                let allow = methods.into_iter().collect::<Vec<_>>().join(", ");
                Some(ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").with_header(header::ALLOW, allow))
            }
            _ => None,
        }
    }
}

/// The default service: 405 with `Allow` when the path exists under another method, else 404.
pub async fn fallback(req: HttpRequest, routes: web::Data<KnownRoutes>) -> Result<HttpResponse, ApiError> {
    Err(routes.method_not_allowed(req.path(), req.method()).unwrap_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "route_not_found")))
}

/// For PATCH fields that may be cleared: absent → `None` (leave as is), `null` → `Some(None)`
/// (clear), a value → `Some(Some(v))`. Use with `#[serde(default, deserialize_with = "…")]`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A printable page as the answer: HTML under its own Content-Security-Policy (nothing loads or
/// runs; only its pinned style applies).
pub fn printable(page: crate::export::html::Page) -> HttpResponse {
    let csp = page.csp();
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_SECURITY_POLICY, csp))
        .body(page.html)
}
