//! Ledger rows and the plain queries over them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{
    employees, ledger_accounts, ledger_balances, ledger_chain, ledger_entries,
    ledger_entry_details, ledger_movements,
};
use crate::db::{any_of, new_id, BackendConnection, Bind, DbConn, FixedStatement, SumOfAmounts};

crate::text_enum! {
    /// What an amount counts: whole minutes of recognized learning, mileage
    /// points, vouchers, won, days of special leave.
    pub enum Unit {
        Minutes = ("minutes", "상시학습(분)"),
        Points = ("points", "마일리지"),
        Vouchers = ("vouchers", "학습바우처"),
        Krw = ("krw", "원"),
        LeaveDays = ("leave_days", "특별휴가(일)"),
    }
}

crate::text_enum! {
    pub enum OwnerKind {
        Employee = ("employee", "직원"),
        Club = ("club", "동아리"),
        System = ("system", "시스템"),
    }
}

crate::text_enum! {
    /// What made a movement.
    pub enum Source {
        ClubHours = ("club_hours", "학습동아리 인정"),
        HrImport = ("hr_import", "인사 학습이력"),
        Conversion = ("conversion", "마일리지 전환"),
        Earning = ("earning", "적립"),
        Redemption = ("redemption", "사용"),
        Expiry = ("expiry", "소멸"),
        EvaluationAward = ("evaluation_award", "평가 포상"),
        ManualAdjustment = ("manual_adjustment", "수동 조정"),
        Reversal = ("reversal", "취소"),
    }
}

crate::text_enum! {
    /// The learning types of the HR learning system (교육학습 유형).
    pub enum LearningType {
        InstitutionCourse = ("institution_course", "기관주관교육"),
        DepartmentLearning = ("department_learning", "부서학습"),
        Club = ("club", "학습동아리"),
        Cyber = ("cyber", "사이버교육"),
        Workplace = ("workplace", "직장교육"),
        Certificate = ("certificate", "자격취득"),
        Other = ("other", "기타"),
    }
}

impl LearningType {
    /// A type as a file names it: its code or its Korean name.
    pub fn from_text(text: &str) -> Option<LearningType> {
        let text = text.trim();
        LearningType::ALL
            .iter()
            .copied()
            .find(|t| t.code() == text || t.label_ko() == text)
    }
}

crate::text_enum! {
    /// The system side of each unit, one account per office.
    pub enum SystemPurpose {
        HoursIssuer = ("hours_issuer", "상시학습 인정"),
        MileagePool = ("mileage_pool", "마일리지 풀"),
        VoucherTreasury = ("voucher_treasury", "바우처 발행"),
        Catalog = ("catalog", "바우처 카탈로그"),
        PrizeFund = ("prize_fund", "포상금"),
        LeaveIssuer = ("leave_issuer", "특별휴가 부여"),
    }
}

impl Unit {
    /// A unit as the API names it: its code, or `hours` for minutes.
    pub fn from_query(text: &str) -> Option<Unit> {
        match text.trim() {
            "hours" => Some(Unit::Minutes),
            other => Unit::ALL.iter().copied().find(|u| u.code() == other),
        }
    }

    /// How the API and the pages ask for the unit (`from_query` reads it).
    pub fn query_name(self) -> &'static str {
        match self {
            Unit::Minutes => "hours",
            other => other.code(),
        }
    }
}

impl SystemPurpose {
    /// The office's account that issues, or takes back, this unit.
    pub fn issuer_of(unit: Unit) -> SystemPurpose {
        match unit {
            Unit::Minutes => SystemPurpose::HoursIssuer,
            Unit::Points => SystemPurpose::MileagePool,
            Unit::Vouchers => SystemPurpose::VoucherTreasury,
            Unit::Krw => SystemPurpose::PrizeFund,
            Unit::LeaveDays => SystemPurpose::LeaveIssuer,
        }
    }
}

/// Whose account.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    Employee(String),
    Club(String),
    System {
        purpose: SystemPurpose,
        organization_id: String,
    },
}

impl Owner {
    pub fn kind(&self) -> OwnerKind {
        match self {
            Owner::Employee(_) => OwnerKind::Employee,
            Owner::Club(_) => OwnerKind::Club,
            Owner::System { .. } => OwnerKind::System,
        }
    }

    /// The stored owner id: the employee's or club's id, or
    /// `purpose:organization` for a system account.
    pub fn id(&self) -> String {
        match self {
            Owner::Employee(id) | Owner::Club(id) => id.clone(),
            Owner::System {
                purpose,
                organization_id,
            } => format!("{}:{organization_id}", purpose.code()),
        }
    }
}

/// One account: an owner's, in one unit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountRef {
    pub owner: Owner,
    pub unit: Unit,
}

#[derive(Queryable, Selectable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = ledger_accounts)]
pub struct Account {
    pub id: String,
    pub owner_kind: String,
    pub owner_id: String,
    pub unit: String,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
// `None` is bound as NULL rather than leaving the column out, so that the
// insert's text never changes and the statement is prepared once.
#[diesel(table_name = ledger_movements, treat_none_as_default_value = false)]
pub struct Movement {
    pub id: String,
    pub idempotency_key: String,
    pub fingerprint: String,
    pub source: String,
    pub source_ref: Option<String>,
    pub counts_for: NaiveDate,
    pub rule_version: Option<String>,
    pub actor_id: Option<String>,
    pub reason: Option<String>,
    pub reverses_id: Option<String>,
    pub recorded_at: NaiveDateTime,
    /// What the HR learning system calls it (`LearningType`), with its
    /// title: set by HR imports, carried by their reversals.
    pub learning_type: Option<String>,
    pub title: Option<String>,
}

impl Movement {
    pub fn learning(&self) -> Option<Learning> {
        Some(Learning {
            learning_type: LearningType::parse(self.learning_type.as_deref()?)?,
            title: self.title.clone().unwrap_or_default(),
        })
    }
}

/// A learning record's type and title, as the HR learning system files it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Learning {
    pub learning_type: LearningType,
    pub title: String,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = ledger_entries)]
pub struct Entry {
    pub seq: i64,
    pub movement_id: String,
    pub account_id: String,
    pub unit: String,
    pub amount: i64,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = ledger_entry_details)]
pub struct Detail {
    pub movement_id: String,
    /// What `ref_id` names: `meeting`, `hr_record`, …
    pub kind: String,
    pub ref_id: String,
    pub amount: i64,
}

/// The account's id, opening it on first use. Safe under concurrency: the
/// insert gives way to an account another transaction opened first.
pub fn open_account(
    conn: &mut DbConn,
    account: &AccountRef,
    now: NaiveDateTime,
) -> QueryResult<String> {
    use ledger_accounts::dsl as a;
    if let Some(id) = account_id_of(conn, account)? {
        return Ok(id);
    }
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(a::ledger_accounts)
        .values((
            a::id.eq(new_id()),
            a::owner_kind.eq(account.owner.kind().code()),
            a::owner_id.eq(account.owner.id()),
            a::unit.eq(account.unit.code()),
            a::created_at.eq(now),
        ))
        .on_conflict((a::owner_kind, a::owner_id, a::unit))
        .do_nothing()
        .execute(c))?;
    account_id_of(conn, account)?.ok_or(diesel::result::Error::NotFound)
}

/// The accounts of a movement's legs, in their order, each opened where
/// missing: one query for the usual two legs.
pub fn open_accounts(
    conn: &mut DbConn,
    accounts: &[&AccountRef],
    now: NaiveDateTime,
) -> QueryResult<Vec<String>> {
    let found = match accounts {
        [first, second] => accounts_of_two(conn, first, second)?,
        _ => Vec::new(),
    };
    accounts
        .iter()
        .map(|account| {
            let (kind, owner, unit) = (
                account.owner.kind().code(),
                account.owner.id(),
                account.unit.code(),
            );
            match found
                .iter()
                .find(|(_, k, o, u)| k == kind && *o == owner && u == unit)
            {
                Some((id, ..)) => Ok(id.clone()),
                None => open_account(conn, account, now),
            }
        })
        .collect()
}

/// (id, owner kind, owner, unit) of whichever of two accounts exist.
fn accounts_of_two(
    conn: &mut DbConn,
    first: &AccountRef,
    second: &AccountRef,
) -> QueryResult<Vec<(String, String, String, String)>> {
    use ledger_accounts::dsl as a;
    let (first_owner, second_owner) = (first.owner.id(), second.owner.id());
    let either = BoolExpressionMethods::or(
        a::owner_kind
            .eq(first.owner.kind().code())
            .and(a::owner_id.eq(&first_owner))
            .and(a::unit.eq(first.unit.code())),
        a::owner_kind
            .eq(second.owner.kind().code())
            .and(a::owner_id.eq(&second_owner))
            .and(a::unit.eq(second.unit.code())),
    );
    crate::on_backend!(&mut *conn, |c| a::ledger_accounts
        .filter(either)
        .select((a::id, a::owner_kind, a::owner_id, a::unit))
        .load(c))
}

pub fn account_id_of(conn: &mut DbConn, account: &AccountRef) -> QueryResult<Option<String>> {
    use ledger_accounts::dsl as a;
    a::ledger_accounts
        .filter(a::owner_kind.eq(account.owner.kind().code()))
        .filter(a::owner_id.eq(account.owner.id()))
        .filter(a::unit.eq(account.unit.code()))
        .select(a::id)
        .first(conn)
        .optional()
}

pub fn accounts_by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<Account>> {
    ledger_accounts::table
        .filter(any_of(ledger_accounts::id, ids))
        .select(Account::as_select())
        .load(conn)
}

pub fn movement_by_key(conn: &mut DbConn, key: &str) -> QueryResult<Option<Movement>> {
    ledger_movements::table
        .filter(ledger_movements::idempotency_key.eq(key))
        .select(Movement::as_select())
        .first(conn)
        .optional()
}

pub fn movement_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Movement> {
    ledger_movements::table
        .find(id)
        .select(Movement::as_select())
        .first(conn)
}

pub fn movements_by_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<Movement>> {
    ledger_movements::table
        .filter(any_of(ledger_movements::id, ids))
        .select(Movement::as_select())
        .load(conn)
}

/// The movements an account took part in that count for a day of
/// `period`, by that day and then in the order they were recorded.
pub fn movements_through(
    conn: &mut DbConn,
    account_id: &str,
    period: (NaiveDate, NaiveDate),
) -> QueryResult<Vec<Movement>> {
    ledger_entries::table
        .inner_join(ledger_movements::table)
        .filter(ledger_entries::account_id.eq(account_id))
        .filter(ledger_movements::counts_for.between(period.0, period.1))
        .order((
            ledger_movements::counts_for.asc(),
            ledger_entries::seq.asc(),
        ))
        .select(Movement::as_select())
        .load(conn)
}

/// (movement id, employee id, amount) of the employees' legs in `unit` of
/// these movements (a conversion also moves points).
pub fn employee_legs(
    conn: &mut DbConn,
    movement_ids: &[String],
    unit: Unit,
) -> QueryResult<Vec<(String, String, i64)>> {
    ledger_entries::table
        .inner_join(ledger_accounts::table)
        .filter(any_of(ledger_entries::movement_id, movement_ids))
        .filter(ledger_accounts::owner_kind.eq(OwnerKind::Employee.code()))
        .filter(ledger_entries::unit.eq(unit.code()))
        .order(ledger_entries::seq.asc())
        .select((
            ledger_entries::movement_id,
            ledger_accounts::owner_id,
            ledger_entries::amount,
        ))
        .load(conn)
}

/// The movement that reversed this one, if any.
pub fn reversal_of(conn: &mut DbConn, movement_id: &str) -> QueryResult<Option<Movement>> {
    ledger_movements::table
        .filter(ledger_movements::reverses_id.eq(movement_id))
        .select(Movement::as_select())
        .first(conn)
        .optional()
}

pub fn entries_of_movement(conn: &mut DbConn, movement_id: &str) -> QueryResult<Vec<Entry>> {
    ledger_entries::table
        .filter(ledger_entries::movement_id.eq(movement_id))
        .order(ledger_entries::seq.asc())
        .select(Entry::as_select())
        .load(conn)
}

pub fn details_of_movement(conn: &mut DbConn, movement_id: &str) -> QueryResult<Vec<Detail>> {
    ledger_entry_details::table
        .filter(ledger_entry_details::movement_id.eq(movement_id))
        .order((
            ledger_entry_details::kind.asc(),
            ledger_entry_details::ref_id.asc(),
        ))
        .select(Detail::as_select())
        .load(conn)
}

/// Takes the end of the chain for this transaction: on PostgreSQL the row
/// lock makes concurrent writers wait their turn (SQLite's write
/// transaction already does). Answers (last seq, last hash).
pub fn lock_chain(conn: &mut DbConn) -> QueryResult<(i64, String)> {
    take_chain(conn)?;
    chain_end(conn)
}

/// `lock_chain` for a writer that only needs its turn, not the chain's end.
pub fn take_chain(conn: &mut DbConn) -> QueryResult<()> {
    if let BackendConnection::Postgresql(_) = conn.backend() {
        TakeChain::with(&[]).run(conn)?;
    }
    Ok(())
}

crate::fixed_statement!(TakeChain = "UPDATE ledger_chain SET last_seq = last_seq WHERE id = 1");

/// The last entry's (seq, hash) as recorded, without taking it.
pub fn chain_end(conn: &mut DbConn) -> QueryResult<(i64, String)> {
    use ledger_chain::dsl as h;
    crate::on_backend!(conn, |c| h::ledger_chain
        .find(1)
        .select((h::last_seq, h::last_hash))
        .first(c))
}

pub fn advance_chain(conn: &mut DbConn, seq: i64, hash: &str) -> QueryResult<()> {
    AdvanceChain::with(&[Bind::BigInt(seq), Bind::Text(hash)]).run(conn)?;
    Ok(())
}

crate::fixed_statement!(
    AdvanceChain = "UPDATE ledger_chain SET last_seq = ?, last_hash = ? WHERE id = 1"
);

/// Adds to the cached balance of an account.
pub fn add_to_balance(conn: &mut DbConn, account_id: &str, amount: i64) -> QueryResult<()> {
    AddToBalance::with(&[Bind::Text(account_id), Bind::BigInt(amount)]).run(conn)?;
    Ok(())
}

crate::fixed_statement!(
    AddToBalance = "INSERT INTO ledger_balances (account_id, balance) VALUES (?, ?) \
        ON CONFLICT (account_id) DO UPDATE SET balance = ledger_balances.balance + excluded.balance"
);

/// An account's balance: the cache written with every entry in the same
/// transaction (`ledger verify` checks it against the entries' sum). One
/// row, however many entries the account has: the guard of a redemption or
/// a conversion reads it after taking the chain, so it is current.
pub fn balance(conn: &mut DbConn, account_id: &str) -> QueryResult<i64> {
    Ok(ledger_balances::table
        .find(account_id)
        .select(ledger_balances::balance)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

/// A person's balance in a unit.
pub fn employee_balance(conn: &mut DbConn, employee_id: &str, unit: Unit) -> QueryResult<i64> {
    let account = AccountRef {
        owner: Owner::Employee(employee_id.to_string()),
        unit,
    };
    match account_id_of(conn, &account)? {
        Some(id) => balance(conn, &id),
        None => Ok(0),
    }
}

/// The account a stored row names.
pub fn account_ref(account: &Account) -> crate::error::AppResult<AccountRef> {
    let broken = || {
        crate::error::AppError::Internal(anyhow::anyhow!(
            "ledger account {} has an unknown owner or unit",
            account.id
        ))
    };
    let unit = Unit::parse(&account.unit).ok_or_else(broken)?;
    let owner = match OwnerKind::parse(&account.owner_kind).ok_or_else(broken)? {
        OwnerKind::Employee => Owner::Employee(account.owner_id.clone()),
        OwnerKind::Club => Owner::Club(account.owner_id.clone()),
        OwnerKind::System => {
            let (purpose, organization_id) = account.owner_id.split_once(':').ok_or_else(broken)?;
            Owner::System {
                purpose: SystemPurpose::parse(purpose).ok_or_else(broken)?,
                organization_id: organization_id.to_string(),
            }
        }
    };
    Ok(AccountRef { owner, unit })
}

/// An account's entries with their movements counting for days in
/// `[from, to]`. One statement's text whether or not a period is asked
/// for, so that it is prepared once (a boxed query is prepared anew each
/// time).
macro_rules! entries_of {
    ($account_id:expr, $from:expr, $to:expr) => {
        ledger_entries::table
            .inner_join(ledger_movements::table)
            .filter(ledger_entries::account_id.eq($account_id))
            .filter(ledger_movements::counts_for.ge($from))
            .filter(ledger_movements::counts_for.le($to))
    };
}

/// The days asked for, or every day a movement can count for.
fn days_of(period: Option<(NaiveDate, NaiveDate)>) -> (NaiveDate, NaiveDate) {
    period.unwrap_or((first_day(), last_day()))
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(1, 1, 1).expect("a day")
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("a day")
}

/// How many entries an account has and their sum, optionally only those
/// counting for days in `[from, to]`, in one read.
pub fn count_and_sum(
    conn: &mut DbConn,
    account_id: &str,
    period: Option<(NaiveDate, NaiveDate)>,
) -> QueryResult<(i64, i64)> {
    let (from, to) = days_of(period);
    crate::on_backend!(conn, |c| entries_of!(account_id, from, to)
        .select((diesel::dsl::count_star(), SumOfAmounts))
        .first(c))
}

/// One page of an account's entries, latest first, with their movements,
/// optionally only those counting for days in `[from, to]`.
pub fn statement(
    conn: &mut DbConn,
    account_id: &str,
    period: Option<(NaiveDate, NaiveDate)>,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<(Entry, Movement)>> {
    let (from, to) = days_of(period);
    crate::on_backend!(conn, |c| entries_of!(account_id, from, to)
        .order(ledger_entries::seq.desc())
        .offset(offset)
        .limit(limit)
        .select((Entry::as_select(), Movement::as_select()))
        .load(c))
}

/// The details of these movements.
pub fn details_of(conn: &mut DbConn, movement_ids: &[String]) -> QueryResult<Vec<Detail>> {
    ledger_entry_details::table
        .filter(any_of(ledger_entry_details::movement_id, movement_ids))
        .order((
            ledger_entry_details::kind.asc(),
            ledger_entry_details::ref_id.asc(),
        ))
        .select(Detail::as_select())
        .load(conn)
}

/// Whether one side of the movement is a system account of this office.
pub fn movement_of_office(
    conn: &mut DbConn,
    movement_id: &str,
    organization_id: &str,
) -> crate::error::AppResult<bool> {
    let accounts: Vec<Account> = ledger_entries::table
        .inner_join(ledger_accounts::table)
        .filter(ledger_entries::movement_id.eq(movement_id))
        .filter(ledger_accounts::owner_kind.eq(OwnerKind::System.code()))
        .select(Account::as_select())
        .load(conn)?;
    for account in &accounts {
        if let Owner::System {
            organization_id: office,
            ..
        } = account_ref(account)?.owner
        {
            if office == organization_id {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Per employee: the club-hours minutes other offices granted for the half
/// ending `half_end` (grants and their reversals, filed under
/// `{office}/{half}`), so that a person who moved counts one cap, not one
/// per office.
pub fn club_hours_elsewhere(
    conn: &mut DbConn,
    own_source_ref: &str,
    half: &str,
    half_end: NaiveDate,
) -> QueryResult<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = ledger_entries::table
        .inner_join(ledger_accounts::table)
        .inner_join(ledger_movements::table)
        .filter(
            ledger_movements::source.eq_any([Source::ClubHours.code(), Source::Reversal.code()]),
        )
        .filter(ledger_movements::source_ref.like(format!("%/{half}")))
        .filter(ledger_movements::source_ref.ne(own_source_ref))
        .filter(ledger_movements::counts_for.eq(half_end))
        .filter(ledger_accounts::owner_kind.eq(OwnerKind::Employee.code()))
        .group_by(ledger_accounts::owner_id)
        .select((ledger_accounts::owner_id, SumOfAmounts))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// For a half's club-hours grants and their reversals (filed under
/// `source_ref`): each movement's employee, and each movement's meetings
/// with their minutes.
#[allow(clippy::type_complexity)]
pub fn club_hours_rows(
    conn: &mut DbConn,
    source_ref: &str,
) -> QueryResult<(Vec<(String, String)>, Vec<(String, String, i64)>)> {
    let sources = [Source::ClubHours.code(), Source::Reversal.code()];
    let owners = ledger_entries::table
        .inner_join(ledger_accounts::table)
        .inner_join(ledger_movements::table)
        .filter(ledger_movements::source_ref.eq(source_ref))
        .filter(ledger_movements::source.eq_any(sources))
        .filter(ledger_accounts::owner_kind.eq(OwnerKind::Employee.code()))
        .select((ledger_movements::id, ledger_accounts::owner_id))
        .load(conn)?;
    let details = ledger_entry_details::table
        .inner_join(ledger_movements::table)
        .filter(ledger_movements::source_ref.eq(source_ref))
        .filter(ledger_movements::source.eq_any(sources))
        .filter(ledger_entry_details::kind.eq("meeting"))
        .select((
            ledger_entry_details::movement_id,
            ledger_entry_details::ref_id,
            ledger_entry_details::amount,
        ))
        .load(conn)?;
    Ok((owners, details))
}

/// Whose recognized hours a sum covers.
#[derive(Debug, Clone, Copy)]
pub enum HoursOwners<'a> {
    /// One employee, by id.
    One(&'a str),
    /// The employees of an office, by its id.
    Office(&'a str),
}

/// (employee id, source, reversed movement, minutes) of the hours counting
/// for days in `[from, to]`, grouped.
#[allow(clippy::type_complexity)]
pub fn hours_by_source(
    conn: &mut DbConn,
    owners: HoursOwners<'_>,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(String, String, Option<String>, i64)>> {
    // The same grouped sum, for one person or for an office's people.
    macro_rules! sums {
        ($owner:expr) => {{
            crate::on_backend!(&mut *conn, |c| ledger_entries::table
                .inner_join(ledger_accounts::table)
                .inner_join(ledger_movements::table)
                .filter(ledger_accounts::owner_kind.eq(OwnerKind::Employee.code()))
                .filter(ledger_accounts::unit.eq(Unit::Minutes.code()))
                .filter($owner)
                .filter(ledger_movements::counts_for.ge(from))
                .filter(ledger_movements::counts_for.le(to))
                .group_by((
                    ledger_accounts::owner_id,
                    ledger_movements::source,
                    ledger_movements::reverses_id,
                ))
                .select((
                    ledger_accounts::owner_id,
                    ledger_movements::source,
                    ledger_movements::reverses_id,
                    SumOfAmounts,
                ))
                .load(c))
        }};
    }
    match owners {
        HoursOwners::One(id) => sums!(ledger_accounts::owner_id.eq(id)),
        HoursOwners::Office(org_id) => sums!(ledger_accounts::owner_id.eq_any(
            employees::table
                .filter(employees::organization_id.eq(org_id))
                .select(employees::id)
        )),
    }
}

/// One movement as it is posted; its details and legs follow.
/// Records a movement unless its idempotency key was used before: whether
/// it did. Another movement reversing the same one is still refused.
pub fn insert_movement(conn: &mut DbConn, movement: &Movement) -> QueryResult<bool> {
    let inserted =
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(ledger_movements::table)
            .values(movement)
            .on_conflict(ledger_movements::idempotency_key)
            .do_nothing()
            .execute(c))?;
    Ok(inserted == 1)
}

/// A posted movement's details, one row at a time: a multi-row insert is
/// prepared anew for each count of rows, and a movement mostly has one.
pub fn insert_details(conn: &mut DbConn, details: &[Detail]) -> QueryResult<()> {
    for detail in details {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(
            ledger_entry_details::table
        )
        .values(detail)
        .execute(c))?;
    }
    Ok(())
}

pub fn insert_entry(conn: &mut DbConn, entry: &Entry) -> QueryResult<()> {
    InsertEntry::with(&[
        Bind::BigInt(entry.seq),
        Bind::Text(&entry.movement_id),
        Bind::Text(&entry.account_id),
        Bind::Text(&entry.unit),
        Bind::BigInt(entry.amount),
        Bind::Text(&entry.prev_hash),
        Bind::Text(&entry.hash),
    ])
    .run(conn)
    .map(drop)
}

crate::fixed_statement!(
    InsertEntry = "INSERT INTO ledger_entries \
        (seq, movement_id, account_id, unit, amount, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"
);

/// Rows per multi-row statement, under SQLite's limit of bound values.
const CHUNK: usize = 1_000;

/// Many new movements with their details and entries, in multi-row
/// statements (the Seoul-scale generator's bulk write).
pub fn insert_movements(
    conn: &mut DbConn,
    movements: &[Movement],
    details: &[Detail],
    entries: &[Entry],
) -> QueryResult<()> {
    for chunk in movements.chunks(CHUNK) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(ledger_movements::table)
            .values(chunk)
            .execute(c))?;
    }
    for chunk in details.chunks(CHUNK) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(
            ledger_entry_details::table
        )
        .values(chunk)
        .execute(c))?;
    }
    for chunk in entries.chunks(CHUNK) {
        crate::on_backend!(&mut *conn, |c| diesel::insert_into(ledger_entries::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}
