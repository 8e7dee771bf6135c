//! Middleware for every response: request id and access log, refusing control characters,
//! problems in the caller's language, security headers, and HEAD and conditional GET for every
//! resource.

use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

use crate::auth::RequestId;
use crate::error::{ApiError, Lang};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Gives each request an id (the caller's `X-Request-Id` when it is short and plain, else a new
/// one), echoes it, and logs one line per request. The log holds the path without the query
/// string: search text may be a person's name.
pub async fn request_id_and_log(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().clone();
    let path = req.path().to_string();
    let started = std::time::Instant::now();
    let mut res = next.call(req).await?;
    let status = res.status().as_u16();
    let seconds = started.elapsed().as_secs_f64();
    let ms = seconds * 1000.0;
    // By the route's pattern, never the path asked for: no id or search text reaches the metrics.
    if let Some(state) = res.request().app_data::<actix_web::web::Data<crate::state::AppState>>() {
        let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
        state.http_metrics.observe(&route, method.as_str(), status, seconds);
    }
    if status >= 500 {
        tracing::error!(request_id = %id, %method, %path, status, ms, "request");
    } else {
        tracing::info!(request_id = %id, %method, %path, status, ms, "request");
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, v);
    }
    Ok(res)
}

/// Refuses a request whose path or query, percent-decoded, holds a C0 control character (tab and
/// line breaks included) or DEL, or whose header values hold one (a tab excepted, as HTTP allows
/// it): 400 `control_characters`. No identifier, search text or filter holds one, and PostgreSQL
/// text cannot hold NUL, so such a value must never reach a query. Bodies are checked where they
/// are parsed (`http::parse_json`, the token form).
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<BoxBody, impl MessageBody>>, Error> {
    let uri = req.uri();
    let in_url = crate::text::percent_decoded_has_control(uri.path()) || uri.query().is_some_and(crate::text::percent_decoded_has_control);
    let in_header = || req.headers().iter().any(|(_, v)| v.as_bytes().iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f));
    if in_url || in_header() {
        let problem = ApiError::bad_request("control_characters").with_detail(
            if in_url {
                "Đường dẫn hoặc tham số truy vấn chứa ký tự điều khiển"
            } else {
                "Tiêu đề HTTP chứa ký tự điều khiển"
            },
            if in_url { "The path or the query holds a control character" } else { "A header holds a control character" },
        );
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        let response = problem.render(Lang::of_request(req.headers()), Some(req.path()), request_id.as_deref());
        return Ok(req.into_response(response).map_into_left_body());
    }
    Ok(next.call(req).await?.map_into_right_body())
}

/// Re-renders problem responses in the language of `Accept-Language`, with the request path as
/// `instance` and the request id, which `ResponseError` cannot see.
pub async fn localize_problems(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    let lang = Lang::of_request(req.headers());
    let res = next.call(req).await?;
    let Some(problem) = res.response().error().and_then(|e| e.as_error::<ApiError>()).cloned() else {
        return Ok(res.map_into_boxed_body());
    };
    let (req, _) = res.into_parts();
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    let response = problem.render(lang, Some(req.path()), request_id.as_deref());
    Ok(ServiceResponse::new(req, response))
}

/// The documentation page loads its own scripts and styles; everything else is JSON or files
/// that need nothing from elsewhere.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

pub async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let csp = if req.path().starts_with("/docs") { DOCS_CSP } else { API_CSP };
    // The client's files set their own, stricter-for-a-page policy.
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    let defaults: [(HeaderName, &'static str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, csp),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    for (name, value) in defaults {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    Ok(res)
}

/// HEAD for every GET, and `If-None-Match` for every GET that answers an `ETag` (RFC 9110 §9.3.2,
/// §13.1.2): a record, a list of statistics, a file of the client alike. A HEAD is routed as the
/// GET it asks about; the HTTP layer still knows it was a HEAD and sends the headers only (with
/// the GET's length). A 200 whose tag the caller already holds becomes 304 with no body, keeping
/// the headers a cache needs.
pub async fn head_and_conditional_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let conditional = (req.method() == Method::GET)
        .then(|| req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string))
        .flatten();
    let res = next.call(req).await?;
    let tag = res.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_string);
    match (conditional, tag) {
        (Some(wanted), Some(tag)) if res.status() == StatusCode::OK && crate::http::none_match(&wanted, &tag) => {
            let (req, res) = res.into_parts();
            let mut not_modified = actix_web::HttpResponse::NotModified();
            for name in [header::ETAG, header::CACHE_CONTROL, header::VARY, header::CONTENT_LOCATION, header::EXPIRES] {
                if let Some(v) = res.headers().get(&name) {
                    not_modified.insert_header((name, v.clone()));
                }
            }
            Ok(ServiceResponse::new(req, not_modified.finish()).map_into_right_body())
        }
        _ => Ok(res.map_into_left_body()),
    }
}

/// The span every request runs in (tracing-actix-web), so what a handler logs carries its
/// request: the method and our request id; at the end the route's pattern and the status. Like
/// the access log it never holds the path asked for or its query: ids and search text (a person's
/// name) stay out. Wrapped inside `request_id_and_log`, which gives the request its id.
///
/// The route is named once the request has been routed: actix then keeps which resource matched
/// and `match_pattern` reads it back, where before routing it tries the patterns one by one —
/// a tenth of the HTTP thread's samples in a profile of case reads (docs/performance.md, twelfth
/// pass).
pub struct RequestSpan;

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(req: &ServiceRequest) -> tracing::Span {
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default();
        tracing::info_span!(
            "request",
            http.method = %req.method(),
            http.route = tracing::field::Empty,
            request_id = %request_id,
            http.status_code = tracing::field::Empty,
            otel.kind = "server",
        )
    }

    fn on_request_end<B: MessageBody>(span: tracing::Span, outcome: &Result<ServiceResponse<B>, Error>) {
        let (route, status) = match outcome {
            Ok(res) => (res.request().match_pattern(), res.status()),
            Err(e) => (None, e.as_response_error().status_code()),
        };
        span.record("http.route", tracing::field::display(route.as_deref().unwrap_or("unmatched")));
        span.record("http.status_code", status.as_u16());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use actix_web::test::TestRequest;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing_subscriber::layer::{Context, SubscriberExt};
    use tracing_subscriber::Layer;

    use super::*;

    /// Every field recorded on any span, as text.
    #[derive(Clone, Default)]
    struct Fields(Arc<Mutex<Vec<(String, String)>>>);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            self.0.lock().unwrap().push((field.name().to_string(), format!("{value:?}")));
        }
    }

    impl<S: tracing::Subscriber> Layer<S> for Fields {
        fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
            attrs.record(&mut self.clone());
        }
        fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
            values.record(&mut self.clone());
        }
    }

    /// Through an app wrapped as ours is: a routed request's span names its route's pattern, an
    /// unrouted one's `unmatched`; neither holds the path's id or the query's name.
    #[actix_web::test]
    async fn the_request_span_names_the_route_and_id_never_the_path() {
        let fields = Fields::default();
        let _guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(fields.clone()));
        let app = actix_web::test::init_service(
            actix_web::App::new()
                .route("/api/v1/cases/{id}", actix_web::web::get().to(actix_web::HttpResponse::Ok))
                .wrap(tracing_actix_web::TracingLogger::<RequestSpan>::new())
                .wrap(actix_web::middleware::from_fn(request_id_and_log)),
        )
        .await;
        let asked = [
            ("/api/v1/cases/0190a3c4-7b1e-7000-8000-000000000042?q=Nguy%E1%BB%85n+V%C4%83n+An", "/api/v1/cases/{id}", "200"),
            ("/api/v1/nowhere?q=Nguy%E1%BB%85n+V%C4%83n+An", "unmatched", "404"),
        ];
        for (uri, route, status) in asked {
            fields.0.lock().unwrap().clear();
            let req = TestRequest::get().uri(uri).insert_header(("x-request-id", "phone-42")).to_request();
            actix_web::test::call_service(&app, req).await;
            let fields = fields.0.lock().unwrap().clone();
            let value = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
            assert_eq!(value("http.method").as_deref(), Some("GET"), "{uri}");
            assert_eq!(value("request_id").as_deref(), Some("phone-42"), "{uri}");
            assert_eq!(value("http.route").as_deref(), Some(route), "{uri}");
            assert_eq!(value("http.status_code").as_deref(), Some(status), "{uri}");
            let leaked = |v: &String| v.contains("q=") || v.contains("Nguy") || v.contains("000000000042");
            assert!(!fields.iter().any(|(_, v)| leaked(v)), "no path or query in the span: {fields:?}");
        }
    }
}
