//! Annual target progress: a person's target from the rules, the year's
//! recognized hours by source (a reversal under what it cancels), what
//! remains; the office list, the furthest behind first, as coordinators
//! and administrators see it, and as CSV; the pages that show it.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{with_bearer, Backend, TestApp, PASSWORD};
use dongari::org::model::Role;

both_backends!(progress_sums_the_year_by_source_against_the_target);

async fn progress_sums_the_year_by_source_against_the_target(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let (_, admin) = app.as_admin().await;
    let ahead = app
        .employee("1000001")
        .name("김앞섬")
        .department("2010")
        .create();
    let behind = app
        .employee("1000002")
        .name("이뒤짐")
        .department("2010")
        .create();
    let elsewhere = app
        .employee("1000003")
        .name("박보건")
        .department("5010")
        .create();
    let senior = app
        .employee("1000004")
        .name("최국장")
        .grade(Some(4))
        .department("2010")
        .create();
    let coordinator = app
        .employee("1000005")
        .name("정총괄")
        .department("2010")
        .coordinator_of("2000")
        .create();

    // 70 h and 2 h from HR, a manual 5 h that is then reversed, and last
    // year's hours that do not count for 2026.
    let csv = "사원번호,학습유형,과정명,시간,학습일\n\
               1000001,기관주관교육,정책기획 과정,70,2026-03-12\n\
               1000002,사이버교육,데이터 기초,2,2026-04-01\n\
               1000002,사이버교육,작년 과정,30,2025-11-01\n\
               1000003,부서학습,보건 실무,40,2026-05-02\n";
    let req = TestRequest::post()
        .uri("/api/v1/ledger/hr-imports")
        .insert_header(("Content-Type", "text/csv"))
        .set_payload(csv.as_bytes().to_vec());
    let res = app.send(with_bearer(req, Some(&admin))).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let adjustment = app
        .post_json(
            "/api/v1/ledger/adjustments",
            &json!({ "employee_no": "1000002", "unit": "hours", "amount": 300,
                     "counts_for": "2026-06-30", "reason": "외부 교육 인정",
                     "idempotency_key": "adj-1" }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        adjustment.status,
        StatusCode::CREATED,
        "{}",
        adjustment.text()
    );
    let movement = adjustment.json()["id"].as_str().unwrap().to_string();
    let reversal = app
        .post_json(
            &format!("/api/v1/ledger/movements/{movement}/reverse"),
            &json!({ "reason": "중복 인정", "idempotency_key": "rev-1" }),
            Some(&admin),
        )
        .await;
    assert_eq!(reversal.status, StatusCode::CREATED, "{}", reversal.text());
    // The person is told, with the amount, the source and the reason.
    let told: Vec<_> = app
        .db(|c| dongari::mail::outbox::all(c).unwrap())
        .into_iter()
        .filter(|m| m.subject.contains("기록 취소"))
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_address, "1000002@junggu.example.go.kr");
    assert!(
        told[0]
            .body_text
            .contains("2026-06-30자 수동 조정 기록이 취소되어 상시학습 시간 5시간을 뺐습니다.")
            && told[0].body_text.contains("사유: 중복 인정"),
        "{}",
        told[0].body_text
    );

    let mine = app
        .get(
            "/api/v1/me/progress?year=2026",
            Some(&app.token_for(&behind)),
        )
        .await
        .json();
    assert_eq!(mine["target_minutes"], 80 * 60, "{mine}");
    assert_eq!(mine["recognized_minutes"], 120);
    assert_eq!(mine["remaining_minutes"], 80 * 60 - 120);
    assert_eq!(mine["percent"], 2);
    assert_eq!(
        mine["by_source"],
        json!([{ "source": "hr_import", "label": "인사 학습이력", "minutes": 120 }]),
        "the adjustment and its reversal cancel under one source"
    );
    let senior_progress = app
        .get("/api/v1/me/progress", Some(&app.token_for(&senior)))
        .await
        .json();
    assert_eq!(senior_progress["target_minutes"], Value::Null);
    assert_eq!(senior_progress["percent"], Value::Null);
    let res = app.get("/api/v1/me/progress?year=1999", Some(&admin)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["field"], "year");

    // The administrator sees the office, the furthest behind first.
    let office = app
        .get(
            "/api/v1/ledger/progress?year=2026&per_page=200",
            Some(&admin),
        )
        .await
        .json();
    let order: Vec<&str> = office["people"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["employee_no"].as_str().unwrap())
        .collect();
    let at = |no: &str| order.iter().position(|n| *n == no).unwrap();
    assert!(
        at("1000002") < at("1000003") && at("1000003") < at("1000001"),
        "{order:?}"
    );
    assert_eq!(order.last(), Some(&"1000004"), "no target last: {order:?}");
    assert_eq!(office["summary"]["people"], office["people"]["total"]);
    let below = app
        .get("/api/v1/ledger/progress?below=true", Some(&admin))
        .await
        .json();
    assert!(below["people"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["remaining_minutes"].as_i64().unwrap() > 0));

    // A coordinator of 행정관리국 sees its 과, not 보건소; others nothing.
    let theirs = app
        .get(
            "/api/v1/ledger/progress",
            Some(&app.token_for(&coordinator)),
        )
        .await
        .json();
    let nos: Vec<&str> = theirs["people"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["employee_no"].as_str().unwrap())
        .collect();
    assert!(
        nos.contains(&"1000001") && !nos.contains(&"1000003"),
        "{nos:?}"
    );
    let outside = app
        .get(
            "/api/v1/ledger/progress?department=5000",
            Some(&app.token_for(&coordinator)),
        )
        .await;
    assert_eq!(outside.status, StatusCode::FORBIDDEN);
    let member = app
        .get("/api/v1/ledger/progress", Some(&app.token_for(&ahead)))
        .await;
    assert_eq!(member.status, StatusCode::FORBIDDEN);
    let _ = elsewhere;

    // The pages: my ledger with the bar, the office list and its CSV.
    let browser = app.browser();
    assert_eq!(
        browser.log_in("1000002", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let home = browser.get("/").await.text();
    assert!(
        home.contains("2026년 상시학습 목표") && home.contains("<progress"),
        "{home}"
    );
    let ledger = browser.get("/me/ledger").await;
    assert_eq!(ledger.status, StatusCode::OK);
    let ledger = ledger.text();
    assert!(
        ledger.contains("데이터 기초") && ledger.contains("중복 인정"),
        "{ledger}"
    );
    assert!(
        !ledger.contains("작년 과정"),
        "another year's entry is not listed"
    );
    assert_eq!(
        browser.get("/me/ledger?unit=gold").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/ledger/progress").await.status,
        StatusCode::FORBIDDEN
    );

    let admin_browser = app.browser();
    app.employee("9000009")
        .name("관리자")
        .role(Role::Admin)
        .create();
    admin_browser.log_in("9000009", PASSWORD).await;
    let page = admin_browser.get("/ledger/progress?below=on").await.text();
    assert!(
        page.contains("이뒤짐") && !page.contains("최국장"),
        "{page}"
    );
    let file = admin_browser.get("/ledger/progress.csv?year=2026").await;
    assert_eq!(file.status, StatusCode::OK);
    let text = file.text();
    assert!(
        text.starts_with("\u{feff}사원번호,성명,부서,목표시간,인정시간,남은시간,달성률(%)"),
        "{text}"
    );
    assert!(
        text.contains("1000002,이뒤짐,총무과,80,2,78,2,0,2,0,0"),
        "{text}"
    );
    assert_eq!(
        admin_browser.get("/ledger/progress.pdf").await.status,
        StatusCode::NOT_FOUND
    );

    // The import page: cells pasted from a spreadsheet (tab-separated),
    // all lines or none, each bad line named.
    assert_eq!(
        admin_browser.get("/ledger/hr-imports").await.status,
        StatusCode::OK
    );
    let pasted =
        "사원번호\t학습유형\t과정명\t시간\t학습일\n1000001\t직장교육\t청렴 교육\t2\t2026-09-01\n";
    let done = admin_browser
        .post_form("/ledger/hr-imports", &[("csv", pasted)])
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(
        done.text().contains("1건을 기록했습니다"),
        "{}",
        done.text()
    );
    let again = admin_browser
        .post_form("/ledger/hr-imports", &[("csv", pasted)])
        .await
        .text();
    assert!(
        again.contains("0건을 기록했습니다") && again.contains("1건은 이미"),
        "{again}"
    );
    let bad = admin_browser
        .post_form(
            "/ledger/hr-imports",
            &[(
                "csv",
                "사원번호,학습유형,과정명,시간,학습일\n1000001,요가,과정,2,2026-09-01\n",
            )],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text().contains("2번째 줄 · learning_type"),
        "{}",
        bad.text()
    );
    assert_eq!(
        browser.get("/ledger/hr-imports").await.status,
        StatusCode::FORBIDDEN
    );
}
