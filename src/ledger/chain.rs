//! The digests that make the ledger tamper-evident: a movement's
//! fingerprint (what it moves, for idempotency) and each leg's hash over its
//! content and the previous leg's hash (the chain).

use chrono::NaiveDateTime;
use sha2::{Digest, Sha256};

use super::model::{Account, Detail, Movement};

/// Fields written without ambiguity: each with its length, an absent one as
/// `-`, so that no two different contents give the same bytes.
#[derive(Default)]
struct Canonical(Sha256);

impl Canonical {
    fn field(&mut self, value: &str) -> &mut Self {
        self.decimal(value.len());
        self.0.update(b":");
        self.0.update(value);
        self.0.update(b"|");
        self
    }

    fn optional(&mut self, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.field(v),
            None => {
                self.0.update(b"-|");
                self
            }
        }
    }

    /// `n` in decimal digits, as `format!("{n}")` writes it, without the
    /// allocation: every leg's hash writes a dozen lengths.
    fn decimal(&mut self, mut n: usize) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.0.update(&digits[start..]);
    }

    fn hex(self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(64);
        for byte in self.0.finalize() {
            hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
            hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        hex
    }
}

/// The instant as stored: microseconds, which both backends keep exactly.
pub fn to_micros(at: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    at.with_nanosecond(at.nanosecond() / 1_000 * 1_000)
        .unwrap_or(at)
}

fn instant(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

/// One leg as the fingerprint sees it: whose account, which unit, how much.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LegKey {
    pub owner_kind: String,
    pub owner_id: String,
    pub unit: String,
    pub amount: i64,
}

/// What a movement moves and why, without who approved it or when: the
/// same operation retried by another administrator is the same content.
pub struct Content<'a> {
    pub source: &'a str,
    pub source_ref: Option<&'a str>,
    pub counts_for: chrono::NaiveDate,
    pub rule_version: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub reverses_id: Option<&'a str>,
    pub legs: Vec<LegKey>,
    pub details: Vec<(String, String, i64)>,
    /// (learning type, title), for learning records.
    pub learning: Option<(&'a str, &'a str)>,
}

pub fn fingerprint(mut content: Content<'_>) -> String {
    content.legs.sort();
    content.details.sort();
    let mut c = Canonical::default();
    c.field(content.source)
        .optional(content.source_ref)
        .field(&content.counts_for.format("%Y-%m-%d").to_string())
        .optional(content.rule_version)
        .optional(content.reason)
        .optional(content.reverses_id)
        .field(&content.legs.len().to_string());
    for leg in &content.legs {
        c.field(&leg.owner_kind)
            .field(&leg.owner_id)
            .field(&leg.unit)
            .field(&leg.amount.to_string());
    }
    c.field(&content.details.len().to_string());
    for (kind, ref_id, amount) in &content.details {
        c.field(kind).field(ref_id).field(&amount.to_string());
    }
    // Appended only when present: movements recorded before learning
    // records existed keep their fingerprints.
    if let Some((learning_type, title)) = content.learning {
        c.field("learning").field(learning_type).field(title);
    }
    c.hex()
}

/// The fingerprint of a stored movement, from its legs and details.
pub fn fingerprint_of(movement: &Movement, legs: &[(Account, i64)], details: &[Detail]) -> String {
    fingerprint(Content {
        source: &movement.source,
        source_ref: movement.source_ref.as_deref(),
        counts_for: movement.counts_for,
        rule_version: movement.rule_version.as_deref(),
        reason: movement.reason.as_deref(),
        reverses_id: movement.reverses_id.as_deref(),
        legs: legs
            .iter()
            .map(|(account, amount)| LegKey {
                owner_kind: account.owner_kind.clone(),
                owner_id: account.owner_id.clone(),
                unit: account.unit.clone(),
                amount: *amount,
            })
            .collect(),
        details: details
            .iter()
            .map(|d| (d.kind.clone(), d.ref_id.clone(), d.amount))
            .collect(),
        learning: movement
            .learning_type
            .as_deref()
            .map(|t| (t, movement.title.as_deref().unwrap_or_default())),
    })
}

/// A leg's link in the chain: its place, its movement (with who and when),
/// its account's owner and unit, its amount, and the previous link.
pub fn leg_hash(
    prev_hash: &str,
    seq: i64,
    movement: &Movement,
    account: &Account,
    amount: i64,
) -> String {
    let mut c = Canonical::default();
    c.field(prev_hash)
        .field(&seq.to_string())
        .field(&movement.id)
        .field(&movement.idempotency_key)
        .field(&movement.fingerprint)
        .optional(movement.actor_id.as_deref())
        .field(&instant(movement.recorded_at))
        .field(&account.id)
        .field(&account.owner_kind)
        .field(&account.owner_id)
        .field(&account.unit)
        .field(&amount.to_string());
    c.hex()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_written_with_their_lengths_in_decimal_and_digested_in_lowercase_hex() {
        let mut c = Canonical::default();
        c.field("hello")
            .optional(None)
            .field("")
            .field("twelve chars")
            .optional(Some("회의"));
        let expected: String = Sha256::digest("5:hello|-|0:|12:twelve chars|6:회의|")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(c.hex(), expected);
    }
}
