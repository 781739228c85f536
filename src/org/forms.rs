//! Employee input, validated when built. Used by the CLI and CSV import.

use super::model::JobFamily;
use crate::error::AppError;

/// An employee as typed by a person or read from a CSV row.
#[derive(Debug, Default, Clone)]
pub struct RawEmployee<'a> {
    pub employee_no: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub department_code: Option<&'a str>,
    pub grade: Option<&'a str>,
    /// None takes the default (행정); an empty string is an error.
    pub job_family: Option<&'a str>,
    pub active: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployeeInput {
    pub employee_no: String,
    pub name: String,
    pub email: String,
    pub department_code: Option<String>,
    pub grade: Option<i32>,
    pub job_family: JobFamily,
    pub active: bool,
}

impl EmployeeInput {
    /// Every field is checked; all problems are returned, not just the first.
    pub fn parse(raw: &RawEmployee) -> Result<Self, Vec<AppError>> {
        let mut errors = Vec::new();
        let mut check = |result: Result<(), AppError>| {
            if let Err(e) = result {
                errors.push(e);
            }
        };
        let employee_no = raw.employee_no.trim().to_string();
        check(validate_employee_no(&employee_no));
        let name = raw.name.trim().to_string();
        check(validate_name(&name));
        let email = raw.email.trim().to_string();
        check(validate_email(&email));
        let department_code = raw
            .department_code
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let grade = match raw.grade.map(str::trim).filter(|g| !g.is_empty()) {
            None => None,
            Some(g) => match parse_grade(g) {
                Ok(g) => Some(g),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        let job_family = match raw.job_family {
            None => JobFamily::Administrative,
            Some(f) => JobFamily::parse(f).unwrap_or_else(|| {
                let known: Vec<&str> = JobFamily::ALL.iter().map(|f| f.label_ko()).collect();
                errors.push(AppError::validation(
                    "job_family",
                    format!(
                        "직군은 {} 중 하나여야 합니다 (입력값 '{}').",
                        known.join(", "),
                        f.trim()
                    ),
                ));
                JobFamily::Other
            }),
        };
        let active = match raw.active.map(str::trim).filter(|a| !a.is_empty()) {
            None => true,
            Some(a) => match a.to_ascii_lowercase().as_str() {
                "true" | "1" | "y" | "yes" | "재직" => true,
                "false" | "0" | "n" | "no" | "퇴직" | "휴직" => false,
                _ => {
                    errors.push(AppError::validation(
                        "active",
                        format!("재직 여부는 true 또는 false여야 합니다 (입력값 '{a}')."),
                    ));
                    true
                }
            },
        };
        if errors.is_empty() {
            Ok(Self {
                employee_no,
                name,
                email,
                department_code,
                grade,
                job_family,
                active,
            })
        } else {
            Err(errors)
        }
    }
}

pub fn validate_employee_no(no: &str) -> Result<(), AppError> {
    if no.is_empty() || no.len() > 20 || !no.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(AppError::validation(
            "employee_no",
            format!("사원번호는 1~20자의 영문·숫자·하이픈이어야 합니다 (입력값 '{no}')."),
        ));
    }
    Ok(())
}

fn validate_name(name: &str) -> Result<(), AppError> {
    if name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "name",
            "이름에는 줄바꿈이나 제어 문자를 쓸 수 없습니다.",
        ));
    }
    if name.is_empty() || name.chars().count() > 50 {
        return Err(AppError::validation("name", "이름은 1~50자여야 합니다."));
    }
    Ok(())
}

fn validate_email(email: &str) -> Result<(), AppError> {
    let ok = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
    if ok {
        Ok(())
    } else {
        Err(AppError::validation(
            "email",
            format!("이메일 주소 형식이 올바르지 않습니다 (입력값 '{email}')."),
        ))
    }
}

/// "7" or "7급".
fn parse_grade(g: &str) -> Result<i32, AppError> {
    g.trim_end_matches('급')
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|n| (1..=9).contains(n))
        .ok_or_else(|| {
            AppError::validation(
                "grade",
                format!("직급은 1~9 사이의 숫자여야 합니다 (입력값 '{g}')."),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(errors: Vec<AppError>) -> Vec<String> {
        errors
            .into_iter()
            .map(|e| match e {
                AppError::Validation { field, .. } => field,
                other => panic!("unexpected {other:?}"),
            })
            .collect()
    }

    #[test]
    fn a_good_row_parses() {
        let raw = RawEmployee {
            employee_no: " 2015001 ",
            name: "김민준",
            email: "minjun@junggu.go.kr",
            department_code: Some("1110"),
            grade: Some("7급"),
            job_family: Some("행정"),
            active: None,
        };
        let e = EmployeeInput::parse(&raw).unwrap();
        assert_eq!(e.employee_no, "2015001");
        assert_eq!(e.grade, Some(7));
        assert!(e.active);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let raw = RawEmployee {
            employee_no: "20 15",
            name: "",
            email: "not-an-email",
            department_code: None,
            grade: Some("12"),
            job_family: Some("우주비행"),
            active: Some("maybe"),
        };
        assert_eq!(
            fields(EmployeeInput::parse(&raw).unwrap_err()),
            [
                "employee_no",
                "name",
                "email",
                "grade",
                "job_family",
                "active"
            ]
        );
    }
}
