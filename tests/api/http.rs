use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    health_checks_the_database,
    nul_bytes_are_refused_everywhere_the_same_way,
    dates_months_and_half_years_are_parsed_strictly,
);

async fn health_checks_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status, StatusCode::OK);
    let expected = if backend == Backend::Sqlite {
        "sqlite"
    } else {
        "postgresql"
    };
    assert_eq!(res.json()["database"], expected);
    assert!(res.header("x-request-id").is_some_and(|id| id.len() == 16));
}

#[actix_web::test]
async fn bad_input_is_a_clear_4xx_never_a_500() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let malformed = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/token")
                .insert_header(("content-type", "application/json"))
                .set_payload("{\"employee_no\": "),
        )
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.json()["error"], "bad_request");
    assert!(malformed.json()["message"]
        .as_str()
        .unwrap()
        .contains("invalid JSON"));

    let missing_field = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/token")
                .set_json(serde_json::json!({ "employee_no": "1" })),
        )
        .await;
    assert_eq!(missing_field.status, StatusCode::BAD_REQUEST);
    assert!(missing_field.json()["message"]
        .as_str()
        .unwrap()
        .contains("password"));

    let wrong_type = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/token")
                .insert_header(("content-type", "text/plain"))
                .set_payload("hi"),
        )
        .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = format!(
        "{{\"employee_no\": \"{}\", \"password\": \"x\"}}",
        "9".repeat(300 * 1024)
    );
    let too_big = app
        .send(
            TestRequest::post()
                .uri("/api/v1/auth/token")
                .insert_header(("content-type", "application/json"))
                .set_payload(huge),
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_big.json()["error"], "payload_too_large");

    let unknown = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["error"], "not_found");

    let wrong_method = app.get("/api/v1/auth/token", None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.json()["error"], "method_not_allowed");
    assert_eq!(wrong_method.header("allow"), Some("POST"));

    let bad_query = app.get("/api/v1/employees?page=abc", None).await;
    assert!(bad_query.status.is_client_error());
}

#[actix_web::test]
async fn pages_answer_errors_in_korean_html() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/no-such-page", None).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert!(res.header("content-type").unwrap().starts_with("text/html"));
    let html = res.text();
    assert!(html.contains("페이지를 찾을 수 없습니다"));
    assert!(html.contains(r#"<html lang="ko">"#));
    assert!(html.contains(r##"href="#main""##), "skip link");

    let wrong_method = app.send(TestRequest::delete().uri("/login")).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(wrong_method.text().contains("요청"));
}

#[actix_web::test]
async fn assets_are_served_with_cache_headers_and_output_is_escaped() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let css = app.get("/assets/css/app.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.header("cache-control").unwrap().contains("max-age"));
    assert!(css.text().contains(":focus-visible"));

    // A name with markup is shown as text, not run.
    app.employee("2015001")
        .name("<script>alert(1)</script>")
        .create();
    let browser = app.browser();
    browser.log_in("2015001", crate::helpers::PASSWORD).await;
    let home = browser.get("/").await;
    let html = home.text();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;"));

    // Every answer — a page, the API, an error, an asset — carries the
    // security headers; the pages have no inline script or style to allow.
    let api = app.get("/api/v1/me", None).await;
    let missing = app.get("/no/such/page", None).await;
    for res in [&home, &css, &api, &missing] {
        let csp = res.header("content-security-policy").unwrap();
        for rule in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(rule), "{csp}");
        }
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(res.header("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(res.header("referrer-policy").unwrap(), "same-origin");
        assert!(res
            .header("permissions-policy")
            .unwrap()
            .contains("camera=()"));
    }
    assert!(!html.contains("<script>") && !html.contains(" style=\""));
}

/// A NUL byte (or another control character) is a 422 naming the field on
/// both backends — in the unauthenticated token request, in a JSON write,
/// in a form, in a path — and nothing is stored.
async fn nul_bytes_are_refused_everywhere_the_same_way(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let president = app.employee("2015001").create();
    let club = app.club("민원혁신 연구회", &president).create();
    let token = app.token_for(&president);

    let res = app
        .post_json(
            "/api/v1/auth/token",
            &serde_json::json!({ "employee_no": "2015\u{0}001", "password": "x" }),
            None,
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert_eq!(res.json()["field"], "employee_no");

    let meetings = format!("/api/v1/clubs/{}/meetings", club.id);
    let body = serde_json::json!({
        "held_on": "2026-11-20", "starts_at": "19:00", "ends_at": "20:00", "kind": "regular",
        "place": "소회의실", "topic": "민원\u{0}개선", "attendees": [president.id],
    });
    let res = app.post_json(&meetings, &body, Some(&token)).await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert_eq!(res.json()["field"], "topic");
    let listed = app.get(&meetings, Some(&token)).await.json();
    assert_eq!(listed["total"], 0, "nothing was stored");

    // Newlines and tabs in long texts are fine.
    let mut fine = body.clone();
    fine["topic"] = "민원 개선".into();
    fine["notes"] = "첫 줄\r\n둘째 줄\t끝".into();
    let res = app.post_json(&meetings, &fine, Some(&token)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());

    let res = app
        .get(&format!("/api/v1/clubs/{}%00", club.id), Some(&token))
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );

    let browser = app.browser();
    browser.get("/login").await;
    let res = browser
        .post_form(
            "/login",
            &[("employee_no", "2015001\u{1}"), ("password", "x")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// A date is `2026-11-20` and nothing else: no year BC, no missing zero, no
/// space; months `2026-11`, half-years `2026H2`. Each refusal names the field.
async fn dates_months_and_half_years_are_parsed_strictly(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let president = app.employee("2015001").create();
    let club = app.club("민원혁신 연구회", &president).create();
    let token = app.token_for(&president);
    let meetings = format!("/api/v1/clubs/{}/meetings", club.id);
    for held_on in [
        "-2026-11-18",
        "2026-11-1",
        " 2026-11-18",
        "2026-11-18 ",
        "12026-11-18",
    ] {
        let body = serde_json::json!({
            "held_on": held_on, "starts_at": "19:00", "ends_at": "20:00", "kind": "regular",
            "place": "소회의실", "topic": "민원 개선", "attendees": [president.id],
        });
        let res = app.post_json(&meetings, &body, Some(&token)).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{held_on:?}: {}",
            res.text()
        );
        assert_eq!(res.json()["field"], "held_on");
    }
    assert_eq!(app.get(&meetings, Some(&token)).await.json()["total"], 0);
    for bad in [
        "/api/v1/me/hours?half=2026h2",
        "/api/v1/me/hours?half=%202026H2",
    ] {
        let res = app.get(bad, Some(&token)).await;
        assert!(res.status.is_client_error(), "{bad}: {}", res.status);
    }
    let res = app
        .get(
            &format!("/api/v1/clubs/{}/reports/2026-1", club.id),
            Some(&token),
        )
        .await;
    assert!(res.status.is_client_error(), "{}", res.status);
}
