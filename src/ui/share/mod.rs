//! Sharing and keeping work: links, the autosave and its guards, export and import, the
//! standalone SVG, the read-only embed page and the refusal to run in another site's frame.

pub mod embed;
pub(crate) mod export;
pub mod file_name;
pub mod frame_height;
pub mod framing;
pub mod import_dialog;
pub mod import_message;
pub(crate) mod import_module;
pub(crate) mod import_worker;
pub(crate) mod page_stylesheet;
pub(crate) mod saved_work;
pub(crate) mod share_tools;
pub(crate) mod standalone_svg;
pub mod url_state;
pub mod view_link;
pub(crate) mod work_guard;
