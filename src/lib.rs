//! eksplain: a model of an Amazon EKS cluster's network.
//!
//! Data flows one way: [`scenario`] (the user's document) → [`model`] (the simulated
//! cluster) → [`layout`] (pure geometry) → `ui` (Yew components, browser only). [`explain`]
//! computes the inspector's pages as plain data, for the ui and for `eksplain explain`.

pub mod explain;
pub mod layout;
pub mod model;
pub mod scenario;
pub mod ui;
