//! The club pages as a person uses them in a browser.

use actix_web::http::StatusCode;
use dongari::clubs::model;
use dongari::org::model::Role;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, PASSWORD};

both_backends!(logging_a_meeting_takes_one_field_and_one_click);

fn meeting_count(app: &TestApp, club_id: &str) -> i64 {
    app.db(|c| model::meetings_of_club(c, club_id, 0, 100).unwrap().1)
}

async fn logging_a_meeting_takes_one_field_and_one_click(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2015002").name("이회원").create();
    let absent = app.employee("2015003").name("박회원").create();
    let club = app
        .club("민원혁신 연구회", &president)
        .member(&member)
        .member(&absent)
        .create();
    let browser = app.browser();
    browser.log_in("2015002", PASSWORD).await;

    // Home links straight to the form.
    let home = browser.get("/").await.text();
    assert!(home.contains(&format!("/clubs/{}/meetings/new", club.id)));

    let form = browser
        .get(&format!("/clubs/{}/meetings/new", club.id))
        .await;
    assert_eq!(form.status, StatusCode::OK);
    let html = form.text();
    // 09:00 in Seoul, before the usual 19:00 start: yesterday's meeting.
    assert!(html.contains(r#"value="2026-11-22""#), "date prefilled");
    assert!(
        html.contains(r#"value="19:00""#) && html.contains(r#"value="21:00""#),
        "usual time prefilled"
    );
    assert!(
        html.contains(r#"value="regular" checked"#),
        "정기 by default"
    );
    for who in [&president, &member] {
        assert!(
            html.contains(&format!(r#"value="{}" checked"#, who.id)),
            "{} ticked",
            who.name
        );
    }

    // A mistake re-renders the form with the message beside the field and the input kept.
    let wrong = browser
        .post_form(
            &format!("/clubs/{}/meetings/new", club.id),
            &[
                ("held_on", "2026-11-22"),
                ("starts_at", "19:00"),
                ("ends_at", "18:00"),
                ("kind", "regular"),
                ("place", "3층"),
                ("topic", "민원 절차"),
                ("attendees", &member.id),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = wrong.text();
    assert!(html.contains("끝나는 시각은 시작 시각보다 늦어야 합니다."));
    assert!(html.contains(r#"id="ends_at-error""#) && html.contains(r#"value="민원 절차""#));
    assert_eq!(meeting_count(&app, &club.id), 0);

    // The form as it came, plus a topic.
    let saved = browser
        .post_form(
            &format!("/clubs/{}/meetings/new", club.id),
            &[
                ("held_on", "2026-11-22"),
                ("starts_at", "19:00"),
                ("ends_at", "21:00"),
                ("kind", "regular"),
                ("place", "구청 3층"),
                ("topic", "민원 절차 개선"),
                ("attendees", &president.id),
                ("attendees", &member.id),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
    assert_eq!(
        saved.header("location"),
        Some(format!("/clubs/{}?done=meeting", club.id).as_str())
    );
    let page = browser
        .get(&format!("/clubs/{}?done=meeting", club.id))
        .await
        .text();
    assert!(page.contains("모임을 기록했습니다.") && page.contains("민원 절차 개선"));
    let meetings = app.db(|c| model::meetings_of_club(c, &club.id, 0, 10).unwrap().0);
    let meeting = meetings[0].id.clone();
    let attendance = app.db(move |c| model::attendance_of(c, &[meeting]).unwrap());
    assert_eq!(attendance[&meetings[0].id].len(), 2);
    assert!(page.contains("2시간"), "hours show on the club page");

    // The next form guesses from the last meeting: the same people (박회원
    // did not come), and 수시, since November has its regular meeting.
    let next = browser
        .get(&format!("/clubs/{}/meetings/new", club.id))
        .await
        .text();
    assert!(
        next.contains(r#"value="ad_hoc" checked"#),
        "수시 by default now"
    );
    assert!(next.contains(&format!(r#"value="{}" checked"#, member.id)));
    assert!(!next.contains(&format!(r#"value="{}" checked"#, absent.id)));

    // Without the CSRF token nothing is saved.
    let forged = browser
        .post_form_raw(
            &format!("/clubs/{}/meetings/new", club.id),
            &[
                ("held_on", "2026-11-21"),
                ("starts_at", "19:00"),
                ("ends_at", "21:00"),
                ("kind", "regular"),
                ("place", "x"),
                ("topic", "y"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(meeting_count(&app, &club.id), 1);

    // The author edits it, then deletes it.
    let id = &meetings[0].id;
    let edit = browser
        .get(&format!("/clubs/{}/meetings/{id}/edit", club.id))
        .await;
    assert!(edit.text().contains(r#"value="민원 절차 개선""#));
    let changed = browser
        .post_form(
            &format!("/clubs/{}/meetings/{id}/edit", club.id),
            &[
                ("held_on", "2026-11-22"),
                ("starts_at", "19:00"),
                ("ends_at", "20:00"),
                ("kind", "regular"),
                ("place", "구청 3층"),
                ("topic", "민원 절차 개선 2차"),
                ("attendees", &member.id),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.db(|c| model::meeting_by_id(c, id).unwrap().topic),
        "민원 절차 개선 2차"
    );
    let deleted = browser
        .post_form(&format!("/clubs/{}/meetings/{id}/delete", club.id), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert_eq!(meeting_count(&app, &club.id), 0);
}

#[actix_web::test]
async fn outsiders_ask_to_join_and_the_president_approves_on_the_page() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let president = app.employee("2015001").name("김회장").create();
    app.employee("2015003").name("박외부").create();
    let club = app.club("민원혁신 연구회", &president).create();

    let outsider = app.browser();
    outsider.log_in("2015003", PASSWORD).await;
    assert_eq!(
        outsider
            .get(&format!("/clubs/{}/meetings/new", club.id))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let page = outsider.get(&format!("/clubs/{}", club.id)).await.text();
    assert!(page.contains("가입 신청") && !page.contains("회원 추가"));
    let asked = outsider
        .post_form(
            &format!("/clubs/{}/join", club.id),
            &[("message", "함께하고 싶습니다")],
        )
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let again = outsider
        .post_form(&format!("/clubs/{}/join", club.id), &[("message", "")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("이미 가입 신청이 대기 중입니다."));

    let boss = app.browser();
    boss.log_in("2015001", PASSWORD).await;
    let page = boss.get(&format!("/clubs/{}", club.id)).await.text();
    assert!(page.contains("박외부 (2015003)") && page.contains("함께하고 싶습니다"));
    let request_id = app.db(|c| {
        model::pending_requests(c, &club.id).unwrap()[0]
            .0
            .id
            .clone()
    });
    let approved = boss
        .post_form(
            &format!("/clubs/{}/join-requests/{request_id}", club.id),
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER);
    assert_eq!(
        outsider
            .get(&format!("/clubs/{}/meetings/new", club.id))
            .await
            .status,
        StatusCode::OK,
        "now a member"
    );

    let unknown = boss
        .post_form(
            &format!("/clubs/{}/members", club.id),
            &[("employee_no", "2099999")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.text().contains(r#"id="employee_no-error""#));
}

#[actix_web::test]
async fn proposing_a_club_and_the_admin_approving_it_on_the_page() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_departments();
    app.employee("2015001").name("이제안").create();
    app.employee("9000001").role(Role::Admin).create();
    let employee = app.browser();
    employee.log_in("2015001", PASSWORD).await;
    assert!(employee.get("/clubs/new").await.text().contains("제안하기"));

    let empty = employee
        .post_form(
            "/clubs/new",
            &[("name", ""), ("kind", "department"), ("field", "budget")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text().contains("동아리 이름을 입력하세요."));
    let no_department = employee
        .post_form(
            "/clubs/new",
            &[
                ("name", "세입 연구회"),
                ("kind", "department"),
                ("field", "budget"),
            ],
        )
        .await;
    assert!(no_department
        .text()
        .contains("국·소별 동아리는 소속 부서가 필요합니다."));
    assert!(
        no_department.text().contains(r#"value="세입 연구회""#),
        "input kept"
    );

    let proposed = employee
        .post_form(
            "/clubs/new",
            &[
                ("name", "세입 연구회"),
                ("kind", "department"),
                ("home_department", "2010"),
                ("field", "budget"),
                ("description", ""),
                ("usual_start", "19:00"),
                ("usual_end", "21:00"),
                ("usual_place", ""),
            ],
        )
        .await;
    assert_eq!(
        proposed.status,
        StatusCode::SEE_OTHER,
        "{}",
        proposed.text()
    );
    let location = proposed.header("location").unwrap().to_string();
    assert!(employee
        .get(&location)
        .await
        .text()
        .contains("관리자가 승인하면 활동을 시작합니다"));

    let admin = app.browser();
    admin.log_in("9000001", PASSWORD).await;
    let club_path = location.split('?').next().unwrap().to_string();
    let home = admin.get("/").await.text();
    assert!(
        home.contains("승인을 기다리는 동아리 제안 1건") && home.contains("/clubs?status=proposed"),
        "the administrator's queue on the home page: {home}"
    );
    assert!(
        home.contains("기관 현황") && home.contains("2026년 10월 활동보고서"),
        "the office at a glance: {home}"
    );
    assert!(admin
        .get(&club_path)
        .await
        .text()
        .contains("동아리 제안 승인"));
    let decided = admin
        .post_form(
            &format!("{club_path}/decision"),
            &[("decision", "approve"), ("note", "")],
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    assert!(!admin.get("/").await.text().contains("처리할 일"));
    let list = employee.get("/clubs?mine=true").await.text();
    assert!(list.contains("세입 연구회") && list.contains("1개 동아리"));
    let filtered = employee.get("/clubs?department=5010").await.text();
    assert!(filtered.contains("0개 동아리"));
}

both_backends!(a_board_post_error_shows_in_the_post_form);

/// An empty post tells the member who wrote it, in the post form (the
/// study task's form, which has a title too, stays quiet); the text is
/// shown as paragraphs, escaped.
async fn a_board_post_error_shows_in_the_post_form(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2015002").name("이회원").create();
    let club = app
        .club("민원혁신 연구회", &president)
        .member(&member)
        .create();
    let posts = format!("/clubs/{}/posts", club.id);
    for (who, sees_task_form) in [("2015002", false), ("2015001", true)] {
        let browser = app.browser();
        browser.log_in(who, PASSWORD).await;
        let res = browser
            .post_form(&posts, &[("title", ""), ("body", ""), ("links", "")])
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text();
        assert!(html.contains(r#"id="post-title-error""#), "{who}: {html}");
        assert!(!html.contains(r#"id="task-title-error""#), "{who}");
        assert_eq!(html.contains(r#"id="task-title""#), sees_task_form);
        assert!(html.contains("저장하지 못했습니다"), "a summary at the top");
    }
    let browser = app.browser();
    browser.log_in("2015002", PASSWORD).await;
    let body = "첫 줄 <b>굵게</b>\n둘째 줄\n\n새 문단";
    let res = browser
        .post_form(&posts, &[("title", "정리"), ("body", body), ("links", "")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let page = browser.get(&format!("/clubs/{}", club.id)).await.text();
    assert!(
        page.contains("<p>첫 줄 &lt;b&gt;굵게&lt;&#x2F;b&gt;<br>둘째 줄</p><p>새 문단</p>"),
        "{page}"
    );
}
