//! The portal in a real browser: `tests/browser/check.js` drives headless
//! Chromium (playwright-core) over loopback at 1280 and 375 px, as a
//! member, an evaluator and an administrator — every page they use fits
//! the screen, logs no console error and has no axe-core violation; a
//! meeting is logged in three actions, a monthly report submitted, a club
//! scored, the round closed and confirmed; a refused form and a session
//! that ended lose nothing. It runs when Chromium and the npm packages are there (CI
//! installs them and sets `DONGARI_REQUIRE_BROWSER`), and says so when
//! skipped.

use std::path::PathBuf;
use std::process::Command;

use actix_web::http::StatusCode;
use serde_json::json;

use crate::helpers::{project_dir, Backend, TestApp, PASSWORD};
use dongari::org::model::Role;

/// Chromium and the driver script with its packages, when all are there.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let script = project_dir().join("tests/browser/check.js");
    let packages = project_dir().join("tests/browser/node_modules/playwright-core");
    let chromium = std::env::var_os("DONGARI_TEST_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.exists())
        });
    let node = Command::new("node").arg("--version").output().is_ok();
    match chromium {
        Some(chromium) if node && packages.exists() => Some((chromium, script)),
        _ => {
            assert!(
                std::env::var_os("DONGARI_REQUIRE_BROWSER").is_none(),
                "DONGARI_REQUIRE_BROWSER is set but Chromium, node or tests/browser/node_modules is missing"
            );
            eprintln!(
                "\nNOTE: Chromium, node or the npm packages are missing (apt-get install chromium nodejs npm; cd tests/browser && npm ci): the browser test is SKIPPED.\n"
            );
            None
        }
    }
}

#[actix_web::test]
async fn the_portal_works_in_a_real_browser_at_desktop_and_phone_widths() {
    let Some((chromium, script)) = browser() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.with_departments();
    let (_, admin) = app.as_admin().await;
    let evaluator = app
        .employee("9100001")
        .name("정평가")
        .role(Role::Evaluator)
        .create();
    let president = app
        .employee("2015001")
        .name("김회장")
        .department("2010")
        .create();
    let member = app
        .employee("2015002")
        .name("이회원")
        .department("2010")
        .create();
    let club = app
        .club("민원혁신 연구회", &president)
        .member(&member)
        .department("2010")
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap())
        .create();
    let president_token = app.token_for(&president);
    // A meeting before, so that the form has a place and people to offer.
    let first = app
        .post_json(
            &format!("/api/v1/clubs/{}/meetings", club.id),
            &json!({ "held_on": "2026-11-12", "starts_at": "18:30", "ends_at": "20:30", "kind": "regular",
                     "place": "3층 소회의실", "topic": "첫 모임", "attendees": [president.id, member.id] }),
            Some(&president_token),
        )
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    // A round whose report and scoring windows are both open now.
    let round = app
        .post_json(
            "/api/v1/evaluation/rounds",
            &json!({ "half": "2026H2", "submit_from": "2026-11-20", "submit_until": "2026-11-30",
                     "score_from": "2026-11-20", "score_until": "2026-12-10", "evaluators": ["9100001"] }),
            Some(&admin),
        )
        .await;
    assert_eq!(round.status, StatusCode::CREATED, "{}", round.text());
    let round = round.json()["id"].as_str().unwrap().to_string();
    let report = app
        .put_json(
            &format!("/api/v1/evaluation/rounds/{round}/clubs/{}/report", club.id),
            &json!({ "study_task": "민원 처리 기간 단축", "activities": "정기모임 6회",
                     "outcomes": "처리 기간 20% 단축안", "proposals": "", "links": [] }),
            Some(&president_token),
        )
        .await;
    assert!(report.status.is_success(), "{}", report.text());
    let _ = evaluator;

    let server = app.serve_on_loopback();
    let club_page = format!("/clubs/{}", club.id);
    let plan = json!({
        "base": server.base,
        "chromium": chromium,
        "artifacts": project_dir().join("target/browser-artifacts"),
        "club": club.id,
        "report_month": "2026-10",
        "draft_month": "2026-11",
        "score_path": format!("/evaluation/{round}/clubs/{}/score", club.id),
        "round_path": format!("/evaluation/{round}"),
        "people": {
            "member": { "employee_no": "2015001", "password": PASSWORD },
            "evaluator": { "employee_no": "9100001", "password": PASSWORD },
            "admin": { "employee_no": "9000001", "password": PASSWORD },
        },
        "pages": {
            "member": ["/", "/clubs?mine=true", "/clubs", club_page, format!("{club_page}/meetings/new"),
                       "/me/ledger", "/me/mileage", "/me/vouchers", "/me/badges", "/leaderboards",
                       "/evaluation", format!("/evaluation/{round}"), "/account/password"],
            "evaluator": ["/", "/evaluation", format!("/evaluation/{round}")],
            "admin": ["/", "/reports/compliance", "/ledger/progress", "/stats", "/evaluation/new",
                      format!("/evaluation/{round}"), "/admin/policy", "/mileage", "/vouchers", "/badges",
                      "/knowledge-kings"],
        },
    });
    let out = actix_web::rt::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .arg(plan.to_string())
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "the browser checks failed:\n{text}");
    assert!(
        text.contains("ok member-1280-meeting") && text.contains("ok member-375-meeting"),
        "{text}"
    );
    assert!(
        text.contains("ok member-1280-report") && text.contains("ok evaluator-1280-score"),
        "{text}"
    );
}
