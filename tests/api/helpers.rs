//! The test harness: every test gets its own app and its own database
//! (a temporary SQLite file, or a fresh PostgreSQL database when
//! `DONGARI_TEST_POSTGRES_URL` is set). Requests go in-process, no port.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};

use actix_web::http::{header, Method, StatusCode};
use actix_web::test::{self, TestRequest};
use actix_web::web;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use dongari::clock::FixedClock;
use dongari::config::Settings;
use dongari::org::forms::EmployeeInput;
use dongari::org::model::{Employee, JobFamily, Role, RoleGrant};
use dongari::org::{model, service};
use dongari::startup::app;
use dongari::state::AppState;
use serde_json::Value;

pub const PASSWORD: &str = "learning-club-2026";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The PostgreSQL backend when its server is configured; otherwise says
    /// so on the terminal (past the test harness's capture) and skips.
    pub fn postgres() -> Option<Self> {
        if std::env::var("DONGARI_TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
            return Some(Self::Postgres);
        }
        if std::env::var("DONGARI_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
            panic!("DONGARI_REQUIRE_POSTGRES=1 but DONGARI_TEST_POSTGRES_URL is not set");
        }
        static NOTICE: Once = Once::new();
        NOTICE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "\nNOTE: DONGARI_TEST_POSTGRES_URL is not set: the PostgreSQL variants of the database tests are SKIPPED (they pass without running).\n"
            );
        });
        None
    }
}

/// Runs a test body on SQLite and, when available, on PostgreSQL:
/// `both_backends!(name)` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
            #[actix_web::test]
            async fn postgres() {
                if let Some(backend) = $crate::helpers::Backend::postgres() {
                    super::$name(backend).await
                }
            }
        }
    )*};
}

/// A database that exists for one test.
enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    fn create(backend: Backend) -> (Self, String) {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                (Self::Sqlite(dir), url)
            }
            Backend::Postgres => {
                let admin_url = std::env::var("DONGARI_TEST_POSTGRES_URL").expect("postgres url");
                let name = format!("dongari_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn = PgConnection::establish(&admin_url)
                    .expect("connect to the test PostgreSQL server");
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let url = replace_database(&admin_url, &name);
                (Self::Postgres { admin_url, name }, url)
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Self::Postgres { admin_url, name } = self {
            if let Ok(mut conn) = PgConnection::establish(admin_url) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// A database with nothing in it (no migrations), gone when the guard drops.
pub struct EmptyDatabase {
    pub url: String,
    _db: TestDb,
}

pub fn empty_database(backend: Backend) -> EmptyDatabase {
    let (db, url) = TestDb::create(backend);
    EmptyDatabase { url, _db: db }
}

/// `postgres://u@h:5433/postgres?x=y` with the database name replaced.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

pub fn project_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Settings as the tests use them: defaults, then config/test.toml, then
/// the given overrides. The developer's own config/local.toml is ignored.
pub fn test_settings(database_url: &str, overrides: &[(&str, &str)]) -> Settings {
    let root = project_dir();
    let mut env = vec![
        (
            "DONGARI__DATABASE__URL".to_string(),
            database_url.to_string(),
        ),
        ("DONGARI__DATABASE__POOL_SIZE".to_string(), "4".to_string()),
        (
            "DONGARI__WEB__TEMPLATES_DIR".to_string(),
            root.join("templates").display().to_string(),
        ),
        (
            "DONGARI__WEB__ASSETS_DIR".to_string(),
            root.join("assets").display().to_string(),
        ),
    ];
    env.extend(
        overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let no_local = tempfile::tempdir().expect("temp dir");
    Settings::load_from(no_local.path(), Some(&root.join("config/test.toml")), env)
        .expect("test settings")
}

pub struct TestApp {
    pub state: web::Data<AppState>,
    /// The organization the builders put people and clubs in: the one a
    /// new database has, unless `in_organization` chose another.
    pub org: String,
    pub clock: Arc<FixedClock>,
    pub database_url: String,
    // Dropped last: the pool above must close before the database goes.
    _db: TestDb,
}

pub struct LoopbackServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        actix_web::rt::spawn(self.handle.stop(false));
    }
}

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: header::HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `(name, value)` of every Set-Cookie.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.headers
            .get_all(header::SET_COOKIE)
            .filter_map(|v| v.to_str().ok())
            .filter_map(|c| {
                c.split(';')
                    .next()?
                    .split_once('=')
                    .map(|(n, v)| (n.to_string(), v.to_string()))
            })
            .collect()
    }
}

impl TestApp {
    /// A fresh app at 2026-11-23 09:00 in Seoul.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    pub async fn spawn_with(backend: Backend, overrides: &[(&str, &str)]) -> Self {
        let (db, url) = TestDb::create(backend);
        let settings = test_settings(&url, overrides);
        let clock = Arc::new(FixedClock::at_seoul(2026, 11, 23, 9, 0, 0));
        let state = dongari::startup::prepare(settings, clock.clone()).expect("app builds");
        let org = {
            let mut conn = state.pool.get().expect("pooled connection");
            model::sole_organization(&mut conn)
                .unwrap()
                .expect("a new database has one organization")
                .id
        };
        Self {
            state: web::Data::new(state),
            org,
            clock,
            database_url: url,
            _db: db,
        }
    }

    /// The app served over real HTTP on a free loopback port, for a client
    /// outside the process (a validator); it stops when dropped.
    pub fn serve_on_loopback(&self) -> LoopbackServer {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = self.state.clone();
        let server = actix_web::HttpServer::new(move || app(state.clone()))
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        LoopbackServer { base, handle }
    }

    pub async fn send(&self, req: TestRequest) -> TestResponse {
        let service = test::init_service(app(self.state.clone())).await;
        let res = test::call_service(&service, req.to_request()).await;
        let status = res.status();
        let headers = res.headers().clone();
        let body = test::read_body(res).await.to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send(with_bearer(TestRequest::get().uri(path), token))
            .await
    }

    pub async fn post_json(&self, path: &str, body: &Value, token: Option<&str>) -> TestResponse {
        self.send(with_bearer(
            TestRequest::post().uri(path).set_json(body),
            token,
        ))
        .await
    }

    /// Runs a closure on a pooled connection (for arranging and checking).
    pub fn db<T>(&self, f: impl FnOnce(&mut dongari::db::DbConn) -> T) -> T {
        let mut conn = self.state.pool.get().expect("pooled connection");
        f(&mut conn)
    }

    /// 행정관리국(2000) › 총무과(2010), 자치행정과(2020); 보건소(5000) › 보건행정과(5010).
    pub fn with_departments(&self) {
        let now = self.clock_naive();
        let org = self.org.as_str();
        self.db(|conn| {
            let a = model::insert_department(conn, org, "2000", "행정관리국", None, now).unwrap();
            model::insert_department(conn, org, "2010", "총무과", Some(&a), now).unwrap();
            model::insert_department(conn, org, "2020", "자치행정과", Some(&a), now).unwrap();
            let b = model::insert_department(conn, org, "5000", "보건소", None, now).unwrap();
            model::insert_department(conn, org, "5010", "보건행정과", Some(&b), now).unwrap();
        });
    }

    /// Another organization (기관) of the same deployment; the builders
    /// keep using `self.org`. Returns its id.
    pub fn add_organization(&self, code: &str, name: &str) -> String {
        let now = self.clock_naive();
        self.db(|conn| model::insert_organization(conn, code, name, now).unwrap())
    }

    /// Today in Seoul, by the app's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        use dongari::clock::Clock;
        self.clock
            .now()
            .with_timezone(&dongari::clock::seoul())
            .date_naive()
    }

    pub fn clock_naive(&self) -> chrono::NaiveDateTime {
        use dongari::clock::Clock;
        self.clock.now().naive_utc()
    }

    pub fn employee(&self, employee_no: &str) -> EmployeeBuilder<'_> {
        EmployeeBuilder {
            app: self,
            org: self.org.clone(),
            input: EmployeeInput {
                employee_no: employee_no.to_string(),
                name: "김민준".to_string(),
                email: format!("{employee_no}@junggu.example.go.kr"),
                department_code: None,
                grade: Some(7),
                job_family: JobFamily::Administrative,
                active: true,
            },
            roles: vec![RoleGrant {
                role: Role::Member,
                department_id: None,
            }],
            coordinates: Vec::new(),
            password: Some(PASSWORD.to_string()),
        }
    }

    /// A bearer token for the employee, issued as the login would.
    pub fn token_for(&self, employee: &Employee) -> String {
        let current = self.db(|conn| model::employee_by_id(conn, &employee.id).unwrap());
        self.state
            .jwt
            .issue(&current.id, current.session_version, &*self.state.clock)
            .unwrap()
    }

    pub async fn login_api(&self, employee_no: &str, password: &str) -> TestResponse {
        self.post_json(
            "/api/v1/auth/token",
            &serde_json::json!({ "employee_no": employee_no, "password": password }),
            None,
        )
        .await
    }

    /// An admin (with a password) and their token.
    pub async fn as_admin(&self) -> (Employee, String) {
        let admin = self.employee("9000001").role(Role::Admin).create();
        let token = self.token_for(&admin);
        (admin, token)
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: Mutex::new(HashMap::new()),
        }
    }
}

pub fn with_bearer(req: TestRequest, token: Option<&str>) -> TestRequest {
    match token {
        Some(t) => req.insert_header((header::AUTHORIZATION, format!("Bearer {t}"))),
        None => req,
    }
}

pub struct EmployeeBuilder<'a> {
    app: &'a TestApp,
    org: String,
    input: EmployeeInput,
    roles: Vec<RoleGrant>,
    coordinates: Vec<String>,
    password: Option<String>,
}

impl EmployeeBuilder<'_> {
    /// In another organization than the app's first.
    pub fn in_org(mut self, org: &str) -> Self {
        self.org = org.to_string();
        self
    }
    pub fn name(mut self, name: &str) -> Self {
        self.input.name = name.to_string();
        self
    }
    pub fn grade(mut self, grade: Option<i32>) -> Self {
        self.input.grade = grade;
        self
    }
    pub fn job_family(mut self, family: JobFamily) -> Self {
        self.input.job_family = family;
        self
    }
    pub fn department(mut self, code: &str) -> Self {
        self.input.department_code = Some(code.to_string());
        self
    }
    pub fn role(mut self, role: Role) -> Self {
        self.roles.push(RoleGrant {
            role,
            department_id: None,
        });
        self
    }
    /// Coordinator (동아리 담당) of the department with this code.
    pub fn coordinator_of(mut self, department_code: &str) -> Self {
        self.coordinates.push(department_code.to_string());
        self
    }
    pub fn inactive(mut self) -> Self {
        self.input.active = false;
        self
    }
    pub fn without_password(mut self) -> Self {
        self.password = None;
        self
    }

    pub fn create(self) -> Employee {
        let now = self.app.clock_naive();
        let hash = self.password.map(|p| dongari::password::hash(&p).unwrap());
        self.app.db(|conn| {
            let mut roles = self.roles.clone();
            for code in &self.coordinates {
                roles.push(RoleGrant {
                    role: Role::Coordinator,
                    department_id: Some(department_id(conn, &self.org, code)),
                });
            }
            let id = service::create_employee(
                conn,
                &self.org,
                &self.input,
                &roles,
                hash.as_deref(),
                None,
                now,
            )
            .unwrap();
            model::employee_by_id(conn, &id).unwrap()
        })
    }
}

/// A browser: keeps cookies and fills in the CSRF token of forms.
pub struct Browser<'a> {
    app: &'a TestApp,
    cookies: Mutex<HashMap<String, String>>,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        let jar = self.cookies.lock().unwrap();
        jar.iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request with the jar's cookies, keeping what it sets.
    pub async fn send(&self, req: TestRequest) -> TestResponse {
        let cookie = self.cookie_header();
        let req = if cookie.is_empty() {
            req
        } else {
            req.insert_header((header::COOKIE, cookie))
        };
        let res = self.app.send(req).await;
        let mut jar = self.cookies.lock().unwrap();
        for (name, value) in res.cookies() {
            if value.is_empty() {
                jar.remove(&name);
            } else {
                jar.insert(name, value);
            }
        }
        res
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub async fn get(&self, path: &str) -> TestResponse {
        self.send(TestRequest::get().uri(path)).await
    }

    /// Posts a form with the CSRF token from the cookie jar added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let token = self.cookie("dongari_csrf").unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// Posts exactly the given fields (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = TestRequest::default()
            .method(Method::POST)
            .uri(path)
            .insert_header((header::CONTENT_TYPE, "application/x-www-form-urlencoded"))
            .set_payload(body);
        self.send(req).await
    }

    /// Uploads a file as a form would (`multipart/form-data`), with the
    /// CSRF token from the cookie jar.
    pub async fn post_file(
        &self,
        path: &str,
        field: &str,
        name: &str,
        bytes: &[u8],
    ) -> TestResponse {
        self.post_multipart(path, &[], &[(field, name, bytes)])
            .await
    }

    /// Posts a `multipart/form-data` form: text fields, files as (field,
    /// file name, bytes), and the CSRF token from the cookie jar.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> TestResponse {
        let token = self.cookie("dongari_csrf").unwrap_or_default();
        let boundary = "dongari-test-boundary-7f3a";
        let mut body = Vec::new();
        for (name, value) in [("csrf_token", token.as_str())].iter().chain(fields) {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for (field, file_name, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = TestRequest::default()
            .method(Method::POST)
            .uri(path)
            .insert_header((
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            ))
            .set_payload(body);
        self.send(req).await
    }

    pub async fn log_in(&self, employee_no: &str, password: &str) -> TestResponse {
        self.get("/login").await;
        self.post_form(
            "/login",
            &[
                ("employee_no", employee_no),
                ("password", password),
                ("next", "/"),
            ],
        )
        .await
    }
}

pub fn write_file(dir: &Path, name: &str, contents: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// A club made directly in the database, for arranging tests.
pub struct TestClub {
    pub id: String,
    pub president: Employee,
}

pub struct ClubBuilder<'a> {
    app: &'a TestApp,
    org: String,
    name: String,
    president: Employee,
    members: Vec<Employee>,
    joined_on: chrono::NaiveDate,
    department_code: Option<String>,
    formed: Option<chrono::NaiveDate>,
}

fn department_id(conn: &mut dongari::db::DbConn, org: &str, code: &str) -> String {
    model::department_by_code(conn, org, code)
        .unwrap()
        .unwrap_or_else(|| panic!("no department {code}: call with_departments() first"))
        .id
}

impl TestApp {
    /// An active club whose members (president included) joined 1 March 2026.
    pub fn club(&self, name: &str, president: &Employee) -> ClubBuilder<'_> {
        ClubBuilder {
            app: self,
            org: self.org.clone(),
            name: name.to_string(),
            president: president.clone(),
            members: Vec::new(),
            joined_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            department_code: None,
            formed: None,
        }
    }
}

impl ClubBuilder<'_> {
    /// In another organization than the app's first.
    pub fn in_org(mut self, org: &str) -> Self {
        self.org = org.to_string();
        self
    }

    pub fn member(mut self, employee: &Employee) -> Self {
        self.members.push(employee.clone());
        self
    }

    /// A department club of the department with this code.
    pub fn department(mut self, code: &str) -> Self {
        self.department_code = Some(code.to_string());
        self
    }

    /// Formed on this day (clubs need reports from the month they formed).
    pub fn formed(mut self, day: chrono::NaiveDate) -> Self {
        self.formed = Some(day);
        self
    }

    pub fn create(self) -> TestClub {
        use dongari::clubs::model::{self as clubs, ClubColumns, ClubStatus, MemberRole};
        let now = self
            .formed
            .map(|day| day.and_hms_opt(9, 0, 0).unwrap())
            .unwrap_or_else(|| self.app.clock_naive());
        let home_department_id = self
            .department_code
            .as_deref()
            .map(|code| self.app.db(|conn| department_id(conn, &self.org, code)));
        let columns = ClubColumns {
            name: self.name.clone(),
            kind: if home_department_id.is_some() {
                "department"
            } else {
                "integrated"
            }
            .into(),
            home_department_id,
            field: "work_improvement".into(),
            description: "테스트 동아리".into(),
            usual_start: None,
            usual_end: None,
            usual_place: None,
        };
        let id = self.app.db(|conn| {
            let formed_on = self.formed.unwrap_or_else(|| self.app.today());
            let id = clubs::insert_club(
                conn,
                &self.org,
                &columns,
                ClubStatus::Active,
                None,
                formed_on,
                now,
            )
            .unwrap();
            clubs::insert_membership(
                conn,
                &id,
                &self.president.id,
                MemberRole::President,
                self.joined_on,
                now,
            )
            .unwrap();
            for m in &self.members {
                clubs::insert_membership(conn, &id, &m.id, MemberRole::Member, self.joined_on, now)
                    .unwrap();
            }
            id
        });
        TestClub {
            id,
            president: self.president,
        }
    }
}

impl TestApp {
    pub async fn put_json(&self, path: &str, body: &Value, token: Option<&str>) -> TestResponse {
        self.send(with_bearer(
            TestRequest::put().uri(path).set_json(body),
            token,
        ))
        .await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send(with_bearer(TestRequest::delete().uri(path), token))
            .await
    }
}

impl TestApp {
    /// Another instance of the service on the same database (its own pool,
    /// clock and in-memory mail), as a second server would be.
    pub fn second_instance(&self, overrides: &[(&str, &str)]) -> (AppState, Arc<FixedClock>) {
        let clock = Arc::new(FixedClock::new(dongari::clock::Clock::now(&*self.clock)));
        let state =
            dongari::startup::prepare(test_settings(&self.database_url, overrides), clock.clone())
                .expect("second instance");
        (state, clock)
    }

    /// Runs the jobs once, as `dongari jobs run --as-of` would at the app's clock.
    pub fn run_jobs(&self) -> dongari::jobs::JobReport {
        run_jobs_on(&self.state)
    }
}

pub fn run_jobs_on(state: &AppState) -> dongari::jobs::JobReport {
    let mut conn = state.pool.get().unwrap();
    dongari::jobs::run_once(
        &mut conn,
        &state.templates,
        &state.settings,
        &state.mailer,
        state.clock.now(),
    )
    .unwrap()
}
