//! Helpers for the wasm tests: awaiting the stores' Promises and building JS values.
#![allow(dead_code)] // each test crate uses a different part

use js_sys::{Promise, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub async fn resolved(promise: Promise) -> JsValue {
    JsFuture::from(promise).await.expect("the promise resolves")
}

/// The `code` of the Error the promise rejects with.
pub async fn rejection_code(promise: Promise) -> (String, String) {
    let error = JsFuture::from(promise).await.expect_err("the promise rejects");
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
