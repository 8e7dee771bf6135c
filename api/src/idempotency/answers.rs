//! Kept answers as the command runner and the middleware both handle them: what of an answer is
//! kept, how it is replayed, and the claim a keyed request hands to its command.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

use super::store::{Found, Kept, KeyOf};
use crate::error::ApiError;

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
pub const MAX_KEPT_BODY: usize = 1024 * 1024;

/// An answer as it will be kept: the headers a replay repeats, the body without secrets.
pub fn kept_answer(status: StatusCode, headers: &header::HeaderMap, body: &[u8]) -> Kept {
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|n| headers.get(n).and_then(|v| v.to_str().ok()).map(|v| (n.as_str().to_string(), v.to_string())))
        .collect();
    Kept { status: status.as_u16(), headers, body: without_secrets(body) }
}

/// The kept answer, sent again.
pub fn replay(kept: Kept) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(kept.status).unwrap_or(StatusCode::OK));
    for (name, value) in kept.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(&value)) {
            res.insert_header((n, v));
        }
    }
    res.insert_header((REPLAYED, HeaderValue::from_static("true")));
    res.body(kept.body)
}

/// What a keyed request passes to the command that runs it (in the request's extensions).
#[derive(Clone)]
pub struct Claim {
    pub key: KeyOf,
    /// Set by the command once it kept (or replayed) the answer, so the middleware leaves it be.
    answered: Rc<Cell<bool>>,
}

impl Claim {
    pub fn new(key: KeyOf) -> Claim {
        Claim { key, answered: Rc::new(Cell::new(false)) }
    }

    pub fn mark_answered(&self) {
        self.answered.set(true);
    }

    pub fn answered(&self) -> bool {
        self.answered.get()
    }
}

/// The refusal for a key reused with another request.
pub fn mismatch() -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
        .with_detail("Khóa này đã được dùng cho một yêu cầu có nội dung khác", "This key was used for a request with another body")
}

/// The answer to a request whose key already has a row: a replay, or why there is none.
pub fn answer_found(found: Found) -> Result<HttpResponse, ApiError> {
    match found {
        Found::Done(kept) => Ok(replay(kept)),
        Found::Mismatch => Err(mismatch()),
        Found::Unanswered | Found::Nothing => Err(ApiError::conflict("idempotency_in_progress").with_header(header::RETRY_AFTER, "1")),
    }
}
