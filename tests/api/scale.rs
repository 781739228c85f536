//! The generator at one district's size, on both backends: what it makes is
//! what the portal itself would have made — the sweep finds nothing left to
//! mark, compliance and hours agree with the rows, the administrator works.

use actix_web::http::StatusCode;
use dongari::scale::{generate, Plan};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, PASSWORD};

both_backends!(a_generated_district_is_consistent);

async fn a_generated_district_is_consistent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let plan = Plan::parse("0.003").unwrap();
    let hash = dongari::password::hash(PASSWORD).unwrap();
    let (today, now) = (app.today(), app.clock_naive());
    let settings = app.state.settings.clone();
    let made = app.db(|c| generate(c, plan, &hash, &settings, today, now).unwrap());
    assert_eq!(
        (made.organizations, made.employees, made.clubs),
        (1, 127, 12)
    );
    assert!(
        made.meetings > 12 * 30 && made.attendance > made.meetings * 3,
        "{made:?}"
    );

    // A second run refuses: the database is no longer empty.
    let again = app.db(|c| generate(c, plan, &hash, &settings, today, now));
    assert!(again.is_err());

    // Every month past due was decided as the sweep would have: it finds
    // nothing more to mark.
    assert_eq!(app.run_jobs().marked_missing, 0);

    let res = app.login_api("9000001", PASSWORD).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let token = res.json()["token"].as_str().unwrap().to_string();
    let clubs = app
        .get("/api/v1/clubs?per_page=100", Some(&token))
        .await
        .json();
    assert_eq!(clubs["total"], 12, "{clubs}");

    let october = app
        .get("/api/v1/reports/compliance?month=2026-10", Some(&token))
        .await
        .json();
    let rows = october["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let state = row["state"].as_str().unwrap();
        assert!(["on_time", "late", "missing"].contains(&state), "{row}");
    }

    // Paged and filtered on the server; the totals cover every page.
    let page = app
        .get(
            "/api/v1/reports/compliance?month=2026-10&per_page=5&page=2",
            Some(&token),
        )
        .await
        .json();
    assert_eq!(page["rows"].as_array().unwrap().len(), 5, "{page}");
    assert_eq!(page["total"], rows.len(), "{page}");
    let counted: u64 = page["totals"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, rows.len());
    assert_eq!(
        page["rows"][0]["club_id"], rows[5]["club_id"],
        "page 2 starts at the sixth club"
    );
    let on_time = app
        .get(
            "/api/v1/reports/compliance?month=2026-10&state=on_time",
            Some(&token),
        )
        .await
        .json();
    assert_eq!(on_time["total"], page["totals"]["on_time"], "{on_time}");
    assert!(on_time["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["state"] == "on_time"));
    let res = app
        .get(
            "/api/v1/reports/compliance?month=2026-10&state=lost",
            Some(&token),
        )
        .await;
    assert_eq!(res.json()["field"], "state");

    // The last half's round: every club scored by 15 evaluators, ranked on
    // the server a page at a time, and confirmed as the administrator would.
    assert_eq!(
        (made.rounds, made.score_sheets > 12 * 10),
        (1, true),
        "{made:?}"
    );
    let rounds = app
        .get("/api/v1/evaluation/rounds", Some(&token))
        .await
        .json();
    let round = rounds["items"][0]["id"].as_str().unwrap().to_string();
    let standings_url = format!("/api/v1/evaluation/rounds/{round}/standings");
    let all = app
        .get(&format!("{standings_url}?per_page=200"), Some(&token))
        .await
        .json();
    assert_eq!(all["total"], 12, "{all}");
    assert_eq!(all["sheets_scored"], all["sheets_assigned"], "{all}");
    assert_eq!(all["proposal"].as_array().unwrap().len(), 6, "{all}");
    let ranks: Vec<u64> = all["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=12).collect::<Vec<_>>());
    let first = &all["rows"][0];
    assert!(first["sheets"].as_array().unwrap().len() >= 13, "{first}");
    let second_page = app
        .get(&format!("{standings_url}?per_page=5&page=2"), Some(&token))
        .await
        .json();
    assert_eq!(second_page["rows"][0]["club_id"], all["rows"][5]["club_id"]);
    assert_eq!(
        second_page["proposal"], all["proposal"],
        "the whole proposal on every page"
    );
    let name = all["rows"][7]["club_name"].as_str().unwrap();
    let found = app
        .get(
            &format!("{standings_url}?club={}", urlencoding(name)),
            Some(&token),
        )
        .await
        .json();
    assert_eq!(found["total"], 1, "{found}");
    assert_eq!(found["rows"][0]["rank"], 8);
    let res = app
        .post_json(
            &format!("/api/v1/evaluation/rounds/{round}/confirm"),
            &serde_json::json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text());
    let results = app
        .get(
            &format!("/api/v1/evaluation/rounds/{round}/results"),
            Some(&token),
        )
        .await;
    assert_eq!(results.status, StatusCode::OK, "{}", results.text());

    // A club's meetings and a member's hours, as the pages compute them.
    let club = clubs["items"][0]["id"].as_str().unwrap().to_string();
    let meetings = app
        .get(&format!("/api/v1/clubs/{club}/meetings"), Some(&token))
        .await
        .json();
    assert!(meetings["total"].as_i64().unwrap() > 10, "{meetings}");
    let members = app
        .get(&format!("/api/v1/clubs/{club}/members"), Some(&token))
        .await
        .json();
    let president = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["role"] == "president")
        .unwrap()["employee_id"]
        .as_str()
        .unwrap()
        .to_string();
    let employee = app.db(|c| dongari::org::model::employee_by_id(c, &president).unwrap());
    let hours = app
        .get(
            "/api/v1/me/hours?half=2026H1",
            Some(&app.token_for(&employee)),
        )
        .await
        .json();
    let recognizable = hours["total"]["recognizable_minutes"].as_i64().unwrap();
    let earned = hours["total"]["earned_minutes"].as_i64().unwrap();
    assert!(
        recognizable > 0 && recognizable <= 12 * 60 && recognizable <= earned,
        "attended meetings count, within the 12-hour cap: {hours}"
    );
}

fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
