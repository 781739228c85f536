//! Each office's RSA key for signing its Open Badges 3.0 credentials
//! (RS256, the algorithm every OB 3.0 verifier supports). Made with the
//! office's first badge class (or else its first award) and kept in the
//! database, never in the repository;
//! the public halves are published as a JWK Set. Rotating makes a new key
//! that signs from then on; the retired ones stay published, so that what
//! they signed still verifies.

use base64::Engine;
use chrono::NaiveDateTime;
use rsa::pkcs8::{EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};

use super::model::{self, SigningKey};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};

const RSA_BITS: usize = 2048;

fn base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new key for `organization_id`, made now.
fn generate(organization_id: &str, now: NaiveDateTime) -> AppResult<SigningKey> {
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, RSA_BITS)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("an RSA key: {e}")))?;
    let pem = private
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("an RSA key as PEM: {e}")))?;
    let id = format!("key-{}", crate::db::new_id());
    let jwk = json!({
        "kty": "RSA",
        "kid": id,
        "use": "sig",
        "alg": "RS256",
        "n": base64url(&private.n().to_bytes_be()),
        "e": base64url(&private.e().to_bytes_be()),
    });
    Ok(SigningKey {
        id,
        organization_id: organization_id.to_string(),
        private_key_pem: pem.to_string(),
        public_jwk: jwk.to_string(),
        created_at: now,
        retired_at: None,
    })
}

/// The office's key that signs now; made on first use.
pub fn signing_key(
    conn: &mut DbConn,
    organization_id: &str,
    now: NaiveDateTime,
) -> AppResult<SigningKey> {
    if let Some(key) = model::active_key(conn, organization_id)? {
        return Ok(key);
    }
    let key = generate(organization_id, now)?;
    crate::db::write_tx(conn, |conn| {
        // A racing first award may have made one: it wins.
        model::insert_key_once(conn, &key)?;
        model::active_key(conn, organization_id)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no active signing key")))
    })
}

/// Retires the office's key and makes a new one (administrators; audited).
pub fn rotate(
    conn: &mut DbConn,
    organization_id: &str,
    by: &str,
    now: NaiveDateTime,
) -> AppResult<SigningKey> {
    let key = generate(organization_id, now)?;
    crate::db::write_tx(conn, |conn| {
        let retired = model::active_key(conn, organization_id)?;
        model::retire_active_key(conn, organization_id, now)?;
        if !model::insert_key_once(conn, &key)? {
            return Err(AppError::Conflict(
                "the key was rotated at the same moment; try again".into(),
            ));
        }
        crate::audit::record(
            conn,
            now,
            Some(by),
            "badges.key_rotated",
            &key.id,
            json!({ "retired": retired.map(|k| k.id) }),
        )?;
        Ok(key.clone())
    })
}

/// The public halves of every key the office has signed with.
pub fn public_keys(conn: &mut DbConn, organization_id: &str) -> AppResult<Vec<Value>> {
    model::keys_of(conn, organization_id)?
        .iter()
        .map(|k| {
            serde_json::from_str(&k.public_jwk)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("a stored JWK: {e}")))
        })
        .collect()
}
