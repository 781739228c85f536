//! The public Open Badges documents and images: what a verifier outside
//! the office fetches, without a login. 2.0 under `/badges/v2/`, 3.0 under
//! `/badges/v3/`.

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::bake::{self, Baked};
use super::image;
use super::links::{IssuerProfile, Links};
use super::model::{self, BadgeClass};
use super::{keys, ob2, ob3};
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

/// An office's issuer document, as `build` writes it from its profile.
async fn issuer_document(
    state: web::Data<AppState>,
    organization_id: String,
    build: fn(&Links<'_>, &str, &IssuerProfile) -> serde_json::Value,
) -> AppResult<HttpResponse> {
    let st = state.clone();
    let doc = state
        .db(move |conn| {
            let organization = crate::org::model::organization_by_id(conn, &organization_id)?;
            let profile = IssuerProfile::of(&st.settings, &organization);
            Ok(build(&Links::new(&st.settings), &organization.id, &profile))
        })
        .await?;
    Ok(document(actix_web::http::StatusCode::OK, &doc))
}

/// The 2.0 Issuer.
pub async fn issuer(state: web::Data<AppState>, id: web::Path<String>) -> AppResult<HttpResponse> {
    issuer_document(state, id.into_inner(), ob2::issuer).await
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

/// The badge's picture with its 2.0 assertion's URL, or its 3.0
/// credential, baked in.
async fn baked_picture(
    state: web::Data<AppState>,
    id: String,
    ext: String,
    version: Version,
) -> AppResult<HttpResponse> {
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
    let baked = match version {
        Version::V2 => Baked::Assertion(Links::new(&st.settings).assertion(&award.id)),
        Version::V3 => Baked::Credential(award.credential_jwt.clone()),
    };
    let bytes = match ext.as_str() {
        "png" => bake::bake_png(&picture, &baked)?,
        _ => {
            let svg = String::from_utf8(picture)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored SVG: {e}")))?;
            bake::bake_svg(&svg, &baked)?.into_bytes()
        }
    };
    let suffix = match version {
        Version::V2 => "",
        Version::V3 => "-ob3",
    };
    Ok(image_response(
        content_type_of(&ext),
        bytes,
        Some(format!("badge-{}{suffix}.{ext}", award.id)),
    ))
}

#[derive(Debug, Clone, Copy)]
enum Version {
    V2,
    V3,
}

pub async fn baked_assertion(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, ext) = path.into_inner();
    baked_picture(state, id, ext, Version::V2).await
}

pub async fn baked_credential(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, ext) = path.into_inner();
    baked_picture(state, id, ext, Version::V3).await
}

/// The award's 3.0 credential as it was signed (a compact JWT); a revoked
/// one too: its status list says it is revoked.
pub async fn credential(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let award = state
        .db(move |conn| Ok(model::award_by_id(conn, &id)?))
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(ob3::JWT_CONTENT_TYPE)
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(award.credential_jwt))
}

/// The 3.0 Profile.
pub async fn profile(state: web::Data<AppState>, id: web::Path<String>) -> AppResult<HttpResponse> {
    issuer_document(state, id.into_inner(), ob3::profile_document).await
}

pub async fn achievement(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let st = state.clone();
    let doc = state
        .db(move |conn| {
            let class = model::class_by_id(conn, &id)?;
            let mut doc = serde_json::json!({ "@context": [ob3::VC_CONTEXT, ob3::OB3_CONTEXT] });
            if let (Some(doc), serde_json::Value::Object(a)) = (
                doc.as_object_mut(),
                ob3::achievement(&Links::new(&st.settings), &class),
            ) {
                doc.extend(a);
            }
            Ok(doc)
        })
        .await?;
    Ok(document(actix_web::http::StatusCode::OK, &doc))
}

/// The office's JWK Set: the public half of every key it signed with.
pub async fn jwks(state: web::Data<AppState>, id: web::Path<String>) -> AppResult<HttpResponse> {
    let keys = state
        .db(move |conn| {
            let organization = crate::org::model::organization_by_id(conn, &id)?;
            keys::public_keys(conn, &organization.id)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/jwk-set+json")
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(serde_json::json!({ "keys": keys }).to_string()))
}

/// The office's `did:web` document.
pub async fn did(state: web::Data<AppState>, id: web::Path<String>) -> AppResult<HttpResponse> {
    let st = state.clone();
    let doc = state
        .db(move |conn| {
            let organization = crate::org::model::organization_by_id(conn, &id)?;
            let keys = keys::public_keys(conn, &organization.id)?;
            Ok(ob3::did_document(
                &Links::new(&st.settings),
                &organization.id,
                &keys,
            ))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/did+json")
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .body(doc.to_string()))
}

/// The office's status list number `list` for a purpose (`revocation` or
/// `suspension`), as of now, signed with the key its credentials were
/// signed with (a retired key too: what it signed still verifies): a
/// revocation or suspension shows at the next check.
pub async fn status_list(
    state: web::Data<AppState>,
    path: web::Path<(String, String, String, i64)>,
) -> AppResult<HttpResponse> {
    let (organization_id, key_id, purpose, list) = path.into_inner();
    let Some(purpose) = ob3::PURPOSES.iter().find(|p| **p == purpose).copied() else {
        return Err(AppError::NotFound);
    };
    if list < 0 {
        return Err(AppError::NotFound);
    }
    let now = state.clock.now_naive();
    let st = state.clone();
    let jwt = state
        .db(move |conn| {
            let key = model::key_by_id(conn, &key_id)?;
            if key.organization_id != organization_id {
                return Err(AppError::NotFound);
            }
            let from = list * ob3::STATUS_LIST_SIZE;
            let places: Vec<i64> = model::status_indices(
                conn,
                &organization_id,
                purpose == "suspension",
                (from, from + ob3::STATUS_LIST_SIZE),
            )?
            .into_iter()
            .map(|index| index - from)
            .collect();
            let links = Links::new(&st.settings);
            let vc = ob3::status_list_credential(&links, &key, purpose, list, &places, now);
            ob3::sign(&links, &key, vc)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type(ob3::JWT_CONTENT_TYPE)
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(jwt))
}
