//! Checking a baked badge file someone drops on the verification page:
//! what is baked in it, whether this portal issued it, and (3.0) whether
//! its signature holds under the office's published key.

use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Serialize;

use super::bake::{self, Baked};
use super::links::Links;
use super::model;
use crate::config::Settings;
use crate::db::DbConn;
use crate::error::AppResult;

/// What a dropped file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Checked {
    /// An award of this portal: 2.0 (its assertion's address) or 3.0 (its
    /// credential, signature verified, as issued).
    Award { award_id: String, version: u8 },
    /// A badge, but not one this portal issued.
    NotOurs,
    /// A 3.0 credential naming this portal whose signature or content does
    /// not hold.
    Tampered,
    /// No badge baked in it (or not a PNG or SVG).
    NothingBaked,
}

impl Checked {
    pub fn message_ko(&self) -> &'static str {
        match self {
            Checked::Award { version: 3, .. } => {
                "이 포털이 발급한 Open Badges 3.0 배지입니다. 서명이 기관의 공개 키로 확인되었습니다."
            }
            Checked::Award { .. } => "이 포털이 발급한 Open Badges 2.0 배지입니다.",
            Checked::NotOurs => "이 포털이 발급한 배지가 아닙니다.",
            Checked::Tampered => "배지 내용이 발급된 것과 다르거나 서명이 맞지 않습니다. 변조되었을 수 있습니다.",
            Checked::NothingBaked => "파일에서 배지 정보를 찾지 못했습니다. 배지 정보가 들어 있는 PNG 또는 SVG 파일을 올려 주세요.",
        }
    }
}

/// What is baked in a PNG or SVG file, 3.0 first.
fn baked_in(file: &[u8]) -> Option<Baked> {
    if file.starts_with(&bake::PNG_SIGNATURE) {
        return bake::unbake_png(file, "openbadgecredential")
            .map(Baked::Credential)
            .or_else(|| bake::unbake_png(file, "openbadges").map(Baked::Assertion));
    }
    bake::unbake_svg(std::str::from_utf8(file).ok()?)
}

pub fn check_file(conn: &mut DbConn, settings: &Settings, file: &[u8]) -> AppResult<Checked> {
    let links = Links::new(settings);
    match baked_in(file) {
        None => Ok(Checked::NothingBaked),
        Some(Baked::Assertion(url)) => {
            let prefix = links.assertion("");
            let Some(id) = url.strip_prefix(&prefix) else {
                return Ok(Checked::NotOurs);
            };
            Ok(match model::award_by_id(conn, id) {
                Ok(award) => Checked::Award {
                    award_id: award.id,
                    version: 2,
                },
                Err(diesel::result::Error::NotFound) => Checked::NotOurs,
                Err(e) => return Err(e.into()),
            })
        }
        Some(Baked::Credential(jwt)) => check_credential(conn, &links, &jwt),
    }
}

/// A 3.0 credential: its key by the `kid`, the signature, then the award
/// it names, which must have been issued exactly so.
fn check_credential(conn: &mut DbConn, links: &Links<'_>, jwt: &str) -> AppResult<Checked> {
    let Ok(header) = jsonwebtoken::decode_header(jwt) else {
        return Ok(Checked::NothingBaked);
    };
    let Some((jwks, key_id)) = header.kid.as_deref().and_then(|k| k.split_once('#')) else {
        return Ok(Checked::NotOurs);
    };
    let key = match model::key_by_id(conn, key_id) {
        Ok(key) if links.jwks(&key.organization_id) == jwks => key,
        Ok(_) | Err(diesel::result::Error::NotFound) => return Ok(Checked::NotOurs),
        Err(e) => return Err(e.into()),
    };
    let jwk: serde_json::Value = serde_json::from_str(&key.public_jwk)
        .map_err(|e| crate::error::AppError::Internal(anyhow::anyhow!("a stored JWK: {e}")))?;
    let (Some(n), Some(e)) = (jwk["n"].as_str(), jwk["e"].as_str()) else {
        return Ok(Checked::Tampered);
    };
    let Ok(decoding) = DecodingKey::from_rsa_components(n, e) else {
        return Ok(Checked::Tampered);
    };
    // Only the signature here: whether it still holds (expiry, revocation)
    // is the award's status, shown with it.
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.required_spec_claims.clear();
    let Ok(token) = jsonwebtoken::decode::<serde_json::Value>(jwt, &decoding, &validation) else {
        return Ok(Checked::Tampered);
    };
    let Some(id) = token.claims["id"]
        .as_str()
        .and_then(|id| id.strip_prefix(&links.credential("")))
    else {
        return Ok(Checked::Tampered);
    };
    Ok(match model::award_by_id(conn, id) {
        Ok(award) if award.credential_jwt == jwt => Checked::Award {
            award_id: award.id,
            version: 3,
        },
        Ok(_) | Err(diesel::result::Error::NotFound) => Checked::Tampered,
        Err(e) => return Err(e.into()),
    })
}
