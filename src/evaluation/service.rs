//! The rules of a round: windows, who submits and scores what, and
//! conflicts of interest (the outcome is in `awards`). Every
//! function runs inside the caller's transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::Serialize;
use serde_json::json;

use super::model::{self, ReportText, Round};
use crate::audit;
use crate::clock::{seoul, HalfYear};
use crate::clubs::model as clubs;
use crate::clubs::service::ClubAccess;
use crate::config::{PrizeSetting, RubricSetting, Settings};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, Checks};
use crate::format::seoul_datetime;
use crate::i18n::templates::Templates;
use crate::mail::outbox;
use crate::org::model::{self as org, Role};
use crate::org::policy::PrizeTier;

/// Where a round stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Upcoming,
    Submission,
    Between,
    Scoring,
    Closed,
    Confirmed,
}

impl Phase {
    pub fn label_ko(self) -> &'static str {
        match self {
            Phase::Upcoming => "제출 기간 전",
            Phase::Submission => "성과보고서 제출 기간",
            Phase::Between => "채점 대기",
            Phase::Scoring => "채점 기간",
            Phase::Closed => "채점 마감 — 확정 대기",
            Phase::Confirmed => "결과 확정",
        }
    }
}

pub fn phase(round: &Round, now: NaiveDateTime) -> Phase {
    if round.confirmed_at.is_some() {
        Phase::Confirmed
    } else if now < round.submit_from {
        Phase::Upcoming
    } else if now <= round.submit_until {
        Phase::Submission
    } else if now < round.score_from {
        Phase::Between
    } else if now <= round.score_until {
        Phase::Scoring
    } else {
        Phase::Closed
    }
}

pub fn half_of(round: &Round) -> HalfYear {
    HalfYear::parse(&round.half).expect("rounds store a valid half")
}

/// The first instant of a Seoul day, and its last second, in UTC.
pub fn day_start(day: NaiveDate) -> NaiveDateTime {
    seoul()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .expect("Seoul has no gaps")
        .naive_utc()
}

pub fn day_end(day: NaiveDate) -> NaiveDateTime {
    day_start(day) + chrono::Duration::days(1) - chrono::Duration::seconds(1)
}

/// Whether evaluators may score now: inside the scoring window and not
/// confirmed, whatever else is open (the submission window may overlap).
pub fn scoring_open(round: &Round, now: NaiveDateTime) -> bool {
    round.confirmed_at.is_none() && round.score_from <= now && now <= round.score_until
}

fn require_open(round: &Round) -> AppResult<()> {
    if round.confirmed_at.is_some() {
        return Err(AppError::Conflict(
            "평가 결과가 이미 확정되어 바꿀 수 없습니다.".into(),
        ));
    }
    Ok(())
}

// ---- opening a round ----

/// What an administrator gives to open a round, before checking.
#[derive(Debug, Clone)]
pub struct RoundInput {
    pub half: String,
    pub title: String,
    pub submit_from: String,
    pub submit_until: String,
    pub score_from: String,
    pub score_until: String,
    pub combination: String,
    pub trim_min_evaluators: i32,
    pub evaluators_per_club: i32,
    /// Employee numbers.
    pub evaluators: Vec<String>,
    pub rubric: Vec<RubricSetting>,
    pub prizes: Vec<PrizeSetting>,
}

pub use super::model::Windows;

impl Windows {
    /// Seoul dates, both ends inclusive; scoring starts no earlier than
    /// submission and ends no earlier than it.
    pub fn parse(
        submit_from: &str,
        submit_until: &str,
        score_from: &str,
        score_until: &str,
    ) -> AppResult<Self> {
        let submit_from = date_field("submit_from", "제출 시작일", submit_from)?;
        let submit_until = date_field("submit_until", "제출 마감일", submit_until)?;
        let score_from = date_field("score_from", "채점 시작일", score_from)?;
        let score_until = date_field("score_until", "채점 마감일", score_until)?;
        if submit_until < submit_from {
            return Err(AppError::validation(
                "submit_until",
                "제출 마감일은 시작일 이후여야 합니다.",
            ));
        }
        if score_from < submit_from || score_until < score_from || score_until < submit_until {
            return Err(AppError::validation(
                "score_until",
                "채점 기간은 제출 시작 이후에 시작하고, 제출 마감 이후에 끝나야 합니다.",
            ));
        }
        Ok(Self {
            submit_from: day_start(submit_from),
            submit_until: day_end(submit_until),
            score_from: day_start(score_from),
            score_until: day_end(score_until),
        })
    }

    pub fn of(round: &Round) -> Self {
        Self {
            submit_from: round.submit_from,
            submit_until: round.submit_until,
            score_from: round.score_from,
            score_until: round.score_until,
        }
    }
}

/// An administrator moves a round's windows until it is confirmed — to
/// extend them, or with `close_scoring` to end scoring now, which needs
/// every assigned score in — with a reason kept in the audit trail.
pub fn change_windows(
    conn: &mut DbConn,
    round: &Round,
    mut windows: Windows,
    close_scoring: bool,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<Round> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::validation(
            "reason",
            "기간을 바꾸는 사유를 500자 이내로 적으세요.",
        ));
    }
    if close_scoring {
        if now < windows.score_from {
            return Err(AppError::validation(
                "close_scoring",
                "채점이 시작되기 전에는 채점을 마감할 수 없습니다.",
            ));
        }
        windows.score_until = now - chrono::Duration::seconds(1);
        windows.submit_until = windows.submit_until.min(windows.score_until);
    }
    let scoring_ends_early = windows.score_until < now && now <= round.score_until;
    if scoring_ends_early {
        let unscored = model::live_assignments(conn, &round.id)?
            .iter()
            .filter(|a| a.scored_at.is_none())
            .count();
        if unscored > 0 {
            return Err(AppError::Conflict(format!(
                "채점하지 않은 배정이 {unscored}건 있어 채점을 일찍 마감할 수 없습니다."
            )));
        }
    }
    if !model::set_windows(conn, &round.id, &windows)? {
        return Err(AppError::Conflict(
            "확정된 평가의 기간은 바꿀 수 없습니다.".into(),
        ));
    }
    let before = Windows::of(round);
    let label = |w: &Windows| {
        json!({
            "submit": [seoul_datetime(w.submit_from), seoul_datetime(w.submit_until)],
            "score": [seoul_datetime(w.score_from), seoul_datetime(w.score_until)],
        })
    };
    audit::record(
        conn,
        now,
        Some(by),
        "evaluation.windows",
        &round.id,
        json!({ "from": label(&before), "to": label(&windows), "reason": reason }),
    )?;
    Ok(model::round_by_id(conn, &round.id)?)
}

fn date_field(field: &str, label: &str, value: &str) -> AppResult<NaiveDate> {
    crate::clock::parse_date(value).ok_or_else(|| {
        AppError::validation(
            field,
            format!(
                "{} 2026-12-01 형식의 날짜여야 합니다.",
                crate::korean::with(label, crate::korean::Particle::Topic)
            ),
        )
    })
}

fn check_rubric(rubric: &[RubricSetting]) -> AppResult<()> {
    if rubric.is_empty() || rubric.len() > 10 {
        return Err(AppError::validation(
            "rubric",
            "평가 항목은 1개에서 10개까지입니다.",
        ));
    }
    let mut names = HashSet::new();
    for (i, c) in rubric.iter().enumerate() {
        let field = format!("rubric.{i}");
        let name = c.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::validation(
                &field,
                format!("{}번째 항목의 이름을 100자 이내로 입력하세요.", i + 1),
            ));
        }
        if !names.insert(name.to_string()) {
            return Err(AppError::validation(
                &field,
                format!(
                    "항목 이름 {} 두 번 있습니다.",
                    crate::korean::with(&format!("'{name}'"), crate::korean::Particle::Subject)
                ),
            ));
        }
        if !(1..=100).contains(&c.weight) || !(1..=100).contains(&c.max_points) {
            return Err(AppError::validation(
                &field,
                format!("'{name}'의 가중치와 만점은 1에서 100 사이여야 합니다."),
            ));
        }
    }
    Ok(())
}

fn check_prizes(prizes: &[PrizeSetting]) -> AppResult<Vec<(PrizeTier, i32, i64)>> {
    let mut out = Vec::new();
    for tier in PrizeTier::ALL {
        let found: Vec<&PrizeSetting> = prizes
            .iter()
            .filter(|p| PrizeTier::parse(&p.tier) == Some(*tier))
            .collect();
        let [prize] = found[..] else {
            return Err(AppError::validation(
                "prizes",
                format!(
                    "시상표에 {} 한 번 있어야 합니다.",
                    crate::korean::with(tier.label_ko(), crate::korean::Particle::Subject)
                ),
            ));
        };
        if !(0..=20).contains(&prize.winners) || !(0..=100_000_000).contains(&prize.amount_krw) {
            return Err(AppError::validation(
                "prizes",
                format!(
                    "{}: 선정 수는 0–20, 포상금은 0–1억 원이어야 합니다.",
                    tier.label_ko()
                ),
            ));
        }
        out.push((*tier, prize.winners, prize.amount_krw));
    }
    if prizes.len() != PrizeTier::ALL.len() {
        return Err(AppError::validation(
            "prizes",
            "시상 등급은 최우수, 우수, 장려입니다.",
        ));
    }
    Ok(out)
}

/// The active employee with this number who holds the evaluator role.
fn active_evaluator(
    conn: &mut DbConn,
    organization_id: &str,
    field: &str,
    no: &str,
) -> AppResult<org::Employee> {
    let employee = org::employee_by_no(conn, organization_id, no)?
        .ok_or_else(|| AppError::validation(field, format!("사원번호 {no}인 직원이 없습니다.")))?;
    let is_evaluator = org::roles_of(conn, &employee.id)?
        .iter()
        .any(|g| g.role == Role::Evaluator);
    if !employee.active || !is_evaluator {
        return Err(AppError::validation(
            field,
            format!(
                "{} 평가위원 역할이 있는 재직 직원이어야 합니다.",
                crate::korean::with(
                    &format!("{}({no})", employee.name),
                    crate::korean::Particle::Topic
                )
            ),
        ));
    }
    Ok(employee)
}

/// A new round's settings once every check passed.
pub struct CheckedRound {
    half: HalfYear,
    title: String,
    windows: Windows,
    prizes: Vec<(PrizeTier, i32, i64)>,
    /// Each once.
    evaluators: Vec<org::Employee>,
}

/// Checks a new round's settings, naming every wrong field at once.
pub fn check_round(
    conn: &mut DbConn,
    organization_id: &str,
    input: &RoundInput,
) -> AppResult<CheckedRound> {
    let mut checks = Checks::default();
    let half = checks.take(
        HalfYear::parse(&input.half)
            .ok_or_else(|| AppError::validation("half", "반기는 2026H2 형식이어야 합니다.")),
    )?;
    let title = input.title.trim();
    if title.chars().count() > 200 {
        checks.problem("title", "제목은 200자 이내입니다.");
    }
    let windows = checks.take(Windows::parse(
        &input.submit_from,
        &input.submit_until,
        &input.score_from,
        &input.score_until,
    ))?;
    if !["mean", "trimmed_mean"].contains(&input.combination.as_str()) {
        checks.problem(
            "combination",
            "점수 결합 방식은 mean(평균) 또는 trimmed_mean(최고·최저 제외 평균)입니다.",
        );
    }
    if !(3..=50).contains(&input.trim_min_evaluators) {
        checks.problem(
            "trim_min_evaluators",
            "최고·최저를 빼는 최소 평가위원 수는 3에서 50 사이입니다.",
        );
    }
    if !(0..=50).contains(&input.evaluators_per_club) {
        checks.problem(
            "evaluators_per_club",
            "동아리당 평가위원 수는 0(전원)에서 50 사이입니다.",
        );
    }
    checks.take(check_rubric(&input.rubric))?;
    let prizes = checks.take(check_prizes(&input.prizes))?;
    let evaluators = checks.take(evaluators_named(conn, organization_id, &input.evaluators))?;
    checks.done()?;
    let (Some(half), Some(windows), Some(prizes), Some(evaluators)) =
        (half, windows, prizes, evaluators)
    else {
        unreachable!("every check passed");
    };
    Ok(CheckedRound {
        title: match title {
            "" => format!("{} 학습동아리 성과 평가", half.label_ko()),
            t => t.to_string(),
        },
        half,
        windows,
        prizes,
        evaluators,
    })
}

/// The active evaluators these employee numbers name, each once; at least one.
fn evaluators_named(
    conn: &mut DbConn,
    organization_id: &str,
    numbers: &[String],
) -> AppResult<Vec<org::Employee>> {
    let mut evaluators: Vec<org::Employee> = Vec::new();
    for no in numbers.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let employee = active_evaluator(conn, organization_id, "evaluators", no)?;
        if !evaluators.iter().any(|e| e.id == employee.id) {
            evaluators.push(employee);
        }
    }
    if evaluators.is_empty() {
        return Err(AppError::validation(
            "evaluators",
            "평가위원을 한 명 이상 지정하세요.",
        ));
    }
    Ok(evaluators)
}

/// Opens a round, notifies presidents and evaluators; returns its id.
pub fn open_round(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    input: &RoundInput,
    by: &org::Employee,
    now: NaiveDateTime,
) -> AppResult<String> {
    let organization_id = by.organization_id.as_str();
    let CheckedRound {
        half,
        title,
        windows,
        prizes,
        evaluators,
    } = check_round(conn, organization_id, input)?;
    if model::round_for_half(conn, organization_id, &half.to_string())?.is_some() {
        return Err(AppError::Conflict(format!(
            "{} 평가가 이미 열려 있습니다.",
            half.label_ko()
        )));
    }
    let round_id = model::insert_round(
        conn,
        &model::NewRound {
            organization_id,
            half: &half.to_string(),
            title: &title,
            submit_from: windows.submit_from,
            submit_until: windows.submit_until,
            score_from: windows.score_from,
            score_until: windows.score_until,
            combination: &input.combination,
            trim_min_evaluators: input.trim_min_evaluators,
            evaluators_per_club: input.evaluators_per_club,
        },
        by.id.as_str(),
        now,
    )?;
    for (i, c) in input.rubric.iter().enumerate() {
        model::insert_criterion(
            conn,
            &round_id,
            i as i32 + 1,
            c.name.trim(),
            c.weight,
            c.max_points,
        )?;
    }
    for (tier, winners, amount) in &prizes {
        model::insert_tier(conn, &round_id, *tier, *winners, *amount)?;
    }
    for id in evaluators.iter().map(|e| &e.id) {
        model::insert_round_evaluator(conn, &round_id, id)?;
    }
    audit::record(
        conn,
        now,
        Some(by.id.as_str()),
        "evaluation.round_opened",
        &round_id,
        json!({ "half": half.to_string(), "evaluators": evaluators.len() }),
    )?;

    let link = settings.mail.link(&format!("/evaluation/{round_id}"));
    // The dates as given: the strict parser accepted only `2026-12-01`.
    let window = format!("{} ~ {}", input.submit_from, input.submit_until);
    let scoring = format!("{} ~ {}", input.score_from, input.score_until);
    let active: Vec<String> = clubs::active_clubs(conn, organization_id)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (_, name, email, language) in clubs::president_contacts(conn, &active)? {
        let to = outbox::Recipient::new(&email, &name, &language);
        outbox::notice(conn, templates, &to, now, &format!("[동아리] {title} — 성과보고서 제출 안내"), &[
            format!("{title}가 시작되었습니다. 동아리 회장께서는 연구 성과보고서를 제출 기간({window}) 안에 제출해 주세요."),
            "기간이 지나면 제출할 수 없으니, 사정이 있으면 미리 담당자에게 알려 주세요.".into(),
        ], &link)?;
    }
    for e in &evaluators {
        outbox::notice(
            conn,
            templates,
            &outbox::Recipient::new(&e.email, &e.name, &e.language),
            now,
            &format!("[동아리] {title} — 평가위원 위촉 안내"),
            &[
                format!("{title}의 평가위원으로 지정되셨습니다. 채점 기간은 {scoring}입니다."),
                "본인이 회원이거나 이번 반기에 회원이었던 동아리는 배정되지 않습니다.".into(),
            ],
            &link,
        )?;
    }
    Ok(round_id)
}

// ---- results reports ----

/// Whether the club may submit now: inside the window, or inside a
/// reopening the administrator granted it. Returns whether it is a reopening.
fn submission_allowed(
    conn: &mut DbConn,
    round: &Round,
    club_id: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    require_open(round)?;
    if now < round.submit_from {
        return Err(AppError::Conflict(format!(
            "성과보고서 제출은 {}부터입니다.",
            seoul_datetime(round.submit_from)
        )));
    }
    if now <= round.submit_until {
        return Ok(false);
    }
    match model::reopened_until(conn, &round.id, club_id)? {
        Some(until) if now <= until => Ok(true),
        _ => Err(AppError::Conflict(format!(
            "성과보고서 제출 기간({} 마감)이 지났습니다. 관리자가 다시 열어야 제출할 수 있습니다.",
            seoul_datetime(round.submit_until)
        ))),
    }
}

pub fn check_report_text(text: &ReportText) -> AppResult<()> {
    use crate::korean::{with, Particle};
    let mut checks = Checks::default();
    for (field, label, value, max) in [
        ("study_task", "연구과제", &text.study_task, 500),
        ("activities", "추진 실적", &text.activities, 20_000),
        ("outcomes", "성과", &text.outcomes, 20_000),
    ] {
        if value.trim().is_empty() {
            checks.problem(
                field,
                format!("{} 입력하세요.", with(label, Particle::Object)),
            );
        } else if value.chars().count() > max {
            checks.problem(
                field,
                format!("{} {max}자 이내입니다.", with(label, Particle::Topic)),
            );
        }
    }
    if text.proposals.chars().count() > 20_000 {
        checks.problem("proposals", "제안은 20000자 이내입니다.");
    }
    if text.links.len() > 20 {
        checks.problem("links", "첨부 링크는 20개까지입니다.");
    }
    if let Some(link) = text.links.iter().find(|link| {
        !(link.starts_with("https://") || link.starts_with("http://"))
            || link.len() > 1000
            || link.contains(char::is_whitespace)
    }) {
        checks.problem(
            "links",
            format!(
                "{} http:// 또는 https://로 시작하는 주소여야 합니다.",
                with(&format!("'{link}'"), Particle::Topic)
            ),
        );
    }
    checks.done()
}

/// Submits (or, while allowed, revises) the club's results report. The
/// first submission assigns the evaluators.
pub fn submit_report(
    conn: &mut DbConn,
    round: &Round,
    access: &ClubAccess,
    text: &ReportText,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_manager()?;
    access.require_active()?;
    check_report_text(text)?;
    let club_id = &access.club.id;
    let reopened = submission_allowed(conn, round, club_id, now)?;
    // A revision replaces the working text; the text it replaces stays in
    // the audit trail.
    let previous = match model::report_of(conn, &round.id, club_id)? {
        Some(existing) => {
            model::update_report(conn, &existing.id, text, existing.reopened || reopened, now)?;
            Some(json!({
                "study_task": existing.study_task,
                "activities": existing.activities,
                "outcomes": existing.outcomes,
                "proposals": existing.proposals,
                "links": existing.links,
            }))
        }
        None => {
            model::insert_report(
                conn,
                &round.id,
                club_id,
                text,
                &access.employee_id,
                reopened,
                now,
            )?;
            assign_evaluators(conn, round, club_id, now)?;
            None
        }
    };
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        if previous.is_some() {
            "evaluation.report_revised"
        } else {
            "evaluation.report_submitted"
        },
        club_id,
        json!({ "round": round.id, "reopened": reopened, "previous": previous }),
    )?;
    Ok(())
}

/// Assigns the round's evaluators who were not members of the club during
/// the half: all of them, or the `evaluators_per_club` least loaded.
fn assign_evaluators(
    conn: &mut DbConn,
    round: &Round,
    club_id: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let half = half_of(round);
    let mut load: HashMap<String, usize> = HashMap::new();
    for a in model::live_assignments(conn, &round.id)? {
        *load.entry(a.evaluator_id).or_default() += 1;
    }
    let mut eligible = Vec::new();
    for (id, _, name, ..) in model::evaluators_of(conn, &round.id)? {
        if !model::was_member_between(conn, club_id, &id, half.first_day(), half.last_day())? {
            eligible.push((load.get(&id).copied().unwrap_or(0), name, id));
        }
    }
    eligible.sort();
    let take = match round.evaluators_per_club {
        0 => eligible.len(),
        n => n as usize,
    };
    for (_, _, id) in eligible.into_iter().take(take) {
        model::insert_assignment(conn, &round.id, club_id, &id, None, now)?;
    }
    Ok(())
}

/// Lets one club submit after the window, until the end of `until`.
pub fn reopen(
    conn: &mut DbConn,
    round: &Round,
    club_id: &str,
    until: &str,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    require_open(round)?;
    clubs::club_by_id(conn, club_id)?;
    let until = day_end(date_field("until", "재개 마감일", until)?);
    if until < now {
        return Err(AppError::validation(
            "until",
            "재개 마감일은 오늘 이후여야 합니다.",
        ));
    }
    if until > round.score_until {
        return Err(AppError::validation(
            "until",
            "재개 마감일은 채점 마감 전이어야 합니다.",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::validation(
            "reason",
            "재개 사유를 500자 이내로 입력하세요.",
        ));
    }
    model::insert_reopening(conn, &round.id, club_id, until, reason, by, now)?;
    audit::record(
        conn,
        now,
        Some(by),
        "evaluation.reopened",
        club_id,
        json!({ "round": round.id, "until": until.to_string(), "reason": reason }),
    )?;
    Ok(())
}

// ---- scoring ----

/// Saves an evaluator's points for every criterion and a comment. Each
/// save is kept in the audit trail with the points before and after.
pub fn save_scores(
    conn: &mut DbConn,
    round: &Round,
    club_id: &str,
    evaluator_id: &str,
    points: &HashMap<String, i32>,
    comment: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    require_open(round)?;
    if !scoring_open(round, now) {
        return Err(AppError::Conflict(format!(
            "채점 기간({} ~ {})이 아닙니다.",
            seoul_datetime(round.score_from),
            seoul_datetime(round.score_until)
        )));
    }
    let half = half_of(round);
    if model::was_member_between(
        conn,
        club_id,
        evaluator_id,
        half.first_day(),
        half.last_day(),
    )? {
        return Err(AppError::Forbidden);
    }
    let assignment = model::live_assignment(conn, &round.id, club_id, evaluator_id)?
        .ok_or(AppError::Forbidden)?;
    let criteria = model::criteria_of(conn, &round.id)?;
    for c in &criteria {
        let field = format!("points.{}", c.id);
        let value = points.get(&c.id).copied().ok_or_else(|| {
            AppError::validation(&field, format!("'{}' 점수를 입력하세요.", c.name))
        })?;
        if !(0..=c.max_points).contains(&value) {
            return Err(AppError::validation(
                &field,
                format!("'{}' 점수는 0에서 {}점 사이입니다.", c.name, c.max_points),
            ));
        }
    }
    if let Some(unknown) = points
        .keys()
        .find(|k| !criteria.iter().any(|c| &c.id == *k))
    {
        return Err(AppError::validation(
            &format!("points.{unknown}"),
            "이 평가의 항목이 아닙니다.",
        ));
    }
    let comment = comment.trim();
    if comment.chars().count() > 2000 {
        return Err(AppError::validation("comment", "의견은 2000자 이내입니다."));
    }
    let before: HashMap<String, i32> = model::scores_of(conn, &[assignment.id.clone()])?
        .into_iter()
        .map(|(_, criterion, p)| (criterion, p))
        .collect();
    for c in &criteria {
        model::set_points(conn, &assignment.id, &c.id, points[&c.id], now)?;
    }
    let in_order: Vec<i32> = criteria.iter().map(|c| points[&c.id]).collect();
    model::mark_scored(conn, &assignment.id, comment, &in_order, now)?;
    audit::record(
        conn,
        now,
        Some(evaluator_id),
        if before.is_empty() {
            "evaluation.scored"
        } else {
            "evaluation.score_changed"
        },
        &assignment.id,
        json!({ "club": club_id, "before": before, "after": points, "comment": comment }),
    )?;
    Ok(())
}

/// Ends one evaluator's assignment to a club and/or assigns another.
pub fn reassign(
    conn: &mut DbConn,
    round: &Round,
    club_id: &str,
    remove: Option<&str>,
    add_employee_no: Option<&str>,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    require_open(round)?;
    if model::report_of(conn, &round.id, club_id)?.is_none() {
        return Err(AppError::Conflict(
            "성과보고서를 제출한 동아리만 배정할 수 있습니다.".into(),
        ));
    }
    if remove.is_none() && add_employee_no.is_none() {
        return Err(AppError::validation(
            "add",
            "빼거나 더할 평가위원을 지정하세요.",
        ));
    }
    if let Some(evaluator_id) = remove {
        let a =
            model::live_assignment(conn, &round.id, club_id, evaluator_id)?.ok_or_else(|| {
                AppError::validation("remove", "이 동아리에 배정된 평가위원이 아닙니다.")
            })?;
        model::end_assignment(conn, &a.id, by, now)?;
    }
    if let Some(no) = add_employee_no.map(str::trim) {
        let e = active_evaluator(conn, &round.organization_id, "add", no)?;
        let half = half_of(round);
        if model::was_member_between(conn, club_id, &e.id, half.first_day(), half.last_day())? {
            return Err(AppError::validation(
                "add",
                format!(
                    "{} 이번 반기에 이 동아리 회원이었으므로 평가할 수 없습니다.",
                    crate::korean::with(&e.name, crate::korean::Particle::Topic)
                ),
            ));
        }
        if model::live_assignment(conn, &round.id, club_id, &e.id)?.is_some() {
            return Err(AppError::Conflict(format!(
                "{} 이미 배정되어 있습니다.",
                crate::korean::with(&e.name, crate::korean::Particle::Topic)
            )));
        }
        if !model::is_round_evaluator(conn, &round.id, &e.id)? {
            model::insert_round_evaluator(conn, &round.id, &e.id)?;
        }
        model::insert_assignment(conn, &round.id, club_id, &e.id, Some(by), now)?;
    }
    audit::record(
        conn,
        now,
        Some(by),
        "evaluation.reassigned",
        club_id,
        json!({ "round": round.id, "removed": remove, "added": add_employee_no }),
    )?;
    Ok(())
}
