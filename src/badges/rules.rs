//! Badges earned by rule. A class with a rule is awarded when what it
//! counts is reached, to each person who reaches it, once per achievement
//! (its key):
//!
//! - regular meetings attended in a year ≥ N (`meetings_attended/2026`),
//!   checked when a meeting is logged or changed;
//! - a club's monthly reports on time N reporting months in a row, to its
//!   members then (`reports_on_time/{club}/{first month}`: a streak earns
//!   once; a new one after a break earns again), checked on submission;
//! - a prize in an evaluation, to the club's members, of any tier or the
//!   one the class names (`prize/{round}`), and top contributors
//!   (`top_contributor/{round}`), at confirmation and recommendation;
//! - a course or a certificate from the HR import, any or one whose title
//!   has the class's words (`course/{movement}`, `certificate/{movement}`),
//!   on import; a line reversed later takes its badge back (`withdraw`);
//! - accumulated mileage ≥ N (`mileage`) and the year's 상시학습 target
//!   reached (`hours_target/2026`), totals that many events add to
//!   (`totals_reached`): checked by what earns points (meetings, posts,
//!   reports, evaluations, badges themselves) and by the HR import; the
//!   jobs' daily sweep gives what came from elsewhere (club hours
//!   recognized, adjustments, conversions) and classes made after the fact.
//!
//! The rules run in the event's transaction. `backfill` gives what the
//! rules would have given for the past; keys make it safe to repeat.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::awards::{self, Awarded, Grant};
use super::classes::BadgeRule;
use super::model::{self, BadgeClass};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::org::policy::PrizeTier;
use crate::reactions::Reactions;

/// What happened, as the rules see it.
#[derive(Debug, Clone, Copy)]
pub enum Trigger<'a> {
    /// A regular meeting on `on` was logged or changed; `people` attended.
    MeetingAttended { people: &'a [String], on: NaiveDate },
    /// A club's monthly report was submitted on time.
    ReportOnTime { club_id: &'a str },
    /// A club's prize in a round, to the club's members.
    Prize {
        round_id: &'a str,
        half: &'a str,
        tier: PrizeTier,
        members: &'a [String],
    },
    /// A person recommended as a round's top contributor.
    TopContributor {
        round_id: &'a str,
        half: &'a str,
        employee_id: &'a str,
    },
    /// A course or a certificate from the HR import (its ledger movement).
    HrLearning {
        kind: HrLearningKind,
        employee_id: &'a str,
        movement_id: &'a str,
        title: &'a str,
    },
}

/// What an HR learning line records, as the badge rules tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HrLearningKind {
    Course,
    Certificate,
}

impl HrLearningKind {
    /// The kind of a line of `learning_type`; none for learning that earns
    /// no badge (club hours, other).
    pub fn of(learning_type: &str) -> Option<HrLearningKind> {
        use crate::ledger::model::LearningType;
        match LearningType::parse(learning_type)? {
            LearningType::Club | LearningType::Other => None,
            LearningType::Certificate => Some(HrLearningKind::Certificate),
            _ => Some(HrLearningKind::Course),
        }
    }

    fn rule(self) -> BadgeRule {
        match self {
            HrLearningKind::Course => BadgeRule::Course,
            HrLearningKind::Certificate => BadgeRule::Certificate,
        }
    }
}

impl Trigger<'_> {
    fn rule(&self) -> BadgeRule {
        match self {
            Trigger::MeetingAttended { .. } => BadgeRule::MeetingsAttended,
            Trigger::ReportOnTime { .. } => BadgeRule::ReportsOnTime,
            Trigger::Prize { .. } => BadgeRule::Prize,
            Trigger::TopContributor { .. } => BadgeRule::TopContributor,
            Trigger::HrLearning { kind, .. } => kind.rule(),
        }
    }
}

/// Someone a class's rule gives the badge to: who, for what, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Earner {
    employee_id: String,
    key: String,
    narrative: String,
}

/// The reactions to a club's events (`reactions::Reactions`, wired at
/// start-up): a regular meeting attended may complete a count, points
/// earned a mileage total.
pub fn club_reactions() -> Reactions {
    Reactions {
        regular_meeting_attended: |conn, settings, happened, now| {
            let trigger = Trigger::MeetingAttended {
                people: happened.people,
                on: happened.on,
            };
            fire(conn, settings, happened.organization_id, trigger, now).map(drop)
        },
        mileage_earned: |conn, settings, happened, now| {
            let (office, people) = (happened.organization_id, happened.people);
            totals_reached(conn, settings, office, people, Total::Mileage, now).map(drop)
        },
    }
}

/// Awards what `trigger` earns under the office's rules; answers how many
/// badges it gave. Cheap when no class has the rule.
pub fn fire(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    trigger: Trigger<'_>,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let classes = model::classes_with_rule(conn, organization_id, trigger.rule().code())?;
    let mut given = 0;
    for class in &classes {
        let earners = earners_of(conn, class, trigger, now)?;
        given += give(conn, settings, class, earners, now)?;
    }
    Ok(given)
}

fn earners_of(
    conn: &mut DbConn,
    class: &BadgeClass,
    trigger: Trigger<'_>,
    now: NaiveDateTime,
) -> AppResult<Vec<Earner>> {
    let threshold = class.rule_threshold.unwrap_or(1);
    Ok(match trigger {
        Trigger::MeetingAttended { people, on } => {
            meeting_earners(conn, class, Some(people), on.year(), threshold)?
        }
        Trigger::ReportOnTime { club_id } => {
            let record = model::report_record(conn, club_id)?;
            let latest = record.iter().rev().find(|(_, mark)| mark.is_some());
            match streaks(&record, threshold).last() {
                // Only the streak that this submission may have completed.
                Some(streak) if latest.map(|(m, _)| m) == Some(&streak.last) => {
                    streak_earners(conn, club_id, streak, crate::clock::seoul_date(now))?
                }
                _ => Vec::new(),
            }
        }
        Trigger::Prize {
            round_id,
            half,
            tier,
            members,
        } => {
            if class
                .rule_match
                .as_deref()
                .is_some_and(|m| m != tier.code())
            {
                return Ok(Vec::new());
            }
            members
                .iter()
                .map(|employee_id| Earner {
                    employee_id: employee_id.clone(),
                    key: format!("prize/{round_id}"),
                    narrative: format!("{half} 학습동아리 평가 {} 수상", tier.label_ko()),
                })
                .collect()
        }
        Trigger::TopContributor {
            round_id,
            half,
            employee_id,
        } => vec![Earner {
            employee_id: employee_id.to_string(),
            key: format!("top_contributor/{round_id}"),
            narrative: format!("{half} 학습동아리 평가 우수 기여자"),
        }],
        Trigger::HrLearning {
            kind,
            employee_id,
            movement_id,
            title,
        } => learning_earner(class, kind, employee_id, movement_id, title)
            .into_iter()
            .collect(),
    })
}

fn meeting_earners(
    conn: &mut DbConn,
    class: &BadgeClass,
    people: Option<&[String]>,
    year: i32,
    threshold: i64,
) -> AppResult<Vec<Earner>> {
    let year_days = crate::ledger::progress::year_days(year);
    Ok(
        model::regular_meetings_attended(conn, &class.organization_id, people, year_days)?
            .into_iter()
            .filter(|(_, attended)| *attended >= threshold)
            .map(|(employee_id, attended)| Earner {
                employee_id,
                key: format!("meetings_attended/{year}"),
                narrative: format!("{year}년 학습동아리 정기 모임 {attended}회 참석"),
            })
            .collect(),
    )
}

fn learning_earner(
    class: &BadgeClass,
    kind: HrLearningKind,
    employee_id: &str,
    movement_id: &str,
    title: &str,
) -> Option<Earner> {
    let matches = class
        .rule_match
        .as_deref()
        .is_none_or(|words| title.contains(words));
    let what = match kind {
        HrLearningKind::Course => "교육과정 이수",
        HrLearningKind::Certificate => "자격 취득",
    };
    matches.then(|| Earner {
        employee_id: employee_id.to_string(),
        key: learning_key(kind, movement_id),
        narrative: format!("{what}: {title}"),
    })
}

/// Takes back the badges an HR line earned, now that the line has been
/// reversed, each with the reason; answers how many.
#[allow(clippy::too_many_arguments)]
pub fn withdraw(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    organization_id: &str,
    movement_id: &str,
    by: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let keys = [HrLearningKind::Course, HrLearningKind::Certificate]
        .map(|kind| learning_key(kind, movement_id));
    let standing = model::standing_awards_with_keys(conn, organization_id, &keys)?;
    for award in &standing {
        awards::revoke(
            conn,
            templates,
            settings,
            organization_id,
            &award.id,
            by,
            reason,
            now,
        )?;
    }
    Ok(standing.len())
}

/// The achievement key of an HR line's badge.
fn learning_key(kind: HrLearningKind, movement_id: &str) -> String {
    format!("{}/{movement_id}", kind.rule().code())
}

/// A run of on-time reports, N or more reporting months long.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Streak {
    first: String,
    last: String,
    months: i64,
}

/// The runs of at least `n` consecutive on-time reports in a club's record
/// (months in order); a late or missing report ends a run, one not yet
/// due neither ends nor lengthens it.
fn streaks(record: &[(String, Option<bool>)], n: i64) -> Vec<Streak> {
    let mut found = Vec::new();
    let mut run: Option<Streak> = None;
    for (month, on_time) in record {
        let Some(on_time) = on_time else {
            continue;
        };
        run = match (run.take(), on_time) {
            (Some(r), true) => Some(Streak {
                last: month.clone(),
                months: r.months + 1,
                ..r
            }),
            (None, true) => Some(Streak {
                first: month.clone(),
                last: month.clone(),
                months: 1,
            }),
            (Some(r), false) => {
                found.push(r);
                None
            }
            (None, false) => None,
        };
    }
    found.extend(run);
    found.retain(|r| r.months >= n);
    found
}

/// The club's members on `day`, for a streak.
fn streak_earners(
    conn: &mut DbConn,
    club_id: &str,
    streak: &Streak,
    day: NaiveDate,
) -> AppResult<Vec<Earner>> {
    Ok(crate::clubs::model::member_ids_on(conn, club_id, day)?
        .into_iter()
        .map(|employee_id| Earner {
            employee_id,
            key: format!("reports_on_time/{club_id}/{}", streak.first),
            narrative: format!(
                "{}부터 {}까지 {}개월 연속 기한 내 월간 활동 보고",
                streak.first, streak.last, streak.months
            ),
        })
        .collect())
}

/// Awards `class` to each earner who is still an active employee of the
/// office; answers how many new awards it made.
fn give(
    conn: &mut DbConn,
    settings: &Settings,
    class: &BadgeClass,
    earners: Vec<Earner>,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut given = Vec::new();
    for earner in earners {
        let employee = crate::org::model::employee_by_id(conn, &earner.employee_id)?;
        if !employee.active || employee.organization_id != class.organization_id {
            continue;
        }
        let grant = Grant {
            achievement_key: earner.key,
            narrative: earner.narrative,
            evidence_url: None,
            awarded_by: None,
        };
        if let Awarded::New(_) = awards::award(conn, settings, class, &employee, grant, now)? {
            given.push(employee.id);
        }
    }
    // A badge may earn points, and the points a mileage badge; each award
    // is made once, so this ends.
    let more = totals_reached(
        conn,
        settings,
        &class.organization_id,
        &given,
        Total::Mileage,
        now,
    )?;
    Ok(given.len() + more)
}

/// Gives what `class`'s rule would have given for everything that already
/// happened (a class made after the fact, a sweep's rules); answers how
/// many new awards it made. Again: nothing new.
pub fn backfill(
    conn: &mut DbConn,
    settings: &Settings,
    class: &BadgeClass,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let Some(rule) = class.rule.as_deref().and_then(BadgeRule::parse) else {
        return Ok(0);
    };
    let organization_id = class.organization_id.as_str();
    let threshold = class.rule_threshold.unwrap_or(1);
    let earners: Vec<Earner> = match rule {
        BadgeRule::MeetingsAttended => {
            let mut earners = Vec::new();
            if let (Some(first), Some(last)) = model::meeting_years(conn, organization_id)? {
                for year in first.year()..=last.year().min(today.year()) {
                    earners.extend(meeting_earners(conn, class, None, year, threshold)?);
                }
            }
            earners
        }
        BadgeRule::ReportsOnTime => {
            let mut earners = Vec::new();
            for club_id in model::club_ids(conn, organization_id)? {
                let record = model::report_record(conn, &club_id)?;
                for streak in streaks(&record, threshold) {
                    // The members when the streak reached its length.
                    let reached = month_end(&streak.last).unwrap_or(today).min(today);
                    earners.extend(streak_earners(conn, &club_id, &streak, reached)?);
                }
            }
            earners
        }
        BadgeRule::Prize => {
            let mut earners = Vec::new();
            for prize in model::prizes(conn, organization_id)? {
                let Some(tier) = PrizeTier::parse(&prize.tier) else {
                    continue;
                };
                let day = crate::clock::seoul_date(prize.awarded_at);
                let members = crate::clubs::model::member_ids_on(conn, &prize.club_id, day)?;
                let trigger = Trigger::Prize {
                    round_id: &prize.round_id,
                    half: &prize.half,
                    tier,
                    members: &members,
                };
                earners.extend(earners_of(conn, class, trigger, now)?);
            }
            earners
        }
        BadgeRule::TopContributor => model::top_contributors_of(conn, organization_id)?
            .into_iter()
            .map(|(round_id, half, employee_id)| Earner {
                employee_id,
                key: format!("top_contributor/{round_id}"),
                narrative: format!("{half} 학습동아리 평가 우수 기여자"),
            })
            .collect(),
        BadgeRule::Course | BadgeRule::Certificate => model::hr_learning(conn, organization_id)?
            .into_iter()
            .filter_map(|l| {
                let kind = HrLearningKind::of(l.learning_type.as_deref()?)?;
                let title = l.title.unwrap_or_default();
                (kind.rule() == rule)
                    .then(|| learning_earner(class, kind, &l.employee_id, &l.movement_id, &title))
                    .flatten()
            })
            .collect(),
        BadgeRule::Mileage => mileage_earners(
            &model::accumulated_mileage(conn, organization_id, None)?,
            threshold,
        ),
        BadgeRule::HoursTarget => hours_target_earners(conn, organization_id, today.year(), None)?,
    };
    // Those who hold theirs already, mostly everyone on a second run or in
    // the daily sweep, are passed over with one query for the class.
    let held = model::achievements_of_class(conn, &class.id)?;
    let new: Vec<Earner> = earners
        .into_iter()
        .filter(|e| !held.contains(&(e.employee_id.clone(), e.key.clone())))
        .collect();
    give(conn, settings, class, new, now)
}

fn month_end(month: &str) -> Option<NaiveDate> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    first.checked_add_months(chrono::Months::new(1))?.pred_opt()
}

fn mileage_earners(totals: &[(String, i64)], threshold: i64) -> Vec<Earner> {
    totals
        .iter()
        .filter(|(_, points)| *points >= threshold)
        .map(|(employee_id, points)| Earner {
            employee_id: employee_id.clone(),
            key: "mileage".into(),
            narrative: format!("누적 마일리지 {}점 달성", crate::format::thousands(*points)),
        })
        .collect()
}

/// Up to this many people, progress is read person by person; beyond, for
/// the whole office at once.
const FEW_PEOPLE: usize = 50;

/// Everyone of the office (or of `people`) with a target who reached it in
/// `year`.
fn hours_target_earners(
    conn: &mut DbConn,
    organization_id: &str,
    year: i32,
    people: Option<&[String]>,
) -> AppResult<Vec<Earner>> {
    use crate::ledger::progress;
    let progress = match people {
        Some(people) if people.len() <= FEW_PEOPLE => people
            .iter()
            .map(|id| progress::of_employee(conn, id, year))
            .collect::<AppResult<Vec<_>>>()?,
        _ => {
            let query = progress::OfficeQuery {
                organization_id,
                year,
                departments: None,
                below_only: false,
            };
            let mut rows = progress::of_office(conn, &query)?;
            if let Some(people) = people {
                let people: std::collections::HashSet<&String> = people.iter().collect();
                rows.retain(|p| people.contains(&p.employee_id));
            }
            rows
        }
    };
    Ok(progress
        .into_iter()
        .filter(|p| p.target_minutes.is_some_and(|t| t > 0) && p.remaining_minutes == Some(0))
        .map(|p| Earner {
            employee_id: p.employee_id,
            key: format!("hours_target/{year}"),
            narrative: format!(
                "{year}년 상시학습 목표 달성 ({})",
                crate::format::hours_ko(p.recognized_minutes)
            ),
        })
        .collect())
}

/// A running total that many events add to.
#[derive(Debug, Clone, Copy)]
pub enum Total {
    /// Accumulated mileage.
    Mileage,
    /// 상시학습 hours recognized in a year.
    Hours { year: i32 },
}

/// Awards the badges for totals (mileage ≥ N, the year's hours target)
/// that `people` may have reached by what was just recorded for them, in
/// its transaction; cheap when the office has no such class. Answers how
/// many badges it gave.
pub fn totals_reached(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    people: &[String],
    total: Total,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let rule = match total {
        Total::Mileage => BadgeRule::Mileage,
        Total::Hours { .. } => BadgeRule::HoursTarget,
    };
    if people.is_empty() {
        return Ok(0);
    }
    let classes = model::classes_with_rule(conn, organization_id, rule.code())?;
    if classes.is_empty() {
        return Ok(0);
    }
    let mut given = 0;
    match total {
        Total::Mileage => {
            let totals = model::accumulated_mileage(conn, organization_id, Some(people))?;
            for class in &classes {
                let earners = mileage_earners(&totals, class.rule_threshold.unwrap_or(1));
                given += give(conn, settings, class, earners, now)?;
            }
        }
        Total::Hours { year } => {
            let earners = hours_target_earners(conn, organization_id, year, Some(people))?;
            for class in &classes {
                given += give(conn, settings, class, earners.clone(), now)?;
            }
        }
    }
    Ok(given)
}

/// The jobs' daily pass over the totals (mileage, the year's hours
/// target) for what no event checked: hours recognized for club meetings,
/// adjustments and conversions. Once a day per office, and only for
/// offices with such a class. Answers how many badges it gave.
pub fn daily_sweep(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut classes = model::classes_with_rule(conn, organization_id, BadgeRule::Mileage.code())?;
    classes.extend(model::classes_with_rule(
        conn,
        organization_id,
        BadgeRule::HoursTarget.code(),
    )?);
    if classes.is_empty() {
        return Ok(0);
    }
    let job = "badge-sweep";
    let day = today.to_string();
    if crate::db::job_marks::mark_of(conn, organization_id, job)?.as_deref() == Some(day.as_str()) {
        return Ok(0);
    }
    crate::db::write_tx(conn, |conn| {
        let mut given = 0;
        for class in &classes {
            given += backfill(conn, settings, class, today, now)?;
        }
        crate::db::job_marks::set_mark(conn, organization_id, job, &day, now)?;
        Ok(given)
    })
}

/// Every rule class of the office backfilled: (class name, new awards).
pub fn backfill_office(
    conn: &mut DbConn,
    settings: &Settings,
    organization_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Vec<(String, usize)>> {
    let mut by_class: HashMap<String, usize> = HashMap::new();
    for rule in BadgeRule::ALL {
        for class in model::classes_with_rule(conn, organization_id, rule.code())? {
            let given =
                crate::db::write_tx(conn, |conn| backfill(conn, settings, &class, today, now))?;
            *by_class.entry(class.name).or_default() += given;
        }
    }
    let mut result: Vec<(String, usize)> = by_class.into_iter().collect();
    result.sort();
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `o` on time, `x` late or missing, `.` not yet due.
    fn record(marks: &str) -> Vec<(String, Option<bool>)> {
        marks
            .chars()
            .enumerate()
            .map(|(i, c)| (format!("2026-{:02}", i + 1), (c != '.').then_some(c == 'o')))
            .collect()
    }

    #[test]
    fn a_late_or_missing_report_ends_a_streak() {
        let found = streaks(&record("ooxoooxoo"), 3);
        assert_eq!(
            found,
            vec![Streak {
                first: "2026-04".into(),
                last: "2026-06".into(),
                months: 3
            }]
        );
        assert_eq!(streaks(&record("oooooo"), 6).len(), 1);
        assert_eq!(streaks(&record("ooooo"), 6), vec![]);
        assert_eq!(streaks(&record("ooxoo"), 2).len(), 2);
        assert_eq!(streaks(&record("oo.o"), 3).len(), 1, "a draft is skipped");
        assert_eq!(streaks(&[], 1), vec![]);
    }

    #[test]
    fn months_end_on_their_last_day() {
        assert_eq!(month_end("2026-02"), NaiveDate::from_ymd_opt(2026, 2, 28));
        assert_eq!(month_end("2026-12"), NaiveDate::from_ymd_opt(2026, 12, 31));
        assert_eq!(month_end("2026-13"), None);
    }
}
