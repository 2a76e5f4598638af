//! eksplain: a model of an Amazon EKS cluster's network.
//!
//! Data flows one way: [`scenario`] (the user's document) → [`model`] (the simulated
//! cluster) → [`layout`] (pure geometry) → `ui` (Yew components, browser only).
//! [`pipeline`] runs the first three for every output (page, embed, export, `eksplain render`).
//! [`explain`] computes the inspector's pages as plain data, for the ui and for `eksplain explain`.

pub mod explain;
pub mod import;
pub mod layout;
pub mod model;
pub mod pipeline;
pub mod scenario;
pub mod ui;
