//! A full localStorage in headless Chromium, really filled to its quota.
#![cfg(target_arch = "wasm32")]

mod web_support;

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_session_store::JsSessionStore;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    Reflect::get(&js_sys::global(), &"localStorage".into()).unwrap().unchecked_into()
}

/// Fills localStorage with junk keys until not one more character fits; returns how many keys it used.
fn fill(storage: &web_sys::Storage, first_key: usize) -> usize {
    let mut key = first_key;
    let mut chunk = 1 << 20;
    while chunk > 0 {
        while storage.set_item(&format!("junk-{key}"), &"j".repeat(chunk)).is_ok() {
            key += 1;
        }
        chunk /= 2;
    }
    key
}

fn stored_text(id: &str) -> Option<String> {
    local_storage().get_item(&format!("q:{id}")).unwrap()
}

#[wasm_bindgen_test]
async fn a_full_storage_makes_room_from_expired_sessions_or_refuses_keeping_everything() {
    let storage = local_storage();
    storage.clear().unwrap();
    let store = JsSessionStore::local(config(r#"{"prefix":"q:","lifetime":600000}"#)).unwrap();

    // Three sessions of this store that have long expired, 300 KB each, then a full storage.
    for id in ["old-1", "old-2", "old-3"] {
        let text = format!(r#"{{"data":"{}","expiresAt":1}}"#, "o".repeat(300_000));
        storage.set_item(&format!("q:{id}"), &text).unwrap();
    }
    resolved(store.set("keep".into(), session("keep"), None)).await;
    let junk = fill(&storage, 0);
    assert!(storage.set_item("one-more", "x").is_err(), "localStorage is full");

    // A 200 KB session fits once the expired ones are gone.
    let big = JsValue::from_str(&"n".repeat(200_000));
    resolved(store.set("new".into(), big, None)).await;
    assert!(stored_text("new").unwrap().len() > 200_000);
    for id in ["old-1", "old-2", "old-3"] {
        assert_eq!(stored_text(id), None, "{id} made room");
    }

    // Full again, with no expired session left: the write is refused and nothing changes.
    fill(&storage, junk);
    let keep_before = stored_text("keep");
    let new_before = stored_text("new");
    let (code, _) = rejection_code(store.set("new".into(), JsValue::from_str(&"m".repeat(400_000)), None)).await;
    assert_eq!(code, "QUOTA_EXCEEDED");
    assert_eq!(stored_text("new"), new_before, "the previous value is kept");
    assert_eq!(stored_text("keep"), keep_before, "other sessions are kept");
    let back = resolved(store.get("keep".into())).await;
    assert_eq!(to_json(&back), to_json(&session("keep")));
    storage.clear().unwrap();
}
