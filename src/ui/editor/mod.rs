//! The scenario editor: its sections and fields, its lists (add, duplicate, remove, edit)
//! shown 50 rows at a time.

pub(crate) mod cni_settings;
pub(crate) mod controls;
pub(crate) mod endpoint_settings;
pub(crate) mod field;
pub(crate) mod form;
pub(crate) mod instance_type_list;
pub(crate) mod item_list;
pub(crate) mod list_edit;
pub(crate) mod long_list;
pub(crate) mod subnet_form;
pub(crate) mod workload_editor;
