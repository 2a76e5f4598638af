//! Zoom and pan as pure arithmetic on the SVG `viewBox`, so it is tested natively.
//!
//! The diagram's `<svg>` uses `preserveAspectRatio="xMidYMid meet"`; [`ViewBox::to_scene`]
//! maps a point of the element (CSS pixels from its top-left corner) to scene units under
//! that rule, and every operation first widens the box to the element's aspect so that the
//! mapping stays linear while zooming about the pointer.

use std::rc::Rc;

use yew::Reducible;

use super::svg::{Draw, Lod};
use crate::layout::{Detail, Point, Rect, Size};

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

/// Below this many CSS pixels per scene unit, the nodes of a huge scene are drawn as outlines
/// (their 10-unit text would be under 5 pixels high).
const OUTLINE_BELOW: f64 = 0.45;

/// What to draw of a scene seen through `vb` in an element of size `view` (`None` = not
/// measured yet). Small scenes ([`Detail::Cells`]) are always drawn whole, so the DOM holds
/// every shape; huge ones ([`Detail::Bars`]) are outlined when zoomed out and cut to the part
/// in view when zoomed in. The window snaps to tiles of a power-of-two size, so panning
/// redraws only when it crosses a tile.
pub fn draw_for(detail: Detail, vb: ViewBox, view: Option<Size>) -> Draw {
    if detail != Detail::Bars {
        return Draw::default();
    }
    let Some(view) = view.filter(|v| v.w > 0.0 && v.h > 0.0) else {
        return Draw {
            lod: Lod::Outline,
            window: None,
        };
    };
    if vb.scale(view) < OUTLINE_BELOW {
        return Draw {
            lod: Lod::Outline,
            window: None,
        };
    }
    let v = vb.visible(view).0;
    let tile = (v.w.max(v.h) / 2.0).max(1.0).log2().ceil().exp2();
    let x0 = (v.x / tile).floor() * tile - tile;
    let y0 = (v.y / tile).floor() * tile - tile;
    let x1 = (v.right() / tile).ceil() * tile + tile;
    let y1 = (v.bottom() / tile).ceil() * tile + tile;
    Draw {
        lod: Lod::Full,
        window: Some(Rect::new(x0, y0, x1 - x0, y1 - y0)),
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
        scene: Size,
    },
    /// Drag by CSS pixels.
    Pan {
        dx: f64,
        dy: f64,
        view: Size,
        scene: Size,
    },
    /// Bring a shape into view (a finding or a link selected something off screen).
    Reveal {
        target: Rect,
        view: Size,
        scene: Size,
    },
    /// Back to the whole scene.
    Fit,
}

/// The diagram's view: `None` until the user zooms or pans, and then the scene is always
/// shown whole (so an edit that grows the cluster stays in view).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct View {
    pub custom: Option<ViewBox>,
}

impl View {
    /// The box to draw for a scene of size `scene`.
    pub fn view_box(&self, scene: Size) -> ViewBox {
        self.custom.unwrap_or_else(|| ViewBox::whole(scene))
    }
}

impl Reducible for View {
    type Action = ViewAction;

    fn reduce(self: Rc<Self>, action: ViewAction) -> Rc<Self> {
        let next = match action {
            ViewAction::Fit => None,
            ViewAction::Zoom {
                factor,
                anchor,
                view,
                scene,
            } => {
                let anchor = anchor.unwrap_or(Point::new(view.w / 2.0, view.h / 2.0));
                Some(self.view_box(scene).zoom(view, scene, factor, anchor))
            }
            ViewAction::Pan {
                dx,
                dy,
                view,
                scene,
            } => Some(self.view_box(scene).pan(view, dx, dy)),
            // The whole scene is in view until the user zooms or pans.
            ViewAction::Reveal {
                target,
                view,
                scene,
            } => self
                .custom
                .map(|_| self.view_box(scene).reveal(view, target)),
        };
        if next == self.custom {
            self
        } else {
            Rc::new(View { custom: next })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Size = Size::new(800.0, 600.0);
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

    #[test]
    fn huge_scenes_are_outlined_far_away_and_windowed_close_up() {
        let whole = ViewBox::whole(SCENE);
        assert_eq!(draw_for(Detail::Cells, whole, Some(VIEW)), Draw::default());
        assert_eq!(draw_for(Detail::Bars, whole, None).lod, Lod::Outline);
        let big = Size::new(20_000.0, 12_000.0);
        assert_eq!(
            draw_for(Detail::Bars, ViewBox::whole(big), Some(VIEW)).lod,
            Lod::Outline
        );
        let close = ViewBox::whole(big).zoom(VIEW, big, 200.0, Point::new(400.0, 300.0));
        let draw = draw_for(Detail::Bars, close, Some(VIEW));
        assert_eq!(draw.lod, Lod::Full);
        let window = draw.window.unwrap();
        assert!(window.contains(&close.visible(VIEW).0));
        // A small pan stays in the same tiles.
        let panned = close.pan(VIEW, 3.0, 2.0);
        assert_eq!(draw_for(Detail::Bars, panned, Some(VIEW)), draw);
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
            scene: SCENE,
        });
        assert_eq!(*fitted, View::default());
    }

    fn close_to(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-6 && (a.y - b.y).abs() < 1e-6
    }

    #[test]
    fn the_reducer_starts_fitted_and_fits_again() {
        let view = Rc::new(View::default());
        assert_eq!(view.view_box(SCENE), ViewBox::whole(SCENE));
        let view = view.reduce(ViewAction::Zoom {
            factor: 2.0,
            anchor: None,
            view: VIEW,
            scene: SCENE,
        });
        assert!(view.custom.is_some());
        let view = view.reduce(ViewAction::Pan {
            dx: 5.0,
            dy: 5.0,
            view: VIEW,
            scene: SCENE,
        });
        assert!(view.custom.is_some());
        let view = view.reduce(ViewAction::Fit);
        assert_eq!(*view, View::default());
        assert!(ViewBox::whole(SCENE)
            .attr()
            .starts_with("-12.00 -12.00 1600.00"));
    }
}
