//! Results kept in memory for as long as the database says they hold.
//!
//! Each result is kept with the mark it was made under: a counter the
//! database itself moves (by triggers) whenever anything the result was made
//! from changes. A request reads the mark, one row, and uses the kept result
//! while the mark is the same; otherwise it makes the result again. The
//! caller reads the mark before the result is made, so a change that lands
//! in between only costs one more remaking, never a stale answer. Several
//! servers on one PostgreSQL each keep their own results and read the same
//! marks.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

pub struct Marked<K, V: ?Sized> {
    kept: parking_lot::Mutex<HashMap<K, (i64, Arc<V>)>>,
    /// How many results are kept; past it, all are dropped and made anew.
    limit: usize,
}

impl<K: Eq + Hash, V: ?Sized> Marked<K, V> {
    pub fn with_limit(limit: usize) -> Self {
        Self {
            kept: parking_lot::Mutex::new(HashMap::new()),
            limit,
        }
    }

    /// The result kept for `key` under `mark`, or the one `make` gives,
    /// kept from then on.
    fn get_or_make_shared<E>(
        &self,
        key: K,
        mark: i64,
        make: impl FnOnce() -> Result<Arc<V>, E>,
    ) -> Result<Arc<V>, E> {
        if let Some((kept_mark, value)) = self.kept.lock().get(&key) {
            if *kept_mark == mark {
                return Ok(value.clone());
            }
        }
        let value = make()?;
        let mut kept = self.kept.lock();
        if kept.len() >= self.limit {
            kept.clear();
        }
        kept.insert(key, (mark, value.clone()));
        Ok(value)
    }
}

impl<K: Eq + Hash, V> Marked<K, V> {
    /// The result kept for `key` under `mark`, or the one `make` gives,
    /// kept from then on.
    pub fn get_or_make<E>(
        &self,
        key: K,
        mark: i64,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        self.get_or_make_shared(key, mark, || make().map(Arc::new))
    }
}

/// Results of any type under one bound, each kept by its type and a key:
/// the views of domains this module knows nothing of.
pub struct Kept(Marked<(TypeId, String), dyn Any + Send + Sync>);

impl Kept {
    pub fn with_limit(limit: usize) -> Self {
        Self(Marked::with_limit(limit))
    }

    /// The `V` kept for `key` under `mark`, or the one `make` gives.
    pub fn get_or_make<V: Any + Send + Sync, E>(
        &self,
        key: String,
        mark: i64,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let kept = self
            .0
            .get_or_make_shared((TypeId::of::<V>(), key), mark, || {
                make().map(|v| Arc::new(v) as Arc<dyn Any + Send + Sync>)
            })?;
        Ok(kept.downcast().expect("kept under its own type"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_is_made_again_only_when_its_mark_moves() {
        let memo: Marked<&str, i32> = Marked::with_limit(8);
        let made = std::cell::Cell::new(0);
        let make = |v: i32| {
            made.set(made.get() + 1);
            Ok::<_, ()>(v)
        };
        assert_eq!(*memo.get_or_make("a", 1, || make(10)).unwrap(), 10);
        assert_eq!(*memo.get_or_make("a", 1, || make(20)).unwrap(), 10);
        assert_eq!(*memo.get_or_make("a", 2, || make(30)).unwrap(), 30);
        assert_eq!(*memo.get_or_make("b", 2, || make(40)).unwrap(), 40);
        assert_eq!(made.get(), 3);
        assert!(memo.get_or_make("c", 1, || Err::<i32, _>(())).is_err());
        assert_eq!(*memo.get_or_make("c", 1, || make(50)).unwrap(), 50);
    }

    #[test]
    fn results_of_different_types_are_kept_apart() {
        let kept = Kept::with_limit(8);
        let words = kept.get_or_make("a".into(), 1, || Ok::<_, ()>(vec!["하나"]));
        let number = kept.get_or_make("a".into(), 1, || Ok::<_, ()>(7_i64));
        assert_eq!(*words.unwrap(), vec!["하나"]);
        assert_eq!(*number.unwrap(), 7);
        let again = kept.get_or_make("a".into(), 1, || Ok::<_, ()>(8_i64));
        assert_eq!(*again.unwrap(), 7, "kept under the same mark");
        let moved = kept.get_or_make("a".into(), 2, || Ok::<_, ()>(9_i64));
        assert_eq!(*moved.unwrap(), 9);
    }
}
