//! Combining the evaluators' scores and ranking the clubs: pure functions,
//! no database. Scores are exact fractions so that a tie is a real tie, not
//! a rounding accident.

use std::cmp::Ordering;

use chrono::NaiveDateTime;
use serde::Serialize;

/// The written tie rule, shown on the results pages in this order.
pub const TIE_RULE_KO: [&str; 5] = [
    "종합 점수가 높은 동아리",
    "가중치가 가장 큰 평가 항목(같으면 앞 항목)의 평균 점수가 높은 동아리",
    "해당 반기에 정기모임을 더 많이 연 동아리",
    "성과보고서를 먼저 제출한 동아리",
    "그래도 같으면 같은 순위로 두고, 시상 경계에 걸리면 관리자가 사유를 적어 정합니다",
];

#[derive(Debug, Clone, Copy)]
pub struct Criterion {
    pub weight: i64,
    pub max_points: i64,
}

/// An exact non-negative fraction.
#[derive(Debug, Clone, Copy)]
pub struct Fraction {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

impl Fraction {
    pub fn new(num: i128, den: i128) -> Self {
        assert!(den > 0, "a fraction needs a positive denominator");
        let g = gcd(num, den).max(1);
        Fraction {
            num: num / g,
            den: den / g,
        }
    }

    pub fn add(self, other: Fraction) -> Fraction {
        Fraction::new(
            self.num * other.den + other.num * self.den,
            self.den * other.den,
        )
    }

    pub fn divide_by(self, n: i128) -> Fraction {
        Fraction::new(self.num, self.den * n)
    }

    /// Rounded half up to two decimals: "72.67".
    pub fn to_decimal(self) -> String {
        let hundredths = (self.num * 100 * 2 + self.den) / (self.den * 2);
        format!("{}.{:02}", hundredths / 100, hundredths % 100)
    }
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Fraction {}
impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl Serialize for Fraction {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combination {
    Mean,
    /// The mean without the highest and the lowest total, from this many
    /// evaluators on (at least 3); below that, the plain mean.
    TrimmedMean {
        min_evaluators: usize,
    },
}

/// One evaluator's total on a 0–100 scale: Σ weight × points ÷ max, over
/// the sum of the weights.
pub fn sheet_total(criteria: &[Criterion], points: &[i64]) -> Fraction {
    let total_weight: i128 = criteria.iter().map(|c| c.weight as i128).sum();
    let weighted = criteria
        .iter()
        .zip(points)
        .map(|(c, p)| Fraction::new(c.weight as i128 * *p as i128, c.max_points as i128))
        .fold(Fraction::new(0, 1), Fraction::add);
    Fraction::new(weighted.num * 100, weighted.den * total_weight)
}

/// The club's score from its evaluators' totals; None without any.
pub fn combine(totals: &[Fraction], rule: Combination) -> Option<Fraction> {
    if totals.is_empty() {
        return None;
    }
    let mut sorted = totals.to_vec();
    sorted.sort();
    let counted = match rule {
        Combination::TrimmedMean { min_evaluators } if sorted.len() >= min_evaluators.max(3) => {
            &sorted[1..sorted.len() - 1]
        }
        _ => &sorted[..],
    };
    let sum = counted
        .iter()
        .copied()
        .fold(Fraction::new(0, 1), Fraction::add);
    Some(sum.divide_by(counted.len() as i128))
}

/// The criterion that breaks the first tie: the largest weight, the first
/// one among equals.
pub fn key_criterion(criteria: &[Criterion]) -> usize {
    criteria
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.weight.cmp(&b.weight).then(j.cmp(i)))
        .map(|(i, _)| i)
        .unwrap_or(0)
}

/// A club with a results report, as the ranking sees it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub club_id: String,
    /// One per assigned evaluator: the points by criterion, or None while
    /// that evaluator has not scored.
    pub sheets: Vec<Option<Vec<i64>>>,
    pub regular_meetings: i64,
    pub submitted_at: NaiveDateTime,
}

/// Which step of the tie rule placed a club below the one just above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    KeyCriterion,
    RegularMeetings,
    EarlierSubmission,
}

impl TieBreak {
    pub fn label_ko(self) -> &'static str {
        match self {
            TieBreak::KeyCriterion => "동점: 주요 항목 점수로 결정",
            TieBreak::RegularMeetings => "동점: 정기모임 횟수로 결정",
            TieBreak::EarlierSubmission => "동점: 제출 시각으로 결정",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub club_id: String,
    /// None for an incomplete club (a missing score): shown, not ranked.
    pub rank: Option<u32>,
    pub score: Option<Fraction>,
    pub key_mean: Option<Fraction>,
    pub scored: usize,
    pub assigned: usize,
    pub decided_by: Option<TieBreak>,
    /// Equal on every step with another club: they share the rank.
    pub tied: bool,
}

/// Ranks complete clubs by the tie rule; incomplete ones follow, unranked.
pub fn rank(criteria: &[Criterion], rule: Combination, entries: &[Entry]) -> Vec<Ranked> {
    let key = key_criterion(criteria);
    let mut complete = Vec::new();
    let mut incomplete = Vec::new();
    for e in entries {
        let scored: Vec<&Vec<i64>> = e.sheets.iter().flatten().collect();
        let base = Ranked {
            club_id: e.club_id.clone(),
            rank: None,
            score: None,
            key_mean: None,
            scored: scored.len(),
            assigned: e.sheets.len(),
            decided_by: None,
            tied: false,
        };
        if scored.is_empty() || scored.len() < e.sheets.len() {
            incomplete.push(base);
            continue;
        }
        let totals: Vec<Fraction> = scored.iter().map(|p| sheet_total(criteria, p)).collect();
        let key_sum = scored.iter().map(|p| p[key] as i128).sum::<i128>();
        complete.push((
            Ranked {
                score: combine(&totals, rule),
                key_mean: Some(Fraction::new(key_sum, scored.len() as i128)),
                ..base
            },
            e.regular_meetings,
            e.submitted_at,
        ));
    }
    let order = |a: &(Ranked, i64, NaiveDateTime), b: &(Ranked, i64, NaiveDateTime)| {
        b.0.score
            .cmp(&a.0.score)
            .then(b.0.key_mean.cmp(&a.0.key_mean))
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
    };
    complete.sort_by(|a, b| order(a, b).then(a.0.club_id.cmp(&b.0.club_id)));
    let mut out: Vec<Ranked> = Vec::with_capacity(entries.len());
    for i in 0..complete.len() {
        let mut r = complete[i].0.clone();
        r.rank = Some(i as u32 + 1);
        if i > 0 {
            let (above, here) = (&complete[i - 1], &complete[i]);
            if order(above, here) == Ordering::Equal {
                r.rank = out[i - 1].rank;
                r.tied = true;
                out[i - 1].tied = true;
            } else if above.0.score == here.0.score {
                r.decided_by = Some(if above.0.key_mean != here.0.key_mean {
                    TieBreak::KeyCriterion
                } else if above.1 != here.1 {
                    TieBreak::RegularMeetings
                } else {
                    TieBreak::EarlierSubmission
                });
            }
        }
        out.push(r);
    }
    out.extend(incomplete);
    out
}

/// The prize tiers in order of rank, with how many clubs each takes.
#[derive(Debug, Clone, Copy)]
pub struct TierSlots<T> {
    pub tier: T,
    pub winners: usize,
}

/// The proposed award for each ranked club in prize order: (club, tier,
/// tie at a boundary). A group of fully tied clubs that the slots would
/// split is flagged for the administrator to decide.
pub fn propose<T: Copy + PartialEq>(
    ranked: &[Ranked],
    tiers: &[TierSlots<T>],
) -> Vec<(String, T, bool)> {
    let slots: Vec<T> = tiers
        .iter()
        .flat_map(|t| std::iter::repeat_n(t.tier, t.winners))
        .collect();
    let ranked: Vec<&Ranked> = ranked.iter().filter(|r| r.rank.is_some()).collect();
    let tier_at = |i: usize| slots.get(i).copied();
    let mut out = Vec::new();
    for (i, r) in ranked.iter().enumerate() {
        let Some(tier) = tier_at(i) else { break };
        let split = ranked
            .iter()
            .enumerate()
            .filter(|(_, o)| o.rank == r.rank)
            .any(|(j, _)| tier_at(j) != Some(tier));
        out.push((r.club_id.clone(), tier, split));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Vec<Criterion> {
        vec![
            Criterion {
                weight: 40,
                max_points: 10,
            },
            Criterion {
                weight: 30,
                max_points: 10,
            },
            Criterion {
                weight: 30,
                max_points: 5,
            },
        ]
    }

    fn total(points: [i64; 3]) -> Fraction {
        sheet_total(&rubric(), &points)
    }

    fn at(day: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, day)
            .unwrap()
            .and_hms_opt(10, 0, 0)
            .unwrap()
    }

    fn entry(id: &str, sheets: &[Option<[i64; 3]>], meetings: i64, day: u32) -> Entry {
        Entry {
            club_id: id.into(),
            sheets: sheets.iter().map(|s| s.map(|p| p.to_vec())).collect(),
            regular_meetings: meetings,
            submitted_at: at(day),
        }
    }

    #[test]
    fn a_sheet_is_weighted_to_a_hundred() {
        // 40·8/10 + 30·6/10 + 30·4/5 = 32 + 18 + 24
        assert_eq!(total([8, 6, 4]).to_decimal(), "74.00");
        assert_eq!(total([10, 10, 5]).to_decimal(), "100.00");
        assert_eq!(total([0, 0, 0]).to_decimal(), "0.00");
        // 40·7/10 + 30·5/10 + 30·3/5 = 28 + 15 + 18
        assert_eq!(total([7, 5, 3]).to_decimal(), "61.00");
    }

    #[test]
    fn mean_and_trimmed_mean() {
        let three = [total([8, 6, 4]), total([10, 10, 5]), total([5, 4, 2])]; // 74, 100, 44
        assert_eq!(
            combine(&three, Combination::Mean).unwrap().to_decimal(),
            "72.67"
        ); // 218 / 3
        let trimmed = Combination::TrimmedMean { min_evaluators: 5 };
        assert_eq!(
            combine(&three, trimmed).unwrap(),
            combine(&three, Combination::Mean).unwrap(),
            "below the minimum the plain mean"
        );
        assert_eq!(
            combine(&three, Combination::TrimmedMean { min_evaluators: 3 })
                .unwrap()
                .to_decimal(),
            "74.00"
        );
        // 74, 100, 44, 82, 64: mean 364/5 = 72.8; trimmed (74+82+64)/3 = 73.33
        let five = [
            total([8, 6, 4]),
            total([10, 10, 5]),
            total([5, 4, 2]),
            total([10, 8, 3]),
            total([7, 6, 3]),
        ];
        assert_eq!(
            combine(&five, Combination::Mean).unwrap().to_decimal(),
            "72.80"
        );
        assert_eq!(combine(&five, trimmed).unwrap().to_decimal(), "73.33");
        assert!(combine(&[], Combination::Mean).is_none());
    }

    #[test]
    fn equal_scores_are_exactly_equal() {
        // 1/3 + 1/3 + 1/3 is 1, not 0.999…
        let a = Fraction::new(1, 3)
            .add(Fraction::new(1, 3))
            .add(Fraction::new(1, 3));
        assert_eq!(a, Fraction::new(1, 1));
        assert_eq!(Fraction::new(2, 3).to_decimal(), "0.67");
        assert_eq!(Fraction::new(1, 200).to_decimal(), "0.01", "half up");
    }

    #[test]
    fn the_key_criterion_is_the_heaviest_then_the_first() {
        assert_eq!(key_criterion(&rubric()), 0);
        let even = [
            Criterion {
                weight: 30,
                max_points: 10,
            },
            Criterion {
                weight: 40,
                max_points: 10,
            },
            Criterion {
                weight: 40,
                max_points: 10,
            },
        ];
        assert_eq!(key_criterion(&even), 1);
    }

    #[test]
    fn ties_are_broken_step_by_step() {
        let entries = [
            // 74 with criterion A at 8
            entry("x", &[Some([8, 6, 4])], 6, 10),
            // 74 with A at 5: below x by the key criterion
            entry("y", &[Some([5, 10, 4])], 9, 1),
            // equal to x but fewer regular meetings
            entry("z", &[Some([8, 6, 4])], 5, 1),
            // equal to z but submitted later
            entry("w", &[Some([8, 6, 4])], 5, 2),
            // equal to w on everything: shares its rank
            entry("v", &[Some([8, 6, 4])], 5, 2),
            // the best score
            entry("top", &[Some([10, 10, 5])], 0, 15),
            // a missing score: shown, not ranked
            entry("gap", &[Some([10, 10, 5]), None], 9, 1),
        ];
        let ranked = rank(&rubric(), Combination::Mean, &entries);
        let view: Vec<(&str, Option<u32>, Option<TieBreak>, bool)> = ranked
            .iter()
            .map(|r| (r.club_id.as_str(), r.rank, r.decided_by, r.tied))
            .collect();
        assert_eq!(
            view,
            [
                ("top", Some(1), None, false),
                ("x", Some(2), None, false),
                ("z", Some(3), Some(TieBreak::RegularMeetings), false),
                ("v", Some(4), Some(TieBreak::EarlierSubmission), true),
                ("w", Some(4), None, true),
                ("y", Some(6), Some(TieBreak::KeyCriterion), false),
                ("gap", None, None, false),
            ]
        );
        let gap = ranked.last().unwrap();
        assert_eq!((gap.scored, gap.assigned, gap.score), (1, 2, None));
    }

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum T {
        Grand,
        Excellent,
        Encouragement,
    }

    fn table() -> Vec<TierSlots<T>> {
        vec![
            TierSlots {
                tier: T::Grand,
                winners: 1,
            },
            TierSlots {
                tier: T::Excellent,
                winners: 2,
            },
            TierSlots {
                tier: T::Encouragement,
                winners: 3,
            },
        ]
    }

    #[test]
    fn prizes_follow_the_ranking_and_fewer_clubs_leave_slots_empty() {
        let entries = [
            entry("a", &[Some([10, 10, 5])], 1, 1),
            entry("b", &[Some([8, 6, 4])], 1, 1),
            entry("c", &[None], 1, 1),
        ];
        let ranked = rank(&rubric(), Combination::Mean, &entries);
        assert_eq!(
            propose(&ranked, &table()),
            vec![
                ("a".into(), T::Grand, false),
                ("b".into(), T::Excellent, false)
            ]
        );
    }

    #[test]
    fn a_tie_across_a_prize_boundary_is_flagged() {
        let entries = [
            entry("a", &[Some([10, 10, 5])], 1, 1),
            entry("b", &[Some([9, 9, 4])], 1, 1),
            entry("c", &[Some([8, 6, 4])], 1, 1),
            entry("d", &[Some([8, 6, 4])], 1, 1),
        ];
        let ranked = rank(&rubric(), Combination::Mean, &entries);
        let slots = [
            TierSlots {
                tier: T::Grand,
                winners: 1,
            },
            TierSlots {
                tier: T::Excellent,
                winners: 2,
            },
        ];
        let proposal = propose(&ranked, &slots);
        assert_eq!(proposal.len(), 3);
        assert_eq!(proposal[1], ("b".into(), T::Excellent, false));
        // c and d tie for the last 우수 place: flagged.
        assert_eq!((proposal[2].1, proposal[2].2), (T::Excellent, true));
    }
}
