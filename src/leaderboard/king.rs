//! The knowledge king (지식왕) of a year: once the year is over, the portal
//! proposes the person with the most mileage credited in it, with the
//! runners-up; an administrator confirms the proposal or chooses another
//! with a reason. One per office and year, recorded and audited.

use std::cmp::Ordering;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{self, Among, KnowledgeKing};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::period::Period;

/// The tie rule, as the page prints it.
pub const TIE_RULE: &str = "동점이면 ① 학습성과물 게시·댓글로 받은 마일리지가 많은 사람, ② 그해 마지막 적립이 더 이른 사람(먼저 그 점수에 이른 사람), ③ 그래도 같으면 먼저 등록된 직원 순으로 제안합니다.";

/// Places proposed: the king and two runners-up (more on a tie).
const PROPOSED: i64 = 3;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    pub employee_id: String,
    pub name: String,
    pub points: i64,
    /// Points from posts and comments, the first tie-break.
    pub community_points: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Confirmed {
    pub employee_id: String,
    pub name: String,
    pub points: i64,
    /// Whether the administrator chose someone other than the proposal.
    pub overridden: bool,
    pub reason: Option<String>,
    /// RFC 3339, Seoul time.
    pub confirmed_at: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KingView {
    pub year: i32,
    /// The year is over: a king may be confirmed.
    pub closed: bool,
    pub tie_rule: &'static str,
    /// Best first; the first is the proposal.
    pub candidates: Vec<Candidate>,
    pub confirmed: Option<Confirmed>,
}

/// Orders candidates by the tie rule: more points, then more from posts
/// and comments, then the earlier last earning.
fn by_tie_rule(
    a: &(i64, i64, Option<NaiveDateTime>),
    b: &(i64, i64, Option<NaiveDateTime>),
) -> Ordering {
    b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2))
}

/// The proposal for a year, best first.
pub fn candidates(
    conn: &mut DbConn,
    organization_id: &str,
    year: i32,
    today: NaiveDate,
) -> AppResult<Vec<Candidate>> {
    let period = Period::Year(year);
    let top = model::top_people(
        conn,
        organization_id,
        period,
        &Among::Office,
        PROPOSED,
        today,
    )?;
    let ids: Vec<String> = top.iter().map(|(id, _)| id.clone()).collect();
    let extra = model::community_and_last(conn, &ids, (period.from(), period.to()))?;
    let names = crate::org::model::names_by_ids(conn, &ids)?;
    let mut rows: Vec<(String, (i64, i64, Option<NaiveDateTime>))> = top
        .into_iter()
        .map(|(id, points)| {
            let (community, last) = extra.get(&id).copied().unwrap_or_default();
            (id, (points, community, last))
        })
        .collect();
    rows.sort_by(|a, b| by_tie_rule(&a.1, &b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(rows
        .into_iter()
        .map(|(id, (points, community_points, _))| Candidate {
            name: names.get(&id).cloned().unwrap_or_default(),
            employee_id: id,
            points,
            community_points,
        })
        .collect())
}

pub fn view(
    conn: &mut DbConn,
    organization_id: &str,
    year: i32,
    today: NaiveDate,
) -> AppResult<KingView> {
    let confirmed = model::kings_of(conn, organization_id)?
        .into_iter()
        .find(|k| k.year == year);
    let confirmed = match confirmed {
        Some(k) => Some(confirmed_view(conn, k)?),
        None => None,
    };
    Ok(KingView {
        year,
        closed: today.year() > year,
        tie_rule: TIE_RULE,
        candidates: candidates(conn, organization_id, year, today)?,
        confirmed,
    })
}

fn confirmed_view(conn: &mut DbConn, k: KnowledgeKing) -> AppResult<Confirmed> {
    let name = crate::org::model::employee_by_id(conn, &k.employee_id)?.name;
    Ok(Confirmed {
        overridden: k.proposed_employee_id.as_deref() != Some(k.employee_id.as_str()),
        name,
        employee_id: k.employee_id,
        points: k.points,
        reason: k.reason,
        confirmed_at: crate::format::seoul_rfc3339(k.confirmed_at),
    })
}

/// Every confirmed king of an office, latest year first.
pub fn hall(conn: &mut DbConn, organization_id: &str) -> AppResult<Vec<(i32, Confirmed)>> {
    model::kings_of(conn, organization_id)?
        .into_iter()
        .map(|k| Ok((k.year, confirmed_view(conn, k)?)))
        .collect()
}

/// Confirms a year's knowledge king: the proposal, or `chosen` with a
/// reason (administrators; audited). A year is confirmed once: 409 after.
#[allow(clippy::too_many_arguments)]
pub fn confirm(
    conn: &mut DbConn,
    organization_id: &str,
    year: i32,
    chosen: Option<&str>,
    reason: &str,
    admin_id: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<KingView> {
    if today.year() <= year {
        return Err(AppError::validation(
            "year",
            "지식왕은 그해가 끝난 뒤에 확정합니다.",
        ));
    }
    crate::db::write_tx(conn, |conn| {
        let proposal = candidates(conn, organization_id, year, today)?
            .into_iter()
            .next()
            .map(|c| c.employee_id);
        let chosen = match chosen.map(str::trim).filter(|c| !c.is_empty()) {
            Some(id) => id.to_string(),
            None => proposal.clone().ok_or_else(|| {
                AppError::validation(
                    "employee_id",
                    "그해 마일리지를 받은 사람이 없어 제안이 없습니다. 직접 고르세요.",
                )
            })?,
        };
        let reason = reason.trim();
        if proposal.as_deref() != Some(chosen.as_str()) && reason.is_empty() {
            return Err(AppError::validation(
                "reason",
                "제안과 다른 사람을 고를 때는 사유를 적어 주세요.",
            ));
        }
        if reason.chars().count() > 1000 {
            return Err(AppError::validation("reason", "사유는 1,000자까지입니다."));
        }
        let person = crate::org::model::employee_by_id(conn, &chosen)
            .map_err(|_| AppError::validation("employee_id", "이 기관의 직원이 아닙니다."))?;
        if person.organization_id != organization_id || !person.active {
            return Err(AppError::validation(
                "employee_id",
                "이 기관의 재직 중인 직원만 고를 수 있습니다.",
            ));
        }
        let king = KnowledgeKing {
            organization_id: organization_id.to_string(),
            year,
            points: model::total_of(
                conn,
                organization_id,
                Period::Year(year),
                "employee",
                &chosen,
            )?,
            employee_id: chosen,
            proposed_employee_id: proposal,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
            confirmed_by: admin_id.to_string(),
            confirmed_at: now,
        };
        model::insert_king(conn, &king)
            .map_err(AppError::unique_as("이 해의 지식왕은 이미 확정되었습니다."))?;
        crate::audit::record(
            conn,
            now,
            Some(admin_id),
            "leaderboard.knowledge_king_confirmed",
            &format!("{organization_id}/{year}"),
            serde_json::json!({
                "employee_id": king.employee_id,
                "proposed_employee_id": king.proposed_employee_id,
                "points": king.points,
                "reason": king.reason,
            }),
        )?;
        view(conn, organization_id, year, today)
    })
}
