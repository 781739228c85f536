//! Badge classes and awards, and the plain queries over them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{
    badge_awards, badge_classes, badge_signing_keys, badge_status_counters, employees,
};
use crate::db::DbConn;

/// A badge an office offers: what it stands for, how it is earned.
#[derive(Queryable, Selectable, Insertable, Serialize, ToSchema, Debug, Clone, PartialEq)]
#[diesel(table_name = badge_classes, treat_none_as_default_value = false)]
pub struct BadgeClass {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub description: String,
    /// What a person does to earn it, in words.
    pub criteria: String,
    /// The achievement that earns it by itself; none: awarded by hand.
    pub rule: Option<String>,
    pub rule_threshold: Option<i64>,
    /// A JSON array of strings.
    #[serde(skip)]
    pub tags: String,
    pub alignment_name: Option<String>,
    pub alignment_url: Option<String>,
    /// An award expires this many months after it is issued; none: never.
    pub valid_months: Option<i32>,
    /// `#rrggbb`, for the generated image.
    pub colour: String,
    /// `generated`, `png` or `svg`.
    pub image_type: String,
    #[serde(skip)]
    pub image: Option<Vec<u8>>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

impl BadgeClass {
    pub fn tag_list(&self) -> Vec<String> {
        serde_json::from_str(&self.tags).unwrap_or_default()
    }
}

/// An award of a badge to a person: the 2.0 assertion.
#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = badge_awards, treat_none_as_default_value = false)]
pub struct Award {
    pub id: String,
    pub organization_id: String,
    pub badge_class_id: String,
    pub employee_id: String,
    /// What earned it; one award per class, person and achievement.
    pub achievement_key: String,
    pub recipient_salt: String,
    /// `sha256$` and the hex digest of the email and the salt.
    pub recipient_hash: String,
    pub narrative: String,
    pub evidence_url: Option<String>,
    pub issued_at: NaiveDateTime,
    pub expires_at: Option<NaiveDateTime>,
    /// None: a rule awarded it.
    pub awarded_by: Option<String>,
    /// Shown to others on the verification page (the owner's choice).
    pub public: bool,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub revocation_reason: Option<String>,
    /// The Open Badges 3.0 credential, signed at issue (compact JWT).
    pub credential_jwt: String,
    /// Its place in the office's revocation status list.
    pub status_index: i64,
}

impl Award {
    pub fn is_expired(&self, now: NaiveDateTime) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }
}

pub fn insert_class(conn: &mut DbConn, class: &BadgeClass) -> QueryResult<()> {
    diesel::insert_into(badge_classes::table)
        .values(class)
        .execute(conn)
        .map(drop)
}

pub fn class_by_id(conn: &mut DbConn, id: &str) -> QueryResult<BadgeClass> {
    badge_classes::table
        .find(id)
        .select(BadgeClass::as_select())
        .first(conn)
}

/// An office's badge classes by name, without their images.
pub fn classes_of(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<BadgeClass>> {
    badge_classes::table
        .filter(badge_classes::organization_id.eq(organization_id))
        .order(badge_classes::name)
        .select(BadgeClass::as_select())
        .load(conn)
        .map(|classes| {
            classes
                .into_iter()
                .map(|c| BadgeClass { image: None, ..c })
                .collect()
        })
}

/// Inserts an award unless its class, person and achievement have one
/// already (even one a racing transaction has just written); answers
/// whether it did.
pub fn insert_award_once(conn: &mut DbConn, award: &Award) -> QueryResult<bool> {
    let inserted = crate::on_backend!(&mut *conn, |c| diesel::insert_into(badge_awards::table)
        .values(award)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(inserted == 1)
}

/// The award an achievement earned.
pub fn award_for_achievement(
    conn: &mut DbConn,
    class_id: &str,
    employee_id: &str,
    achievement_key: &str,
) -> QueryResult<Award> {
    badge_awards::table
        .filter(badge_awards::badge_class_id.eq(class_id))
        .filter(badge_awards::employee_id.eq(employee_id))
        .filter(badge_awards::achievement_key.eq(achievement_key))
        .select(Award::as_select())
        .first(conn)
}

pub fn award_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Award> {
    badge_awards::table
        .find(id)
        .select(Award::as_select())
        .first(conn)
}

/// The awards of a class to a person whose key starts with `key_prefix`.
pub fn awards_for(
    conn: &mut DbConn,
    class_id: &str,
    employee_id: &str,
    key_prefix: &str,
) -> QueryResult<Vec<Award>> {
    badge_awards::table
        .filter(badge_awards::badge_class_id.eq(class_id))
        .filter(badge_awards::employee_id.eq(employee_id))
        .filter(badge_awards::achievement_key.like(format!("{key_prefix}%")))
        .select(Award::as_select())
        .load(conn)
}

/// A person's awards with their classes, newest first.
pub fn awards_of_person(
    conn: &mut DbConn,
    employee_id: &str,
) -> QueryResult<Vec<(Award, BadgeClass)>> {
    badge_awards::table
        .inner_join(badge_classes::table)
        .filter(badge_awards::employee_id.eq(employee_id))
        .order((badge_awards::issued_at.desc(), badge_awards::id.desc()))
        .select((Award::as_select(), BadgeClass::as_select()))
        .load(conn)
}

/// The awards of a class, newest first, with the recipients' names.
pub fn awards_of_class(
    conn: &mut DbConn,
    class_id: &str,
    limit: i64,
) -> QueryResult<Vec<(Award, String)>> {
    badge_awards::table
        .inner_join(employees::table)
        .filter(badge_awards::badge_class_id.eq(class_id))
        .order((badge_awards::issued_at.desc(), badge_awards::id.desc()))
        .limit(limit)
        .select((Award::as_select(), employees::name))
        .load(conn)
}

/// An office's revoked awards: (id, reason), for its revocation list.
pub fn revoked_of(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(String, Option<String>)>> {
    badge_awards::table
        .filter(badge_awards::organization_id.eq(organization_id))
        .filter(badge_awards::revoked_at.is_not_null())
        .order(badge_awards::revoked_at)
        .select((badge_awards::id, badge_awards::revocation_reason))
        .load(conn)
}

/// Revokes an award not yet revoked; answers whether it did.
pub fn revoke(
    conn: &mut DbConn,
    award_id: &str,
    by: &str,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        badge_awards::table
            .filter(badge_awards::id.eq(award_id))
            .filter(badge_awards::revoked_at.is_null()),
    )
    .set((
        badge_awards::revoked_at.eq(at),
        badge_awards::revoked_by.eq(by),
        badge_awards::revocation_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn set_public(conn: &mut DbConn, award_id: &str, public: bool) -> QueryResult<()> {
    diesel::update(badge_awards::table.find(award_id))
        .set(badge_awards::public.eq(public))
        .execute(conn)
        .map(drop)
}

/// An office's key for signing its 3.0 credentials.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = badge_signing_keys, treat_none_as_default_value = false)]
pub struct SigningKey {
    /// The key's id (the JOSE `kid`'s fragment).
    pub id: String,
    pub organization_id: String,
    pub private_key_pem: String,
    /// The public half, as a JWK (JSON).
    pub public_jwk: String,
    pub created_at: NaiveDateTime,
    pub retired_at: Option<NaiveDateTime>,
}

/// The office's key that signs now, if it has one.
pub fn active_key(conn: &mut DbConn, organization_id: &str) -> QueryResult<Option<SigningKey>> {
    badge_signing_keys::table
        .filter(badge_signing_keys::organization_id.eq(organization_id))
        .filter(badge_signing_keys::retired_at.is_null())
        .select(SigningKey::as_select())
        .first(conn)
        .optional()
}

pub fn key_by_id(conn: &mut DbConn, id: &str) -> QueryResult<SigningKey> {
    badge_signing_keys::table
        .find(id)
        .select(SigningKey::as_select())
        .first(conn)
}

/// Every key the office has signed with, oldest first.
pub fn keys_of(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<SigningKey>> {
    badge_signing_keys::table
        .filter(badge_signing_keys::organization_id.eq(organization_id))
        .order(badge_signing_keys::created_at)
        .select(SigningKey::as_select())
        .load(conn)
}

/// Adds a key unless the office has an active one already (a racing
/// transaction's); answers whether it did.
pub fn insert_key_once(conn: &mut DbConn, key: &SigningKey) -> QueryResult<bool> {
    let inserted = crate::on_backend!(&mut *conn, |c| diesel::insert_into(
        badge_signing_keys::table
    )
    .values(key)
    .on_conflict_do_nothing()
    .execute(c))?;
    Ok(inserted == 1)
}

/// Retires the office's active key; answers whether there was one.
pub fn retire_active_key(
    conn: &mut DbConn,
    organization_id: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        badge_signing_keys::table
            .filter(badge_signing_keys::organization_id.eq(organization_id))
            .filter(badge_signing_keys::retired_at.is_null()),
    )
    .set(badge_signing_keys::retired_at.eq(at))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Takes the office's next free place in its status list. The update
/// holds the counter's row until the transaction ends, so two awards
/// never take the same place.
pub fn take_status_index(conn: &mut DbConn, organization_id: &str) -> QueryResult<i64> {
    use badge_status_counters as counters;
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(counters::table)
        .values((
            counters::organization_id.eq(organization_id),
            counters::next_index.eq(0_i64),
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    diesel::update(counters::table.find(organization_id))
        .set(counters::next_index.eq(counters::next_index + 1))
        .execute(conn)?;
    let next: i64 = counters::table
        .find(organization_id)
        .select(counters::next_index)
        .first(conn)?;
    Ok(next - 1)
}

/// The places of the office's revoked awards in `from..to` of its list.
pub fn revoked_indices(
    conn: &mut DbConn,
    organization_id: &str,
    (from, to): (i64, i64),
) -> QueryResult<Vec<i64>> {
    badge_awards::table
        .filter(badge_awards::organization_id.eq(organization_id))
        .filter(badge_awards::revoked_at.is_not_null())
        .filter(badge_awards::status_index.ge(from))
        .filter(badge_awards::status_index.lt(to))
        .select(badge_awards::status_index)
        .load(conn)
}
