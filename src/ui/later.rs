//! Work that changes nothing on screen, put off until the next frame is painted: a toggle's
//! repaint does not wait for it.
//!
//! [`after_paint`] queues a task from a `requestAnimationFrame` callback, which the browser
//! runs once that frame is painted; a timer runs it instead when the page is not painting (a
//! background tab). Natively, and where there is no window, it runs at once.

/// A timer's delay when no frame comes (animation frames stop in background tabs).
#[cfg(target_arch = "wasm32")]
const FALLBACK_MS: i32 = 250;

/// Runs `f` once the next frame is painted (or within a quarter of a second when none is).
pub fn after_paint(f: impl FnOnce() + 'static) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        use std::cell::Cell;
        use std::rc::Rc;
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        // Whichever of the frame and the timer comes first runs it.
        let once = Rc::new(Cell::new(Some(f)));
        fn run<F: FnOnce()>(once: &Cell<Option<F>>) {
            if let Some(f) = once.take() {
                f();
            }
        }
        let (by_frame, by_timer) = (once.clone(), once);
        let task = Closure::once_into_js(move || run(&by_frame));
        // A task queued from an animation frame callback runs after that frame's paint.
        let frame = Closure::once_into_js(move || {
            if let Some(w) = web_sys::window() {
                let _ = w
                    .set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
            }
        });
        let _ = window.request_animation_frame(frame.unchecked_ref());
        let timer = Closure::once_into_js(move || run(&by_timer));
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            timer.unchecked_ref(),
            FALLBACK_MS,
        );
        return;
    }
    f();
}

/// Drops `value` after the next paint: freeing a 150,000-pod cluster takes tens of
/// milliseconds that a toggle's repaint need not wait for.
pub fn drop_after_paint<T: 'static>(value: T) {
    after_paint(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn natively_the_work_runs_at_once() {
        let ran = Rc::new(RefCell::new(false));
        let flag = ran.clone();
        after_paint(move || *flag.borrow_mut() = true);
        assert!(*ran.borrow());
        let value = Rc::new(1);
        drop_after_paint(value.clone());
        assert_eq!(Rc::strong_count(&value), 1, "dropped");
    }
}
