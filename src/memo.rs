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

use parking_lot::Mutex;

type Shared = Arc<dyn Any + Send + Sync>;
type Key = (TypeId, String);

/// Results of any type, each kept by its type and a key with its mark:
/// the views of domains this module knows nothing of.
pub struct Kept {
    kept: Mutex<HashMap<Key, (i64, Shared)>>,
    /// One maker per key at a time: when a mark moves under load, the
    /// requests that find the result gone wait for the one making it
    /// instead of each making it too (a 4,000-club ranking takes a tenth of
    /// a second; 64 of them at once took the machine for seconds).
    makers: Mutex<HashMap<Key, Arc<Mutex<()>>>>,
    /// How many results are kept; past it, all are dropped and made anew.
    limit: usize,
}

impl Kept {
    pub fn with_limit(limit: usize) -> Self {
        Self {
            kept: Mutex::new(HashMap::new()),
            makers: Mutex::new(HashMap::new()),
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
        let value = match self.found(&key, mark) {
            Some(value) => value,
            None => {
                let maker = self.makers.lock().entry(key.clone()).or_default().clone();
                let _making = maker.lock();
                match self.found(&key, mark) {
                    Some(value) => value,
                    None => self.keep(key, mark, Arc::new(make()?)),
                }
            }
        };
        Ok(value.downcast().expect("kept under its own type"))
    }

    fn found(&self, key: &Key, mark: i64) -> Option<Shared> {
        match self.kept.lock().get(key) {
            Some((kept_mark, value)) if *kept_mark == mark => Some(value.clone()),
            _ => None,
        }
    }

    fn keep(&self, key: Key, mark: i64, value: Shared) -> Shared {
        let mut kept = self.kept.lock();
        if kept.len() >= self.limit {
            kept.clear();
            self.makers.lock().clear();
        }
        kept.insert(key, (mark, value.clone()));
        value
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
    fn requests_that_find_a_result_gone_wait_for_the_one_making_it() {
        let kept = Kept::with_limit(8);
        let made = std::sync::atomic::AtomicUsize::new(0);
        let start = std::sync::Barrier::new(8);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    start.wait();
                    let value = kept.get_or_make("a".into(), 1, || {
                        made.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        Ok::<_, ()>(7_i64)
                    });
                    assert_eq!(*value.unwrap(), 7);
                });
            }
        });
        assert_eq!(made.into_inner(), 1, "made once for eight requests");
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
