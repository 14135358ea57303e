//! The decisions the module makes for every store (`src/web/decisions.rs`), in headless Chromium
//! (`wasm-pack test --headless --chrome`): the same cases as under Node (`tests/web_node.rs`), in
//! the engine and memory of a real browser.
#![cfg(target_arch = "wasm32")]

mod web_support;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

include!("web_support/decision_cases.rs");
