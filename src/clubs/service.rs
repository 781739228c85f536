//! The rules of clubs: who may do what, membership changes, meetings and
//! the hours they give. Every change is audited; callers wrap each
//! operation in one transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use super::forms::{ClubInput, MeetingInput};
use super::hours::{self, Attended, HalfYearHours, HoursPolicy, Stint};
use super::model::{self, Club, ClubStatus, MeetingKind, MemberRole, Membership, RequestStatus};
use crate::audit;
use crate::auth::CurrentUser;
use crate::clock::{seoul, HalfYear, YearMonth};
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::mileage;
use crate::org::model::{self as org, Role};
use crate::org::service::department_id_for;
use crate::reactions::{Happened, Reactions};

/// What the caller is to a club.
#[derive(Debug, Clone)]
pub struct ClubAccess {
    pub club: Club,
    /// The caller's open membership, if any.
    pub membership: Option<Membership>,
    pub is_admin: bool,
    pub employee_id: String,
}

impl ClubAccess {
    /// A club of another organization is not found.
    pub fn load(conn: &mut DbConn, club_id: &str, user: &CurrentUser) -> AppResult<Self> {
        let club = model::club_by_id(conn, club_id)?;
        if club.organization_id != user.employee.organization_id {
            return Err(AppError::NotFound);
        }
        let membership = model::open_membership(conn, club_id, &user.employee.id)?;
        Ok(Self {
            club,
            membership,
            is_admin: user.has_role(Role::Admin),
            employee_id: user.employee.id.clone(),
        })
    }

    pub fn is_member(&self) -> bool {
        self.membership.is_some()
    }

    pub fn is_president(&self) -> bool {
        self.membership
            .as_ref()
            .is_some_and(|m| m.role() == MemberRole::President)
    }

    /// The president or an administrator.
    pub fn can_manage(&self) -> bool {
        self.is_admin || self.is_president()
    }

    /// Any member, or an administrator.
    pub fn can_log_meetings(&self) -> bool {
        self.is_admin || self.is_member()
    }

    pub fn require_manager(&self) -> AppResult<()> {
        if self.can_manage() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_active(&self) -> AppResult<()> {
        if self.club.status() == ClubStatus::Active {
            Ok(())
        } else {
            Err(AppError::Conflict(format!(
                "활동 중인 동아리가 아닙니다 (현재: {}).",
                self.club.status().label_ko()
            )))
        }
    }
}

/// An active employee of the organization, by number.
fn employee_by_no_active(
    conn: &mut DbConn,
    organization_id: &str,
    field: &str,
    employee_no: &str,
) -> AppResult<org::Employee> {
    org::employee_by_no(conn, organization_id, employee_no.trim())?
        .filter(|e| e.active)
        .ok_or_else(|| {
            AppError::validation(
                field,
                format!("재직 중인 사원번호 '{}'가 없습니다.", employee_no.trim()),
            )
        })
}

/// An administrator creates an active club with a president (themself by
/// default); anyone else proposes one, which waits for approval.
pub fn create_club(
    conn: &mut DbConn,
    user: &CurrentUser,
    input: ClubInput,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<String> {
    let organization_id = &user.employee.organization_id;
    let mut columns = input.columns;
    columns.home_department_id =
        department_id_for(conn, organization_id, input.home_department_code.as_deref())
            .map_err(|_| AppError::validation("home_department", "소속 부서 코드가 없습니다."))?;
    let is_admin = user.has_role(Role::Admin);
    if input.president_employee_no.is_some() && !is_admin {
        return Err(AppError::validation(
            "president_employee_no",
            "회장 지정은 관리자만 할 수 있습니다.",
        ));
    }
    if input.formed_on.is_some() && !is_admin {
        return Err(AppError::validation(
            "formed_on",
            "결성일 지정은 관리자만 할 수 있습니다.",
        ));
    }
    let formed_on = input.formed_on.unwrap_or(today);
    if formed_on > today {
        return Err(AppError::validation(
            "formed_on",
            "결성일은 오늘보다 늦을 수 없습니다.",
        ));
    }
    let id = if is_admin {
        let president = match &input.president_employee_no {
            Some(no) => employee_by_no_active(conn, organization_id, "president_employee_no", no)?,
            None => user.employee.clone(),
        };
        let id = model::insert_club(
            conn,
            organization_id,
            &columns,
            ClubStatus::Active,
            None,
            formed_on,
            now,
        )?;
        model::insert_membership(
            conn,
            &id,
            &president.id,
            MemberRole::President,
            formed_on,
            now,
        )?;
        id
    } else {
        model::insert_club(
            conn,
            organization_id,
            &columns,
            ClubStatus::Proposed,
            Some(&user.employee.id),
            today,
            now,
        )?
    };
    audit::record(
        conn,
        now,
        Some(&user.employee.id),
        "club.create",
        &id,
        json!({ "name": columns.name }),
    )?;
    Ok(id)
}

/// A decision that someone else made first.
fn already_decided() -> AppError {
    AppError::Conflict("이미 처리된 요청입니다.".into())
}

/// Approves (the proposer becomes president) or rejects a proposal.
pub fn decide_proposal(
    conn: &mut DbConn,
    admin: &CurrentUser,
    club_id: &str,
    approve: bool,
    note: Option<&str>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<()> {
    let club = model::club_by_id(conn, club_id)?;
    if club.status() != ClubStatus::Proposed {
        return Err(AppError::Conflict(
            "승인 대기 중인 동아리만 승인하거나 반려할 수 있습니다.".into(),
        ));
    }
    let status = if approve {
        ClubStatus::Active
    } else {
        ClubStatus::Rejected
    };
    if !model::set_club_status(
        conn,
        club_id,
        ClubStatus::Proposed,
        status,
        &admin.employee.id,
        note,
        now,
    )? {
        return Err(already_decided());
    }
    if approve {
        let proposer = club
            .proposed_by
            .as_deref()
            .ok_or_else(|| AppError::Conflict("제안자가 없는 제안입니다.".into()))?;
        model::insert_membership(conn, club_id, proposer, MemberRole::President, today, now)?;
        // A proposal becomes a club the day it is approved.
        model::set_formed_on(conn, club_id, today, now)?;
    }
    audit::record(
        conn,
        now,
        Some(&admin.employee.id),
        "club.decide",
        club_id,
        json!({ "approve": approve, "note": note }),
    )?;
    Ok(())
}

/// Dissolves an active club: every open membership ends today.
pub fn dissolve(
    conn: &mut DbConn,
    access: &ClubAccess,
    reason: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<()> {
    if !access.is_admin {
        return Err(AppError::Forbidden);
    }
    access.require_active()?;
    for member in model::members_of(conn, &access.club.id)? {
        if member.membership.left_on.is_none() {
            model::end_membership(conn, &member.membership.id, today)?;
        }
    }
    if !model::set_club_status(
        conn,
        &access.club.id,
        ClubStatus::Active,
        ClubStatus::Dissolved,
        &access.employee_id,
        Some(reason),
        now,
    )? {
        return Err(AppError::Conflict("이미 해산된 동아리입니다.".into()));
    }
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.dissolve",
        &access.club.id,
        json!({ "reason": reason }),
    )?;
    Ok(())
}

pub fn update_club(
    conn: &mut DbConn,
    access: &ClubAccess,
    input: ClubInput,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_manager()?;
    let mut columns = input.columns;
    columns.home_department_id = department_id_for(
        conn,
        &access.club.organization_id,
        input.home_department_code.as_deref(),
    )
    .map_err(|_| AppError::validation("home_department", "소속 부서 코드가 없습니다."))?;
    model::update_club(conn, &access.club.id, &columns, now)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.update",
        &access.club.id,
        json!({ "name": columns.name }),
    )?;
    Ok(())
}

/// Adds a member from `joined_on` (today by default; never in the future).
pub fn add_member(
    conn: &mut DbConn,
    access: &ClubAccess,
    employee_no: &str,
    joined_on: Option<NaiveDate>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<String> {
    access.require_manager()?;
    access.require_active()?;
    let employee = employee_by_no_active(
        conn,
        &access.club.organization_id,
        "employee_no",
        employee_no,
    )?;
    let joined_on = joined_on.unwrap_or(today);
    if joined_on > today {
        return Err(AppError::validation(
            "joined_on",
            "가입일은 오늘보다 늦을 수 없습니다.",
        ));
    }
    join(
        conn,
        &access.club.id,
        &employee.id,
        joined_on,
        &access.employee_id,
        now,
    )
}

fn join(
    conn: &mut DbConn,
    club_id: &str,
    employee_id: &str,
    joined_on: NaiveDate,
    actor: &str,
    now: NaiveDateTime,
) -> AppResult<String> {
    const ALREADY: &str = "이미 이 동아리의 회원입니다.";
    if model::open_membership(conn, club_id, employee_id)?.is_some() {
        return Err(AppError::Conflict(ALREADY.into()));
    }
    let id = model::insert_membership(
        conn,
        club_id,
        employee_id,
        MemberRole::Member,
        joined_on,
        now,
    )
    .map_err(AppError::unique_as(ALREADY))?;
    audit::record(
        conn,
        now,
        Some(actor),
        "club.member.add",
        club_id,
        json!({ "employee_id": employee_id, "joined_on": joined_on }),
    )?;
    Ok(id)
}

/// Ends a membership from `left_on` (today by default). The president
/// hands over the presidency first. Members may leave by themselves.
pub fn remove_member(
    conn: &mut DbConn,
    access: &ClubAccess,
    employee_id: &str,
    left_on: Option<NaiveDate>,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<()> {
    if !(access.can_manage() || access.employee_id == employee_id) {
        return Err(AppError::Forbidden);
    }
    let membership =
        model::open_membership(conn, &access.club.id, employee_id)?.ok_or(AppError::NotFound)?;
    if membership.role() == MemberRole::President && access.club.status() == ClubStatus::Active {
        return Err(AppError::Conflict(
            "회장은 탈퇴할 수 없습니다. 먼저 회장을 넘기세요.".into(),
        ));
    }
    let left_on = left_on.unwrap_or(today);
    if left_on < membership.joined_on || left_on > today {
        return Err(AppError::validation(
            "left_on",
            "탈퇴일은 가입일 이후이고 오늘보다 늦을 수 없습니다.",
        ));
    }
    if !model::end_membership(conn, &membership.id, left_on)? {
        return Err(AppError::Conflict("이미 탈퇴한 회원입니다.".into()));
    }
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.member.remove",
        &access.club.id,
        json!({ "employee_id": employee_id, "left_on": left_on }),
    )?;
    Ok(())
}

/// An administrator sets the day a club was really formed (its reports are
/// owed from that month on), with a reason for the audit trail. It cannot
/// be after the club's first meeting, its first member, or today.
pub fn set_formation(
    conn: &mut DbConn,
    access: &ClubAccess,
    formed_on: NaiveDate,
    reason: &str,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Club> {
    if !access.is_admin {
        return Err(AppError::Forbidden);
    }
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(AppError::validation(
            "reason",
            "결성일을 바꾸는 사유를 500자 이내로 적으세요.",
        ));
    }
    if formed_on > today {
        return Err(AppError::validation(
            "formed_on",
            "결성일은 오늘보다 늦을 수 없습니다.",
        ));
    }
    let first_joined = model::members_of(conn, &access.club.id)?
        .into_iter()
        .map(|m| m.membership.joined_on)
        .min();
    let first_meeting = model::first_meeting_day(conn, &access.club.id)?;
    if let Some(day) = first_joined.into_iter().chain(first_meeting).min() {
        if formed_on > day {
            return Err(AppError::validation(
                "formed_on",
                format!("결성일은 첫 가입일이나 첫 모임({day})보다 늦을 수 없습니다."),
            ));
        }
    }
    model::set_formed_on(conn, &access.club.id, formed_on, now)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.formed_on",
        &access.club.id,
        json!({ "from": access.club.formed_on, "to": formed_on, "reason": reason }),
    )?;
    Ok(model::club_by_id(conn, &access.club.id)?)
}

/// Hands the presidency to another current member; exactly one president.
pub fn transfer_presidency(
    conn: &mut DbConn,
    access: &ClubAccess,
    to_employee_id: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_manager()?;
    access.require_active()?;
    let next = model::open_membership(conn, &access.club.id, to_employee_id)?.ok_or_else(|| {
        AppError::validation("employee_id", "회장은 현재 회원 중에서 정해야 합니다.")
    })?;
    if next.role() == MemberRole::President {
        return Ok(());
    }
    for member in model::members_of(conn, &access.club.id)? {
        let m = member.membership;
        if m.left_on.is_none() && m.role() == MemberRole::President {
            model::set_member_role(conn, &m.id, MemberRole::Member)?;
        }
    }
    model::set_member_role(conn, &next.id, MemberRole::President).map_err(AppError::unique_as(
        "회장이 동시에 바뀌었습니다. 새로 고친 뒤 다시 시도하세요.",
    ))?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.president.transfer",
        &access.club.id,
        json!({ "to": to_employee_id }),
    )?;
    Ok(())
}

pub fn request_to_join(
    conn: &mut DbConn,
    access: &ClubAccess,
    message: &str,
    now: NaiveDateTime,
) -> AppResult<String> {
    access.require_active()?;
    if access.is_member() {
        return Err(AppError::Conflict("이미 이 동아리의 회원입니다.".into()));
    }
    const PENDING: &str = "이미 가입 신청이 대기 중입니다.";
    if model::has_pending_request(conn, &access.club.id, &access.employee_id)? {
        return Err(AppError::Conflict(PENDING.into()));
    }
    let id = model::insert_join_request(conn, &access.club.id, &access.employee_id, message, now)
        .map_err(AppError::unique_as(PENDING))?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.join.request",
        &access.club.id,
        json!({ "request_id": id }),
    )?;
    Ok(id)
}

pub fn decide_join_request(
    conn: &mut DbConn,
    access: &ClubAccess,
    request_id: &str,
    approve: bool,
    today: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_manager()?;
    access.require_active()?;
    let request = model::join_request_by_id(conn, request_id)?;
    if request.club_id != access.club.id {
        return Err(AppError::NotFound);
    }
    if request.status != RequestStatus::Pending.code() {
        return Err(already_decided());
    }
    let status = if approve {
        RequestStatus::Approved
    } else {
        RequestStatus::Rejected
    };
    if !model::decide_join_request(conn, request_id, status, &access.employee_id, now)? {
        return Err(already_decided());
    }
    if approve {
        join(
            conn,
            &access.club.id,
            &request.employee_id,
            today,
            &access.employee_id,
            now,
        )?;
    }
    Ok(())
}

pub fn save_study_task(
    conn: &mut DbConn,
    access: &ClubAccess,
    half: HalfYear,
    title: &str,
    description: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_manager()?;
    access.require_active()?;
    model::save_study_task(
        conn,
        &access.club.id,
        &half.to_string(),
        title,
        description,
        &access.employee_id,
        now,
    )?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "club.study_task",
        &access.club.id,
        json!({ "half": half.to_string(), "title": title }),
    )?;
    Ok(())
}

/// A month whose report has been submitted is closed: its meetings are
/// locked, and corrections go through the report's amendment.
fn require_open_month(conn: &mut DbConn, club_id: &str, day: NaiveDate) -> AppResult<()> {
    let month = YearMonth::of(day);
    if model::month_is_reported(conn, club_id, month)? {
        return Err(AppError::Conflict(format!(
            "{month} 활동보고서를 이미 제출해 그 달의 모임은 고칠 수 없습니다. 보고서 수정으로 바로잡으세요."
        )));
    }
    Ok(())
}

/// What logging a meeting tells the person besides "saved".
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct MeetingWarnings {
    /// Another regular meeting was already logged this month (allowed).
    pub second_regular_in_month: bool,
}

/// The rules that need the database: the club is active, the meeting is
/// not in the future, and everyone ticked was a member on that day.
fn check_meeting(
    conn: &mut DbConn,
    access: &ClubAccess,
    input: &MeetingInput,
    now: NaiveDateTime,
) -> AppResult<()> {
    access.require_active()?;
    require_open_month(conn, &access.club.id, input.columns.held_on)?;
    let starts = input.columns.held_on.and_time(input.columns.starts_at);
    let now_seoul = now + chrono::Duration::seconds(i64::from(seoul().local_minus_utc()));
    if starts > now_seoul {
        return Err(AppError::validation(
            "held_on",
            "아직 열리지 않은 모임은 기록할 수 없습니다.",
        ));
    }
    let members = model::members_on(conn, &access.club.id, input.columns.held_on)?;
    for attendee in &input.attendees {
        let was_member = members.contains(attendee);
        if !was_member {
            return Err(AppError::validation(
                "attendees",
                "참석자는 모임 날짜에 동아리 회원이어야 합니다.",
            ));
        }
    }
    Ok(())
}

fn regular_warning(
    conn: &mut DbConn,
    club_id: &str,
    input: &MeetingInput,
    this_id: &str,
) -> AppResult<MeetingWarnings> {
    if MeetingKind::parse(&input.columns.kind) != Some(MeetingKind::Regular) {
        return Ok(MeetingWarnings::default());
    }
    let others = model::regular_meetings_in_month(conn, club_id, input.columns.held_on)?;
    Ok(MeetingWarnings {
        second_regular_in_month: others.iter().any(|id| id != this_id),
    })
}

/// Why a meeting's mileage is taken back from someone: they were taken
/// off it, or it was deleted.
const LEFT_MEETING: &str = "모임 출석 기록에서 빠짐";
const DELETED_MEETING: &str = "모임 기록 삭제";

/// Attending a meeting, as the mileage rules see it.
pub fn meeting_event<'a>(
    organization_id: &'a str,
    club_id: &'a str,
    meeting_id: &'a str,
    held_on: NaiveDate,
) -> mileage::Event<'a> {
    mileage::Event {
        organization_id,
        club_id: Some(club_id),
        activity: mileage::Activity::Meeting,
        event_ref: meeting_id,
        on: held_on,
    }
}

pub fn log_meeting(
    conn: &mut DbConn,
    settings: &Settings,
    reactions: &Reactions,
    access: &ClubAccess,
    input: &MeetingInput,
    now: NaiveDateTime,
) -> AppResult<(String, MeetingWarnings)> {
    if !access.can_log_meetings() {
        return Err(AppError::Forbidden);
    }
    check_meeting(conn, access, input, now)?;
    let id = model::insert_meeting(
        conn,
        &access.club.id,
        &input.columns,
        &access.employee_id,
        now,
    )?;
    model::add_meeting_details(
        conn,
        &id,
        &input.attendees,
        input.advisor.as_ref(),
        &input.books,
    )?;
    let warnings = regular_warning(conn, &access.club.id, input, &id)?;
    let event = meeting_event(
        &access.club.organization_id,
        &access.club.id,
        &id,
        input.columns.held_on,
    );
    mileage::earning::earn_all(conn, settings, &event, &input.attendees, now)?;
    react_to_attendance(conn, settings, reactions, access, input, now)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "meeting.log",
        &id,
        json!({ "club_id": access.club.id, "attendees": input.attendees.len() }),
    )?;
    Ok((id, warnings))
}

/// A regular meeting may complete its attendees' count for a badge, and
/// the points just earned a mileage badge.
fn react_to_attendance(
    conn: &mut DbConn,
    settings: &Settings,
    reactions: &Reactions,
    access: &ClubAccess,
    input: &MeetingInput,
    now: NaiveDateTime,
) -> AppResult<()> {
    let happened = Happened {
        organization_id: &access.club.organization_id,
        people: &input.attendees,
        on: input.columns.held_on,
    };
    if MeetingKind::parse(&input.columns.kind) == Some(MeetingKind::Regular) {
        (reactions.regular_meeting_attended)(conn, settings, happened, now)?;
    }
    (reactions.mileage_earned)(conn, settings, happened, now)
}

/// The meeting's author, the president or an administrator may change it.
fn require_meeting_editor(access: &ClubAccess, meeting: &model::Meeting) -> AppResult<()> {
    if meeting.club_id != access.club.id {
        return Err(AppError::NotFound);
    }
    if access.can_manage() || (access.is_member() && meeting.created_by == access.employee_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn edit_meeting(
    conn: &mut DbConn,
    settings: &Settings,
    reactions: &Reactions,
    access: &ClubAccess,
    meeting_id: &str,
    input: &MeetingInput,
    now: NaiveDateTime,
) -> AppResult<MeetingWarnings> {
    let meeting = model::meeting_by_id(conn, meeting_id)?;
    require_meeting_editor(access, &meeting)?;
    require_open_month(conn, &access.club.id, meeting.held_on)?;
    check_meeting(conn, access, input, now)?;
    model::update_meeting(conn, meeting_id, &input.columns, now)?;
    model::set_meeting_details(
        conn,
        meeting_id,
        &input.attendees,
        input.advisor.as_ref(),
        &input.books,
    )?;
    let event = meeting_event(
        &access.club.organization_id,
        &access.club.id,
        meeting_id,
        input.columns.held_on,
    );
    let by = Some(access.employee_id.as_str());
    mileage::earning::sync(
        conn,
        settings,
        &event,
        &input.attendees,
        by,
        LEFT_MEETING,
        now,
    )?;
    react_to_attendance(conn, settings, reactions, access, input, now)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "meeting.edit",
        meeting_id,
        json!({ "club_id": access.club.id }),
    )?;
    regular_warning(conn, &access.club.id, input, meeting_id)
}

pub fn delete_meeting(
    conn: &mut DbConn,
    settings: &Settings,
    access: &ClubAccess,
    meeting_id: &str,
    now: NaiveDateTime,
) -> AppResult<()> {
    let meeting = model::meeting_by_id(conn, meeting_id)?;
    require_meeting_editor(access, &meeting)?;
    require_open_month(conn, &access.club.id, meeting.held_on)?;
    if !model::delete_meeting(conn, meeting_id, now)? {
        return Err(AppError::Conflict("이미 삭제된 모임입니다.".into()));
    }
    let event = meeting_event(
        &access.club.organization_id,
        &access.club.id,
        meeting_id,
        meeting.held_on,
    );
    let by = Some(access.employee_id.as_str());
    mileage::earning::sync(conn, settings, &event, &[], by, DELETED_MEETING, now)?;
    audit::record(
        conn,
        now,
        Some(&access.employee_id),
        "meeting.delete",
        meeting_id,
        json!({ "club_id": access.club.id }),
    )?;
    Ok(())
}

/// Hours from meetings for each employee in one half-year: the total over
/// all their clubs (the cap is per person), and per club.
pub struct PersonHours {
    pub total: HalfYearHours,
    pub by_club: HashMap<String, HalfYearHours>,
}

pub fn hours_for(
    conn: &mut DbConn,
    employee_ids: &[String],
    half: HalfYear,
    policy: HoursPolicy,
) -> AppResult<HashMap<String, PersonHours>> {
    let attended = hours::attended(model::attended_between(
        conn,
        employee_ids,
        half.first_day(),
        half.last_day(),
    )?);
    let stints = model::stints_of(conn, employee_ids)?;
    let mut result = HashMap::new();
    for id in employee_ids {
        let mine: Vec<Attended> = attended
            .iter()
            .filter(|(employee, _)| employee == id)
            .map(|(_, m)| m.clone())
            .collect();
        let my_stints: Vec<Stint> = stints
            .iter()
            .filter(|s| s.employee_id == *id)
            .map(|s| Stint {
                club_id: s.club_id.clone(),
                joined_on: s.joined_on,
                left_on: s.left_on,
            })
            .collect();
        let mut clubs: Vec<&str> = mine.iter().map(|a| a.club_id.as_str()).collect();
        clubs.sort();
        clubs.dedup();
        let by_club = clubs
            .into_iter()
            .map(|club| {
                let in_club: Vec<Attended> =
                    mine.iter().filter(|a| a.club_id == club).cloned().collect();
                (
                    club.to_string(),
                    hours::half_year_hours(half, &in_club, &my_stints, policy),
                )
            })
            .collect();
        let total = hours::half_year_hours(half, &mine, &my_stints, policy);
        result.insert(id.clone(), PersonHours { total, by_club });
    }
    Ok(result)
}

/// Part of `dongari ledger verify`: each office's kept club counts
/// (`club_counts`) recounted from its clubs; a state without clubs may be
/// kept as 0 or not at all.
pub fn check_counts(conn: &mut DbConn) -> AppResult<Vec<String>> {
    let kept = model::kept_club_counts(conn)?;
    let mut counted = model::counted_clubs(conn)?;
    let mut violations: Vec<String> = kept
        .into_iter()
        .filter_map(|(key, have)| {
            let want = counted.remove(&key).unwrap_or(0);
            (have != want).then(|| {
                format!(
                    "office {}: {have} {} clubs kept but {want} counted",
                    key.0, key.1
                )
            })
        })
        .collect();
    violations.extend(counted.into_iter().map(|((office, status), want)| {
        format!("office {office}: no {status} clubs kept but {want} counted")
    }));
    violations.sort();
    Ok(violations)
}

/// Part of `dongari ledger verify`: each club's kept sizes (`club_sizes`)
/// recounted from its memberships.
pub fn check_sizes(conn: &mut DbConn) -> AppResult<Vec<String>> {
    Ok(super::size::violations(
        model::all_sizes(conn)?,
        model::all_stints(conn)?,
    ))
}
