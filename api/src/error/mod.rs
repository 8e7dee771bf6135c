//! One error type for the whole API, rendered as RFC 9457 `application/problem+json` with a
//! stable machine `code`, a title in Vietnamese (default) or English, and per-field errors.
//!
//! Handlers build an `ApiError` and return it; `render` turns it into a response in the caller's
//! language. The `localize_problems` middleware re-renders any problem with the request's
//! language, path and request id, because `ResponseError` alone never sees the request.

mod messages;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

pub use messages::{field_message, title};

/// The language of a response: Vietnamese unless the caller prefers English.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// Picks the first of `vi`/`en` in an `Accept-Language` header, by quality; Vietnamese otherwise.
    pub fn from_accept_language(value: Option<&str>) -> Lang {
        let Some(value) = value else { return Lang::Vi };
        let mut best: Option<(f32, Lang)> = None;
        for part in value.split(',') {
            let mut it = part.trim().split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            let lang = if tag == "en" || tag.starts_with("en-") {
                Lang::En
            } else if tag == "vi" || tag.starts_with("vi-") {
                Lang::Vi
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Vi)
    }

    pub fn of_request(headers: &actix_web::http::header::HeaderMap) -> Lang {
        Lang::from_accept_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
    }
}

/// `If-Match: *`: the caller edits whatever version is current (RFC 9110 §13.1.1).
pub const ANY_VERSION: i32 = i32::MIN;

/// The `ETag` of a record's version. Here, below the HTTP helpers, because a stale-write problem
/// carries one.
pub fn etag_for_version(version: i32) -> String {
    format!("\"{version}\"")
}

/// A text in both languages.
#[derive(Clone, Debug)]
pub struct Text {
    pub vi: String,
    pub en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Text {
        Text { vi: vi.into(), en: en.into() }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// One invalid field: `field` is the JSON path (`parties[1].name`), `code` a stable reason.
#[derive(Clone, Debug)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub params: Map<String, Value>,
}

#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    /// Boxed: most errors have none, and a small error keeps every `Result` small.
    pub detail: Option<Box<Text>>,
    pub errors: Vec<FieldError>,
    /// RFC 9457 extension members (e.g. `current` on 412, `error` on OAuth2 endpoints).
    pub extensions: Map<String, Value>,
    pub headers: Vec<(HeaderName, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str) -> ApiError {
        ApiError { status, code, detail: None, errors: Vec::new(), extensions: Map::new(), headers: Vec::new() }
    }

    pub fn with_detail(mut self, vi: impl Into<String>, en: impl Into<String>) -> Self {
        self.detail = Some(Box::new(Text::new(vi, en)));
        self
    }

    pub fn with_extension(mut self, key: &str, value: Value) -> Self {
        self.extensions.insert(key.to_string(), value);
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn bad_request(code: &'static str) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code)
    }
    pub fn unauthorized(code: &'static str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, code).with_header(header::WWW_AUTHENTICATE, "Bearer")
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden")
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found")
    }
    pub fn conflict(code: &'static str) -> Self {
        Self::new(StatusCode::CONFLICT, code)
    }
    pub fn unavailable() -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "service_unavailable").with_header(header::RETRY_AFTER, "1")
    }
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error")
    }
    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests").with_header(header::RETRY_AFTER, retry_after_secs.max(1).to_string())
    }
    /// A write without `If-Match`: the caller must say which version it edits.
    pub fn precondition_required() -> Self {
        Self::new(StatusCode::PRECONDITION_REQUIRED, "if_match_required")
    }
    /// A stale write: answers with the current record and its `ETag`, so the client can merge.
    pub fn stale(current: Value, version: i32) -> Self {
        Self::new(StatusCode::PRECONDITION_FAILED, "version_mismatch")
            .with_extension("current", current)
            .with_header(header::ETAG, etag_for_version(version))
    }

    /// 422 with one field error.
    pub fn invalid_field(field: impl Into<String>, code: &str) -> Self {
        Self::validation(vec![FieldError { field: field.into(), code: code.to_string(), params: Map::new() }])
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        e.errors = errors;
        e
    }

    /// The problem document in one language.
    pub fn body(&self, lang: Lang, instance: Option<&str>, request_id: Option<&str>) -> Value {
        let mut doc = Map::new();
        doc.insert("type".into(), Value::String(format!("urn:hoagiai:problem:{}", self.code)));
        doc.insert("title".into(), Value::String(title(self.code, self.status, lang).to_string()));
        doc.insert("status".into(), Value::from(self.status.as_u16()));
        if let Some(detail) = &self.detail {
            doc.insert("detail".into(), Value::String(detail.get(lang).to_string()));
        }
        if let Some(instance) = instance {
            doc.insert("instance".into(), Value::String(instance.to_string()));
        }
        doc.insert("code".into(), Value::String(self.code.to_string()));
        if !self.errors.is_empty() {
            let errors = self
                .errors
                .iter()
                .map(|f| {
                    let mut e = Map::new();
                    e.insert("field".into(), Value::String(f.field.clone()));
                    e.insert("code".into(), Value::String(f.code.clone()));
                    e.insert("message".into(), Value::String(field_message(&f.code, &f.params, lang)));
                    if !f.params.is_empty() {
                        e.insert("params".into(), Value::Object(f.params.clone()));
                    }
                    Value::Object(e)
                })
                .collect();
            doc.insert("errors".into(), Value::Array(errors));
        }
        if let Some(id) = request_id {
            doc.insert("request_id".into(), Value::String(id.to_string()));
        }
        for (k, v) in &self.extensions {
            doc.insert(k.clone(), v.clone());
        }
        Value::Object(doc)
    }

    pub fn render(&self, lang: Lang, instance: Option<&str>, request_id: Option<&str>) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        res.insert_header((header::CONTENT_LANGUAGE, if lang == Lang::En { "en" } else { "vi" }));
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                res.insert_header((name.clone(), v));
            }
        }
        res.body(self.body(lang, instance, request_id).to_string())
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)?;
        // The fields at fault, by path and code (never their values), for CLI and log readers.
        for e in &self.errors {
            write!(f, "; {}: {}", e.field, e.code)?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }
    fn error_response(&self) -> HttpResponse {
        self.render(Lang::Vi, None, None)
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        match &e {
            E::NotFound => ApiError::not_found(),
            E::DatabaseError(K::UniqueViolation, _) => ApiError::conflict("already_exists"),
            E::DatabaseError(K::ForeignKeyViolation, _) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_reference"),
            E::DatabaseError(K::CheckViolation, _) | E::DatabaseError(K::NotNullViolation, _) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed")
            }
            E::DatabaseError(K::SerializationFailure, _) => ApiError::unavailable(),
            E::DatabaseError(_, info) if info.message().contains("database is locked") => ApiError::unavailable(),
            _ => {
                // The message may quote values; it goes to the server log only, never to the client.
                tracing::error!(error = %e, "database error");
                ApiError::internal()
            }
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut out = Vec::new();
        flatten_validation(&errors, "", &mut out);
        out.sort_by(|a, b| a.field.cmp(&b.field));
        ApiError::validation(out)
    }
}

fn flatten_validation(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind as K;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            K::Field(list) => {
                for err in list {
                    let params = err.params.iter().filter(|(k, _)| *k != "value").map(|(k, v)| (k.to_string(), v.clone())).collect();
                    out.push(FieldError { field: path.clone(), code: err.code.to_string(), params });
                }
            }
            K::Struct(inner) => flatten_validation(inner, &path, out),
            K::List(items) => {
                for (i, inner) in items {
                    flatten_validation(inner, &format!("{path}[{i}]"), out);
                }
            }
        }
    }
}

/// The schema of every error body, referenced by each operation's 4XX/5XX responses.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:hoagiai:problem:validation_failed",
    "title": "Dữ liệu không hợp lệ",
    "status": 422,
    "code": "validation_failed",
    "instance": "/api/v1/users",
    "errors": [{"field": "username", "code": "length", "message": "Độ dài phải từ 3 đến 64 ký tự", "params": {"min": 3, "max": 64}}]
}))]
pub struct Problem {
    /// A URI naming the problem type: `urn:hoagiai:problem:<code>`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary in the response language (`Content-Language`).
    pub title: String,
    pub status: u16,
    /// What went wrong in this occurrence, when there is more to say than the title.
    pub detail: Option<String>,
    /// The request path.
    pub instance: Option<String>,
    /// The stable machine code to switch on.
    pub code: String,
    /// Per-field errors (422).
    pub errors: Option<Vec<ProblemField>>,
    /// The id of the request, as in the `X-Request-Id` header and the server log.
    pub request_id: Option<String>,
    /// On 412: the current record, to merge with.
    pub current: Option<Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ProblemField {
    /// JSON path of the field, e.g. `parties[0].name`.
    pub field: String,
    pub code: String,
    pub message: String,
    pub params: Option<Map<String, Value>>,
}
