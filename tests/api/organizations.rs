//! Several offices in one deployment: the same employee number and the same
//! half-year round in two organizations, and an administrator of one who
//! sees and changes nothing of the other.

use actix_web::http::StatusCode;
use dongari::org::model::Role;
use serde_json::json;

use crate::both_backends;
use crate::helpers::{Backend, TestApp, PASSWORD};

both_backends!(
    two_organizations_share_numbers_and_half_years_but_nothing_else,
    one_organization_is_implied_several_must_be_chosen,
    each_organization_keeps_its_own_rules,
);

fn round_body(evaluator: &str) -> serde_json::Value {
    json!({
        "half": "2026H2", "submit_from": "2026-12-01", "submit_until": "2026-12-10",
        "score_from": "2026-12-11", "score_until": "2026-12-20", "evaluators": [evaluator],
    })
}

async fn two_organizations_share_numbers_and_half_years_but_nothing_else(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let jongno = app.add_organization("jongno", "종로구");

    // The same employee numbers in both offices are different people.
    let admin_a = app
        .employee("9000001")
        .role(Role::Admin)
        .role(Role::Evaluator)
        .create();
    let admin_b = app
        .employee("9000001")
        .in_org(&jongno)
        .role(Role::Admin)
        .role(Role::Evaluator)
        .create();
    assert_ne!(admin_a.id, admin_b.id);
    let president_a = app.employee("2015001").create();
    let president_b = app.employee("2015001").in_org(&jongno).create();
    let club_a = app.club("중구 연구회", &president_a).create();
    let club_b = app
        .club("종로 연구회", &president_b)
        .in_org(&jongno)
        .create();
    let (token_a, token_b) = (app.token_for(&admin_a), app.token_for(&admin_b));

    // Each opens the same half-year's round.
    let round_a = app
        .post_json(
            "/api/v1/evaluation/rounds",
            &round_body("9000001"),
            Some(&token_a),
        )
        .await;
    assert_eq!(round_a.status, StatusCode::CREATED, "{}", round_a.text());
    let round_b = app
        .post_json(
            "/api/v1/evaluation/rounds",
            &round_body("9000001"),
            Some(&token_b),
        )
        .await;
    assert_eq!(round_b.status, StatusCode::CREATED, "{}", round_b.text());
    let round_b = round_b.json()["id"].as_str().unwrap().to_string();
    // ... but only once each.
    let again = app
        .post_json(
            "/api/v1/evaluation/rounds",
            &round_body("9000001"),
            Some(&token_a),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Lists show one's own only.
    let clubs = app.get("/api/v1/clubs", Some(&token_a)).await.json();
    assert_eq!(clubs["total"], 1, "{clubs}");
    assert_eq!(clubs["items"][0]["name"], "중구 연구회");
    let employees = app.get("/api/v1/employees", Some(&token_b)).await.json();
    assert_eq!(employees["total"], 2, "{employees}");
    let rounds = app
        .get("/api/v1/evaluation/rounds", Some(&token_a))
        .await
        .json();
    assert_eq!(rounds["total"], 1);

    // The other office's club and round are not found, to read or to change.
    let b_club = format!("/api/v1/clubs/{}", club_b.id);
    assert_eq!(
        app.get(&b_club, Some(&token_a)).await.status,
        StatusCode::NOT_FOUND
    );
    let res = app
        .post_json(
            &format!("{b_club}/members"),
            &json!({ "employee_no": "2015001" }),
            Some(&token_a),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    let res = app
        .post_json(
            &format!("{b_club}/dissolve"),
            &json!({ "reason": "x" }),
            Some(&token_a),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    for path in [
        format!("/api/v1/evaluation/rounds/{round_b}"),
        format!("/api/v1/evaluation/rounds/{round_b}/standings"),
    ] {
        assert_eq!(
            app.get(&path, Some(&token_a)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let res = app
        .post_json(
            &format!("/api/v1/evaluation/rounds/{round_b}/confirm"),
            &json!({}),
            Some(&token_a),
        )
        .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    // Pages too: the other office's club page is not found.
    let page = app
        .send(
            actix_web::test::TestRequest::get()
                .uri(&format!("/clubs/{}", club_b.id))
                .insert_header(("Cookie", format!("dongari_session={token_a}"))),
        )
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND, "{}", page.text());

    // Adding "2015001" to one's own club finds one's own employee.
    let res = app
        .post_json(
            &format!("/api/v1/clubs/{}/members", club_a.id),
            &json!({ "employee_no": "2015001" }),
            Some(&token_a),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::CONFLICT,
        "already its president: {}",
        res.text()
    );
}

async fn one_organization_is_implied_several_must_be_chosen(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();
    // One organization: nothing to choose.
    assert_eq!(
        app.login_api("2015001", PASSWORD).await.status,
        StatusCode::OK
    );
    assert!(!app
        .get("/login", None)
        .await
        .text()
        .contains("name=\"organization\""));

    let jongno = app.add_organization("jongno", "종로구");
    app.employee("2015001")
        .in_org(&jongno)
        .name("종로 직원")
        .create();
    let res = app.login_api("2015001", PASSWORD).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(res.json()["field"], "organization");
    let page = app.get("/login", None).await.text();
    assert!(
        page.contains("name=\"organization\"") && page.contains("종로구"),
        "{page}"
    );

    let res = app
        .post_json(
            "/api/v1/auth/token",
            &json!({ "employee_no": "2015001", "password": PASSWORD, "organization": "jongno" }),
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let me = app
        .get("/api/v1/me", res.json()["token"].as_str())
        .await
        .json();
    assert_eq!(me["name"], "종로 직원", "{me}");

    // Failed logins lock one office's number, not the other's.
    for _ in 0..3 {
        app.post_json(
            "/api/v1/auth/token",
            &json!({ "employee_no": "2015001", "password": "wrong", "organization": "jongno" }),
            None,
        )
        .await;
    }
    let locked = app
        .post_json(
            "/api/v1/auth/token",
            &json!({ "employee_no": "2015001", "password": PASSWORD, "organization": "jongno" }),
            None,
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    let main = app
        .post_json(
            "/api/v1/auth/token",
            &json!({ "employee_no": "2015001", "password": PASSWORD, "organization": "main" }),
            None,
        )
        .await;
    assert_eq!(main.status, StatusCode::OK);
}

async fn each_organization_keeps_its_own_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let jongno = app.add_organization("jongno", "종로구");
    let admin_b = app
        .employee("9000001")
        .in_org(&jongno)
        .role(Role::Admin)
        .create();
    let member_b = app.employee("2015002").in_org(&jongno).create();
    let president_a = app.employee("2015001").create();
    let president_b = app.employee("2015001").in_org(&jongno).create();
    let feb = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    let club_a = app.club("중구 연구회", &president_a).formed(feb).create();
    let club_b = app
        .club("종로 연구회", &president_b)
        .in_org(&jongno)
        .formed(feb)
        .member(&member_b)
        .create();

    let token_b = app.token_for(&admin_b);
    let own = json!({ "reports": { "due_day": 3 }, "clubs": { "half_year_cap_hours": 2 } });
    let res = app
        .put_json(
            "/api/v1/organization/policy",
            &own,
            Some(&app.token_for(&member_b)),
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = app
        .put_json(
            "/api/v1/organization/policy",
            &json!({ "reports": { "due_day": 40 } }),
            Some(&token_b),
        )
        .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        res.text()
    );
    let res = app
        .put_json("/api/v1/organization/policy", &own, Some(&token_b))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let view = res.json();
    assert_eq!(view["policy"]["reports"]["due_day"], 3);
    assert_eq!(
        view["policy"]["reports"]["overdue_day"], 6,
        "the rest stays the default"
    );
    assert_eq!(view["overrides"], own);

    // On 4 December November's report is late in 종로 (due the 3rd) and on
    // time in 중구 (due the 5th).
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00+09:00")
            .unwrap()
            .into(),
    );
    for (club, president, late) in [
        (&club_a, &president_a, false),
        (&club_b, &president_b, true),
    ] {
        let token = app.token_for(president);
        let report = format!("/api/v1/clubs/{}/reports/2026-11", club.id);
        app.put_json(&report, &json!({ "narrative": "11월" }), Some(&token))
            .await;
        let res = app
            .post_json(&format!("{report}/submit"), &json!({}), Some(&token))
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(res.json()["late"], late, "{}", club.id);
    }
    // 종로's hours cap is its own.
    let hours = app
        .get(
            "/api/v1/me/hours?half=2026H2",
            Some(&app.token_for(&member_b)),
        )
        .await
        .json();
    assert_eq!(hours["total"]["cap_minutes"], 120, "{hours}");

    // The page shows and saves the same policy; a bad number is named.
    let browser = app.browser();
    let res = browser.get("/login").await;
    assert_eq!(res.status, StatusCode::OK);
    browser
        .post_form(
            "/login",
            &[
                ("employee_no", "9000001"),
                ("password", PASSWORD),
                ("organization", "jongno"),
            ],
        )
        .await;
    let page = browser.get("/admin/policy").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert!(page.text().contains("종로구 정책"));
    let res = browser
        .post_form(
            "/admin/policy",
            &[
                ("months", "4"),
                ("months", "5"),
                ("due_day", "셋"),
                ("half_year_cap_hours", "12"),
                ("special_leave_days", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().contains("제출 기한일"), "{}", res.text());
    // Every wrong field at once, each beside its field, and what was sent
    // is shown again, not the policy as it was.
    let res = browser
        .post_form(
            "/admin/policy",
            &[
                ("months", "4"),
                ("months", "5"),
                ("due_day", "40"),
                ("half_year_cap_hours", "-1"),
                ("work_start", "18:00"),
                ("work_end", "09:00"),
                ("special_leave_days", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text();
    for (field, message) in [
        ("due_day", "제출 기한일은 1일부터 28일까지입니다."),
        ("half_year_cap_hours", "반기 인정 한도는 0시간 이상입니다."),
        ("work_end", "근무 종료 시각은 시작 시각보다 늦어야 합니다."),
    ] {
        let beside = format!(r#"<p class="field-error" id="{field}-error">{message}</p>"#);
        assert!(page.contains(&beside), "{field}: {page}");
    }
    assert!(page.contains(r#"name="due_day" inputmode="numeric" value="40""#));
    assert!(page.contains(r#"name="work_start" type="time" value="18:00""#));
    assert!(page.contains(r#"name="months" value="4" checked"#));
    assert!(!page.contains(r#"name="months" value="1" checked"#));
    let res = app
        .put_json(
            "/api/v1/organization/policy",
            &json!({ "reports": { "due_day": 40 }, "clubs": { "work_start": "9시" } }),
            Some(&app.token_for(&admin_b)),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.json();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("every wrong field")
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["due_day", "work_start"], "{body}");
    let res = browser
        .post_form(
            "/admin/policy",
            &[
                ("months", "4"),
                ("months", "5"),
                ("due_day", "10"),
                ("overdue_day", "12"),
                ("half_year_cap_hours", "12"),
                ("work_start", "08:30"),
                ("work_end", ""),
                ("special_leave_days", "2"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
    let view = app
        .get("/api/v1/organization", Some(&app.token_for(&admin_b)))
        .await
        .json();
    assert_eq!(view["policy"]["reports"]["months"], json!([4, 5]));
    assert_eq!(view["policy"]["reports"]["due_day"], 10);
    assert_eq!(view["policy"]["reports"]["overdue_day"], 12);
    assert_eq!(view["policy"]["clubs"]["work_start"], "08:30");
    assert_eq!(
        view["policy"]["clubs"]["work_end"], "18:00",
        "left as it was"
    );
    assert_eq!(view["policy"]["evaluation"]["special_leave_days"], 2);
    assert_eq!(view["policy"]["clubs"]["half_year_cap_hours"], 12);
    // The first office kept the defaults throughout.
    let view_a = app
        .get("/api/v1/organization", Some(&app.token_for(&president_a)))
        .await
        .json();
    assert_eq!(view_a["policy"]["reports"]["due_day"], 5);
    assert_eq!(view_a["overrides"], json!({}));
}
