//! The exported store classes. Each class is the same seven methods over a different backend.

use alloc::{string::String, borrow::ToOwned};
use alloc::rc::Rc;

use js_sys::{Map, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::backend::JsBackend;
use super::clock::JsClock;
use super::convert::{js_error, session_id, settle, store_config};
use super::events::Hub;
use super::memory::js_memory;
use super::storage::{area_object, Prefix, WebStorage};
use crate::error::StorageArea;
use crate::store::SessionStore;

/// The store behind every class.
type JsStore = SessionStore<JsBackend, JsClock>;

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

/// A store for a config object (memory when `area` is `None`), or the JS error the constructor throws.
fn js_new(config: &JsValue, area: Option<StorageArea>) -> Result<(JsStore, Rc<Hub>), JsValue> {
    let config = store_config(config).map_err(|error| js_error(&error))?;
    let prefix = Prefix::new(&config.prefix);
    let backend = match area {
        None => JsBackend::Memory(js_memory()),
        Some(area) => JsBackend::Web(WebStorage::new(area, prefix.clone())),
    };
    let hub = Hub::new(area.map(|area| (area, prefix)));
    Ok((SessionStore::new(backend, config.policy, JsClock), hub))
}

/// Declares one exported store class; `$backend` builds its backend from the checked config.
macro_rules! session_store_class {
    ($doc:literal, $class:ident, $kind:literal, $area:expr) => {
        #[doc = $doc]
        #[wasm_bindgen(skip_typescript)]
        pub struct $class {
            store: JsStore,
            hub: Rc<Hub>,
        }

        #[wasm_bindgen]
        impl $class {
            /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses.
            #[wasm_bindgen(constructor)]
            pub fn new(config: JsValue) -> Result<$class, JsValue> {
                let (store, hub) = js_new(&config, $area)?;
                Ok($class { store, hub })
            }

            /// Calls `listener` with `{ type, sessionId?, data? }` for every change; returns the
            /// function that stops it. Throws `INVALID_LISTENER` for a non-function.
            pub fn subscribe(&mut self, listener: JsValue) -> Result<JsValue, JsValue> {
                let unsubscribe = self.hub.subscribe(listener)?;
                self.store.record_changes(true);
                Ok(unsubscribe)
            }

            /// Which storage this store uses.
            #[wasm_bindgen(getter)]
            pub fn kind(&self) -> String {
                $kind.to_owned()
            }

            pub fn set(&mut self, session_id: JsValue, data: JsValue) -> Promise {
                js_set(&mut self.store, &self.hub, &session_id, data)
            }

            pub fn get(&mut self, session_id: JsValue) -> Promise {
                js_validate_and_refresh(&mut self.store, &self.hub, &session_id)
            }

            #[wasm_bindgen(js_name = validateAndRefresh)]
            pub fn validate_and_refresh(&mut self, session_id: JsValue) -> Promise {
                js_validate_and_refresh(&mut self.store, &self.hub, &session_id)
            }

            #[wasm_bindgen(js_name = getAll)]
            pub fn get_all(&mut self) -> Promise {
                js_get_all(&mut self.store, &self.hub)
            }

            pub fn delete(&mut self, session_id: JsValue) -> Promise {
                js_delete(&mut self.store, &self.hub, &session_id)
            }

            pub fn clear(&mut self) -> Promise {
                js_clear(&mut self.store, &self.hub)
            }

            #[wasm_bindgen(js_name = cleanExpired)]
            pub fn clean_expired(&mut self) -> Promise {
                js_clean_expired(&mut self.store, &self.hub)
            }
        }
    };
}

session_store_class!(
    "Sessions in memory: they keep whatever value they are given and last as long as the page.",
    MemorySessionStore,
    "memory",
    None
);

session_store_class!(
    "Sessions in `globalThis.localStorage`, one key per session, readable by `@walletmesh/router`.",
    LocalStorageSessionStore,
    "localStorage",
    Some(StorageArea::Local)
);

session_store_class!(
    "Sessions in `globalThis.sessionStorage`: the localStorage layout, scoped to one tab.",
    SessionStorageSessionStore,
    "sessionStorage",
    Some(StorageArea::Session)
);


/// A localStorage store where localStorage can be read, a memory store otherwise (server-side
/// rendering, sandboxed frames, blocked site data); its `kind` says which. The check only reads.
#[wasm_bindgen(js_name = createSessionStore, skip_typescript)]
pub fn create_session_store(config: JsValue) -> Result<JsValue, JsValue> {
    if local_storage_readable() {
        Ok(LocalStorageSessionStore::new(config)?.into())
    } else {
        Ok(MemorySessionStore::new(config)?.into())
    }
}

fn local_storage_readable() -> bool {
    let Ok(storage) = area_object(StorageArea::Local) else {
        return false;
    };
    storage.is_object() && Reflect::get(&storage, &JsValue::from_str("length")).is_ok_and(|length| length.as_f64().is_some())
}
