//! Who is calling and what they may do: roles, tokens, passwords, the `Actor` extractor that
//! every protected handler takes, the policy table, and the unit scope that store queries filter by.

pub mod dto;
pub mod identity;
pub mod jwt;
pub mod password;
pub mod policy;
pub mod principals;
pub mod routes;
pub mod session;
pub mod throttle;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::db::area::{Area, Condition, TextColumn};
use crate::error::ApiError;
use crate::state::AppState;
pub use identity::{PrincipalKind, Role};
pub use policy::{can, Action, Permission};

/// A place in the unit tree and everything below it, with the subtrees it inherited from the
/// units that merged into it (`crate::db::area`). `None` is the whole country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    /// The scope unit's own path.
    pub path: Option<String>,
    /// Its own subtree and its predecessors'; `None` with `path`.
    pub area: Option<Area>,
}

impl Scope {
    pub fn national() -> Scope {
        Scope { path: None, area: None }
    }

    /// A unit's scope with the area it answers for today.
    pub fn of(path: &str, area: Area) -> Scope {
        Scope { path: Some(path.to_string()), area: Some(area) }
    }

    /// A unit's own subtree only, for the system's own work on one unit.
    pub fn subtree(path: &str) -> Scope {
        Scope::of(path, Area::subtree(path))
    }

    /// Whether a record kept at `path` (None: a national record) lies inside this scope.
    pub fn covers(&self, path: Option<&str>) -> bool {
        match (&self.area, path) {
            (None, _) => true,
            (Some(area), Some(p)) => area.covers(p),
            (Some(_), None) => false,
        }
    }

    /// The condition a store query adds for a path column; `None` means no filter (national).
    pub fn contains<QS: 'static, C: TextColumn<QS>>(&self, column: C) -> Option<Condition<QS>> {
        self.area.as_ref().map(|a| a.contains(column))
    }

    /// The condition for a column that names a unit by id (`Area::contains_unit`); `None`: no filter.
    pub fn contains_unit<QS: 'static, C: TextColumn<QS>>(&self, column: C) -> Option<Condition<QS>> {
        self.area.as_ref().map(|a| a.contains_unit(column))
    }
}

/// The authenticated caller, from a valid bearer token. Taking it as a handler argument is what
/// makes a route protected; `require` checks the policy table.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: String,
    pub kind: PrincipalKind,
    pub role: Role,
    pub unit_id: Option<String>,
    pub scope: Scope,
    /// The level of the scope unit; `None` for national scope.
    pub unit_level: Option<String>,
    /// For team leaders and mediators: their mediator record.
    pub mediator_id: Option<String>,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn require(&self, action: Action) -> Result<(), ApiError> {
        if policy::allows(self.role, action) {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether the parties' personal data may be shown to this caller. The law keeps it with
    /// those who mediate or supervise the case: the team and the commune (officers and viewers
    /// scoped to a commune or a village). Administrators and district, province or national
    /// scopes see statistics, not people.
    pub fn sees_party_details(&self) -> bool {
        match self.role {
            Role::TeamLeader | Role::Mediator => true,
            Role::Officer | Role::Viewer => matches!(self.unit_level.as_deref(), Some("commune" | "village")),
            Role::Admin | Role::Stats => false,
        }
    }

    /// The system acting (CLI commands, demo seeding): an administrator with national scope.
    pub fn system() -> Actor {
        Actor {
            id: "system".into(),
            kind: PrincipalKind::System,
            role: Role::Admin,
            unit_id: None,
            scope: Scope::national(),
            unit_level: None,
            mediator_id: None,
            request_id: None,
        }
    }
}

/// An actor whose role allows `P`, checked while the request is read: a caller without the
/// permission gets 403 before its body is even parsed. Protected handlers take this (or `Actor`
/// where every role may call, scope doing the rest).
pub struct Allowed<P: Permission>(pub Actor, std::marker::PhantomData<P>);

impl<P: Permission> std::ops::Deref for Allowed<P> {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.0
    }
}

impl<P: Permission> FromRequest for Allowed<P> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let actor = actor_from_request(&req).await?;
            actor.require(P::ACTION)?;
            Ok(Allowed(actor, std::marker::PhantomData))
        })
    }
}

/// The request id set by the request-id middleware, for audit rows.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { actor_from_request(&req).await })
    }
}

/// The actor of a valid token whose user is still active (or client not revoked). That second
/// question is answered from memory and read again every `HOAGIAI_PRINCIPAL_RECHECK_SECS`, so a
/// deactivation stops the account's tokens within that time rather than at their expiry.
async fn actor_from_request(req: &HttpRequest) -> Result<Actor, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(ApiError::internal)?.clone();
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(crate::http::bearer_token)
        .ok_or_else(|| ApiError::unauthorized("unauthenticated"))?;
    let claims = state.keys.decode_for(&mut req.extensions_mut(), token)?;
    // Machine clients share the server with people: each gets its own rate.
    if claims.kind == PrincipalKind::Client {
        state.client_limiter.take(&claims.sub).map_err(ApiError::too_many_requests)?;
    }
    if !state.principals.check(&state.db, claims.kind, &claims.sub).await? {
        return Err(ApiError::unauthorized("token_revoked"));
    }
    let request_id = req.extensions().get::<RequestId>().map(|r| r.0.clone());
    // The scope unit answers for its predecessors' records too (a merged commune carries on their cases).
    let scope = match (&claims.unit, claims.path) {
        (Some(unit), Some(path)) => {
            let area = state.areas.of(&state.db, unit, &path).await?;
            Scope::of(&path, area)
        }
        (_, Some(path)) => Scope::subtree(&path),
        (_, None) => Scope::national(),
    };
    Ok(Actor {
        id: claims.sub,
        kind: claims.kind,
        role: claims.role,
        unit_id: claims.unit,
        scope,
        unit_level: claims.lvl,
        mediator_id: claims.med,
        request_id,
    })
}
