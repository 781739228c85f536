//! The rules every text field shares, in forms and in the API alike: a
//! required or optional text of at most so many characters, trimmed, and
//! a date written 2026-11-20, a year asked for in a query. The error names
//! the field.

use chrono::{Datelike, NaiveDate};

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

/// A year given in a query, or this one; 422 naming `year` otherwise.
pub fn year_of(year: Option<i32>, today: NaiveDate) -> AppResult<i32> {
    match year {
        None => Ok(today.year()),
        Some(y) if (2000..=2100).contains(&y) => Ok(y),
        Some(_) => Err(AppError::validation(
            "year",
            "year is between 2000 and 2100",
        )),
    }
}
