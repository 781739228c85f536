use dongari::org::import::{import_departments, import_employees, ImportError};
use dongari::org::model;

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    a_good_file_imports_and_a_second_run_updates,
    one_bad_line_imports_nothing_and_names_every_line,
    departments_import_with_parents_in_any_order
);

const HEADER: &str = "employee_no,name,email,department_code,grade,job_family\n";

async fn a_good_file_imports_and_a_second_run_updates(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let now = app.clock_naive();
    // Korean headers and a BOM, as Excel saves "CSV UTF-8".
    let file = "\u{feff}사원번호,성명,이메일,부서코드,직급,직군\n\
                2015001,김민준,minjun@junggu.go.kr,2010,7,행정\n\
                2015002,이서연,seoyeon@junggu.go.kr,5010,8급,관리운영-사무운영\n";
    let summary = app
        .db(|c| import_employees(c, &app.org, file.as_bytes(), now, &mut |_, _| {}))
        .unwrap();
    assert_eq!((summary.created, summary.updated), (2, 0));
    let seoyeon = app.db(|c| {
        model::employee_by_no(c, &app.org, "2015002")
            .unwrap()
            .unwrap()
    });
    assert_eq!(
        (seoyeon.grade, seoyeon.job_family.as_str()),
        (Some(8), "operations_office")
    );

    let again = format!("{HEADER}2015001,김민준,minjun@junggu.go.kr,2020,6,행정\n2015002,이서연,seoyeon@junggu.go.kr,5010,8,관리운영-사무운영\n");
    let mut calls = 0;
    let summary = app
        .db(|c| import_employees(c, &app.org, again.as_bytes(), now, &mut |_, _| calls += 1))
        .unwrap();
    assert_eq!(
        (summary.created, summary.updated, summary.unchanged),
        (0, 1, 1)
    );
    assert_eq!(calls, 2, "progress is reported per row");
    assert_eq!(
        app.db(|c| model::employee_by_no(c, &app.org, "2015001")
            .unwrap()
            .unwrap()
            .grade),
        Some(6)
    );
}

async fn one_bad_line_imports_nothing_and_names_every_line(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let now = app.clock_naive();
    let file = format!(
        "{HEADER}\
         2015001,김민준,minjun@junggu.go.kr,2010,7,행정\n\
         2015002,이서연,not-an-email,2010,7,행정\n\
         2015003,박도윤,doyun@junggu.go.kr,2010,12,행정\n\
         2015001,최지우,jiwoo@junggu.go.kr,9999,7,우주비행\n"
    );
    let Err(ImportError::Invalid(errors)) =
        app.db(|c| import_employees(c, &app.org, file.as_bytes(), now, &mut |_, _| {}))
    else {
        panic!("the file must be refused");
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(
        found,
        [
            (3, "email"),
            (4, "grade"),
            (5, "job_family"),
            (5, "employee_no"),
            (5, "department_code")
        ],
        "{errors:#?}"
    );
    assert!(
        errors[3].message.contains("2행"),
        "the duplicate names its first line: {}",
        errors[3].message
    );
    assert_eq!(
        app.db(|c| model::employee_count(c).unwrap()),
        0,
        "nothing imported"
    );

    let missing_column = "employee_no,name\n2015001,김민준\n";
    let Err(ImportError::Invalid(errors)) =
        app.db(|c| import_employees(c, &app.org, missing_column.as_bytes(), now, &mut |_, _| {}))
    else {
        panic!("a header without required columns must be refused");
    };
    assert_eq!(errors[0].line, 1);
    assert!(errors[0].message.contains("email"));

    let latin1 = b"employee_no,name,email,department_code,grade,job_family\n2015001,\xb1\xe8,a@b.kr,2010,7,x\n";
    let Err(ImportError::Invalid(errors)) =
        app.db(|c| import_employees(c, &app.org, latin1, now, &mut |_, _| {}))
    else {
        panic!("non-UTF-8 must be refused");
    };
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].message.contains("UTF-8"));

    // Excel writes CRLF; a quoted name may hold a newline. Lines are the
    // file's own, and the newline is named as such.
    let excel = "\u{feff}employee_no,name,email,department_code,grade,job_family\r\n\
                 2015001,김민준,minjun@junggu.go.kr,2010,7,행정\r\n\
                 2015002,\"이\r\n서연\",seoyeon@junggu.go.kr,2010,7,행정\r\n\
                 2015003,박도윤,not-an-email,2010,7,행정\r\n";
    let Err(ImportError::Invalid(errors)) =
        app.db(|c| import_employees(c, &app.org, excel.as_bytes(), now, &mut |_, _| {}))
    else {
        panic!("the file must be refused");
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(found, [(3, "name"), (5, "email")], "{errors:#?}");
    assert!(
        errors[0].message.contains("줄바꿈"),
        "{}",
        errors[0].message
    );
}

async fn departments_import_with_parents_in_any_order(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let now = app.clock_naive();
    let file = "code,name,parent_code\n1010,기획예산과,1000\n1000,기획재정국,\n1020,재무과,1000\n";
    let summary = app
        .db(|c| import_departments(c, &app.org, file.as_bytes(), now, &mut |_, _| {}))
        .unwrap();
    assert_eq!(summary.created, 3);
    let (child, parent) = app.db(|c| {
        (
            model::department_by_code(c, &app.org, "1010")
                .unwrap()
                .unwrap(),
            model::department_by_code(c, &app.org, "1000")
                .unwrap()
                .unwrap(),
        )
    });
    assert_eq!(child.parent_id.as_deref(), Some(parent.id.as_str()));

    let bad = "code,name,parent_code\n3000,복지국,\n3010,복지과,3999\n3000,중복,\n";
    let Err(ImportError::Invalid(errors)) =
        app.db(|c| import_departments(c, &app.org, bad.as_bytes(), now, &mut |_, _| {}))
    else {
        panic!("must be refused");
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(found, [(3, "parent_code"), (4, "code")]);
    assert!(app
        .db(|c| model::department_by_code(c, &app.org, "3000").unwrap())
        .is_none());
}

/// Clubs arrive with their history: formation dates, presidents past and
/// present, members who left. A bad file names every bad line and imports
/// nothing; a good one makes the clubs, whose reports are owed from their
/// formation.
async fn clubs_import_with_their_history(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    for no in ["2015001", "2015002", "2015003", "2015004"] {
        app.employee(no).create();
    }
    let now = app.clock_naive();
    let today = app.today();
    let header = "동아리,종류,부서코드,분야,결성일,사원번호,역할,가입일,탈퇴일\r\n";
    let bad = format!(
        "{header}\
         민원혁신 연구회,department,2010,work_improvement,2015-02-10,2015001,회장,2015-02-10,\r\n\
         민원혁신 연구회,department,2010,work_improvement,2015-02-10,2015002,president,2015-02-10,\r\n\
         예산 연구회,integrated,,budget,2015-3-01,2015003,member,2015-03-01,\r\n\
         예산 연구회,integrated,,budget,2015-03-01,9999999,member,2015-02-01,\r\n"
    );
    let Err(ImportError::Invalid(errors)) =
        app.db(|c| dongari::clubs::import::import_clubs(c, &app.org, bad.as_bytes(), today, now))
    else {
        panic!("the file must be refused");
    };
    let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert!(found.contains(&(4, "formed_on")), "{errors:#?}");
    assert!(found.contains(&(5, "employee_no")), "{errors:#?}");
    assert!(
        found.contains(&(2, "role")),
        "two current presidents: {errors:#?}"
    );
    let count = |app: &TestApp| {
        app.db(|c| {
            dongari::clubs::model::active_clubs(c, &app.org)
                .unwrap()
                .len()
        })
    };
    assert_eq!(count(&app), 0, "nothing imported");

    let good = format!(
        "{header}\
         민원혁신 연구회,department,2010,work_improvement,2015-02-10,2015001,member,2015-02-10,2020-12-31\r\n\
         민원혁신 연구회,department,2010,work_improvement,2015-02-10,2015001,president,2021-01-01,2024-02-29\r\n\
         민원혁신 연구회,department,2010,work_improvement,2015-02-10,2015002,president,2015-02-10,\r\n\
         민원혁신 연구회,department,2010,work_improvement,2015-02-10,2015003,member,2016-03-02,\r\n\
         예산 연구회,integrated,,budget,2026-09-01,2015004,회장,2026-09-01,\r\n"
    );
    let summary = app
        .db(|c| dongari::clubs::import::import_clubs(c, &app.org, good.as_bytes(), today, now))
        .unwrap();
    assert_eq!(summary.created, 2);
    assert_eq!(count(&app), 2);
    let (_, admin) = app.as_admin().await;
    let clubs = app.get("/api/v1/clubs", Some(&admin)).await.json();
    let budget = clubs["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "예산 연구회")
        .unwrap()
        .clone();
    assert_eq!(budget["formed_on"], "2026-09-01");
    let months = app
        .get(
            &format!("/api/v1/clubs/{}/reports", budget["id"].as_str().unwrap()),
            Some(&admin),
        )
        .await
        .json();
    assert_eq!(months["total"], 3, "September to November: {months}");
    // Importing the same clubs again is refused by name.
    let again =
        app.db(|c| dongari::clubs::import::import_clubs(c, &app.org, good.as_bytes(), today, now));
    assert!(matches!(again, Err(ImportError::Invalid(_))));
}

both_backends!(clubs_import_with_their_history);
