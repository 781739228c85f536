//! The browser's session: a JWT in an HttpOnly cookie, renewed while the
//! person is active. A page answered in the second half of the token's
//! life carries a fresh token, so that someone at work is never logged out
//! mid-form; an hour (`auth.token_ttl_minutes`) without a request still
//! ends the session. The fresh token keeps the session version, so logout
//! and a password change still end it everywhere.

use actix_web::body::MessageBody;
use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};

use super::extractors::SESSION_COOKIE;
use crate::state::AppState;
use crate::tokens::jwt::Claims;

/// The session cookie for a token.
pub fn cookie(state: &AppState, req: &HttpRequest, token: String) -> Cookie<'static> {
    cookie_for(state, &req.connection_info(), token)
}

fn cookie_for(
    state: &AppState,
    connection: &actix_web::dev::ConnectionInfo,
    token: String,
) -> Cookie<'static> {
    let secure = super::csrf::secure_cookies(state.settings.auth.cookie_secure, connection);
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time::Duration::seconds(state.jwt.ttl().num_seconds()))
        .finish()
}

/// Renews the session cookie of a page answered well in the second half
/// of its token's life. Only a page that knew its user renews, with the
/// claims its `CurrentUser` checked (signature, expiry, session version),
/// so this costs no second check; an answer that sets the cookie itself
/// (login, logout, a password change) is left alone. Never the assets,
/// which shared caches may keep, nor the API, which takes bearer tokens.
pub async fn renew(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let page = !(req.path().starts_with("/assets/") || req.path().starts_with("/api/"));
    let mut res = next.call(req).await?;
    let answered_well = res.status().is_success() || res.status().is_redirection();
    if !(page && answered_well) {
        return Ok(res);
    }
    let claims = res.request().extensions().get::<Claims>().cloned();
    let state = res.request().app_data::<web::Data<AppState>>().cloned();
    let (Some(claims), Some(state)) = (claims, state) else {
        return Ok(res);
    };
    let left = claims.exp - state.clock.now().timestamp();
    let sets_its_own = res
        .headers()
        .get_all(header::SET_COOKIE)
        .any(|v| v.to_str().is_ok_and(|v| v.starts_with(SESSION_COOKIE)));
    if left >= state.jwt.ttl().num_seconds() / 2 || sets_its_own {
        return Ok(res);
    }
    if let Ok(token) = state.jwt.issue(&claims.sub, claims.ver, &*state.clock) {
        let cookie = cookie_for(&state, &res.request().connection_info(), token);
        if let Ok(value) = header::HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    Ok(res)
}
