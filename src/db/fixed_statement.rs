//! Statements of fixed SQL text that diesel's statement cache keeps.
//!
//! Diesel prepares every `UPDATE` and every `INSERT … ON CONFLICT DO
//! UPDATE` it builds anew on each call (their text may change with the
//! values), and a meeting write runs a dozen of them: the ledger's chain,
//! balances and the leaderboards' totals, parsed and planned again inside
//! the one write transaction SQLite lets in at a time. Written here once,
//! with `?` for each bound value, they are prepared once per connection.

use std::marker::PhantomData;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_dsl::RunQueryDsl;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Date, HasSqlType, Text, Timestamp};
use diesel::QueryResult;

/// A statement's text; each is a type of its own, the cache's key for it.
pub trait FixedStatement: 'static {
    const SQL: &'static str;

    /// The statement with its values, in the order of the `?`s. Every use
    /// passes the same kinds of value in the same places: the statement is
    /// prepared once, with the types of the first values it was given.
    fn with<'a>(binds: &[Bind<'a>]) -> Bound<'a, Self>
    where
        Self: Sized,
    {
        Bound {
            binds: binds.to_vec(),
            statement: PhantomData,
        }
    }
}

/// A value for a `?`.
#[derive(Debug, Clone, Copy)]
pub enum Bind<'a> {
    Text(&'a str),
    BigInt(i64),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

/// A statement with its values, ready to execute.
pub struct Bound<'a, S> {
    binds: Vec<Bind<'a>>,
    statement: PhantomData<S>,
}

/// `fixed_statement!(pub Name = "SQL with ?s")`.
#[macro_export]
macro_rules! fixed_statement {
    ($(#[$doc:meta])* $vis:vis $name:ident = $sql:expr) => {
        $(#[$doc])*
        $vis struct $name;

        impl $crate::db::FixedStatement for $name {
            const SQL: &'static str = $sql;
        }
    };
}

impl<S: FixedStatement> Bound<'_, S> {
    /// Executes on the backend's own connection. Through the connection
    /// that serves both backends every value is collected twice, once for
    /// it and once for the backend: a tenth of a meeting write's time.
    pub fn run(self, conn: &mut super::DbConn) -> QueryResult<usize> {
        crate::on_backend!(conn, |c| self.execute(c))
    }
}

impl<S: FixedStatement> QueryId for Bound<'_, S> {
    type QueryId = S;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<S, DB> QueryFragment<DB> for Bound<'_, S>
where
    S: FixedStatement,
    DB: Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Date> + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
    NaiveDate: ToSql<Date, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let mut parts = S::SQL.split('?');
        out.push_sql(parts.next().unwrap_or_default());
        let mut binds = self.binds.iter();
        for part in parts {
            match binds.next() {
                Some(Bind::Text(text)) => out.push_bind_param::<Text, str>(text)?,
                Some(Bind::BigInt(number)) => out.push_bind_param::<BigInt, i64>(number)?,
                Some(Bind::Date(day)) => out.push_bind_param::<Date, NaiveDate>(day)?,
                Some(Bind::Timestamp(at)) => out.push_bind_param::<Timestamp, NaiveDateTime>(at)?,
                None => return Err(unbalanced(S::SQL)),
            }
            out.push_sql(part);
        }
        match binds.next() {
            Some(_) => Err(unbalanced(S::SQL)),
            None => Ok(()),
        }
    }
}

fn unbalanced(sql: &str) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(
        format!("not as many values as placeholders in: {sql}").into(),
    )
}

impl<S, Conn> RunQueryDsl<Conn> for Bound<'_, S> {}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    use super::{Bind, FixedStatement};

    crate::fixed_statement!(
        AddToCount = "INSERT INTO counts (name, n) VALUES (?, ?) \
        ON CONFLICT (name) DO UPDATE SET n = counts.n + excluded.n"
    );

    const TABLE: &str = "CREATE TABLE counts (name TEXT PRIMARY KEY, n BIGINT NOT NULL)";

    fn count_of(conn: &mut SqliteConnection, name: &str) -> i64 {
        diesel::sql_query("SELECT n FROM counts WHERE name = ?")
            .bind::<diesel::sql_types::Text, _>(name)
            .get_result::<Count>(conn)
            .unwrap()
            .n
    }

    #[test]
    fn a_fixed_upsert_binds_its_values_in_order_and_is_prepared_once() {
        let add = |conn: &mut SqliteConnection| {
            AddToCount::with(&[Bind::Text("a"), Bind::BigInt(2)])
                .execute(conn)
                .unwrap();
        };
        assert_eq!(
            super::super::fixed_sql::tests::cached_by_two_runs(TABLE, add),
            1
        );
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(TABLE).unwrap();
        for n in [2, 3] {
            AddToCount::with(&[Bind::Text("a"), Bind::BigInt(n)])
                .execute(&mut conn)
                .unwrap();
        }
        assert_eq!(count_of(&mut conn, "a"), 5);
    }

    #[test]
    fn values_must_match_the_placeholders() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(TABLE).unwrap();
        assert!(AddToCount::with(&[Bind::Text("a")])
            .execute(&mut conn)
            .is_err());
        let three = [Bind::Text("a"), Bind::BigInt(1), Bind::BigInt(1)];
        assert!(AddToCount::with(&three).execute(&mut conn).is_err());
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
}
