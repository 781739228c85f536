//! Races, run for real: requests sent at the same moment, their database
//! work on parallel threads, on both backends. Every rule that says "one"
//! or "at most" must hold, and no request may answer 500.

use actix_web::http::StatusCode;
use dongari::org::model::{Employee, Role};
use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{Backend, TestApp, TestResponse, PASSWORD};

both_backends!(
    two_presidents_at_once,
    the_same_person_added_twice_at_once,
    two_decisions_on_one_join_request,
    parallel_guesses_stop_at_the_lockout,
    parallel_meeting_writes_all_land,
    joins_and_leaves_at_once_keep_the_club_s_size,
    proposals_and_decisions_at_once_keep_the_office_s_counts,
);

fn statuses(responses: &[TestResponse]) -> Vec<u16> {
    let mut s: Vec<u16> = responses.iter().map(|r| r.status.as_u16()).collect();
    s.sort();
    s
}

fn no_server_errors(responses: &[TestResponse]) {
    for r in responses {
        assert!(!r.status.is_server_error(), "{}: {}", r.status, r.text());
    }
}

struct Club {
    app: TestApp,
    id: String,
    president: Employee,
    members: Vec<Employee>,
    admin: Employee,
}

async fn club_with_members(backend: Backend, members: usize) -> Club {
    let app = TestApp::spawn(backend).await;
    let president = app.employee("2015001").name("김회장").create();
    let admin = app.employee("9000001").role(Role::Admin).create();
    let members: Vec<Employee> = (0..members)
        .map(|i| app.employee(&format!("20160{i:02}")).create())
        .collect();
    let mut builder = app.club("민원혁신 연구회", &president);
    for m in &members {
        builder = builder.member(m);
    }
    let id = builder.create().id;
    Club {
        app,
        id,
        president,
        members,
        admin,
    }
}

impl Club {
    fn url(&self, rest: &str) -> String {
        format!("/api/v1/clubs/{}{rest}", self.id)
    }

    async fn post_all(&self, requests: Vec<(String, Value, String)>) -> Vec<TestResponse> {
        join_all(
            requests
                .iter()
                .map(|(path, body, token)| self.app.post_json(path, body, Some(token))),
        )
        .await
    }

    async fn presidents(&self) -> Vec<String> {
        let members = self
            .app
            .get(
                &self.url("/members"),
                Some(&self.app.token_for(&self.admin)),
            )
            .await
            .json();
        members["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["role"] == "president" && m["left_on"].is_null())
            .map(|m| m["employee_id"].as_str().unwrap().to_string())
            .collect()
    }
}

async fn two_presidents_at_once(backend: Backend) {
    let club = club_with_members(backend, 2).await;
    let token = club.app.token_for(&club.president);
    let requests = club
        .members
        .iter()
        .map(|m| {
            (
                club.url("/president"),
                json!({ "employee_id": m.id }),
                token.clone(),
            )
        })
        .collect();
    let responses = club.post_all(requests).await;
    no_server_errors(&responses);
    assert!(responses.iter().any(|r| r.status.is_success()));
    // The loser either meets the constraint (409) or, when the winner had
    // already committed, is no longer the president (403).
    for r in responses.iter().filter(|r| !r.status.is_success()) {
        assert!(
            [StatusCode::CONFLICT, StatusCode::FORBIDDEN].contains(&r.status),
            "{}: {}",
            r.status,
            r.text()
        );
    }
    assert_eq!(club.presidents().await.len(), 1, "exactly one president");
}

async fn the_same_person_added_twice_at_once(backend: Backend) {
    let club = club_with_members(backend, 0).await;
    let newcomer = club.app.employee("2017001").create();
    let token = club.app.token_for(&club.admin);
    let body = json!({ "employee_no": newcomer.employee_no });
    let requests = (0..4)
        .map(|_| (club.url("/members"), body.clone(), token.clone()))
        .collect();
    let responses = club.post_all(requests).await;
    no_server_errors(&responses);
    assert_eq!(statuses(&responses), [201, 409, 409, 409]);
    let members = club
        .app
        .get(&club.url("/members"), Some(&token))
        .await
        .json();
    let open = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["employee_id"] == newcomer.id.as_str() && m["left_on"].is_null())
        .count();
    assert_eq!(open, 1);
}

async fn two_decisions_on_one_join_request(backend: Backend) {
    let club = club_with_members(backend, 0).await;
    let applicant = club.app.employee("2017001").create();
    let res = club
        .app
        .post_json(
            &club.url("/join-requests"),
            &json!({ "message": "함께 공부하고 싶습니다" }),
            Some(&club.app.token_for(&applicant)),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
    let decide = club.url(&format!(
        "/join-requests/{}",
        res.json()["id"].as_str().unwrap()
    ));
    let (president, admin) = (
        club.app.token_for(&club.president),
        club.app.token_for(&club.admin),
    );
    let responses = club
        .post_all(vec![
            (decide.clone(), json!({ "approve": true }), president),
            (decide.clone(), json!({ "approve": false }), admin),
        ])
        .await;
    no_server_errors(&responses);
    assert_eq!(
        responses.iter().filter(|r| r.status.is_success()).count(),
        1,
        "{:?}",
        statuses(&responses)
    );
    assert!(responses.iter().any(|r| r.status == StatusCode::CONFLICT));
    // Approved means a member, rejected means none: never both, never two.
    let approved = responses[0].status.is_success();
    let members = club
        .app
        .get(
            &club.url("/members"),
            Some(&club.app.token_for(&club.admin)),
        )
        .await
        .json();
    let memberships = members["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["employee_id"] == applicant.id.as_str())
        .count();
    assert_eq!(memberships, usize::from(approved));
}

async fn parallel_guesses_stop_at_the_lockout(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.employee("2015001").create();
    let max = app.state.settings.auth.max_failed_logins as usize;
    let passwords: Vec<String> = (0..12).map(|i| format!("guess-{i}")).collect();
    let guesses = join_all(passwords.iter().map(|p| app.login_api("2015001", p))).await;
    no_server_errors(&guesses);
    let checked = guesses
        .iter()
        .filter(|r| r.status == StatusCode::UNAUTHORIZED)
        .count();
    assert!(
        (1..=max).contains(&checked),
        "at most {max} guesses may be checked, {checked} were: {:?}",
        statuses(&guesses)
    );
    assert!(guesses
        .iter()
        .all(|r| [StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS].contains(&r.status)));
    // However the guesses interleaved, the number is now locked.
    assert_eq!(
        app.login_api("2015001", PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

async fn parallel_meeting_writes_all_land(backend: Backend) {
    let club = club_with_members(backend, 3).await;
    let token = club.app.token_for(&club.president);
    let first = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let attendees: Vec<String> = std::iter::once(&club.president)
        .chain(&club.members)
        .map(|e| e.id.clone())
        .collect();
    let requests = (0..64)
        .map(|i| {
            let day = first + chrono::Duration::days(i * 4);
            (
                club.url("/meetings"),
                json!({
                    "held_on": day.to_string(), "starts_at": "19:00", "ends_at": "20:30",
                    "kind": "ad_hoc", "place": "소회의실", "topic": format!("모임 {i}"),
                    "attendees": attendees,
                }),
                token.clone(),
            )
        })
        .collect();
    let responses = club.post_all(requests).await;
    no_server_errors(&responses);
    assert!(
        responses.iter().all(|r| r.status == StatusCode::CREATED),
        "{:?}",
        statuses(&responses)
    );
    let listed = club
        .app
        .get(&club.url("/meetings?per_page=100"), Some(&token))
        .await
        .json();
    assert_eq!(listed["total"], 64, "{listed}");
}

/// The clubs' leaderboard reads a club's size from `club_sizes`, recounted
/// with each membership change: changes to one club at the same moment
/// must each see the others, or a size is lost.
async fn joins_and_leaves_at_once_keep_the_club_s_size(backend: Backend) {
    let club = club_with_members(backend, 4).await;
    let admin = club.app.token_for(&club.admin);
    let newcomers: Vec<Employee> = (0..6)
        .map(|i| club.app.employee(&format!("20170{i:02}")).create())
        .collect();
    let members_url = club.url("/members");
    let bodies: Vec<Value> = newcomers
        .iter()
        .map(|n| json!({ "employee_no": n.employee_no }))
        .collect();
    let joins = bodies
        .iter()
        .map(|body| club.app.post_json(&members_url, body, Some(&admin)));
    let leaving: Vec<(String, String)> = club
        .members
        .iter()
        .map(|m| {
            (
                club.url(&format!("/members/{}", m.id)),
                club.app.token_for(m),
            )
        })
        .collect();
    let leaves = leaving
        .iter()
        .map(|(path, token)| club.app.delete(path, Some(token)));
    let (joined, left) = futures_util::future::join(join_all(joins), join_all(leaves)).await;
    no_server_errors(&joined);
    no_server_errors(&left);
    assert!(joined.iter().all(|r| r.status == StatusCode::CREATED));
    assert!(left.iter().all(|r| r.status == StatusCode::NO_CONTENT));
    let violations = club
        .app
        .db(|c| dongari::clubs::service::check_sizes(c).unwrap());
    assert!(violations.is_empty(), "{violations:?}");
    let today = club.app.today();
    let sizes = club
        .app
        .db(|c| dongari::clubs::model::all_sizes(c).unwrap());
    let (from_day, members) = sizes[&club.id].last().copied().unwrap();
    assert_eq!((from_day, members), (today, 1 + 6), "{sizes:?}");
}

async fn proposals_and_decisions_at_once_keep_the_office_s_counts(backend: Backend) {
    let club = club_with_members(backend, 8).await;
    let proposals = club
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let body =
                json!({ "name": format!("연구회 {i}"), "kind": "integrated", "field": "budget" });
            ("/api/v1/clubs".to_string(), body, club.app.token_for(m))
        })
        .collect();
    let proposed = club.post_all(proposals).await;
    no_server_errors(&proposed);
    assert!(proposed.iter().all(|r| r.status == StatusCode::CREATED));
    // Half approved, half rejected, all at once.
    let admin = club.app.token_for(&club.admin);
    let decisions = proposed
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let id = r.json()["id"].as_str().unwrap().to_string();
            let body = if i % 2 == 0 {
                json!({ "approve": true })
            } else {
                json!({ "approve": false, "note": "중복" })
            };
            (format!("/api/v1/clubs/{id}/decision"), body, admin.clone())
        })
        .collect();
    let decided = club.post_all(decisions).await;
    no_server_errors(&decided);
    assert!(
        decided.iter().all(|r| r.status.is_success()),
        "{:?}",
        statuses(&decided)
    );
    let violations = club
        .app
        .db(|c| dongari::clubs::service::check_counts(c).unwrap());
    assert!(violations.is_empty(), "{violations:?}");
    for (status, clubs) in [("active", 5), ("rejected", 4), ("proposed", 0)] {
        let listed = club
            .app
            .get(&format!("/api/v1/clubs?status={status}"), Some(&admin))
            .await
            .json();
        assert_eq!(listed["total"], clubs, "{status}");
    }
}
