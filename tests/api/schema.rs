use std::collections::BTreeSet;

use actix_web::http::StatusCode;

use crate::helpers::{project_dir, Backend, TestApp};

fn migration_names(backend: &str) -> BTreeSet<String> {
    std::fs::read_dir(project_dir().join("migrations").join(backend))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn migration_folders_match_between_backends() {
    let sqlite = migration_names("sqlite");
    let postgres = migration_names("postgresql");
    assert!(!sqlite.is_empty());
    assert_eq!(
        sqlite, postgres,
        "every migration needs a twin with the same name"
    );
    for name in &sqlite {
        for backend in ["sqlite", "postgresql"] {
            for file in ["up.sql", "down.sql"] {
                let path = project_dir()
                    .join("migrations")
                    .join(backend)
                    .join(name)
                    .join(file);
                assert!(path.is_file(), "missing {}", path.display());
            }
        }
    }
}

/// Every `/api/v1` route the app serves is in the OpenAPI document.
#[actix_web::test]
async fn openapi_documents_every_api_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let res = app.get("/api/openapi.json", None).await;
    assert_eq!(res.status, StatusCode::OK);
    let doc = res.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let routes = [
        ("post", "/api/v1/auth/token"),
        ("post", "/api/v1/auth/logout"),
        ("post", "/api/v1/me/password"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/employees"),
        ("get", "/api/v1/departments"),
        ("get", "/api/v1/target-rules"),
        ("get", "/api/v1/clubs"),
        ("post", "/api/v1/clubs"),
        ("get", "/api/v1/clubs/{club_id}"),
        ("put", "/api/v1/clubs/{club_id}"),
        ("post", "/api/v1/clubs/{club_id}/decision"),
        ("post", "/api/v1/clubs/{club_id}/dissolve"),
        ("get", "/api/v1/clubs/{club_id}/members"),
        ("post", "/api/v1/clubs/{club_id}/members"),
        ("delete", "/api/v1/clubs/{club_id}/members/{employee_id}"),
        ("post", "/api/v1/clubs/{club_id}/president"),
        ("get", "/api/v1/clubs/{club_id}/join-requests"),
        ("post", "/api/v1/clubs/{club_id}/join-requests"),
        ("post", "/api/v1/clubs/{club_id}/join-requests/{request_id}"),
        ("get", "/api/v1/clubs/{club_id}/study-tasks/{half}"),
        ("put", "/api/v1/clubs/{club_id}/study-tasks/{half}"),
        ("get", "/api/v1/clubs/{club_id}/meetings"),
        ("post", "/api/v1/clubs/{club_id}/meetings"),
        ("get", "/api/v1/clubs/{club_id}/meetings/{meeting_id}"),
        ("put", "/api/v1/clubs/{club_id}/meetings/{meeting_id}"),
        ("delete", "/api/v1/clubs/{club_id}/meetings/{meeting_id}"),
        ("get", "/api/v1/me/hours"),
        ("get", "/api/v1/clubs/{club_id}/posts"),
        ("post", "/api/v1/clubs/{club_id}/posts"),
        ("put", "/api/v1/clubs/{club_id}/posts/{post_id}"),
        ("post", "/api/v1/clubs/{club_id}/posts/{post_id}/hide"),
        ("post", "/api/v1/clubs/{club_id}/posts/{post_id}/comments"),
        (
            "put",
            "/api/v1/clubs/{club_id}/posts/{post_id}/comments/{comment_id}",
        ),
        (
            "post",
            "/api/v1/clubs/{club_id}/posts/{post_id}/comments/{comment_id}/hide",
        ),
        ("get", "/api/v1/clubs/{club_id}/reports"),
        ("get", "/api/v1/clubs/{club_id}/reports/{month}"),
        ("put", "/api/v1/clubs/{club_id}/reports/{month}"),
        ("post", "/api/v1/clubs/{club_id}/reports/{month}/submit"),
        ("get", "/api/v1/reports/compliance"),
        ("get", "/api/v1/holidays"),
        ("post", "/api/v1/holidays"),
        ("delete", "/api/v1/holidays/{day}"),
        ("get", "/api/v1/evaluation/rounds"),
        ("post", "/api/v1/evaluation/rounds"),
        ("get", "/api/v1/evaluation/rounds/{round_id}"),
        ("get", "/api/v1/evaluation/rounds/{round_id}/sheets"),
        ("get", "/api/v1/evaluation/rounds/{round_id}/standings"),
        ("post", "/api/v1/evaluation/rounds/{round_id}/confirm"),
        ("get", "/api/v1/evaluation/rounds/{round_id}/results"),
        (
            "get",
            "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/report",
        ),
        (
            "put",
            "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/report",
        ),
        (
            "post",
            "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/reopen",
        ),
        (
            "put",
            "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/scores",
        ),
        (
            "post",
            "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/assignments",
        ),
        (
            "post",
            "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/contributors",
        ),
    ];
    for (method, path) in routes {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
        // ... and is really served by the app: without a token every API
        // route but the login answers 401, where an unknown one answers 404.
        let concrete = path
            .replace("{half}", "2026H2")
            .replace("{month}", "2026-11")
            .replace("{day}", "2026-12-25")
            .replace(['{', '}'], "");
        let req = actix_web::test::TestRequest::default()
            .method(method.to_uppercase().parse().unwrap())
            .uri(&concrete);
        let status = app.send(req).await.status;
        // Every answer it gives is documented, with the error body.
        let op = &doc["paths"][path][method];
        let answers = &op["responses"];
        let mut expected = vec!["400", "422"];
        if path != "/api/v1/auth/token" {
            expected.extend(["401", "403"]);
        }
        if path.contains('{') {
            expected.push("404");
        }
        if op["requestBody"].is_object() {
            expected.extend(["413", "415"]);
        }
        for code in expected {
            assert_eq!(
                answers[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{method} {path} documents {code}"
            );
        }
        assert!(
            answers[status.as_str()].is_object(),
            "{method} {path} documents the {status} it gave"
        );
        if path == "/api/v1/auth/token" {
            assert_ne!(status, StatusCode::NOT_FOUND);
        } else {
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} is served and needs a login"
            );
        }
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| p.as_object().unwrap().len())
        .sum();
    assert_eq!(
        documented,
        routes.len(),
        "no undocumented extras, no stale entries"
    );
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}
