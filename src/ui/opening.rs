//! Opening the page in steps the browser can paint between, so that a scenario at the
//! documented limits never holds the main thread for long (issue 11; `cargo xtask bench`
//! measures each limit's longest task). The entry point reads the link and the autosave (one
//! task) and shows a line of progress; the next task builds the cluster and lays it out; the
//! last mounts the page, whose first render finds the [`Workspace`] made. At 5,000 nodes these
//! were one task of up to 2 s. A small scenario (the default, most links: [`is_small`]) builds
//! in a few milliseconds, and opens in one task: its diagram is not held back two frames for a
//! line of progress that would show for one (issue 17: the first diagram sooner).

use std::cell::RefCell;

use crate::scenario::Scenario;
use crate::ui::workspace::Workspace;

thread_local! {
    /// The workspace [`open_in_steps`] made, until the page's first render takes it.
    static MADE: RefCell<Option<Workspace>> = const { RefCell::new(None) };
}

/// What the page starts with: the link's scenario, else the saved one, else the default
/// (`url_state::startup`); saved work that does not build opens over the last that did.
pub fn first_workspace() -> Workspace {
    let start = crate::ui::url_state::startup();
    match start.last_good {
        Some(good) => Workspace::over(good, start.scenario),
        None => Workspace::new(start.scenario),
    }
}

/// The workspace made before the page mounted, once; else one made now.
pub fn take_or_make() -> Workspace {
    MADE.with(|m| m.borrow_mut().take())
        .unwrap_or_else(first_workspace)
}

/// The nodes the scenario's groups ask for: the size its progress line names and
/// [`is_small`] weighs.
fn node_count(s: &Scenario) -> u64 {
    s.managed_node_groups
        .iter()
        .map(|g| u64::from(g.desired_capacity))
        .sum()
}

/// The line shown while a scenario is built: its name and size.
pub fn progress_text(s: &Scenario) -> String {
    use crate::layout::text::thousands;
    let nodes = node_count(s);
    let name = crate::scenario::safe_text::escape_text(&s.name);
    let name: String = name.chars().take(80).collect();
    format!(
        "Opening “{name}”: building {} {}…",
        thousands(nodes),
        if nodes == 1 { "node" } else { "nodes" }
    )
}

/// At most this many nodes, and [`SMALL_ITEMS`] entries in the scenario's lists, open in one task.
pub const SMALL_NODES: u64 = 20;
/// At most this many list entries (subnets, node groups, workloads and their replicas, services,
/// ingresses, flows, security groups) open in one task.
pub const SMALL_ITEMS: u64 = 400;

/// Whether `s` builds fast enough to open in the task that read it (the default scenario, and
/// anything of its size): no progress line, no frames waited for.
pub fn is_small(s: &Scenario) -> bool {
    let nodes = node_count(s);
    let replicas: u64 = s.workloads.iter().map(|w| u64::from(w.replicas)).sum();
    let items = [
        s.vpc.subnets.len(),
        s.vpc.secondary_cidrs.len(),
        s.managed_node_groups.len(),
        s.workloads.len(),
        s.services.len(),
        s.ingresses.len(),
        s.flows.len(),
        s.security_groups.len(),
    ]
    .iter()
    .map(|&n| n as u64)
    .sum::<u64>()
        + replicas;
    nodes <= SMALL_NODES && items <= SMALL_ITEMS
}

/// A `performance.mark` of the start-up's steps for the benchmark (`test-hooks` builds only).
pub fn mark(_name: &str) {
    #[cfg(all(feature = "test-hooks", target_arch = "wasm32"))]
    crate::ui::bench_hook::mark(_name);
}

/// Reads the link and the autosave now, builds the first workspace in the next task and calls
/// `mount` in the one after, with a line of progress on the page in between; a small scenario
/// ([`is_small`]) is built and mounted at once.
#[cfg(target_arch = "wasm32")]
pub fn open_in_steps(mount: impl FnOnce() + 'static) {
    let start = crate::ui::url_state::startup();
    mark("eksplain:read");
    if is_small(&start.scenario) {
        let made = first_workspace();
        mark("eksplain:built");
        MADE.with(|m| *m.borrow_mut() = Some(made));
        mount();
        return;
    }
    let progress = show_progress(&progress_text(&start.scenario));
    crate::ui::later::after_paint(move || {
        let made = first_workspace();
        mark("eksplain:built");
        MADE.with(|m| *m.borrow_mut() = Some(made));
        crate::ui::later::after_paint(move || {
            if let Some(p) = progress {
                p.remove();
            }
            mount();
        });
    });
}

/// A `<p data-kind="opening">` at the top of the body (plain DOM: Yew is not mounted yet).
#[cfg(target_arch = "wasm32")]
fn show_progress(text: &str) -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    let p = document.create_element("p").ok()?;
    p.set_class_name("opening");
    let _ = p.set_attribute("data-kind", "opening");
    let _ = p.set_attribute("role", "status");
    p.set_text_content(Some(text));
    document.body()?.append_child(&p).ok()?;
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, scale_scenario as example};

    #[test]
    fn the_progress_names_the_scenario_and_its_nodes() {
        assert_eq!(
            progress_text(&default_scenario()),
            "Opening “Three AZs, one node group”: building 3 nodes…"
        );
        let big = example(5_000);
        assert!(progress_text(&big).ends_with("building 5,000 nodes…"));
        let mut hostile = default_scenario();
        hostile.name = format!("\u{1b}[2J{}", "x".repeat(500));
        let text = progress_text(&hostile);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.chars().count() < 140, "{text}");
    }

    #[test]
    fn the_default_and_small_scenarios_open_in_one_task() {
        assert!(is_small(&default_scenario()));
        assert!(is_small(&example(10)));
        assert!(!is_small(&example(100)));
        let mut many = example(3);
        assert!(is_small(&many) && !many.workloads.is_empty());
        many.workloads[0].replicas = 10_000;
        assert!(!is_small(&many), "its pods are many");
    }

    #[test]
    fn the_page_takes_the_workspace_made_before_it_mounted() {
        let made = Workspace::new(example(10));
        MADE.with(|m| *m.borrow_mut() = Some(made.clone()));
        assert_eq!(take_or_make(), made);
        assert_eq!(
            take_or_make(),
            first_workspace(),
            "taken once; then made from the startup"
        );
    }
}
