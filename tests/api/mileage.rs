//! Mileage through the API, on both backends: earning on the board and at
//! meetings within the daily limit and the half-year cap, nothing for
//! commenting on one's own post, take-backs when a post is hidden or an
//! attendee removed, and conversion into hours — atomic, within the
//! balance and the yearly cap, also when requests race, with or without
//! an administrator's approval. The ledger verifies clean after each.

use actix_web::http::StatusCode;
use dongari::org::model::{Employee, Role};
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    board_farming_earns_only_within_the_limits,
    a_rule_version_caps_the_half_year,
    meetings_earn_their_attendees_and_take_back,
    conversion_moves_points_into_hours_within_the_cap,
    parallel_conversions_never_overspend,
    conversion_with_approval_holds_then_refunds_or_grants,
);

struct Club {
    app: TestApp,
    id: String,
    president: Employee,
    member: Employee,
    admin: Employee,
}

async fn club(backend: Backend) -> Club {
    let app = TestApp::spawn(backend).await;
    let president = app.employee("2015001").name("김회장").create();
    let member = app.employee("2016001").name("이회원").create();
    let admin = app.employee("9000001").role(Role::Admin).create();
    let id = app
        .club("민원혁신 연구회", &president)
        .member(&member)
        .create()
        .id;
    Club {
        app,
        id,
        president,
        member,
        admin,
    }
}

impl Club {
    fn url(&self, rest: &str) -> String {
        format!("/api/v1/clubs/{}{rest}", self.id)
    }

    async fn post(&self, who: &Employee, path: &str, body: Value) -> crate::helpers::TestResponse {
        self.app
            .post_json(path, &body, Some(&self.app.token_for(who)))
            .await
    }

    async fn mileage(&self, who: &Employee) -> Value {
        let res = self
            .app
            .get("/api/v1/me/mileage", Some(&self.app.token_for(who)))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        res.json()
    }

    async fn balance(&self, who: &Employee) -> (i64, i64) {
        let m = self.mileage(who).await;
        (
            m["accumulated"].as_i64().unwrap(),
            m["balance"].as_i64().unwrap(),
        )
    }

    async fn hours_balance(&self, who: &Employee) -> i64 {
        let res = self
            .app
            .get(
                "/api/v1/me/ledger?unit=hours",
                Some(&self.app.token_for(who)),
            )
            .await;
        res.json()["balance"].as_i64().unwrap()
    }

    async fn write_post(&self, who: &Employee, title: &str) -> String {
        let res = self
            .post(
                who,
                &self.url("/posts"),
                json!({ "title": title, "body": "배운 것을 정리했습니다." }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        res.json()["id"].as_str().unwrap().to_string()
    }

    async fn give_points(&self, who: &Employee, points: i64) {
        let res = self
            .post(
                &self.admin,
                "/api/v1/ledger/adjustments",
                json!({
                    "employee_no": who.employee_no, "unit": "points", "amount": points,
                    "counts_for": "2026-11-23", "reason": "시험 적립",
                    "idempotency_key": format!("grant-{}-{points}", who.employee_no),
                }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    async fn convert(&self, who: &Employee, hours: i64) -> crate::helpers::TestResponse {
        self.post(
            who,
            "/api/v1/me/mileage/conversions",
            json!({ "hours": hours }),
        )
        .await
    }

    fn verifies(&self) {
        let report = self.app.db(|c| dongari::ledger::verify::verify(c).unwrap());
        assert!(report.is_clean(), "{report:?}");
    }

    fn mails_to(&self, who: &Employee, needle: &str) -> usize {
        self.app
            .db(|c| dongari::mail::outbox::all(c).unwrap())
            .into_iter()
            .filter(|m| m.to_address == who.email && m.body_text.contains(needle))
            .count()
    }
}

async fn board_farming_earns_only_within_the_limits(backend: Backend) {
    let c = club(backend).await;
    // Four posts in a day: the fourth is past the daily limit of three.
    let mut posts = Vec::new();
    for i in 0..4 {
        posts.push(c.write_post(&c.president, &format!("정리 {i}")).await);
    }
    assert_eq!(c.balance(&c.president).await, (30, 30));
    // Fifty comments on someone else's post in a day earn ten of them.
    for i in 0..50 {
        let res = c
            .post(
                &c.member,
                &c.url(&format!("/posts/{}/comments", posts[0])),
                json!({ "body": format!("좋은 정리입니다 {i}") }),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    assert_eq!(c.balance(&c.member).await, (20, 20));
    // Comments on one's own post earn nothing.
    let res = c
        .post(
            &c.president,
            &c.url(&format!("/posts/{}/comments", posts[0])),
            json!({ "body": "감사합니다" }),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    assert_eq!(c.balance(&c.president).await, (30, 30));
    // A hidden post takes its points back, and the author is told why; a
    // post past the limit had none to take.
    for post in [&posts[1], &posts[3]] {
        let res = c
            .post(
                &c.admin,
                &c.url(&format!("/posts/{post}/hide")),
                json!({ "reason": "학습과 무관한 글" }),
            )
            .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    }
    assert_eq!(c.balance(&c.president).await, (20, 20));
    assert_eq!(c.mails_to(&c.president, "학습과 무관한 글"), 1);
    // The entries say where each point came from.
    let entries = c
        .app
        .get(
            "/api/v1/me/ledger?unit=points",
            Some(&c.app.token_for(&c.president)),
        )
        .await
        .json();
    assert_eq!(entries["entries"]["total"], 4, "{entries}");
    assert!(entries["entries"]["items"][0]["rule_version"]
        .as_str()
        .unwrap()
        .starts_with("post: 10 points, 3 a day"));
    c.verifies();
}

async fn a_rule_version_caps_the_half_year(backend: Backend) {
    let c = club(backend).await;
    let admin = c.app.token_for(&c.admin);
    let rule = json!({
        "activity": "post", "valid_from": "2026-11-23", "points": 10,
        "pool": "community", "half_year_cap": 25, "reason": "시범 운영",
    });
    let res = c
        .app
        .post_json("/api/v1/mileage/rules", &rule, Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    assert_eq!(res.json()["version"], 1);
    // A rule cannot start in the past: what was earned is never recomputed.
    let past =
        json!({ "activity": "post", "valid_from": "2026-11-01", "points": 99, "reason": "소급" });
    let res = c
        .app
        .post_json("/api/v1/mileage/rules", &past, Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["field"], "valid_from");
    for i in 0..4 {
        c.write_post(&c.president, &format!("정리 {i}")).await;
    }
    // 10 + 10 + the 5 left under the cap; the fourth earns nothing.
    assert_eq!(c.balance(&c.president).await, (25, 25));
    let pools = c.mileage(&c.president).await["pools"].clone();
    assert!(
        pools
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["pool"] == "community" && p["earned"] == 25 && p["cap"] == 25),
        "{pools}"
    );
    c.verifies();
}

async fn meetings_earn_their_attendees_and_take_back(backend: Backend) {
    let c = club(backend).await;
    let token = c.app.token_for(&c.president);
    let meeting = |attendees: Vec<&str>| {
        json!({
            "held_on": "2026-11-18", "starts_at": "19:00", "ends_at": "21:00",
            "kind": "regular", "place": "소회의실", "topic": "민원 사례",
            "attendees": attendees,
        })
    };
    let res = c
        .app
        .post_json(
            &c.url("/meetings"),
            &meeting(vec![&c.president.id, &c.member.id]),
            Some(&token),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_string();
    assert_eq!(c.balance(&c.member).await, (5, 5));
    // Saving it again changes nothing; leaving the member out takes theirs back.
    for attendees in [
        vec![c.president.id.as_str(), c.member.id.as_str()],
        vec![c.president.id.as_str()],
    ] {
        let res = c
            .app
            .put_json(
                &c.url(&format!("/meetings/{id}")),
                &meeting(attendees),
                Some(&token),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    assert_eq!(c.balance(&c.member).await, (0, 0));
    assert_eq!(c.balance(&c.president).await, (5, 5));
    // Added back, they earn again; the deleted meeting takes everyone's.
    let res = c
        .app
        .put_json(
            &c.url(&format!("/meetings/{id}")),
            &meeting(vec![&c.president.id, &c.member.id]),
            Some(&token),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(c.balance(&c.member).await, (5, 5));
    let res = c
        .app
        .delete(&c.url(&format!("/meetings/{id}")), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert_eq!(c.balance(&c.member).await, (0, 0));
    assert_eq!(c.balance(&c.president).await, (0, 0));
    c.verifies();
}

async fn conversion_moves_points_into_hours_within_the_cap(backend: Backend) {
    let c = club(backend).await;
    c.give_points(&c.member, 1100).await;
    let res = c.convert(&c.member, 3).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let conversion = res.json();
    assert_eq!(
        (
            &conversion["status"],
            &conversion["points"],
            &conversion["minutes"]
        ),
        (&json!("approved"), &json!(300), &json!(180))
    );
    // One movement took the points and granted the hours.
    assert_eq!(
        conversion["hold_movement_id"],
        conversion["grant_movement_id"]
    );
    assert_eq!(c.hours_balance(&c.member).await, 180);
    // Spending never lowers the accumulated mileage.
    assert_eq!(c.balance(&c.member).await, (0, 800));
    // 3 + 8 hours is past the yearly cap of 10: refused, nothing moves.
    let res = c.convert(&c.member, 8).await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    assert_eq!(res.json()["field"], "hours");
    assert_eq!(c.balance(&c.member).await, (0, 800));
    for bad in [json!({ "hours": 0 }), json!({ "hours": -2 })] {
        let res = c
            .post(&c.member, "/api/v1/me/mileage/conversions", bad)
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = c.convert(&c.member, 7).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let summary = c.mileage(&c.member).await;
    assert_eq!(summary["balance"], 100);
    assert_eq!(summary["converted_minutes_this_year"], 600);
    assert_eq!(summary["convertible_hours"], 0);
    assert_eq!(c.hours_balance(&c.member).await, 600);
    // The converted hours count toward the year's target, by source.
    let progress = c
        .app
        .get("/api/v1/me/progress", Some(&c.app.token_for(&c.member)))
        .await
        .json();
    assert_eq!(progress["recognized_minutes"], 600, "{progress}");
    // The HR export files each conversion's hours, not the points it used.
    let browser = c.app.browser();
    browser
        .log_in(&c.admin.employee_no, crate::helpers::PASSWORD)
        .await;
    let export = browser.get("/ledger/hr-export/2026.csv").await.text();
    let mut minutes: Vec<&str> = export
        .lines()
        .filter(|l| l.starts_with(&c.member.employee_no))
        .map(|l| l.split(',').nth(6).unwrap())
        .collect();
    minutes.sort();
    assert_eq!(minutes, ["180", "420"], "{export}");
    c.verifies();
}

async fn parallel_conversions_never_overspend(backend: Backend) {
    let c = club(backend).await;
    c.give_points(&c.member, 500).await;
    let token = c.app.token_for(&c.member);
    let body = json!({ "hours": 1 });
    let responses = join_all((0..20).map(|_| {
        c.app
            .post_json("/api/v1/me/mileage/conversions", &body, Some(&token))
    }))
    .await;
    let created = responses
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    for r in &responses {
        assert!(
            r.status == StatusCode::CREATED || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {}",
            r.status,
            r.text()
        );
    }
    assert_eq!(created, 5);
    assert_eq!(c.balance(&c.member).await, (0, 0));
    assert_eq!(c.hours_balance(&c.member).await, 300);
    c.verifies();
}

async fn conversion_with_approval_holds_then_refunds_or_grants(backend: Backend) {
    let c = club(backend).await;
    let admin = c.app.token_for(&c.admin);
    let rule = json!({
        "valid_from": "2026-11-23", "points_per_hour": 50, "yearly_cap_hours": 10,
        "needs_approval": true, "reason": "승인제 시행",
    });
    let res = c
        .app
        .post_json("/api/v1/mileage/conversion-rules", &rule, Some(&admin))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    c.give_points(&c.member, 200).await;
    let res = c.convert(&c.member, 2).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let first = res.json();
    assert_eq!(
        (&first["status"], &first["points"]),
        (&json!("pending"), &json!(100))
    );
    // Held: the points are gone, the hours not yet there; one waits at a time.
    assert_eq!(c.balance(&c.member).await, (0, 100));
    assert_eq!(c.hours_balance(&c.member).await, 0);
    let res = c.convert(&c.member, 1).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    let queue = c
        .app
        .get("/api/v1/mileage/conversions", Some(&admin))
        .await
        .json();
    assert_eq!(queue["total"], 1);
    assert_eq!(
        queue["items"][0]["employee_no"],
        c.member.employee_no.as_str()
    );
    // Refused: the points come back and the member is told why.
    let id = first["id"].as_str().unwrap();
    let res = c
        .app
        .post_json(
            &format!("/api/v1/mileage/conversions/{id}/refuse"),
            &json!({ "reason": "증빙 확인 필요" }),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "refused");
    assert_eq!(c.balance(&c.member).await, (0, 200));
    assert_eq!(c.mails_to(&c.member, "증빙 확인 필요"), 1);
    let res = c
        .app
        .post_json(
            &format!("/api/v1/mileage/conversions/{id}/approve"),
            &json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::CONFLICT,
        "a decided conversion stays decided"
    );
    // Asked again and approved: the hours arrive.
    let second = c.convert(&c.member, 4).await.json();
    let res = c
        .app
        .post_json(
            &format!(
                "/api/v1/mileage/conversions/{}/approve",
                second["id"].as_str().unwrap()
            ),
            &json!({}),
            Some(&admin),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "approved");
    assert_eq!(c.balance(&c.member).await, (0, 0));
    assert_eq!(c.hours_balance(&c.member).await, 240);
    // Only administrators decide.
    let res = c
        .app
        .get(
            "/api/v1/mileage/conversions",
            Some(&c.app.token_for(&c.member)),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    c.verifies();
}
