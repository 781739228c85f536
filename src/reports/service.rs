//! The rules of monthly reports: which months need one, when each is due,
//! its state, drafting from the month's meetings, submission (frozen
//! versions, lateness kept), the deadline sweep and the compliance view.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::deadline::{due_date, due_instant, is_late};
use super::model::{self, Report};
use crate::audit;
use crate::badges::rules as badge_rules;
use crate::clock::seoul;
use crate::clock::YearMonth;
use crate::clubs::model::{self as clubs, Club};
use crate::clubs::service::ClubAccess;
use crate::clubs::views;
use crate::config::{ReportSettings, Settings};
use crate::db::view_marks::{kept_view, mark_of, ViewKind};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::memo::Kept;
use crate::mileage;
use crate::org::model as org;
use crate::text_enum;

text_enum! {
    pub enum ReportStatus {
        NotStarted = ("not_started", "미작성"),
        Draft = ("draft", "작성 중"),
        Submitted = ("submitted", "제출 완료"),
        Missing = ("missing", "미제출"),
    }
}

text_enum! {
    /// A report's state as the compliance view tells it.
    pub enum ReportState {
        NotStarted = ("not_started", "미작성"),
        Draft = ("draft", "작성 중"),
        OnTime = ("on_time", "기한 내 제출"),
        Late = ("late", "지각 제출"),
        Missing = ("missing", "미제출"),
    }
}

/// The one rule for a report's state, from the facts: whether and when it
/// was first submitted (its lateness recorded then, never rewritten),
/// whether the sweep found it missing, its due date and now. The pages,
/// the API, the CSV and the sweep all follow it.
pub fn state_of(report: Option<&Report>, due: NaiveDate, now: DateTime<Utc>) -> ReportState {
    let row = report.map(|r| (r.current_version, r.late, r.missing_at.is_some()));
    state_of_row(row, due, now)
}

/// `state_of` from a report's facts, without its text.
fn state_of_facts(
    facts: Option<&model::ReportFacts>,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> ReportState {
    let row = facts.map(|f| (f.current_version, f.late, f.missing_at.is_some()));
    state_of_row(row, due, now)
}

/// A report row's (current version, late, found missing), if it exists.
fn state_of_row(
    row: Option<(i32, Option<bool>, bool)>,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> ReportState {
    match row {
        Some((version, late, missing)) => decide(true, version > 0, late, missing, due, now),
        None => decide(false, false, None, false, due, now),
    }
}

/// `state_of` from the facts alone: whether a report row exists, whether it
/// was submitted (and late then), whether the sweep found it missing.
fn decide(
    exists: bool,
    submitted: bool,
    late: Option<bool>,
    missing: bool,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> ReportState {
    match (submitted, late, missing) {
        (true, Some(true), _) => ReportState::Late,
        (true, _, _) => ReportState::OnTime,
        (false, _, true) => ReportState::Missing,
        _ if is_late(now, due) => ReportState::Missing,
        _ if exists => ReportState::Draft,
        _ => ReportState::NotStarted,
    }
}

/// The report's due date in the organization, with its holidays when the
/// shift is on.
pub fn due_for(
    conn: &mut DbConn,
    organization_id: &str,
    rules: &ReportSettings,
    month: YearMonth,
) -> AppResult<NaiveDate> {
    let holidays = if rules.holiday_shift {
        Some(model::holiday_set(conn, organization_id)?)
    } else {
        None
    };
    Ok(due_date(month, rules.due_day, holidays.as_ref()))
}

/// A month needs a report from a club if it is a reporting month, has
/// begun, and the club was formed by its last day.
pub fn check_reporting_month(
    rules: &ReportSettings,
    club: &Club,
    month: &str,
    today: NaiveDate,
) -> AppResult<YearMonth> {
    let ym = YearMonth::parse(month)
        .ok_or_else(|| AppError::validation("month", "월은 2026-11 형식이어야 합니다."))?;
    if !rules.months.contains(&ym.month) {
        return Err(AppError::validation(
            "month",
            format!(
                "{} 활동보고 대상 월이 아닙니다.",
                crate::korean::with(&ym.label_ko(), crate::korean::Particle::Topic)
            ),
        ));
    }
    if ym > YearMonth::of(today) {
        return Err(AppError::validation(
            "month",
            "아직 시작하지 않은 달의 보고서는 쓸 수 없습니다.",
        ));
    }
    if ym.last_day() < club.formed_on {
        return Err(AppError::validation(
            "month",
            format!(
                "동아리가 결성({})되기 전 달의 보고서는 없습니다.",
                club.formed_on
            ),
        ));
    }
    Ok(ym)
}

/// Reporting months from the club's start (at most a year back) to now.
pub fn report_months(reporting: &[u32], club: &Club, today: NaiveDate) -> Vec<YearMonth> {
    let started = YearMonth::of(club.formed_on);
    let mut month = YearMonth::of(today);
    let mut months = Vec::new();
    for _ in 0..12 {
        if month < started {
            break;
        }
        if reporting.contains(&month.month) {
            months.push(month);
        }
        month = month.previous();
    }
    months
}

/// A month whose report a club still owes.
#[derive(Debug, Clone, Serialize)]
pub struct Owed {
    pub month: String,
    pub month_label: String,
    pub status: ReportStatus,
    pub status_label: &'static str,
    pub due_on: NaiveDate,
    /// Past its due date: missing.
    pub overdue: bool,
}

/// A reporting month of a club as its lists show it: when it is due, the
/// facts of its report if one exists, and its status now.
pub struct MonthFacts {
    pub month: YearMonth,
    pub due: NaiveDate,
    pub report: Option<model::ReportFacts>,
    pub status: ReportStatus,
}

/// The club's reporting months of the last year (`report_months`), newest
/// first: one read for the reports and one for the holidays, whatever the
/// months.
pub fn months_of(
    conn: &mut DbConn,
    club: &Club,
    rules: &ReportSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<MonthFacts>> {
    let months = report_months(&rules.months, club, today);
    let Some(first) = months.last() else {
        return Ok(Vec::new());
    };
    let mut reports: HashMap<String, model::ReportFacts> =
        model::report_facts_since(conn, &club.id, &first.to_string())?
            .into_iter()
            .map(|r| (r.month.clone(), r))
            .collect();
    let holidays = if rules.holiday_shift {
        Some(model::holiday_set(conn, &club.organization_id)?)
    } else {
        None
    };
    Ok(months
        .into_iter()
        .map(|month| {
            let due = due_date(month, rules.due_day, holidays.as_ref());
            let report = reports.remove(&month.to_string());
            let status = ReportStatus::of(state_of_facts(report.as_ref(), due, now));
            MonthFacts {
                month,
                due,
                report,
                status,
            }
        })
        .collect())
}

/// A reporting month as a club's report list shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportSummary {
    pub month: String,
    pub status: ReportStatus,
    pub due_at: String,
    pub submitted_at: Option<String>,
    pub late: Option<bool>,
}

/// The club's report list, newest month first: `months_of` as the API and
/// the club page show it.
pub fn summaries(
    conn: &mut DbConn,
    club: &Club,
    rules: &ReportSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<ReportSummary>> {
    Ok(months_of(conn, club, rules, today, now)?
        .into_iter()
        .map(|m| ReportSummary {
            month: m.month.to_string(),
            status: m.status,
            due_at: due_instant(m.due).to_rfc3339(),
            submitted_at: m
                .report
                .as_ref()
                .and_then(|r| r.first_submitted_at)
                .map(crate::format::seoul_rfc3339),
            late: m.report.and_then(|r| r.late),
        })
        .collect())
}

/// The reports a club still owes, oldest first: those past their due date
/// and the one now due; submitted months are not listed.
pub fn owed(
    conn: &mut DbConn,
    club: &Club,
    rules: &ReportSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<Owed>> {
    let mut owed: Vec<Owed> = months_of(conn, club, rules, today, now)?
        .into_iter()
        // The current month is not due before it ends.
        .filter(|m| m.month != YearMonth::of(today) && m.status != ReportStatus::Submitted)
        .map(|m| Owed {
            month: m.month.to_string(),
            month_label: m.month.label_ko(),
            status: m.status,
            status_label: m.status.label_ko(),
            due_on: m.due,
            overdue: m.status == ReportStatus::Missing,
        })
        .collect();
    owed.reverse();
    Ok(owed)
}

/// `state_of`, with on time and late together as submitted.
pub fn status_of(report: Option<&Report>, due: NaiveDate, now: DateTime<Utc>) -> ReportStatus {
    ReportStatus::of(state_of(report, due, now))
}

impl ReportStatus {
    /// A club's view of a state: on time or late, it was submitted.
    fn of(state: ReportState) -> Self {
        match state {
            ReportState::OnTime | ReportState::Late => ReportStatus::Submitted,
            ReportState::Missing => ReportStatus::Missing,
            ReportState::Draft => ReportStatus::Draft,
            ReportState::NotStarted => ReportStatus::NotStarted,
        }
    }
}

/// The month's meetings as the report shows them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Activity {
    pub meetings: Vec<ActivityMeeting>,
    pub meeting_count: usize,
    pub regular_count: usize,
    pub total_minutes: i64,
    /// Sum over meetings of minutes × people present.
    pub attendance_minutes: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivityMeeting {
    pub held_on: NaiveDate,
    pub kind: String,
    pub topic: String,
    pub place: String,
    pub minutes: i64,
    pub attendees: Vec<String>,
}

pub fn activity(conn: &mut DbConn, club_id: &str, month: YearMonth) -> AppResult<Activity> {
    let (meetings, _) = clubs::meetings_of_club(conn, club_id, 0, 1000)?;
    let in_month: Vec<clubs::Meeting> = meetings
        .into_iter()
        .filter(|m| m.held_on >= month.first_day() && m.held_on <= month.last_day())
        .collect();
    let mut views = views::meeting_views(conn, in_month)?;
    views.sort_by_key(|m| (m.held_on, m.starts_at.clone()));
    let meetings: Vec<ActivityMeeting> = views
        .into_iter()
        .map(|m| ActivityMeeting {
            held_on: m.held_on,
            kind: m.kind_label.to_string(),
            topic: m.topic,
            place: m.place,
            minutes: m.minutes,
            attendees: m.attendees.into_iter().map(|a| a.name).collect(),
        })
        .collect();
    Ok(Activity {
        meeting_count: meetings.len(),
        regular_count: meetings.iter().filter(|m| m.kind == "정기").count(),
        total_minutes: meetings.iter().map(|m| m.minutes).sum(),
        attendance_minutes: meetings
            .iter()
            .map(|m| m.minutes * m.attendees.len() as i64)
            .sum(),
        meetings,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VersionView {
    pub version: i32,
    pub narrative: String,
    pub activity: Activity,
    pub submitted_at: String,
    pub late: bool,
    pub amendment_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub club_id: String,
    pub club_name: String,
    /// `2026-11`.
    pub month: String,
    pub month_label: String,
    pub status: ReportStatus,
    pub status_label: &'static str,
    /// The last on-time instant, RFC 3339 with +09:00.
    pub due_at: String,
    /// The first submission, RFC 3339 with +09:00.
    pub submitted_at: Option<String>,
    /// Set at the first submission and kept through amendments.
    pub late: Option<bool>,
    /// The working text: the draft, or an amendment being prepared.
    pub narrative: String,
    /// This month's meetings now (for a draft); see `versions` for what was submitted.
    pub activity: Activity,
    pub versions: Vec<VersionView>,
}

pub fn view(
    conn: &mut DbConn,
    club: &Club,
    month: YearMonth,
    rules: &ReportSettings,
    now: DateTime<Utc>,
) -> AppResult<ReportView> {
    let due = due_for(conn, &club.organization_id, rules, month)?;
    let report = model::report_for(conn, &club.id, &month.to_string())?;
    let status = status_of(report.as_ref(), due, now);
    let versions = match &report {
        Some(r) => model::versions_of(conn, &r.id)?
            .into_iter()
            .map(|v| VersionView {
                version: v.version,
                narrative: v.narrative,
                activity: serde_json::from_str(&v.activity).unwrap_or(Activity {
                    meetings: vec![],
                    meeting_count: 0,
                    regular_count: 0,
                    total_minutes: 0,
                    attendance_minutes: 0,
                }),
                submitted_at: crate::format::seoul_rfc3339(v.submitted_at),
                late: v.late,
                amendment_reason: v.amendment_reason,
            })
            .collect(),
        None => vec![],
    };
    Ok(ReportView {
        club_id: club.id.clone(),
        club_name: club.name.clone(),
        month: month.to_string(),
        month_label: month.label_ko(),
        status,
        status_label: status.label_ko(),
        due_at: due_instant(due).to_rfc3339(),
        submitted_at: report
            .as_ref()
            .and_then(|r| r.first_submitted_at)
            .map(crate::format::seoul_rfc3339),
        late: report.as_ref().and_then(|r| r.late),
        narrative: report
            .as_ref()
            .map(|r| r.narrative.clone())
            .unwrap_or_default(),
        activity: activity(conn, &club.id, month)?,
        versions,
    })
}

fn require_reporter(access: &ClubAccess) -> AppResult<()> {
    access.require_manager()?;
    access.require_active()
}

pub fn save_draft(
    conn: &mut DbConn,
    access: &ClubAccess,
    month: YearMonth,
    narrative: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    require_reporter(access)?;
    let report = model::ensure_report(conn, &access.club.id, &month.to_string(), now)?;
    model::save_narrative(conn, &report.id, narrative, now)?;
    Ok(())
}

/// Submits the working text as a new frozen version. The first submission
/// decides lateness for good; later ones are amendments and need a reason.
pub fn submit(
    conn: &mut DbConn,
    settings: &Settings,
    access: &ClubAccess,
    month: YearMonth,
    rules: &ReportSettings,
    amendment_reason: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    require_reporter(access)?;
    let now_naive = now.naive_utc();
    let report = model::ensure_report(conn, &access.club.id, &month.to_string(), now_naive)?;
    if report.narrative.trim().is_empty() {
        return Err(AppError::validation(
            "narrative",
            "활동 내용을 적은 뒤 제출하세요.",
        ));
    }
    let version = report.current_version + 1;
    let amendment_reason = amendment_reason.map(str::trim).filter(|r| !r.is_empty());
    if version > 1 && amendment_reason.is_none() {
        return Err(AppError::validation(
            "amendment_reason",
            "이미 제출한 보고서를 고치려면 수정 사유를 적어야 합니다.",
        ));
    }
    let due = due_for(conn, &access.club.organization_id, rules, month)?;
    let late = report.late.unwrap_or_else(|| is_late(now, due));
    let activity = serde_json::to_string(&activity(conn, &access.club.id, month)?)
        .map_err(|e| AppError::Internal(e.into()))?;
    model::insert_version(
        conn,
        &report.id,
        version,
        &report.narrative,
        &activity,
        now_naive,
        &access.employee_id,
        due_instant(due).naive_utc(),
        late,
        if version > 1 { amendment_reason } else { None },
    )?;
    model::set_current_version(conn, &report.id, version, now_naive)?;
    model::record_first_submission(conn, &report.id, now_naive, late)?;
    if version == 1 && !late {
        earn_on_time(conn, settings, access, &report.id, now_naive)?;
    }
    audit::record(
        conn,
        now_naive,
        Some(&access.employee_id),
        if version == 1 {
            "report.submit"
        } else {
            "report.amend"
        },
        &report.id,
        json!({ "club_id": access.club.id, "month": month.to_string(), "version": version, "late": late }),
    )?;
    Ok(())
}

/// A report on time earns every member of the club mileage, and may
/// complete the club's run of on-time reports for a badge.
fn earn_on_time(
    conn: &mut DbConn,
    settings: &Settings,
    access: &ClubAccess,
    report_id: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let on = crate::clock::seoul_date(now);
    let event = mileage::Event {
        organization_id: &access.club.organization_id,
        club_id: Some(&access.club.id),
        activity: mileage::Activity::ReportOnTime,
        event_ref: report_id,
        on,
    };
    let members = clubs::member_ids_on(conn, &access.club.id, on)?;
    mileage::earning::earn_all(conn, settings, &event, &members, now)?;
    let organization_id = &access.club.organization_id;
    let trigger = badge_rules::Trigger::ReportOnTime {
        club_id: &access.club.id,
    };
    badge_rules::fire(conn, settings, organization_id, trigger, now)?;
    let total = badge_rules::Total::Mileage;
    badge_rules::totals_reached(conn, settings, organization_id, &members, total, now)?;
    Ok(())
}

/// Reporting months whose due date has passed, newest first, within the
/// last year (older months were swept long ago).
pub fn months_past_due(
    conn: &mut DbConn,
    organization_id: &str,
    rules: &ReportSettings,
    now: DateTime<Utc>,
) -> AppResult<Vec<(YearMonth, NaiveDate)>> {
    let mut month = YearMonth::of(now.with_timezone(&seoul()).date_naive());
    let mut result = Vec::new();
    for _ in 0..13 {
        month = month.previous();
        if rules.months.contains(&month.month) {
            let due = due_for(conn, organization_id, rules, month)?;
            if is_late(now, due) {
                result.push((month, due));
            }
        }
    }
    Ok(result)
}

/// Marks every report past its due date without a submission as missing.
/// Returns how many were marked now (a second run marks none). Set-based:
/// one write transaction per month past due, whatever the number of clubs.
///
/// After a month's sweep every club that owes it has its report,
/// submitted or marked missing, and only the sweep writes unsubmitted ones.
/// So a month has new work only when its due date moves or the clubs owing
/// it change: a month whose fingerprint of these is the one its last sweep
/// recorded is skipped.
pub fn sweep_missing(
    conn: &mut DbConn,
    settings: &crate::config::Settings,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let now_naive = now.naive_utc();
    let mut marked = 0;
    for organization in org::organizations(conn)? {
        let org_id = organization.id.as_str();
        let rules = crate::org::policy::of(conn, settings, org_id)?.reports;
        let clubs = model::active_club_formations(conn, org_id)?;
        let swept = model::sweep_marks(conn, org_id)?;
        for (month, due) in months_past_due(conn, org_id, &rules, now)? {
            let (key, end) = (month.to_string(), month.last_day());
            let fingerprint = sweep_fingerprint(due, &clubs, end);
            if swept.get(&key) == Some(&fingerprint) {
                continue;
            }
            marked += crate::db::write_tx(conn, |conn| -> AppResult<usize> {
                model::ensure_reports_owed(conn, org_id, &key, end, now_naive)?;
                let newly = model::mark_month_missing(conn, org_id, &key, end, now_naive)?;
                let events: Vec<_> = newly
                    .iter()
                    .map(|(report, club)| {
                        (report.clone(), json!({ "club_id": club, "month": key }))
                    })
                    .collect();
                audit::record_many(conn, now_naive, None, "report.missing", &events)?;
                model::set_sweep_mark(conn, org_id, &key, &fingerprint, now_naive)?;
                Ok(newly.len())
            })?;
        }
    }
    Ok(marked)
}

/// A digest of a month's due date and of the active clubs formed by its
/// last day, with their formation days.
fn sweep_fingerprint(due: NaiveDate, clubs: &[(String, NaiveDate)], last_day: NaiveDate) -> String {
    use sha2::{Digest, Sha256};
    let mut digest = Sha256::new();
    digest.update(due.to_string());
    for (club, formed) in clubs.iter().filter(|(_, formed)| *formed <= last_day) {
        digest.update(format!(";{club}:{formed}"));
    }
    format!("{:x}", digest.finalize())
}

/// One club's line in the compliance view.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceRow {
    pub club_id: String,
    pub club_name: String,
    pub department: Option<String>,
    pub president: Option<String>,
    /// `on_time`, `late`, `missing`, `draft` or `not_started`.
    pub state: String,
    pub state_label: &'static str,
    pub submitted_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Compliance {
    pub month: String,
    pub month_label: String,
    pub due_at: String,
    /// This page of the clubs in the chosen state (all states by default).
    pub rows: Vec<ComplianceRow>,
    /// How many clubs are in the chosen state, over every page.
    pub total: usize,
    /// How many clubs are in each state.
    pub totals: HashMap<String, usize>,
}

/// Every row of the compliance view (the CSV): see `compliance_due`.
pub fn compliance(
    conn: &mut DbConn,
    views: &Kept,
    organization_id: &str,
    rules: &ReportSettings,
    (month, departments, only): (YearMonth, Option<&HashSet<String>>, Option<ReportState>),
    now: DateTime<Utc>,
) -> AppResult<Compliance> {
    let due = due_for(conn, organization_id, rules, month)?;
    let ask = (month, departments, only, None);
    compliance_due(conn, views, organization_id, ask, due, now)
}

/// One page of the compliance view as kept in `pages`: made again when the
/// office's report facts move (the reports mark), when a club's name,
/// department or president does (the clubs mark, in the key), and when the
/// deadline passes. The scope is in the key by its departments, so a
/// coordinator's new department is a new page.
#[allow(clippy::too_many_arguments)]
pub fn kept_compliance(
    conn: &mut DbConn,
    (views, pages): (&Kept, &Kept),
    organization_id: &str,
    rules: &ReportSettings,
    month: YearMonth,
    departments: Option<&HashSet<String>>,
    only: Option<ReportState>,
    (offset, limit): (i64, i64),
    now: DateTime<Utc>,
) -> AppResult<Arc<Compliance>> {
    let due = due_for(conn, organization_id, rules, month)?;
    let clubs_mark = mark_of(conn, organization_id, ViewKind::Clubs)?;
    let scope = departments.map(|set| {
        let mut ids: Vec<&String> = set.iter().collect();
        ids.sort();
        let mut hasher = std::hash::DefaultHasher::new();
        std::hash::Hash::hash(&ids, &mut hasher);
        std::hash::Hasher::finish(&hasher)
    });
    let past_due = is_late(now, due);
    let key = format!(
        "compliance/{clubs_mark}/{month}/{scope:?}/{only:?}/{offset}/{limit}/{due}/{past_due}"
    );
    kept_view(
        conn,
        pages,
        organization_id,
        ViewKind::Reports,
        &key,
        |conn| {
            let ask = (month, departments, only, Some((offset, limit)));
            compliance_due(conn, views, organization_id, ask, due, now)
        },
    )
}

/// What a compliance view asks for: the month, the scope's departments,
/// one state only, one page.
type ComplianceAsk<'a> = (
    YearMonth,
    Option<&'a HashSet<String>>,
    Option<ReportState>,
    Option<(i64, i64)>,
);

/// The clubs that owe the month's report and their state, by club name:
/// optionally only clubs whose home department is one of `departments` (a
/// coordinator's scope), only one state, and one page of the rows. The
/// totals count every state over the whole scope; one narrow query reads
/// the facts, and names are looked up for the page's clubs only.
fn compliance_due(
    conn: &mut DbConn,
    views: &Kept,
    organization_id: &str,
    (month, departments, only, window): ComplianceAsk<'_>,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Compliance> {
    let facts = kept_month_facts(conn, Some(views), organization_id, month)?;
    let mut counts: HashMap<ReportState, usize> = HashMap::new();
    let mut chosen = Vec::new();
    for (fact, state) in month_states(&facts, departments, due, now) {
        *counts.entry(state).or_default() += 1;
        if only.is_none_or(|s| s == state) {
            chosen.push((fact, state));
        }
    }
    let totals = counts
        .into_iter()
        .map(|(state, n)| (state.code().to_string(), n))
        .collect();
    let total = chosen.len();
    let (offset, limit) = window.unwrap_or((0, i64::MAX));
    let page: Vec<_> = chosen
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .collect();
    let ids: Vec<String> = page.iter().map(|(f, _)| f.club_id.clone()).collect();
    let details = model::month_details(conn, &month.to_string(), &ids)?;
    let presidents = clubs::presidents(conn, &ids)?;
    let department_ids: Vec<String> = page
        .iter()
        .filter_map(|(f, _)| f.home_department_id.clone())
        .collect();
    let department_names: HashMap<String, String> = org::departments_by_ids(conn, &department_ids)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let rows = page
        .into_iter()
        .map(|(fact, state)| {
            let (club_name, submitted_at) = details.get(&fact.club_id).cloned().unwrap_or_default();
            ComplianceRow {
                department: fact
                    .home_department_id
                    .as_ref()
                    .and_then(|d| department_names.get(d).cloned()),
                president: presidents.get(&fact.club_id).map(|(_, name)| name.clone()),
                state: state.code().to_string(),
                state_label: state.label_ko(),
                submitted_at: submitted_at.map(crate::format::seoul_rfc3339),
                club_id: fact.club_id.clone(),
                club_name,
            }
        })
        .collect();
    Ok(Compliance {
        month: month.to_string(),
        month_label: month.label_ko(),
        due_at: due_instant(due).to_rfc3339(),
        rows,
        total,
        totals,
    })
}

/// Every club of the office that owes the month's report, with its facts
/// (a city hall has a thousand), as kept under the office's reports mark;
/// read without keeping them when `views` is None (a year of months at
/// once would crowd out the views in daily use).
fn kept_month_facts(
    conn: &mut DbConn,
    views: Option<&Kept>,
    organization_id: &str,
    month: YearMonth,
) -> AppResult<Arc<Vec<model::MonthFact>>> {
    let key = month.to_string();
    let make = |conn: &mut DbConn| -> AppResult<_> {
        Ok(model::month_facts(
            conn,
            organization_id,
            &key,
            month.last_day(),
        )?)
    };
    match views {
        Some(views) => kept_view(conn, views, organization_id, ViewKind::Reports, &key, make),
        None => make(conn).map(Arc::new),
    }
}

/// Each club in scope that owes the month's report, with its state.
fn month_states<'a>(
    facts: &'a [model::MonthFact],
    departments: Option<&'a HashSet<String>>,
    due: NaiveDate,
    now: DateTime<Utc>,
) -> impl Iterator<Item = (&'a model::MonthFact, ReportState)> + 'a {
    facts
        .iter()
        .filter(move |f| {
            departments.is_none_or(|set| {
                f.home_department_id
                    .as_ref()
                    .is_some_and(|d| set.contains(d))
            })
        })
        .map(move |fact| {
            let state = decide(
                fact.current_version.is_some(),
                fact.current_version.is_some_and(|v| v > 0),
                fact.late,
                fact.missing,
                due,
                now,
            );
            (fact, state)
        })
}

/// How many clubs in scope are in each state for the month (the counts of
/// the compliance view, without its rows).
pub fn compliance_totals(
    conn: &mut DbConn,
    views: Option<&Kept>,
    organization_id: &str,
    rules: &ReportSettings,
    month: YearMonth,
    departments: Option<&HashSet<String>>,
    now: DateTime<Utc>,
) -> AppResult<HashMap<ReportState, usize>> {
    let due = due_for(conn, organization_id, rules, month)?;
    let facts = kept_month_facts(conn, views, organization_id, month)?;
    let mut totals = HashMap::new();
    for (_, state) in month_states(&facts, departments, due, now) {
        *totals.entry(state).or_default() += 1;
    }
    Ok(totals)
}

/// The compliance view as CSV, with a BOM so that Excel reads Korean.
pub fn compliance_csv(c: &Compliance) -> String {
    let rows = c
        .rows
        .iter()
        .map(|r| {
            vec![
                r.club_name.clone().into(),
                r.department.clone().unwrap_or_default().into(),
                r.president.clone().unwrap_or_default().into(),
                r.state_label.into(),
                r.submitted_at
                    .as_deref()
                    .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
                    .map_or(crate::export::Cell::Text(String::new()), |at| {
                        crate::export::Cell::DateTime(at.naive_local())
                    }),
            ]
        })
        .collect();
    crate::export::csv(&crate::export::Table {
        name: "제출 현황".into(),
        headers: vec!["동아리", "소속 부서", "회장", "상태", "제출 시각"],
        rows,
    })
}

#[cfg(test)]
mod state_tests {
    use super::*;
    use crate::clock::{Clock, FixedClock};

    fn report(submitted: Option<bool>, missing: bool) -> Report {
        let at = NaiveDate::from_ymd_opt(2026, 12, 6)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        Report {
            id: "r".into(),
            club_id: "c".into(),
            month: "2026-11".into(),
            narrative: String::new(),
            current_version: i32::from(submitted.is_some()),
            first_submitted_at: submitted.map(|_| at),
            late: submitted,
            missing_at: missing.then_some(at),
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn one_rule_decides_every_state() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        let before = FixedClock::at_seoul(2026, 12, 5, 23, 59, 59).now();
        let after = FixedClock::at_seoul(2026, 12, 6, 0, 0, 0).now();
        let cases = [
            (None, before, ReportState::NotStarted),
            (None, after, ReportState::Missing),
            (Some(report(None, false)), before, ReportState::Draft),
            (Some(report(None, false)), after, ReportState::Missing),
            // Marked missing by a sweep that ran later than this view's
            // clock: missing is a fact, whatever the page's date.
            (Some(report(None, true)), before, ReportState::Missing),
            (Some(report(Some(false), true)), after, ReportState::OnTime),
            (Some(report(Some(true), true)), after, ReportState::Late),
        ];
        for (r, now, expected) in cases {
            assert_eq!(state_of(r.as_ref(), due, now), expected, "{r:?} at {now}");
        }
    }
}
