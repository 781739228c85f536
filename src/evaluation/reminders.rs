//! Reminders before an evaluation window closes: to presidents whose club
//! has not submitted its results report, and to evaluators with clubs left
//! to score; and the announcement of a confirmed round's results. Each goes
//! out once per round and person or club, even when the jobs run twice or
//! on two instances.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDateTime, Utc};

use super::model::{self, Round};
use crate::clubs::model as clubs;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::format::seoul_datetime;
use crate::i18n::templates::Templates;
use crate::mail::outbox;
use crate::org::policy::PrizeTier;

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
    templates: &Templates,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let now = now.naive_utc();
    let mut queued = 0;
    for round in model::unconfirmed_rounds(conn)? {
        let rules = crate::org::policy::of(conn, settings, &round.organization_id)?.evaluation;
        let lead = Duration::days(rules.remind_days_before);
        let link = settings.mail.link(&format!("/evaluation/{}", round.id));
        if closing_soon(round.submit_from, round.submit_until, lead, now) {
            queued += remind_presidents(conn, templates, &round, &link, now)?;
        }
        if closing_soon(round.score_from, round.score_until, lead, now) {
            queued += remind_evaluators(conn, templates, &round, &link, now)?;
        }
    }
    Ok(queued)
}

fn remind_presidents(
    conn: &mut DbConn,
    templates: &Templates,
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
    for (club_id, name, email, language) in clubs::president_contacts(conn, &waiting)? {
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
            let to = outbox::Recipient::new(&email, &name, &language);
            outbox::notice(conn, templates, &to, now, &subject, &[line], link)?;
            Ok(1)
        })?;
    }
    Ok(queued)
}

fn remind_evaluators(
    conn: &mut DbConn,
    templates: &Templates,
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
    for (id, _, name, email, language) in model::evaluators_of(conn, &round.id)? {
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
            let to = outbox::Recipient::new(&email, &name, &language);
            outbox::notice(conn, templates, &to, now, &subject, &[line], link)?;
            Ok(1)
        })?;
    }
    Ok(queued)
}

/// What marks a round's results as announced (migration 12 marks the
/// rounds confirmed before announcements moved here).
const ANNOUNCED: &str = "results_announced";

/// Announces the results of every round confirmed since the last run, once:
/// to the president of each club that took part and to the evaluators. The
/// confirmation only records; the fan-out of thousands of mails runs here,
/// off the administrator's request.
pub fn announce_results(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let now = now.naive_utc();
    let mut queued = 0;
    for round in model::confirmed_rounds_not_marked(conn, ANNOUNCED)? {
        let link = settings
            .mail
            .link(&format!("/evaluation/{}/results", round.id));
        let key = outbox::OnceKey {
            kind: ANNOUNCED,
            period: &round.id,
            subject: &round.id,
        };
        queued += outbox::send_once(conn, key, now, |conn| {
            announce(conn, templates, &round, &link, now)
        })?;
    }
    Ok(queued)
}

fn announce(
    conn: &mut DbConn,
    templates: &Templates,
    round: &Round,
    link: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let award_of: HashMap<String, PrizeTier> = model::awards_of(conn, &round.id)?
        .into_iter()
        .filter_map(|(a, _)| Some((a.club_id, PrizeTier::parse(&a.tier)?)))
        .collect();
    let took_part: Vec<String> = model::submissions(conn, &round.id)?
        .into_iter()
        .map(|s| s.club_id)
        .collect();
    let subject = format!("[동아리] {} 결과 발표", round.title);
    let mut queued = 0;
    for (club_id, name, email, language) in clubs::president_contacts(conn, &took_part)? {
        let line = match award_of.get(&club_id) {
            Some(tier) if tier.has_top_contributors() => format!(
                "축하합니다. 동아리가 {}상을 받았습니다. 포털에서 활동 최고 기여자 2명을 추천해 주세요.",
                tier.label_ko()
            ),
            Some(tier) => format!("축하합니다. 동아리가 {}상을 받았습니다.", tier.label_ko()),
            None => "참여해 주셔서 감사합니다. 결과를 포털에서 확인하세요.".into(),
        };
        let to = outbox::Recipient::new(&email, &name, &language);
        outbox::notice(conn, templates, &to, now, &subject, &[line], link)?;
        queued += 1;
    }
    for (_, _, name, email, language) in model::evaluators_of(conn, &round.id)? {
        let line = "평가에 참여해 주셔서 감사합니다. 확정된 결과를 포털에서 확인하세요.";
        outbox::notice(
            conn,
            templates,
            &outbox::Recipient::new(&email, &name, &language),
            now,
            &subject,
            &[line.into()],
            link,
        )?;
        queued += 1;
    }
    Ok(queued)
}
