//! The session manager's memory: a storage object made in JavaScript (`js/memory-area.js`), so that
//! its sessions, like the memory store's, never enter the module's memory or its table of
//! JavaScript references.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/memory-area.js")]
extern "C" {
    /// A new, empty storage object over a `Map`.
    #[wasm_bindgen(js_name = memoryArea)]
    pub fn memory_area() -> JsValue;
}
