//! The SessionManager in headless Chromium, over its real localStorage.
#![cfg(target_arch = "wasm32")]

mod web_support;

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wasm_session_store::JsSessionManager;
use web_support::*;

wasm_bindgen_test_configure!(run_in_browser);

fn manager(prefix: &str) -> JsSessionManager {
    JsSessionManager::new(config(&format!(r#"{{"storage":"localStorage","prefix":"{prefix}"}}"#)), JsValue::UNDEFINED)
        .unwrap()
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &name.into()).unwrap()
}

fn text(object: &JsValue, name: &str) -> String {
    field(object, name).as_string().unwrap()
}

async fn verdict(manager: &JsSessionManager, token: &str) -> String {
    let result = resolved(manager.validate(token.into(), JsValue::UNDEFINED)).await;
    if field(&result, "valid").is_truthy() {
        "valid".into()
    } else {
        text(&result, "error")
    }
}

fn local_storage() -> web_sys::Storage {
    Reflect::get(&js_sys::global(), &"localStorage".into()).unwrap().unchecked_into()
}

#[wasm_bindgen_test]
async fn create_validate_rotate_and_revoke_in_real_local_storage() {
    let m = manager("mgr1:");
    let created = resolved(m.create(json(r#"{"userId":"alice","metadata":{"wallet":"0xabc"}}"#))).await;
    let token = text(&created, "token");
    let hash = text(&created, "tokenHash");
    let stored = local_storage().get_item(&format!("mgr1:{hash}")).unwrap().expect("stored under the hash");
    assert!(!stored.contains(&token), "the token itself is never stored");
    assert_eq!(verdict(&m, &token).await, "valid");

    let refreshed = resolved(m.refresh(token.clone().into(), JsValue::UNDEFINED)).await;
    let new_token = text(&refreshed, "token");
    assert_eq!(verdict(&m, &token).await, "invalid_token", "the old token is retired");
    // Within the rotation grace the old hash holds only a sealed forward, never the new token itself.
    let forward = local_storage().get_item(&format!("mgr1:{hash}")).unwrap().expect("a forward for other tabs");
    assert!(forward.contains("successor") && !forward.contains(&new_token));
    assert_eq!(verdict(&m, &new_token).await, "valid");

    resolved(m.destroy(field(&created, "id"))).await;
    assert_eq!(verdict(&m, &new_token).await, "session_revoked");
    resolved(m.destroy_all_for_user("alice".into())).await;
    assert_eq!(verdict(&m, &new_token).await, "invalid_token");
}

#[wasm_bindgen_test]
async fn a_new_manager_finds_the_sessions_of_an_earlier_one() {
    let first = manager("mgr2:");
    let a = resolved(first.create(json(r#"{"userId":"alice"}"#))).await;
    resolved(first.create(json(r#"{"userId":"alice"}"#))).await;
    resolved(first.create(json(r#"{"userId":"bob"}"#))).await;
    drop(first);

    let second = manager("mgr2:");
    let listed: Array = resolved(second.list_for_user("alice".into())).await.unchecked_into();
    assert_eq!(listed.length(), 2);
    for session in listed.iter() {
        assert_eq!(text(&session, "token"), "", "listed sessions never carry a token");
        assert!(field(&session, "createdAt").is_instance_of::<js_sys::Date>());
    }
    assert_eq!(verdict(&second, &text(&a, "token")).await, "valid");
    resolved(second.destroy_all_for_user("alice".into())).await;
    resolved(second.destroy_all_for_user("bob".into())).await;
    let storage = local_storage();
    let keys: Vec<String> = (0..storage.length().unwrap()).filter_map(|i| storage.key(i).unwrap()).collect();
    assert!(keys.iter().all(|key| !key.starts_with("mgr2:")), "{keys:?}");
}

#[wasm_bindgen_test]
async fn user_agent_binding_with_the_real_navigator_user_agent() {
    let navigator = field(&js_sys::global(), "navigator");
    let agent = text(&navigator, "userAgent");
    let m = JsSessionManager::new(
        config(r#"{"storage":"localStorage","prefix":"mgr3:","bindToUserAgent":true}"#),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let options = json(r#"{"userId":"alice"}"#);
    Reflect::set(&options, &"userAgent".into(), &agent.clone().into()).unwrap();
    let created = resolved(m.create(options)).await;
    let token = text(&created, "token");
    let same = json("{}");
    Reflect::set(&same, &"userAgent".into(), &agent.into()).unwrap();
    let result = resolved(m.validate(token.clone().into(), same.clone())).await;
    assert!(field(&result, "valid").is_truthy());
    let other = resolved(m.validate(token.clone().into(), json(r#"{"userAgent":"curl/8"}"#))).await;
    assert_eq!(text(&other, "error"), "user_agent_mismatch");
    let (code, _) = rejection_code(m.refresh(token.clone().into(), json(r#"{"userAgent":"curl/8"}"#))).await;
    assert_eq!(code, "USER_AGENT_MISMATCH", "a refresh from another agent rotates nothing");
    let rotated = resolved(m.refresh(token.into(), same.clone())).await;
    assert!(field(&resolved(m.validate(text(&rotated, "token").into(), same)).await, "valid").is_truthy());
    resolved(m.destroy_all_for_user("alice".into())).await;
}
