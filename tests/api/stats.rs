//! Statistics: an office's meetings, attendance and hours by month and
//! department, report compliance by month, target attainment by grade and
//! department; a coordinator sees their departments only, a member
//! nothing; the page draws SVG charts with tables, the downloads hold the
//! same figures.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{with_bearer, Backend, TestApp, PASSWORD};
use dongari::org::model::Role;

both_backends!(statistics_count_the_year_by_month_department_and_grade);

fn meeting(held_on: &str, starts: &str, ends: &str, attendees: &[&str]) -> Value {
    json!({ "held_on": held_on, "starts_at": starts, "ends_at": ends, "kind": "regular",
            "place": "소회의실", "topic": "정책 공부", "attendees": attendees })
}

async fn statistics_count_the_year_by_month_department_and_grade(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let (_, admin) = app.as_admin().await;
    let president = app
        .employee("1000001")
        .name("김회장")
        .grade(Some(7))
        .department("2010")
        .create();
    let member = app
        .employee("1000002")
        .name("이회원")
        .grade(Some(7))
        .department("2020")
        .create();
    let nurse = app
        .employee("1000003")
        .name("박보건")
        .grade(Some(8))
        .department("5010")
        .create();
    let coordinator = app
        .employee("1000004")
        .name("정총괄")
        .grade(Some(6))
        .department("2010")
        .coordinator_of("2000")
        .create();
    let formed = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
    let admin_club = app
        .club("행정 공부", &president)
        .member(&member)
        .department("2010")
        .formed(formed)
        .create();
    let health_club = app
        .club("보건 공부", &nurse)
        .department("5010")
        .formed(formed)
        .create();

    for (club, token, body) in [
        (
            &admin_club.id,
            app.token_for(&president),
            meeting("2026-09-10", "19:00", "21:00", &[&president.id, &member.id]),
        ),
        (
            &admin_club.id,
            app.token_for(&president),
            meeting("2026-10-08", "19:00", "20:00", &[&president.id]),
        ),
        (
            &health_club.id,
            app.token_for(&nurse),
            meeting("2026-10-15", "19:00", "20:30", &[&nurse.id]),
        ),
    ] {
        let res = app
            .post_json(
                &format!("/api/v1/clubs/{club}/meetings"),
                &body,
                Some(&token),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    // September's report, late (it was due 5 October).
    let report = format!("/api/v1/clubs/{}/reports/2026-09", admin_club.id);
    let res = app
        .put_json(
            &report,
            &json!({ "narrative": "9월 활동" }),
            Some(&app.token_for(&president)),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = app
        .post_json(
            &format!("{report}/submit"),
            &json!({}),
            Some(&app.token_for(&president)),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // The president reaches the year's target from the HR system.
    let req = TestRequest::post()
        .uri("/api/v1/ledger/hr-imports")
        .insert_header(("Content-Type", "text/csv"))
        .set_payload("사원번호,학습유형,과정명,시간,학습일\n1000001,기관주관교육,정책기획 과정,100,2026-03-12\n");
    let res = app.send(with_bearer(req, Some(&admin))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    let stats = app.get("/api/v1/stats?year=2026", Some(&admin)).await;
    assert_eq!(stats.status, StatusCode::OK, "{}", stats.text());
    let stats = stats.json();
    let month = |m: usize| {
        let a = &stats["activity_by_month"][m - 1];
        (
            a["meetings"].as_i64().unwrap(),
            a["attendances"].as_i64().unwrap(),
            a["minutes"].as_i64().unwrap(),
        )
    };
    assert_eq!(month(9), (1, 2, 240), "{stats}");
    assert_eq!(month(10), (2, 2, 150), "{stats}");
    assert_eq!(month(11), (0, 0, 0));
    assert_eq!(stats["groups"], json!(["행정관리국", "보건소"]));
    let groups: Vec<(String, i64)> = stats["activity_by_group"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["label"].as_str().unwrap().to_string(),
                g["minutes"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [("행정관리국".to_string(), 300), ("보건소".to_string(), 90)]
    );
    assert_eq!(stats["activity_by_group_and_month"][1][9]["minutes"], 90);

    // Months that have ended; the clubs existed from September.
    let compliance: Vec<&Value> = stats["compliance_by_month"]
        .as_array()
        .unwrap()
        .iter()
        .collect();
    let months: Vec<&str> = compliance
        .iter()
        .map(|c| c["month"].as_str().unwrap())
        .collect();
    assert!(
        months.contains(&"2026-09") && months.contains(&"2026-10"),
        "{months:?}"
    );
    assert!(
        !months.contains(&"2026-11"),
        "November has not ended: {months:?}"
    );
    let september = compliance.iter().find(|c| c["month"] == "2026-09").unwrap();
    assert_eq!(september["late"], 1, "{september}");
    assert_eq!(september["on_time"], 0);
    assert_eq!(
        september["missing"].as_i64().unwrap() + september["not_submitted"].as_i64().unwrap(),
        1
    );
    let august = compliance.iter().find(|c| c["month"] == "2026-08");
    assert!(
        august.is_none_or(|a| a["late"] == 0 && a["missing"] == 0 && a["not_submitted"] == 0),
        "no club owed August"
    );

    let grade = |label: &str| {
        stats["targets_by_grade"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["label"] == label)
            .cloned()
            .unwrap_or(Value::Null)
    };
    // The president, the member and the administrator (grade 7 too).
    let seventh = grade("7급");
    assert_eq!(
        (seventh["people"].as_i64(), seventh["reached"].as_i64()),
        (Some(3), Some(1)),
        "{seventh}"
    );
    assert_eq!(seventh["percent"], 33);
    assert_eq!(grade("8급")["reached"], 0);
    assert_eq!(stats["evaluation_by_half"], json!([]));

    // A coordinator of 행정관리국: their departments, grouped one level down.
    let mine = app
        .get("/api/v1/stats", Some(&app.token_for(&coordinator)))
        .await
        .json();
    assert_eq!(
        mine["groups"],
        json!(["행정관리국", "총무과", "자치행정과"]),
        "{mine}"
    );
    assert_eq!(
        mine["activity_by_month"][9]["minutes"], 60,
        "the health club is not theirs"
    );
    assert_eq!(mine["activity_by_group"][1]["minutes"], 300);
    assert_eq!(
        app.get(
            "/api/v1/stats?department=5000",
            Some(&app.token_for(&coordinator))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/stats", Some(&app.token_for(&member)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/stats?year=1899", Some(&admin))
            .await
            .status,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The page: a chart for each section with figures, each with its table.
    app.employee("9000009")
        .name("관리자")
        .role(Role::Admin)
        .create();
    let browser = app.browser();
    browser.log_in("9000009", PASSWORD).await;
    let page = browser.get("/stats?year=2026").await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    // No round yet: that section says so instead of drawing.
    assert_eq!(page.matches("<svg").count(), 3, "{page}");
    assert!(page.contains("아직 평가가 없습니다."));
    assert!(
        page.contains("role=\"img\"")
            && page
                .contains("<title id=\"chart-hours-title\">2026년 월별 모임 시간(인·시간)</title>")
    );
    assert!(page.contains("<caption>월별 모임·참석·시간</caption>"));
    assert!(
        page.contains("<th scope=\"row\">9월</th><td>1</td><td>2</td><td>4시간</td>"),
        "{page}"
    );
    assert!(!page.contains("style="), "no inline style under the CSP");
    let csv = browser.get("/stats/activity.csv?year=2026").await;
    assert_eq!(csv.status, StatusCode::OK);
    let csv = csv.text();
    assert!(
        csv.contains("2026-09,합계,1,2,4\r\n") || csv.contains("2026-09,합계,1,2,4\n"),
        "{csv}"
    );
    assert!(csv.contains("2026-10,보건소,1,1,1.5"), "{csv}");
    let book = browser.get("/stats/all.xlsx?year=2026").await;
    assert_eq!(book.status, StatusCode::OK);
    assert_eq!(
        book.header("content-type"),
        Some(dongari::export::xlsx::CONTENT_TYPE)
    );
    // A native Excel chart beside the reports sheet; none beside the
    // prizes sheet, which has no round to chart this year.
    let parts = zip::ZipArchive::new(std::io::Cursor::new(book.body.to_vec())).unwrap();
    let charts: Vec<String> = parts
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .filter(|n| n.starts_with("xl/charts/chart"))
        .collect();
    assert_eq!(charts, ["xl/charts/chart1.xml"]);
    for missing in [
        "/stats/all.csv",
        "/stats/nothing.csv",
        "/stats/activity.pdf",
    ] {
        assert_eq!(
            browser.get(missing).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
}
