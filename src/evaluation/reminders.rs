//! Reminders before an evaluation window closes: to presidents whose club
//! has not submitted its results report, and to evaluators with clubs left
//! to score. Each goes out once per round and person or club, even when
//! the jobs run twice or on two instances.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use tera::Tera;

use super::model::{self, Round};
use super::service::notify;
use crate::clubs::model as clubs;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::format::seoul_datetime;
use crate::mail::outbox;

fn closing_soon(
    from: NaiveDateTime,
    until: NaiveDateTime,
    lead: Duration,
    now: NaiveDateTime,
) -> bool {
    from <= now && now <= until && until - lead <= now
}

/// Queues the reminders due at `now`; returns how many mails were queued.
pub fn queue_reminders(
    conn: &mut DbConn,
    tera: &Tera,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let now = now.naive_utc();
    let base = settings.mail.base_url.trim_end_matches('/');
    let mut queued = 0;
    for round in model::unconfirmed_rounds(conn)? {
        let rules = crate::org::policy::of(conn, settings, &round.organization_id)?.evaluation;
        let lead = Duration::days(rules.remind_days_before);
        let link = format!("{base}/evaluation/{}", round.id);
        if closing_soon(round.submit_from, round.submit_until, lead, now) {
            queued += remind_presidents(conn, tera, &round, &link, now)?;
        }
        if closing_soon(round.score_from, round.score_until, lead, now) {
            queued += remind_evaluators(conn, tera, &round, &link, now)?;
        }
    }
    Ok(queued)
}

fn remind_presidents(
    conn: &mut DbConn,
    tera: &Tera,
    round: &Round,
    link: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let submitted: HashSet<String> = model::reports_of_round(conn, &round.id)?
        .into_iter()
        .map(|r| r.club_id)
        .collect();
    let waiting: Vec<String> = clubs::active_clubs(conn, &round.organization_id)?
        .into_iter()
        .map(|(id, _)| id)
        .filter(|id| !submitted.contains(id))
        .collect();
    let mut queued = 0;
    for (club_id, name, email) in clubs::president_contacts(conn, &waiting)? {
        let key = outbox::OnceKey {
            kind: "results_due",
            period: &round.id,
            subject: &club_id,
        };
        queued += outbox::send_once(conn, key, now, |conn| {
            let subject = format!("[동아리] {} — 성과보고서 제출 마감 안내", round.title);
            let line = format!(
                "동아리의 연구 성과보고서가 아직 제출되지 않았습니다. {}까지 제출해 주세요.",
                seoul_datetime(round.submit_until)
            );
            notify(conn, tera, &email, &name, now, &subject, &[line], link)?;
            Ok(1)
        })?;
    }
    Ok(queued)
}

fn remind_evaluators(
    conn: &mut DbConn,
    tera: &Tera,
    round: &Round,
    link: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut left: HashMap<String, usize> = HashMap::new();
    for a in model::live_assignments(conn, &round.id)? {
        if a.scored_at.is_none() {
            *left.entry(a.evaluator_id).or_default() += 1;
        }
    }
    let mut queued = 0;
    for (id, _, name, email) in model::evaluators_of(conn, &round.id)? {
        let Some(count) = left.get(&id).copied() else {
            continue;
        };
        let key = outbox::OnceKey {
            kind: "scoring_due",
            period: &round.id,
            subject: &id,
        };
        queued += outbox::send_once(conn, key, now, |conn| {
            let subject = format!("[동아리] {} — 채점 마감 안내", round.title);
            let line = format!(
                "채점하지 않은 동아리가 {count}곳 있습니다. {}까지 채점해 주세요.",
                seoul_datetime(round.score_until)
            );
            notify(conn, tera, &email, &name, now, &subject, &[line], link)?;
            Ok(1)
        })?;
    }
    Ok(queued)
}
