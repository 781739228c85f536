//! Text that reaches the portal is plain text: a NUL byte or another
//! control character (newline, carriage return and tab excepted) in a path,
//! a query, a JSON body or a form is refused with 422 naming the field,
//! before any handler or database sees it — the same on both backends
//! (PostgreSQL cannot store NUL; SQLite would store it silently). The text
//! fields of a `multipart/form-data` form (a file upload) are read as a
//! stream by their handler, which checks each with [`check_field`].

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use serde_json::Value;

use crate::error::AppError;

fn is_refused(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || c == '\u{7f}'
}

fn refused_in(text: &str) -> bool {
    text.chars().any(is_refused)
}

fn error(field: &str) -> AppError {
    AppError::validation(
        field,
        "제어 문자(NUL 등)는 입력할 수 없습니다. 줄바꿈과 탭만 쓸 수 있습니다.",
    )
}

/// Refuses a text field holding a control character, naming it.
pub fn check_field(field: &str, text: &str) -> Result<(), AppError> {
    if refused_in(text) {
        Err(error(field))
    } else {
        Ok(())
    }
}

/// The first field of a JSON document whose key or text holds a refused
/// character (`body` for the document itself).
fn check_json(value: &Value, field: &str) -> Result<(), String> {
    match value {
        Value::String(s) if refused_in(s) => Err(field.to_string()),
        Value::Array(items) => items.iter().try_for_each(|v| check_json(v, field)),
        Value::Object(map) => map.iter().try_for_each(|(k, v)| {
            if refused_in(k) {
                return Err(field.to_string());
            }
            check_json(v, k)
        }),
        _ => Ok(()),
    }
}

/// `next`, the page to return to after login, is not refused: it is
/// reduced to a safe same-site path (or the home page) where it is used.
const REDIRECT_FIELD: &str = "next";

fn check_pairs(pairs: &[(String, String)]) -> Result<(), String> {
    match pairs
        .iter()
        .filter(|(k, _)| k != REDIRECT_FIELD)
        .find(|(k, v)| refused_in(k) || refused_in(v))
    {
        Some((k, _)) => Err(k.clone()),
        None => Ok(()),
    }
}

/// Checks the decoded path and query, and JSON or form bodies of writes.
pub async fn refuse_control_characters<B: MessageBody>(
    mut req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    match check_request(&mut req).await {
        Ok(()) => Ok(next.call(req).await?.map_into_left_body()),
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

async fn check_request(req: &mut ServiceRequest) -> Result<(), actix_web::Error> {
    if refused_in(&percent_decode(req.path())) {
        return Err(error("path").into());
    }
    if let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string()) {
        check_pairs(&pairs).map_err(|f| error(&f))?;
    }
    let has_body = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let json = content_type.starts_with("application/json");
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if !(has_body && (json || form)) {
        return Ok(());
    }
    let body = req.extract::<Bytes>().await.map_err(|e| {
        let status = e.as_response_error().status_code();
        AppError::for_status(status).unwrap_or(AppError::BadRequest(e.to_string()))
    })?;
    let checked = if json {
        // Malformed JSON is the handler's to explain.
        serde_json::from_slice::<Value>(&body).map_or(Ok(()), |v| check_json(&v, "body"))
    } else {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .map_or(Ok(()), |pairs| check_pairs(&pairs))
    };
    req.set_payload(Payload::from(body));
    checked.map_err(|f| error(&f).into())
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_and_named() {
        assert!(refused_in("a\0b") && refused_in("\u{1b}[31m") && refused_in("x\u{7f}"));
        assert!(!refused_in("첫 줄\r\n둘째\t줄"));
        let doc = serde_json::json!({ "title": "ok", "attendees": ["a", "b\u{0}"] });
        assert_eq!(check_json(&doc, "body"), Err("attendees".into()));
        assert_eq!(
            check_json(&serde_json::json!({ "k": [1, "x"] }), "body"),
            Ok(())
        );
        assert_eq!(
            check_pairs(&[("topic".into(), "a\u{8}".into())]),
            Err("topic".into())
        );
    }

    #[test]
    fn paths_are_decoded_before_checking() {
        assert_eq!(percent_decode("/clubs/%00x"), "/clubs/\0x");
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/%ED%95%9C"), "/한");
    }
}
