//! The leaderboard pages: the boards with my own place and my choice to be
//! left out; the knowledge king (proposal and confirmation for
//! administrators, the hall of past kings for everyone).

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::board::{self, Ask, Scope};
use super::handlers::{period_of, scope_of};
use super::{choice, king};
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::clubs::service::ClubAccess;
use crate::error::{AppError, AppResult};
use crate::http::{field_errors, render, render_with_status, see_other, status_of};
use crate::period::{Period, PeriodKind};
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct BoardQuery {
    pub period: Option<String>,
    pub scope: Option<String>,
    pub club_id: Option<String>,
    /// `clubs` for the clubs' board.
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub done: String,
}

/// The boards: periods and scopes as links, the top N, my place, my
/// choice, and the knowledge kings of past years.
pub async fn index(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    query: web::Query<BoardQuery>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let query = query.into_inner();
    let period = period_of(query.period.as_deref(), today)?;
    let scope = scope_of(query.scope.as_deref())?;
    let top_n = state.settings.leaderboard.top_n;
    let clubs_view = query.view == "clubs";
    let viewer = user.clone();
    let kept = state.boards.clone();
    let (people, clubs, my_clubs, mine, hall, president_of) = state
        .db(move |conn| {
            let my_clubs = crate::clubs::model::club_ids_of(conn, &viewer.employee.id, today)?;
            let club_id = query
                .club_id
                .clone()
                .or_else(|| my_clubs.iter().min().cloned());
            let ask = Ask {
                period,
                scope,
                club_id: club_id.as_deref(),
                top_n,
                today,
            };
            let (people, clubs) = if clubs_view {
                (
                    None,
                    Some(board::clubs(conn, &kept, &viewer.employee, &ask)?),
                )
            } else {
                (
                    Some(board::people(conn, &kept, &viewer.employee, &ask)?),
                    None,
                )
            };
            let mut names: Vec<(String, String)> = crate::clubs::model::active_club_names(
                conn,
                &my_clubs.into_iter().collect::<Vec<_>>(),
            )?
            .into_iter()
            .collect();
            names.sort();
            let president_of = match &club_id {
                Some(id) if scope == Scope::Club => {
                    let access = ClubAccess::load(conn, id, &viewer)?;
                    access
                        .can_manage()
                        .then(|| crate::leaderboard::model::club_default(conn, id))
                        .transpose()?
                        .map(|hidden| (id.clone(), hidden))
                }
                _ => None,
            };
            Ok((
                people,
                clubs,
                names,
                choice::mine(conn, &viewer.employee.id, today)?,
                king::hall(conn, &viewer.employee.organization_id)?,
                president_of,
            ))
        })
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("people", &people);
    ctx.insert("clubs", &clubs);
    ctx.insert("my_clubs", &my_clubs);
    ctx.insert(
        "choice_code",
        match mine.hidden {
            Some(true) => "hidden",
            Some(false) => "shown",
            None => "default",
        },
    );
    ctx.insert("choice", &mine);
    ctx.insert("hall", &hall);
    ctx.insert("club_default", &president_of);
    ctx.insert("period", &period.to_string());
    ctx.insert("scope", scope.code());
    ctx.insert("view", if clubs_view { "clubs" } else { "people" });
    ctx.insert("periods", &period_links(today));
    ctx.insert("done", &query.done);
    render(&state, "leaderboard/index.html", &ctx)
}

/// This month, the last two, this half-year and this year, as links.
fn period_links(today: chrono::NaiveDate) -> Vec<(String, String)> {
    let this_month = Period::of_kind(PeriodKind::Month, today);
    let last = Period::previous_month(today);
    let before = Period::previous_month(last.from());
    [
        this_month,
        last,
        before,
        Period::of_kind(PeriodKind::Half, today),
        Period::of_kind(PeriodKind::Year, today),
    ]
    .into_iter()
    .map(|p| (p.to_string(), p.label_ko()))
    .collect()
}

#[derive(Debug, Deserialize)]
pub struct ChoiceForm {
    /// `hidden`, `shown` or `default`.
    #[serde(default)]
    pub choice: String,
}

pub async fn choose(
    state: web::Data<AppState>,
    user: CurrentUser,
    form: CsrfForm<ChoiceForm>,
) -> AppResult<HttpResponse> {
    let hidden = match form.0.choice.as_str() {
        "hidden" => Some(true),
        "shown" => Some(false),
        "default" => None,
        _ => return Err(AppError::validation("choice", "공개 여부를 골라 주세요.")),
    };
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    state
        .tx(move |conn| choice::choose(conn, &user.employee.id, hidden, today, now))
        .await?;
    Ok(see_other("/leaderboards?done=choice"))
}

#[derive(Debug, Deserialize)]
pub struct ClubDefaultForm {
    #[serde(default)]
    pub hidden: String,
}

pub async fn club_default(
    state: web::Data<AppState>,
    user: CurrentUser,
    club_id: web::Path<String>,
    form: CsrfForm<ClubDefaultForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let hidden = form.0.hidden == "true";
    let id = club_id.clone();
    state
        .tx(move |conn| choice::set_club_default(conn, &id, &user, hidden, now))
        .await?;
    Ok(see_other(&format!(
        "/leaderboards?scope=club&club_id={club_id}&done=club_default"
    )))
}

#[derive(Debug, Deserialize)]
pub struct KingQuery {
    pub year: Option<i32>,
    #[serde(default)]
    pub done: String,
}

async fn king_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    csrf: &CsrfToken,
    year: i32,
    done: &str,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let today = state.clock.today();
    let organization_id = admin.0.employee.organization_id.clone();
    let view = state
        .db(move |conn| king::view(conn, &organization_id, year, today))
        .await?;
    let mut ctx = page_context(Some(&admin.0), csrf);
    ctx.insert("king", &view);
    ctx.insert("done", done);
    ctx.insert("errors", &errors);
    render_with_status(state, "leaderboard/king.html", &ctx, status_of(&errors))
}

/// The knowledge king of a year (default: last year): the proposal and
/// runners-up, the tie rule, and the form to confirm.
pub async fn king_show(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    query: web::Query<KingQuery>,
) -> AppResult<HttpResponse> {
    use chrono::Datelike;
    let year = query.year.unwrap_or(state.clock.today().year() - 1);
    if !crate::clock::YEARS.contains(&year) {
        return Err(AppError::validation("year", "연도를 확인해 주세요."));
    }
    king_page(&state, &admin, &csrf, year, &query.done, HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct KingForm {
    #[serde(default)]
    pub employee_id: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn king_confirm(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    year: web::Path<i32>,
    form: CsrfForm<KingForm>,
) -> AppResult<HttpResponse> {
    let year = year.into_inner();
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let form = form.0;
    let result = state
        .tx(move |conn| {
            king::confirm(
                conn,
                &organization_id,
                year,
                Some(&form.employee_id),
                &form.reason,
                &by,
                today,
                now,
            )
        })
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/knowledge-kings?year={year}&done=confirmed"
        ))),
        Err(e) => king_page(&state, &admin, &csrf, year, "", field_errors(e)?).await,
    }
}
