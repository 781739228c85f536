//! SQLite's one writer: every web write goes through one connection on its
//! own thread, and the writes that queue while one group commits are
//! committed together (group commit).
//!
//! Nobody is answered before the group's COMMIT has returned, so what a
//! client was told is saved survives a crash. One commit writes a page that
//! several writes changed (the ledger's chain, an index's last leaf) to the
//! WAL once, and syncs once.
//!
//! A group runs first with no savepoints. Each savepoint journals a copy of
//! every page its write changes, a meeting write some ninety pages, in
//! small blocks allocated and freed again: a tenth of the writer's time.
//! When every write of the group succeeds, nothing needed them. When one
//! fails (an error, a panic, or a nested transaction that failed and was
//! caught), the group is rolled back and run again with each write in its
//! savepoint, so that a write that fails is rolled back alone and answers
//! its own error; the others go on. A write may therefore run twice, and
//! must change nothing outside the database. After a failure the writer
//! keeps the savepoints for a while, so that a stream of failing writes
//! does not make every group run twice.
//!
//! Only this connection changes the file under its page cache, so the cache
//! stays warm, where a pooled connection drops its cache whenever another
//! one has written.
//!
//! Its savepoint journal is kept in memory: written to a temporary file, it
//! took a third of the writer's time. Kept in memory, a savepoint's release
//! walks the journal, which grows with the transaction: writes that change
//! thousands of rows go to a pooled connection instead
//! (`AppState::bulk_tx`), whose journal spills to a file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::{BackendConnection, DatabaseUrl, DbConnection, SQLITE_WRITER};
use crate::error::{AppError, AppResult};

/// At most this many writes share a commit, so that a long queue still
/// sees answers in steady steps.
const GROUP_LIMIT: usize = 64;

/// After a group in which a write failed, this many groups run with
/// savepoints from the start.
const CAREFUL_GROUPS: u32 = 16;

type Transactions = <DbConnection as diesel::Connection>::TransactionManager;

/// Why a group's writes were all rolled back.
#[derive(Debug, Clone)]
struct GroupFailed(String);

/// A write queued for the writer.
trait Write: Send {
    /// Runs the write in the group's transaction, again if it ran before;
    /// true when it succeeded.
    fn run(&mut self, conn: &mut DbConnection) -> bool;
    /// Answers the caller with the last run's result, or with the group's
    /// failure.
    fn answer(self: Box<Self>, group: Result<(), GroupFailed>);
}

struct Queued<T, F> {
    f: F,
    result: Option<AppResult<T>>,
    caller: tokio::sync::oneshot::Sender<AppResult<T>>,
}

impl<T, F> Write for Queued<T, F>
where
    F: Fn(&mut DbConnection) -> AppResult<T> + Send,
    T: Send,
{
    fn run(&mut self, conn: &mut DbConnection) -> bool {
        self.result = None;
        let result = super::write_tx(conn, &self.f);
        let succeeded = result.is_ok();
        self.result = Some(result);
        succeeded
    }

    fn answer(self: Box<Self>, group: Result<(), GroupFailed>) {
        let result = match (group, self.result) {
            (Ok(()), Some(result)) => result,
            // Its last run panicked.
            (Ok(()), None) => Err(AppError::Internal(anyhow::anyhow!("the write failed"))),
            (Err(GroupFailed(why)), _) => Err(AppError::Internal(anyhow::anyhow!(
                "the write was rolled back with its group: {why}"
            ))),
        };
        let _ = self.caller.send(result);
    }
}

type Work = Box<dyn Write>;

#[derive(Clone)]
pub struct Writer {
    queue: mpsc::Sender<Work>,
}

impl Writer {
    /// Opens the writer's connection and starts its thread; the thread ends
    /// when the last `Writer` is dropped.
    pub fn start(url: &DatabaseUrl) -> anyhow::Result<Self> {
        let mut conn = open(url)?;
        let url = url.clone();
        let (queue, work) = mpsc::channel::<Work>();
        std::thread::Builder::new()
            .name("sqlite-writer".into())
            .spawn(move || {
                let mut careful = 0;
                while let Ok(first) = work.recv() {
                    let mut group = vec![first];
                    group.extend(work.try_iter().take(GROUP_LIMIT - 1));
                    let (outcome, a_write_failed) = commit_group(&mut conn, group, careful == 0);
                    careful = if a_write_failed {
                        CAREFUL_GROUPS
                    } else {
                        careful.saturating_sub(1)
                    };
                    if let Err(GroupFailed(why)) = outcome {
                        tracing::error!(%why, "a group of writes was rolled back");
                        match open(&url) {
                            Ok(fresh) => conn = fresh,
                            Err(e) => tracing::error!(error = %e, "the writer could not reconnect"),
                        }
                    }
                }
            })?;
        Ok(Self { queue })
    }

    /// Runs `f` as one write of a group: all of its writes or none, and the
    /// answer only once they are committed. `f` may run more than once (see
    /// the module's comment); only its last run counts.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        F: Fn(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (caller, answered) = tokio::sync::oneshot::channel::<AppResult<T>>();
        let work: Work = Box::new(Queued {
            f,
            result: None,
            caller,
        });
        self.queue
            .send(work)
            .map_err(|_| AppError::Internal(anyhow::anyhow!("the database writer has stopped")))?;
        answered
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("the write was not committed")))?
    }
}

fn open(url: &DatabaseUrl) -> anyhow::Result<DbConnection> {
    let mut conn = super::open(url)?;
    diesel::connection::SimpleConnection::batch_execute(&mut conn, "PRAGMA temp_store = MEMORY")?;
    Ok(conn)
}

/// Runs a group in one IMMEDIATE transaction, then answers every caller:
/// first with no savepoints when `hopeful`, then, if a write failed, with
/// each write in a savepoint. A failed COMMIT, or a write that leaves the
/// transaction unusable, rolls the whole group back and fails every write
/// in it. Also says whether a write failed.
fn commit_group(
    conn: &mut DbConnection,
    mut group: Vec<Work>,
    hopeful: bool,
) -> (Result<(), GroupFailed>, bool) {
    let _one_writer = SQLITE_WRITER.try_lock_for(super::SQLITE_BUSY_TIMEOUT);
    let outcome = run_group(conn, &mut group, hopeful);
    let (outcome, a_write_failed) = match outcome {
        Ok(a_write_failed) => (
            Transactions::commit_transaction(conn).map_err(|e| failed(&e)),
            a_write_failed,
        ),
        Err(e) => {
            let _ = Transactions::rollback_transaction(conn);
            (Err(e), true)
        }
    };
    for work in group {
        work.answer(outcome.clone());
    }
    (outcome, a_write_failed)
}

/// The group's writes in its transaction, left open: in place when
/// `hopeful` and, if one of them failed, again with savepoints. Answers
/// whether a write failed.
fn run_group(
    conn: &mut DbConnection,
    group: &mut [Work],
    hopeful: bool,
) -> Result<bool, GroupFailed> {
    if hopeful {
        begin(conn)?;
        let (all_succeeded, a_nested_write_failed) =
            super::without_savepoints(|| run_all(conn, group, false));
        if all_succeeded? && !a_nested_write_failed {
            return Ok(false);
        }
        Transactions::rollback_transaction(conn).map_err(|e| failed(&e))?;
    }
    begin(conn)?;
    run_all(conn, group, true)?;
    Ok(true)
}

fn failed(e: &dyn std::fmt::Display) -> GroupFailed {
    GroupFailed(e.to_string())
}

fn begin(conn: &mut DbConnection) -> Result<(), GroupFailed> {
    let BackendConnection::Sqlite(sqlite) = conn.backend() else {
        unreachable!("the group writer serves SQLite only")
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE").map_err(|e| failed(&e))
}

/// Runs the group's writes in order. Without savepoints it stops at the
/// first that fails and answers false; with them, a write that fails is
/// rolled back alone, and the answer is true.
fn run_all(
    conn: &mut DbConnection,
    group: &mut [Work],
    savepoints: bool,
) -> Result<bool, GroupFailed> {
    for work in group.iter_mut() {
        let succeeded = match catch_unwind(AssertUnwindSafe(|| work.run(conn))) {
            Ok(succeeded) => succeeded,
            // Its savepoint, left open, is rolled back like a failed write's.
            Err(_) => {
                if savepoints && matches!(depth(conn), Ok(Some(d)) if d > 1) {
                    let _ = Transactions::rollback_transaction(conn);
                }
                false
            }
        };
        still_in_group(conn)?;
        if !succeeded && !savepoints {
            return Ok(false);
        }
    }
    Ok(true)
}

/// After a write, the group's transaction must be open at its first level:
/// a savepoint that could not be rolled back leaves it unusable.
fn still_in_group(conn: &mut DbConnection) -> Result<(), GroupFailed> {
    match depth(conn) {
        Ok(Some(1)) => Ok(()),
        Ok(_) => Err(GroupFailed("a write left the group's transaction".into())),
        Err(e) => Err(failed(&e)),
    }
}

fn depth(conn: &mut DbConnection) -> diesel::QueryResult<Option<u32>> {
    let BackendConnection::Sqlite(sqlite) = conn.backend() else {
        unreachable!("the group writer serves SQLite only")
    };
    let depth =
        AnsiTransactionManager::transaction_manager_status_mut(sqlite).transaction_depth()?;
    Ok(depth.map(|d| d.get()))
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;

    use super::*;

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn rows(conn: &mut DbConnection, sql: &str) -> i64 {
        diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
    }

    /// Writes queued behind a slow one share a commit; the ones that fail
    /// or panic are rolled back alone, and every other write is saved once
    /// its caller is answered.
    #[actix_web::test]
    async fn a_failed_write_leaves_its_group_saved() {
        let folder = tempfile::tempdir().unwrap();
        let (url, writer) = table(&folder);
        let writes: Vec<QueuedWrite<i64>> = (0..40)
            .map(|n| {
                Box::new(move |conn: &mut DbConnection| {
                    conn.batch_execute(&format!("INSERT INTO t VALUES ({n})"))?;
                    match n % 10 {
                        3 => Err(AppError::Conflict("refused".into())),
                        7 => panic!("a bug in write {n}"),
                        _ => Ok(n as i64),
                    }
                }) as QueuedWrite<i64>
            })
            .collect();
        let answered_ok: Vec<i64> = in_one_group(&writer, writes)
            .await
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        let mut conn = super::super::open(&url).unwrap();
        let saved = rows(&mut conn, "SELECT COUNT(*) AS n FROM t WHERE n < 1000");
        assert_eq!(
            saved,
            answered_ok.len() as i64,
            "saved = answered with success"
        );
        let expected: Vec<i64> = (0..40).filter(|n| n % 10 != 3 && n % 10 != 7).collect();
        assert_eq!(
            answered_ok, expected,
            "only the failed and panicked writes fail"
        );
        assert_eq!(
            rows(
                &mut conn,
                "SELECT COUNT(*) AS n FROM t WHERE n % 10 IN (3, 7)"
            ),
            0
        );
        // The writer goes on after a panic.
        writer
            .run(|conn| Ok(conn.batch_execute("INSERT INTO t VALUES (2000)")?))
            .await
            .unwrap();
        assert_eq!(
            rows(&mut conn, "SELECT COUNT(*) AS n FROM t WHERE n = 2000"),
            1
        );
    }

    type QueuedWrite<T> = Box<dyn Fn(&mut DbConnection) -> AppResult<T> + Send>;

    /// Queues a slow write, then `rest`, so that `rest` shares one group.
    async fn in_one_group<T: Send + 'static>(
        writer: &Writer,
        rest: Vec<QueuedWrite<T>>,
    ) -> Vec<AppResult<T>> {
        let slow = writer.run(|_| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            Ok(())
        });
        let calls: Vec<_> = rest
            .into_iter()
            .map(|f| {
                let writer = writer.clone();
                actix_web::rt::spawn(async move { writer.run(f).await })
            })
            .collect();
        slow.await.unwrap();
        let mut answers = Vec::new();
        for call in calls {
            answers.push(call.await.unwrap());
        }
        answers
    }

    fn table(folder: &tempfile::TempDir) -> (DatabaseUrl, Writer) {
        let url = DatabaseUrl::Sqlite(folder.path().join("w.db"));
        super::super::open(&url)
            .unwrap()
            .batch_execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .unwrap();
        let writer = Writer::start(&url).unwrap();
        (url, writer)
    }

    /// A group runs without savepoints first: a nested transaction that
    /// fails and whose error the write catches must still be undone, so
    /// the group runs again with them.
    #[actix_web::test]
    async fn a_caught_nested_failure_is_undone() {
        let folder = tempfile::tempdir().unwrap();
        let (url, writer) = table(&folder);
        writer
            .run(|conn| {
                let nested: AppResult<()> = crate::db::write_tx(conn, |conn| {
                    conn.batch_execute("INSERT INTO t VALUES (1)")?;
                    Err(AppError::Conflict("refused".into()))
                });
                assert!(nested.is_err());
                conn.batch_execute("INSERT INTO t VALUES (2)")?;
                Ok(())
            })
            .await
            .unwrap();
        let mut conn = super::super::open(&url).unwrap();
        assert_eq!(
            rows(&mut conn, "SELECT COUNT(*) AS n FROM t WHERE n = 1"),
            0
        );
        assert_eq!(
            rows(&mut conn, "SELECT COUNT(*) AS n FROM t WHERE n = 2"),
            1
        );
    }

    /// A write whose group ran twice (another write failed) answers its
    /// last run, and what its first run wrote was rolled back.
    #[actix_web::test]
    async fn a_write_run_twice_answers_its_last_run() {
        let folder = tempfile::tempdir().unwrap();
        let (url, writer) = table(&folder);
        let runs = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(0));
        let counted = runs.clone();
        let answers = in_one_group(
            &writer,
            vec![
                Box::new(move |conn: &mut DbConnection| {
                    conn.batch_execute("INSERT INTO t VALUES (1)")?;
                    Ok(counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1)
                }),
                Box::new(|conn: &mut DbConnection| {
                    conn.batch_execute("INSERT INTO t VALUES (2)")?;
                    Err(AppError::Conflict("refused".into()))
                }),
            ],
        )
        .await;
        assert_eq!(
            answers[0].as_ref().unwrap(),
            &2,
            "answered from its second run"
        );
        assert!(matches!(answers[1], Err(AppError::Conflict(_))));
        let mut conn = super::super::open(&url).unwrap();
        assert_eq!(rows(&mut conn, "SELECT COUNT(*) AS n FROM t"), 1);
        assert_eq!(runs.load(std::sync::atomic::Ordering::SeqCst), 2);
    }
}
