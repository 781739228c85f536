//! A CSV file sent to the API as the request body: the content type it
//! must have, and the answer when its lines are wrong (422, each line's
//! problem, nothing written).

use actix_web::{HttpRequest, HttpResponse};

use crate::error::{AppError, AppResult, ErrorBody, LineProblem};

/// Refuses a body that is not `text/csv` (or `text/plain`) with a 415.
pub fn require_csv(req: &HttpRequest) -> AppResult<()> {
    let is_csv = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let essence = v.split(';').next().unwrap_or("").trim();
            essence.eq_ignore_ascii_case("text/csv") || essence.eq_ignore_ascii_case("text/plain")
        });
    if is_csv {
        Ok(())
    } else {
        Err(AppError::UnsupportedMediaType(
            "expected Content-Type: text/csv".into(),
        ))
    }
}

/// 422 naming every wrong line; the file's field is `file`.
pub fn invalid_lines<L: Into<LineProblem>>(lines: Vec<L>, nothing_done: &str) -> HttpResponse {
    HttpResponse::UnprocessableEntity().json(ErrorBody {
        status: 422,
        error: "validation_failed".into(),
        message: format!("{} problem(s) in the file; {nothing_done}", lines.len()),
        field: Some("file".into()),
        lines: Some(
            lines
                .into_iter()
                .map(|line| {
                    let problem: LineProblem = line.into();
                    LineProblem {
                        message: crate::i18n::message(crate::i18n::Lang::En, &problem.message),
                        ..problem
                    }
                })
                .collect(),
        ),
        errors: None,
    })
}
