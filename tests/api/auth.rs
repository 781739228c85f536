use actix_web::http::StatusCode;
use chrono::Duration;
use dongari::org::model::Role;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, PASSWORD};

both_backends!(
    login_answers_a_token_that_opens_me,
    wrong_password_and_unknown_user_answer_the_same_401,
    repeated_failures_lock_the_number_for_a_while,
    a_member_is_refused_on_an_admin_endpoint,
    logout_ends_the_token,
    password_change_checks_rules_and_ends_old_tokens,
    inactive_employees_cannot_log_in,
    web_login_sets_a_session_and_home_shows_the_profile,
    forms_without_the_csrf_token_are_refused,
    login_redirects_only_to_plain_same_site_paths,
    an_active_session_is_renewed_and_an_idle_one_ends,
);

async fn login_answers_a_token_that_opens_me(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").name("이서연").create();

    let res = app.login_api("2015001", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let body = res.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let token = body["token"].as_str().unwrap();

    let me = app.get("/api/v1/me", Some(token)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["name"], "이서연");
    assert_eq!(me.json()["roles"][0]["role"], "member");
}

async fn wrong_password_and_unknown_user_answer_the_same_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();

    let wrong = app.login_api("2015001", "not-the-password-1").await;
    let unknown = app.login_api("2099999", "not-the-password-1").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.json()["error"], "invalid_credentials");
    assert!(app.get("/api/v1/me", None).await.status == StatusCode::UNAUTHORIZED);
}

async fn repeated_failures_lock_the_number_for_a_while(backend: Backend) {
    // config/test.toml: 3 failures lock for 10 minutes.
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();
    for _ in 0..3 {
        assert_eq!(
            app.login_api("2015001", "wrong-password-99").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = app.login_api("2015001", PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(locked.json()["error"], "too_many_attempts");
    assert_eq!(locked.header("retry-after"), Some("600"));

    // Unknown numbers lock the same way, so a lock reveals nothing.
    for _ in 0..3 {
        app.login_api("2099999", "wrong-password-99").await;
    }
    assert_eq!(
        app.login_api("2099999", "wrong-password-99").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );

    app.clock
        .advance(Duration::minutes(10) + Duration::seconds(1));
    assert_eq!(
        app.login_api("2015001", PASSWORD).await.status,
        StatusCode::OK
    );
    // A success clears the count: two more failures do not lock.
    for _ in 0..2 {
        app.login_api("2015001", "wrong-password-99").await;
    }
    assert_eq!(
        app.login_api("2015001", PASSWORD).await.status,
        StatusCode::OK
    );
}

async fn a_member_is_refused_on_an_admin_endpoint(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let member = app.employee("2015001").create();
    let evaluator = app.employee("2015002").role(Role::Evaluator).create();
    let (_, admin_token) = app.as_admin().await;

    for who in [&member, &evaluator] {
        let res = app
            .get("/api/v1/employees", Some(&app.token_for(who)))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.json()["error"], "forbidden");
    }
    let res = app.get("/api/v1/employees", Some(&admin_token)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.json()["total"], 3);
}

async fn logout_ends_the_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();
    let token = app.login_api("2015001", PASSWORD).await.json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(
        app.post_json("/api/v1/auth/logout", &json!({}), Some(&token))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn password_change_checks_rules_and_ends_old_tokens(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let e = app.employee("2015001").create();
    let old = app.token_for(&e);

    let wrong = app
        .post_json(
            "/api/v1/me/password",
            &json!({ "current_password": "nope-nope-123", "new_password": "Another-pass-42" }),
            Some(&old),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["field"], "current_password");
    let weak = app
        .post_json(
            "/api/v1/me/password",
            &json!({ "current_password": PASSWORD, "new_password": "short" }),
            Some(&old),
        )
        .await;
    assert_eq!(weak.json()["field"], "new_password");
    // A wrong current password and a weak new one: both named at once.
    let both = app
        .post_json(
            "/api/v1/me/password",
            &json!({ "current_password": "nope-nope-123", "new_password": "short" }),
            Some(&old),
        )
        .await
        .json();
    let fields: Vec<&str> = both["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["current_password", "new_password"], "{both}");
    assert_eq!(
        app.get("/api/v1/me", Some(&old)).await.status,
        StatusCode::OK,
        "a refused change keeps the session"
    );

    let ok = app
        .post_json(
            "/api/v1/me/password",
            &json!({ "current_password": PASSWORD, "new_password": "Another-pass-42" }),
            Some(&old),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let fresh = ok.json()["token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/me", Some(&old)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&fresh)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.login_api("2015001", "Another-pass-42").await.status,
        StatusCode::OK
    );
    let trail = app.db(|c| dongari::audit::for_subject(c, &e.id).unwrap());
    assert!(trail.iter().any(|ev| ev.action == "password.change"));
}

async fn inactive_employees_cannot_log_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let gone = app.employee("2015001").inactive().create();
    assert_eq!(
        app.login_api("2015001", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/me", Some(&app.token_for(&gone)))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

async fn web_login_sets_a_session_and_home_shows_the_profile(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    app.employee("2015001")
        .name("최지우")
        .department("2010")
        .grade(Some(7))
        .create();
    let browser = app.browser();

    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.header("location"), Some("/login?next=/"));

    let login_page = browser.get("/login").await;
    assert!(login_page.text().contains(r#"lang="ko""#));
    let csrf = browser.cookie("dongari_csrf").expect("csrf cookie set");
    assert!(
        login_page.text().contains(&csrf),
        "the form carries the token"
    );

    let failed = browser
        .post_form(
            "/login",
            &[("employee_no", "2015001"), ("password", "wrong-wrong-1")],
        )
        .await;
    assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
    assert!(failed
        .text()
        .contains("사원번호 또는 비밀번호가 올바르지 않습니다"));
    assert!(
        failed.text().contains(r#"value="2015001""#),
        "the number typed is kept"
    );

    let ok = browser.log_in("2015001", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let session = ok
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("dongari_session="));
    let session = session.expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(
        !session.contains("Secure"),
        "plain HTTP in tests: {session}"
    );

    // Behind a TLS proxy both cookies go out Secure.
    let over_tls =
        |req: actix_web::test::TestRequest| req.insert_header(("x-forwarded-proto", "https"));
    let form = app
        .send(over_tls(actix_web::test::TestRequest::get().uri("/login")))
        .await;
    let csrf = form
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("dongari_csrf="))
        .expect("a CSRF cookie");
    assert!(csrf.contains("Secure"), "{csrf}");
    let token = csrf["dongari_csrf=".len()..].split(';').next().unwrap();
    let login = app
        .send(over_tls(
            actix_web::test::TestRequest::post()
                .uri("/login")
                .insert_header(("cookie", format!("dongari_csrf={token}")))
                .set_form([
                    ("csrf_token", token),
                    ("employee_no", "2015001"),
                    ("password", PASSWORD),
                    ("next", "/"),
                ]),
        ))
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text());
    let secure_session = login
        .headers
        .get_all("set-cookie")
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("dongari_session="))
        .expect("session cookie");
    assert!(secure_session.contains("Secure"), "{secure_session}");

    let home = browser.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    for expected in [
        "최지우",
        "2015001",
        "행정관리국",
        "총무과",
        "7급",
        "행정",
        "회원",
        "80",
    ] {
        assert!(html.contains(expected), "home shows {expected}");
    }

    // A cookie never authorizes the API, and the API token never a page.
    let session_value = browser.cookie("dongari_session").unwrap();
    let api = app
        .send(
            actix_web::test::TestRequest::get()
                .uri("/api/v1/me")
                .insert_header(("cookie", format!("dongari_session={session_value}"))),
        )
        .await;
    assert_eq!(api.status, StatusCode::UNAUTHORIZED);

    let out = browser.post_form("/logout", &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.get("/").await.status, StatusCode::SEE_OTHER);
}

async fn forms_without_the_csrf_token_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();
    let browser = app.browser();
    browser.get("/login").await;

    let missing = browser
        .post_form_raw(
            "/login",
            &[("employee_no", "2015001"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert!(missing.text().contains("보안 토큰"));
    let forged = browser
        .post_form_raw(
            "/login",
            &[
                ("csrf_token", &"0".repeat(64)),
                ("employee_no", "2015001"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(browser.cookie("dongari_session").is_none());

    browser.log_in("2015001", PASSWORD).await;
    let logout = browser.post_form_raw("/logout", &[]).await;
    assert_eq!(logout.status, StatusCode::FORBIDDEN);
    assert_eq!(
        browser.get("/").await.status,
        StatusCode::OK,
        "still logged in"
    );
}

#[actix_web::test]
async fn tampered_expired_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let e = app.employee("2015001").create();
    let token = app.token_for(&e);
    assert_eq!(
        app.get("/api/v1/me", Some(&token)).await.status,
        StatusCode::OK
    );

    // Tampered: flip a character of the payload.
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    let mut payload = parts[1].clone().into_bytes();
    payload[5] = if payload[5] == b'A' { b'B' } else { b'A' };
    parts[1] = String::from_utf8(payload).unwrap();
    let tampered = parts.join(".");
    assert_eq!(
        app.get("/api/v1/me", Some(&tampered)).await.status,
        StatusCode::UNAUTHORIZED
    );

    // alg "none", no signature.
    let b64 = |s: &str| {
        use std::fmt::Write;
        // base64url without padding, written out to avoid a test-only crate.
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bytes = s.as_bytes();
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
            for i in 0..=chunk.len() {
                write!(out, "{}", A[(n >> (18 - 6 * i) & 63) as usize] as char).unwrap();
            }
        }
        out
    };
    let claims = token.split('.').nth(1).unwrap();
    let unsigned = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), claims);
    assert_eq!(
        app.get("/api/v1/me", Some(&unsigned)).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Expired: the token lives 60 minutes by the injected clock.
    app.clock.advance(Duration::minutes(61));
    let res = app.get("/api/v1/me", Some(&token)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.json()["error"], "unauthorized");
}

#[actix_web::test]
async fn login_redirects_only_within_the_site() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.employee("2015001").create();
    let browser = app.browser();
    browser.get("/login").await;
    let res = browser
        .post_form(
            "/login",
            &[
                ("employee_no", "2015001"),
                ("password", PASSWORD),
                ("next", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(res.header("location"), Some("/"));
}

/// After login only a same-site path of plain URL characters is followed:
/// a tab (which URL parsers skip, making `/<TAB>/evil.example` off-site),
/// control characters and backslashes all go home, and never answer 500.
async fn login_redirects_only_to_plain_same_site_paths(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();
    let cases = [
        ("/\t/evil.example", "/"),
        ("/\r\nSet-Cookie: x=y", "/"),
        ("/a\0b", "/"),
        ("/a\u{7f}", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/clubs?mine=true", "/clubs?mine=true"),
        (
            "/clubs/0190a000-0000-7000-8000-000000000001/reports/2026-11",
            "/clubs/0190a000-0000-7000-8000-000000000001/reports/2026-11",
        ),
    ];
    for (next, expected) in cases {
        let browser = app.browser();
        browser.get("/login").await;
        let res = browser
            .post_form(
                "/login",
                &[
                    ("employee_no", "2015001"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::SEE_OTHER,
            "{next:?}: {}",
            res.text()
        );
        assert_eq!(res.header("location"), Some(expected), "{next:?}");
    }
    let login_page = app.get("/login?next=/%09/evil.example", None).await.text();
    assert!(
        login_page.contains(r#"name="next" value="&#x2F;""#),
        "{login_page}"
    );
}

async fn an_active_session_is_renewed_and_an_idle_one_ends(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").name("최지우").create();
    let browser = app.browser();
    assert_eq!(
        browser.log_in("2015001", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let first = browser.cookie("dongari_session").unwrap();
    // Early in the token's life nothing changes.
    app.clock.advance(chrono::Duration::minutes(20));
    browser.get("/").await;
    assert_eq!(browser.cookie("dongari_session").unwrap(), first);
    // Someone at work for two hours, a page every 25 minutes, stays in
    // (the token lives an hour): each page past its half-life carries a
    // fresh one.
    for _ in 0..4 {
        app.clock.advance(chrono::Duration::minutes(25));
        let page = browser.get("/").await;
        assert_eq!(page.status, StatusCode::OK, "still logged in");
    }
    assert_ne!(browser.cookie("dongari_session").unwrap(), first);
    // Never on an asset, which a shared cache may keep.
    app.clock.advance(chrono::Duration::minutes(25));
    let asset = browser.get("/assets/css/app.css").await;
    assert_eq!(asset.status, StatusCode::OK);
    assert!(
        asset
            .cookies()
            .iter()
            .all(|(name, _)| name != "dongari_session"),
        "{:?}",
        asset.cookies()
    );
    app.clock.advance(chrono::Duration::minutes(-25));
    // An hour and more without a request ends the session.
    app.clock.advance(chrono::Duration::minutes(61));
    let idle = browser.get("/").await;
    assert_eq!(idle.status, StatusCode::SEE_OTHER);
    assert_eq!(idle.header("location"), Some("/login?next=/"));
    // A form sent after that goes back, after the login, to the page it
    // was sent from.
    let token = browser.cookie("dongari_csrf").unwrap();
    let late = browser
        .send(
            actix_web::test::TestRequest::post()
                .uri("/clubs/x/reports/2026-11")
                .insert_header((
                    "Referer",
                    "http://localhost:8080/clubs/x/reports/2026-11?from=home",
                ))
                .insert_header(("Host", "localhost:8080"))
                .set_form([("csrf_token", token.as_str()), ("narrative", "긴 글")]),
        )
        .await;
    assert_eq!(late.status, StatusCode::SEE_OTHER);
    assert_eq!(
        late.header("location"),
        Some("/login?next=/clubs/x/reports/2026-11%3Ffrom%3Dhome")
    );
    // Logging out ends the renewed token too.
    app.employee("2015002").create();
    let other = app.browser();
    other.log_in("2015002", PASSWORD).await;
    app.clock.advance(chrono::Duration::minutes(40));
    other.get("/").await;
    let renewed = other.cookie("dongari_session").unwrap();
    other.post_form("/logout", &[]).await;
    assert_eq!(
        app.get("/api/v1/me", Some(&renewed)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The pages that read their person with everything else (the home
    // page, my ledger) refuse the ended session too, and renew a live one.
    for page in ["/", "/me/ledger"] {
        let res = app
            .send(
                actix_web::test::TestRequest::get()
                    .uri(page)
                    .insert_header(("Cookie", format!("dongari_session={renewed}"))),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{page}");
        assert!(
            res.header("location").unwrap().starts_with("/login"),
            "{page}"
        );
    }
    let live = app.browser();
    live.log_in("2015001", PASSWORD).await;
    let fresh = live.cookie("dongari_session").unwrap();
    app.clock.advance(chrono::Duration::minutes(40));
    assert_eq!(live.get("/me/ledger").await.status, StatusCode::OK);
    assert_ne!(live.cookie("dongari_session").unwrap(), fresh, "renewed");
}
