//! Yew components that draw a [`crate::layout::Scene`] and edit the scenario.
mod app;
pub use app::App;
