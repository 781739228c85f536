//! A city-sized portal in minutes: `dongari demo --scale seoul` (or a
//! factor such as `0.003`, one district) fills an empty database with
//! organizations, departments, employees, clubs of 5–20 members, five years
//! (2022–2026) of meetings with attendance, and monthly reports — written
//! with multi-row inserts in one transaction per organization, not through
//! the API. At scale 1: 26 organizations (the city hall and 25 districts),
//! 42,443 employees, 4,000 clubs, about 240,000 meetings and 2.3 million
//! attendance rows. Each office also gets the last ended half-year's
//! evaluation round: every club's results report scored by 15 evaluators,
//! ready to be confirmed. `--offices 1` puts the whole city in one office
//! (a 4,000-club round). Repeatable: the same scale gives the same data.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use crate::clock::HalfYear;
use crate::clock::YearMonth;
use crate::config::{EvaluationSettings, Settings};
use crate::db::schema::{
    clubs, departments, employee_roles, employees, evaluation_assignments, evaluation_scores,
    meeting_attendance, meetings, memberships, monthly_reports, organizations, report_versions,
    results_reports, round_evaluators,
};
use crate::db::{new_id, DbConn};
use crate::error::{AppError, AppResult};
use crate::evaluation::model::{self as evaluation, NewRound};
use crate::evaluation::service::{day_end, day_start};
use crate::org::policy::PrizeTier;
use crate::reports::deadline::{due_date, due_instant};

/// Seoul with its districts (DOMAIN.md, Scale).
pub const SEOUL_EMPLOYEES: usize = 42_443;
pub const SEOUL_CITY_HALL_EMPLOYEES: usize = 11_842;
pub const SEOUL_CLUBS: usize = 4_000;
const DISTRICTS: [&str; 25] = [
    "종로구",
    "중구",
    "용산구",
    "성동구",
    "광진구",
    "동대문구",
    "중랑구",
    "성북구",
    "강북구",
    "도봉구",
    "노원구",
    "은평구",
    "서대문구",
    "마포구",
    "양천구",
    "강서구",
    "구로구",
    "금천구",
    "영등포구",
    "동작구",
    "관악구",
    "서초구",
    "강남구",
    "송파구",
    "강동구",
];
/// 5 국·소 with 5 과 each, and the 국·소 themselves: 30 per office.
const DIVISIONS: usize = 5;
const TEAMS_PER_DIVISION: usize = 5;
const FIRST_YEAR: i32 = 2022;
/// Evaluators of each office's round, every one scoring every club.
const EVALUATORS: usize = 15;
/// Rows per INSERT: well under both backends' limit on bound parameters.
const CHUNK: usize = 2_000;

/// How much to make.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub organizations: usize,
    pub employees: usize,
    pub clubs: usize,
}

impl Plan {
    /// `seoul` (1), or a factor of it: `0.003` is one district.
    pub fn parse(scale: &str) -> Option<Self> {
        let factor: f64 = match scale.trim() {
            "seoul" => 1.0,
            s => s.parse().ok().filter(|f: &f64| *f > 0.0 && *f <= 1.0)?,
        };
        let round = |n: usize| ((n as f64) * factor).round().max(1.0) as usize;
        Some(Self {
            organizations: round(DISTRICTS.len() + 1).min(DISTRICTS.len() + 1),
            employees: round(SEOUL_EMPLOYEES).max(30),
            clubs: round(SEOUL_CLUBS),
        })
    }

    /// The same people and clubs in `offices` organizations (1 to 26).
    pub fn in_offices(self, offices: usize) -> Option<Self> {
        (1..=DISTRICTS.len() + 1)
            .contains(&offices)
            .then_some(Self {
                organizations: offices,
                ..self
            })
    }

    /// (employees, clubs) of each organization: the city hall its own share
    /// when the whole city is made, the rest even.
    fn shares(&self) -> Vec<(usize, usize)> {
        let n = self.organizations;
        let city = if n == DISTRICTS.len() + 1 {
            SEOUL_CITY_HALL_EMPLOYEES * self.employees / SEOUL_EMPLOYEES
        } else {
            self.employees / n
        };
        let rest = (self.employees - city) / (n - 1).max(1);
        (0..n)
            .map(|i| {
                let people = match i {
                    0 if n == 1 => self.employees,
                    0 => city,
                    _ if i == n - 1 => self.employees - city - rest * (n - 2),
                    _ => rest,
                };
                (people, (self.clubs * people / self.employees).max(1))
            })
            .collect()
    }
}

/// What was made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Made {
    pub organizations: usize,
    pub employees: usize,
    pub clubs: usize,
    pub memberships: usize,
    pub meetings: usize,
    pub attendance: usize,
    pub reports: usize,
    /// Evaluation rounds, and the score sheets handed in for them.
    pub rounds: usize,
    pub score_sheets: usize,
    /// Meetings attended in the last year, each earning mileage.
    pub mileage_earnings: usize,
    /// The organizations' codes; each one's administrator is 9000001.
    pub codes: Vec<String>,
}

/// A small, repeatable random source (xorshift64*).
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Fills an empty database (its one organization becomes the city hall or
/// the first district) under the configured report and evaluation rules.
/// `admin_hash` is the password hash every organization's administrator
/// gets; `today` bounds what has happened.
pub fn generate(
    conn: &mut DbConn,
    plan: Plan,
    admin_hash: &str,
    settings: &Settings,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Made> {
    let existing: i64 = employees::table.count().get_result(conn)?;
    if existing > 0 {
        return Err(AppError::Conflict(
            "데이터베이스에 이미 직원이 있습니다. 생성기는 빈 데이터베이스에만 씁니다.".into(),
        ));
    }
    let first = crate::org::model::sole_organization(conn)?
        .ok_or_else(|| AppError::Conflict("기관이 하나인 새 데이터베이스가 필요합니다.".into()))?;
    let mut dice = Dice(0x5EED_2026_D09A_4A21);
    let mut made = Made::default();
    for (index, (people, club_count)) in plan.shares().into_iter().enumerate() {
        let (code, name) = match (plan.organizations, index) {
            (1, _) if plan.clubs > 100 => ("seoul".to_string(), "서울특별시".to_string()),
            (1, _) => ("junggu".to_string(), "서울특별시 중구".to_string()),
            (_, 0) => ("seoul".to_string(), "서울특별시".to_string()),
            (_, i) => (
                format!("gu{i:02}"),
                format!("서울특별시 {}", DISTRICTS[i - 1]),
            ),
        };
        crate::db::write_tx(conn, |conn| -> AppResult<()> {
            let org_id = if index == 0 {
                diesel::update(organizations::table.find(&first.id))
                    .set((organizations::code.eq(&code), organizations::name.eq(&name)))
                    .execute(conn)?;
                first.id.clone()
            } else {
                crate::org::model::insert_organization(conn, &code, &name, now)?
            };
            let office = Office {
                org_id,
                people,
                clubs: club_count,
            };
            office.fill(conn, &mut dice, admin_hash, settings, today, now, &mut made)?;
            made.codes.push(code.clone());
            Ok(())
        })?;
        made.organizations += 1;
    }
    crate::db::refresh_statistics(conn)?;
    Ok(made)
}

struct Office {
    org_id: String,
    people: usize,
    clubs: usize,
}

impl Office {
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &self,
        conn: &mut DbConn,
        dice: &mut Dice,
        admin_hash: &str,
        settings: &Settings,
        today: NaiveDate,
        now: NaiveDateTime,
        made: &mut Made,
    ) -> AppResult<()> {
        let teams = self.departments(conn, now)?;
        let people = self.employees(conn, dice, &teams, admin_hash, now)?;
        made.employees += people.len();
        let rules = &settings.reports;
        let mut all = Vec::with_capacity(self.clubs);
        let mut attended = Vec::new();
        for _ in 0..self.clubs {
            let club = self.club(conn, dice, &teams, &people, now)?;
            made.clubs += 1;
            made.memberships += club.members.len();
            let (meetings, attendance) = club.meetings(conn, dice, today, &mut attended)?;
            made.meetings += meetings;
            made.attendance += attendance;
            made.reports += club.reports(conn, dice, &rules.months, rules.due_day, today)?;
            all.push(club);
        }
        made.mileage_earnings +=
            crate::mileage::bulk::earn_meetings(conn, settings, &self.org_id, &attended, today)?;
        if let Some(sheets) = self.round(conn, dice, &people, &all, &settings.evaluation, today)? {
            made.rounds += 1;
            made.score_sheets += sheets;
        }
        Ok(())
    }

    /// The last half-year whose scoring window has ended: a round as the
    /// administrator would open it with the configured rubric and prizes,
    /// every club formed by then submitting in the window, and every one of
    /// the round's 15 evaluators (none a member of the club) scoring it.
    /// Left unconfirmed. Answers how many score sheets were handed in.
    fn round(
        &self,
        conn: &mut DbConn,
        dice: &mut Dice,
        people: &[String],
        all: &[Club],
        rules: &EvaluationSettings,
        today: NaiveDate,
    ) -> AppResult<Option<usize>> {
        let mut half = HalfYear::containing(today);
        let scored_by = |h: HalfYear| h.last_day() + Duration::days(20);
        while scored_by(half) >= today {
            half = HalfYear::containing(half.first_day() - Duration::days(1));
        }
        if half.year < FIRST_YEAR || people.len() <= EVALUATORS {
            return Ok(None);
        }
        let opens = half.last_day() + Duration::days(1);
        let day = |n: i64| opens + Duration::days(n);
        let (submit_from, score_from) = (day_start(day(0)), day_start(day(10)));
        let admin = &people[0];
        let round_id = evaluation::insert_round(
            conn,
            &NewRound {
                organization_id: &self.org_id,
                half: &half.to_string(),
                title: &format!("{} 학습동아리 성과 평가", half.label_ko()),
                submit_from,
                submit_until: day_end(day(9)),
                score_from,
                score_until: day_end(day(19)),
                combination: &rules.combination,
                trim_min_evaluators: rules.trim_min_evaluators,
                evaluators_per_club: 0,
            },
            admin,
            submit_from,
        )?;
        let mut criteria = Vec::new();
        for (i, c) in rules.rubric.iter().enumerate() {
            evaluation::insert_criterion(
                conn,
                &round_id,
                i as i32 + 1,
                &c.name,
                c.weight,
                c.max_points,
            )?;
            criteria.push(c.max_points);
        }
        let criterion_ids: Vec<String> = evaluation::criteria_of(conn, &round_id)?
            .into_iter()
            .map(|c| c.id)
            .collect();
        for p in &rules.prizes {
            if let Some(tier) = PrizeTier::parse(&p.tier) {
                evaluation::insert_tier(conn, &round_id, tier, p.winners, p.amount_krw)?;
            }
        }
        let mut evaluators: Vec<&String> = Vec::with_capacity(EVALUATORS);
        while evaluators.len() < EVALUATORS {
            let p = &people[1 + dice.below(people.len() - 1)];
            if !evaluators.contains(&p) {
                evaluators.push(p);
            }
        }
        for e in &evaluators {
            diesel::insert_into(employee_roles::table)
                .values((
                    employee_roles::id.eq(new_id()),
                    employee_roles::employee_id.eq(*e),
                    employee_roles::role.eq("evaluator"),
                    employee_roles::granted_at.eq(submit_from),
                ))
                .execute(conn)?;
        }
        let values: Vec<_> = evaluators
            .iter()
            .map(|e| {
                (
                    round_evaluators::round_id.eq(&round_id),
                    round_evaluators::employee_id.eq(*e),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(round_evaluators::table)
            .values(values)
            .execute(c))?;

        let mut reports = Vec::new();
        let mut sheets = Vec::new();
        for club in all.iter().filter(|c| c.formed <= half.last_day()) {
            // Submitted within the ten days, to the second: no two alike.
            let submitted = submit_from + Duration::seconds(dice.below(10 * 86_400 - 1) as i64);
            reports.push((club, submitted));
            for e in evaluators.iter().filter(|e| !club.members.contains(e)) {
                let scored = score_from + Duration::seconds(dice.below(9 * 86_400) as i64);
                let points: Vec<i32> = criteria
                    .iter()
                    .map(|max| {
                        let max = (*max).max(1);
                        max / 2 + dice.below((max - max / 2 + 1) as usize) as i32
                    })
                    .collect();
                sheets.push((new_id(), club, *e, submitted, scored, points));
            }
        }
        for chunk in reports.chunks(CHUNK / 2) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(club, submitted)| {
                    (
                        results_reports::id.eq(new_id()),
                        results_reports::round_id.eq(&round_id),
                        results_reports::club_id.eq(&club.id),
                        results_reports::study_task.eq("업무 개선 연구"),
                        results_reports::activities
                            .eq("매월 정기모임에서 사례를 조사하고 토론했습니다."),
                        results_reports::outcomes.eq("개선안을 정리해 담당 부서에 전달했습니다."),
                        results_reports::proposals.eq(""),
                        results_reports::links.eq(""),
                        results_reports::submitted_by.eq(&club.members[0]),
                        results_reports::submitted_at.eq(*submitted),
                        results_reports::updated_at.eq(*submitted),
                        results_reports::reopened.eq(false),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(results_reports::table)
                .values(values)
                .execute(c))?;
        }
        for chunk in sheets.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(id, club, evaluator, assigned, scored, points)| {
                    (
                        evaluation_assignments::id.eq(id),
                        evaluation_assignments::round_id.eq(&round_id),
                        evaluation_assignments::club_id.eq(&club.id),
                        evaluation_assignments::evaluator_id.eq(*evaluator),
                        evaluation_assignments::assigned_at.eq(*assigned),
                        evaluation_assignments::comment.eq("성실한 연구 활동"),
                        evaluation_assignments::scored_at.eq(Some(*scored)),
                        evaluation_assignments::sheet_points
                            .eq(Some(evaluation::sheet_points_text(points))),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(
                evaluation_assignments::table
            )
            .values(values)
            .execute(c))?;
        }
        let scores: Vec<_> = sheets
            .iter()
            .flat_map(|(id, _, _, _, scored, points)| {
                criterion_ids
                    .iter()
                    .zip(points)
                    .map(move |(criterion, p)| (id, criterion, *p, *scored))
            })
            .collect();
        for chunk in scores.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(id, criterion, points, scored)| {
                    (
                        evaluation_scores::assignment_id.eq(*id),
                        evaluation_scores::criterion_id.eq(*criterion),
                        evaluation_scores::points.eq(*points),
                        evaluation_scores::updated_at.eq(*scored),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(
                evaluation_scores::table
            )
            .values(values)
            .execute(c))?;
        }
        Ok(Some(sheets.len()))
    }

    /// 국·소 and their 과; answers the 과 ids.
    fn departments(&self, conn: &mut DbConn, now: NaiveDateTime) -> AppResult<Vec<String>> {
        let mut teams = Vec::new();
        let mut rows = Vec::new();
        for d in 0..DIVISIONS {
            let division = new_id();
            rows.push((
                division.clone(),
                format!("{}000", d + 1),
                format!("{}국", KOREAN_DIGITS[d]),
                None,
            ));
            for t in 0..TEAMS_PER_DIVISION {
                let team = new_id();
                rows.push((
                    team.clone(),
                    format!("{}{:02}0", d + 1, t + 1),
                    format!("{}국 {}과", KOREAN_DIGITS[d], KOREAN_DIGITS[t]),
                    Some(division.clone()),
                ));
                teams.push(team);
            }
        }
        let values: Vec<_> = rows
            .iter()
            .map(|(id, code, name, parent)| {
                (
                    departments::id.eq(id),
                    departments::organization_id.eq(&self.org_id),
                    departments::code.eq(code),
                    departments::name.eq(name),
                    departments::parent_id.eq(parent.as_ref()),
                    departments::created_at.eq(now),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(departments::table)
            .values(values)
            .execute(c))?;
        Ok(teams)
    }

    fn employees(
        &self,
        conn: &mut DbConn,
        dice: &mut Dice,
        teams: &[String],
        admin_hash: &str,
        now: NaiveDateTime,
    ) -> AppResult<Vec<String>> {
        let mut people = Vec::with_capacity(self.people);
        let mut rows = Vec::with_capacity(self.people);
        for n in 0..self.people {
            let id = new_id();
            // The first is the office's administrator, 9000001.
            let number = if n == 0 {
                "9000001".to_string()
            } else {
                format!("{}{:05}", 2010 + dice.below(16), n)
            };
            let grade = [4, 5, 6, 6, 7, 7, 7, 8, 8, 9][dice.below(10)];
            rows.push(EmployeeRow {
                id: id.clone(),
                employee_no: number.clone(),
                name: korean_name(dice),
                email: format!("{number}@{}.seoul.example.go.kr", &self.org_id[..8]),
                department_id: teams[dice.below(teams.len())].clone(),
                grade,
                job_family: if dice.chance(85) {
                    "administrative"
                } else {
                    "technical"
                },
            });
            people.push(id);
        }
        for chunk in rows.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|e| {
                    (
                        employees::id.eq(&e.id),
                        employees::organization_id.eq(&self.org_id),
                        employees::employee_no.eq(&e.employee_no),
                        employees::name.eq(&e.name),
                        employees::email.eq(&e.email),
                        employees::department_id.eq(Some(&e.department_id)),
                        employees::grade.eq(Some(e.grade)),
                        employees::job_family.eq(e.job_family),
                        employees::active.eq(true),
                        employees::session_version.eq(0),
                        employees::created_at.eq(now),
                        employees::updated_at.eq(now),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(employees::table)
                .values(values)
                .execute(c))?;
        }
        let admin = &people[0];
        diesel::update(employees::table.find(admin))
            .set(employees::password_hash.eq(admin_hash))
            .execute(conn)?;
        for role in ["member", "admin"] {
            diesel::insert_into(employee_roles::table)
                .values((
                    employee_roles::id.eq(new_id()),
                    employee_roles::employee_id.eq(admin),
                    employee_roles::role.eq(role),
                    employee_roles::granted_at.eq(now),
                ))
                .execute(conn)?;
        }
        Ok(people)
    }

    fn club(
        &self,
        conn: &mut DbConn,
        dice: &mut Dice,
        teams: &[String],
        people: &[String],
        now: NaiveDateTime,
    ) -> AppResult<Club> {
        // Most formed in February 2022, the rest in a later February–June.
        let formed = if dice.chance(70) {
            date(FIRST_YEAR, 2, 1 + dice.below(20) as u32)
        } else {
            date(
                FIRST_YEAR + 1 + dice.below(4) as i32,
                2 + dice.below(5) as u32,
                1 + dice.below(25) as u32,
            )
        };
        let id = new_id();
        let department = dice
            .chance(80)
            .then(|| teams[dice.below(teams.len())].clone());
        diesel::insert_into(clubs::table)
            .values((
                clubs::id.eq(&id),
                clubs::organization_id.eq(&self.org_id),
                clubs::name.eq(format!(
                    "{} 연구회 {}",
                    TOPICS[dice.below(TOPICS.len())],
                    &id[24..]
                )),
                clubs::kind.eq(if department.is_some() {
                    "department"
                } else {
                    "integrated"
                }),
                clubs::home_department_id.eq(department.as_ref()),
                clubs::field.eq(FIELDS[dice.below(FIELDS.len())]),
                clubs::description.eq("업무 개선 과제를 함께 연구합니다."),
                clubs::status.eq("active"),
                clubs::usual_start.eq(Some(time(19, 0))),
                clubs::usual_end.eq(Some(time(21, 0))),
                clubs::usual_place.eq(Some("소회의실")),
                clubs::created_at.eq(now),
                clubs::updated_at.eq(now),
                clubs::formed_on.eq(formed),
            ))
            .execute(conn)?;
        let size = 5 + dice.below(16);
        let mut members: Vec<String> = Vec::with_capacity(size);
        // The administrator (index 0) presides over no club of the sample.
        while members.len() < size.min(people.len() - 1) {
            let p = &people[1 + dice.below(people.len() - 1)];
            if !members.contains(p) {
                members.push(p.clone());
            }
        }
        let values: Vec<_> = members
            .iter()
            .enumerate()
            .map(|(n, employee)| {
                (
                    memberships::id.eq(new_id()),
                    memberships::club_id.eq(&id),
                    memberships::employee_id.eq(employee),
                    memberships::role.eq(if n == 0 { "president" } else { "member" }),
                    memberships::joined_on.eq(formed),
                    memberships::created_at.eq(now),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(memberships::table)
            .values(values)
            .execute(c))?;
        crate::clubs::model::resize(conn, &id)?;
        Ok(Club {
            id,
            formed,
            members,
        })
    }
}

struct EmployeeRow {
    id: String,
    employee_no: String,
    name: String,
    email: String,
    department_id: String,
    grade: i32,
    job_family: &'static str,
}

struct Club {
    id: String,
    formed: NaiveDate,
    members: Vec<String>,
}

struct MeetingRow {
    id: String,
    held_on: NaiveDate,
    regular: bool,
    by: String,
}

impl Club {
    /// A regular meeting every month since formation (an ad hoc one now and
    /// then), each attended by about three members in four.
    fn meetings(
        &self,
        conn: &mut DbConn,
        dice: &mut Dice,
        today: NaiveDate,
        attended: &mut Vec<crate::mileage::bulk::Attended>,
    ) -> AppResult<(usize, usize)> {
        let mut rows = Vec::new();
        let a_year_ago = today - Duration::days(365);
        let mut attendance = Vec::new();
        let mut month = YearMonth::of(self.formed);
        while month.first_day() <= today {
            for regular in [true, false] {
                if !regular && !dice.chance(20) {
                    continue;
                }
                let held_on = month.first_day() + Duration::days(9 + dice.below(15) as i64);
                if held_on > today || held_on < self.formed {
                    continue;
                }
                let id = new_id();
                for member in &self.members {
                    if dice.chance(75) {
                        attendance.push((id.clone(), member.clone()));
                        if held_on > a_year_ago {
                            attended.push(crate::mileage::bulk::Attended {
                                club_id: self.id.clone(),
                                meeting_id: id.clone(),
                                held_on,
                                employee_id: member.clone(),
                            });
                        }
                    }
                }
                rows.push(MeetingRow {
                    id,
                    held_on,
                    regular,
                    by: self.members[0].clone(),
                });
            }
            month = month.next();
        }
        for chunk in rows.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|m| {
                    let at = m.held_on.and_time(time(12, 0));
                    (
                        meetings::id.eq(&m.id),
                        meetings::club_id.eq(&self.id),
                        meetings::held_on.eq(m.held_on),
                        meetings::starts_at.eq(time(19, 0)),
                        meetings::ends_at.eq(time(21, 0)),
                        meetings::kind.eq(if m.regular { "regular" } else { "ad_hoc" }),
                        meetings::place.eq("소회의실"),
                        meetings::topic.eq("과제 토론"),
                        meetings::notes.eq(""),
                        meetings::inside_work_hours.eq(false),
                        meetings::created_by.eq(&m.by),
                        meetings::created_at.eq(at),
                        meetings::updated_at.eq(at),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(meetings::table)
                .values(values)
                .execute(c))?;
        }
        for chunk in attendance.chunks(CHUNK * 2) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(meeting, employee)| {
                    (
                        meeting_attendance::meeting_id.eq(meeting),
                        meeting_attendance::employee_id.eq(employee),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(
                meeting_attendance::table
            )
            .values(values)
            .execute(c))?;
        }
        Ok((rows.len(), attendance.len()))
    }

    /// Every reporting month past its due date: most submitted on time,
    /// some late, a few missing (as the sweep would have marked them).
    fn reports(
        &self,
        conn: &mut DbConn,
        dice: &mut Dice,
        report_months: &[u32],
        due_day: u32,
        today: NaiveDate,
    ) -> AppResult<usize> {
        let mut reports = Vec::new();
        let mut versions = Vec::new();
        let mut month = YearMonth::of(self.formed);
        loop {
            let due = due_date(month, due_day, None);
            if due >= today {
                break;
            }
            if report_months.contains(&month.month) {
                let deadline = due_instant(due).naive_utc();
                let id = new_id();
                let roll = dice.below(100);
                let (submitted, late, missing) = match roll {
                    0..=84 => (
                        Some(deadline - Duration::hours(24 + dice.below(96) as i64)),
                        Some(false),
                        None,
                    ),
                    85..=94 => (
                        Some(deadline + Duration::hours(12 + dice.below(72) as i64)),
                        Some(true),
                        Some(deadline + Duration::seconds(1)),
                    ),
                    _ => (None, None, Some(deadline + Duration::seconds(1))),
                };
                if let Some(at) = submitted {
                    versions.push((new_id(), id.clone(), at, deadline, late == Some(true)));
                }
                reports.push((id, month.to_string(), submitted, late, missing));
            }
            month = month.next();
        }
        let narrative = "이달의 모임과 학습 내용을 정리했습니다.";
        let activity = r#"{"meetings":[],"meeting_count":1,"regular_count":1,"total_minutes":120,"attendance_minutes":1080}"#;
        for chunk in reports.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(id, month, submitted, late, missing)| {
                    let created = missing.or(*submitted).unwrap_or_default();
                    (
                        monthly_reports::id.eq(id),
                        monthly_reports::club_id.eq(&self.id),
                        monthly_reports::month.eq(month),
                        monthly_reports::narrative.eq(narrative),
                        monthly_reports::current_version.eq(i32::from(submitted.is_some())),
                        monthly_reports::first_submitted_at.eq(*submitted),
                        monthly_reports::late.eq(*late),
                        monthly_reports::missing_at.eq(*missing),
                        monthly_reports::created_at.eq(created),
                        monthly_reports::updated_at.eq(created),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(monthly_reports::table)
                .values(values)
                .execute(c))?;
        }
        for chunk in versions.chunks(CHUNK) {
            let values: Vec<_> = chunk
                .iter()
                .map(|(id, report, at, due, late)| {
                    (
                        report_versions::id.eq(id),
                        report_versions::report_id.eq(report),
                        report_versions::version.eq(1),
                        report_versions::narrative.eq(narrative),
                        report_versions::activity.eq(activity),
                        report_versions::submitted_at.eq(*at),
                        report_versions::submitted_by.eq(&self.members[0]),
                        report_versions::due_at.eq(*due),
                        report_versions::late.eq(*late),
                    )
                })
                .collect();
            crate::on_backend!(&mut *conn, |c| diesel::insert_into(report_versions::table)
                .values(values)
                .execute(c))?;
        }
        Ok(reports.len())
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn time(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("a valid time")
}

const KOREAN_DIGITS: [&str; 5] = ["일", "이", "삼", "사", "오"];
const FIELDS: [&str; 4] = [
    "work_improvement",
    "district_issues",
    "budget",
    "resident_convenience",
];
const TOPICS: [&str; 8] = [
    "민원혁신",
    "예산절감",
    "규제개선",
    "복지행정",
    "도시재생",
    "안전관리",
    "정보화",
    "환경",
];

fn korean_name(dice: &mut Dice) -> String {
    const FAMILY: [&str; 10] = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
    const GIVEN: [&str; 12] = [
        "민", "서", "지", "현", "우", "준", "연", "수", "하", "윤", "도", "은",
    ];
    format!(
        "{}{}{}",
        FAMILY[dice.below(FAMILY.len())],
        GIVEN[dice.below(GIVEN.len())],
        GIVEN[dice.below(GIVEN.len())]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_scale_the_city() {
        let seoul = Plan::parse("seoul").unwrap();
        assert_eq!(
            (seoul.organizations, seoul.employees, seoul.clubs),
            (26, 42_443, 4_000)
        );
        let shares = seoul.shares();
        assert_eq!(shares.iter().map(|s| s.0).sum::<usize>(), 42_443);
        assert_eq!(shares[0].0, 11_842);
        let district = Plan::parse("0.003").unwrap();
        assert_eq!(
            (district.organizations, district.employees, district.clubs),
            (1, 127, 12)
        );
        assert_eq!(district.shares(), vec![(127, 12)]);
        for bad in ["0", "-1", "2", "big", ""] {
            assert_eq!(Plan::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn dice_are_repeatable() {
        let (mut a, mut b) = (Dice(7), Dice(7));
        let rolls: Vec<usize> = (0..5).map(|_| a.below(100)).collect();
        assert_eq!(rolls, (0..5).map(|_| b.below(100)).collect::<Vec<_>>());
        assert!(rolls.iter().all(|r| *r < 100));
    }
}
