//! Korean first, English on request: the toggle sets a cookie and goes
//! back; the pages converted so far (the layout, login, home, errors,
//! statistics) read in English, with hours and months written the English
//! way; Korean pages stay Korean.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;

use crate::helpers::{Backend, TestApp, PASSWORD};
use dongari::org::model::Role;

#[actix_web::test]
async fn the_toggle_switches_pages_to_english_and_back() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let member = app
        .employee("2015001")
        .name("최지우")
        .grade(Some(7))
        .create();
    let club = app.club("민원혁신 연구회", &member).create();
    app.employee("9000009")
        .name("관리자")
        .role(Role::Admin)
        .create();

    let browser = app.browser();
    let korean = browser.get("/login").await.text();
    assert!(korean.contains(r#"<html lang="ko">"#) && korean.contains("<h1>로그인</h1>"));
    assert!(korean.contains(r#"<a href="/lang/en" lang="en">English</a>"#));

    let switched = browser
        .send(
            TestRequest::get()
                .uri("/lang/en")
                .insert_header(("Host", "localhost:8080"))
                .insert_header(("Referer", "http://localhost:8080/login?next=/stats")),
        )
        .await;
    assert_eq!(switched.status, StatusCode::SEE_OTHER);
    assert_eq!(switched.header("location"), Some("/login?next=/stats"));
    assert_eq!(browser.cookie("dongari_lang").as_deref(), Some("en"));

    let english = browser.get("/login").await.text();
    assert!(english.contains(r#"<html lang="en">"#), "{english}");
    assert!(english.contains("<h1>Log in</h1>") && english.contains("Employee number"));
    assert!(!english.contains("사원번호"), "{english}");
    assert!(english.contains(r#"<a href="/lang/ko" lang="ko">한국어</a>"#));

    browser.log_in("2015001", PASSWORD).await;
    let home = browser.get("/").await.text();
    assert!(
        home.contains("Hello, 최지우") && home.contains("Continuous learning target 2026"),
        "{home}"
    );
    assert!(
        home.contains("second half of 2026: 0.0 h at club meetings"),
        "{home}"
    );
    assert!(
        home.contains(">Log out<") && home.contains("grade 7"),
        "{home}"
    );
    let clubs = browser.get("/clubs").await.text();
    assert!(
        clubs.contains("<h1>Clubs</h1>") && clubs.contains("1 club(s)"),
        "{clubs}"
    );
    let page = browser.get(&format!("/clubs/{}", club.id)).await.text();
    assert!(
        page.contains("Recent meetings")
            && page.contains("Members and their hours, second half of 2026"),
        "{page}"
    );
    let form = browser
        .get(&format!("/clubs/{}/meetings/new", club.id))
        .await
        .text();
    assert!(
        form.contains(">Topic<") && form.contains("Regular meeting"),
        "{form}"
    );
    let password = browser.get("/account/password").await.text();
    assert!(password.contains("Current password") && !password.contains("현재 비밀번호"));
    let missing = browser.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("Page not found"));

    let admin = app.browser();
    admin.get("/lang/en").await;
    admin.log_in("9000009", PASSWORD).await;
    let stats = admin.get("/stats").await.text();
    assert!(
        stats.contains("<h1>Statistics 2026</h1>")
            && stats.contains("Meeting person-hours by month, 2026"),
        "{stats}"
    );
    assert!(stats.contains(">Jan<"), "months on the chart");

    // Back to Korean; an unknown language is no page.
    assert_eq!(browser.get("/lang/ko").await.status, StatusCode::SEE_OTHER);
    let home = browser.get("/").await.text();
    assert!(
        home.contains("최지우님, 안녕하세요") && !home.contains("Hello"),
        "{home}"
    );
    assert_eq!(browser.get("/lang/fr").await.status, StatusCode::NOT_FOUND);
}
