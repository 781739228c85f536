//! Club pages: the list, proposing a club, and the meeting form that logs
//! a meeting in under a minute (today, 정기, the usual time and place,
//! every member ticked: type the topic and press save). A club's own page
//! gathers from the reports too, so it lives in `web::club`.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use tera::Context;

use super::forms::{BookDraft, ClubDraft, MeetingDraft};
use super::handlers::ClubQuery;
use super::model::{self, ClubKind, MeetingKind, StudyField};
use super::service::{self, ClubAccess};
use super::views;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::http::paging::PageQuery;
use crate::http::{field_errors, render, render_with_status, see_other, status_of};
use crate::org::model as org;
use crate::org::policy;
use crate::state::AppState;

fn choices(ctx: &mut Context) {
    ctx.insert("kinds", &ClubKind::options());
    ctx.insert("fields", &StudyField::options());
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    paging: web::Query<PageQuery>,
    query: web::Query<ClubQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let (mut filter, department) = query.filter(&user)?;
    let today = state.clock.today();
    let organization_id = user.employee.organization_id.clone();
    let (clubs, total, departments) = state
        .db(move |conn| {
            filter.department_id = crate::org::service::department_id_for(
                conn,
                &organization_id,
                department.as_deref(),
            )?;
            let (clubs, total) = model::list_clubs(conn, &filter, offset, limit)?;
            Ok((
                views::club_summaries(conn, clubs, today)?,
                total,
                org::all_departments(conn, &organization_id)?,
            ))
        })
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    choices(&mut ctx);
    ctx.insert("clubs", &clubs);
    ctx.insert("total", &total);
    ctx.insert("departments", &departments);
    ctx.insert(
        "q_department",
        &query.department.clone().unwrap_or_default(),
    );
    ctx.insert("q_kind", &query.kind.clone().unwrap_or_default());
    ctx.insert("q_field", &query.field.clone().unwrap_or_default());
    ctx.insert("mine", &query.mine.unwrap_or(false));
    ctx.insert("page", &paging.page.unwrap_or(1));
    ctx.insert("pages", &((total + limit - 1) / limit).max(1));
    render(&state, "clubs/list.html", &ctx)
}

async fn new_club_page(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    draft: &ClubDraft,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let organization_id = user.employee.organization_id.clone();
    let departments = state
        .db(move |conn| Ok(org::all_departments(conn, &organization_id)?))
        .await?;
    let mut ctx = page_context(Some(user), csrf);
    choices(&mut ctx);
    ctx.insert("departments", &departments);
    ctx.insert("draft", &serde_json::json!({
        "name": draft.name, "kind": draft.kind, "home_department": draft.home_department, "field": draft.field,
        "description": draft.description, "usual_start": draft.usual_start, "usual_end": draft.usual_end, "usual_place": draft.usual_place,
    }));
    let status = status_of(&errors);
    ctx.insert("errors", &errors);
    render_with_status(state, "clubs/new.html", &ctx, status)
}

pub async fn new_club(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let (settings, organization_id) = (
        state.settings.clone(),
        user.employee.organization_id.clone(),
    );
    let rules = state
        .db(move |conn| Ok(policy::of(conn, &settings, &organization_id)?.clubs))
        .await?;
    let draft = ClubDraft {
        kind: "department".into(),
        usual_start: Some(rules.default_start),
        usual_end: Some(rules.default_end),
        ..Default::default()
    };
    new_club_page(&state, &user, &csrf, &draft, HashMap::new()).await
}

pub async fn create_club(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    form: CsrfForm<ClubDraft>,
) -> AppResult<HttpResponse> {
    let draft = form.0;
    let input = match draft.validate() {
        Ok(input) => input,
        Err(e) => return new_club_page(&state, &user, &csrf, &draft, field_errors(e)?).await,
    };
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let creator = user.clone();
    match state
        .tx(move |conn| service::create_club(conn, &creator, input.clone(), today, now))
        .await
    {
        Ok(id) => Ok(see_other(&format!("/clubs/{id}?done=created"))),
        Err(e) => new_club_page(&state, &user, &csrf, &draft, field_errors(e)?).await,
    }
}

/// The meeting form, filled in from the club's habits, for a new meeting
/// (`meeting_id` None) or for changing one.
async fn meeting_form(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    access: ClubAccess,
    meeting_id: Option<&str>,
    draft: Option<MeetingDraft>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let club = access.club.clone();
    let (club_id, organization_id) = (club.id.clone(), club.organization_id.clone());
    let settings = state.settings.clone();
    // Meetings are logged after they happen: before today's usual start
    // time, the meeting being logged is most likely yesterday's.
    let now_time = state.clock.now_seoul().time().format("%H:%M").to_string();
    let usual_club_start = club.usual_start.map(|t| t.format("%H:%M").to_string());
    let wants_defaults = draft.is_none();
    let (members, last, rules, usual_start, held_on, regular_held) = state
        .db(move |conn| {
            let members = views::member_views(conn, &club_id, today)?;
            let (last, _) = model::meetings_of_club(conn, &club_id, 0, 1)?;
            let last = match last.into_iter().next() {
                Some(meeting) => {
                    let came = model::attendance_of(conn, std::slice::from_ref(&meeting.id))?
                        .remove(&meeting.id)
                        .unwrap_or_default();
                    Some((
                        meeting,
                        came.into_iter().map(|(id, _)| id).collect::<Vec<_>>(),
                    ))
                }
                None => None,
            };
            let rules = policy::of(conn, &settings, &organization_id)?.clubs;
            let usual_start = usual_club_start.unwrap_or_else(|| rules.default_start.clone());
            let held_on = if now_time >= usual_start {
                today
            } else {
                today.pred_opt().unwrap_or(today)
            };
            // The month's regular meeting already held: this one is ad hoc.
            let regular_held = wants_defaults
                && !model::regular_meetings_in_month(conn, &club_id, held_on)?.is_empty();
            Ok((members, last, rules, usual_start, held_on, regular_held))
        })
        .await?;
    let current: Vec<&views::MemberView> = members.iter().filter(|m| m.current).collect();
    // Who came last time is the best guess of who came now (a first
    // meeting: everyone); members who left since are not ticked.
    let attendees: Vec<String> = match &last {
        Some((_, came)) if !came.is_empty() => current
            .iter()
            .filter(|m| came.contains(&m.employee_id))
            .map(|m| m.employee_id.clone())
            .collect(),
        _ => current.iter().map(|m| m.employee_id.clone()).collect(),
    };
    let kind = if regular_held {
        MeetingKind::AdHoc
    } else {
        MeetingKind::Regular
    };
    let last_place = last.map(|(meeting, _)| meeting.place);
    let draft = draft.unwrap_or_else(|| MeetingDraft {
        held_on: held_on.to_string(),
        starts_at: usual_start.clone(),
        ends_at: club
            .usual_end
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_else(|| rules.default_end.clone()),
        kind: kind.code().into(),
        place: club.usual_place.clone().or(last_place).unwrap_or_default(),
        attendees,
        ..Default::default()
    });
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert(
        "club",
        &serde_json::json!({ "id": club.id, "name": club.name }),
    );
    ctx.insert("members", &current);
    ctx.insert("draft", &draft_json(&draft));
    ctx.insert("today", &today.to_string());
    ctx.insert("meeting_id", &meeting_id);
    let status = status_of(&errors);
    ctx.insert("errors", &errors);
    render_with_status(state, "clubs/meeting_form.html", &ctx, status)
}

fn draft_json(d: &MeetingDraft) -> serde_json::Value {
    let mut books: Vec<serde_json::Value> = d
        .books
        .iter()
        .map(|b| serde_json::json!({ "title": b.title, "price": b.price }))
        .collect();
    books.resize(3, serde_json::json!({ "title": "", "price": "" }));
    serde_json::json!({
        "held_on": d.held_on, "starts_at": d.starts_at, "ends_at": d.ends_at, "kind": d.kind, "place": d.place,
        "topic": d.topic, "notes": d.notes, "inside_work_hours": d.inside_work_hours, "inside_reason": d.inside_reason,
        "attendees": d.attendees, "advisor_name": d.advisor_name, "advisor_fee": d.advisor_fee, "books": books,
    })
}

pub async fn new_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
) -> AppResult<HttpResponse> {
    if !access.can_log_meetings() {
        return Err(AppError::Forbidden);
    }
    meeting_form(&state, &user, &csrf, access, None, None, HashMap::new()).await
}

/// Reads the meeting form: repeated `attendees`, a checkbox, three book rows.
fn meeting_draft_from_form(
    pairs: Vec<(String, String)>,
) -> Result<MeetingDraft, (MeetingDraft, AppError)> {
    let mut d = MeetingDraft::default();
    let mut books: [(String, String); 3] = Default::default();
    let mut fee = String::new();
    for (key, value) in pairs {
        match key.as_str() {
            "held_on" => d.held_on = value,
            "starts_at" => d.starts_at = value,
            "ends_at" => d.ends_at = value,
            "kind" => d.kind = value,
            "place" => d.place = value,
            "topic" => d.topic = value,
            "notes" => d.notes = value,
            "inside_work_hours" => d.inside_work_hours = !value.is_empty(),
            "inside_reason" => d.inside_reason = Some(value),
            "attendees" => d.attendees.push(value),
            "advisor_name" => d.advisor_name = Some(value),
            "advisor_fee" => fee = value,
            k => {
                if let Some((kind, n)) = k
                    .rsplit_once('_')
                    .and_then(|(kind, n)| Some((kind, n.parse::<usize>().ok()?)))
                {
                    if (1..=3).contains(&n) {
                        match kind {
                            "book_title" => books[n - 1].0 = value,
                            "book_price" => books[n - 1].1 = value,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    let mut problem = None;
    let fee = fee.replace(',', "");
    if !fee.trim().is_empty() {
        match fee.trim().parse::<i64>() {
            Ok(f) => d.advisor_fee = Some(f),
            Err(_) => {
                problem = Some(AppError::validation(
                    "advisor_fee",
                    "자문 수당은 원 단위 숫자로 적으세요.",
                ))
            }
        }
    }
    for (title, price) in books {
        if title.trim().is_empty() && price.trim().is_empty() {
            continue;
        }
        match price.replace(',', "").trim().parse::<i64>() {
            Ok(price) => d.books.push(BookDraft { title, price }),
            Err(_) => {
                problem = problem.or(Some(AppError::validation(
                    "books",
                    "도서 가격은 원 단위 숫자로 적으세요.",
                )))
            }
        }
    }
    match problem {
        None => Ok(d),
        Some(e) => Err((d, e)),
    }
}

pub async fn log_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    if !access.can_log_meetings() {
        return Err(AppError::Forbidden);
    }
    save_meeting(&state, user, csrf, access, None, form.0).await
}

/// Logs (`meeting_id` None) or changes a meeting from the form; on any
/// problem the form comes back with the input and the message.
async fn save_meeting(
    state: &AppState,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    meeting_id: Option<String>,
    pairs: Vec<(String, String)>,
) -> AppResult<HttpResponse> {
    let (draft, problem) = match meeting_draft_from_form(pairs) {
        Ok(d) => (d, None),
        Err((d, e)) => (d, Some(e)),
    };
    let result = match problem {
        Some(e) => Err(e),
        None => {
            let (settings, now) = (state.settings.clone(), state.clock.now_naive());
            let (for_tx, id, typed) = (access.clone(), meeting_id.clone(), draft.clone());
            let reactions = state.reactions;
            state
                .tx(move |conn| {
                    let rules = policy::of(conn, &settings, &for_tx.club.organization_id)?.clubs;
                    let input = typed.validate(&rules)?;
                    match &id {
                        None => {
                            service::log_meeting(conn, &settings, &reactions, &for_tx, &input, now)
                                .map(|(_, w)| w)
                        }
                        Some(id) => service::edit_meeting(
                            conn, &settings, &reactions, &for_tx, id, &input, now,
                        ),
                    }
                })
                .await
        }
    };
    match result {
        Ok(warnings) => {
            let done = match (&meeting_id, warnings.second_regular_in_month) {
                (Some(_), _) => "meeting-edited",
                (None, true) => "meeting-second",
                (None, false) => "meeting",
            };
            Ok(see_other(&format!("/clubs/{}?done={done}", access.club.id)))
        }
        Err(e) => {
            meeting_form(
                state,
                &user,
                &csrf,
                access,
                meeting_id.as_deref(),
                Some(draft),
                field_errors(e)?,
            )
            .await
        }
    }
}

fn draft_of(m: &views::MeetingView) -> MeetingDraft {
    MeetingDraft {
        held_on: m.held_on.to_string(),
        starts_at: m.starts_at.clone(),
        ends_at: m.ends_at.clone(),
        kind: m.kind.code().to_string(),
        place: m.place.clone(),
        topic: m.topic.clone(),
        notes: m.notes.clone(),
        inside_work_hours: m.inside_work_hours,
        inside_reason: m.inside_reason.clone(),
        attendees: m.attendees.iter().map(|a| a.id.clone()).collect(),
        advisor_name: m.advisor.as_ref().map(|a| a.name.clone()),
        advisor_fee: m.advisor.as_ref().map(|a| i64::from(a.fee)),
        books: m
            .books
            .iter()
            .map(|b| BookDraft {
                title: b.title.clone(),
                price: i64::from(b.price),
            })
            .collect(),
    }
}

pub async fn edit_meeting_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let meeting_id = path.into_inner().1;
    let club_id = access.club.id.clone();
    let id = meeting_id.clone();
    let view = state
        .db(move |conn| {
            let meeting = model::meeting_by_id(conn, &id)?;
            if meeting.club_id != club_id {
                return Err(AppError::NotFound);
            }
            Ok(views::meeting_views(conn, vec![meeting])?.remove(0))
        })
        .await?;
    if !(access.can_manage() || (access.is_member() && view.created_by == access.employee_id)) {
        return Err(AppError::Forbidden);
    }
    meeting_form(
        &state,
        &user,
        &csrf,
        access,
        Some(&meeting_id),
        Some(draft_of(&view)),
        HashMap::new(),
    )
    .await
}

pub async fn edit_meeting(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let meeting_id = path.into_inner().1;
    save_meeting(&state, user, csrf, access, Some(meeting_id), form.0).await
}
