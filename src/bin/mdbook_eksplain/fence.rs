//! Finding ```` ```eksplain ```` fenced blocks in a chapter's Markdown and reading their fence
//! options (`view=`, `flow=`, `theme=`, `alt="…"`).
//!
//! Fences follow CommonMark: three or more backticks or tildes, indented at most three
//! spaces, closed by a fence of the same character at least as long. A block inside another
//! fence (say a ````` ````markdown ````` example showing the syntax) is left alone.

/// One `eksplain` block: where it is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// Byte range of the whole block (opening fence to closing fence, with its line break).
    pub start: usize,
    pub end: usize,
    /// 1-based line of the opening fence in the chapter.
    pub line: usize,
    /// The opening fence's indentation (spaces): the HTML that replaces the block gets the
    /// same, so a block in a list item stays in it.
    pub indent: usize,
    /// The fence line's text after `eksplain`.
    pub options: String,
    /// The lines between the fences.
    pub body: String,
}

/// The opening fence on `line`: its character, its length and its info string.
fn opening(line: &str) -> Option<(char, usize, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = rest.len() - rest.trim_start_matches(c).len();
    if len < 3 {
        return None;
    }
    let info = rest[len..].trim();
    // A backtick fence's info string may not hold a backtick (CommonMark).
    if c == '`' && info.contains('`') {
        return None;
    }
    Some((c, len, info))
}

/// Whether `line` closes a fence of `c` at least `len` long.
fn closes(line: &str, c: char, len: usize) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return false;
    }
    let rest = line[indent..].trim_end();
    rest.len() >= len && rest.chars().all(|x| x == c)
}

/// The spaces `line` starts with.
fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Every `eksplain` block of `text`, in order. An `eksplain` fence left open runs to the end
/// of the chapter, as CommonMark reads it.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut found = Vec::new();
    let mut open: Option<(char, usize, String, usize, usize, usize)> = None;
    let mut pos = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let line = raw.trim_end_matches(['\n', '\r']);
        let line_start = pos;
        pos += raw.len();
        match &open {
            None => {
                if let Some((c, len, info)) = opening(line) {
                    let mut words = info.splitn(2, char::is_whitespace);
                    let lang = words.next().unwrap_or_default();
                    let options = if lang == "eksplain" {
                        words.next().unwrap_or_default().trim().to_string()
                    } else {
                        String::new()
                    };
                    let kind = if lang == "eksplain" { 1 } else { 0 };
                    open = Some((c, len, options, line_start, index + 1, kind));
                }
            }
            Some((c, len, options, start, line_no, kind)) => {
                if closes(line, *c, *len) {
                    if *kind == 1 {
                        let body_start = text[*start..].find('\n').map_or(pos, |i| start + i + 1);
                        found.push(Block {
                            start: *start,
                            end: pos,
                            line: *line_no,
                            indent: indent_of(&text[*start..]),
                            options: options.clone(),
                            body: text[body_start.min(line_start)..line_start].to_string(),
                        });
                    }
                    open = None;
                }
            }
        }
    }
    if let Some((_, _, options, start, line, 1)) = open {
        let body_start = text[start..]
            .find('\n')
            .map_or(text.len(), |i| start + i + 1);
        found.push(Block {
            start,
            end: text.len(),
            line,
            indent: indent_of(&text[start..]),
            options,
            body: text[body_start..].to_string(),
        });
    }
    found
}

/// The options on a fence line: `key=value` words, a value in double quotes may hold spaces
/// (`alt="Two nodes, one NLB"`, `\"` for a quote). A word without `=` or a quote left open is
/// an error naming it.
pub fn options(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(format!(
                "fence option \"{key}\" has no value: write it as key=value"
            ));
        }
        let mut value = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => {
                        closed = true;
                        break;
                    }
                    _ => value.push(c),
                }
            }
            if !closed {
                return Err(format!("fence option {key}'s quoted value is not closed"));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_eksplain_blocks_with_lines_and_bodies() {
        let text = "# T\n\n```eksplain view=architecture\n{}\n```\ntext\n```rust\nx\n```\n";
        let found = blocks(text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
        assert_eq!(found[0].indent, 0);
        assert_eq!(found[0].options, "view=architecture");
        assert_eq!(found[0].body, "{}\n");
        assert_eq!(&text[found[0].end..], "text\n```rust\nx\n```\n");
    }

    #[test]
    fn a_block_in_a_list_item_keeps_its_indent_and_an_open_one_runs_to_the_end() {
        let found = blocks("- item\n\n  ```eksplain\n  {}\n  ```\n\n```eksplain\nx: 1");
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].indent, found[0].line), (2, 3));
        assert_eq!(found[1].body, "x: 1");
        assert_eq!(found[1].line, 7);
    }

    #[test]
    fn a_block_inside_another_fence_is_left_alone() {
        let text = "````markdown\n```eksplain\n{}\n```\n````\n";
        assert!(blocks(text).is_empty());
    }

    #[test]
    fn reads_quoted_and_plain_options() {
        let got = options(r#"flow=internet->service/web alt="Two \"nodes\"""#).unwrap();
        assert_eq!(
            got,
            vec![
                ("flow".into(), "internet->service/web".into()),
                ("alt".into(), "Two \"nodes\"".into())
            ]
        );
        assert!(options("inline").unwrap_err().contains("\"inline\""));
        assert!(options("alt=\"open").unwrap_err().contains("not closed"));
    }
}
