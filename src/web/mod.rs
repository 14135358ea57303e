//! The JavaScript facade: the stores' decisions, and the `SessionManager` class over the stores'
//! own storage interface. Only this module touches `JsValue`.

mod convert;
mod decisions;
mod typescript;

#[cfg(feature = "manager")]
mod clock;
#[cfg(feature = "manager")]
mod handle;
#[cfg(feature = "manager")]
mod json;
#[cfg(feature = "manager")]
mod manager;
#[cfg(feature = "manager")]
mod records;
#[cfg(feature = "manager")]
mod sessions;

pub use decisions::{
    access, common_refresh, decision_block, store_failure, store_policy, sweep, times_on_set, Block, Failure, Slot,
    Verdict,
};
#[cfg(feature = "manager")]
pub use manager::{generate_session_id, hash_token, JsSessionManager};
