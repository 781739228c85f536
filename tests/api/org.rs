use actix_web::http::StatusCode;
use dongari::org::model::{JobFamily, Role};

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    me_shows_department_roles_and_target_hours,
    target_hours_follow_grade_and_job_family,
    employee_list_pages_and_filters
);

async fn me_shows_department_roles_and_target_hours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let e = app
        .employee("2015001")
        .department("5010")
        .grade(Some(6))
        .role(Role::Evaluator)
        .create();
    let me = app.get("/api/v1/me", Some(&app.token_for(&e))).await.json();
    assert_eq!(me["department"]["name"], "보건행정과");
    assert_eq!(me["division"]["name"], "보건소");
    assert_eq!(me["grade"], 6);
    assert_eq!(me["job_family"], "administrative");
    let roles: Vec<&str> = me["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["member", "evaluator"]);
    assert_eq!(me["annual_target_hours"], 80);
}

async fn target_hours_follow_grade_and_job_family(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases = [
        ("2015001", Some(9), JobFamily::Administrative, Some(80)),
        ("2015002", Some(5), JobFamily::Technical, Some(80)),
        ("2015003", Some(4), JobFamily::Administrative, None),
        ("2015004", Some(8), JobFamily::OperationsOffice, Some(80)),
        ("2015005", Some(8), JobFamily::OperationsOther, Some(30)),
        ("2015006", None, JobFamily::FixedTerm, None),
    ];
    for (no, grade, family, expected) in cases {
        let e = app.employee(no).grade(grade).job_family(family).create();
        let me = app.get("/api/v1/me", Some(&app.token_for(&e))).await.json();
        assert_eq!(
            me["annual_target_hours"].as_i64(),
            expected,
            "{no} {grade:?} {family:?}"
        );
    }
    let (_, token) = app.as_admin().await;
    let rules = app.get("/api/v1/target-rules", Some(&token)).await.json();
    assert_eq!(rules["total"], 4);
    assert_eq!(rules["items"][0]["description"], "4급 이상: 목표시간 없음");
}

async fn employee_list_pages_and_filters(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    for i in 1..=5 {
        app.employee(&format!("201500{i}"))
            .department(if i <= 3 { "2010" } else { "5010" })
            .without_password()
            .create();
    }
    let (_, token) = app.as_admin().await;

    let page = app
        .get("/api/v1/employees?page=2&per_page=2", Some(&token))
        .await
        .json();
    assert_eq!(page["total"], 6);
    let numbers: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["employee_no"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["2015003", "2015004"]);

    let health = app
        .get("/api/v1/employees?department=5010", Some(&token))
        .await
        .json();
    assert_eq!(health["total"], 2);
    assert_eq!(health["items"][0]["department_code"], "5010");

    let bad = app
        .get("/api/v1/employees?per_page=1000", Some(&token))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["field"], "per_page");
    let unknown = app
        .get("/api/v1/employees?department=9999", Some(&token))
        .await;
    assert_eq!(unknown.json()["field"], "department");

    let departments = app.get("/api/v1/departments", Some(&token)).await.json();
    assert_eq!(departments["total"], 5);
    let clinic = departments["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "5010")
        .unwrap()
        .clone();
    assert_eq!(clinic["parent_code"], "5000");
}
