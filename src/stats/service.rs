//! The statistics of an office (or of a coordinator's departments) for a
//! year: meetings, attendance and hours by month and department; report
//! compliance by month; the evaluation rounds over the years; target
//! attainment by department and grade. Every figure is counted from the
//! records at the moment of asking; nothing is stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::model;
use crate::clock::HalfYear;
use crate::clock::YearMonth;
use crate::config::ReportSettings;
use crate::db::DbConn;
use crate::error::AppResult;
use crate::evaluation::model as evaluation;
use crate::ledger::progress;
use crate::org::model::{self as org, Department};
use crate::org::policy::PrizeTier;
use crate::reports::service::{self as reports, ReportState};

/// Whose figures: an office, all of it or some departments (each given
/// with those below it), and the year.
pub struct Scope<'a> {
    pub organization_id: &'a str,
    pub departments: Option<&'a HashSet<String>>,
    pub year: i32,
}

impl Scope<'_> {
    fn keeps(&self, department: Option<&String>) -> bool {
        self.departments
            .is_none_or(|set| department.is_some_and(|d| set.contains(d)))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Statistics {
    pub year: i32,
    /// The departments the figures are grouped by: the office's top
    /// departments, or the ones right below a single department in view.
    pub groups: Vec<String>,
    /// Each month of the year.
    pub activity_by_month: Vec<Activity>,
    /// Each group, then clubs with no home department (`label` 소속 없음).
    pub activity_by_group: Vec<Activity>,
    /// Each group's months, January first, in the order of
    /// `activity_by_group`.
    pub activity_by_group_and_month: Vec<Vec<Activity>>,
    /// Each reporting month of the year that has ended.
    pub compliance_by_month: Vec<ComplianceMonth>,
    /// Every round of the office, the oldest first.
    pub evaluation_by_half: Vec<EvaluationHalf>,
    pub targets_by_group: Vec<Attainment>,
    pub targets_by_grade: Vec<Attainment>,
}

/// Meetings held, attendances (a person at a meeting) and their minutes.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Activity {
    pub label: String,
    pub meetings: i64,
    pub attendances: i64,
    pub minutes: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ComplianceMonth {
    pub month: String,
    pub label: String,
    pub on_time: i64,
    pub late: i64,
    pub missing: i64,
    /// Drafts and reports not started, past their due date or not.
    pub not_submitted: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationHalf {
    pub half: String,
    pub label: String,
    pub title: String,
    pub confirmed: bool,
    pub results_reports: i64,
    pub grand: i64,
    pub excellent: i64,
    pub encouragement: i64,
    pub prize_krw: i64,
}

/// People with an annual target, and how many have reached it.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Attainment {
    pub label: String,
    pub people: i64,
    pub with_target: i64,
    pub reached: i64,
    /// Of those with a target, whole percent; None when nobody has one.
    pub percent: Option<i64>,
}

const NO_DEPARTMENT: &str = "소속 없음";

/// The statistics of the scope's year, as of `now`.
pub fn statistics(
    conn: &mut DbConn,
    scope: &Scope<'_>,
    rules: &ReportSettings,
    now: DateTime<Utc>,
) -> AppResult<Statistics> {
    let departments = org::all_departments(conn, scope.organization_id)?;
    let grouping = Grouping::new(&departments, scope.departments);
    let (activity_by_month, activity_by_group, activity_by_group_and_month) =
        activity(conn, scope, &grouping)?;
    let today = now.with_timezone(&crate::clock::seoul()).date_naive();
    let (targets_by_group, targets_by_grade) = attainment(conn, scope, &grouping)?;
    Ok(Statistics {
        year: scope.year,
        groups: grouping.names.clone(),
        activity_by_month,
        activity_by_group,
        activity_by_group_and_month,
        compliance_by_month: compliance(conn, scope, rules, today, now)?,
        evaluation_by_half: evaluation(conn, scope)?,
        targets_by_group,
        targets_by_grade,
    })
}

/// Target attainment by group and by grade.
fn attainment(
    conn: &mut DbConn,
    scope: &Scope<'_>,
    grouping: &Grouping,
) -> AppResult<(Vec<Attainment>, Vec<Attainment>)> {
    let people = progress::people_with_progress(
        conn,
        &progress::OfficeQuery {
            organization_id: scope.organization_id,
            year: scope.year,
            departments: scope.departments,
            below_only: false,
        },
    )?;
    let mut by_group = vec![Attainment::default(); grouping.names.len() + 1];
    let mut by_grade: BTreeMap<Option<i32>, Attainment> = BTreeMap::new();
    for (person, progress) in &people {
        let group = grouping.of(person.department_id.as_ref());
        for row in [
            &mut by_group[group],
            by_grade.entry(person.grade).or_default(),
        ] {
            row.people += 1;
            if progress.target_minutes.is_some() {
                row.with_target += 1;
                if !progress.below_target() {
                    row.reached += 1;
                }
            }
        }
    }
    let mut by_group = grouping.label(by_group, |row, label| row.label = label);
    let mut by_grade: Vec<Attainment> = by_grade
        .into_iter()
        .map(|(grade, mut row)| {
            row.label = grade.map_or_else(|| "직급 없음".to_string(), |g| format!("{g}급"));
            row
        })
        .collect();
    for row in by_group.iter_mut().chain(by_grade.iter_mut()) {
        row.percent = (row.with_target > 0).then(|| row.reached * 100 / row.with_target);
    }
    Ok((by_group, by_grade))
}

type ActivityTables = (Vec<Activity>, Vec<Activity>, Vec<Vec<Activity>>);

fn activity(
    conn: &mut DbConn,
    scope: &Scope<'_>,
    grouping: &Grouping,
) -> AppResult<ActivityTables> {
    let year = progress::year_days(scope.year);
    let mut by_month: Vec<Activity> = (1..=12)
        .map(|m| Activity {
            label: format!("{m}월"),
            ..Activity::default()
        })
        .collect();
    let groups = grouping.names.len() + 1;
    let mut by_group = vec![Activity::default(); groups];
    let mut by_group_and_month = vec![by_month.clone(); groups];
    for meeting in model::meetings_between(conn, scope.organization_id, year)? {
        if !scope.keeps(meeting.home_department_id.as_ref()) {
            continue;
        }
        let month = usize::try_from(meeting.held_on.month0()).unwrap_or(0);
        let group = grouping.of(meeting.home_department_id.as_ref());
        let spent = (meeting.ends_at - meeting.starts_at).num_minutes().max(0) * meeting.attendees;
        for row in [
            &mut by_month[month],
            &mut by_group[group],
            &mut by_group_and_month[group][month],
        ] {
            row.meetings += 1;
            row.attendances += meeting.attendees;
            row.minutes += spent;
        }
    }
    // The row without a department goes when it counted nothing, its
    // months with it.
    let labelled = grouping.label(by_group, |row, label| row.label = label);
    by_group_and_month.truncate(labelled.len());
    Ok((by_month, labelled, by_group_and_month))
}

fn compliance(
    conn: &mut DbConn,
    scope: &Scope<'_>,
    rules: &ReportSettings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<Vec<ComplianceMonth>> {
    let this_month = YearMonth::of(today);
    let mut out = Vec::new();
    for &month in &rules.months {
        let month = YearMonth {
            year: scope.year,
            month,
        };
        if month >= this_month {
            continue;
        }
        let totals = reports::compliance_totals(
            conn,
            None,
            scope.organization_id,
            rules,
            month,
            scope.departments,
            now,
        )?;
        let count = |state: ReportState| {
            totals
                .get(&state)
                .map_or(0, |n| i64::try_from(*n).unwrap_or(i64::MAX))
        };
        out.push(ComplianceMonth {
            month: month.to_string(),
            label: month.label_ko(),
            on_time: count(ReportState::OnTime),
            late: count(ReportState::Late),
            missing: count(ReportState::Missing),
            not_submitted: count(ReportState::Draft) + count(ReportState::NotStarted),
        });
    }
    Ok(out)
}

fn evaluation(conn: &mut DbConn, scope: &Scope<'_>) -> AppResult<Vec<EvaluationHalf>> {
    let mut rounds = evaluation::all_rounds(conn, scope.organization_id)?;
    rounds.sort_by(|a, b| a.half.cmp(&b.half).then(a.created_at.cmp(&b.created_at)));
    let ids: Vec<String> = rounds.iter().map(|r| r.id.clone()).collect();
    let mut halves: Vec<EvaluationHalf> = rounds
        .iter()
        .map(|r| EvaluationHalf {
            label: HalfYear::parse(&r.half).map_or_else(|| r.half.clone(), HalfYear::label_ko),
            half: r.half.clone(),
            title: r.title.clone(),
            confirmed: r.confirmed_at.is_some(),
            results_reports: 0,
            grand: 0,
            excellent: 0,
            encouragement: 0,
            prize_krw: 0,
        })
        .collect();
    let position: HashMap<&str, usize> = rounds
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    for (round, department) in model::results_reports_of(conn, &ids)? {
        if let Some(&i) = position
            .get(round.as_str())
            .filter(|_| scope.keeps(department.as_ref()))
        {
            halves[i].results_reports += 1;
        }
    }
    for (round, department, tier, amount) in model::prizes_of(conn, &ids)? {
        let Some(&i) = position
            .get(round.as_str())
            .filter(|_| scope.keeps(department.as_ref()))
        else {
            continue;
        };
        let half = &mut halves[i];
        match PrizeTier::parse(&tier) {
            Some(PrizeTier::Grand) => half.grand += 1,
            Some(PrizeTier::Excellent) => half.excellent += 1,
            Some(PrizeTier::Encouragement) => half.encouragement += 1,
            None => {}
        }
        half.prize_krw += amount;
    }
    Ok(halves)
}

/// Which group each department's figures go under: with the whole office
/// in view, its top departments (a 과 under its 국); with one department
/// in view, that department and the ones right below it; with several
/// (a coordinator of more than one), each of them. The last group, past
/// the named ones, is for clubs and people without a department.
struct Grouping {
    names: Vec<String>,
    of_department: HashMap<String, usize>,
}

impl Grouping {
    fn new(departments: &[Department], scope: Option<&HashSet<String>>) -> Self {
        let in_scope = |id: &String| scope.is_none_or(|s| s.contains(id));
        let parent: HashMap<&String, Option<&String>> = departments
            .iter()
            .map(|d| (&d.id, d.parent_id.as_ref()))
            .collect();
        let tops: Vec<&Department> = departments
            .iter()
            .filter(|d| in_scope(&d.id) && !d.parent_id.as_ref().is_some_and(in_scope))
            .collect();
        let heads: Vec<&Department> = match tops.as_slice() {
            [single] if scope.is_some() => std::iter::once(*single)
                .chain(
                    departments
                        .iter()
                        .filter(|d| d.parent_id.as_ref() == Some(&single.id)),
                )
                .collect(),
            _ => tops,
        };
        let index: HashMap<&String, usize> =
            heads.iter().enumerate().map(|(i, d)| (&d.id, i)).collect();
        let of_department = departments
            .iter()
            .filter(|d| in_scope(&d.id))
            .filter_map(|d| {
                let mut at = Some(&d.id);
                while let Some(id) = at {
                    if let Some(&i) = index.get(id) {
                        return Some((d.id.clone(), i));
                    }
                    at = parent.get(id).copied().flatten();
                }
                None
            })
            .collect();
        Grouping {
            names: heads.iter().map(|d| d.name.clone()).collect(),
            of_department,
        }
    }

    fn of(&self, department: Option<&String>) -> usize {
        department
            .and_then(|d| self.of_department.get(d).copied())
            .unwrap_or(self.names.len())
    }

    /// The rows named after their groups; the row without a department
    /// only when it has something in it.
    fn label<T: Default + Counted>(&self, rows: Vec<T>, name: impl Fn(&mut T, String)) -> Vec<T> {
        rows.into_iter()
            .enumerate()
            .filter_map(|(i, mut row)| {
                let label = match self.names.get(i) {
                    Some(n) => n.clone(),
                    None if row.counted_nothing() => return None,
                    None => NO_DEPARTMENT.to_string(),
                };
                name(&mut row, label);
                Some(row)
            })
            .collect()
    }
}

/// Whether a row counted nothing.
trait Counted {
    fn counted_nothing(&self) -> bool;
}

impl Counted for Activity {
    fn counted_nothing(&self) -> bool {
        self.meetings == 0
    }
}

impl Counted for Attainment {
    fn counted_nothing(&self) -> bool {
        self.people == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn department(id: &str, parent: Option<&str>) -> Department {
        Department {
            id: id.into(),
            organization_id: "o".into(),
            code: id.into(),
            name: format!("{id}부서"),
            parent_id: parent.map(Into::into),
            created_at: chrono::NaiveDateTime::default(),
        }
    }

    fn tree() -> Vec<Department> {
        vec![
            department("a", None),
            department("a1", Some("a")),
            department("a1x", Some("a1")),
            department("a2", Some("a")),
            department("b", None),
            department("b1", Some("b")),
        ]
    }

    #[test]
    fn the_office_groups_by_its_top_departments() {
        let g = Grouping::new(&tree(), None);
        assert_eq!(g.names, ["a부서", "b부서"]);
        assert_eq!(g.of(Some(&"a1x".to_string())), 0);
        assert_eq!(g.of(Some(&"b1".to_string())), 1);
        assert_eq!(g.of(None), 2);
    }

    #[test]
    fn one_department_in_view_groups_by_those_right_below_it() {
        let scope: HashSet<String> = ["a", "a1", "a1x", "a2"].map(String::from).into();
        let g = Grouping::new(&tree(), Some(&scope));
        assert_eq!(g.names, ["a부서", "a1부서", "a2부서"]);
        assert_eq!(g.of(Some(&"a".to_string())), 0);
        assert_eq!(g.of(Some(&"a1x".to_string())), 1);
        assert_eq!(g.of(Some(&"a2".to_string())), 2);
        assert_eq!(g.of(Some(&"b1".to_string())), 3, "outside the scope");
    }

    #[test]
    fn a_coordinator_of_two_departments_sees_each() {
        let scope: HashSet<String> = ["a1", "a1x", "b1"].map(String::from).into();
        let g = Grouping::new(&tree(), Some(&scope));
        assert_eq!(g.names, ["a1부서", "b1부서"]);
        assert_eq!(g.of(Some(&"a1x".to_string())), 0);
    }

    #[test]
    fn the_row_without_a_department_shows_only_when_it_counted_something() {
        let g = Grouping::new(&tree(), None);
        let rows = g.label(vec![Activity::default(); 3], |r, l| r.label = l);
        assert_eq!(rows.len(), 2);
        let mut counted = vec![Activity::default(); 3];
        counted[2].meetings = 1;
        let rows = g.label(counted, |r, l| r.label = l);
        assert_eq!(rows[2].label, NO_DEPARTMENT);
    }
}
