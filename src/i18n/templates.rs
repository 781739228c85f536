//! The templates, once in each language (English parsed when first asked
//! for). A text a template marks with nothing to fill in
//! (`{{ "내 정보" | t }}`) is written in, translated and escaped, when the
//! templates load: a page has dozens of them, and each one looked up while
//! the page renders was a filter call, a copy and an escaping, every time.
//! Texts with values (`t(n=…)`) and texts that are values
//! (`{{ r.label | t }}`) still go through the `t` filter.

use std::path::Path;
use std::sync::OnceLock;

use tera::{Context, Tera};

use super::{current, message, Lang};

/// The templates whose output Tera escapes, and whose written-in texts are
/// escaped the same way.
const ESCAPED: &str = ".html";

pub struct Templates {
    korean: Tera,
    /// Parsed on the first English page or mail: a parsed set is some 7 MB,
    /// and an office that never asks for English never pays for it.
    english: OnceLock<Result<Tera, String>>,
    sources: Vec<(String, String)>,
    prepare: Box<dyn Fn(&mut Tera) + Send + Sync>,
}

impl Templates {
    /// Every file under `dir`; `prepare` registers the filters of one
    /// language's set.
    pub fn load(
        dir: &str,
        prepare: impl Fn(&mut Tera) + Send + Sync + 'static,
    ) -> anyhow::Result<Self> {
        let mut sources = Vec::new();
        read_sources(Path::new(dir), "", &mut sources)
            .map_err(|e| anyhow::anyhow!("templates in {dir}: {e}"))?;
        if sources.is_empty() {
            anyhow::bail!("no templates found in {dir}/ (run dongari from the project folder or set web.templates_dir)");
        }
        let korean = in_lang(Lang::Ko, &sources, &prepare)
            .map_err(|e| anyhow::anyhow!("templates in {dir}: {e}"))?;
        Ok(Self {
            korean,
            english: OnceLock::new(),
            sources,
            prepare: Box::new(prepare),
        })
    }

    /// `name` rendered in the language of the request being answered (or
    /// of `i18n::within`).
    pub fn render(&self, name: &str, ctx: &Context) -> tera::Result<String> {
        match current() {
            Lang::Ko => self.korean.render(name, ctx),
            Lang::En => self
                .english
                .get_or_init(|| in_lang(Lang::En, &self.sources, &self.prepare))
                .as_ref()
                .map_err(|e| tera::Error::msg(format!("the English templates: {e}")))?
                .render(name, ctx),
        }
    }
}

/// One language's set: the sources with their marked texts written in.
fn in_lang(
    lang: Lang,
    sources: &[(String, String)],
    prepare: &dyn Fn(&mut Tera),
) -> Result<Tera, String> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![ESCAPED]);
    prepare(&mut tera);
    tera.add_raw_templates(
        sources
            .iter()
            .map(|(name, source)| (name.as_str(), written_in(lang, name, source))),
    )
    .map_err(|e| format!("{e:?}"))?;
    Ok(tera)
}

/// (name, text) of every file under `dir`, named by its path below it;
/// hidden files (an editor's swap file) are not templates.
fn read_sources(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        let name = format!("{prefix}{file_name}");
        if entry.file_type()?.is_dir() {
            read_sources(&entry.path(), &format!("{name}/"), out)?;
        } else {
            out.push((name, std::fs::read_to_string(entry.path())?));
        }
    }
    Ok(())
}

/// `source` with each `{{ "text" | t }}` replaced by the text in `lang`,
/// escaped as Tera escapes an `.html` template's output. A text with a
/// brace in it, or whose translation has one, is left to the filter, so
/// that nothing written in can read as template syntax.
fn written_in(lang: Lang, name: &str, source: &str) -> String {
    let escaped = name.ends_with(ESCAPED);
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let tag = &rest[start..];
        match marked_text(tag) {
            Some((korean, length)) => {
                let text = message(lang, korean);
                if text.contains(['{', '}']) {
                    out.push_str(&tag[..length]);
                } else if escaped {
                    out.push_str(&tera::escape_html(&text));
                } else {
                    out.push_str(&text);
                }
                rest = &tag[length..];
            }
            None => {
                out.push_str("{{");
                rest = &tag[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of a tag `{{ "text" | t }}` at the start of `tag`, and the
/// tag's length; None for any other tag.
fn marked_text(tag: &str) -> Option<(&str, usize)> {
    let inner = tag.strip_prefix("{{")?.trim_start_matches(' ');
    let text_and_after = inner.strip_prefix('"')?;
    let close = text_and_after.find(['"', '\\', '{', '}'])?;
    let text = &text_and_after[..close];
    let after = text_and_after[close..].strip_prefix('"')?;
    let after = after.trim_start_matches(' ').strip_prefix('|')?;
    let after = after.trim_start_matches(' ').strip_prefix('t')?;
    let after = after.trim_start_matches(' ').strip_prefix("}}")?;
    Some((text, tag.len() - after.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_texts_are_written_in_and_escaped() {
        let source =
            r#"<a title="{{ "메뉴" | t }}">{{"로그아웃"|t}}</a> {{ name }} {{ "{n}명" | t(n=3) }}"#;
        assert_eq!(
            written_in(Lang::Ko, "a.html", source),
            r#"<a title="메뉴">로그아웃</a> {{ name }} {{ "{n}명" | t(n=3) }}"#
        );
        assert_eq!(
            written_in(Lang::En, "a.html", source),
            r#"<a title="Menu">Log out</a> {{ name }} {{ "{n}명" | t(n=3) }}"#
        );
    }

    #[test]
    fn only_whole_marked_tags_are_written_in() {
        for tag in [
            r#"{{ "메뉴" | title }}"#,
            r#"{{ "메뉴" | t | upper }}"#,
            r#"{{- "메뉴" | t }}"#,
            r#"{{ "a \" b" | t }}"#,
            r#"{{ "{{ x }}" | t }}"#,
            r#"{{ "메뉴" | tt }}"#,
            "{{",
        ] {
            assert_eq!(written_in(Lang::Ko, "a.html", tag), tag);
        }
        assert_eq!(written_in(Lang::Ko, "a.txt", r#"{{ "<b>" | t }}"#), "<b>");
        assert_eq!(
            written_in(Lang::Ko, "a.html", r#"{{ "<b>" | t }}"#),
            "&lt;b&gt;"
        );
    }
}
