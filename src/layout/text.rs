//! Text metrics without a font engine: sizes per style and a conservative width estimate, so
//! boxes are sized from their labels the same way natively and in the browser.
//!
//! The estimate uses DejaVu Sans / DejaVu Sans Mono advance widths (the widest of the fonts
//! the stylesheet names), so text rendered with any of them fits the space measured here.
//! Keep the sizes in step with the `.t-*` rules of `www/style.css`.

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
    matches!(
        style,
        TextStyle::Title | TextStyle::Heading | TextStyle::Tag
    )
}

/// Width of `text` set in `style`, rounded up to a whole unit.
pub fn width(text: &str, style: TextStyle) -> f64 {
    let size = font_size(style);
    let em: f64 = if style == TextStyle::Mono {
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

/// `4091` → `4,091`.
pub fn thousands(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    fn line_metrics_are_whole_units() {
        for style in [
            TextStyle::Title,
            TextStyle::Heading,
            TextStyle::Body,
            TextStyle::Mono,
            TextStyle::Muted,
            TextStyle::Tag,
        ] {
            assert_eq!(line_height(style).fract(), 0.0);
            assert!(ascent(style) < line_height(style));
        }
    }
}
