//! The demo's first-half evaluation (2026H1): every active club submitted
//! its results report in July, the demo evaluator scored them all, and the
//! administrator confirmed the proposal — so the results page, the
//! exports and the top-contributor form can be tried at once.

use chrono::{NaiveDate, NaiveDateTime};

use super::awards;
use super::model::{self, ReportText};
use super::service::{self, day_start, RoundInput};
use crate::clubs::model::{self as clubs, MemberRole};
use crate::clubs::service::ClubAccess;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::i18n::templates::Templates;
use crate::org::model as org;

fn july(day: u32, hour: u32) -> NaiveDateTime {
    day_start(NaiveDate::from_ymd_opt(2026, 7, day).expect("a July day"))
        + chrono::Duration::hours(hour as i64)
}

/// Returns how many clubs were awarded, or None when the half is not over.
pub fn load(
    conn: &mut DbConn,
    templates: &Templates,
    settings: &Settings,
    today: NaiveDate,
) -> AppResult<Option<usize>> {
    if today < NaiveDate::from_ymd_opt(2026, 7, 21).expect("valid") {
        return Ok(None);
    }
    let (office, admin) = crate::org::demo::office_and_administrator(conn)?;
    let org_id = office.id;
    let defaults = &settings.evaluation;
    let input = RoundInput {
        half: "2026H1".into(),
        title: String::new(),
        submit_from: "2026-07-01".into(),
        submit_until: "2026-07-10".into(),
        score_from: "2026-07-11".into(),
        score_until: "2026-07-20".into(),
        combination: defaults.combination.clone(),
        trim_min_evaluators: defaults.trim_min_evaluators,
        evaluators_per_club: defaults.evaluators_per_club,
        evaluators: vec!["9000002".into()],
        rubric: defaults.rubric.clone(),
        prizes: defaults.prizes.clone(),
    };
    let round_id = service::open_round(conn, templates, settings, &input, &admin, july(1, 9))?;
    let round = model::round_by_id(conn, &round_id)?;
    let clubs_now: Vec<String> = clubs::active_clubs(conn, &round.organization_id)?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    for (index, club_id) in clubs_now.iter().enumerate() {
        let club = clubs::club_by_id(conn, club_id)?;
        let Some(president) = clubs::members_of(conn, club_id)?.into_iter().find(|m| {
            m.membership.role() == MemberRole::President && m.membership.left_on.is_none()
        }) else {
            continue;
        };
        let access = ClubAccess {
            club: club.clone(),
            membership: Some(president.membership.clone()),
            is_admin: false,
            employee_id: president.membership.employee_id.clone(),
        };
        let task = clubs::study_task(conn, club_id, "2026H1")?
            .map(|t| t.title)
            .unwrap_or_else(|| format!("{} 상반기 연구과제", club.name));
        let text = ReportText {
            study_task: task,
            activities: "매월 정기모임을 열어 자료를 함께 읽고 현장을 찾아 사례를 조사했습니다."
                .into(),
            outcomes: "업무 개선안 2건을 정리해 담당 부서에 전달했습니다.".into(),
            proposals: "관련 부서와 공동 세미나 개최".into(),
            links: Vec::new(),
        };
        service::submit_report(
            conn,
            &round,
            &access,
            &text,
            july(2 + (index % 8) as u32, 10),
        )?;
    }
    let evaluator = org::employee_by_no(conn, &org_id, "9000002")?.expect("the demo evaluator");
    let criteria = model::criteria_of(conn, &round_id)?;
    for (index, club_id) in clubs_now.iter().enumerate() {
        // Distinct totals, so that the demo needs no tie decision.
        let points = criteria
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = c.max_points - ((index * 3 + i * (index % 4)) % 5) as i32;
                (c.id.clone(), p.max(0))
            })
            .collect();
        if model::live_assignment(conn, &round_id, club_id, &evaluator.id)?.is_some() {
            service::save_scores(
                conn,
                &round,
                club_id,
                &evaluator.id,
                &points,
                "성실한 연구 활동",
                july(15, 14),
            )?;
        }
    }
    let proposal_ties = awards::standings(conn, &round)?
        .rows
        .iter()
        .any(|r| r.tie_at_boundary);
    if proposal_ties {
        return Ok(Some(0));
    }
    awards::confirm(conn, settings, &round, None, None, &admin.id, july(21, 10))?;
    Ok(Some(model::awards_of(conn, &round_id)?.len()))
}
