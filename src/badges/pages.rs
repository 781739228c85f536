//! The badge pages: my badges (downloads, sharing), the public page where
//! anyone checks an award, and the office's badges (administrators:
//! classes, awards by hand, revocations, backfill, the signing key).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use base64::Engine;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::awards;
use super::check::{self, Checked};
use super::classes::{self, BadgeRule, ClassInput};
use super::links::{IssuerProfile, Links};
use super::manual::{self, ByHand};
use super::model;
use super::views::{AwardStatus, AwardView, ClassSummary};
use crate::auth::csrf::{CsrfForm, CsrfToken};
use crate::auth::page_context;
use crate::auth::{Admin, CurrentUser};
use crate::error::{AppError, AppResult};
use crate::http::{
    field_errors, optional_form_number, render, render_with_status, see_other, status_of,
};
use crate::org::policy::PrizeTier;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
pub struct Notice {
    #[serde(default)]
    pub done: String,
}

/// My badges, newest first, with what to download and share.
pub async fn mine(
    state: web::Data<AppState>,
    user: CurrentUser,
    csrf: CsrfToken,
    notice: web::Query<Notice>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let employee_id = user.employee.id.clone();
    let badges = state
        .db(move |conn| {
            let links = Links::new(&st.settings);
            Ok(model::awards_of_person(conn, &employee_id)?
                .iter()
                .map(|(award, class)| AwardView::of(&links, award, class, now))
                .collect::<Vec<_>>())
        })
        .await?;
    let mut ctx = page_context(Some(&user), &csrf);
    ctx.insert("badges", &badges);
    ctx.insert("done", &notice.done);
    render(&state, "badges/mine.html", &ctx)
}

#[derive(Debug, Deserialize)]
pub struct VisibilityForm {
    #[serde(default)]
    pub public: String,
}

pub async fn set_visibility(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    form: CsrfForm<VisibilityForm>,
) -> AppResult<HttpResponse> {
    let public = form.0.public == "true";
    let employee_id = user.employee.id.clone();
    state
        .tx(move |conn| awards::set_public(conn, &employee_id, &id, public))
        .await?;
    Ok(see_other(if public {
        "/me/badges?done=shown"
    } else {
        "/me/badges?done=hidden"
    }))
}

/// The owner takes a badge off the home page's feed.
pub async fn hide_from_feed(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let employee_id = user.employee.id.clone();
    state
        .tx(move |conn| awards::hide_from_feed(conn, &employee_id, &id))
        .await?;
    Ok(see_other("/"))
}

/// What the verification page shows of an award.
#[derive(Debug, Serialize)]
struct Verification {
    award: AwardView,
    class: ClassSummary,
    issuer: IssuerProfile,
    /// The recipient's name, when they made the badge public.
    recipient: Option<String>,
    status_label: &'static str,
    valid: bool,
}

/// What the verification page shows of `award_id` to `viewer`.
fn verification(
    conn: &mut crate::db::DbConn,
    settings: &crate::config::Settings,
    award_id: &str,
    viewer: Option<&str>,
    now: chrono::NaiveDateTime,
) -> AppResult<Verification> {
    let award = model::award_by_id(conn, award_id)?;
    let class = model::class_by_id(conn, &award.badge_class_id)?;
    let organization = crate::org::model::organization_by_id(conn, &award.organization_id)?;
    let shown = award.public || viewer == Some(award.employee_id.as_str());
    let recipient = if shown && award.revoked_at.is_none() {
        Some(crate::org::model::employee_by_id(conn, &award.employee_id)?.name)
    } else {
        None
    };
    let links = Links::new(settings);
    let view = AwardView::of(&links, &award, &class, now);
    Ok(Verification {
        status_label: view.status.label_ko(),
        valid: view.status == AwardStatus::Valid,
        class: ClassSummary::of(&links, &class),
        issuer: IssuerProfile::of(settings, &organization),
        recipient,
        award: view,
    })
}

/// The public page where anyone checks an award: what, when, by whom,
/// whether it still holds; the recipient only if they chose to show it.
pub async fn verify(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    csrf: CsrfToken,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let viewer = user.as_ref().map(|u| u.employee.id.clone());
    let v = state
        .db(move |conn| verification(conn, &st.settings, &id, viewer.as_deref(), now))
        .await?;
    let mut ctx = page_context(user.as_ref(), &csrf);
    ctx.insert("v", &v);
    render(&state, "badges/verify.html", &ctx)
}

/// The largest file the check takes: a badge image and what is baked in it.
const MAX_CHECKED_BYTES: usize = 512 * 1024;

/// The form where anyone drops a baked badge file to check it.
pub async fn check_form(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    csrf: CsrfToken,
) -> AppResult<HttpResponse> {
    let ctx = page_context(user.as_ref(), &csrf);
    render(&state, "badges/check.html", &ctx)
}

/// A `multipart/form-data` form: its text fields and its files (a file
/// input left empty sends nothing), after its CSRF token was checked.
struct Upload {
    fields: HashMap<String, String>,
    files: HashMap<String, Vec<u8>>,
}

impl Upload {
    /// Reads the form, at most `max_bytes` in all; the first field over the
    /// limit is named in the error as `too_big_field`.
    async fn read(
        mut payload: Multipart,
        csrf: &CsrfToken,
        max_bytes: usize,
        too_big_field: &str,
    ) -> AppResult<Self> {
        let mut upload = Upload {
            fields: HashMap::new(),
            files: HashMap::new(),
        };
        let mut total = 0;
        while let Some(field) = payload.next().await {
            let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
            let name = field.name().unwrap_or_default().to_string();
            let is_file = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .is_some_and(|f| !f.is_empty());
            let mut bytes = Vec::new();
            while let Some(chunk) = field.next().await {
                let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
                total += chunk.len();
                if total > max_bytes {
                    return Err(AppError::validation(
                        too_big_field,
                        format!("파일은 {}KB까지 올릴 수 있습니다.", max_bytes / 1024),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            if is_file {
                if !bytes.is_empty() {
                    upload.files.insert(name, bytes);
                }
            } else {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                crate::http::plain_text::check_field(&name, &text)?;
                upload.fields.insert(name, text);
            }
        }
        if upload.fields.get(crate::auth::csrf::CSRF_FIELD) != Some(&csrf.0) {
            return Err(AppError::Csrf);
        }
        Ok(upload)
    }
}

/// Checks a dropped file: what is baked in it and, when this portal issued
/// it, the award as the verification page shows it.
pub async fn check_upload(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
    csrf: CsrfToken,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let mut ctx = page_context(user.as_ref(), &csrf);
    let mut upload = match Upload::read(payload, &csrf, MAX_CHECKED_BYTES, "file").await {
        Ok(upload) => upload,
        Err(AppError::Csrf) => return Err(AppError::Csrf),
        Err(e) => {
            ctx.insert("errors", &field_errors(e)?);
            return render_with_status(
                &state,
                "badges/check.html",
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let file = upload.files.remove("file").unwrap_or_default();
    if file.is_empty() {
        ctx.insert(
            "errors",
            &HashMap::from([("file", crate::i18n::said("확인할 배지 파일을 고르세요."))]),
        );
        return render_with_status(
            &state,
            "badges/check.html",
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let now = state.clock.now_naive();
    let st = state.clone();
    let viewer = user.as_ref().map(|u| u.employee.id.clone());
    let (checked, v) = state
        .db(move |conn| {
            let checked = check::check_file(conn, &st.settings, &file)?;
            let v = match &checked {
                Checked::Award { award_id, .. } => Some(verification(
                    conn,
                    &st.settings,
                    award_id,
                    viewer.as_deref(),
                    now,
                )?),
                _ => None,
            };
            Ok((checked, v))
        })
        .await?;
    ctx.insert("checked", &checked);
    ctx.insert("checked_message", checked.message_ko());
    ctx.insert("v", &v);
    render(&state, "badges/check.html", &ctx)
}

/// The office's badges page (administrators).
async fn office_page(
    state: &web::Data<AppState>,
    admin: &Admin,
    csrf: &CsrfToken,
    done: &str,
    errors: HashMap<String, String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let organization_id = admin.0.employee.organization_id.clone();
    let (classes, recent) = state
        .db(move |conn| {
            let links = Links::new(&st.settings);
            let classes = model::classes_of(conn, &organization_id)?;
            let recent: Vec<(AwardView, String)> =
                model::recent_awards(conn, &organization_id, 50)?
                    .iter()
                    .map(|(award, class, name)| {
                        (AwardView::of(&links, award, class, now), name.clone())
                    })
                    .collect();
            Ok((classes, recent))
        })
        .await?;
    let mut ctx = page_context(Some(&admin.0), csrf);
    ctx.insert("classes", &classes);
    ctx.insert("recent", &recent);
    ctx.insert("rules", &BadgeRule::options());
    ctx.insert("tiers", &PrizeTier::options());
    ctx.insert("done", done);
    ctx.insert("errors", &errors);
    render_with_status(state, "badges/office.html", &ctx, status_of(&errors))
}

pub async fn office(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    notice: web::Query<Notice>,
) -> AppResult<HttpResponse> {
    office_page(&state, &admin, &csrf, &notice.done, HashMap::new()).await
}

#[derive(Debug, Deserialize)]
pub struct ClassForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub criteria: String,
    #[serde(default)]
    pub rule: String,
    #[serde(default)]
    pub rule_threshold: String,
    #[serde(default)]
    pub rule_match: String,
    #[serde(default)]
    pub tags: String,
    #[serde(default)]
    pub alignment_name: String,
    #[serde(default)]
    pub alignment_url: String,
    #[serde(default)]
    pub valid_months: String,
    #[serde(default)]
    pub colour: String,
}

fn non_empty(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

impl ClassForm {
    fn input(&self, image: Option<&[u8]>) -> AppResult<ClassInput> {
        let rule = match self.rule.trim() {
            "" => None,
            code => Some(
                BadgeRule::parse(code)
                    .ok_or_else(|| AppError::validation("rule", "규칙을 목록에서 고르세요."))?,
            ),
        };
        Ok(ClassInput {
            name: self.name.clone(),
            description: self.description.clone(),
            criteria: self.criteria.clone(),
            rule,
            rule_threshold: optional_form_number("rule_threshold", &self.rule_threshold)?,
            rule_match: non_empty(&self.rule_match),
            tags: self.tags.split(',').map(str::to_string).collect(),
            alignment_name: non_empty(&self.alignment_name),
            alignment_url: non_empty(&self.alignment_url),
            valid_months: optional_form_number("valid_months", &self.valid_months)?,
            colour: non_empty(&self.colour).unwrap_or_else(|| "#2b5ca8".into()),
            image_base64: image
                .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes)),
        })
    }
}

/// A new badge class from the form, with its picture if one was chosen.
pub async fn add_class(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    // Room for the largest picture and the form's text around it.
    let limit = super::image::MAX_UPLOAD_BYTES + 64 * 1024;
    let input = Upload::read(payload, &csrf, limit, "image_base64")
        .await
        .and_then(|upload| {
            let form: ClassForm = serde_json::from_value(serde_json::json!(upload.fields))
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            form.input(upload.files.get("image").map(Vec::as_slice))
        });
    let result = match input {
        Ok(input) => {
            super::handlers::prepare_signing_key(&state, &organization_id, now).await?;
            state
                .tx(move |conn| classes::add(conn, &organization_id, &input, &by, now))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(see_other("/badges?done=class")),
        Err(e) => office_page(&state, &admin, &csrf, "", field_errors(e)?).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct AwardForm {
    #[serde(default)]
    pub employee_no: String,
    #[serde(default)]
    pub narrative: String,
    #[serde(default)]
    pub evidence_url: String,
}

pub async fn award(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<AwardForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let by = admin.0.employee.clone();
    let result = state
        .tx(move |conn| {
            let what = ByHand {
                class_id: &id,
                employee_no: &form.0.employee_no,
                narrative: &form.0.narrative,
                evidence_url: Some(form.0.evidence_url.as_str()),
            };
            manual::award_by_hand(conn, &st.settings, &by, what, now)
        })
        .await;
    match result {
        Ok((awards::Awarded::New(_), _)) => Ok(see_other("/badges?done=awarded")),
        Ok((awards::Awarded::Already(_), _)) => Ok(see_other("/badges?done=already")),
        Err(e) => office_page(&state, &admin, &csrf, "", field_errors(e)?).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct BulkForm {
    #[serde(default)]
    pub csv: String,
    /// `preview` (a dry run) or `award`.
    #[serde(default)]
    pub mode: String,
}

/// A class's bulk award as a page (administrators): the CSV pasted (or
/// cells from a spreadsheet), previewed, then awarded, all rows or none.
pub async fn bulk_page(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let ctx = bulk_context(&state, &admin, &csrf, id.into_inner(), "").await?;
    render(&state, "badges/bulk.html", &ctx)
}

pub async fn bulk_submit(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<BulkForm>,
) -> AppResult<HttpResponse> {
    let BulkForm { csv, mode } = form.0;
    let dry_run = mode != "award";
    let id = id.into_inner();
    let result = super::handlers::run_bulk(
        &state,
        &admin,
        id.clone(),
        csv.clone().into_bytes(),
        dry_run,
    )
    .await?;
    let mut ctx = bulk_context(&state, &admin, &csrf, id, &csv).await?;
    let status = match result {
        Ok(outcome) => {
            if !outcome.dry_run {
                ctx.insert("csv", "");
            }
            ctx.insert("outcome", &outcome);
            StatusCode::OK
        }
        Err(crate::org::import::ImportError::Invalid(lines)) => {
            ctx.insert("problems", &lines);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(crate::org::import::ImportError::Failed(e)) => return Err(AppError::Internal(e)),
    };
    render_with_status(&state, "badges/bulk.html", &ctx, status)
}

async fn bulk_context(
    state: &web::Data<AppState>,
    admin: &Admin,
    csrf: &CsrfToken,
    class_id: String,
    csv: &str,
) -> AppResult<tera::Context> {
    let organization_id = admin.0.employee.organization_id.clone();
    let class = state
        .db(move |conn| classes::office_class(conn, &organization_id, &class_id))
        .await?;
    let mut ctx = page_context(Some(&admin.0), csrf);
    ctx.insert("class", &class.without_image());
    ctx.insert("csv", csv);
    Ok(ctx)
}

/// A reason: to revoke, or to suspend.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    pub reason: String,
}

pub async fn revoke(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<RevokeForm>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let by = admin.0.clone();
    let result = state
        .tx(move |conn| {
            awards::revoke(
                conn,
                &st.templates,
                &st.settings,
                &by.employee.organization_id,
                &id,
                by.id(),
                &form.0.reason,
                now,
            )
        })
        .await;
    match result {
        Ok(_) => Ok(see_other("/badges?done=revoked")),
        Err(e) => office_page(&state, &admin, &csrf, "", field_errors(e)?).await,
    }
}

/// Suspends an award (a reason given) or lifts its suspension.
async fn suspend_or_resume(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: String,
    reason: Option<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let by = admin.0.clone();
    let resuming = reason.is_none();
    let result = state
        .tx(move |conn| {
            awards::suspend_or_resume(
                conn,
                &st.templates,
                &st.settings,
                &by.employee.organization_id,
                &id,
                by.id(),
                reason.as_deref(),
                now,
            )
        })
        .await;
    match result {
        Ok(_) if resuming => Ok(see_other("/badges?done=resumed")),
        Ok(_) => Ok(see_other("/badges?done=suspended")),
        Err(e) => office_page(&state, &admin, &csrf, "", field_errors(e)?).await,
    }
}

pub async fn suspend(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    form: CsrfForm<RevokeForm>,
) -> AppResult<HttpResponse> {
    suspend_or_resume(state, admin, csrf, id.into_inner(), Some(form.0.reason)).await
}

pub async fn resume(
    state: web::Data<AppState>,
    admin: Admin,
    csrf: CsrfToken,
    id: web::Path<String>,
    _form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    suspend_or_resume(state, admin, csrf, id.into_inner(), None).await
}

pub async fn backfill(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    _form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let st = state.clone();
    let awarded = state
        .bulk_tx(move |conn| {
            let class = classes::office_class(conn, &admin.0.employee.organization_id, &id)?;
            super::rules::backfill(conn, &st.settings, &class, today, now)
        })
        .await?;
    Ok(see_other(&format!("/badges?done=backfill-{awarded}")))
}

pub async fn rotate_key(
    state: web::Data<AppState>,
    admin: Admin,
    _form: CsrfForm<HashMap<String, String>>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    state
        .tx(move |conn| {
            super::keys::rotate(conn, &admin.0.employee.organization_id, admin.0.id(), now)
        })
        .await?;
    Ok(see_other("/badges?done=rotated"))
}
