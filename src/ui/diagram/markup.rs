//! [`Node`]: the diagram as a small element tree of our own — elements (a tag, an optional
//! key, attributes in order, children) and text — which the drawing code (`svg`, `icons`,
//! `scene_svg`, `traffic_overlay`) builds once and two sinks read:
//!
//! - [`Html`] (`From<Node>`): what the page mounts, the same `VTag`s, attributes and keys the
//!   `html!` macro made before, so Yew diffs the diagram as it always did;
//! - text ([`Node::write`]): what Export SVG and `eksplain render` write, in the format of Yew's
//!   server-side renderer (attributes in order, `"`-quoted and escaped, text escaped, every
//!   element closed), so the browser needs no server-side renderer to export.
//!
//! One drawing code, two outputs. Free of `web_sys`.
//!
//! As with `html!`, a `class` is written after the other attributes ([`Element::class`] is
//! called last), its classes split at whitespace, repeated ones dropped, and left out when
//! empty; a fragment ([`Node::List`]) keeps keyed siblings together, so Yew's keyed diff sees
//! the lists it saw before.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use yew::virtual_dom::{AttributeOrProperty, Attributes, VList, VNode, VTag, VText};
use yew::Html;

/// A piece of the drawing: an element, text, or a fragment of pieces side by side.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Text(Cow<'static, str>),
    List(Vec<Node>),
}

/// An element: its tag, its key (for Yew's diff; not written as text), its attributes in the
/// order they are written, and its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub tag: &'static str,
    pub key: Option<String>,
    pub attrs: Vec<(&'static str, Cow<'static, str>)>,
    pub children: Vec<Node>,
}

/// An element of tag `tag`, with nothing on it yet.
pub fn el(tag: &'static str) -> Element {
    Element {
        tag,
        key: None,
        attrs: Vec::new(),
        children: Vec::new(),
    }
}

/// Text content.
pub fn text(t: impl Into<Cow<'static, str>>) -> Node {
    Node::Text(t.into())
}

/// A fragment of the pieces of `nodes`.
pub fn list(nodes: impl IntoIterator<Item = Node>) -> Node {
    Node::List(nodes.into_iter().collect())
}

impl Default for Node {
    /// Nothing: an empty fragment.
    fn default() -> Self {
        Node::List(Vec::new())
    }
}

impl From<Element> for Node {
    fn from(e: Element) -> Self {
        Node::Element(e)
    }
}

impl FromIterator<Node> for Node {
    fn from_iter<I: IntoIterator<Item = Node>>(iter: I) -> Self {
        list(iter)
    }
}

impl Element {
    /// Its key, which Yew matches siblings by.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// An attribute, after those already on it.
    pub fn attr(mut self, name: &'static str, value: impl Into<Cow<'static, str>>) -> Self {
        self.attrs.push((name, value.into()));
        self
    }

    /// An attribute when `value` is `Some`.
    pub fn attr_opt(self, name: &'static str, value: Option<impl Into<Cow<'static, str>>>) -> Self {
        match value {
            Some(v) => self.attr(name, v),
            None => self,
        }
    }

    /// The `class` attribute from `parts` (as `classes!`: each split at whitespace, empty and
    /// repeated classes dropped, none at all no attribute).
    pub fn class(self, parts: &[&str]) -> Self {
        let mut classes: Vec<&str> = Vec::with_capacity(parts.len());
        for c in parts.iter().flat_map(|p| p.split_whitespace()) {
            if !classes.contains(&c) {
                classes.push(c);
            }
        }
        if classes.is_empty() {
            self
        } else {
            self.attr("class", classes.join(" "))
        }
    }

    /// A child, after those already in it.
    pub fn child(mut self, node: impl Into<Node>) -> Self {
        self.children.push(node.into());
        self
    }
}

impl Node {
    /// Elements (tags) in it: what the viewport weighs against its element budget.
    pub fn elements(&self) -> u32 {
        match self {
            Node::Element(e) => 1 + e.children.iter().map(Node::elements).sum::<u32>(),
            Node::List(nodes) => nodes.iter().map(Node::elements).sum(),
            Node::Text(_) => 0,
        }
    }

    /// Appends it as text to `out`, as Yew's server-side renderer wrote it.
    pub fn write(&self, out: &mut String) {
        self.write_in(out, Parent::Other);
    }

    /// It as text ([`Node::write`]).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write_in(&self, out: &mut String, parent: Parent) {
        match self {
            Node::Text(t) => match parent {
                Parent::Style => escape_style(t, out),
                Parent::Other => escape(t, false, out),
            },
            Node::List(nodes) => nodes.iter().for_each(|n| n.write_in(out, parent)),
            Node::Element(e) => {
                out.push('<');
                out.push_str(e.tag);
                for (name, value) in &e.attrs {
                    out.push(' ');
                    out.push_str(name);
                    out.push_str("=\"");
                    escape(value, true, out);
                    out.push('"');
                }
                out.push('>');
                let inside = if e.tag.eq_ignore_ascii_case("style") {
                    Parent::Style
                } else {
                    Parent::Other
                };
                e.children.iter().for_each(|n| n.write_in(out, inside));
                out.push_str("</");
                out.push_str(e.tag);
                out.push('>');
            }
        }
    }
}

/// What text is inside: a `<style>`'s is CSS, escaped differently.
#[derive(Clone, Copy)]
enum Parent {
    Style,
    Other,
}

/// `&`, `<`, `>` (and in an attribute `"`) as entities.
fn escape(s: &str, attribute: bool, out: &mut String) {
    let mut rest = s;
    while let Some(i) = rest.find(|c| matches!(c, '&' | '<' | '>') || (attribute && c == '"')) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// CSS inside `<style>`: a `\` after the `<` of `</style` (followed by `/`, `>` or white
/// space) and of `<!--`, so neither ends the element early (as `html_escape::encode_style`).
fn escape_style(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut from = 0;
    for (i, _) in s.match_indices('<') {
        let after = &b[i + 1..];
        let closes = after.len() >= 7
            && after[..6].eq_ignore_ascii_case(b"/style")
            && matches!(after[6], b'/' | b'>' | 9..=13 | 28..=32);
        if closes || after.starts_with(b"!--") {
            out.push_str(&s[from..=i]);
            out.push('\\');
            from = i + 1;
        }
    }
    out.push_str(&s[from..]);
}

impl From<Node> for Html {
    /// The page's virtual DOM of it: a `VTag` per element (its key, its attributes in order,
    /// its children), a `VText` per text, a `VList` per fragment.
    fn from(node: Node) -> Html {
        match node {
            Node::Text(t) => VNode::VText(VText::new(t)),
            Node::List(nodes) => VNode::from(VList::with_children(
                nodes.into_iter().map(Html::from).collect(),
                None,
            )),
            Node::Element(e) => {
                let mut tag = VTag::new(e.tag);
                tag.key = e.key.map(Into::into);
                let mut names = [""; 32];
                if e.attrs.len() <= names.len() {
                    // As `html!` does: the names a `'static` list, the values beside it.
                    for (slot, (name, _)) in names.iter_mut().zip(&e.attrs) {
                        *slot = name;
                    }
                    tag.set_attributes(Attributes::Dynamic {
                        keys: name_list(&names[..e.attrs.len()]),
                        values: e
                            .attrs
                            .into_iter()
                            .map(|(_, v)| Some(AttributeOrProperty::Attribute(v.into())))
                            .collect(),
                    });
                } else {
                    for (name, value) in e.attrs {
                        tag.add_attribute(name, value);
                    }
                }
                if !e.children.is_empty() {
                    tag.add_children(e.children.into_iter().map(Html::from));
                }
                tag.into()
            }
        }
    }
}

thread_local! {
    /// Each list of attribute names the drawing uses, kept once (a few dozen: one per way an
    /// element is drawn). Yew's `Attributes::Dynamic` wants its names `'static`, and diffs two
    /// elements whose lists are the same one value by value, without hashing a map.
    static NAME_LISTS: RefCell<HashMap<Box<[&'static str]>, &'static [&'static str]>> =
        RefCell::default();
}

/// `names` as a `'static` list: the one kept for it, made the first time it is asked for.
fn name_list(names: &[&'static str]) -> &'static [&'static str] {
    NAME_LISTS.with(|lists| {
        if let Some(list) = lists.borrow().get(names) {
            return *list;
        }
        let list: &'static [&'static str] = Box::leak(names.to_vec().into_boxed_slice());
        lists.borrow_mut().insert(names.into(), list);
        list
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_as_yew_ssr_escapes_it() {
        let n: Node = el("g")
            .attr("data-x", "a\"<b>&")
            .class(&["x y", "", "y", "z"])
            .child(text("1 < 2 & \"3\" > 0"))
            .child(el("style").child(text("a{} </style> <!-- </styles")))
            .into();
        assert_eq!(
            n.to_text(),
            "<g data-x=\"a&quot;&lt;b&gt;&amp;\" class=\"x y z\">1 &lt; 2 &amp; \"3\" &gt; 0\
             <style>a{} <\\/style> <\\!-- </styles</style></g>"
        );
        assert_eq!(n.elements(), 2);
        assert_eq!(el("g").class(&["", " "]).attrs, vec![]);
    }

    /// The two sinks agree: every gallery scenario's drawing (both views, its first flow
    /// traced over the network view, the standalone document around it), mounted as `Html`
    /// and rendered by Yew's server-side renderer, is the text [`Node::write`] writes. The
    /// page's DOM and the exported SVG are one drawing.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn html_rendered_by_yew_is_the_text_written() {
        use crate::pipeline::{picture, View, ViewOptions};

        #[derive(PartialEq, yew::Properties)]
        struct P {
            node: Node,
        }
        #[yew::function_component(Mount)]
        fn mount(p: &P) -> Html {
            p.node.clone().into()
        }
        let ssr = |node: &Node| {
            futures_executor::block_on(
                yew::LocalServerRenderer::<Mount>::with_props(P { node: node.clone() })
                    .hydratable(false)
                    .render(),
            )
        };
        for (stem, s) in crate::scenario::gallery_scenarios() {
            let flow = s.flows.first().map(|f| format!("{}->{}", f.from, f.to));
            for (view, flow) in [
                (View::Network, None),
                (View::Network, flow),
                (View::Architecture, None),
            ] {
                let options = ViewOptions {
                    view,
                    flow,
                    ..ViewOptions::default()
                };
                let pic = picture(&s, &options).unwrap();
                let drawing = list([
                    crate::ui::scene_svg::scene_markup(
                        &pic.scene,
                        crate::ui::svg::Draw::default(),
                        &[],
                    ),
                    crate::ui::traffic_overlay::overlay_markup(pic.path.as_ref()),
                ]);
                let document = crate::ui::standalone_svg::StandaloneSvg {
                    width: 10.0,
                    height: 10.0,
                    view,
                    theme: Default::default(),
                    title: "a <b> & \"c\"".into(),
                    description: s.description.clone(),
                    scenario_json: crate::scenario::to_json(&s),
                    css: crate::ui::standalone_svg::export_stylesheet(Default::default())
                        + "</style> <!--",
                }
                .markup(drawing);
                assert_eq!(ssr(&document), document.to_text(), "{stem}, {view:?}");
            }
        }
    }
}
