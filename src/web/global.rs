//! `globalThis`, which every supported host has (Node 20, browsers, workers): one import, where
//! `js_sys::global()` probes four names through four lazily initialised imports.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = globalThis)]
    static GLOBAL_THIS: JsValue;
}

/// The host's global object.
pub(crate) fn global() -> JsValue {
    GLOBAL_THIS.with(JsValue::clone)
}
