//! What eksplain names the files it writes: `three-azs-one-node-group.eksplain.svg` for a
//! diagram that carries its scenario (the page's SVG download and `eksplain render -o DIR/`),
//! as draw.io's `.drawio.svg` says "an image, and the document to open again". Pure, so the
//! page and the CLI share it.

use crate::scenario::Scenario;

/// The extension of an SVG that carries its scenario in `<metadata>`.
pub const SVG_EXTENSION: &str = "eksplain.svg";

/// A file name from the scenario's name, made file-safe (lower-case ASCII letters and digits,
/// runs of anything else as one `-`; `eksplain` when nothing is left): `NAME.extension`.
pub fn file_name(scenario: &Scenario, extension: &str) -> String {
    let mut slug = String::new();
    for c in scenario.name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    let slug = if slug.is_empty() { "eksplain" } else { slug };
    format!("{slug}.{extension}")
}

/// `NAME.eksplain.svg`: the name of the scenario's diagram as an SVG that opens again.
pub fn svg_file_name(scenario: &Scenario) -> String {
    file_name(scenario, SVG_EXTENSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_slugs() {
        let mut s = crate::scenario::default_scenario();
        s.name = "Three AZs, one node group".into();
        assert_eq!(file_name(&s, "png"), "three-azs-one-node-group.png");
        assert_eq!(svg_file_name(&s), "three-azs-one-node-group.eksplain.svg");
        s.name = "—".into();
        assert_eq!(file_name(&s, "png"), "eksplain.png");
        assert_eq!(svg_file_name(&s), "eksplain.eksplain.svg");
        // Nothing that leaves a directory or hides a file.
        s.name = "../../etc/passwd".into();
        assert_eq!(svg_file_name(&s), "etc-passwd.eksplain.svg");
        s.name = ".hidden".into();
        assert_eq!(svg_file_name(&s), "hidden.eksplain.svg");
    }
}
