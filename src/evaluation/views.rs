//! What the API and the pages show of a round: its settings, a results
//! report, an evaluator's sheets, the confirmed results and the exports.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::awards::{self, combination_label};
use super::model::{self, Round};
use super::service::{half_of, phase, Phase};
use crate::clubs::model as clubs;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::export::{Cell, Table};
use crate::format::seoul_datetime;
use crate::org::model as org;
use crate::org::policy::PrizeTier;

#[derive(Debug, Clone, Serialize)]
pub struct CriterionView {
    pub id: String,
    pub position: i32,
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrizeView {
    pub tier: PrizeTier,
    pub label: &'static str,
    pub winners: i32,
    pub amount_krw: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvaluatorView {
    pub id: String,
    pub employee_no: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundView {
    pub id: String,
    pub half: String,
    pub half_label: String,
    pub title: String,
    pub phase: Phase,
    pub phase_label: &'static str,
    /// Seoul time, "2026-12-01 00:00".
    pub submit_from: String,
    pub submit_until: String,
    pub score_from: String,
    pub score_until: String,
    pub combination: String,
    pub combination_label: String,
    pub trim_min_evaluators: i32,
    pub evaluators_per_club: i32,
    pub criteria: Vec<CriterionView>,
    pub prizes: Vec<PrizeView>,
    pub evaluators: Vec<EvaluatorView>,
    pub confirmed_at: Option<String>,
    pub adjustment_reason: Option<String>,
}

pub fn round_view(conn: &mut DbConn, round: &Round, now: NaiveDateTime) -> AppResult<RoundView> {
    let criteria = model::criteria_of(conn, &round.id)?
        .into_iter()
        .map(|c| CriterionView {
            id: c.id,
            position: c.position,
            name: c.name,
            weight: c.weight,
            max_points: c.max_points,
        })
        .collect();
    let prizes = model::tiers_of(conn, &round.id)?
        .into_iter()
        .filter_map(|t| {
            let tier = PrizeTier::parse(&t.tier)?;
            Some(PrizeView {
                tier,
                label: tier.label_ko(),
                winners: t.winners,
                amount_krw: t.amount_krw,
            })
        })
        .collect();
    let evaluators = model::evaluators_of(conn, &round.id)?
        .into_iter()
        .map(|(id, employee_no, name, ..)| EvaluatorView {
            id,
            employee_no,
            name,
        })
        .collect();
    let p = phase(round, now);
    Ok(RoundView {
        id: round.id.clone(),
        half: round.half.clone(),
        half_label: half_of(round).label_ko(),
        title: round.title.clone(),
        phase: p,
        phase_label: p.label_ko(),
        submit_from: seoul_datetime(round.submit_from),
        submit_until: seoul_datetime(round.submit_until),
        score_from: seoul_datetime(round.score_from),
        score_until: seoul_datetime(round.score_until),
        combination: round.combination.clone(),
        combination_label: combination_label(round),
        trim_min_evaluators: round.trim_min_evaluators,
        evaluators_per_club: round.evaluators_per_club,
        criteria,
        prizes,
        evaluators,
        confirmed_at: round.confirmed_at.map(seoul_datetime),
        adjustment_reason: round.adjustment_reason.clone(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ResultsReportView {
    pub club_id: String,
    pub club_name: String,
    pub study_task: String,
    pub activities: String,
    pub outcomes: String,
    pub proposals: String,
    pub links: Vec<String>,
    pub submitted_at: String,
    pub updated_at: String,
    pub reopened: bool,
}

pub fn report_view(
    conn: &mut DbConn,
    round: &Round,
    club_id: &str,
) -> AppResult<Option<ResultsReportView>> {
    let Some(r) = model::report_of(conn, &round.id, club_id)? else {
        return Ok(None);
    };
    Ok(Some(ResultsReportView {
        club_name: clubs::club_by_id(conn, club_id)?.name,
        club_id: r.club_id,
        study_task: r.study_task,
        activities: r.activities,
        outcomes: r.outcomes,
        proposals: r.proposals,
        links: r
            .links
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        submitted_at: seoul_datetime(r.submitted_at),
        updated_at: seoul_datetime(r.updated_at),
        reopened: r.reopened,
    }))
}

/// One club an evaluator scores, with their points so far.
#[derive(Debug, Clone, Serialize)]
pub struct SheetView {
    pub club_id: String,
    pub club_name: String,
    pub scored_at: Option<String>,
    pub comment: String,
    /// Points by criterion id.
    pub points: HashMap<String, i32>,
}

pub fn sheets_of(
    conn: &mut DbConn,
    round: &Round,
    evaluator_id: &str,
) -> AppResult<Vec<SheetView>> {
    let mine = model::live_assignments_of(conn, &round.id, evaluator_id)?;
    let ids: Vec<String> = mine.iter().map(|a| a.id.clone()).collect();
    let mut points: HashMap<String, HashMap<String, i32>> = HashMap::new();
    for (a, c, p) in model::scores_of(conn, &ids)? {
        points.entry(a).or_default().insert(c, p);
    }
    let club_ids: Vec<String> = mine.iter().map(|a| a.club_id.clone()).collect();
    let names = clubs::names_of(conn, &club_ids)?;
    let mut out: Vec<SheetView> = mine
        .into_iter()
        .map(|a| SheetView {
            club_name: names.get(&a.club_id).cloned().unwrap_or_default(),
            club_id: a.club_id,
            scored_at: a.scored_at.map(seoul_datetime),
            comment: a.comment,
            points: points.remove(&a.id).unwrap_or_default(),
        })
        .collect();
    out.sort_by(|a, b| a.club_name.cmp(&b.club_name));
    Ok(out)
}

#[derive(Debug, Clone, Serialize)]
pub struct AwardRow {
    pub club_id: String,
    pub club_name: String,
    pub tier: String,
    pub tier_label: &'static str,
    pub amount_krw: i64,
    pub rank: Option<i32>,
    pub score: Option<String>,
    /// Set when the administrator awarded differently from the proposal.
    pub proposed_label: Option<&'static str>,
    pub recommends_contributors: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContributorRow {
    pub club_id: String,
    pub club_name: String,
    pub employee_no: String,
    pub name: String,
    pub special_leave_days: i32,
    pub preferred_department: bool,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverseasRow {
    pub employee_no: String,
    pub name: String,
    pub department: String,
    pub club_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub round: RoundView,
    pub awards: Vec<AwardRow>,
    pub total_krw: i64,
    pub contributors: Vec<ContributorRow>,
    pub overseas: Vec<OverseasRow>,
}

/// The confirmed results, for every employee.
pub fn results(conn: &mut DbConn, round: &Round, now: NaiveDateTime) -> AppResult<Results> {
    if round.confirmed_at.is_none() {
        return Err(AppError::Conflict(
            "평가 결과가 아직 확정되지 않았습니다.".into(),
        ));
    }
    let awards: Vec<AwardRow> = model::awards_of(conn, &round.id)?
        .into_iter()
        .map(|(a, club_name)| {
            let tier = PrizeTier::parse(&a.tier).unwrap_or(PrizeTier::Encouragement);
            AwardRow {
                club_id: a.club_id,
                club_name,
                tier: a.tier,
                tier_label: tier.label_ko(),
                amount_krw: a.amount_krw,
                rank: a.rank,
                score: a.score,
                proposed_label: a
                    .proposed_tier
                    .as_deref()
                    .and_then(PrizeTier::parse)
                    .map(PrizeTier::label_ko),
                recommends_contributors: tier.has_top_contributors(),
            }
        })
        .collect();
    let contributors = model::contributors_of(conn, &round.id)?
        .into_iter()
        .map(|(c, employee_no, name, club_name)| ContributorRow {
            club_id: c.club_id,
            club_name,
            employee_no,
            name,
            special_leave_days: c.special_leave_days,
            preferred_department: c.preferred_department,
            reason: c.reason,
        })
        .collect();
    let departments: HashMap<String, String> = org::all_departments(conn, &round.organization_id)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let overseas = model::overseas_of(conn, &round.id)?
        .into_iter()
        .map(|(employee_no, name, department, club_name)| OverseasRow {
            employee_no,
            name,
            department: department
                .and_then(|d| departments.get(&d).cloned())
                .unwrap_or_default(),
            club_name,
        })
        .collect();
    Ok(Results {
        round: round_view(conn, round, now)?,
        total_krw: awards.iter().map(|a| a.amount_krw).sum(),
        awards,
        contributors,
        overseas,
    })
}

/// The tables HR asks for: ranking, prizes, top contributors, overseas list.
pub fn export_tables(
    conn: &mut DbConn,
    round: &Round,
    now: NaiveDateTime,
) -> AppResult<Vec<Table>> {
    let results = results(conn, round, now)?;
    let standings = awards::standings(conn, round)?;
    let text = |s: Option<String>| Cell::Text(s.unwrap_or_default());
    let ranking = Table {
        name: "순위".into(),
        headers: vec![
            "순위",
            "동아리",
            "종합 점수",
            "주요 항목 평균",
            "정기모임",
            "채점",
            "제출 시각",
            "비고",
        ],
        rows: standings
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.rank
                        .map_or(Cell::Text("미완료".into()), |n| Cell::Number(n as i64)),
                    r.club_name.clone().into(),
                    text(r.score.clone()),
                    text(r.key_mean.clone()),
                    Cell::Number(r.regular_meetings),
                    format!("{}/{}", r.scored, r.assigned).into(),
                    // Seoul wall-clock time as the standings write it.
                    chrono::NaiveDateTime::parse_from_str(&r.submitted_at, "%Y-%m-%d %H:%M")
                        .map_or_else(|_| r.submitted_at.clone().into(), Cell::DateTime),
                    r.decided_by
                        .unwrap_or(if r.tied { "완전 동점" } else { "" })
                        .into(),
                ]
            })
            .collect(),
    };
    let prizes = Table {
        name: "시상".into(),
        headers: vec![
            "등급",
            "동아리",
            "순위",
            "종합 점수",
            "포상금(원)",
            "제안 등급",
        ],
        rows: results
            .awards
            .iter()
            .map(|a| {
                vec![
                    a.tier_label.into(),
                    a.club_name.clone().into(),
                    a.rank
                        .map_or(Cell::Text(String::new()), |n| Cell::Number(n as i64)),
                    text(a.score.clone()),
                    Cell::Number(a.amount_krw),
                    a.proposed_label.unwrap_or("").into(),
                ]
            })
            .collect(),
    };
    let contributors = Table {
        name: "활동 최고 기여자".into(),
        headers: vec![
            "동아리",
            "사원번호",
            "성명",
            "특별휴가(일)",
            "전보 시 희망부서 추천",
            "추천 사유",
        ],
        rows: results
            .contributors
            .iter()
            .map(|c| {
                vec![
                    c.club_name.clone().into(),
                    c.employee_no.clone().into(),
                    c.name.clone().into(),
                    Cell::Number(c.special_leave_days as i64),
                    if c.preferred_department {
                        "예"
                    } else {
                        "아니오"
                    }
                    .into(),
                    c.reason.clone().into(),
                ]
            })
            .collect(),
    };
    let overseas = Table {
        name: "해외연수 추천".into(),
        headers: vec!["사원번호", "성명", "부서", "동아리"],
        rows: results
            .overseas
            .iter()
            .map(|o| {
                vec![
                    o.employee_no.clone().into(),
                    o.name.clone().into(),
                    o.department.clone().into(),
                    o.club_name.clone().into(),
                ]
            })
            .collect(),
    };
    Ok(vec![ranking, prizes, contributors, overseas])
}
