//! [`ItemList`]: one list of the scenario (subnets, node groups, workloads, Services,
//! Ingresses, flows, security groups) drawn from its description in `list_edit`: a row per
//! item with its inline fields and Edit / Duplicate / Remove, the one open item's whole form,
//! and an Add button. Rows come 50 at a time (`long_list`) and only the open item has a form,
//! so thousands of items never make thousands of forms.

use std::collections::BTreeMap;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::model::aws::instance_types::InstanceTypes;
use crate::scenario::{Problem, Scenario};
use crate::ui::controls::{inline_problems, Choice};
use crate::ui::field::{dom_id, Field};
use crate::ui::instance_type_list::{describe, INSTANCE_TYPES_LIST};
use crate::ui::list_edit::{self, Control, FieldSpec, List};
use crate::ui::long_list::{is_under, MoreRows, ProblemIndex};
use crate::ui::shared::{Part, Shared};
use crate::ui::workspace::{Edit, RawInput, MAX_NODES, MAX_REPLICAS};

/// The field paths of a list the editor shows: the inline fields of the first `shown` rows,
/// and every field of the open item.
pub fn field_paths(s: &Scenario, list: List, shown: usize, open: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..list.len(s).min(shown) {
        for f in list_edit::fields(list).iter().filter(|f| f.inline) {
            out.push(list.field_path(i, f.name));
        }
    }
    if let Some(i) = open.filter(|i| *i < list.len(s)) {
        for f in list_edit::fields(list)
            .iter()
            .filter(|f| !f.inline || i >= shown)
            .filter(|f| list_edit::applies(s, list, i, f.name))
        {
            out.push(list.field_path(i, f.name));
        }
    }
    out
}

#[derive(PartialEq, Properties)]
pub struct ItemListProps {
    pub list: List,
    /// Compared by the list's items ([`List::same_items`]): what its rows read.
    pub draft: Part<Scenario>,
    pub raw: Shared<BTreeMap<String, RawInput>>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
    /// Rows shown, and the button that shows more.
    pub shown: usize,
    pub on_more: Callback<MouseEvent>,
    /// The item whose whole form is open.
    pub open: Option<usize>,
    /// Opens (or, with `None`, closes) an item's form: one callback for every list, the same
    /// from render to render, so rows whose item did not change are not drawn again.
    pub on_open: Callback<(List, Option<usize>)>,
    /// Shown when the list is empty.
    #[prop_or_default]
    pub empty: Option<AttrValue>,
    /// With no add form of its own (`children`), an "Add …" button adds a default item.
    #[prop_or(true)]
    pub add_button: bool,
    /// The list's own add form (subnets, workloads).
    #[prop_or_default]
    pub children: Html,
}

/// One field as a row or form draws it.
#[derive(Clone, PartialEq)]
struct FieldView {
    spec: FieldSpec,
    path: AttrValue,
    label: AttrValue,
    value: AttrValue,
    problems: Vec<AttrValue>,
    hint: Option<AttrValue>,
}

fn view(
    s: &Scenario,
    list: List,
    i: usize,
    spec: &FieldSpec,
    raw: &BTreeMap<String, RawInput>,
    index: &ProblemIndex,
) -> FieldView {
    let path = list.field_path(i, spec.name);
    let value = raw
        .get(&path)
        .map_or_else(|| list_edit::get(s, list, i, spec.name), |r| r.text.clone());
    // Problems at the field and below it (`ports[1].nodePort` under `ports`).
    let problems = index
        .under(&path)
        .into_iter()
        .map(|(p, m)| {
            if p == path {
                m
            } else {
                AttrValue::from(format!("{}: {m}", &p[path.len()..].trim_start_matches('.')))
            }
        })
        .collect();
    let label = match (list, spec.name) {
        (List::Subnets, "cidr") => format!("CIDR of {}", list_edit::item_name(s, list, i)),
        _ => spec.label.to_string(),
    };
    let hint = match (list, spec.name) {
        (List::NodeGroups, "instanceType") => s
            .managed_node_groups
            .get(i)
            .and_then(|g| InstanceTypes::get().lookup(&g.instance_type))
            .map(describe),
        _ => spec.hint.map(String::from),
    };
    FieldView {
        spec: *spec,
        path: AttrValue::from(path),
        label: AttrValue::from(label),
        value: AttrValue::from(value),
        problems,
        hint: hint.map(AttrValue::from),
    }
}

fn draw_field(list: List, i: usize, f: &FieldView, on_edit: &Callback<Edit>) -> Html {
    let name = f.spec.name;
    let emit = {
        let on_edit = on_edit.clone();
        Callback::from(move |text: String| on_edit.emit(Edit::ItemField(list, i, name, text)))
    };
    let key = f.path.to_string();
    match f.spec.control {
        Control::Text | Control::Number => {
            let number = f.spec.control == Control::Number;
            let max = match (list, name) {
                (List::NodeGroups, "desiredCapacity") => Some(MAX_NODES.to_string()),
                (List::Workloads, "replicas") => Some(MAX_REPLICAS.to_string()),
                _ => None,
            };
            let class = match (list, name, f.spec.inline) {
                (List::Subnets, "cidr", _) => classes!("compact"),
                (_, _, true) if number => classes!("narrow"),
                _ => classes!(),
            };
            let list_id = (list == List::NodeGroups && name == "instanceType")
                .then_some(AttrValue::Static(INSTANCE_TYPES_LIST));
            html! {
                <Field key={key} path={f.path.clone()} label={f.label.clone()} value={f.value.clone()} problems={f.problems.clone()}
                    oninput={emit} input_type={if number { "number" } else { "text" }} min={number.then_some(AttrValue::Static("0"))}
                    max={max.map(AttrValue::from)} hint={f.hint.clone()} list={list_id} {class} />
            }
        }
        Control::Check => {
            let id = dom_id("field", &f.path);
            let onchange = Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                emit.emit(on.to_string())
            });
            html! {
                <div key={key} class="item-check">
                    <label class="toggle" for={id.clone()}>
                        <input type="checkbox" id={id} checked={f.value == "true"} data-field={f.path.clone()} {onchange} />
                        { f.label.clone() }
                    </label>
                    { inline_problems(&f.path, &f.problems) }
                </div>
            }
        }
        Control::Choice(options) => {
            let options: Vec<(AttrValue, AttrValue)> = options
                .iter()
                .map(|(v, l)| (AttrValue::Static(v), AttrValue::Static(l)))
                .collect();
            html! {
                <Choice key={key} path={f.path.clone()} label={f.label.clone()} options={options} value={f.value.clone()} on_change={emit} problems={f.problems.clone()} />
            }
        }
    }
}

#[derive(PartialEq, Properties)]
struct ItemRowProps {
    list: List,
    index: usize,
    /// The list's length: where a duplicate lands, whose form then opens.
    len: usize,
    name: AttrValue,
    summary: AttrValue,
    /// Extra classes of the row (a public subnet).
    class: Classes,
    inline: Vec<FieldView>,
    /// The whole form, when open.
    form: Option<Vec<FieldView>>,
    /// Problems under the item that no drawn field shows.
    other: Vec<AttrValue>,
    on_edit: Callback<Edit>,
    on_open: Callback<(List, Option<usize>)>,
}

/// One item: a component of its own, so an edit elsewhere does not draw every row again.
#[function_component(ItemRow)]
fn item_row(props: &ItemRowProps) -> Html {
    let (list, i) = (props.list, props.index);
    let open = props.form.is_some();
    let toggle = {
        let on_open = props.on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit((list, (!open).then_some(i))))
    };
    let duplicate = {
        let (on_edit, on_open, copy) = (props.on_edit.clone(), props.on_open.clone(), props.len);
        Callback::from(move |_: MouseEvent| {
            on_edit.emit(Edit::DuplicateItem(list, i));
            // The copy is added at the end: its form opens, ready to be told apart.
            on_open.emit((list, Some(copy)));
        })
    };
    let remove = {
        let (on_edit, on_open) = (props.on_edit.clone(), props.on_open.clone());
        Callback::from(move |_: MouseEvent| {
            on_edit.emit(Edit::RemoveItem(list, i));
            on_open.emit((list, None));
        })
    };
    let named = |verb: &str| {
        html! { <>{ verb.to_string() }<span class="visually-hidden">{ format!(" {}", props.name) }</span></> }
    };
    let path = list.item_path(i);
    let form_id = dom_id("item", &path);
    html! {
        <li class={classes!("item-row", props.class.clone())} data-item={path.clone()}>
            <div class="item-head">
                <span class="item-name">{ props.name.clone() }</span>
                <span class="item-summary">{ props.summary.clone() }</span>
            </div>
            if !props.inline.is_empty() {
                <div class="item-inline">{ for props.inline.iter().map(|f| draw_field(list, i, f, &props.on_edit)) }</div>
            }
            if let Some(form) = &props.form {
                <div class="item-form" id={form_id.clone()}>{ for form.iter().map(|f| draw_field(list, i, f, &props.on_edit)) }</div>
            }
            if !props.other.is_empty() {
                <p class="field-problem" data-problem={path} data-where="inline">{ for props.other.iter().map(|m| html! { <span>{ m.clone() }</span> }) }</p>
            }
            <div class="item-actions">
                <button type="button" class="link" data-action="edit" aria-expanded={open.to_string()} aria-controls={open.then(|| form_id.clone())} onclick={toggle}>
                    { named(if open { "Close" } else { "Edit" }) }
                </button>
                <button type="button" class="link" data-action="duplicate" onclick={duplicate}>{ named("Duplicate") }</button>
                <button type="button" class="link danger" data-action="remove" onclick={remove}>{ named("Remove") }</button>
            </div>
        </li>
    }
}

#[function_component(ItemList)]
pub fn item_list(props: &ItemListProps) -> Html {
    let (list, s) = (props.list, &props.draft);
    let index = ProblemIndex::new(&props.problems);
    let len = list.len(s);
    let row = |i: usize| {
        let open = props.open == Some(i);
        let specs = list_edit::fields(list);
        let inline: Vec<FieldView> = specs
            .iter()
            .filter(|f| f.inline)
            .map(|f| view(s, list, i, f, &props.raw, &index))
            .collect();
        let form: Option<Vec<FieldView>> = open.then(|| {
            specs
                .iter()
                .filter(|f| !f.inline && list_edit::applies(s, list, i, f.name))
                .map(|f| view(s, list, i, f, &props.raw, &index))
                .collect()
        });
        let drawn: Vec<&str> = inline
            .iter()
            .chain(form.iter().flatten())
            .map(|f| f.path.as_str())
            .collect();
        let other: Vec<AttrValue> = index
            .under(&list.item_path(i))
            .into_iter()
            .filter(|(p, _)| !drawn.iter().any(|d| is_under(p, d)))
            .map(|(p, m)| AttrValue::from(format!("{p}: {m}")))
            .collect();
        let class = match list {
            List::Subnets => classes!(
                "subnet-item",
                if s.vpc.subnets[i].public {
                    "public"
                } else {
                    "private"
                }
            ),
            List::NodeGroups => classes!("group-item"),
            _ => classes!("workload-item"),
        };
        html! {
            <ItemRow key={i} {list} index={i} {len} name={AttrValue::from(list_edit::item_name(s, list, i))}
                summary={AttrValue::from(list_edit::item_summary(s, list, i))} {class} {inline} {form} {other}
                on_edit={props.on_edit.clone()} on_open={props.on_open.clone()} />
        }
    };
    // The open item is drawn even past the rows shown (a new item at the end of a long list).
    let extra = props.open.filter(|i| *i >= props.shown && *i < len);
    let add = {
        let (on_edit, on_open) = (props.on_edit.clone(), props.on_open.clone());
        Callback::from(move |_: MouseEvent| {
            on_edit.emit(Edit::AddItem(list));
            on_open.emit((list, Some(len)));
        })
    };
    html! {
        <>
            if len == 0 {
                if let Some(note) = &props.empty {
                    <p class="section-note">{ note.clone() }</p>
                }
            } else {
                <ul class="item-list" data-list={list.path()}>
                    { for (0..len.min(props.shown)).map(&row) }
                    { for extra.map(&row) }
                </ul>
                <MoreRows shown={props.shown} total={len} what={list.plural()} on_more={props.on_more.clone()} />
            }
            { props.children.clone() }
            if props.add_button {
                <button type="button" class="add-item" data-action={format!("add-{}", list.path())} onclick={add}>
                    { format!("Add {}", list.noun()) }
                </button>
            }
        </>
    }
}

// Rendered with Yew SSR, driven by futures-executor: a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, Path};
    use std::rc::Rc;

    fn render(s: Scenario, problems: Vec<Problem>, open: Option<usize>) -> String {
        futures_executor::block_on(
            yew::ServerRenderer::<ItemList>::with_props(move || ItemListProps {
                list: List::Subnets,
                draft: Part::new(&Rc::new(s), List::Subnets.same_items()),
                raw: Shared::new(Rc::default()),
                problems: Shared::new(Rc::new(problems)),
                on_edit: Callback::noop(),
                shown: 50,
                on_more: Callback::noop(),
                open,
                on_open: Callback::noop(),
                empty: None,
                add_button: false,
                children: Html::default(),
            })
            .render(),
        )
    }

    #[test]
    fn thousands_of_items_draw_fifty_rows_and_one_form() {
        let mut s = default_scenario();
        s.vpc.subnets = (0..2_000)
            .map(|i| {
                let mut x = s.vpc.subnets[0].clone();
                x.name = format!("s-{i}");
                x
            })
            .collect();
        let html = render(s, Vec::new(), Some(1_500));
        assert_eq!(
            html.matches("data-item=").count(),
            51,
            "50 rows and the open one"
        );
        assert_eq!(html.matches("class=\"item-form\"").count(), 1);
        assert!(html.contains("data-field=\"vpc.subnets[1500].name\""));
        assert!(html.contains("1,950 subnets not shown"));
    }

    #[test]
    fn problems_show_beside_their_field_and_the_rest_on_the_row() {
        let problems = vec![
            Problem::new(Path::from("vpc.subnets[1].cidr"), "outside the VPC"),
            Problem::new(Path::from("vpc.subnets[1].az"), "not an AZ"),
        ];
        let html = render(default_scenario(), problems.clone(), None);
        assert!(
            html.contains("data-problem=\"vpc.subnets[1].cidr\""),
            "{html}"
        );
        // Its form closed, the AZ's problem is on the row, with its path.
        assert!(html.contains("vpc.subnets[1].az: not an AZ"), "{html}");
        let html = render(default_scenario(), problems, Some(1));
        assert!(
            html.contains("data-problem=\"vpc.subnets[1].az\""),
            "{html}"
        );
        assert!(!html.contains("vpc.subnets[1].az: not an AZ"), "{html}");
    }
}
