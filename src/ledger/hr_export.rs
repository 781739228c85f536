//! The HR export (상시학습 실적): every hour an office recognized for a
//! half-year or a year, one line per person and movement, as the HR
//! learning system loads it — employee number, name, department, learning
//! type, hours, the day it counts for, source, approver and approval date.
//! A reversal is a line of its own with negative hours, so the file sums to
//! what people hold.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::model::{self, AccountRef, LearningType, Movement, Owner, Source, SystemPurpose, Unit};
use crate::clock::HalfYear;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::export::{Cell, Table};

/// A half-year (`2026H1`) or a year (`2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Half(HalfYear),
    Year(i32),
}

impl Period {
    pub fn parse(text: &str) -> Option<Period> {
        if let Some(half) = HalfYear::parse(text) {
            return Some(Period::Half(half));
        }
        let year: i32 = text.parse().ok().filter(|_| text.len() == 4)?;
        (2000..=2100).contains(&year).then_some(Period::Year(year))
    }

    pub fn days(self) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Half(h) => (h.first_day(), h.last_day()),
            Period::Year(y) => (
                NaiveDate::from_ymd_opt(y, 1, 1).expect("a valid year"),
                NaiveDate::from_ymd_opt(y, 12, 31).expect("a valid year"),
            ),
        }
    }

    pub fn label(self) -> String {
        match self {
            Period::Half(h) => h.to_string(),
            Period::Year(y) => y.to_string(),
        }
    }
}

/// The learning type a movement files under: its own (HR imports), else
/// what its source says; a reversal files under what it cancels.
fn learning_label(movement: &Movement, originals: &HashMap<String, Movement>) -> String {
    let filed = match movement
        .reverses_id
        .as_ref()
        .and_then(|id| originals.get(id))
    {
        Some(original) => original,
        None => movement,
    };
    if let Some(learning) = filed.learning() {
        return learning.learning_type.label_ko().to_string();
    }
    match Source::parse(&filed.source) {
        Some(Source::ClubHours) => LearningType::Club.label_ko().to_string(),
        Some(source) => source.label_ko().to_string(),
        None => filed.source.clone(),
    }
}

/// Hours as the HR system reads them: `1.5`, `12`, `-0.25`.
pub(crate) fn decimal_hours(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let minutes = minutes.unsigned_abs();
    let (whole, rest) = (minutes / 60, minutes % 60);
    if rest == 0 {
        return format!("{sign}{whole}");
    }
    // Four decimal places of an hour, rounded, without trailing zeros.
    let fraction = (rest * 10_000 + 30) / 60;
    let fraction = format!("{fraction:04}");
    format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
}

pub const HEADERS: [&str; 11] = [
    "사원번호",
    "성명",
    "부서",
    "학습유형",
    "과정명",
    "인정시간",
    "인정시간(분)",
    "학습일",
    "출처",
    "승인자",
    "승인일",
];

/// The office's recognized hours in the period, as one table.
pub fn table(conn: &mut DbConn, organization_id: &str, period: Period) -> AppResult<Table> {
    let issuer = AccountRef {
        owner: Owner::System {
            purpose: SystemPurpose::HoursIssuer,
            organization_id: organization_id.to_string(),
        },
        unit: Unit::Minutes,
    };
    let movements = match model::account_id_of(conn, &issuer)? {
        Some(id) => model::movements_through(conn, &id, period.days())?,
        None => Vec::new(),
    };
    let ids: Vec<String> = movements.iter().map(|m| m.id.clone()).collect();
    let legs = model::employee_legs(conn, &ids, Unit::Minutes)?;
    let reversed: Vec<String> = movements
        .iter()
        .filter_map(|m| m.reverses_id.clone())
        .collect();
    let originals: HashMap<String, Movement> = model::movements_by_ids(conn, &reversed)?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let mut people: Vec<String> = legs.iter().map(|(_, e, _)| e.clone()).collect();
    people.extend(movements.iter().filter_map(|m| m.actor_id.clone()));
    people.sort();
    people.dedup();
    let cards: HashMap<String, (String, String, Option<String>)> =
        crate::org::model::employee_cards(conn, &people)?
            .into_iter()
            .map(|(id, no, name, department)| (id, (no, name, department)))
            .collect();
    let department_ids: Vec<String> = cards.values().filter_map(|c| c.2.clone()).collect();
    let departments: HashMap<String, String> =
        crate::org::model::departments_by_ids(conn, &department_ids)?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
    let mut legs_of: HashMap<&str, Vec<(&str, i64)>> = HashMap::new();
    for (movement_id, employee_id, amount) in &legs {
        legs_of
            .entry(movement_id.as_str())
            .or_default()
            .push((employee_id.as_str(), *amount));
    }
    let mut rows = Vec::new();
    for movement in &movements {
        let source = Source::parse(&movement.source)
            .map(|s| s.label_ko().to_string())
            .unwrap_or_else(|| movement.source.clone());
        let approver = movement
            .actor_id
            .as_ref()
            .and_then(|a| cards.get(a))
            .map(|c| c.1.clone())
            .unwrap_or_default();
        let title = match movement
            .reverses_id
            .as_ref()
            .and_then(|id| originals.get(id))
        {
            Some(original) => original.title.clone(),
            None => movement.title.clone(),
        };
        for (employee_id, minutes) in legs_of.get(movement.id.as_str()).into_iter().flatten() {
            let (no, name, department) = cards
                .get(*employee_id)
                .cloned()
                .unwrap_or_else(|| (String::new(), String::new(), None));
            rows.push(vec![
                Cell::from(no),
                Cell::from(name),
                Cell::from(
                    department
                        .and_then(|d| departments.get(&d).cloned())
                        .unwrap_or_default(),
                ),
                Cell::from(learning_label(movement, &originals)),
                Cell::from(title.clone().unwrap_or_default()),
                Cell::from(decimal_hours(*minutes)),
                Cell::from(*minutes),
                Cell::Date(movement.counts_for),
                Cell::from(source.clone()),
                Cell::from(approver.clone()),
                Cell::DateTime(crate::format::seoul_naive(movement.recorded_at)),
            ]);
        }
    }
    Ok(Table {
        name: format!("상시학습 {}", period.label()),
        headers: HEADERS.to_vec(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_and_hours_read_as_the_hr_office_writes_them() {
        assert_eq!(
            Period::parse("2026H1"),
            Some(Period::Half(HalfYear {
                year: 2026,
                half: 1
            }))
        );
        assert_eq!(Period::parse("2026"), Some(Period::Year(2026)));
        for bad in ["26", "2026H3", "+2026", "02026", "1999", "2026-1"] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
        assert_eq!(decimal_hours(720), "12");
        assert_eq!(decimal_hours(90), "1.5");
        assert_eq!(decimal_hours(15), "0.25");
        assert_eq!(decimal_hours(-45), "-0.75");
        assert_eq!(decimal_hours(20), "0.3333");
    }
}
