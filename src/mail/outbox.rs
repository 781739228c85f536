//! The outbox: mail waiting to be delivered, claimed with a lease so that
//! several instances never send the same mail twice, retried with backoff.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use tera::Context;

use crate::db::schema::{outbox, reminders};
use crate::db::{new_id, Bind, DbConn, FixedStatement};
use crate::error::{AppError, AppResult};
use crate::i18n::templates::Templates;
use crate::i18n::{self, Lang};

/// How long a claimed mail stays with the instance sending it.
const LEASE_MINUTES: i64 = 10;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = outbox)]
pub struct OutboxMail {
    pub id: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// Who a mail goes to, and the language they read.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub lang: Lang,
}

impl<'a> Recipient<'a> {
    /// `language` as stored with the person (`ko`, `en`).
    pub fn new(email: &'a str, name: &'a str, language: &str) -> Self {
        Recipient {
            email,
            name,
            lang: Lang::of(language),
        }
    }
}

/// Renders `mail/{template}.txt` (first line: the subject) and
/// `mail/{template}.html` in the recipient's language, and queues the
/// mail. Call it inside the transaction of the event that causes it.
pub fn enqueue(
    conn: &mut DbConn,
    templates: &Templates,
    template: &str,
    ctx: &Context,
    to: &Recipient,
    now: NaiveDateTime,
) -> AppResult<String> {
    let mut ctx = ctx.clone();
    ctx.insert("lang", to.lang.code());
    let (text, html) = i18n::within(to.lang, || {
        Ok::<_, tera::Error>((
            templates.render(&format!("mail/{template}.txt"), &ctx)?,
            templates.render(&format!("mail/{template}.html"), &ctx)?,
        ))
    })?;
    let (subject, body) = text.split_once('\n').ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("mail/{template}.txt has no subject line"))
    })?;
    let id = new_id();
    diesel::insert_into(outbox::table)
        .values((
            outbox::id.eq(&id),
            outbox::to_address.eq(to.email),
            outbox::to_name.eq(to.name),
            outbox::subject.eq(subject.trim()),
            outbox::body_text.eq(body.trim_start()),
            outbox::body_html.eq(html),
            outbox::status.eq("pending"),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Queues a plain notice (`mail/notice`): a subject, a greeting by name,
/// paragraphs and a link into the portal. The subject and paragraphs are
/// written in Korean; an English reader gets them from the catalog.
pub fn notice(
    conn: &mut DbConn,
    templates: &Templates,
    to: &Recipient,
    now: NaiveDateTime,
    subject: &str,
    paragraphs: &[String],
    link: &str,
) -> AppResult<()> {
    let paragraphs: Vec<String> = paragraphs
        .iter()
        .map(|p| i18n::message(to.lang, p))
        .collect();
    let mut ctx = Context::new();
    ctx.insert("subject", &i18n::message(to.lang, subject));
    ctx.insert("name", to.name);
    ctx.insert("paragraphs", &paragraphs);
    ctx.insert("link", link);
    enqueue(conn, templates, "notice", &ctx, to, now)?;
    Ok(())
}

/// Mail ready to go: pending and due, or claimed by an instance whose lease ran out.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<OutboxMail>> {
    outbox::table
        .filter(outbox::status.eq_any(["pending", "sending"]))
        .filter(outbox::next_attempt_at.le(now))
        .order(outbox::next_attempt_at.asc())
        .limit(limit)
        .select(OutboxMail::as_select())
        .load(conn)
}

/// Takes a mail for sending; false when another instance took it first.
pub fn claim(conn: &mut DbConn, mail: &OutboxMail, now: NaiveDateTime) -> QueryResult<bool> {
    let claimed = Claim::with(&[
        Bind::Timestamp(now + Duration::minutes(LEASE_MINUTES)),
        Bind::Text(&mail.id),
        Bind::Text(&mail.status),
        Bind::Timestamp(mail.next_attempt_at),
    ])
    .run(conn)?;
    Ok(claimed == 1)
}

// Fixed statements: a backlog of thousands is claimed and marked one by one.
crate::fixed_statement!(
    Claim = "UPDATE outbox SET status = 'sending', next_attempt_at = ? \
        WHERE id = ? AND status = ? AND next_attempt_at = ?"
);

pub fn mark_sent(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    MarkSent::with(&[Bind::Timestamp(now), Bind::Text(id)]).run(conn)?;
    Ok(())
}

crate::fixed_statement!(
    MarkSent =
        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?"
);

/// Minutes to wait after the n-th failed attempt: 1, 2, 4, … capped at 6 h.
pub fn backoff_minutes(attempts: i32) -> i64 {
    (1i64 << attempts.clamp(1, 20).saturating_sub(1)).min(6 * 60)
}

/// Records a failed attempt: retried later, or given up after `max_attempts`.
pub fn mark_failed_attempt(
    conn: &mut DbConn,
    mail: &OutboxMail,
    error: &str,
    max_attempts: i32,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let attempts = mail.attempts + 1;
    let gave_up = attempts >= max_attempts;
    diesel::update(outbox::table.find(&mail.id))
        .set((
            outbox::status.eq(if gave_up { "failed" } else { "pending" }),
            outbox::attempts.eq(attempts),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(now + Duration::minutes(backoff_minutes(attempts))),
        ))
        .execute(conn)?;
    Ok(gave_up)
}

pub fn all(conn: &mut DbConn) -> QueryResult<Vec<OutboxMail>> {
    outbox::table
        .order(outbox::created_at.asc())
        .select(OutboxMail::as_select())
        .load(conn)
}

/// What a once-only mail is about: its kind (`overdue`, `results_due`, …),
/// the period (a month or a round) and the subject (a club, a department,
/// an evaluator).
pub struct OnceKey<'a> {
    pub kind: &'a str,
    pub period: &'a str,
    pub subject: &'a str,
}

/// Queues mail at most once per key: records the key and runs `queue`
/// (which writes the mails) in one write transaction. A key recorded
/// before — by an earlier run, or by another instance at the same moment —
/// means "already sent": nothing is queued and the answer is 0.
pub fn send_once(
    conn: &mut DbConn,
    key: OnceKey<'_>,
    now: NaiveDateTime,
    queue: impl FnOnce(&mut DbConn) -> AppResult<usize>,
) -> AppResult<usize> {
    use reminders::dsl as r;
    crate::db::write_tx(conn, |conn| {
        let recorded = crate::on_backend!(&mut *conn, |c| diesel::insert_into(r::reminders)
            .values((
                r::id.eq(new_id()),
                r::kind.eq(key.kind),
                r::month.eq(key.period),
                r::subject_id.eq(key.subject),
                r::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .execute(c))?;
        if recorded == 0 {
            return Ok(0);
        }
        queue(conn)
    })
}

/// The subjects already recorded under `kind` for `period`: a run skips
/// them without a write transaction each (`send_once` still guards a race).
pub fn recorded_subjects(
    conn: &mut DbConn,
    kind: &str,
    period: &str,
) -> QueryResult<std::collections::HashSet<String>> {
    use reminders::dsl as r;
    Ok(r::reminders
        .filter(r::kind.eq(kind))
        .filter(r::month.eq(period))
        .select(r::subject_id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn backoff_doubles_and_is_capped() {
        let waits: Vec<i64> = (1..=12).map(super::backoff_minutes).collect();
        assert_eq!(&waits[..5], &[1, 2, 4, 8, 16]);
        assert_eq!(waits[11], 360);
    }
}
