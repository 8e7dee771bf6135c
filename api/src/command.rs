//! Commands: every request that changes state runs through `Command::run`, in exactly one
//! database transaction holding its rows, its audit rows, its statistics upkeep and — when the
//! request carries an `Idempotency-Key` — its kept answer. A crash at any instant leaves all of
//! it or none of it, so a retry with the same key gets the first answer and never a second record.
//!
//! A command's closure builds its whole answer (status, headers, JSON body) from the rows it
//! wrote, inside the transaction, because that answer is what the key keeps.
//!
//! The busiest command, opening a case, is a planned write (`Command::run_planned`,
//! `db::planned`): its reads and rules first, then its rows and its kept answer in one statement,
//! which on PostgreSQL is its transaction (one round trip to write instead of a dozen).

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use serde::Serialize;

use crate::config::Config;
use crate::db::planned::{Applied, Writes};
use crate::db::{Backend, DbConn};
use crate::error::ApiError;
use crate::http::etag_for_version;
use crate::idempotency::answers::{self, Claim};
use crate::idempotency::store as kept;
use crate::state::AppState;

/// The answer of a command, built inside its transaction.
pub struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    /// A JSON answer.
    pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Result<Answer, ApiError> {
        let body = serde_json::to_vec(body).map_err(|_| ApiError::internal())?;
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(Answer { status, headers, body: Bytes::from(body) })
    }

    /// 200 with the record and its version as the `ETag`.
    pub fn record<T: Serialize>(body: &T, version: i32) -> Result<Answer, ApiError> {
        Ok(Answer::json(StatusCode::OK, body)?.with_etag(version))
    }

    /// The answer to a create: 201 with the record, its `ETag` and `Location`; or 200 when a retry
    /// found the record an earlier try had made.
    pub fn created<T: Serialize>(created: bool, body: &T, version: i32, location: &str) -> Result<Answer, ApiError> {
        let status = if created { StatusCode::CREATED } else { StatusCode::OK };
        Answer::json(status, body)?.with_etag(version).with_header(header::LOCATION, location)
    }

    /// 204, nothing to say.
    pub fn no_content() -> Answer {
        Answer { status: StatusCode::NO_CONTENT, headers: HeaderMap::new(), body: Bytes::new() }
    }

    pub fn with_etag(mut self, version: i32) -> Answer {
        if let Ok(v) = HeaderValue::from_str(&etag_for_version(version)) {
            self.headers.insert(header::ETAG, v);
        }
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Result<Answer, ApiError> {
        self.headers.insert(name, HeaderValue::from_str(value).map_err(|_| ApiError::internal())?);
        Ok(self)
    }

    fn kept(&self) -> kept::Kept {
        answers::kept_answer(self.status, &self.headers, &self.body)
    }

    fn into_response(self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status).body(self.body);
        for (name, value) in self.headers {
            res.headers_mut().insert(name, value);
        }
        res
    }
}

/// The code of the error that unwinds a command whose key was kept by another request first.
const KEY_TAKEN: &str = "idempotency_key_taken";

/// A state-changing request about to run. Taking it as a handler argument is what makes the
/// handler's work one transaction with its idempotency answer.
pub struct Command {
    state: web::Data<AppState>,
    claim: Option<Claim>,
}

impl FromRequest for Command {
    type Error = ApiError;
    type Future = Ready<Result<Command, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned().ok_or_else(ApiError::internal);
        ready(state.map(|state| Command { state, claim: req.extensions().get::<Claim>().cloned() }))
    }
}

impl Command {
    pub fn config(&self) -> &Config {
        &self.state.config
    }

    /// For writes that must never run twice (a file sent from a phone's queue): 400 without an
    /// `Idempotency-Key`, so a retry can always be recognised.
    pub fn require_key(&self) -> Result<(), ApiError> {
        match self.claim {
            Some(_) => Ok(()),
            None => Err(ApiError::bad_request("idempotency_key_required").with_detail(
                "Hãy gửi kèm tiêu đề Idempotency-Key để lần gửi lại không tạo bản thứ hai",
                "Send an Idempotency-Key header, so that a retry cannot keep a second copy",
            )),
        }
    }

    /// Read-only work before the write, on a pooled connection: what needs no write lock stays
    /// off the single SQLite writer (and out of the write transaction on PostgreSQL).
    pub async fn read<F, T>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.state.db.run(work).await
    }

    /// Runs the work in one write transaction, keeps its answer under the request's key in that
    /// same transaction, and sends it once committed.
    pub async fn run<F>(self, work: F) -> Result<HttpResponse, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<Answer, ApiError> + Send + 'static,
    {
        let key = self.claim.as_ref().map(|c| c.key.clone());
        let outcome = self
            .state
            .db
            .write(move |c| {
                let answer = work(c)?;
                keep_answer(c, key.as_ref(), &answer)?;
                Ok(answer)
            })
            .await;
        self.answer(outcome).await
    }

    /// A command whose rows are planned from reads and written at once (`db::planned`). On
    /// PostgreSQL: the plan's reads, then ONE statement with its rows and the kept answer — made
    /// again, a few times at most, when what the plan read changed in between. On SQLite the plan
    /// is made and written inside the writer's transaction, like any command.
    pub async fn run_planned<P>(self, plan: P) -> Result<HttpResponse, ApiError>
    where
        P: Fn(&mut DbConn) -> Result<Planned, ApiError> + Send + 'static,
    {
        let key = self.claim.as_ref().map(|c| c.key.clone());
        if self.state.db.backend() == Backend::Sqlite {
            return self
                .run(move |c| {
                    let Planned { answer, writes } = plan(c)?;
                    if let Some(writes) = writes {
                        if writes.apply_in_transaction(c)? != Applied::Done {
                            // Made and written in one transaction of the one writer: what the plan read
                            // cannot have changed, so its guard and its reads disagree.
                            tracing::error!("a planned write's guard refused the plan made in its own transaction");
                            return Err(ApiError::internal());
                        }
                    }
                    Ok(answer)
                })
                .await;
        }
        let outcome = self
            .state
            .db
            .write_in_one_statement(move |c| {
                for _ in 0..PLAN_ATTEMPTS {
                    let Planned { answer, writes } = plan(c)?;
                    let Some(writes) = writes else {
                        keep_answer(c, key.as_ref(), &answer)?;
                        return Ok(answer);
                    };
                    let kept = key.as_ref().map(|k| kept::insert_of(k, &answer.kept())).transpose()?;
                    match writes.apply_as_one_statement(c, kept)? {
                        Applied::Done => return Ok(answer),
                        Applied::KeyTaken => return Err(ApiError::conflict(KEY_TAKEN)),
                        // Another writer got there first; those that lost together should not
                        // meet again at once.
                        Applied::Stale => std::thread::sleep(std::time::Duration::from_micros(rand::random_range(0..1_000))),
                    }
                }
                tracing::warn!(attempts = PLAN_ATTEMPTS, "a planned write found what it read changed at every attempt");
                Err(ApiError::unavailable())
            })
            .await;
        self.answer(outcome).await
    }

    /// The command's outcome as the response, and the key's claim settled.
    async fn answer(self, outcome: Result<Answer, ApiError>) -> Result<HttpResponse, ApiError> {
        let Some(claim) = self.claim else { return outcome.map(Answer::into_response) };
        match outcome {
            Ok(answer) => {
                claim.mark_answered();
                Ok(answer.into_response())
            }
            Err(e) if e.code == KEY_TAKEN => {
                claim.mark_answered();
                let key = claim.key.clone();
                let found = self.state.db.run(move |c| kept::find(c, &key)).await?;
                answers::answer_found(found)
            }
            Err(e) => Err(e),
        }
    }
}

/// Keeps the answer under the request's key, in the transaction (or as the one statement) of its
/// work; when another request with the key was kept first, this one's work must be undone.
fn keep_answer(c: &mut DbConn, key: Option<&kept::KeyOf>, answer: &Answer) -> Result<(), ApiError> {
    if let Some(key) = key {
        if !kept::keep(c, key, &answer.kept())? {
            // Another request with this key was kept first: undo this one's work.
            return Err(ApiError::conflict(KEY_TAKEN));
        }
    }
    Ok(())
}

/// How often a planned write is planned again when what it read keeps changing (another create
/// in the same log book took the line, say) before the request is answered 503. Each round one of
/// the writers that met wins, and no more of them meet than there are pooled connections (8 by
/// default): a log book that 64 phones write to at once still takes every case.
const PLAN_ATTEMPTS: usize = 32;

/// What a planned command will do: its answer, and the rows to write (none when the answer needs
/// no write, such as a retry answered with the case an earlier try made).
pub struct Planned {
    answer: Answer,
    writes: Option<Writes>,
}

impl Planned {
    pub fn write(answer: Answer, writes: Writes) -> Planned {
        Planned { answer, writes: Some(writes) }
    }

    pub fn answer_only(answer: Answer) -> Planned {
        Planned { answer, writes: None }
    }
}
