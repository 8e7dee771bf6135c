//! Builds the application: state, routes, middleware. `main.rs` and the tests both use it.

use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App};
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::http::KnownRoutes;
use crate::state::AppState;

/// Registers every API route on a utoipa app, so the document and the router come from one list.
fn routes<T>(app: utoipa_actix_web::UtoipaApp<T>) -> utoipa_actix_web::UtoipaApp<T>
where
    T: ServiceFactory<ServiceRequest, Config = (), Error = actix_web::Error, InitError = ()>,
{
    app.service(
        scope::scope("/api/v1")
            .configure(crate::auth::routes::configure)
            .configure(crate::users::routes::configure)
            .configure(crate::units::routes::configure)
            .configure(crate::teams::routes::configure)
            .configure(crate::trainings::routes::configure)
            .configure(crate::funding::routes::configure)
            .configure(crate::review::routes::configure)
            .configure(crate::mediators::routes::configure)
            .configure(crate::cases::routes::configure)
            .configure(crate::logbook::routes::configure)
            .configure(crate::attachments::routes::configure)
            .configure(crate::elections::routes::configure)
            .configure(crate::privacy::routes::configure)
            .configure(crate::stats::routes::configure)
            .configure(crate::api_clients::routes::configure)
            .configure(crate::audit::routes::configure)
            .configure(crate::meta::routes::configure),
    )
    .service(crate::health::healthz)
    .service(crate::health::readyz)
    .service(crate::health::metrics)
}

/// The OpenAPI document of the routes, with the security and problems every operation shares (the
/// router's list of known routes comes from it).
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    use utoipa::OpenApi;
    let (_, mut doc) = routes(App::new().into_utoipa_app().openapi(crate::openapi::ApiDoc::openapi())).split_for_parts();
    crate::openapi::apply_conventions(&mut doc);
    doc
}

/// The document as served at `/openapi.json`, committed in `openapi/openapi.json` and printed by
/// `hoagiai openapi`: the routes' document completed with the contract every client needs.
pub fn openapi_json() -> serde_json::Value {
    let mut json = serde_json::to_value(openapi_document()).expect("the OpenAPI document serialises");
    crate::openapi::contract::complete(&mut json);
    json
}

/// Everything one HTTP worker needs, computed once.
#[derive(Clone)]
pub struct Shared {
    pub state: web::Data<AppState>,
    pub doc: Arc<serde_json::Value>,
    pub known_routes: web::Data<KnownRoutes>,
}

impl Shared {
    pub fn new(state: AppState) -> Shared {
        let known_routes = web::Data::new(KnownRoutes::from_openapi(&openapi_document()));
        Shared { known_routes, doc: Arc::new(openapi_json()), state: web::Data::new(state) }
    }
}

pub fn build(
    shared: &Shared,
) -> App<
    impl ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error, InitError = ()>,
> {
    let config = shared.state.config.clone();
    let (app, _) = routes(App::new().into_utoipa_app()).split_for_parts();
    app.app_data(shared.state.clone())
        .app_data(shared.known_routes.clone())
        // Bodies read by actix's own extractors (the token form) are capped like JSON bodies.
        .app_data(web::PayloadConfig::new(config.body_limit))
        // An id that cannot be an id names no record.
        // An id that cannot be an id names no record; a route's own word in its place
        // (`PATCH /trainings/coverage`) names a route that does not take the method.
        .app_data(web::PathConfig::default().error_handler(|_, req| {
            req.app_data::<web::Data<KnownRoutes>>()
                .and_then(|routes| routes.method_not_allowed(req.path(), req.method()))
                .unwrap_or_else(crate::error::ApiError::not_found)
                .into()
        }))
        .service(SwaggerUi::new("/docs/{_:.*}").external_url_unchecked("/openapi.json", (*shared.doc).clone()))
        .service(web::redirect("/docs", "/docs/"))
        .default_service(web::to(crate::client::serve))
        // Inner first: problems are re-rendered before the headers every response gets are added.
        .wrap(from_fn(crate::middleware::localize_problems))
        // Outside the localisation, so a replay repeats the answer exactly as it was sent.
        .wrap(from_fn(crate::idempotency::idempotency))
        // Before anything reads the request; inside the headers every response gets.
        .wrap(from_fn(crate::middleware::refuse_control_characters))
        // HEAD routed as GET, and 304 for a tag the caller holds, whichever handler answered.
        .wrap(from_fn(crate::middleware::head_and_conditional_get))
        .wrap(from_fn(crate::middleware::security_headers))
        .wrap(cors(&config.cors_origins))
        // The request's span, inside the id it is given.
        .wrap(tracing_actix_web::TracingLogger::<crate::middleware::RequestSpan>::new())
        .wrap(from_fn(crate::middleware::request_id_and_log))
        .wrap(Compress::default())
}

/// CORS for the configured dashboard origins; with none configured, no cross-origin access.
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"])
        // Every request header the API guide invites a caller to send.
        .allowed_headers([
            "authorization",
            "content-type",
            "accept",
            "if-match",
            "if-none-match",
            "idempotency-key",
            "accept-language",
            "x-request-id",
        ])
        .expose_headers(["etag", "location", "retry-after", "x-request-id", "idempotency-replayed"])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}
