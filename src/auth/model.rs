//! Failed-login counters, per submitted employee number.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::login_throttle;
use crate::db::DbConn;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = login_throttle)]
pub struct Throttle {
    pub employee_no: String,
    pub failures: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

pub fn throttle_for(conn: &mut DbConn, employee_no: &str) -> QueryResult<Option<Throttle>> {
    login_throttle::table
        .find(employee_no)
        .select(Throttle::as_select())
        .first(conn)
        .optional()
}

pub fn save_throttle(
    conn: &mut DbConn,
    employee_no: &str,
    failures: i32,
    locked_until: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(login_throttle::table.find(employee_no))
        .set((
            login_throttle::failures.eq(failures),
            login_throttle::locked_until.eq(locked_until),
            login_throttle::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_throttle::table)
            .values((
                login_throttle::employee_no.eq(employee_no),
                login_throttle::failures.eq(failures),
                login_throttle::locked_until.eq(locked_until),
                login_throttle::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear_throttle(conn: &mut DbConn, employee_no: &str) -> QueryResult<()> {
    diesel::delete(login_throttle::table.find(employee_no)).execute(conn)?;
    Ok(())
}
