//! The clubs JSON API under `/api/v1`.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::board::{self, CommentDraft, HideRequest, PostDraft, PostView};
use super::extractors::{ClubManager, ClubMember};
use super::forms::{ClubDraft, MeetingDraft};
use super::model::{self, ClubFilter, ClubKind, ClubStatus, StudyField};
use super::service::{self, ClubAccess, MeetingWarnings};
use super::views::{self, ClubDetail, ClubSummary, MeetingView, MemberView, MyHoursView};
use crate::auth::extractors::{load_user, SignedIn};
use crate::auth::{Admin, CurrentUser};
use crate::clock::HalfYear;
use crate::db::view_marks::{kept_view, ViewKind};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::fields::{optional, parse_date, required};
use crate::http::paging::{json_bytes, kept_json, Page, PageQuery};
use crate::org::policy;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClubQuery {
    /// Home department code.
    pub department: Option<String>,
    /// `department` or `integrated`.
    pub kind: Option<String>,
    pub field: Option<String>,
    /// `active` (default), `proposed`, `rejected`, `dissolved` or `all`.
    pub status: Option<String>,
    /// `true`: only the caller's clubs.
    pub mine: Option<bool>,
}

impl ClubQuery {
    pub fn filter(&self, user: &CurrentUser) -> AppResult<(ClubFilter, Option<String>)> {
        let parse = |field: &str, value: &Option<String>| -> AppResult<Option<String>> {
            Ok(value
                .as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string))
            .and_then(|v| optional(field, field, v.as_deref().unwrap_or(""), 40))
        };
        let kind = match parse("kind", &self.kind)? {
            None => None,
            Some(k) => Some(ClubKind::parse(&k).ok_or_else(|| {
                AppError::validation("kind", "종류는 department 또는 integrated입니다.")
            })?),
        };
        let field = match parse("field", &self.field)? {
            None => None,
            Some(f) => Some(
                StudyField::parse(&f)
                    .ok_or_else(|| AppError::validation("field", "알 수 없는 연구 분야입니다."))?,
            ),
        };
        let status = match parse("status", &self.status)?.as_deref() {
            None => Some(ClubStatus::Active),
            Some("all") => None,
            Some(s) => Some(
                ClubStatus::parse(s)
                    .ok_or_else(|| AppError::validation("status", "알 수 없는 상태입니다."))?,
            ),
        };
        let filter = ClubFilter {
            organization_id: Some(user.employee.organization_id.clone()),
            department_id: None,
            kind,
            field,
            status,
            member_id: self.mine.unwrap_or(false).then(|| user.employee.id.clone()),
        };
        Ok((filter, parse("department", &self.department)?))
    }
}

/// Clubs, by name; active ones unless `status` says otherwise.
#[utoipa::path(get, path = "/api/v1/clubs", tag = "clubs", security(("bearer" = [])),
    params(PageQuery, ClubQuery), responses((status = 200, body = Page<ClubSummary>)))]
pub async fn list_clubs(
    state: web::Data<AppState>,
    user: CurrentUser,
    paging: web::Query<PageQuery>,
    query: web::Query<ClubQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let (mut filter, department) = query.filter(&user)?;
    let today = state.clock.today();
    let kept = state.pages.clone();
    let page = state
        .db(move |conn| {
            let office = &user.employee.organization_id;
            filter.department_id =
                crate::org::service::department_id_for(conn, office, department.as_deref())?;
            let key = format!("{filter:?}/{offset}/{limit}/{today}");
            kept_view(conn, &kept, office, ViewKind::Clubs, &key, |conn| {
                let (clubs, total) = model::list_clubs(conn, &filter, offset, limit)?;
                let page = Page {
                    items: views::club_summaries(conn, clubs, today)?,
                    total,
                };
                AppResult::Ok(json_bytes(&page))
            })
        })
        .await?;
    Ok(kept_json(&page))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: String,
}

/// Create a club. Administrators create an active club (president: the
/// given employee or themselves); others propose one for approval.
#[utoipa::path(post, path = "/api/v1/clubs", tag = "clubs", security(("bearer" = [])), request_body = ClubDraft,
    responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn create_club(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ClubDraft>,
) -> AppResult<HttpResponse> {
    let input = body.validate()?;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let id = state
        .tx(move |conn| service::create_club(conn, &user, input.clone(), today, now))
        .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

#[utoipa::path(get, path = "/api/v1/clubs/{club_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), responses((status = 200, body = ClubDetail), (status = 404, body = ErrorBody)))]
pub async fn get_club(state: web::Data<AppState>, access: ClubAccess) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let half = HalfYear::containing(today).to_string();
    let detail = state
        .db(move |conn| views::club_detail(conn, access.club, &half, today))
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// Edit the club's description, field and usual meeting time.
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = ClubDraft,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_club(
    state: web::Data<AppState>,
    manager: ClubManager,
    body: web::Json<ClubDraft>,
) -> AppResult<HttpResponse> {
    let input = body.validate()?;
    let now = state.clock.now_naive();
    state
        .tx(move |conn| service::update_club(conn, &manager.0, input.clone(), now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Decision {
    pub approve: bool,
    pub note: Option<String>,
}

/// Approve or reject a proposed club (administrators).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/decision", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = Decision,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_club(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    body: web::Json<Decision>,
) -> AppResult<HttpResponse> {
    let note = optional("note", "메모", body.note.as_deref().unwrap_or(""), 500)?;
    let (club_id, approve) = (path.into_inner(), body.approve);
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    state
        .tx(move |conn| {
            service::decide_proposal(
                conn,
                &admin.0,
                &club_id,
                approve,
                note.as_deref(),
                today,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Reason {
    pub reason: String,
}

/// Dissolve a club (administrators): every membership ends today.
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/dissolve", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = Reason, responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn dissolve_club(
    state: web::Data<AppState>,
    _admin: Admin,
    access: ClubAccess,
    body: web::Json<Reason>,
) -> AppResult<HttpResponse> {
    let reason = required("reason", "해산 사유", &body.reason, 500)?;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    state
        .tx(move |conn| service::dissolve(conn, &access, &reason, today, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Formation {
    /// The day the club was really formed, `2015-02-10`.
    pub formed_on: String,
    pub reason: String,
}

/// Set the day a club was really formed (administrators, with a reason):
/// its monthly reports are owed from that month on. Answers the club.
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/formation", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = Formation,
    responses((status = 200, body = ClubDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_formation(
    state: web::Data<AppState>,
    _admin: Admin,
    access: ClubAccess,
    body: web::Json<Formation>,
) -> AppResult<HttpResponse> {
    let formed_on = parse_date("formed_on", &body.formed_on)?;
    let reason = body.into_inner().reason;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let half = HalfYear::containing(today).to_string();
    let detail = state
        .tx(move |conn| {
            let club = service::set_formation(conn, &access, formed_on, &reason, today, now)?;
            views::club_detail(conn, club, &half, today)
        })
        .await?;
    Ok(HttpResponse::Ok().json(detail))
}

/// Members, current and past.
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/members", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), responses((status = 200, body = Page<MemberView>)))]
pub async fn list_members(
    state: web::Data<AppState>,
    access: ClubAccess,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let items = state
        .db(move |conn| views::member_views(conn, &access.club.id, today))
        .await?;
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMember {
    pub employee_no: String,
    /// Default: today.
    pub joined_on: Option<String>,
}

/// Add a member (the president or an administrator).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/members", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = NewMember,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_member(
    state: web::Data<AppState>,
    manager: ClubManager,
    body: web::Json<NewMember>,
) -> AppResult<HttpResponse> {
    let joined_on = body
        .joined_on
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        .map(|d| parse_date("joined_on", d))
        .transpose()?;
    let employee_no = required("employee_no", "사원번호", &body.employee_no, 20)?;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let id = state
        .tx(move |conn| service::add_member(conn, &manager.0, &employee_no, joined_on, today, now))
        .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct LeaveQuery {
    /// The first day no longer a member (default: today).
    pub left_on: Option<String>,
}

/// End a membership (the president, an administrator, or the member).
#[utoipa::path(delete, path = "/api/v1/clubs/{club_id}/members/{employee_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("employee_id" = String, Path), LeaveQuery),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove_member(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    query: web::Query<LeaveQuery>,
) -> AppResult<HttpResponse> {
    let left_on = query
        .left_on
        .as_deref()
        .map(|d| parse_date("left_on", d))
        .transpose()?;
    let employee_id = path.into_inner().1;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    state
        .tx(move |conn| service::remove_member(conn, &access, &employee_id, left_on, today, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NewPresident {
    pub employee_id: String,
}

/// Hand the presidency to another current member.
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/president", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = NewPresident,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transfer_presidency(
    state: web::Data<AppState>,
    manager: ClubManager,
    body: web::Json<NewPresident>,
) -> AppResult<HttpResponse> {
    let to = body.into_inner().employee_id;
    let now = state.clock.now_naive();
    state
        .tx(move |conn| service::transfer_presidency(conn, &manager.0, &to, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JoinRequestView {
    pub id: String,
    pub employee_id: String,
    pub employee_no: String,
    pub name: String,
    pub message: String,
    pub created_at: String,
}

/// Pending requests to join (the president or an administrator).
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/join-requests", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), responses((status = 200, body = Page<JoinRequestView>), (status = 403, body = ErrorBody)))]
pub async fn list_join_requests(
    state: web::Data<AppState>,
    manager: ClubManager,
) -> AppResult<HttpResponse> {
    let items: Vec<JoinRequestView> = state
        .db(move |conn| Ok(model::pending_requests(conn, &manager.0.club.id)?))
        .await?
        .into_iter()
        .map(|(r, employee_no, name)| JoinRequestView {
            id: r.id,
            employee_id: r.employee_id,
            employee_no,
            name,
            message: r.message,
            created_at: crate::format::seoul_datetime(r.created_at),
        })
        .collect();
    let total = items.len() as i64;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinMessage {
    #[serde(default)]
    pub message: String,
}

/// Ask to join the club.
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/join-requests", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = JoinMessage,
    responses((status = 201, body = Created), (status = 409, body = ErrorBody)))]
pub async fn request_to_join(
    state: web::Data<AppState>,
    access: ClubAccess,
    body: web::Json<JoinMessage>,
) -> AppResult<HttpResponse> {
    let message = optional("message", "가입 인사", &body.message, 500)?.unwrap_or_default();
    let now = state.clock.now_naive();
    let id = state
        .tx(move |conn| service::request_to_join(conn, &access, &message, now))
        .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// Approve or reject a request to join.
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/join-requests/{request_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("request_id" = String, Path)), request_body = Decision,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide_join_request(
    state: web::Data<AppState>,
    manager: ClubManager,
    path: web::Path<(String, String)>,
    body: web::Json<Decision>,
) -> AppResult<HttpResponse> {
    let request_id = path.into_inner().1;
    let approve = body.approve;
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    state
        .tx(move |conn| {
            service::decide_join_request(conn, &manager.0, &request_id, approve, today, now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StudyTaskDraft {
    pub title: String,
    #[serde(default)]
    pub description: String,
}

fn half_from_path(s: &str) -> AppResult<HalfYear> {
    HalfYear::parse(s)
        .ok_or_else(|| AppError::validation("half", "반기는 2026H1 또는 2026H2 형식이어야 합니다."))
}

/// The club's study task (학습과제) for a half-year.
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/study-tasks/{half}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("half" = String, Path, description = "2026H2")),
    responses((status = 200, body = views::StudyTaskView), (status = 404, body = ErrorBody)))]
pub async fn get_study_task(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let half = half_from_path(&path.1)?.to_string();
    let task = state
        .db(move |conn| model::study_task(conn, &access.club.id, &half)?.ok_or(AppError::NotFound))
        .await?;
    Ok(HttpResponse::Ok().json(views::StudyTaskView {
        half: task.half,
        title: task.title,
        description: task.description,
    }))
}

/// Set the club's study task for a half-year (the president or an administrator).
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/study-tasks/{half}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("half" = String, Path, description = "2026H2")), request_body = StudyTaskDraft,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_study_task(
    state: web::Data<AppState>,
    manager: ClubManager,
    path: web::Path<(String, String)>,
    body: web::Json<StudyTaskDraft>,
) -> AppResult<HttpResponse> {
    let half = half_from_path(&path.1)?;
    let title = required("title", "학습과제", &body.title, 200)?;
    let description = optional("description", "설명", &body.description, 4000)?.unwrap_or_default();
    let now = state.clock.now_naive();
    state
        .tx(move |conn| service::save_study_task(conn, &manager.0, half, &title, &description, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Meetings, newest first.
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/meetings", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), PageQuery), responses((status = 200, body = Page<MeetingView>)))]
pub async fn list_meetings(
    state: web::Data<AppState>,
    access: ClubAccess,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let kept = state.pages.clone();
    let page = state
        .db(move |conn| {
            let club = &access.club.id;
            let key = format!("{offset}/{limit}");
            kept_view(conn, &kept, club, ViewKind::Meetings, &key, |conn| {
                let (meetings, total) = model::meetings_of_club(conn, club, offset, limit)?;
                let page = Page {
                    items: views::meeting_views(conn, meetings)?,
                    total,
                };
                AppResult::Ok(json_bytes(&page))
            })
        })
        .await?;
    Ok(kept_json(&page))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeetingSaved {
    pub id: String,
    pub warnings: MeetingWarnings,
}

/// Log a meeting (any member, or an administrator).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/meetings", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = MeetingDraft,
    responses((status = 201, body = MeetingSaved), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn log_meeting(
    state: web::Data<AppState>,
    member: ClubMember,
    body: web::Json<MeetingDraft>,
) -> AppResult<HttpResponse> {
    let (settings, now) = (state.settings.clone(), state.clock.now_naive());
    let reactions = state.reactions;
    let (id, warnings) = state
        .tx(move |conn| {
            let rules = policy::of(conn, &settings, &member.0.club.organization_id)?.clubs;
            let input = body.validate(&rules)?;
            service::log_meeting(conn, &settings, &reactions, &member.0, &input, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(MeetingSaved { id, warnings }))
}

#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/meetings/{meeting_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("meeting_id" = String, Path)), responses((status = 200, body = MeetingView), (status = 404, body = ErrorBody)))]
pub async fn get_meeting(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let meeting_id = path.into_inner().1;
    let view = state
        .db(move |conn| {
            let meeting = model::meeting_by_id(conn, &meeting_id)?;
            if meeting.club_id != access.club.id {
                return Err(AppError::NotFound);
            }
            Ok(views::meeting_views(conn, vec![meeting])?.remove(0))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Change a meeting (its author, the president or an administrator).
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/meetings/{meeting_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("meeting_id" = String, Path)), request_body = MeetingDraft,
    responses((status = 200, body = MeetingSaved), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit_meeting(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<MeetingDraft>,
) -> AppResult<HttpResponse> {
    let meeting_id = path.into_inner().1;
    let (settings, now) = (state.settings.clone(), state.clock.now_naive());
    let (id, reactions) = (meeting_id.clone(), state.reactions);
    let warnings = state
        .tx(move |conn| {
            let rules = policy::of(conn, &settings, &access.club.organization_id)?.clubs;
            let input = body.validate(&rules)?;
            service::edit_meeting(
                conn,
                &settings,
                &reactions,
                &access,
                &meeting_id,
                &input,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(MeetingSaved { id, warnings }))
}

/// Delete a meeting (kept, marked deleted; it no longer counts).
#[utoipa::path(delete, path = "/api/v1/clubs/{club_id}/meetings/{meeting_id}", tag = "clubs", security(("bearer" = [])),
    params(("club_id" = String, Path), ("meeting_id" = String, Path)), responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn delete_meeting(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let meeting_id = path.into_inner().1;
    let (settings, now) = (state.settings.clone(), state.clock.now_naive());
    state
        .tx(move |conn| service::delete_meeting(conn, &settings, &access, &meeting_id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HalfQuery {
    /// `2026H2`; default: the current half-year in Seoul.
    pub half: Option<String>,
}

/// Hours from club meetings in a half-year: earned and recognizable (capped).
#[utoipa::path(get, path = "/api/v1/me/hours", tag = "clubs", security(("bearer" = [])),
    params(HalfQuery), responses((status = 200, body = MyHoursView), (status = 422, body = ErrorBody)))]
pub async fn my_hours(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<HalfQuery>,
) -> AppResult<HttpResponse> {
    let half = match query.half.as_deref() {
        Some(h) => half_from_path(h)?,
        None => HalfYear::containing(state.clock.today()),
    };
    let settings = state.settings.clone();
    let claims = signed_in.claims().clone();
    // The person and their hours, in one trip to the pool.
    let view = state
        .db(move |conn| {
            let user = load_user(conn, &claims)?;
            let id = user.employee.id.clone();
            let rules = policy::of(conn, &settings, &user.employee.organization_id)?.clubs;
            let hours_rule = super::hours::HoursPolicy::of(&rules);
            let mut hours = service::hours_for(conn, std::slice::from_ref(&id), half, hours_rule)?;
            views::my_hours_view(
                conn,
                half.to_string(),
                hours.remove(&id).expect("hours for the asked employee"),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The club's board: posts with comments, newest first.
#[utoipa::path(get, path = "/api/v1/clubs/{club_id}/posts", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path), PageQuery), responses((status = 200, body = Page<PostView>)))]
pub async fn list_posts(
    state: web::Data<AppState>,
    access: ClubAccess,
    paging: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let (items, total) = state
        .db(move |conn| board::posts_of(conn, &access.club.id, offset, limit))
        .await?;
    Ok(HttpResponse::Ok().json(Page { items, total }))
}

/// Post a learning output (members).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/posts", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path)), request_body = PostDraft,
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_post(
    state: web::Data<AppState>,
    member: ClubMember,
    body: web::Json<PostDraft>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let draft = body.into_inner();
    let st = state.clone();
    let id = state
        .tx(move |conn| {
            board::create_post(conn, &st.settings, &st.reactions, &member.0, &draft, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// Edit one's own post.
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/posts/{post_id}", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path), ("post_id" = String, Path)), request_body = PostDraft,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn edit_post(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<PostDraft>,
) -> AppResult<HttpResponse> {
    let post_id = path.into_inner().1;
    let (now, draft) = (state.clock.now_naive(), body.into_inner());
    state
        .tx(move |conn| board::edit_post(conn, &access, &post_id, &draft, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hide a post with a reason (administrators).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/posts/{post_id}/hide", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path), ("post_id" = String, Path)), request_body = HideRequest,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn hide_post(
    state: web::Data<AppState>,
    _admin: Admin,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<HideRequest>,
) -> AppResult<HttpResponse> {
    let post_id = path.into_inner().1;
    let (now, reason) = (state.clock.now_naive(), body.into_inner().reason);
    let st = state.clone();
    state
        .tx(move |conn| {
            let taken = board::hide_post(conn, &access, &post_id, &reason, now)?;
            crate::mileage::earning::tell(conn, &st.templates, &st.settings, &taken, now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Comment on a post (any employee).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/posts/{post_id}/comments", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path), ("post_id" = String, Path)), request_body = CommentDraft,
    responses((status = 201, body = Created), (status = 422, body = ErrorBody)))]
pub async fn add_comment(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<CommentDraft>,
) -> AppResult<HttpResponse> {
    let post_id = path.into_inner().1;
    let (now, draft) = (state.clock.now_naive(), body.into_inner());
    let st = state.clone();
    let id = state
        .tx(move |conn| {
            board::add_comment(
                conn,
                &st.settings,
                &st.reactions,
                &access,
                &post_id,
                &draft,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// Edit one's own comment.
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/posts/{post_id}/comments/{comment_id}", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path), ("post_id" = String, Path), ("comment_id" = String, Path)), request_body = CommentDraft,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn edit_comment(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String, String)>,
    body: web::Json<CommentDraft>,
) -> AppResult<HttpResponse> {
    let (_, post_id, comment_id) = path.into_inner();
    let (now, draft) = (state.clock.now_naive(), body.into_inner());
    state
        .tx(move |conn| board::edit_comment(conn, &access, &post_id, &comment_id, &draft, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Hide a comment with a reason (administrators).
#[utoipa::path(post, path = "/api/v1/clubs/{club_id}/posts/{post_id}/comments/{comment_id}/hide", tag = "board", security(("bearer" = [])),
    params(("club_id" = String, Path), ("post_id" = String, Path), ("comment_id" = String, Path)), request_body = HideRequest,
    responses((status = 204), (status = 403, body = ErrorBody)))]
pub async fn hide_comment(
    state: web::Data<AppState>,
    _admin: Admin,
    access: ClubAccess,
    path: web::Path<(String, String, String)>,
    body: web::Json<HideRequest>,
) -> AppResult<HttpResponse> {
    let (_, post_id, comment_id) = path.into_inner();
    let (now, reason) = (state.clock.now_naive(), body.into_inner().reason);
    let st = state.clone();
    state
        .tx(move |conn| {
            let taken = board::hide_comment(conn, &access, &post_id, &comment_id, &reason, now)?;
            crate::mileage::earning::tell(conn, &st.templates, &st.settings, &taken, now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
