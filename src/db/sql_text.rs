//! Each statement's SQL text, rendered once per thread.
//!
//! `#[derive(MultiConnection)]` hands every query to the backend's own
//! connection inside a wrapper that renders the whole SQL text each time
//! the query is walked: when the statement cache asks whether it may keep
//! the statement, and again when the values are bound — even for a
//! statement prepared long ago, whose text nobody reads. On the home page
//! that rendering was a sixth of the server's time.
//!
//! A query whose type has a static id and that is safe to cache has one
//! text per backend — diesel's statement cache keys prepared statements on
//! that id alone. [`TextOnce`] renders such a text once and hands it out
//! again; every other query is walked as before, and values are always
//! bound from the query itself.

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use diesel::backend::Backend;
use diesel::internal::derives::multiconnection::AstPassHelper;
use diesel::query_builder::{AstPass, Query, QueryBuilder, QueryFragment, QueryId};
use diesel::QueryResult;

use super::MultiBackend;

/// A whole statement, given to the backend with its text kept.
pub struct TextOnce<T>(pub T);

thread_local! {
    /// Texts by the query's type and the backend. Bounded: there are as
    /// many as the program has query types.
    static TEXTS: RefCell<HashMap<(TypeId, bool), Rc<str>>> = RefCell::new(HashMap::new());
}

impl<T: QueryId> QueryId for TextOnce<T> {
    type QueryId = T::QueryId;
    const HAS_STATIC_QUERY_ID: bool = T::HAS_STATIC_QUERY_ID;
}

impl<T: Query> Query for TextOnce<T> {
    type SqlType = T::SqlType;
}

impl<T> QueryFragment<MultiBackend> for TextOnce<T>
where
    T: QueryFragment<MultiBackend> + QueryId,
{
    fn walk_ast<'b>(&'b self, mut pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        let Some(query) = T::query_id() else {
            return self.0.walk_ast(pass);
        };
        if pass.bind_collector().is_some() || pass.debug_binds().is_some() {
            return self.0.walk_ast(pass);
        }
        let backend = pass.backend();
        let key = (query, matches!(backend, MultiBackend::Sqlite(_)));
        // A type found safe once is safe always: every diesel fragment that
        // makes a statement unsafe to cache (an `IN` list, a batch insert,
        // a default value) does so whatever its values are.
        let text = match TEXTS.with(|texts| texts.borrow().get(&key).cloned()) {
            Some(text) => text,
            None if !self.0.is_safe_to_cache_prepared(backend)? => {
                return self.0.walk_ast(pass);
            }
            None => {
                let text: Rc<str> = render(&self.0, backend)?.into();
                TEXTS.with(|texts| texts.borrow_mut().insert(key, text.clone()));
                text
            }
        };
        // Outside the text pass (the cache check, the no-op check) this
        // only says that the statement is not empty.
        pass.push_sql(&text);
        Ok(())
    }
}

fn render<T: QueryFragment<MultiBackend>>(
    query: &T,
    backend: &MultiBackend,
) -> QueryResult<String> {
    type Builder = <MultiBackend as Backend>::QueryBuilder;
    let mut builder = match backend {
        MultiBackend::Sqlite(_) => Builder::Sqlite(Default::default()),
        MultiBackend::Postgresql(_) => Builder::Postgresql(Default::default()),
    };
    query.to_sql(&mut builder, backend)?;
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use super::*;
    use crate::db::{BackendConnection, DbConnection};

    diesel::table! {
        things (id) {
            id -> BigInt,
            name -> Text,
        }
    }

    fn things() -> DbConnection {
        let mut conn: DbConnection =
            BackendConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap()).into();
        conn.batch_execute(
            "CREATE TABLE things (id BIGINT PRIMARY KEY, name TEXT NOT NULL); \
             INSERT INTO things VALUES (1, 'a'), (2, 'b'), (3, 'c');",
        )
        .unwrap();
        conn
    }

    fn id_of<Q: QueryId>(_: &Q) -> TypeId {
        Q::query_id().expect("a static id")
    }

    #[test]
    fn a_kept_text_is_the_query_s_own_and_takes_new_values_each_time() {
        let mut conn = things();
        let name_of = |id: i64| things::table.filter(things::id.eq(id)).select(things::name);
        for (id, name) in [(1, "a"), (3, "c"), (2, "b")] {
            assert_eq!(name_of(id).load::<String>(&mut conn).unwrap(), [name]);
        }
        let kept = TEXTS.with(|texts| texts.borrow().get(&(id_of(&name_of(1)), true)).cloned());
        let own = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&name_of(1)).to_string();
        assert_eq!(
            Some(own.split(" -- binds").next().unwrap()),
            kept.as_deref()
        );
    }

    #[test]
    fn texts_that_change_with_their_values_are_rendered_each_time() {
        let mut conn = things();
        let names = |conn: &mut DbConnection, ids: Vec<i64>| {
            things::table
                .filter(things::id.eq_any(ids))
                .order(things::id)
                .select(things::name)
                .load::<String>(conn)
                .unwrap()
        };
        assert_eq!(names(&mut conn, vec![2]), ["b"]);
        assert_eq!(names(&mut conn, vec![1, 3]), ["a", "c"]);
        assert_eq!(names(&mut conn, vec![3, 2, 1]), ["a", "b", "c"]);
        let boxed = |conn: &mut DbConnection, name: Option<&str>| {
            let mut query = things::table.select(things::id).into_boxed();
            if let Some(name) = name {
                query = query.filter(things::name.eq(name.to_string()));
            }
            query.order(things::id).load::<i64>(conn).unwrap()
        };
        assert_eq!(boxed(&mut conn, None), [1, 2, 3]);
        assert_eq!(boxed(&mut conn, Some("b")), [2]);
        let renamed = diesel::update(things::table.filter(things::id.eq(3)))
            .set(things::name.eq("z"))
            .execute(&mut conn)
            .unwrap();
        assert_eq!(renamed, 1);
        assert_eq!(boxed(&mut conn, Some("z")), [3]);
    }
}
