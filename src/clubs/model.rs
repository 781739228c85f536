//! Clubs, memberships, join requests, study tasks and meetings: rows and
//! the queries on them.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use crate::clock::YearMonth;
use crate::db::schema::{
    club_counts, club_sizes, clubs, departments, employees, join_requests, meeting_advisors,
    meeting_attendance, meeting_books, meetings, memberships, monthly_reports, study_tasks,
};
use crate::db::{any_of, new_id, BackendConnection, Bind, DbConn, FixedStatement};
use crate::text_enum;

text_enum! {
    /// 국·소별 학습동아리 or 구청·보건소 통합 창의학습동아리.
    pub enum ClubKind {
        Department = ("department", "국·소별 동아리"),
        Integrated = ("integrated", "통합 동아리"),
    }
}

text_enum! {
    pub enum ClubStatus {
        Proposed = ("proposed", "승인 대기"),
        Active = ("active", "활동 중"),
        Rejected = ("rejected", "반려"),
        Dissolved = ("dissolved", "해산"),
    }
}

text_enum! {
    /// 연구 분야 (seed 002).
    pub enum StudyField {
        WorkImprovement = ("work_improvement", "업무·제도 개선, 아이디어 개발"),
        DistrictIssues = ("district_issues", "구정 현안 해결"),
        Budget = ("budget", "예산 절감·세입 증대"),
        ResidentConvenience = ("resident_convenience", "주민 편의 증진"),
    }
}

text_enum! {
    pub enum MemberRole {
        President = ("president", "회장"),
        Member = ("member", "회원"),
    }
}

text_enum! {
    /// 월 1회 정기모임, 필요 시 수시모임.
    pub enum MeetingKind {
        Regular = ("regular", "정기"),
        AdHoc = ("ad_hoc", "수시"),
    }
}

text_enum! {
    pub enum RequestStatus {
        Pending = ("pending", "대기"),
        Approved = ("approved", "승인"),
        Rejected = ("rejected", "거절"),
    }
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = clubs)]
pub struct Club {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub kind: String,
    pub home_department_id: Option<String>,
    pub field: String,
    pub description: String,
    pub status: String,
    #[diesel(deserialize_as = crate::db::Maybe<crate::db::TimeOfDay>)]
    pub usual_start: Option<NaiveTime>,
    #[diesel(deserialize_as = crate::db::Maybe<crate::db::TimeOfDay>)]
    pub usual_end: Option<NaiveTime>,
    pub usual_place: Option<String>,
    pub proposed_by: Option<String>,
    pub decided_by: Option<String>,
    #[diesel(deserialize_as = crate::db::Maybe<crate::db::Stamp>)]
    pub decided_at: Option<NaiveDateTime>,
    pub decision_note: Option<String>,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub updated_at: NaiveDateTime,
    /// When it was really formed (reports are owed from that month on).
    #[diesel(deserialize_as = crate::db::Day)]
    pub formed_on: NaiveDate,
}

impl Club {
    pub fn status(&self) -> ClubStatus {
        status_of(&self.status)
    }
    pub fn kind(&self) -> ClubKind {
        kind_of(&self.kind)
    }
    pub fn field(&self) -> StudyField {
        field_of(&self.field)
    }
}

// Stored codes read back; one no longer known reads as the most cautious
// value.
pub fn status_of(code: &str) -> ClubStatus {
    ClubStatus::parse(code).unwrap_or(ClubStatus::Dissolved)
}

pub fn kind_of(code: &str) -> ClubKind {
    ClubKind::parse(code).unwrap_or(ClubKind::Department)
}

pub fn field_of(code: &str) -> StudyField {
    StudyField::parse(code).unwrap_or(StudyField::WorkImprovement)
}

pub fn meeting_kind_of(code: &str) -> MeetingKind {
    MeetingKind::parse(code).unwrap_or(MeetingKind::AdHoc)
}

/// What a list shows of a club: none of its long text or timestamps.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = clubs)]
pub struct ClubListing {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub kind: String,
    pub home_department_id: Option<String>,
    pub field: String,
    pub status: String,
    pub formed_on: NaiveDate,
}

impl From<&Club> for ClubListing {
    fn from(club: &Club) -> Self {
        Self {
            id: club.id.clone(),
            organization_id: club.organization_id.clone(),
            name: club.name.clone(),
            kind: club.kind.clone(),
            home_department_id: club.home_department_id.clone(),
            field: club.field.clone(),
            status: club.status.clone(),
            formed_on: club.formed_on,
        }
    }
}

/// The columns a club's editor sets.
#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = clubs, treat_none_as_null = true)]
pub struct ClubColumns {
    pub name: String,
    pub kind: String,
    pub home_department_id: Option<String>,
    pub field: String,
    pub description: String,
    pub usual_start: Option<NaiveTime>,
    pub usual_end: Option<NaiveTime>,
    pub usual_place: Option<String>,
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = memberships)]
pub struct Membership {
    pub id: String,
    pub club_id: String,
    pub employee_id: String,
    pub role: String,
    #[diesel(deserialize_as = crate::db::Day)]
    pub joined_on: NaiveDate,
    #[diesel(deserialize_as = crate::db::Maybe<crate::db::Day>)]
    pub left_on: Option<NaiveDate>,
    #[diesel(deserialize_as = crate::db::Stamp)]
    pub created_at: NaiveDateTime,
}

impl Membership {
    pub fn role(&self) -> MemberRole {
        MemberRole::parse(&self.role).unwrap_or(MemberRole::Member)
    }
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.joined_on <= today && self.left_on.is_none_or(|l| today < l)
    }
}

/// A membership with the member's number and name, for lists.
#[derive(Debug, Clone)]
pub struct MemberRow {
    pub membership: Membership,
    pub employee_no: String,
    pub name: String,
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = join_requests)]
pub struct JoinRequest {
    pub id: String,
    pub club_id: String,
    pub employee_id: String,
    pub message: String,
    pub status: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = study_tasks)]
pub struct StudyTask {
    pub id: String,
    pub club_id: String,
    pub half: String,
    pub title: String,
    pub description: String,
    pub updated_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A meeting as it is shown; its timestamps stay in the table (reading
/// them cost every list a parse of three each).
#[derive(Queryable, Selectable, Identifiable, Debug, Clone)]
#[diesel(table_name = meetings)]
pub struct Meeting {
    pub id: String,
    pub club_id: String,
    #[diesel(deserialize_as = crate::db::Day)]
    pub held_on: NaiveDate,
    #[diesel(deserialize_as = crate::db::TimeOfDay)]
    pub starts_at: NaiveTime,
    #[diesel(deserialize_as = crate::db::TimeOfDay)]
    pub ends_at: NaiveTime,
    pub kind: String,
    pub place: String,
    pub topic: String,
    pub notes: String,
    pub inside_work_hours: bool,
    pub inside_reason: Option<String>,
    pub created_by: String,
}

impl Meeting {
    pub fn kind(&self) -> MeetingKind {
        meeting_kind_of(&self.kind)
    }
    pub fn minutes(&self) -> i64 {
        (self.ends_at - self.starts_at).num_minutes()
    }
}

/// What the hours rule reads of a meeting: a half-year of a city hall's
/// attendance is a quarter of a million rows, so only these columns.
/// `hours::attended` makes them what the rule counts.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = meetings)]
pub struct MeetingSlot {
    pub id: String,
    pub club_id: String,
    #[diesel(deserialize_as = crate::db::Day)]
    pub held_on: NaiveDate,
    #[diesel(deserialize_as = crate::db::TimeOfDay)]
    pub starts_at: NaiveTime,
    #[diesel(deserialize_as = crate::db::TimeOfDay)]
    pub ends_at: NaiveTime,
    pub kind: String,
}

/// The columns a meeting's editor sets.
#[derive(Insertable, AsChangeset, Debug, Clone)]
// `None` is bound as NULL rather than leaving the column out, so that the
// insert's text never changes and the statement is prepared once.
#[diesel(
    table_name = meetings,
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub struct MeetingColumns {
    pub held_on: NaiveDate,
    pub starts_at: NaiveTime,
    pub ends_at: NaiveTime,
    pub kind: String,
    pub place: String,
    pub topic: String,
    pub notes: String,
    pub inside_work_hours: bool,
    pub inside_reason: Option<String>,
}

/// An invited advisor (자문) and the fee paid, in KRW.
#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = meeting_advisors)]
pub struct Advisor {
    pub meeting_id: String,
    pub name: String,
    pub fee: i32,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = meeting_books)]
pub struct Book {
    pub id: String,
    pub meeting_id: String,
    pub title: String,
    pub price: i32,
}

#[derive(Debug, Clone, Default)]
pub struct ClubFilter {
    pub organization_id: Option<String>,
    pub department_id: Option<String>,
    pub kind: Option<ClubKind>,
    pub field: Option<StudyField>,
    pub status: Option<ClubStatus>,
    pub member_id: Option<String>,
}

// ---- clubs ----

pub fn club_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Club> {
    clubs::table.find(id).select(Club::as_select()).first(conn)
}

pub fn insert_club(
    conn: &mut DbConn,
    organization_id: &str,
    columns: &ClubColumns,
    status: ClubStatus,
    proposed_by: Option<&str>,
    formed_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(clubs::table)
        .values((
            clubs::id.eq(&id),
            clubs::organization_id.eq(organization_id),
            columns,
            clubs::status.eq(status.code()),
            clubs::proposed_by.eq(proposed_by),
            clubs::formed_on.eq(formed_on),
            clubs::created_at.eq(now),
            clubs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn update_club(
    conn: &mut DbConn,
    id: &str,
    columns: &ClubColumns,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(clubs::table.find(id))
        .set((columns, clubs::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Moves a club from one status to another; false when it was no longer
/// in `from` (someone else decided first).
pub fn set_club_status(
    conn: &mut DbConn,
    id: &str,
    from: ClubStatus,
    status: ClubStatus,
    by: &str,
    note: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(clubs::table.find(id))
        .filter(clubs::status.eq(from.code()))
        .set((
            clubs::status.eq(status.code()),
            clubs::decided_by.eq(by),
            clubs::decided_at.eq(now),
            clubs::decision_note.eq(note),
            clubs::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn list_clubs(
    conn: &mut DbConn,
    filter: &ClubFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ClubListing>, i64)> {
    if let ClubFilter {
        organization_id: Some(organization),
        status: Some(status),
        department_id: None,
        kind: None,
        field: None,
        member_id: None,
    } = filter
    {
        return office_clubs(conn, organization, *status, offset, limit);
    }
    // A person's clubs are few: found through their memberships first, so
    // that the query never walks every club of the office to test each.
    let mine: Option<Vec<String>> = match &filter.member_id {
        Some(member) => Some(
            memberships::table
                .filter(memberships::employee_id.eq(member))
                .filter(memberships::left_on.is_null())
                .select(memberships::club_id)
                .load(conn)?,
        ),
        None => None,
    };
    let build = || {
        let mut q = clubs::table.into_boxed();
        if let Some(o) = &filter.organization_id {
            q = q.filter(clubs::organization_id.eq(o.clone()));
        }
        if let Some(d) = &filter.department_id {
            q = q.filter(clubs::home_department_id.eq(d.clone()));
        }
        if let Some(k) = filter.kind {
            q = q.filter(clubs::kind.eq(k.code()));
        }
        if let Some(f) = filter.field {
            q = q.filter(clubs::field.eq(f.code()));
        }
        if let Some(s) = filter.status {
            q = q.filter(clubs::status.eq(s.code()));
        }
        if let Some(ids) = &mine {
            q = q.filter(any_of(clubs::id, ids));
        }
        q
    };
    let total = build().count().get_result(conn)?;
    let items = build()
        .order(clubs::name.asc())
        .offset(offset)
        .limit(limit)
        .select(ClubListing::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// An office's clubs in one state, by name: the list everyone opens. A
/// query of fixed text, prepared once per connection (the filtered list
/// above is built anew on each call); the total is the count the database
/// keeps (`club_counts`).
fn office_clubs(
    conn: &mut DbConn,
    organization_id: &str,
    status: ClubStatus,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ClubListing>, i64)> {
    let base = || {
        clubs::table
            .filter(clubs::organization_id.eq(organization_id))
            .filter(clubs::status.eq(status.code()))
    };
    let total = club_counts::table
        .find((organization_id, status.code()))
        .select(club_counts::clubs)
        .first(conn)
        .optional()?
        .unwrap_or(0);
    let items = base()
        .order(clubs::name.asc())
        .offset(offset)
        .limit(limit)
        .select(ClubListing::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// The first `limit` clubs, by name, that a person is a member of now, in
/// one state.
pub fn clubs_of_member(
    conn: &mut DbConn,
    employee_id: &str,
    status: ClubStatus,
    limit: i64,
) -> QueryResult<Vec<ClubListing>> {
    memberships::table
        .inner_join(clubs::table)
        .filter(memberships::employee_id.eq(employee_id))
        .filter(memberships::left_on.is_null())
        .filter(clubs::status.eq(status.code()))
        .order(clubs::name.asc())
        .limit(limit)
        .select(ClubListing::as_select())
        .load(conn)
}

// ---- memberships ----

/// Every stint in the club, current and past, with names.
pub fn members_of(conn: &mut DbConn, club_id: &str) -> QueryResult<Vec<MemberRow>> {
    let rows: Vec<(Membership, String, String)> = memberships::table
        .inner_join(employees::table)
        .filter(memberships::club_id.eq(club_id))
        .order((memberships::joined_on.asc(), employees::name.asc()))
        .select((
            Membership::as_select(),
            employees::employee_no,
            employees::name,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(membership, employee_no, name)| MemberRow {
            membership,
            employee_no,
            name,
        })
        .collect())
}

/// A membership open on `day`: joined by then and not left before the
/// day's end.
pub type OpenOn = diesel::dsl::And<
    diesel::dsl::LtEq<memberships::joined_on, NaiveDate>,
    diesel::dsl::Or<
        diesel::dsl::IsNull<memberships::left_on>,
        diesel::dsl::Gt<memberships::left_on, NaiveDate>,
    >,
>;

pub fn open_on(day: NaiveDate) -> OpenOn {
    memberships::joined_on.le(day).and(
        memberships::left_on
            .is_null()
            .or(memberships::left_on.gt(day)),
    )
}

/// The ids of the club's members on `day`.
pub fn member_ids_on(conn: &mut DbConn, club_id: &str, day: NaiveDate) -> QueryResult<Vec<String>> {
    memberships::table
        .filter(memberships::club_id.eq(club_id))
        .filter(open_on(day))
        .select(memberships::employee_id)
        .load(conn)
}

/// The number of members on `day` of the club `club` names (a column of
/// the outer query): its last kept size (`clubs::size`) from on or before
/// that day, one row read however many members; NULL before its first.
#[diesel::dsl::auto_type]
pub fn size_on<C>(club: C, day: NaiveDate) -> _
where
    C: Expression<SqlType = diesel::sql_types::Text>
        + diesel::expression::ValidGrouping<(), IsAggregate = diesel::expression::is_aggregate::No>,
{
    club_sizes::table
        .filter(club_sizes::club_id.eq(club))
        .filter(club_sizes::from_day.le(day))
        .order(club_sizes::from_day.desc())
        .select(club_sizes::members)
        .single_value()
}

/// What a club's line shows beside its own columns.
#[derive(Debug, Clone, Default)]
pub struct ClubLine {
    /// Members on the day asked (joined by then, not yet left).
    pub members: i64,
    /// The current president: (employee id, name).
    pub president: Option<(String, String)>,
    /// The home department: (code, name).
    pub department: Option<(String, String)>,
}

/// Each club's line, in one query for a page of clubs: its members on
/// `day` from its kept sizes (one row however many members), its current
/// president (at most one, by the partial unique index) and its home
/// department.
pub fn club_lines(
    conn: &mut DbConn,
    club_ids: &[String],
    day: NaiveDate,
) -> QueryResult<HashMap<String, ClubLine>> {
    type Row = (
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = crate::on_backend!(conn, |c| clubs::table
        .left_join(
            memberships::table.on(memberships::club_id
                .eq(clubs::id)
                .and(memberships::role.eq(MemberRole::President.code()))
                .and(memberships::left_on.is_null())),
        )
        .left_join(employees::table.on(employees::id.eq(memberships::employee_id)))
        .left_join(departments::table.on(clubs::home_department_id.eq(departments::id.nullable())))
        .filter(any_of(clubs::id, club_ids))
        .select((
            clubs::id,
            size_on(clubs::id, day),
            employees::id.nullable(),
            employees::name.nullable(),
            departments::code.nullable(),
            departments::name.nullable(),
        ))
        .load(c))?;
    Ok(rows
        .into_iter()
        .map(|(id, members, president_id, president_name, code, name)| {
            let line = ClubLine {
                members: members.unwrap_or(0),
                president: president_id.zip(president_name),
                department: code.zip(name),
            };
            (id, line)
        })
        .collect())
}

/// The current president's (employee id, name) of each club.
pub fn presidents(
    conn: &mut DbConn,
    club_ids: &[String],
) -> QueryResult<HashMap<String, (String, String)>> {
    let rows: Vec<(String, String, String)> = memberships::table
        .inner_join(employees::table)
        .filter(any_of(memberships::club_id, club_ids))
        .filter(memberships::role.eq(MemberRole::President.code()))
        .filter(memberships::left_on.is_null())
        .select((memberships::club_id, employees::id, employees::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(club, id, name)| (club, (id, name)))
        .collect())
}

/// The employee's open membership of the club, if any.
pub fn open_membership(
    conn: &mut DbConn,
    club_id: &str,
    employee_id: &str,
) -> QueryResult<Option<Membership>> {
    memberships::table
        .filter(memberships::club_id.eq(club_id))
        .filter(memberships::employee_id.eq(employee_id))
        .filter(memberships::left_on.is_null())
        .select(Membership::as_select())
        .first(conn)
        .optional()
}

/// Who was a member of the club on `day`.
pub fn members_on(conn: &mut DbConn, club_id: &str, day: NaiveDate) -> QueryResult<Vec<String>> {
    crate::on_backend!(conn, |c| memberships::table
        .filter(memberships::club_id.eq(club_id))
        .filter(open_on(day))
        .select(memberships::employee_id)
        .load(c))
}

pub fn stints_of(conn: &mut DbConn, employee_ids: &[String]) -> QueryResult<Vec<Membership>> {
    memberships::table
        .filter(any_of(memberships::employee_id, employee_ids))
        .select(Membership::as_select())
        .load(conn)
}

pub fn insert_membership(
    conn: &mut DbConn,
    club_id: &str,
    employee_id: &str,
    role: MemberRole,
    joined_on: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(memberships::table)
        .values((
            memberships::id.eq(&id),
            memberships::club_id.eq(club_id),
            memberships::employee_id.eq(employee_id),
            memberships::role.eq(role.code()),
            memberships::joined_on.eq(joined_on),
            memberships::created_at.eq(now),
        ))
        .execute(conn)?;
    resize(conn, club_id)?;
    Ok(id)
}

/// Ends an open membership; false when it had already ended.
pub fn end_membership(conn: &mut DbConn, id: &str, left_on: NaiveDate) -> QueryResult<bool> {
    let club_id: String = memberships::table
        .find(id)
        .select(memberships::club_id)
        .first(conn)?;
    let changed = diesel::update(memberships::table.find(id))
        .filter(memberships::left_on.is_null())
        .set(memberships::left_on.eq(left_on))
        .execute(conn)?;
    if changed == 1 {
        resize(conn, &club_id)?;
    }
    Ok(changed == 1)
}

/// Recounts a club's sizes (`clubs::size`) after a change to its
/// memberships, in the change's transaction. The club's row is taken
/// first: on PostgreSQL two changes to one club then count in turn, the
/// second seeing the first (SQLite's write transaction already does).
/// Memberships are never deleted and their days only added to, so the
/// club's days only grow and an upsert of each keeps them all right.
pub fn resize(conn: &mut DbConn, club_id: &str) -> QueryResult<()> {
    TakeClub::with(&[Bind::Text(club_id)]).run(conn)?;
    let stints: Vec<super::size::Stint> = memberships::table
        .filter(memberships::club_id.eq(club_id))
        .select((memberships::joined_on, memberships::left_on))
        .load(conn)?;
    for (from_day, members) in super::size::steps(&stints) {
        KeepSize::with(&[
            Bind::Text(club_id),
            Bind::Date(from_day),
            Bind::BigInt(members),
        ])
        .run(conn)?;
    }
    Ok(())
}

crate::fixed_statement!(TakeClub = "UPDATE clubs SET updated_at = updated_at WHERE id = ?");

crate::fixed_statement!(
    KeepSize = "INSERT INTO club_sizes (club_id, from_day, members) VALUES (?, ?, ?) \
        ON CONFLICT (club_id, from_day) DO UPDATE SET members = excluded.members"
);

/// An office's clubs in one state, by (office, state): what the database
/// keeps in `club_counts`, or what a count of the clubs gives.
pub type ClubCounts = HashMap<(String, String), i64>;

/// The club counts as kept.
pub fn kept_club_counts(conn: &mut DbConn) -> QueryResult<ClubCounts> {
    let rows: Vec<(String, String, i64)> = club_counts::table
        .select((
            club_counts::organization_id,
            club_counts::status,
            club_counts::clubs,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(o, s, n)| ((o, s), n)).collect())
}

/// The club counts recounted from the clubs.
pub fn counted_clubs(conn: &mut DbConn) -> QueryResult<ClubCounts> {
    let rows: Vec<(String, String, i64)> = clubs::table
        .group_by((clubs::organization_id, clubs::status))
        .select((
            clubs::organization_id,
            clubs::status,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(|(o, s, n)| ((o, s), n)).collect())
}

/// Every club's sizes as kept, in day order.
pub fn all_sizes(conn: &mut DbConn) -> QueryResult<super::size::Sizes> {
    let rows: Vec<(String, NaiveDate, i64)> = club_sizes::table
        .order((club_sizes::club_id, club_sizes::from_day))
        .select((
            club_sizes::club_id,
            club_sizes::from_day,
            club_sizes::members,
        ))
        .load(conn)?;
    let mut sizes = super::size::Sizes::new();
    for (club_id, day, members) in rows {
        sizes.entry(club_id).or_default().push((day, members));
    }
    Ok(sizes)
}

/// Every club's membership stints, by club.
pub fn all_stints(conn: &mut DbConn) -> QueryResult<HashMap<String, Vec<super::size::Stint>>> {
    let rows: Vec<(String, NaiveDate, Option<NaiveDate>)> = memberships::table
        .select((
            memberships::club_id,
            memberships::joined_on,
            memberships::left_on,
        ))
        .load(conn)?;
    let mut stints: HashMap<String, Vec<super::size::Stint>> = HashMap::new();
    for (club_id, joined_on, left_on) in rows {
        stints
            .entry(club_id)
            .or_default()
            .push((joined_on, left_on));
    }
    Ok(stints)
}

pub fn set_member_role(conn: &mut DbConn, id: &str, role: MemberRole) -> QueryResult<()> {
    diesel::update(memberships::table.find(id))
        .set(memberships::role.eq(role.code()))
        .execute(conn)?;
    Ok(())
}

// ---- join requests ----

pub fn insert_join_request(
    conn: &mut DbConn,
    club_id: &str,
    employee_id: &str,
    message: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    diesel::insert_into(join_requests::table)
        .values((
            join_requests::id.eq(&id),
            join_requests::club_id.eq(club_id),
            join_requests::employee_id.eq(employee_id),
            join_requests::message.eq(message),
            join_requests::status.eq(RequestStatus::Pending.code()),
            join_requests::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(id)
}

pub fn join_request_by_id(conn: &mut DbConn, id: &str) -> QueryResult<JoinRequest> {
    join_requests::table
        .find(id)
        .select(JoinRequest::as_select())
        .first(conn)
}

pub fn pending_requests(
    conn: &mut DbConn,
    club_id: &str,
) -> QueryResult<Vec<(JoinRequest, String, String)>> {
    join_requests::table
        .inner_join(employees::table.on(employees::id.eq(join_requests::employee_id)))
        .filter(join_requests::club_id.eq(club_id))
        .filter(join_requests::status.eq(RequestStatus::Pending.code()))
        .order(join_requests::created_at.asc())
        .select((
            JoinRequest::as_select(),
            employees::employee_no,
            employees::name,
        ))
        .load(conn)
}

/// How many join requests wait for the club's decision.
pub fn pending_request_count(conn: &mut DbConn, club_id: &str) -> QueryResult<i64> {
    join_requests::table
        .filter(join_requests::club_id.eq(club_id))
        .filter(join_requests::status.eq(RequestStatus::Pending.code()))
        .count()
        .get_result(conn)
}

pub fn has_pending_request(
    conn: &mut DbConn,
    club_id: &str,
    employee_id: &str,
) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        join_requests::table
            .filter(join_requests::club_id.eq(club_id))
            .filter(join_requests::employee_id.eq(employee_id))
            .filter(join_requests::status.eq(RequestStatus::Pending.code())),
    ))
    .get_result(conn)
}

pub fn decide_join_request(
    conn: &mut DbConn,
    id: &str,
    status: RequestStatus,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(join_requests::table.find(id))
        .filter(join_requests::status.eq(RequestStatus::Pending.code()))
        .set((
            join_requests::status.eq(status.code()),
            join_requests::decided_by.eq(by),
            join_requests::decided_at.eq(now),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

// ---- study tasks ----

pub fn study_task(conn: &mut DbConn, club_id: &str, half: &str) -> QueryResult<Option<StudyTask>> {
    study_tasks::table
        .filter(study_tasks::club_id.eq(club_id))
        .filter(study_tasks::half.eq(half))
        .select(StudyTask::as_select())
        .first(conn)
        .optional()
}

pub fn save_study_task(
    conn: &mut DbConn,
    club_id: &str,
    half: &str,
    title: &str,
    description: &str,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    match study_task(conn, club_id, half)? {
        Some(task) => {
            diesel::update(study_tasks::table.find(&task.id))
                .set((
                    study_tasks::title.eq(title),
                    study_tasks::description.eq(description),
                    study_tasks::updated_by.eq(by),
                    study_tasks::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::insert_into(study_tasks::table)
                .values((
                    study_tasks::id.eq(new_id()),
                    study_tasks::club_id.eq(club_id),
                    study_tasks::half.eq(half),
                    study_tasks::title.eq(title),
                    study_tasks::description.eq(description),
                    study_tasks::updated_by.eq(by),
                    study_tasks::created_at.eq(now),
                    study_tasks::updated_at.eq(now),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

// ---- meetings ----

pub fn meeting_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Meeting> {
    meetings::table
        .find(id)
        .filter(meetings::deleted_at.is_null())
        .select(Meeting::as_select())
        .first(conn)
}

pub fn insert_meeting(
    conn: &mut DbConn,
    club_id: &str,
    columns: &MeetingColumns,
    by: &str,
    now: NaiveDateTime,
) -> QueryResult<String> {
    let id = new_id();
    let row = (
        meetings::id.eq(&id),
        meetings::club_id.eq(club_id),
        columns,
        meetings::created_by.eq(by),
        meetings::created_at.eq(now),
        meetings::updated_at.eq(now),
    );
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(meetings::table)
        .values(row)
        .execute(c))?;
    Ok(id)
}

pub fn update_meeting(
    conn: &mut DbConn,
    id: &str,
    columns: &MeetingColumns,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(meetings::table.find(id))
        .set((columns, meetings::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// Sets the day the club was formed.
pub fn set_formed_on(
    conn: &mut DbConn,
    id: &str,
    day: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(clubs::table.find(id))
        .set((clubs::formed_on.eq(day), clubs::updated_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// The first meeting the club held (deleted ones aside), if any.
pub fn first_meeting_day(conn: &mut DbConn, club_id: &str) -> QueryResult<Option<NaiveDate>> {
    meetings::table
        .filter(meetings::club_id.eq(club_id))
        .filter(meetings::deleted_at.is_null())
        .select(diesel::dsl::min(meetings::held_on))
        .first(conn)
}

/// Meetings are never erased: a deleted one is marked and stops counting.
pub fn delete_meeting(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(meetings::table.find(id))
        .filter(meetings::deleted_at.is_null())
        .set(meetings::deleted_at.eq(now))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Replaces who attended, the advisor and the books bought (children of
/// the meeting, rewritten with it while its month is still open).
pub fn set_meeting_details(
    conn: &mut DbConn,
    meeting_id: &str,
    attendees: &[String],
    advisor: Option<&(String, i32)>,
    books: &[(String, i32)],
) -> QueryResult<()> {
    diesel::delete(meeting_advisors::table.find(meeting_id)).execute(conn)?;
    diesel::delete(meeting_attendance::table.filter(meeting_attendance::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    diesel::delete(meeting_books::table.filter(meeting_books::meeting_id.eq(meeting_id)))
        .execute(conn)?;
    add_meeting_details(conn, meeting_id, attendees, advisor, books)
}

/// Writes a new meeting's attendance, advisor and books, each in one
/// statement.
pub fn add_meeting_details(
    conn: &mut DbConn,
    meeting_id: &str,
    attendees: &[String],
    advisor: Option<&(String, i32)>,
    books: &[(String, i32)],
) -> QueryResult<()> {
    if let Some((name, fee)) = advisor {
        diesel::insert_into(meeting_advisors::table)
            .values((
                meeting_advisors::meeting_id.eq(meeting_id),
                meeting_advisors::name.eq(name),
                meeting_advisors::fee.eq(fee),
            ))
            .execute(conn)?;
    }
    let rows: Vec<_> = attendees
        .iter()
        .map(|employee_id| {
            (
                meeting_attendance::meeting_id.eq(meeting_id),
                meeting_attendance::employee_id.eq(employee_id),
            )
        })
        .collect();
    match conn.backend() {
        // A many-row INSERT's text changes with its rows, so SQLite would
        // parse it again for every meeting inside the one writer; a row at
        // a time, the statement is prepared once per connection.
        BackendConnection::Sqlite(c) => {
            for row in rows {
                diesel::insert_into(meeting_attendance::table)
                    .values(row)
                    .execute(c)?;
            }
        }
        BackendConnection::Postgresql(c) => {
            if !rows.is_empty() {
                diesel::insert_into(meeting_attendance::table)
                    .values(&rows)
                    .execute(c)?;
            }
        }
    }
    if !books.is_empty() {
        let rows: Vec<_> = books
            .iter()
            .map(|(title, price)| {
                (
                    meeting_books::id.eq(new_id()),
                    meeting_books::meeting_id.eq(meeting_id),
                    meeting_books::title.eq(title),
                    meeting_books::price.eq(price),
                )
            })
            .collect();
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(meeting_books::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

pub fn meetings_of_club(
    conn: &mut DbConn,
    club_id: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Meeting>, i64)> {
    let base = || {
        meetings::table
            .filter(meetings::club_id.eq(club_id))
            .filter(meetings::deleted_at.is_null())
    };
    let total = base().count().get_result(conn)?;
    let items = base()
        .order((meetings::held_on.desc(), meetings::starts_at.desc()))
        .offset(offset)
        .limit(limit)
        .select(Meeting::as_select())
        .load(conn)?;
    Ok((items, total))
}

/// Ids of regular meetings of the club in the month containing `day`.
pub fn regular_meetings_in_month(
    conn: &mut DbConn,
    club_id: &str,
    day: NaiveDate,
) -> QueryResult<Vec<String>> {
    let first = day.with_day0(0).expect("first of month");
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .expect("next month");
    meetings::table
        .filter(meetings::club_id.eq(club_id))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::kind.eq(MeetingKind::Regular.code()))
        .filter(meetings::held_on.ge(first))
        .filter(meetings::held_on.lt(next))
        .order((meetings::held_on.asc(), meetings::created_at.asc()))
        .select(meetings::id)
        .load(conn)
}

/// (club id, day) of every regular meeting (deleted ones aside) of these
/// clubs between two days, both included: one query for a page of meetings.
pub fn regular_meeting_days(
    conn: &mut DbConn,
    club_ids: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    meetings::table
        .filter(any_of(meetings::club_id, club_ids))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::kind.eq(MeetingKind::Regular.code()))
        .filter(meetings::held_on.ge(from))
        .filter(meetings::held_on.le(to))
        .select((meetings::club_id, meetings::held_on))
        .load(conn)
}

/// Who was present at each of these meetings, by name. A page of meetings
/// has hundreds of attendance rows but a club has few people: the pairs come
/// from the attendance key alone, the names once per person.
pub fn attendance_of(
    conn: &mut DbConn,
    meeting_ids: &[String],
) -> QueryResult<HashMap<String, Vec<(String, String)>>> {
    let pairs: Vec<(String, String)> = meeting_attendance::table
        .filter(any_of(meeting_attendance::meeting_id, meeting_ids))
        .select((
            meeting_attendance::meeting_id,
            meeting_attendance::employee_id,
        ))
        .load(conn)?;
    let mut people: Vec<&str> = pairs.iter().map(|(_, e)| e.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    let names: HashMap<String, String> = employees::table
        .filter(any_of(employees::id, &people))
        .select((employees::id, employees::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    let mut by_meeting: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (meeting, employee) in pairs {
        let name = names.get(&employee).cloned().unwrap_or_default();
        by_meeting
            .entry(meeting)
            .or_default()
            .push((employee, name));
    }
    for present in by_meeting.values_mut() {
        present.sort_by(|a, b| a.1.cmp(&b.1));
    }
    Ok(by_meeting)
}

pub fn advisors_of(conn: &mut DbConn, meeting_ids: &[String]) -> QueryResult<Vec<Advisor>> {
    meeting_advisors::table
        .filter(any_of(meeting_advisors::meeting_id, meeting_ids))
        .select(Advisor::as_select())
        .load(conn)
}

pub fn books_of(conn: &mut DbConn, meeting_ids: &[String]) -> QueryResult<Vec<Book>> {
    meeting_books::table
        .filter(any_of(meeting_books::meeting_id, meeting_ids))
        .select(Book::as_select())
        .load(conn)
}

/// Every meeting the employees attended between two dates (inclusive):
/// (employee id, meeting), each once, by employee and meeting.
pub fn attended_between(
    conn: &mut DbConn,
    employee_ids: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, MeetingSlot)>> {
    // Hours count only within a membership, so the meetings are found from
    // the person's memberships, by each club's index and half-year: five
    // years of attendance are never walked for the few meetings of one half.
    // One join, not an IN list of the clubs: SQLite builds a temporary table
    // for each such list, and this is on every home page.
    let mut rows: Vec<(String, MeetingSlot)> = crate::on_backend!(conn, |c| memberships::table
        .inner_join(meetings::table.on(meetings::club_id.eq(memberships::club_id)))
        .inner_join(
            meeting_attendance::table.on(meeting_attendance::meeting_id
                .eq(meetings::id)
                .and(meeting_attendance::employee_id.eq(memberships::employee_id))),
        )
        .filter(any_of(memberships::employee_id, employee_ids))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::held_on.ge(from))
        .filter(meetings::held_on.le(to))
        .select((memberships::employee_id, MeetingSlot::as_select()))
        .load(c))?;
    // Someone who left a club and joined it again has two memberships of it.
    rows.sort_by(|(a, x), (b, y)| (a, &x.id).cmp(&(b, &y.id)));
    rows.dedup_by(|(a, x), (b, y)| a == b && x.id == y.id);
    Ok(rows)
}

/// Whether the club's report for `month` has been submitted (a version
/// exists): that month's meetings are closed.
pub fn month_is_reported(conn: &mut DbConn, club_id: &str, month: YearMonth) -> QueryResult<bool> {
    let month = month.to_string();
    crate::on_backend!(conn, |c| diesel::select(diesel::dsl::exists(
        monthly_reports::table
            .filter(monthly_reports::club_id.eq(club_id))
            .filter(monthly_reports::month.eq(&month))
            .filter(monthly_reports::current_version.gt(0)),
    ))
    .get_result(c))
}

/// A member to write to: (name, email, role, language).
pub type Contact = (String, String, String, String);

/// Each club's current members to write to, president first (only the
/// president without `with_members`): one query for a list of clubs.
pub fn member_contacts(
    conn: &mut DbConn,
    club_ids: &[String],
    today: NaiveDate,
    with_members: bool,
) -> QueryResult<HashMap<String, Vec<Contact>>> {
    let mut query = memberships::table
        .inner_join(employees::table)
        .filter(any_of(memberships::club_id, club_ids))
        .filter(open_on(today))
        .filter(employees::active.eq(true))
        .select((
            memberships::club_id,
            employees::name,
            employees::email,
            memberships::role,
            employees::language,
        ))
        .into_boxed();
    if !with_members {
        query = query.filter(memberships::role.eq(MemberRole::President.code()));
    }
    let rows: Vec<(String, String, String, String, String)> = query.load(conn)?;
    let mut by_club: HashMap<String, Vec<Contact>> = HashMap::new();
    for (club_id, name, email, role, language) in rows {
        by_club
            .entry(club_id)
            .or_default()
            .push((name, email, role, language));
    }
    for contacts in by_club.values_mut() {
        contacts
            .sort_by_key(|(name, _, role, _)| (role != MemberRole::President.code(), name.clone()));
    }
    Ok(by_club)
}

/// The organization's active clubs: (id, name).
pub fn active_clubs(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(String, String)>> {
    clubs::table
        .filter(clubs::organization_id.eq(organization_id))
        .filter(clubs::status.eq(ClubStatus::Active.code()))
        .order(clubs::name.asc())
        .select((clubs::id, clubs::name))
        .load(conn)
}

/// The names of these clubs, by id.
pub fn names_of(conn: &mut DbConn, club_ids: &[String]) -> QueryResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = clubs::table
        .filter(any_of(clubs::id, club_ids))
        .select((clubs::id, clubs::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// (club id, name, email, language) of the current president of each
/// club, when that employee is still active.
pub fn president_contacts(
    conn: &mut DbConn,
    club_ids: &[String],
) -> QueryResult<Vec<(String, String, String, String)>> {
    memberships::table
        .inner_join(employees::table)
        .filter(any_of(memberships::club_id, club_ids))
        .filter(memberships::role.eq(MemberRole::President.code()))
        .filter(memberships::left_on.is_null())
        .filter(employees::active.eq(true))
        .order(employees::name.asc())
        .select((
            memberships::club_id,
            employees::name,
            employees::email,
            employees::language,
        ))
        .load(conn)
}

/// Regular meetings held by each club between two dates (inclusive).
pub fn regular_meeting_counts(
    conn: &mut DbConn,
    club_ids: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = meetings::table
        .filter(any_of(meetings::club_id, club_ids))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::kind.eq(MeetingKind::Regular.code()))
        .filter(meetings::held_on.ge(from))
        .filter(meetings::held_on.le(to))
        .group_by(meetings::club_id)
        .select((meetings::club_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Every attendance at a meeting of the office's clubs between two dates
/// (inclusive): (employee id, meeting).
pub fn attendance_in_office(
    conn: &mut DbConn,
    organization_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, MeetingSlot)>> {
    meeting_attendance::table
        .inner_join(meetings::table.inner_join(clubs::table))
        .filter(clubs::organization_id.eq(organization_id))
        .filter(meetings::deleted_at.is_null())
        .filter(meetings::held_on.ge(from))
        .filter(meetings::held_on.le(to))
        .select((meeting_attendance::employee_id, MeetingSlot::as_select()))
        .load(conn)
}

/// Every membership in the office's clubs, past and present: (employee id,
/// club id, joined on, left on).
#[allow(clippy::type_complexity)]
pub fn stints_in_office(
    conn: &mut DbConn,
    organization_id: &str,
) -> QueryResult<Vec<(String, String, NaiveDate, Option<NaiveDate>)>> {
    memberships::table
        .inner_join(clubs::table)
        .filter(clubs::organization_id.eq(organization_id))
        .select((
            memberships::employee_id,
            memberships::club_id,
            memberships::joined_on,
            memberships::left_on,
        ))
        .load(conn)
}

/// Names of those of these clubs that are active, by id.
pub fn active_club_names(
    conn: &mut DbConn,
    ids: &[String],
) -> QueryResult<HashMap<String, String>> {
    Ok(clubs::table
        .filter(any_of(clubs::id, ids))
        .filter(clubs::status.eq(ClubStatus::Active.code()))
        .select((clubs::id, clubs::name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// The clubs a person is a member of on `day`.
pub fn club_ids_of(
    conn: &mut DbConn,
    employee_id: &str,
    day: NaiveDate,
) -> QueryResult<std::collections::HashSet<String>> {
    Ok(memberships::table
        .filter(memberships::employee_id.eq(employee_id))
        .filter(open_on(day))
        .select(memberships::club_id)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}
