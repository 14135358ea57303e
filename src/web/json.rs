//! The host's JSON, on JavaScript values: texts stay JavaScript strings, never copied into the
//! module.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JavaScript string, which stays one.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.stringify`, whose text stays a JavaScript string (`undefined` for no JSON form).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub(crate) fn stringify_json(value: &JsValue) -> Result<JsValue, JsValue>;
}
