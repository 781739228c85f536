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
