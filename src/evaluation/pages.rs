//! Evaluation pages: the rounds, opening one, a club's results report, an
//! evaluator's score sheet, the administrator's standings and confirmation,
//! the public results with top-contributor recommendations, and exports.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use tera::Context;

use super::awards;
use super::handlers::{load_round, parse_choices, AwardItem, OpenRoundBody};
use super::model::{self, ReportText};
use super::service::{self, Phase};
use super::views;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::clock::HalfYear;
use crate::clubs::model as clubs;
use crate::clubs::service::ClubAccess;
use crate::config::{PrizeSetting, RubricSetting};
use crate::error::{AppError, AppResult, Checks};
use crate::export;
use crate::http::paging::PageQuery;
use crate::http::{download, render, render_with_status, see_other};
use crate::org::model::Role;
use crate::org::policy::PrizeTier;
use crate::state::AppState;

/// Validation and state errors of a form, shown beside the fields (or on
/// top, under `_form`); anything else is an error page.
fn form_errors(e: AppError) -> AppResult<HashMap<String, String>> {
    match e {
        AppError::Conflict(message) => Ok(HashMap::from([(
            "_form".to_string(),
            crate::i18n::said(&message),
        )])),
        e => crate::http::field_errors(e),
    }
}

fn status_for(errors: &HashMap<String, String>) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else if errors.contains_key("_form") {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

pub async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let organization_id = user.employee.organization_id.clone();
    let rounds = state
        .db(move |conn| {
            model::all_rounds(conn, &organization_id)?
                .iter()
                .map(|r| views::round_view(conn, r, now))
                .collect::<AppResult<Vec<_>>>()
        })
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("rounds", &rounds);
    render(&state, "evaluation/list.html", &ctx)
}

// ---- opening a round ----

/// The opening form's fields: the rubric and prizes as numbered rows.
type Fields = HashMap<String, String>;

fn default_fields(state: &AppState, defaults: &crate::config::EvaluationSettings) -> Fields {
    let today = state.clock.today();
    let half = HalfYear::containing(today);
    let (m, year) = (if half.half == 1 { 7 } else { 12 }, today.year());
    let day = |d: u32| {
        NaiveDate::from_ymd_opt(year, m, d)
            .expect("valid")
            .to_string()
    };
    let mut f: Fields = [
        ("half", half.to_string()),
        ("submit_from", day(1)),
        ("submit_until", day(10)),
        ("score_from", day(11)),
        ("score_until", day(20)),
        ("combination", defaults.combination.clone()),
        (
            "trim_min_evaluators",
            defaults.trim_min_evaluators.to_string(),
        ),
        (
            "evaluators_per_club",
            defaults.evaluators_per_club.to_string(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (i, c) in defaults.rubric.iter().enumerate() {
        f.insert(format!("rubric_name_{i}"), c.name.clone());
        f.insert(format!("rubric_weight_{i}"), c.weight.to_string());
        f.insert(format!("rubric_max_{i}"), c.max_points.to_string());
    }
    for p in &defaults.prizes {
        f.insert(format!("winners_{}", p.tier), p.winners.to_string());
        f.insert(format!("amount_{}", p.tier), p.amount_krw.to_string());
    }
    f
}

const RUBRIC_ROWS: usize = 8;
/// A ticked evaluator's field: `evaluator_` and their employee number.
const EVALUATOR: &str = "evaluator_";

/// A whole number from the form (thousands commas allowed); a wrong one
/// is noted in `checks` and read as 0, so that the other fields are still
/// checked.
fn number<T: std::str::FromStr + Default>(
    checks: &mut Checks,
    fields: &Fields,
    key: &str,
    field: &str,
    label: &str,
) -> AppResult<T> {
    let raw = fields
        .get(key)
        .map(|s| s.trim().replace(',', ""))
        .unwrap_or_default();
    Ok(checks
        .take(
            raw.parse().map_err(|_| {
                AppError::validation(field, format!("{label}에는 숫자를 입력하세요."))
            }),
        )?
        .unwrap_or_default())
}

fn round_input(
    fields: &Fields,
    defaults: &crate::config::EvaluationSettings,
    checks: &mut Checks,
) -> AppResult<service::RoundInput> {
    let get = |k: &str| fields.get(k).cloned().unwrap_or_default();
    let mut rubric = Vec::new();
    for i in 0..RUBRIC_ROWS {
        let name = get(&format!("rubric_name_{i}"));
        if name.trim().is_empty() {
            continue;
        }
        let field = format!("rubric.{}", rubric.len());
        rubric.push(RubricSetting {
            name,
            weight: number(
                checks,
                fields,
                &format!("rubric_weight_{i}"),
                &field,
                "가중치",
            )?,
            max_points: number(checks, fields, &format!("rubric_max_{i}"), &field, "만점")?,
        });
    }
    let mut prizes = Vec::new();
    for tier in PrizeTier::ALL {
        prizes.push(PrizeSetting {
            tier: tier.code().into(),
            winners: number(
                checks,
                fields,
                &format!("winners_{}", tier.code()),
                "prizes",
                "선정 수",
            )?,
            amount_krw: number(
                checks,
                fields,
                &format!("amount_{}", tier.code()),
                "prizes",
                "포상금",
            )?,
        });
    }
    let body = OpenRoundBody {
        half: get("half"),
        title: get("title"),
        submit_from: get("submit_from"),
        submit_until: get("submit_until"),
        score_from: get("score_from"),
        score_until: get("score_until"),
        // Ticked on the form, or typed as employee numbers.
        evaluators: fields
            .keys()
            .filter_map(|k| k.strip_prefix(EVALUATOR))
            .map(str::to_string)
            .chain(
                get("evaluators")
                    .split([',', '\n', ' ', '\r'])
                    .filter(|s| !s.trim().is_empty())
                    .map(str::to_string),
            )
            .collect(),
        combination: Some(get("combination")),
        trim_min_evaluators: Some(number(
            checks,
            fields,
            "trim_min_evaluators",
            "trim_min_evaluators",
            "최소 평가위원 수",
        )?),
        evaluators_per_club: Some(number(
            checks,
            fields,
            "evaluators_per_club",
            "evaluators_per_club",
            "동아리당 평가위원 수",
        )?),
        rubric: None,
        prizes: None,
    };
    let mut input = body.into_input(defaults);
    input.rubric = rubric;
    input.prizes = prizes;
    Ok(input)
}

/// The form to open a round; the office's evaluators to tick, all of them
/// on a new form.
async fn new_round_page(
    state: &AppState,
    user: &CurrentUser,
    csrf: &CsrfToken,
    fields: &Fields,
    errors: &HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let organization_id = user.employee.organization_id.clone();
    let evaluators = state
        .db(move |conn| Ok(crate::org::model::evaluators(conn, &organization_id)?))
        .await?;
    // A form sent back keeps what was ticked, even nothing.
    let fresh = !fields.contains_key("evaluators_listed");
    let picked: Vec<serde_json::Value> = evaluators
        .into_iter()
        .map(|(no, name)| {
            let checked = fresh || fields.contains_key(&format!("{EVALUATOR}{no}"));
            serde_json::json!({ "employee_no": no, "name": name, "checked": checked })
        })
        .collect();
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert("evaluators", &picked);
    ctx.insert("f", fields);
    ctx.insert("errors", errors);
    ctx.insert("rubric_rows", &(0..RUBRIC_ROWS).collect::<Vec<_>>());
    ctx.insert("tiers", &PrizeTier::options());
    render_with_status(state, "evaluation/new.html", &ctx, status_for(errors))
}

/// The administrator's organization's defaults for a new round.
async fn round_defaults(
    state: &AppState,
    admin: &Admin,
) -> AppResult<crate::config::EvaluationSettings> {
    let (settings, organization_id) = (
        state.settings.clone(),
        admin.0.employee.organization_id.clone(),
    );
    state
        .db(move |conn| Ok(crate::org::policy::of(conn, &settings, &organization_id)?.evaluation))
        .await
}

pub async fn new_round(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let defaults = round_defaults(&state, &admin).await?;
    new_round_page(
        &state,
        &admin.0,
        &csrf,
        &default_fields(&state, &defaults),
        &HashMap::new(),
    )
    .await
}

pub async fn create_round(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    form: CsrfForm<Fields>,
) -> AppResult<HttpResponse> {
    let fields = form.0;
    let defaults = round_defaults(&state, &admin).await?;
    let mut checks = Checks::default();
    let input = round_input(&fields, &defaults, &mut checks)?;
    if checks.has_problems() {
        // The settings' own checks too, so that the form names every
        // wrong field at once.
        let (organization_id, checked) = (admin.0.employee.organization_id.clone(), input.clone());
        let problems = state
            .db(move |conn| {
                checks.take(service::check_round(conn, &organization_id, &checked))?;
                Ok(checks.done())
            })
            .await?;
        if let Err(e) = problems {
            return new_round_page(&state, &admin.0, &csrf, &fields, &form_errors(e)?).await;
        }
    }
    let (now, st, by) = (
        state.clock.now_naive(),
        state.clone(),
        admin.0.employee.clone(),
    );
    let result = state
        .bulk_tx(move |conn| {
            service::open_round(conn, &st.templates, &st.settings, &input, &by, now)
        })
        .await;
    match result {
        Ok(id) => Ok(see_other(&format!("/evaluation/{id}?done=opened"))),
        Err(e) => new_round_page(&state, &admin.0, &csrf, &fields, &form_errors(e)?).await,
    }
}

// ---- a round ----

#[derive(Debug, Deserialize)]
pub struct RoundPageQuery {
    page: Option<i64>,
    #[serde(default)]
    club: String,
    /// What was just done, to say so: `opened`, `reassigned`, `reopened`.
    #[serde(default)]
    done: String,
    /// The club whose score sheet was just saved.
    #[serde(default)]
    scored: String,
}

pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    path: web::Path<String>,
    query: web::Query<RoundPageQuery>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let RoundPageQuery {
        page,
        club,
        done,
        scored,
    } = query.into_inner();
    let paging = PageQuery {
        page,
        per_page: None,
    };
    let (offset, limit) = paging.window()?;
    let club_filter = club.clone();
    let (uid, is_admin, is_evaluator) = (
        user.id().to_string(),
        user.has_role(Role::Admin),
        user.has_role(Role::Evaluator),
    );
    let organization_id = user.employee.organization_id.clone();
    let kept = state.views.clone();
    let ctx_data = state
        .db(move |conn| {
            let round = load_round(conn, &path, &organization_id)?;
            let view = views::round_view(conn, &round, now)?;
            let standings = if is_admin {
                let standings = awards::kept_standings(conn, &kept, &round)?;
                Some(standings.page(conn, offset, limit, &club_filter)?)
            } else {
                None
            };
            let sheets = if is_evaluator {
                views::sheets_of(conn, &round, &uid)?
            } else {
                Vec::new()
            };
            // The clubs the caller presides over, with their report state.
            let mut mine = Vec::new();
            for membership in clubs::stints_of(conn, std::slice::from_ref(&uid))? {
                if membership.left_on.is_none() && membership.role() == clubs::MemberRole::President
                {
                    let club = clubs::club_by_id(conn, &membership.club_id)?;
                    let report = model::report_of(conn, &round.id, &club.id)?;
                    mine.push(serde_json::json!({
                        "club_id": club.id, "club_name": club.name,
                        "submitted_at": report.map(|r| crate::format::seoul_datetime(r.submitted_at)),
                    }));
                }
            }
            Ok((view, standings, sheets, mine))
        })
        .await?;
    let (view, standings, sheets, mine) = ctx_data;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("round", &view);
    if let Some(s) = &standings {
        ctx.insert("page", &paging.page.unwrap_or(1));
        ctx.insert("pages", &((s.total as i64 + limit - 1) / limit).max(1));
        ctx.insert("q_club", &club);
    }
    ctx.insert("standings", &standings);
    ctx.insert("sheets", &sheets);
    ctx.insert("mine", &mine);
    ctx.insert("tie_rule", &super::ranking::TIE_RULE_KO);
    ctx.insert("errors", &HashMap::<String, String>::new());
    ctx.insert("done", &done);
    ctx.insert("scored", &!scored.is_empty());
    render(&state, "evaluation/round.html", &ctx)
}

#[derive(Debug, Deserialize)]
pub struct ConfirmForm {
    /// One `club_id=tier` per line; empty confirms the proposal.
    #[serde(default)]
    awards: String,
    #[serde(default)]
    reason: String,
}

pub async fn confirm(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    form: CsrfForm<ConfirmForm>,
) -> AppResult<HttpResponse> {
    let ConfirmForm { awards, reason } = form.0;
    let items: Vec<AwardItem> = awards
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(club, tier)| AwardItem {
            club_id: club.trim().to_string(),
            tier: tier.trim().to_string(),
        })
        .collect();
    let choices = parse_choices(if items.is_empty() { None } else { Some(items) })?;
    let (now, id) = (state.clock.now_naive(), path.into_inner());
    let round_id = id.clone();
    let st = state.clone();
    state
        .bulk_tx(move |conn| {
            let round = load_round(conn, &round_id, &admin.0.employee.organization_id)?;
            let reason = Some(reason.as_str()).filter(|r| !r.trim().is_empty());
            awards::confirm(
                conn,
                &st.settings,
                &round,
                choices,
                reason,
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(see_other(&format!("/evaluation/{id}/results")))
}

#[derive(Debug, Deserialize)]
pub struct WindowsForm {
    submit_from: String,
    submit_until: String,
    score_from: String,
    score_until: String,
    /// A ticked box: end scoring now.
    #[serde(default)]
    close_scoring: String,
    reason: String,
}

/// Moves a round's windows, or ends its scoring now once every score is in.
pub async fn change_windows(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    form: CsrfForm<WindowsForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let windows = service::Windows::parse(
        &form.submit_from,
        &form.submit_until,
        &form.score_from,
        &form.score_until,
    )?;
    let (now, id) = (state.clock.now_naive(), path.into_inner());
    let round_id = id.clone();
    state
        .tx(move |conn| {
            let round = load_round(conn, &round_id, &admin.0.employee.organization_id)?;
            service::change_windows(
                conn,
                &round,
                windows,
                !form.close_scoring.is_empty(),
                &form.reason,
                admin.0.id(),
                now,
            )
        })
        .await?;
    Ok(see_other(&format!("/evaluation/{id}?done=windows")))
}

#[derive(Debug, Deserialize)]
pub struct ReassignForm {
    club_id: String,
    #[serde(default)]
    remove: String,
    #[serde(default)]
    add: String,
}

/// Takes an evaluator off a club and/or puts another on it.
pub async fn reassign(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    form: CsrfForm<ReassignForm>,
) -> AppResult<HttpResponse> {
    let ReassignForm {
        club_id,
        remove,
        add,
    } = form.0;
    let (now, id) = (state.clock.now_naive(), path.into_inner());
    let round_id = id.clone();
    state
        .tx(move |conn| {
            let round = load_round(conn, &round_id, &admin.0.employee.organization_id)?;
            let remove = Some(remove.trim()).filter(|r| !r.is_empty());
            let add = Some(add.trim()).filter(|a| !a.is_empty());
            service::reassign(conn, &round, &club_id, remove, add, admin.0.id(), now)
        })
        .await?;
    Ok(see_other(&format!("/evaluation/{id}?done=reassigned")))
}

#[derive(Debug, Deserialize)]
pub struct ReopenForm {
    club_id: String,
    until: String,
    reason: String,
}

/// Lets one club submit its results report after the window.
pub async fn reopen(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    form: CsrfForm<ReopenForm>,
) -> AppResult<HttpResponse> {
    let ReopenForm {
        club_id,
        until,
        reason,
    } = form.0;
    let (now, id) = (state.clock.now_naive(), path.into_inner());
    let round_id = id.clone();
    state
        .tx(move |conn| {
            let round = load_round(conn, &round_id, &admin.0.employee.organization_id)?;
            service::reopen(conn, &round, &club_id, &until, &reason, admin.0.id(), now)
        })
        .await?;
    Ok(see_other(&format!("/evaluation/{id}?done=reopened")))
}

// ---- a club's results report ----

fn report_fields(fields: &Fields) -> ReportText {
    let get = |k: &str| {
        fields
            .get(k)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    ReportText {
        study_task: get("study_task"),
        activities: get("activities"),
        outcomes: get("outcomes"),
        proposals: get("proposals"),
        links: get("links")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

/// What a results-report page shows besides the report: what was typed
/// and its errors, or what was just done.
struct ReportPage {
    typed: Option<Fields>,
    errors: HashMap<String, String>,
    done: String,
}

async fn report_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    csrf: &CsrfToken,
    access: ClubAccess,
    round_id: String,
    page: ReportPage,
) -> AppResult<HttpResponse> {
    let ReportPage {
        typed,
        errors,
        done,
    } = page;
    let now = state.clock.now_naive();
    let can_submit = access.can_manage() && access.require_active().is_ok();
    let club_id = access.club.id.clone();
    let (round, report, task) = state
        .db(move |conn| {
            let round = load_round(conn, &round_id, &access.club.organization_id)?;
            let report = views::report_view(conn, &round, &club_id)?;
            let task = clubs::study_task(conn, &club_id, &round.half)?;
            Ok((views::round_view(conn, &round, now)?, report, task))
        })
        .await?;
    let fields = typed.unwrap_or_else(|| {
        let mut f = Fields::new();
        match &report {
            Some(r) => {
                f.insert("study_task".into(), r.study_task.clone());
                f.insert("activities".into(), r.activities.clone());
                f.insert("outcomes".into(), r.outcomes.clone());
                f.insert("proposals".into(), r.proposals.clone());
                f.insert("links".into(), r.links.join("\n"));
            }
            None => {
                if let Some(t) = &task {
                    f.insert("study_task".into(), t.title.clone());
                }
            }
        }
        f
    });
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert("round", &round);
    ctx.insert(
        "club",
        &serde_json::json!({ "id": access.club.id, "name": access.club.name }),
    );
    ctx.insert("report", &report);
    ctx.insert(
        "can_submit",
        &(can_submit && round.phase != Phase::Confirmed),
    );
    ctx.insert("f", &fields);
    ctx.insert("errors", &errors);
    ctx.insert("done", &done);
    render_with_status(state, "evaluation/report.html", &ctx, status_for(&errors))
}

#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    /// What was just done, to say so (`submitted`).
    #[serde(default)]
    done: String,
}

pub async fn show_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    query: web::Query<DoneQuery>,
) -> AppResult<HttpResponse> {
    let round_id = path.into_inner().0;
    let page = ReportPage {
        typed: None,
        errors: HashMap::new(),
        done: query.into_inner().done,
    };
    report_page(&state, &user, &csrf, access, round_id, page).await
}

pub async fn submit_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<Fields>,
) -> AppResult<HttpResponse> {
    let (round_id, club_id) = path.into_inner();
    let text = report_fields(&form.0);
    let now = state.clock.now_naive();
    let (for_tx, rid) = (access.clone(), round_id.clone());
    let organization_id = user.employee.organization_id.clone();
    let result = state
        .tx(move |conn| {
            let round = load_round(conn, &rid, &organization_id)?;
            service::submit_report(conn, &round, &for_tx, &text, now)
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/evaluation/{round_id}/clubs/{club_id}/report?done=submitted"
        ))),
        Err(e) => {
            let errors = form_errors(e)?;
            let page = ReportPage {
                typed: Some(form.0),
                errors,
                done: String::new(),
            };
            report_page(&state, &user, &csrf, access, round_id, page).await
        }
    }
}

// ---- an evaluator's score sheet ----

async fn score_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    csrf: &CsrfToken,
    path: (String, String),
    typed: Option<Fields>,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let uid = user.id().to_string();
    let organization_id = user.employee.organization_id.clone();
    let (round, report, sheet, can_score) = state
        .db(move |conn| {
            let round = load_round(conn, &path.0, &organization_id)?;
            let sheet = views::sheets_of(conn, &round, &uid)?
                .into_iter()
                .find(|s| s.club_id == path.1)
                .ok_or(AppError::Forbidden)?;
            let report = views::report_view(conn, &round, &path.1)?;
            let can_score = service::scoring_open(&round, now);
            Ok((
                views::round_view(conn, &round, now)?,
                report,
                sheet,
                can_score,
            ))
        })
        .await?;
    let fields = typed.unwrap_or_else(|| {
        let mut f: Fields = sheet
            .points
            .iter()
            .map(|(k, v)| (format!("points.{k}"), v.to_string()))
            .collect();
        f.insert("comment".into(), sheet.comment.clone());
        f
    });
    let mut ctx = page_context(Some(user), csrf);
    ctx.insert("round", &round);
    ctx.insert("report", &report);
    ctx.insert("sheet", &sheet);
    ctx.insert("can_score", &can_score);
    ctx.insert("f", &fields);
    ctx.insert("errors", &errors);
    render_with_status(state, "evaluation/score.html", &ctx, status_for(&errors))
}

pub async fn show_score(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    score_page(
        &state,
        &user,
        &csrf,
        path.into_inner(),
        None,
        HashMap::new(),
    )
    .await
}

pub async fn save_score(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    path: web::Path<(String, String)>,
    form: CsrfForm<Fields>,
) -> AppResult<HttpResponse> {
    let path = path.into_inner();
    let fields = form.0;
    let mut points = HashMap::new();
    let mut errors = HashMap::new();
    for (k, v) in &fields {
        if let Some(criterion) = k.strip_prefix("points.") {
            match v.trim().parse::<i32>() {
                Ok(p) => {
                    points.insert(criterion.to_string(), p);
                }
                Err(_) if v.trim().is_empty() => {}
                Err(_) => {
                    let message = format!(
                        "점수는 소수점 없는 정수로 입력하세요 (입력값 '{}').",
                        v.trim()
                    );
                    errors.insert(k.clone(), crate::i18n::said(&message));
                }
            }
        }
    }
    // Every field that is not a whole number is named at once.
    if !errors.is_empty() {
        return score_page(&state, &user, &csrf, path, Some(fields), errors).await;
    }
    let comment = fields.get("comment").cloned().unwrap_or_default();
    let now = state.clock.now_naive();
    let (p, uid) = (path.clone(), user.id().to_string());
    let organization_id = user.employee.organization_id.clone();
    let result = state
        .tx(move |conn| {
            let round = load_round(conn, &p.0, &organization_id)?;
            service::save_scores(conn, &round, &p.1, &uid, &points, &comment, now)
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!(
            "/evaluation/{}?scored={}",
            path.0, path.1
        ))),
        Err(e) => {
            let errors = form_errors(e)?;
            score_page(&state, &user, &csrf, path, Some(fields), errors).await
        }
    }
}

// ---- results ----

/// Who may be recommended as a club's top contributor: its members during
/// the half, still active, not yet recommended; as (employee number, name),
/// by name.
fn contributor_candidates(
    conn: &mut crate::db::DbConn,
    round: &model::Round,
    club_id: &str,
    recommended: &[views::ContributorRow],
) -> AppResult<Vec<(String, String)>> {
    let half = service::half_of(round);
    let ids: Vec<String> = model::active_members_between(
        conn,
        &[club_id.to_string()],
        half.first_day(),
        half.last_day(),
    )?
    .into_iter()
    .map(|(_, employee)| employee)
    .collect();
    let mut people: Vec<(String, String)> = crate::org::model::employee_cards(conn, &ids)?
        .into_iter()
        .filter(|(_, no, _, _)| !recommended.iter().any(|c| c.employee_no == *no))
        .map(|(_, no, name, _)| (no, name))
        .collect();
    people.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    Ok(people)
}

async fn results_page(
    state: &web::Data<AppState>,
    user: &CurrentUser,
    csrf: &CsrfToken,
    round_id: String,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let uid = user.id().to_string();
    let is_admin = user.has_role(Role::Admin);
    let organization_id = user.employee.organization_id.clone();
    let (results, can_recommend) = state
        .db(move |conn| {
            let round = load_round(conn, &round_id, &organization_id)?;
            let results = views::results(conn, &round, now)?;
            // The awarded clubs the caller may recommend for.
            let mut can = Vec::new();
            for a in results.awards.iter().filter(|a| a.recommends_contributors) {
                let presides = clubs::open_membership(conn, &a.club_id, &uid)?
                    .is_some_and(|m| m.role() == clubs::MemberRole::President);
                let taken = results.contributors.iter().filter(|c| c.club_id == a.club_id).count();
                if (presides || is_admin) && taken < 2 {
                    let candidates = contributor_candidates(conn, &round, &a.club_id, &results.contributors)?;
                    can.push(serde_json::json!({ "club_id": a.club_id, "club_name": a.club_name, "left": 2 - taken, "candidates": candidates }));
                }
            }
            Ok((results, can))
        })
        .await?;
    let mut ctx: Context = page_context(Some(user), csrf);
    ctx.insert("r", &results);
    ctx.insert("can_recommend", &can_recommend);
    ctx.insert("is_admin", &is_admin);
    ctx.insert("errors", &errors);
    render_with_status(state, "evaluation/results.html", &ctx, status_for(&errors))
}

pub async fn results(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    results_page(&state, &user, &csrf, path.into_inner(), HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct RecommendForm {
    employee_no: String,
    #[serde(default)]
    reason: String,
}

pub async fn recommend(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    access: ClubAccess,
    path: web::Path<(String, String)>,
    form: CsrfForm<RecommendForm>,
) -> AppResult<HttpResponse> {
    let round_id = path.into_inner().0;
    let (now, settings, rid) = (
        state.clock.now_naive(),
        state.settings.clone(),
        round_id.clone(),
    );
    let form = form.0;
    let organization_id = user.employee.organization_id.clone();
    let result = state
        .tx(move |conn| {
            let round = load_round(conn, &rid, &organization_id)?;
            awards::recommend(
                conn,
                &settings,
                &round,
                &access,
                &form.employee_no,
                &form.reason,
                now,
            )
        })
        .await;
    match result {
        Ok(()) => Ok(see_other(&format!("/evaluation/{round_id}/results"))),
        Err(e) => results_page(&state, &user, &csrf, round_id, form_errors(e)?).await,
    }
}

// ---- exports ----

/// Builds the round's export tables off the async workers and encodes them
/// there too: (half, encoded bytes).
async fn export(
    state: &AppState,
    organization_id: String,
    round_id: String,
    encode: impl FnOnce(Vec<export::Table>) -> AppResult<Vec<u8>> + Send + 'static,
) -> AppResult<(String, Vec<u8>)> {
    let now = state.clock.now_naive();
    state
        .db(move |conn| {
            let round = load_round(conn, &round_id, &organization_id)?;
            let tables = views::export_tables(conn, &round, now)?;
            Ok((round.half, encode(tables)?))
        })
        .await
}

pub async fn export_csv(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (round_id, table) = path.into_inner();
    let index = ["ranking", "prizes", "contributors", "overseas"]
        .iter()
        .position(|t| format!("{t}.csv") == table)
        .ok_or(AppError::NotFound)?;
    let (half, body) = export(
        &state,
        admin.0.employee.organization_id,
        round_id,
        move |tables| Ok(export::csv(&tables[index]).into_bytes()),
    )
    .await?;
    Ok(download(
        export::CSV_CONTENT_TYPE,
        &format!("evaluation-{half}-{table}"),
        body,
    ))
}

pub async fn export_xlsx(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (half, body) = export(
        &state,
        admin.0.employee.organization_id,
        path.into_inner(),
        |tables| export::xlsx::workbook(&tables),
    )
    .await?;
    Ok(download(
        export::xlsx::CONTENT_TYPE,
        &format!("evaluation-{half}.xlsx"),
        body,
    ))
}
