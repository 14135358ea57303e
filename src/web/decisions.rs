//! Every decision a store makes, for the one implementation of its operations in JavaScript
//! (`js/store.js`). The stores keep their sessions in JavaScript, so that none crosses into the
//! module; the module parses the config, decides every session's times and makes the errors. A
//! store's policy and sessions' times travel through [`BLOCK`], a block of the module's memory that
//! JavaScript reads and writes as a `Float64Array`: each decision is one call with numbers only, and
//! an operation over many sessions decides up to [`Block::Batch`] of them in one call.
//!
//! The numbers that cross are declared here once, as the enums below: wasm-bindgen exports each to
//! JavaScript as a frozen object (`Block.FirstSession`, `Verdict.Expired`, …), which `js/store.js`
//! reads instead of copying them.

use core::cell::UnsafeCell;

use js_sys::{Float64Array, JsString};
use wasm_bindgen::prelude::*;

use super::convert::{js_error, store_config};
use crate::error::{StorageArea, StoreError};
use crate::policy::{Policy, Verdict as Access};
use crate::record::{nan_for_none, none_for_nan as time, Meta};

/// The block's layout: the policy first, then [`Block::Batch`] session slots of [`Slot::Size`], then
/// one more slot, the common refresh ([`common_refresh`]).
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy)]
pub enum Block {
    /// The idle lifetime in ms, NaN for none.
    Lifetime = 0,
    /// 1 when an access refreshes, 0 otherwise.
    RefreshOnAccess = 1,
    /// The absolute lifetime in ms, NaN for none.
    AbsoluteLifetime = 2,
    /// Where the first session's slot begins.
    FirstSession = 3,
    /// How many sessions one call decides at most.
    Batch = 128,
}

/// One session's slot: its times in (NaN for none), its times and verdict out.
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy)]
pub enum Slot {
    /// `expiresAt`.
    ExpiresAt = 0,
    /// `createdAt`.
    CreatedAt = 1,
    /// `deadline`, a session's own end.
    Deadline = 2,
    /// From when an access changes nothing ([`Policy::quiet_window`]); infinite when every one does.
    QuietFrom = 3,
    /// Until when (its last valid millisecond) an access changes nothing; infinite for no end.
    QuietUntil = 4,
    /// The [`Verdict`] of the last decision.
    Verdict = 5,
    /// The slot's length.
    Size = 6,
}

/// What a decision made of a session.
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Live, its times as they are.
    Live = 0,
    /// Expired: the store removes it.
    Expired = 1,
    /// Live, with new times written in its slot (refreshed, or pulled back after a clock jump).
    Rewritten = 2,
    /// The session's times depend on the clock, which the call was not given (`now` NaN).
    NeedsClock = 3,
}

/// The failures a store rejects with, by number: [`store_failure`] makes each one's error.
#[wasm_bindgen(skip_typescript)]
#[derive(Clone, Copy)]
pub enum Failure {
    /// `INVALID_SESSION_ID`.
    InvalidSessionId = 0,
    /// `INVALID_OPTIONS`: `set`'s `expiresAt`.
    InvalidDeadline = 1,
    /// `CLOCK_UNAVAILABLE`.
    ClockUnavailable = 2,
    /// `REENTRANT_CALL`.
    ReentrantCall = 3,
    /// `FREED`.
    Freed = 4,
    /// `INVALID_LISTENER`.
    InvalidListener = 5,
    /// `QUOTA_EXCEEDED`.
    QuotaExceeded = 6,
    /// `DATA_NOT_SERIALIZABLE`.
    DataNotSerializable = 7,
    /// `CORRUPT_ENTRY`.
    CorruptEntry = 8,
    /// `STORAGE_UNAVAILABLE` of `localStorage`.
    LocalStorageUnavailable = 9,
    /// `STORAGE_UNAVAILABLE` of `sessionStorage`.
    SessionStorageUnavailable = 10,
    /// `STORAGE_ERROR`: `getItem` threw.
    GetItemFailed = 11,
    /// `STORAGE_ERROR`: `setItem` threw.
    SetItemFailed = 12,
    /// `STORAGE_ERROR`: `removeItem` threw.
    RemoveItemFailed = 13,
    /// `STORAGE_ERROR`: `key` threw.
    KeyFailed = 14,
    /// `STORAGE_ERROR`: `length` threw.
    LengthFailed = 15,
}

const BATCH: usize = Block::Batch as usize;
const FIRST: usize = Block::FirstSession as usize;
const SLOT: usize = Slot::Size as usize;
/// The common refresh's slot, after the batch's.
const COMMON: usize = BATCH;
const LENGTH: usize = FIRST + (BATCH + 1) * SLOT;

struct Times(UnsafeCell<[f64; LENGTH]>);

// The module runs on one thread.
unsafe impl Sync for Times {}

static BLOCK: Times = Times(UnsafeCell::new([f64::NAN; LENGTH]));

/// Runs `work` on the block. No reference to it outlives the call.
fn with_block<R>(work: impl FnOnce(&mut [f64; LENGTH]) -> R) -> R {
    // SAFETY: one thread, no call into JavaScript while the reference lives, and none outlives `work`.
    work(unsafe { &mut *BLOCK.0.get() })
}

fn policy(block: &[f64; LENGTH]) -> Policy {
    Policy {
        lifetime: time(block[Block::Lifetime as usize]),
        refresh_on_access: block[Block::RefreshOnAccess as usize] == 1.0,
        absolute_lifetime: time(block[Block::AbsoluteLifetime as usize]),
        inactivity: None,
    }
}

/// Session `at`'s slot.
fn slot(block: &mut [f64; LENGTH], at: usize) -> &mut [f64] {
    &mut block[FIRST + at * SLOT..FIRST + (at + 1) * SLOT]
}

fn meta(slot: &[f64]) -> Meta {
    Meta {
        expires_at: time(slot[Slot::ExpiresAt as usize]),
        created_at: time(slot[Slot::CreatedAt as usize]),
        last_active_at: None,
        deadline: time(slot[Slot::Deadline as usize]),
    }
}

/// A session's times, written at `now`, with its quiet window.
fn write_meta(slot: &mut [f64], policy: &Policy, meta: Meta, now: f64) {
    let (from, until) = policy.quiet_window(&meta, now);
    slot[Slot::ExpiresAt as usize] = nan_for_none(meta.expires_at);
    slot[Slot::CreatedAt as usize] = nan_for_none(meta.created_at);
    slot[Slot::Deadline as usize] = nan_for_none(meta.deadline);
    slot[Slot::QuietFrom as usize] = from;
    slot[Slot::QuietUntil as usize] = until;
}

/// The block as a `Float64Array` over the module's memory. Growing the memory detaches it (its
/// `length` becomes 0): JavaScript then asks again.
#[wasm_bindgen(js_name = _decisionBlock, skip_typescript)]
pub fn decision_block() -> Float64Array {
    // SAFETY: the view is of a static, so it never points at freed memory; JavaScript checks its
    // length before each use and asks again once a growth has detached it.
    unsafe { Float64Array::view(&*BLOCK.0.get()) }
}

/// Parses a store's config into the block's policy and returns its key prefix: throws
/// `INVALID_CONFIG` as every store's constructor does.
#[wasm_bindgen(js_name = _storePolicy, skip_typescript)]
pub fn store_policy(config: JsValue) -> Result<JsString, JsValue> {
    let config = store_config(&config).map_err(|error| js_error(&error))?;
    let policy = config.policy;
    with_block(|block| {
        block[Block::Lifetime as usize] = nan_for_none(policy.lifetime);
        block[Block::RefreshOnAccess as usize] = if policy.refresh_on_access { 1.0 } else { 0.0 };
        block[Block::AbsoluteLifetime as usize] = nan_for_none(policy.absolute_lifetime);
    });
    Ok(config.prefix)
}

/// A session `set` at `now` (with `deadline`, NaN for none: JavaScript has checked it is finite):
/// writes its times in the first slot, and returns 1 when reading it needs the time (it can expire
/// or refreshes), 0 when it never does.
#[wasm_bindgen(js_name = _timesOnSet, skip_typescript)]
pub fn times_on_set(now: f64, deadline: f64) -> u32 {
    with_block(|block| {
        let policy = policy(block);
        let meta = policy.on_set(now, time(deadline));
        write_meta(slot(block, 0), &policy, meta, now);
        policy.is_timed(&meta) as u32
    })
}

/// An access at `now` to the first `count` sessions (a `get`, a `getAll`): each slot's verdict, and
/// new times where they are rewritten. With `now` NaN (the clock not read yet), a session whose
/// reading needs no time is decided, and any other gets [`Verdict::NeedsClock`]. Returns
/// `NeedsClock` when any slot did, else `Live`.
#[wasm_bindgen(js_name = _access, skip_typescript)]
pub fn access(now: f64, count: u32) -> Verdict {
    decide(count, |policy, slot| access_one(policy, slot, now))
}

/// One slot's access at `now`: its verdict, and its new times written where they are rewritten.
#[inline(never)]
fn access_one(policy: &Policy, slot: &mut [f64], now: f64) -> Verdict {
    let meta = meta(slot);
    if !policy.is_timed(&meta) {
        return Verdict::Live;
    }
    if now.is_nan() {
        return Verdict::NeedsClock;
    }
    match policy.verdict(&meta, now) {
        Access::Expired => Verdict::Expired,
        Access::Live(None) => Verdict::Live,
        Access::Live(Some(meta)) => {
            write_meta(slot, policy, meta, now);
            Verdict::Rewritten
        }
    }
}

/// A sweep at `now` over the first `count` sessions (`cleanExpired`, the expiry timer): each slot's
/// verdict, `Expired` or `Live` (or `NeedsClock` as for [`access`]), and for a live one its end in
/// `QuietUntil` (infinite when it has none): the earliest is when the timer sweeps next.
#[wasm_bindgen(js_name = _sweep, skip_typescript)]
pub fn sweep(now: f64, count: u32) -> Verdict {
    decide(count, |policy, slot| {
        let meta = meta(slot);
        let end = policy.end(&meta);
        slot[Slot::QuietUntil as usize] = end.unwrap_or(f64::INFINITY);
        match end {
            None => Verdict::Live,
            Some(_) if now.is_nan() => Verdict::NeedsClock,
            Some(end) if now > end => Verdict::Expired,
            Some(_) => Verdict::Live,
        }
    })
}

/// The times an access at `now` gives every session that has neither `createdAt` nor a deadline of
/// its own, when the policy refreshes them all alike (a lifetime, refresh on access, no absolute
/// lifetime): written in the slot after the batch's, and 1 returned. Such a session is expired when
/// `now` is past its end (its `QuietUntil`), and otherwise gets these times, as [`access`] would
/// decide it one by one. 0 when each session must be decided alone.
#[wasm_bindgen(js_name = _commonRefresh, skip_typescript)]
pub fn common_refresh(now: f64) -> u32 {
    with_block(|block| {
        let policy = policy(block);
        let bare = Meta::default();
        if !policy.refreshes(&bare) || policy.absolute_lifetime.is_some() || policy.inactivity.is_some() {
            return 0;
        }
        // A session with no times at all, accessed as any other.
        let slot = slot(block, COMMON);
        slot[..Slot::QuietFrom as usize].fill(f64::NAN);
        let verdict = access_one(&policy, slot, now);
        slot[Slot::Verdict as usize] = verdict as u32 as f64;
        (verdict == Verdict::Rewritten) as u32
    })
}

/// Decides each of the first `count` slots (at most a batch), writing each verdict in its slot.
fn decide(count: u32, mut one: impl FnMut(&Policy, &mut [f64]) -> Verdict) -> Verdict {
    with_block(|block| {
        let policy = policy(block);
        let mut outcome = Verdict::Live;
        for at in 0..(count as usize).min(BATCH) {
            let slot = slot(block, at);
            let verdict = one(&policy, slot);
            slot[Slot::Verdict as usize] = verdict as u32 as f64;
            if verdict == Verdict::NeedsClock {
                outcome = Verdict::NeedsClock;
            }
        }
        outcome
    })
}

impl Failure {
    /// The failure of a number JavaScript gives back.
    #[cfg(feature = "manager")]
    pub(super) fn from_number(number: i32) -> Option<Failure> {
        use Failure::*;
        const ALL: [Failure; 16] = [
            InvalidSessionId,
            InvalidDeadline,
            ClockUnavailable,
            ReentrantCall,
            Freed,
            InvalidListener,
            QuotaExceeded,
            DataNotSerializable,
            CorruptEntry,
            LocalStorageUnavailable,
            SessionStorageUnavailable,
            GetItemFailed,
            SetItemFailed,
            RemoveItemFailed,
            KeyFailed,
            LengthFailed,
        ];
        ALL.into_iter().find(|kind| *kind as i32 == number)
    }

    /// Its error: its code and its one message.
    pub(super) fn error(self) -> StoreError {
        match self {
            Failure::InvalidSessionId => StoreError::InvalidSessionId,
            Failure::InvalidDeadline => StoreError::InvalidDeadline,
            Failure::ClockUnavailable => StoreError::ClockUnavailable,
            Failure::ReentrantCall => StoreError::ReentrantCall,
            Failure::Freed => StoreError::Freed,
            Failure::InvalidListener => StoreError::InvalidListener,
            Failure::QuotaExceeded => StoreError::QuotaExceeded,
            Failure::DataNotSerializable => StoreError::DataNotSerializable,
            Failure::CorruptEntry => StoreError::CorruptEntry,
            Failure::LocalStorageUnavailable => StoreError::StorageUnavailable(StorageArea::Local),
            Failure::SessionStorageUnavailable => StoreError::StorageUnavailable(StorageArea::Session),
            Failure::GetItemFailed => StoreError::StorageFailure { operation: "getItem" },
            Failure::SetItemFailed => StoreError::StorageFailure { operation: "setItem" },
            Failure::RemoveItemFailed => StoreError::StorageFailure { operation: "removeItem" },
            Failure::KeyFailed => StoreError::StorageFailure { operation: "key" },
            Failure::LengthFailed => StoreError::StorageFailure { operation: "length" },
        }
    }
}

/// The error of a [`Failure`]: its code and its one message.
#[wasm_bindgen(js_name = _storeFailure, skip_typescript)]
pub fn store_failure(kind: Failure) -> JsValue {
    js_error(&kind.error())
}
