//! The page's side of the import module: [`Importer`] starts the worker (the second wasm
//! module, `src/bin/eksplain_import.rs`) when the Import… dialog opens, sends it requests and
//! hands its answers back; dropping it ends the worker.
//!
//! The worker's script is a file of this origin (the page's Content-Security-Policy allows
//! workers from `'self'` only, so no blob: URL). Its name carries a content hash written by
//! `www/post_build.mjs` into `<meta name="eksplain-import-module">`, read here.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use wasm_bindgen::{JsCast, JsValue};
use yew::Callback;

use crate::ui::import_message::{FromImporter, ToImporter};

/// A running import module.
pub struct Importer {
    worker: web_sys::Worker,
    /// `None` once the worker is ready; until then, the latest request, waiting.
    waiting: Rc<RefCell<Option<Option<String>>>>,
    _listeners: [EventListener; 2],
}

/// The loader script's URL, relative to the page (its glue and wasm share its name's stem).
pub(crate) fn module_url() -> Result<String, String> {
    gloo_utils::document()
        .query_selector("meta[name=\"eksplain-import-module\"]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .ok_or_else(|| "this build of the page has no import module".to_string())
}

impl Importer {
    /// Starts the worker. Every answer, and every failure of the worker (its script or wasm
    /// missing, a crash), reaches `on_answer`.
    pub fn start(on_answer: Callback<Result<FromImporter, String>>) -> Result<Importer, String> {
        let url = module_url()?;
        let worker = web_sys::Worker::new(&url)
            .map_err(|_| format!("the browser would not start the import module ({url})"))?;
        // A message posted before the worker's wasm runs would be lost: requests wait for
        // its `ready`.
        let waiting = Rc::new(RefCell::new(Some(None::<String>)));
        let on_message = {
            let waiting = waiting.clone();
            let worker = worker.clone();
            let on_answer = on_answer.clone();
            EventListener::new(&worker.clone(), "message", move |e| {
                let data = e
                    .dyn_ref::<web_sys::MessageEvent>()
                    .and_then(|m| m.data().as_string())
                    .unwrap_or_default();
                match FromImporter::parse(&data) {
                    Ok(FromImporter::Ready) => {
                        if let Some(Some(text)) = waiting.borrow_mut().take() {
                            let _ = worker.post_message(&JsValue::from_str(&text));
                        }
                    }
                    answer => on_answer.emit(answer),
                }
            })
        };
        let on_error = EventListener::new(&worker, "error", move |e| {
            let detail = e
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_default();
            on_answer.emit(Err(if detail.is_empty() {
                "the import module could not be loaded".to_string()
            } else {
                format!("the import module failed: {detail}")
            }));
        });
        Ok(Importer {
            worker,
            waiting,
            _listeners: [on_message, on_error],
        })
    }

    /// Sends a request; one sent before the worker is ready waits (only the latest).
    pub fn send(&self, request: &ToImporter) {
        let text = request.encode();
        match &mut *self.waiting.borrow_mut() {
            Some(waiting) => *waiting = Some(text),
            None => {
                let _ = self.worker.post_message(&JsValue::from_str(&text));
            }
        }
    }
}

impl Drop for Importer {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
