//! The JavaScript facade under Node (`wasm-pack test --node`), where there is no Web Storage: the
//! rules the module keeps for the memory store (whose sessions live in `js/memory-store.js`), and
//! the store class over storage where there is none.
#![cfg(target_arch = "wasm32")]

mod web_support;

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_session_store::web::{memory_policy, session_times, store_failure, times_on_access, times_on_set};
use wasm_session_store::JsSessionStore;
use web_support::*;

const T0: f64 = 1_700_000_000_000.0;
const HOUR: f64 = 3_600_000.0;

/// The block's slots, as `js/memory-store.js` reads them.
const EXPIRES_AT: u32 = 3;
const CREATED_AT: u32 = 4;
const DEADLINE: u32 = 5;
const QUIET_FROM: u32 = 6;
const QUIET_UNTIL: u32 = 7;

fn code(error: &JsValue) -> String {
    Reflect::get(error, &"code".into()).unwrap().as_string().unwrap()
}

#[wasm_bindgen_test]
fn the_memory_policy_comes_from_the_config_and_decides_a_set() {
    memory_policy(config(r#"{"lifetime":3600000,"absoluteLifetime":7200000}"#)).unwrap();
    let block = session_times();
    assert_eq!((block.get_index(0), block.get_index(1), block.get_index(2)), (HOUR, 0.0, 2.0 * HOUR));
    assert_eq!(times_on_set(T0, f64::NAN), 1, "a session with a lifetime needs the clock to be read");
    assert_eq!(block.get_index(EXPIRES_AT), T0 + HOUR);
    assert_eq!(block.get_index(CREATED_AT), T0);
    assert!(block.get_index(DEADLINE).is_nan());
    assert_eq!((block.get_index(QUIET_FROM), block.get_index(QUIET_UNTIL)), (T0, T0 + HOUR));

    memory_policy(JsValue::UNDEFINED).unwrap();
    assert_eq!(times_on_set(T0, f64::NAN), 0, "without a lifetime or deadline nothing expires");
    assert_eq!(block.get_index(QUIET_UNTIL), f64::INFINITY);
    assert_eq!(times_on_set(T0, T0 + 10.0), 1, "a deadline of its own");
    assert_eq!(block.get_index(DEADLINE), T0 + 10.0);
}

#[wasm_bindgen_test]
fn an_access_is_live_expired_refreshed_or_pulled_back() {
    memory_policy(config(r#"{"lifetime":1000,"refreshOnAccess":true}"#)).unwrap();
    let block = session_times();
    times_on_set(T0, f64::NAN);
    assert!(block.get_index(QUIET_FROM).is_infinite(), "every access refreshes: never quiet");
    assert_eq!(times_on_access(T0 + 500.0), 2);
    assert_eq!(block.get_index(EXPIRES_AT), T0 + 1500.0);
    assert_eq!(times_on_access(T0 + 1501.0), 1, "expired one ms after its end");

    memory_policy(config(r#"{"lifetime":1000}"#)).unwrap();
    times_on_set(T0 + 3.2e10, f64::NAN);
    assert_eq!(times_on_access(T0), 2, "written a year ahead: pulled back to now");
    assert_eq!(block.get_index(EXPIRES_AT), T0 + 1000.0);
    assert_eq!(times_on_access(T0 + 10.0), 0, "then live as it is");
}

#[wasm_bindgen_test]
fn the_block_view_is_detached_by_a_growth_and_a_new_one_sees_the_same_times() {
    memory_policy(config(r#"{"lifetime":1000}"#)).unwrap();
    let block = session_times();
    times_on_set(T0, f64::NAN);
    let grown: Vec<u8> = std::hint::black_box(Vec::with_capacity(64 << 20));
    assert_eq!(block.length(), 0, "a view over the old buffer");
    drop(grown);
    assert_eq!(session_times().get_index(EXPIRES_AT), T0 + 1000.0);
}

#[wasm_bindgen_test]
fn failures_have_the_codes_and_messages_of_every_store() {
    let cases = [(0, "INVALID_SESSION_ID"), (1, "INVALID_OPTIONS"), (2, "CLOCK_UNAVAILABLE"), (3, "REENTRANT_CALL")];
    for (kind, expected) in cases.into_iter().chain([(4, "FREED"), (5, "INVALID_LISTENER"), (6, "QUOTA_EXCEEDED")]) {
        assert_eq!(code(&store_failure(kind)), expected);
    }
    let freed = store_failure(4);
    assert_eq!(Reflect::get(&freed, &"message".into()).unwrap(), "This object was freed with free()");
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
    let (code, _) = rejection_code(store.set(JsValue::from_f64(1.0), session("a"), None)).await;
    assert_eq!(code, "INVALID_SESSION_ID", "the id is checked before the storage is looked for");
}

#[wasm_bindgen_test]
fn constructors_throw_invalid_config_with_a_code() {
    for bad in [r#"{"lifetime":-1}"#, r#"{"lifetime":"1000"}"#, r#"{"lifetime":1000,"absoluteLifetime":10}"#] {
        let error = JsSessionStore::local(config(bad)).err().expect(bad);
        assert_eq!(code(&error), "INVALID_CONFIG", "{bad}");
        let error = memory_policy(config(bad)).expect_err(bad);
        assert_eq!(code(&error), "INVALID_CONFIG", "{bad}");
    }
}
