//! The JavaScript facade: classes exported through wasm-bindgen, and the Web Storage backend.
//! Only this module touches `JsValue`.

mod clock;
mod convert;
mod envelope;
#[cfg(feature = "manager")]
mod manager;
#[cfg(feature = "manager")]
mod memory_area;
mod memory_store;
#[cfg(feature = "manager")]
mod records;
mod storage;
mod stores;
mod typescript;

#[cfg(feature = "manager")]
pub use manager::{generate_session_id, hash_token, JsSessionManager};
pub use memory_store::{memory_policy, session_times, store_failure, times_on_access, times_on_set};
pub use stores::JsSessionStore;
