//! The JavaScript facade: classes exported through wasm-bindgen, and the Web Storage backend.
//! Only this module touches `JsValue`.

mod backend;
mod clock;
mod convert;
mod envelope;
#[cfg(feature = "manager")]
mod manager;
mod memory;
#[cfg(feature = "manager")]
mod records;
mod storage;
mod stores;
mod typescript;

#[cfg(feature = "manager")]
pub use manager::{generate_session_id, hash_token, JsSessionManager};
pub use stores::JsSessionStore;
