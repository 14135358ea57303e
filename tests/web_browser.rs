//! The stores in headless Chromium (`wasm-pack test --headless --chrome`), on its real Web Storage.
#![cfg(target_arch = "wasm32")]

mod web_support;

use js_sys::{Map, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_session_store::JsSessionStore;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn area(name: &str) -> web_sys::Storage {
    Reflect::get(&js_sys::global(), &name.into()).unwrap().unchecked_into()
}

fn local_store(config_json: &str) -> JsSessionStore {
    JsSessionStore::local(config(config_json)).unwrap()
}

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
async fn a_new_instance_reads_what_an_earlier_one_wrote() {
    let storage = area("localStorage");
    let first = local_store(r#"{"prefix":"reload:","lifetime":60000}"#);
    resolved(first.set("wallet".into(), session("wallet"), None)).await;
    drop(first);

    let text = storage.get_item("reload:wallet").unwrap().expect("one key per session");
    let stored = json(&text);
    assert_eq!(to_json(&Reflect::get(&stored, &"data".into()).unwrap()), to_json(&session("wallet")));
    assert!(Reflect::get(&stored, &"expiresAt".into()).unwrap().as_f64().unwrap() > now());

    let reloaded = local_store(r#"{"prefix":"reload:","lifetime":60000}"#);
    let back = resolved(reloaded.get("wallet".into())).await;
    assert_eq!(to_json(&back), to_json(&session("wallet")));
    resolved(reloaded.clear()).await;
}

#[wasm_bindgen_test]
async fn entries_in_the_walletmesh_format_are_read_and_expired_ones_removed() {
    let storage = area("localStorage");
    let data = to_json(&session("wm"));
    storage.set_item("wm_session_live", &format!(r#"{{"data":{data},"expiresAt":{}}}"#, now() + 60_000.0)).unwrap();
    storage.set_item("wm_session_forever", &format!(r#"{{"data":{data}}}"#)).unwrap();
    storage.set_item("wm_session_gone", &format!(r#"{{"data":{data},"expiresAt":{}}}"#, now() - 1.0)).unwrap();
    storage.set_item("unrelated", "keep me").unwrap();

    let store = local_store("{}");
    let all: Map = resolved(store.get_all()).await.unchecked_into();
    let mut ids: Vec<String> = all.keys().into_iter().map(|k| k.unwrap().as_string().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["forever", "live"]);
    assert_eq!(storage.get_item("wm_session_gone").unwrap(), None, "getAll removed the expired entry");

    resolved(store.clear()).await;
    assert_eq!(storage.get_item("wm_session_live").unwrap(), None);
    assert_eq!(storage.get_item("unrelated").unwrap().as_deref(), Some("keep me"), "clear leaves other keys");
    storage.remove_item("unrelated").unwrap();
}

#[wasm_bindgen_test]
async fn clean_expired_counts_in_real_storage() {
    let storage = area("localStorage");
    let data = to_json(&session("x"));
    for id in ["a", "b"] {
        storage.set_item(&format!("clean:{id}"), &format!(r#"{{"data":{data},"expiresAt":1}}"#)).unwrap();
    }
    let store = local_store(r#"{"prefix":"clean:","lifetime":60000}"#);
    resolved(store.set("c".into(), session("c"), None)).await;
    assert_eq!(resolved(store.clean_expired()).await.as_f64(), Some(2.0));
    assert!(storage.get_item("clean:c").unwrap().is_some());
    resolved(store.clear()).await;
}

#[wasm_bindgen_test]
async fn refresh_writes_a_later_expiry_to_real_storage() {
    let storage = area("localStorage");
    let data = to_json(&session("r"));
    let soon = now() + 1_000.0;
    storage.set_item("refresh:r", &format!(r#"{{"data":{data},"expiresAt":{soon}}}"#)).unwrap();
    let store = local_store(r#"{"prefix":"refresh:","lifetime":3600000,"refreshOnAccess":true}"#);
    resolved(store.validate_and_refresh("r".into())).await;
    let stored = json(&storage.get_item("refresh:r").unwrap().unwrap());
    let expires_at = Reflect::get(&stored, &"expiresAt".into()).unwrap().as_f64().unwrap();
    assert!(expires_at > soon + 3_000_000.0, "expiry moved to now + lifetime");
    resolved(store.clear()).await;
}

#[wasm_bindgen_test]
async fn session_storage_store_uses_session_storage() {
    let store = JsSessionStore::session(JsValue::UNDEFINED).unwrap();
    resolved(store.set("tab".into(), session("tab"), None)).await;
    assert!(area("sessionStorage").get_item("wm_session_tab").unwrap().is_some());
    assert_eq!(area("localStorage").get_item("wm_session_tab").unwrap(), None);
    resolved(store.clear()).await;
}

#[wasm_bindgen_test]
async fn ids_with_lone_surrogate_halves_stay_distinct_in_real_local_storage() {
    // "\uD800" and "\uDC00" would both be U+FFFD after a trip through UTF-8.
    let high: JsValue = js_sys::JsString::from_char_code1(0xD800).into();
    let low: JsValue = js_sys::JsString::from_char_code1(0xDC00).into();
    let store = local_store(r#"{"prefix":"halves:"}"#);
    resolved(store.set(high.clone(), session("high"), None)).await;
    resolved(store.set(low.clone(), session("low"), None)).await;
    assert_eq!(to_json(&resolved(store.get(high.clone())).await), to_json(&session("high")));
    assert_eq!(to_json(&resolved(store.get(low.clone())).await), to_json(&session("low")));
    let all: Map = resolved(store.get_all()).await.unchecked_into();
    assert_eq!(all.size(), 2);
    assert!(all.has(&high) && all.has(&low));
    resolved(store.delete(high.clone())).await;
    assert!(resolved(store.get(high)).await.is_undefined());
    assert_eq!(to_json(&resolved(store.get(low)).await), to_json(&session("low")));
    resolved(store.clear()).await;
}
