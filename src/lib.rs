//! Session runtime for browser and wallet clients.
//!
//! The core — expiry [`policy`], stored [`record`] format and its [`entry`] text, [`config`]
//! parsing, the [`store`] operations and the in-memory [`backend`] — is plain Rust, tested
//! natively with a [`clock::ManualClock`]. The `web` module (wasm32 only) is the JavaScript facade: every
//! decision of the package's stores (whose one implementation is JavaScript, `js/store.js`), the
//! `SessionManager`, and the Web Storage backend it runs over.
//!
//! With the `wasm-module` feature (the npm package's build) the crate is `no_std`: its code uses
//! only `core` and `alloc`, panics trap, and talc allocates.

#![cfg_attr(all(target_arch = "wasm32", feature = "wasm-module"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub mod backend;
pub mod clock;
pub mod config;
pub mod entry;
pub mod error;
pub mod manager;
pub mod policy;
pub mod record;
pub mod store;
pub mod token;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(all(target_arch = "wasm32", feature = "wasm-module"))]
mod wasm_module;

pub use clock::{Clock, ManualClock};
pub use config::{ConfigValue, RawConfig, StoreConfig};
pub use error::{ConfigError, ManagerError, StorageArea, StoreError};
pub use policy::Policy;
pub use record::{Meta, Record};
pub use store::{Change, SessionStore};

#[cfg(all(target_arch = "wasm32", feature = "manager"))]
pub use web::JsSessionManager;
