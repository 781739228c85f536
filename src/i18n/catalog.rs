//! The English catalog (`templates/i18n/en.toml`): Korean text is its
//! own key, `{name}` is filled in, and a sentence the server made is read
//! back against the keys with `{name}`s (`message`). Beneath errors and
//! pages alike, so that both can speak English.

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ko,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// A stored code; Korean for anything else.
    pub fn of(code: &str) -> Lang {
        Lang::parse(code).unwrap_or(Lang::Ko)
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }
}

/// Korean text → English.
pub(super) fn english() -> &'static HashMap<String, String> {
    static CATALOG: OnceLock<HashMap<String, String>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(include_str!("../../templates/i18n/en.toml"))
            .expect("templates/i18n/en.toml is a table of strings")
    })
}

/// The text in `lang`, its `{name}`s filled from `args` (and `ctx`, if
/// given, choosing between English readings).
pub fn text(lang: Lang, korean: &str, args: &HashMap<String, String>) -> String {
    let source = match lang {
        Lang::Ko => korean,
        Lang::En => args
            .get("ctx")
            .and_then(|ctx| english().get(&format!("{korean}|{ctx}")))
            .or_else(|| english().get(korean))
            .map_or(korean, String::as_str),
    };
    let mut out = source.to_string();
    if out.contains('{') {
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
    }
    out
}

/// A sentence the server wrote (an error, a label with numbers in it) in
/// `lang`. The catalog has its English, either for the whole text or for
/// the pattern it was made from: `"사유는 {n}자까지입니다."` reads
/// `사유는 2,000자까지입니다.`, and the value comes along. A value that is
/// itself a catalog text (a field's name, with the particle the Korean
/// gave it) is written in English too. Korean as it is when neither is
/// known.
pub fn message(lang: Lang, korean: &str) -> String {
    if lang == Lang::Ko {
        return korean.to_string();
    }
    if let Some(english) = english().get(korean) {
        return english.clone();
    }
    patterns()
        .iter()
        .find_map(|p| p.read(korean))
        .unwrap_or_else(|| korean.to_string())
}

/// A catalog text with `{name}`s: its fixed pieces around the names.
pub(super) struct Pattern {
    pieces: Vec<String>,
    names: Vec<String>,
    english: String,
}

/// A pattern needs this many fixed characters to be read back from a
/// finished sentence (`"{n}월"` would read any name ending in 월).
const PATTERN_MIN_FIXED: usize = 4;

impl Pattern {
    pub(super) fn parse(korean: &str, english: &str) -> Option<Pattern> {
        let mut pieces = vec![String::new()];
        let mut names = Vec::new();
        let mut rest = korean;
        while let Some(open) = rest.find('{') {
            let close = open + rest[open..].find('}')?;
            pieces.last_mut()?.push_str(&rest[..open]);
            names.push(rest[open + 1..close].to_string());
            pieces.push(String::new());
            rest = &rest[close + 1..];
        }
        pieces.last_mut()?.push_str(rest);
        if names.is_empty() {
            return None;
        }
        let fixed = pieces
            .iter()
            .map(|p| p.trim().chars().count())
            .sum::<usize>();
        let names_apart = pieces[1..pieces.len() - 1].iter().all(|p| !p.is_empty());
        (names_apart && fixed >= PATTERN_MIN_FIXED).then(|| Pattern {
            pieces,
            names,
            english: english.to_string(),
        })
    }

    /// The English of `text`, when `text` was made from this pattern.
    pub(super) fn read(&self, text: &str) -> Option<String> {
        // Both ends first: most texts are not this pattern's at all.
        let last = self.pieces.last()?;
        if !text.ends_with(last.as_str()) {
            return None;
        }
        let rest = text.strip_prefix(self.pieces[0].as_str())?;
        let values = values_between(&self.pieces[1..], rest)?;
        let mut out = self.english.clone();
        for (name, value) in self.names.iter().zip(values) {
            out = out.replace(&format!("{{{name}}}"), &value_in_english(value));
        }
        Some(out)
    }
}

/// The values of `text` before each of `pieces`, the last piece ending it.
/// Where a piece occurs more than once the later place is tried first: a
/// field's name has spaces in it more often than the number after it.
fn values_between<'t>(pieces: &[String], text: &'t str) -> Option<Vec<&'t str>> {
    let (piece, later) = pieces.split_first()?;
    if later.is_empty() {
        let value = text.strip_suffix(piece.as_str())?;
        return (!value.is_empty()).then(|| vec![value]);
    }
    text.rmatch_indices(piece.as_str())
        .filter(|(at, _)| *at > 0)
        .find_map(|(at, _)| {
            let mut values = values_between(later, &text[at + piece.len()..])?;
            values.insert(0, &text[..at]);
            Some(values)
        })
}

/// A value inside a sentence, read in English as a sentence of its own (a
/// half-year: 2026년 상반기), with or without the particle the Korean
/// sentence put after it. A value is shorter than the sentence it came
/// from, so this ends.
fn value_in_english(value: &str) -> String {
    let english = message(Lang::En, value);
    if english != value {
        return english;
    }
    crate::korean::without_particle(value)
        .and_then(|word| {
            let english = message(Lang::En, word);
            (english != word || word.ends_with(['\'', ')'])).then_some(english)
        })
        .unwrap_or_else(|| value.to_string())
}

fn patterns() -> &'static [Pattern] {
    static PATTERNS: OnceLock<Vec<Pattern>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let mut found: Vec<Pattern> = english()
            .iter()
            .filter(|(korean, _)| !korean.contains('|'))
            .filter_map(|(korean, english)| Pattern::parse(korean, english))
            .collect();
        // The most specific first: a longer fixed text wins a tie.
        found.sort_by_key(|p| std::cmp::Reverse(p.pieces.iter().map(|x| x.len()).sum::<usize>()));
        found
    })
}
