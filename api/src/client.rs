//! The phone client (`client/`), embedded in the binary and served at `/`, so one command brings
//! up everything. Files are answered with an ETag of their content (a repeat load costs a 304)
//! and a strict Content-Security-Policy: no inline script, nothing from elsewhere.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

use crate::error::ApiError;
use crate::http::KnownRoutes;

#[derive(RustEmbed)]
#[folder = "../client/"]
#[exclude = "node_modules/*"]
#[exclude = "tests/*"]
#[exclude = "test-results/*"]
#[exclude = "screenshots/*"]
#[exclude = "test-artifacts/*"]
#[exclude = "package*.json"]
#[exclude = "*.config.*"]
#[exclude = "tsconfig.json"]
struct ClientFiles;

/// The policy for the client's pages. `connect-src` allows the page's own origin only; a client
/// served from elsewhere talks to this API through CORS (`HOAGIAI_CORS_ORIGINS`).
pub const CLIENT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
    connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Serves a client file, or falls through to the API's 404/405.
pub async fn serve(req: HttpRequest, routes: web::Data<KnownRoutes>) -> Result<HttpResponse, ApiError> {
    let path = req.path().trim_start_matches('/');
    let path = if path.is_empty() { "index.html" } else { path };
    let Some(file) =
        ClientFiles::get(path).filter(|_| req.method() == actix_web::http::Method::GET || req.method() == actix_web::http::Method::HEAD)
    else {
        return crate::http::fallback(req, routes).await;
    };
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..12]));
    // A tag the phone holds gets 304 from `middleware::head_and_conditional_get`.
    let mut res = HttpResponse::Ok();
    res.insert_header((header::ETAG, etag))
        // Revalidate every time: an update of the server must reach phones on their next load.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CLIENT_CSP));
    if path == "sw.js" {
        res.insert_header(("Service-Worker-Allowed", "/"));
    }
    let mime = file.metadata.mimetype();
    let mime = if mime.starts_with("text/") || mime.contains("javascript") || mime.contains("json") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    res.insert_header((header::CONTENT_TYPE, HeaderValue::from_str(&mime).map_err(|_| ApiError::internal())?));
    Ok(res.body(file.data.into_owned()))
}
