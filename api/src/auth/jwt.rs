//! Access tokens: short-lived HS256 JWTs carrying the role and the scope, so a request is
//! authorised without a database read. Refresh tokens are opaque and live in the database.

use chrono::Utc;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::identity::{PrincipalKind, Role};
use crate::error::ApiError;

const ISSUER: &str = "hoagiai";

/// A request's token once checked (`JwtKeys::decode_for`). A request carries one token.
struct Checked(Claims);

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    /// User id or API client id.
    pub sub: String,
    pub kind: PrincipalKind,
    pub role: Role,
    /// The scope unit's id and path; absent for national scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The level of the scope unit (`commune`, …): personal data is shown at commune level and below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lvl: Option<String>,
    /// The mediator record of a team leader or mediator account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub med: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

/// What a token is issued for.
pub struct Subject<'a> {
    pub id: &'a str,
    pub kind: PrincipalKind,
    pub role: Role,
    pub unit_id: Option<&'a str>,
    pub unit_path: Option<&'a str>,
    pub unit_level: Option<&'a str>,
    pub mediator_id: Option<&'a str>,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> JwtKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 5;
        JwtKeys { encoding: EncodingKey::from_secret(secret), decoding: DecodingKey::from_secret(secret), validation }
    }

    pub fn issue(&self, subject: &Subject<'_>, ttl_secs: i64) -> Result<String, ApiError> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            iss: ISSUER.into(),
            sub: subject.id.to_string(),
            kind: subject.kind,
            role: subject.role,
            unit: subject.unit_id.map(str::to_string),
            path: subject.unit_path.map(str::to_string),
            lvl: subject.unit_level.map(str::to_string),
            med: subject.mediator_id.map(str::to_string),
            iat: now,
            exp: now + ttl_secs,
            jti: uuid::Uuid::new_v4().to_string(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(|_| ApiError::internal())
    }

    /// The claims of the request's bearer token, checked once per request: the first to check it
    /// (the idempotency layer, which needs the key's owner before the handler runs) keeps them on
    /// the request for the handler's actor. Checking a token was a seventh of the HTTP thread's
    /// samples in a profile of case creates, when it was done twice.
    pub fn decode_for(&self, extensions: &mut actix_web::dev::Extensions, token: &str) -> Result<Claims, ApiError> {
        if let Some(Checked(claims)) = extensions.get::<Checked>() {
            return Ok(claims.clone());
        }
        let claims = self.decode(token)?;
        extensions.insert(Checked(claims.clone()));
        Ok(claims)
    }

    pub fn decode(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation).map(|d| d.claims).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => ApiError::unauthorized("token_expired"),
            _ => ApiError::unauthorized("invalid_token"),
        })
    }
}
