//! Learning vouchers through the API, on both backends: earned by courses
//! of the HR import and by a month's top places (once, when the month
//! closes); redeemed from the office's catalog — held at once, fulfilled
//! or cancelled with a refund — never past the balance or the stock, also
//! under 100 parallel requests; old vouchers expiring after a notice. The
//! ledger verifies clean after each.

use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use dongari::clock::{Clock, FixedClock};
use dongari::org::model::{Employee, Role};
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{with_bearer, Backend, TestApp, TestResponse};

both_backends!(
    parallel_redemptions_never_overspend_or_oversell,
    a_redemption_is_fulfilled_or_cancelled_with_a_refund,
    courses_from_the_hr_import_earn_vouchers_once,
    the_top_of_a_closed_month_earns_vouchers_once,
    old_vouchers_expire_after_a_notice,
);

struct Office {
    app: TestApp,
    admin_token: String,
}

async fn office(backend: Backend, overrides: &[(&str, &str)]) -> Office {
    let app = TestApp::spawn_with(backend, overrides).await;
    let admin = app.employee("9000001").role(Role::Admin).create();
    let admin_token = app.token_for(&admin);
    Office { app, admin_token }
}

impl Office {
    async fn give_vouchers(&self, who: &Employee, vouchers: i64, counts_for: &str) {
        let res = self
            .app
            .post_json(
                "/api/v1/ledger/adjustments",
                &json!({
                    "employee_no": who.employee_no, "unit": "vouchers", "amount": vouchers,
                    "counts_for": counts_for, "reason": "시험 지급",
                    "idempotency_key": format!("grant-{}-{vouchers}-{counts_for}", who.employee_no),
                }),
                Some(&self.admin_token),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }

    async fn add_item(&self, name: &str, price: i64, stock: Option<i32>) -> String {
        let res = self
            .app
            .post_json(
                "/api/v1/vouchers/catalog",
                &json!({ "kind": "book", "name": name, "price": price, "stock": stock }),
                Some(&self.admin_token),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        res.json()["id"].as_str().unwrap().to_string()
    }

    async fn vouchers(&self, who: &Employee) -> Value {
        let res = self
            .app
            .get("/api/v1/me/vouchers", Some(&self.app.token_for(who)))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        res.json()
    }

    async fn balance(&self, who: &Employee) -> i64 {
        self.vouchers(who).await["balance"].as_i64().unwrap()
    }

    async fn redeem(&self, who: &Employee, item: &str) -> TestResponse {
        self.app
            .post_json(
                "/api/v1/me/vouchers/redemptions",
                &json!({ "item_id": item }),
                Some(&self.app.token_for(who)),
            )
            .await
    }

    async fn stock(&self, item: &str) -> Value {
        let res = self
            .app
            .get("/api/v1/vouchers/catalog?all=true", Some(&self.admin_token))
            .await;
        res.json()
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == item)
            .unwrap()["stock"]
            .clone()
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

async fn parallel_redemptions_never_overspend_or_oversell(backend: Backend) {
    let o = office(backend, &[]).await;
    let reader = o.app.employee("2016001").name("이독서").create();
    o.give_vouchers(&reader, 10, "2026-11-23").await;
    let unlimited = o.add_item("실무 데이터 분석", 1, None).await;
    let token = o.app.token_for(&reader);
    let body = json!({ "item_id": unlimited });
    let answers = join_all((0..100).map(|_| {
        o.app
            .post_json("/api/v1/me/vouchers/redemptions", &body, Some(&token))
    }))
    .await;
    for r in &answers {
        assert!(
            r.status == StatusCode::CREATED || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{}: {}",
            r.status,
            r.text()
        );
    }
    let created = answers
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 10);
    assert_eq!(o.balance(&reader).await, 0);
    assert_eq!(o.vouchers(&reader).await["held"], 10);

    // A stock of 3 and 10 buyers with vouchers enough: 3 get one.
    let limited = o.add_item("정책 세미나 초대권", 2, Some(3)).await;
    let mut buyers = Vec::new();
    for i in 0..10 {
        let buyer = o.app.employee(&format!("30000{i:02}")).create();
        o.give_vouchers(&buyer, 5, "2026-11-23").await;
        buyers.push(buyer);
    }
    let answers = join_all(buyers.iter().map(|b| o.redeem(b, &limited))).await;
    let statuses: Vec<StatusCode> = answers.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(o.stock(&limited).await, 0);
    let mut spent = 0;
    for b in &buyers {
        spent += 5 - o.balance(b).await;
    }
    assert_eq!(spent, 6);
    o.verifies();
}

async fn a_redemption_is_fulfilled_or_cancelled_with_a_refund(backend: Backend) {
    let o = office(backend, &[]).await;
    let reader = o.app.employee("2016001").name("이독서").create();
    let other = o.app.employee("2016002").create();
    o.give_vouchers(&reader, 10, "2026-11-23").await;
    let book = o.add_item("공공데이터 활용", 4, Some(5)).await;

    // Not enough vouchers: the field is named, nothing is held.
    let res = o.redeem(&other, &book).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["field"], "item_id");
    assert_eq!(o.stock(&book).await, 5);

    let first = o.redeem(&reader, &book).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let first = first.json();
    assert_eq!(
        (&first["status"], &first["price"]),
        (&json!("held"), &json!(4))
    );
    assert_eq!(o.balance(&reader).await, 6);
    assert_eq!(o.stock(&book).await, 4);

    // The office cancels with a reason: the vouchers and the stock return,
    // and the person is told why.
    let cancel = format!(
        "/api/v1/vouchers/redemptions/{}/cancel",
        first["id"].as_str().unwrap()
    );
    let res = o
        .app
        .post_json(&cancel, &json!({ "reason": "" }), Some(&o.admin_token))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["field"], "reason");
    let res = o
        .app
        .post_json(
            &cancel,
            &json!({ "reason": "절판된 도서" }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "cancelled");
    assert!(res.json()["refund_movement_id"].is_string());
    assert_eq!(o.balance(&reader).await, 10);
    assert_eq!(o.stock(&book).await, 5);
    assert_eq!(o.mails_to(&reader, "절판된 도서"), 1);
    let res = o
        .app
        .post_json(&cancel, &json!({ "reason": "다시" }), Some(&o.admin_token))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);

    // Fulfilled: the vouchers stay spent; it cannot be cancelled after.
    let second = o.redeem(&reader, &book).await.json();
    let id = second["id"].as_str().unwrap().to_string();
    let queue = o
        .app
        .get("/api/v1/vouchers/redemptions", Some(&o.admin_token))
        .await
        .json();
    assert_eq!(queue["total"], 1);
    assert_eq!(queue["items"][0]["employee_no"], "2016001");
    let fulfil = format!("/api/v1/vouchers/redemptions/{id}/fulfil");
    let res = o
        .app
        .post_json(&fulfil, &json!({}), Some(&o.admin_token))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["status"], "fulfilled");
    let res = o
        .app
        .post_json(&fulfil, &json!({}), Some(&o.admin_token))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    assert_eq!(o.balance(&reader).await, 6);

    // My own, while it waits: I may cancel it; nobody else may.
    let third = o.redeem(&reader, &book).await.json();
    let mine = format!(
        "/api/v1/me/vouchers/redemptions/{}/cancel",
        third["id"].as_str().unwrap()
    );
    let res = o
        .app
        .post_json(&mine, &json!({}), Some(&o.app.token_for(&other)))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Someone else's, even once decided, is not found (not "already done").
    let theirs = format!("/api/v1/me/vouchers/redemptions/{id}/cancel");
    let res = o
        .app
        .post_json(&theirs, &json!({}), Some(&o.app.token_for(&other)))
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = o
        .app
        .post_json(&mine, &json!({}), Some(&o.app.token_for(&reader)))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(o.balance(&reader).await, 6);
    let history = o.vouchers(&reader).await["redemptions"].clone();
    let statuses: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["cancelled", "fulfilled", "cancelled"]);

    // A member cannot add to the catalog; an inactive item cannot be redeemed.
    let res = o
        .app
        .post_json(
            "/api/v1/vouchers/catalog",
            &json!({ "kind": "book", "name": "x", "price": 1 }),
            Some(&o.app.token_for(&reader)),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = o
        .app
        .put_json(
            &format!("/api/v1/vouchers/catalog/{book}"),
            &json!({ "kind": "book", "name": "공공데이터 활용", "price": 4, "stock": 5, "active": false }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        o.redeem(&reader, &book).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    o.verifies();
}

async fn courses_from_the_hr_import_earn_vouchers_once(backend: Backend) {
    let o = office(backend, &[]).await;
    let learner = o.app.employee("1000001").create();
    let csv = "사원번호,학습유형,과정명,시간,학습일\n\
               1000001,기관주관교육,정책기획 과정,3,2026-03-12\n\
               1000001,사이버교육,데이터 분석 기초,2,2026-04-01\n\
               1000001,학습동아리,타 기관 동아리,2,2026-04-02\n";
    for _ in 0..2 {
        let req = TestRequest::post()
            .uri("/api/v1/ledger/hr-imports")
            .insert_header(("Content-Type", "text/csv"))
            .set_payload(csv.as_bytes().to_vec());
        let res = o.app.send(with_bearer(req, Some(&o.admin_token))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    // Two courses at the default 3 each; club hours earn none; once.
    assert_eq!(o.balance(&learner).await, 6);
    let ledger = o
        .app
        .get(
            "/api/v1/me/ledger?unit=vouchers",
            Some(&o.app.token_for(&learner)),
        )
        .await
        .json();
    assert_eq!(ledger["balance"], 6);
    o.verifies();
}

async fn the_top_of_a_closed_month_earns_vouchers_once(backend: Backend) {
    let o = office(backend, &[]).await;
    let president = o.app.employee("2015001").create();
    let members: Vec<Employee> = (0..3)
        .map(|i| o.app.employee(&format!("201600{i}")).create())
        .collect();
    let mut club = o.app.club("민원혁신 연구회", &president);
    for m in &members {
        club = club.member(m);
    }
    let club = club.create();
    // The office's rule: the top 2 of a month earn 7 each.
    let res = o
        .app
        .post_json(
            "/api/v1/vouchers/rules",
            &json!({ "activity": "leaderboard", "valid_from": "2026-11-23", "vouchers": 7,
                     "top_n": 2, "reason": "시범" }),
            Some(&o.admin_token),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    // Posts: members[0] 3, members[1] 2, members[2] 1 (10 points each).
    for (i, m) in members.iter().enumerate() {
        for n in 0..(3 - i) {
            let res = o
                .app
                .post_json(
                    &format!("/api/v1/clubs/{}/posts", club.id),
                    &json!({ "title": format!("정리 {n}"), "body": "배운 것" }),
                    Some(&o.app.token_for(m)),
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        }
    }
    // members[0] leaves the boards: the top 2 are then members[1] and [2].
    let res = o
        .app
        .put_json(
            "/api/v1/me/leaderboard-choice",
            &json!({ "hidden": true }),
            Some(&o.app.token_for(&members[0])),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    // November is still open: nothing yet.
    assert_eq!(o.app.run_jobs().leaderboard_vouchers, 0);
    o.app
        .clock
        .set(FixedClock::at_seoul(2026, 12, 1, 0, 5, 0).now());
    assert_eq!(o.app.run_jobs().leaderboard_vouchers, 2);
    assert_eq!(o.app.run_jobs().leaderboard_vouchers, 0);
    assert_eq!(o.balance(&members[0]).await, 0);
    assert_eq!(o.balance(&members[1]).await, 7);
    assert_eq!(o.balance(&members[2]).await, 7);
    o.verifies();
}

async fn old_vouchers_expire_after_a_notice(backend: Backend) {
    let o = office(backend, &[("DONGARI__VOUCHERS__EXPIRE_AFTER_YEARS", "1")]).await;
    let person = o.app.employee("2016001").name("이만료").create();
    // 5 from 2025 (expire at the end of 2026), 4 from 2026; 3 spent, which
    // takes the oldest first: 2 of 2025 remain to expire.
    o.give_vouchers(&person, 5, "2025-06-01").await;
    o.give_vouchers(&person, 4, "2026-03-01").await;
    let item = o.add_item("리더십 과정", 3, None).await;
    assert_eq!(o.redeem(&person, &item).await.status, StatusCode::CREATED);
    let summary = o.vouchers(&person).await;
    assert_eq!(summary["expiring"]["vouchers"], 2, "{summary}");
    assert_eq!(summary["expiring"]["on"], "2026-12-31");
    // In December the person is told, once.
    o.app
        .clock
        .set(FixedClock::at_seoul(2026, 12, 1, 9, 0, 0).now());
    assert_eq!(o.app.run_jobs().expiry_notices, 1);
    assert_eq!(o.app.run_jobs().expiry_notices, 0);
    assert_eq!(o.mails_to(&person, "2장"), 1);
    // On 1 January they expire, once, by an expiry entry.
    o.app
        .clock
        .set(FixedClock::at_seoul(2027, 1, 1, 0, 10, 0).now());
    assert_eq!(o.app.run_jobs().vouchers_expired, 1);
    assert_eq!(o.app.run_jobs().vouchers_expired, 0);
    assert_eq!(o.balance(&person).await, 4);
    let ledger = o
        .app
        .get(
            "/api/v1/me/ledger?unit=vouchers",
            Some(&o.app.token_for(&person)),
        )
        .await
        .json();
    assert!(ledger.to_string().contains("expiry"), "{ledger}");
    o.verifies();
}
