// The decision tests (src/web/decisions.rs), run under Node by tests/web_node.rs and in headless
// Chromium by tests/web_browser.rs: one module, two engines.

use js_sys::{Float64Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use wasm_session_store::web::{
    access, common_refresh, decision_block, store_failure, store_policy, sweep, times_on_set, Block, Failure, Slot,
    Verdict,
};
use web_support::*;

const T0: f64 = 1_700_000_000_000.0;
const HOUR: f64 = 3_600_000.0;

fn code(error: &JsValue) -> String {
    Reflect::get(error, &"code".into()).unwrap().as_string().unwrap()
}

/// Session `at`'s `slot`, as `js/store.js` finds it.
fn at(session: u32, slot: Slot) -> u32 {
    Block::FirstSession as u32 + session * Slot::Size as u32 + slot as u32
}

fn put(block: &Float64Array, session: u32, expires_at: f64, created_at: f64, deadline: f64) {
    block.set_index(at(session, Slot::ExpiresAt), expires_at);
    block.set_index(at(session, Slot::CreatedAt), created_at);
    block.set_index(at(session, Slot::Deadline), deadline);
}

fn verdict(block: &Float64Array, session: u32) -> f64 {
    block.get_index(at(session, Slot::Verdict))
}

#[wasm_bindgen_test]
fn the_policy_comes_from_the_config_and_decides_a_set() {
    let prefix = store_policy(config(r#"{"lifetime":3600000,"absoluteLifetime":7200000}"#)).unwrap();
    assert_eq!(String::from(prefix), "wm_session_", "the default prefix");
    let block = decision_block();
    let policy = (block.get_index(Block::Lifetime as u32), block.get_index(Block::RefreshOnAccess as u32));
    assert_eq!(policy, (HOUR, 0.0));
    assert_eq!(block.get_index(Block::AbsoluteLifetime as u32), 2.0 * HOUR);
    assert_eq!(times_on_set(T0, f64::NAN), 1, "a session with a lifetime needs the clock to be read");
    assert_eq!(block.get_index(at(0, Slot::ExpiresAt)), T0 + HOUR);
    assert_eq!(block.get_index(at(0, Slot::CreatedAt)), T0);
    assert!(block.get_index(at(0, Slot::Deadline)).is_nan());
    let quiet = (block.get_index(at(0, Slot::QuietFrom)), block.get_index(at(0, Slot::QuietUntil)));
    assert_eq!(quiet, (T0, T0 + HOUR));

    assert_eq!(String::from(store_policy(config(r#"{"prefix":"p:"}"#)).unwrap()), "p:");
    assert_eq!(times_on_set(T0, f64::NAN), 0, "without a lifetime or deadline nothing expires");
    assert_eq!(block.get_index(at(0, Slot::QuietUntil)), f64::INFINITY);
    assert_eq!(times_on_set(T0, T0 + 10.0), 1, "a deadline of its own");
    assert_eq!(block.get_index(at(0, Slot::Deadline)), T0 + 10.0);
}

#[wasm_bindgen_test]
fn one_access_decides_many_sessions_live_expired_refreshed_or_pulled_back() {
    store_policy(config(r#"{"lifetime":1000,"refreshOnAccess":true}"#)).unwrap();
    let block = decision_block();
    put(&block, 0, T0 + 1000.0, T0, f64::NAN);
    put(&block, 1, T0 + 100.0, T0, f64::NAN);
    put(&block, 2, f64::NAN, T0, f64::NAN);
    assert_eq!(access(T0 + 500.0, 3) as u32, Verdict::Live as u32);
    assert_eq!(verdict(&block, 0), Verdict::Rewritten as u32 as f64);
    assert_eq!(block.get_index(at(0, Slot::ExpiresAt)), T0 + 1500.0, "refreshed to now + lifetime");
    assert!(block.get_index(at(0, Slot::QuietFrom)).is_infinite(), "every access refreshes: never quiet");
    assert_eq!(verdict(&block, 1), Verdict::Expired as u32 as f64, "expired one ms after its end");
    assert_eq!(verdict(&block, 2), Verdict::Rewritten as u32 as f64, "an entry with no expiry gets the lifetime");

    store_policy(config(r#"{"lifetime":1000}"#)).unwrap();
    put(&block, 0, T0 + 3.2e10, T0 + 3.2e10 - 1000.0, f64::NAN);
    access(T0, 1);
    assert_eq!(verdict(&block, 0), Verdict::Rewritten as u32 as f64, "written a year ahead: pulled back to now");
    assert_eq!(block.get_index(at(0, Slot::ExpiresAt)), T0 + 1000.0);
    access(T0 + 10.0, 1);
    assert_eq!(verdict(&block, 0), Verdict::Live as u32 as f64, "then live as it is");
}

#[wasm_bindgen_test]
fn a_common_refresh_is_what_an_access_gives_each_bare_session_and_only_where_the_policy_makes_them_alike() {
    store_policy(config(r#"{"lifetime":1000,"refreshOnAccess":true}"#)).unwrap();
    let block = decision_block();
    assert_eq!(common_refresh(T0), 1);
    let common = |slot: Slot| {
        block.get_index(Block::FirstSession as u32 + Block::Batch as u32 * Slot::Size as u32 + slot as u32)
    };
    let shared = (common(Slot::ExpiresAt), common(Slot::QuietFrom), common(Slot::QuietUntil));
    put(&block, 0, T0 + 10.0, f64::NAN, f64::NAN);
    put(&block, 1, T0 + 3.2e10, f64::NAN, f64::NAN);
    access(T0, 2);
    for session in 0..2 {
        let one = (
            block.get_index(at(session, Slot::ExpiresAt)),
            block.get_index(at(session, Slot::QuietFrom)),
            block.get_index(at(session, Slot::QuietUntil)),
        );
        assert_eq!(one, shared, "session {session}: as decided one by one");
    }
    assert_eq!(shared.0, T0 + 1000.0);
    assert!(common(Slot::CreatedAt).is_nan() && common(Slot::Deadline).is_nan());

    store_policy(config(r#"{"lifetime":1000,"refreshOnAccess":true,"absoluteLifetime":5000}"#)).unwrap();
    assert_eq!(common_refresh(T0), 0, "each session's absolute deadline is its own");
    store_policy(config(r#"{"lifetime":1000}"#)).unwrap();
    assert_eq!(common_refresh(T0), 0, "no refresh");
}

#[wasm_bindgen_test]
fn without_the_clock_only_a_timed_session_asks_for_it() {
    store_policy(config("{}")).unwrap();
    let block = decision_block();
    put(&block, 0, f64::NAN, T0, f64::NAN);
    put(&block, 1, T0 + 5.0, T0, f64::NAN);
    assert_eq!(access(f64::NAN, 2) as u32, Verdict::NeedsClock as u32);
    assert_eq!(verdict(&block, 0), Verdict::Live as u32 as f64, "nothing expires it: no clock needed");
    assert_eq!(verdict(&block, 1), Verdict::NeedsClock as u32 as f64);
}

#[wasm_bindgen_test]
fn a_sweep_says_what_it_removes_and_when_the_next_one_is_due() {
    store_policy(config(r#"{"lifetime":1000,"absoluteLifetime":1500}"#)).unwrap();
    let block = decision_block();
    put(&block, 0, T0 + 1000.0, T0, f64::NAN);
    put(&block, 1, T0 - 1.0, T0 - 2000.0, f64::NAN);
    put(&block, 2, T0 + 1000.0, T0 - 1200.0, f64::NAN);
    assert_eq!(sweep(T0, 3) as u32, Verdict::Live as u32);
    assert_eq!(verdict(&block, 0), Verdict::Live as u32 as f64);
    assert_eq!(block.get_index(at(0, Slot::QuietUntil)), T0 + 1000.0);
    assert_eq!(verdict(&block, 1), Verdict::Expired as u32 as f64);
    assert_eq!(verdict(&block, 2), Verdict::Live as u32 as f64);
    assert_eq!(block.get_index(at(2, Slot::QuietUntil)), T0 + 300.0, "capped by its absolute lifetime");
}

#[wasm_bindgen_test]
fn a_call_decides_one_batch_at_most() {
    store_policy(config("{}")).unwrap();
    let block = decision_block();
    assert_eq!(
        block.length(),
        Block::FirstSession as u32 + (Block::Batch as u32 + 1) * Slot::Size as u32,
        "the batch, then the common refresh"
    );
    for session in 0..Block::Batch as u32 {
        put(&block, session, T0 - 1.0, T0 - 10.0, f64::NAN);
    }
    sweep(T0, u32::MAX);
    assert_eq!(verdict(&block, Block::Batch as u32 - 1), Verdict::Expired as u32 as f64);
}

#[wasm_bindgen_test]
fn the_block_view_is_detached_by_a_growth_and_a_new_one_sees_the_same_times() {
    store_policy(config(r#"{"lifetime":1000}"#)).unwrap();
    let block = decision_block();
    times_on_set(T0, f64::NAN);
    let grown: Vec<u8> = std::hint::black_box(Vec::with_capacity(64 << 20));
    assert_eq!(block.length(), 0, "a view over the old buffer");
    drop(grown);
    assert_eq!(decision_block().get_index(at(0, Slot::ExpiresAt)), T0 + 1000.0);
}

#[wasm_bindgen_test]
fn failures_have_the_codes_and_one_message_each() {
    let cases = [
        (Failure::InvalidSessionId, "INVALID_SESSION_ID"),
        (Failure::InvalidDeadline, "INVALID_OPTIONS"),
        (Failure::ClockUnavailable, "CLOCK_UNAVAILABLE"),
        (Failure::ReentrantCall, "REENTRANT_CALL"),
        (Failure::Freed, "FREED"),
        (Failure::InvalidListener, "INVALID_LISTENER"),
        (Failure::QuotaExceeded, "QUOTA_EXCEEDED"),
        (Failure::DataNotSerializable, "DATA_NOT_SERIALIZABLE"),
        (Failure::CorruptEntry, "CORRUPT_ENTRY"),
        (Failure::LocalStorageUnavailable, "STORAGE_UNAVAILABLE"),
        (Failure::GetItemFailed, "STORAGE_ERROR"),
        (Failure::LengthFailed, "STORAGE_ERROR"),
    ];
    for (kind, expected) in cases {
        assert_eq!(code(&store_failure(kind)), expected);
    }
    let message = |kind| Reflect::get(&store_failure(kind), &"message".into()).unwrap();
    assert_eq!(message(Failure::Freed), "This object was freed with free()");
    assert_eq!(message(Failure::LocalStorageUnavailable), "LocalStorage is not available in this environment");
}

#[wasm_bindgen_test]
fn a_bad_config_throws_invalid_config_with_a_code() {
    for bad in [r#"{"lifetime":-1}"#, r#"{"lifetime":"1000"}"#, r#"{"lifetime":1000,"absoluteLifetime":10}"#] {
        let error = store_policy(config(bad)).expect_err(bad);
        assert_eq!(code(&error), "INVALID_CONFIG", "{bad}");
    }
}
