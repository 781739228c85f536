//! `dongari demo`: a realistic district office (구청) to try the portal on.
//! Deterministic, so every demo looks the same; only passwords are random.

use chrono::NaiveDateTime;

use super::forms::EmployeeInput;
use super::model::{self, JobFamily, Role, RoleGrant};
use super::service;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::password;

/// 국·소 and their 과, with codes as an HR system would have them.
const DIVISIONS: &[(&str, &str, &[(&str, &str)])] = &[
    (
        "1000",
        "기획재정국",
        &[
            ("1010", "기획예산과"),
            ("1020", "재무과"),
            ("1030", "세무1과"),
        ],
    ),
    (
        "2000",
        "행정관리국",
        &[
            ("2010", "총무과"),
            ("2020", "자치행정과"),
            ("2030", "문화체육과"),
        ],
    ),
    (
        "3000",
        "복지건설국",
        &[
            ("3010", "복지정책과"),
            ("3020", "어르신장애인과"),
            ("3030", "건설관리과"),
        ],
    ),
    (
        "4000",
        "도시관리국",
        &[
            ("4010", "도시계획과"),
            ("4020", "주택과"),
            ("4030", "교통행정과"),
        ],
    ),
    (
        "5000",
        "보건소",
        &[("5010", "보건행정과"), ("5020", "건강증진과")],
    ),
];

const SURNAMES: &[&str] = &[
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황",
    "안", "송", "류", "홍",
];
const GIVEN: &[&str] = &[
    "민준", "서연", "도윤", "지우", "하준", "서윤", "은우", "지민", "시우", "수아", "예준", "하은",
    "주원", "지유", "현우", "윤서", "건우", "채원", "우진", "다은", "선우", "은서", "연우", "예린",
    "정훈", "미경", "성호", "혜진", "영수", "은정",
];

pub struct DemoAccount {
    pub employee_no: String,
    pub name: String,
    pub role: &'static str,
    pub password: String,
}

/// The organization the demo loads into: the only one of a new database.
pub fn organization(conn: &mut DbConn) -> AppResult<model::Organization> {
    model::sole_organization(conn)?.ok_or_else(|| {
        AppError::Conflict("데모는 기관이 하나인 빈 데이터베이스에만 불러옵니다.".into())
    })
}

/// The demo's office and its administrator (9000001), for the domains'
/// demos that act as them.
pub fn office_and_administrator(
    conn: &mut DbConn,
) -> AppResult<(model::Organization, model::Employee)> {
    let office = organization(conn)?;
    let admin = model::employee_by_no(conn, &office.id, "9000001")?
        .ok_or_else(|| AppError::Conflict("the demo administrator is missing".into()))?;
    Ok((office, admin))
}

/// Loads the demo organization (a district office, 서울 중구) into an
/// empty database. Returns the accounts that can log in, with their
/// passwords. Run it in a transaction.
pub fn load(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<DemoAccount>> {
    if model::employee_count(conn)? > 0 {
        return Err(AppError::Conflict(
            "데이터베이스에 이미 직원이 있습니다. 데모는 빈 데이터베이스에만 불러옵니다 (the demo loads only into an empty database).".into(),
        ));
    }
    let organization = organization(conn)?;
    model::rename_organization(conn, &organization.id, "서울특별시 중구")?;
    let org_id = organization.id.as_str();
    {
        let mut teams = Vec::new();
        for (code, name, children) in DIVISIONS {
            let division_id = model::insert_department(conn, org_id, code, name, None, now)?;
            for (child_code, child_name) in *children {
                model::insert_department(
                    conn,
                    org_id,
                    child_code,
                    child_name,
                    Some(&division_id),
                    now,
                )?;
                teams.push((*child_code, *child_name));
            }
        }

        let mut seed: u64 = 2015;
        let mut next = move |n: usize| {
            // A small linear congruential generator: varied but repeatable.
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let mut accounts = Vec::new();
        let mut number = 0;
        for (team_index, (team_code, _)) in teams.iter().enumerate() {
            let size = 10 + team_index % 3; // 10–12 people per 과
            for position in 0..size {
                number += 1;
                let name = format!(
                    "{}{}",
                    SURNAMES[next(SURNAMES.len())],
                    GIVEN[next(GIVEN.len())]
                );
                // 과장 (5급) first, then a spread of 6–9급; a few 관리운영 and 임기제.
                let (grade, family) = match position {
                    0 => (5, JobFamily::Administrative),
                    1 | 2 => (
                        6,
                        if team_code.starts_with('3') || team_code.starts_with('4') {
                            JobFamily::Technical
                        } else {
                            JobFamily::Administrative
                        },
                    ),
                    _ => match next(20) {
                        0 => (8, JobFamily::OperationsOffice),
                        1 => (9, JobFamily::OperationsOther),
                        2 => (7, JobFamily::FixedTerm),
                        3..=6 => (7, JobFamily::Technical),
                        g => (7 + (g % 3) as i32, JobFamily::Administrative),
                    },
                };
                let employee_no = format!("2015{number:03}");
                let input = EmployeeInput {
                    email: format!("emp{number:03}@junggu.example.go.kr"),
                    employee_no,
                    name,
                    department_code: Some(team_code.to_string()),
                    grade: Some(grade),
                    job_family: family,
                    active: true,
                };
                let roles = [RoleGrant {
                    role: Role::Member,
                    department_id: None,
                }];
                let id = service::create_employee(conn, org_id, &input, &roles, None, None, now)?;
                if number == 1 {
                    let pw = password::generate();
                    model::set_password(conn, &id, &password::hash(&pw)?, now)?;
                    accounts.push(DemoAccount {
                        employee_no: input.employee_no,
                        name: input.name,
                        role: "president",
                        password: pw,
                    });
                }
            }
        }

        let specials = [
            ("9000001", "관리자", "2010", 6, Role::Admin, "admin"),
            (
                "9000002",
                "평가위원",
                "1010",
                5,
                Role::Evaluator,
                "evaluator",
            ),
        ];
        for (employee_no, name, team, grade, role, label) in specials {
            let input = EmployeeInput {
                employee_no: employee_no.into(),
                name: format!(
                    "{}{}",
                    if role == Role::Admin { "박" } else { "정" },
                    if role == Role::Admin {
                        "총무"
                    } else {
                        "평가"
                    }
                ),
                email: format!("{label}@junggu.example.go.kr"),
                department_code: Some(team.into()),
                grade: Some(grade),
                job_family: JobFamily::Administrative,
                active: true,
            };
            let pw = password::generate();
            let roles = [
                RoleGrant {
                    role: Role::Member,
                    department_id: None,
                },
                RoleGrant {
                    role,
                    department_id: None,
                },
            ];
            let hash = password::hash(&pw)?;
            service::create_employee(conn, org_id, &input, &roles, Some(&hash), None, now)?;
            accounts.push(DemoAccount {
                employee_no: employee_no.into(),
                name: format!("{} ({name})", input.name),
                role: label,
                password: pw,
            });
        }
        Ok(accounts)
    }
}
