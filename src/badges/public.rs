//! The public Open Badges 2.0 documents and images: what a verifier
//! outside the office fetches, without a login.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::bake::{self, Baked};
use super::image;
use super::model::{self, BadgeClass};
use super::ob2::{self, IssuerProfile, Links};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn document(status: actix_web::http::StatusCode, doc: &serde_json::Value) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(ob2::CONTENT_TYPE)
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(doc.to_string())
}

/// An image of ours: never run as a page, whatever it holds; a download
/// when it has a file name.
fn image_response(content_type: &str, bytes: Vec<u8>, file_name: Option<String>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let Some(name) = file_name {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ));
    }
    response
        .content_type(content_type)
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'",
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(bytes)
}

pub async fn issuer(state: web::Data<AppState>, id: web::Path<String>) -> AppResult<HttpResponse> {
    let st = state.clone();
    let doc = state
        .db(move |conn| {
            let organization = crate::org::model::organization_by_id(conn, &id)?;
            let profile = IssuerProfile::of(&st.settings, &organization);
            Ok(ob2::issuer(
                &Links::new(&st.settings),
                &organization.id,
                &profile,
            ))
        })
        .await?;
    Ok(document(actix_web::http::StatusCode::OK, &doc))
}

pub async fn revocations(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let st = state.clone();
    let doc = state
        .db(move |conn| {
            let organization = crate::org::model::organization_by_id(conn, &id)?;
            let revoked = model::revoked_of(conn, &organization.id)?;
            Ok(ob2::revocation_list(
                &Links::new(&st.settings),
                &organization.id,
                &revoked,
            ))
        })
        .await?;
    Ok(document(actix_web::http::StatusCode::OK, &doc))
}

pub async fn class(state: web::Data<AppState>, id: web::Path<String>) -> AppResult<HttpResponse> {
    let st = state.clone();
    let doc = state
        .db(move |conn| {
            let class = model::class_by_id(conn, &id)?;
            Ok(ob2::badge_class(&Links::new(&st.settings), &class))
        })
        .await?;
    Ok(document(actix_web::http::StatusCode::OK, &doc))
}

/// A class's picture as `ext` (`png` or `svg`): the upload, or the
/// generated one; none when the class has no picture of that kind.
fn picture(class: &BadgeClass, ext: &str) -> Option<Vec<u8>> {
    match (class.image_type.as_str(), ext) {
        ("generated", "svg") => Some(image::generated_svg(&class.name, &class.colour).into_bytes()),
        ("generated", "png") => Some(image::generated_png(&class.colour)),
        (kind, ext) if kind == ext => class.image.clone(),
        _ => None,
    }
}

fn content_type_of(ext: &str) -> &'static str {
    if ext == "png" {
        "image/png"
    } else {
        "image/svg+xml"
    }
}

pub async fn class_image(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, ext) = path.into_inner();
    let class = state
        .db(move |conn| Ok(model::class_by_id(conn, &id)?))
        .await?;
    let bytes = picture(&class, &ext).ok_or(AppError::NotFound)?;
    Ok(image_response(content_type_of(&ext), bytes, None))
}

/// The assertion; a revoked one answers 410 Gone with `revoked: true`.
pub async fn assertion(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let st = state.clone();
    let (revoked, doc) = state
        .db(move |conn| {
            let award = model::award_by_id(conn, &id)?;
            Ok((
                award.revoked_at.is_some(),
                ob2::assertion(&Links::new(&st.settings), &award),
            ))
        })
        .await?;
    let status = if revoked {
        actix_web::http::StatusCode::GONE
    } else {
        actix_web::http::StatusCode::OK
    };
    Ok(document(status, &doc))
}

/// The badge's picture with its assertion's URL baked in.
pub async fn baked(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, ext) = path.into_inner();
    let st = state.clone();
    let (award, class) = state
        .db(move |conn| {
            let award = model::award_by_id(conn, &id)?;
            let class = model::class_by_id(conn, &award.badge_class_id)?;
            Ok((award, class))
        })
        .await?;
    if award.revoked_at.is_some() {
        return Err(AppError::NotFound);
    }
    let picture = picture(&class, &ext).ok_or(AppError::NotFound)?;
    let url = Links::new(&st.settings).assertion(&award.id);
    let baked = match ext.as_str() {
        "png" => bake::bake_png(&picture, &Baked::Assertion(url))?,
        _ => {
            let svg = String::from_utf8(picture)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored SVG: {e}")))?;
            bake::bake_svg(&svg, &Baked::Assertion(url))?.into_bytes()
        }
    };
    Ok(image_response(
        content_type_of(&ext),
        baked,
        Some(format!("badge-{}.{ext}", award.id)),
    ))
}
