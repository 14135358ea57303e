//! The JavaScript facade under Node (`wasm-pack test --node`), where there is no Web Storage.
#![cfg(target_arch = "wasm32")]

mod web_support;

use js_sys::{Map, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_session_store::JsSessionStore;
use web_support::*;

#[wasm_bindgen_test]
async fn memory_store_returns_the_very_object_it_was_given() {
    let store = JsSessionStore::memory(JsValue::UNDEFINED).unwrap();
    let data = session("a");
    assert!(resolved(store.set("a".into(), data.clone(), None)).await.is_undefined());
    let back = resolved(store.get("a".into())).await;
    assert!(Object_is(&back, &data));
    let all: Map = resolved(store.get_all()).await.unchecked_into();
    assert_eq!(all.size(), 1);
    assert!(Object_is(&all.get(&"a".into()), &data));
}

#[wasm_bindgen_test]
async fn memory_store_deletes_clears_and_counts() {
    let store = JsSessionStore::memory(JsValue::UNDEFINED).unwrap();
    for id in ["a", "b", "c"] {
        resolved(store.set(id.into(), session(id), None)).await;
    }
    resolved(store.delete("b".into())).await;
    let all: Map = resolved(store.get_all()).await.unchecked_into();
    assert_eq!(all.size(), 2);
    assert_eq!(resolved(store.clean_expired()).await.as_f64(), Some(0.0));
    resolved(store.clear()).await;
    assert!(resolved(store.get("a".into())).await.is_undefined());
}

#[wasm_bindgen_test]
async fn local_storage_store_rejects_where_there_is_none() {
    assert!(Reflect::get(&js_sys::global(), &"localStorage".into()).unwrap().is_undefined());
    let store = JsSessionStore::local(JsValue::UNDEFINED).expect("constructing never throws");
    let (code, message) = rejection_code(store.set("a".into(), session("a"), None)).await;
    assert_eq!(code, "STORAGE_UNAVAILABLE");
    assert_eq!(message, "LocalStorage is not available in this environment");
    let (code, _) = rejection_code(store.get_all()).await;
    assert_eq!(code, "STORAGE_UNAVAILABLE");
}

#[wasm_bindgen_test]
fn constructor_throws_invalid_config_with_a_code() {
    for bad in [r#"{"lifetime":-1}"#, r#"{"lifetime":"1000"}"#, r#"{"lifetime":1000,"absoluteLifetime":10}"#] {
        let error = JsSessionStore::memory(config(bad)).err().expect(bad);
        let code = Reflect::get(&error, &"code".into()).unwrap();
        assert_eq!(code.as_string().as_deref(), Some("INVALID_CONFIG"), "{bad}");
    }
}

#[wasm_bindgen_test]
async fn non_string_ids_reject() {
    let store = JsSessionStore::memory(JsValue::UNDEFINED).unwrap();
    let (code, _) = rejection_code(store.set(JsValue::from_f64(1.0), session("a"), None)).await;
    assert_eq!(code, "INVALID_SESSION_ID");
    let all: Map = resolved(store.get_all()).await.unchecked_into();
    assert_eq!(all.size(), 0);
}

#[allow(non_snake_case)]
fn Object_is(a: &JsValue, b: &JsValue) -> bool {
    js_sys::Object::is(a, b)
}
