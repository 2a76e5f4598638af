//! Zoom and pan as pure arithmetic on the SVG `viewBox`, so it is tested natively.
//!
//! The diagram's `<svg>` uses `preserveAspectRatio="xMidYMid meet"`; [`ViewBox::to_scene`]
//! maps a point of the element (CSS pixels from its top-left corner) to scene units under
//! that rule, and every operation first widens the box to the element's aspect so that the
//! mapping stays linear while zooming about the pointer.

use std::rc::Rc;

use yew::{Classes, Reducible};

use crate::layout::text::font_size;
use crate::layout::{Detail, Kind, Point, Rect, Scene, Shape, Size, TextStyle};
use crate::ui::svg::{element_count, Draw, Lod};

/// Space around the scene when it is fitted to the element, in scene units.
const FIT_MARGIN: f64 = 12.0;
/// Closest zoom: 6 CSS pixels per scene unit.
const MAX_SCALE: f64 = 6.0;
/// Farthest zoom: the fitted view shrunk to a quarter.
const MIN_FIT_FRACTION: f64 = 0.25;

/// The part of the scene shown, in scene units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewBox(pub Rect);

impl ViewBox {
    /// The whole scene with a margin (the element's aspect does not matter: `meet` centres it).
    pub fn whole(scene: Size) -> ViewBox {
        ViewBox(Rect::new(
            -FIT_MARGIN,
            -FIT_MARGIN,
            scene.w + 2.0 * FIT_MARGIN,
            scene.h + 2.0 * FIT_MARGIN,
        ))
    }

    /// What the first view shows: `focus` (the VPC: what the user came to read, not the
    /// internet and control plane around it) with a margin, or the whole scene without one.
    /// In an element of size `view` too small to show all of it with its headings readable
    /// (under `min_scale` CSS pixels per scene unit: a phone, a panel open beside it), its
    /// top left part at `min_scale` (centred on an axis where it fits): what reads is better
    /// than all of it unread.
    pub fn home(scene: Size, focus: Option<Rect>, view: Option<Size>, min_scale: f64) -> ViewBox {
        let fit = match focus {
            Some(r) if r.w > 0.0 && r.h > 0.0 => Rect::new(
                r.x - FIT_MARGIN,
                r.y - FIT_MARGIN,
                r.w + 2.0 * FIT_MARGIN,
                r.h + 2.0 * FIT_MARGIN,
            ),
            _ => return ViewBox::whole(scene),
        };
        let Some(view) = view.filter(|v| v.w > 0.0 && v.h > 0.0) else {
            return ViewBox(fit);
        };
        if ViewBox(fit).scale(view) >= min_scale {
            return ViewBox(fit);
        }
        let (w, h) = (view.w / min_scale, view.h / min_scale);
        let c = fit.center();
        let x = if w >= fit.w { c.x - w / 2.0 } else { fit.x };
        let y = if h >= fit.h { c.y - h / 2.0 } else { fit.y };
        ViewBox(Rect::new(x, y, w, h))
    }

    /// The `viewBox` attribute value.
    pub fn attr(&self) -> String {
        let r = self.0;
        format!("{:.2} {:.2} {:.2} {:.2}", r.x, r.y, r.w, r.h)
    }

    /// CSS pixels per scene unit in an element of size `view`.
    pub fn scale(&self, view: Size) -> f64 {
        if self.0.w <= 0.0 || self.0.h <= 0.0 || view.w <= 0.0 || view.h <= 0.0 {
            return 1.0;
        }
        (view.w / self.0.w).min(view.h / self.0.h)
    }

    /// The box actually visible in an element of size `view` (`meet` shows more on one axis).
    pub fn visible(&self, view: Size) -> ViewBox {
        let k = self.scale(view);
        let (w, h) = (view.w / k, view.h / k);
        let c = self.0.center();
        ViewBox(Rect::new(c.x - w / 2.0, c.y - h / 2.0, w, h))
    }

    /// The scene point under element point `local`.
    pub fn to_scene(&self, view: Size, local: Point) -> Point {
        let v = self.visible(view).0;
        let k = self.scale(view);
        Point::new(v.x + local.x / k, v.y + local.y / k)
    }

    /// Zoomed in by `factor` (> 1 = closer) keeping `anchor` (element point) still; the scale
    /// stays between a quarter of the fitted view and [`MAX_SCALE`].
    pub fn zoom(&self, view: Size, scene: Size, factor: f64, anchor: Point) -> ViewBox {
        let v = self.visible(view);
        let k = v.scale(view);
        let lowest = ViewBox::whole(scene).scale(view) * MIN_FIT_FRACTION;
        let target = (k * factor).clamp(lowest.min(MAX_SCALE), MAX_SCALE);
        let f = target / k;
        if !f.is_finite() || f <= 0.0 {
            return *self;
        }
        let p = v.to_scene(view, anchor);
        let r = v.0;
        ViewBox(Rect::new(
            p.x - (p.x - r.x) / f,
            p.y - (p.y - r.y) / f,
            r.w / f,
            r.h / f,
        ))
    }

    /// Moved so the scene follows a drag of `(dx, dy)` CSS pixels.
    pub fn pan(&self, view: Size, dx: f64, dy: f64) -> ViewBox {
        let v = self.visible(view);
        let k = v.scale(view);
        ViewBox(v.0.translated(-dx / k, -dy / k))
    }

    /// Centred on `target` at the same zoom when none of it is in view; else unchanged.
    pub fn reveal(&self, view: Size, target: Rect) -> ViewBox {
        let v = self.visible(view);
        if v.0.overlaps(&target) {
            return *self;
        }
        let (c, t) = (v.0.center(), target.center());
        ViewBox(v.0.translated(t.x - c.x, t.y - c.y))
    }
}

/// SVG elements the diagram of a huge scene holds at most: the scene drawn, and what is drawn
/// over it (load balancers, the traced flow).
pub const ELEMENT_BUDGET: u32 = 3_500;
/// Below this many CSS pixels per scene unit, a huge scene is drawn as its summary: the text
/// of its nodes would be under 5 pixels high.
pub const DETAIL_SCALE: f64 = 0.4;
/// The zoom a search brings a node to, and the closest a click on a summary zooms.
const FOCUS_SCALE: f64 = 1.0;
/// The farthest a click on a summary zooms: close enough for its nodes' names to read.
const FOCUS_MIN: f64 = 0.7;

/// The zoom level summaries are made for at `scale` CSS pixels per scene unit: levels are
/// half an octave apart (level `n` is made for 2^(n/2)), so text drawn for a level is seen
/// at 1 to 1.41 times its size, and zooming makes a new summary scene once per level.
pub fn summary_level(scale: f64) -> i8 {
    if !(scale.is_finite() && scale > 0.0) {
        return 0;
    }
    (2.0 * scale.log2()).floor().clamp(-60.0, 10.0) as i8
}

/// The scale the summaries of `level` are made for.
pub fn summary_scale(level: i8) -> f64 {
    (f64::from(level) / 2.0).exp2()
}

/// What the viewport weighs when it decides how much of a huge scene to draw: each node's
/// box and how many elements it draws, and how many everything else draws. Built once per
/// scene; deciding is then one pass over the nodes' boxes, not over their contents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SceneCost {
    /// The scene is cut to the part in view and summarised when zoomed out
    /// ([`Detail::Bars`]); smaller scenes are always drawn whole.
    pub culled: bool,
    /// The scene's size.
    pub size: Size,
    /// Elements of everything but the nodes.
    pub base: u32,
    /// Each node's box and elements.
    pub nodes: Vec<(Rect, u32)>,
}

impl SceneCost {
    pub fn new(scene: &Scene) -> SceneCost {
        fn nodes(s: &Shape, out: &mut Vec<(Rect, u32)>) {
            if s.kind == Kind::Node {
                out.push((s.rect, element_count(s, Draw::default())));
            } else {
                s.children.iter().for_each(|c| nodes(c, out));
            }
        }
        let mut out = Vec::new();
        scene.shapes.iter().for_each(|s| nodes(s, &mut out));
        // A window that holds no node counts everything else.
        let none = Draw {
            lod: Lod::Full,
            window: Some(Rect::new(f64::MIN / 4.0, f64::MIN / 4.0, 0.0, 0.0)),
        };
        let shapes: u32 = scene
            .shapes
            .iter()
            .chain(&scene.overlay)
            .map(|s| element_count(s, none))
            .sum();
        SceneCost {
            culled: scene.detail == Detail::Bars,
            size: scene.size,
            // The scene's group, the edges' and the overlay's groups, and the edges.
            base: shapes + 3 + scene.edges.len() as u32,
            nodes: out,
        }
    }

    /// Elements drawn with the nodes that overlap `window`.
    pub fn in_window(&self, window: Rect) -> u32 {
        self.base
            + self
                .nodes
                .iter()
                .filter(|(r, _)| r.overlaps(&window))
                .map(|(_, n)| n)
                .sum::<u32>()
    }
}

/// What to draw of a scene seen through `vb` in an element of size `view` (`None` = not
/// measured yet), with room for `budget` elements. Small scenes are always drawn whole, so
/// the DOM holds every shape. Huge ones are drawn in full, cut to the part in view, only when
/// close enough to read and when that part fits the budget; otherwise as their summary. The
/// window snaps to tiles of a power-of-two size, so panning redraws only when it crosses a
/// tile.
pub fn draw_for(cost: &SceneCost, vb: ViewBox, view: Option<Size>, budget: u32) -> Draw {
    let summary = |scale: f64| Draw {
        lod: Lod::Summary(summary_level(scale)),
        window: None,
    };
    if !cost.culled {
        return Draw::default();
    }
    let Some(view) = view.filter(|v| v.w > 0.0 && v.h > 0.0) else {
        return summary(crate::layout::reference_scale(cost.size));
    };
    let scale = vb.scale(view);
    if scale < DETAIL_SCALE {
        return summary(scale);
    }
    let v = vb.visible(view).0;
    let tile = (v.w.max(v.h) / 8.0).max(1.0).log2().ceil().exp2();
    let x0 = (v.x / tile).floor() * tile;
    let y0 = (v.y / tile).floor() * tile;
    let x1 = (v.right() / tile).ceil() * tile;
    let y1 = (v.bottom() / tile).ceil() * tile;
    let window = Rect::new(x0, y0, x1 - x0, y1 - y0);
    if cost.in_window(window) > budget {
        return summary(scale);
    }
    Draw {
        lod: Lod::Full,
        window: Some(window),
    }
}

/// The view that shows `target` in detail: the current one when `target` is already drawn
/// in full and in view; else one centred on it, as close as [`FOCUS_SCALE`] or as far as
/// fits it whole (but never below [`FOCUS_MIN`]), then closer still until the part in view
/// fits the element budget.
pub fn focus(cost: &SceneCost, current: ViewBox, view: Size, target: Rect, budget: u32) -> ViewBox {
    if view.w <= 0.0 || view.h <= 0.0 {
        return current;
    }
    let now = draw_for(cost, current, Some(view), budget);
    if now.lod == Lod::Full && current.visible(view).0.overlaps(&target) {
        return current;
    }
    let fit = (view.w / (target.w * 1.1)).min(view.h / (target.h * 1.1));
    let mut k = fit.clamp(FOCUS_MIN, FOCUS_SCALE);
    let c = target.center();
    loop {
        let (w, h) = (view.w / k, view.h / k);
        let vb = ViewBox(Rect::new(c.x - w / 2.0, c.y - h / 2.0, w, h));
        if k >= MAX_SCALE || draw_for(cost, vb, Some(view), budget).lod == Lod::Full {
            return vb;
        }
        k = (k * 1.25).min(MAX_SCALE);
    }
}

/// What a view is of: the scene's size (zooming out stops at a quarter of it fitted) and
/// what its first view shows ([`ViewBox::home`]: `focus`, no farther than `min_scale`), which
/// Fit returns to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    pub scene: Size,
    pub focus: Option<Rect>,
    pub min_scale: f64,
}

impl Bounds {
    /// The whole scene is the first view (the architecture view, tests).
    pub fn whole(scene: Size) -> Bounds {
        Bounds {
            scene,
            focus: None,
            min_scale: 0.0,
        }
    }

    /// The first view in an element of size `view` (`None`: not measured yet).
    pub fn home(&self, view: Option<Size>) -> ViewBox {
        ViewBox::home(self.scene, self.focus, view, self.min_scale)
    }
}

/// What the user did to the view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewAction {
    /// Zoom by `factor` about `anchor` (element point; `None` = the centre).
    Zoom {
        factor: f64,
        anchor: Option<Point>,
        view: Size,
        bounds: Bounds,
    },
    /// Drag by CSS pixels.
    Pan {
        dx: f64,
        dy: f64,
        view: Size,
        bounds: Bounds,
    },
    /// Bring a shape into view (a finding, a link or the keyboard selected something off
    /// screen).
    Reveal {
        target: Rect,
        view: Size,
        bounds: Bounds,
    },
    /// Show this box (a search or a click on a summary zoomed to its target).
    Show(ViewBox),
    /// Back to the first view.
    Fit,
}

/// The diagram's view: `None` until the user zooms, pans or moves the keyboard off screen,
/// and then the home box ([`Bounds::home`]) is shown (so an edit that grows the cluster
/// stays in view).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct View {
    pub custom: Option<ViewBox>,
}

impl View {
    /// The box to draw, `home` unless the user moved.
    pub fn view_box(&self, home: ViewBox) -> ViewBox {
        self.custom.unwrap_or(home)
    }
}

impl Reducible for View {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let next = match action {
            ViewAction::Fit => None,
            ViewAction::Show(vb) => Some(vb),
            ViewAction::Zoom {
                factor,
                anchor,
                view,
                bounds,
            } => {
                let anchor = anchor.unwrap_or(Point::new(view.w / 2.0, view.h / 2.0));
                Some(self.view_box(bounds.home(Some(view))).zoom(
                    view,
                    bounds.scene,
                    factor,
                    anchor,
                ))
            }
            ViewAction::Pan {
                dx,
                dy,
                view,
                bounds,
            } => Some(self.view_box(bounds.home(Some(view))).pan(view, dx, dy)),
            // Moved only when none of the target is in view.
            ViewAction::Reveal {
                target,
                view,
                bounds,
            } => {
                let now = self.view_box(bounds.home(Some(view)));
                let moved = now.reveal(view, target);
                if moved == now {
                    self.custom
                } else {
                    Some(moved)
                }
            }
        };
        if next == self.custom {
            self
        } else {
            Rc::new(View { custom: next })
        }
    }
}

/// The smallest text the diagram shows, in CSS pixels: text that would be drawn smaller at
/// the current zoom is hidden until the user zooms in.
pub const MIN_TEXT_PX: f64 = 11.0;

/// The closest the first view is fitted: the names of subnets, nodes and gateways (the
/// layout's headings) read at [`MIN_TEXT_PX`].
pub const HOME_MIN_SCALE: f64 = MIN_TEXT_PX / font_size(TextStyle::Heading);

/// The diagram's kinds of text, by the class that hides them (`hide-<class>` on the
/// `<svg>`, see diagram.css) and their size in scene units: the layout's styles
/// (`layout::text::font_size`, which diagram.css matches), a finding badge's glyph and a
/// traced flow's stop numbers.
const TEXT_SIZES: [(&str, f64); 12] = [
    ("t-title", font_size(TextStyle::Title)),
    ("t-heading", font_size(TextStyle::Heading)),
    ("t-body", font_size(TextStyle::Body)),
    ("t-mono", font_size(TextStyle::Mono)),
    ("t-muted", font_size(TextStyle::Muted)),
    ("t-tag", font_size(TextStyle::Tag)),
    ("t-cell", font_size(TextStyle::Cell)),
    ("t-alert", font_size(TextStyle::Alert)),
    ("t-chip", font_size(TextStyle::Chip)),
    ("t-row", font_size(TextStyle::Row)),
    ("badge", 10.0),
    ("flow-stop", 8.0),
];

/// The `hide-…` classes of the text that would read smaller than [`MIN_TEXT_PX`] at `scale`
/// CSS pixels per scene unit (level of detail for labels: zooming in shows them again).
pub fn unreadable_text(scale: f64) -> Classes {
    let mut out = Classes::new();
    for (class, size) in TEXT_SIZES {
        // A thousandth of a pixel of slack: a fitted scale is computed, not typed.
        if size * scale < MIN_TEXT_PX - 1e-3 {
            out.push(format!("hide-{class}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Size = Size::new(800.0, 600.0);
    const B: u32 = ELEMENT_BUDGET;
    const SCENE: Size = Size::new(1576.0, 1176.0);

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6
    }

    #[test]
    fn meet_maps_the_centre_to_the_centre() {
        let vb = ViewBox::whole(SCENE);
        let c = vb.to_scene(VIEW, Point::new(400.0, 300.0));
        assert!(close(c, vb.0.center()));
        assert!(vb.scale(VIEW) < 1.0);
    }

    #[test]
    fn zoom_keeps_the_anchor_still() {
        let vb = ViewBox::whole(SCENE);
        let anchor = Point::new(130.0, 470.0);
        let before = vb.to_scene(VIEW, anchor);
        let zoomed = vb.zoom(VIEW, SCENE, 2.0, anchor);
        assert!(close(zoomed.to_scene(VIEW, anchor), before));
        assert!((zoomed.scale(VIEW) / vb.scale(VIEW) - 2.0).abs() < 1e-9);
    }

    #[test]
    fn zoom_is_clamped() {
        let mut vb = ViewBox::whole(SCENE);
        for _ in 0..100 {
            vb = vb.zoom(VIEW, SCENE, 2.0, Point::new(10.0, 10.0));
        }
        assert!((vb.scale(VIEW) - MAX_SCALE).abs() < 1e-9);
        for _ in 0..100 {
            vb = vb.zoom(VIEW, SCENE, 0.5, Point::new(10.0, 10.0));
        }
        let lowest = ViewBox::whole(SCENE).scale(VIEW) * MIN_FIT_FRACTION;
        assert!((vb.scale(VIEW) - lowest).abs() < 1e-9);
    }

    #[test]
    fn pan_follows_the_pointer() {
        let vb = ViewBox::whole(SCENE).zoom(VIEW, SCENE, 3.0, Point::new(400.0, 300.0));
        let grabbed = vb.to_scene(VIEW, Point::new(100.0, 100.0));
        let moved = vb.pan(VIEW, 50.0, -20.0);
        assert!(close(
            moved.to_scene(VIEW, Point::new(150.0, 80.0)),
            grabbed
        ));
    }

    /// A huge scene's cost: 5,000 nodes of 32 elements in a grid, like `eksplain example
    /// --nodes 5000` drawn with bars.
    fn grid_cost() -> (SceneCost, Size) {
        let nodes = (0..5000)
            .map(|i| {
                let (col, row) = (f64::from(i % 70), f64::from(i / 70));
                (Rect::new(col * 361.0, row * 219.0, 351.0, 209.0), 32)
            })
            .collect();
        let cost = SceneCost {
            culled: true,
            size: Size::new(70.0 * 361.0, 72.0 * 219.0),
            base: 400,
            nodes,
        };
        (cost, Size::new(70.0 * 361.0, 72.0 * 219.0))
    }

    #[test]
    fn huge_scenes_are_summarised_far_away_and_windowed_close_up() {
        let small = SceneCost::default();
        let whole = ViewBox::whole(SCENE);
        assert_eq!(draw_for(&small, whole, Some(VIEW), B), Draw::default());
        let (cost, big) = grid_cost();
        assert!(matches!(
            draw_for(&cost, whole, None, B).lod,
            Lod::Summary(_)
        ));
        // Fitted, the summaries are made for the fitted scale's level.
        let fitted = ViewBox::whole(big);
        assert_eq!(
            draw_for(&cost, fitted, Some(VIEW), B).lod,
            Lod::Summary(summary_level(fitted.scale(VIEW)))
        );
        let close = ViewBox::whole(big).zoom(VIEW, big, 40.0, Point::new(400.0, 300.0));
        assert!(close.scale(VIEW) > DETAIL_SCALE);
        let draw = draw_for(&cost, close, Some(VIEW), B);
        assert_eq!(draw.lod, Lod::Full);
        let window = draw.window.unwrap();
        assert!(window.contains(&close.visible(VIEW).0));
        assert!(cost.in_window(window) <= B);
        // With less room (more drawn over the scene), the same view is summarised.
        assert!(matches!(
            draw_for(&cost, close, Some(VIEW), 500).lod,
            Lod::Summary(_)
        ));
        // A small pan stays in the same tiles.
        let panned = close.pan(VIEW, 3.0, 2.0);
        assert_eq!(draw_for(&cost, panned, Some(VIEW), B), draw);
        // Close enough to read, but a huge screen would hold too many nodes.
        let wall = Size::new(7680.0, 4320.0);
        let vb = ViewBox(Rect::new(0.0, 0.0, wall.w / 0.5, wall.h / 0.5));
        assert!(matches!(
            draw_for(&cost, vb, Some(wall), B).lod,
            Lod::Summary(_)
        ));
    }

    #[test]
    fn summary_levels_are_half_octaves() {
        for scale in [0.03, 0.0324, 0.1, 0.35, 1.0] {
            let level = summary_level(scale);
            let made_for = summary_scale(level);
            assert!(made_for <= scale && scale < made_for * 2f64.sqrt() + 1e-12);
        }
        assert_eq!(summary_level(0.25), -4);
        assert_eq!(summary_level(f64::NAN), 0);
        assert_eq!(summary_level(-1.0), 0);
        assert_eq!(summary_level(1e-300), -60);
    }

    #[test]
    fn focus_zooms_to_a_target_until_it_is_drawn_in_full() {
        let (cost, big) = grid_cost();
        let whole = ViewBox::whole(big);
        let node = cost.nodes[2345].0;
        let vb = focus(&cost, whole, VIEW, node, B);
        let draw = draw_for(&cost, vb, Some(VIEW), B);
        assert_eq!(draw.lod, Lod::Full);
        assert!(vb.visible(VIEW).0.contains(&node));
        assert!(close_to(vb.visible(VIEW).0.center(), node.center()));
        // Already in view and in full: nothing moves.
        assert_eq!(focus(&cost, vb, VIEW, node, B), vb);
        // A wide band (a summary): zoomed in on its middle, in full, close enough to read.
        let band = Rect::new(0.0, 2000.0, 70.0 * 361.0, 1200.0);
        let vb = focus(&cost, whole, VIEW, band, B);
        assert_eq!(draw_for(&cost, vb, Some(VIEW), B).lod, Lod::Full);
        assert!(vb.scale(VIEW) >= FOCUS_MIN - 1e-9);
        assert!(close_to(vb.visible(VIEW).0.center(), band.center()));
        // An unmeasured view leaves the view alone.
        assert_eq!(focus(&cost, whole, Size::default(), band, B), whole);
    }

    #[test]
    fn the_cost_of_a_scene_counts_its_nodes_apart() {
        let cluster = crate::model::build(&crate::scenario::scale_scenario(300)).unwrap();
        let scene = crate::layout::layout(&cluster);
        let cost = SceneCost::new(&scene);
        assert!(cost.culled);
        assert_eq!(cost.nodes.len(), 300);
        let all: u32 = scene
            .shapes
            .iter()
            .chain(&scene.overlay)
            .map(|s| element_count(s, Draw::default()))
            .sum();
        let nodes: u32 = cost.nodes.iter().map(|(_, n)| n).sum();
        assert_eq!(cost.base, all - nodes + 3 + scene.edges.len() as u32);
        assert_eq!(cost.in_window(scene.bounds()), cost.base + nodes);
    }

    #[test]
    fn reveal_centres_a_shape_out_of_view_and_leaves_visible_ones() {
        let close = ViewBox::whole(SCENE).zoom(VIEW, SCENE, 4.0, Point::new(0.0, 0.0));
        let seen = Rect::new(
            close.visible(VIEW).0.x + 1.0,
            close.visible(VIEW).0.y + 1.0,
            5.0,
            5.0,
        );
        assert_eq!(close.reveal(VIEW, seen), close);
        let far = Rect::new(1400.0, 1000.0, 40.0, 20.0);
        let moved = close.reveal(VIEW, far);
        let c = moved.visible(VIEW).0.center();
        assert!(close_to(c, far.center()), "{c:?}");
        assert!((moved.scale(VIEW) - close.scale(VIEW)).abs() < 1e-9);
        // Fitted, the reducer does nothing: everything is already in view.
        let fitted = Rc::new(View::default()).reduce(ViewAction::Reveal {
            target: far,
            view: VIEW,
            bounds: Bounds::whole(SCENE),
        });
        assert_eq!(*fitted, View::default());
    }

    fn close_to(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6
    }

    #[test]
    fn the_reducer_starts_fitted_and_fits_again() {
        let view = Rc::new(View::default());
        assert_eq!(view.view_box(ViewBox::whole(SCENE)), ViewBox::whole(SCENE));
        let view = view.reduce(ViewAction::Zoom {
            factor: 2.0,
            anchor: None,
            view: VIEW,
            bounds: Bounds::whole(SCENE),
        });
        assert!(view.custom.is_some());
        let view = view.reduce(ViewAction::Pan {
            dx: 5.0,
            dy: 5.0,
            view: VIEW,
            bounds: Bounds::whole(SCENE),
        });
        assert!(view.custom.is_some());
        let view = view.reduce(ViewAction::Fit);
        assert_eq!(*view, View::default());
        assert!(ViewBox::whole(SCENE)
            .attr()
            .starts_with("-12.00 -12.00 1600.00"));
    }

    #[test]
    fn the_first_view_is_the_focus_with_a_margin() {
        let vpc = Rect::new(100.0, 200.0, 800.0, 500.0);
        let home = ViewBox::home(SCENE, Some(vpc), Some(VIEW), HOME_MIN_SCALE);
        assert_eq!(home.0, Rect::new(88.0, 188.0, 824.0, 524.0));
        assert!(home.scale(VIEW) >= HOME_MIN_SCALE);
        assert_eq!(
            ViewBox::home(SCENE, None, Some(VIEW), 1.0),
            ViewBox::whole(SCENE)
        );
        assert_eq!(ViewBox::home(SCENE, Some(vpc), None, 1.0), home);
        // A phone: the focus's left at the smallest readable scale, centred on the axis
        // where it fits.
        let phone = Size::new(390.0, 790.0);
        let top_left = ViewBox::home(SCENE, Some(vpc), Some(phone), HOME_MIN_SCALE);
        assert!((top_left.scale(phone) - HOME_MIN_SCALE).abs() < 1e-9);
        assert_eq!(top_left.0.x, 88.0);
        assert!((top_left.0.center().y - vpc.center().y).abs() < 1e-9);
        let wide = Size::new(1000.0, 300.0);
        let across = ViewBox::home(SCENE, Some(vpc), Some(wide), HOME_MIN_SCALE);
        assert!((across.0.center().x - vpc.center().x).abs() < 1e-9);
        assert_eq!(across.0.y, 188.0);
        // A reveal at home moves only for what is out of view, and Fit comes back home.
        let bounds = Bounds {
            scene: SCENE,
            focus: Some(vpc),
            min_scale: HOME_MIN_SCALE,
        };
        assert_eq!(bounds.home(Some(VIEW)), home);
        let view = Rc::new(View::default());
        let same = view.clone().reduce(ViewAction::Reveal {
            target: Rect::new(120.0, 220.0, 10.0, 10.0),
            view: VIEW,
            bounds,
        });
        assert!(Rc::ptr_eq(&view, &same));
        let moved = view.reduce(ViewAction::Reveal {
            target: Rect::new(1400.0, 1100.0, 10.0, 10.0),
            view: VIEW,
            bounds,
        });
        assert!(moved.custom.is_some());
        assert_eq!(moved.reduce(ViewAction::Fit).view_box(home), home);
    }

    #[test]
    fn text_too_small_to_read_is_hidden_until_zoomed_in() {
        let names = |scale: f64| -> Vec<String> {
            unreadable_text(scale)
                .to_string()
                .split_whitespace()
                .map(String::from)
                .collect()
        };
        // At 1:1 only the styles under 11 px go; at 0.5 all of them; from 11/8 none.
        assert_eq!(
            names(1.0),
            [
                "hide-t-muted",
                "hide-t-tag",
                "hide-t-cell",
                "hide-t-alert",
                "hide-t-chip",
                "hide-t-row",
                "hide-badge",
                "hide-flow-stop"
            ]
        );
        assert_eq!(names(0.5).len(), TEXT_SIZES.len());
        assert!(names(11.0 / 8.0).is_empty());
        // What stays shown reads at 11 px or more.
        for scale in [0.3, 0.8, 0.9, 1.0, 1.2] {
            let hidden = names(scale);
            for (class, size) in TEXT_SIZES {
                if !hidden.contains(&format!("hide-{class}")) {
                    assert!(size * scale >= MIN_TEXT_PX - 1e-3, "{class} at {scale}");
                }
            }
        }
    }
}
