//! Expressions of fixed SQL text that diesel's statement cache keeps.
//!
//! `diesel::dsl::sql` marks the whole query as never to be cached, so a
//! query with one is parsed and planned by the database again on every
//! call: on the home page that was the dearest part of a person's target
//! progress. Each expression made here is a type of its own, and the type
//! is the cache's key for its text.

/// `fixed_sql!(pub Name: SqlType = "text", aggregate)` (or `plain` for an
/// expression that is not an aggregate): a unit struct to use where
/// `diesel::dsl::sql::<SqlType>("text")` would go.
#[macro_export]
macro_rules! fixed_sql {
    ($(#[$doc:meta])* $vis:vis $name:ident: $sql_type:ty = $text:literal, aggregate) => {
        $crate::fixed_sql!(@make $(#[$doc])* $vis $name: $sql_type = $text, Yes);
    };
    ($(#[$doc:meta])* $vis:vis $name:ident: $sql_type:ty = $text:literal, plain) => {
        $crate::fixed_sql!(@make $(#[$doc])* $vis $name: $sql_type = $text, No);
    };
    (@make $(#[$doc:meta])* $vis:vis $name:ident: $sql_type:ty = $text:literal, $aggregate:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, diesel::query_builder::QueryId)]
        $vis struct $name;

        impl diesel::expression::Expression for $name {
            type SqlType = $sql_type;
        }

        impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for $name {
            fn walk_ast<'b>(
                &'b self,
                mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
            ) -> diesel::QueryResult<()> {
                out.push_sql($text);
                Ok(())
            }
        }

        impl<QS> diesel::expression::AppearsOnTable<QS> for $name {}

        impl<QS> diesel::expression::SelectableExpression<QS> for $name {}

        impl<GB> diesel::expression::ValidGrouping<GB> for $name {
            type IsAggregate = diesel::expression::is_aggregate::$aggregate;
        }
    };
}

crate::fixed_sql!(
    /// `SUM(amount)` as a whole number on both backends (PostgreSQL widens a
    /// sum of BIGINT to NUMERIC), 0 for no rows.
    pub SumOfAmounts: diesel::sql_types::BigInt = "CAST(COALESCE(SUM(amount), 0) AS BIGINT)", aggregate
);

crate::fixed_sql!(
    /// `SUM(points)` likewise.
    pub SumOfPoints: diesel::sql_types::BigInt = "CAST(COALESCE(SUM(points), 0) AS BIGINT)", aggregate
);

#[cfg(test)]
pub(super) mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
    use diesel::prelude::*;
    use diesel::sql_types::BigInt;
    use diesel::sqlite::SqliteConnection;

    crate::fixed_sql!(SumOfOne: BigInt = "CAST(COALESCE(SUM(1), 0) AS BIGINT)", aggregate);

    /// Collects the statements the connection put in its cache.
    struct Cached(Arc<Mutex<Vec<String>>>);

    impl Instrumentation for Cached {
        fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                self.0.lock().unwrap().push(sql.to_string());
            }
        }
    }

    /// How many statements a connection caches when `run` runs twice on it
    /// (after `setup`): one for each that is prepared once and kept.
    pub(in crate::db) fn cached_by_two_runs(
        setup: &str,
        run: impl Fn(&mut SqliteConnection),
    ) -> usize {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(setup).unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        conn.set_instrumentation(Cached(seen.clone()));
        run(&mut conn);
        run(&mut conn);
        let n = seen.lock().unwrap().len();
        n
    }

    #[test]
    fn a_fixed_expression_is_prepared_once_and_a_literal_every_time() {
        let fixed = |c: &mut SqliteConnection| {
            assert_eq!(diesel::select(SumOfOne).get_result::<i64>(c), Ok(1));
        };
        let literal = |c: &mut SqliteConnection| {
            let one = diesel::select(diesel::dsl::sql::<BigInt>(
                "CAST(COALESCE(SUM(1), 0) AS BIGINT)",
            ))
            .get_result::<i64>(c);
            assert_eq!(one, Ok(1));
        };
        assert_eq!(cached_by_two_runs("", fixed), 1);
        assert_eq!(cached_by_two_runs("", literal), 0);
    }
}
