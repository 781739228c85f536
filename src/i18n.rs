//! Languages: Korean first, English on request. Korean text is written in
//! the templates as it is and is its own key (`{{ "내 정보" | t }}`); the
//! English catalog (`templates/i18n/en.toml`) maps each Korean text to its
//! English. `{name}` in a text is filled from the filter's arguments
//! (`{{ "{year}년 목표" | t(year=year) }}`). The same Korean that reads
//! two ways in English takes a context: `{{ "취소" | t(ctx="state") }}`
//! looks up `취소|state` before `취소`. A text the catalog lacks shows in
//! Korean; a unit test checks that every text a template marks has its
//! English.
//!
//! The language of a request is its `dongari_lang` cookie, set by the
//! toggle (`/lang/en`, `/lang/ko`); `choose` puts it in a task-local for
//! the request, so that the `t` filter finds it while the page renders.
//! Mail and jobs, outside any request, are Korean.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

pub const COOKIE: &str = "dongari_lang";

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

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }
}

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being answered (Korean outside one).
pub fn current() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or(Lang::Ko)
}

/// Answers the request in the language its cookie asks for.
pub async fn choose(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let lang = req
        .cookie(COOKIE)
        .and_then(|c| Lang::parse(c.value()))
        .unwrap_or(Lang::Ko);
    LANG.scope(lang, next.call(req)).await
}

/// Korean text → English.
fn english() -> &'static HashMap<String, String> {
    static CATALOG: OnceLock<HashMap<String, String>> = OnceLock::new();
    CATALOG.get_or_init(|| {
        toml::from_str(include_str!("../templates/i18n/en.toml"))
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

/// `2026-10` as a month is written: 2026년 10월, October 2026.
pub fn month(lang: Lang, code: &str) -> Option<String> {
    let (year, month) = crate::clock::parse_month(code)?;
    Some(match lang {
        Lang::Ko => format!("{year}년 {month}월"),
        Lang::En => {
            let name = chrono::Month::try_from(u8::try_from(month).ok()?)
                .ok()?
                .name();
            format!("{name} {year}")
        }
    })
}

/// `2026H2` as a half-year is written: 2026년 하반기, second half of 2026.
pub fn half_year(lang: Lang, code: &str) -> Option<String> {
    let half = crate::clock::HalfYear::parse(code)?;
    Some(match lang {
        Lang::Ko => half.label_ko(),
        Lang::En => format!(
            "{} half of {}",
            if half.half == 1 { "first" } else { "second" },
            half.year
        ),
    })
}

/// A leaderboard's period as it is written: a month, a half-year or a
/// year (`2026`: 2026년, 2026).
pub fn period(lang: Lang, code: &str) -> Option<String> {
    month(lang, code)
        .or_else(|| half_year(lang, code))
        .or_else(|| {
            let year: i32 = code.parse().ok().filter(|_| code.len() == 4)?;
            Some(match lang {
                Lang::Ko => format!("{year}년"),
                Lang::En => year.to_string(),
            })
        })
}

/// A filter that writes a code (a month, a half-year) in the page's
/// language, or leaves what it cannot read as it is.
pub struct Written(pub fn(Lang, &str) -> Option<String>);

impl tera::Filter for Written {
    fn filter(
        &self,
        value: &tera::Value,
        _: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let code = value.as_str().unwrap_or_default();
        Ok(tera::Value::String(
            (self.0)(current(), code).unwrap_or_else(|| code.to_string()),
        ))
    }
}

/// The `t` filter for templates.
pub struct Translate;

impl tera::Filter for Translate {
    fn filter(
        &self,
        value: &tera::Value,
        args: &HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let korean = value
            .as_str()
            .ok_or_else(|| tera::Error::msg("t: a text to translate"))?;
        let lang = current();
        // Most texts are Korean pages' plain texts: nothing to look up.
        if lang == Lang::Ko && args.is_empty() {
            return Ok(value.clone());
        }
        let args = args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    tera::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), v)
            })
            .collect();
        Ok(tera::Value::String(text(lang, korean, &args)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_halves_are_written_in_each_language() {
        assert_eq!(month(Lang::Ko, "2026-10").unwrap(), "2026년 10월");
        assert_eq!(month(Lang::En, "2026-10").unwrap(), "October 2026");
        assert_eq!(
            half_year(Lang::En, "2026H2").unwrap(),
            "second half of 2026"
        );
        assert_eq!(month(Lang::En, "2026-13"), None);
        assert_eq!(period(Lang::Ko, "2026").unwrap(), "2026년");
        assert_eq!(period(Lang::En, "2026H1").unwrap(), "first half of 2026");
    }

    #[test]
    fn korean_is_its_own_key_and_english_comes_from_the_catalog() {
        let args = HashMap::from([("year".to_string(), "2026".to_string())]);
        assert_eq!(text(Lang::Ko, "{year}년 통계", &args), "2026년 통계");
        assert_eq!(
            text(Lang::En, "{year}년 통계", &args),
            "Statistics {year}".replace("{year}", "2026")
        );
        assert_eq!(
            text(Lang::En, "카탈로그에 없는 말", &HashMap::new()),
            "카탈로그에 없는 말"
        );
    }

    /// Every text a template marks with `| t` has its English.
    #[test]
    fn every_marked_text_has_its_english() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        let mut files = vec![dir];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let html = std::fs::read_to_string(&path).unwrap();
            for marked in marked_texts(&html) {
                if !english().contains_key(&marked) {
                    missing.push(format!("{}: {marked}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "without English:\n{}",
            missing.join("\n")
        );
    }

    /// The tie rule the round page lists, from the ranking's own words.
    #[test]
    fn the_tie_rule_has_its_english() {
        for line in crate::evaluation::ranking::TIE_RULE_KO {
            assert!(english().contains_key(line), "{line}");
        }
    }

    /// The `"…" | t` literals of a template.
    fn marked_texts(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(end) = rest.find("\" | t") {
            let before = &rest[..end];
            if let Some(start) = before.rfind('"') {
                out.push(before[start + 1..].to_string());
            }
            rest = &rest[end + 5..];
        }
        out
    }
}
