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
        ("get", "/api/v1/organization"),
        ("put", "/api/v1/organization/policy"),
        ("get", "/api/v1/clubs"),
        ("post", "/api/v1/clubs"),
        ("get", "/api/v1/clubs/{club_id}"),
        ("put", "/api/v1/clubs/{club_id}"),
        ("post", "/api/v1/clubs/{club_id}/decision"),
        ("post", "/api/v1/clubs/{club_id}/dissolve"),
        ("put", "/api/v1/clubs/{club_id}/formation"),
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
        ("put", "/api/v1/evaluation/rounds/{round_id}/windows"),
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
        ("get", "/api/v1/ledger/recognition/{half}"),
        ("post", "/api/v1/ledger/recognition/{half}/approve"),
        ("get", "/api/v1/me/ledger"),
        ("post", "/api/v1/ledger/adjustments"),
        ("post", "/api/v1/ledger/movements/{id}/reverse"),
        ("post", "/api/v1/ledger/hr-imports"),
        ("get", "/api/v1/ledger/recognition/{half}/preview"),
        ("get", "/api/v1/ledger/hours-rules"),
        ("post", "/api/v1/ledger/hours-rules"),
        ("get", "/api/v1/me/mileage"),
        ("post", "/api/v1/me/mileage/conversions"),
        ("get", "/api/v1/mileage/conversions"),
        ("post", "/api/v1/mileage/conversions/{id}/approve"),
        ("post", "/api/v1/mileage/conversions/{id}/refuse"),
        ("get", "/api/v1/mileage/rules"),
        ("post", "/api/v1/mileage/rules"),
        ("post", "/api/v1/mileage/conversion-rules"),
        ("get", "/api/v1/me/vouchers"),
        ("post", "/api/v1/me/vouchers/redemptions"),
        ("post", "/api/v1/me/vouchers/redemptions/{id}/cancel"),
        ("get", "/api/v1/vouchers/catalog"),
        ("post", "/api/v1/vouchers/catalog"),
        ("put", "/api/v1/vouchers/catalog/{id}"),
        ("get", "/api/v1/vouchers/redemptions"),
        ("post", "/api/v1/vouchers/redemptions/{id}/fulfil"),
        ("post", "/api/v1/vouchers/redemptions/{id}/cancel"),
        ("get", "/api/v1/vouchers/rules"),
        ("post", "/api/v1/vouchers/rules"),
        ("get", "/api/v1/leaderboards/people"),
        ("get", "/api/v1/leaderboards/clubs"),
        ("get", "/api/v1/me/leaderboard-choice"),
        ("put", "/api/v1/me/leaderboard-choice"),
        ("put", "/api/v1/clubs/{club_id}/leaderboard-default"),
        ("get", "/api/v1/knowledge-kings/{year}"),
        ("post", "/api/v1/knowledge-kings/{year}"),
        ("get", "/api/v1/me/progress"),
        ("get", "/api/v1/ledger/progress"),
        ("get", "/api/v1/stats"),
        ("get", "/api/v1/badges/classes"),
        ("post", "/api/v1/badges/classes"),
        ("post", "/api/v1/badges/classes/{id}/awards"),
        ("post", "/api/v1/badges/awards/{id}/revoke"),
        ("get", "/api/v1/me/badges"),
        ("put", "/api/v1/me/badges/{id}/visibility"),
        ("post", "/api/v1/badges/keys/rotate"),
        ("post", "/api/v1/badges/classes/{id}/backfill"),
        ("post", "/api/v1/badges/classes/{id}/awards/bulk"),
        ("post", "/api/v1/badges/awards/{id}/suspend"),
        ("post", "/api/v1/badges/awards/{id}/resume"),
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

/// Applies the migrations up to and including the one named `last`.
/// A new database migrated up to `last` (and no further), with a
/// connection to it; the first keeps its files while it lives.
fn database_as_of(
    backend: Backend,
    last: &str,
) -> (crate::helpers::EmptyDatabase, dongari::db::PooledConn) {
    let empty = crate::helpers::empty_database(backend);
    let url = dongari::db::DatabaseUrl::parse(&empty.url).unwrap();
    let pool = dongari::db::connect(&url, 1).unwrap();
    let mut conn = pool.get().unwrap();
    migrate_until(&mut conn, last);
    (empty, conn)
}

fn migrate_until(conn: &mut dongari::db::DbConnection, last: &str) {
    use diesel_migrations::MigrationHarness;
    use dongari::db::BackendConnection;

    fn through<DB: diesel::backend::Backend, C: MigrationHarness<DB>>(
        conn: &mut C,
        source: diesel_migrations::EmbeddedMigrations,
        last: &str,
    ) {
        for migration in conn.pending_migrations(source).unwrap() {
            let name = migration.name().to_string();
            conn.run_migration(&*migration).unwrap();
            if name.contains(last) {
                return;
            }
        }
        panic!("no migration {last}");
    }

    match conn.backend() {
        BackendConnection::Sqlite(c) => through(c, dongari::db::SQLITE_MIGRATIONS, last),
        BackendConnection::Postgresql(c) => through(c, dongari::db::POSTGRES_MIGRATIONS, last),
    }
}

/// A database made before organizations existed keeps every row: each
/// joins the first organization, and its unique keys still hold.
async fn an_existing_database_moves_into_the_first_organization(backend: Backend) {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use dongari::db::schema::{clubs, departments, employees, evaluation_rounds, holidays};
    use dongari::db::DbConnection;

    let (_empty, mut conn) = database_as_of(backend, "000005_integrity");
    conn.batch_execute(
        "INSERT INTO departments (id, code, name, parent_id, created_at)
             VALUES ('d1', '2010', '총무과', NULL, '2026-02-01 09:00:00');
         INSERT INTO employees (id, employee_no, name, email, department_id, grade, job_family,
                                active, password_hash, session_version, created_at, updated_at)
             VALUES ('e1', '2015001', '김회장', 'a@b.kr', 'd1', 7, 'administrative', TRUE, NULL, 0,
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00');
         INSERT INTO clubs (id, name, kind, home_department_id, field, description, status,
                            created_at, updated_at)
             VALUES ('c1', '연구회', 'department', 'd1', 'budget', '', 'active',
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00');
         INSERT INTO memberships (id, club_id, employee_id, role, joined_on, created_at)
             VALUES ('m1', 'c1', 'e1', 'president', '2026-02-01', '2026-02-01 09:00:00');
         INSERT INTO evaluation_rounds (id, half, title, submit_from, submit_until, score_from,
                score_until, combination, trim_min_evaluators, evaluators_per_club, created_by,
                created_at)
             VALUES ('r1', '2026H1', '평가', '2026-07-01 00:00:00', '2026-07-10 00:00:00',
                     '2026-07-11 00:00:00', '2026-07-20 00:00:00', 'mean', 5, 0, 'e1',
                     '2026-07-01 00:00:00');
         INSERT INTO holidays (day, name, created_at)
             VALUES ('2026-12-25', '성탄절', '2026-02-01 09:00:00');",
    )
    .unwrap();
    dongari::db::migrate(&mut conn).unwrap();

    let main: String = dongari::org::model::sole_organization(&mut conn)
        .unwrap()
        .unwrap()
        .id;
    let orgs_of = |conn: &mut DbConnection| -> Vec<String> {
        let mut all: Vec<String> = departments::table
            .select(departments::organization_id)
            .load(conn)
            .unwrap();
        all.extend(
            employees::table
                .select(employees::organization_id)
                .load::<String>(conn)
                .unwrap(),
        );
        all.extend(
            clubs::table
                .select(clubs::organization_id)
                .load::<String>(conn)
                .unwrap(),
        );
        all.extend(
            evaluation_rounds::table
                .select(evaluation_rounds::organization_id)
                .load::<String>(conn)
                .unwrap(),
        );
        all.extend(
            holidays::table
                .select(holidays::organization_id)
                .load::<String>(conn)
                .unwrap(),
        );
        all
    };
    assert_eq!(orgs_of(&mut conn), vec![main.clone(); 5]);
    // The memberships still point at their club and person.
    let president = dongari::clubs::model::presidents(&mut conn, &["c1".to_string()]).unwrap();
    assert_eq!(president["c1"].1, "김회장");
    // Unique per organization now: the same number in another office is
    // allowed, a second one in the same office is not.
    let other = dongari::org::model::insert_organization(
        &mut conn,
        "jongno",
        "종로구",
        chrono::Utc::now().naive_utc(),
    )
    .unwrap();
    let fields = dongari::org::model::EmployeeFields {
        employee_no: "2015001".into(),
        name: "다른 사람".into(),
        email: "c@d.kr".into(),
        department_id: None,
        grade: None,
        job_family: dongari::org::model::JobFamily::Administrative,
        active: true,
    };
    let now = chrono::Utc::now().naive_utc();
    assert!(dongari::org::model::insert_employee(&mut conn, &other, &fields, now).is_ok());
    assert!(dongari::org::model::insert_employee(&mut conn, &main, &fields, now).is_err());
}

crate::both_backends!(
    an_existing_database_moves_into_the_first_organization,
    rounds_confirmed_before_the_ledger_move_into_it_once,
    sheets_scored_before_sheet_points_get_them_in_criterion_order,
);

/// Sheets scored before the assignments kept their points get them from
/// their scores, in criterion order, when the migration is applied.
async fn sheets_scored_before_sheet_points_get_them_in_criterion_order(backend: Backend) {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use dongari::db::schema::evaluation_assignments as a;

    let (_empty, mut conn) = database_as_of(backend, "000011_learning_records");
    let org = "0190a000-0000-7000-8000-0000000000a1";
    // The criteria's ids sort against their positions: order is by position.
    conn.batch_execute(&format!(
        "INSERT INTO employees (id, organization_id, employee_no, name, email, department_id, grade,
                                job_family, active, password_hash, session_version, created_at, updated_at)
             VALUES ('e1', '{org}', '2015001', '김평가', 'a@b.kr', NULL, 7, 'administrative', TRUE, NULL, 0,
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00'),
                    ('e2', '{org}', '2015002', '이평가', 'b@b.kr', NULL, 7, 'administrative', TRUE, NULL, 0,
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00');
         INSERT INTO clubs (id, organization_id, name, kind, home_department_id, field, description, status,
                            created_at, updated_at, formed_on)
             VALUES ('c1', '{org}', '연구회', 'integrated', NULL, 'budget', '', 'active',
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00', '2026-02-01');
         INSERT INTO evaluation_rounds (id, organization_id, half, title, submit_from, submit_until, score_from,
                score_until, combination, trim_min_evaluators, evaluators_per_club, created_by, created_at)
             VALUES ('r1', '{org}', '2026H1', '평가', '2026-07-01 00:00:00', '2026-07-10 00:00:00',
                     '2026-07-11 00:00:00', '2026-07-20 00:00:00', 'mean', 5, 0, 'e1', '2026-07-01 00:00:00');
         INSERT INTO evaluation_criteria (id, round_id, position, name, weight, max_points)
             VALUES ('z-first', 'r1', 1, '노력', 60, 10), ('a-second', 'r1', 2, '성과', 40, 10);
         INSERT INTO evaluation_assignments (id, round_id, club_id, evaluator_id, assigned_at, comment, scored_at)
             VALUES ('s1', 'r1', 'c1', 'e1', '2026-07-05 00:00:00', '', '2026-07-12 00:00:00'),
                    ('s2', 'r1', 'c1', 'e2', '2026-07-05 00:00:00', '', NULL);
         INSERT INTO evaluation_scores (assignment_id, criterion_id, points, updated_at)
             VALUES ('s1', 'a-second', 9, '2026-07-12 00:00:00'), ('s1', 'z-first', 7, '2026-07-12 00:00:00'),
                    ('s2', 'z-first', 5, '2026-07-12 00:00:00');"
    ))
    .unwrap();
    let applied = dongari::upgrade::migrate(&mut conn, chrono::Utc::now().naive_utc()).unwrap();
    assert!(applied.iter().any(|v| v == "20261129000012"), "{applied:?}");
    let stored: Vec<(String, Option<String>)> = a::table
        .order(a::id)
        .select((a::id, a::sheet_points))
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        stored,
        vec![("s1".into(), Some("7,9".into())), ("s2".into(), None)],
        "a scored sheet gets its points by position; an unscored one none"
    );
}

/// Prizes and leave days of a round confirmed before the ledger existed
/// become ledger movements when the ledger's migration is applied — once.
async fn rounds_confirmed_before_the_ledger_move_into_it_once(backend: Backend) {
    use diesel::connection::SimpleConnection;
    use dongari::ledger::{model as ledger, AccountRef, Owner, Unit};

    let (_empty, mut conn) = database_as_of(backend, "000008_read_paths");
    let org = "0190a000-0000-7000-8000-0000000000a1";
    conn.batch_execute(&format!(
        "INSERT INTO employees (id, organization_id, employee_no, name, email, department_id, grade,
                                job_family, active, password_hash, session_version, created_at, updated_at)
             VALUES ('e1', '{org}', '2015001', '김회장', 'a@b.kr', NULL, 7, 'administrative', TRUE, NULL, 0,
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00');
         INSERT INTO clubs (id, organization_id, name, kind, home_department_id, field, description, status,
                            created_at, updated_at, formed_on)
             VALUES ('c1', '{org}', '연구회', 'integrated', NULL, 'budget', '', 'active',
                     '2026-02-01 09:00:00', '2026-02-01 09:00:00', '2026-02-01');
         INSERT INTO evaluation_rounds (id, organization_id, half, title, submit_from, submit_until, score_from,
                score_until, combination, trim_min_evaluators, evaluators_per_club, created_by,
                created_at, confirmed_at, confirmed_by)
             VALUES ('r1', '{org}', '2026H1', '평가', '2026-07-01 00:00:00', '2026-07-10 00:00:00',
                     '2026-07-11 00:00:00', '2026-07-20 00:00:00', 'mean', 5, 0, 'e1',
                     '2026-07-01 00:00:00', '2026-07-21 00:00:00', 'e1');
         INSERT INTO evaluation_awards (id, round_id, club_id, tier, amount_krw, rank, score, proposed_tier,
                                        awarded_by, awarded_at)
             VALUES ('a1', 'r1', 'c1', 'grand', 500000, 1, '90.00', NULL, 'e1', '2026-07-21 00:00:00');
         INSERT INTO top_contributors (id, round_id, club_id, slot, employee_id, special_leave_days,
                                       preferred_department, reason, recommended_by, recommended_at)
             VALUES ('t1', 'r1', 'c1', 1, 'e1', 1, TRUE, '기여', 'e1', '2026-07-22 00:00:00');"
    ))
    .unwrap();
    let now = chrono::Utc::now().naive_utc();
    let applied = dongari::upgrade::migrate(&mut conn, now).unwrap();
    assert!(applied.iter().any(|v| v == "20261126000009"), "{applied:?}");
    let balance = |conn: &mut dongari::db::DbConn, owner: Owner, unit: Unit| {
        let id = ledger::account_id_of(conn, &AccountRef { owner, unit })
            .unwrap()
            .expect("an account");
        ledger::balance(conn, &id).unwrap()
    };
    assert_eq!(
        balance(&mut conn, Owner::Club("c1".into()), Unit::Krw),
        500_000
    );
    assert_eq!(
        balance(&mut conn, Owner::Employee("e1".into()), Unit::LeaveDays),
        1
    );
    // Nothing more on the next start.
    assert!(dongari::upgrade::migrate(&mut conn, now)
        .unwrap()
        .is_empty());
    let report = dongari::ledger::verify::verify(&mut conn).unwrap();
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!(report.movements, 2);
}
