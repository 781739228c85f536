//! Earning mileage in the transaction of the event that earns it, and
//! taking it back when the event is undone (a post hidden, an attendee
//! removed, a meeting deleted).
//!
//! Against farming: one earning per event and person (its idempotency
//! key), the rule's daily limit of events and its pool's half-year cap,
//! checked while the ledger's chain is held so that parallel events cannot
//! both pass; nothing for commenting on one's own post (the caller knows
//! the author).

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};

use super::model::{self, Earning};
use super::rules::{self, Activity, Terms};
use crate::clock::HalfYear;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::ledger::model::Movement;
use crate::ledger::{self, Owner, Posting, Source, Unit};

/// Something that happened and may earn points.
#[derive(Debug, Clone, Copy)]
pub struct Event<'a> {
    /// The office whose rule applies and whose pool issues the points.
    pub organization_id: &'a str,
    /// The club it happened in, for the clubs' leaderboard.
    pub club_id: Option<&'a str>,
    pub activity: Activity,
    /// The post, comment, meeting, report or round: one earning per person.
    pub event_ref: &'a str,
    /// The day it counts for: its daily limit, half-year and periods.
    pub on: NaiveDate,
}

/// What an event earned a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Earned {
    Points(i64),
    /// Earned before and not taken back: nothing new.
    Already,
    /// The rule gives nothing for it.
    Nothing,
    DailyLimit,
    HalfYearCap,
}

/// Earns an event's points for a person, within the rule's limits.
pub fn earn(
    conn: &mut DbConn,
    settings: &Settings,
    event: &Event<'_>,
    employee_id: &str,
    now: NaiveDateTime,
) -> AppResult<Earned> {
    let mut earned = earn_all(conn, settings, event, &[employee_id.to_string()], now)?;
    Ok(earned.remove(0))
}

/// Earns an event's points for each of `people` (a meeting's attendees, a
/// club's members), within the rule's limits; the event's history and its
/// rule are read once for all of them.
pub fn earn_all(
    conn: &mut DbConn,
    settings: &Settings,
    event: &Event<'_>,
    people: &[String],
    now: NaiveDateTime,
) -> AppResult<Vec<Earned>> {
    if people.is_empty() {
        return Ok(Vec::new());
    }
    crate::db::write_tx(conn, |conn| {
        // Holding the chain makes parallel earnings take turns, so that the
        // limits below see each other.
        ledger::model::take_chain(conn)?;
        let history = model::earnings_of_event(conn, event.activity.code(), event.event_ref)?;
        let (terms, label) = rules::governing(
            conn,
            settings,
            event.organization_id,
            event.activity,
            event.on,
        )?;
        let mut earned = Vec::new();
        let outcomes = people
            .iter()
            .map(|person| {
                let mine: Vec<Earning> = history
                    .iter()
                    .filter(|e| &e.employee_id == person)
                    .cloned()
                    .collect();
                earn_one(
                    conn,
                    event,
                    (&terms, &label),
                    &mine,
                    person,
                    now,
                    &mut earned,
                )
            })
            .collect::<AppResult<Vec<Earned>>>()?;
        super::totals::credit(conn, &earned, crate::clock::seoul_date(now))?;
        Ok(outcomes)
    })
}

/// One person's earning under `rule`, given what the event already earned
/// them (`mine`), added to `earned`; the caller holds the chain.
fn earn_one(
    conn: &mut DbConn,
    event: &Event<'_>,
    (terms, label): (&Terms, &str),
    mine: &[Earning],
    employee_id: &str,
    now: NaiveDateTime,
    earned: &mut Vec<Earning>,
) -> AppResult<Earned> {
    if !standing(mine).is_empty() {
        return Ok(Earned::Already);
    }
    if terms.points == 0 {
        return Ok(Earned::Nothing);
    }
    if let Some(limit) = terms.daily_limit {
        let today = model::events_earning_on(conn, employee_id, event.activity.code(), event.on)?;
        if today >= i64::from(limit) {
            return Ok(Earned::DailyLimit);
        }
    }
    let mut points = terms.points;
    if let Some(cap) = terms.half_year_cap {
        let half = HalfYear::containing(event.on);
        let earned = model::earned_in_pool(
            conn,
            employee_id,
            &terms.pool,
            (half.first_day(), half.last_day()),
        )?;
        if earned >= cap {
            return Ok(Earned::HalfYearCap);
        }
        points = points.min(cap - earned);
    }
    // Earned again after a take-back (an attendee removed and added back):
    // a new key for each round.
    let taken_back = mine.iter().filter(|e| e.reverses_id.is_some()).count();
    let posting = Posting {
        idempotency_key: format!(
            "mileage/{}/{}/{employee_id}/{taken_back}",
            event.activity.code(),
            event.event_ref
        ),
        source: Source::Earning,
        source_ref: Some(event.event_ref.to_string()),
        counts_for: event.on,
        rule_version: Some(label.to_string()),
        actor_id: None,
        reason: None,
        legs: ledger::issue(
            event.organization_id,
            Owner::Employee(employee_id.to_string()),
            Unit::Points,
            points,
        ),
        details: vec![(
            event.activity.code().to_string(),
            event.event_ref.to_string(),
            points,
        )],
        learning: None,
    };
    let movement = ledger::post(conn, posting, now)?.movement().clone();
    let earning = Earning {
        movement_id: movement.id,
        organization_id: event.organization_id.to_string(),
        employee_id: employee_id.to_string(),
        activity: event.activity.code().to_string(),
        cap_pool: terms.pool.clone(),
        event_ref: event.event_ref.to_string(),
        earned_on: event.on,
        points,
        reverses_id: None,
        club_id: event.club_id.map(str::to_string),
    };
    model::insert_earning(conn, &earning)?;
    earned.push(earning);
    Ok(Earned::Points(points))
}

/// Earnings not taken back.
fn standing(history: &[Earning]) -> Vec<&Earning> {
    let reversed: HashSet<&str> = history
        .iter()
        .filter_map(|e| e.reverses_id.as_deref())
        .collect();
    history
        .iter()
        .filter(|e| e.reverses_id.is_none() && !reversed.contains(e.movement_id.as_str()))
        .collect()
}

/// A take-back: the reversal and the earning it cancels, for the notice.
#[derive(Debug, Clone)]
pub struct TakenBack {
    pub reversal: Movement,
    pub original: Movement,
}

/// Takes back what an event earned the people `keep` does not name (all,
/// when it names none), each with a reversal giving the reason.
pub fn take_back(
    conn: &mut DbConn,
    activity: Activity,
    event_ref: &str,
    keep: &HashSet<String>,
    actor_id: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<TakenBack>> {
    crate::db::write_tx(conn, |conn| {
        let history = model::earnings_of_event(conn, activity.code(), event_ref)?;
        let mut taken = Vec::new();
        let mut taken_back = Vec::new();
        for earning in standing(&history) {
            if keep.contains(&earning.employee_id) {
                continue;
            }
            let reversal = ledger::reverse(
                conn,
                &earning.movement_id,
                format!("mileage-back/{}", earning.movement_id),
                actor_id.map(str::to_string),
                reason.to_string(),
                now,
            )?
            .movement()
            .clone();
            let back = Earning {
                movement_id: reversal.id.clone(),
                points: -earning.points,
                reverses_id: Some(earning.movement_id.clone()),
                ..earning.clone()
            };
            model::insert_earning(conn, &back)?;
            taken_back.push(back);
            let original = ledger::model::movement_by_id(conn, &earning.movement_id)?;
            taken.push(TakenBack { reversal, original });
        }
        super::totals::credit(conn, &taken_back, crate::clock::seoul_date(now))?;
        Ok(taken)
    })
}

/// Brings an event's earnings to the people who should have them: earns
/// for each of `people` (within the limits), takes back from anyone else.
pub fn sync(
    conn: &mut DbConn,
    settings: &Settings,
    event: &Event<'_>,
    people: &[String],
    actor_id: Option<&str>,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<Vec<TakenBack>> {
    let keep: HashSet<String> = people.iter().cloned().collect();
    let taken = take_back(
        conn,
        event.activity,
        event.event_ref,
        &keep,
        actor_id,
        reason,
        now,
    )?;
    earn_all(conn, settings, event, people, now)?;
    Ok(taken)
}

/// Mails each person what was taken back and why.
pub fn tell(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    taken: &[TakenBack],
    now: NaiveDateTime,
) -> AppResult<()> {
    for t in taken {
        ledger::notices::tell_reversal(conn, templates, settings, &t.reversal, &t.original, now)?;
    }
    Ok(())
}
