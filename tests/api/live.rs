//! The portal as a real server process, driven from outside over HTTP:
//! what an operator, a trainer or an acceptance run sees.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::cli::{dongari, run_with_input};
use crate::helpers::PASSWORD;

/// `dongari serve` on a free loopback port, killed when dropped.
struct LiveServer {
    child: Child,
    bind: String,
}

impl LiveServer {
    fn start(dir: &Path, as_of: &str) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let bind = format!("127.0.0.1:{port}");
        let child = dongari(
            dir,
            &["serve", "--bind", &bind, "--as-of", as_of],
            &[("DONGARI__JOBS__ENABLED", "false")],
        )
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
        let server = Self { child, bind };
        let started = Instant::now();
        while server.try_request("GET", "/healthz", None, None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        server
    }

    fn try_request(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> std::io::Result<(u16, Value)> {
        let mut stream = TcpStream::connect(&self.bind)?;
        let body = body.map(Value::to_string).unwrap_or_default();
        let auth = token
            .map(|t| format!("Authorization: Bearer {t}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.0\r\nHost: localhost\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
        let mut text = String::new();
        stream.read_to_string(&mut text)?;
        let status = text
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("no status in {text:?}")))?;
        let json = text
            .split_once("\r\n\r\n")
            .and_then(|(_, b)| serde_json::from_str(b).ok())
            .unwrap_or(Value::Null);
        Ok((status, json))
    }

    fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        self.try_request(method, path, token, body.as_ref())
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    fn login(&self, employee_no: &str) -> String {
        let (status, body) = self.call(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({ "employee_no": employee_no, "password": PASSWORD })),
        );
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_string()
    }
}

impl Drop for LiveServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn add_user(dir: &Path, employee_no: &str, role: &str) {
    let email = format!("{employee_no}@junggu.example.go.kr");
    let out = run_with_input(
        dir,
        &[
            "user",
            "add",
            "--employee-no",
            employee_no,
            "--name",
            "김동아",
            "--email",
            &email,
            "--role",
            role,
            "--password-stdin",
        ],
        &[],
        &format!("{PASSWORD}\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A server started at 23:59:59 on 5 December takes November's report as
/// on time; one started at 00:00:00 on the 6th takes it as late.
#[test]
fn the_operator_clock_decides_on_time_and_late() {
    let dir = tempfile::tempdir().unwrap();
    add_user(dir.path(), "9000001", "admin");
    add_user(dir.path(), "2015001", "member");
    add_user(dir.path(), "2015002", "member");

    // In November an administrator sets up two clubs.
    let clubs: Vec<String> = {
        let server = LiveServer::start(dir.path(), "2026-11-02 10:00");
        let admin = server.login("9000001");
        ["2015001", "2015002"]
            .iter()
            .enumerate()
            .map(|(i, president)| {
                let (status, body) = server.call(
                    "POST",
                    "/api/v1/clubs",
                    Some(&admin),
                    Some(json!({ "name": format!("연구회 {i}"), "kind": "integrated", "field": "budget",
                                 "description": "세출 분석", "president_employee_no": president })),
                );
                assert_eq!(status, 201, "{body}");
                body["id"].as_str().unwrap().to_string()
            })
            .collect()
    };

    // Each president logs in and writes the draft a minute before, so that
    // the server started at the deadline's last second has only the
    // submission itself to answer (a login's password hash alone can take
    // a second in a debug build on a busy machine).
    let drafts: Vec<String> = {
        let server = LiveServer::start(dir.path(), "2026-12-05 23:59:00");
        ["2015001", "2015002"]
            .iter()
            .zip(&clubs)
            .map(|(president, club)| {
                let token = server.login(president);
                let (status, body) = server.call(
                    "PUT",
                    &format!("/api/v1/clubs/{club}/reports/2026-11"),
                    Some(&token),
                    Some(json!({ "narrative": "11월 활동" })),
                );
                assert_eq!(status, 200, "{body}");
                token
            })
            .collect()
    };
    let submit = |server: &LiveServer, token: &str, club: &str| {
        let (status, body) = server.call(
            "POST",
            &format!("/api/v1/clubs/{club}/reports/2026-11/submit"),
            Some(token),
            Some(json!({})),
        );
        assert_eq!(status, 200, "{body}");
        body
    };

    let on_time = {
        let server = LiveServer::start(dir.path(), "2026-12-05 23:59:59");
        submit(&server, &drafts[0], &clubs[0])
    };
    assert_eq!(on_time["late"], false, "{on_time}");
    assert!(
        on_time["submitted_at"]
            .as_str()
            .is_some_and(|s| s.starts_with("2026-12-05T23:59:59")),
        "{on_time}"
    );

    let server = LiveServer::start(dir.path(), "2026-12-06 00:00:00");
    let late = submit(&server, &drafts[1], &clubs[1]);
    assert_eq!(late["late"], true, "{late}");
    // The first club's submission stays on time on the later server.
    let token = server.login("2015001");
    let (_, report) = server.call(
        "GET",
        &format!("/api/v1/clubs/{}/reports/2026-11", clubs[0]),
        Some(&token),
        None,
    );
    assert_eq!(report["late"], false, "{report}");
}

#[test]
fn production_refuses_an_operator_clock() {
    let dir = tempfile::tempdir().unwrap();
    let out = dongari(
        dir.path(),
        &["serve", "--as-of", "2026-12-05 23:59:59"],
        &[
            ("DONGARI__PROFILE", "production"),
            (
                "DONGARI__AUTH__JWT_SECRET",
                "0f9e8d7c6b5a49382716a5b4c3d2e1f00f9e8d7c",
            ),
        ],
    )
    .output()
    .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("production refuses it"));
}
