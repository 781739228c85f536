//! The connection every query runs on: the backend's, chosen by the URL,
//! with each statement's text rendered once (see [`super::sql_text`]).

use diesel::connection::{
    CacheSize, Connection, Instrumentation, LoadConnection, SimpleConnection, TransactionManager,
    TransactionManagerStatus,
};
use diesel::expression::QueryMetadata;
use diesel::internal::derives::multiconnection::ConnectionSealed;
use diesel::query_builder::{Query, QueryFragment, QueryId};
use diesel::r2d2::R2D2Connection;
use diesel::{ConnectionResult, QueryResult};

use super::sql_text::TextOnce;
use super::{BackendConnection, MultiBackend};

pub struct DbConnection(BackendConnection);

impl DbConnection {
    /// The backend's own connection, for what only one backend has.
    pub fn backend(&mut self) -> &mut BackendConnection {
        &mut self.0
    }
}

impl From<BackendConnection> for DbConnection {
    fn from(conn: BackendConnection) -> Self {
        Self(conn)
    }
}

impl SimpleConnection for DbConnection {
    fn batch_execute(&mut self, query: &str) -> QueryResult<()> {
        self.0.batch_execute(query)
    }
}

impl ConnectionSealed for DbConnection {}

impl Connection for DbConnection {
    type Backend = MultiBackend;
    type TransactionManager = Self;

    fn establish(database_url: &str) -> ConnectionResult<Self> {
        BackendConnection::establish(database_url).map(Self)
    }

    fn execute_returning_count<T>(&mut self, source: &T) -> QueryResult<usize>
    where
        T: QueryFragment<MultiBackend> + QueryId,
    {
        self.0.execute_returning_count(&TextOnce(source))
    }

    fn transaction_state(&mut self) -> &mut Self {
        self
    }

    fn instrumentation(&mut self) -> &mut dyn Instrumentation {
        self.0.instrumentation()
    }

    fn set_instrumentation(&mut self, instrumentation: impl Instrumentation) {
        self.0.set_instrumentation(instrumentation)
    }

    fn set_prepared_statement_cache_size(&mut self, size: CacheSize) {
        self.0.set_prepared_statement_cache_size(size)
    }
}

impl LoadConnection for DbConnection {
    type Cursor<'conn, 'query> = <BackendConnection as LoadConnection>::Cursor<'conn, 'query>;
    type Row<'conn, 'query> = <BackendConnection as LoadConnection>::Row<'conn, 'query>;

    fn load<'conn, 'query, T>(
        &'conn mut self,
        source: T,
    ) -> QueryResult<Self::Cursor<'conn, 'query>>
    where
        T: Query + QueryFragment<MultiBackend> + QueryId + 'query,
        MultiBackend: QueryMetadata<T::SqlType>,
    {
        self.0.load(TextOnce(source))
    }
}

type Transactions = <BackendConnection as Connection>::TransactionManager;

impl TransactionManager<DbConnection> for DbConnection {
    type TransactionStateData = Self;

    fn begin_transaction(conn: &mut Self) -> QueryResult<()> {
        Transactions::begin_transaction(&mut conn.0)
    }

    fn rollback_transaction(conn: &mut Self) -> QueryResult<()> {
        Transactions::rollback_transaction(&mut conn.0)
    }

    fn commit_transaction(conn: &mut Self) -> QueryResult<()> {
        Transactions::commit_transaction(&mut conn.0)
    }

    fn transaction_manager_status_mut(conn: &mut Self) -> &mut TransactionManagerStatus {
        Transactions::transaction_manager_status_mut(&mut conn.0)
    }

    fn is_broken_transaction_manager(conn: &mut Self) -> bool {
        Transactions::is_broken_transaction_manager(&mut conn.0)
    }
}

impl R2D2Connection for DbConnection {
    fn ping(&mut self) -> QueryResult<()> {
        self.0.ping()
    }

    fn is_broken(&mut self) -> bool {
        self.0.is_broken()
    }
}
