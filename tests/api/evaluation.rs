//! The semiannual evaluation end to end through the API: opening a round,
//! results reports, conflict-free scoring, the ranking, confirmation,
//! top contributors and the overseas list.

use actix_web::http::StatusCode;
use chrono::NaiveDate;
use dongari::clock::{Clock, FixedClock};
use dongari::mail::outbox;
use dongari::org::model::{Employee, Role};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, TestClub, TestResponse};

both_backends!(
    a_round_runs_from_opening_to_confirmed_prizes,
    the_standings_follow_every_change_at_once,
);

struct Round {
    app: TestApp,
    admin: Employee,
    evaluators: [Employee; 3],
    clubs: [TestClub; 3],
    members: Vec<Employee>,
    id: String,
}

fn at(day: u32, hour: u32) -> chrono::DateTime<chrono::Utc> {
    FixedClock::at_seoul(2026, 12, day, hour, 0, 0).now()
}

/// Three clubs — A (with 이회원, 박회원), B, and C, of which the third
/// evaluator is a member — and a 2026H2 round: reports 1–10 December,
/// scoring 11–20 December.
async fn open(backend: Backend) -> Round {
    let app = TestApp::spawn(backend).await;
    let admin = app
        .employee("9000001")
        .name("박총무")
        .role(Role::Admin)
        .create();
    let evaluators = ["9100001", "9100002", "9100003"].map(|no| {
        app.employee(no)
            .name(&format!("평가{}", &no[6..]))
            .role(Role::Evaluator)
            .create()
    });
    let formed = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let members = vec![
        app.employee("2015002").name("이회원").create(),
        app.employee("2015003").name("박회원").create(),
    ];
    let a = app
        .club(
            "가 연구회",
            &app.employee("2015001").name("김가회장").create(),
        )
        .formed(formed)
        .member(&members[0])
        .member(&members[1])
        .create();
    let b = app
        .club(
            "나 연구회",
            &app.employee("2016001").name("최나회장").create(),
        )
        .formed(formed)
        .create();
    let c = app
        .club(
            "다 연구회",
            &app.employee("2017001").name("정다회장").create(),
        )
        .formed(formed)
        .member(&evaluators[2])
        .create();
    let token = app.token_for(&admin);
    let res = app
        .post_json("/api/v1/evaluation/rounds", &round_body(), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_string();
    Round {
        app,
        admin,
        evaluators,
        clubs: [a, b, c],
        members,
        id,
    }
}

fn round_body() -> Value {
    json!({
        "half": "2026H2",
        "submit_from": "2026-12-01", "submit_until": "2026-12-10",
        "score_from": "2026-12-11", "score_until": "2026-12-20",
        "evaluators": ["9100001", "9100002", "9100003"],
    })
}

impl Round {
    fn url(&self, rest: &str) -> String {
        format!("/api/v1/evaluation/rounds/{}{rest}", self.id)
    }

    fn club_url(&self, club: usize, rest: &str) -> String {
        self.url(&format!("/clubs/{}{rest}", self.clubs[club].id))
    }

    async fn submit(&self, club: usize, as_whom: &Employee) -> TestResponse {
        let body = json!({
            "study_task": "민원 처리 기간 단축",
            "activities": "정기모임 6회, 현장 견학 1회",
            "outcomes": "처리 기간 20% 단축안",
            "proposals": "전자 접수 확대",
            "links": ["https://example.go.kr/report.pdf"],
        });
        let token = self.app.token_for(as_whom);
        self.app
            .put_json(&self.club_url(club, "/report"), &body, Some(&token))
            .await
    }

    async fn score(&self, evaluator: usize, club: usize, points: [i32; 4]) -> TestResponse {
        let round = self
            .app
            .get(&self.url(""), Some(&self.admin_token()))
            .await
            .json();
        let criteria: Vec<String> = round["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect();
        let points: serde_json::Map<String, Value> = criteria
            .into_iter()
            .zip(points)
            .map(|(id, p)| (id, json!(p)))
            .collect();
        let token = self.app.token_for(&self.evaluators[evaluator]);
        self.app
            .put_json(
                &self.club_url(club, "/scores"),
                &json!({ "points": points, "comment": "성실한 연구" }),
                Some(&token),
            )
            .await
    }

    fn admin_token(&self) -> String {
        self.app.token_for(&self.admin)
    }

    async fn confirm(&self, body: Value) -> TestResponse {
        self.app
            .post_json(&self.url("/confirm"), &body, Some(&self.admin_token()))
            .await
    }

    async fn recommend(&self, club: usize, employee_no: &str) -> TestResponse {
        let token = self.app.token_for(&self.clubs[club].president);
        self.app
            .post_json(
                &self.club_url(club, "/contributors"),
                &json!({ "employee_no": employee_no, "reason": "모임 준비를 도맡음" }),
                Some(&token),
            )
            .await
    }

    fn mails_to(&self, needle: &str) -> usize {
        self.app.db(|c| {
            outbox::all(c)
                .unwrap()
                .iter()
                .filter(|m| m.subject.contains(needle))
                .count()
        })
    }
}

async fn a_round_runs_from_opening_to_confirmed_prizes(backend: Backend) {
    let r = open(backend).await;
    let app = &r.app;
    // Three presidents and three evaluators were told.
    assert_eq!(r.mails_to("성과보고서 제출 안내"), 3);
    assert_eq!(r.mails_to("평가위원 위촉 안내"), 3);
    let again = app
        .post_json(
            "/api/v1/evaluation/rounds",
            &round_body(),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // 23 November: the window has not opened.
    assert_eq!(
        r.submit(0, &r.clubs[0].president).await.status,
        StatusCode::CONFLICT
    );
    app.clock.set(at(2, 10));
    assert_eq!(
        r.submit(0, &r.members[0]).await.status,
        StatusCode::FORBIDDEN
    );
    for club in 0..3 {
        app.clock.set(at(2 + club as u32, 10));
        let res = r.submit(club, &r.clubs[club].president).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
    // A revision inside the window keeps the earlier text in the audit trail.
    assert_eq!(
        r.submit(0, &r.clubs[0].president).await.status,
        StatusCode::OK
    );
    let revised = app.db(|c| dongari::audit::for_subject(c, &r.clubs[0].id).unwrap());
    let revision = revised
        .iter()
        .find(|e| e.action == "evaluation.report_revised")
        .expect("a revision event");
    assert!(revision.detail.contains("처리 기간 20% 단축안"));
    // The third evaluator is a member of C: never assigned, cannot score it.
    let sheets = app
        .get(&r.url("/sheets"), Some(&app.token_for(&r.evaluators[2])))
        .await
        .json();
    let names: Vec<&str> = sheets["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["club_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["가 연구회", "나 연구회"]);
    let add = app
        .post_json(
            &r.club_url(2, "/assignments"),
            &json!({ "add": "9100003" }),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(add.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(add.json()["field"], "add");

    // Scoring opens on the 11th.
    assert_eq!(r.score(0, 0, [10; 4]).await.status, StatusCode::CONFLICT);
    app.clock.set(at(12, 9));
    assert_eq!(r.score(2, 2, [10; 4]).await.status, StatusCode::FORBIDDEN);
    let over = r.score(0, 0, [11, 10, 10, 10]).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.json()["field"]
        .as_str()
        .unwrap()
        .starts_with("points."));
    // A: 100 (first 90, then changed), 80, 90 → 90.00
    // B: 70, 90, 80 → 80.00;  C: 60, 100 → 80.00, tied with B down to the
    // submission time (B submitted a day earlier).
    for (evaluator, club, points) in [
        (0, 0, [9; 4]),
        (0, 0, [10; 4]),
        (1, 0, [8; 4]),
        (2, 0, [9; 4]),
        (0, 1, [7; 4]),
        (1, 1, [9; 4]),
        (2, 1, [8; 4]),
        (0, 2, [6; 4]),
        (1, 2, [10; 4]),
    ] {
        let res = r.score(evaluator, club, points).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        // The save answers with the sheet as saved.
        let sheet = res.json();
        assert_eq!(sheet["club_id"], r.clubs[club].id.as_str(), "{sheet}");
    }
    let changes = app.db(|c| {
        use diesel::prelude::*;
        use dongari::db::schema::audit_events;
        audit_events::table
            .filter(audit_events::action.like("evaluation.score%"))
            .filter(audit_events::actor_id.eq(&r.evaluators[0].id))
            .select(audit_events::action)
            .load::<String>(c)
            .unwrap()
    });
    assert_eq!(
        changes
            .iter()
            .filter(|a| *a == "evaluation.score_changed")
            .count(),
        1
    );

    let standings = app
        .get(&r.url("/standings"), Some(&r.admin_token()))
        .await
        .json();
    let rows: Vec<(&str, &Value, &str, &Value, &Value)> = standings["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| {
            (
                row["club_name"].as_str().unwrap(),
                &row["rank"],
                row["score"].as_str().unwrap(),
                &row["proposed_tier"],
                &row["decided_by"],
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "가 연구회",
                &json!(1),
                "90.00",
                &json!("grand"),
                &Value::Null
            ),
            (
                "나 연구회",
                &json!(2),
                "80.00",
                &json!("excellent"),
                &Value::Null
            ),
            (
                "다 연구회",
                &json!(3),
                "80.00",
                &json!("excellent"),
                &json!("동점: 제출 시각으로 결정")
            ),
        ]
    );
    assert_eq!(standings["key_criterion"], "연구 노력");

    // Confirmation waits for the scoring window to close, then is final.
    assert_eq!(r.confirm(json!({})).await.status, StatusCode::CONFLICT);
    app.clock.set(at(21, 10));
    assert_eq!(r.score(0, 1, [1; 4]).await.status, StatusCode::CONFLICT);
    let confirmed = r.confirm(json!({})).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.text());
    let body = confirmed.json();
    assert_eq!(body["newly_confirmed"], true);
    let awards: Vec<(&str, &str, i64)> = body["results"]["awards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["club_name"].as_str().unwrap(),
                a["tier"].as_str().unwrap(),
                a["amount_krw"].as_i64().unwrap(),
            )
        })
        .collect();
    // Three clubs for six prizes: no 장려 this time.
    assert_eq!(
        awards,
        [
            ("가 연구회", "grand", 500_000),
            ("나 연구회", "excellent", 300_000),
            ("다 연구회", "excellent", 300_000),
        ]
    );
    assert_eq!(body["results"]["total_krw"], 1_100_000);
    let overseas: Vec<&str> = body["results"]["overseas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(overseas, ["김가회장", "박회원", "이회원"]);
    // The jobs run announces the results, once.
    assert_eq!(r.mails_to("결과 발표"), 0, "the confirmation only records");
    r.app.run_jobs();
    assert_eq!(
        r.mails_to("결과 발표"),
        6,
        "three presidents, three evaluators"
    );
    r.app.run_jobs();
    assert_eq!(r.mails_to("결과 발표"), 6, "announced once");

    let repeat = r.confirm(json!({})).await;
    assert_eq!(repeat.status, StatusCode::OK);
    assert_eq!(repeat.json()["newly_confirmed"], false);
    let different = r
        .confirm(json!({ "awards": [{ "club_id": r.clubs[1].id, "tier": "grand" }], "reason": "재검토" }))
        .await;
    assert_eq!(different.status, StatusCode::CONFLICT);
    assert_eq!(r.mails_to("결과 발표"), 6, "no second announcement");

    // Two top contributors per 최우수/우수 club, members only.
    assert_eq!(
        r.recommend(0, "2016001").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(r.recommend(0, "2015002").await.status, StatusCode::CREATED);
    assert_eq!(r.recommend(0, "2015002").await.status, StatusCode::CONFLICT);
    assert_eq!(r.recommend(0, "2015003").await.status, StatusCode::CREATED);
    let third = r.recommend(0, "2015001").await;
    assert_eq!(third.status, StatusCode::CONFLICT);
    assert!(third.json()["message"]
        .as_str()
        .unwrap()
        .contains("at most 2 people"));
    let by_member = app
        .post_json(
            &r.club_url(0, "/contributors"),
            &json!({ "employee_no": "2015001" }),
            Some(&app.token_for(&r.members[0])),
        )
        .await;
    assert_eq!(by_member.status, StatusCode::FORBIDDEN);

    // Everyone reads the results.
    let anyone = app.employee("2019999").name("한직원").create();
    let results = app
        .get(&r.url("/results"), Some(&app.token_for(&anyone)))
        .await
        .json();
    let contributors: Vec<(&str, i64, bool)> = results["contributors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["special_leave_days"].as_i64().unwrap(),
                c["preferred_department"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(contributors, [("이회원", 1, true), ("박회원", 1, true)]);

    // The ledger holds the prizes, from the office's prize fund, and the
    // contributors' leave days.
    use dongari::ledger::{model as ledger, AccountRef, Owner, SystemPurpose, Unit};
    let balance = |owner: Owner, unit: Unit| {
        app.db(
            |c| match ledger::account_id_of(c, &AccountRef { owner, unit }).unwrap() {
                Some(id) => ledger::balance(c, &id).unwrap(),
                None => 0,
            },
        )
    };
    let krw: Vec<i64> = r
        .clubs
        .iter()
        .map(|club| balance(Owner::Club(club.id.clone()), Unit::Krw))
        .collect();
    assert_eq!(krw, [500_000, 300_000, 300_000]);
    let fund = Owner::System {
        purpose: SystemPurpose::PrizeFund,
        organization_id: app.org.clone(),
    };
    assert_eq!(balance(fund, Unit::Krw), -1_100_000);
    let leave: i64 = r
        .members
        .iter()
        .map(|m| balance(Owner::Employee(m.id.clone()), Unit::LeaveDays))
        .sum();
    assert_eq!(leave, 2);
    app.db(|c| assert!(dongari::ledger::verify::verify(c).unwrap().is_clean()));
}

#[actix_web::test]
async fn opening_checks_every_field_and_writes_nothing_on_error() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.employee("9000001").role(Role::Admin).create();
    app.employee("9100001").role(Role::Evaluator).create();
    app.employee("2015001").create();
    let token = app.token_for(&admin);
    let cases = [
        (json!({ "half": "2026H3" }), "half"),
        (json!({ "score_until": "2026-12-05" }), "score_until"),
        (json!({ "submit_from": "12/01/2026" }), "submit_from"),
        (json!({ "evaluators": ["2015001"] }), "evaluators"),
        (json!({ "evaluators": [] }), "evaluators"),
        (json!({ "combination": "median" }), "combination"),
        (
            json!({ "rubric": [{ "name": "성과", "weight": 0, "max_points": 10 }] }),
            "rubric.0",
        ),
        (
            json!({ "prizes": [{ "tier": "grand", "winners": 1, "amount_krw": 500000 }] }),
            "prizes",
        ),
    ];
    for (change, field) in cases {
        let mut body = round_body();
        body["evaluators"] = json!(["9100001"]);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let res = app
            .post_json("/api/v1/evaluation/rounds", &body, Some(&token))
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            res.text()
        );
        assert_eq!(res.json()["field"], field);
    }
    // Several wrong fields are named together, the first as `field`.
    let mut body = round_body();
    body["half"] = json!("2026H3");
    body["combination"] = json!("median");
    body["evaluators"] = json!(["2015001"]);
    let res = app
        .post_json("/api/v1/evaluation/rounds", &body, Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = res.json();
    assert_eq!(answer["field"], "half");
    let fields: Vec<&str> = answer["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["half", "combination", "evaluators"], "{answer}");
    let member = app.token_for(&app.employee("2015009").create());
    let res = app
        .post_json("/api/v1/evaluation/rounds", &round_body(), Some(&member))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let rounds = app
        .get("/api/v1/evaluation/rounds", Some(&token))
        .await
        .json();
    assert_eq!(rounds["total"], 0);
    assert_eq!(app.db(|c| outbox::all(c).unwrap().len()), 0);
}

#[actix_web::test]
async fn late_reports_need_a_reopening_and_missing_scores_block_ranking() {
    let r = open(Backend::Sqlite).await;
    let app = &r.app;
    app.clock.set(at(2, 10));
    assert_eq!(
        r.submit(0, &r.clubs[0].president).await.status,
        StatusCode::OK
    );
    assert_eq!(
        r.submit(1, &r.clubs[1].president).await.status,
        StatusCode::OK
    );
    // C misses the window; the administrator reopens it until the 13th.
    app.clock.set(at(11, 9));
    let late = r.submit(2, &r.clubs[2].president).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.json()["message"].as_str().unwrap().contains("is over"));
    let no_reason = app
        .post_json(
            &r.club_url(2, "/reopen"),
            &json!({ "until": "2026-12-13", "reason": "" }),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(no_reason.json()["field"], "reason");
    let reopened = app
        .post_json(
            &r.club_url(2, "/reopen"),
            &json!({ "until": "2026-12-13", "reason": "회장 출장" }),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::NO_CONTENT);
    let res = r.submit(2, &r.clubs[2].president).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["reopened"], true);

    // Only two of C's evaluators... and one of them has not scored.
    for (evaluator, club) in [(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1), (0, 2)] {
        assert_eq!(
            r.score(evaluator, club, [5; 4]).await.status,
            StatusCode::OK
        );
    }
    let standings = app
        .get(&r.url("/standings"), Some(&r.admin_token()))
        .await
        .json();
    let c = &standings["rows"][2];
    assert_eq!(
        (
            c["club_name"].as_str(),
            &c["rank"],
            c["scored"].as_i64(),
            c["assigned"].as_i64()
        ),
        (Some("다 연구회"), &Value::Null, Some(1), Some(2))
    );
    assert_eq!(
        standings["rows"][0]["tied"], true,
        "A and B are equal on every step"
    );

    app.clock.set(at(21, 9));
    // A and B tie at the 최우수 boundary: the administrator must decide.
    let undecided = r.confirm(json!({})).await;
    assert_eq!(undecided.json()["field"], "awards");
    let unranked = r
        .confirm(json!({ "awards": [{ "club_id": r.clubs[2].id, "tier": "encouragement" }], "reason": "격려" }))
        .await;
    assert_eq!(unranked.json()["field"], "awards");
    let choice = json!([
        { "club_id": r.clubs[1].id, "tier": "grand" },
        { "club_id": r.clubs[0].id, "tier": "excellent" },
    ]);
    let no_reason = r.confirm(json!({ "awards": choice })).await;
    assert_eq!(no_reason.json()["field"], "reason");
    let done = r
        .confirm(json!({ "awards": choice, "reason": "동점: 정기모임 참석률이 더 높음" }))
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert_eq!(
        done.json()["results"]["round"]["adjustment_reason"],
        "동점: 정기모임 참석률이 더 높음"
    );
    let same_again = r.confirm(json!({ "awards": choice })).await;
    assert_eq!(same_again.json()["newly_confirmed"], false);
    let overseas = done.json()["results"]["overseas"].as_array().unwrap().len();
    assert_eq!(overseas, 1, "B's only member, its president");
}

#[actix_web::test]
async fn reminders_go_out_once_before_each_window_closes() {
    let r = open(Backend::Sqlite).await;
    let app = &r.app;
    app.clock.set(at(2, 10));
    assert_eq!(
        r.submit(0, &r.clubs[0].president).await.status,
        StatusCode::OK
    );
    // Four days before the end of the window: nothing yet.
    app.clock.set(at(6, 10));
    app.run_jobs();
    assert_eq!(r.mails_to("성과보고서 제출 마감 안내"), 0);
    // Within three days: the presidents of B and C, once.
    app.clock.set(at(8, 10));
    app.run_jobs();
    app.run_jobs();
    assert_eq!(r.mails_to("성과보고서 제출 마감 안내"), 2);
    // Scoring: the evaluators with clubs left, once.
    app.clock.set(at(12, 10));
    for evaluator in 0..2 {
        assert_eq!(r.score(evaluator, 0, [5; 4]).await.status, StatusCode::OK);
    }
    assert_eq!(
        r.submit(1, &r.clubs[1].president).await.status,
        StatusCode::CONFLICT
    );
    app.clock.set(at(18, 10));
    app.run_jobs();
    app.run_jobs();
    assert_eq!(
        r.mails_to("채점 마감 안내"),
        1,
        "only the third evaluator has A left"
    );
}

/// An administrator moves a round's windows — extends submission, then
/// closes scoring early once every score is in — with a reason each time,
/// and the round goes on to confirmation, contributors and exports at once.
async fn moved_windows_carry_a_round_to_its_exports(backend: Backend) {
    let r = open(backend).await;
    let app = &r.app;
    app.clock.set(at(2, 10));
    for club in [0, 1] {
        assert_eq!(
            r.submit(club, &r.clubs[club].president).await.status,
            StatusCode::OK
        );
    }
    let moved = |reason: &str, close: bool| {
        json!({
            "submit_from": "2026-12-01", "submit_until": "2026-12-12",
            "score_from": "2026-12-13", "score_until": "2026-12-22",
            "close_scoring": close, "reason": reason,
        })
    };
    let windows = r.url("/windows");
    let res = app
        .put_json(&windows, &moved(" ", false), Some(&r.admin_token()))
        .await;
    assert_eq!(res.json()["field"], "reason");
    let president = app.token_for(&r.clubs[2].president);
    let res = app
        .put_json(&windows, &moved("연장", false), Some(&president))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .put_json(
            &windows,
            &moved("제출 연장 요청", false),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());

    // On the 11th the original window has closed, the moved one has not.
    app.clock.set(at(11, 10));
    assert_eq!(
        r.submit(2, &r.clubs[2].president).await.status,
        StatusCode::OK
    );

    app.clock.set(at(13, 10));
    for (club, points) in [(0, [9; 4]), (1, [7; 4]), (2, [5; 4])] {
        for evaluator in 0..3 {
            if evaluator == 2 && club == 2 {
                continue; // a member of club C: never assigned to it
            }
            let res = r.score(evaluator, club, points).await;
            assert!(res.status.is_success(), "{}", res.text());
            if (club, evaluator) == (1, 0) {
                // Closing scoring with scores missing is refused.
                let res = app
                    .put_json(&windows, &moved("조기 마감", true), Some(&r.admin_token()))
                    .await;
                assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
            }
        }
    }
    let res = app
        .put_json(
            &windows,
            &moved("채점 완료로 조기 마감", true),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(res.json()["phase"], "closed", "{}", res.text());

    // Before confirmation an export is refused; a client asking for JSON
    // gets the error as JSON, not a page.
    let res = app
        .send(
            actix_web::test::TestRequest::get()
                .uri(&format!("/evaluation/{}/export/prizes.csv", r.id))
                .insert_header(("Cookie", format!("dongari_session={}", r.admin_token())))
                .insert_header(("Accept", "application/json")),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.text());
    assert_eq!(res.json()["error"], "conflict");

    // No clock moves: confirmation, contributors and exports follow now.
    let res = r.confirm(json!({})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let res = r.recommend(0, "2015002").await;
    assert!(res.status.is_success(), "{}", res.text());
    for table in [
        "ranking.csv",
        "prizes.csv",
        "contributors.csv",
        "overseas.csv",
    ] {
        let res = app
            .send(
                actix_web::test::TestRequest::get()
                    .uri(&format!("/evaluation/{}/export/{table}", r.id))
                    .insert_header(("Cookie", format!("dongari_session={}", r.admin_token()))),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{table}: {}", res.text());
    }
    let contributors = String::from_utf8_lossy(
        &app.send(
            actix_web::test::TestRequest::get()
                .uri(&format!("/evaluation/{}/export/contributors.csv", r.id))
                .insert_header(("Cookie", format!("dongari_session={}", r.admin_token()))),
        )
        .await
        .body,
    )
    .into_owned();
    assert!(contributors.contains("이회원"), "{contributors}");

    // Confirmed: the windows stay as they are.
    let res = app
        .put_json(&windows, &moved("다시", false), Some(&r.admin_token()))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let trail = app.db(|c| dongari::audit::for_subject(c, &r.id).unwrap());
    let reasons: Vec<&str> = trail
        .iter()
        .filter(|e| e.action == "evaluation.windows")
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[1].contains("조기 마감"));
}

both_backends!(moved_windows_carry_a_round_to_its_exports);

both_backends!(scoring_opens_while_reports_may_still_come);

/// Windows that overlap (the form allows it): on the 8th a report may
/// still come and evaluators may already score, on the page and the API.
async fn scoring_opens_while_reports_may_still_come(backend: Backend) {
    let r = open(backend).await;
    let app = &r.app;
    app.clock.set(at(2, 10));
    let res = app
        .put_json(
            &r.url("/windows"),
            &json!({
                "submit_from": "2026-12-01", "submit_until": "2026-12-10",
                "score_from": "2026-12-05", "score_until": "2026-12-20",
                "close_scoring": false, "reason": "빠른 채점",
            }),
            Some(&r.admin_token()),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    assert_eq!(
        r.submit(0, &r.clubs[0].president).await.status,
        StatusCode::OK
    );

    app.clock.set(at(8, 10));
    let evaluator = app.browser();
    evaluator
        .log_in(&r.evaluators[0].employee_no, crate::helpers::PASSWORD)
        .await;
    let sheet_url = format!("/evaluation/{}/clubs/{}/score", r.id, r.clubs[0].id);
    let home = evaluator.get("/").await.text();
    assert!(
        home.contains("2026-12-20 23:59까지") && home.contains("채점할 동아리"),
        "the evaluator's to-do: {home}"
    );
    assert!(home.contains(&format!("/evaluation/{}", r.id)));
    let sheet = evaluator.get(&sheet_url).await.text();
    assert!(!sheet.contains("채점 기간이 아닙니다"), "{sheet}");
    assert!(sheet.contains("채점 저장"));
    assert_eq!(r.score(0, 0, [8, 8, 8, 8]).await.status, StatusCode::OK);
    // Reports are still taken too.
    assert_eq!(
        r.submit(1, &r.clubs[1].president).await.status,
        StatusCode::OK
    );
}

/// The standings are kept between requests; each change they are made
/// from shows on the very next request: a report, a score, a meeting
/// counted for ties, a club's name.
async fn the_standings_follow_every_change_at_once(backend: Backend) {
    let r = open(backend).await;
    let app = &r.app;
    let standings = || async {
        app.get(&r.url("/standings"), Some(&r.admin_token()))
            .await
            .json()
    };
    let row = |standings: &Value, club: &str| {
        standings["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| row["club_id"] == club)
            .cloned()
    };
    app.clock.set(at(2, 10));
    for club in 0..2 {
        assert_eq!(
            r.submit(club, &r.clubs[club].president).await.status,
            StatusCode::OK
        );
    }
    let before = standings().await;
    assert_eq!(before, standings().await, "the same standings twice");
    assert_eq!(before["total"], 2, "{before}");
    assert_eq!(before["not_submitted"].as_array().unwrap().len(), 1);

    assert_eq!(
        r.submit(2, &r.clubs[2].president).await.status,
        StatusCode::OK
    );
    let after = standings().await;
    assert_eq!(after["total"], 3, "{after}");
    assert!(after["not_submitted"].as_array().unwrap().is_empty());

    app.clock.set(at(12, 9));
    assert_eq!(r.score(0, 0, [10; 4]).await.status, StatusCode::OK);
    let a = row(&standings().await, &r.clubs[0].id).unwrap();
    assert_eq!(
        (&a["scored"], &a["regular_meetings"]),
        (&json!(1), &json!(0))
    );

    let meeting = json!({
        "held_on": "2026-12-11", "starts_at": "19:00", "ends_at": "21:00",
        "kind": "regular", "place": "소회의실", "topic": "민원 사례",
        "attendees": [r.clubs[0].president.id],
    });
    let president = app.token_for(&r.clubs[0].president);
    let logged = app
        .post_json(
            &format!("/api/v1/clubs/{}/meetings", r.clubs[0].id),
            &meeting,
            Some(&president),
        )
        .await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.text());
    let a = row(&standings().await, &r.clubs[0].id).unwrap();
    assert_eq!(a["regular_meetings"], 1);

    app.db(|c| {
        use diesel::prelude::*;
        use dongari::db::schema::clubs;
        diesel::update(clubs::table.find(&r.clubs[0].id))
            .set(clubs::name.eq("가 연구회 (새 이름)"))
            .execute(c)
            .unwrap()
    });
    let a = row(&standings().await, &r.clubs[0].id).unwrap();
    assert_eq!(a["club_name"], "가 연구회 (새 이름)");

    app.db(|c| {
        use diesel::prelude::*;
        use dongari::db::schema::employees;
        diesel::update(employees::table.find(&r.evaluators[1].id))
            .set(employees::name.eq("평가위원 (새 이름)"))
            .execute(c)
            .unwrap()
    });
    let a = row(&standings().await, &r.clubs[0].id).unwrap();
    let names: Vec<&Value> = a["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|sheet| &sheet["evaluator_name"])
        .collect();
    assert!(names.contains(&&json!("평가위원 (새 이름)")), "{a}");
}
