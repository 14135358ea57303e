//! The JavaScript facade: classes exported through wasm-bindgen, and the Web Storage backend.
//! Only this module touches `JsValue`.

mod clock;
mod convert;
mod storage;
mod stores;
mod typescript;

pub use stores::{LocalStorageSessionStore, MemorySessionStore, SessionStorageSessionStore};
