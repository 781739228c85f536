//! CSV import of departments and employees: every row is validated first;
//! on any error nothing is written and each bad line is reported.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDateTime;
use serde_json::json;

use super::forms::{EmployeeInput, RawEmployee};
use super::model::{self, EmployeeFields};
use crate::audit;
use crate::db::DbConn;
use crate::error::AppError;

/// One problem on one line of the file (line 1 is the header).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl From<LineError> for crate::error::LineProblem {
    fn from(e: LineError) -> Self {
        Self {
            line: e.line,
            field: e.field,
            message: e.message,
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

#[derive(Debug)]
pub enum ImportError {
    /// The file was read; these lines are wrong. Nothing was imported.
    Invalid(Vec<LineError>),
    Failed(anyhow::Error),
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Failed(e.into())
    }
}

impl From<AppError> for ImportError {
    fn from(e: AppError) -> Self {
        Self::Failed(anyhow::anyhow!("{e}"))
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Called as rows are written: (rows done, rows in all).
pub type Progress<'a> = &'a mut dyn FnMut(usize, usize);

/// A parsed CSV: the header's column positions and the rows with their line.
pub(crate) struct Sheet {
    columns: HashMap<&'static str, usize>,
    pub(crate) rows: Vec<(u64, csv::StringRecord)>,
}

impl Sheet {
    /// `columns` maps each field to the header names accepted for it
    /// (English or Korean); `required` lists the fields that must be there.
    pub(crate) fn read(
        bytes: &[u8],
        columns: &[(&'static str, &[&str])],
        required: &[&str],
    ) -> Result<Self, ImportError> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        // The line a record starts on, counted from its byte offset: exact
        // for LF and CRLF (Excel) files and for quoted fields with newlines.
        let line_at = |position: Option<&csv::Position>| {
            position.map_or(0, |p| {
                let mut start = usize::try_from(p.byte())
                    .unwrap_or(bytes.len())
                    .min(bytes.len());
                // With CRLF the reader may place a record before the `\n`
                // that ends the one before it.
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                1 + bytes[..start].iter().filter(|b| **b == b'\n').count() as u64
            })
        };
        // Cells pasted from a spreadsheet arrive tab-separated.
        let first_line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
        let delimiter = if first_line.contains(&b'\t') && !first_line.contains(&b',') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let header = reader
            .headers()
            .map_err(|e| invalid(1, "header", csv_problem(&e)))?
            .clone();
        let mut positions = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            let name = name.trim().to_lowercase();
            if let Some((field, _)) = columns
                .iter()
                .find(|(_, names)| names.contains(&name.as_str()))
            {
                positions.insert(*field, i);
            }
        }
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|f| !positions.contains_key(f))
            .collect();
        if !missing.is_empty() {
            return Err(invalid(
                1,
                "header",
                format!("필수 열이 없습니다: {}", missing.join(", ")),
            ));
        }
        let mut rows = Vec::new();
        let mut errors = Vec::new();
        for record in reader.records() {
            match record {
                Ok(r) if r.iter().all(str::is_empty) => {}
                Ok(r) => rows.push((line_at(r.position()), r)),
                Err(e) => errors.push(LineError {
                    line: line_at(e.position()),
                    field: "row".into(),
                    message: csv_problem(&e),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(ImportError::Invalid(errors));
        }
        Ok(Self {
            columns: positions,
            rows,
        })
    }

    pub(crate) fn get<'r>(&self, row: &'r csv::StringRecord, field: &str) -> Option<&'r str> {
        self.columns.get(field).map(|i| row.get(*i).unwrap_or(""))
    }
}

fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "UTF-8이 아닌 글자가 있습니다 (파일을 UTF-8로 저장하세요).".into()
        }
        _ => format!("CSV 형식 오류: {e}"),
    }
}

fn invalid(line: u64, field: &str, message: String) -> ImportError {
    ImportError::Invalid(vec![LineError {
        line,
        field: field.into(),
        message,
    }])
}

pub(crate) fn line_errors(line: u64, errors: Vec<AppError>) -> impl Iterator<Item = LineError> {
    errors.into_iter().map(move |e| match e {
        AppError::Validation { field, message } => LineError {
            line,
            field,
            message,
        },
        other => LineError {
            line,
            field: "row".into(),
            message: other.to_string(),
        },
    })
}

const EMPLOYEE_COLUMNS: &[(&str, &[&str])] = &[
    ("employee_no", &["employee_no", "사원번호", "직원번호"]),
    ("name", &["name", "성명", "이름"]),
    ("email", &["email", "이메일", "전자우편"]),
    (
        "department_code",
        &["department_code", "department", "부서코드", "부서"],
    ),
    ("grade", &["grade", "직급"]),
    ("job_family", &["job_family", "직군", "직렬"]),
    ("active", &["active", "재직"]),
];

/// Imports employees: new numbers are created, known ones updated.
pub fn import_employees(
    conn: &mut DbConn,
    organization_id: &str,
    bytes: &[u8],
    now: NaiveDateTime,
    progress: Progress,
) -> Result<ImportSummary, ImportError> {
    let sheet = Sheet::read(
        bytes,
        EMPLOYEE_COLUMNS,
        &[
            "employee_no",
            "name",
            "email",
            "department_code",
            "grade",
            "job_family",
        ],
    )?;
    let departments: HashMap<String, String> = model::all_departments(conn, organization_id)?
        .into_iter()
        .map(|d| (d.code, d.id))
        .collect();

    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut valid = Vec::with_capacity(sheet.rows.len());
    for (line, row) in &sheet.rows {
        let raw = RawEmployee {
            employee_no: sheet.get(row, "employee_no").unwrap_or(""),
            name: sheet.get(row, "name").unwrap_or(""),
            email: sheet.get(row, "email").unwrap_or(""),
            department_code: sheet.get(row, "department_code"),
            grade: sheet.get(row, "grade"),
            job_family: sheet.get(row, "job_family"),
            active: sheet.get(row, "active"),
        };
        // Duplicates and unknown departments are checked even when other
        // fields are wrong, so one pass reports everything about a line.
        let parsed = match EmployeeInput::parse(&raw) {
            Ok(input) => Some(input),
            Err(e) => {
                errors.extend(line_errors(*line, e));
                None
            }
        };
        let employee_no = raw.employee_no.trim();
        if !employee_no.is_empty() {
            if let Some(first) = seen.insert(employee_no.to_string(), *line) {
                errors.push(LineError {
                    line: *line,
                    field: "employee_no".into(),
                    message: format!("사원번호 '{employee_no}'가 {first}행에도 있습니다."),
                });
            }
        }
        let code = raw.department_code.map(str::trim).filter(|c| !c.is_empty());
        let department_id = code.and_then(|c| departments.get(c).cloned());
        if let (Some(code), None) = (code, &department_id) {
            errors.push(LineError {
                line: *line,
                field: "department_code".into(),
                message: format!("부서 코드 '{code}'가 없습니다."),
            });
        }
        if let Some(input) = parsed {
            valid.push(EmployeeFields {
                employee_no: input.employee_no,
                name: input.name,
                email: input.email,
                department_id,
                grade: input.grade,
                job_family: input.job_family,
                active: input.active,
            });
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Invalid(errors));
    }

    crate::db::write_tx(conn, |conn| {
        let total = valid.len();
        let mut summary = ImportSummary::default();
        for (done, fields) in valid.iter().enumerate() {
            match model::employee_by_no(conn, organization_id, &fields.employee_no)? {
                None => {
                    model::insert_employee(conn, organization_id, fields, now)?;
                    summary.created += 1;
                }
                Some(existing) if same_fields(&existing, fields) => summary.unchanged += 1,
                Some(existing) => {
                    model::update_employee(conn, &existing.id, fields, now)?;
                    summary.updated += 1;
                }
            }
            progress(done + 1, total);
        }
        audit::record(
            conn,
            now,
            None,
            "import.employees",
            "employees",
            json!({ "created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged }),
        )?;
        Ok(summary)
    })
}

fn same_fields(existing: &model::Employee, f: &EmployeeFields) -> bool {
    existing.name == f.name
        && existing.email == f.email
        && existing.department_id == f.department_id
        && existing.grade == f.grade
        && existing.job_family == f.job_family.code()
        && existing.active == f.active
}

const DEPARTMENT_COLUMNS: &[(&str, &[&str])] = &[
    ("code", &["code", "department_code", "부서코드"]),
    ("name", &["name", "부서명", "이름"]),
    ("parent_code", &["parent_code", "상위부서코드", "상위부서"]),
];

/// Imports departments (code, name, parent code); a parent may be defined
/// later in the same file or already exist.
pub fn import_departments(
    conn: &mut DbConn,
    organization_id: &str,
    bytes: &[u8],
    now: NaiveDateTime,
    progress: Progress,
) -> Result<ImportSummary, ImportError> {
    let sheet = Sheet::read(bytes, DEPARTMENT_COLUMNS, &["code", "name"])?;
    let existing: HashMap<String, model::Department> =
        model::all_departments(conn, organization_id)?
            .into_iter()
            .map(|d| (d.code.clone(), d))
            .collect();
    let codes_in_file: HashSet<&str> = sheet
        .rows
        .iter()
        .filter_map(|(_, r)| sheet.get(r, "code"))
        .collect();

    let mut errors = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut rows = Vec::new();
    for (line, row) in &sheet.rows {
        let line = *line;
        let code = sheet.get(row, "code").unwrap_or("").to_string();
        let name = sheet.get(row, "name").unwrap_or("").to_string();
        let parent = sheet
            .get(row, "parent_code")
            .filter(|p| !p.is_empty())
            .map(str::to_string);
        let mut bad = |field: &str, message: String| {
            errors.push(LineError {
                line,
                field: field.into(),
                message,
            })
        };
        if code.is_empty()
            || code.len() > 20
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            bad(
                "code",
                format!("부서 코드는 1~20자의 영문·숫자·하이픈이어야 합니다 (입력값 '{code}')."),
            );
        }
        if name.is_empty() || name.chars().count() > 50 {
            bad("name", "부서명은 1~50자여야 합니다.".into());
        }
        if let Some(p) = &parent {
            if *p == code {
                bad(
                    "parent_code",
                    "자기 자신을 상위 부서로 둘 수 없습니다.".into(),
                );
            } else if !codes_in_file.contains(p.as_str()) && !existing.contains_key(p) {
                bad("parent_code", format!("상위 부서 코드 '{p}'가 없습니다."));
            }
        }
        if let Some(first) = seen.insert(code.clone(), line) {
            bad(
                "code",
                format!("부서 코드 '{code}'가 {first}행에도 있습니다."),
            );
        }
        rows.push((code, name, parent));
    }
    if !errors.is_empty() {
        return Err(ImportError::Invalid(errors));
    }

    crate::db::write_tx(conn, |conn| {
        let total = rows.len();
        let mut summary = ImportSummary::default();
        let mut ids: HashMap<String, String> = existing
            .iter()
            .map(|(c, d)| (c.clone(), d.id.clone()))
            .collect();
        for (code, name, _) in &rows {
            if !ids.contains_key(code) {
                ids.insert(
                    code.clone(),
                    model::insert_department(conn, organization_id, code, name, None, now)?,
                );
                summary.created += 1;
            }
        }
        for (done, (code, name, parent)) in rows.iter().enumerate() {
            let parent_id = parent.as_ref().map(|p| ids[p].clone());
            match existing.get(code) {
                Some(d) if d.name == *name && d.parent_id == parent_id => summary.unchanged += 1,
                Some(_) => {
                    model::update_department(conn, &ids[code], name, parent_id.as_deref())?;
                    summary.updated += 1;
                }
                None => model::update_department(conn, &ids[code], name, parent_id.as_deref())?,
            }
            progress(done + 1, total);
        }
        audit::record(
            conn,
            now,
            None,
            "import.departments",
            "departments",
            json!({ "created": summary.created, "updated": summary.updated, "unchanged": summary.unchanged }),
        )?;
        Ok(summary)
    })
}
