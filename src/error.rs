//! One error type. The API answers it as JSON with an English message;
//! `web::error_pages` turns the same error into a page in the reader's
//! language (or a login redirect) outside `/api`. Messages are written in
//! Korean and read in English from the catalog (`i18n::catalog`).

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::i18n::catalog::{self, Lang};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("login required")]
    Unauthorized,
    /// Wrong password and unknown employee number look the same.
    #[error("invalid employee number or password")]
    InvalidCredentials,
    #[error("too many failed logins; try again later")]
    TooManyAttempts { retry_after_secs: i64 },
    #[error("you do not have permission for this")]
    Forbidden,
    #[error("the form's security token is missing or invalid")]
    Csrf,
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// Several fields wrong at once (a form's checks, gathered by `Checks`).
    #[error("{}", .0.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldProblem>),
    #[error("{0}")]
    BadRequest(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body is too large")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The JSON body of every API error.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub status: u16,
    /// A stable code such as `validation_failed` or `forbidden`.
    pub error: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For a file: every bad line (nothing of the file was written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<LineProblem>>,
    /// When several fields are wrong: each of them (`field` names the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldProblem>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// A form's field checks gathered, so that it names every wrong field at
/// once: each result goes through `take`, then `done` answers the problems
/// (one: a plain validation error). A field keeps its first problem.
#[derive(Debug, Default)]
pub struct Checks(Vec<FieldProblem>);

impl Checks {
    /// The value; or, for a field's problem, None with the problem noted.
    /// Any other error goes on at once.
    pub fn take<T>(&mut self, result: AppResult<T>) -> AppResult<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(AppError::Validation { field, message }) => {
                self.note(FieldProblem { field, message });
                Ok(None)
            }
            Err(AppError::Invalid(problems)) => {
                problems.into_iter().for_each(|p| self.note(p));
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    pub fn has_problems(&self) -> bool {
        !self.0.is_empty()
    }

    /// A problem found by the form itself.
    pub fn problem(&mut self, field: &str, message: impl Into<String>) {
        self.note(FieldProblem {
            field: field.to_string(),
            message: message.into(),
        });
    }

    fn note(&mut self, problem: FieldProblem) {
        if !self.0.iter().any(|p| p.field == problem.field) {
            self.0.push(problem);
        }
    }

    pub fn done(mut self) -> AppResult<()> {
        match self.0.len() {
            0 => Ok(()),
            1 => {
                let FieldProblem { field, message } = self.0.remove(0);
                Err(AppError::Validation { field, message })
            }
            _ => Err(AppError::Invalid(self.0)),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LineProblem {
    /// The line of the file (1 is the header).
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl AppError {
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// Maps a unique-key violation of one statement to a 409 that says which
    /// rule it broke: `.map_err(AppError::unique_as("이미 이 동아리의 회원입니다."))`.
    /// The database constraint is the guard; this is its message.
    pub fn unique_as(message: &'static str) -> impl Fn(diesel::result::Error) -> Self {
        move |e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => Self::Conflict(message.into()),
            other => other.into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound => "not_found",
            Self::Unauthorized => "unauthorized",
            Self::InvalidCredentials => "invalid_credentials",
            Self::TooManyAttempts { .. } => "too_many_attempts",
            Self::Forbidden => "forbidden",
            Self::Csrf => "csrf_failed",
            Self::Validation { .. } | Self::Invalid(_) => "validation_failed",
            Self::BadRequest(_) => "bad_request",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Conflict(_) => "conflict",
            Self::Internal(_) => "internal",
        }
    }

    /// What a person reads on a page, in the page's language (each of
    /// several problems read on its own).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::Invalid(problems) => problems
                .iter()
                .map(|p| catalog::message(lang, &p.message))
                .collect::<Vec<_>>()
                .join(" "),
            other => catalog::message(lang, &other.message_ko()),
        }
    }

    fn message_ko(&self) -> String {
        match self {
            Self::NotFound => "요청하신 페이지를 찾을 수 없습니다.".into(),
            Self::Unauthorized => "로그인이 필요합니다.".into(),
            Self::InvalidCredentials => "사원번호 또는 비밀번호가 올바르지 않습니다.".into(),
            Self::TooManyAttempts { retry_after_secs } => format!(
                "로그인 실패가 반복되어 잠시 잠겼습니다. {}분 후에 다시 시도하세요.",
                (retry_after_secs + 59) / 60
            ),
            Self::Forbidden => "이 작업을 할 권한이 없습니다.".into(),
            Self::Csrf => {
                "보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도하세요.".into()
            }
            Self::Validation { message, .. } => message.clone(),
            Self::Invalid(problems) => problems
                .iter()
                .map(|p| p.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            Self::BadRequest(_) | Self::UnsupportedMediaType(_) => {
                "요청 형식이 올바르지 않습니다.".into()
            }
            Self::MethodNotAllowed => "이 주소는 그 방식의 요청을 받지 않습니다.".into(),
            Self::PayloadTooLarge => "보낸 내용이 너무 큽니다.".into(),
            Self::Conflict(message) => message.clone(),
            Self::Internal(_) => "일시적인 오류가 발생했습니다. 잠시 후 다시 시도하세요.".into(),
        }
    }

    /// The API's answer: a stable code and an English message.
    pub fn body(&self) -> ErrorBody {
        let english = |korean: &str| catalog::message(Lang::En, korean);
        let problems = |problems: &[FieldProblem]| -> Vec<FieldProblem> {
            problems
                .iter()
                .map(|p| FieldProblem {
                    field: p.field.clone(),
                    message: english(&p.message),
                })
                .collect()
        };
        ErrorBody {
            status: self.status_code().as_u16(),
            error: self.code().to_string(),
            message: match self {
                Self::Internal(_) => "internal error".to_string(),
                Self::Validation { field, message } => format!("{field}: {}", english(message)),
                Self::Invalid(all) => problems(all)
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("; "),
                Self::Conflict(message) => english(message),
                other => other.to_string(),
            },
            field: match self {
                Self::Validation { field, .. } => Some(field.clone()),
                Self::Invalid(problems) => problems.first().map(|p| p.field.clone()),
                _ => None,
            },
            lines: None,
            errors: match self {
                Self::Invalid(all) => Some(problems(all)),
                _ => None,
            },
        }
    }

    /// The error a bare status gets when actix answered it without a handler
    /// (unknown route, wrong method).
    pub fn for_status(status: StatusCode) -> Option<Self> {
        Some(match status {
            StatusCode::NOT_FOUND => Self::NotFound,
            StatusCode::METHOD_NOT_ALLOWED => Self::MethodNotAllowed,
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNAUTHORIZED => Self::Unauthorized,
            StatusCode::FORBIDDEN => Self::Forbidden,
            s if s.is_client_error() => {
                Self::BadRequest(s.canonical_reason().unwrap_or("bad request").into())
            }
            _ => return None,
        })
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized | Self::InvalidCredentials => StatusCode::UNAUTHORIZED,
            Self::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::Validation { .. } | Self::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(e) = self {
            tracing::error!(error = %format!("{e:#}"), "internal error");
        }
        let mut res = HttpResponse::build(self.status_code());
        if let Self::TooManyAttempts { retry_after_secs } = self {
            res.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
        }
        res.json(self.body())
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => Self::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                tracing::debug!(detail = info.message(), "unique violation");
                Self::Conflict("이미 같은 항목이 있습니다.".into())
            }
            other => Self::Internal(other.into()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        Self::Internal(anyhow::anyhow!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        Self::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

impl From<tera::Error> for AppError {
    fn from(e: tera::Error) -> Self {
        Self::Internal(anyhow::anyhow!("template: {e:?}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;
