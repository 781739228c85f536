//! Recognized hours from club meetings through the ledger, computed by hand:
//! a person in two clubs with 15 h in the half (12 h granted, 3 h earned but
//! not recognized), a meeting removed after the grant (its part taken back),
//! two administrators approving at once (granted once), on both backends.

use actix_web::http::StatusCode;
use chrono::{NaiveDate, NaiveTime};
use dongari::clubs::model::{self as clubs, MeetingColumns};
use dongari::org::model::{Employee, Role};
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, PASSWORD};

both_backends!(
    fifteen_hours_in_two_clubs_grant_twelve_once,
    a_meeting_removed_after_the_grant_is_taken_back,
    two_approvals_at_once_grant_once,
    the_recognition_page_approves_everyone,
    my_ledger_traces_each_hour_to_its_meetings,
    an_adjustment_is_made_once_and_reversed_once,
    a_lowered_cap_is_previewed_then_applied_as_a_difference,
    a_person_who_moved_offices_has_one_cap,
);

/// A regular meeting of `hours` on the day, attended by these people.
fn meeting(
    app: &TestApp,
    club: &str,
    by: &Employee,
    day: (u32, u32),
    hours: u32,
    present: &[&Employee],
) -> String {
    let columns = MeetingColumns {
        held_on: NaiveDate::from_ymd_opt(2026, day.0, day.1).unwrap(),
        starts_at: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        ends_at: NaiveTime::from_hms_opt(18 + hours, 0, 0).unwrap(),
        kind: "regular".into(),
        place: "회의실".into(),
        topic: "학습".into(),
        notes: String::new(),
        inside_work_hours: false,
        inside_reason: None,
    };
    let ids: Vec<String> = present.iter().map(|e| e.id.clone()).collect();
    app.db(|c| {
        let id = clubs::insert_meeting(c, club, &columns, &by.id, app.clock_naive()).unwrap();
        clubs::set_meeting_details(c, &id, &ids, None, &[]).unwrap();
        id
    })
}

struct Setup {
    app: TestApp,
    admin: Employee,
    person: Employee,
    /// The person's meetings in the first club, in date order.
    meetings: Vec<String>,
}

/// The person: 5 regular meetings of 2 h in one club (March–June) and one
/// of 5 h in another (April) = 15 h in 2026H1.
async fn setup(backend: Backend) -> Setup {
    let app = TestApp::spawn(backend).await;
    let admin = app.employee("9000001").role(Role::Admin).create();
    let person = app.employee("1000001").create();
    let (p1, p2) = (
        app.employee("1000002").create(),
        app.employee("1000003").create(),
    );
    let first = app.club("민원 연구회", &p1).member(&person).create();
    let second = app.club("데이터 공부", &p2).member(&person).create();
    let meetings = [(3, 10), (4, 14), (5, 12), (6, 9), (6, 23)]
        .into_iter()
        .map(|day| meeting(&app, &first.id, &p1, day, 2, &[&person, &p1]))
        .collect();
    meeting(&app, &second.id, &p2, (4, 20), 5, &[&person]);
    Setup {
        app,
        admin,
        person,
        meetings,
    }
}

impl Setup {
    /// The person's line in the recognition of 2026H1.
    async fn mine(&self) -> Value {
        let token = self.app.token_for(&self.admin);
        let view = self
            .app
            .get("/api/v1/ledger/recognition/2026H1", Some(&token))
            .await
            .json();
        line(&view, &self.person).clone()
    }

    fn verifies(&self) {
        self.app
            .db(|c| assert!(dongari::ledger::verify::verify(c).unwrap().is_clean()));
    }
}

fn line<'a>(view: &'a Value, person: &Employee) -> &'a Value {
    view["people"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["employee_id"] == person.id.as_str())
        .unwrap_or_else(|| panic!("{person:?} not in {view}"))
}

async fn fifteen_hours_in_two_clubs_grant_twelve_once(backend: Backend) {
    let s = setup(backend).await;
    let token = s.app.token_for(&s.admin);
    let view = s
        .app
        .get("/api/v1/ledger/recognition/2026H1", Some(&token))
        .await;
    assert_eq!(view.status, StatusCode::OK, "{}", view.text());
    let view = view.json();
    let mine = line(&view, &s.person);
    assert_eq!(
        (
            &mine["earned_minutes"],
            &mine["recognizable_minutes"],
            &mine["not_recognized_minutes"]
        ),
        (&json!(900), &json!(720), &json!(180))
    );
    assert_eq!(
        (&mine["granted_minutes"], &mine["to_grant_minutes"]),
        (&json!(0), &json!(720))
    );

    let approve = "/api/v1/ledger/recognition/2026H1/approve";
    let done = s.app.post_json(approve, &json!({}), Some(&token)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(
        done.json()["granted_minutes"],
        json!(720 + 5 * 120),
        "the person 12 h, the first club's president 10 h"
    );
    let again = s
        .app
        .post_json(approve, &json!({}), Some(&token))
        .await
        .json();
    assert_eq!(again["people"], json!(0), "nothing new the second time");
    let mine = s.mine().await;
    assert_eq!(
        (&mine["granted_minutes"], &mine["to_grant_minutes"]),
        (&json!(720), &json!(0))
    );
    s.verifies();

    // The half in progress cannot be approved yet; a member cannot approve.
    let early = s
        .app
        .post_json(
            "/api/v1/ledger/recognition/2026H2/approve",
            &json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.text()
    );
    let member = s
        .app
        .post_json(approve, &json!({}), Some(&s.app.token_for(&s.person)))
        .await;
    assert_eq!(member.status, StatusCode::FORBIDDEN);
}

async fn a_meeting_removed_after_the_grant_is_taken_back(backend: Backend) {
    let s = setup(backend).await;
    let token = s.app.token_for(&s.admin);
    let approve = "/api/v1/ledger/recognition/2026H1/approve";
    s.app.post_json(approve, &json!({}), Some(&token)).await;
    // Under the cap in date order: 3/10 2 h, 4/14 2 h, 4/20 5 h, 5/12 2 h,
    // 6/9 1 h of 2. Deleting 4/14 lets 6/9 count whole and 6/23 1 h:
    // still 12 h. Deleting 3/10 as well leaves 11 h: 1 h taken back. The
    // president, at both, loses 4 h of 10.
    let now = s.app.clock_naive();
    for id in [&s.meetings[1], &s.meetings[0]] {
        s.app
            .db(|c| assert!(clubs::delete_meeting(c, id, now).unwrap()));
    }
    let mine = s.mine().await;
    assert_eq!(
        (&mine["recognizable_minutes"], &mine["to_grant_minutes"]),
        (&json!(660), &json!(-60))
    );
    let done = s
        .app
        .post_json(approve, &json!({}), Some(&token))
        .await
        .json();
    assert_eq!(
        (&done["people"], &done["withdrawn_minutes"]),
        (&json!(2), &json!(60 + 240))
    );
    let mine = s.mine().await;
    assert_eq!(
        (&mine["granted_minutes"], &mine["to_grant_minutes"]),
        (&json!(660), &json!(0))
    );
    s.verifies();
}

async fn two_approvals_at_once_grant_once(backend: Backend) {
    let s = setup(backend).await;
    let other = s.app.employee("9000002").role(Role::Admin).create();
    let approve = "/api/v1/ledger/recognition/2026H1/approve";
    let (a, b) = (s.app.token_for(&s.admin), s.app.token_for(&other));
    let tokens = [a, b, s.app.token_for(&s.admin), s.app.token_for(&other)];
    let body = json!({});
    let answers = join_all(
        tokens
            .iter()
            .map(|t| s.app.post_json(approve, &body, Some(t))),
    )
    .await;
    for answer in &answers {
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    }
    let granted: i64 = answers
        .iter()
        .map(|a| a.json()["granted_minutes"].as_i64().unwrap())
        .sum();
    let view = s
        .app
        .get(
            "/api/v1/ledger/recognition/2026H1",
            Some(&s.app.token_for(&s.admin)),
        )
        .await
        .json();
    assert_eq!(line(&view, &s.person)["granted_minutes"], json!(720));
    assert_eq!(
        granted,
        view["people"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["granted_minutes"].as_i64().unwrap())
            .sum::<i64>()
    );
    s.verifies();
}

async fn the_recognition_page_approves_everyone(backend: Backend) {
    let s = setup(backend).await;
    let browser = s.app.browser();
    browser.log_in("9000001", PASSWORD).await;
    let page = browser.get("/ledger/recognition/2026H1").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.text();
    assert!(
        page.contains(&s.person.name) && page.contains("15시간") && page.contains("3시간"),
        "{page}"
    );
    let none = browser
        .post_form("/ledger/recognition/2026H1", &[("selected", "1")])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.text().contains("한 명 이상"));
    let done = browser
        .post_form("/ledger/recognition/2026H1", &[("all", "1")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
    let page = browser.get(done.header("location").unwrap()).await.text();
    assert!(page.contains("2명에게 인정 시간을 기록했습니다."), "{page}");
    assert!(page.contains("기록할 사람이 없습니다."), "{page}");
    // Members are not shown the page.
    let member = s.app.browser();
    member.log_in("1000001", PASSWORD).await;
    assert_eq!(
        member.get("/ledger/recognition/2026H1").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn my_ledger_traces_each_hour_to_its_meetings(backend: Backend) {
    let s = setup(backend).await;
    s.app
        .post_json(
            "/api/v1/ledger/recognition/2026H1/approve",
            &json!({}),
            Some(&s.app.token_for(&s.admin)),
        )
        .await;
    let mine = s.app.token_for(&s.person);
    let statement = s
        .app
        .get("/api/v1/me/ledger?unit=hours&year=2026", Some(&mine))
        .await;
    assert_eq!(statement.status, StatusCode::OK, "{}", statement.text());
    let statement = statement.json();
    assert_eq!(
        (&statement["balance"], &statement["year_total"]),
        (&json!(720), &json!(720))
    );
    let entry = &statement["entries"]["items"][0];
    assert_eq!(entry["source"], "club_hours");
    assert_eq!(entry["counts_for"], "2026-06-30");
    let details = entry["details"].as_array().unwrap();
    assert_eq!(details.len(), 5, "{details:?}");
    assert_eq!(
        details
            .iter()
            .map(|d| d["amount"].as_i64().unwrap())
            .sum::<i64>(),
        720
    );
    assert_eq!(entry["approved_by"], json!(s.admin.name));
    let other_year = s
        .app
        .get("/api/v1/me/ledger?unit=hours&year=2025", Some(&mine))
        .await
        .json();
    assert_eq!(
        (&other_year["year_total"], &other_year["entries"]["total"]),
        (&json!(0), &json!(0))
    );
    let bad = s.app.get("/api/v1/me/ledger?unit=days", Some(&mine)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("unit"));
}

async fn an_adjustment_is_made_once_and_reversed_once(backend: Backend) {
    let s = setup(backend).await;
    let admin = s.app.token_for(&s.admin);
    let adjust = |body: Value, token: String| {
        let app = &s.app;
        async move {
            app.post_json("/api/v1/ledger/adjustments", &body, Some(&token))
                .await
        }
    };
    let body = json!({ "employee_no": "1000001", "unit": "hours", "amount": 90,
        "counts_for": "2026-05-20", "reason": "외부 교육 이수 확인", "idempotency_key": "adj-1" });
    let first = adjust(body.clone(), admin.clone()).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = adjust(body.clone(), admin.clone()).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["id"], first.json()["id"]);
    let mut other = body.clone();
    other["amount"] = json!(60);
    assert_eq!(
        adjust(other, admin.clone()).await.status,
        StatusCode::CONFLICT
    );
    for (field, value) in [
        ("unit", json!("days")),
        ("reason", json!(" ")),
        ("employee_no", json!("0000000")),
        ("amount", json!(0)),
        ("counts_for", json!("2026-5-20")),
    ] {
        let mut bad = body.clone();
        bad[field] = value;
        bad["idempotency_key"] = json!(format!("bad-{field}"));
        let answer = adjust(bad, admin.clone()).await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            answer.text()
        );
        assert_eq!(answer.json()["field"], field);
    }
    assert_eq!(
        adjust(body.clone(), s.app.token_for(&s.person))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let mine = s.app.token_for(&s.person);
    let balance = || async {
        s.app
            .get("/api/v1/me/ledger?unit=hours", Some(&mine))
            .await
            .json()["balance"]
            .clone()
    };
    assert_eq!(balance().await, json!(90));

    let id = first.json()["id"].as_str().unwrap().to_string();
    let reverse = |key: &str| {
        let (app, url, token) = (
            &s.app,
            format!("/api/v1/ledger/movements/{id}/reverse"),
            admin.clone(),
        );
        let body = json!({ "reason": "중복 입력", "idempotency_key": key });
        async move { app.post_json(&url, &body, Some(&token)).await }
    };
    let reversal = reverse("rev-1").await;
    assert_eq!(reversal.status, StatusCode::CREATED, "{}", reversal.text());
    assert_eq!(reversal.json()["reverses"], json!(id));
    assert_eq!(reverse("rev-1").await.status, StatusCode::OK);
    assert_eq!(reverse("rev-2").await.status, StatusCode::CONFLICT);
    assert_eq!(balance().await, json!(0));
    s.verifies();
}

/// The cap lowered to 10 h: replayed as a preview first (the person with
/// 12 h granted would lose 2 h, the president with 10 h nothing), then made
/// a rule version from 1 January, which the half's recognition applies as
/// a difference only.
async fn a_lowered_cap_is_previewed_then_applied_as_a_difference(backend: Backend) {
    let s = setup(backend).await;
    let token = s.app.token_for(&s.admin);
    let approve = "/api/v1/ledger/recognition/2026H1/approve";
    let done = s.app.post_json(approve, &json!({}), Some(&token)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());

    let preview = s
        .app
        .get(
            "/api/v1/ledger/recognition/2026H1/preview?cap_hours=10",
            Some(&token),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.text());
    let preview = preview.json();
    assert_eq!(
        (
            &preview["gains"],
            &preview["losses"],
            &preview["net_minutes"]
        ),
        (&json!(0), &json!(1), &json!(-120)),
        "{preview}"
    );
    let change = &preview["people"]["items"][0];
    assert_eq!(change["employee_id"], s.person.id.as_str());
    assert_eq!(
        (
            &change["granted_minutes"],
            &change["would_be_minutes"],
            &change["difference_minutes"]
        ),
        (&json!(720), &json!(600), &json!(-120))
    );
    assert_eq!(
        preview["current_rule"],
        "club-hours: cap 720 min, ad hoc not counted"
    );
    assert_eq!(
        s.mine().await["granted_minutes"],
        720,
        "a preview writes nothing"
    );
    let bad = s
        .app
        .get(
            "/api/v1/ledger/recognition/2026H1/preview?cap_hours=101",
            Some(&token),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["field"], "half_year_cap_hours");

    let rule = json!({ "valid_from": "2026-01-01", "half_year_cap_hours": 10,
                       "count_ad_hoc": false, "reason": "2026년 지침 변경" });
    let added = s
        .app
        .post_json("/api/v1/ledger/hours-rules", &rule, Some(&token))
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text());
    assert_eq!(added.json()["half_year_cap_minutes"], 600);
    assert_eq!(added.json()["version"], 1);
    // A version from July governs the second half, not the first.
    let july = json!({ "valid_from": "2026-07-01", "half_year_cap_hours": 12,
                       "count_ad_hoc": false, "reason": "하반기 환원" });
    assert_eq!(
        s.app
            .post_json("/api/v1/ledger/hours-rules", &july, Some(&token))
            .await
            .status,
        StatusCode::CREATED
    );
    let versions = s
        .app
        .get("/api/v1/ledger/hours-rules", Some(&token))
        .await
        .json();
    assert_eq!(versions.as_array().unwrap().len(), 2, "{versions}");

    let view = s
        .app
        .get("/api/v1/ledger/recognition/2026H1", Some(&token))
        .await
        .json();
    assert_eq!(
        view["rule_version"],
        "club-hours: cap 600 min, ad hoc not counted (v1 from 2026-01-01)"
    );
    let mine = line(&view, &s.person);
    assert_eq!(mine["to_grant_minutes"], -120);
    let applied = s
        .app
        .post_json(approve, &json!({}), Some(&token))
        .await
        .json();
    assert_eq!(
        (&applied["people"], &applied["withdrawn_minutes"]),
        (&json!(1), &json!(120)),
        "only the difference, only for the one it changes"
    );
    let mine = s.mine().await;
    assert_eq!(
        (&mine["granted_minutes"], &mine["to_grant_minutes"]),
        (&json!(600), &json!(0))
    );
    s.verifies();
    // The person is told what was taken back and under which rule.
    let told: Vec<_> = s
        .app
        .db(|c| dongari::mail::outbox::all(c).unwrap())
        .into_iter()
        .filter(|m| m.subject.contains("인정 시간 조정"))
        .collect();
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].to_address, s.person.email);
    assert!(
        told[0]
            .body_text
            .contains("2026년 상반기 학습동아리 모임으로 인정된 시간 중 2시간을 회수했습니다.")
            && told[0].body_text.contains("v1 from 2026-01-01"),
        "{}",
        told[0].body_text
    );

    // The same from the pages: a preview, then a version made from it; from
    // the same day as version 1, it is the later one that governs.
    let browser = s.app.browser();
    browser.log_in("9000001", PASSWORD).await;
    let page = browser
        .get("/ledger/recognition/2026H1/preview?cap_hours=12")
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    let page = page.text();
    assert!(
        page.contains("늘어나는 사람</dt><dd>1명"),
        "12 h again gives back 2 h: {page}"
    );
    let made = browser
        .post_form(
            "/ledger/hours-rules",
            &[
                ("half", "2026H1"),
                ("valid_from", "2026-01-01"),
                ("cap_hours", "12"),
                ("reason", "환원"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    let versions = s
        .app
        .get("/api/v1/ledger/hours-rules", Some(&token))
        .await
        .json();
    assert_eq!(versions.as_array().unwrap().len(), 3, "{versions}");
    assert_eq!(
        s.mine().await["to_grant_minutes"],
        120,
        "the half now shows the 2 h back"
    );
}

/// 6 h in a club of the office a person left, 8 h in a club of the office
/// they moved to: the first office grants its 6 h, the second only the 6 h
/// left under the one 12 h cap (8 h earned, 2 h not recognized).
async fn a_person_who_moved_offices_has_one_cap(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let other = app.add_organization("jongno", "서울특별시 종로구");
    let admin_a = app.employee("9000001").role(Role::Admin).create();
    let admin_b = app
        .employee("9000001")
        .in_org(&other)
        .role(Role::Admin)
        .create();
    let person = app.employee("1000001").in_org(&other).create();
    let president_a = app.employee("1000002").create();
    let president_b = app.employee("1000002").in_org(&other).create();
    let club_a = app
        .club("중구 연구회", &president_a)
        .member(&person)
        .create();
    let club_b = app
        .club("종로 연구회", &president_b)
        .in_org(&other)
        .member(&person)
        .create();
    for day in [(3, 10), (3, 17), (3, 24)] {
        meeting(&app, &club_a.id, &president_a, day, 2, &[&person]);
    }
    for day in [(5, 6), (5, 13), (5, 20), (5, 27)] {
        meeting(&app, &club_b.id, &president_b, day, 2, &[&person]);
    }
    let approve = "/api/v1/ledger/recognition/2026H1/approve";
    let (token_a, token_b) = (app.token_for(&admin_a), app.token_for(&admin_b));
    let first = app.post_json(approve, &json!({}), Some(&token_a)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());

    let view = app
        .get("/api/v1/ledger/recognition/2026H1", Some(&token_b))
        .await
        .json();
    let mine = line(&view, &person);
    assert_eq!(
        (
            &mine["earned_minutes"],
            &mine["granted_elsewhere_minutes"],
            &mine["recognizable_minutes"],
            &mine["not_recognized_minutes"],
            &mine["to_grant_minutes"]
        ),
        (
            &json!(480),
            &json!(360),
            &json!(360),
            &json!(120),
            &json!(360)
        ),
        "{mine}"
    );
    let second = app.post_json(approve, &json!({}), Some(&token_b)).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text());
    let hours = app
        .get(
            "/api/v1/me/ledger?unit=hours",
            Some(&app.token_for(&person)),
        )
        .await
        .json();
    assert_eq!(
        hours["balance"], 720,
        "one cap across both offices: {hours}"
    );
    app.db(|c| assert!(dongari::ledger::verify::verify(c).unwrap().is_clean()));
}
