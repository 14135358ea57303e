//! The decisions the module makes for every store (`src/web/decisions.rs`), under Node
//! (`wasm-pack test --node`): the block `js/store.js` reads and writes, each decision one call of
//! numbers, and the errors by failure number.
#![cfg(target_arch = "wasm32")]

mod web_support;

include!("web_support/decision_cases.rs");
