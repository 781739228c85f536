//! The `dongari` binary as an administrator runs it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{project_dir, write_file};

pub fn dongari(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dongari"));
    cmd.current_dir(dir)
        .args(args)
        .env(
            "DONGARI__WEB__TEMPLATES_DIR",
            project_dir().join("templates"),
        )
        .env("DONGARI__WEB__ASSETS_DIR", project_dir().join("assets"))
        .env("DONGARI__LOG__LEVEL", "warn")
        .env_remove("RUST_LOG")
        .env_remove("DONGARI__DATABASE__URL")
        .env_remove("DONGARI__PROFILE")
        .env_remove("DONGARI__AUTH__JWT_SECRET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    dongari(dir, args, env).output().expect("dongari runs")
}

/// Runs `dongari` with `input` on its standard input (a password).
pub fn run_with_input(dir: &Path, args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut child = dongari(dir, args, env)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dongari runs");
    child
        .stdin
        .take()
        .expect("a standard input")
        .write_all(input.as_bytes())
        .expect("the input is written");
    child.wait_with_output().expect("dongari ends")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// No signing secret ships with the program: production refuses to serve
/// without a configured or provisioned one; development generates one on
/// first start, owner-only, and keeps it.
#[test]
fn production_refuses_to_serve_without_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["serve", "--bind", "127.0.0.1:0"],
        &[("DONGARI__PROFILE", "production")],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("refusing to start in production without a signing secret"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("data/jwt_secret").exists());
    let out = run(
        dir.path(),
        &["serve"],
        &[
            ("DONGARI__PROFILE", "production"),
            ("DONGARI__AUTH__JWT_SECRET", "too-short"),
        ],
    );
    assert!(stderr(&out).contains("auth.jwt_secret"), "{}", stderr(&out));
    let ok = run(
        dir.path(),
        &["migrate"],
        &[
            ("DONGARI__PROFILE", "production"),
            (
                "DONGARI__AUTH__JWT_SECRET",
                "0f9e8d7c6b5a49382716a5b4c3d2e1f00f9e8d7c",
            ),
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
}

#[test]
fn an_unknown_database_scheme_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["migrate"],
        &[("DONGARI__DATABASE__URL", "mysql://localhost/dongari")],
    );
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("unsupported database URL scheme \"mysql\""),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file was created"
    );
}

#[test]
fn a_config_file_and_env_vars_layer_over_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_file(
        dir.path(),
        "site.toml",
        b"[database]\nurl = \"sqlite://from-file.db\"\n",
    );
    let out = run(
        dir.path(),
        &["--config", file.to_str().unwrap(), "migrate"],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.path().join("from-file.db").is_file());
    let out = run(
        dir.path(),
        &["--config", file.to_str().unwrap(), "migrate"],
        &[("DONGARI__DATABASE__URL", "sqlite://from-env.db")],
    );
    assert!(out.status.success());
    assert!(dir.path().join("from-env.db").is_file());
    let local = dir.path().join("config");
    std::fs::create_dir(&local).unwrap();
    write_file(
        &local,
        "local.toml",
        b"[database]\nurl = \"sqlite://from-local.db\"\n",
    );
    assert!(run(dir.path(), &["migrate"], &[]).status.success());
    assert!(dir.path().join("from-local.db").is_file());
}

#[test]
fn user_add_prints_a_generated_password_once_and_refuses_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "user",
        "add",
        "--employee-no",
        "9000001",
        "--name",
        "박총무",
        "--email",
        "admin@junggu.go.kr",
        "--role",
        "admin",
        "--grade",
        "6",
    ];
    let out = run(dir.path(), &args, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("added 9000001 박총무 (member, admin)"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("password (shown once): "));
    let again = run(dir.path(), &args, &[]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"));

    let bad = run(
        dir.path(),
        &[
            "user",
            "add",
            "--employee-no",
            "x y",
            "--name",
            "",
            "--email",
            "nope",
            "--grade",
            "10",
        ],
        &[],
    );
    assert!(!bad.status.success());
    for field in ["employee_no", "name", "email", "grade"] {
        assert!(
            stderr(&bad).contains(field),
            "{field} named in {}",
            stderr(&bad)
        );
    }

    let out = run_with_input(
        dir.path(),
        &[
            "user",
            "add",
            "--employee-no",
            "2015001",
            "--name",
            "김민준",
            "--email",
            "m@junggu.go.kr",
            "--password-stdin",
        ],
        &[],
        "Chosen-password-1\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("password (shown once)"));
}

#[test]
fn import_reports_bad_lines_and_imports_nothing_then_imports_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let departments = write_file(
        dir.path(),
        "departments.csv",
        "code,name,parent_code\n2000,행정관리국,\n2010,총무과,2000\n".as_bytes(),
    );
    let out = run(
        dir.path(),
        &["import", "departments", departments.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let bad = write_file(
        dir.path(),
        "bad.csv",
        "employee_no,name,email,department_code,grade,job_family\n2015001,김민준,a@junggu.go.kr,2010,7,행정\n2015002,이서연,b@junggu.go.kr,2010,0,행정\n".as_bytes(),
    );
    let out = run(
        dir.path(),
        &["import", "employees", bad.to_str().unwrap()],
        &[],
    );
    assert!(!out.status.success());
    assert!(stderr(&out).contains("line 3: grade:"), "{}", stderr(&out));
    assert!(stderr(&out).contains("nothing was imported"));

    let good = write_file(
        dir.path(),
        "good.csv",
        "\u{feff}employee_no,name,email,department_code,grade,job_family\n2015001,김민준,a@junggu.go.kr,2010,7,행정\n".as_bytes(),
    );
    let out = run(
        dir.path(),
        &["import", "employees", good.to_str().unwrap()],
        &[],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 created"));
}

/// `dongari serve` on a fresh folder creates the SQLite database under
/// data/ and answers health checks; `--bind` chooses the address.
#[test]
fn serve_creates_the_database_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = dongari(dir.path(), &["serve", "--bind", &bind], &[])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let response = loop {
        if let Ok(mut stream) = TcpStream::connect(&bind) {
            stream
                .write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
                .unwrap();
            let mut text = String::new();
            stream.read_to_string(&mut text).unwrap();
            break text;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!(
                "server did not start: {}",
                stderr(&child.wait_with_output().unwrap())
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        response.starts_with("HTTP/1.0 200") || response.starts_with("HTTP/1.1 200"),
        "{response}"
    );
    assert!(response.contains(r#""database":"sqlite""#));
    assert!(dir.path().join("data/dongari.db").is_file());
}

/// `dongari ledger verify` passes on a sound ledger and, when a row was
/// edited with the database's own tools, exits non-zero naming it.
#[test]
fn ledger_verify_names_a_row_edited_behind_its_back() {
    use diesel::connection::SimpleConnection;
    use dongari::db::{self, DatabaseUrl};
    use dongari::ledger::{self, AccountRef, Leg, Owner, Posting, Source, SystemPurpose, Unit};

    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["migrate"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let url = format!("sqlite://{}", dir.path().join("data/dongari.db").display());
    let pool = db::connect(&DatabaseUrl::parse(&url).unwrap(), 1).unwrap();
    let conn = &mut pool.get().unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    let account = |owner| AccountRef {
        owner,
        unit: Unit::Minutes,
    };
    ledger::post(
        conn,
        Posting {
            idempotency_key: "hr-import:line-2".into(),
            source: Source::HrImport,
            source_ref: Some("hr.csv".into()),
            counts_for: day,
            rule_version: None,
            actor_id: None,
            reason: None,
            legs: vec![
                Leg {
                    account: account(Owner::System {
                        purpose: SystemPurpose::HoursIssuer,
                        organization_id: "org".into(),
                    }),
                    amount: -180,
                },
                Leg {
                    account: account(Owner::Employee("e1".into())),
                    amount: 180,
                },
            ],
            details: vec![],
            learning: None,
        },
        day.and_hms_opt(9, 0, 0).unwrap(),
    )
    .unwrap();

    let out = run(dir.path(), &["ledger", "verify"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ledger verified: 2 entries in 1 movements, 2 accounts"),
        "{}",
        stdout(&out)
    );

    conn.batch_execute(
        "DROP TRIGGER ledger_entries_no_update; UPDATE ledger_entries SET amount = 1800 WHERE seq = 2;",
    )
    .unwrap();
    let out = run(dir.path(), &["ledger", "verify"], &[]);
    assert!(!out.status.success());
    assert!(
        stdout(&out).contains("violation: entry 2: its content does not match its hash"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("violation(s)"), "{}", stderr(&out));
}

/// The demo gives its badges by rule and by hand; a backfill afterwards
/// finds nothing new, and the ledger (badges' vouchers included) verifies.
#[test]
fn the_demo_s_badges_are_backfilled_once() {
    let dir = tempfile::tempdir().unwrap();
    let demo = run(dir.path(), &["demo"], &[]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    assert!(stdout(&demo).contains("배지 4종"), "{}", stdout(&demo));
    let again = run(dir.path(), &["badges", "backfill"], &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    let said = stdout(&again);
    assert!(said.contains("정기 모임 개근: 0 new award(s)"), "{said}");
    assert!(said.contains("우수 학습동아리: 0 new award(s)"), "{said}");
    let verify = run(dir.path(), &["ledger", "verify"], &[]);
    assert!(verify.status.success(), "{}", stdout(&verify));
}
