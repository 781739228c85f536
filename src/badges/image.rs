//! A badge class's image when none was uploaded: an SVG medal in the
//! class's colour with its name, and a PNG of the same medal (without the
//! name: there is no text renderer here) for the PNG a verifier unbakes.
//! Uploaded images are checked here too.

use std::io::Write;

use crate::error::{AppError, AppResult};

/// The side of the generated images, in pixels.
const SIDE: u32 = 240;
/// The largest image an administrator may upload.
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024;

/// `#rrggbb` as its three channels.
pub fn parse_colour(colour: &str) -> Option<[u8; 3]> {
    let hex = colour.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The name in lines of at most `width` characters, broken between words
/// where it can (Korean names rarely need more than two lines).
fn lines_of(name: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in name.split_whitespace() {
        let mut rest: Vec<char> = word.chars().collect();
        while !rest.is_empty() {
            let last = lines.last_mut().filter(|l| {
                let used = l.chars().count();
                used > 0 && used + 1 + rest.len() <= width
            });
            match last {
                Some(line) => {
                    line.push(' ');
                    line.extend(rest.drain(..));
                }
                None => {
                    let take = rest.len().min(width);
                    lines.push(rest.drain(..take).collect());
                }
            }
        }
    }
    lines.truncate(3);
    lines
}

/// The generated SVG: a medal in `colour` with `name` on it.
pub fn generated_svg(name: &str, colour: &str) -> String {
    let lines = lines_of(name, 8);
    let size = match lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) {
        0..=4 => 34,
        5..=6 => 28,
        _ => 22,
    };
    let first_y = 120 - (lines.len() as i32 - 1) * (size + 4) / 2 + size / 3;
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            format!(
                r#"<tspan x="120" y="{}">{}</tspan>"#,
                first_y + i as i32 * (size + 4),
                escape_xml(line)
            )
        })
        .collect();
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" viewBox="0 0 240 240" role="img" aria-label="{label}">"#,
            r#"<circle cx="120" cy="120" r="114" fill="{colour}"/>"#,
            r##"<circle cx="120" cy="120" r="98" fill="none" stroke="#ffffff" stroke-opacity="0.75" stroke-width="5"/>"##,
            r##"<text font-family="sans-serif" font-size="{size}" font-weight="700" fill="#ffffff" text-anchor="middle">{text}</text>"##,
            "</svg>"
        ),
        side = SIDE,
        label = escape_xml(name),
        colour = colour,
        size = size,
        text = text,
    )
}

/// The generated PNG: the same medal, without the name.
pub fn generated_png(colour: &str) -> Vec<u8> {
    let [r, g, b] = parse_colour(colour).unwrap_or([0x2b, 0x5c, 0xa8]);
    let centre = SIDE as f64 / 2.0;
    // Each pixel's share inside a circle of radius `radius`, from 4×4 samples.
    let coverage = |x: u32, y: u32, radius: f64| -> f64 {
        let mut inside = 0;
        for sy in 0..4 {
            for sx in 0..4 {
                let dx = f64::from(x) + (f64::from(sx) + 0.5) / 4.0 - centre;
                let dy = f64::from(y) + (f64::from(sy) + 0.5) / 4.0 - centre;
                if dx * dx + dy * dy <= radius * radius {
                    inside += 1;
                }
            }
        }
        f64::from(inside) / 16.0
    };
    let mut raw = Vec::with_capacity(((SIDE * 4 + 1) * SIDE) as usize);
    for y in 0..SIDE {
        raw.push(0); // no filter
        for x in 0..SIDE {
            let disc = coverage(x, y, 114.0);
            let ring = coverage(x, y, 100.5) - coverage(x, y, 95.5);
            let white = 0.75 * ring;
            let mix = |c: u8| (f64::from(c) * (1.0 - white) + 255.0 * white).round() as u8;
            raw.extend_from_slice(&[mix(r), mix(g), mix(b), (255.0 * disc).round() as u8]);
        }
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(&raw).expect("writing to memory");
    let data = zlib.finish().expect("writing to memory");
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&SIDE.to_be_bytes());
    header.extend_from_slice(&SIDE.to_be_bytes());
    header.extend_from_slice(&[8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no interlace
    let mut png = super::bake::PNG_SIGNATURE.to_vec();
    super::bake::push_chunk(&mut png, b"IHDR", &header);
    super::bake::push_chunk(&mut png, b"IDAT", &data);
    super::bake::push_chunk(&mut png, b"IEND", &[]);
    png
}

/// What kind of image an upload is (`png` or `svg`), after checking it:
/// a whole PNG, or an SVG without scripts, event handlers or outside
/// references, within the size limit.
pub fn check_upload(bytes: &[u8]) -> AppResult<&'static str> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(AppError::validation(
            "image",
            "이미지는 256KB까지 올릴 수 있습니다.",
        ));
    }
    if bytes.starts_with(&super::bake::PNG_SIGNATURE) {
        super::bake::png_chunks(bytes)
            .filter(|chunks| chunks.first().is_some_and(|c| c.kind == *b"IHDR"))
            .ok_or_else(|| AppError::validation("image", "PNG 파일이 온전하지 않습니다."))?;
        return Ok("png");
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| AppError::validation("image", "이미지는 PNG 또는 SVG 파일입니다."))?;
    let lower = text.to_ascii_lowercase();
    if !lower.contains("<svg") || !lower.trim_end().ends_with("</svg>") {
        return Err(AppError::validation(
            "image",
            "이미지는 PNG 또는 SVG 파일입니다.",
        ));
    }
    let unsafe_parts = [
        "<script",
        "javascript:",
        "<!entity",
        "<foreignobject",
        " on",
        "href=\"http",
        "href='http",
        "@import",
        "url(http",
    ];
    if unsafe_parts.iter().any(|p| {
        if *p == " on" {
            // An event handler attribute: ` onload=`, ` onclick =`, …
            lower.match_indices(" on").any(|(i, _)| {
                lower[i + 3..]
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .trim_start()
                    .starts_with('=')
            })
        } else {
            lower.contains(p)
        }
    }) {
        return Err(AppError::validation(
            "image",
            "SVG에 스크립트, 이벤트 속성 또는 외부 참조를 넣을 수 없습니다.",
        ));
    }
    Ok("svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_six_hex_digits() {
        assert_eq!(parse_colour("#2b5ca8"), Some([0x2b, 0x5c, 0xa8]));
        for bad in ["2b5ca8", "#2b5ca", "#2b5ca8f", "#gg0000", ""] {
            assert_eq!(parse_colour(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_break_between_words_and_are_escaped() {
        assert_eq!(
            lines_of("정책 연구 모임 우수 참여", 8),
            vec!["정책 연구 모임", "우수 참여"]
        );
        assert_eq!(
            lines_of("아주아주아주긴한단어입니다", 8),
            vec!["아주아주아주긴한", "단어입니다"]
        );
        let svg = generated_svg("<b>&", "#123456");
        assert!(svg.contains("&lt;b&gt;&amp;"));
        assert!(!svg.contains("<b>"));
    }

    #[test]
    fn the_generated_png_is_whole() {
        let png = generated_png("#2b5ca8");
        assert_eq!(check_upload(&png).unwrap(), "png");
        let chunks = super::super::bake::png_chunks(&png).unwrap();
        let kinds: Vec<_> = chunks.iter().map(|c| c.kind).collect();
        assert_eq!(kinds, vec![*b"IHDR", *b"IDAT", *b"IEND"]);
    }

    #[test]
    fn uploads_without_scripts_only() {
        let good = br#"<svg xmlns="http://www.w3.org/2000/svg"><circle r="3" fill="red"/></svg>"#;
        assert_eq!(check_upload(good).unwrap(), "svg");
        for bad in [
            &br#"<svg><script>alert(1)</script></svg>"#[..],
            br#"<svg onload="alert(1)"></svg>"#,
            br#"<svg><image href="http://evil.example/x.png"/></svg>"#,
            b"GIF89a",
            b"\x89PNG\r\n\x1a\nbroken",
        ] {
            assert!(
                check_upload(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(check_upload(&vec![b' '; MAX_UPLOAD_BYTES + 1]).is_err());
    }
}
