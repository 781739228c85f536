//! What a job last finished for an office (`job_marks`): a fingerprint of
//! the inputs it saw, or just that it was done, so a later run can skip it.
//! The domains' sweeps keep their own marks, so it sits here, beneath them
//! and the jobs that run them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::job_marks;
use super::DbConn;

pub fn mark_of(conn: &mut DbConn, organization_id: &str, job: &str) -> QueryResult<Option<String>> {
    job_marks::table
        .find((organization_id, job))
        .select(job_marks::fingerprint)
        .first(conn)
        .optional()
}

pub fn set_mark(
    conn: &mut DbConn,
    organization_id: &str,
    job: &str,
    fingerprint: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    crate::on_backend!(&mut *conn, |c| diesel::insert_into(job_marks::table)
        .values((
            job_marks::organization_id.eq(organization_id),
            job_marks::job.eq(job),
            job_marks::fingerprint.eq(fingerprint),
            job_marks::marked_at.eq(now),
        ))
        .on_conflict((job_marks::organization_id, job_marks::job))
        .do_update()
        .set((
            job_marks::fingerprint.eq(fingerprint),
            job_marks::marked_at.eq(now),
        ))
        .execute(c))?;
    Ok(())
}
