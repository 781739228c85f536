//! A club's page: its members, meetings, board, hours and monthly
//! reports, gathered from the clubs and reports domains, so it lives here;
//! and the forms on it (a member added, a join request decided, a post),
//! which come back to it, with the problem beside the form when one fails.

use std::collections::HashMap;

use actix_web::web::{self, post, resource};
use actix_web::HttpResponse;
use serde::Deserialize;

use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::CurrentUser;
use crate::clock::HalfYear;
use crate::clubs::board::{self, CommentDraft, PostDraft};
use crate::clubs::hours::{HalfYearHours, HoursPolicy};
use crate::clubs::model::{self, ClubStatus};
use crate::clubs::service::{self, ClubAccess};
use crate::clubs::views;
use crate::error::{AppError, AppResult};
use crate::fields::{optional, required};
use crate::http::{field_errors, render_with_status, see_other, status_of};
use crate::org::model as org;
use crate::org::policy;
use crate::reports;
use crate::state::AppState;

/// After the clubs' own pages (`/clubs/new` before `/clubs/{club_id}`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/clubs/{club_id}").route(web::get().to(show)))
        .service(resource("/clubs/{club_id}/members").route(post().to(add_member)))
        .service(resource("/clubs/{club_id}/join").route(post().to(request_to_join)))
        .service(
            resource("/clubs/{club_id}/join-requests/{request_id}")
                .route(post().to(decide_join_request)),
        )
        .service(resource("/clubs/{club_id}/decision").route(post().to(decide_club)))
        .service(resource("/clubs/{club_id}/study-task").route(post().to(save_study_task)))
        .service(resource("/clubs/{club_id}/posts").route(post().to(create_post)))
        .service(
            resource("/clubs/{club_id}/posts/{post_id}/comments").route(post().to(add_comment)),
        )
        .service(resource("/clubs/{club_id}/posts/{post_id}/hide").route(post().to(hide_post)))
        .service(
            resource("/clubs/{club_id}/meetings/{meeting_id}/delete")
                .route(post().to(delete_meeting)),
        );
}

/// Renders a club's page; `errors` puts a failed form's problem beside it.
async fn club_page(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    access: ClubAccess,
    done: Option<&str>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now());
    let half = HalfYear::containing(today);
    let settings = state.settings.clone();
    let club_id = access.club.id.clone();
    let can_manage = access.can_manage();
    let (detail, members, meetings, meeting_total, posts, requests, (hours, cap_hours), reports) =
        state
            .read(move |conn| {
                let organization = policy::of(conn, &settings, &access.club.organization_id)?;
                let reports = reports::service::summaries(
                    conn,
                    &access.club,
                    &organization.reports,
                    today,
                    now,
                )?;
                let rules = organization.clubs;
                let policy = HoursPolicy::of(&rules);
                let detail = views::club_detail(conn, access.club, &half.to_string(), today)?;
                let members = views::member_views(conn, &club_id, today)?;
                let (meetings, meeting_total) = model::meetings_of_club(conn, &club_id, 0, 10)?;
                let meetings = views::meeting_views(conn, meetings)?;
                let (posts, _) = board::posts_of(conn, &club_id, 0, 20)?;
                let requests = if can_manage {
                    model::pending_requests(conn, &club_id)?
                } else {
                    vec![]
                };
                let current: Vec<String> = members
                    .iter()
                    .filter(|m| m.current)
                    .map(|m| m.employee_id.clone())
                    .collect();
                let hours = service::hours_for(conn, &current, half, policy)?;
                let hours: HashMap<String, (views::HoursView, views::HoursView)> = hours
                    .into_iter()
                    .map(|(id, h)| {
                        let here = h.by_club.get(&club_id).copied().unwrap_or(HalfYearHours {
                            earned_minutes: 0,
                            countable_minutes: 0,
                            recognizable_minutes: 0,
                            cap_minutes: h.total.cap_minutes,
                        });
                        (id, (here.into(), h.total.into()))
                    })
                    .collect();
                Ok((
                    detail,
                    members,
                    meetings,
                    meeting_total,
                    posts,
                    requests,
                    (hours, rules.half_year_cap_hours),
                    reports,
                ))
            })
            .await?;
    let mut ctx = page_context(Some(user), csrf);
    let is_member = members
        .iter()
        .any(|m| m.current && m.employee_id == user.employee.id);
    ctx.insert("club", &detail);
    ctx.insert("members", &members);
    ctx.insert("meetings", &meetings);
    ctx.insert("meeting_total", &meeting_total);
    ctx.insert("posts", &posts);
    ctx.insert("hours", &hours);
    ctx.insert("half_label", &half.label_ko());
    ctx.insert("half", &half.to_string());
    ctx.insert("cap_hours", &cap_hours);
    ctx.insert("requests", &requests.iter().map(|(r, no, name)| serde_json::json!({ "id": r.id, "employee_no": no, "name": name, "message": r.message })).collect::<Vec<_>>());
    ctx.insert("reports", &reports);
    ctx.insert("is_member", &is_member);
    ctx.insert("user_id", &user.employee.id);
    ctx.insert("can_manage", &can_manage);
    ctx.insert("is_admin", &user.has_role(org::Role::Admin));
    ctx.insert("is_active", &(detail.summary.status == ClubStatus::Active));
    ctx.insert(
        "is_proposed",
        &(detail.summary.status == ClubStatus::Proposed),
    );
    ctx.insert("done", &done.unwrap_or(""));
    let status = status_of(&errors);
    ctx.insert("errors", &errors);
    render_with_status(state, "clubs/show.html", &ctx, status)
}

#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    query: web::Query<Done>,
) -> AppResult<HttpResponse> {
    club_page(
        &state,
        &user,
        &csrf,
        access,
        query.done.as_deref(),
        HashMap::new(),
    )
    .await
}

/// Runs a club page form's action: back to the club page when it worked,
/// the same page with the problem shown beside the form when it did not.
async fn club_action<F>(
    state: &web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    done: &str,
    action: F,
) -> AppResult<HttpResponse>
where
    F: Fn(&mut crate::db::DbConn, &ClubAccess) -> AppResult<()> + Send + 'static,
{
    let club_id = access.club.id.clone();
    let for_action = access.clone();
    match state.tx(move |conn| action(conn, &for_action)).await {
        Ok(()) => Ok(see_other(&format!("/clubs/{club_id}?done={done}"))),
        Err(e) => {
            // The page has several forms that share field names (a post's
            // title, the study task's): each error is filed under its form.
            let errors = field_errors(e)?
                .into_iter()
                .map(|(field, message)| match field.as_str() {
                    "form" => (field, message),
                    _ => (format!("{done}_{field}"), message),
                })
                .collect();
            let reader = user.clone();
            let access = state
                .db(move |conn| ClubAccess::load(conn, &club_id, &reader))
                .await?;
            club_page(state, &user, &csrf, access, None, errors).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MemberForm {
    employee_no: String,
}

pub async fn add_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    form: CsrfForm<MemberForm>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let employee_no = form.0.employee_no;
    club_action(&state, user, csrf, access, "member", move |conn, access| {
        service::add_member(conn, access, &employee_no, None, today, now).map(|_| ())
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    message: String,
}

pub async fn request_to_join(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    form: CsrfForm<JoinForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let message = form.0.message;
    club_action(&state, user, csrf, access, "join", move |conn, access| {
        let message = optional("message", "가입 인사", &message, 500)?.unwrap_or_default();
        service::request_to_join(conn, access, &message, now).map(|_| ())
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    note: String,
}

pub async fn decide_join_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let request_id = path.into_inner().1;
    let approve = form.0.decision == "approve";
    club_action(
        &state,
        user,
        csrf,
        access,
        "request",
        move |conn, access| {
            service::decide_join_request(conn, access, &request_id, approve, today, now)
        },
    )
    .await
}

pub async fn decide_club(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    form: CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    if !user.has_role(org::Role::Admin) {
        return Err(AppError::Forbidden);
    }
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let approve = form.0.decision == "approve";
    let note = form.0.note;
    let admin = user.clone();
    club_action(
        &state,
        user,
        csrf,
        access,
        "decision",
        move |conn, access| {
            let note = optional("note", "메모", &note, 500)?;
            service::decide_proposal(
                conn,
                &admin,
                &access.club.id,
                approve,
                note.as_deref(),
                today,
                now,
            )
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct StudyTaskForm {
    title: String,
    #[serde(default)]
    description: String,
}

pub async fn save_study_task(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    form: CsrfForm<StudyTaskForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let half = HalfYear::containing(state.clock.today());
    let StudyTaskForm { title, description } = form.0;
    club_action(&state, user, csrf, access, "task", move |conn, access| {
        let title = required("title", "학습과제", &title, 200)?;
        let description = optional("description", "설명", &description, 4000)?.unwrap_or_default();
        service::save_study_task(conn, access, half, &title, &description, now)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct PostForm {
    title: String,
    body: String,
    #[serde(default)]
    links: String,
}

pub async fn create_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    form: CsrfForm<PostForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let PostForm { title, body, links } = form.0;
    let draft = PostDraft {
        title,
        body,
        links: links.lines().map(str::to_string).collect(),
    };
    let st = state.clone();
    club_action(&state, user, csrf, access, "post", move |conn, access| {
        board::create_post(conn, &st.settings, &st.reactions, access, &draft, now).map(|_| ())
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct CommentForm {
    body: String,
}

pub async fn add_comment(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<CommentForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let post_id = path.into_inner().1;
    let draft = CommentDraft { body: form.0.body };
    let st = state.clone();
    club_action(
        &state,
        user,
        csrf,
        access,
        "comment",
        move |conn, access| {
            board::add_comment(
                conn,
                &st.settings,
                &st.reactions,
                access,
                &post_id,
                &draft,
                now,
            )
            .map(|_| ())
        },
    )
    .await
}

#[derive(Debug, Deserialize)]
pub struct HideForm {
    reason: String,
}

pub async fn hide_post(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<HideForm>,
) -> AppResult<HttpResponse> {
    let post_id = path.into_inner().1;
    let (now, reason) = (state.clock.now_naive(), form.0.reason);
    let st = state.clone();
    club_action(&state, user, csrf, access, "hidden", move |conn, access| {
        let taken = board::hide_post(conn, access, &post_id, &reason, now)?;
        crate::mileage::earning::tell(conn, &st.templates, &st.settings, &taken, now)
    })
    .await
}

#[derive(Debug, Deserialize)]
pub struct EmptyForm {}

pub async fn delete_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    _form: CsrfForm<EmptyForm>,
) -> AppResult<HttpResponse> {
    let meeting_id = path.into_inner().1;
    let (settings, now) = (state.settings.clone(), state.clock.now_naive());
    club_action(
        &state,
        user,
        csrf,
        access,
        "meeting-deleted",
        move |conn, access| service::delete_meeting(conn, &settings, access, &meeting_id, now),
    )
    .await
}
