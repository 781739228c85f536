//! The leaderboards API: boards of people and of clubs, my choice to be
//! left out, a club's default, and the knowledge king.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::board::{self, Ask, ClubBoard, PeopleBoard, Scope};
use super::choice::{self, MyChoice};
use super::king::{self, KingView};
use crate::auth::{Admin, CurrentUser};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::period::{Period, PeriodKind};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct BoardQuery {
    /// `2026-11` (a month), `2026H2` (a half-year) or `2026` (a year);
    /// default: this month.
    pub period: Option<String>,
    /// `office` (default), `department` or `club`.
    pub scope: Option<String>,
    /// For `scope=club`: one of my clubs.
    pub club_id: Option<String>,
}

/// The period a query names, or this month.
pub fn period_of(text: Option<&str>, today: chrono::NaiveDate) -> AppResult<Period> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Period::of_kind(PeriodKind::Month, today)),
        Some(t) => Period::parse(t)
            .ok_or_else(|| AppError::validation("period", "period is 2026-11, 2026H2 or 2026")),
    }
}

pub fn scope_of(text: Option<&str>) -> AppResult<Scope> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Scope::Office),
        Some(t) => Scope::parse(t)
            .ok_or_else(|| AppError::validation("scope", "scope is office, department or club")),
    }
}

/// A board of people: mileage credited in the period, the top N (ties at
/// the edge included) and my own place; nobody else below N, and nobody
/// who chose to be left out.
#[utoipa::path(get, path = "/api/v1/leaderboards/people", tag = "leaderboards", security(("bearer" = [])),
    params(BoardQuery),
    responses((status = 200, body = PeopleBoard), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn people(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let period = period_of(query.period.as_deref(), today)?;
    let scope = scope_of(query.scope.as_deref())?;
    let top_n = state.settings.leaderboard.top_n;
    let kept = state.boards.clone();
    let board = state
        .db(move |conn| {
            let ask = Ask {
                period,
                scope,
                club_id: query.club_id.as_deref(),
                top_n,
                today,
            };
            board::people(conn, &kept, &user.employee, &ask)
        })
        .await?;
    Ok(HttpResponse::Ok().json(board))
}

/// Clubs by mileage per member in the period: the top N and my clubs.
#[utoipa::path(get, path = "/api/v1/leaderboards/clubs", tag = "leaderboards", security(("bearer" = [])),
    params(BoardQuery),
    responses((status = 200, body = ClubBoard), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn clubs(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let period = period_of(query.period.as_deref(), today)?;
    let top_n = state.settings.leaderboard.top_n;
    let kept = state.boards.clone();
    let board = state
        .db(move |conn| {
            let ask = Ask {
                period,
                scope: Scope::Office,
                club_id: None,
                top_n,
                today,
            };
            board::clubs(conn, &kept, &user.employee, &ask)
        })
        .await?;
    Ok(HttpResponse::Ok().json(board))
}

/// My choice to be left out of others' boards.
#[utoipa::path(get, path = "/api/v1/me/leaderboard-choice", tag = "leaderboards", security(("bearer" = [])),
    responses((status = 200, body = MyChoice), (status = 401, body = ErrorBody)))]
pub async fn my_choice(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let choice = state
        .db(move |conn| choice::mine(conn, &user.employee.id, today))
        .await?;
    Ok(HttpResponse::Ok().json(choice))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ChoiceBody {
    /// `true`: leave me out; `false`: show me; null: follow my clubs.
    pub hidden: Option<bool>,
}

/// Be left out of others' boards, or shown, at once. I still see my own
/// place; left out, I also leave the monthly top-N vouchers.
#[utoipa::path(put, path = "/api/v1/me/leaderboard-choice", tag = "leaderboards", security(("bearer" = [])),
    request_body = ChoiceBody,
    responses((status = 200, body = MyChoice), (status = 401, body = ErrorBody)))]
pub async fn choose(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<ChoiceBody>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let choice = state
        .tx(move |conn| choice::choose(conn, &user.employee.id, body.hidden, today, now))
        .await?;
    Ok(HttpResponse::Ok().json(choice))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct ClubDefaultBody {
    /// Leave the members who have not chosen out of others' boards.
    pub hidden: bool,
}

/// A club's default for its members who have not chosen (its president
/// or an administrator).
#[utoipa::path(put, path = "/api/v1/clubs/{club_id}/leaderboard-default", tag = "leaderboards", security(("bearer" = [])),
    params(("club_id" = String, Path, description = "the club")), request_body = ClubDefaultBody,
    responses((status = 200, body = ClubDefaultBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn club_default(
    state: web::Data<AppState>,
    user: CurrentUser,
    club_id: web::Path<String>,
    body: web::Json<ClubDefaultBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let hidden = state
        .tx(move |conn| choice::set_club_default(conn, &club_id, &user, body.hidden, now))
        .await?;
    Ok(HttpResponse::Ok().json(ClubDefaultBody { hidden }))
}

fn year_of(text: &str) -> AppResult<i32> {
    match Period::parse(text) {
        Some(Period::Year(year)) => Ok(year),
        _ => Err(AppError::validation(
            "year",
            "year is four digits, e.g. 2025",
        )),
    }
}

/// A year's knowledge king: the proposal with the runners-up and the tie
/// rule, and the confirmed king once an administrator confirmed one.
#[utoipa::path(get, path = "/api/v1/knowledge-kings/{year}", tag = "leaderboards", security(("bearer" = [])),
    params(("year" = String, Path, description = "e.g. 2025")),
    responses((status = 200, body = KingView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_king(
    state: web::Data<AppState>,
    user: CurrentUser,
    year: web::Path<String>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let year = year_of(&year)?;
    let view = state
        .db(move |conn| king::view(conn, &user.employee.organization_id, year, today))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConfirmKingBody {
    /// Someone other than the proposal (then `reason` is required).
    pub employee_id: Option<String>,
    #[serde(default)]
    pub reason: String,
}

/// Confirm a year's knowledge king once the year is over (administrators):
/// the proposal, or another person with a reason. 409 when confirmed.
#[utoipa::path(post, path = "/api/v1/knowledge-kings/{year}", tag = "leaderboards", security(("bearer" = [])),
    params(("year" = String, Path, description = "e.g. 2025")), request_body = ConfirmKingBody,
    responses((status = 201, body = KingView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm_king(
    state: web::Data<AppState>,
    admin: Admin,
    year: web::Path<String>,
    body: Option<web::Json<ConfirmKingBody>>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let year = year_of(&year)?;
    let body = body.map(web::Json::into_inner).unwrap_or_default();
    let view = state
        .tx(move |conn| {
            king::confirm(
                conn,
                &admin.0.employee.organization_id,
                year,
                body.employee_id.as_deref(),
                &body.reason,
                admin.0.id(),
                today,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}
