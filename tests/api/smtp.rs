//! Mail delivery through a real SMTP server on loopback (Python's aiosmtpd,
//! which CI installs; skipped, and said so, where it is missing).

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use dongari::mail::outbox;

use crate::helpers::{Backend, TestApp};

fn aiosmtpd_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var("DONGARI_REQUIRE_SMTP").is_ok_and(|v| v == "1") {
            panic!("DONGARI_REQUIRE_SMTP=1 but python3 cannot import aiosmtpd");
        }
        let _ = writeln!(
            std::io::stderr(),
            "\nNOTE: python3 -m aiosmtpd is not available: the real-SMTP delivery test is SKIPPED (pip install aiosmtpd to run it).\n"
        );
    }
    ok
}

struct SmtpServer(Child);

impl SmtpServer {
    /// Listens on 127.0.0.1:port and writes each message into `maildir`.
    fn start(port: u16, maildir: &Path) -> Self {
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(maildir.join(sub)).unwrap();
        }
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("aiosmtpd starts");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        SmtpServer(child)
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// (to, subject, text body) of each message in the maildir, decoded by Python's email package.
fn received(maildir: &Path) -> Vec<(String, String, String)> {
    let script = r#"
import email, email.policy, json, mailbox, sys
out = []
for m in mailbox.Maildir(sys.argv[1], factory=None):
    msg = email.message_from_bytes(m.as_bytes(), policy=email.policy.default)
    out.append([str(msg["To"]), str(msg["Subject"]), msg.get_body(preferencelist=("plain",)).get_content()])
print(json.dumps(out))
"#;
    let output = Command::new("python3")
        .args(["-c", script])
        .arg(maildir)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("json")
}

#[actix_web::test]
async fn mail_waits_while_the_server_is_down_and_goes_out_once_when_it_is_back() {
    if !aiosmtpd_available() {
        return;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let port_text = port.to_string();
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[
            ("DONGARI__MAIL__TRANSPORT", "smtp"),
            ("DONGARI__MAIL__SMTP_HOST", "127.0.0.1"),
            ("DONGARI__MAIL__SMTP_PORT", &port_text),
            ("DONGARI__MAIL__SMTP_SECURITY", "none"),
        ],
    )
    .await;
    let president = app.employee("2015001").name("김회장").create();
    app.club("민원혁신 연구회", &president)
        .formed(chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())
        .create();
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-01T09:00:00+09:00")
            .unwrap()
            .into(),
    );

    // Nothing listens yet: the reminder is queued and stays queued.
    let down = app.run_jobs();
    assert_eq!(
        (down.reminders_queued, down.mails_sent, down.mails_retrying),
        (1, 0, 1),
        "{down:?}"
    );
    let queued = app.db(|c| outbox::all(c).unwrap());
    assert_eq!(
        (queued[0].status.as_str(), queued[0].attempts),
        ("pending", 1)
    );
    assert!(queued[0]
        .last_error
        .as_deref()
        .unwrap_or("")
        .contains("smtp"));

    let maildir = tempfile::tempdir().unwrap();
    let _server = SmtpServer::start(port, maildir.path());
    // Not yet: the retry waits for its backoff (1 minute).
    assert_eq!(app.run_jobs().mails_sent, 0);
    app.clock.advance(chrono::Duration::minutes(2));
    let up = app.run_jobs();
    assert_eq!(
        up.mails_sent,
        1,
        "{up:?} {:?}",
        app.db(|c| outbox::all(c).unwrap())
    );
    app.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(app.run_jobs().mails_sent, 0, "exactly once");

    let got = received(maildir.path());
    assert_eq!(got.len(), 1, "{got:?}");
    let (to, subject, text) = &got[0];
    assert!(to.contains("2015001@junggu.example.go.kr"), "{to}");
    assert_eq!(
        subject,
        "[동아리] 민원혁신 연구회 2026년 11월 활동보고서 제출 안내 (2026년 12월 5일 23:59까지)"
    );
    assert!(
        text.contains("김회장님, 안녕하세요.") && text.contains("월별 활동보고서"),
        "{text}"
    );
    let sent = app.db(|c| outbox::all(c).unwrap());
    assert_eq!((sent[0].status.as_str(), sent[0].attempts), ("sent", 2));
}
