//! A club's size over time: the number of members from each day on which it
//! changed. The clubs' leaderboard ranks by mileage per member and reads
//! these (kept in `club_sizes`, one row per change) instead of counting every
//! club's memberships on each request.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

/// A membership's days: from the day it began to the day it ended, if it
/// has.
pub type Stint = (NaiveDate, Option<NaiveDate>);

/// The clubs' sizes in day order, by club.
pub type Sizes = HashMap<String, Vec<(NaiveDate, i64)>>;

/// The club's size from each day on which someone joined or left, in day
/// order. A member counts from the day they join to the day before they
/// leave, the rule of `model::open_on`; a day on which as many left as
/// joined keeps its row, so the days are always those of the stints.
pub fn steps(stints: &[Stint]) -> Vec<(NaiveDate, i64)> {
    let mut changes: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for (joined_on, left_on) in stints {
        *changes.entry(*joined_on).or_default() += 1;
        if let Some(left_on) = left_on {
            *changes.entry(*left_on).or_default() -= 1;
        }
    }
    let mut members = 0;
    changes
        .into_iter()
        .map(|(day, change)| {
            members += change;
            (day, members)
        })
        .collect()
}

/// A violation for each club whose kept sizes differ from its memberships'
/// stints.
pub fn violations(mut kept: Sizes, stints_by_club: HashMap<String, Vec<Stint>>) -> Vec<String> {
    let mut violations = Vec::new();
    for (club_id, stints) in stints_by_club {
        let want = steps(&stints);
        let have = kept.remove(&club_id).unwrap_or_default();
        if have != want {
            violations.push(format!(
                "club {club_id}: sizes {have:?} but its memberships give {want:?}"
            ));
        }
    }
    violations.extend(
        kept.into_keys()
            .map(|club_id| format!("club {club_id}: sizes kept but no memberships")),
    );
    violations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    /// The size on `on` as `model::open_on` counts it, member by member.
    fn counted(stints: &[Stint], on: NaiveDate) -> i64 {
        stints
            .iter()
            .filter(|(joined, left)| *joined <= on && left.is_none_or(|l| l > on))
            .count() as i64
    }

    fn size_on(steps: &[(NaiveDate, i64)], on: NaiveDate) -> i64 {
        steps
            .iter()
            .rev()
            .find(|(from, _)| *from <= on)
            .map_or(0, |(_, members)| *members)
    }

    #[test]
    fn a_member_counts_from_joining_to_the_day_before_leaving() {
        let stints = [
            (day(2), Some(day(5))),
            (day(2), None),
            (day(5), Some(day(5))),
        ];
        assert_eq!(steps(&stints), vec![(day(2), 2), (day(5), 1)]);
    }

    proptest::proptest! {
        #[test]
        fn the_size_on_any_day_is_the_members_counted_that_day(
            raw in proptest::collection::vec((1u32..28, proptest::option::of(0u32..10)), 0..12),
            on in 1u32..30,
        ) {
            let stints: Vec<Stint> = raw
                .iter()
                .map(|(joined, stay)| (day(*joined), stay.map(|s| day((joined + s).min(30)))))
                .collect();
            proptest::prop_assert_eq!(size_on(&steps(&stints), day(on)), counted(&stints, day(on)));
        }
    }
}
