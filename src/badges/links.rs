//! Where the portal publishes its badges, and who issues them: the
//! addresses of the public Open Badges documents (2.0 and 3.0) and each
//! office's issuer profile.

use super::model::BadgeClass;
use crate::config::Settings;
use crate::error::{AppError, AppResult};
use crate::org::model::Organization;

/// A link a badge carries (evidence, a competency): an http(s) URL of at
/// most 500 characters without spaces; none when blank. The error names
/// `field` and calls the link `label`.
pub fn checked_link(field: &str, label: &str, url: Option<&str>) -> AppResult<Option<String>> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let well_formed = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() <= 500
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if !well_formed {
        return Err(AppError::validation(
            field,
            format!("{label} 주소는 http:// 또는 https://로 시작하는 500자 이내의 주소입니다."),
        ));
    }
    Ok(Some(url.to_string()))
}

/// The public addresses of the documents.
pub struct Links<'a> {
    settings: &'a Settings,
}

impl<'a> Links<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        Self { settings }
    }

    fn at(&self, path: &str) -> String {
        self.settings.mail.link(path)
    }

    pub fn issuer(&self, organization_id: &str) -> String {
        self.at(&format!("/badges/v2/issuers/{organization_id}"))
    }

    pub fn revocations(&self, organization_id: &str) -> String {
        self.at(&format!("/badges/v2/issuers/{organization_id}/revocations"))
    }

    pub fn class(&self, class_id: &str) -> String {
        self.at(&format!("/badges/v2/classes/{class_id}"))
    }

    pub fn class_image(&self, class: &BadgeClass) -> String {
        self.image_of(&class.id, &class.image_type)
    }

    /// A class's image by its id and image type (`png`, or an SVG).
    pub fn image_of(&self, class_id: &str, image_type: &str) -> String {
        let extension = if image_type == "png" { "png" } else { "svg" };
        self.at(&format!("/badges/v2/classes/{class_id}/image.{extension}"))
    }

    pub fn assertion(&self, award_id: &str) -> String {
        self.at(&format!("/badges/v2/assertions/{award_id}"))
    }

    /// The 3.0 issuer (its Profile) and id.
    pub fn issuer_v3(&self, organization_id: &str) -> String {
        self.at(&format!("/badges/v3/issuers/{organization_id}"))
    }

    /// The office's JWK Set: every key it signs with, or signed with.
    pub fn jwks(&self, organization_id: &str) -> String {
        self.at(&format!("/badges/v3/issuers/{organization_id}/jwks.json"))
    }

    /// The JOSE `kid` of a key: the JWK Set's address, the key's id after `#`.
    pub fn kid(&self, organization_id: &str, key_id: &str) -> String {
        format!("{}#{key_id}", self.jwks(organization_id))
    }

    /// The office's status list number `list` for `purpose` (`revocation`
    /// or `suspension`), signed with the key that signed the credentials
    /// pointing to it: a verifier checks the list with the credential's own
    /// key.
    pub fn status_list(
        &self,
        organization_id: &str,
        key_id: &str,
        purpose: &str,
        list: i64,
    ) -> String {
        self.at(&format!(
            "/badges/v3/issuers/{organization_id}/keys/{key_id}/status/{purpose}/{list}"
        ))
    }

    pub fn achievement(&self, class_id: &str) -> String {
        self.at(&format!("/badges/v3/achievements/{class_id}"))
    }

    /// The 3.0 credential (its compact JWT).
    pub fn credential(&self, award_id: &str) -> String {
        self.at(&format!("/badges/v3/credentials/{award_id}"))
    }

    /// `did:web` of the office: its host (a port written `%3A`) and the
    /// issuer's path, resolved to `…/did.json` there.
    pub fn did_web(&self, organization_id: &str) -> String {
        let portal = self.at("");
        let host = portal
            .split_once("://")
            .map_or(portal.as_str(), |(_, rest)| rest)
            .split('/')
            .next()
            .unwrap_or_default()
            .replace(':', "%3A");
        format!("did:web:{host}:badges:v3:issuers:{organization_id}")
    }

    /// The page where a person checks an award.
    pub fn verification_page(&self, award_id: &str) -> String {
        self.at(&format!("/badges/verify/{award_id}"))
    }
}

/// The issuer's profile: the office's name, page and email.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IssuerProfile {
    pub name: String,
    pub url: String,
    pub email: String,
}

impl IssuerProfile {
    /// From the configuration: the office's own table, then the defaults.
    pub fn of(settings: &Settings, organization: &Organization) -> Self {
        let own = settings.badges.issuers.get(&organization.code);
        let pick = |own: Option<&Option<String>>, default: &str| {
            own.and_then(Option::as_deref)
                .filter(|v| !v.trim().is_empty())
                .unwrap_or(default)
                .to_string()
        };
        let portal = settings.mail.link("/");
        let default_url = match settings.badges.issuer_url.trim() {
            "" => portal.as_str(),
            url => url,
        };
        Self {
            name: pick(own.map(|o| &o.name), &organization.name),
            url: pick(own.map(|o| &o.url), default_url),
            email: pick(own.map(|o| &o.email), &settings.badges.issuer_email),
        }
    }
}
