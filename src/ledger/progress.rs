//! Annual target progress (상시학습 목표 달성도): each person's target from
//! the target rules, the hours the ledger recognized for the year by
//! source, what remains and the percent. Nothing is stored: every figure is
//! a sum of ledger entries, and a reversal counts under the source of what
//! it cancels.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{self, HoursOwners, Source};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::export::{Cell, Table};
use crate::org::model::{self as org, JobFamily};
use crate::org::targets;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceMinutes {
    pub source: Source,
    pub label: &'static str,
    pub minutes: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    pub employee_id: String,
    pub employee_no: String,
    pub name: String,
    /// The department's name (office lists).
    pub department: Option<String>,
    pub year: i32,
    /// None: no target applies (grade 4 and above, fixed-term, …).
    pub target_minutes: Option<i64>,
    pub recognized_minutes: i64,
    /// What is left to reach the target; 0 once reached.
    pub remaining_minutes: Option<i64>,
    /// Of the target, whole percent (may pass 100).
    pub percent: Option<i64>,
    pub by_source: Vec<SourceMinutes>,
}

impl Progress {
    fn new(
        person: &org::Person,
        department: Option<String>,
        year: i32,
        target: Option<i64>,
        by_source: Vec<SourceMinutes>,
    ) -> Self {
        let recognized_minutes = by_source.iter().map(|s| s.minutes).sum();
        Progress {
            employee_id: person.id.clone(),
            employee_no: person.employee_no.clone(),
            name: person.name.clone(),
            department,
            year,
            target_minutes: target,
            recognized_minutes,
            remaining_minutes: target.map(|t| (t - recognized_minutes).max(0)),
            percent: target
                .filter(|t| *t > 0)
                .map(|t| recognized_minutes * 100 / t),
            by_source,
        }
    }

    pub fn below_target(&self) -> bool {
        self.remaining_minutes.is_some_and(|r| r > 0)
    }
}

/// The first and last day of a year.
pub fn year_days(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).expect("a valid year"),
        NaiveDate::from_ymd_opt(year, 12, 31).expect("a valid year"),
    )
}

/// Minutes by (person, source) counting for the year, for the people the
/// filter keeps; reversals under the source of what they cancel.
fn minutes_by_source(
    conn: &mut DbConn,
    owners: HoursOwners<'_>,
    year: i32,
) -> AppResult<HashMap<String, Vec<SourceMinutes>>> {
    let rows = model::hours_by_source(conn, owners, year_days(year))?;
    let cancelled: Vec<String> = rows.iter().filter_map(|r| r.2.clone()).collect();
    let original_source: HashMap<String, String> = if cancelled.is_empty() {
        HashMap::new()
    } else {
        model::movements_by_ids(conn, &cancelled)?
            .into_iter()
            .map(|m| (m.id, m.source))
            .collect()
    };
    let mut out: HashMap<String, Vec<SourceMinutes>> = HashMap::new();
    for (owner, source, reverses, minutes) in rows {
        let filed = reverses
            .and_then(|id| original_source.get(&id).cloned())
            .unwrap_or(source);
        let source = Source::parse(&filed).unwrap_or(Source::ManualAdjustment);
        let list = out.entry(owner).or_default();
        match list.iter_mut().find(|s| s.source == source) {
            Some(s) => s.minutes += minutes,
            None => list.push(SourceMinutes {
                source,
                label: source.label_ko(),
                minutes,
            }),
        }
    }
    for list in out.values_mut() {
        list.retain(|s| s.minutes != 0);
        list.sort_by_key(|s| Source::ALL.iter().position(|x| *x == s.source));
    }
    Ok(out)
}

fn target_minutes(rules: &[targets::TargetRule], person: &org::Person) -> Option<i64> {
    let family = JobFamily::parse(&person.job_family).unwrap_or(JobFamily::Other);
    targets::annual_target_hours(rules, person.grade, family).map(|h| i64::from(h) * 60)
}

/// One person's progress for the year, the target given (in minutes).
pub fn of_person(
    conn: &mut DbConn,
    person: &org::Person,
    target_minutes: Option<i64>,
    year: i32,
) -> AppResult<Progress> {
    let mut minutes = minutes_by_source(conn, HoursOwners::One(&person.id), year)?;
    Ok(Progress::new(
        person,
        None,
        year,
        target_minutes,
        minutes.remove(&person.id).unwrap_or_default(),
    ))
}

/// One employee's progress for the year, the target from the rules.
pub fn of_employee(conn: &mut DbConn, employee_id: &str, year: i32) -> AppResult<Progress> {
    let person = org::person(conn, employee_id)?;
    of_person_by_rules(conn, &person, year)
}

/// One person's progress for the year, their target from the grade rules
/// (for a person already read, as the signed-in user is).
pub fn of_person_by_rules(
    conn: &mut DbConn,
    person: &org::Person,
    year: i32,
) -> AppResult<Progress> {
    let rules = targets::load_rules(conn)?;
    of_person(conn, person, target_minutes(&rules, person), year)
}

/// What an office list shows.
pub struct OfficeQuery<'a> {
    pub organization_id: &'a str,
    pub year: i32,
    /// Only people of these departments; None: everyone.
    pub departments: Option<&'a std::collections::HashSet<String>>,
    /// Only people with a target they have not reached.
    pub below_only: bool,
}

/// The office's active people with their progress, the furthest behind
/// their target first (then those without a target, by name).
pub fn of_office(conn: &mut DbConn, q: &OfficeQuery<'_>) -> AppResult<Vec<Progress>> {
    let mut rows: Vec<Progress> = people_with_progress(conn, q)?
        .into_iter()
        .map(|(_, progress)| progress)
        .collect();
    rows.sort_by(|a, b| {
        b.remaining_minutes
            .cmp(&a.remaining_minutes)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.employee_no.cmp(&b.employee_no))
    });
    Ok(rows)
}

/// The office's active people the query keeps, each with their progress,
/// in no particular order (statistics group them by department and grade).
pub fn people_with_progress(
    conn: &mut DbConn,
    q: &OfficeQuery<'_>,
) -> AppResult<Vec<(org::Person, Progress)>> {
    let rules = targets::load_rules(conn)?;
    let departments: HashMap<String, String> = org::all_departments(conn, q.organization_id)?
        .into_iter()
        .map(|d| (d.id, d.name))
        .collect();
    let mut minutes = minutes_by_source(conn, HoursOwners::Office(q.organization_id), q.year)?;
    Ok(org::people_of(conn, q.organization_id)?
        .into_iter()
        .filter(|p| {
            q.departments
                .is_none_or(|set| p.department_id.as_ref().is_some_and(|d| set.contains(d)))
        })
        .map(|p| {
            let department = p
                .department_id
                .as_ref()
                .and_then(|d| departments.get(d).cloned());
            let target = target_minutes(&rules, &p);
            let by_source = minutes.remove(&p.id).unwrap_or_default();
            let progress = Progress::new(&p, department, q.year, target, by_source);
            (p, progress)
        })
        .filter(|(_, progress)| !q.below_only || progress.below_target())
        .collect())
}

/// Counts over a list: people, with a target, reached it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub people: usize,
    pub with_target: usize,
    pub reached: usize,
}

pub fn summary(rows: &[Progress]) -> Summary {
    Summary {
        people: rows.len(),
        with_target: rows.iter().filter(|r| r.target_minutes.is_some()).count(),
        reached: rows
            .iter()
            .filter(|r| r.target_minutes.is_some() && !r.below_target())
            .count(),
    }
}

/// The list as a spreadsheet: hours as decimals, a column per source.
pub fn table(rows: &[Progress], year: i32) -> Table {
    let hours = |minutes: i64| Cell::Text(super::hr_export::decimal_hours(minutes));
    let sources = [
        Source::ClubHours,
        Source::HrImport,
        Source::Conversion,
        Source::ManualAdjustment,
    ];
    Table {
        name: format!("{year} 상시학습 목표 달성"),
        headers: vec![
            "사원번호",
            "성명",
            "부서",
            "목표시간",
            "인정시간",
            "남은시간",
            "달성률(%)",
            "학습동아리",
            "인사 학습이력",
            "마일리지 전환",
            "수동 조정",
        ],
        rows: rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    Cell::Text(r.employee_no.clone()),
                    Cell::Text(r.name.clone()),
                    Cell::Text(r.department.clone().unwrap_or_default()),
                    r.target_minutes.map_or(Cell::Text(String::new()), hours),
                    hours(r.recognized_minutes),
                    r.remaining_minutes.map_or(Cell::Text(String::new()), hours),
                    r.percent.map_or(Cell::Text(String::new()), Cell::Number),
                ];
                for source in sources {
                    let m = r
                        .by_source
                        .iter()
                        .filter(|s| s.source == source)
                        .map(|s| s.minutes)
                        .sum();
                    row.push(hours(m));
                }
                row
            })
            .collect(),
    }
}
