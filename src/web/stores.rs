//! The exported store class: the seven methods over the backend its constructor chose, and what
//! `subscribe` (in JavaScript, `js/events.js`) needs from the module: the changes each call made,
//! and the decoding of other tabs' entries.
//!
//! A class is a handle: its store lives in a `RefCell<Option<…>>`, so that a call made while
//! another runs (from a Storage method, a getter, `toJSON`, `Date.now`) is refused with
//! `REENTRANT_CALL` instead of aliasing the running one, and a freed store refuses calls with
//! `FREED` instead of reaching freed memory.

use core::cell::{Cell, RefCell};

use js_sys::{Array, JsString, Map, Promise};
use wasm_bindgen::prelude::*;

use super::clock::JsClock;
use super::convert::{js_error, session_id, settle, store_config};
use super::envelope::decode_data;
use super::storage::{Prefix, WebStorage};
use crate::error::{StorageArea, StoreError};
use crate::store::{Change, SessionStore};

/// The store behind every class.
type JsStore = SessionStore<WebStorage, JsClock>;

/// What a class holds: its store or manager (`None` once freed).
pub(crate) struct Handle<T> {
    inner: RefCell<Option<T>>,
    /// `free()` was called while a call was running: the store goes when that call returns.
    freed: Cell<bool>,
}

impl<T> Handle<T> {
    pub(crate) fn new(inner: T) -> Self {
        Handle { inner: RefCell::new(Some(inner)), freed: Cell::new(false) }
    }

    /// Runs `call` on the live value, or says why it cannot run. No borrow outlives the call.
    pub(crate) fn with<R>(&self, call: impl FnOnce(&mut T) -> R) -> Result<R, StoreError> {
        let outcome = {
            let Ok(mut inner) = self.inner.try_borrow_mut() else { return Err(StoreError::ReentrantCall) };
            match inner.as_mut() {
                Some(inner) => Ok(call(inner)),
                None => Err(StoreError::Freed),
            }
        };
        if self.freed.get() {
            self.release();
        }
        outcome
    }

    /// Drops the value now, or as soon as the running call returns. Out of line: every export
    /// would otherwise carry its own copy of the value's drop.
    #[inline(never)]
    pub(crate) fn release(&self) {
        self.freed.set(true);
        drop(self.inner.try_borrow_mut().ok().and_then(|mut inner| inner.take()));
    }
}

/// One store method: its outcome settled as a Promise, whatever state the handle is in. Returned as
/// a `Result` for its ABI: an export with two results is never inlined into its JavaScript caller
/// by V8 11 (Node 20), whose deoptimization of such inlined calls aborts the process.
fn call(handle: &Handle<JsStore>, method: impl FnOnce(&mut JsStore) -> Promise) -> Result<Promise, JsValue> {
    Ok(handle.with(method).unwrap_or_else(|error| settle::<StoreError>(Err(error))))
}

/// A handle operation's result for the exports that return no Promise: failures throw.
fn thrown<R>(outcome: Result<R, StoreError>) -> Result<R, JsValue> {
    outcome.map_err(|error| js_error(&error))
}

// The methods, written once for every class. What each changed stays recorded for `takeChanges`.

fn js_set(store: &mut JsStore, id: &JsValue, data: JsValue, deadline: Option<f64>) -> Promise {
    let outcome = session_id(id).and_then(|id| store.set_until(&id, &data, deadline));
    settle(outcome.map(|()| JsValue::UNDEFINED))
}

fn js_validate_and_refresh(store: &mut JsStore, id: &JsValue) -> Promise {
    let found = session_id(id).and_then(|id| store.validate_and_refresh(&id));
    settle(found.map(|data| data.unwrap_or(JsValue::UNDEFINED)))
}

fn js_get_all(store: &mut JsStore) -> Promise {
    let sessions = store.get_all();
    settle(sessions.map(|sessions| {
        let map = Map::new();
        for (id, data) in sessions {
            map.set(&id, &data);
        }
        map.into()
    }))
}

fn js_delete(store: &mut JsStore, id: &JsValue) -> Promise {
    let outcome = session_id(id).and_then(|id| store.delete(&id));
    settle(outcome.map(|()| JsValue::UNDEFINED))
}

fn js_clear(store: &mut JsStore) -> Promise {
    settle(store.clear().map(|()| JsValue::UNDEFINED))
}

fn js_clean_expired(store: &mut JsStore) -> Promise {
    settle(store.clean_expired().map(JsValue::from))
}

/// The changes as `[kind, id, kind, id, …]` (kind 0 set, 1 delete, 2 clear with no id, 3 refresh,
/// 4 expire), or
/// `undefined` when there are none.
fn change_list(changes: alloc::vec::Vec<Change<JsString>>) -> JsValue {
    if changes.is_empty() {
        return JsValue::UNDEFINED;
    }
    let list = Array::new();
    for change in changes {
        let (kind, id) = match change {
            Change::Set(id) => (0, id.into()),
            Change::Delete(id) => (1, id.into()),
            Change::Clear => (2, JsValue::UNDEFINED),
            Change::Refresh(id) => (3, id.into()),
            Change::Expire(id) => (4, id.into()),
        };
        list.push(&JsValue::from(kind));
        list.push(&id);
    }
    list.into()
}

/// A store for a config object over the storage `area` names (1 localStorage, 2 sessionStorage,
/// or a storage object), or the JS error the constructor throws.
fn js_new(config: &JsValue, area: JsValue) -> Result<Handle<JsStore>, JsValue> {
    let config = store_config(config).map_err(|error| js_error(&error))?;
    let prefix = Prefix::new(config.prefix);
    let storage = match area.as_f64() {
        _ if area.is_object() => WebStorage::over(area, prefix),
        Some(SESSION) => WebStorage::new(StorageArea::Session, prefix),
        _ => WebStorage::new(StorageArea::Local, prefix),
    };
    Ok(Handle::new(SessionStore::new(storage, config.policy, JsClock)))
}

/// The one exported store class over storage. The package's JavaScript classes
/// (`LocalStorageSessionStore`, `SessionStorageSessionStore` and the adapter stores, made in
/// `js/classes.js`) extend it, each passing its storage and giving its `kind`: one set of exports
/// and glue for all of them. The memory store is `js/memory-store.js`.
#[wasm_bindgen(js_name = SessionStoreBase, skip_typescript)]
pub struct JsSessionStore {
    handle: Handle<JsStore>,
}

/// The storage area of a `SessionStoreBase` constructor call, when it is no storage object.
const LOCAL: f64 = 1.0;
const SESSION: f64 = 2.0;

#[wasm_bindgen(js_class = SessionStoreBase)]
impl JsSessionStore {
    /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses. `area`:
    /// 1 localStorage, 2 sessionStorage, or a storage object (`getItem / setItem / removeItem /
    /// key / length`) to run against.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, area: JsValue) -> Result<JsSessionStore, JsValue> {
        Ok(JsSessionStore { handle: js_new(&config, area)? })
    }

    /// Checks a listener for `subscribe` and starts recording changes: throws `INVALID_LISTENER`
    /// for a non-function, `FREED` or `REENTRANT_CALL` when the store cannot be used.
    #[wasm_bindgen(js_name = _listen)]
    pub fn listen(&self, listener: JsValue) -> Result<(), JsValue> {
        let valid = listener.is_function();
        thrown(self.handle.with(|store| {
            if valid {
                store.record_changes(true);
            }
        }))?;
        match valid {
            true => Ok(()),
            false => Err(js_error(&StoreError::InvalidListener)),
        }
    }

    /// Stops recording changes (no listener is left).
    #[wasm_bindgen(js_name = _stopListening)]
    pub fn stop_listening(&self) -> Result<(), JsValue> {
        thrown(self.handle.with(|store| store.record_changes(false)))
    }

    /// The changes the calls since the last call made, as `[kind, id, …]`, or `undefined`.
    #[wasm_bindgen(js_name = _takeChanges)]
    pub fn take_changes(&self) -> Result<JsValue, JsValue> {
        thrown(self.handle.with(|store| change_list(store.take_changes())))
    }

    /// `cleanExpired`, resolving to the earliest end among the sessions left, in ms (`undefined`
    /// when none can expire): when `subscribe`'s expiry timer sweeps next.
    #[wasm_bindgen(js_name = _sweep)]
    pub fn sweep(&self) -> Result<Promise, JsValue> {
        call(&self.handle, |store| {
            settle(store.sweep().map(|(_, end)| end.map_or(JsValue::UNDEFINED, JsValue::from_f64)))
        })
    }

    /// The key prefix of the store's entries.
    #[wasm_bindgen(js_name = _storagePrefix)]
    pub fn storage_prefix(&self) -> Result<JsValue, JsValue> {
        thrown(self.handle.with(|store| JsValue::from(store.backend().prefix().text().clone())))
    }

    /// Stores a session, starting its lifetime anew; with `expires_at` (`set`'s `expiresAt`, read
    /// by `js/classes.js`: NaN when it is no number), until then.
    pub fn set(&self, session_id: JsValue, data: JsValue, expires_at: Option<f64>) -> Result<Promise, JsValue> {
        call(&self.handle, |store| js_set(store, &session_id, data, expires_at))
    }

    /// Same as `validateAndRefresh`.
    pub fn get(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store| js_validate_and_refresh(store, &session_id))
    }

    /// The session if it is live, refreshed when configured; `undefined` otherwise.
    #[wasm_bindgen(js_name = validateAndRefresh)]
    pub fn validate_and_refresh(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store| js_validate_and_refresh(store, &session_id))
    }

    /// Every live session by id.
    #[wasm_bindgen(js_name = getAll)]
    pub fn get_all(&self) -> Result<Promise, JsValue> {
        call(&self.handle, js_get_all)
    }

    /// Removes a session.
    pub fn delete(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store| js_delete(store, &session_id))
    }

    /// Removes this store's sessions and nothing else.
    pub fn clear(&self) -> Result<Promise, JsValue> {
        call(&self.handle, js_clear)
    }

    /// Removes every expired (and corrupt) session; resolves to how many.
    #[wasm_bindgen(js_name = cleanExpired)]
    pub fn clean_expired(&self) -> Result<Promise, JsValue> {
        call(&self.handle, js_clean_expired)
    }

    /// Releases the store's memory now: later calls reject with `FREED`. Replaces
    /// wasm-bindgen's own `free`, which would leave later calls throwing instead of rejecting.
    #[wasm_bindgen(js_name = free)]
    pub fn release(&self) {
        self.handle.release();
    }
}

/// Another tab's entry text (a `storage` event's `newValue` or `oldValue`) as `[data, expiresAt]`
/// (`expiresAt` `null` when it never expires), `undefined` when it does not decode: the envelope's
/// rules, kept in the module.
#[wasm_bindgen(js_name = decodeStoredData, skip_typescript)]
pub fn decode_stored_data(text: JsValue) -> Result<JsValue, JsValue> {
    Ok(decode_data(&text).map_or(JsValue::UNDEFINED, |(data, meta)| {
        Array::of2(&data, &meta.expires_at.map_or(JsValue::NULL, JsValue::from_f64)).into()
    }))
}

/// The constructors of each JavaScript class, for Rust callers (the wasm tests).
impl JsSessionStore {
    /// `new LocalStorageSessionStore(config)`.
    pub fn local(config: JsValue) -> Result<JsSessionStore, JsValue> {
        JsSessionStore::new(config, JsValue::from_f64(LOCAL))
    }

    /// `new SessionStorageSessionStore(config)`.
    pub fn session(config: JsValue) -> Result<JsSessionStore, JsValue> {
        JsSessionStore::new(config, JsValue::from_f64(SESSION))
    }
}
