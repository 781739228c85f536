//! `column IN (list)` as one statement whatever the list's length.
//!
//! diesel's `eq_any` writes one `?` per value on SQLite: every length is a
//! new SQL text, prepared anew on every request and never cached (a fifth of
//! the home page's time went to SQLite's parser). Here the list travels as
//! one bind — a JSON array read by `json_each` on SQLite, an array for
//! `= ANY` on PostgreSQL — so the statement is prepared once per connection,
//! and no list is too long for SQLite's variable limit.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, Bool, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryResult;

use super::MultiBackend;

/// `column IN (values)`; false for an empty list.
pub fn any_of<C, S: AsRef<str>>(column: C, values: &[S]) -> AnyOf<C> {
    let values: Vec<String> = values.iter().map(|v| v.as_ref().to_string()).collect();
    let json = serde_json::to_string(&values).expect("a list of strings is JSON");
    AnyOf {
        column,
        values,
        json,
    }
}

#[derive(Debug, Clone, QueryId)]
pub struct AnyOf<C> {
    column: C,
    values: Vec<String>,
    json: String,
}

impl<C: Expression> Expression for AnyOf<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for AnyOf<C> where C: AppearsOnTable<QS> {}

impl<C, QS> SelectableExpression<QS> for AnyOf<C> where C: SelectableExpression<QS> {}

impl<C, GB> ValidGrouping<GB> for AnyOf<C>
where
    C: ValidGrouping<GB>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for AnyOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<Text>, _>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C> QueryFragment<MultiBackend> for AnyOf<C>
where
    C: QueryFragment<Sqlite> + QueryFragment<Pg>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use super::any_of;

    diesel::table! {
        things (id) {
            id -> Text,
        }
    }

    fn matching(conn: &mut SqliteConnection, ids: &[&str]) -> Vec<String> {
        things::table
            .filter(any_of(things::id, ids))
            .order(things::id)
            .select(things::id)
            .load(conn)
            .unwrap()
    }

    /// Any length, an empty list included, and one SQL text for every
    /// length: what diesel's statement cache needs to keep it.
    #[test]
    fn one_statement_for_lists_of_any_length() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute(
            "CREATE TABLE things (id TEXT PRIMARY KEY); \
             INSERT INTO things VALUES ('a'), ('b'), ('c'), ('d \"q\"');",
        )
        .unwrap();
        assert!(matching(&mut conn, &[]).is_empty());
        assert_eq!(matching(&mut conn, &["b"]), ["b"]);
        assert_eq!(matching(&mut conn, &["c", "a", "x"]), ["a", "c"]);
        assert_eq!(matching(&mut conn, &["d \"q\""]), ["d \"q\""]);
        let sql = |ids: &[&str]| {
            diesel::debug_query::<diesel::sqlite::Sqlite, _>(
                &things::table.filter(any_of(things::id, ids)),
            )
            .to_string()
        };
        let (one, three) = (sql(&["a"]), sql(&["a", "b", "c"]));
        assert_eq!(
            one.split(" -- ").next(),
            three.split(" -- ").next(),
            "{one} / {three}"
        );
    }
}
