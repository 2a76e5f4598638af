//! The SVG of `eksplain render` drawn to a PNG natively, with resvg (pure Rust: usvg parses,
//! tiny-skia rasterises). Text uses the DejaVu fonts bundled in `data/fonts/` and nothing from
//! the machine, so every machine draws the same pixels; the stylesheet's font lists already
//! name them (`"DejaVu Sans"`, `"DejaVu Sans Mono"`), and every generic family falls back to
//! them too.

use std::sync::Arc;

use resvg::tiny_skia::{IntSize, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

/// Pixels per SVG unit: twice the diagram's size, as the page's Export PNG.
pub const SCALE: f32 = 2.0;

/// The most pixels a PNG is drawn with (32 Mpx, 128 MiB of RGBA; a 300-node cluster's diagram
/// at about 1.4×): a larger picture is drawn at a smaller scale instead of exhausting memory
/// and taking minutes.
pub const MAX_PIXELS: f64 = 32.0 * 1024.0 * 1024.0;

const SANS: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans.ttf");
/// Headings are `font-weight: 600`: without a bold face they would be drawn regular.
const SANS_BOLD: &[u8] = include_bytes!("../../../data/fonts/DejaVuSans-Bold.ttf");
const MONO: &[u8] = include_bytes!("../../../data/fonts/DejaVuSansMono.ttf");
const SANS_NAME: &str = "DejaVu Sans";

/// The bundled fonts, with every generic family (`sans-serif`, `monospace`, and `serif`,
/// usvg's last resort) mapped to them.
fn fonts() -> fontdb::Database {
    let mut db = fontdb::Database::new();
    db.load_font_data(SANS.to_vec());
    db.load_font_data(SANS_BOLD.to_vec());
    db.load_font_data(MONO.to_vec());
    db.set_sans_serif_family(SANS_NAME);
    db.set_serif_family(SANS_NAME);
    db.set_cursive_family(SANS_NAME);
    db.set_fantasy_family(SANS_NAME);
    db.set_monospace_family("DejaVu Sans Mono");
    db
}

/// The scale a picture of `width` × `height` SVG units is drawn at: [`SCALE`], or less when
/// that would pass [`MAX_PIXELS`].
pub fn scale_for(width: f32, height: f32) -> f32 {
    let area = f64::from(width) * f64::from(height);
    if area <= 0.0 {
        return SCALE;
    }
    let fit = (MAX_PIXELS / area).sqrt() as f32;
    SCALE.min(fit)
}

/// Rules for a still picture: the dot that moves along a traced flow (`animateMotion`, which
/// resvg does not play) would sit at the origin; the numbered stops show the path.
const STILL: &str = ".flow-dot { display: none; }";

/// The PNG of an SVG document; the error says why it could not be drawn.
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        fontdb: Arc::new(fonts()),
        font_family: SANS_NAME.to_string(),
        style_sheet: Some(STILL.to_string()),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options)
        .map_err(|e| format!("the SVG cannot be read for the PNG: {e}"))?;
    let size = tree.size();
    let scale = scale_for(size.width(), size.height());
    let pixels = IntSize::from_wh(
        (size.width() * scale).ceil() as u32,
        (size.height() * scale).ceil() as u32,
    )
    .ok_or("the picture has no size")?;
    let mut pixmap = Pixmap::new(pixels.width(), pixels.height())
        .ok_or_else(|| format!("cannot draw a {}×{} PNG", pixels.width(), pixels.height()))?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_fonts_answer_every_family() {
        let db = fonts();
        for family in [
            fontdb::Family::Name("DejaVu Sans"),
            fontdb::Family::Name("DejaVu Sans Mono"),
            fontdb::Family::SansSerif,
            fontdb::Family::Serif,
            fontdb::Family::Monospace,
        ] {
            let query = fontdb::Query {
                families: &[family],
                ..fontdb::Query::default()
            };
            assert!(db.query(&query).is_some(), "{family:?}");
        }
        let bold = fontdb::Query {
            families: &[fontdb::Family::SansSerif],
            weight: fontdb::Weight(600),
            ..fontdb::Query::default()
        };
        let face = db.face(db.query(&bold).unwrap()).unwrap();
        assert_eq!(face.weight, fontdb::Weight::BOLD);
    }

    #[test]
    fn huge_pictures_are_drawn_smaller() {
        assert_eq!(scale_for(1000.0, 800.0), SCALE);
        let s = scale_for(40_000.0, 30_000.0);
        assert!(s < 1.0);
        let pixels = f64::from(40_000.0 * s) * f64::from(30_000.0 * s);
        assert!(pixels <= MAX_PIXELS * 1.001, "{pixels}");
    }

    #[test]
    fn text_is_drawn_with_the_bundled_font() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="80" height="20"><text x="2" y="15" font-family="system-ui, sans-serif" font-size="14">Hello</text></svg>"#;
        let png = svg_to_png(svg).unwrap();
        let pixmap = Pixmap::decode_png(&png).unwrap();
        assert_eq!((pixmap.width(), pixmap.height()), (160, 40));
        let inked = pixmap.pixels().iter().filter(|p| p.alpha() > 0).count();
        assert!(inked > 50, "{inked} pixels drawn");
        assert!(svg_to_png("<svg").is_err());
    }
}
