//! Keeps SQLite from recompiling cached statements on every execution.
//!
//! SQLite plans some statements from the values bound to them: a `LIMIT ?`,
//! or a `role = ?` that a partial index's condition mentions. Such a
//! statement is marked expired whenever that parameter is bound again, so
//! diesel's statement cache saved nothing: `first()`, every paged list and
//! every query near a partial unique index was parsed and planned anew each
//! time (a fifth of a request's time in profiles). The query planner
//! stability guarantee (QPSG) plans from the SQL alone; the indexes the
//! queries use do not depend on the values.
//!
//! diesel does not hand out the raw handle, so the setting is applied by an
//! auto-extension: SQLite calls it for every connection the process opens.

use std::ffi::{c_char, c_int};
use std::sync::Once;

use libsqlite3_sys as ffi;

unsafe extern "C" fn stable_plans(
    db: *mut ffi::sqlite3,
    _error: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: SQLite calls this with a connection it has just opened.
    unsafe {
        ffi::sqlite3_db_config(
            db,
            ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    }
}

/// Registers the setting once per process, before connections are opened.
pub fn stabilize_plans() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        // SAFETY: registers a function with the signature SQLite expects;
        // it stays valid for the life of the process.
        let rc = unsafe { ffi::sqlite3_auto_extension(Some(stable_plans)) };
        if rc != ffi::SQLITE_OK {
            tracing::warn!(rc, "could not register the SQLite plan setting");
        }
    });
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::Text;

    #[derive(QueryableByName)]
    struct PlanStep {
        #[diesel(sql_type = Text)]
        detail: String,
    }

    /// Without the setting SQLite picks the partial index for a bound
    /// 'president', a plan that holds only for that value (and is thrown away
    /// when another value is bound).
    #[test]
    fn plans_do_not_depend_on_bound_values() {
        super::stabilize_plans();
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(
            "CREATE TABLE t (club TEXT NOT NULL, role TEXT NOT NULL); \
             CREATE UNIQUE INDEX one_president ON t(club) WHERE role = 'president';",
        )
        .unwrap();
        let plan: Vec<PlanStep> = diesel::sql_query(
            "EXPLAIN QUERY PLAN SELECT club FROM t WHERE club = 'a' AND role = ?",
        )
        .bind::<Text, _>("president")
        .load(&mut conn)
        .unwrap();
        let plan: Vec<String> = plan.into_iter().map(|p| p.detail).collect();
        assert!(
            plan.iter().all(|step| !step.contains("one_president")),
            "{plan:?}"
        );
    }
}
