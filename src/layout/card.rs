//! A card: an icon and a title, lines of facts in one or more columns, and a gauge, drawn at
//! whatever size best fills a box. The summaries of a huge cluster are cards: their boxes are
//! thousands of scene units across, and the text grows with them so that it reads when the
//! whole cluster is in view.
//!
//! The card is measured at the styles' own sizes for each number of columns; the arrangement
//! that can be scaled up the most wins, and everything (text sizes included) is scaled by it.

use super::geometry::{Point, Rect, Size};
use super::scene::{Anchor, Meter, MeterPart, Shape, Text, TextStyle};
use super::text::{ascent, line_height, width};

/// Padding inside the card, at scale 1.
const PAD: f64 = 8.0;
const ICON: f64 = 18.0;
const ICON_GAP: f64 = 6.0;
/// Between columns of facts.
const COL_GAP: f64 = 18.0;
/// Between the title and the facts, and between the facts and the gauge.
const GAP: f64 = 4.0;
const METER: f64 = 6.0;
/// A gauge is at least this wide, so that its segments read.
const MIN_METER_W: f64 = 140.0;
/// Most columns of facts tried.
const MAX_COLUMNS: usize = 4;

/// What a card shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub title: String,
    /// Facts, each in its own style, filled column by column.
    pub lines: Vec<(String, TextStyle)>,
    /// A gauge under the facts: segments and the whole.
    pub meter: Option<(Vec<(MeterPart, u32)>, u32)>,
    /// Room for the kind's icon left of the title.
    pub icon: bool,
}

/// A card measured at scale 1 in one arrangement of its facts.
#[derive(Debug, Clone, PartialEq)]
struct Arrangement {
    /// The title is the first column, beside the facts (for wide, low boxes), rather than
    /// a line above them.
    inline: bool,
    rows: usize,
    col_w: Vec<f64>,
    /// Height of a row of facts.
    row_h: f64,
    size: Size,
}

fn head_height() -> f64 {
    ICON.max(line_height(TextStyle::Heading))
}

impl Card {
    fn head_width(&self) -> f64 {
        let icon = if self.icon { ICON + ICON_GAP } else { 0.0 };
        icon + width(&self.title, TextStyle::Heading)
    }

    fn arrange(&self, cols: usize, inline: bool) -> Arrangement {
        let cols = cols.clamp(1, self.lines.len().max(1));
        let rows = self.lines.len().div_ceil(cols);
        let col_w: Vec<f64> = if rows == 0 {
            Vec::new()
        } else {
            self.lines
                .chunks(rows)
                .map(|col| {
                    col.iter()
                        .map(|(t, style)| width(t, *style))
                        .fold(0.0, f64::max)
                })
                .collect()
        };
        let facts_w = col_w.iter().sum::<f64>() + (col_w.len().max(1) - 1) as f64 * COL_GAP;
        let mut row_h = self
            .lines
            .iter()
            .map(|(_, style)| line_height(*style))
            .fold(0.0, f64::max);
        let meter_w = if self.meter.is_some() {
            MIN_METER_W
        } else {
            0.0
        };
        let (content_w, mut h) = if inline && rows > 0 {
            row_h = row_h.max(head_height());
            (self.head_width() + COL_GAP + facts_w, rows as f64 * row_h)
        } else if rows > 0 {
            (
                facts_w.max(self.head_width()),
                head_height() + GAP + rows as f64 * row_h,
            )
        } else {
            (self.head_width(), head_height())
        };
        if self.meter.is_some() {
            h += GAP + METER;
        }
        Arrangement {
            inline: inline && rows > 0,
            rows,
            col_w,
            row_h,
            size: Size::new(2.0 * PAD + content_w.max(meter_w), 2.0 * PAD + h),
        }
    }

    /// The arrangement that grows most in `room`, and its scale (at most `max_scale`);
    /// `None` when the room is empty.
    fn fit(&self, room: Size, max_scale: f64) -> Option<(f64, Arrangement)> {
        let mut best: Option<(f64, Arrangement)> = None;
        for inline in [false, true] {
            for cols in 1..=MAX_COLUMNS.min(self.lines.len().max(1)) {
                let a = self.arrange(cols, inline);
                let k = (room.w / a.size.w).min(room.h / a.size.h);
                if best.as_ref().is_none_or(|(b, _)| k > *b) {
                    best = Some((k, a));
                }
            }
        }
        let (k, a) = best?;
        let k = k.min(max_scale);
        (k.is_finite() && k > 0.0).then_some((k, a))
    }

    /// Of `cards` (richest first), the first that reads at `legible` times the styles'
    /// sizes or more in `room`; when none does, the one that grows most.
    pub fn pick(cards: &[Card], room: Size, max_scale: f64, legible: f64) -> Option<&Card> {
        let scales: Vec<(f64, &Card)> = cards
            .iter()
            .filter_map(|c| c.fit(room, max_scale).map(|(k, _)| (k, c)))
            .collect();
        scales
            .iter()
            .find(|(k, _)| *k >= legible)
            .or_else(|| scales.iter().max_by(|a, b| a.0.total_cmp(&b.0)))
            .map(|(_, c)| *c)
    }

    /// Puts the card's icon, texts and gauge on `shape`, from its top-left corner, as large
    /// as its rectangle allows (and at most `max_scale` times the styles' sizes).
    pub fn place(&self, shape: &mut Shape, max_scale: f64) {
        let r = shape.rect;
        let Some((k, a)) = self.fit(r.size(), max_scale) else {
            return;
        };
        let (x0, y0) = (r.x + PAD * k, r.y + PAD * k);
        let baseline = |top: f64, row_h: f64, style: TextStyle| {
            top + ((row_h - ascent(style)) / 2.0 + ascent(style) - 1.0) * k
        };
        let push = |shape: &mut Shape, x: f64, y: f64, text: &str, style: TextStyle| {
            shape.texts.push(Text {
                at: Point::new(x, y),
                text: text.to_string(),
                style,
                anchor: Anchor::Start,
                scale: k,
            });
        };
        // The title: above the facts, or as their first column (in the first row).
        let head_h = if a.inline { a.row_h } else { head_height() };
        let mut x = x0;
        if self.icon {
            shape.icon = Some(Rect::new(
                x,
                y0 + (head_h - ICON) / 2.0 * k,
                ICON * k,
                ICON * k,
            ));
            x += (ICON + ICON_GAP) * k;
        }
        push(
            shape,
            x,
            baseline(y0, head_h, TextStyle::Heading),
            &self.title,
            TextStyle::Heading,
        );
        let (facts_x, mut y) = if a.inline {
            (x0 + (self.head_width() + COL_GAP) * k, y0)
        } else if a.rows > 0 {
            (x0, y0 + (head_height() + GAP) * k)
        } else {
            (x0, y0 + head_height() * k)
        };
        if a.rows > 0 {
            let mut col_x = facts_x;
            for (c, col) in self.lines.chunks(a.rows).enumerate() {
                for (i, (text, style)) in col.iter().enumerate() {
                    let top = y + i as f64 * a.row_h * k;
                    push(shape, col_x, baseline(top, a.row_h, *style), text, *style);
                }
                col_x += (a.col_w[c] + COL_GAP) * k;
            }
            y += a.rows as f64 * a.row_h * k;
        }
        if let Some((parts, total)) = &self.meter {
            y += GAP * k;
            shape.meter = Some(Meter {
                rect: Rect::new(x0, y, (a.size.w - 2.0 * PAD) * k, METER * k),
                parts: parts.clone(),
                total: *total,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::scene::Kind;
    use crate::layout::tests_support::assert_tree_invariants;

    fn card(lines: usize) -> Card {
        Card {
            title: "ng-1 · m5.2xlarge".into(),
            lines: (0..lines)
                .map(|i| (format!("fact number {i} with some words"), TextStyle::Body))
                .collect(),
            meter: Some((vec![(MeterPart::Used, 3)], 10)),
            icon: true,
        }
    }

    fn placed(card: &Card, rect: Rect, max_scale: f64) -> Shape {
        let mut shape = Shape::new(
            crate::model::Id::Summary {
                subnet: "a".into(),
                group: Some("b".into()),
            },
            Kind::Summary,
            rect,
        );
        shape.name = "a card".into();
        card.place(&mut shape, max_scale);
        shape
    }

    #[test]
    fn a_card_fills_its_box_and_stays_inside() {
        for rect in [
            Rect::new(10.0, 20.0, 300.0, 150.0),
            Rect::new(0.0, 0.0, 8000.0, 900.0),
            Rect::new(0.0, 0.0, 600.0, 4000.0),
            Rect::new(5.0, 5.0, 40.0, 12.0),
        ] {
            let c = card(5);
            let shape = placed(&c, rect, 100.0);
            assert_tree_invariants(&shape);
            assert_eq!(shape.texts.len(), 6);
            // It fills the box across or down.
            let (k, a) = c.fit(rect.size(), 100.0).unwrap();
            assert_eq!(shape.texts[0].scale, k);
            assert!(
                (a.size.w * k - rect.w).abs() < 1e-6 || (a.size.h * k - rect.h).abs() < 1e-6,
                "{rect:?} at {k}"
            );
        }
    }

    #[test]
    fn wide_boxes_get_more_columns_and_tall_ones_one() {
        let c = card(6);
        let wide = placed(&c, Rect::new(0.0, 0.0, 8000.0, 400.0), 100.0);
        let tall = placed(&c, Rect::new(0.0, 0.0, 400.0, 8000.0), 100.0);
        let columns = |s: &Shape| {
            let mut xs: Vec<u64> = s.texts[1..].iter().map(|t| t.at.x.to_bits()).collect();
            xs.dedup();
            xs.len()
        };
        assert!(columns(&wide) > 1);
        assert_eq!(columns(&tall), 1);
        assert!(wide.texts[0].scale > 1.0 && tall.texts[0].scale > 1.0);
    }

    #[test]
    fn a_wide_low_box_puts_the_title_beside_the_facts() {
        let c = card(2);
        let shape = placed(&c, Rect::new(0.0, 0.0, 9000.0, 700.0), 100.0);
        assert_tree_invariants(&shape);
        let (title, facts) = (&shape.texts[0], &shape.texts[1..]);
        assert!(facts.iter().all(|t| t.at.x > title.at.x));
        assert!((facts[0].at.y - title.at.y).abs() < title.scale * 3.0);
    }

    #[test]
    fn the_richest_card_that_reads_is_picked() {
        let rich = card(6);
        let lean = card(1);
        let cards = [rich.clone(), lean.clone()];
        let room = Size::new(3000.0, 1500.0);
        let k_rich = rich.fit(room, 100.0).unwrap().0;
        let k_lean = lean.fit(room, 100.0).unwrap().0;
        assert!(k_lean > k_rich);
        assert_eq!(Card::pick(&cards, room, 100.0, k_rich), Some(&rich));
        assert_eq!(Card::pick(&cards, room, 100.0, k_rich * 1.01), Some(&lean));
        // None reads: the one that grows most.
        assert_eq!(Card::pick(&cards, room, 100.0, 1e9), Some(&lean));
        assert_eq!(Card::pick(&cards, Size::default(), 100.0, 1.0), None);
    }

    #[test]
    fn the_scale_is_capped_and_an_empty_box_gets_nothing() {
        let c = card(2);
        let shape = placed(&c, Rect::new(0.0, 0.0, 10_000.0, 10_000.0), 3.0);
        assert!(shape.texts.iter().all(|t| t.scale == 3.0));
        assert_eq!(c.fit(Size::new(0.0, 100.0), 5.0), None);
        let bare = Card {
            title: "x".into(),
            lines: Vec::new(),
            meter: None,
            icon: false,
        };
        let shape = placed(&bare, Rect::new(0.0, 0.0, 100.0, 50.0), 10.0);
        assert_tree_invariants(&shape);
        assert_eq!(shape.texts.len(), 1);
    }
}
