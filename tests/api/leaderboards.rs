//! Leaderboards through the API, on both backends: the top N and the
//! viewer's own place, never anyone else's below N; people who chose to be
//! left out (or whose club chose it for them) and deactivated people absent
//! for others but present for themselves; a closed month's board frozen;
//! clubs ranked by mileage per member; the knowledge king proposed by the
//! written tie rule and confirmed once.

use actix_web::http::StatusCode;
use diesel::prelude::*;
use dongari::clock::{Clock, FixedClock};
use dongari::org::model::{Employee, Role};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp};

both_backends!(
    boards_show_the_top_n_and_my_own_place_only,
    people_left_out_are_absent_for_others_and_present_for_themselves,
    a_closed_month_never_changes,
    the_clubs_board_follows_points_and_members_at_once,
    the_knowledge_king_is_proposed_by_the_tie_rule_and_confirmed_once,
);

struct Board {
    app: TestApp,
    club: String,
    people: Vec<Employee>,
}

/// A club whose members 0..n wrote n - i posts (10 points each), so
/// person 0 leads; the top N is 2.
async fn board(backend: Backend, n: usize) -> Board {
    let app = TestApp::spawn_with(backend, &[("DONGARI__LEADERBOARD__TOP_N", "2")]).await;
    let people: Vec<Employee> = (0..n)
        .map(|i| {
            app.employee(&format!("20160{i:02}"))
                .name(&format!("회원{i}"))
                .create()
        })
        .collect();
    let mut builder = app.club("민원혁신 연구회", &people[0]);
    for p in &people[1..] {
        builder = builder.member(p);
    }
    let club = builder.create().id;
    let b = Board { app, club, people };
    for (i, p) in b.people.iter().enumerate() {
        for k in 0..(n - i).min(3) {
            b.post(p, &format!("정리 {k}")).await;
        }
    }
    b
}

impl Board {
    async fn post(&self, who: &Employee, title: &str) -> String {
        let res = self
            .app
            .post_json(
                &format!("/api/v1/clubs/{}/posts", self.club),
                &json!({ "title": title, "body": "배운 것" }),
                Some(&self.app.token_for(who)),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        res.json()["id"].as_str().unwrap().to_string()
    }

    /// `who` leaves the club.
    async fn leave(&self, who: &Employee) {
        let res = self
            .app
            .delete(
                &format!("/api/v1/clubs/{}/members/{}", self.club, who.id),
                Some(&self.app.token_for(who)),
            )
            .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    }

    /// The people's board `who` sees.
    async fn view(&self, who: &Employee, query: &str) -> Value {
        self.board("people", who, query).await
    }

    /// The clubs' board `who` sees.
    async fn clubs(&self, who: &Employee, query: &str) -> Value {
        self.board("clubs", who, query).await
    }

    async fn board(&self, kind: &str, who: &Employee, query: &str) -> Value {
        let res = self
            .app
            .get(
                &format!("/api/v1/leaderboards/{kind}{query}"),
                Some(&self.app.token_for(who)),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        res.json()
    }

    async fn choose(&self, who: &Employee, hidden: Value) {
        let res = self
            .app
            .put_json(
                "/api/v1/me/leaderboard-choice",
                &json!({ "hidden": hidden }),
                Some(&self.app.token_for(who)),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    }
}

fn ids(board: &Value) -> Vec<String> {
    board["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["employee_id"].as_str().unwrap().to_string())
        .collect()
}

async fn boards_show_the_top_n_and_my_own_place_only(backend: Backend) {
    // Points 30, 30, 30, 20, 10: three tie for first, so the top 2 shows
    // all three; the fifth sees only them and their own place.
    let b = board(backend, 5).await;
    let last = &b.people[4];
    let view = b.view(last, "").await;
    assert_eq!(view["period"], "2026-11");
    assert_eq!(
        (&view["from"], &view["to"]),
        (&json!("2026-11-01"), &json!("2026-12-01"))
    );
    assert_eq!(view["closed"], false);
    let ranks: Vec<i64> = view["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["rank"].as_i64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 1, 1]);
    assert_eq!(
        (&view["me"]["rank"], &view["me"]["points"]),
        (&json!(5), &json!(10))
    );
    // The fourth's place and points appear nowhere in the fifth's answer.
    assert!(!view.to_string().contains(&b.people[3].id), "{view}");
    assert!(!view.to_string().contains("\"rank\":4"), "{view}");
    // Half-year and year boards; my club's; someone outside the club may
    // not see the club's.
    for period in ["2026H2", "2026"] {
        let v = b.view(last, &format!("?period={period}")).await;
        assert_eq!(v["me"]["rank"], 5, "{period}");
    }
    let v = b
        .view(last, &format!("?scope=club&club_id={}", b.club))
        .await;
    assert_eq!(v["places"].as_array().unwrap().len(), 3);
    let outsider = b.app.employee("3000001").create();
    let res = b
        .app
        .get(
            &format!("/api/v1/leaderboards/people?scope=club&club_id={}", b.club),
            Some(&b.app.token_for(&outsider)),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let v = b.view(&outsider, "").await;
    assert_eq!(
        (&v["me"]["rank"], &v["me"]["points"]),
        (&Value::Null, &json!(0))
    );
    for bad in ["?period=2026-13", "?period=26", "?scope=city"] {
        let res = b
            .app
            .get(
                &format!("/api/v1/leaderboards/people{bad}"),
                Some(&b.app.token_for(last)),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    // Clubs by mileage per member: a second club of one member with 30.
    let solo = b.app.employee("4000001").create();
    let second = b.app.club("혼자 연구회", &solo).create().id;
    for k in 0..3 {
        let res = b
            .app
            .post_json(
                &format!("/api/v1/clubs/{second}/posts"),
                &json!({ "title": format!("혼자 {k}"), "body": "배운 것" }),
                Some(&b.app.token_for(&solo)),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED);
    }
    let clubs = b
        .app
        .get("/api/v1/leaderboards/clubs", Some(&b.app.token_for(last)))
        .await
        .json();
    let places = clubs["places"].as_array().unwrap();
    assert_eq!(places[0]["club_id"], second.as_str(), "{clubs}");
    assert_eq!(
        (&places[0]["per_member"], &places[1]["per_member"]),
        (&json!("30.0"), &json!("24.0"))
    );
    assert_eq!(places[1]["is_mine"], true);
}

async fn people_left_out_are_absent_for_others_and_present_for_themselves(backend: Backend) {
    let b = board(backend, 4).await;
    let (leader, viewer) = (&b.people[0], &b.people[3]);
    b.choose(leader, json!(true)).await;
    let others = b.view(viewer, "").await;
    assert!(!others.to_string().contains(&leader.id), "{others}");
    let own = b.view(leader, "").await;
    assert_eq!(
        (&own["me"]["rank"], &own["me"]["visible"]),
        (&json!(1), &json!(false))
    );
    assert!(!ids(&own).contains(&leader.id));
    // Back at once.
    b.choose(leader, Value::Null).await;
    assert!(ids(&b.view(viewer, "").await).contains(&leader.id));

    // The club's default leaves out everyone who has not chosen; a member
    // who chose to be shown stays.
    b.choose(&b.people[1], json!(false)).await;
    let res = b
        .app
        .put_json(
            &format!("/api/v1/clubs/{}/leaderboard-default", b.club),
            &json!({ "hidden": true }),
            Some(&b.app.token_for(viewer)),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "only the president or an administrator"
    );
    let res = b
        .app
        .put_json(
            &format!("/api/v1/clubs/{}/leaderboard-default", b.club),
            &json!({ "hidden": true }),
            Some(&b.app.token_for(leader)),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let outsider = b.app.employee("3000001").create();
    assert_eq!(ids(&b.view(&outsider, "").await), [b.people[1].id.clone()]);

    // A deactivated person is never ranked.
    let admin = b.app.employee("9000001").role(Role::Admin).create();
    let res = b
        .app
        .put_json(
            &format!("/api/v1/clubs/{}/leaderboard-default", b.club),
            &json!({ "hidden": false }),
            Some(&b.app.token_for(&admin)),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    let gone = b.people[0].id.clone();
    b.app.db(|c| {
        use dongari::db::schema::employees;
        diesel::update(employees::table.find(&gone))
            .set(employees::active.eq(false))
            .execute(c)
            .unwrap()
    });
    assert!(!b.view(&outsider, "").await.to_string().contains(&gone));
}

async fn a_closed_month_never_changes(backend: Backend) {
    let b = board(backend, 3).await;
    let post = b.post(&b.people[1], "11월 마지막").await;
    let november = b.view(&b.people[2], "?period=2026-11").await;
    let clubs_in_november = b.clubs(&b.people[0], "?period=2026-11").await;
    b.app
        .clock
        .set(FixedClock::at_seoul(2026, 12, 2, 9, 0, 0).now());
    // A November post hidden in December: the take-back counts in December.
    let admin = b.app.employee("9000001").role(Role::Admin).create();
    let res = b
        .app
        .post_json(
            &format!("/api/v1/clubs/{}/posts/{post}/hide", b.club),
            &json!({ "reason": "학습과 무관한 글" }),
            Some(&b.app.token_for(&admin)),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
    b.post(&b.people[2], "12월 정리").await;
    // A member who leaves in December changes no November per-member figure.
    b.leave(&b.people[2]).await;
    let after = b.view(&b.people[2], "?period=2026-11").await;
    assert_eq!(after["closed"], true);
    assert_eq!(after["places"], november["places"]);
    assert_eq!(after["me"], november["me"]);
    let clubs_after = b.clubs(&b.people[0], "?period=2026-11").await;
    assert_eq!(clubs_after["places"], clubs_in_november["places"]);
    assert_eq!(clubs_after["places"][0]["members"], 3, "{clubs_after}");
    let this_year = b.clubs(&b.people[0], "?period=2026").await;
    assert_eq!(this_year["places"][0]["members"], 2, "{this_year}");
    let december = b.view(&b.people[2], "").await;
    assert_eq!(december["period"], "2026-12");
    assert_eq!(
        december["places"].as_array().unwrap().len(),
        1,
        "{december}"
    );
    let totals = b
        .app
        .db(|c| dongari::leaderboard::verify::check(c).unwrap());
    assert!(totals.is_empty(), "{totals:?}");
    let sizes = b
        .app
        .db(|c| dongari::clubs::service::check_sizes(c).unwrap());
    assert!(sizes.is_empty(), "{sizes:?}");
}

/// The clubs' board is kept between requests (it reads every club of the
/// office), and so is the office's people's board: a post, a member
/// leaving, a new club, a club's or a person's new name shows at once, and
/// a member's club below the top N still shows among their own.
async fn the_clubs_board_follows_points_and_members_at_once(backend: Backend) {
    let b = board(backend, 3).await;
    let mine = |board: &Value| {
        (
            board["places"][0]["points"].clone(),
            board["places"][0]["members"].clone(),
        )
    };
    let before = b.clubs(&b.people[0], "").await;
    assert_eq!(
        before,
        b.clubs(&b.people[0], "").await,
        "the same board twice"
    );
    assert_eq!(mine(&before), (json!(60), json!(3)), "{before}");
    b.post(&b.people[1], "하나 더").await;
    assert_eq!(
        mine(&b.clubs(&b.people[0], "").await),
        (json!(70), json!(3))
    );
    b.leave(&b.people[2]).await;
    let after = b.clubs(&b.people[0], "").await;
    assert_eq!(mine(&after), (json!(70), json!(2)), "{after}");
    assert_eq!(after["places"][0]["per_member"], "35.0");
    // A second club with points joins the board.
    let solo = b.app.employee("2017001").create();
    let second = b.app.club("혼자 연구회", &solo).create().id;
    let res = b
        .app
        .post_json(
            &format!("/api/v1/clubs/{second}/posts"),
            &json!({ "title": "혼자", "body": "배운 것" }),
            Some(&b.app.token_for(&solo)),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let both = b.clubs(&b.people[0], "").await;
    assert_eq!(both["places"].as_array().unwrap().len(), 2, "{both}");

    // Two clubs of 20 a member push the solo club (10) below the top 2,
    // tied at the edge: its member still sees it, fourth, among their own.
    for n in 0..2 {
        let president = b.app.employee(&format!("20180{n}")).create();
        let club = b
            .app
            .club(&format!("새 연구회 {n}"), &president)
            .create()
            .id;
        for k in 0..2 {
            let res = b
                .app
                .post_json(
                    &format!("/api/v1/clubs/{club}/posts"),
                    &json!({ "title": format!("새 {k}"), "body": "배운 것" }),
                    Some(&b.app.token_for(&president)),
                )
                .await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        }
    }
    let seen_by_solo = b.clubs(&solo, "").await;
    let ranks: Vec<&Value> = seen_by_solo["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["rank"])
        .collect();
    assert_eq!(ranks, [&json!(1), &json!(2), &json!(2)], "{seen_by_solo}");
    assert_eq!(seen_by_solo["mine"][0]["club_id"], second.as_str());
    assert_eq!(seen_by_solo["mine"][0]["rank"], 4, "{seen_by_solo}");
    assert_eq!(seen_by_solo["mine"][0]["name"], "혼자 연구회");

    // A club's and a person's new names show on the next request, though
    // both boards are kept.
    b.app.db(|c| {
        use dongari::db::schema::clubs;
        diesel::update(clubs::table.find(&second))
            .set(clubs::name.eq("혼자 연구회 (새 이름)"))
            .execute(c)
            .unwrap()
    });
    let renamed = b.clubs(&solo, "").await;
    assert_eq!(
        renamed["mine"][0]["name"], "혼자 연구회 (새 이름)",
        "{renamed}"
    );
    assert_eq!(b.view(&b.people[0], "").await["places"][0]["name"], "회원0");
    b.app.db(|c| {
        use dongari::db::schema::employees;
        diesel::update(employees::table.find(&b.people[0].id))
            .set(employees::name.eq("회원0 (새 이름)"))
            .execute(c)
            .unwrap()
    });
    let people = b.view(&b.people[0], "").await;
    assert_eq!(people["places"][0]["name"], "회원0 (새 이름)", "{people}");
}

async fn the_knowledge_king_is_proposed_by_the_tie_rule_and_confirmed_once(backend: Backend) {
    let b = board(backend, 3).await;
    // 회원1 (20 points) catches up with 회원0 (30) later the same day: a tie
    // that the earlier last earning breaks in 회원0's favour.
    b.app
        .clock
        .set(FixedClock::at_seoul(2026, 11, 24, 9, 0, 0).now());
    b.post(&b.people[1], "따라잡기").await;
    let admin = b.app.employee("9000001").role(Role::Admin).create();
    let token = b.app.token_for(&admin);
    let res = b
        .app
        .post_json("/api/v1/knowledge-kings/2026", &json!({}), Some(&token))
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the year is not over"
    );
    b.app
        .clock
        .set(FixedClock::at_seoul(2027, 1, 5, 9, 0, 0).now());
    let token = b.app.token_for(&admin);
    let view = b
        .app
        .get("/api/v1/knowledge-kings/2026", Some(&token))
        .await
        .json();
    assert_eq!(view["closed"], true);
    let names: Vec<&str> = view["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["회원0", "회원1", "회원2"], "{view}");
    // Another than the proposal needs a reason.
    let other = json!({ "employee_id": b.people[1].id });
    let res = b
        .app
        .post_json("/api/v1/knowledge-kings/2026", &other, Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["field"], "reason");
    let member = b.app.token_for(&b.people[1]);
    let res = b
        .app
        .post_json("/api/v1/knowledge-kings/2026", &json!({}), Some(&member))
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let chosen = json!({ "employee_id": b.people[1].id, "reason": "연중 꾸준한 학습 공유" });
    let res = b
        .app
        .post_json("/api/v1/knowledge-kings/2026", &chosen, Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let confirmed = res.json()["confirmed"].clone();
    assert_eq!(
        (&confirmed["name"], &confirmed["overridden"]),
        (&json!("회원1"), &json!(true))
    );
    assert_eq!(confirmed["points"], 30);
    let res = b
        .app
        .post_json("/api/v1/knowledge-kings/2026", &json!({}), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
}
