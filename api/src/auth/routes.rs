use actix_web::http::{header, StatusCode};
use actix_web::{post, web, HttpMessage, HttpRequest, HttpResponse};
use base64::Engine as _;

use super::dto::{ClientTokenRequest, LoginRequest, RefreshRequest, TokenResponse};
use super::jwt::Subject;
use super::session::{self, Refreshed};
use super::{password, PrincipalKind, Role};
use crate::audit::store::{self as audit, Change, Who};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::state::AppState;
use crate::users::store as users;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(login).service(refresh).service(logout).service(token);
}

/// Token answers must never be cached (RFC 6749 §5.1).
fn token_answer(body: &TokenResponse) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).insert_header((header::PRAGMA, "no-cache")).json(body)
}

/// The caller's address for throttling: the socket peer, or — when the operator said a trusted
/// proxy sits in front — the last address in `X-Forwarded-For`, the one that proxy appended.
/// Earlier entries are the client's own words and could be anything.
fn client_address(req: &HttpRequest, trust_proxy: bool) -> String {
    if trust_proxy {
        let last = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .last();
        if let Some(ip) = last {
            return ip.to_string();
        }
    }
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

/// Signs a person in: a short-lived access token and a refresh token (OAuth2 token response).
/// Repeated failures for one username or from one address answer 429 with `Retry-After`.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses((status = 200, description = "Signed in", body = TokenResponse))
)]
#[post("/auth/login")]
async fn login(req: HttpRequest, body: JsonBody<LoginRequest>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let LoginRequest { username, password: secret } = body.0;
    let username = crate::users::rules::normalise_username(&username);
    let address = client_address(&req, st.config.trust_proxy);
    // The attempt counts before the password is checked: guesses sent at once cannot overrun
    // the limit. Dropped on an early return, it stops counting.
    let attempt = st.login_throttle.reserve(&username, &address).map_err(ApiError::too_many_requests)?;
    // A read, then the password check on the blocking pool outside any transaction (argon2id
    // takes tens of milliseconds), then only the short write that issues the tokens: a burst
    // of sign-ins never holds the single SQLite writer while hashing.
    let name = username.clone();
    let user = st.db.run(move |c| users::find_by_username(c, &name)).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let right = web::block(move || match stored {
        Some(hash) => password::verify(&secret, &hash),
        None => {
            password::verify_dummy(&secret);
            false
        }
    })
    .await
    .map_err(|_| ApiError::unavailable())?;
    let Some(user) = user.filter(|_| right) else {
        attempt.failed();
        return Err(ApiError::unauthorized("invalid_credentials"));
    };
    // Said only after the right password, so it reveals nothing to a guesser.
    if !user.active {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "account_inactive"));
    }
    let state = st.clone();
    let request_id = req.extensions().get::<super::RequestId>().map(|r| r.0.clone());
    // A sign-in changes no figure: `write_unseen` leaves the kept statistics answers kept.
    let tokens = st
        .db
        .write_unseen(move |c| {
            let tokens = session::issue(c, &state.keys, &state.config, &user, &crate::db::new_id())?;
            audit::record(
                c,
                &Who { kind: "user", id: Some(&user.id), request_id: request_id.as_deref() },
                Change { action: "login", entity: "user", entity_id: &user.id, unit_path: user.unit_path.as_deref(), old: None, new: None },
            )?;
            Ok(tokens)
        })
        .await?;
    attempt.succeeded();
    Ok(token_answer(&tokens))
}

/// Exchanges a refresh token for a new pair. Each refresh token works once; presenting a used one
/// revokes every token of that sign-in (`refresh_token_reused`).
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 200, body = TokenResponse)))]
#[post("/auth/refresh")]
async fn refresh(body: JsonBody<RefreshRequest>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let state = st.clone();
    let presented = body.0.refresh_token;
    match st.db.write_unseen(move |c| session::refresh(c, &state.keys, &state.config, &presented)).await? {
        Refreshed::Tokens(t) => Ok(token_answer(&t)),
        Refreshed::Refused(e) => Err(e),
    }
}

/// Signs out: the refresh token and every refresh token of its sign-in stop working. Access
/// tokens already issued expire on their own (at most `HOAGIAI_ACCESS_TOKEN_TTL`, 15 minutes).
#[utoipa::path(tag = "auth", request_body = RefreshRequest, responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
async fn logout(body: JsonBody<RefreshRequest>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let presented = body.0.refresh_token;
    st.db.write_unseen(move |c| session::logout(c, &presented)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// OAuth2 client-credentials grant for machine clients: `grant_type=client_credentials` with
/// `client_id` and `client_secret` in the form body or as HTTP Basic credentials. Answers a
/// `stats` token scoped to the client's unit.
#[utoipa::path(
    tag = "auth",
    request_body(content = ClientTokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, body = TokenResponse))
)]
#[post("/auth/token")]
async fn token(req: HttpRequest, body: web::Bytes, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // RFC 6749 §5.2: the problem document carries the OAuth `error` and `error_description` too,
    // so a generic OAuth client understands it.
    let oauth = |code: &'static str, error: &str, description: &str| {
        ApiError::new(StatusCode::BAD_REQUEST, code)
            .with_extension("error", error.into())
            .with_extension("error_description", description.into())
    };
    let form: ClientTokenRequest = serde_urlencoded::from_bytes(&body)
        .map_err(|_| oauth("malformed_query", "invalid_request", "The form body is not grant_type, client_id and client_secret"))?;
    if form.grant_type != "client_credentials" {
        return Err(oauth("unsupported_grant_type", "unsupported_grant_type", "Only grant_type=client_credentials is supported"));
    }
    let authorization = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let tried_basic = authorization.is_some_and(|v| v.len() >= 6 && v[..6].eq_ignore_ascii_case("basic "));
    // A client that authenticated with HTTP Basic is told so in its own scheme (RFC 6749 §5.2).
    let wrong_client = |description: &str| {
        let e = ApiError::new(StatusCode::UNAUTHORIZED, "invalid_client")
            .with_extension("error", "invalid_client".into())
            .with_extension("error_description", description.into());
        if tried_basic {
            e.with_header(header::WWW_AUTHENTICATE, "Basic realm=\"hoagiai\", charset=\"UTF-8\"")
        } else {
            e
        }
    };
    let basic = authorization
        .filter(|_| tried_basic)
        .map(|v| &v[6..])
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.split_once(':').map(|(a, b)| (a.to_string(), b.to_string())));
    let (client_id, secret) = match (basic, form.client_id, form.client_secret) {
        (Some(pair), _, _) => pair,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(wrong_client("No client credentials: send client_id and client_secret, or HTTP Basic")),
    };
    // No client id or secret holds a control character (and PostgreSQL text cannot hold NUL).
    if crate::text::has_control_chars(&client_id) || crate::text::has_control_chars(&secret) {
        return Err(oauth("control_characters", "invalid_request", "The client credentials hold a control character"));
    }
    let address = client_address(&req, st.config.trust_proxy);
    let throttle_key = format!("client:{client_id}");
    let attempt = st.login_throttle.reserve(&throttle_key, &address).map_err(ApiError::too_many_requests)?;
    // Checked with a read; the write (the time of last use) only when it is worth recording.
    let id = client_id.clone();
    let client = st.db.run(move |c| crate::api_clients::store::authenticate(c, &id, &secret)).await?;
    let Some(client) = client else {
        attempt.failed();
        return Err(wrong_client("Unknown client, wrong secret, or a revoked client"));
    };
    attempt.succeeded();
    if crate::api_clients::store::use_worth_recording(&client) {
        let id = client.id.clone();
        st.db.write_unseen(move |c| crate::api_clients::store::record_use(c, &id)).await?;
    }
    let ttl = st.config.client_token_ttl;
    let access_token = st.keys.issue(
        &Subject {
            id: &client.id,
            kind: PrincipalKind::Client,
            role: Role::Stats,
            unit_id: client.unit_id.as_deref(),
            unit_path: client.unit_path.as_deref(),
            // A statistics reader never sees people; its level changes nothing.
            unit_level: None,
            mediator_id: None,
        },
        ttl,
    )?;
    Ok(token_answer(&TokenResponse { access_token, token_type: "Bearer".into(), expires_in: ttl, refresh_token: None }))
}
