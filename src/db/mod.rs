//! Database access: the backend chosen by the URL, the r2d2 pool, migrations.
//!
//! SQLite (bundled) is the embedded default; PostgreSQL is picked by a
//! `postgres://` URL. Both run the same diesel queries through one
//! `DbConnection` enum; backend-specific SQL stays in this module.

mod connection;
mod fixed_sql;
mod fixed_statement;
mod id_list;
pub mod job_marks;
mod rule_versions;
pub mod schema;
pub mod sql_log;
mod sql_text;
mod sqlite_plans;
pub mod text_enum;
mod time_text;
pub mod view_marks;
pub mod writer;

pub use connection::DbConnection;
pub use fixed_sql::{SumOfAmounts, SumOfPoints};
pub use fixed_statement::{Bind, FixedStatement};
pub use id_list::{any_of, AnyOf};
pub use time_text::{Day, Maybe, Stamp, TimeOfDay};

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, PooledConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgresql");

/// PostgreSQL is listed first: SQLite would accept any string as a path.
#[derive(diesel::MultiConnection)]
pub enum BackendConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbConn = DbConnection;
pub type DbPool = r2d2::Pool<DbManager>;
pub type PooledConn = PooledConnection<DbManager>;

/// Where the data lives, parsed from the configured URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl DatabaseUrl {
    /// `sqlite://PATH` (relative or absolute) or `postgres://…` /
    /// `postgresql://…`. Anything else is refused rather than guessed.
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                anyhow::bail!("database URL {url:?} has no file path (expected sqlite://PATH)");
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_string()));
        }
        let scheme = url.split_once("://").map(|(s, _)| s).unwrap_or("");
        anyhow::bail!(
            "unsupported database URL scheme {scheme:?} in {:?}: use sqlite://PATH or postgres://USER@HOST/DB",
            redact(url)
        )
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgresql",
        }
    }
}

/// Hides a password in a URL before it is logged or shown.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => {
            let userinfo = &url[start + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..start + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// An r2d2 manager that opens exactly the backend the URL names and sets
/// the per-connection SQLite pragmas.
#[derive(Debug, Clone)]
pub struct DbManager {
    url: DatabaseUrl,
}

impl ManageConnection for DbManager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                let mut conn =
                    PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?;
                if let Some(log) = sql_log::SqlLog::if_enabled() {
                    conn.set_instrumentation(log);
                }
                Ok(BackendConnection::Postgresql(conn).into())
            }
            DatabaseUrl::Sqlite(path) => {
                sqlite_plans::stabilize_plans();
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(r2d2::Error::ConnectionError)?;
                // WAL lets readers proceed during a write; busy_timeout makes
                // concurrent writers wait instead of failing at once. It comes
                // first: the pool opens its connections side by side, and a
                // journal_mode that met another's lock would fail the
                // connection, which the pool retries only 400 ms later.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
                     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
                )
                .map_err(r2d2::Error::QueryError)?;
                if let Some(log) = sql_log::SqlLog::if_enabled() {
                    conn.set_instrumentation(log);
                }
                Ok(BackendConnection::Sqlite(conn).into())
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        r2d2::R2D2Connection::ping(conn).map_err(r2d2::Error::QueryError)
    }

    /// A connection left inside a failed transaction is not given out again.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        r2d2::R2D2Connection::is_broken(conn)
    }
}

/// One connection outside the pool, with the same settings.
pub fn open(url: &DatabaseUrl) -> anyhow::Result<DbConnection> {
    DbManager { url: url.clone() }
        .connect()
        .map_err(|e| anyhow::anyhow!("cannot open the {} database: {e}", url.backend()))
}

/// Opens the pool, creating the SQLite file's folder when needed.
pub fn connect(url: &DatabaseUrl, max_size: u32) -> anyhow::Result<DbPool> {
    if let DatabaseUrl::Sqlite(path) = url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                anyhow::anyhow!("cannot create database folder {}: {e}", dir.display())
            })?;
        }
    }
    // A SQLite file cannot go away under a connection the way a server
    // can: testing it at every checkout would only cost a statement.
    let test_on_check_out = matches!(url, DatabaseUrl::Postgres(_));
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .test_on_check_out(test_on_check_out)
        .connection_timeout(Duration::from_secs(10))
        .build(DbManager { url: url.clone() })
        .map_err(|e| anyhow::anyhow!("cannot open the {} database: {e}", url.backend()))?;
    Ok(pool)
}

/// Applies every pending migration of the connection's backend.
pub fn migrate(conn: &mut DbConnection) -> anyhow::Result<Vec<String>> {
    let applied = match conn.backend() {
        BackendConnection::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS),
        BackendConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Brings the SQLite planner's statistics up to date where a table changed
/// much since they were taken (PostgreSQL's autovacuum does this by itself).
/// Without statistics SQLite takes a unique index and a row lookup per club
/// over a covering index: the compliance view read a page of the table for
/// every club. Cheap when nothing changed; bounded by `analysis_limit` when
/// something did.
pub fn refresh_statistics(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    if let BackendConnection::Sqlite(c) = conn.backend() {
        c.batch_execute("PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002;")?;
    }
    Ok(())
}

/// Runs one diesel query on the concrete connection, for the statements
/// the common dialect of `DbConnection` lacks (`ON CONFLICT`, multi-row
/// `INSERT` on SQLite): the same query, compiled once per backend.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $crate::db::DbConnection::backend($conn) {
            $crate::db::BackendConnection::Sqlite($c) => $body,
            $crate::db::BackendConnection::Postgresql($c) => $body,
        }
    };
}

/// How long a SQLite writer waits for another before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The writers of this process take turns here before SQLite's own write
/// lock. SQLite lets one writer in at a time anyway, but a writer that finds
/// the lock taken polls it with `busy_timeout`'s back-off, sleeping up to
/// 100 ms between tries: under 64 clients most of a meeting write's time was
/// spent asleep beside a free lock. A mutex hands it over at once. Should it
/// ever wait the whole timeout (a writer in another process holding the
/// file), the transaction goes on and meets `busy_timeout` as before.
static SQLITE_WRITER: parking_lot::Mutex<()> = parking_lot::const_mutex(());

thread_local! {
    /// Set while the writer runs a group without savepoints (`db::writer`):
    /// whether a nested transaction has failed since.
    static IN_PLACE: std::cell::Cell<Option<bool>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with this thread's nested transactions (`write_tx` inside
/// another) run in place, without savepoints: their failure then cannot be
/// undone alone, so this answers whether one failed, with `f`'s answer.
fn without_savepoints<R>(f: impl FnOnce() -> R) -> (R, bool) {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            IN_PLACE.set(None);
        }
    }
    let _reset = Reset;
    IN_PLACE.set(Some(false));
    let answer = f();
    (answer, IN_PLACE.get() == Some(true))
}

/// Runs `f` in a transaction that may write: all of its writes or none.
///
/// On SQLite it begins IMMEDIATE, taking the write lock before the first
/// read, so that two writers queue instead of one failing with SQLITE_BUSY
/// when it upgrades a read lock; the writers of this process queue on
/// [`SQLITE_WRITER`]. Inside another transaction it is a savepoint, as
/// `Connection::transaction` would be, except in the writer's groups that
/// run without savepoints (`without_savepoints`).
pub fn write_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let begin_immediate = match conn.backend() {
        BackendConnection::Sqlite(c) => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth()?
            .is_none(),
        BackendConnection::Postgresql(_) => false,
    };
    if !begin_immediate {
        if IN_PLACE.get().is_some() {
            let result = f(conn);
            if result.is_err() {
                IN_PLACE.set(Some(true));
            }
            return result;
        }
        return conn.transaction(f);
    }
    let _one_writer = SQLITE_WRITER.try_lock_for(SQLITE_BUSY_TIMEOUT);
    if let BackendConnection::Sqlite(c) = conn.backend() {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    match f(conn) {
        Ok(value) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            <DbConnection as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Runs `f`, which only reads, in one read transaction on SQLite: its
/// statements see one snapshot of the database, and the file's shared lock
/// (an `fcntl` each) and the log's read mark are taken once rather than for
/// each statement. On PostgreSQL `f` runs as it is: a transaction there
/// would cost two more round trips. Debug builds make the SQLite connection refuse writes
/// meanwhile, so that a write put here by mistake fails in the tests rather
/// than meet SQLITE_BUSY when it upgrades its lock under load.
pub fn read_tx<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if matches!(conn.backend(), BackendConnection::Postgresql(_)) {
        return f(conn);
    }
    conn.transaction(|conn| {
        refuse_writes(conn, true)?;
        let answer = f(conn);
        refuse_writes(conn, false)?;
        answer
    })
}

fn refuse_writes(conn: &mut DbConnection, refuse: bool) -> diesel::QueryResult<()> {
    if cfg!(debug_assertions) {
        conn.batch_execute(if refuse {
            "PRAGMA query_only = 1"
        } else {
            "PRAGMA query_only = 0"
        })?;
    }
    Ok(())
}

/// Which of several instances runs the jobs. On PostgreSQL a session-level
/// advisory lock is held by at most one connection: the others answer
/// false and skip the run. On SQLite (one machine) every caller leads; its
/// write transactions serialize the work.
pub fn try_lead_jobs(conn: &mut DbConnection) -> diesel::QueryResult<bool> {
    use diesel::RunQueryDsl;
    match conn.backend() {
        BackendConnection::Postgresql(c) => {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "pg_try_advisory_lock(7320240001)",
            ))
            .get_result(c)
        }
        BackendConnection::Sqlite(_) => Ok(true),
    }
}

/// Lets another instance lead the next run.
pub fn stop_leading_jobs(conn: &mut DbConnection) -> diesel::QueryResult<()> {
    if let BackendConnection::Postgresql(c) = conn.backend() {
        c.batch_execute("SELECT pg_advisory_unlock(7320240001)")?;
    }
    Ok(())
}

/// A new time-ordered id (UUIDv7), stored as text on both backends.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_or_are_refused() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/dongari.db").unwrap(),
            DatabaseUrl::Sqlite("data/dongari.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/dongari.db").unwrap(),
            DatabaseUrl::Sqlite("/var/lib/dongari.db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("postgresql://u:p@localhost/d").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        for bad in [
            "mysql://localhost/d",
            "data/dongari.db",
            "sqlite://",
            "http://x",
        ] {
            let err = DatabaseUrl::parse(bad).unwrap_err().to_string();
            assert!(
                err.contains("unsupported") || err.contains("no file path"),
                "{bad}: {err}"
            );
        }
    }

    /// A read transaction sees one snapshot: a write committed meanwhile by
    /// another connection shows only after it. A write inside it fails in a
    /// debug build, where the tests run.
    #[test]
    fn a_read_transaction_sees_one_snapshot_and_refuses_writes() {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        fn count(conn: &mut DbConnection) -> diesel::QueryResult<i64> {
            use diesel::RunQueryDsl;
            Ok(diesel::sql_query("SELECT COUNT(*) AS n FROM t")
                .get_result::<Count>(conn)?
                .n)
        }
        let folder = tempfile::tempdir().unwrap();
        let url = DatabaseUrl::Sqlite(folder.path().join("r.db"));
        let (mut reader, mut other) = (open(&url).unwrap(), open(&url).unwrap());
        other
            .batch_execute("CREATE TABLE t (n INTEGER PRIMARY KEY); INSERT INTO t VALUES (1)")
            .unwrap();

        let (before, during) = read_tx(&mut reader, |conn| {
            let before = count(conn)?;
            other.batch_execute("INSERT INTO t VALUES (2)")?;
            Ok::<_, diesel::result::Error>((before, count(conn)?))
        })
        .unwrap();
        assert_eq!((before, during), (1, 1));
        assert_eq!(count(&mut reader).unwrap(), 2);

        let refused = read_tx(&mut reader, |conn| {
            conn.batch_execute("INSERT INTO t VALUES (3)")
        });
        assert!(refused.is_err());
        reader.batch_execute("INSERT INTO t VALUES (3)").unwrap();
        assert_eq!(count(&mut reader).unwrap(), 3);
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://me:secret@db/x"),
            "postgres://me:***@db/x"
        );
        assert_eq!(redact("postgres://db/x"), "postgres://db/x");
    }
}
