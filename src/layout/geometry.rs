//! Points, sizes and rectangles in scene units (1 unit = 1 CSS pixel at zoom 1).

/// A point in scene coordinates; y grows downwards, as in SVG.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub const fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// A width and a height.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Size {
    pub w: f64,
    pub h: f64,
}

impl Size {
    pub const fn new(w: f64, h: f64) -> Size {
        Size { w, h }
    }
}

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Tolerance for comparing coordinates built from sums of floats.
const EPSILON: f64 = 1e-6;

impl Rect {
    pub const fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn at(origin: Point, size: Size) -> Rect {
        Rect::new(origin.x, origin.y, size.w, size.h)
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn size(&self) -> Size {
        Size::new(self.w, self.h)
    }

    /// The same size, moved by `(dx, dy)`.
    pub fn translated(&self, dx: f64, dy: f64) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }

    /// Shrunk by `d` on every side (grown when `d` is negative).
    pub fn inset(&self, d: f64) -> Rect {
        Rect::new(
            self.x + d,
            self.y + d,
            (self.w - 2.0 * d).max(0.0),
            (self.h - 2.0 * d).max(0.0),
        )
    }

    /// `other` lies entirely within `self` (edges may touch).
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - EPSILON
            && other.y >= self.y - EPSILON
            && other.right() <= self.right() + EPSILON
            && other.bottom() <= self.bottom() + EPSILON
    }

    pub fn contains_point(&self, p: Point) -> bool {
        p.x >= self.x - EPSILON
            && p.y >= self.y - EPSILON
            && p.x <= self.right() + EPSILON
            && p.y <= self.bottom() + EPSILON
    }

    /// The two share some area (touching edges do not count).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() - EPSILON
            && other.x < self.right() - EPSILON
            && self.y < other.bottom() - EPSILON
            && other.y < self.bottom() - EPSILON
    }

    /// The smallest rectangle holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect::new(
            x,
            y,
            self.right().max(other.right()) - x,
            self.bottom().max(other.bottom()) - y,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containment_allows_touching_edges() {
        let outer = Rect::new(0.0, 0.0, 100.0, 50.0);
        assert!(outer.contains(&Rect::new(0.0, 0.0, 100.0, 50.0)));
        assert!(outer.contains(&Rect::new(10.0, 10.0, 20.0, 20.0)));
        assert!(!outer.contains(&Rect::new(90.0, 10.0, 20.0, 20.0)));
    }

    #[test]
    fn touching_rectangles_do_not_overlap() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(!a.overlaps(&Rect::new(10.0, 0.0, 10.0, 10.0)));
        assert!(a.overlaps(&Rect::new(9.0, 9.0, 10.0, 10.0)));
        assert!(!a.overlaps(&Rect::new(0.0, 10.0, 10.0, 10.0)));
    }

    #[test]
    fn union_inset_and_center() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        let b = Rect::new(20.0, 5.0, 10.0, 10.0);
        assert_eq!(a.union(&b), Rect::new(0.0, 0.0, 30.0, 15.0));
        assert_eq!(a.inset(2.0), Rect::new(2.0, 2.0, 6.0, 6.0));
        assert_eq!(b.center(), Point::new(25.0, 10.0));
        assert_eq!(a.inset(20.0).size(), Size::new(0.0, 0.0));
        assert!(a.contains_point(Point::new(10.0, 10.0)));
    }
}
