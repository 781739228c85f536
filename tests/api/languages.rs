//! Korean first, English on request: the toggle sets a cookie and goes
//! back; the pages (the layout, login, home, clubs, errors, statistics)
//! and the server's own messages read in English, with hours and months
//! written the English way; Korean pages stay Korean; the API's messages
//! are English.

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

/// The server's own sentences (validation errors, conflicts) read in the
/// page's language, and always in English on the API, beside their stable
/// codes and fields.
#[actix_web::test]
async fn errors_read_in_the_page_language_and_in_english_on_the_api() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let member = app.employee("2015001").name("최지우").create();
    let club = app.club("민원혁신 연구회", &member).create();
    let token = app.token_for(&member);

    let meeting = |starts_at: &str, place: &str| {
        serde_json::json!({ "held_on": "2026-11-12", "starts_at": starts_at, "ends_at": "20:30",
                            "kind": "regular", "place": place, "topic": "첫 모임",
                            "attendees": [member.id] })
    };
    let path = format!("/api/v1/clubs/{}/meetings", club.id);
    let backwards = app
        .post_json(&path, &meeting("21:00", "3층 소회의실"), Some(&token))
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = backwards.json();
    assert_eq!(body["error"], "validation_failed");
    assert_eq!(body["field"], "ends_at");
    assert_eq!(
        body["message"],
        "ends_at: The end time must be after the start time."
    );
    // A sentence made with a field's name and a number reads in English too.
    let long_place = app
        .post_json(&path, &meeting("18:30", &"가".repeat(300)), Some(&token))
        .await;
    assert_eq!(long_place.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        long_place.json()["message"],
        "place: Place: at most 100 characters."
    );

    let form = [
        ("current_password", "not-my-password"),
        ("new_password", "short"),
        ("confirm_password", "other"),
    ];
    let korean = app.browser();
    korean.log_in("2015001", PASSWORD).await;
    let page = korean.post_form("/account/password", &form).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.text().contains("새 비밀번호와 확인이 다릅니다."),
        "{}",
        page.text()
    );

    let english = app.browser();
    english.get("/lang/en").await;
    english.log_in("2015001", PASSWORD).await;
    let page = english.post_form("/account/password", &form).await.text();
    assert!(
        page.contains("The new password and its confirmation differ.")
            && page.contains("Passwords have at least"),
        "{page}"
    );
    assert!(!page.contains("비밀번호"), "{page}");
}

/// A person who chose English while logged in gets their mail in English;
/// the others stay Korean.
#[actix_web::test]
async fn mail_comes_in_the_language_its_reader_chose() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let president = app.employee("2015001").name("김회장").create();
    let other = app.employee("2015002").name("이회장").create();
    app.club("민원혁신 연구회", &president)
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap())
        .create();
    app.club("건강도시 연구회", &other)
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap())
        .create();
    let browser = app.browser();
    browser.log_in("2015001", PASSWORD).await;
    browser.get("/lang/en").await;

    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+09:00")
            .unwrap()
            .into(),
    );
    app.run_jobs();
    let delivered = app.state.mailer.delivered();
    let to = |address: &str| {
        delivered
            .iter()
            .find(|m| m.to == address)
            .unwrap_or_else(|| panic!("no mail to {address}: {delivered:?}"))
    };
    let english = to("2015001@junggu.example.go.kr");
    assert!(
        english
            .subject
            .starts_with("[Dongari] 민원혁신 연구회: the monthly report for November 2026 is due"),
        "{}",
        english.subject
    );
    assert!(
        english.text.starts_with("Hello 김회장,"),
        "{}",
        english.text
    );
    assert!(english.html.contains(r#"<html lang="en">"#));
    let korean = to("2015002@junggu.example.go.kr");
    assert!(
        korean
            .subject
            .contains("건강도시 연구회 2026년 11월 활동보고서 제출 안내"),
        "{}",
        korean.subject
    );
    assert!(
        korean.text.starts_with("이회장님, 안녕하세요."),
        "{}",
        korean.text
    );
}

/// The browser and the person agree at login: a language chosen before
/// logging in is kept with the person, and a browser that never chose
/// gets the person's.
#[actix_web::test]
async fn the_language_follows_the_person_to_a_new_browser() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.employee("2015001").name("최지우").create();
    let stored = || {
        use diesel::prelude::*;
        use dongari::db::schema::employees;
        app.db(|conn| {
            employees::table
                .filter(employees::employee_no.eq("2015001"))
                .select(employees::language)
                .first::<String>(conn)
                .unwrap()
        })
    };
    assert_eq!(stored(), "ko");

    let chose_first = app.browser();
    chose_first.get("/lang/en").await;
    chose_first.log_in("2015001", PASSWORD).await;
    assert_eq!(stored(), "en");

    let new_browser = app.browser();
    new_browser.log_in("2015001", PASSWORD).await;
    assert_eq!(new_browser.cookie("dongari_lang").as_deref(), Some("en"));
    let home = new_browser.get("/").await.text();
    assert!(home.contains("Hello, 최지우"), "{home}");
}

/// Every label an enum shows on the pages has its English (as itself, or
/// as a state: `취소|state`).
#[test]
fn every_enum_label_has_its_english() {
    use dongari::clubs::model::{
        ClubKind, ClubStatus, MeetingKind, MemberRole, RequestStatus, StudyField,
    };
    use dongari::evaluation::service::Phase;
    use dongari::i18n::{text, Lang};
    use dongari::ledger::model::{LearningType, OwnerKind, Source, SystemPurpose, Unit};
    let phases = [
        Phase::Upcoming,
        Phase::Submission,
        Phase::Between,
        Phase::Scoring,
        Phase::Closed,
        Phase::Confirmed,
    ]
    .map(|p| ("", p.label_ko()))
    .to_vec();
    let labels = [
        phases,
        dongari::badges::views::AwardStatus::options(),
        dongari::badges::classes::BadgeRule::options(),
        ClubKind::options(),
        ClubStatus::options(),
        MeetingKind::options(),
        MemberRole::options(),
        RequestStatus::options(),
        StudyField::options(),
        LearningType::options(),
        OwnerKind::options(),
        Source::options(),
        SystemPurpose::options(),
        Unit::options(),
        dongari::org::policy::PrizeTier::options(),
        dongari::leaderboard::board::Scope::options(),
        dongari::mileage::rules::Activity::options(),
        dongari::mileage::conversion::ConversionStatus::options(),
        dongari::reports::service::ReportStatus::options(),
        dongari::reports::service::ReportState::options(),
        dongari::vouchers::catalog::ItemKind::options(),
        dongari::vouchers::redemption::RedemptionStatus::options(),
        dongari::vouchers::rules::VoucherActivity::options(),
    ];
    let as_state = std::collections::HashMap::from([("ctx".to_string(), "state".to_string())]);
    let missing: Vec<&str> = labels
        .iter()
        .flatten()
        .map(|(_, label)| *label)
        .filter(|label| text(Lang::En, label, &as_state) == *label)
        .collect();
    assert!(missing.is_empty(), "without English: {missing:?}");
}

/// The tie rule the round page lists, from the ranking's own words.
#[test]
fn the_tie_rule_has_its_english() {
    use dongari::i18n::{message, Lang};
    for line in dongari::evaluation::ranking::TIE_RULE_KO {
        assert_ne!(message(Lang::En, line), *line, "{line}");
    }
}
