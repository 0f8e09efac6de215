//! A page's parsed body, kept for the next build so that an unchanged page need not be parsed
//! again: in a rebuild of 1,000 reports after one changed, parsing the other 999 was half the
//! CPU time.
//!
//! What is kept is the page's structure (sections, anchors, themes, lines) with each paragraph's
//! text given as where it lies in the page: the page is read anyway to tell whether it changed,
//! and its text copied from there costs a fraction of cutting it into lines, joining them and
//! reading attribute lines again. Text that is not a plain run of the page (trailing spaces
//! trimmed, Windows line ends) is kept whole. The front matter is not kept here; its own cache
//! entry holds it (see `front_matter`).
//!
//! An entry is only ever used with the very page text it was made from (its key covers that
//! text, the settings and the themes), and the stage caches are kept only by a build that had no
//! errors, so a decoded report needs none of the checks loading makes. Anything that does not
//! read back exactly is treated as missing.

use crate::model::{FrontMatter, Paragraph, Report, Section};
use crate::site::cache::bytes::{Reader, put_number, put_str};

/// Marks this layout; another reads as missing. 2: a paragraph's flags hold whether it is plain.
const LAYOUT: u64 = 2;

/// The entry from which `decode` gives back `report`, parsed from the page `text`; `None` when
/// its front matter cannot be found in `text` (then nothing is kept).
pub fn encode(report: &Report, text: &str) -> Option<Vec<u8>> {
    let front = crate::annotated::front_matter_text(text)?;
    // Paragraphs come in page order, so their lines are found moving forward through the page.
    let mut lines = LineStarts {
        text: text.as_bytes(),
        line: 1,
        start: 0,
    };
    let mut out = Vec::with_capacity(text.len() / 8);
    put_number(&mut out, LAYOUT);
    put_number(&mut out, offset_in(front, text)? as u64);
    put_number(&mut out, front.len() as u64);
    put_number(&mut out, report.link_lines.len() as u64);
    for &line in &report.link_lines {
        put_number(&mut out, line as u64);
    }
    put_number(&mut out, report.footnotes.len() as u64);
    for (label, note) in &report.footnotes {
        put_str(&mut out, label);
        put_str(&mut out, note);
    }
    put_number(&mut out, report.sections.len() as u64);
    for section in &report.sections {
        put_optional(&mut out, section.heading.as_deref());
        put_optional(&mut out, section.anchor.as_deref());
        put_number(&mut out, u64::from(section.level));
        put_number(&mut out, section.paragraphs.len() as u64);
        for p in &section.paragraphs {
            put_str(&mut out, &p.anchor);
            // A paragraph starts its line, after "- " when it is a list item.
            let start = lines
                .start_of(p.line)
                .map(|s| s + if p.bullet { 2 } else { 0 });
            match start.filter(|&s| text.get(s..s + p.text.len()) == Some(p.text.as_str())) {
                Some(start) => {
                    put_number(&mut out, ((start as u64) << 1) | 1);
                    put_number(&mut out, p.text.len() as u64);
                }
                None => {
                    put_number(&mut out, (p.text.len() as u64) << 1);
                    out.extend_from_slice(p.text.as_bytes());
                }
            }
            put_number(&mut out, p.themes.len() as u64);
            for theme in &p.themes {
                put_str(&mut out, theme);
            }
            // Whether it is a list item and whether it is plain, as two bits.
            put_number(&mut out, u64::from(p.bullet) | u64::from(p.plain) << 1);
            put_number(&mut out, p.line as u64);
        }
    }
    Some(out)
}

/// The report `encode` kept in `bytes`, read back against the page `text` it was made from;
/// `front` reads the front matter's YAML text. `None` when anything does not fit.
pub fn decode(
    bytes: &[u8],
    text: &str,
    path: &str,
    front: impl FnOnce(&str) -> Option<FrontMatter>,
) -> Option<Report> {
    let mut r = Reader(bytes);
    if r.number()? != LAYOUT {
        return None;
    }
    let front_start = size(&mut r)?;
    let front_text = text.get(front_start..front_start.checked_add(size(&mut r)?)?)?;
    let link_lines = (0..size(&mut r)?)
        .map(|_| size(&mut r))
        .collect::<Option<Vec<_>>>()?;
    let footnotes = (0..size(&mut r)?)
        .map(|_| Some((r.str()?.to_string(), r.str()?.to_string())))
        .collect::<Option<Vec<_>>>()?;
    let sections = (0..size(&mut r)?)
        .map(|_| section(&mut r, text))
        .collect::<Option<Vec<_>>>()?;
    if !r.is_empty() {
        return None;
    }
    Some(Report {
        meta: front(front_text)?,
        sections,
        footnotes,
        path: path.to_string(),
        link_lines,
    })
}

fn section(r: &mut Reader, text: &str) -> Option<Section> {
    let heading = optional(r)?;
    let anchor = optional(r)?;
    let level = u8::try_from(r.number()?).ok()?;
    let count = size(r)?;
    // Made at its final size, as parsing does (see `parse_report`); the count is checked
    // against what is left so damage cannot ask for a huge list.
    let mut paragraphs = Vec::with_capacity(count.min(r.0.len()));
    for _ in 0..count {
        let anchor = r.str()?.to_string();
        let at = r.number()?;
        let text = if at & 1 == 1 {
            let start = usize::try_from(at >> 1).ok()?;
            text.get(start..start.checked_add(size(r)?)?)?.to_string()
        } else {
            let len = usize::try_from(at >> 1).ok()?;
            let (inline, rest) = (r.0.get(..len)?, r.0.get(len..)?);
            r.0 = rest;
            std::str::from_utf8(inline).ok()?.to_string()
        };
        let themes_count = size(r)?;
        let mut themes = Vec::with_capacity(themes_count.min(r.0.len()));
        for _ in 0..themes_count {
            themes.push(r.str()?.to_string());
        }
        let flags = r.number()?;
        if flags > 3 {
            return None;
        }
        let (bullet, plain) = (flags & 1 == 1, flags & 2 == 2);
        paragraphs.push(Paragraph {
            number: crate::annotated::number_of_anchor(&anchor),
            anchor,
            text,
            themes,
            bullet,
            line: size(r)?,
            plain,
        });
    }
    Some(Section {
        heading,
        anchor,
        level,
        paragraphs,
    })
}

fn size(r: &mut Reader) -> Option<usize> {
    usize::try_from(r.number()?).ok()
}

fn put_optional(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => put_number(out, 0),
        Some(s) => {
            put_number(out, 1);
            put_str(out, s);
        }
    }
}

fn optional(r: &mut Reader) -> Option<Option<String>> {
    match r.number()? {
        0 => Some(None),
        1 => Some(Some(r.str()?.to_string())),
        _ => None,
    }
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset_in(part: &str, whole: &str) -> Option<usize> {
    (part.as_ptr() as usize)
        .checked_sub(whole.as_ptr() as usize)
        .filter(|&at| at + part.len() <= whole.len())
}

/// Where lines of a text start, looked up in increasing order: a list of every line's start
/// was fresh memory in every full build, for a few lookups a page.
struct LineStarts<'t> {
    text: &'t [u8],
    /// A line (1 is the first) and the byte at which it starts.
    line: usize,
    start: usize,
}

impl LineStarts<'_> {
    /// The byte at which line `line` starts; `None` past the end, or for a line before the
    /// last one looked up.
    fn start_of(&mut self, line: usize) -> Option<usize> {
        while self.line < line {
            let rest = self.text.get(self.start..)?;
            self.start += memchr::memchr(b'\n', rest)? + 1;
            self.line += 1;
        }
        (self.line == line).then_some(self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "---\nslug: 2018-02-x-ofsted-focused-visit\ntitle: Visit\nkind: ofsted-focused-visit-letter\nauthority: X\ndate: 2018-02-22\nsource:\n  file: x.txt\n  sha256: ab\nlinks:\n  - to: 2015-03-y-ofsted-inspection\n    relation: raised-before\n---\n\nOpening words.\n\n## Findings {#findings}\n\n{: #p-1 themes=\"cse peps\"}\nChildren at risk of *CSE* are seen.\nA second line of the same paragraph.\n\n- A list item.\n\n{: #p-2-3}\nTrailing spaces here.   \nAnd a line after them.\n\n### Under {#under}\n\nNotes[^1] follow.\n\n[^1]: The note.\n";

    fn load(text: &str) -> Report {
        crate::load::load_report(text, std::path::Path::new("content/reports/x.md"))
            .unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn round_trip(text: &str) -> (Report, Report, Vec<u8>) {
        let parsed = load(text);
        let bytes = encode(&parsed, text).unwrap_or_else(|| panic!("no entry"));
        let front = |yaml: &str| crate::yaml::from_str(yaml).ok();
        let decoded = decode(&bytes, text, &parsed.path, front)
            .unwrap_or_else(|| panic!("does not read back"));
        (parsed, decoded, bytes)
    }

    #[test]
    fn reads_back_as_parsed_with_texts_taken_from_the_page() {
        let (parsed, decoded, bytes) = round_trip(PAGE);
        assert_eq!(decoded, parsed);
        // Loading marks the paragraphs render may write as they stand, and the entry keeps that.
        let plain: Vec<bool> = parsed.paragraphs().map(|p| p.plain).collect();
        assert_eq!(plain, [true, false, true, false, false]);
        assert_eq!(decoded.link_lines, parsed.link_lines);
        assert!(!parsed.link_lines.is_empty() && !parsed.footnotes.is_empty());
        // Runs of the page are not copied into the entry; the trimmed paragraph is.
        let entry = String::from_utf8_lossy(&bytes);
        assert!(!entry.contains("Children at risk"), "{entry}");
        assert!(!entry.contains("A list item"), "{entry}");
        assert!(entry.contains("Trailing spaces here.\nAnd"), "{entry}");
    }

    #[test]
    fn windows_line_ends_read_back_too() {
        let page = PAGE.replace('\n', "\r\n");
        let (parsed, decoded, _) = round_trip(&page);
        assert_eq!(decoded, parsed);
    }

    #[test]
    fn damage_or_another_text_reads_as_missing() {
        let (parsed, _, bytes) = round_trip(PAGE);
        let front = |yaml: &str| crate::yaml::from_str(yaml).ok();
        assert!(decode(&bytes[..bytes.len() - 1], PAGE, "x", front).is_none());
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, PAGE, "x", front).is_none());
        let mut other = bytes.clone();
        other[0] = 9;
        assert!(decode(&other, PAGE, "x", front).is_none());
        // A text too short for the places the entry names.
        assert!(decode(&bytes, &PAGE[..PAGE.len() / 2], "x", front).is_none());
        assert!(decode(&bytes, PAGE, "x", |_| None).is_none());
        assert_eq!(parsed.path, "content/reports/x.md");
    }
}
