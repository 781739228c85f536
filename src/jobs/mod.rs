//! Background work, run once by `dongari jobs run [--as-of]` and on a
//! schedule by `dongari serve`: the deadline sweep, the monthly-report and
//! evaluation reminders, the announcement of confirmed evaluation results,
//! and mail delivery. Every step is safe to run twice, and on several instances
//! against one PostgreSQL.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Settings;
use crate::db::{self, DbConn};
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::mail::{outbox, Mailer};
use crate::reports::{reminders, service as reports};

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize)]
pub struct JobReport {
    /// Another instance was running the jobs: this one did nothing.
    pub skipped: bool,
    pub marked_missing: usize,
    pub reminders_queued: usize,
    pub mails_sent: usize,
    pub mails_retrying: usize,
    pub mails_failed: usize,
    /// People whose place in last month's top N earned vouchers.
    pub leaderboard_vouchers: usize,
    /// People whose old vouchers expired; people told of expiring ones.
    pub vouchers_expired: usize,
    pub expiry_notices: usize,
    /// Badges the daily sweep gave (mileage, the year's hours target).
    pub badges_awarded: usize,
    /// New badges told to their recipients by mail.
    pub badge_notices: usize,
}

/// Mail handed to the transport per query of the outbox.
const DELIVERY_BATCH: i64 = 200;
/// Batches per run: a backlog of thousands leaves in one run, and a run
/// still ends.
const DELIVERY_MAX_BATCHES: usize = 100;

/// Runs every job once for the instant `now`, unless another instance is
/// running them at this moment (then the report says `skipped`).
pub fn run_once(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> AppResult<JobReport> {
    if !db::try_lead_jobs(conn)? {
        return Ok(JobReport {
            skipped: true,
            ..JobReport::default()
        });
    }
    let result = run_steps(conn, templates, settings, mailer, now);
    db::stop_leading_jobs(conn)?;
    result
}

fn run_steps(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> AppResult<JobReport> {
    let marked_missing = reports::sweep_missing(conn, settings, now)?;
    let reminders_queued = reminders::queue_reminders(conn, templates, settings, now)?
        + crate::evaluation::reminders::queue_reminders(conn, templates, settings, now)?
        + crate::evaluation::reminders::announce_results(conn, templates, settings, now)?;
    let (today, naive) = (
        now.with_timezone(&crate::clock::seoul()).date_naive(),
        now.naive_utc(),
    );
    let (mut leaderboard_vouchers, mut vouchers_expired, mut expiry_notices) = (0, 0, 0);
    let (mut badges_awarded, mut badge_notices) = (0, 0);
    for office in crate::org::model::organizations(conn)? {
        leaderboard_vouchers += crate::leaderboard::monthly::award_last_month(
            conn, settings, &office.id, today, naive,
        )?;
        let expiry =
            crate::vouchers::expiry::run(conn, templates, settings, &office.id, today, naive)?;
        vouchers_expired += expiry.expired_people;
        expiry_notices += expiry.told_people;
        badges_awarded +=
            crate::badges::rules::daily_sweep(conn, settings, &office.id, today, naive)?;
        badge_notices +=
            crate::badges::notices::announce(conn, templates, settings, &office.id, naive)?;
    }
    let mut report = deliver(conn, settings, mailer, now)?;
    report.marked_missing = marked_missing;
    report.reminders_queued = reminders_queued;
    report.leaderboard_vouchers = leaderboard_vouchers;
    report.vouchers_expired = vouchers_expired;
    report.expiry_notices = expiry_notices;
    report.badges_awarded = badges_awarded;
    report.badge_notices = badge_notices;
    db::refresh_statistics(conn)?;
    Ok(report)
}

/// Sends what the outbox holds that is due, batch after batch, over the
/// transport's pooled connection; a mail counts as sent only once the
/// transport accepted it. A batch is claimed in one transaction and its
/// outcomes recorded in another, not two commits per mail.
pub fn deliver(
    conn: &mut DbConn,
    settings: &Settings,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> AppResult<JobReport> {
    let mut report = JobReport::default();
    let now = now.naive_utc();
    for _ in 0..DELIVERY_MAX_BATCHES {
        let batch = outbox::due(conn, now, DELIVERY_BATCH)?;
        if batch.is_empty() {
            break;
        }
        // Every mail of the batch leaves the due set (sent, leased or backed
        // off), so the next batch is new. A mail another instance claimed
        // first is not ours to send.
        let claimed = db::write_tx(conn, |conn| -> AppResult<Vec<outbox::OutboxMail>> {
            let mut claimed = Vec::with_capacity(batch.len());
            for mail in batch {
                if outbox::claim(conn, &mail, now)? {
                    claimed.push(mail);
                }
            }
            Ok(claimed)
        })?;
        let outcomes: Vec<_> = claimed
            .iter()
            .map(|mail| {
                let sent = mailer.send(
                    &mail.to_address,
                    &mail.to_name,
                    &mail.subject,
                    &mail.body_text,
                    &mail.body_html,
                );
                (mail, sent)
            })
            .collect();
        db::write_tx(conn, |conn| -> AppResult<()> {
            for (mail, sent) in &outcomes {
                record_outcome(conn, settings, mail, sent, now, &mut report)?;
            }
            Ok(())
        })?;
    }
    Ok(report)
}

fn record_outcome(
    conn: &mut DbConn,
    settings: &Settings,
    mail: &outbox::OutboxMail,
    sent: &Result<(), String>,
    now: chrono::NaiveDateTime,
    report: &mut JobReport,
) -> AppResult<()> {
    match sent {
        Ok(()) => {
            outbox::mark_sent(conn, &mail.id, now)?;
            report.mails_sent += 1;
        }
        Err(error) => {
            tracing::warn!(mail_id = %mail.id, %error, attempt = mail.attempts + 1, "mail delivery failed");
            let max = settings.mail.max_attempts;
            if outbox::mark_failed_attempt(conn, mail, error, max, now)? {
                report.mails_failed += 1;
            } else {
                report.mails_retrying += 1;
            }
        }
    }
    Ok(())
}
