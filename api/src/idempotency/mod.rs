//! `Idempotency-Key` on every POST: the first request with a key runs and its answer is kept; a
//! retry with the same key and the same body gets that answer again (`Idempotency-Replayed:
//! true`) and changes nothing; the same key with another body is refused (422). Keys belong to
//! the caller, so two phones can never collide, and are forgotten after a day.
//!
//! The answer of a command is kept by the command itself, in its own transaction
//! (`crate::command`): a crash leaves either the work and its kept answer, or neither, so a retry
//! after a crash can never do the work twice. The middleware only recognises the key, replays
//! answers already kept, and keeps the answers of requests that changed nothing (a refusal) or
//! that are not commands.

pub mod answers;
pub mod store;

use answers::{answer_found, kept_answer, Claim};

use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage};
use futures_util::StreamExt as _;
use sha2::{Digest, Sha256};

use crate::auth::{PrincipalKind, RequestId};
use crate::error::{ApiError, Lang};
use crate::state::AppState;
use answers::MAX_KEPT_BODY;
use store::{Found, KeyOf};

pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");
pub use answers::REPLAYED;

pub async fn idempotency(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    // A POST to a route that takes none is answered 405 whatever its key.
    let refused = req.app_data::<web::Data<crate::http::KnownRoutes>>().is_some_and(|r| r.refuses(req.path(), "POST"));
    if req.method() != Method::POST || !req.headers().contains_key(&HEADER) || refused {
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
        .and_then(crate::http::bearer_token)
        .and_then(|t| state.keys.decode_for(&mut req.extensions_mut(), t).ok())
        .map(|c| format!("{}:{}", if c.kind == PrincipalKind::Client { "client" } else { "user" }, c.sub));
    let Some(owner) = owner else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };

    // The fingerprint of the request: method, path, query and body.
    // An attachment is a file, not JSON: it has its own, larger limit.
    let limit = if req.path() == crate::attachments::UPLOAD_PATH { state.config.attachment_limit } else { state.config.body_limit };
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
    let key = KeyOf { owner, key, fingerprint: hex::encode(hasher.finalize()) };

    // A read: a retry of a finished request is answered without running anything.
    let k = key.clone();
    match state.db.run(move |c| store::find(c, &k)).await {
        Ok(Found::Nothing) => {}
        Ok(found) => {
            return match answer_found(found) {
                Ok(res) => Ok(req.into_response(res)),
                Err(e) => fail(req, e),
            }
        }
        Err(e) => return fail(req, e),
    }

    let claim = Claim::new(key.clone());
    req.extensions_mut().insert(claim.clone());
    req.set_payload(Payload::from(body));
    let res = next.call(req).await?;
    let status = res.status();
    // A command kept its answer with its work; a server failure is no answer (the retry runs
    // again); anything else changed nothing, or is not a command, and is kept here.
    if claim.answered() || status.is_server_error() {
        return Ok(res.map_into_boxed_body());
    }
    let (req, response) = res.into_parts();
    let (head, response_body) = response.into_parts();
    let bytes = match body::to_bytes_limited(response_body, MAX_KEPT_BODY).await {
        Ok(Ok(b)) => b,
        // Too large to keep, or unreadable: answer nothing rather than half an answer.
        _ => {
            let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
            let res = ApiError::internal().render(lang, Some(req.path()), request_id.as_deref());
            return Ok(ServiceResponse::new(req, res));
        }
    };
    let kept = kept_answer(status, head.headers(), &bytes);
    // Kept only if no other request with the key was kept meanwhile; either way this answer stands.
    if let Err(e) = state.db.write_unseen(move |c| store::keep(c, &key, &kept)).await {
        tracing::error!(code = e.code, "could not keep an idempotent answer");
    }
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(bytes))))
}
