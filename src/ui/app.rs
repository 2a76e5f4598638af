use yew::prelude::*;

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    html! { <main data-kind="app"><h1>{"eksplain"}</h1></main> }
}
