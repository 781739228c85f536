//! CSRF protection for the web forms: a random token in a SameSite=Strict
//! cookie, repeated in a hidden field of every form (double submit). A
//! cross-site page can neither read the cookie nor set the field.

use std::future::{ready, Ready};

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::AppError;
use crate::password::random_hex;
use crate::state::AppState;

pub const CSRF_COOKIE: &str = "dongari_csrf";
pub const CSRF_FIELD: &str = "csrf_token";

/// Whether cookies go out `Secure`: always when configured, and whenever
/// the request came over TLS (directly, or as a proxy's `Forwarded` or
/// `X-Forwarded-Proto` says).
pub fn secure_cookies(cookie_secure: bool, connection: &actix_web::dev::ConnectionInfo) -> bool {
    cookie_secure || connection.scheme() == "https"
}

/// The token to put in a form's hidden `csrf_token` field.
#[derive(Debug, Clone)]
pub struct CsrfToken(pub String);

/// Gives every page request a token, setting the cookie on first visit.
pub async fn ensure_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.path().starts_with("/api/") || req.path().starts_with("/assets/") {
        return next.call(req).await;
    }
    let existing = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64);
    let fresh = existing.is_none();
    let token = existing.unwrap_or_else(|| random_hex(32));
    req.extensions_mut().insert(CsrfToken(token.clone()));
    let configured = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.settings.auth.cookie_secure);
    let secure = secure_cookies(configured, &req.connection_info());
    let mut res = next.call(req).await?;
    if fresh {
        let cookie = Cookie::build(CSRF_COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Strict)
            .finish();
        if let Ok(value) = header::HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(res)
}

impl FromRequest for CsrfToken {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<CsrfToken>()
                .cloned()
                .ok_or(AppError::Csrf),
        )
    }
}

/// A url-encoded form whose `csrf_token` field matched the cookie.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let expected = req.cookie(CSRF_COOKIE).map(|c| c.value().to_string());
        let is_form = req
            .content_type()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded");
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_form {
                return Err(AppError::UnsupportedMediaType(
                    "expected a url-encoded form".into(),
                ));
            }
            let body =
                body.await
                    .map_err(|e| match e.as_response_error().status_code().as_u16() {
                        413 => AppError::PayloadTooLarge,
                        _ => AppError::BadRequest(e.to_string()),
                    })?;
            let sent = serde_urlencoded::from_bytes::<TokenField>(&body)
                .ok()
                .and_then(|f| f.csrf_token);
            match (expected, sent) {
                (Some(expected), Some(sent))
                    if constant_time_eq(expected.as_bytes(), sent.as_bytes()) => {}
                _ => return Err(AppError::Csrf),
            }
            serde_urlencoded::from_bytes::<T>(&body)
                .map(CsrfForm)
                .map_err(|e| AppError::BadRequest(format!("form: {e}")))
        })
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
