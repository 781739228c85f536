//! Awarding a badge to many people from a CSV: employee number, a
//! narrative per person, evidence, and a key per row. Every line is checked
//! first; on any error nothing is written and each bad line is named. A
//! row's key (or, without one, its content) makes its award, so running the
//! same file again awards nothing twice. A dry run does all of it and
//! writes nothing.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::awards::{self, Awarded, Grant};
use super::links::checked_link;
use super::model::BadgeClass;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppError;
use crate::org::import::{ImportError, LineError, Sheet};

const COLUMNS: &[(&str, &[&str])] = &[
    ("employee_no", &["employee_no", "사원번호", "직원번호"]),
    ("narrative", &["narrative", "사유", "수여 사유", "설명"]),
    ("evidence_url", &["evidence_url", "증빙", "증빙 주소"]),
    ("key", &["key", "키", "수여 번호"]),
];

/// What happened, or would happen, to one row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkRow {
    pub line: u64,
    pub employee_no: String,
    pub name: String,
    /// `awarded`, or `already` (the row's award was made before).
    pub outcome: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkOutcome {
    /// Nothing was written: this is what the file would do.
    pub dry_run: bool,
    pub awarded: usize,
    pub already: usize,
    pub rows: Vec<BulkRow>,
}

/// Why a bulk award's transaction ends without writing.
enum Stop {
    DryRun(BulkOutcome),
    Failed(ImportError),
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::Failed(e.into())
    }
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Failed(e)
    }
}

/// The row's award key: its own key, or what it says.
fn key_of(key: &str, employee_no: &str, narrative: &str, evidence: &str) -> String {
    if !key.is_empty() {
        return format!("csv/{key}");
    }
    let mut digest = Sha256::new();
    for part in [employee_no, narrative, evidence] {
        digest.update(format!("{}:{part}|", part.len()));
    }
    let hex: String = digest
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("csv/{hex}")
}

/// Awards `class` to every row of `file` (or, with `dry_run`, says what it
/// would do), all rows or none.
pub fn award_file(
    conn: &mut DbConn,
    settings: &Settings,
    class: &BadgeClass,
    file: &[u8],
    by: &str,
    dry_run: bool,
    now: NaiveDateTime,
) -> Result<BulkOutcome, ImportError> {
    let sheet = Sheet::read(file, COLUMNS, &["employee_no"])?;
    let numbers: Vec<&str> = sheet
        .rows
        .iter()
        .filter_map(|(_, row)| sheet.get(row, "employee_no").map(str::trim))
        .collect();
    let employees: HashMap<String, crate::org::model::Employee> =
        crate::org::model::employees_by_nos(conn, &class.organization_id, &numbers)?;
    let mut errors = Vec::new();
    let mut planned = Vec::new();
    let mut keys = HashSet::new();
    for (line, row) in &sheet.rows {
        let text = |field| sheet.get(row, field).unwrap_or("").trim().to_string();
        let (employee_no, narrative, evidence) =
            (text("employee_no"), text("narrative"), text("evidence_url"));
        let problem = |field: &str, message: String| LineError {
            line: *line,
            field: field.into(),
            message,
        };
        let employee = employees.get(&employee_no).filter(|e| e.active);
        match employee {
            None => errors.push(problem(
                "employee_no",
                format!("사원번호 '{employee_no}'인 재직 직원이 이 기관에 없습니다."),
            )),
            Some(e) if e.id == by => errors.push(problem(
                "employee_no",
                "자기 자신에게 배지를 줄 수 없습니다.".into(),
            )),
            Some(_) => {}
        }
        if narrative.chars().count() > 2000 {
            errors.push(problem("narrative", "사유는 2,000자까지입니다.".into()));
        }
        if let Err(AppError::Validation { message, .. }) =
            checked_link("evidence_url", "증빙", Some(&evidence))
        {
            errors.push(problem("evidence_url", message));
        }
        let key = key_of(&text("key"), &employee_no, &narrative, &evidence);
        if !keys.insert(key.clone()) {
            errors.push(problem(
                "key",
                "같은 키(또는 같은 내용)의 줄이 파일에 두 번 있습니다.".into(),
            ));
        }
        if let Some(employee) = employee {
            planned.push((*line, employee.clone(), key, narrative, evidence));
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Invalid(errors));
    }
    let result = crate::db::write_tx(conn, |conn| {
        let mut outcome = BulkOutcome {
            dry_run,
            awarded: 0,
            already: 0,
            rows: Vec::with_capacity(planned.len()),
        };
        for (line, employee, key, narrative, evidence) in &planned {
            let grant = Grant {
                achievement_key: key.clone(),
                narrative: narrative.clone(),
                evidence_url: Some(evidence.clone()),
                awarded_by: Some(by.to_string()),
            };
            let awarded = awards::award(conn, settings, class, employee, grant, now)
                .map_err(|e| Stop::Failed(e.into()))?;
            let new = matches!(awarded, Awarded::New(_));
            if new {
                outcome.awarded += 1;
            } else {
                outcome.already += 1;
            }
            outcome.rows.push(BulkRow {
                line: *line,
                employee_no: employee.employee_no.clone(),
                name: employee.name.clone(),
                outcome: if new { "awarded" } else { "already" }.into(),
            });
        }
        // The badges' points may reach a mileage badge.
        let awarded: Vec<String> = planned
            .iter()
            .zip(&outcome.rows)
            .filter(|(_, row)| row.outcome == "awarded")
            .map(|((_, employee, ..), _)| employee.id.clone())
            .collect();
        let total = super::rules::Total::Mileage;
        super::rules::totals_reached(conn, settings, &class.organization_id, &awarded, total, now)
            .map_err(|e| Stop::Failed(e.into()))?;
        if dry_run {
            // Done and undone: the answer is exact, the database unchanged.
            return Err(Stop::DryRun(outcome));
        }
        crate::audit::record(
            conn,
            now,
            Some(by),
            "badges.bulk_awarded",
            &class.id,
            serde_json::json!({ "awarded": outcome.awarded, "already": outcome.already }),
        )?;
        Ok(outcome)
    });
    match result {
        Ok(outcome) | Err(Stop::DryRun(outcome)) => Ok(outcome),
        Err(Stop::Failed(e)) => Err(e),
    }
}
