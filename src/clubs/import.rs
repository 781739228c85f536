//! CSV import of clubs with their real history: one row per membership —
//! the club (name, kind, home department, field, formation date) and a
//! member (employee number, role, joined, left). Every row is checked
//! first; on any error nothing is written and each bad line is reported.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::model::{self, ClubColumns, ClubKind, ClubStatus, MemberRole, StudyField};
use crate::audit;
use crate::db::DbConn;
use crate::org::import::{ImportError, ImportSummary, LineError, Sheet};
use crate::org::model as org;

const COLUMNS: &[(&str, &[&str])] = &[
    ("club", &["club", "club_name", "동아리", "동아리명"]),
    ("kind", &["kind", "종류"]),
    (
        "department_code",
        &["department_code", "부서코드", "소속부서"],
    ),
    ("field", &["field", "연구분야", "분야"]),
    ("formed_on", &["formed_on", "결성일"]),
    ("employee_no", &["employee_no", "사원번호"]),
    ("role", &["role", "역할"]),
    ("joined_on", &["joined_on", "가입일"]),
    ("left_on", &["left_on", "탈퇴일"]),
];

/// A club as the file describes it, and its memberships.
struct ClubPlan {
    line: u64,
    name: String,
    kind: ClubKind,
    department_id: Option<String>,
    field: StudyField,
    formed_on: NaiveDate,
    members: Vec<MemberPlan>,
}

struct MemberPlan {
    line: u64,
    employee_id: String,
    role: MemberRole,
    joined_on: NaiveDate,
    left_on: Option<NaiveDate>,
}

/// Imports the clubs of the file into the organization, all or none.
/// Clubs are created active; a club already there by name is an error.
pub fn import_clubs(
    conn: &mut DbConn,
    organization_id: &str,
    bytes: &[u8],
    today: NaiveDate,
    now: NaiveDateTime,
) -> Result<ImportSummary, ImportError> {
    let sheet = Sheet::read(
        bytes,
        COLUMNS,
        &[
            "club",
            "kind",
            "field",
            "formed_on",
            "employee_no",
            "role",
            "joined_on",
        ],
    )?;
    let mut errors = Vec::new();
    let mut bad = |line: u64, field: &str, message: String| {
        errors.push(LineError {
            line,
            field: field.into(),
            message,
        })
    };
    let departments: HashMap<String, String> = org::all_departments(conn, organization_id)?
        .into_iter()
        .map(|d| (d.code, d.id))
        .collect();
    let existing: Vec<String> = model::active_clubs(conn, organization_id)?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let mut plans: Vec<ClubPlan> = Vec::new();
    for (line, row) in &sheet.rows {
        let line = *line;
        let get = |field: &str| sheet.get(row, field).unwrap_or("").trim();
        let date = |field: &str, bad: &mut dyn FnMut(u64, &str, String)| {
            let text = get(field);
            let parsed = crate::clock::parse_date(text);
            if parsed.is_none() {
                bad(
                    line,
                    field,
                    format!("날짜는 2026-02-10 형식이어야 합니다 (입력값 '{text}')."),
                );
            }
            parsed
        };
        let name = get("club").to_string();
        if name.is_empty() || name.chars().count() > 60 {
            bad(line, "club", "동아리 이름은 1~60자입니다.".into());
        } else if existing.contains(&name) {
            bad(line, "club", format!("'{name}' 동아리가 이미 있습니다."));
        }
        let kind = ClubKind::parse(get("kind"));
        if kind.is_none() {
            bad(
                line,
                "kind",
                "종류는 department(국·소별) 또는 integrated(통합)입니다.".into(),
            );
        }
        let field = StudyField::parse(get("field"));
        if field.is_none() {
            bad(line, "field", "연구 분야는 work_improvement, district_issues, budget, resident_convenience 중 하나입니다.".into());
        }
        let code = get("department_code");
        let department_id = match (code.is_empty(), departments.get(code)) {
            (true, _) => None,
            (false, Some(id)) => Some(id.clone()),
            (false, None) => {
                bad(
                    line,
                    "department_code",
                    format!("부서 코드 '{code}'가 없습니다."),
                );
                None
            }
        };
        if kind == Some(ClubKind::Department) && code.is_empty() {
            bad(
                line,
                "department_code",
                "국·소별 동아리는 소속 부서가 필요합니다.".into(),
            );
        }
        let formed_on = date("formed_on", &mut bad);
        let joined_on = date("joined_on", &mut bad);
        let left_on = match get("left_on") {
            "" => None,
            _ => date("left_on", &mut bad),
        };
        let number = get("employee_no");
        let employee = org::employee_by_no(conn, organization_id, number)?;
        if employee.is_none() {
            bad(
                line,
                "employee_no",
                format!("사원번호 '{number}'인 직원이 없습니다."),
            );
        }
        let role = MemberRole::parse(get("role"));
        if role.is_none() {
            bad(
                line,
                "role",
                "역할은 president(회장) 또는 member(회원)입니다.".into(),
            );
        }
        if let (Some(f), Some(j)) = (formed_on, joined_on) {
            if j < f || j > today {
                bad(
                    line,
                    "joined_on",
                    "가입일은 결성일 이후이고 오늘보다 늦을 수 없습니다.".into(),
                );
            }
        }
        if let (Some(j), Some(l)) = (joined_on, left_on) {
            if l < j || l > today {
                bad(
                    line,
                    "left_on",
                    "탈퇴일은 가입일 이후이고 오늘보다 늦을 수 없습니다.".into(),
                );
            }
        }
        if formed_on.is_some_and(|f| f > today) {
            bad(
                line,
                "formed_on",
                "결성일은 오늘보다 늦을 수 없습니다.".into(),
            );
        }
        let (Some(kind), Some(field), Some(formed_on), Some(joined_on), Some(employee), Some(role)) =
            (kind, field, formed_on, joined_on, employee, role)
        else {
            continue;
        };
        let member = MemberPlan {
            line,
            employee_id: employee.id,
            role,
            joined_on,
            left_on,
        };
        match plans.iter_mut().find(|p| p.name == name) {
            Some(plan) => {
                if (plan.kind, plan.field, plan.formed_on, &plan.department_id)
                    != (kind, field, formed_on, &department_id)
                {
                    bad(
                        line,
                        "club",
                        format!(
                            "'{name}'의 종류·분야·부서·결성일이 {}행과 다릅니다.",
                            plan.line
                        ),
                    );
                }
                plan.members.push(member);
            }
            None => plans.push(ClubPlan {
                line,
                name,
                kind,
                department_id,
                field,
                formed_on,
                members: vec![member],
            }),
        }
    }
    for plan in &plans {
        let presidents = plan
            .members
            .iter()
            .filter(|m| m.role == MemberRole::President && m.left_on.is_none())
            .count();
        if presidents != 1 {
            bad(
                plan.line,
                "role",
                format!(
                    "'{}'에는 현재 회장이 한 명 있어야 합니다 ({presidents}명).",
                    plan.name
                ),
            );
        }
        for (i, m) in plan.members.iter().enumerate() {
            let overlaps = plan.members[..i].iter().any(|o| {
                o.employee_id == m.employee_id
                    && o.left_on.is_none_or(|l| l >= m.joined_on)
                    && m.left_on.is_none_or(|l| l >= o.joined_on)
            });
            if overlaps {
                bad(
                    m.line,
                    "employee_no",
                    "같은 사람의 가입 기간이 겹칩니다.".into(),
                );
            }
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Invalid(errors));
    }
    crate::db::write_tx(conn, |conn| {
        let mut summary = ImportSummary::default();
        for plan in &plans {
            let columns = ClubColumns {
                name: plan.name.clone(),
                kind: plan.kind.code().into(),
                home_department_id: plan.department_id.clone(),
                field: plan.field.code().into(),
                description: String::new(),
                usual_start: None,
                usual_end: None,
                usual_place: None,
            };
            let club = model::insert_club(
                conn,
                organization_id,
                &columns,
                ClubStatus::Active,
                None,
                plan.formed_on,
                now,
            )?;
            // Former members first: a past president has left before the
            // current one joins the club's one-president rule.
            let mut members: Vec<&MemberPlan> = plan.members.iter().collect();
            members.sort_by_key(|m| m.left_on.is_none());
            for m in members {
                let id = model::insert_membership(
                    conn,
                    &club,
                    &m.employee_id,
                    m.role,
                    m.joined_on,
                    now,
                )?;
                if let Some(left) = m.left_on {
                    model::end_membership(conn, &id, left)?;
                }
            }
            audit::record(
                conn,
                now,
                None,
                "club.import",
                &club,
                json!({ "name": plan.name, "formed_on": plan.formed_on, "members": plan.members.len() }),
            )?;
            summary.created += 1;
        }
        Ok::<_, ImportError>(summary)
    })
}
