//! The memory backend's index behind the JavaScript facade: a JavaScript `Map` from the caller's id
//! string to its slot, so that an id is never copied into the module (nor decoded back out).

use js_sys::JsString;
use wasm_bindgen::prelude::*;

use crate::backend::{MemoryBackend, SlotIndex};

#[wasm_bindgen]
extern "C" {
    /// A `Map` of session id → slot position.
    #[wasm_bindgen(js_name = Map)]
    pub type Positions;
    #[wasm_bindgen(constructor, js_class = Map)]
    fn new() -> Positions;
    #[wasm_bindgen(method, js_class = Map, js_name = get)]
    fn get(this: &Positions, id: &JsString) -> Option<u32>;
    #[wasm_bindgen(method, js_class = Map, js_name = set)]
    fn set(this: &Positions, id: &JsString, position: u32);
    #[wasm_bindgen(method, js_class = Map, js_name = delete)]
    fn delete(this: &Positions, id: &JsString);
    #[wasm_bindgen(method, js_class = Map, js_name = clear)]
    fn clear(this: &Positions);
}

/// Sessions in memory, named by JavaScript strings.
pub type JsMemory = MemoryBackend<JsValue, Positions>;

pub fn js_memory() -> JsMemory {
    MemoryBackend::with_index(Positions::new())
}

impl SlotIndex for Positions {
    type Id = JsString;

    fn position(&self, id: &JsString) -> Option<usize> {
        self.get(id).map(|position| position as usize)
    }

    fn insert(&mut self, id: &JsString, position: usize) {
        // Slot positions count sessions held in memory: far below u32::MAX.
        self.set(id, position as u32);
    }

    fn remove(&mut self, id: &JsString) -> Option<usize> {
        let position = self.position(id);
        if position.is_some() {
            self.delete(id);
        }
        position
    }

    fn clear(&mut self) {
        Positions::clear(self);
    }
}
