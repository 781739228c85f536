//! The rules of a round: windows, who submits and scores what, conflicts of
//! interest, the standings, confirmation and top contributors. Every
//! function runs inside the caller's transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use tera::{Context, Tera};

use super::model::{self, NewAward, NewContributor, PrizeTier, ReportText, Round};
use super::ranking::{self, Combination, Criterion, Entry, TierSlots, TIE_RULE_KO};
use crate::audit;
use crate::clock::{seoul, HalfYear};
use crate::clubs::model::{self as clubs, ClubFilter, ClubStatus, MeetingKind};
use crate::clubs::service::ClubAccess;
use crate::config::{PrizeSetting, RubricSetting, Settings};
use crate::db::schema::meetings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::mail::outbox;
use crate::org::model::{self as org, Role};

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

/// A Seoul-time label for an instant stored in UTC: "2026-12-15 23:59".
pub fn seoul_label(at: NaiveDateTime) -> String {
    chrono::Utc
        .from_utc_datetime(&at)
        .with_timezone(&seoul())
        .format("%Y-%m-%d %H:%M")
        .to_string()
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

fn date_field(field: &str, label: &str, value: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::validation(
            field,
            format!("{label}은(는) 2026-12-01 형식의 날짜여야 합니다."),
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
                format!("항목 이름 '{name}'이(가) 두 번 있습니다."),
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
                format!("시상표에 {}이(가) 한 번 있어야 합니다.", tier.label_ko()),
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
fn active_evaluator(conn: &mut DbConn, field: &str, no: &str) -> AppResult<org::Employee> {
    let employee = org::employee_by_no(conn, no)?
        .ok_or_else(|| AppError::validation(field, format!("사원번호 {no}인 직원이 없습니다.")))?;
    let is_evaluator = org::roles_of(conn, &employee.id)?
        .iter()
        .any(|g| g.role == Role::Evaluator);
    if !employee.active || !is_evaluator {
        return Err(AppError::validation(
            field,
            format!(
                "{}({no})은(는) 평가위원 역할이 있는 재직 직원이어야 합니다.",
                employee.name
            ),
        ));
    }
    Ok(employee)
}

/// Opens a round, notifies presidents and evaluators; returns its id.
pub fn open_round(
    conn: &mut DbConn,
    tera: &Tera,
    settings: &Settings,
    input: &RoundInput,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<String> {
    let half = HalfYear::parse(&input.half)
        .ok_or_else(|| AppError::validation("half", "반기는 2026H2 형식이어야 합니다."))?;
    let title = match input.title.trim() {
        "" => format!("{} 학습동아리 성과 평가", half.label_ko()),
        t if t.chars().count() > 200 => {
            return Err(AppError::validation("title", "제목은 200자 이내입니다."))
        }
        t => t.to_string(),
    };
    let submit_from = date_field("submit_from", "제출 시작일", &input.submit_from)?;
    let submit_until = date_field("submit_until", "제출 마감일", &input.submit_until)?;
    let score_from = date_field("score_from", "채점 시작일", &input.score_from)?;
    let score_until = date_field("score_until", "채점 마감일", &input.score_until)?;
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
    if !["mean", "trimmed_mean"].contains(&input.combination.as_str()) {
        return Err(AppError::validation(
            "combination",
            "점수 결합 방식은 mean(평균) 또는 trimmed_mean(최고·최저 제외 평균)입니다.",
        ));
    }
    if !(3..=50).contains(&input.trim_min_evaluators) {
        return Err(AppError::validation(
            "trim_min_evaluators",
            "최고·최저를 빼는 최소 평가위원 수는 3에서 50 사이입니다.",
        ));
    }
    if !(0..=50).contains(&input.evaluators_per_club) {
        return Err(AppError::validation(
            "evaluators_per_club",
            "동아리당 평가위원 수는 0(전원)에서 50 사이입니다.",
        ));
    }
    check_rubric(&input.rubric)?;
    let prizes = check_prizes(&input.prizes)?;
    let mut evaluators = Vec::new();
    for no in input
        .evaluators
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
    {
        let employee = active_evaluator(conn, "evaluators", no)?;
        if !evaluators.iter().any(|(id, _, _)| *id == employee.id) {
            evaluators.push((employee.id, employee.name, employee.email));
        }
    }
    if evaluators.is_empty() {
        return Err(AppError::validation(
            "evaluators",
            "평가위원을 한 명 이상 지정하세요.",
        ));
    }
    if model::round_for_half(conn, &half.to_string())?.is_some() {
        return Err(AppError::Conflict(format!(
            "{} 평가가 이미 열려 있습니다.",
            half.label_ko()
        )));
    }
    let round_id = model::insert_round(
        conn,
        &model::NewRound {
            half: &half.to_string(),
            title: &title,
            submit_from: day_start(submit_from),
            submit_until: day_end(submit_until),
            score_from: day_start(score_from),
            score_until: day_end(score_until),
            combination: &input.combination,
            trim_min_evaluators: input.trim_min_evaluators,
            evaluators_per_club: input.evaluators_per_club,
        },
        by,
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
    for (id, _, _) in &evaluators {
        model::insert_round_evaluator(conn, &round_id, id)?;
    }
    audit::record(
        conn,
        now,
        Some(by),
        "evaluation.round_opened",
        &round_id,
        json!({ "half": half.to_string(), "evaluators": evaluators.len() }),
    )?;

    let link = format!(
        "{}/evaluation/{round_id}",
        settings.mail.base_url.trim_end_matches('/')
    );
    let window = format!("{submit_from} ~ {submit_until}");
    let scoring = format!("{score_from} ~ {score_until}");
    let active = active_club_ids(conn)?;
    for (_, name, email) in president_contacts(conn, &active)? {
        notify(conn, tera, &email, &name, now, &format!("[동아리] {title} — 성과보고서 제출 안내"), &[
            format!("{title}가 시작되었습니다. 동아리 회장께서는 연구 성과보고서를 제출 기간({window}) 안에 제출해 주세요."),
            "기간이 지나면 제출할 수 없으니, 사정이 있으면 미리 담당자에게 알려 주세요.".into(),
        ], &link)?;
    }
    for (_, name, email) in &evaluators {
        notify(
            conn,
            tera,
            email,
            name,
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

/// Queues one evaluation notice (`mail/evaluation_notice`).
pub(crate) fn notify(
    conn: &mut DbConn,
    tera: &Tera,
    email: &str,
    name: &str,
    now: NaiveDateTime,
    subject: &str,
    paragraphs: &[String],
    link: &str,
) -> AppResult<()> {
    let mut ctx = Context::new();
    ctx.insert("subject", subject);
    ctx.insert("name", name);
    ctx.insert("paragraphs", paragraphs);
    ctx.insert("link", link);
    outbox::enqueue(conn, tera, "evaluation_notice", &ctx, email, name, now)?;
    Ok(())
}

pub(crate) fn active_club_ids(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let filter = ClubFilter {
        status: Some(ClubStatus::Active),
        ..Default::default()
    };
    let (all, _) = clubs::list_clubs(conn, &filter, 0, i64::MAX / 2)?;
    Ok(all.into_iter().map(|c| c.id).collect())
}

/// (club id, name, email) of each club's current president.
pub(crate) fn president_contacts(
    conn: &mut DbConn,
    club_ids: &[String],
) -> AppResult<Vec<(String, String, String)>> {
    let presidents = clubs::presidents(conn, club_ids)?;
    let mut out = Vec::new();
    for club_id in club_ids {
        if let Some((employee_id, _)) = presidents.get(club_id) {
            let e = org::employee_by_id(conn, employee_id)?;
            if e.active {
                out.push((club_id.clone(), e.name, e.email));
            }
        }
    }
    Ok(out)
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
            seoul_label(round.submit_from)
        )));
    }
    if now <= round.submit_until {
        return Ok(false);
    }
    match model::reopened_until(conn, &round.id, club_id)? {
        Some(until) if now <= until => Ok(true),
        _ => Err(AppError::Conflict(format!(
            "성과보고서 제출 기간({} 마감)이 지났습니다. 관리자가 다시 열어야 제출할 수 있습니다.",
            seoul_label(round.submit_until)
        ))),
    }
}

pub fn check_report_text(text: &ReportText) -> AppResult<()> {
    for (field, label, value, max) in [
        ("study_task", "연구과제", &text.study_task, 500),
        ("activities", "추진 실적", &text.activities, 20_000),
        ("outcomes", "성과", &text.outcomes, 20_000),
    ] {
        if value.trim().is_empty() {
            return Err(AppError::validation(
                field,
                format!("{label}을(를) 입력하세요."),
            ));
        }
        if value.chars().count() > max {
            return Err(AppError::validation(
                field,
                format!("{label}은(는) {max}자 이내입니다."),
            ));
        }
    }
    if text.proposals.chars().count() > 20_000 {
        return Err(AppError::validation(
            "proposals",
            "제안은 20000자 이내입니다.",
        ));
    }
    if text.links.len() > 20 {
        return Err(AppError::validation("links", "첨부 링크는 20개까지입니다."));
    }
    for link in &text.links {
        if !(link.starts_with("https://") || link.starts_with("http://"))
            || link.len() > 1000
            || link.contains(char::is_whitespace)
        {
            return Err(AppError::validation(
                "links",
                format!("'{link}'은(는) http:// 또는 https://로 시작하는 주소여야 합니다."),
            ));
        }
    }
    Ok(())
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
    for (id, _, name, _) in model::evaluators_of(conn, &round.id)? {
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
    if now < round.score_from || now > round.score_until {
        return Err(AppError::Conflict(format!(
            "채점 기간({} ~ {})이 아닙니다.",
            seoul_label(round.score_from),
            seoul_label(round.score_until)
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
    model::mark_scored(conn, &assignment.id, comment, now)?;
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
        let e = active_evaluator(conn, "add", no)?;
        let half = half_of(round);
        if model::was_member_between(conn, club_id, &e.id, half.first_day(), half.last_day())? {
            return Err(AppError::validation(
                "add",
                format!(
                    "{}은(는) 이번 반기에 이 동아리 회원이었으므로 평가할 수 없습니다.",
                    e.name
                ),
            ));
        }
        if model::live_assignment(conn, &round.id, club_id, &e.id)?.is_some() {
            return Err(AppError::Conflict(format!(
                "{}은(는) 이미 배정되어 있습니다.",
                e.name
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

// ---- progress and standings ----

#[derive(Debug, Clone, Serialize)]
pub struct SheetState {
    pub evaluator_id: String,
    pub evaluator_name: String,
    pub scored_at: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Standing {
    pub club_id: String,
    pub club_name: String,
    pub rank: Option<u32>,
    /// The combined score, "87.50"; None while incomplete.
    pub score: Option<String>,
    pub key_mean: Option<String>,
    pub scored: usize,
    pub assigned: usize,
    pub regular_meetings: i64,
    pub submitted_at: String,
    pub reopened: bool,
    pub decided_by: Option<&'static str>,
    pub tied: bool,
    pub proposed_tier: Option<PrizeTier>,
    pub proposed_label: Option<&'static str>,
    pub proposed_amount_krw: Option<i64>,
    /// A full tie that the prize slots split: the administrator decides.
    pub tie_at_boundary: bool,
    pub sheets: Vec<SheetState>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Standings {
    pub rows: Vec<Standing>,
    /// Active clubs without a results report: (id, name).
    pub not_submitted: Vec<(String, String)>,
    pub key_criterion: String,
    pub tie_rule: Vec<&'static str>,
    pub combination_label: String,
}

pub fn combination_of(round: &Round) -> Combination {
    match round.combination.as_str() {
        "trimmed_mean" => Combination::TrimmedMean {
            min_evaluators: round.trim_min_evaluators.max(3) as usize,
        },
        _ => Combination::Mean,
    }
}

pub fn combination_label(round: &Round) -> String {
    match combination_of(round) {
        Combination::Mean => "평가위원 점수의 평균".into(),
        Combination::TrimmedMean { min_evaluators } => format!(
            "평가위원이 {min_evaluators}명 이상이면 최고·최저 점수를 뺀 평균, 그보다 적으면 평균"
        ),
    }
}

/// Regular meetings held by each club during the half.
fn regular_meetings(
    conn: &mut DbConn,
    club_ids: &[String],
    half: HalfYear,
) -> AppResult<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = meetings::table
        .filter(meetings::club_id.eq_any(club_ids))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::kind.eq(MeetingKind::Regular.code()))
        .filter(meetings::held_on.ge(half.first_day()))
        .filter(meetings::held_on.le(half.last_day()))
        .group_by(meetings::club_id)
        .select((meetings::club_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Every club with a report, ranked by the tie rule, with the proposed
/// awards; incomplete clubs follow, unranked.
pub fn standings(conn: &mut DbConn, round: &Round) -> AppResult<Standings> {
    let criteria = model::criteria_of(conn, &round.id)?;
    let reports = model::reports_of_round(conn, &round.id)?;
    let club_ids: Vec<String> = reports.iter().map(|r| r.club_id.clone()).collect();
    let assignments = model::live_assignments(conn, &round.id)?;
    let assignment_ids: Vec<String> = assignments.iter().map(|a| a.id.clone()).collect();
    let mut points: HashMap<(String, String), i32> = HashMap::new();
    for (a, c, p) in model::scores_of(conn, &assignment_ids)? {
        points.insert((a, c), p);
    }
    let names: HashMap<String, String> = model::evaluators_of(conn, &round.id)?
        .into_iter()
        .map(|(id, _, name, _)| (id, name))
        .collect();
    let meetings = regular_meetings(conn, &club_ids, half_of(round))?;
    let entries: Vec<Entry> = reports
        .iter()
        .map(|r| Entry {
            club_id: r.club_id.clone(),
            sheets: assignments
                .iter()
                .filter(|a| a.club_id == r.club_id)
                .map(|a| {
                    a.scored_at?;
                    criteria
                        .iter()
                        .map(|c| points.get(&(a.id.clone(), c.id.clone())).map(|p| *p as i64))
                        .collect::<Option<Vec<i64>>>()
                })
                .collect(),
            regular_meetings: meetings.get(&r.club_id).copied().unwrap_or(0),
            submitted_at: r.submitted_at,
        })
        .collect();
    let rubric: Vec<Criterion> = criteria
        .iter()
        .map(|c| Criterion {
            weight: c.weight as i64,
            max_points: c.max_points as i64,
        })
        .collect();
    let ranked = ranking::rank(&rubric, combination_of(round), &entries);
    let tiers = model::tiers_of(conn, &round.id)?;
    let slots: Vec<TierSlots<PrizeTier>> = tiers
        .iter()
        .filter_map(|t| {
            Some(TierSlots {
                tier: PrizeTier::parse(&t.tier)?,
                winners: t.winners.max(0) as usize,
            })
        })
        .collect();
    let amounts: HashMap<PrizeTier, i64> = tiers
        .iter()
        .filter_map(|t| Some((PrizeTier::parse(&t.tier)?, t.amount_krw)))
        .collect();
    let proposal: HashMap<String, (PrizeTier, bool)> = ranking::propose(&ranked, &slots)
        .into_iter()
        .map(|(club, tier, split)| (club, (tier, split)))
        .collect();
    let club_names: HashMap<String, String> = club_ids
        .iter()
        .map(|id| Ok((id.clone(), clubs::club_by_id(conn, id)?.name)))
        .collect::<AppResult<_>>()?;
    let by_club: HashMap<&str, &model::ResultsReport> =
        reports.iter().map(|r| (r.club_id.as_str(), r)).collect();
    let rows = ranked
        .into_iter()
        .map(|r| {
            let report = by_club[r.club_id.as_str()];
            let proposed = proposal.get(&r.club_id).copied();
            Standing {
                club_name: club_names[&r.club_id].clone(),
                rank: r.rank,
                score: r.score.map(|s| s.to_decimal()),
                key_mean: r.key_mean.map(|s| s.to_decimal()),
                scored: r.scored,
                assigned: r.assigned,
                regular_meetings: meetings.get(&r.club_id).copied().unwrap_or(0),
                submitted_at: seoul_label(report.submitted_at),
                reopened: report.reopened,
                decided_by: r.decided_by.map(|d| d.label_ko()),
                tied: r.tied,
                proposed_tier: proposed.map(|p| p.0),
                proposed_label: proposed.map(|p| p.0.label_ko()),
                proposed_amount_krw: proposed.and_then(|p| amounts.get(&p.0).copied()),
                tie_at_boundary: proposed.is_some_and(|p| p.1),
                sheets: assignments
                    .iter()
                    .filter(|a| a.club_id == r.club_id)
                    .map(|a| SheetState {
                        evaluator_id: a.evaluator_id.clone(),
                        evaluator_name: names.get(&a.evaluator_id).cloned().unwrap_or_default(),
                        scored_at: a.scored_at.map(seoul_label),
                    })
                    .collect(),
                club_id: r.club_id,
            }
        })
        .collect();
    let submitted: HashSet<&String> = club_ids.iter().collect();
    let mut not_submitted = Vec::new();
    for id in active_club_ids(conn)? {
        if !submitted.contains(&id) {
            let name = clubs::club_by_id(conn, &id)?.name;
            not_submitted.push((id, name));
        }
    }
    not_submitted.sort_by(|a, b| a.1.cmp(&b.1));
    let key = ranking::key_criterion(&rubric);
    Ok(Standings {
        rows,
        not_submitted,
        key_criterion: criteria
            .get(key)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        tie_rule: TIE_RULE_KO.to_vec(),
        combination_label: combination_label(round),
    })
}

// ---- confirmation ----

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardChoice {
    pub club_id: String,
    pub tier: PrizeTier,
}

/// Confirms the round: records the awards (the proposal, or the
/// administrator's adjustment with a reason), the overseas-training list,
/// and notifies. Final: a second call with the same awards changes nothing
/// and answers Ok(false); different awards are refused.
pub fn confirm(
    conn: &mut DbConn,
    tera: &Tera,
    settings: &Settings,
    round: &Round,
    choices: Option<Vec<AwardChoice>>,
    reason: Option<&str>,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<bool> {
    if round.confirmed_at.is_some() {
        let existing: HashSet<(String, String)> = model::awards_of(conn, &round.id)?
            .into_iter()
            .map(|(a, _)| (a.club_id, a.tier))
            .collect();
        let asked = choices.map(|c| {
            c.into_iter()
                .map(|c| (c.club_id, c.tier.code().to_string()))
                .collect::<HashSet<_>>()
        });
        return match asked {
            Some(asked) if asked != existing => Err(AppError::Conflict(
                "평가 결과는 이미 확정되었습니다. 확정 후에는 바꿀 수 없습니다.".into(),
            )),
            _ => Ok(false),
        };
    }
    if now <= round.score_until {
        return Err(AppError::Conflict(format!(
            "채점 마감({}) 뒤에 확정할 수 있습니다.",
            seoul_label(round.score_until)
        )));
    }
    let standings = standings(conn, round)?;
    let proposal: Vec<AwardChoice> = standings
        .rows
        .iter()
        .filter_map(|r| {
            Some(AwardChoice {
                club_id: r.club_id.clone(),
                tier: r.proposed_tier?,
            })
        })
        .collect();
    let boundary_tie = standings.rows.iter().any(|r| r.tie_at_boundary);
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let adjusted = match &choices {
        Some(c) => {
            let a: HashSet<_> = c.iter().map(|c| (&c.club_id, c.tier)).collect();
            let p: HashSet<_> = proposal.iter().map(|c| (&c.club_id, c.tier)).collect();
            a != p
        }
        None => false,
    };
    if choices.is_none() && boundary_tie {
        return Err(AppError::validation(
            "awards",
            "시상 경계에 완전 동점인 동아리가 있습니다. 수상 동아리를 직접 정하고 사유를 적으세요.",
        ));
    }
    if (adjusted || boundary_tie) && reason.is_none_or(|r| r.chars().count() > 1000) {
        return Err(AppError::validation(
            "reason",
            "제안과 다르게 시상하려면 사유를 1000자 이내로 적어야 합니다.",
        ));
    }
    let awards = choices.unwrap_or(proposal.clone());
    let rows: HashMap<&str, &Standing> = standings
        .rows
        .iter()
        .map(|r| (r.club_id.as_str(), r))
        .collect();
    let tiers = model::tiers_of(conn, &round.id)?;
    let mut seen = HashSet::new();
    for a in &awards {
        let Some(row) = rows.get(a.club_id.as_str()).filter(|r| r.rank.is_some()) else {
            return Err(AppError::validation(
                "awards",
                "채점이 끝나 순위에 오른 동아리에만 시상할 수 있습니다.",
            ));
        };
        if !seen.insert(&a.club_id) {
            return Err(AppError::validation(
                "awards",
                format!("{}에 두 번 시상할 수 없습니다.", row.club_name),
            ));
        }
    }
    for t in &tiers {
        let count = awards.iter().filter(|a| a.tier.code() == t.tier).count();
        if count > t.winners.max(0) as usize {
            return Err(AppError::validation(
                "awards",
                format!(
                    "{}은(는) {}개 동아리까지입니다.",
                    PrizeTier::parse(&t.tier).map_or("", |p| p.label_ko()),
                    t.winners
                ),
            ));
        }
    }
    if !model::mark_confirmed(
        conn,
        &round.id,
        by,
        reason.filter(|_| adjusted || boundary_tie),
        now,
    )? {
        // Another administrator confirmed a moment ago.
        return Err(AppError::Conflict(
            "평가 결과는 이미 확정되었습니다.".into(),
        ));
    }
    let proposed: HashMap<&str, PrizeTier> = proposal
        .iter()
        .map(|p| (p.club_id.as_str(), p.tier))
        .collect();
    for a in &awards {
        let row = rows[a.club_id.as_str()];
        let amount = tiers
            .iter()
            .find(|t| t.tier == a.tier.code())
            .map_or(0, |t| t.amount_krw);
        let proposed_tier = proposed.get(a.club_id.as_str()).copied();
        model::insert_award(
            conn,
            &round.id,
            &NewAward {
                club_id: &a.club_id,
                tier: a.tier,
                amount_krw: amount,
                rank: row.rank.map(|r| r as i32),
                score: row.score.clone(),
                proposed_tier: proposed_tier.filter(|p| *p != a.tier),
            },
            by,
            now,
        )?;
        audit::record(
            conn,
            now,
            Some(by),
            "evaluation.prize_awarded",
            &a.club_id,
            json!({ "round": round.id, "tier": a.tier.code(), "amount_krw": amount, "proposed": proposed_tier.map(|p| p.code()), "reason": reason }),
        )?;
    }
    // Every member of the 최우수 club during the half goes on the overseas list.
    let half = half_of(round);
    let grand: Vec<String> = awards
        .iter()
        .filter(|a| a.tier == PrizeTier::Grand)
        .map(|a| a.club_id.clone())
        .collect();
    for (club_id, employee_id) in
        model::members_between(conn, &grand, half.first_day(), half.last_day())?
    {
        if org::employee_by_id(conn, &employee_id)?.active {
            model::insert_overseas(conn, &round.id, &employee_id, &club_id, now)?;
        }
    }
    audit::record(
        conn,
        now,
        Some(by),
        "evaluation.confirmed",
        &round.id,
        json!({ "awards": awards.len(), "adjusted": adjusted, "reason": reason }),
    )?;

    let link = format!(
        "{}/evaluation/{}/results",
        settings.mail.base_url.trim_end_matches('/'),
        round.id
    );
    let award_of: HashMap<&str, PrizeTier> = awards
        .iter()
        .map(|a| (a.club_id.as_str(), a.tier))
        .collect();
    let club_ids: Vec<String> = standings.rows.iter().map(|r| r.club_id.clone()).collect();
    for (club_id, name, email) in president_contacts(conn, &club_ids)? {
        let line = match award_of.get(club_id.as_str()) {
            Some(tier) if tier.has_top_contributors() => format!(
                "축하합니다. 동아리가 {}상을 받았습니다. 포털에서 활동 최고 기여자 2명을 추천해 주세요.",
                tier.label_ko()
            ),
            Some(tier) => format!("축하합니다. 동아리가 {}상을 받았습니다.", tier.label_ko()),
            None => "참여해 주셔서 감사합니다. 결과를 포털에서 확인하세요.".into(),
        };
        notify(
            conn,
            tera,
            &email,
            &name,
            now,
            &format!("[동아리] {} 결과 발표", round.title),
            &[line],
            &link,
        )?;
    }
    for (_, _, name, email) in model::evaluators_of(conn, &round.id)? {
        notify(
            conn,
            tera,
            &email,
            &name,
            now,
            &format!("[동아리] {} 결과 발표", round.title),
            &["평가에 참여해 주셔서 감사합니다. 확정된 결과를 포털에서 확인하세요.".into()],
            &link,
        )?;
    }
    Ok(true)
}

// ---- top contributors ----

/// The club president (or an administrator) recommends a member of a
/// 최우수 or 우수 club as a top contributor: two per club at most.
pub fn recommend(
    conn: &mut DbConn,
    settings: &Settings,
    round: &Round,
    access: &ClubAccess,
    employee_no: &str,
    reason: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_manager()?;
    if round.confirmed_at.is_none() {
        return Err(AppError::Conflict(
            "평가 결과가 확정된 뒤에 추천할 수 있습니다.".into(),
        ));
    }
    let club_id = &access.club.id;
    let tier = model::awards_of(conn, &round.id)?
        .into_iter()
        .find(|(a, _)| &a.club_id == club_id)
        .and_then(|(a, _)| PrizeTier::parse(&a.tier));
    if !tier.is_some_and(PrizeTier::has_top_contributors) {
        return Err(AppError::Conflict(
            "최우수·우수 동아리만 활동 최고 기여자를 추천할 수 있습니다.".into(),
        ));
    }
    let no = employee_no.trim();
    let employee = org::employee_by_no(conn, no)?.ok_or_else(|| {
        AppError::validation("employee_no", format!("사원번호 {no}인 직원이 없습니다."))
    })?;
    let half = half_of(round);
    if !model::was_member_between(
        conn,
        club_id,
        &employee.id,
        half.first_day(),
        half.last_day(),
    )? {
        return Err(AppError::validation(
            "employee_no",
            format!(
                "{}은(는) 이번 반기 이 동아리의 회원이 아니어서 추천할 수 없습니다.",
                employee.name
            ),
        ));
    }
    let reason = reason.trim();
    if reason.chars().count() > 1000 {
        return Err(AppError::validation(
            "reason",
            "추천 사유는 1000자 이내입니다.",
        ));
    }
    let taken: Vec<model::TopContributor> = model::contributors_of(conn, &round.id)?
        .into_iter()
        .map(|(c, _, _, _)| c)
        .filter(|c| &c.club_id == club_id)
        .collect();
    if taken.iter().any(|c| c.employee_id == employee.id) {
        return Err(AppError::Conflict(format!(
            "{}은(는) 이미 추천되었습니다.",
            employee.name
        )));
    }
    let Some(slot) = [1, 2]
        .into_iter()
        .find(|s| !taken.iter().any(|c| c.slot == *s))
    else {
        return Err(AppError::Conflict(
            "동아리마다 2명까지 추천할 수 있습니다.".into(),
        ));
    };
    model::insert_contributor(
        conn,
        &round.id,
        &NewContributor {
            club_id,
            slot,
            employee_id: &employee.id,
            special_leave_days: settings.evaluation.special_leave_days,
            reason,
        },
        &access.employee_id,
        now,
    )?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "evaluation.top_contributor",
        &employee.id,
        json!({ "round": round.id, "club": club_id, "special_leave_days": settings.evaluation.special_leave_days, "preferred_department": true }),
    )?;
    Ok(())
}
