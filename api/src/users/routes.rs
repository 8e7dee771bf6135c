use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{ChangePassword, CreateUser, CreatedUser, PasswordReset, ResetPassword, UpdateUser, UserDto, UserQuery};
use super::rules::may_assign;
use super::store::{self, UserFilter};
use crate::audit::store::Who;
use crate::auth::{can, password, Actor, Allowed, PrincipalKind, Role};
use crate::error::ApiError;
use crate::http::{page_of, with_etag, IfMatch, JsonBody, Page, PageParams, QueryParams};
use crate::state::AppState;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_me)
        .service(change_my_password)
        .service(list_users)
        .service(create_user)
        .service(get_user)
        .service(update_user)
        .service(reset_password);
}

/// The signed-in account.
#[utoipa::path(tag = "users", responses((status = 200, body = UserDto)))]
#[get("/me")]
async fn get_me(actor: Actor, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if actor.kind != PrincipalKind::User {
        return Err(ApiError::forbidden());
    }
    let user = st.db.run(move |c| store::find_self(c, &actor.id)).await?;
    let version = user.version;
    Ok(with_etag(StatusCode::OK, &UserDto::from(user), version))
}

/// Changes the signed-in account's password. Every session of the account ends, this one
/// included: sign in again with the new password. Wrong current passwords count towards the
/// sign-in throttle.
#[utoipa::path(tag = "users", request_body = ChangePassword, responses((status = 204, description = "Changed")))]
#[post("/me/password")]
async fn change_my_password(actor: Actor, body: JsonBody<ChangePassword>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if actor.kind != PrincipalKind::User {
        return Err(ApiError::forbidden());
    }
    let input = body.0;
    let throttle_key = format!("password:{}", actor.id);
    if let Some(wait) = st.login_throttle.per_username.retry_after(&throttle_key) {
        return Err(ApiError::too_many_requests(wait));
    }
    let result = st
        .db
        .write(move |c| {
            let user = store::find_self(c, &actor.id)?;
            if !password::verify(&input.current_password, &user.password_hash) {
                return Err(ApiError::new(StatusCode::FORBIDDEN, "wrong_password"));
            }
            store::set_password(c, &Who::from(&actor), &user, &input.new_password, "password_change")
        })
        .await;
    if result.as_ref().is_err_and(|e| e.code == "wrong_password") {
        st.login_throttle.per_username.record_failure(&throttle_key);
    }
    result?;
    Ok(HttpResponse::NoContent().finish())
}

/// Accounts inside the caller's scope, by username.
#[utoipa::path(tag = "users", params(UserQuery), responses((status = 200, body = Page<UserDto>)))]
#[get("/users")]
async fn list_users(
    actor: Allowed<can::ReadUsers>,
    query: QueryParams<UserQuery>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let q = query.0;
    let page = PageParams { limit: q.limit, cursor: q.cursor.clone() };
    let (limit, after) = (page.limit(), page.after()?);
    let scope = actor.scope.clone();
    let rows = st
        .db
        .run(move |c| {
            let within_path = crate::units::store::path_within(c, &scope, q.within)?;
            let filter = UserFilter { within_path, role: q.role, active: q.active, q: q.q, after_username: after, limit };
            store::list(c, &scope, &filter)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page_of(rows, limit, |u| u.username.clone(), UserDto::from)))
}

/// Creates an account (admins anywhere; officers inside their subtree, never an admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses((status = 201, body = CreatedUser, headers(("ETag" = String), ("Location" = String))))
)]
#[post("/users")]
async fn create_user(
    actor: Allowed<can::ManageUsers>,
    body: JsonBody<CreateUser>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let (user, generated_password, created) = st.db.write(move |c| store::create(c, &actor, body.0)).await?;
    let location = format!("/api/v1/users/{}", user.id);
    let version = user.version;
    let mut res = crate::http::created(created, &CreatedUser { user: user.into(), generated_password }, version, &location);
    res.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(res)
}

/// One account inside the caller's scope.
#[utoipa::path(tag = "users", responses((status = 200, body = UserDto, headers(("ETag" = String)))))]
#[get("/users/{id}")]
async fn get_user(actor: Allowed<can::ReadUsers>, id: web::Path<uuid::Uuid>, st: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let scope = actor.scope.clone();
    let user = st.db.run(move |c| store::find(c, &scope, &id.to_string())).await?;
    let version = user.version;
    Ok(with_etag(StatusCode::OK, &UserDto::from(user), version))
}

/// Changes an account; needs `If-Match`. Deactivating it, or changing its role or unit, ends its
/// sessions.
#[utoipa::path(
    tag = "users",
    request_body = UpdateUser,
    params(("If-Match" = String, Header, description = "The ETag of the version being edited")),
    responses((status = 200, body = UserDto, headers(("ETag" = String))))
)]
#[patch("/users/{id}")]
async fn update_user(
    actor: Allowed<can::ManageUsers>,
    id: web::Path<uuid::Uuid>,
    if_match: IfMatch,
    body: JsonBody<UpdateUser>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let user = st.db.write(move |c| store::update(c, &actor, &id.to_string(), if_match.0, body.0)).await?;
    let version = user.version;
    Ok(with_etag(StatusCode::OK, &UserDto::from(user), version))
}

/// Sets a new password for an account (generated and shown once when none is given); the
/// account's sessions end.
#[utoipa::path(tag = "users", request_body = ResetPassword, responses((status = 200, body = PasswordReset)))]
#[post("/users/{id}/password")]
async fn reset_password(
    actor: Allowed<can::ManageUsers>,
    id: web::Path<uuid::Uuid>,
    body: JsonBody<ResetPassword>,
    st: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    let generated = st
        .db
        .write(move |c| {
            let user = store::find(c, &actor.scope, &id.to_string())?;
            // One's own password is changed with the current one, at /me/password.
            if user.id == actor.id {
                return Err(ApiError::new(StatusCode::FORBIDDEN, "self_change_forbidden"));
            }
            let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
            may_assign(&actor, role, user.unit_path.as_deref()).map_err(|_| ApiError::forbidden())?;
            let (secret, generated) = match input.new_password {
                Some(p) => (p, None),
                None => {
                    let p = password::generate_password();
                    (p.clone(), Some(p))
                }
            };
            store::set_password(c, &Who::from(&*actor), &user, &secret, "password_reset")?;
            Ok(generated)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(PasswordReset { generated_password: generated }))
}
