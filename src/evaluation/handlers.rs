//! The evaluation JSON API.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

use super::awards::{self, AwardChoice};
use super::model::{self, ReportText, Round};
use super::service::{self, RoundInput};
use super::views;
use crate::auth::{Admin, CurrentUser, Evaluator};
use crate::clubs::service::ClubAccess;
use crate::config::{PrizeSetting, RubricSetting};
use crate::db::view_marks::{kept_view, ViewKind};
use crate::db::DbConn;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::paging::{json_bytes, kept_json, PageQuery};
use crate::org::policy::PrizeTier;
use crate::state::AppState;

/// The round, if it is the caller's organization's; otherwise not found.
pub fn load_round(conn: &mut DbConn, id: &str, organization_id: &str) -> AppResult<Round> {
    let round = model::round_by_id(conn, id)?;
    if round.organization_id != organization_id {
        return Err(AppError::NotFound);
    }
    Ok(round)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RubricItem {
    pub name: String,
    pub weight: i32,
    pub max_points: i32,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PrizeItem {
    /// `grand` (최우수), `excellent` (우수) or `encouragement` (장려).
    pub tier: String,
    pub winners: i32,
    pub amount_krw: i64,
}

/// Opening a round. Omitted rubric, prizes and rules take the configured
/// defaults (seed 002's prize table).
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenRoundBody {
    /// `2026H2`.
    pub half: String,
    #[serde(default)]
    pub title: String,
    /// Dates in Seoul time, both inclusive: `2026-12-01`.
    pub submit_from: String,
    pub submit_until: String,
    pub score_from: String,
    pub score_until: String,
    /// Employee numbers of evaluators (they need the evaluator role).
    pub evaluators: Vec<String>,
    /// `mean` or `trimmed_mean`.
    pub combination: Option<String>,
    pub trim_min_evaluators: Option<i32>,
    /// 0: every evaluator scores every club.
    pub evaluators_per_club: Option<i32>,
    pub rubric: Option<Vec<RubricItem>>,
    pub prizes: Option<Vec<PrizeItem>>,
}

impl OpenRoundBody {
    pub fn into_input(self, defaults: &crate::config::EvaluationSettings) -> RoundInput {
        RoundInput {
            half: self.half,
            title: self.title,
            submit_from: self.submit_from,
            submit_until: self.submit_until,
            score_from: self.score_from,
            score_until: self.score_until,
            combination: self
                .combination
                .unwrap_or_else(|| defaults.combination.clone()),
            trim_min_evaluators: self
                .trim_min_evaluators
                .unwrap_or(defaults.trim_min_evaluators),
            evaluators_per_club: self
                .evaluators_per_club
                .unwrap_or(defaults.evaluators_per_club),
            evaluators: self.evaluators,
            rubric: match self.rubric {
                Some(items) => items
                    .into_iter()
                    .map(|i| RubricSetting {
                        name: i.name,
                        weight: i.weight,
                        max_points: i.max_points,
                    })
                    .collect(),
                None => defaults.rubric.clone(),
            },
            prizes: match self.prizes {
                Some(items) => items
                    .into_iter()
                    .map(|i| PrizeSetting {
                        tier: i.tier,
                        winners: i.winners,
                        amount_krw: i.amount_krw,
                    })
                    .collect(),
                None => defaults.prizes.clone(),
            },
        }
    }
}

/// Every round, newest first.
#[utoipa::path(get, path = "/api/v1/evaluation/rounds", tag = "evaluation", security(("bearer" = [])),
    responses((status = 200, description = "{\"items\": [round…]}")))]
pub async fn list_rounds(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let items = state
        .db(move |conn| {
            model::all_rounds(conn, &user.employee.organization_id)?
                .iter()
                .map(|r| views::round_view(conn, r, now))
                .collect::<AppResult<Vec<_>>>()
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "total": items.len(), "items": items })))
}

/// Open a round (administrators): notifies presidents and evaluators.
#[utoipa::path(post, path = "/api/v1/evaluation/rounds", tag = "evaluation", security(("bearer" = [])), request_body = OpenRoundBody,
    responses((status = 201, description = "the round"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open_round(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<OpenRoundBody>,
) -> AppResult<HttpResponse> {
    let (settings, organization_id) = (
        state.settings.clone(),
        admin.0.employee.organization_id.clone(),
    );
    let defaults = state
        .db(move |conn| Ok(crate::org::policy::of(conn, &settings, &organization_id)?.evaluation))
        .await?;
    let input = body.into_inner().into_input(&defaults);
    let now = state.clock.now_naive();
    let st = state.clone();
    let view = state
        .bulk_tx(move |conn| {
            let id = service::open_round(
                conn,
                &st.templates,
                &st.settings,
                &input,
                &admin.0.employee,
                now,
            )?;
            {
                let round = load_round(conn, &id, &admin.0.employee.organization_id)?;
                views::round_view(conn, &round, now)
            }
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[utoipa::path(get, path = "/api/v1/evaluation/rounds/{round_id}", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path)), responses((status = 200, description = "the round"), (status = 404, body = ErrorBody)))]
pub async fn get_round(
    state: web::Data<AppState>,
    _user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let view = state
        .db(move |conn| {
            let round = load_round(conn, &path, &_user.employee.organization_id)?;
            views::round_view(conn, &round, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct WindowsBody {
    /// Seoul dates, both ends inclusive: `2026-12-01`.
    pub submit_from: String,
    pub submit_until: String,
    pub score_from: String,
    pub score_until: String,
    /// End scoring now (every assigned score must be in).
    #[serde(default)]
    pub close_scoring: bool,
    pub reason: String,
}

/// Move a round's windows until it is confirmed (administrators, with a
/// reason); answers the round.
#[utoipa::path(put, path = "/api/v1/evaluation/rounds/{round_id}/windows", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path)), request_body = WindowsBody,
    responses((status = 200, description = "the round"), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn change_windows(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    body: web::Json<WindowsBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let body = body.into_inner();
    let windows = service::Windows::parse(
        &body.submit_from,
        &body.submit_until,
        &body.score_from,
        &body.score_until,
    )?;
    let view = state
        .tx(move |conn| {
            let round = load_round(conn, &path, &admin.0.employee.organization_id)?;
            let round = service::change_windows(
                conn,
                &round,
                windows,
                body.close_scoring,
                &body.reason,
                admin.0.id(),
                now,
            )?;
            views::round_view(conn, &round, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReportBody {
    pub study_task: String,
    pub activities: String,
    pub outcomes: String,
    #[serde(default)]
    pub proposals: String,
    /// Attachments as links.
    #[serde(default)]
    pub links: Vec<String>,
}

impl ReportBody {
    pub fn text(&self) -> ReportText {
        ReportText {
            study_task: self.study_task.trim().to_string(),
            activities: self.activities.trim().to_string(),
            outcomes: self.outcomes.trim().to_string(),
            proposals: self.proposals.trim().to_string(),
            links: self
                .links
                .iter()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }
}

/// A club's results report (every employee may read a submitted one).
#[utoipa::path(get, path = "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/report", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), ("club_id" = String, Path)), responses((status = 200, description = "the report"), (status = 404, body = ErrorBody)))]
pub async fn get_report(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let club_id = access.club.id.clone();
    let report = state
        .db(move |conn| {
            let round = load_round(conn, &path.0, &access.club.organization_id)?;
            views::report_view(conn, &round, &club_id)
        })
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(report))
}

/// Submit or revise the club's results report (its president) inside the
/// window, or inside a reopening; the first submission assigns evaluators.
#[utoipa::path(put, path = "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/report", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), ("club_id" = String, Path)), request_body = ReportBody,
    responses((status = 200, description = "the report"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_report(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<ReportBody>,
) -> AppResult<HttpResponse> {
    let text = body.text();
    let now = state.clock.now_naive();
    let report = state
        .tx(move |conn| {
            let round = load_round(conn, &path.0, &access.club.organization_id)?;
            service::submit_report(conn, &round, &access, &text, now)?;
            views::report_view(conn, &round, &access.club.id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReopenBody {
    /// The last day (Seoul) the club may submit: `2026-12-18`.
    pub until: String,
    pub reason: String,
}

/// Let one club submit after the window (administrators).
#[utoipa::path(post, path = "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/reopen", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), ("club_id" = String, Path)), request_body = ReopenBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reopen(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<(String, String)>,
    body: web::Json<ReopenBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    state
        .tx(move |conn| {
            let round = load_round(conn, &path.0, &admin.0.employee.organization_id)?;
            service::reopen(
                conn,
                &round,
                &path.1,
                &body.until,
                &body.reason,
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The clubs assigned to the calling evaluator, with their points so far.
#[utoipa::path(get, path = "/api/v1/evaluation/rounds/{round_id}/sheets", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path)), responses((status = 200, description = "{\"items\": [sheet…]}"), (status = 403, body = ErrorBody)))]
pub async fn my_sheets(
    state: web::Data<AppState>,
    evaluator: Evaluator,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let items = state
        .db(move |conn| {
            let round = load_round(conn, &path, &evaluator.0.employee.organization_id)?;
            views::sheets_of(conn, &round, evaluator.0.id())
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "total": items.len(), "items": items })))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoresBody {
    /// Points by criterion id, every criterion of the rubric.
    pub points: HashMap<String, i32>,
    #[serde(default)]
    pub comment: String,
}

/// Score a club (its assigned evaluator, during the scoring window). Every
/// save is kept in the audit trail.
#[utoipa::path(put, path = "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/scores", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), ("club_id" = String, Path)), request_body = ScoresBody,
    responses((status = 200, description = "the club's sheet as saved"), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_scores(
    state: web::Data<AppState>,
    evaluator: Evaluator,
    path: web::Path<(String, String)>,
    body: web::Json<ScoresBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let body = body.into_inner();
    let sheet = state
        .tx(move |conn| {
            let round = load_round(conn, &path.0, &evaluator.0.employee.organization_id)?;
            service::save_scores(
                conn,
                &round,
                &path.1,
                evaluator.0.id(),
                &body.points,
                &body.comment,
                now,
            )?;
            views::sheets_of(conn, &round, evaluator.0.id())?
                .into_iter()
                .find(|s| s.club_id == path.1)
                .ok_or(AppError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(sheet))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReassignBody {
    /// The evaluator's employee id to take off this club.
    pub remove: Option<String>,
    /// The employee number of an evaluator to put on it.
    pub add: Option<String>,
}

/// Reassign a club's evaluators (administrators).
#[utoipa::path(post, path = "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/assignments", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), ("club_id" = String, Path)), request_body = ReassignBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reassign(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<(String, String)>,
    body: web::Json<ReassignBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let body = body.into_inner();
    state
        .tx(move |conn| {
            let round = load_round(conn, &path.0, &admin.0.employee.organization_id)?;
            service::reassign(
                conn,
                &round,
                &path.1,
                body.remove.as_deref(),
                body.add.as_deref(),
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StandingsQuery {
    /// Only clubs whose name contains this text.
    pub club: Option<String>,
}

/// Progress and one page of the ranking with the proposed awards
/// (administrators).
#[utoipa::path(get, path = "/api/v1/evaluation/rounds/{round_id}/standings", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), PageQuery, StandingsQuery),
    responses((status = 200, description = "a page of rows (`total` over all pages), the whole proposal, scoring progress, tie rule, clubs without a report"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_standings(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    paging: web::Query<PageQuery>,
    filter: web::Query<StandingsQuery>,
) -> AppResult<HttpResponse> {
    let (offset, limit) = paging.window()?;
    let club = filter.into_inner().club.unwrap_or_default();
    let (views, pages) = (state.views.clone(), state.pages.clone());
    let page = state
        .db(move |conn| {
            let round = load_round(conn, &path, &admin.0.employee.organization_id)?;
            let office = &round.organization_id;
            let key = format!("standings/{}/{offset}/{limit}/{club}", round.id);
            kept_view(conn, &pages, office, ViewKind::Standings, &key, |conn| {
                let standings = awards::kept_standings(conn, &views, &round)?;
                AppResult::Ok(json_bytes(&standings.page(conn, offset, limit, &club)?))
            })
        })
        .await?;
    Ok(kept_json(&page))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AwardItem {
    pub club_id: String,
    pub tier: String,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ConfirmBody {
    /// Omit to confirm the proposal; give to adjust it (with a reason).
    pub awards: Option<Vec<AwardItem>>,
    pub reason: Option<String>,
}

pub fn parse_choices(items: Option<Vec<AwardItem>>) -> AppResult<Option<Vec<AwardChoice>>> {
    items
        .map(|items| {
            items
                .into_iter()
                .map(|i| {
                    let tier = PrizeTier::parse(&i.tier).ok_or_else(|| {
                        AppError::validation(
                            "awards",
                            format!(
                                "{} 시상 등급이 아닙니다.",
                                crate::korean::with(
                                    &format!("'{}'", i.tier),
                                    crate::korean::Particle::Topic
                                )
                            ),
                        )
                    })?;
                    Ok(AwardChoice {
                        club_id: i.club_id,
                        tier,
                    })
                })
                .collect()
        })
        .transpose()
}

/// Confirm the results (administrators): final; repeating it is harmless.
#[utoipa::path(post, path = "/api/v1/evaluation/rounds/{round_id}/confirm", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path)), request_body = ConfirmBody,
    responses((status = 200, description = "the results"), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn confirm(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    body: Option<web::Json<ConfirmBody>>,
) -> AppResult<HttpResponse> {
    let body = body.map(|b| b.into_inner()).unwrap_or_default();
    let choices = parse_choices(body.awards)?;
    let now = state.clock.now_naive();
    let st = state.clone();
    let results = state
        .bulk_tx(move |conn| {
            let round = load_round(conn, &path, &admin.0.employee.organization_id)?;
            let newly = awards::confirm(
                conn,
                &st.settings,
                &round,
                choices,
                body.reason.as_deref(),
                admin.0.id(),
                now,
            )?;
            let round = load_round(conn, &path, &admin.0.employee.organization_id)?;
            Ok((newly, views::results(conn, &round, now)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "newly_confirmed": results.0, "results": results.1 })))
}

/// The confirmed results: prizes, top contributors, overseas list.
#[utoipa::path(get, path = "/api/v1/evaluation/rounds/{round_id}/results", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path)), responses((status = 200, description = "the results"), (status = 409, body = ErrorBody)))]
pub async fn get_results(
    state: web::Data<AppState>,
    _user: CurrentUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let results = state
        .db(move |conn| {
            let round = load_round(conn, &path, &_user.employee.organization_id)?;
            views::results(conn, &round, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(results))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ContributorBody {
    pub employee_no: String,
    #[serde(default)]
    pub reason: String,
}

/// Recommend a top contributor (the president of a 최우수 or 우수 club):
/// two per club, members of the club during the half.
#[utoipa::path(post, path = "/api/v1/evaluation/rounds/{round_id}/clubs/{club_id}/contributors", tag = "evaluation", security(("bearer" = [])),
    params(("round_id" = String, Path), ("club_id" = String, Path)), request_body = ContributorBody,
    responses((status = 201), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn recommend(
    state: web::Data<AppState>,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    body: web::Json<ContributorBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let settings = state.settings.clone();
    state
        .tx(move |conn| {
            let round = load_round(conn, &path.0, &access.club.organization_id)?;
            awards::recommend(
                conn,
                &settings,
                &round,
                &access,
                &body.employee_no,
                &body.reason,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().finish())
}
