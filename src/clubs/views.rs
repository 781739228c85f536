//! What the API and the pages show of clubs, members, meetings and hours,
//! built with a fixed number of queries per list (no N+1).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::hours::HalfYearHours;
use super::model::{
    self, Club, ClubKind, ClubStatus, Meeting, MeetingKind, MemberRole, StudyField,
};
use super::service::PersonHours;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::org::service::DepartmentRef;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClubSummary {
    pub id: String,
    pub name: String,
    pub kind: ClubKind,
    pub kind_label: &'static str,
    pub field: StudyField,
    pub field_label: &'static str,
    pub status: ClubStatus,
    pub status_label: &'static str,
    pub home_department: Option<DepartmentRef>,
    pub member_count: i64,
    pub president: Option<PersonRef>,
    /// The day it was formed: reports are owed from that month on.
    pub formed_on: NaiveDate,
}

pub fn club_summaries(
    conn: &mut DbConn,
    clubs: Vec<model::ClubListing>,
    today: NaiveDate,
) -> AppResult<Vec<ClubSummary>> {
    let ids: Vec<String> = clubs.iter().map(|c| c.id.clone()).collect();
    let mut lines = model::club_lines(conn, &ids, today)?;
    Ok(clubs
        .into_iter()
        .map(|c| {
            let (kind, field, status) = (
                model::kind_of(&c.kind),
                model::field_of(&c.field),
                model::status_of(&c.status),
            );
            let line = lines.remove(&c.id).unwrap_or_default();
            ClubSummary {
                formed_on: c.formed_on,
                kind,
                kind_label: kind.label_ko(),
                field,
                field_label: field.label_ko(),
                status,
                status_label: status.label_ko(),
                home_department: line
                    .department
                    .map(|(code, name)| DepartmentRef { code, name }),
                member_count: line.members,
                president: line.president.map(|(id, name)| PersonRef { id, name }),
                id: c.id,
                name: c.name,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StudyTaskView {
    /// `2026H2`.
    pub half: String,
    pub title: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClubDetail {
    #[serde(flatten)]
    pub summary: ClubSummary,
    pub description: String,
    /// `19:00`.
    pub usual_start: Option<String>,
    pub usual_end: Option<String>,
    pub usual_place: Option<String>,
    pub study_task: Option<StudyTaskView>,
    pub decision_note: Option<String>,
}

pub fn club_detail(
    conn: &mut DbConn,
    club: Club,
    half: &str,
    today: NaiveDate,
) -> AppResult<ClubDetail> {
    let task = model::study_task(conn, &club.id, half)?;
    let (description, usual_start, usual_end, usual_place, decision_note) = (
        club.description.clone(),
        club.usual_start.map(|t| t.format("%H:%M").to_string()),
        club.usual_end.map(|t| t.format("%H:%M").to_string()),
        club.usual_place.clone(),
        club.decision_note.clone(),
    );
    let summary = club_summaries(conn, vec![model::ClubListing::from(&club)], today)?.remove(0);
    Ok(ClubDetail {
        summary,
        description,
        usual_start,
        usual_end,
        usual_place,
        study_task: task.map(|t| StudyTaskView {
            half: t.half,
            title: t.title,
            description: t.description,
        }),
        decision_note,
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub employee_id: String,
    pub employee_no: String,
    pub name: String,
    pub role: MemberRole,
    pub role_label: &'static str,
    pub joined_on: NaiveDate,
    /// The first day no longer a member.
    pub left_on: Option<NaiveDate>,
    pub current: bool,
}

/// Members, current first (president on top), then past stints.
pub fn member_views(
    conn: &mut DbConn,
    club_id: &str,
    today: NaiveDate,
) -> AppResult<Vec<MemberView>> {
    let mut members: Vec<MemberView> = model::members_of(conn, club_id)?
        .into_iter()
        .map(|m| MemberView {
            current: m.membership.is_current(today),
            employee_id: m.membership.employee_id.clone(),
            role: m.membership.role(),
            role_label: m.membership.role().label_ko(),
            joined_on: m.membership.joined_on,
            left_on: m.membership.left_on,
            employee_no: m.employee_no,
            name: m.name,
        })
        .collect();
    members.sort_by_key(|m| (!m.current, m.role != MemberRole::President, m.name.clone()));
    Ok(members)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookView {
    pub title: String,
    pub price: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdvisorView {
    pub name: String,
    /// KRW.
    pub fee: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: String,
    pub club_id: String,
    pub held_on: NaiveDate,
    pub starts_at: String,
    pub ends_at: String,
    pub minutes: i64,
    pub kind: MeetingKind,
    pub kind_label: &'static str,
    pub place: String,
    pub topic: String,
    pub notes: String,
    pub inside_work_hours: bool,
    pub inside_reason: Option<String>,
    pub advisor: Option<AdvisorView>,
    pub books: Vec<BookView>,
    pub attendees: Vec<PersonRef>,
    /// A regular meeting in a month that has another one (allowed, shown).
    pub second_regular_in_month: bool,
    pub created_by: String,
}

pub fn meeting_views(conn: &mut DbConn, meetings: Vec<Meeting>) -> AppResult<Vec<MeetingView>> {
    let ids: Vec<String> = meetings.iter().map(|m| m.id.clone()).collect();
    let mut attendance = model::attendance_of(conn, &ids)?;
    let books = model::books_of(conn, &ids)?;
    let advisors = model::advisors_of(conn, &ids)?;
    // Regular meetings per (club, month), over the months on this page, in
    // one query from the first of the earliest month to the latest day.
    let mut regular_per_month: HashMap<(String, String), usize> = HashMap::new();
    let days = meetings.iter().map(|m| m.held_on);
    if let (Some(first), Some(last)) = (days.clone().min(), days.max()) {
        let mut clubs: Vec<String> = meetings.iter().map(|m| m.club_id.clone()).collect();
        clubs.sort();
        clubs.dedup();
        let first = first.with_day(1).expect("the first of a month");
        let last = last.with_day(1).expect("the first of a month") + chrono::Months::new(1)
            - chrono::Days::new(1);
        for (club_id, day) in model::regular_meeting_days(conn, &clubs, first, last)? {
            *regular_per_month
                .entry((club_id, day.format("%Y-%m").to_string()))
                .or_default() += 1;
        }
    }
    Ok(meetings
        .into_iter()
        .map(|m| {
            let month_key = (m.club_id.clone(), m.held_on.format("%Y-%m").to_string());
            let kind = m.kind();
            MeetingView {
                minutes: m.minutes(),
                kind,
                kind_label: kind.label_ko(),
                starts_at: m.starts_at.format("%H:%M").to_string(),
                ends_at: m.ends_at.format("%H:%M").to_string(),
                advisor: advisors
                    .iter()
                    .find(|a| a.meeting_id == m.id)
                    .map(|a| AdvisorView {
                        name: a.name.clone(),
                        fee: a.fee,
                    }),
                books: books
                    .iter()
                    .filter(|b| b.meeting_id == m.id)
                    .map(|b| BookView {
                        title: b.title.clone(),
                        price: b.price,
                    })
                    .collect(),
                attendees: attendance
                    .remove(&m.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(id, name)| PersonRef { id, name })
                    .collect(),
                second_regular_in_month: kind == MeetingKind::Regular
                    && regular_per_month.get(&month_key).copied().unwrap_or(0) > 1,
                id: m.id,
                club_id: m.club_id,
                held_on: m.held_on,
                place: m.place,
                topic: m.topic,
                notes: m.notes,
                inside_work_hours: m.inside_work_hours,
                inside_reason: m.inside_reason,
                created_by: m.created_by,
            }
        })
        .collect())
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursView {
    pub earned_minutes: i64,
    pub countable_minutes: i64,
    pub recognizable_minutes: i64,
    pub cap_minutes: i64,
    /// Hours, to one decimal: `earned_minutes / 60`.
    pub earned_hours: f64,
    pub recognizable_hours: f64,
}

impl From<HalfYearHours> for HoursView {
    fn from(h: HalfYearHours) -> Self {
        Self {
            earned_minutes: h.earned_minutes,
            countable_minutes: h.countable_minutes,
            recognizable_minutes: h.recognizable_minutes,
            cap_minutes: h.cap_minutes,
            earned_hours: (h.earned_minutes as f64 / 6.0).round() / 10.0,
            recognizable_hours: (h.recognizable_minutes as f64 / 6.0).round() / 10.0,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClubHoursView {
    pub club_id: String,
    pub club_name: String,
    #[serde(flatten)]
    pub hours: HoursView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyHoursView {
    /// `2026H2`.
    pub half: String,
    /// Over all clubs: the cap applies per person.
    pub total: HoursView,
    pub clubs: Vec<ClubHoursView>,
}

pub fn my_hours_view(
    conn: &mut DbConn,
    half: String,
    hours: PersonHours,
) -> AppResult<MyHoursView> {
    let ids: Vec<String> = hours.by_club.keys().cloned().collect();
    let mut names = model::names_of(conn, &ids)?;
    let mut clubs = hours
        .by_club
        .into_iter()
        .map(|(club_id, h)| {
            let club_name = names.remove(&club_id).ok_or(AppError::NotFound)?;
            Ok(ClubHoursView {
                club_id,
                club_name,
                hours: h.into(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    clubs.sort_by(|a, b| a.club_name.cmp(&b.club_name));
    Ok(MyHoursView {
        half,
        total: hours.total.into(),
        clubs,
    })
}
