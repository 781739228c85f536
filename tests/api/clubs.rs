use actix_web::http::StatusCode;
use dongari::org::model::{Employee, Role};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, TestClub};

both_backends!(
    an_admin_creates_a_club_and_an_employee_proposes_one,
    the_permission_matrix_holds_for_every_write,
    membership_join_requests_and_presidency,
    meeting_validation_refuses_and_writes_nothing,
    hours_follow_attendance_membership_and_the_cap,
    hours_count_each_meeting_once_for_someone_who_left_and_came_back,
    the_board_is_readable_by_all_and_moderated_by_admins,
    the_meetings_list_follows_every_change_at_once,
    the_club_list_follows_every_change_at_once,
);

struct Cast {
    app: TestApp,
    club: TestClub,
    member: Employee,
    outsider: Employee,
    admin: Employee,
}

impl Cast {
    async fn new(backend: Backend) -> Self {
        let app = TestApp::spawn(backend).await;
        let president = app.employee("2015001").name("김회장").create();
        let member = app.employee("2015002").name("이회원").create();
        let outsider = app.employee("2015003").name("박외부").create();
        let admin = app
            .employee("9000001")
            .name("최관리")
            .role(Role::Admin)
            .create();
        let club = app
            .club("민원혁신 연구회", &president)
            .member(&member)
            .create();
        Cast {
            app,
            club,
            member,
            outsider,
            admin,
        }
    }

    fn token(&self, e: &Employee) -> String {
        self.app.token_for(e)
    }

    fn url(&self, rest: &str) -> String {
        format!("/api/v1/clubs/{}{rest}", self.club.id)
    }
}

fn meeting(held_on: &str, start: &str, end: &str, attendees: &[&Employee]) -> Value {
    json!({
        "held_on": held_on, "starts_at": start, "ends_at": end, "kind": "regular",
        "place": "구청 3층 소회의실", "topic": "민원 처리 절차 개선",
        "attendees": attendees.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
    })
}

async fn an_admin_creates_a_club_and_an_employee_proposes_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.with_departments();
    let admin = app.employee("9000001").role(Role::Admin).create();
    let president = app.employee("2015001").name("김회장").create();
    let proposer = app.employee("2015002").name("이제안").create();
    let admin_token = app.token_for(&admin);

    let body = json!({ "name": "예산 절감 연구회", "kind": "department", "home_department": "2010", "field": "budget",
                       "description": "세출 구조 분석", "president_employee_no": "2015001", "usual_start": "18:30", "usual_end": "20:30" });
    let res = app
        .post_json("/api/v1/clubs", &body, Some(&admin_token))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let club_id = res.json()["id"].as_str().unwrap().to_string();
    let club = app
        .get(
            &format!("/api/v1/clubs/{club_id}"),
            Some(&app.token_for(&president)),
        )
        .await
        .json();
    assert_eq!(club["status"], "active");
    assert_eq!(club["president"]["name"], "김회장");
    assert_eq!(club["home_department"]["name"], "총무과");
    assert_eq!(club["member_count"], 1);
    assert_eq!(club["usual_start"], "18:30");

    // An employee proposes; the proposal waits, then becomes theirs.
    let proposer_token = app.token_for(&proposer);
    let proposal = json!({ "name": "주민 편의 연구회", "kind": "integrated", "field": "resident_convenience" });
    let res = app
        .post_json("/api/v1/clubs", &proposal, Some(&proposer_token))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let proposed_id = res.json()["id"].as_str().unwrap().to_string();
    let listed = app.get("/api/v1/clubs", Some(&proposer_token)).await.json();
    assert_eq!(
        listed["total"], 1,
        "only active clubs are listed by default"
    );
    let waiting = app
        .get("/api/v1/clubs?status=proposed", Some(&admin_token))
        .await
        .json();
    assert_eq!(waiting["items"][0]["id"], proposed_id.as_str());
    assert_eq!(waiting["total"], 1);

    let decide = format!("/api/v1/clubs/{proposed_id}/decision");
    assert_eq!(
        app.post_json(&decide, &json!({ "approve": true }), Some(&proposer_token))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(&decide, &json!({ "approve": true }), Some(&admin_token))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post_json(&decide, &json!({ "approve": true }), Some(&admin_token))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let club = app
        .get(
            &format!("/api/v1/clubs/{proposed_id}"),
            Some(&proposer_token),
        )
        .await
        .json();
    assert_eq!(
        (club["status"].as_str(), club["president"]["name"].as_str()),
        (Some("active"), Some("이제안"))
    );
    // The totals the database keeps follow the change of state.
    let total = |status: &'static str| {
        let path = format!("/api/v1/clubs?status={status}");
        let token = admin_token.clone();
        let app = &app;
        async move { app.get(&path, Some(&token)).await.json()["total"].clone() }
    };
    assert_eq!(
        (total("active").await, total("proposed").await),
        (json!(2), json!(0))
    );

    // Only administrators name a president; bad fields are named.
    let res = app.post_json("/api/v1/clubs", &json!({ "name": "x", "kind": "integrated", "field": "budget", "president_employee_no": "2015001" }), Some(&proposer_token)).await;
    assert_eq!(res.json()["field"], "president_employee_no");
    let res = app
        .post_json(
            "/api/v1/clubs",
            &json!({ "name": "x", "kind": "department", "field": "budget" }),
            Some(&admin_token),
        )
        .await;
    assert_eq!(res.json()["field"], "home_department");
    let res = app
        .post_json(
            "/api/v1/clubs",
            &json!({ "name": " ", "kind": "integrated", "field": "budget" }),
            Some(&admin_token),
        )
        .await;
    assert_eq!(res.json()["field"], "name");
    let mine = app
        .get("/api/v1/clubs?mine=true", Some(&app.token_for(&president)))
        .await
        .json();
    assert_eq!(mine["total"], 1);
}

async fn the_permission_matrix_holds_for_every_write(backend: Backend) {
    let cast = Cast::new(backend).await;
    let app = &cast.app;
    let (president, member, outsider, admin) = (
        &cast.club.president,
        &cast.member,
        &cast.outsider,
        &cast.admin,
    );
    let extra: Vec<Employee> = (4..=7)
        .map(|i| app.employee(&format!("201500{i}")).create())
        .collect();

    // Who may: outsider, member, president, admin.
    struct Case {
        what: &'static str,
        allowed: [bool; 4],
    }
    let who = [outsider, member, president, admin];

    // Edit the club: president, admin.
    let case = Case {
        what: "edit club",
        allowed: [false, false, true, true],
    };
    for (actor, allowed) in who.iter().zip(case.allowed) {
        let body = json!({ "name": format!("민원혁신 연구회 {}", actor.employee_no), "kind": "integrated", "field": "work_improvement" });
        let res = app
            .put_json(&cast.url(""), &body, Some(&cast.token(actor)))
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "{} by {}: {}",
            case.what,
            actor.name,
            res.text()
        );
        if !allowed {
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
    }

    // Add a member: president, admin (each adds someone new).
    for (i, (actor, allowed)) in who.iter().zip([false, false, true, true]).enumerate() {
        let res = app
            .post_json(
                &cast.url("/members"),
                &json!({ "employee_no": extra[i].employee_no }),
                Some(&cast.token(actor)),
            )
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "add member by {}: {}",
            actor.name,
            res.text()
        );
    }
    let members = app
        .get(&cast.url("/members"), Some(&cast.token(outsider)))
        .await
        .json();
    assert_eq!(members["total"], 4, "two added, two refused");

    // Remove a member: president, admin (a member may leave by themself).
    for (actor, allowed) in who.iter().zip([false, false, true, true]) {
        let target = if actor.id == president.id {
            &extra[2]
        } else {
            &extra[3]
        };
        let res = app
            .delete(
                &cast.url(&format!("/members/{}", target.id)),
                Some(&cast.token(actor)),
            )
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "remove member by {}: {}",
            actor.name,
            res.text()
        );
        if !allowed {
            assert!(res.status == StatusCode::FORBIDDEN || res.status == StatusCode::NOT_FOUND);
        }
    }

    // Study task: president, admin.
    for (actor, allowed) in who.iter().zip([false, false, true, true]) {
        let res = app
            .put_json(
                &cast.url("/study-tasks/2026H2"),
                &json!({ "title": "민원 응대 매뉴얼 개선" }),
                Some(&cast.token(actor)),
            )
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "study task by {}",
            actor.name
        );
    }

    // Log a meeting: member, president, admin.
    let mut meetings = Vec::new();
    for (i, (actor, allowed)) in who.iter().zip([false, true, true, true]).enumerate() {
        let body = meeting(
            &format!("2026-10-{:02}", 10 + i),
            "19:00",
            "21:00",
            &[president, member],
        );
        let res = app
            .post_json(&cast.url("/meetings"), &body, Some(&cast.token(actor)))
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "log meeting by {}: {}",
            actor.name,
            res.text()
        );
        if allowed {
            meetings.push((
                actor.id.clone(),
                res.json()["id"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert_eq!(
        app.get(&cast.url("/meetings"), Some(&cast.token(outsider)))
            .await
            .json()["total"],
        3
    );

    // Edit the member's meeting: its author, president, admin — not the outsider.
    let (_, members_meeting) = meetings
        .iter()
        .find(|(author, _)| *author == member.id)
        .unwrap()
        .clone();
    for (actor, allowed) in who.iter().zip([false, true, true, true]) {
        let body = meeting("2026-10-11", "19:00", "20:30", &[president]);
        let res = app
            .put_json(
                &cast.url(&format!("/meetings/{members_meeting}")),
                &body,
                Some(&cast.token(actor)),
            )
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "edit meeting by {}: {}",
            actor.name,
            res.text()
        );
    }
    // A member may not change someone else's meeting.
    let (_, presidents_meeting) = meetings
        .iter()
        .find(|(author, _)| *author == president.id)
        .unwrap()
        .clone();
    let res = app
        .delete(
            &cast.url(&format!("/meetings/{presidents_meeting}")),
            Some(&cast.token(member)),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.delete(
            &cast.url(&format!("/meetings/{presidents_meeting}")),
            Some(&cast.token(admin))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );

    // Transfer the presidency: president, admin.
    for (actor, allowed) in who.iter().zip([false, false, true, true]) {
        let res = app
            .post_json(
                &cast.url("/president"),
                &json!({ "employee_id": member.id }),
                Some(&cast.token(actor)),
            )
            .await;
        assert_eq!(
            res.status.is_success(),
            allowed,
            "transfer by {}: {}",
            actor.name,
            res.text()
        );
    }

    // Approve and dissolve: administrators only.
    for actor in [outsider, member, president] {
        let res = app
            .post_json(
                &cast.url("/dissolve"),
                &json!({ "reason": "활동 종료" }),
                Some(&cast.token(actor)),
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "dissolve by {}",
            actor.name
        );
    }
    let trail = app.db(|c| dongari::audit::for_subject(c, &cast.club.id).unwrap());
    assert!(trail.iter().any(|e| e.action == "club.president.transfer"));
    assert_eq!(
        app.post_json(
            &cast.url("/dissolve"),
            &json!({ "reason": "활동 종료" }),
            Some(&cast.token(admin))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    for (status, clubs) in [("active", 0), ("dissolved", 1)] {
        let listed = app
            .get(
                &format!("/api/v1/clubs?status={status}"),
                Some(&cast.token(admin)),
            )
            .await
            .json();
        assert_eq!(
            listed["total"], clubs,
            "{status} clubs after the dissolution"
        );
    }
    let members = app
        .get(&cast.url("/members"), Some(&cast.token(admin)))
        .await
        .json();
    assert!(
        members["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["current"] == false),
        "dissolving ends every membership"
    );
}

async fn membership_join_requests_and_presidency(backend: Backend) {
    let cast = Cast::new(backend).await;
    let app = &cast.app;
    let (president, member, outsider) = (&cast.club.president, &cast.member, &cast.outsider);

    let res = app
        .post_json(
            &cast.url("/join-requests"),
            &json!({ "message": "함께 공부하고 싶습니다" }),
            Some(&cast.token(outsider)),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let request_id = res.json()["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.post_json(
            &cast.url("/join-requests"),
            &json!({}),
            Some(&cast.token(outsider))
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post_json(
            &cast.url("/join-requests"),
            &json!({}),
            Some(&cast.token(member))
        )
        .await
        .status,
        StatusCode::CONFLICT
    );

    assert_eq!(
        app.get(&cast.url("/join-requests"), Some(&cast.token(member)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let pending = app
        .get(&cast.url("/join-requests"), Some(&cast.token(president)))
        .await
        .json();
    assert_eq!(pending["items"][0]["name"], "박외부");
    // The president's home page says so.
    let browser = app.browser();
    browser
        .log_in(&president.employee_no, crate::helpers::PASSWORD)
        .await;
    let home = browser.get("/").await.text();
    assert!(home.contains("가입 신청 1건이 결정을 기다립니다"), "{home}");
    let decide = cast.url(&format!("/join-requests/{request_id}"));
    assert_eq!(
        app.post_json(
            &decide,
            &json!({ "approve": true }),
            Some(&cast.token(member))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(
            &decide,
            &json!({ "approve": true }),
            Some(&cast.token(president))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post_json(
            &decide,
            &json!({ "approve": true }),
            Some(&cast.token(president))
        )
        .await
        .status,
        StatusCode::CONFLICT
    );
    let members = app
        .get(&cast.url("/members"), Some(&cast.token(outsider)))
        .await
        .json();
    assert_eq!(members["total"], 3);

    // Exactly one president: the president cannot leave before handing over.
    let leave = app
        .delete(
            &cast.url(&format!("/members/{}", president.id)),
            Some(&cast.token(president)),
        )
        .await;
    assert_eq!(leave.status, StatusCode::CONFLICT);
    let res = app
        .post_json(
            &cast.url("/president"),
            &json!({ "employee_id": "nobody" }),
            Some(&cast.token(president)),
        )
        .await;
    assert_eq!(res.json()["field"], "employee_id");
    let res = app
        .post_json(
            &cast.url("/president"),
            &json!({ "employee_id": member.id }),
            Some(&cast.token(president)),
        )
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let members = app
        .get(&cast.url("/members"), Some(&cast.token(outsider)))
        .await
        .json();
    let presidents: Vec<&str> = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "president")
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert_eq!(presidents, ["이회원"]);
    // The former president may now leave by themself.
    assert_eq!(
        app.delete(
            &cast.url(&format!("/members/{}", president.id)),
            Some(&cast.token(president))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );

    // Adding: unknown numbers and double membership are refused.
    let new_president = cast.member.clone();
    let res = app
        .post_json(
            &cast.url("/members"),
            &json!({ "employee_no": "2099999" }),
            Some(&cast.token(&new_president)),
        )
        .await;
    assert_eq!(res.json()["field"], "employee_no");
    let res = app
        .post_json(
            &cast.url("/members"),
            &json!({ "employee_no": "2015003" }),
            Some(&cast.token(&new_president)),
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let res = app
        .post_json(
            &cast.url("/members"),
            &json!({ "employee_no": "2015001", "joined_on": "2026-12-01" }),
            Some(&cast.token(&new_president)),
        )
        .await;
    assert_eq!(res.json()["field"], "joined_on");
}

async fn meeting_validation_refuses_and_writes_nothing(backend: Backend) {
    let cast = Cast::new(backend).await;
    let app = &cast.app;
    let (president, member, outsider) = (&cast.club.president, &cast.member, &cast.outsider);
    let token = cast.token(member);
    let count = || async {
        app.get(&cast.url("/meetings"), Some(&token)).await.json()["total"]
            .as_i64()
            .unwrap()
    };

    let mut inside = meeting("2026-11-10", "14:00", "16:00", &[member]);
    inside["inside_work_hours"] = json!(true);
    let long = meeting("2026-11-10", "09:00", "17:30", &[member]);
    let cases: Vec<(Value, &str)> = vec![
        (
            meeting("2026-11-10", "21:00", "19:00", &[member]),
            "ends_at",
        ),
        (long, "ends_at"),
        (
            meeting("2026-11-24", "19:00", "21:00", &[member]),
            "held_on",
        ),
        (
            meeting("2026-11-23", "19:00", "21:00", &[member]),
            "held_on",
        ), // tonight: it is 09:00 now
        (
            meeting("2026-11-10", "19:00", "21:00", &[outsider]),
            "attendees",
        ),
        (
            meeting("2026-02-10", "19:00", "21:00", &[member]),
            "attendees",
        ), // before they joined
        (inside, "inside_reason"),
        (
            json!({ "held_on": "2026-11-10", "starts_at": "7pm", "ends_at": "21:00", "kind": "regular", "place": "x", "topic": "y" }),
            "starts_at",
        ),
        (
            json!({ "held_on": "2026-11-10", "starts_at": "19:00", "ends_at": "21:00", "kind": "regular", "place": "", "topic": "y" }),
            "place",
        ),
    ];
    for (body, field) in cases {
        let res = app
            .post_json(&cast.url("/meetings"), &body, Some(&token))
            .await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.text()
        );
        assert_eq!(res.json()["field"], field, "{body}");
        assert!(!res.json()["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(count().await, 0, "nothing was written");

    // A reason makes a meeting inside working hours fine; a second regular
    // meeting in a month is allowed but flagged.
    let mut inside = meeting("2026-11-10", "14:00", "16:00", &[member, president]);
    inside["inside_work_hours"] = json!(true);
    inside["inside_reason"] = json!("외부 강사 일정");
    inside["advisor_name"] = json!("김교수");
    inside["advisor_fee"] = json!(150000);
    inside["books"] = json!([{ "title": "공공서비스 디자인", "price": 18000 }]);
    let first = app
        .post_json(&cast.url("/meetings"), &inside, Some(&token))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    assert_eq!(first.json()["warnings"]["second_regular_in_month"], false);
    let second = app
        .post_json(
            &cast.url("/meetings"),
            &meeting("2026-11-20", "19:00", "21:00", &[member]),
            Some(&token),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(second.json()["warnings"]["second_regular_in_month"], true);

    let listed = app.get(&cast.url("/meetings"), Some(&token)).await.json();
    let older = &listed["items"][1];
    assert_eq!(older["inside_reason"], "외부 강사 일정");
    assert_eq!(older["advisor"]["fee"], 150000);
    assert_eq!(older["books"][0]["title"], "공공서비스 디자인");
    assert_eq!(older["attendees"].as_array().unwrap().len(), 2);
    assert_eq!(older["minutes"], 120);
    assert_eq!(older["second_regular_in_month"], true);
}

async fn hours_follow_attendance_membership_and_the_cap(backend: Backend) {
    let cast = Cast::new(backend).await;
    let app = &cast.app;
    let (president, member) = (&cast.club.president, &cast.member);
    let late = app.employee("2015009").name("정늦게").create();
    let ptoken = cast.token(president);
    app.post_json(
        &cast.url("/members"),
        &json!({ "employee_no": "2015009", "joined_on": "2026-09-01" }),
        Some(&ptoken),
    )
    .await;

    // H2: six regular meetings of 2 h (July–November plus one in August),
    // the member at all, the president at five, the late joiner at those
    // after 1 September. And a 30 June meeting of 3 h in H1.
    let dates = [
        "2026-07-01",
        "2026-08-05",
        "2026-08-20",
        "2026-09-09",
        "2026-10-14",
        "2026-11-11",
    ];
    for (i, day) in dates.iter().enumerate() {
        let mut who = vec![member];
        if i != 2 {
            who.push(president);
        }
        if *day >= "2026-09-01" {
            who.push(&late);
        }
        let res = app
            .post_json(
                &cast.url("/meetings"),
                &meeting(day, "19:00", "21:00", &who),
                Some(&ptoken),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    }
    app.post_json(
        &cast.url("/meetings"),
        &meeting("2026-06-30", "18:00", "21:00", &[member]),
        Some(&ptoken),
    )
    .await;
    // An ad hoc meeting: earned, not recognizable by default.
    let mut ad_hoc = meeting("2026-11-12", "19:00", "20:30", &[member]);
    ad_hoc["kind"] = json!("ad_hoc");
    app.post_json(&cast.url("/meetings"), &ad_hoc, Some(&ptoken))
        .await;

    let hours = |e: &Employee, half: &'static str| {
        let token = app.token_for(e);
        async move {
            app.get(&format!("/api/v1/me/hours?half={half}"), Some(&token))
                .await
                .json()
        }
    };
    let m = hours(member, "2026H2").await;
    assert_eq!(m["total"]["earned_minutes"], 6 * 120 + 90);
    assert_eq!(
        m["total"]["recognizable_minutes"], 720,
        "exactly the 12 h cap"
    );
    assert_eq!(m["clubs"][0]["club_name"], "민원혁신 연구회");
    let p = hours(president, "2026H2").await;
    assert_eq!(
        (
            p["total"]["earned_minutes"].as_i64(),
            p["total"]["recognizable_minutes"].as_i64()
        ),
        (Some(600), Some(600))
    );
    let l = hours(&late, "2026H2").await;
    assert_eq!(
        l["total"]["earned_minutes"], 360,
        "only meetings since joining"
    );
    assert_eq!(
        hours(member, "2026H1").await["total"]["earned_minutes"],
        180,
        "30 June is in H1"
    );
    assert_eq!(
        hours(&cast.outsider, "2026H2").await["total"]["earned_minutes"],
        0
    );

    // Over the cap: one more regular meeting is earned, not recognized.
    app.post_json(
        &cast.url("/meetings"),
        &meeting("2026-11-18", "19:00", "21:00", &[member]),
        Some(&ptoken),
    )
    .await;
    let m = hours(member, "2026H2").await;
    assert_eq!(
        (
            m["total"]["earned_minutes"].as_i64(),
            m["total"]["recognizable_minutes"].as_i64()
        ),
        (Some(6 * 120 + 90 + 120), Some(720))
    );

    let bad = app.get("/api/v1/me/hours?half=2026H3", Some(&ptoken)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["field"], "half");
}

/// Two memberships of one club (left, then joined again) find each of its
/// meetings twice; the hours must count each once.
async fn hours_count_each_meeting_once_for_someone_who_left_and_came_back(backend: Backend) {
    let cast = Cast::new(backend).await;
    let app = &cast.app;
    let (president, member) = (&cast.club.president, &cast.member);
    let ptoken = cast.token(president);
    let log_meeting = |day: &'static str| {
        let (url, token) = (cast.url("/meetings"), ptoken.clone());
        let body = meeting(day, "19:00", "21:00", &[member, president]);
        async move { app.post_json(&url, &body, Some(&token)).await.status }
    };
    assert_eq!(log_meeting("2026-07-15").await, StatusCode::CREATED);
    let left = app
        .delete(
            &cast.url(&format!("/members/{}?left_on=2026-08-01", member.id)),
            Some(&ptoken),
        )
        .await;
    assert!(left.status.is_success(), "{}", left.text());
    let back = app
        .post_json(
            &cast.url("/members"),
            &json!({ "employee_no": member.employee_no, "joined_on": "2026-09-01" }),
            Some(&ptoken),
        )
        .await;
    assert!(back.status.is_success(), "{}", back.text());
    assert_eq!(log_meeting("2026-09-09").await, StatusCode::CREATED);

    let hours = app
        .get("/api/v1/me/hours?half=2026H2", Some(&cast.token(member)))
        .await
        .json();
    assert_eq!(hours["total"]["earned_minutes"], 240, "{hours}");
    assert_eq!(hours["clubs"][0]["earned_minutes"], 240, "{hours}");
}

async fn the_board_is_readable_by_all_and_moderated_by_admins(backend: Backend) {
    let cast = Cast::new(backend).await;
    let app = &cast.app;
    let (member, outsider, admin) = (&cast.member, &cast.outsider, &cast.admin);

    let post = json!({ "title": "민원 응대 개선안", "body": "개선안 초안을 공유합니다.", "links": ["https://intra.example.go.kr/docs/1"] });
    assert_eq!(
        app.post_json(&cast.url("/posts"), &post, Some(&cast.token(outsider)))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = json!({ "title": "x", "body": "y", "links": ["javascript:alert(1)"] });
    assert_eq!(
        app.post_json(&cast.url("/posts"), &bad, Some(&cast.token(member)))
            .await
            .json()["field"],
        "links"
    );
    let res = app
        .post_json(&cast.url("/posts"), &post, Some(&cast.token(member)))
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let post_id = res.json()["id"].as_str().unwrap().to_string();

    let comment = app
        .post_json(
            &cast.url(&format!("/posts/{post_id}/comments")),
            &json!({ "body": "좋은 자료네요" }),
            Some(&cast.token(outsider)),
        )
        .await;
    assert_eq!(
        comment.status,
        StatusCode::CREATED,
        "anyone logged in may comment"
    );
    let edit = json!({ "title": "민원 응대 개선안 (수정)", "body": "수정본", "links": [] });
    assert_eq!(
        app.put_json(
            &cast.url(&format!("/posts/{post_id}")),
            &edit,
            Some(&cast.token(outsider))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.put_json(
            &cast.url(&format!("/posts/{post_id}")),
            &edit,
            Some(&cast.token(member))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );

    let hide = cast.url(&format!("/posts/{post_id}/hide"));
    assert_eq!(
        app.post_json(
            &hide,
            &json!({ "reason": "개인정보" }),
            Some(&cast.token(member))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_json(&hide, &json!({ "reason": " " }), Some(&cast.token(admin)))
            .await
            .json()["field"],
        "reason"
    );
    assert_eq!(
        app.post_json(
            &hide,
            &json!({ "reason": "개인정보 포함" }),
            Some(&cast.token(admin))
        )
        .await
        .status,
        StatusCode::NO_CONTENT
    );

    let board = app
        .get(&cast.url("/posts"), Some(&cast.token(outsider)))
        .await
        .json();
    let shown = &board["items"][0];
    assert_eq!(board["total"], 1, "hidden, not deleted");
    assert_eq!(
        (shown["hidden"].as_bool(), shown["body"].as_str()),
        (Some(true), Some(""))
    );
    assert_eq!(shown["hidden_reason"], "개인정보 포함");
    assert_eq!(shown["title"], "민원 응대 개선안 (수정)");
    assert_eq!(shown["comments"][0]["body"], "좋은 자료네요");
}

/// A club's pages of meetings are kept between requests; a new meeting,
/// an edit of who attended, a deletion and a member's new name show on the
/// very next request.
async fn the_meetings_list_follows_every_change_at_once(backend: Backend) {
    let cast = Cast::new(backend).await;
    let (app, president, member) = (&cast.app, &cast.club.president, &cast.member);
    let token = cast.token(member);
    let list = || async {
        let page = app.get(&cast.url("/meetings"), Some(&token)).await.json();
        let items = page["items"].as_array().unwrap().clone();
        items
            .iter()
            .map(|m| {
                let names: Vec<&str> = m["attendees"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| a["name"].as_str().unwrap())
                    .collect();
                format!("{} {}", m["held_on"].as_str().unwrap(), names.join(","))
            })
            .collect::<Vec<_>>()
    };
    assert!(list().await.is_empty());
    let body = meeting("2026-11-10", "19:00", "21:00", &[president]);
    let res = app
        .post_json(&cast.url("/meetings"), &body, Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let id = res.json()["id"].as_str().unwrap().to_string();
    assert_eq!(list().await, ["2026-11-10 김회장"]);
    assert_eq!(list().await, ["2026-11-10 김회장"], "the same page twice");

    let body = meeting("2026-11-10", "19:00", "21:00", &[president, member]);
    let res = app
        .put_json(&cast.url(&format!("/meetings/{id}")), &body, Some(&token))
        .await;
    assert!(res.status.is_success(), "{}", res.text());
    assert_eq!(list().await, ["2026-11-10 김회장,이회원"]);

    app.db(|c| {
        use diesel::prelude::*;
        use dongari::db::schema::employees;
        diesel::update(employees::table.find(&member.id))
            .set(employees::name.eq("가회원"))
            .execute(c)
            .unwrap()
    });
    assert_eq!(list().await, ["2026-11-10 가회원,김회장"]);

    let res = app
        .delete(&cast.url(&format!("/meetings/{id}")), Some(&token))
        .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    assert!(list().await.is_empty());
}

/// The office's club list is kept between requests; a new member, a new
/// club and the president's new name show on the very next request.
async fn the_club_list_follows_every_change_at_once(backend: Backend) {
    let cast = Cast::new(backend).await;
    let (app, president) = (&cast.app, &cast.club.president);
    let token = cast.token(&cast.outsider);
    let list = || async {
        let page = app.get("/api/v1/clubs", Some(&token)).await.json();
        let items = page["items"].as_array().unwrap().clone();
        items
            .iter()
            .map(|c| {
                format!(
                    "{} {} {}",
                    c["name"].as_str().unwrap(),
                    c["member_count"],
                    c["president"]["name"].as_str().unwrap()
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(list().await, ["민원혁신 연구회 2 김회장"]);
    assert_eq!(
        list().await,
        ["민원혁신 연구회 2 김회장"],
        "the same page twice"
    );
    let res = app
        .post_json(
            &cast.url("/members"),
            &json!({ "employee_no": cast.outsider.employee_no }),
            Some(&cast.token(president)),
        )
        .await;
    assert!(res.status.is_success(), "{}", res.text());
    assert_eq!(list().await, ["민원혁신 연구회 3 김회장"]);

    let newcomer = app.employee("2015009").name("정회장").create();
    app.club("가장 새 연구회", &newcomer).create();
    assert_eq!(
        list().await,
        ["가장 새 연구회 1 정회장", "민원혁신 연구회 3 김회장"]
    );

    app.db(|c| {
        use diesel::prelude::*;
        use dongari::db::schema::employees;
        diesel::update(employees::table.find(&president.id))
            .set(employees::name.eq("김새이름"))
            .execute(c)
            .unwrap()
    });
    assert_eq!(list().await[1], "민원혁신 연구회 3 김새이름");
}
