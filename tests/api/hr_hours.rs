//! Hours from the HR learning system: a CSV imported through the API, all
//! lines or none, each bad line named; the same file again records nothing.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{with_bearer, Backend, TestApp, TestResponse, PASSWORD};

both_backends!(
    an_hr_file_is_recorded_once_with_its_learning_types,
    a_file_with_bad_lines_records_nothing_and_names_each_line,
);

async fn upload(app: &TestApp, csv: &str, token: &str, content_type: &str) -> TestResponse {
    let req = TestRequest::post()
        .uri("/api/v1/ledger/hr-imports")
        .insert_header(("Content-Type", content_type))
        .set_payload(csv.as_bytes().to_vec());
    app.send(with_bearer(req, Some(token))).await
}

async fn hours_of(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/me/ledger?unit=hours&year=2026", Some(token))
        .await
        .json()
}

async fn an_hr_file_is_recorded_once_with_its_learning_types(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (administrator, admin) = app.as_admin().await;
    let person = app.employee("1000001").name("김학습").create();
    let second = app.employee("1000002").name("이학습").create();
    // An Excel file: BOM, CRLF, Korean headers, a record number on one line.
    let csv = "\u{feff}사원번호,학습유형,과정명,시간,학습일,이력번호\r\n\
               1000001,기관주관교육,정책기획 과정,3.5,2026-03-12,HR-1\r\n\
               1000001,사이버교육,데이터 분석 기초,2,2026-04-01,\r\n\
               1000002,부서학습,민원 응대,1.25,2026-05-02,\r\n";
    let first = upload(&app, csv, &admin, "text/csv; charset=utf-8").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert_eq!(first.json()["recorded"], 3);
    assert_eq!(first.json()["already_recorded"], 0);

    let again = upload(&app, csv, &admin, "text/csv").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["recorded"], 0);
    assert_eq!(again.json()["already_recorded"], 3);

    let mine = hours_of(&app, &app.token_for(&person)).await;
    assert_eq!(mine["balance"], 330, "{mine}");
    assert_eq!(mine["year_total"], 330);
    let entries = mine["entries"]["items"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let policy = entries.iter().find(|e| e["amount"] == 210).unwrap();
    assert_eq!(policy["source"], "hr_import");
    assert_eq!(policy["learning_type"], "institution_course");
    assert_eq!(policy["title"], "정책기획 과정");
    assert_eq!(policy["source_ref"], "HR-1");

    // The same record number with other content is refused, and nothing of
    // that file is written.
    let changed = "employee_no,learning_type,title,hours,date,record_no\n\
                   1000002,cyber,새 과정,1,2026-06-01,\n\
                   1000001,기관주관교육,정책기획 과정,4,2026-03-12,HR-1\n";
    let refused = upload(&app, changed, &admin, "text/csv").await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text()
    );
    assert_eq!(refused.json()["lines"][0]["line"], 3);
    assert_eq!(refused.json()["lines"][0]["field"], "record_no");
    assert_eq!(hours_of(&app, &app.token_for(&second)).await["balance"], 75);

    assert_eq!(
        upload(&app, csv, &app.token_for(&person), "text/csv")
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The HR export of the half: one line per person and record.
    let browser = app.browser();
    browser.log_in(&administrator.employee_no, PASSWORD).await;
    let export = browser.get("/ledger/hr-export/2026H1.csv").await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text());
    let text = export.text();
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with("사원번호,성명,부서,학습유형,과정명,인정시간"),
        "{text}"
    );
    let approver = format!(",인사 학습이력,{},", administrator.name);
    assert!(
        lines.iter().any(|l| l
            .starts_with("1000001,김학습,,기관주관교육,정책기획 과정,3.5,210,2026-03-12")
            && l.contains(&approver)),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("1000002,이학습,,부서학습,민원 응대,1.25,75,")),
        "{text}"
    );
    let workbook = browser.get("/ledger/hr-export/2026.xlsx").await;
    assert_eq!(workbook.status, StatusCode::OK);
    assert!(workbook.body.starts_with(b"PK"));
    assert_eq!(
        browser.get("/ledger/hr-export/2026H3.csv").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/ledger/hr-export/2026H1.pdf").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        upload(&app, csv, &admin, "application/json").await.status,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

async fn a_file_with_bad_lines_records_nothing_and_names_each_line(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, admin) = app.as_admin().await;
    let person = app.employee("1000001").create();
    let csv = "employee_no,learning_type,title,hours,date\r\n\
               1000001,cyber,좋은 줄,2,2026-03-01\r\n\
               9999999,cyber,없는 사람,2,2026-03-01\r\n\
               1000001,요리,모르는 유형,2,2026-03-01\r\n\
               1000001,cyber,시간 오류,1.3333,2026-03-01\r\n\
               1000001,cyber,날짜 오류,2,2026-3-1\r\n\
               1000001,cyber,미래,2,2099-01-01\r\n\
               1000001,cyber,좋은 줄,2,2026-03-01\r\n";
    let answer = upload(&app, csv, &admin, "text/csv").await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        answer.text()
    );
    let lines: Vec<(u64, String)> = answer.json()["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap(),
                l["field"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (3, "employee_no".to_string()),
            (4, "learning_type".to_string()),
            (5, "hours".to_string()),
            (6, "date".to_string()),
            (7, "date".to_string()),
            (8, "row".to_string()),
        ]
    );
    assert_eq!(hours_of(&app, &app.token_for(&person)).await["balance"], 0);
    let missing_column = upload(&app, "employee_no,title\n1000001,x\n", &admin, "text/csv").await;
    assert_eq!(missing_column.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing_column.json()["lines"][0]["line"], 1);
}
