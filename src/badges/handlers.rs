//! The badges API: the office's badge classes, awards and revocations
//! (administrators); my badges and whether others may see each.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::awards::{self, Awarded};
use super::classes::{self, ClassInput};
use super::manual::{self, ByHand};
use super::model;
use super::ob2::Links;
use super::views::{AwardView, ClassSummary};
use crate::auth::{Admin, CurrentUser};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::org::import::ImportError;
use crate::state::AppState;

/// The office's badge classes, by name.
#[utoipa::path(get, path = "/api/v1/badges/classes", tag = "badges", security(("bearer" = [])),
    responses((status = 200, body = Vec<ClassSummary>), (status = 401, body = ErrorBody)))]
pub async fn list_classes(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let st = state.clone();
    let classes = state
        .db(move |conn| {
            let links = Links::new(&st.settings);
            Ok(model::classes_of(conn, &user.employee.organization_id)?
                .iter()
                .map(|c| ClassSummary::of(&links, c))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(classes))
}

/// Add a badge class (administrators). Without an image, one is drawn
/// from the name and the colour.
#[utoipa::path(post, path = "/api/v1/badges/classes", tag = "badges", security(("bearer" = [])),
    request_body = ClassInput,
    responses((status = 201, body = ClassSummary), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_class(
    state: web::Data<AppState>,
    admin: Admin,
    body: web::Json<ClassInput>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    prepare_signing_key(&state, &admin.0.employee.organization_id, now).await?;
    let st = state.clone();
    let class = state
        .tx(move |conn| {
            let class = classes::add(
                conn,
                &admin.0.employee.organization_id,
                &body,
                admin.0.id(),
                now,
            )?;
            Ok(ClassSummary::of(&Links::new(&st.settings), &class))
        })
        .await?;
    Ok(HttpResponse::Created().json(class))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AwardBody {
    /// The recipient's employee number in the office.
    pub employee_no: String,
    /// Why it is given: shown with the badge.
    #[serde(default)]
    pub narrative: String,
    /// A link to the evidence (a board post, a document).
    pub evidence_url: Option<String>,
}

/// Award a badge by hand (administrators): 201 with the award; 200 with
/// the standing award when the person holds it already. Nobody awards a
/// badge to themself.
#[utoipa::path(post, path = "/api/v1/badges/classes/{id}/awards", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the badge class")), request_body = AwardBody,
    responses((status = 201, body = AwardView), (status = 200, body = AwardView),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn award(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<AwardBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let (awarded, view) = state
        .tx(move |conn| {
            let what = ByHand {
                class_id: &id,
                employee_no: &body.employee_no,
                narrative: &body.narrative,
                evidence_url: body.evidence_url.as_deref(),
            };
            let (awarded, class) =
                manual::award_by_hand(conn, &st.settings, &admin.0.employee, what, now)?;
            let view = AwardView::of(&Links::new(&st.settings), awarded.award(), &class, now);
            Ok((matches!(awarded, Awarded::New(_)), view))
        })
        .await?;
    Ok(if awarded {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeBody {
    /// Why: the person is told, and verifiers see it.
    pub reason: String,
}

/// Revoke an award (administrators): its vouchers and mileage are taken
/// back and the person is told why. 409 when it was revoked already.
#[utoipa::path(post, path = "/api/v1/badges/awards/{id}/revoke", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the award")), request_body = RevokeBody,
    responses((status = 200, body = AwardView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revoke(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<RevokeBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let view = state
        .tx(move |conn| {
            let award = awards::revoke(
                conn,
                &st.templates,
                &st.settings,
                &admin.0.employee.organization_id,
                &id,
                admin.0.id(),
                &body.reason,
                now,
            )?;
            let class = model::class_by_id(conn, &award.badge_class_id)?;
            Ok(AwardView::of(
                &Links::new(&st.settings),
                &award,
                &class,
                now,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SuspendBody {
    /// Why: the person is told.
    pub reason: String,
}

async fn suspend_or_resume(
    state: web::Data<AppState>,
    admin: Admin,
    id: String,
    reason: Option<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let view = state
        .tx(move |conn| {
            let award = awards::suspend_or_resume(
                conn,
                &st.templates,
                &st.settings,
                &admin.0.employee.organization_id,
                &id,
                admin.0.id(),
                reason.as_deref(),
                now,
            )?;
            let class = model::class_by_id(conn, &award.badge_class_id)?;
            Ok(AwardView::of(
                &Links::new(&st.settings),
                &award,
                &class,
                now,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Suspend an award for a while (administrators): the 3.0 credential's
/// suspension status says so at the next check, and the person is told.
/// 409 when it is revoked or suspended already.
#[utoipa::path(post, path = "/api/v1/badges/awards/{id}/suspend", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the award")), request_body = SuspendBody,
    responses((status = 200, body = AwardView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn suspend(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    body: web::Json<SuspendBody>,
) -> AppResult<HttpResponse> {
    suspend_or_resume(
        state,
        admin,
        id.into_inner(),
        Some(body.into_inner().reason),
    )
    .await
}

/// Lift a suspension (administrators). 409 when the award is not suspended.
#[utoipa::path(post, path = "/api/v1/badges/awards/{id}/resume", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the award")),
    responses((status = 200, body = AwardView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resume(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    suspend_or_resume(state, admin, id.into_inner(), None).await
}

/// My badges, newest first: valid, expired, suspended and revoked.
#[utoipa::path(get, path = "/api/v1/me/badges", tag = "badges", security(("bearer" = [])),
    responses((status = 200, body = Vec<AwardView>), (status = 401, body = ErrorBody)))]
pub async fn my_badges(state: web::Data<AppState>, user: CurrentUser) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let views = state
        .db(move |conn| {
            let links = Links::new(&st.settings);
            Ok(model::awards_of_person(conn, user.id())?
                .iter()
                .map(|(award, class)| AwardView::of(&links, award, class, now))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(HttpResponse::Ok().json(views))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VisibilityBody {
    pub public: bool,
}

/// Show one of my badges to others on its verification page, or hide it.
#[utoipa::path(put, path = "/api/v1/me/badges/{id}/visibility", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the award")), request_body = VisibilityBody,
    responses((status = 200, body = AwardView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_visibility(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    body: web::Json<VisibilityBody>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let view = state
        .tx(move |conn| {
            let award = awards::set_public(conn, user.id(), &id, body.public)?;
            let class = model::class_by_id(conn, &award.badge_class_id)?;
            Ok(AwardView::of(
                &Links::new(&st.settings),
                &award,
                &class,
                now,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct KeyView {
    /// The new key's id (the JOSE `kid` names it after `#`).
    pub id: String,
    /// The JWK Set that publishes it, with the keys before it.
    pub jwks: String,
}

/// Rotate the office's signing key (administrators): credentials from now
/// on are signed with a new key; those signed before still verify.
#[utoipa::path(post, path = "/api/v1/badges/keys/rotate", tag = "badges", security(("bearer" = [])),
    responses((status = 201, body = KeyView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn rotate_key(state: web::Data<AppState>, admin: Admin) -> AppResult<HttpResponse> {
    let now = state.clock.now_naive();
    let st = state.clone();
    let view = state
        .tx(move |conn| {
            let organization_id = &admin.0.employee.organization_id;
            let key = super::keys::rotate(conn, organization_id, admin.0.id(), now)?;
            Ok(KeyView {
                id: key.id,
                jwks: Links::new(&st.settings).jwks(organization_id),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct BackfillView {
    /// New awards: what the rule would have given before the class existed.
    pub awarded: usize,
}

/// Give what a class's rule would have given for the past (administrators):
/// once; running it again gives nothing new.
#[utoipa::path(post, path = "/api/v1/badges/classes/{id}/backfill", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the badge class")),
    responses((status = 200, body = BackfillView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn backfill(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let (today, now) = (state.clock.today(), state.clock.now_naive());
    let st = state.clone();
    let awarded = state
        .bulk_tx(move |conn| {
            let class = classes::office_class(conn, &admin.0.employee.organization_id, &id)?;
            let awarded = super::rules::backfill(conn, &st.settings, &class, today, now)?;
            crate::audit::record(
                conn,
                now,
                Some(admin.0.id()),
                "badges.backfilled",
                &class.id,
                serde_json::json!({ "awarded": awarded }),
            )?;
            Ok(awarded)
        })
        .await?;
    Ok(HttpResponse::Ok().json(BackfillView { awarded }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct BulkQuery {
    /// Say what the file would do, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Award a badge to many people from a CSV (administrators;
/// `Content-Type: text/csv`): employee_no, and optionally narrative,
/// evidence_url and key (Korean headers too). All rows or none, each bad
/// line named; a row's key (or its content) makes its award once, so the
/// same file again awards nothing new. `?dry_run=true` answers what it
/// would do and writes nothing.
#[utoipa::path(post, path = "/api/v1/badges/classes/{id}/awards/bulk", tag = "badges", security(("bearer" = [])),
    params(("id" = String, Path, description = "the badge class"), BulkQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = super::bulk::BulkOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn award_file(
    state: web::Data<AppState>,
    admin: Admin,
    id: web::Path<String>,
    query: web::Query<BulkQuery>,
    req: actix_web::HttpRequest,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    crate::http::csv_upload::require_csv(&req)?;
    let result = run_bulk(
        &state,
        &admin,
        id.into_inner(),
        body.to_vec(),
        query.dry_run,
    )
    .await?;
    match result {
        Ok(outcome) => Ok(HttpResponse::Ok().json(outcome)),
        Err(ImportError::Invalid(lines)) => Ok(crate::http::csv_upload::invalid_lines(
            lines,
            "no badge was awarded",
        )),
        Err(ImportError::Failed(e)) => Err(AppError::Internal(e)),
    }
}

/// The bulk award of `file` for the administrator's class `class_id` (or
/// its dry run), off the async threads.
pub(super) async fn run_bulk(
    state: &web::Data<AppState>,
    admin: &Admin,
    class_id: String,
    file: Vec<u8>,
    dry_run: bool,
) -> AppResult<Result<super::bulk::BulkOutcome, ImportError>> {
    let now = state.clock.now_naive();
    let (organization_id, by) = (
        admin.0.employee.organization_id.clone(),
        admin.0.id().to_string(),
    );
    let st = state.clone();
    state
        .db(move |conn| {
            let class = classes::office_class(conn, &organization_id, &class_id)?;
            Ok(super::bulk::award_file(
                conn,
                &st.settings,
                &class,
                &file,
                &by,
                dry_run,
                now,
            ))
        })
        .await
}

/// Makes the office's signing key, if it has none, before its first class:
/// an RSA key takes a moment to make, better spent here than inside the
/// transaction of the first event that earns a badge.
pub(super) async fn prepare_signing_key(
    state: &web::Data<AppState>,
    organization_id: &str,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let organization_id = organization_id.to_string();
    state
        .db(move |conn| super::keys::signing_key(conn, &organization_id, now).map(|_| ()))
        .await
}
