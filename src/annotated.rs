//! The annotated Markdown page format: YAML front matter, `{#anchor}` headings and kramdown-style
//! attribute lines (`{: #p-25 themes="cse"}`) before paragraphs. Ingest writes it, load reads it;
//! both go through this module so the format is defined once.

use sha2::{Digest, Sha256};

use crate::model::FrontMatter;
use crate::yaml;

/// One block of a page body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading {
        level: u8,
        text: String,
        anchor: String,
        line: usize,
    },
    Paragraph {
        anchor: String,
        text: String,
        themes: Vec<String>,
        bullet: bool,
        line: usize,
    },
    Footnote {
        label: String,
        text: String,
        line: usize,
    },
}

/// A whole page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub front: FrontMatter,
    pub blocks: Vec<Block>,
}

/// A problem in a page, with its 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The YAML comment that closes ingest's front matter; it carries a checksum of the rest of the file
/// so a later ingest can tell a person's edit from its own output.
const STAMP_PREFIX: &str = "# ingest-checksum: ";

/// The paragraph number a `p-25` / `p-3-4` anchor stands for ("25", "3.4").
pub fn number_of_anchor(anchor: &str) -> Option<String> {
    let rest = anchor.strip_prefix("p-")?;
    // Checked before anything is allocated: most anchors are content anchors (`p-h0a1b2c`).
    rest.split('-')
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then(|| rest.replace('-', "."))
}

/// The anchor for a document's own paragraph number ("3.4" → `p-3-4`).
pub fn anchor_of_number(number: &str) -> String {
    format!("p-{}", number.trim_end_matches('.').replace('.', "-"))
}

/// A stable anchor for a paragraph without a number: derived from its own text, so editing or
/// inserting another paragraph never moves it.
pub fn content_anchor(text: &str) -> String {
    let normal: String = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let digest = Sha256::digest(normal.as_bytes());
    format!("p-h{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2])
}

/// A URL fragment made from heading text ("Help and protection" → `help-and-protection`).
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' {
            continue;
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Write a page, stamped with the checksum that marks it as ingest's own output.
pub fn write(page: &Page) -> Result<String, yaml::YamlError> {
    let unstamped = write_unstamped(page)?;
    Ok(stamp(&unstamped))
}

fn write_unstamped(page: &Page) -> Result<String, yaml::YamlError> {
    let mut out = String::from("---\n");
    out.push_str(&yaml::to_string(&page.front)?);
    out.push_str("---\n");
    for block in &page.blocks {
        out.push('\n');
        match block {
            Block::Heading {
                level,
                text,
                anchor,
                ..
            } => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(text);
                out.push_str(&format!(" {{#{anchor}}}\n"));
            }
            Block::Paragraph {
                anchor,
                text,
                themes,
                bullet,
                ..
            } => {
                out.push_str(&format!("{{: #{anchor}"));
                if !themes.is_empty() {
                    out.push_str(&format!(" themes=\"{}\"", themes.join(" ")));
                }
                out.push_str("}\n");
                if *bullet {
                    out.push_str("- ");
                }
                out.push_str(text.trim_end());
                out.push('\n');
            }
            Block::Footnote { label, text, .. } => {
                out.push_str(&format!("[^{label}]: {}\n", text.trim_end()));
            }
        }
    }
    Ok(out)
}

fn checksum(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Insert the stamp as the last line of the front matter.
fn stamp(unstamped: &str) -> String {
    let sum = checksum(unstamped);
    // The front matter always opens with "---\n" and closes at the next "\n---\n".
    match unstamped[4..].find("\n---\n") {
        Some(i) => {
            let at = 4 + i + 1;
            format!(
                "{}{STAMP_PREFIX}{sum}\n{}",
                &unstamped[..at],
                &unstamped[at..]
            )
        }
        None => unstamped.to_string(),
    }
}

/// What ingest's stamp says about a page on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// Exactly as ingest wrote it.
    Generated,
    /// Stamped by ingest, then changed by a person.
    Edited,
    /// No stamp: written by a person from the start.
    Handwritten,
}

/// Tell a person's edit from ingest's own output.
pub fn provenance(text: &str) -> Provenance {
    let Some(start) = text.find(STAMP_PREFIX) else {
        return Provenance::Handwritten;
    };
    let end = text[start..]
        .find('\n')
        .map_or(text.len(), |i| start + i + 1);
    let claimed = text[start + STAMP_PREFIX.len()..end].trim();
    let unstamped = format!("{}{}", &text[..start], &text[end..]);
    if checksum(&unstamped) == claimed {
        Provenance::Generated
    } else {
        Provenance::Edited
    }
}

/// Split a page into its front matter text, the line the front matter starts on, and the body.
fn split_front_matter(text: &str) -> Result<(&str, usize, &str, usize), FormatError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return Err(FormatError {
            line: 1,
            column: 1,
            message: "the page must start with a line '---' that opens its YAML front matter"
                .into(),
        });
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_first_line = 2 + front.lines().count() + 1;
            return Ok((front, 2, body, body_first_line));
        }
        offset += line.len();
    }
    Err(FormatError {
        line: 1,
        column: 1,
        message: "the front matter is not closed: add a line '---' after it".into(),
    })
}

/// The front matter's YAML text, for readers that need only a few fields of it.
pub fn front_matter_text(text: &str) -> Option<&str> {
    split_front_matter(text).ok().map(|(front, ..)| front)
}

/// Parse a page.
pub fn parse(text: &str) -> Result<Page, Vec<FormatError>> {
    parse_with(text, &yaml::from_str)
}

/// `parse`, with the front matter's YAML text read by `front` (which may take it from a cache).
pub fn parse_with(
    text: &str,
    front: &dyn Fn(&str) -> Result<FrontMatter, yaml::YamlError>,
) -> Result<Page, Vec<FormatError>> {
    let (front_text, front_line, body, body_line) =
        split_front_matter(text).map_err(|e| vec![e])?;
    let front: FrontMatter = front(front_text).map_err(|e| {
        vec![FormatError {
            line: front_line + e.line.saturating_sub(1),
            column: e.column,
            message: format!("front matter: {}", e.message),
        }]
    })?;
    let blocks = parse_body(body, body_line)?;
    Ok(Page { front, blocks })
}

/// Attributes from a `{: #anchor themes="a b"}` line.
#[derive(Default)]
struct Attributes {
    anchor: Option<String>,
    themes: Vec<String>,
}

fn parse_attributes(line: &str, line_no: usize) -> Result<Attributes, FormatError> {
    let inner = line
        .trim()
        .strip_prefix("{:")
        .and_then(|s| s.strip_suffix('}'))
        .ok_or_else(|| FormatError {
            line: line_no,
            column: 1,
            message: "an attribute line must look like {: #p-25 themes=\"cse\"}".into(),
        })?;
    let mut attrs = Attributes::default();
    let mut rest = inner.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('#') {
            let end = r.find(char::is_whitespace).unwrap_or(r.len());
            attrs.anchor = Some(r[..end].to_string());
            rest = r[end..].trim_start();
        } else if let Some(r) = rest.strip_prefix("themes=\"") {
            let end = r.find('"').ok_or_else(|| FormatError {
                line: line_no,
                column: line.find("themes=").unwrap_or(0) + 1,
                message: "themes=\"…\" is missing its closing quote".into(),
            })?;
            // Sized first: collected from an iterator of unknown length, a list of one theme
            // took room for four.
            let slugs = &r[..end];
            attrs.themes = Vec::with_capacity(slugs.split_whitespace().count());
            attrs
                .themes
                .extend(slugs.split_whitespace().map(str::to_string));
            rest = r[end + 1..].trim_start();
        } else {
            return Err(FormatError {
                line: line_no,
                column: line.find(rest).unwrap_or(0) + 1,
                message: format!(
                    "unknown attribute '{}': use #anchor and themes=\"slug slug\"",
                    rest.split_whitespace().next().unwrap_or(rest)
                ),
            });
        }
    }
    Ok(attrs)
}

fn parse_heading(line: &str, line_no: usize) -> Option<Block> {
    let level = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) || !line[level..].starts_with(' ') {
        return None;
    }
    let mut text = line[level..].trim();
    let mut anchor = None;
    if let Some(open) = text.rfind("{#")
        && text.ends_with('}')
    {
        anchor = Some(text[open + 2..text.len() - 1].trim().to_string());
        text = text[..open].trim_end();
    }
    let anchor = anchor.unwrap_or_else(|| slugify(text));
    Some(Block::Heading {
        level: level as u8,
        text: text.to_string(),
        anchor,
        line: line_no,
    })
}

fn parse_body(body: &str, first_line: usize) -> Result<Vec<Block>, Vec<FormatError>> {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    let mut pending: Option<Attributes> = None;
    let mut para: Vec<&str> = Vec::new();
    let mut para_line = 0;

    let flush = |para: &mut Vec<&str>,
                 pending: &mut Option<Attributes>,
                 blocks: &mut Vec<Block>,
                 line: usize| {
        if para.is_empty() {
            return;
        }
        let joined = para.join("\n");
        para.clear();
        let attrs = pending.take().unwrap_or_default();
        let (bullet, text) = match joined
            .strip_prefix("- ")
            .or_else(|| joined.strip_prefix("* "))
        {
            Some(t) if !joined.contains("\n- ") && !joined.contains("\n* ") => {
                (true, t.to_string())
            }
            _ => (false, joined),
        };
        let anchor = attrs.anchor.unwrap_or_else(|| content_anchor(&text));
        blocks.push(Block::Paragraph {
            anchor,
            text,
            themes: attrs.themes,
            bullet,
            line,
        });
    };

    for (i, line) in body.lines().enumerate() {
        let line_no = first_line + i;
        let trimmed = line.trim_end();
        if trimmed.trim().is_empty() {
            flush(&mut para, &mut pending, &mut blocks, para_line);
            continue;
        }
        if !para.is_empty() {
            para.push(trimmed);
            continue;
        }
        if trimmed.starts_with("{:") {
            match parse_attributes(trimmed, line_no) {
                Ok(a) => pending = Some(a),
                Err(e) => errors.push(e),
            }
            continue;
        }
        if let Some(h) = parse_heading(trimmed, line_no) {
            pending = None;
            blocks.push(h);
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("[^")
            && let Some(close) = rest.find("]:")
        {
            blocks.push(Block::Footnote {
                label: rest[..close].to_string(),
                text: rest[close + 2..].trim().to_string(),
                line: line_no,
            });
            continue;
        }
        para_line = line_no;
        para.push(trimmed);
    }
    flush(&mut para, &mut pending, &mut blocks, para_line);
    if errors.is_empty() {
        Ok(blocks)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ReportKind, Source};

    fn front() -> FrontMatter {
        FrontMatter {
            slug: "2015-03-leeds-ofsted-inspection".into(),
            title: "Inspection".into(),
            kind: ReportKind::OfstedInspectionReport,
            authority: "Leeds".into(),
            date: "2015-03-01".into(),
            date_inferred: None,
            inspection_dates: None,
            period: None,
            framework: None,
            judgements: vec![],
            inspectors: vec![],
            source: Source::default(),
            contains: vec![],
            recommendations: vec![],
            links: vec![],
        }
    }

    fn sample() -> Page {
        Page {
            front: front(),
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "Help and protection".into(),
                    anchor: "help-and-protection".into(),
                    line: 0,
                },
                Block::Paragraph {
                    anchor: "p-25".into(),
                    text: "Children at risk of CSE are seen.".into(),
                    themes: vec!["cse".into()],
                    bullet: false,
                    line: 0,
                },
                Block::Paragraph {
                    anchor: "p-h0a1b2c".into(),
                    text: "A finding.".into(),
                    themes: vec![],
                    bullet: true,
                    line: 0,
                },
                Block::Footnote {
                    label: "1".into(),
                    text: "A note.".into(),
                    line: 0,
                },
            ],
        }
    }

    fn without_lines(blocks: Vec<Block>) -> Vec<Block> {
        blocks
            .into_iter()
            .map(|b| match b {
                Block::Heading {
                    level,
                    text,
                    anchor,
                    ..
                } => Block::Heading {
                    level,
                    text,
                    anchor,
                    line: 0,
                },
                Block::Paragraph {
                    anchor,
                    text,
                    themes,
                    bullet,
                    ..
                } => Block::Paragraph {
                    anchor,
                    text,
                    themes,
                    bullet,
                    line: 0,
                },
                Block::Footnote { label, text, .. } => Block::Footnote {
                    label,
                    text,
                    line: 0,
                },
            })
            .collect()
    }

    #[test]
    fn round_trips() {
        let page = sample();
        let text = write(&page).unwrap();
        let back = parse(&text).unwrap();
        assert_eq!(back.front, page.front);
        assert_eq!(without_lines(back.blocks), page.blocks);
    }

    #[test]
    fn stamp_tells_edits_apart() {
        let text = write(&sample()).unwrap();
        assert_eq!(provenance(&text), Provenance::Generated);
        let edited = text.replace("are seen", "are always seen");
        assert_eq!(provenance(&edited), Provenance::Edited);
        assert_eq!(
            provenance("---\ntitle: x\n---\nhello\n"),
            Provenance::Handwritten
        );
    }

    #[test]
    fn numbers_and_anchors() {
        assert_eq!(number_of_anchor("p-25").as_deref(), Some("25"));
        assert_eq!(number_of_anchor("p-3-4").as_deref(), Some("3.4"));
        assert_eq!(number_of_anchor("p-h0a1b2c"), None);
        assert_eq!(anchor_of_number("3.4"), "p-3-4");
        assert_eq!(
            slugify("Children’s services: Help & protection"),
            "childrens-services-help-protection"
        );
    }

    #[test]
    fn content_anchor_ignores_spacing_and_case() {
        assert_eq!(content_anchor("A  finding."), content_anchor("a finding"));
        assert_ne!(
            content_anchor("a finding"),
            content_anchor("another finding")
        );
    }

    #[test]
    fn bad_front_matter_names_the_line() {
        let errs = parse("---\nslug: x\ntitle: [\n---\nbody\n").unwrap_err();
        assert!(errs[0].line >= 3, "{errs:?}");
    }

    #[test]
    fn bad_attribute_is_reported() {
        let text = write(&sample())
            .unwrap()
            .replace("themes=\"cse\"", "colour=red");
        let errs = parse(&text).unwrap_err();
        assert!(errs[0].message.contains("unknown attribute"));
    }
}
