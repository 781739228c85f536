//! Rows of the evaluation tables and the queries on them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    clubs, employees, evaluation_assignments, evaluation_awards, evaluation_criteria,
    evaluation_rounds, evaluation_scores, memberships, overseas_recommendations, prize_tiers,
    reminders, results_reopenings, results_reports, round_evaluators, top_contributors,
};
use crate::db::{any_of, new_id, DbConn};
use crate::org::policy::PrizeTier;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = evaluation_rounds)]
pub struct Round {
    pub id: String,
    pub organization_id: String,
    pub half: String,
    pub title: String,
    pub submit_from: NaiveDateTime,
    pub submit_until: NaiveDateTime,
    pub score_from: NaiveDateTime,
    pub score_until: NaiveDateTime,
    pub combination: String,
    pub trim_min_evaluators: i32,
    pub evaluators_per_club: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub confirmed_by: Option<String>,
    pub adjustment_reason: Option<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = evaluation_criteria)]
pub struct CriterionRow {
    pub id: String,
    pub round_id: String,
    pub position: i32,
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = prize_tiers)]
pub struct TierRow {
    pub round_id: String,
    pub tier: String,
    pub winners: i32,
    pub amount_krw: i64,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = results_reports)]
pub struct ResultsReport {
    pub id: String,
    pub round_id: String,
    pub club_id: String,
    pub study_task: String,
    pub activities: String,
    pub outcomes: String,
    pub proposals: String,
    pub links: String,
    pub submitted_by: String,
    pub submitted_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub reopened: bool,
}

/// The text of a results report, as submitted.
#[derive(Debug, Clone, Default)]
pub struct ReportText {
    pub study_task: String,
    pub activities: String,
    pub outcomes: String,
    pub proposals: String,
    pub links: Vec<String>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = evaluation_assignments)]
pub struct Assignment {
    pub id: String,
    pub round_id: String,
    pub club_id: String,
    pub evaluator_id: String,
    pub assigned_at: NaiveDateTime,
    pub assigned_by: Option<String>,
    pub removed_at: Option<NaiveDateTime>,
    pub removed_by: Option<String>,
    pub comment: String,
    pub scored_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = evaluation_awards)]
pub struct Award {
    pub id: String,
    pub round_id: String,
    pub club_id: String,
    pub tier: String,
    pub amount_krw: i64,
    pub rank: Option<i32>,
    pub score: Option<String>,
    pub proposed_tier: Option<String>,
    pub awarded_by: String,
    pub awarded_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = top_contributors)]
pub struct TopContributor {
    pub id: String,
    pub round_id: String,
    pub club_id: String,
    pub slot: i32,
    pub employee_id: String,
    pub special_leave_days: i32,
    pub preferred_department: bool,
    pub reason: String,
    pub recommended_by: String,
    pub recommended_at: NaiveDateTime,
}

// ---- rounds ----

pub struct NewRound<'a> {
    pub organization_id: &'a str,
    pub half: &'a str,
    pub title: &'a str,
    pub submit_from: NaiveDateTime,
    pub submit_until: NaiveDateTime,
    pub score_from: NaiveDateTime,
    pub score_until: NaiveDateTime,
    pub combination: &'a str,
    pub trim_min_evaluators: i32,
    pub evaluators_per_club: i32,
}

pub fn insert_round(
    conn: &mut DbConn,
    r: &NewRound,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(evaluation_rounds::table)
        .values((
            evaluation_rounds::id.eq(&id),
            evaluation_rounds::organization_id.eq(r.organization_id),
            evaluation_rounds::half.eq(r.half),
            evaluation_rounds::title.eq(r.title),
            evaluation_rounds::submit_from.eq(r.submit_from),
            evaluation_rounds::submit_until.eq(r.submit_until),
            evaluation_rounds::score_from.eq(r.score_from),
            evaluation_rounds::score_until.eq(r.score_until),
            evaluation_rounds::combination.eq(r.combination),
            evaluation_rounds::trim_min_evaluators.eq(r.trim_min_evaluators),
            evaluation_rounds::evaluators_per_club.eq(r.evaluators_per_club),
            evaluation_rounds::created_by.eq(by),
            evaluation_rounds::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn insert_criterion(
    conn: &mut DbConn,
    round_id: &str,
    position: i32,
    name: &str,
    weight: i32,
    max_points: i32,
) -> QueryResult<()> {
    diesel::insert_into(evaluation_criteria::table)
        .values((
            evaluation_criteria::id.eq(new_id()),
            evaluation_criteria::round_id.eq(round_id),
            evaluation_criteria::position.eq(position),
            evaluation_criteria::name.eq(name),
            evaluation_criteria::weight.eq(weight),
            evaluation_criteria::max_points.eq(max_points),
        ))
        .execute(conn)
        .map(drop)
}

pub fn insert_tier(
    conn: &mut DbConn,
    round_id: &str,
    tier: PrizeTier,
    winners: i32,
    amount_krw: i64,
) -> QueryResult<()> {
    diesel::insert_into(prize_tiers::table)
        .values((
            prize_tiers::round_id.eq(round_id),
            prize_tiers::tier.eq(tier.code()),
            prize_tiers::winners.eq(winners),
            prize_tiers::amount_krw.eq(amount_krw),
        ))
        .execute(conn)
        .map(drop)
}

pub fn insert_round_evaluator(
    conn: &mut DbConn,
    round_id: &str,
    employee_id: &str,
) -> QueryResult<()> {
    diesel::insert_into(round_evaluators::table)
        .values((
            round_evaluators::round_id.eq(round_id),
            round_evaluators::employee_id.eq(employee_id),
        ))
        .execute(conn)
        .map(drop)
}

/// A round's windows as instants (UTC): from the first second of the first
/// day to the last second of the last, Seoul time (see `service` for how
/// they are read and checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub submit_from: NaiveDateTime,
    pub submit_until: NaiveDateTime,
    pub score_from: NaiveDateTime,
    pub score_until: NaiveDateTime,
}

/// Moves an unconfirmed round's windows; false once it is confirmed.
pub fn set_windows(conn: &mut DbConn, round_id: &str, w: &Windows) -> QueryResult<bool> {
    let changed = diesel::update(evaluation_rounds::table.find(round_id))
        .filter(evaluation_rounds::confirmed_at.is_null())
        .set((
            evaluation_rounds::submit_from.eq(w.submit_from),
            evaluation_rounds::submit_until.eq(w.submit_until),
            evaluation_rounds::score_from.eq(w.score_from),
            evaluation_rounds::score_until.eq(w.score_until),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn round_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Round> {
    evaluation_rounds::table
        .find(id)
        .select(Round::as_select())
        .first(conn)
}

pub fn round_for_half(
    conn: &mut DbConn,
    organization_id: &str,
    half: &str,
) -> QueryResult<Option<Round>> {
    evaluation_rounds::table
        .filter(evaluation_rounds::organization_id.eq(organization_id))
        .filter(evaluation_rounds::half.eq(half))
        .select(Round::as_select())
        .first(conn)
        .optional()
}

/// The organization's rounds, newest first.
pub fn all_rounds(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<Round>> {
    evaluation_rounds::table
        .filter(evaluation_rounds::organization_id.eq(organization_id))
        .order(evaluation_rounds::half.desc())
        .select(Round::as_select())
        .load(conn)
}

pub fn unconfirmed_rounds(conn: &mut DbConn) -> QueryResult<Vec<Round>> {
    evaluation_rounds::table
        .filter(evaluation_rounds::confirmed_at.is_null())
        .select(Round::as_select())
        .load(conn)
}

/// Confirmed rounds without a `reminders` row of this kind for them.
pub fn confirmed_rounds_not_marked(conn: &mut DbConn, kind: &str) -> QueryResult<Vec<Round>> {
    use diesel::dsl::{exists, not};
    evaluation_rounds::table
        .filter(evaluation_rounds::confirmed_at.is_not_null())
        .filter(not(exists(
            reminders::table
                .filter(reminders::kind.eq(kind))
                .filter(reminders::month.eq(evaluation_rounds::id)),
        )))
        .select(Round::as_select())
        .load(conn)
}

pub fn criteria_of(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<CriterionRow>> {
    evaluation_criteria::table
        .filter(evaluation_criteria::round_id.eq(round_id))
        .order(evaluation_criteria::position.asc())
        .select(CriterionRow::as_select())
        .load(conn)
}

pub fn tiers_of(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<TierRow>> {
    let mut rows: Vec<TierRow> = prize_tiers::table
        .filter(prize_tiers::round_id.eq(round_id))
        .select(TierRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|t| PrizeTier::ALL.iter().position(|p| p.code() == t.tier));
    Ok(rows)
}

/// (id, employee number, name, email) of the round's evaluators.
/// An evaluator of a round: (id, employee number, name, email, language).
pub type RoundEvaluator = (String, String, String, String, String);

pub fn evaluators_of(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<RoundEvaluator>> {
    round_evaluators::table
        .inner_join(employees::table)
        .filter(round_evaluators::round_id.eq(round_id))
        .order(employees::name.asc())
        .select((
            employees::id,
            employees::employee_no,
            employees::name,
            employees::email,
            employees::language,
        ))
        .load(conn)
}

pub fn is_round_evaluator(
    conn: &mut DbConn,
    round_id: &str,
    employee_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        round_evaluators::table
            .filter(round_evaluators::round_id.eq(round_id))
            .filter(round_evaluators::employee_id.eq(employee_id)),
    ))
    .get_result(conn)
}

/// Marks the round confirmed unless it already is; false if it was.
pub fn mark_confirmed(
    conn: &mut DbConn,
    round_id: &str,
    by: &str,
    reason: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        evaluation_rounds::table
            .filter(evaluation_rounds::id.eq(round_id))
            .filter(evaluation_rounds::confirmed_at.is_null()),
    )
    .set((
        evaluation_rounds::confirmed_at.eq(now),
        evaluation_rounds::confirmed_by.eq(by),
        evaluation_rounds::adjustment_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

// ---- membership during the half (conflicts of interest, eligibility) ----

/// Whether the employee was a member of the club on any day between the
/// two dates (inclusive).
pub fn was_member_between(
    conn: &mut DbConn,
    club_id: &str,
    employee_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        memberships::table
            .filter(memberships::club_id.eq(club_id))
            .filter(memberships::employee_id.eq(employee_id))
            .filter(memberships::joined_on.le(to))
            .filter(
                memberships::left_on
                    .is_null()
                    .or(memberships::left_on.gt(from)),
            ),
    ))
    .get_result(conn)
}

/// (club id, employee id) of every membership between the two dates held
/// by an employee who is still active, for many clubs at once.
pub fn active_members_between(
    conn: &mut DbConn,
    club_ids: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, String)>> {
    memberships::table
        .inner_join(employees::table)
        .filter(any_of(memberships::club_id, club_ids))
        .filter(memberships::joined_on.le(to))
        .filter(
            memberships::left_on
                .is_null()
                .or(memberships::left_on.gt(from)),
        )
        .filter(employees::active.eq(true))
        .select((memberships::club_id, memberships::employee_id))
        .distinct()
        .load(conn)
}

// ---- results reports ----

pub fn report_of(
    conn: &mut DbConn,
    round_id: &str,
    club_id: &str,
) -> QueryResult<Option<ResultsReport>> {
    results_reports::table
        .filter(results_reports::round_id.eq(round_id))
        .filter(results_reports::club_id.eq(club_id))
        .select(ResultsReport::as_select())
        .first(conn)
        .optional()
}

pub fn reports_of_round(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<ResultsReport>> {
    results_reports::table
        .filter(results_reports::round_id.eq(round_id))
        .select(ResultsReport::as_select())
        .load(conn)
}

pub fn insert_report(
    conn: &mut DbConn,
    round_id: &str,
    club_id: &str,
    text: &ReportText,
    by: &str,
    reopened: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(results_reports::table)
        .values((
            results_reports::id.eq(new_id()),
            results_reports::round_id.eq(round_id),
            results_reports::club_id.eq(club_id),
            results_reports::study_task.eq(&text.study_task),
            results_reports::activities.eq(&text.activities),
            results_reports::outcomes.eq(&text.outcomes),
            results_reports::proposals.eq(&text.proposals),
            results_reports::links.eq(text.links.join("\n")),
            results_reports::submitted_by.eq(by),
            results_reports::submitted_at.eq(now),
            results_reports::updated_at.eq(now),
            results_reports::reopened.eq(reopened),
        ))
        .execute(conn)
        .map(drop)
}

pub fn update_report(
    conn: &mut DbConn,
    id: &str,
    text: &ReportText,
    reopened: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(results_reports::table.find(id))
        .set((
            results_reports::study_task.eq(&text.study_task),
            results_reports::activities.eq(&text.activities),
            results_reports::outcomes.eq(&text.outcomes),
            results_reports::proposals.eq(&text.proposals),
            results_reports::links.eq(text.links.join("\n")),
            results_reports::updated_at.eq(now),
            results_reports::reopened.eq(reopened),
        ))
        .execute(conn)
        .map(drop)
}

pub fn insert_reopening(
    conn: &mut DbConn,
    round_id: &str,
    club_id: &str,
    until: NaiveDateTime,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(results_reopenings::table)
        .values((
            results_reopenings::id.eq(new_id()),
            results_reopenings::round_id.eq(round_id),
            results_reopenings::club_id.eq(club_id),
            results_reopenings::until.eq(until),
            results_reopenings::reason.eq(reason),
            results_reopenings::granted_by.eq(by),
            results_reopenings::granted_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// The latest end of a reopening for the club, if any.
pub fn reopened_until(
    conn: &mut DbConn,
    round_id: &str,
    club_id: &str,
) -> QueryResult<Option<NaiveDateTime>> {
    results_reopenings::table
        .filter(results_reopenings::round_id.eq(round_id))
        .filter(results_reopenings::club_id.eq(club_id))
        .select(diesel::dsl::max(results_reopenings::until))
        .first(conn)
}

// ---- assignments and scores ----

pub fn insert_assignment(
    conn: &mut DbConn,
    round_id: &str,
    club_id: &str,
    evaluator_id: &str,
    by: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(evaluation_assignments::table)
        .values((
            evaluation_assignments::id.eq(&id),
            evaluation_assignments::round_id.eq(round_id),
            evaluation_assignments::club_id.eq(club_id),
            evaluation_assignments::evaluator_id.eq(evaluator_id),
            evaluation_assignments::assigned_at.eq(now),
            evaluation_assignments::assigned_by.eq(by),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn end_assignment(
    conn: &mut DbConn,
    id: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(evaluation_assignments::table.find(id))
        .set((
            evaluation_assignments::removed_at.eq(now),
            evaluation_assignments::removed_by.eq(by),
        ))
        .execute(conn)
        .map(drop)
}

/// The round's live assignments.
pub fn live_assignments(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<Assignment>> {
    evaluation_assignments::table
        .filter(evaluation_assignments::round_id.eq(round_id))
        .filter(evaluation_assignments::removed_at.is_null())
        .order(evaluation_assignments::assigned_at.asc())
        .select(Assignment::as_select())
        .load(conn)
}

/// One evaluator's live assignments in the round.
pub fn live_assignments_of(
    conn: &mut DbConn,
    round_id: &str,
    evaluator_id: &str,
) -> QueryResult<Vec<Assignment>> {
    evaluation_assignments::table
        .filter(evaluation_assignments::evaluator_id.eq(evaluator_id))
        .filter(evaluation_assignments::round_id.eq(round_id))
        .filter(evaluation_assignments::removed_at.is_null())
        .select(Assignment::as_select())
        .load(conn)
}

pub fn live_assignment(
    conn: &mut DbConn,
    round_id: &str,
    club_id: &str,
    evaluator_id: &str,
) -> QueryResult<Option<Assignment>> {
    evaluation_assignments::table
        .filter(evaluation_assignments::round_id.eq(round_id))
        .filter(evaluation_assignments::club_id.eq(club_id))
        .filter(evaluation_assignments::evaluator_id.eq(evaluator_id))
        .filter(evaluation_assignments::removed_at.is_null())
        .select(Assignment::as_select())
        .first(conn)
        .optional()
}

/// What the standings need of a results report: who, when, the club's name.
#[derive(Queryable, Debug, Clone)]
pub struct Submission {
    pub club_id: String,
    pub club_name: String,
    pub submitted_at: NaiveDateTime,
    pub reopened: bool,
}

/// Every club's results report in the round, narrow.
pub fn submissions(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<Submission>> {
    results_reports::table
        .inner_join(clubs::table)
        .filter(results_reports::round_id.eq(round_id))
        .select((
            results_reports::club_id,
            clubs::name,
            results_reports::submitted_at,
            results_reports::reopened,
        ))
        .load(conn)
}

/// (club id, stored points or None while unscored) of every live
/// assignment in the round: what the ranking needs, one short row a sheet.
pub fn live_sheet_points(
    conn: &mut DbConn,
    round_id: &str,
) -> QueryResult<Vec<(String, Option<String>)>> {
    evaluation_assignments::table
        .filter(evaluation_assignments::round_id.eq(round_id))
        .filter(evaluation_assignments::removed_at.is_null())
        .select((
            evaluation_assignments::club_id,
            evaluation_assignments::sheet_points,
        ))
        .load(conn)
}

/// (club id, evaluator id, scored at) of these clubs' live assignments in
/// the round, in the order they were made: the sheets a page shows.
pub fn sheet_states(
    conn: &mut DbConn,
    round_id: &str,
    club_ids: &[String],
) -> QueryResult<Vec<(String, String, Option<NaiveDateTime>)>> {
    evaluation_assignments::table
        .filter(evaluation_assignments::round_id.eq(round_id))
        .filter(any_of(evaluation_assignments::club_id, club_ids))
        .filter(evaluation_assignments::removed_at.is_null())
        .order(evaluation_assignments::assigned_at.asc())
        .select((
            evaluation_assignments::club_id,
            evaluation_assignments::evaluator_id,
            evaluation_assignments::scored_at,
        ))
        .load(conn)
}

/// (assignment id, criterion id, points) of these assignments.
pub fn scores_of(
    conn: &mut DbConn,
    assignment_ids: &[String],
) -> QueryResult<Vec<(String, String, i32)>> {
    evaluation_scores::table
        .filter(any_of(evaluation_scores::assignment_id, assignment_ids))
        .select((
            evaluation_scores::assignment_id,
            evaluation_scores::criterion_id,
            evaluation_scores::points,
        ))
        .load(conn)
}

/// Sets a criterion's points on an assignment (insert or change).
pub fn set_points(
    conn: &mut DbConn,
    assignment_id: &str,
    criterion_id: &str,
    points: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let changed = diesel::update(
        evaluation_scores::table
            .filter(evaluation_scores::assignment_id.eq(assignment_id))
            .filter(evaluation_scores::criterion_id.eq(criterion_id)),
    )
    .set((
        evaluation_scores::points.eq(points),
        evaluation_scores::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(evaluation_scores::table)
            .values((
                evaluation_scores::assignment_id.eq(assignment_id),
                evaluation_scores::criterion_id.eq(criterion_id),
                evaluation_scores::points.eq(points),
                evaluation_scores::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks the sheet scored, with its points in criterion order.
pub fn mark_scored(
    conn: &mut DbConn,
    assignment_id: &str,
    comment: &str,
    points_in_order: &[i32],
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(evaluation_assignments::table.find(assignment_id))
        .set((
            evaluation_assignments::comment.eq(comment),
            evaluation_assignments::scored_at.eq(now),
            evaluation_assignments::sheet_points.eq(sheet_points_text(points_in_order)),
        ))
        .execute(conn)
        .map(drop)
}

/// `[7, 8, 6, 9]` as stored: "7,8,6,9".
pub fn sheet_points_text(points: &[i32]) -> String {
    points
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The stored points of a sheet, when there are exactly `criteria` of them.
pub fn parse_sheet_points(text: &str, criteria: usize) -> Option<Vec<i64>> {
    let points: Vec<i64> = text
        .split(',')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (points.len() == criteria).then_some(points)
}

/// Scored sheets written before `sheet_points` existed get it from their
/// scores; answers how many. Run once, by the upgrade that adds it.
pub fn fill_sheet_points(conn: &mut DbConn) -> QueryResult<usize> {
    let rows: Vec<(String, i32, i32)> = evaluation_scores::table
        .inner_join(evaluation_assignments::table)
        .inner_join(evaluation_criteria::table)
        .filter(evaluation_assignments::scored_at.is_not_null())
        .filter(evaluation_assignments::sheet_points.is_null())
        .order((
            evaluation_scores::assignment_id,
            evaluation_criteria::position,
        ))
        .select((
            evaluation_scores::assignment_id,
            evaluation_criteria::position,
            evaluation_scores::points,
        ))
        .load(conn)?;
    let mut sheets: Vec<(&str, Vec<i32>)> = Vec::new();
    for (assignment, _, points) in &rows {
        match sheets.last_mut() {
            Some((id, list)) if id == assignment => list.push(*points),
            _ => sheets.push((assignment, vec![*points])),
        }
    }
    for (id, points) in &sheets {
        diesel::update(evaluation_assignments::table.find(id))
            .set(evaluation_assignments::sheet_points.eq(sheet_points_text(points)))
            .execute(conn)?;
    }
    Ok(sheets.len())
}

// ---- awards, contributors, overseas ----

pub struct NewAward<'a> {
    pub club_id: &'a str,
    pub tier: PrizeTier,
    pub amount_krw: i64,
    pub rank: Option<i32>,
    pub score: Option<String>,
    pub proposed_tier: Option<PrizeTier>,
}

pub fn insert_award(
    conn: &mut DbConn,
    round_id: &str,
    a: &NewAward,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(evaluation_awards::table)
        .values((
            evaluation_awards::id.eq(new_id()),
            evaluation_awards::round_id.eq(round_id),
            evaluation_awards::club_id.eq(a.club_id),
            evaluation_awards::tier.eq(a.tier.code()),
            evaluation_awards::amount_krw.eq(a.amount_krw),
            evaluation_awards::rank.eq(a.rank),
            evaluation_awards::score.eq(&a.score),
            evaluation_awards::proposed_tier.eq(a.proposed_tier.map(|t| t.code())),
            evaluation_awards::awarded_by.eq(by),
            evaluation_awards::awarded_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// The awards with the club's name, best tier first.
pub fn awards_of(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<(Award, String)>> {
    let mut rows: Vec<(Award, String)> = evaluation_awards::table
        .inner_join(clubs::table)
        .filter(evaluation_awards::round_id.eq(round_id))
        .select((Award::as_select(), clubs::name))
        .load(conn)?;
    rows.sort_by_key(|(a, name)| {
        (
            PrizeTier::ALL.iter().position(|t| t.code() == a.tier),
            a.rank,
            name.clone(),
        )
    });
    Ok(rows)
}

pub struct NewContributor<'a> {
    pub club_id: &'a str,
    pub slot: i32,
    pub employee_id: &'a str,
    pub special_leave_days: i32,
    pub reason: &'a str,
}

pub fn insert_contributor(
    conn: &mut DbConn,
    round_id: &str,
    c: &NewContributor,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(top_contributors::table)
        .values((
            top_contributors::id.eq(new_id()),
            top_contributors::round_id.eq(round_id),
            top_contributors::club_id.eq(c.club_id),
            top_contributors::slot.eq(c.slot),
            top_contributors::employee_id.eq(c.employee_id),
            top_contributors::special_leave_days.eq(c.special_leave_days),
            top_contributors::preferred_department.eq(true),
            top_contributors::reason.eq(c.reason),
            top_contributors::recommended_by.eq(by),
            top_contributors::recommended_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// Top contributors with (employee number, name, club name).
pub fn contributors_of(
    conn: &mut DbConn,
    round_id: &str,
) -> QueryResult<Vec<(TopContributor, String, String, String)>> {
    top_contributors::table
        .inner_join(employees::table)
        .inner_join(clubs::table)
        .filter(top_contributors::round_id.eq(round_id))
        .order((clubs::name.asc(), top_contributors::slot.asc()))
        .select((
            TopContributor::as_select(),
            employees::employee_no,
            employees::name,
            clubs::name,
        ))
        .load(conn)
}

pub fn insert_overseas(
    conn: &mut DbConn,
    round_id: &str,
    employee_id: &str,
    club_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(overseas_recommendations::table)
        .values((
            overseas_recommendations::round_id.eq(round_id),
            overseas_recommendations::employee_id.eq(employee_id),
            overseas_recommendations::club_id.eq(club_id),
            overseas_recommendations::recorded_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

/// (employee number, name, department id, club name) on the overseas list.
pub fn overseas_of(
    conn: &mut DbConn,
    round_id: &str,
) -> QueryResult<Vec<(String, String, Option<String>, String)>> {
    overseas_recommendations::table
        .inner_join(employees::table)
        .inner_join(clubs::table)
        .filter(overseas_recommendations::round_id.eq(round_id))
        .order(employees::name.asc())
        .select((
            employees::employee_no,
            employees::name,
            employees::department_id,
            clubs::name,
        ))
        .load(conn)
}

/// A round's (id, organization, half) as stored.
pub type StoredRound = (String, String, String);
/// A prize as stored: (club, tier, KRW, who awarded it).
pub type StoredPrize = (String, String, i64, String);
/// A top contributor as stored: (employee, leave days, who recommended them).
pub type StoredContributor = (String, i32, String);

/// Every prize of a confirmed round, with its round.
pub fn confirmed_prizes(conn: &mut DbConn) -> QueryResult<Vec<(StoredRound, StoredPrize)>> {
    evaluation_awards::table
        .inner_join(
            evaluation_rounds::table.on(evaluation_rounds::id.eq(evaluation_awards::round_id)),
        )
        .filter(evaluation_rounds::confirmed_at.is_not_null())
        .select((
            (
                evaluation_rounds::id,
                evaluation_rounds::organization_id,
                evaluation_rounds::half,
            ),
            (
                evaluation_awards::club_id,
                evaluation_awards::tier,
                evaluation_awards::amount_krw,
                evaluation_awards::awarded_by,
            ),
        ))
        .load(conn)
}

/// Every top contributor of a confirmed round, with its round.
pub fn confirmed_contributors(
    conn: &mut DbConn,
) -> QueryResult<Vec<(StoredRound, StoredContributor)>> {
    top_contributors::table
        .inner_join(
            evaluation_rounds::table.on(evaluation_rounds::id.eq(top_contributors::round_id)),
        )
        .filter(evaluation_rounds::confirmed_at.is_not_null())
        .select((
            (
                evaluation_rounds::id,
                evaluation_rounds::organization_id,
                evaluation_rounds::half,
            ),
            (
                top_contributors::employee_id,
                top_contributors::special_leave_days,
                top_contributors::recommended_by,
            ),
        ))
        .load(conn)
}
