//! `Date.now()`, looked up at every call so that fake timers and `vi.spyOn(Date, 'now')` apply.

use wasm_bindgen::prelude::*;

use crate::clock::Clock;
use crate::error::StoreError;

#[wasm_bindgen]
extern "C" {
    // `catch`: a throwing fake must become a rejection, not an exception unwinding through Rust.
    // Read as a number straight away: a non-number becomes NaN, refused below.
    #[wasm_bindgen(js_namespace = Date, js_name = now, catch)]
    fn date_now() -> Result<f64, JsValue>;
}

/// The JavaScript clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsClock;

impl Clock for JsClock {
    fn now(&self) -> Result<f64, StoreError> {
        date_now().ok().filter(|now| now.is_finite()).ok_or(StoreError::ClockUnavailable)
    }
}
