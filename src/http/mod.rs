//! What every handler answers with: pages rendered with their status, form
//! errors beside their fields, redirects, downloads, paged lists, CSV
//! uploads, and the answers to malformed bodies. It knows no domain and no
//! signed-in person, so every domain can use it.

pub mod csv_upload;
pub mod paging;
pub mod plain_text;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use tera::Context;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A validation error becomes `{field: message}` for a form's template (a
/// conflict goes on top, under `form`); any other error goes on to the
/// error page.
pub fn field_errors(e: AppError) -> AppResult<std::collections::HashMap<String, String>> {
    use crate::i18n::said;
    match e {
        AppError::Validation { field, message } => {
            Ok(std::collections::HashMap::from([(field, said(&message))]))
        }
        AppError::Invalid(problems) => Ok(problems
            .into_iter()
            .map(|p| (p.field, said(&p.message)))
            .collect()),
        AppError::Conflict(_) => Ok(std::collections::HashMap::from([(
            "form".to_string(),
            e.message(crate::i18n::current()),
        )])),
        other => Err(other),
    }
}

/// A whole number from a form field, or none when empty; a message naming
/// the field otherwise.
pub fn optional_form_number<T: std::str::FromStr>(field: &str, text: &str) -> AppResult<Option<T>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|_| AppError::validation(field, "정수로 적어 주세요 (소수점 없이)."))
}

pub fn form_number<T: std::str::FromStr>(field: &str, text: &str) -> AppResult<T> {
    optional_form_number(field, text)?
        .ok_or_else(|| AppError::validation(field, "값을 적어 주세요."))
}

/// A page re-rendered with errors answers 422; without, 200.
pub fn status_of(errors: &std::collections::HashMap<String, String>) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub fn render(state: &AppState, template: &str, ctx: &Context) -> AppResult<HttpResponse> {
    render_with_status(state, template, ctx, StatusCode::OK)
}

pub fn render_with_status(
    state: &AppState,
    template: &str,
    ctx: &Context,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let html = state.templates.render(template, ctx)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// `GET /healthz`: 200 when the database answers, 503 otherwise.
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let backend = state.backend;
    let checked = state
        .db(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("SELECT 1").map_err(AppError::from)
        })
        .await;
    match checked {
        Ok(()) => {
            HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "database": backend }))
        }
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "unavailable", "database": backend }))
        }
    }
}

pub async fn not_found() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

/// Malformed or oversized JSON names the problem instead of a bare 400.
pub fn json_error(err: actix_web::error::JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    match err {
        E::OverflowKnownLength { .. } | E::Overflow { .. } => AppError::PayloadTooLarge,
        E::ContentType => {
            AppError::UnsupportedMediaType("expected Content-Type: application/json".into())
        }
        E::Deserialize(e) => AppError::BadRequest(format!("invalid JSON body: {e}")),
        other => AppError::BadRequest(format!("invalid JSON body: {other}")),
    }
    .into()
}

pub fn form_error(err: actix_web::error::UrlencodedError, _: &HttpRequest) -> actix_web::Error {
    use actix_web::error::UrlencodedError as E;
    match err {
        E::Overflow { .. } => AppError::PayloadTooLarge,
        E::ContentType => AppError::UnsupportedMediaType("expected a url-encoded form".into()),
        other => AppError::BadRequest(format!("invalid form: {other}")),
    }
    .into()
}

/// Only a same-site path made of plain URL characters is followed (after
/// login, after switching the language); anything else (another host, a
/// scheme, a tab or any control character that a URL parser would skip)
/// goes to the home page.
pub fn same_site_path(next: Option<&str>) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-._~/?=&%+#".contains(c);
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && n.chars().all(plain) => {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The path and query of the page a request came from, when it was a
/// page of this site (the login's `next` check still applies).
pub fn same_site_referer(req: &HttpRequest) -> Option<String> {
    let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
    let host = req.connection_info().host().to_string();
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?
        .strip_prefix(host.as_str())?;
    rest.starts_with('/').then(|| rest.to_string())
}

/// A file to save: its type, the name the browser offers, the bytes.
pub fn download(content_type: &str, filename: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
}

/// 303 to `location`: where a form goes after it succeeded.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
