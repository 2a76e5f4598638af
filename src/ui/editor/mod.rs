//! The scenario editor: its sections and fields, long lists shown 50 rows at a time.

pub(crate) mod cni_settings;
pub(crate) mod controls;
pub(crate) mod endpoint_settings;
pub(crate) mod field;
pub(crate) mod form;
pub(crate) mod instance_type_list;
pub(crate) mod long_list;
pub(crate) mod workload_editor;
