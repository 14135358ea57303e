//! The memory backend's index behind the JavaScript facade: a JavaScript `Map` from the caller's id
//! string to its slot, so that an id is never copied into the module (nor decoded back out).

use core::sync::atomic::{AtomicUsize, Ordering};

use js_sys::JsString;
use wasm_bindgen::prelude::*;

use crate::backend::{MemoryBackend, SlotIndex};
use crate::error::StoreError;

/// The most sessions the module's memory stores and managers hold together. Each holds its id
/// and data in the engine's table of JavaScript references, and `getAll` as many again while it
/// runs; V8 cannot grow that table past about 8.4 million, and a failed growth traps the whole
/// module. This limit keeps four references a session below it: past it, a new session is
/// refused with `QUOTA_EXCEEDED` and everything else goes on working.
pub const MAX_HELD_SESSIONS: usize = 1_000_000;

/// Sessions held by every memory store and manager of the module.
static HELD: AtomicUsize = AtomicUsize::new(0);

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

    fn admit(&mut self) -> Result<(), StoreError> {
        // The module runs on one thread: a load and a store are enough.
        let held = HELD.load(Ordering::Relaxed);
        if held >= MAX_HELD_SESSIONS {
            return Err(StoreError::QuotaExceeded);
        }
        HELD.store(held + 1, Ordering::Relaxed);
        Ok(())
    }

    fn release(&mut self, count: usize) {
        HELD.store(HELD.load(Ordering::Relaxed).saturating_sub(count), Ordering::Relaxed);
    }
}
