//! Long lists in the editor show their first rows and a button for more, so a scenario with
//! thousands of subnets, node groups or workloads opens without building thousands of forms
//! (a 5,000-Deployment cluster drew 5,000 workload rows, most of the time its link took to
//! open). Problems still index by field path in one pass ([`ProblemIndex`]), not one scan of
//! every problem per row.

use std::collections::BTreeMap;
use std::ops::Bound;

use yew::prelude::*;

use crate::layout::text::thousands;
use crate::scenario::Problem;

/// Rows a list shows at first, and how many more each press of its button adds.
pub const ROWS_PER_PAGE: usize = 50;

/// How many rows of a list are shown, and the callback that shows a page more.
#[hook]
pub fn use_rows_shown() -> (usize, Callback<MouseEvent>) {
    let shown = use_state(|| ROWS_PER_PAGE);
    let more = use_callback(shown.clone(), |_: MouseEvent, shown| {
        shown.set(**shown + ROWS_PER_PAGE)
    });
    (*shown, more)
}

#[derive(PartialEq, Properties)]
pub struct MoreRowsProps {
    /// Rows shown now.
    pub shown: usize,
    /// Rows in the list.
    pub total: usize,
    /// What a row is, plural ("subnets").
    pub what: AttrValue,
    pub on_more: Callback<MouseEvent>,
}

/// "Show 50 more (1,950 subnets not shown)" under a list that is cut; nothing otherwise.
#[function_component(MoreRows)]
pub fn more_rows(props: &MoreRowsProps) -> Html {
    let Some(hidden) = props.total.checked_sub(props.shown).filter(|h| *h > 0) else {
        return Html::default();
    };
    let next = hidden.min(ROWS_PER_PAGE);
    html! {
        <p class="more-rows" data-kind="more-rows">
            <button type="button" class="link" onclick={props.on_more.clone()}>
                { format!("Show {next} more") }
            </button>
            { format!(" ({} {} not shown)", thousands(hidden as u64), props.what) }
        </p>
    }
}

/// The problems of a draft by field path, made once per render of a list. In path order, so
/// the problems under a row are one range of it (`under`), however many problems there are.
pub struct ProblemIndex<'a> {
    at: BTreeMap<&'a str, Vec<&'a Problem>>,
}

impl<'a> ProblemIndex<'a> {
    pub fn new(problems: &'a [Problem]) -> Self {
        let mut at: BTreeMap<&str, Vec<&Problem>> = BTreeMap::new();
        for p in problems {
            at.entry(p.path.as_str()).or_default().push(p);
        }
        ProblemIndex { at }
    }

    /// The messages of the problems exactly at `path`.
    pub fn messages(&self, path: &str) -> Vec<AttrValue> {
        self.at.get(path).map_or_else(Vec::new, |ps| {
            ps.iter()
                .map(|p| AttrValue::from(p.message.clone()))
                .collect()
        })
    }

    /// The problems at `base` or below it, as (path, message), in path order: the paths that
    /// start with `base` are one range of the index.
    pub fn under(&self, base: &str) -> Vec<(&'a str, AttrValue)> {
        self.at
            .range::<str, _>((Bound::Included(base), Bound::Unbounded))
            .take_while(|(q, _)| q.starts_with(base))
            .filter(|(q, _)| is_under(q, base))
            .flat_map(|(q, ps)| {
                ps.iter()
                    .map(move |p| (*q, AttrValue::from(p.message.clone())))
            })
            .collect()
    }
}

/// `path` is `base` or below it (`base.x`, `base[0]`).
pub fn is_under(path: &str, base: &str) -> bool {
    path == base
        || path
            .strip_prefix(base)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Path;

    fn problem(path: &str, message: &str) -> Problem {
        Problem::new(Path::from(path), message.to_string())
    }

    #[test]
    fn problems_are_found_by_path_and_below_a_row() {
        let problems = vec![
            problem("workloads[1].replicas", "not a number"),
            problem("workloads[1].name", "too long"),
            problem("workloads[1]", "cannot be placed"),
            problem("workloads[10].name", "another row"),
            problem("vpc.cidr", "bad"),
        ];
        let index = ProblemIndex::new(&problems);
        assert_eq!(
            index.messages("workloads[1].replicas"),
            vec![AttrValue::from("not a number")]
        );
        assert!(index.messages("workloads[2].replicas").is_empty());
        let under: Vec<&str> = index
            .under("workloads[1]")
            .iter()
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(
            under,
            ["workloads[1]", "workloads[1].name", "workloads[1].replicas"],
            "a row's own problems, not those of workloads[10]"
        );
        assert!(is_under("workloads[1].ports[0]", "workloads[1].ports"));
        assert!(!is_under("workloads[10]", "workloads[1]"));
    }

    // Rendered with Yew SSR, driven by futures-executor: a native dependency.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_cut_list_says_how_many_rows_it_hides() {
        let html = futures_executor::block_on(
            yew::ServerRenderer::<MoreRows>::with_props(|| MoreRowsProps {
                shown: 50,
                total: 2_006,
                what: "subnets".into(),
                on_more: Callback::noop(),
            })
            .render(),
        );
        assert!(html.contains("Show 50 more"), "{html}");
        assert!(html.contains("1,956 subnets not shown"), "{html}");
        let whole = futures_executor::block_on(
            yew::ServerRenderer::<MoreRows>::with_props(|| MoreRowsProps {
                shown: 50,
                total: 6,
                what: "subnets".into(),
                on_more: Callback::noop(),
            })
            .render(),
        );
        assert!(!whole.contains("more"), "{whole}");
    }
}
