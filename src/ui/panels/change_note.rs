//! [`ChangeNote`]: after an edit, one short line over the diagram naming what moved ("max pods
//! 29 → 110 on 3 nodes; 6 /28 prefixes; private-a: 4,070 → 3,974 free"), computed by
//! `explain::change_summary`; a Dismiss button hides it until the next edit. At the top of
//! the stage, away from the zoom tools (bottom right) and the view toggle (top left).

use yew::prelude::*;

use crate::ui::shared::Shared;

#[derive(PartialEq, Properties)]
pub struct ChangeNoteProps {
    /// What moved; nothing is drawn when empty.
    pub items: Shared<Vec<String>>,
    pub on_dismiss: Callback<MouseEvent>,
}

#[function_component(ChangeNote)]
pub fn change_note(props: &ChangeNoteProps) -> Html {
    if props.items.is_empty() {
        return Html::default();
    }
    html! {
        <div class="change-note" data-kind="change-summary" role="status">
            <p><strong>{ "Changed: " }</strong>{ props.items.join("; ") }</p>
            <button type="button" class="link" data-action="dismiss-change" onclick={props.on_dismiss.clone()}>{ "Dismiss" }</button>
        </div>
    }
}

// Rendered with Yew SSR, driven by futures-executor: a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::rc::Rc;

    #[test]
    fn the_note_joins_the_changes_and_has_a_dismiss_button() {
        let render = |items: Vec<String>| {
            futures_executor::block_on(
                yew::ServerRenderer::<ChangeNote>::with_props(move || ChangeNoteProps {
                    items: Shared::new(Rc::new(items)),
                    on_dismiss: Callback::noop(),
                })
                .render(),
            )
        };
        let html = render(vec![
            "max pods 29 → 110 on 3 nodes".into(),
            "6 /28 prefixes".into(),
        ]);
        assert!(
            html.contains("max pods 29 → 110 on 3 nodes; 6 /28 prefixes"),
            "{html}"
        );
        assert!(
            html.contains("role=\"status\"") && html.contains(">Dismiss</button>"),
            "{html}"
        );
        assert!(!render(Vec::new()).contains("change-note"));
    }
}
