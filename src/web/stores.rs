//! The exported store class: the seven methods over the backend its constructor chose.
//!
//! A class is a handle: its store lives in a `RefCell<Option<…>>`, so that a call made while
//! another runs (from a Storage method, a getter, `toJSON`, `Date.now`) is refused with
//! `REENTRANT_CALL` instead of aliasing the running one, and a freed store refuses calls with
//! `FREED` instead of reaching freed memory.

use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

use js_sys::{Map, Promise};
use wasm_bindgen::prelude::*;

use super::backend::JsBackend;
use super::clock::JsClock;
use super::convert::{js_error, session_id, settle, store_config};
use super::events::Hub;
use super::memory::js_memory;
use super::storage::{Prefix, WebStorage};
use crate::error::{StorageArea, StoreError};
use crate::store::SessionStore;

/// The store behind every class.
type JsStore = SessionStore<JsBackend, JsClock>;

/// What a class holds: its store (`None` once freed) and its listeners.
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

    /// Drops the value now, or as soon as the running call returns.
    pub(crate) fn release(&self) -> Option<T> {
        self.freed.set(true);
        self.inner.try_borrow_mut().ok().and_then(|mut inner| inner.take())
    }
}

struct Instance {
    store: JsStore,
    hub: Rc<Hub>,
}

/// One store method: its outcome settled as a Promise, whatever state the handle is in. Returned as
/// a `Result` for its ABI: an export with two results is never inlined into its JavaScript caller
/// by V8 11 (Node 20), whose deoptimization of such inlined calls aborts the process.
fn call(handle: &Handle<Instance>, method: impl FnOnce(&mut JsStore, &Hub) -> Promise) -> Result<Promise, JsValue> {
    Ok(handle
        .with(|instance| method(&mut instance.store, &instance.hub))
        .unwrap_or_else(|error| settle::<StoreError>(Err(error))))
}

// The methods, written once for every class. Each publishes what it changed to the listeners.

fn js_set(store: &mut JsStore, hub: &Hub, id: &JsValue, data: JsValue) -> Promise {
    let outcome = session_id(id).and_then(|id| store.set(&id, &data));
    hub.publish(store, Some(&data));
    settle(outcome.map(|()| JsValue::UNDEFINED))
}

fn js_validate_and_refresh(store: &mut JsStore, hub: &Hub, id: &JsValue) -> Promise {
    let found = session_id(id).and_then(|id| store.validate_and_refresh(&id));
    hub.publish(store, None);
    settle(found.map(|data| data.unwrap_or(JsValue::UNDEFINED)))
}

fn js_get_all(store: &mut JsStore, hub: &Hub) -> Promise {
    let sessions = store.get_all();
    hub.publish(store, None);
    settle(sessions.map(|sessions| {
        let map = Map::new();
        for (id, data) in sessions {
            map.set(&id, &data);
        }
        map.into()
    }))
}

fn js_delete(store: &mut JsStore, hub: &Hub, id: &JsValue) -> Promise {
    let outcome = session_id(id).and_then(|id| store.delete(&id));
    hub.publish(store, None);
    settle(outcome.map(|()| JsValue::UNDEFINED))
}

fn js_clear(store: &mut JsStore, hub: &Hub) -> Promise {
    let outcome = store.clear();
    hub.publish(store, None);
    settle(outcome.map(|()| JsValue::UNDEFINED))
}

fn js_clean_expired(store: &mut JsStore, hub: &Hub) -> Promise {
    let removed = store.clean_expired();
    hub.publish(store, None);
    settle(removed.map(JsValue::from))
}

fn js_subscribe(handle: &Handle<Instance>, listener: JsValue) -> Result<JsValue, JsValue> {
    let hub = handle.with(|instance| instance.hub.clone()).map_err(|error| js_error(&error))?;
    // Subscribing calls addEventListener: the store is not borrowed meanwhile.
    let unsubscribe = hub.subscribe(listener)?;
    handle.with(|instance| instance.store.record_changes(true)).map_err(|error| js_error(&error))?;
    Ok(unsubscribe)
}

fn js_free(handle: &Handle<Instance>) {
    if let Some(instance) = handle.release() {
        instance.hub.close();
    }
}

/// A store for a config object (memory when `area` is `None`), or the JS error the constructor throws.
fn js_new(config: &JsValue, area: Option<StorageArea>) -> Result<Handle<Instance>, JsValue> {
    let config = store_config(config).map_err(|error| js_error(&error))?;
    let prefix = Prefix::new(config.prefix);
    let backend = match area {
        None => JsBackend::Memory(js_memory()),
        Some(area) => JsBackend::Web(WebStorage::new(area, prefix.clone())),
    };
    let hub = Hub::new(area.map(|area| (area, prefix)));
    Ok(Handle::new(Instance { store: SessionStore::new(backend, config.policy, JsClock), hub }))
}

/// The one exported store class. The package's JavaScript classes (`MemorySessionStore`,
/// `LocalStorageSessionStore`, `SessionStorageSessionStore`, in `js/load.js`) extend it, each
/// passing its storage area and giving its `kind`: one set of exports and glue instead of three.
#[wasm_bindgen(js_name = SessionStoreBase, skip_typescript)]
pub struct JsSessionStore {
    handle: Handle<Instance>,
}

/// The storage area of a `SessionStoreBase` constructor call: what each JavaScript class passes.
const MEMORY: u32 = 0;
const LOCAL: u32 = 1;
const SESSION: u32 = 2;

#[wasm_bindgen(js_class = SessionStoreBase)]
impl JsSessionStore {
    /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses. `area`: 0 memory,
    /// 1 localStorage, 2 sessionStorage.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, area: u32) -> Result<JsSessionStore, JsValue> {
        let area = match area {
            LOCAL => Some(StorageArea::Local),
            SESSION => Some(StorageArea::Session),
            _ => None,
        };
        Ok(JsSessionStore { handle: js_new(&config, area)? })
    }

    /// Calls `listener` with `{ type, sessionId?, data? }` for every change; returns the
    /// function that stops it. Throws `INVALID_LISTENER` for a non-function.
    pub fn subscribe(&self, listener: JsValue) -> Result<JsValue, JsValue> {
        js_subscribe(&self.handle, listener)
    }

    /// Stores a session, starting its lifetime anew.
    pub fn set(&self, session_id: JsValue, data: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store, hub| js_set(store, hub, &session_id, data))
    }

    /// Same as `validateAndRefresh`.
    pub fn get(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store, hub| js_validate_and_refresh(store, hub, &session_id))
    }

    /// The session if it is live, refreshed when configured; `undefined` otherwise.
    #[wasm_bindgen(js_name = validateAndRefresh)]
    pub fn validate_and_refresh(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store, hub| js_validate_and_refresh(store, hub, &session_id))
    }

    /// Every live session by id.
    #[wasm_bindgen(js_name = getAll)]
    pub fn get_all(&self) -> Result<Promise, JsValue> {
        call(&self.handle, js_get_all)
    }

    /// Removes a session.
    pub fn delete(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |store, hub| js_delete(store, hub, &session_id))
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

    /// Releases the store's memory now: later calls reject with `FREED`, and changes not
    /// yet delivered to listeners are dropped. Replaces wasm-bindgen's own `free`, which
    /// would leave later calls throwing instead of rejecting.
    #[wasm_bindgen(js_name = free)]
    pub fn release(&self) {
        js_free(&self.handle)
    }
}

/// The constructors of each JavaScript class, for Rust callers (the wasm tests).
impl JsSessionStore {
    /// `new MemorySessionStore(config)`.
    pub fn memory(config: JsValue) -> Result<JsSessionStore, JsValue> {
        JsSessionStore::new(config, MEMORY)
    }

    /// `new LocalStorageSessionStore(config)`.
    pub fn local(config: JsValue) -> Result<JsSessionStore, JsValue> {
        JsSessionStore::new(config, LOCAL)
    }

    /// `new SessionStorageSessionStore(config)`.
    pub fn session(config: JsValue) -> Result<JsSessionStore, JsValue> {
        JsSessionStore::new(config, SESSION)
    }
}
