//! Text metrics without a font engine: sizes per style and a conservative width estimate, so
//! boxes are sized from their labels the same way natively and in the browser.
//!
//! The estimate uses DejaVu Sans / DejaVu Sans Mono advance widths (the widest of the fonts
//! the stylesheet names), so text rendered with any of them fits the space measured here.
//! Keep the sizes in step with the `.t-*` rules of `www/diagram.css`.

use super::scene::TextStyle;

/// Font size in scene units.
pub const fn font_size(style: TextStyle) -> f64 {
    match style {
        TextStyle::Title => 14.0,
        TextStyle::Heading => 12.5,
        TextStyle::Body => 11.5,
        TextStyle::Mono => 11.0,
        TextStyle::Muted => 10.5,
        TextStyle::Tag => 9.0,
        TextStyle::Cell => 8.0,
        TextStyle::Alert => 10.5,
        TextStyle::Chip => 9.5,
        TextStyle::Row => 10.5,
    }
}

/// Distance between baselines of consecutive lines of this style.
pub fn line_height(style: TextStyle) -> f64 {
    (font_size(style) * 1.4).round()
}

/// Distance from the top of a line box to its baseline.
pub fn ascent(style: TextStyle) -> f64 {
    (font_size(style) * 1.05).round()
}

const fn is_bold(style: TextStyle) -> bool {
    // Cell labels are bold too (they sit on coloured cells).
    matches!(
        style,
        TextStyle::Title
            | TextStyle::Heading
            | TextStyle::Tag
            | TextStyle::Cell
            | TextStyle::Alert
            | TextStyle::Chip
            | TextStyle::Row
    )
}

/// Width of `text` set in `style`, rounded up to a whole unit.
pub fn width(text: &str, style: TextStyle) -> f64 {
    let size = font_size(style);
    let em: f64 = if matches!(style, TextStyle::Mono | TextStyle::Cell) {
        0.61 * text.chars().count() as f64
    } else {
        text.chars().map(advance).sum::<f64>()
    };
    let bold = if is_bold(style) { 1.1 } else { 1.0 };
    let tracking = if style == TextStyle::Tag {
        0.08 * text.chars().count() as f64
    } else {
        0.0
    };
    ((em * bold + tracking) * size).ceil()
}

/// Advance width of one character in em, after DejaVu Sans.
fn advance(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.30,
        'f' | 't' | 'r' | ' ' | '(' | ')' | '[' | ']' | '/' | '-' => 0.40,
        'm' | 'w' => 0.92,
        'M' | 'W' | '%' => 0.95,
        '0'..='9' => 0.64,
        'A'..='Z' => 0.72,
        '·' | '×' | '−' | '–' => 0.84,
        c if c.is_ascii() => 0.62,
        // Names are ASCII (the scenario checks them); anything else gets a wide advance.
        _ => 1.0,
    }
}

/// `text` broken at spaces into lines no wider than `max` (a word wider than `max` gets a
/// line of its own and is cut with an ellipsis), at most `max_lines` lines (the last one
/// ends with `…` when text is left over).
pub fn wrap(text: &str, style: TextStyle, max: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, style) <= max || current.is_empty() {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let cut = lines.len() > max_lines;
    lines.truncate(max_lines.max(1));
    let n = lines.len();
    for (i, line) in lines.iter_mut().enumerate() {
        let last = i + 1 == n;
        if width(line, style) > max || (last && cut) {
            *line = ellipsize(line, style, max);
        }
    }
    lines
}

/// `text` cut to fit `max` with a trailing `…` (unchanged when it fits and is not cut).
pub fn ellipsize(text: &str, style: TextStyle, max: f64) -> String {
    let mut out: String = text.to_string();
    loop {
        let candidate = format!("{}…", out.trim_end());
        if width(&candidate, style) <= max || out.is_empty() {
            return candidate;
        }
        out.pop();
    }
}

/// `4091` → `4,091` (the scenario layer's, so messages and drawings group digits alike).
pub fn thousands(n: impl Into<u64>) -> String {
    crate::scenario::limits::thousands(n.into())
}

/// `1` → `1 address`, `2` → `2 addresses`.
pub fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(thousands(0u32), "0");
        assert_eq!(thousands(999u32), "999");
        assert_eq!(thousands(4091u32), "4,091");
        assert_eq!(thousands(1_048_576u32), "1,048,576");
        assert_eq!(plural(1, "node", "nodes"), "1 node");
        assert_eq!(plural(4091, "node", "nodes"), "4,091 nodes");
    }

    #[test]
    fn widths_grow_with_text_and_size() {
        assert_eq!(width("", TextStyle::Body), 0.0);
        assert!(width("private-a", TextStyle::Heading) > width("private-a", TextStyle::Body));
        assert!(width("10.0.16.0/20", TextStyle::Mono) > width("10.0.16.0", TextStyle::Mono));
        // Mono is exact: 12 characters of 11 units at 0.61 em.
        assert_eq!(
            width("10.0.16.0/20", TextStyle::Mono),
            (12.0f64 * 0.61 * 11.0).ceil()
        );
    }

    #[test]
    fn wrapping_keeps_lines_narrow() {
        let text = "0/3 nodes are available: 3 Too many pods. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.";
        let lines = wrap(text, TextStyle::Body, 300.0, 10);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, TextStyle::Body) <= 300.0));
        assert_eq!(lines.join(" "), text);
        let cut = wrap(text, TextStyle::Body, 300.0, 1);
        assert_eq!(cut.len(), 1);
        assert!(cut[0].ends_with('…') && width(&cut[0], TextStyle::Body) <= 300.0);
        assert_eq!(wrap("", TextStyle::Body, 100.0, 3), Vec::<String>::new());
    }

    #[test]
    fn line_metrics_are_whole_units() {
        for style in [
            TextStyle::Title,
            TextStyle::Heading,
            TextStyle::Body,
            TextStyle::Mono,
            TextStyle::Muted,
            TextStyle::Tag,
            TextStyle::Cell,
            TextStyle::Alert,
        ] {
            assert_eq!(line_height(style).fract(), 0.0);
            assert!(ascent(style) < line_height(style));
        }
    }
}
