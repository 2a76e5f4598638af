//! The one pipeline: a scenario and [`ViewOptions`] in, the built cluster, the scene its view
//! draws and the trace of the chosen flow out ([`picture`]). The page, `embed.html`, the
//! page's Export SVG/PNG and `eksplain render` all go through it, so each draws the same
//! picture for the same options.
//!
//! The stages are public one by one too ([`build`], [`scene`], [`trace`]): the page rebuilds
//! incrementally (`ui::workspace`, `ui::reuse`) and calls them separately, keeping what an
//! edit did not change.
//!
//! The choices of each option (`view`, `theme`) are written once, here: the CLI's flags, the
//! embed page's query and their error messages all read them from [`View::ALL`] and
//! [`Theme::ALL`].
//!
//! Pure and web-free (tests/layering.rs): it compiles natively and to wasm.

use std::fmt;
use std::str::FromStr;

use crate::layout::{trace_path, Scene, TracePath};
use crate::model::traffic::{Flow, Trace, Tracer};
use crate::model::Cluster;
use crate::scenario::{Problem, Scenario};

/// Which picture of the cluster is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum View {
    /// The network diagram: VPC, subnets, nodes, ENIs, addresses, load balancers.
    #[default]
    Network,
    /// The Kubernetes components: control plane, node agents and the paths between them.
    Architecture,
}

impl View {
    pub const ALL: [View; 2] = [View::Network, View::Architecture];

    /// The name used in flags, query strings and `data-view`.
    pub fn name(self) -> &'static str {
        match self {
            View::Network => "network",
            View::Architecture => "architecture",
        }
    }
}

/// A colour theme pinned on the picture (else the reader's system theme, or light in a file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 2] = [Theme::Light, Theme::Dark];

    /// The name used in flags, query strings and `data-theme`.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// A value that is none of an option's choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownChoice {
    /// The option: `view`, `theme`.
    pub option: &'static str,
    pub value: String,
    pub choices: Vec<&'static str>,
}

impl fmt::Display for UnknownChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} \"{}\": choose {}",
            self.option,
            short(&self.value),
            one_of(&self.choices)
        )
    }
}

impl std::error::Error for UnknownChoice {}

/// `a`, `a or b`, `a, b or c`.
fn one_of(choices: &[&str]) -> String {
    match choices {
        [] => String::new(),
        [only] => only.to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// At most 60 characters of a value echoed back in a message (input may be hostile or huge).
fn short(value: &str) -> String {
    const MAX: usize = 60;
    if value.chars().count() <= MAX {
        value.to_string()
    } else {
        format!("{}…", value.chars().take(MAX).collect::<String>())
    }
}

/// Parses one of `all` by its `name`, case-sensitively and trimmed.
fn choose<T: Copy>(
    option: &'static str,
    value: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<T, UnknownChoice> {
    all.iter()
        .copied()
        .find(|&c| name(c) == value.trim())
        .ok_or_else(|| UnknownChoice {
            option,
            value: value.to_string(),
            choices: all.iter().map(|&c| name(c)).collect(),
        })
}

impl FromStr for View {
    type Err = UnknownChoice;

    fn from_str(value: &str) -> Result<View, UnknownChoice> {
        choose("view", value, &View::ALL, View::name)
    }
}

impl FromStr for Theme {
    type Err = UnknownChoice;

    fn from_str(value: &str) -> Result<Theme, UnknownChoice> {
        choose("theme", value, &Theme::ALL, Theme::name)
    }
}

impl fmt::Display for View {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to draw of a scenario: the view, the flow traced over it and the theme.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewOptions {
    pub view: View,
    /// A flow id, `from->to` as in the scenario's `flows` (`internet->service/web`); `None`
    /// traces nothing.
    pub flow: Option<String>,
    /// `None`: the reader's system theme on a page, light in a file.
    pub theme: Option<Theme>,
}

impl ViewOptions {
    /// Sets the option `key` (`view`, `flow` or `theme`) from text. `Ok(false)` when `key` is
    /// none of them, so a caller can read its own options from the same query.
    pub fn set(&mut self, key: &str, value: &str) -> Result<bool, UnknownChoice> {
        match key {
            "view" => self.view = value.parse()?,
            "theme" => self.theme = Some(value.parse()?),
            "flow" => self.flow = Some(value.trim().to_string()).filter(|f| !f.is_empty()),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// The scenario's flows as ids, `from->to`, in its order: the valid `--flow` / `flow=`
/// values offered first.
pub fn flow_ids(scenario: &Scenario) -> Vec<String> {
    scenario
        .flows
        .iter()
        .map(|f| format!("{}->{}", f.from.trim(), f.to.trim()))
        .collect()
}

/// A flow that cannot be traced, with the scenario's flows to choose from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFlow {
    /// The flow as asked for.
    pub flow: String,
    /// The model's reason (`no service named "x"; …`, `… is not a flow; write FROM->TO`).
    pub reason: String,
    /// The scenario's own flows ([`flow_ids`]).
    pub choices: Vec<String>,
}

impl fmt::Display for UnknownFlow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 12;
        write!(
            f,
            "unknown flow \"{}\" ({}): ",
            short(&self.flow),
            self.reason
        )?;
        if self.choices.is_empty() {
            return f.write_str("this scenario has no flows; write FROM->TO between places it has, e.g. internet->service/<name>");
        }
        let shown: Vec<&str> = self
            .choices
            .iter()
            .take(SHOWN)
            .map(|c| c.as_str())
            .collect();
        write!(f, "choose {}", one_of(&shown))?;
        if self.choices.len() > SHOWN {
            write!(f, " (and {} more)", self.choices.len() - SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownFlow {}

/// A flow and its trace, or why it has none: what is drawn over the diagram and listed in the
/// page's flow panel.
#[derive(Debug, PartialEq)]
pub struct Shown {
    /// The flow id as asked for (`from->to`).
    pub flow: String,
    pub trace: Result<Trace, UnknownFlow>,
}

/// Stage 1: the cluster the scenario makes (`model::build`).
pub fn build(scenario: &Scenario) -> Result<Cluster, Vec<Problem>> {
    crate::model::build(scenario)
}

/// Stage 1 after another build (`model::build_after`): the same cluster, and its groundwork
/// for the next; the page rebuilds this way, so a toggle of a Service does not schedule the
/// pods again.
pub fn build_after(
    scenario: &Scenario,
    last: Option<crate::model::Last<'_>>,
) -> Result<(Cluster, std::rc::Rc<crate::model::Groundwork>), Vec<Problem>> {
    crate::model::build_after(scenario, last)
}

/// The network diagram's scene (`layout::layout`).
pub fn network_scene(cluster: &Cluster) -> Scene {
    crate::layout::layout(cluster)
}

/// Stage 2: the scene `view` draws. This is the one place a view picks its scene.
pub fn scene(cluster: &Cluster, view: View) -> Scene {
    match view {
        View::Network => network_scene(cluster),
        View::Architecture => crate::layout::architecture_scene(cluster),
    }
}

/// Stage 4: the traced flow placed on the scene (`layout::trace_path`). Only the network view
/// draws a path: the architecture view's boxes are components, not the places packets pass.
pub fn path(scene: &Scene, view: View, shown: Option<&Shown>) -> Option<TracePath> {
    match (view, shown) {
        (View::Network, Some(Shown { flow, trace: Ok(t) })) => Some(trace_path(scene, flow, t)),
        _ => None,
    }
}

/// Stage 3: traces the flow `flow` (an id, `from->to`) over the cluster. Any flow between
/// places the cluster has traces (the page's picker offers every pair); one that does not
/// parse or names something missing is an [`UnknownFlow`] naming the scenario's flows.
pub fn trace(cluster: &Cluster, scenario: &Scenario, flow: &str) -> Shown {
    let traced = flow
        .parse::<Flow>()
        .and_then(|parsed| Tracer::new(cluster, &scenario.security_groups).trace(&parsed))
        .map_err(|e| UnknownFlow {
            flow: flow.to_string(),
            reason: e.message,
            choices: flow_ids(scenario),
        });
    Shown {
        flow: flow.to_string(),
        trace: traced,
    }
}

/// Everything an output draws for one scenario and set of options.
#[derive(Debug)]
pub struct Picture {
    pub cluster: Cluster,
    /// The scene of `options.view` ([`scene`]).
    pub scene: Scene,
    /// The flow asked for and its trace; `None` when no flow was asked for.
    pub shown: Option<Shown>,
    /// The traced flow placed on the scene ([`path`]).
    pub path: Option<TracePath>,
}

impl Picture {
    /// The flow asked for, when it could not be traced.
    pub fn unknown_flow(&self) -> Option<&UnknownFlow> {
        self.shown.as_ref().and_then(|s| s.trace.as_ref().err())
    }
}

/// The whole pipeline: build, the view's scene, the flow's trace. An invalid scenario is its
/// problems; a flow that cannot be traced is kept in [`Picture::shown`] (the page shows why,
/// the CLI refuses it: see [`Picture::unknown_flow`]).
pub fn picture(scenario: &Scenario, options: &ViewOptions) -> Result<Picture, Vec<Problem>> {
    let cluster = build(scenario)?;
    let scene = scene(&cluster, options.view);
    let shown = options
        .flow
        .as_deref()
        .map(|flow| trace(&cluster, scenario, flow));
    let path = path(&scene, options.view, shown.as_ref());
    Ok(Picture {
        cluster,
        scene,
        shown,
        path,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn etp() -> Scenario {
        let text = include_str!("../static/scenarios/gallery/etp-cluster-vs-local.json");
        crate::scenario::from_json(text).unwrap()
    }

    #[test]
    fn choices_parse_and_name_the_valid_ones() {
        assert_eq!("network".parse::<View>(), Ok(View::Network));
        assert_eq!(" architecture ".parse::<View>(), Ok(View::Architecture));
        assert_eq!("dark".parse::<Theme>(), Ok(Theme::Dark));
        let e = "foo".parse::<View>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown view \"foo\": choose network or architecture"
        );
        let e = "pink".parse::<Theme>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown theme \"pink\": choose light or dark"
        );
        for v in View::ALL {
            assert_eq!(v.name().parse::<View>(), Ok(v));
        }
        for t in Theme::ALL {
            assert_eq!(t.name().parse::<Theme>(), Ok(t));
        }
        let long = "x".repeat(10_000);
        assert!(long.parse::<View>().unwrap_err().to_string().len() < 200);
    }

    #[test]
    fn options_are_set_by_key() {
        let mut o = ViewOptions::default();
        assert_eq!(o.set("view", "architecture"), Ok(true));
        assert_eq!(o.set("theme", "dark"), Ok(true));
        assert_eq!(o.set("flow", "internet->service/web"), Ok(true));
        assert_eq!(o.set("controls", "0"), Ok(false));
        assert!(o.set("view", "3d").is_err());
        assert_eq!(
            o,
            ViewOptions {
                view: View::Architecture,
                flow: Some("internet->service/web".into()),
                theme: Some(Theme::Dark),
            }
        );
        o.set("flow", " ").unwrap();
        assert_eq!(o.flow, None);
    }

    #[test]
    fn a_scenario_flow_is_traced_and_an_unknown_one_names_the_flows() {
        let s = etp();
        let ids = flow_ids(&s);
        assert_eq!(ids[0], "internet->service/web-cluster");
        let c = build(&s).unwrap();
        let shown = trace(&c, &s, &ids[0]);
        assert!(shown.trace.unwrap().verdict.is_delivered());
        let bad = trace(&c, &s, "internet->service/nope").trace.unwrap_err();
        let message = bad.to_string();
        assert!(
            message.starts_with("unknown flow \"internet->service/nope\" ("),
            "{message}"
        );
        for id in &ids {
            assert!(message.contains(id.as_str()), "{message}");
        }
        let garbage = trace(&c, &s, "nonsense").trace.unwrap_err();
        assert!(garbage.reason.contains("FROM->TO"), "{garbage}");
    }

    #[test]
    fn a_scenario_without_flows_says_so() {
        let mut s = etp();
        s.flows.clear();
        let c = build(&s).unwrap();
        let e = trace(&c, &s, "internet->service/nope").trace.unwrap_err();
        assert!(e.to_string().contains("this scenario has no flows"), "{e}");
    }

    #[test]
    fn the_picture_has_the_view_scene_and_trace() {
        let s = etp();
        let flow = flow_ids(&s).remove(0);
        let p = picture(
            &s,
            &ViewOptions {
                flow: Some(flow.clone()),
                ..ViewOptions::default()
            },
        )
        .unwrap();
        assert_eq!(p.scene, network_scene(&p.cluster));
        assert!(p.path.as_ref().is_some_and(|path| path.stops.len() >= 3));
        assert_eq!(p.shown.as_ref().unwrap().flow, flow);
        assert!(p.unknown_flow().is_none());
        let arch = picture(
            &s,
            &ViewOptions {
                view: View::Architecture,
                flow: Some("internet->service/nope".into()),
                ..ViewOptions::default()
            },
        )
        .unwrap();
        assert_eq!(arch.scene, crate::layout::architecture_scene(&arch.cluster));
        assert!(arch.path.is_none());
        assert!(arch.unknown_flow().is_some());
        let mut invalid = s.clone();
        invalid.vpc.cidr = "not a cidr".into();
        assert!(picture(&invalid, &ViewOptions::default()).is_err());
    }
}
