//! Login attempts, counted per submitted employee number.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::login_throttle;
use crate::db::DbConn;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = login_throttle)]
pub struct Throttle {
    pub employee_no: String,
    /// Attempts that failed or are being checked, since the last success
    /// or lockout.
    pub failures: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

/// Counts one more attempt in a single statement, so that parallel guesses
/// each see their own number; answers the row as it is now.
pub fn count_attempt(
    conn: &mut DbConn,
    employee_no: &str,
    now: NaiveDateTime,
) -> QueryResult<Throttle> {
    use login_throttle::dsl as t;
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(t::login_throttle)
        .values((
            t::employee_no.eq(employee_no),
            t::failures.eq(1),
            t::updated_at.eq(now),
        ))
        .on_conflict(t::employee_no)
        .do_update()
        .set((t::failures.eq(t::failures + 1), t::updated_at.eq(now)))
        .execute(c))?;
    login_throttle::table
        .find(employee_no)
        .select(Throttle::as_select())
        .first(conn)
}

/// After a failed check: locks the number once `max_failures` attempts have
/// failed, starting the count again. One statement, whatever else runs.
pub fn lock_if_exhausted(
    conn: &mut DbConn,
    employee_no: &str,
    max_failures: i32,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    use login_throttle::dsl as t;
    let locked = diesel::update(t::login_throttle.find(employee_no))
        .filter(t::failures.ge(max_failures))
        .set((t::failures.eq(0), t::locked_until.eq(until)))
        .execute(conn)?;
    Ok(locked > 0)
}

pub fn clear_throttle(conn: &mut DbConn, employee_no: &str) -> QueryResult<()> {
    diesel::delete(login_throttle::table.find(employee_no)).execute(conn)?;
    Ok(())
}
