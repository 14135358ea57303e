//! Helpers for the wasm tests: awaiting the stores' Promises and building JS values.
#![allow(dead_code)] // each test crate uses a different part

use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the exported methods return: a Promise (inside a `Result` for the export's ABI).
pub trait Outcome {
    fn promise(self) -> Promise;
}

impl Outcome for Promise {
    fn promise(self) -> Promise {
        self
    }
}

impl Outcome for Result<Promise, JsValue> {
    fn promise(self) -> Promise {
        self.expect("the method returns a Promise, it does not throw")
    }
}

pub async fn resolved(outcome: impl Outcome) -> JsValue {
    JsFuture::from(outcome.promise()).await.expect("the promise resolves")
}

/// The `code` of the Error the promise rejects with.
pub async fn rejection_code(outcome: impl Outcome) -> (String, String) {
    let error = JsFuture::from(outcome.promise()).await.expect_err("the promise rejects");
    let error: js_sys::Error = error.dyn_into().expect("rejects with an Error");
    let code = Reflect::get(&error, &"code".into()).unwrap().as_string().unwrap();
    (code, error.message().into())
}

pub fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

pub fn to_json(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().into()
}

pub fn session(id: &str) -> JsValue {
    json(&format!(r#"{{"id":"{id}","origin":"https://dapp.example","permissions":{{"eip155:1":["eth_accounts"]}}}}"#))
}

pub fn config(text: &str) -> JsValue {
    json(text)
}
