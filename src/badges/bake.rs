//! Baking: a badge's image carrying the badge itself, so that the file a
//! person downloads can be checked anywhere.
//!
//! PNG: one uncompressed `iTXt` chunk whose keyword is `openbadges` (2.0:
//! the assertion's URL) or `openbadgecredential` (3.0: the signed JWT).
//! SVG: an `<openbadges:assertion verify="…">` (2.0) or
//! `<openbadges:credential>` (3.0) element first in the root, whose
//! `xmlns:openbadges` names the version's namespace. Baking again replaces
//! what was baked before; nothing else in the file changes.

use crate::error::{AppError, AppResult};

pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// What is baked in, by Open Badges version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Baked {
    /// 2.0, hosted: the assertion's URL.
    Assertion(String),
    /// 3.0: the credential as a compact JWT.
    Credential(String),
}

impl Baked {
    fn png_keyword(&self) -> &'static str {
        match self {
            Baked::Assertion(_) => "openbadges",
            Baked::Credential(_) => "openbadgecredential",
        }
    }

    fn text(&self) -> &str {
        match self {
            Baked::Assertion(t) | Baked::Credential(t) => t,
        }
    }
}

/// One chunk of a PNG file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'a> {
    pub kind: [u8; 4],
    pub data: &'a [u8],
}

/// The chunks of a whole PNG (signature, every CRC right, IEND last), or
/// none.
pub fn png_chunks(png: &[u8]) -> Option<Vec<Chunk<'_>>> {
    let mut rest = png.strip_prefix(&PNG_SIGNATURE)?;
    let mut chunks = Vec::new();
    while !rest.is_empty() {
        let length = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let kind: [u8; 4] = rest.get(4..8)?.try_into().ok()?;
        let data = rest.get(8..8 + length)?;
        let crc = u32::from_be_bytes(rest.get(8 + length..12 + length)?.try_into().ok()?);
        if crc != crc_of(&kind, data) {
            return None;
        }
        chunks.push(Chunk { kind, data });
        rest = &rest[12 + length..];
        if kind == *b"IEND" {
            return rest.is_empty().then_some(chunks);
        }
    }
    None
}

fn crc_of(kind: &[u8; 4], data: &[u8]) -> u32 {
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    crc.finalize()
}

/// Appends a chunk, with its length and CRC.
pub fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let length = u32::try_from(data.len()).expect("a chunk under 4 GiB");
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc_of(kind, data).to_be_bytes());
}

/// A text chunk's keyword, for any of the three kinds.
fn text_keyword<'a>(chunk: &Chunk<'a>) -> Option<&'a [u8]> {
    matches!(&chunk.kind, b"iTXt" | b"tEXt" | b"zTXt")
        .then(|| chunk.data.split(|b| *b == 0).next())
        .flatten()
}

/// `png` with `baked` in it, in place of anything baked under the same
/// keyword before.
pub fn bake_png(png: &[u8], baked: &Baked) -> AppResult<Vec<u8>> {
    let chunks = png_chunks(png)
        .ok_or_else(|| AppError::validation("image", "PNG 파일이 온전하지 않습니다."))?;
    let keyword = baked.png_keyword();
    let mut itxt = Vec::with_capacity(keyword.len() + 5 + baked.text().len());
    itxt.extend_from_slice(keyword.as_bytes());
    // Keyword end, not compressed, method 0, no language, no translation.
    itxt.extend_from_slice(&[0, 0, 0, 0, 0]);
    itxt.extend_from_slice(baked.text().as_bytes());
    let mut out = PNG_SIGNATURE.to_vec();
    for chunk in chunks {
        if text_keyword(&chunk) == Some(keyword.as_bytes()) {
            continue;
        }
        push_chunk(&mut out, &chunk.kind, chunk.data);
        if chunk.kind == *b"IHDR" {
            push_chunk(&mut out, b"iTXt", &itxt);
        }
    }
    Ok(out)
}

/// What is baked in a PNG under `keyword` (`openbadges` or
/// `openbadgecredential`): the text of its one uncompressed `iTXt` chunk.
pub fn unbake_png(png: &[u8], keyword: &str) -> Option<String> {
    let chunks = png_chunks(png)?;
    let mut found = chunks
        .iter()
        .filter(|c| c.kind == *b"iTXt" && text_keyword(c) == Some(keyword.as_bytes()));
    let chunk = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let after_keyword = &chunk.data[keyword.len() + 1..];
    let (&compressed, rest) = after_keyword.split_first()?;
    if compressed != 0 {
        return None;
    }
    // The method byte, then the language tag and the translated keyword.
    let mut parts = rest.get(1..)?.splitn(3, |b| *b == 0);
    let (_language, _translated, text) = (parts.next()?, parts.next()?, parts.next()?);
    String::from_utf8(text.to_vec()).ok()
}

const OB2_NAMESPACE: &str = "http://openbadges.org";
const OB3_NAMESPACE: &str = "https://purl.imsglobal.org/ob/v3p0";

/// The byte range of the root `<svg …>` start tag.
fn svg_root(svg: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let start = from + svg[from..].find('<')?;
        let rest = &svg[start..];
        if rest.starts_with("<!--") {
            from = start + rest.find("-->")? + 3;
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            from = start + rest.find('>')? + 1;
        } else if rest.starts_with("<svg") {
            return Some((start, start + tag_end(rest)?));
        } else {
            return None;
        }
    }
}

/// The length of the start tag at the beginning of `tag`, through its `>`,
/// skipping quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// The start tag without its `xmlns:openbadges` attribute.
fn without_namespace(start_tag: &str) -> String {
    let Some(at) = start_tag.find(" xmlns:openbadges=") else {
        return start_tag.to_string();
    };
    let value = &start_tag[at + " xmlns:openbadges=".len()..];
    let quote = value.chars().next().unwrap_or('"');
    let end = value[1..].find(quote).map_or(value.len(), |i| i + 2);
    format!("{}{}", &start_tag[..at], &value[end..])
}

/// `svg` without any baked element: the element's whole text.
fn without_baked(mut svg: String) -> String {
    for name in ["openbadges:assertion", "openbadges:credential"] {
        while let Some(start) = svg.find(&format!("<{name}")) {
            let Some(open_len) = tag_end(&svg[start..]) else {
                break;
            };
            let end = if svg[start..start + open_len].ends_with("/>") {
                start + open_len
            } else {
                let close = format!("</{name}>");
                match svg[start..].find(&close) {
                    Some(i) => start + i + close.len(),
                    None => break,
                }
            };
            svg.replace_range(start..end, "");
        }
    }
    svg
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// `svg` with `baked` in it, in place of anything baked before.
pub fn bake_svg(svg: &str, baked: &Baked) -> AppResult<String> {
    let svg = without_baked(svg.to_string());
    let (start, end) = svg_root(&svg)
        .ok_or_else(|| AppError::validation("image", "SVG의 최상위 요소를 찾지 못했습니다."))?;
    let open = without_namespace(&svg[start..end]);
    let self_closing = open.ends_with("/>");
    let body = open.trim_end_matches('>').trim_end_matches('/');
    let (namespace, element) = match baked {
        Baked::Assertion(url) => (
            OB2_NAMESPACE,
            format!(
                r#"<openbadges:assertion verify="{}"></openbadges:assertion>"#,
                escape_attribute(url)
            ),
        ),
        // A compact JWT is base64url and dots: nothing to escape.
        Baked::Credential(jwt) => (
            OB3_NAMESPACE,
            format!("<openbadges:credential>{jwt}</openbadges:credential>"),
        ),
    };
    let closing = if self_closing { "</svg>" } else { "" };
    Ok(format!(
        r#"{}{body} xmlns:openbadges="{namespace}">{element}{closing}{}"#,
        &svg[..start],
        &svg[end..]
    ))
}

/// What is baked in an SVG: the one assertion or credential element.
pub fn unbake_svg(svg: &str) -> Option<Baked> {
    let assertion = svg.matches("<openbadges:assertion").count();
    let credential = svg.matches("<openbadges:credential").count();
    if assertion + credential != 1 {
        return None;
    }
    if assertion == 1 {
        let start = svg.find("<openbadges:assertion")?;
        let tag = &svg[start..start + tag_end(&svg[start..])?];
        let value = &tag[tag.find("verify=")? + "verify=".len()..];
        let quote = value.chars().next()?;
        let url = &value[1..1 + value[1..].find(quote)?];
        return Some(Baked::Assertion(
            url.replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&amp;", "&"),
        ));
    }
    let start = svg.find("<openbadges:credential")?;
    let open_end = start + tag_end(&svg[start..])?;
    let close = open_end + svg[open_end..].find("</openbadges:credential>")?;
    let text = svg[open_end..close].trim();
    let text = text
        .strip_prefix("<![CDATA[")
        .and_then(|t| t.strip_suffix("]]>"))
        .unwrap_or(text);
    Some(Baked::Credential(text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badges::image;

    const URL: &str = "https://badges.example.org/badges/v2/assertions/01a2&x";

    #[test]
    fn a_png_round_trips_and_rebaking_replaces() {
        let png = image::generated_png("#2b5ca8");
        let once = bake_png(&png, &Baked::Assertion(URL.into())).unwrap();
        assert_eq!(unbake_png(&once, "openbadges").as_deref(), Some(URL));
        let twice = bake_png(&once, &Baked::Assertion("https://other".into())).unwrap();
        assert_eq!(
            unbake_png(&twice, "openbadges").as_deref(),
            Some("https://other")
        );
        assert_eq!(twice.len(), once.len() - URL.len() + "https://other".len());
        // 3.0 under its own keyword, beside the 2.0 one.
        let both = bake_png(&twice, &Baked::Credential("a.b.c".into())).unwrap();
        assert_eq!(
            unbake_png(&both, "openbadgecredential").as_deref(),
            Some("a.b.c")
        );
        assert_eq!(
            unbake_png(&both, "openbadges").as_deref(),
            Some("https://other")
        );
        // Nothing else changed: the image's own chunks are all still there.
        let kinds = |p: &[u8]| -> Vec<[u8; 4]> {
            png_chunks(p)
                .unwrap()
                .iter()
                .map(|c| c.kind)
                .filter(|k| k != b"iTXt")
                .collect()
        };
        assert_eq!(kinds(&both), kinds(&png));
        assert_eq!(unbake_png(&png, "openbadges"), None);
    }

    #[test]
    fn a_broken_png_is_refused() {
        let mut png = image::generated_png("#2b5ca8");
        let last = png.len() - 1;
        png[last] ^= 1;
        assert!(png_chunks(&png).is_none());
        assert!(bake_png(&png, &Baked::Assertion(URL.into())).is_err());
    }

    #[test]
    fn an_svg_round_trips_and_rebaking_replaces() {
        let svg = format!(
            "<?xml version=\"1.0\"?>\n<!-- a <svg> in a comment -->\n{}",
            image::generated_svg("우수 동아리", "#2b5ca8")
        );
        let once = bake_svg(&svg, &Baked::Assertion(URL.into())).unwrap();
        assert_eq!(unbake_svg(&once), Some(Baked::Assertion(URL.into())));
        assert_eq!(once.matches("xmlns:openbadges=").count(), 1);
        assert!(once.contains(r#"xmlns:openbadges="http://openbadges.org""#));
        let again = bake_svg(&once, &Baked::Credential("h.p.s".into())).unwrap();
        assert_eq!(unbake_svg(&again), Some(Baked::Credential("h.p.s".into())));
        assert_eq!(again.matches("xmlns:openbadges=").count(), 1);
        assert!(again.contains(OB3_NAMESPACE));
        assert!(!again.contains("openbadges:assertion"));
        // Taking the baked part out again gives back the picture.
        let plain =
            without_baked(again.replace(&format!(r#" xmlns:openbadges="{OB3_NAMESPACE}""#), ""));
        assert_eq!(plain, svg);
    }

    #[test]
    fn a_self_closing_root_gets_a_body() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>"#;
        let baked = bake_svg(svg, &Baked::Credential("x.y.z".into())).unwrap();
        assert!(baked.ends_with("</openbadges:credential></svg>"));
        assert_eq!(unbake_svg(&baked), Some(Baked::Credential("x.y.z".into())));
        assert!(bake_svg("<html></html>", &Baked::Credential("x".into())).is_err());
    }
}
