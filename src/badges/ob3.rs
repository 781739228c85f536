//! Open Badges 3.0: each award as an `OpenBadgeCredential` (a W3C
//! verifiable credential, data model 2.0) signed as a compact JWT with the
//! office's RS256 key; the office's revocation and suspension status lists
//! (W3C Bitstring Status List, each itself a signed credential); its JWK Set and `did:web`
//! document. The recipient appears only as an `IdentityObject`: the salted
//! hash of the email the badge was issued to.

use std::io::Write;

use base64::Engine;
use chrono::NaiveDateTime;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Map, Value};

use super::links::{IssuerProfile, Links};
use super::model::{Award, BadgeClass, SigningKey};
use super::ob2::instant;
use crate::error::{AppError, AppResult};

pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// How a signed credential is served.
pub const JWT_CONTENT_TYPE: &str = "application/vc+jwt";
/// Places in one status list: the least the specification allows (16 KiB),
/// so that a revoked award hides among many.
pub const STATUS_LIST_SIZE: i64 = 131_072;

/// The office as the issuer of its credentials.
pub fn profile(links: &Links<'_>, organization_id: &str, profile: &IssuerProfile) -> Value {
    json!({
        "id": links.issuer_v3(organization_id),
        "type": ["Profile"],
        "name": profile.name,
        "url": profile.url,
        "email": profile.email,
    })
}

/// The profile as a document of its own, at its id.
pub fn profile_document(links: &Links<'_>, organization_id: &str, issuer: &IssuerProfile) -> Value {
    let mut doc = json!({ "@context": [VC_CONTEXT, OB3_CONTEXT] });
    merge(&mut doc, profile(links, organization_id, issuer));
    doc
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(into), Value::Object(from)) = (into.as_object_mut(), from) {
        into.extend(from);
    }
}

/// What the badge stands for.
pub fn achievement(links: &Links<'_>, class: &BadgeClass) -> Value {
    let mut achievement = json!({
        "id": links.achievement(&class.id),
        "type": ["Achievement"],
        "name": class.name,
        "description": class.description,
        "criteria": { "narrative": class.criteria },
        "image": { "id": links.class_image(class), "type": "Image" },
    });
    let tags = class.tag_list();
    if !tags.is_empty() {
        achievement["tag"] = json!(tags);
    }
    if let Some(name) = &class.alignment_name {
        let mut alignment = Map::new();
        alignment.insert("type".into(), json!(["Alignment"]));
        alignment.insert("targetName".into(), json!(name));
        if let Some(url) = &class.alignment_url {
            alignment.insert("targetUrl".into(), json!(url));
        }
        achievement["alignment"] = json!([alignment]);
    }
    achievement
}

/// The award as a credential, to be signed with the key `key_id`.
pub fn credential(
    links: &Links<'_>,
    issuer: &IssuerProfile,
    class: &BadgeClass,
    award: &Award,
    key_id: &str,
) -> Value {
    let list = award.status_index / STATUS_LIST_SIZE;
    let place = award.status_index % STATUS_LIST_SIZE;
    let status: Vec<Value> = PURPOSES
        .iter()
        .map(|purpose| {
            let list_url = links.status_list(&award.organization_id, key_id, purpose, list);
            json!({
                "id": format!("{list_url}#{place}"),
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": place.to_string(),
                "statusListCredential": list_url,
            })
        })
        .collect();
    let mut vc = json!({
        "@context": [VC_CONTEXT, OB3_CONTEXT],
        "id": links.credential(&award.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile(links, &award.organization_id, issuer),
        "validFrom": instant(award.issued_at),
        "name": class.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": award.recipient_hash,
                "identityType": "emailAddress",
                "hashed": true,
                "salt": award.recipient_salt,
            }],
            "achievement": achievement(links, class),
        },
        "credentialStatus": status,
    });
    if let Some(expires) = award.expires_at {
        vc["validUntil"] = json!(instant(expires));
    }
    if !award.narrative.is_empty() || award.evidence_url.is_some() {
        let mut evidence = Map::new();
        if let Some(url) = &award.evidence_url {
            evidence.insert("id".into(), json!(url));
        }
        evidence.insert("type".into(), json!(["Evidence"]));
        if !award.narrative.is_empty() {
            evidence.insert("narrative".into(), json!(award.narrative));
        }
        vc["evidence"] = json!([evidence]);
    }
    vc
}

/// Signs a credential as a compact JWT (VC-JWT): the credential is the
/// payload, with the registered claims the specification ties to it
/// (`iss`, `jti`, `nbf`, `exp`, `sub`).
pub fn sign(links: &Links<'_>, key: &SigningKey, mut vc: Value) -> AppResult<String> {
    let issuer_id = match &vc["issuer"] {
        Value::String(id) => id.clone(),
        issuer => issuer["id"].as_str().unwrap_or_default().to_string(),
    };
    let epoch = |field: &str| {
        vc[field].as_str().and_then(|t| {
            chrono::DateTime::parse_from_rfc3339(t)
                .ok()
                .map(|t| t.timestamp())
        })
    };
    let (nbf, exp) = (epoch("validFrom"), epoch("validUntil"));
    vc["iss"] = json!(issuer_id);
    vc["jti"] = vc["id"].clone();
    if let Some(nbf) = nbf {
        vc["nbf"] = json!(nbf);
    }
    if let Some(exp) = exp {
        vc["exp"] = json!(exp);
    }
    if let Some(subject) = vc["credentialSubject"]["id"].as_str() {
        vc["sub"] = json!(subject);
    }
    let mut header = Header::new(Algorithm::RS256);
    header.typ = Some("JWT".into());
    header.kid = Some(links.kid(&key.organization_id, &key.id));
    let encoding = encoding_key(key)?;
    jsonwebtoken::encode(&header, &vc, &encoding)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("signing a credential: {e}")))
}

/// The key as jsonwebtoken takes it (PKCS#1 DER).
fn encoding_key(key: &SigningKey) -> AppResult<EncodingKey> {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let private = rsa::RsaPrivateKey::from_pkcs8_pem(&key.private_key_pem)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("the signing key: {e}")))?;
    let der = private
        .to_pkcs1_der()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("the signing key: {e}")))?;
    Ok(EncodingKey::from_rsa_der(der.as_bytes()))
}

/// A list's bits (the places set, MSB first), gzipped, as multibase
/// base64url: the specification's `encodedList`.
pub fn encoded_list(places: &[i64]) -> String {
    let mut bits = vec![0u8; (STATUS_LIST_SIZE / 8) as usize];
    for &place in places {
        if (0..STATUS_LIST_SIZE).contains(&place) {
            bits[(place / 8) as usize] |= 0x80 >> (place % 8);
        }
    }
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&bits).expect("writing to memory");
    let compressed = gzip.finish().expect("writing to memory");
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
    )
}

/// The purposes of the office's status lists: a revoked award is revoked
/// for good; a suspended one may be resumed.
pub const PURPOSES: [&str; 2] = ["revocation", "suspension"];

/// The office's status list number `list` for `purpose` as of `now`, to be
/// signed with `key`: a credential whose subject carries the bits of the
/// places set.
pub fn status_list_credential(
    links: &Links<'_>,
    key: &SigningKey,
    purpose: &str,
    list: i64,
    places: &[i64],
    now: NaiveDateTime,
) -> Value {
    let organization_id = &key.organization_id;
    let id = links.status_list(organization_id, &key.id, purpose, list);
    json!({
        "@context": [VC_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": links.issuer_v3(organization_id),
        "validFrom": instant(now),
        "credentialSubject": {
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encoded_list(places),
        },
    })
}

/// The office's `did:web` document: its keys as verification methods.
pub fn did_document(links: &Links<'_>, organization_id: &str, keys: &[Value]) -> Value {
    let did = links.did_web(organization_id);
    let methods: Vec<Value> = keys
        .iter()
        .map(|jwk| {
            json!({
                "id": format!("{did}#{}", jwk["kid"].as_str().unwrap_or_default()),
                "type": "JsonWebKey",
                "controller": did,
                "publicKeyJwk": jwk,
            })
        })
        .collect();
    let ids: Vec<Value> = methods.iter().map(|m| m["id"].clone()).collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "alsoKnownAs": [links.issuer_v3(organization_id)],
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

/// The payload of a compact JWT, undecoded and unverified: for showing
/// what was issued.
pub fn payload_of(jwt: &str) -> Option<Value> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_sets_the_places_most_significant_bit_first() {
        let encoded = encoded_list(&[0, 9, STATUS_LIST_SIZE - 1, STATUS_LIST_SIZE]);
        let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(encoded.strip_prefix('u').unwrap())
            .unwrap();
        let mut bits = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&compressed[..]),
            &mut bits,
        )
        .unwrap();
        assert_eq!(bits.len(), 16 * 1024);
        assert_eq!(bits[0], 0x80);
        assert_eq!(bits[1], 0x40);
        assert_eq!(bits[bits.len() - 1], 0x01);
        assert_eq!(bits.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        assert!(encoded.len() < 200, "an empty-ish list is small: {encoded}");
    }
}
