//! Monthly reports and their frozen versions; the holiday calendar.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{clubs, holidays, job_marks, monthly_reports, reminders, report_versions};
use crate::db::{any_of, new_id, DbConn, MultiBackend};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = monthly_reports)]
pub struct Report {
    pub id: String,
    pub club_id: String,
    pub month: String,
    pub narrative: String,
    pub current_version: i32,
    pub first_submitted_at: Option<NaiveDateTime>,
    pub late: Option<bool>,
    pub missing_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = report_versions)]
pub struct Version {
    pub id: String,
    pub report_id: String,
    pub version: i32,
    pub narrative: String,
    pub activity: String,
    pub submitted_at: NaiveDateTime,
    pub submitted_by: String,
    pub due_at: NaiveDateTime,
    pub late: bool,
    pub amendment_reason: Option<String>,
}

pub fn report_for(conn: &mut DbConn, club_id: &str, month: &str) -> QueryResult<Option<Report>> {
    monthly_reports::table
        .filter(monthly_reports::club_id.eq(club_id))
        .filter(monthly_reports::month.eq(month))
        .select(Report::as_select())
        .first(conn)
        .optional()
}

pub fn reports_of_club(conn: &mut DbConn, club_id: &str) -> QueryResult<Vec<Report>> {
    monthly_reports::table
        .filter(monthly_reports::club_id.eq(club_id))
        .order(monthly_reports::month.desc())
        .select(Report::as_select())
        .load(conn)
}

/// What a report's state is decided from: whether and how it was
/// submitted, and whether the sweep found it missing (not its text).
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = monthly_reports)]
pub struct ReportFacts {
    pub month: String,
    pub current_version: i32,
    pub late: Option<bool>,
    #[diesel(deserialize_as = crate::db::Maybe<crate::db::Stamp>)]
    pub missing_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = crate::db::Maybe<crate::db::Stamp>)]
    pub first_submitted_at: Option<NaiveDateTime>,
}

/// The facts of a club's reports from `since` on (a club of five years
/// has sixty; their texts are not read).
pub fn report_facts_since(
    conn: &mut DbConn,
    club_id: &str,
    since: &str,
) -> QueryResult<Vec<ReportFacts>> {
    monthly_reports::table
        .filter(monthly_reports::club_id.eq(club_id))
        .filter(monthly_reports::month.ge(since))
        .select(ReportFacts::as_select())
        .load(conn)
}

/// Rows a single statement may insert: well under either backend's limit on
/// bound parameters.
const INSERT_CHUNK: usize = 1000;

/// The organization's clubs that owe a month's report: active, and formed
/// by the month's `last_day`.
fn clubs_owing(organization_id: &str, last_day: NaiveDate) -> clubs::BoxedQuery<'_, MultiBackend> {
    clubs::table
        .filter(clubs::organization_id.eq(organization_id))
        .filter(clubs::status.eq("active"))
        .filter(clubs::formed_on.le(last_day))
        .into_boxed()
}

/// Gives every club that owes the month's report (active, and formed by
/// its `last_day`) a report row if it has none; answers how many were made.
pub fn ensure_reports_owed(
    conn: &mut DbConn,
    organization_id: &str,
    month: &str,
    last_day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    use diesel::dsl::{exists, not};
    let without: Vec<String> = clubs_owing(organization_id, last_day)
        .filter(not(exists(
            monthly_reports::table
                .filter(monthly_reports::club_id.eq(clubs::id))
                .filter(monthly_reports::month.eq(month)),
        )))
        .select(clubs::id)
        .load(conn)?;
    for chunk in without.chunks(INSERT_CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|club_id| {
                (
                    monthly_reports::id.eq(new_id()),
                    monthly_reports::club_id.eq(club_id),
                    monthly_reports::month.eq(month),
                    monthly_reports::narrative.eq(""),
                    monthly_reports::current_version.eq(0),
                    monthly_reports::created_at.eq(now),
                    monthly_reports::updated_at.eq(now),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(monthly_reports::table)
            .values(rows)
            .execute(c))?;
    }
    Ok(without.len())
}

/// (id, formation day) of the organization's active clubs, by id: which
/// clubs owe which months.
pub fn active_club_formations(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    let mut clubs: Vec<(String, NaiveDate)> = clubs::table
        .filter(clubs::organization_id.eq(organization_id))
        .filter(clubs::status.eq("active"))
        .select((clubs::id, clubs::formed_on))
        .load(conn)?;
    clubs.sort_unstable();
    Ok(clubs)
}

/// A month's sweep of an organization, as `job_marks` names it.
fn sweep_job(month: &str) -> String {
    format!("report_sweep:{month}")
}

/// For each month an organization's sweep finished, the fingerprint of the
/// inputs it saw.
pub fn sweep_marks(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<HashMap<String, String>> {
    let prefix = sweep_job("");
    let rows: Vec<(String, String)> = job_marks::table
        .filter(job_marks::organization_id.eq(organization_id))
        .filter(job_marks::job.like(format!("{prefix}%")))
        .select((job_marks::job, job_marks::fingerprint))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(job, fingerprint)| {
            Some((job.strip_prefix(&prefix)?.to_string(), fingerprint))
        })
        .collect())
}

pub fn set_sweep_mark(
    conn: &mut DbConn,
    organization_id: &str,
    month: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::db::job_marks::set_mark(conn, organization_id, &sweep_job(month), fingerprint, now)
}

/// Marks, in one statement, every unsubmitted report of the month owed by a
/// club formed by its `last_day` as missing; answers (report id, club id)
/// of those it marked.
pub fn mark_month_missing(
    conn: &mut DbConn,
    organization_id: &str,
    month: &str,
    last_day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<Vec<(String, String)>> {
    let owing = clubs::table
        .filter(clubs::organization_id.eq(organization_id))
        .filter(clubs::status.eq("active"))
        .filter(clubs::formed_on.le(last_day))
        .select(clubs::id);
    let unsent = monthly_reports::table
        .filter(monthly_reports::month.eq(month))
        .filter(monthly_reports::current_version.eq(0))
        .filter(monthly_reports::missing_at.is_null())
        .filter(monthly_reports::club_id.eq_any(owing));
    // Inside the caller's write transaction: what is read is what is marked.
    let marked: Vec<(String, String)> = unsent
        .select((monthly_reports::id, monthly_reports::club_id))
        .load(conn)?;
    if !marked.is_empty() {
        diesel::update(unsent)
            .set(monthly_reports::missing_at.eq(now))
            .execute(conn)?;
    }
    Ok(marked)
}

/// A club that owes a month's report, and what its report row says (all
/// `None` when it has none): what its state is decided from.
#[derive(Queryable, Debug, Clone)]
pub struct MonthFact {
    pub club_id: String,
    pub home_department_id: Option<String>,
    pub current_version: Option<i32>,
    pub late: Option<bool>,
    pub missing: bool,
}

/// Every club of the organization that owes the month's report (active,
/// formed by its `last_day`), by name, with its report's state columns: one
/// query over two covering indexes, no timestamps to parse. A city hall has
/// a thousand clubs; their names and dates are read for one page only
/// (`month_details`).
pub fn month_facts(
    conn: &mut DbConn,
    organization_id: &str,
    month: &str,
    last_day: NaiveDate,
) -> QueryResult<Vec<MonthFact>> {
    clubs::table
        .left_join(
            monthly_reports::table.on(monthly_reports::club_id
                .eq(clubs::id)
                .and(monthly_reports::month.eq(month))),
        )
        .filter(clubs::organization_id.eq(organization_id))
        .filter(clubs::status.eq("active"))
        .filter(clubs::formed_on.le(last_day))
        .order((clubs::name.asc(), clubs::id.asc()))
        .select((
            clubs::id,
            clubs::home_department_id,
            monthly_reports::current_version.nullable(),
            monthly_reports::late.nullable(),
            monthly_reports::missing_at.nullable().is_not_null(),
        ))
        .load(conn)
}

/// The names of `club_ids` and when each first submitted the month's report.
pub fn month_details(
    conn: &mut DbConn,
    month: &str,
    club_ids: &[String],
) -> QueryResult<HashMap<String, (String, Option<NaiveDateTime>)>> {
    Ok(clubs::table
        .left_join(
            monthly_reports::table.on(monthly_reports::club_id
                .eq(clubs::id)
                .and(monthly_reports::month.eq(month))),
        )
        .filter(any_of(clubs::id, club_ids))
        .select((
            clubs::id,
            clubs::name,
            monthly_reports::first_submitted_at.nullable(),
        ))
        .load::<(String, String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .map(|(id, name, submitted)| (id, (name, submitted)))
        .collect())
}

/// The club's report row for the month, made (empty) if there is none.
pub fn ensure_report(
    conn: &mut DbConn,
    club_id: &str,
    month: &str,
    now: NaiveDateTime,
) -> QueryResult<Report> {
    if let Some(report) = report_for(conn, club_id, month)? {
        return Ok(report);
    }
    diesel::insert_into(monthly_reports::table)
        .values((
            monthly_reports::id.eq(new_id()),
            monthly_reports::club_id.eq(club_id),
            monthly_reports::month.eq(month),
            monthly_reports::narrative.eq(""),
            monthly_reports::current_version.eq(0),
            monthly_reports::created_at.eq(now),
            monthly_reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    report_for(conn, club_id, month)?.ok_or(diesel::result::Error::NotFound)
}

pub fn save_narrative(
    conn: &mut DbConn,
    id: &str,
    narrative: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(monthly_reports::table.find(id))
        .set((
            monthly_reports::narrative.eq(narrative),
            monthly_reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records the first submission's instant and lateness, once.
pub fn record_first_submission(
    conn: &mut DbConn,
    id: &str,
    at: NaiveDateTime,
    late: bool,
) -> QueryResult<()> {
    diesel::update(
        monthly_reports::table
            .find(id)
            .filter(monthly_reports::first_submitted_at.is_null()),
    )
    .set((
        monthly_reports::first_submitted_at.eq(at),
        monthly_reports::late.eq(late),
    ))
    .execute(conn)?;
    Ok(())
}

pub fn set_current_version(
    conn: &mut DbConn,
    id: &str,
    version: i32,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(monthly_reports::table.find(id))
        .set((
            monthly_reports::current_version.eq(version),
            monthly_reports::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn mark_missing(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(
        monthly_reports::table
            .find(id)
            .filter(monthly_reports::missing_at.is_null())
            .filter(monthly_reports::current_version.eq(0)),
    )
    .set(monthly_reports::missing_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

#[allow(clippy::too_many_arguments)]
pub fn insert_version(
    conn: &mut DbConn,
    report_id: &str,
    version: i32,
    narrative: &str,
    activity: &str,
    submitted_at: NaiveDateTime,
    submitted_by: &str,
    due_at: NaiveDateTime,
    late: bool,
    amendment_reason: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(report_versions::table)
        .values((
            report_versions::id.eq(new_id()),
            report_versions::report_id.eq(report_id),
            report_versions::version.eq(version),
            report_versions::narrative.eq(narrative),
            report_versions::activity.eq(activity),
            report_versions::submitted_at.eq(submitted_at),
            report_versions::submitted_by.eq(submitted_by),
            report_versions::due_at.eq(due_at),
            report_versions::late.eq(late),
            report_versions::amendment_reason.eq(amendment_reason),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn versions_of(conn: &mut DbConn, report_id: &str) -> QueryResult<Vec<Version>> {
    report_versions::table
        .filter(report_versions::report_id.eq(report_id))
        .order(report_versions::version.asc())
        .select(Version::as_select())
        .load(conn)
}

/// A club that owes a month's report and has not submitted it.
#[derive(Queryable, Debug, Clone)]
pub struct OwingClub {
    pub id: String,
    pub name: String,
    pub home_department_id: Option<String>,
    /// A reminder of `reminder_kind` for the month is recorded for it.
    pub reminded: bool,
}

/// The organization's clubs that owe the month's report (active, formed by
/// its `last_day`) and have not submitted it, by name, each with whether
/// its reminder of this kind went out: one pass over the clubs' index, two
/// probes each.
pub fn owing_unsubmitted(
    conn: &mut DbConn,
    organization_id: &str,
    month: &str,
    last_day: NaiveDate,
    reminder_kind: &str,
) -> QueryResult<Vec<OwingClub>> {
    use diesel::dsl::{exists, not};
    clubs_owing(organization_id, last_day)
        .filter(not(exists(
            monthly_reports::table
                .filter(monthly_reports::club_id.eq(clubs::id))
                .filter(monthly_reports::month.eq(month))
                .filter(monthly_reports::current_version.gt(0)),
        )))
        .order(clubs::name.asc())
        .select((
            clubs::id,
            clubs::name,
            clubs::home_department_id,
            exists(
                reminders::table
                    .filter(reminders::kind.eq(reminder_kind))
                    .filter(reminders::month.eq(month))
                    .filter(reminders::subject_id.eq(clubs::id)),
            ),
        ))
        .load(conn)
}

/// The organization's holidays (its own calendar).
pub fn holiday_set(conn: &mut DbConn, organization_id: &str) -> QueryResult<HashSet<NaiveDate>> {
    Ok(holidays::table
        .filter(holidays::organization_id.eq(organization_id))
        .select(holidays::day)
        .load::<NaiveDate>(conn)?
        .into_iter()
        .collect())
}

pub fn list_holidays(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(NaiveDate, String)>> {
    holidays::table
        .filter(holidays::organization_id.eq(organization_id))
        .order(holidays::day.asc())
        .select((holidays::day, holidays::name))
        .load(conn)
}

pub fn add_holiday(
    conn: &mut DbConn,
    organization_id: &str,
    day: NaiveDate,
    name: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(holidays::table)
        .values((
            holidays::organization_id.eq(organization_id),
            holidays::day.eq(day),
            holidays::name.eq(name),
            holidays::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn remove_holiday(
    conn: &mut DbConn,
    organization_id: &str,
    day: NaiveDate,
) -> QueryResult<usize> {
    diesel::delete(holidays::table.find((organization_id, day))).execute(conn)
}
