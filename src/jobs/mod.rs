//! Background work, run once by `dongari jobs run [--as-of]` and on a
//! schedule by `dongari serve`: the deadline sweep, the monthly-report and
//! evaluation reminders, and mail delivery. Every step is safe to run twice, and on several instances
//! against one PostgreSQL.

use chrono::{DateTime, Utc};
use serde::Serialize;
use tera::Tera;

use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::mail::{outbox, Mailer};
use crate::reports::{reminders, service as reports};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct JobReport {
    pub marked_missing: usize,
    pub reminders_queued: usize,
    pub mails_sent: usize,
    pub mails_retrying: usize,
    pub mails_failed: usize,
}

/// Runs every job once for the instant `now`.
pub fn run_once(
    conn: &mut DbConn,
    tera: &Tera,
    settings: &Settings,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> AppResult<JobReport> {
    let marked_missing = reports::sweep_missing(conn, &settings.reports, now)?;
    let reminders_queued = reminders::queue_reminders(conn, tera, settings, now)?
        + crate::evaluation::reminders::queue_reminders(conn, tera, settings, now)?;
    let mut report = deliver(conn, settings, mailer, now)?;
    report.marked_missing = marked_missing;
    report.reminders_queued = reminders_queued;
    Ok(report)
}

/// Sends what the outbox holds that is due; a mail counts as sent only
/// once the transport accepted it.
pub fn deliver(
    conn: &mut DbConn,
    settings: &Settings,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> AppResult<JobReport> {
    let mut report = JobReport::default();
    let now = now.naive_utc();
    for mail in outbox::due(conn, now, 200)? {
        if !outbox::claim(conn, &mail, now)? {
            continue; // another instance has it
        }
        match mailer.send(
            &mail.to_address,
            &mail.to_name,
            &mail.subject,
            &mail.body_text,
            &mail.body_html,
        ) {
            Ok(()) => {
                outbox::mark_sent(conn, &mail.id, now)?;
                report.mails_sent += 1;
            }
            Err(error) => {
                tracing::warn!(mail_id = %mail.id, %error, attempt = mail.attempts + 1, "mail delivery failed");
                if outbox::mark_failed_attempt(
                    conn,
                    &mail,
                    &error,
                    settings.mail.max_attempts,
                    now,
                )? {
                    report.mails_failed += 1;
                } else {
                    report.mails_retrying += 1;
                }
            }
        }
    }
    Ok(report)
}
