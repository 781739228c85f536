//! The outcome of a round: progress and standings with the proposed
//! awards, the administrator's confirmation (prizes, overseas list,
//! results mail) and the top contributors recommended afterwards. Every
//! function runs inside the caller's transaction.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;
use serde_json::json;

use super::model::{self, NewAward, NewContributor, Round};
use super::ranking::{self, Combination, Criterion, Entry, TierSlots, TIE_RULE_KO};
use super::service::half_of;
use crate::audit;
use crate::clubs::model as clubs;
use crate::clubs::service::ClubAccess;
use crate::config::Settings;
use crate::db::view_marks::{kept_view, ViewKind};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::format::seoul_datetime;
use crate::memo::Kept;
use crate::mileage;
use crate::org::model as org;
use crate::org::policy::PrizeTier;

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

/// The whole ranking; a row's `sheets` are filled in by `page`, for the
/// rows shown.
#[derive(Debug, Clone)]
pub struct Standings {
    round_id: String,
    pub rows: Vec<Standing>,
    /// Active clubs without a results report: (id, name).
    pub not_submitted: Vec<(String, String)>,
    pub key_criterion: String,
    pub tie_rule: Vec<&'static str>,
    pub combination_label: String,
}

/// What a screen or an API client sees of the standings: one page of the
/// ranking (every club, or those whose name holds the filter), with the
/// whole proposal and the scoring progress whatever the page.
#[derive(Debug, Clone, Serialize)]
pub struct StandingsPage {
    pub rows: Vec<Standing>,
    /// Clubs in the ranking that match the filter, over every page.
    pub total: usize,
    /// Every club with a proposed award, in rank order.
    pub proposal: Vec<Standing>,
    pub sheets_scored: usize,
    pub sheets_assigned: usize,
    pub not_submitted: Vec<(String, String)>,
    pub key_criterion: String,
    pub tie_rule: Vec<&'static str>,
    pub combination_label: String,
}

impl Standings {
    /// One page of the rows (all, or those whose club name holds `club`),
    /// each with its evaluators' sheets.
    pub fn page(
        &self,
        conn: &mut DbConn,
        offset: i64,
        limit: i64,
        club: &str,
    ) -> AppResult<StandingsPage> {
        let club = club.trim();
        let (sheets_scored, sheets_assigned) = self
            .rows
            .iter()
            .fold((0, 0), |(s, a), r| (s + r.scored, a + r.assigned));
        let proposal = self
            .rows
            .iter()
            .filter(|r| r.proposed_tier.is_some())
            .cloned()
            .collect();
        let matching = || {
            self.rows
                .iter()
                .filter(|r| club.is_empty() || r.club_name.contains(club))
        };
        let total = matching().count();
        let mut rows: Vec<Standing> = matching()
            .skip(offset.max(0) as usize)
            .take(limit.max(0) as usize)
            .cloned()
            .collect();
        let shown: Vec<String> = rows.iter().map(|r| r.club_id.clone()).collect();
        let names: HashMap<String, String> = model::evaluators_of(conn, &self.round_id)?
            .into_iter()
            .map(|(id, _, name, ..)| (id, name))
            .collect();
        let mut sheets: HashMap<String, Vec<SheetState>> = HashMap::new();
        for (club_id, evaluator, scored_at) in model::sheet_states(conn, &self.round_id, &shown)? {
            sheets.entry(club_id).or_default().push(SheetState {
                evaluator_name: names.get(&evaluator).cloned().unwrap_or_default(),
                evaluator_id: evaluator,
                scored_at: scored_at.map(seoul_datetime),
            });
        }
        for row in &mut rows {
            row.sheets = sheets.remove(&row.club_id).unwrap_or_default();
        }
        Ok(StandingsPage {
            total,
            rows,
            proposal,
            sheets_scored,
            sheets_assigned,
            not_submitted: self.not_submitted.clone(),
            key_criterion: self.key_criterion.clone(),
            tie_rule: self.tie_rule.clone(),
            combination_label: self.combination_label.clone(),
        })
    }
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

/// The round's standings as kept under its office's standings mark: made
/// again only when anything they are made from has changed.
pub fn kept_standings(
    conn: &mut DbConn,
    views: &Kept,
    round: &Round,
) -> AppResult<std::sync::Arc<Standings>> {
    let office = &round.organization_id;
    kept_view(
        conn,
        views,
        office,
        ViewKind::Standings,
        &round.id,
        |conn| standings(conn, round),
    )
}

/// Every club with a report, ranked by the tie rule, with the proposed
/// awards; incomplete clubs follow, unranked. Reads each table once for
/// the whole round (a 4,000-club round is a few joins, not an id list).
pub fn standings(conn: &mut DbConn, round: &Round) -> AppResult<Standings> {
    let criteria = model::criteria_of(conn, &round.id)?;
    let submissions = model::submissions(conn, &round.id)?;
    let club_ids: Vec<String> = submissions.iter().map(|r| r.club_id.clone()).collect();
    let mut sheets: HashMap<String, Vec<Option<Vec<i64>>>> = HashMap::new();
    for (club_id, points) in model::live_sheet_points(conn, &round.id)? {
        let points = points.and_then(|p| model::parse_sheet_points(&p, criteria.len()));
        sheets.entry(club_id).or_default().push(points);
    }
    let half = half_of(round);
    let meetings =
        clubs::regular_meeting_counts(conn, &club_ids, half.first_day(), half.last_day())?;
    let entries: Vec<Entry> = submissions
        .iter()
        .map(|r| Entry {
            club_id: r.club_id.clone(),
            sheets: sheets.remove(&r.club_id).unwrap_or_default(),
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
    let by_club: HashMap<&str, &model::Submission> = submissions
        .iter()
        .map(|r| (r.club_id.as_str(), r))
        .collect();
    let rows = ranked
        .into_iter()
        .map(|r| {
            let report = by_club[r.club_id.as_str()];
            let proposed = proposal.get(&r.club_id).copied();
            Standing {
                club_name: report.club_name.clone(),
                rank: r.rank,
                score: r.score.map(|s| s.to_decimal()),
                key_mean: r.key_mean.map(|s| s.to_decimal()),
                scored: r.scored,
                assigned: r.assigned,
                regular_meetings: meetings.get(&r.club_id).copied().unwrap_or(0),
                submitted_at: seoul_datetime(report.submitted_at),
                reopened: report.reopened,
                decided_by: r.decided_by.map(|d| d.label_ko()),
                tied: r.tied,
                proposed_tier: proposed.map(|p| p.0),
                proposed_label: proposed.map(|p| p.0.label_ko()),
                proposed_amount_krw: proposed.and_then(|p| amounts.get(&p.0).copied()),
                tie_at_boundary: proposed.is_some_and(|p| p.1),
                sheets: Vec::new(),
                club_id: r.club_id,
            }
        })
        .collect();
    let submitted: HashSet<&String> = club_ids.iter().collect();
    let not_submitted = clubs::active_clubs(conn, &round.organization_id)?
        .into_iter()
        .filter(|(id, _)| !submitted.contains(id))
        .collect();
    let key = ranking::key_criterion(&rubric);
    Ok(Standings {
        round_id: round.id.clone(),
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

/// The round as the ledger names it: prizes and leave count for its half.
fn ledger_round(round: &Round) -> crate::ledger::awards::RoundRef<'_> {
    crate::ledger::awards::RoundRef {
        id: &round.id,
        organization_id: &round.organization_id,
        counts_for: half_of(round).last_day(),
    }
}

/// A round's mileage for people of one of its clubs: one per person,
/// round, club and activity.
fn earn_for_round(
    conn: &mut DbConn,
    settings: &Settings,
    round: &Round,
    club_id: &str,
    activity: mileage::Activity,
    people: &[String],
    now: NaiveDateTime,
) -> AppResult<()> {
    let event_ref = format!("{}/{club_id}", round.id);
    let event = mileage::Event {
        organization_id: &round.organization_id,
        club_id: Some(club_id),
        activity,
        event_ref: &event_ref,
        on: crate::clock::seoul_date(now),
    };
    mileage::earning::earn_all(conn, settings, &event, people, now)?;
    let total = crate::badges::rules::Total::Mileage;
    crate::badges::rules::totals_reached(conn, settings, &round.organization_id, people, total, now)
        .map(|_| ())
}

/// A stored round as the ledger names it.
fn stored_ledger_round(
    (id, organization_id, half): &model::StoredRound,
) -> Option<crate::ledger::awards::RoundRef<'_>> {
    crate::clock::HalfYear::parse(half).map(|half| crate::ledger::awards::RoundRef {
        id,
        organization_id,
        counts_for: half.last_day(),
    })
}

/// Writes the prizes and leave days of every round confirmed before the
/// ledger existed; run once, when the ledger's migration is applied.
/// Answers how many movements it wrote.
pub fn move_confirmed_rounds_into_ledger(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> AppResult<usize> {
    use crate::ledger::awards::{post_leave, post_prize};
    let prizes = model::confirmed_prizes(conn)?;
    let leave = model::confirmed_contributors(conn)?;
    crate::db::write_tx(conn, |conn| {
        let mut written = 0;
        for (round, (club, tier, amount, by)) in &prizes {
            if let Some(round) = stored_ledger_round(round) {
                let outcome = post_prize(conn, &round, club, tier, *amount, by, now)?;
                written += usize::from(outcome.is_some_and(|o| o.is_new()));
            }
        }
        for (round, (employee, days, by)) in &leave {
            if let Some(round) = stored_ledger_round(round) {
                let outcome = post_leave(conn, &round, employee, (*days).into(), by, now)?;
                written += usize::from(outcome.is_some_and(|o| o.is_new()));
            }
        }
        Ok(written)
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwardChoice {
    pub club_id: String,
    pub tier: PrizeTier,
}

/// Confirms the round: records the awards (the proposal, or the
/// administrator's adjustment with a reason) and the overseas-training
/// list; the jobs run announces the results (`reminders::announce_results`).
/// Final: a second call with the same awards changes nothing
/// and answers Ok(false); different awards are refused.
pub fn confirm(
    conn: &mut DbConn,
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
            seoul_datetime(round.score_until)
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
                    "{} {}개 동아리까지입니다.",
                    crate::korean::with(
                        PrizeTier::parse(&t.tier).map_or("", |p| p.label_ko()),
                        crate::korean::Particle::Topic
                    ),
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
        crate::ledger::awards::post_prize(
            conn,
            &ledger_round(round),
            &a.club_id,
            a.tier.code(),
            amount,
            by,
            now,
        )?;
        let activity = match a.tier {
            PrizeTier::Grand => mileage::Activity::PrizeGrand,
            PrizeTier::Excellent => mileage::Activity::PrizeExcellent,
            PrizeTier::Encouragement => mileage::Activity::PrizeEncouragement,
        };
        let members = clubs::member_ids_on(conn, &a.club_id, crate::clock::seoul_date(now))?;
        earn_for_round(conn, settings, round, &a.club_id, activity, &members, now)?;
        let trigger = crate::badges::rules::Trigger::Prize {
            round_id: &round.id,
            half: &round.half,
            tier: a.tier,
            members: &members,
        };
        crate::badges::rules::fire(conn, settings, &round.organization_id, trigger, now)?;
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
        model::active_members_between(conn, &grand, half.first_day(), half.last_day())?
    {
        model::insert_overseas(conn, &round.id, &employee_id, &club_id, now)?;
    }
    audit::record(
        conn,
        now,
        Some(by),
        "evaluation.confirmed",
        &round.id,
        json!({ "awards": awards.len(), "adjusted": adjusted, "reason": reason }),
    )?;

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
    let employee = org::employee_by_no(conn, &round.organization_id, no)?.ok_or_else(|| {
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
                "{} 이번 반기 이 동아리의 회원이 아니어서 추천할 수 없습니다.",
                crate::korean::with(&employee.name, crate::korean::Particle::Topic)
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
            "{} 이미 추천되었습니다.",
            crate::korean::with(&employee.name, crate::korean::Particle::Topic)
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
    let special_leave_days = crate::org::policy::of(conn, settings, &round.organization_id)?
        .evaluation
        .special_leave_days;
    model::insert_contributor(
        conn,
        &round.id,
        &NewContributor {
            club_id,
            slot,
            employee_id: &employee.id,
            special_leave_days,
            reason,
        },
        &access.employee_id,
        now,
    )?;
    crate::ledger::awards::post_leave(
        conn,
        &ledger_round(round),
        &employee.id,
        special_leave_days.into(),
        &access.employee_id,
        now,
    )?;
    earn_for_round(
        conn,
        settings,
        round,
        club_id,
        mileage::Activity::TopContributor,
        std::slice::from_ref(&employee.id),
        now,
    )?;
    let trigger = crate::badges::rules::Trigger::TopContributor {
        round_id: &round.id,
        half: &round.half,
        employee_id: &employee.id,
    };
    crate::badges::rules::fire(conn, settings, &round.organization_id, trigger, now)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "evaluation.top_contributor",
        &employee.id,
        json!({ "round": round.id, "club": club_id, "special_leave_days": special_leave_days, "preferred_department": true }),
    )?;
    Ok(())
}
