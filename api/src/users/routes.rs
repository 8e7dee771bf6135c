use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{ChangePassword, CreateUser, CreatedUser, PasswordReset, ResetPassword, UpdateUser, UserDto, UserQuery};
use super::rules::{may_assign, new_password_off_thread};
use super::store::{self, UserFilter};
use crate::audit::store::Who;
use crate::auth::{can, password, Actor, Allowed, PrincipalKind, Role};
use crate::command::{Answer, Command};
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
async fn change_my_password(
    actor: Actor,
    body: JsonBody<ChangePassword>,
    st: web::Data<AppState>,
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    if actor.kind != PrincipalKind::User {
        return Err(ApiError::forbidden());
    }
    let input = body.0;
    let throttle = &st.login_throttle.per_username;
    let throttle_key = format!("password:{}", actor.id);
    throttle.reserve(&throttle_key).map_err(ApiError::too_many_requests)?;
    // Released unless the current password turns out wrong (then it counts as a failure).
    struct Attempt<'a>(&'a crate::auth::throttle::Throttle, &'a str, bool);
    impl Drop for Attempt<'_> {
        fn drop(&mut self) {
            if self.2 {
                self.0.fail(self.1)
            } else {
                self.0.release(self.1)
            }
        }
    }
    let mut attempt = Attempt(throttle, &throttle_key, false);
    // Read, check the current password and hash the new one outside any transaction; then the
    // short write.
    let id = actor.id.clone();
    let user = st.db.run(move |c| store::find_self(c, &id)).await?;
    let (current, stored) = (input.current_password, user.password_hash.clone());
    if !web::block(move || password::verify(&current, &stored)).await.map_err(|_| ApiError::unavailable())? {
        attempt.2 = true;
        return Err(ApiError::new(StatusCode::FORBIDDEN, "wrong_password"));
    }
    drop(attempt);
    let new = new_password_off_thread("new_password", Some(input.new_password), user.username.clone(), user.display_name.clone()).await?;
    cmd.run(move |c| {
        store::set_password(c, &Who::from(&actor), &user, &new.hash, "password_change")?;
        Ok(Answer::no_content())
    })
    .await
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
async fn create_user(actor: Allowed<can::ManageUsers>, body: JsonBody<CreateUser>, cmd: Command) -> Result<HttpResponse, ApiError> {
    let mut input = body.0;
    // Checked and hashed before the transaction: the writer is never held while hashing.
    let new = new_password_off_thread("password", input.password.take(), input.username.clone(), input.display_name.clone()).await?;
    cmd.run(move |c| {
        let (user, generated_password, created) = store::create(c, &actor, input, new)?;
        let location = format!("/api/v1/users/{}", user.id);
        let version = user.version;
        // A generated password is in this answer only: never cached, never kept for a replay.
        Answer::created(created, &CreatedUser { user: user.into(), generated_password }, version, &location)?
            .with_header(header::CACHE_CONTROL, "no-store")
    })
    .await
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
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    // A deactivation (or reactivation) is what the token check must learn at once.
    let activity = body.0.active;
    let user_id = id.to_string();
    let res = cmd
        .run(move |c| {
            let user = store::update(c, &actor, &id.to_string(), if_match.0, body.0)?;
            let version = user.version;
            Answer::record(&UserDto::from(user), version)
        })
        .await?;
    // Committed: its tokens stop here at once (other instances: within the recheck).
    if let Some(active) = activity {
        st.principals.set(&user_id, active);
    }
    Ok(res)
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
    cmd: Command,
) -> Result<HttpResponse, ApiError> {
    let input = body.0;
    // Who may reset it, and the account's names for the strength check: a read. Then the new
    // password is checked and hashed outside any transaction, and the write repeats the checks.
    let allowed = |actor: &crate::auth::Actor, user: &crate::users::model::User| {
        // One's own password is changed with the current one, at /me/password.
        if user.id == actor.id {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "self_change_forbidden"));
        }
        let role = Role::parse(&user.role).unwrap_or(Role::Viewer);
        may_assign(actor, role, user.unit_path.as_deref()).map_err(|_| ApiError::forbidden())
    };
    let (scope, user_id) = (actor.scope.clone(), id.to_string());
    let user = st.db.run(move |c| store::find(c, &scope, &user_id)).await?;
    allowed(&actor, &user)?;
    let new = new_password_off_thread("new_password", input.new_password, user.username.clone(), user.display_name.clone()).await?;
    cmd.run(move |c| {
        let user = store::find(c, &actor.scope, &id.to_string())?;
        allowed(&actor, &user)?;
        store::set_password(c, &Who::from(&*actor), &user, &new.hash, "password_reset")?;
        Answer::json(StatusCode::OK, &PasswordReset { generated_password: new.generated })?.with_header(header::CACHE_CONTROL, "no-store")
    })
    .await
}
