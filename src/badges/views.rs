//! Awards and classes as the API and the pages show them.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::model::{Award, BadgeClass, FeedRow};
use super::ob2::Links;

crate::text_enum! {
    /// Where an award stands now.
    pub enum AwardStatus {
        Valid = ("valid", "유효"),
        Expired = ("expired", "만료"),
        Suspended = ("suspended", "일시 정지"),
        Revoked = ("revoked", "취소"),
    }
}

impl AwardStatus {
    pub fn of(award: &Award, now: NaiveDateTime) -> Self {
        if award.revoked_at.is_some() {
            AwardStatus::Revoked
        } else if award.suspended_at.is_some() {
            AwardStatus::Suspended
        } else if award.is_expired(now) {
            AwardStatus::Expired
        } else {
            AwardStatus::Valid
        }
    }
}

/// Where to find a badge and its award.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwardLinks {
    /// The hosted Open Badges 2.0 assertion.
    pub assertion: String,
    /// The badge's image with the assertion baked in, where the class has
    /// that kind of image.
    pub baked_png: Option<String>,
    pub baked_svg: Option<String>,
    /// The Open Badges 3.0 credential (a compact JWT signed by the office).
    pub credential: String,
    /// The badge's image with the 3.0 credential baked in.
    pub credential_png: Option<String>,
    pub credential_svg: Option<String>,
    /// The page where anyone checks it.
    pub verify: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClassSummary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub criteria: String,
    pub image: String,
    pub tags: Vec<String>,
}

impl ClassSummary {
    pub fn of(links: &Links<'_>, class: &BadgeClass) -> Self {
        Self {
            id: class.id.clone(),
            name: class.name.clone(),
            description: class.description.clone(),
            criteria: class.criteria.clone(),
            image: links.class_image(class),
            tags: class.tag_list(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwardView {
    pub id: String,
    pub badge: ClassSummary,
    pub employee_id: String,
    /// Seoul time, RFC 3339.
    pub issued_at: String,
    pub expires_at: Option<String>,
    pub status: AwardStatus,
    pub revocation_reason: Option<String>,
    pub suspension_reason: Option<String>,
    pub narrative: String,
    pub evidence_url: Option<String>,
    /// Shown to others on the verification page.
    pub public: bool,
    /// False when a rule awarded it.
    pub by_hand: bool,
    pub links: AwardLinks,
}

impl AwardView {
    pub fn of(links: &Links<'_>, award: &Award, class: &BadgeClass, now: NaiveDateTime) -> Self {
        let baked = |document: String, ext: &str| {
            let available = class.image_type == "generated" || class.image_type == ext;
            available.then(|| format!("{document}/baked.{ext}"))
        };
        let (assertion, credential) = (links.assertion(&award.id), links.credential(&award.id));
        Self {
            id: award.id.clone(),
            badge: ClassSummary::of(links, class),
            employee_id: award.employee_id.clone(),
            issued_at: crate::format::seoul_rfc3339(award.issued_at),
            expires_at: award.expires_at.map(crate::format::seoul_rfc3339),
            status: AwardStatus::of(award, now),
            revocation_reason: award.revocation_reason.clone(),
            suspension_reason: award.suspension_reason.clone(),
            narrative: award.narrative.clone(),
            evidence_url: award.evidence_url.clone(),
            public: award.public,
            by_hand: award.awarded_by.is_some(),
            links: AwardLinks {
                baked_png: baked(assertion.clone(), "png"),
                baked_svg: baked(assertion.clone(), "svg"),
                credential_png: baked(credential.clone(), "png"),
                credential_svg: baked(credential.clone(), "svg"),
                assertion,
                credential,
                verify: links.verification_page(&award.id),
            },
        }
    }
}

/// A badge on the home page's feed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedItem {
    pub award_id: String,
    pub badge: String,
    pub image: String,
    pub recipient: String,
    /// The viewer's own: they may take it off the feed.
    pub mine: bool,
    pub issued_on: String,
    pub verify: String,
}

impl FeedItem {
    pub fn of(links: &Links<'_>, row: &FeedRow, viewer_id: &str) -> Self {
        Self {
            award_id: row.award_id.clone(),
            badge: row.class_name.clone(),
            image: links.image_of(&row.class_id, &row.image_type),
            recipient: row.recipient.clone(),
            mine: row.employee_id == viewer_id,
            issued_on: crate::clock::seoul_date(row.issued_at).to_string(),
            verify: links.verification_page(&row.award_id),
        }
    }
}
