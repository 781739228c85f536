//! Badge classes and awards, and the plain queries over them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{
    badge_awards, badge_classes, badge_signing_keys, badge_status_counters, clubs, employees,
    evaluation_awards, evaluation_rounds, ledger_accounts, ledger_entries, ledger_movements,
    meeting_attendance, meetings, mileage_earnings, monthly_reports, top_contributors,
};
use crate::db::{any_of, DbConn, SumOfPoints};

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
    /// What the rule's event must name: a prize tier's code, words of a
    /// course's title; none: any.
    pub rule_match: Option<String>,
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
    /// The class without its uploaded image, for lists.
    pub fn without_image(self) -> Self {
        BadgeClass {
            image: None,
            ..self
        }
    }

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
    /// On the home page's feed until the recipient hides it.
    pub in_feed: bool,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub revocation_reason: Option<String>,
    pub suspended_at: Option<NaiveDateTime>,
    pub suspended_by: Option<String>,
    pub suspension_reason: Option<String>,
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
        .map(|classes| classes.into_iter().map(BadgeClass::without_image).collect())
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

/// (person, achievement) of every award of a class.
pub fn achievements_of_class(
    conn: &mut DbConn,
    class_id: &str,
) -> QueryResult<std::collections::HashSet<(String, String)>> {
    let rows: Vec<(String, String)> = badge_awards::table
        .filter(badge_awards::badge_class_id.eq(class_id))
        .select((badge_awards::employee_id, badge_awards::achievement_key))
        .load(conn)?;
    Ok(rows.into_iter().collect())
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

/// The office's awards not revoked whose achievement is one of `keys`.
pub fn standing_awards_with_keys(
    conn: &mut DbConn,
    organization_id: &str,
    keys: &[String],
) -> QueryResult<Vec<Award>> {
    badge_awards::table
        .filter(badge_awards::organization_id.eq(organization_id))
        .filter(badge_awards::achievement_key.eq_any(keys))
        .filter(badge_awards::revoked_at.is_null())
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

/// The office's latest awards with their classes and recipients' names.
pub fn recent_awards(
    conn: &mut DbConn,
    organization_id: &str,
    limit: i64,
) -> QueryResult<Vec<(Award, BadgeClass, String)>> {
    badge_awards::table
        .inner_join(badge_classes::table)
        .inner_join(employees::table)
        .filter(badge_awards::organization_id.eq(organization_id))
        .order((badge_awards::issued_at.desc(), badge_awards::id.desc()))
        .limit(limit)
        .select((Award::as_select(), BadgeClass::as_select(), employees::name))
        .load(conn)
        .map(|rows| {
            rows.into_iter()
                .map(|(award, class, name)| (award, class.without_image(), name))
                .collect()
        })
}

/// A new award to tell its recipient of.
#[derive(Queryable, Debug)]
pub struct NewAward {
    pub id: String,
    pub issued_at: NaiveDateTime,
    pub narrative: String,
    pub class_name: String,
    pub email: String,
    pub name: String,
    pub language: String,
}

/// The office's awards of `since` and after that stand (not revoked), with
/// what their mail says.
pub fn standing_awards_since(
    conn: &mut DbConn,
    organization_id: &str,
    since: NaiveDateTime,
) -> QueryResult<Vec<NewAward>> {
    badge_awards::table
        .inner_join(badge_classes::table)
        .inner_join(employees::table)
        .filter(badge_awards::organization_id.eq(organization_id))
        .filter(badge_awards::issued_at.ge(since))
        .filter(badge_awards::revoked_at.is_null())
        .order((badge_awards::issued_at, badge_awards::id))
        .select((
            badge_awards::id,
            badge_awards::issued_at,
            badge_awards::narrative,
            badge_classes::name,
            employees::email,
            employees::name,
            employees::language,
        ))
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

/// What the home page's feed shows of an award: no signed credential, no
/// image, only what the line says.
#[derive(Queryable, Debug, Clone)]
pub struct FeedRow {
    pub award_id: String,
    pub employee_id: String,
    pub issued_at: NaiveDateTime,
    pub class_id: String,
    pub class_name: String,
    pub image_type: String,
    pub recipient: String,
}

/// The office's badges of `since` and after for the home page's feed: the
/// public ones, and the viewer's own, unless hidden or revoked; newest
/// first, with the class and the recipient's name.
pub fn feed(
    conn: &mut DbConn,
    organization_id: &str,
    viewer_id: &str,
    since: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<FeedRow>> {
    crate::on_backend!(conn, |c| badge_awards::table
        .inner_join(badge_classes::table)
        .inner_join(employees::table)
        .filter(badge_awards::organization_id.eq(organization_id))
        // The column itself, not `= ?`: the planner then knows the partial
        // index `badge_awards_feed` applies.
        .filter(badge_awards::in_feed)
        .filter(badge_awards::issued_at.ge(since))
        .filter(badge_awards::revoked_at.is_null())
        .filter(
            badge_awards::public
                .eq(true)
                .or(badge_awards::employee_id.eq(viewer_id)),
        )
        .order((badge_awards::issued_at.desc(), badge_awards::id.desc()))
        .limit(limit)
        .select((
            badge_awards::id,
            badge_awards::employee_id,
            badge_awards::issued_at,
            badge_classes::id,
            badge_classes::name,
            badge_classes::image_type,
            employees::name,
        ))
        .load(c))
}

pub fn hide_from_feed(conn: &mut DbConn, award_id: &str) -> QueryResult<()> {
    diesel::update(badge_awards::table.find(award_id))
        .set(badge_awards::in_feed.eq(false))
        .execute(conn)
        .map(drop)
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

/// The places in `from..to` of the office's list whose awards are revoked
/// (`suspended` false) or suspended now (true).
pub fn status_indices(
    conn: &mut DbConn,
    organization_id: &str,
    suspended: bool,
    (from, to): (i64, i64),
) -> QueryResult<Vec<i64>> {
    let query = badge_awards::table
        .filter(badge_awards::organization_id.eq(organization_id))
        .filter(badge_awards::status_index.ge(from))
        .filter(badge_awards::status_index.lt(to))
        .select(badge_awards::status_index)
        .into_boxed();
    if suspended {
        query
            .filter(badge_awards::suspended_at.is_not_null())
            .filter(badge_awards::revoked_at.is_null())
            .load(conn)
    } else {
        query
            .filter(badge_awards::revoked_at.is_not_null())
            .load(conn)
    }
}

/// Suspends an award neither revoked nor suspended; answers whether it did.
pub fn suspend(
    conn: &mut DbConn,
    award_id: &str,
    by: &str,
    reason: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        badge_awards::table
            .filter(badge_awards::id.eq(award_id))
            .filter(badge_awards::revoked_at.is_null())
            .filter(badge_awards::suspended_at.is_null()),
    )
    .set((
        badge_awards::suspended_at.eq(at),
        badge_awards::suspended_by.eq(by),
        badge_awards::suspension_reason.eq(reason),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Lifts a suspension; answers whether there was one.
pub fn resume(conn: &mut DbConn, award_id: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        badge_awards::table
            .filter(badge_awards::id.eq(award_id))
            .filter(badge_awards::suspended_at.is_not_null()),
    )
    .set((
        badge_awards::suspended_at.eq(None::<NaiveDateTime>),
        badge_awards::suspended_by.eq(None::<String>),
        badge_awards::suspension_reason.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

// What the rules count. They read other domains' tables directly: the
// rules are called from those domains' events, so asking their services
// back would go round in a circle.

/// The office's classes that `rule` awards, without their images.
pub fn classes_with_rule(
    conn: &mut DbConn,
    organization_id: &str,
    rule: &str,
) -> QueryResult<Vec<BadgeClass>> {
    badge_classes::table
        .filter(badge_classes::organization_id.eq(organization_id))
        .filter(badge_classes::rule.eq(rule))
        .order(badge_classes::created_at)
        .select(BadgeClass::as_select())
        .load(conn)
        .map(|classes| classes.into_iter().map(BadgeClass::without_image).collect())
}

/// Regular meetings each person attended in `from..=to` in the office's
/// clubs (only `people`, when given).
pub fn regular_meetings_attended(
    conn: &mut DbConn,
    organization_id: &str,
    people: Option<&[String]>,
    (from, to): (chrono::NaiveDate, chrono::NaiveDate),
) -> QueryResult<Vec<(String, i64)>> {
    let regular = crate::clubs::model::MeetingKind::Regular.code();
    let mut query = meeting_attendance::table
        .inner_join(meetings::table.inner_join(clubs::table))
        .filter(clubs::organization_id.eq(organization_id))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::kind.eq(regular))
        .filter(meetings::held_on.between(from, to))
        .group_by(meeting_attendance::employee_id)
        .select((meeting_attendance::employee_id, diesel::dsl::count_star()))
        .into_boxed();
    if let Some(people) = people {
        query = query.filter(any_of(meeting_attendance::employee_id, people));
    }
    query.load(conn)
}

/// The years in which the office's clubs held meetings, oldest first.
pub fn meeting_years(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>)> {
    meetings::table
        .inner_join(clubs::table)
        .filter(clubs::organization_id.eq(organization_id))
        .filter(meetings::deleted_at.is_null())
        .select((
            diesel::dsl::min(meetings::held_on),
            diesel::dsl::max(meetings::held_on),
        ))
        .first(conn)
}

/// A club's monthly reports in month order: (month, on time), where on
/// time is none while a report is neither submitted nor marked missing.
pub fn report_record(conn: &mut DbConn, club_id: &str) -> QueryResult<Vec<(String, Option<bool>)>> {
    let rows: Vec<(String, Option<bool>, Option<NaiveDateTime>)> = monthly_reports::table
        .filter(monthly_reports::club_id.eq(club_id))
        .order(monthly_reports::month)
        .select((
            monthly_reports::month,
            monthly_reports::late,
            monthly_reports::missing_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(month, late, missing_at)| {
            let on_time = match (late, missing_at) {
                (Some(late), _) => Some(!late),
                (None, Some(_)) => Some(false),
                (None, None) => None,
            };
            (month, on_time)
        })
        .collect())
}

/// The office's clubs (ids).
pub fn club_ids(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<String>> {
    clubs::table
        .filter(clubs::organization_id.eq(organization_id))
        .select(clubs::id)
        .load(conn)
}

/// A club's prize in a round.
#[derive(Queryable, Debug)]
pub struct Prize {
    pub round_id: String,
    /// The round's half-year (`2026H1`).
    pub half: String,
    pub club_id: String,
    pub tier: String,
    pub awarded_at: NaiveDateTime,
}

/// The office's prizes, in the order they were given.
pub fn prizes(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<Prize>> {
    evaluation_awards::table
        .inner_join(
            evaluation_rounds::table.on(evaluation_rounds::id.eq(evaluation_awards::round_id)),
        )
        .filter(evaluation_rounds::organization_id.eq(organization_id))
        .order(evaluation_awards::awarded_at)
        .select((
            evaluation_awards::round_id,
            evaluation_rounds::half,
            evaluation_awards::club_id,
            evaluation_awards::tier,
            evaluation_awards::awarded_at,
        ))
        .load(conn)
}

/// The office's top contributors: (round, its half, person).
pub fn top_contributors_of(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(String, String, String)>> {
    top_contributors::table
        .inner_join(
            evaluation_rounds::table.on(evaluation_rounds::id.eq(top_contributors::round_id)),
        )
        .filter(evaluation_rounds::organization_id.eq(organization_id))
        .select((
            top_contributors::round_id,
            evaluation_rounds::half,
            top_contributors::employee_id,
        ))
        .load(conn)
}

/// Learning the HR system recorded for a person.
#[derive(Queryable, Debug)]
pub struct HrLearning {
    pub movement_id: String,
    pub employee_id: String,
    pub learning_type: Option<String>,
    pub title: Option<String>,
}

/// Learning the HR system recorded for the office's people, less the lines
/// reversed since.
pub fn hr_learning(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<HrLearning>> {
    use crate::ledger::model::{OwnerKind, Source};
    let reversals = diesel::alias!(ledger_movements as reversals);
    ledger_movements::table
        .inner_join(ledger_entries::table.inner_join(ledger_accounts::table))
        .inner_join(employees::table.on(employees::id.eq(ledger_accounts::owner_id)))
        .filter(employees::organization_id.eq(organization_id))
        .filter(ledger_movements::source.eq(Source::HrImport.code()))
        .filter(diesel::dsl::not(
            ledger_movements::id.nullable().eq_any(
                reversals
                    .filter(
                        reversals
                            .field(ledger_movements::source)
                            .eq(Source::Reversal.code()),
                    )
                    .filter(reversals.field(ledger_movements::reverses_id).is_not_null())
                    .select(reversals.field(ledger_movements::reverses_id)),
            ),
        ))
        .filter(ledger_accounts::owner_kind.eq(OwnerKind::Employee.code()))
        .filter(ledger_entries::amount.gt(0))
        .select((
            ledger_movements::id,
            ledger_accounts::owner_id,
            ledger_movements::learning_type,
            ledger_movements::title,
        ))
        .load(conn)
}

/// Everything each of the office's people (or only these) earned in
/// mileage, net of take-backs (누적마일리지).
pub fn accumulated_mileage(
    conn: &mut DbConn,
    organization_id: &str,
    people: Option<&[String]>,
) -> QueryResult<Vec<(String, i64)>> {
    let office =
        mileage_earnings::table.filter(mileage_earnings::organization_id.eq(organization_id));
    let per_person = (mileage_earnings::employee_id, SumOfPoints);
    match people {
        Some(people) => office
            .filter(any_of(mileage_earnings::employee_id, people))
            .group_by(mileage_earnings::employee_id)
            .select(per_person)
            .load(conn),
        None => office
            .group_by(mileage_earnings::employee_id)
            .select(per_person)
            .load(conn),
    }
}
