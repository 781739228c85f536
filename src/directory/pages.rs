//! The organization's policy page (administrators): report months, due
//! day, holiday shift, hours cap and the like, over the configured defaults.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::{json, Value};

use super::handlers::OrganizationView;
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::Admin;
use crate::error::{AppError, AppResult, Checks};
use crate::http::{field_errors, render_with_status, status_of};
use crate::org::policy::{self, Policy};
use crate::state::AppState;

async fn load(state: &AppState, admin: &Admin) -> AppResult<OrganizationView> {
    let (settings, organization_id) = (
        state.settings.clone(),
        admin.0.employee.organization_id.clone(),
    );
    state
        .db(move |conn| super::handlers::organization_view(conn, &settings, &organization_id))
        .await
}

/// The form's values as shown: the office's policy, or what was sent,
/// back with its errors.
#[derive(Serialize)]
struct Shown {
    months: Vec<u32>,
    due_day: String,
    overdue_day: String,
    holiday_shift: bool,
    half_year_cap_hours: String,
    count_ad_hoc_meetings: bool,
    work_start: String,
    work_end: String,
    special_leave_days: String,
}

impl Shown {
    fn of(policy: &Policy) -> Self {
        Self {
            months: policy.reports.months.clone(),
            due_day: policy.reports.due_day.to_string(),
            overdue_day: policy.reports.overdue_day.to_string(),
            holiday_shift: policy.reports.holiday_shift,
            half_year_cap_hours: policy.clubs.half_year_cap_hours.to_string(),
            count_ad_hoc_meetings: policy.clubs.count_ad_hoc_meetings,
            work_start: policy.clubs.work_start.clone(),
            work_end: policy.clubs.work_end.clone(),
            special_leave_days: policy.evaluation.special_leave_days.to_string(),
        }
    }

    /// What the form sent; the overdue day and working hours left empty
    /// show what the office had, which they keep.
    fn sent(form: &[(String, String)], before: &Policy) -> Self {
        let or_before = |field: &str, had: &str| match text(form, field) {
            sent if sent.is_empty() => had.to_string(),
            sent => sent,
        };
        Self {
            months: months(form),
            due_day: text(form, "due_day"),
            overdue_day: or_before("overdue_day", &before.reports.overdue_day.to_string()),
            holiday_shift: checked(form, "holiday_shift"),
            half_year_cap_hours: text(form, "half_year_cap_hours"),
            count_ad_hoc_meetings: checked(form, "count_ad_hoc_meetings"),
            work_start: or_before("work_start", &before.clubs.work_start),
            work_end: or_before("work_end", &before.clubs.work_end),
            special_leave_days: text(form, "special_leave_days"),
        }
    }
}

fn page(
    state: &AppState,
    admin: &Admin,
    csrf: &CsrfToken,
    (view, shown): (&OrganizationView, Shown),
    errors: HashMap<String, String>,
    done: bool,
) -> AppResult<HttpResponse> {
    let mut ctx = page_context(Some(&admin.0), csrf);
    ctx.insert("org", view);
    ctx.insert("shown", &shown);
    let month_choices: Vec<(u32, String)> = (1..=12).map(|m| (m, format!("{m}월"))).collect();
    ctx.insert("month_choices", &month_choices);
    ctx.insert("done", &done);
    let status = status_of(&errors);
    ctx.insert("errors", &errors);
    render_with_status(state, "org/policy.html", &ctx, status)
}

pub async fn show(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    query: web::Query<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let view = load(&state, &admin).await?;
    let shown = Shown::of(&view.policy);
    page(
        &state,
        &admin,
        &csrf,
        (&view, shown),
        HashMap::new(),
        query.contains_key("done"),
    )
}

/// A whole number from the form, or an error naming the field.
fn number(form: &[(String, String)], field: &str, label: &str) -> AppResult<i64> {
    let value = form
        .iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.trim())
        .unwrap_or("");
    value.parse().map_err(|_| {
        AppError::validation(
            field,
            format!(
                "{} 정수로 적으세요 (입력값 '{value}').",
                crate::korean::with(label, crate::korean::Particle::Topic)
            ),
        )
    })
}

/// The months ticked.
fn months(form: &[(String, String)]) -> Vec<u32> {
    form.iter()
        .filter(|(k, _)| k == "months")
        .filter_map(|(_, v)| v.parse().ok())
        .collect()
}

fn checked(form: &[(String, String)], field: &str) -> bool {
    form.iter().any(|(k, _)| k == field)
}

fn text(form: &[(String, String)], field: &str) -> String {
    form.iter()
        .find(|(k, _)| k == field)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

/// The form's fields as overrides, over what the organization had set
/// (keys the form does not show, such as the rubric, are kept).
fn overrides_from(form: &[(String, String)], before: &Value) -> AppResult<Value> {
    let mut checks = Checks::default();
    let due_day = checks.take(number(form, "due_day", "제출 기한일"))?;
    let overdue_day = match text(form, "overdue_day").as_str() {
        "" => None,
        _ => checks.take(number(form, "overdue_day", "미제출 처리일"))?,
    };
    let cap = checks.take(number(form, "half_year_cap_hours", "반기 인정 한도"))?;
    let leave = checks.take(number(form, "special_leave_days", "특별휴가 일수"))?;
    checks.done()?;
    let mut overrides = before.clone();
    let mut sections = [
        (
            "reports",
            json!({
                "months": months(form),
                "due_day": due_day,
                "holiday_shift": checked(form, "holiday_shift"),
            }),
        ),
        (
            "clubs",
            json!({
                "half_year_cap_hours": cap,
                "count_ad_hoc_meetings": checked(form, "count_ad_hoc_meetings"),
            }),
        ),
        ("evaluation", json!({ "special_leave_days": leave })),
    ];
    // The overdue day and working hours left empty keep what the office had.
    if let Some(day) = overdue_day {
        sections[0].1["overdue_day"] = json!(day);
    }
    for field in ["work_start", "work_end"] {
        let value = text(form, field);
        if !value.is_empty() {
            sections[1].1[field] = json!(value);
        }
    }
    let map = overrides
        .as_object_mut()
        .ok_or_else(|| AppError::validation("policy", "정책은 JSON 객체여야 합니다."))?;
    for (section, keys) in sections {
        let entry = map.entry(section).or_insert_with(|| json!({}));
        if let (Some(entry), Some(keys)) = (entry.as_object_mut(), keys.as_object()) {
            for (k, v) in keys {
                entry.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(overrides)
}

pub async fn save(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let before = load(&state, &admin).await?;
    let result = match overrides_from(&form.0, &before.overrides) {
        Err(e) => Err(e),
        Ok(overrides) => {
            let (settings, now) = (state.settings.clone(), state.clock.now_naive());
            let (organization_id, by) = (
                admin.0.employee.organization_id.clone(),
                admin.0.id().to_string(),
            );
            state
                .tx(move |conn| {
                    policy::save(conn, &settings, &organization_id, &overrides, &by, now).map(drop)
                })
                .await
        }
    };
    match result {
        Ok(()) => Ok(crate::http::see_other("/admin/policy?done=1")),
        Err(e) => {
            let errors = field_errors(e)?;
            let shown = Shown::sent(&form.0, &before.policy);
            page(&state, &admin, &csrf, (&before, shown), errors, false)
        }
    }
}
