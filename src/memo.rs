//! Results kept in memory for as long as the database says they hold.
//!
//! Each result is kept with the mark it was made under: a counter the
//! database itself moves (by triggers) whenever anything the result was made
//! from changes. A request reads the mark, one row, and uses the kept result
//! while the mark is the same; otherwise it makes the result again. The
//! caller reads the mark before the result is made (`db::view_marks`), so a
//! change that lands in between only costs one more remaking, never a stale
//! answer. Several servers on one PostgreSQL each keep their own results
//! and read the same marks.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

type Shared = Arc<dyn Any + Send + Sync>;

/// Results of any type, each kept by its type and a key with its mark:
/// the views of domains this module knows nothing of.
pub struct Kept {
    kept: parking_lot::Mutex<HashMap<(TypeId, String), (i64, Shared)>>,
    /// How many results are kept; past it, all are dropped and made anew.
    limit: usize,
}

impl Kept {
    pub fn with_limit(limit: usize) -> Self {
        Self {
            kept: parking_lot::Mutex::new(HashMap::new()),
            limit,
        }
    }

    /// The `V` kept for `key` under `mark`, or the one `make` gives, kept
    /// from then on.
    pub fn get_or_make<V: Any + Send + Sync, E>(
        &self,
        key: String,
        mark: i64,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<Arc<V>, E> {
        let key = (TypeId::of::<V>(), key);
        let found = match self.kept.lock().get(&key) {
            Some((kept_mark, value)) if *kept_mark == mark => Some(value.clone()),
            _ => None,
        };
        let value = match found {
            Some(value) => value,
            None => {
                let value: Shared = Arc::new(make()?);
                let mut kept = self.kept.lock();
                if kept.len() >= self.limit {
                    kept.clear();
                }
                kept.insert(key, (mark, value.clone()));
                value
            }
        };
        Ok(value.downcast().expect("kept under its own type"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_is_made_again_only_when_its_mark_moves() {
        let memo = Kept::with_limit(8);
        let made = std::cell::Cell::new(0);
        let make = |v: i32| {
            made.set(made.get() + 1);
            Ok::<_, ()>(v)
        };
        let get = |key: &str, mark, v| memo.get_or_make(key.into(), mark, || make(v));
        assert_eq!(*get("a", 1, 10).unwrap(), 10);
        assert_eq!(*get("a", 1, 20).unwrap(), 10);
        assert_eq!(*get("a", 2, 30).unwrap(), 30);
        assert_eq!(*get("b", 2, 40).unwrap(), 40);
        assert_eq!(made.get(), 3);
        assert!(memo
            .get_or_make("c".into(), 1, || Err::<i32, _>(()))
            .is_err());
        assert_eq!(*get("c", 1, 50).unwrap(), 50);
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

    #[test]
    fn past_the_limit_everything_is_made_anew() {
        let kept = Kept::with_limit(2);
        for key in ["a", "b", "c"] {
            kept.get_or_make(key.into(), 1, || Ok::<_, ()>(1_i64))
                .unwrap();
        }
        let remade = kept.get_or_make("a".into(), 1, || Ok::<_, ()>(2_i64));
        assert_eq!(*remade.unwrap(), 2);
    }
}
