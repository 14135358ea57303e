//! What the memory store asks of the module. Its sessions live in a JavaScript `Map`
//! (`js/memory-store.js`), so that no session crosses into the module and none grows its memory;
//! the module keeps the rules: it parses the config, decides every session's times, and makes the
//! errors. A store's policy and a session's times travel through [`TIMES`], a block of the module's
//! memory that JavaScript reads and writes as a `Float64Array`, so that each decision is one call
//! with numbers only: no string, object or Promise crosses.

use core::cell::UnsafeCell;

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use super::convert::{js_error, store_config};
use crate::error::StoreError;
use crate::policy::{Policy, Verdict};
use crate::record::{nan_for_none, none_for_nan as time, Meta};

/// `[lifetime, refreshOnAccess (1 or 0), absoluteLifetime, expiresAt, createdAt, deadline,
/// quietFrom, quietUntil]`, in ms; NaN for none. JavaScript writes the policy and the session's
/// times before each call; the module writes the session's times back, with its
/// [quiet window](Policy::quiet_window): the times at which reading it changes nothing, so
/// JavaScript need not ask (and until which it is live). A store has no inactivity limit, so no
/// session of it has a last use.
struct Times(UnsafeCell<[f64; 8]>);

// The module runs on one thread.
unsafe impl Sync for Times {}

static TIMES: Times = Times(UnsafeCell::new([f64::NAN; 8]));

fn read() -> [f64; 8] {
    // SAFETY: one thread, and no reference to the block outlives a call.
    unsafe { *TIMES.0.get() }
}

fn policy() -> Policy {
    let [lifetime, refresh, absolute_lifetime, ..] = read();
    Policy {
        lifetime: time(lifetime),
        refresh_on_access: refresh == 1.0,
        absolute_lifetime: time(absolute_lifetime),
        inactivity: None,
    }
}

fn meta() -> Meta {
    let [_, _, _, expires_at, created_at, deadline, ..] = read();
    Meta { expires_at: time(expires_at), created_at: time(created_at), last_active_at: None, deadline: time(deadline) }
}

fn write(at: usize, values: &[Option<f64>]) {
    // SAFETY: as in `read`; `at + values.len()` is at most 8 at every call.
    let times = unsafe { &mut *TIMES.0.get() };
    for (slot, value) in times[at..].iter_mut().zip(values) {
        *slot = nan_for_none(*value);
    }
}

/// A session's times, written at `now`.
fn write_meta(policy: &Policy, meta: Meta, now: f64) {
    let (from, until) = policy.quiet_window(&meta, now);
    write(3, &[meta.expires_at, meta.created_at, meta.deadline, Some(from), Some(until)]);
}

/// The block as a `Float64Array` over the module's memory. Growing the memory detaches it (its
/// `length` becomes 0): JavaScript then asks again.
#[wasm_bindgen(js_name = _sessionTimes, skip_typescript)]
pub fn session_times() -> Float64Array {
    // SAFETY: the view is of a static, so it never points at freed memory; JavaScript checks its
    // length before each use and asks again once a growth has detached it.
    unsafe { Float64Array::view(&*TIMES.0.get()) }
}

/// Parses a memory store's config into the block's policy: throws `INVALID_CONFIG` as every
/// store's constructor does. The memory store has no use for the prefix, but refuses a bad one.
#[wasm_bindgen(js_name = _memoryPolicy, skip_typescript)]
pub fn memory_policy(config: JsValue) -> Result<(), JsValue> {
    let policy = store_config(&config).map_err(|error| js_error(&error))?.policy;
    let refresh = Some(if policy.refresh_on_access { 1.0 } else { 0.0 });
    write(0, &[policy.lifetime, refresh, policy.absolute_lifetime]);
    Ok(())
}

/// A session `set` at `now` (with `deadline`, NaN for none: JavaScript has checked it is finite):
/// writes its times, and returns 1 when reading it needs the time (it can expire or refreshes),
/// 0 when it never does.
#[wasm_bindgen(js_name = _timesOnSet, skip_typescript)]
pub fn times_on_set(now: f64, deadline: f64) -> u32 {
    let policy = policy();
    let meta = policy.on_set(now, time(deadline));
    write_meta(&policy, meta, now);
    policy.is_timed(&meta) as u32
}

/// An access at `now` to a timed session outside its quiet window: 0 live as it is, 1 expired,
/// 2 live with its new times written (refreshed, or pulled back after a clock jump).
#[wasm_bindgen(js_name = _timesOnAccess, skip_typescript)]
pub fn times_on_access(now: f64) -> u32 {
    let policy = policy();
    match policy.verdict(&meta(), now) {
        Verdict::Expired => 1,
        Verdict::Live(None) => 0,
        Verdict::Live(Some(meta)) => {
            write_meta(&policy, meta, now);
            2
        }
    }
}

/// The errors the memory store rejects with, by number: the module's codes and messages.
#[wasm_bindgen(js_name = _storeFailure, skip_typescript)]
pub fn store_failure(kind: u32) -> JsValue {
    js_error(&match kind {
        0 => StoreError::InvalidSessionId,
        1 => StoreError::InvalidDeadline,
        2 => StoreError::ClockUnavailable,
        3 => StoreError::ReentrantCall,
        4 => StoreError::Freed,
        5 => StoreError::InvalidListener,
        _ => StoreError::QuotaExceeded,
    })
}
