//! Open Badges 2.0, hosted verification: the Issuer (Profile), BadgeClass,
//! Assertion and RevocationList documents (JSON-LD) at stable public URLs
//! under `/badges/v2/`. A verifier fetches the assertion from its id, the
//! class from the assertion, the issuer from the class; no document names
//! a person other than by the salted hash of the email the badge was
//! issued to.

use chrono::NaiveDateTime;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

pub use super::links::{IssuerProfile, Links};
use super::model::{Award, BadgeClass};

pub const CONTEXT: &str = "https://w3id.org/openbadges/v2";
/// What the documents are served as.
pub const CONTENT_TYPE: &str = "application/ld+json";

/// The recipient's identity as published: `sha256$` and the hex digest of
/// the email (as issued, lower-cased) followed by the salt.
pub fn hashed_email(email: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{}{salt}", email.trim().to_lowercase()).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${hex}")
}

/// An instant as the documents write it (UTC, ISO 8601).
pub fn instant(at: NaiveDateTime) -> String {
    at.and_utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

pub fn issuer(links: &Links<'_>, organization_id: &str, profile: &IssuerProfile) -> Value {
    json!({
        "@context": CONTEXT,
        "type": "Issuer",
        "id": links.issuer(organization_id),
        "name": profile.name,
        "url": profile.url,
        "email": profile.email,
        "revocationList": links.revocations(organization_id),
    })
}

pub fn badge_class(links: &Links<'_>, class: &BadgeClass) -> Value {
    let mut doc = json!({
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": links.class(&class.id),
        "name": class.name,
        "description": class.description,
        "image": links.class_image(class),
        "criteria": { "narrative": class.criteria },
        "issuer": links.issuer(&class.organization_id),
        "tags": class.tag_list(),
    });
    if let Some(name) = &class.alignment_name {
        let mut alignment = Map::new();
        alignment.insert("targetName".into(), json!(name));
        if let Some(url) = &class.alignment_url {
            alignment.insert("targetUrl".into(), json!(url));
        }
        doc["alignment"] = json!([alignment]);
    }
    doc
}

/// The assertion; a revoked one says so, with the reason, and nothing more
/// about the person.
pub fn assertion(links: &Links<'_>, award: &Award) -> Value {
    let id = links.assertion(&award.id);
    if award.revoked_at.is_some() {
        return json!({
            "@context": CONTEXT,
            "type": "Assertion",
            "id": id,
            "revoked": true,
            "revocationReason": award.revocation_reason,
        });
    }
    let mut doc = json!({
        "@context": CONTEXT,
        "type": "Assertion",
        "id": id,
        "recipient": {
            "type": "email",
            "hashed": true,
            "salt": award.recipient_salt,
            "identity": award.recipient_hash,
        },
        "badge": links.class(&award.badge_class_id),
        "verification": { "type": "hosted" },
        "issuedOn": instant(award.issued_at),
    });
    if let Some(expires) = award.expires_at {
        doc["expires"] = json!(instant(expires));
    }
    if !award.narrative.is_empty() {
        doc["narrative"] = json!(award.narrative);
    }
    let mut evidence = Map::new();
    if let Some(url) = &award.evidence_url {
        evidence.insert("id".into(), json!(url));
    }
    if !award.narrative.is_empty() {
        evidence.insert("narrative".into(), json!(award.narrative));
    }
    if !evidence.is_empty() {
        doc["evidence"] = json!([evidence]);
    }
    doc
}

/// The office's revocation list: every revoked award, with its reason.
pub fn revocation_list(
    links: &Links<'_>,
    organization_id: &str,
    revoked: &[(String, Option<String>)],
) -> Value {
    let entries: Vec<Value> = revoked
        .iter()
        .map(|(id, reason)| json!({ "id": links.assertion(id), "revocationReason": reason }))
        .collect();
    json!({
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": links.revocations(organization_id),
        "issuer": links.issuer(organization_id),
        "revokedAssertions": entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipient_hash_is_the_specs() {
        // OB 2.0: sha256 of the identity with the salt appended.
        let expected = format!(
            "sha256${}",
            Sha256::digest(b"alice@example.orgc0ffee-salt")
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        assert_eq!(hashed_email(" Alice@Example.org ", "c0ffee-salt"), expected);
        assert_ne!(hashed_email("bob@example.org", "c0ffee-salt"), expected);
    }
}
