//! Request logging with ids, and errors shown as JSON or as pages.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse, ResponseError};
use tera::Context;
use tracing::Instrument;

use crate::auth::csrf::CsrfToken;
use crate::auth::extractors::RequestId;
use crate::error::AppError;
use crate::password::random_hex;
use crate::state::AppState;

/// One log line per request, with an id that is also sent back in
/// `X-Request-Id` and attached to everything logged while handling it.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = random_hex(8);
    req.extensions_mut().insert(RequestId(id.clone()));
    let (method, path) = (req.method().clone(), req.path().to_string());
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id);
    let result = next.call(req).instrument(span).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(mut res) => {
            let status = res.status().as_u16();
            if let Ok(v) = header::HeaderValue::from_str(&id) {
                res.headers_mut()
                    .insert(header::HeaderName::from_static("x-request-id"), v);
            }
            tracing::info!(request_id = %id, %method, %path, status, ms = format!("{ms:.1}"), "request");
            Ok(res)
        }
        Err(e) => {
            tracing::warn!(request_id = %id, %method, %path, error = %e, ms = format!("{ms:.1}"), "request failed");
            Err(e)
        }
    }
}

/// Every error leaves as JSON under `/api` and as a page elsewhere;
/// a page that needs a login redirects to it.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // The API, the public Open Badges documents, and any client that asks
    // for JSON rather than a page (a script downloading an export), get
    // JSON errors.
    let wants_json = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json") && !v.contains("text/html"));
    let is_api = req.path().starts_with("/api/")
        || req.path().starts_with("/badges/v2/")
        || req.path().starts_with("/badges/v3/")
        || req.path() == "/healthz"
        || wants_json;
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let app_error = res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>());
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_api {
        if app_error.is_some() || res.headers().contains_key(header::CONTENT_TYPE) && !is_html {
            return Ok(res);
        }
        let Some(error) = AppError::for_status(status) else {
            return Ok(res);
        };
        let mut json = HttpResponse::build(status).json(error.body());
        copy_allow_header(&res, &mut json);
        return Ok(res.into_response(json));
    }
    if is_html && app_error.is_none() {
        return Ok(res); // a page that rendered its own error (e.g. a form)
    }
    let (req, res) = res.into_parts();
    let owned;
    let error = match app_error_of(&res) {
        Some(e) => e,
        None => {
            owned = AppError::for_status(status)
                .unwrap_or(AppError::Internal(anyhow::anyhow!("{status}")));
            &owned
        }
    };
    if matches!(error, AppError::Unauthorized) {
        // A form sent after the session ended comes back to the page it
        // was on (its text is kept by assets/js/app.js); anything else to
        // where it was going.
        let target = crate::http::same_site_referer(&req)
            .filter(|_| req.method() != actix_web::http::Method::GET)
            .unwrap_or_else(|| match req.query_string() {
                "" => req.path().to_string(),
                q => format!("{}?{q}", req.path()),
            });
        let location = format!("/login?next={}", percent_encode(&target));
        let redirect = HttpResponse::SeeOther()
            .insert_header((header::LOCATION, location))
            .finish();
        return Ok(ServiceResponse::new(req, redirect));
    }
    let page = error_page(&req, error, status);
    Ok(ServiceResponse::new(req, page))
}

fn app_error_of(res: &HttpResponse<BoxBody>) -> Option<&AppError> {
    res.error().and_then(|e| e.as_error::<AppError>())
}

fn copy_allow_header(from: &ServiceResponse<BoxBody>, to: &mut HttpResponse) {
    if let Some(allow) = from.headers().get(header::ALLOW) {
        to.headers_mut().insert(header::ALLOW, allow.clone());
    }
}

fn error_page(req: &actix_web::HttpRequest, error: &AppError, status: StatusCode) -> HttpResponse {
    let status = if status.is_client_error() || status.is_server_error() {
        status
    } else {
        error.status_code()
    };
    let mut ctx = Context::new();
    ctx.insert("status", &status.as_u16());
    ctx.insert("message", &error.message(crate::i18n::current()));
    ctx.insert(
        "request_id",
        &req.extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default(),
    );
    if let Some(csrf) = req.extensions().get::<CsrfToken>() {
        ctx.insert("csrf_token", &csrf.0);
    }
    ctx.insert("asset_version", env!("CARGO_PKG_VERSION"));
    ctx.insert("lang", crate::i18n::current().code());
    if let Some(back) = crate::http::same_site_referer(req) {
        ctx.insert("back", &back);
    }
    let html = req
        .app_data::<web::Data<AppState>>()
        .and_then(|s| s.templates.render("errors/error.html", &ctx).ok())
        .unwrap_or_else(|| {
            format!(
                "<!doctype html><html lang=\"ko\"><title>오류</title><p>{}</p></html>",
                status.as_u16()
            )
        });
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html)
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
