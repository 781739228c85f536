//! Languages: Korean first, English on request. Korean text is written in
//! the templates as it is and is its own key (`{{ "내 정보" | t }}`); the
//! English catalog (`templates/i18n/en.toml`) maps each Korean text to its
//! English; a marked text with nothing to fill in is written in, in each
//! language, when the templates load (`templates`). `{name}` in a text is
//! filled from the filter's arguments
//! (`{{ "{year}년 목표" | t(year=year) }}`). The same Korean that reads
//! two ways in English takes a context: `{{ "취소" | t(ctx="state") }}`
//! looks up `취소|state` before `취소`. A text the catalog lacks shows in
//! Korean; a unit test checks that every text a template marks has its
//! English. Sentences the server makes (errors, labels with numbers in
//! them) are read back by `message` against the catalog's patterns.
//!
//! The language of a request is its `dongari_lang` cookie, set by the
//! toggle (`/lang/en`, `/lang/ko`); `choose` puts it in a task-local for
//! the request, so that the `t` filter finds it while the page renders.
//! A person's choice is also kept with them (`employees.language`), so
//! that mail, written outside any request, comes in their language.

pub mod catalog;
pub mod templates;

use std::collections::HashMap;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

pub use catalog::{message, text, Lang};

pub const COOKIE: &str = "dongari_lang";

tokio::task_local! {
    static LANG: Lang;
}

/// The language of the request being answered (Korean outside one).
pub fn current() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or(Lang::Ko)
}

/// A sentence the server made (an error's message), in the language of
/// the request being answered.
pub fn said(korean: &str) -> String {
    message(current(), korean)
}

/// Runs `f` in `lang` outside a request: a mail written in its
/// recipient's language.
pub fn within<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    LANG.sync_scope(lang, f)
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

/// `2026-11-23` as a day is written: 2026년 11월 23일, November 23, 2026.
pub fn day(lang: Lang, code: &str) -> Option<String> {
    let date = crate::clock::parse_date(code)?;
    Some(match lang {
        Lang::Ko => date.format("%Y년 %-m월 %-d일").to_string(),
        Lang::En => date.format("%B %-d, %Y").to_string(),
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
        // A sentence the server made (an error, a label with a number).
        if args.is_empty() {
            return Ok(tera::Value::String(message(lang, korean)));
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
    use super::catalog::{english, Pattern};
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
        assert_eq!(day(Lang::Ko, "2026-11-23").unwrap(), "2026년 11월 23일");
        assert_eq!(day(Lang::En, "2026-11-03").unwrap(), "November 3, 2026");
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

    /// Every text a template (a page's or a mail's) marks with `| t` has
    /// its English.
    #[test]
    fn every_marked_text_has_its_english() {
        let missing: Vec<String> = templates(true)
            .iter()
            .flat_map(|(path, html)| {
                marked_texts(html)
                    .into_iter()
                    .filter(|marked| !english().contains_key(marked))
                    .map(move |marked| format!("{}: {marked}", path.display()))
            })
            .collect();
        assert!(
            missing.is_empty(),
            "without English:\n{}",
            missing.join("\n")
        );
    }

    /// A page template writes Korean only where the catalog translates it:
    /// in a `"…" | t` text, or in a quoted text it hands to one (a list of
    /// labels, a form macro's label). The toggle names Korean in Korean.
    #[test]
    fn page_templates_leave_no_korean_unmarked() {
        let hangul = |s: &str| s.chars().any(|c| ('가'..='힣').contains(&c));
        let mut unmarked = Vec::new();
        for (path, html) in page_templates() {
            let html = without_comments(&html);
            let html = without_marked(&html);
            for (n, line) in html.lines().enumerate() {
                if !hangul(line) || line.contains("lang=\"ko\"") {
                    continue;
                }
                let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
                let outside: String = line.split('"').step_by(2).collect();
                let untranslated = quoted
                    .iter()
                    .any(|q| hangul(q) && !english().contains_key(*q));
                if hangul(&outside) || untranslated {
                    unmarked.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                }
            }
        }
        assert!(
            unmarked.is_empty(),
            "Korean without English:\n{}",
            unmarked.join("\n")
        );
    }

    /// Sentences the server makes are read back against the catalog's patterns.
    #[test]
    fn a_made_sentence_reads_in_english_through_its_pattern() {
        assert_eq!(
            message(Lang::En, "사유는 1,000자까지입니다."),
            english()["사유는 1,000자까지입니다."]
        );
        // The criterion is the round's own data: it stays as it was written.
        let made = "'연구 노력' 점수는 0에서 10점 사이입니다.";
        assert_eq!(
            message(Lang::En, made),
            "'연구 노력': a score from 0 to 10."
        );
        assert_eq!(message(Lang::Ko, made), made);
        assert_eq!(
            message(Lang::En, "어느 패턴에도 없는 말"),
            "어느 패턴에도 없는 말"
        );
        // A value that is a field's name comes in English, its particle gone.
        let p = Pattern::parse(
            "{field} {max}자 이하여야 합니다.",
            "{field}: at most {max} characters.",
        )
        .unwrap();
        assert_eq!(
            p.read("모임 장소는 200자 이하여야 합니다.").unwrap(),
            format!("{}: at most 200 characters.", english()["모임 장소"])
        );
        // A value that is itself a made sentence reads in English too.
        assert_eq!(
            message(Lang::En, "2026년 상반기 평가가 이미 열려 있습니다."),
            "A round for first half of 2026 is already open."
        );
        // Too little fixed text to read back safely.
        assert!(Pattern::parse("{m}월", "{m}").is_none());
    }

    /// Every Korean message an error is made with (`validation`,
    /// `Conflict`, a form's `problem`, …) reads in English: its `{…}`s
    /// filled with a sample value, the sentence is read back from the
    /// catalog.
    #[test]
    fn every_error_message_has_its_english() {
        const MAKERS: [&str; 7] = [
            "validation(",
            "Conflict(",
            "problem(",
            "unique_as(",
            "BadRequest(",
            "message:",
            "message = ",
        ];
        let hangul = |s: &str| s.chars().any(|c| ('가'..='힣').contains(&c));
        let mut missing = Vec::new();
        for (path, source) in rust_sources() {
            let lines: Vec<&str> = source.lines().collect();
            for (n, line) in lines.iter().enumerate() {
                if !MAKERS.iter().any(|m| line.contains(m)) {
                    continue;
                }
                let call = lines[n..lines.len().min(n + 5)].join("\n");
                for literal in call.split('"').skip(1).step_by(2).filter(|l| hangul(l)) {
                    let sample = with_samples(literal);
                    let english = message(Lang::En, &sample);
                    if english == sample {
                        missing.push(format!("{}:{}: {literal}", path.display(), n + 1));
                    }
                }
            }
        }
        missing.dedup();
        assert!(
            missing.is_empty(),
            "without English:\n{}",
            missing.join("\n")
        );
    }

    /// `{}` and `{name}` in a format string filled with a sample value.
    fn with_samples(format: &str) -> String {
        let mut out = String::new();
        let mut rest = format;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            out.push_str(&rest[..open]);
            out.push_str("X1");
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The project's Rust files, each without its tests; the demo and the
    /// generator write data, not messages.
    fn rust_sources() -> Vec<(std::path::PathBuf, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut out = Vec::new();
        let mut paths = vec![dir];
        while let Some(path) = paths.pop() {
            if path.is_dir() {
                paths.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy();
            if !name.ends_with(".rs") || ["demo.rs", "scale.rs", "cli.rs"].contains(&&*name) {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let source = source.split("#[cfg(test)]").next().unwrap().to_string();
            out.push((path, source));
        }
        out
    }

    fn page_templates() -> Vec<(std::path::PathBuf, String)> {
        templates(false)
    }

    /// The templates: pages, and with `mail` the mail's too.
    fn templates(mail: bool) -> Vec<(std::path::PathBuf, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut out = Vec::new();
        let mut paths = vec![dir];
        while let Some(path) = paths.pop() {
            if path.is_dir() {
                if path.ends_with("mail") && !mail {
                    continue;
                }
                paths.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            } else if path.extension().is_some_and(|e| e == "html" || e == "txt") {
                let html = std::fs::read_to_string(&path).unwrap();
                out.push((path, html));
            }
        }
        out
    }

    fn without_comments(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(start) = rest.find("{#") {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find("#}")
                .map_or(rest.len(), |e| start + e + 2);
            // Keep the line count, for the line numbers.
            out.extend(rest[start..end].chars().filter(|c| *c == '\n'));
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// The template with each `"…" | t` text emptied.
    fn without_marked(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(end) = rest.find("\" | t") {
            let start = rest[..end].rfind('"').unwrap_or(end);
            out.push_str(&rest[..=start]);
            rest = &rest[end..];
            out.push('"');
            rest = &rest[1..];
        }
        out.push_str(rest);
        out
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
