//! The report pages as a browser sees them: writing and submitting a
//! month's report, who reads what, and the compliance view with its CSV.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use dongari::org::model::Role;
use serde_json::json;

use crate::helpers::{Backend, TestApp, TestClub, PASSWORD};

fn february() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 2, 1).unwrap()
}

fn club_in(app: &TestApp, name: &str, department: &str, president_no: &str) -> TestClub {
    let president = app.employee(president_no).name("김회장").create();
    app.club(name, &president)
        .department(department)
        .formed(february())
        .create()
}

#[actix_web::test]
async fn the_president_writes_and_submits_and_everyone_reads_the_submission() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_departments();
    let member = app.employee("2015002").name("이회원").create();
    let president = app.employee("2015001").name("김회장").create();
    let club = app
        .club("민원혁신 연구회", &president)
        .department("2010")
        .formed(february())
        .member(&member)
        .create();
    app.employee("2015003").name("박외부").create();
    let page = format!("/clubs/{}/reports/2026-11", club.id);

    let boss = app.browser();
    boss.log_in("2015001", PASSWORD).await;
    let empty = boss.get(&page).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text().contains("보고서 작성") && empty.text().contains("미작성"));

    let saved = boss
        .post_form(
            &page,
            &[("narrative", "초안: 아직 쓰는 중"), ("action", "save")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        saved.header("location"),
        Some(&*format!("{page}?done=saved"))
    );

    // A draft is the club's own: an outsider sees neither it nor the form.
    let outsider = app.browser();
    outsider.log_in("2015003", PASSWORD).await;
    let seen = outsider.get(&page).await.text();
    assert!(!seen.contains("초안: 아직") && !seen.contains("보고서 작성"));
    // A plain member reads but does not write.
    let reader = app.browser();
    reader.log_in("2015002", PASSWORD).await;
    assert!(!reader
        .get(&page)
        .await
        .text()
        .contains("name=\"narrative\""));

    let blank = boss
        .post_form(&page, &[("narrative", "  "), ("action", "submit")])
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(blank.text().contains(r#"id="narrative-error""#));

    let submitted = boss
        .post_form(
            &page,
            &[
                ("narrative", "민원 절차를 점검했습니다."),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(submitted.status, StatusCode::SEE_OTHER);
    let seen = outsider.get(&page).await.text();
    assert!(seen.contains("민원 절차를 점검했습니다.") && seen.contains("제출본 1판"));

    // An amendment needs a reason; the typed text stays in the form.
    let no_reason = boss
        .post_form(
            &page,
            &[("narrative", "고친 내용입니다."), ("action", "submit")],
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.text().contains(r#"id="amendment_reason-error""#));
    assert!(no_reason.text().contains("고친 내용입니다."));
    let amended = boss
        .post_form(
            &page,
            &[
                ("narrative", "고친 내용입니다."),
                ("amendment_reason", "참석자 누락"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(amended.status, StatusCode::SEE_OTHER);
    let seen = outsider.get(&page).await.text();
    assert!(seen.contains("제출본 2판") && seen.contains("제출본 1판"));
    assert!(seen.contains("수정 사유: 참석자 누락"));
}

#[actix_web::test]
async fn compliance_is_for_admins_and_coordinators_of_their_department() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_departments();
    let admin_side = club_in(&app, "민원혁신 연구회", "2010", "2015001");
    club_in(&app, "건강도시 연구회", "5010", "2015101");
    app.employee("2015009")
        .name("박담당")
        .coordinator_of("2000")
        .create();
    app.employee("9000001").role(Role::Admin).create();
    app.employee("2015500").name("최직원").create();

    // October (due 5 November) goes in late for one club; the sweep marks
    // the other missing.
    let token = app.token_for(&admin_side.president);
    let url = format!("/api/v1/clubs/{}/reports/2026-10", admin_side.id);
    app.put_json(&url, &json!({ "narrative": "10월 활동" }), Some(&token))
        .await;
    let res = app
        .post_json(&format!("{url}/submit"), &json!({}), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    app.run_jobs();

    let admin = app.browser();
    admin.log_in("9000001", PASSWORD).await;
    let page = admin.get("/reports/compliance?month=2026-10").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("민원혁신 연구회") && text.contains("건강도시 연구회"));
    assert!(text.contains("지각 1") && text.contains("미제출 1"));
    let only_health = admin
        .get("/reports/compliance?month=2026-10&department=5000")
        .await
        .text();
    assert!(only_health.contains("건강도시 연구회") && !only_health.contains("민원혁신 연구회"));
    let bad = admin.get("/reports/compliance?month=2026-13").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    let csv = admin.get("/reports/compliance.csv?month=2026-10").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(csv.body.starts_with(b"\xEF\xBB\xBF"), "BOM for Excel");
    let lines: Vec<String> = csv.text().lines().map(str::to_string).collect();
    assert_eq!(lines[0], "\u{feff}동아리,소속 부서,회장,상태,제출 시각");
    assert_eq!(lines.len(), 3);
    assert!(lines
        .iter()
        .any(|l| l.starts_with("건강도시 연구회,보건행정과,김회장,미제출,")));
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("민원혁신 연구회,총무과,김회장,지각 제출,2026-11-23 ")),
        "a time Excel reads as a date: {lines:?}"
    );

    // The coordinator of 행정관리국 sees its clubs only, and not 보건소's.
    let coordinator = app.browser();
    coordinator.log_in("2015009", PASSWORD).await;
    let text = coordinator
        .get("/reports/compliance?month=2026-10")
        .await
        .text();
    assert!(text.contains("민원혁신 연구회") && !text.contains("건강도시 연구회"));
    let other = coordinator
        .get("/reports/compliance.csv?month=2026-10&department=5000")
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // Everyone else: no link, no page, no CSV.
    let employee = app.browser();
    employee.log_in("2015500", PASSWORD).await;
    assert!(!employee.get("/").await.text().contains("보고서 제출 현황"));
    for path in ["/reports/compliance", "/reports/compliance.csv"] {
        assert_eq!(employee.get(path).await.status, StatusCode::FORBIDDEN);
    }
}

/// The home page tells a president which monthly reports are owed: those
/// past their due date, and the month just ended with its due date; a
/// member is not asked, and a submitted month leaves the list.
#[actix_web::test]
async fn the_home_page_lists_the_reports_a_president_owes() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2015002").name("이회원").create();
    let club = app
        .club("민원혁신 연구회", &president)
        .member(&member)
        .formed(NaiveDate::from_ymd_opt(2026, 9, 10).unwrap())
        .create();
    let at = |day: &str| {
        chrono::DateTime::parse_from_rfc3339(&format!("{day}T09:00:00+09:00"))
            .unwrap()
            .into()
    };
    app.clock.set(at("2026-12-02"));
    let boss = app.browser();
    boss.log_in("2015001", PASSWORD).await;
    let home = boss.get("/").await.text();
    assert!(home.contains("할 일"), "{home}");
    for (month, text) in [
        ("2026-09", "2026년 9월 활동보고서 미제출 (기한 2026-10-05)"),
        ("2026-10", "2026년 10월 활동보고서 미제출 (기한 2026-11-05)"),
        ("2026-11", "2026-12-05까지"),
    ] {
        assert!(home.contains(text), "{text}: {home}");
        assert!(home.contains(&format!("/clubs/{}/reports/{month}", club.id)));
    }
    assert!(
        !home.contains("2026년 12월 활동보고서"),
        "not due before it ends"
    );
    let (url, token) = (
        format!("/api/v1/clubs/{}/reports/2026-11", club.id),
        app.token_for(&president),
    );
    let res = app
        .put_json(&url, &json!({ "narrative": "정기모임 2회" }), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = app
        .post_json(&format!("{url}/submit"), &json!({}), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert!(!boss.get("/").await.text().contains("2026-12-05까지"));

    let reader = app.browser();
    reader.log_in("2015002", PASSWORD).await;
    assert!(!reader.get("/").await.text().contains("할 일"));
}
