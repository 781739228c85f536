//! SQLite's one writer: every web write goes through one connection on its
//! own thread, and the writes that queue while one group commits are
//! committed together (group commit).
//!
//! Each write runs in its own savepoint, so a write that fails is rolled
//! back alone and answers its own error; the others in the group go on.
//! Nobody is answered before the group's COMMIT has returned, so what a
//! client was told is saved survives a crash. One commit writes a page that
//! several writes changed (the ledger's chain, an index's last leaf) to the
//! WAL once, and syncs once.
//!
//! Only this connection changes the file under its page cache, so the cache
//! stays warm, where a pooled connection drops its cache whenever another
//! one has written.
//!
//! Its savepoint journal is kept in memory: each write's savepoint journals
//! every page it changes, a meeting write some ninety pages, and written to
//! a temporary file that took a third of the writer's time. Kept in memory,
//! a savepoint's release walks the journal, which grows with the
//! transaction: writes that change thousands of rows go to a pooled
//! connection instead (`AppState::bulk_tx`), whose journal spills to a file.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc;

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::{BackendConnection, DatabaseUrl, DbConnection, SQLITE_WRITER};
use crate::error::{AppError, AppResult};

/// At most this many writes share a commit, so that a long queue still
/// sees answers in steady steps.
const GROUP_LIMIT: usize = 64;

/// A write queued for the writer: runs in the group's transaction and
/// returns how to answer its caller once the group's fate is known.
type Work = Box<dyn FnOnce(&mut DbConnection) -> Answer + Send>;
/// Answers a caller with its own result, or with the group's failure.
type Answer = Box<dyn FnOnce(Result<(), GroupFailed>) + Send>;

type Transactions = <DbConnection as diesel::Connection>::TransactionManager;

/// Why a group's writes were all rolled back.
#[derive(Debug, Clone)]
struct GroupFailed(String);

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
                while let Ok(first) = work.recv() {
                    let mut group = vec![first];
                    group.extend(work.try_iter().take(GROUP_LIMIT - 1));
                    if let Err(GroupFailed(why)) = commit_group(&mut conn, group) {
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
    /// answer only once they are committed.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (answer, answered) = tokio::sync::oneshot::channel::<AppResult<T>>();
        let work: Work = Box::new(move |conn| {
            let result = super::write_tx(conn, f);
            Box::new(move |group: Result<(), GroupFailed>| {
                let result = match group {
                    Ok(()) => result,
                    Err(GroupFailed(why)) => Err(AppError::Internal(anyhow::anyhow!(
                        "the write was rolled back with its group: {why}"
                    ))),
                };
                let _ = answer.send(result);
            })
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

/// Runs a group in one IMMEDIATE transaction, each write in a savepoint,
/// then answers every caller. A failed COMMIT, or a write that leaves the
/// transaction unusable, rolls the whole group back and fails every write
/// in it.
fn commit_group(conn: &mut DbConnection, group: Vec<Work>) -> Result<(), GroupFailed> {
    let failed = |e: &dyn std::fmt::Display| GroupFailed(e.to_string());
    let _one_writer = SQLITE_WRITER.try_lock_for(super::SQLITE_BUSY_TIMEOUT);
    let BackendConnection::Sqlite(sqlite) = conn.backend() else {
        unreachable!("the group writer serves SQLite only")
    };
    // Writes dropped unrun are answered by their channel's closing.
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")
        .map_err(|e| failed(&e))?;
    let mut answers = Vec::with_capacity(group.len());
    let mut outcome = Ok(());
    for work in group {
        match catch_unwind(AssertUnwindSafe(|| work(conn))) {
            Ok(answer) => answers.push(answer),
            // Its caller hears of it when its answer is dropped; its
            // savepoint, left open, is rolled back like a failed write's.
            Err(_) => {
                if matches!(depth(conn), Ok(Some(d)) if d > 1) {
                    let _ = Transactions::rollback_transaction(conn);
                }
            }
        }
        if let Err(e) = still_in_group(conn) {
            outcome = Err(e);
            break;
        }
    }
    let outcome = match outcome {
        Ok(()) => Transactions::commit_transaction(conn).map_err(|e| failed(&e)),
        Err(e) => {
            let _ = Transactions::rollback_transaction(conn);
            Err(e)
        }
    };
    for answer in answers {
        answer(outcome.clone());
    }
    outcome
}

/// After a write, the group's transaction must be open at its first level:
/// a savepoint that could not be rolled back leaves it unusable.
fn still_in_group(conn: &mut DbConnection) -> Result<(), GroupFailed> {
    match depth(conn) {
        Ok(Some(1)) => Ok(()),
        Ok(_) => Err(GroupFailed("a write left the group's transaction".into())),
        Err(e) => Err(GroupFailed(e.to_string())),
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
        let url = DatabaseUrl::Sqlite(folder.path().join("w.db"));
        super::super::open(&url)
            .unwrap()
            .batch_execute("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .unwrap();
        let writer = Writer::start(&url).unwrap();
        let slow = writer.run(|conn| {
            std::thread::sleep(std::time::Duration::from_millis(100));
            conn.batch_execute("INSERT INTO t VALUES (1000)")?;
            Ok(())
        });
        let calls: Vec<_> = (0..40)
            .map(|n| {
                let writer = writer.clone();
                actix_web::rt::spawn(async move {
                    writer
                        .run(move |conn| {
                            conn.batch_execute(&format!("INSERT INTO t VALUES ({n})"))?;
                            match n % 10 {
                                3 => Err(AppError::Conflict("refused".into())),
                                7 => panic!("a bug in write {n}"),
                                _ => Ok(n as i64),
                            }
                        })
                        .await
                })
            })
            .collect();
        slow.await.unwrap();
        let mut answered_ok = Vec::new();
        for call in calls {
            if let Ok(n) = call.await.unwrap() {
                answered_ok.push(n);
            }
        }
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
}
