//! Recognized hours from the HR learning system (인사 학습이력), imported
//! from its CSV: employee number, learning type, title, hours and date, and
//! the HR system's record number where it gives one. Every line is checked
//! first; on any error nothing is written and each bad line is named. Each
//! line becomes one movement keyed by its record number (or, without one,
//! by its content), so importing the same file again writes nothing new.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::badges::rules::{self as badge_rules, HrLearningKind, Trigger};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppError;
use crate::ledger::model::{Learning, LearningType, Owner, Source, Unit};
use crate::ledger::posting::{self, issue, Posting};
use crate::org::import::{line_errors, ImportError, ImportSummary, LineError, Sheet};
use crate::org::model::Employee;
use crate::vouchers::{VoucherActivity, VoucherEvent};

const COLUMNS: &[(&str, &[&str])] = &[
    ("employee_no", &["employee_no", "사원번호", "직원번호"]),
    (
        "learning_type",
        &["learning_type", "학습유형", "교육학습유형", "유형"],
    ),
    ("title", &["title", "과정명", "학습명", "제목"]),
    ("hours", &["hours", "시간", "학습시간", "인정시간"]),
    ("date", &["date", "학습일", "이수일", "일자"]),
    ("record_no", &["record_no", "이력번호"]),
];

const REQUIRED: &[&str] = &["employee_no", "learning_type", "title", "hours", "date"];

/// The most one line may record: a long course, not a typo.
const MAX_MINUTES: i64 = 1000 * 60;

/// One checked line, ready to post.
#[derive(Debug, Clone)]
struct Record {
    line: u64,
    employee_id: String,
    learning: Learning,
    minutes: i64,
    date: NaiveDate,
    record_no: Option<String>,
    key: String,
}

/// Hours as the HR system writes them (`2`, `1.5`, `0.25`) in whole
/// minutes; none for anything else.
pub fn parse_hours(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((_, "")) => return None,
        Some(parts) => parts,
        None => (text, ""),
    };
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 6
        || fraction.len() > 4
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let (numerator, denominator) = if fraction.is_empty() {
        (0, 1)
    } else {
        (
            fraction.parse::<i64>().ok()?,
            10_i64.pow(fraction.len() as u32),
        )
    };
    let fraction_minutes = numerator * 60;
    (fraction_minutes % denominator == 0).then(|| whole * 60 + fraction_minutes / denominator)
}

/// The movement's key: the HR record number when there is one, else what
/// the line says (so a line repeated in a later file is the same line).
fn key_of(organization_id: &str, record: &Record, employee_no: &str) -> String {
    match &record.record_no {
        Some(no) => format!("hr/{organization_id}/record/{no}"),
        None => {
            let mut digest = Sha256::new();
            for part in [
                employee_no,
                record.learning.learning_type.code(),
                &record.learning.title,
                &record.minutes.to_string(),
                &record.date.to_string(),
            ] {
                digest.update(format!("{}:{part}|", part.len()));
            }
            let hex: String = digest
                .finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("hr/{organization_id}/line/{hex}")
        }
    }
}

fn check_line(
    sheet: &Sheet,
    employees: &HashMap<String, Employee>,
    organization_id: &str,
    line: u64,
    row: &csv::StringRecord,
    today: NaiveDate,
) -> Result<Record, Vec<AppError>> {
    let text = |field| sheet.get(row, field).unwrap_or("").trim();
    let mut errors = Vec::new();
    let employee_no = text("employee_no");
    let employee = if employee_no.is_empty() {
        errors.push(AppError::validation(
            "employee_no",
            "사원번호가 비어 있습니다.",
        ));
        None
    } else {
        let found = employees.get(employee_no).cloned();
        if found.is_none() {
            errors.push(AppError::validation(
                "employee_no",
                format!("사원번호 '{employee_no}'인 직원이 이 기관에 없습니다."),
            ));
        }
        found
    };
    let learning_type = LearningType::from_text(text("learning_type"));
    if learning_type.is_none() {
        let known: Vec<&str> = LearningType::ALL.iter().map(|t| t.label_ko()).collect();
        errors.push(AppError::validation(
            "learning_type",
            format!(
                "학습유형 '{}'을 알 수 없습니다 ({} 중 하나).",
                text("learning_type"),
                known.join(", ")
            ),
        ));
    }
    let title = text("title");
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(AppError::validation(
            "title",
            "과정명은 1~200자여야 합니다.",
        ));
    }
    let minutes = parse_hours(text("hours")).filter(|m| (1..=MAX_MINUTES).contains(m));
    if minutes.is_none() {
        errors.push(AppError::validation(
            "hours",
            format!(
                "시간은 0보다 크고 1000 이하인, 분 단위로 나누어떨어지는 수여야 합니다 (예: 2, 1.5; 입력값 '{}').",
                text("hours")
            ),
        ));
    }
    let date = match crate::fields::parse_date("date", text("date")) {
        Ok(d) if d > today => {
            errors.push(AppError::validation(
                "date",
                format!("학습일 {d}은 오늘({today}) 이후입니다."),
            ));
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let record_no = text("record_no");
    if record_no.chars().count() > 100 {
        errors.push(AppError::validation(
            "record_no",
            "이력번호는 100자 이하입니다.",
        ));
    }
    match (employee, learning_type, minutes, date) {
        (Some(employee), Some(learning_type), Some(minutes), Some(date)) if errors.is_empty() => {
            let mut record = Record {
                line,
                employee_id: employee.id,
                learning: Learning {
                    learning_type,
                    title: title.to_string(),
                },
                minutes,
                date,
                record_no: (!record_no.is_empty()).then(|| record_no.to_string()),
                key: String::new(),
            };
            record.key = key_of(organization_id, &record, employee_no);
            Ok(record)
        }
        _ => Err(errors),
    }
}

/// Imports the file for the organization: all lines or none. `actor_id` is
/// the administrator who imports (none from the command line). Answers how
/// many lines were recorded now and how many had been already.
pub fn import_hr_hours(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    bytes: &[u8],
    actor_id: Option<&str>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ImportSummary, ImportError> {
    let sheet = Sheet::read(bytes, COLUMNS, REQUIRED)?;
    crate::db::write_tx(conn, |conn| {
        let numbers: Vec<&str> = sheet
            .rows
            .iter()
            .filter_map(|(_, row)| sheet.get(row, "employee_no"))
            .map(str::trim)
            .collect();
        let employees = crate::org::model::employees_by_nos(conn, organization_id, &numbers)?;
        let mut errors: Vec<LineError> = Vec::new();
        let mut records = Vec::with_capacity(sheet.rows.len());
        let mut first_line_of: HashMap<String, u64> = HashMap::new();
        for (line, row) in &sheet.rows {
            match check_line(&sheet, &employees, organization_id, *line, row, today) {
                Ok(record) => {
                    if let Some(first) = first_line_of.insert(record.key.clone(), *line) {
                        errors.push(LineError {
                            line: *line,
                            field: "row".into(),
                            message: format!("{first}행과 같은 학습 이력입니다."),
                        });
                    }
                    records.push(record);
                }
                Err(line_problems) => errors.extend(line_errors(*line, line_problems)),
            }
        }
        if !errors.is_empty() {
            return Err(ImportError::Invalid(errors));
        }
        let mut summary = ImportSummary::default();
        let mut years_of: HashMap<i32, BTreeSet<String>> = HashMap::new();
        for record in &records {
            years_of
                .entry(record.date.year())
                .or_default()
                .insert(record.employee_id.clone());
        }
        for record in records {
            let line = record.line;
            let earns = HrLearningKind::of(record.learning.learning_type.code()).map(|kind| {
                (
                    kind,
                    record.employee_id.clone(),
                    record.date,
                    record.learning.title.clone(),
                )
            });
            let outcome = posting::post(conn, posting_of(organization_id, record, actor_id), now)
                .map_err(|e| match e {
                AppError::Conflict(_) => ImportError::Invalid(vec![LineError {
                    line,
                    field: "record_no".into(),
                    message: "이 이력번호는 이미 다른 내용으로 가져왔습니다.".into(),
                }]),
                other => other.into(),
            })?;
            if let Some((kind, employee_id, on, title)) = earns {
                // A course or learning content completed earns course
                // vouchers; a certificate earns its badges only.
                if kind == HrLearningKind::Course {
                    let event = VoucherEvent {
                        organization_id,
                        activity: VoucherActivity::Course,
                        event_ref: &outcome.movement().id,
                        on,
                    };
                    crate::vouchers::earn(conn, settings, &event, &employee_id, now)?;
                }
                let trigger = Trigger::HrLearning {
                    kind,
                    employee_id: &employee_id,
                    movement_id: &outcome.movement().id,
                    title: &title,
                };
                badge_rules::fire(conn, settings, organization_id, trigger, now)?;
            }
            if outcome.is_new() {
                summary.created += 1;
            } else {
                summary.unchanged += 1;
            }
        }
        // The hours may complete someone's target for a year.
        for (year, people) in years_of {
            let people: Vec<String> = people.into_iter().collect();
            let total = badge_rules::Total::Hours { year };
            badge_rules::totals_reached(conn, settings, organization_id, &people, total, now)?;
        }
        crate::audit::record(
            conn,
            now,
            actor_id,
            "ledger.hr_import",
            organization_id,
            json!({ "recorded": summary.created, "already_recorded": summary.unchanged }),
        )?;
        Ok(summary)
    })
}

fn posting_of(organization_id: &str, record: Record, actor_id: Option<&str>) -> Posting {
    Posting {
        idempotency_key: record.key,
        source: Source::HrImport,
        source_ref: record.record_no,
        counts_for: record.date,
        rule_version: None,
        actor_id: actor_id.map(str::to_string),
        reason: None,
        legs: issue(
            organization_id,
            Owner::Employee(record.employee_id),
            Unit::Minutes,
            record.minutes,
        ),
        details: Vec::new(),
        learning: Some(record.learning),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_hours;

    #[test]
    fn hours_become_whole_minutes() {
        assert_eq!(parse_hours("2"), Some(120));
        assert_eq!(parse_hours("1.5"), Some(90));
        assert_eq!(parse_hours(" 0.25 "), Some(15));
        assert_eq!(parse_hours("1.10"), Some(66));
        assert_eq!(parse_hours("0"), Some(0));
        for bad in [
            "", ".5", "1.", "-1", "1,5", "1.3333", "1e3", "1.01", "abc", "1.5h",
        ] {
            assert_eq!(parse_hours(bad), None, "{bad}");
        }
    }
}
