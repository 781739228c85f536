//! The rules every text field shares, in forms and in the API alike: a
//! required or optional text of at most so many characters, trimmed, and
//! a date written 2026-11-20. The error names the field, in Korean.

use chrono::NaiveDate;

use crate::error::{AppError, AppResult};
use crate::korean::{self, Particle};

pub fn required(field: &str, label: &str, value: &str, max_chars: usize) -> AppResult<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::validation(
            field,
            format!("{} 입력하세요.", korean::with(label, Particle::Object)),
        ));
    }
    optional(field, label, value, max_chars).map(|v| v.unwrap_or_default())
}

pub fn optional(
    field: &str,
    label: &str,
    value: &str,
    max_chars: usize,
) -> AppResult<Option<String>> {
    let value = value.trim();
    if value.chars().count() > max_chars {
        return Err(AppError::validation(
            field,
            format!(
                "{} {max_chars}자 이하여야 합니다.",
                korean::with(label, Particle::Topic)
            ),
        ));
    }
    Ok((!value.is_empty()).then(|| value.to_string()))
}

pub fn parse_date(field: &str, value: &str) -> AppResult<NaiveDate> {
    crate::clock::parse_date(value).ok_or_else(|| {
        AppError::validation(
            field,
            format!("날짜는 2026-11-20 형식이어야 합니다 (입력값 '{value}')."),
        )
    })
}
