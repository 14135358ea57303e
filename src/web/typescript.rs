//! The package's TypeScript declarations, written by hand so that no public type is `any`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

#[cfg(feature = "manager")]
#[wasm_bindgen(typescript_custom_section)]
const MANAGER_TYPES: &str = include_str!("manager.d.ts");
