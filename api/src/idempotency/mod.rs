//! `Idempotency-Key` on every POST: the first request with a key runs and its answer is kept; a
//! retry with the same key and the same body gets that answer again (`Idempotency-Replayed:
//! true`) and changes nothing; the same key with another body is refused (422); a retry while
//! the first is still running gets 409 with `Retry-After`. Keys belong to the caller, so two
//! phones can never collide, and are forgotten after a day.

pub mod store;

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use futures_util::StreamExt as _;
use sha2::{Digest, Sha256};

use crate::auth::{PrincipalKind, RequestId};
use crate::error::{ApiError, Lang};
use crate::state::AppState;
use store::Begun;

pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotency-replayed");

/// Headers of the first answer that a replay repeats.
const KEPT_HEADERS: [HeaderName; 5] =
    [header::CONTENT_TYPE, header::ETAG, header::LOCATION, header::CONTENT_LANGUAGE, header::CACHE_CONTROL];

/// Fields that are shown once and must never be written down: a replay answers `null` for them
/// (the caller resets the password or the secret if it lost the first answer).
const SECRET_FIELDS: [&str; 4] = ["generated_password", "client_secret", "access_token", "refresh_token"];

/// The answer as it may be kept: secrets blanked out.
fn without_secrets(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut map)) => {
            for field in SECRET_FIELDS {
                if let Some(v) = map.get_mut(field) {
                    *v = serde_json::Value::Null;
                }
            }
            serde_json::Value::Object(map).to_string()
        }
        _ => String::from_utf8_lossy(body).to_string(),
    }
}

/// The largest answer kept for replay; a larger one is answered but not kept.
const MAX_KEPT_BODY: usize = 1024 * 1024;

pub async fn idempotency(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    if req.method() != Method::POST || !req.headers().contains_key(&HEADER) {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    }
    let lang = Lang::of_request(req.headers());
    let fail = |req: ServiceRequest, e: ApiError| {
        let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
        let res = e.render(lang, Some(req.path()), request_id.as_deref());
        Ok(req.into_response(res))
    };
    let key = match req.headers().get(&HEADER).and_then(|v| v.to_str().ok()) {
        Some(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| (0x21..=0x7e).contains(&b)) => k.to_string(),
        _ => return fail(req, ApiError::invalid_field("Idempotency-Key", "invalid_value")),
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    // Keys belong to a caller; without a valid token the handler answers 401 anyway.
    let owner = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .and_then(|t| state.keys.decode(t.trim()).ok())
        .map(|c| format!("{}:{}", if c.kind == PrincipalKind::Client { "client" } else { "user" }, c.sub));
    let Some(owner) = owner else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };

    // The fingerprint of the request: method, path, query and body.
    let limit = state.config.body_limit;
    let mut body = web::BytesMut::new();
    let mut payload = req.take_payload();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return fail(req, ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
        }
        body.extend_from_slice(&chunk);
    }
    let body = body.freeze();
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(req.uri().to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(&body);
    let fingerprint = hex::encode(hasher.finalize());

    let (o, k, f) = (owner.clone(), key.clone(), fingerprint.clone());
    let begun = match state.db.run(move |c| store::begin(c, &o, &k, &f)).await {
        Ok(b) => b,
        Err(e) => return fail(req, e),
    };
    match begun {
        Begun::Mismatch => {
            return fail(
                req,
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").with_detail(
                    "Khóa này đã được dùng cho một yêu cầu có nội dung khác",
                    "This key was used for a request with another body",
                ),
            )
        }
        Begun::InProgress => return fail(req, ApiError::conflict("idempotency_in_progress").with_header(header::RETRY_AFTER, "1")),
        Begun::Done(kept) => {
            let mut res = HttpResponse::build(StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK));
            for (name, value) in kept.headers {
                if let (Ok(n), Ok(v)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(&value)) {
                    res.insert_header((n, v));
                }
            }
            res.insert_header((REPLAYED, HeaderValue::from_static("true")));
            return Ok(req.into_response(res.body(kept.body)));
        }
        Begun::Fresh => {}
    }

    req.set_payload(Payload::from(body));
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(e) => {
            let (o, k) = (owner, key);
            let _ = state.db.run(move |c| store::abandon(c, &o, &k)).await;
            return Err(e);
        }
    };
    let status = res.status();
    let (req, response) = res.into_parts();
    let (head, response_body) = response.into_parts();
    let bytes = body::to_bytes_limited(response_body, MAX_KEPT_BODY).await;
    let bytes = match bytes {
        Ok(Ok(b)) => b,
        // Too large to keep, or unreadable: answer nothing rather than half an answer.
        _ => {
            let (o, k) = (owner, key);
            let _ = state.db.run(move |c| store::abandon(c, &o, &k)).await;
            let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
            let res = ApiError::internal().render(lang, Some(req.path()), request_id.as_deref());
            return Ok(ServiceResponse::new(req, res));
        }
    };
    // A server failure is not an answer to keep: the retry should run again.
    let keep = !status.is_server_error();
    let headers: Vec<(String, String)> = KEPT_HEADERS
        .iter()
        .filter_map(|n| head.headers().get(n).and_then(|v| v.to_str().ok()).map(|v| (n.as_str().to_string(), v.to_string())))
        .collect();
    let (o, k, text) = (owner, key, without_secrets(&bytes));
    let saved = state
        .db
        .run(move |c| if keep { store::complete(c, &o, &k, status.as_u16(), &headers, &text) } else { store::abandon(c, &o, &k) })
        .await;
    if let Err(e) = saved {
        tracing::error!(code = e.code, "could not keep an idempotent answer");
    }
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(bytes))))
}
