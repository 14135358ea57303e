//! The exported store classes. Each class is the same seven methods over a different backend.

use std::rc::Rc;

use js_sys::{Map, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::clock::JsClock;
use super::convert::{js_error, session_id, settle, store_config};
use super::events::Hub;
use super::storage::WebStorage;
use crate::backend::{Backend, MemoryBackend};
use crate::error::StorageArea;
use crate::store::SessionStore;

/// The JavaScript methods, written once for any backend holding `JsValue` data. Each publishes
/// what it changed to the store's listeners.
trait JsOperations {
    fn js_set(&mut self, hub: &Hub, session_id: &JsValue, data: JsValue) -> Promise;
    fn js_validate_and_refresh(&mut self, hub: &Hub, session_id: &JsValue) -> Promise;
    fn js_get_all(&mut self, hub: &Hub) -> Promise;
    fn js_delete(&mut self, hub: &Hub, session_id: &JsValue) -> Promise;
    fn js_clear(&mut self, hub: &Hub) -> Promise;
    fn js_clean_expired(&mut self, hub: &Hub) -> Promise;
}

impl<B: Backend<Data = JsValue>> JsOperations for SessionStore<B, JsClock> {
    fn js_set(&mut self, hub: &Hub, id: &JsValue, data: JsValue) -> Promise {
        let outcome = session_id(id).and_then(|id| self.set(&id, data.clone()));
        hub.publish(self, Some(&data));
        settle(outcome.map(|()| JsValue::UNDEFINED))
    }

    fn js_validate_and_refresh(&mut self, hub: &Hub, id: &JsValue) -> Promise {
        let found = session_id(id).and_then(|id| self.validate_and_refresh(&id));
        hub.publish(self, None);
        settle(found.map(|data| data.unwrap_or(JsValue::UNDEFINED)))
    }

    fn js_get_all(&mut self, hub: &Hub) -> Promise {
        let sessions = self.get_all();
        hub.publish(self, None);
        settle(sessions.map(|sessions| {
            let map = Map::new();
            for (id, data) in sessions {
                map.set(&JsValue::from(id), &data);
            }
            map.into()
        }))
    }

    fn js_delete(&mut self, hub: &Hub, id: &JsValue) -> Promise {
        let outcome = session_id(id).and_then(|id| self.delete(&id));
        hub.publish(self, None);
        settle(outcome.map(|()| JsValue::UNDEFINED))
    }

    fn js_clear(&mut self, hub: &Hub) -> Promise {
        let outcome = self.clear();
        hub.publish(self, None);
        settle(outcome.map(|()| JsValue::UNDEFINED))
    }

    fn js_clean_expired(&mut self, hub: &Hub) -> Promise {
        let removed = self.clean_expired();
        hub.publish(self, None);
        settle(removed.map(JsValue::from))
    }
}

/// Declares one exported store class; `$backend` builds its backend from the checked config.
macro_rules! session_store_class {
    ($doc:literal, $class:ident, $kind:literal, $backend:ty, $watch:expr, |$config:ident| $make:expr) => {
        #[doc = $doc]
        #[wasm_bindgen(skip_typescript)]
        pub struct $class {
            store: SessionStore<$backend, JsClock>,
            hub: Rc<Hub>,
        }

        #[wasm_bindgen]
        impl $class {
            /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses.
            #[wasm_bindgen(constructor)]
            pub fn new(config: JsValue) -> Result<$class, JsValue> {
                let $config = store_config(&config).map_err(|error| js_error(&error))?;
                let policy = $config.policy;
                let watch: Option<StorageArea> = $watch;
                let hub = Hub::new(watch.map(|area| (area, $config.prefix.clone())));
                Ok($class { store: SessionStore::new($make, policy, JsClock), hub })
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
                self.store.js_set(&self.hub, &session_id, data)
            }

            pub fn get(&mut self, session_id: JsValue) -> Promise {
                self.store.js_validate_and_refresh(&self.hub, &session_id)
            }

            #[wasm_bindgen(js_name = validateAndRefresh)]
            pub fn validate_and_refresh(&mut self, session_id: JsValue) -> Promise {
                self.store.js_validate_and_refresh(&self.hub, &session_id)
            }

            #[wasm_bindgen(js_name = getAll)]
            pub fn get_all(&mut self) -> Promise {
                self.store.js_get_all(&self.hub)
            }

            pub fn delete(&mut self, session_id: JsValue) -> Promise {
                self.store.js_delete(&self.hub, &session_id)
            }

            pub fn clear(&mut self) -> Promise {
                self.store.js_clear(&self.hub)
            }

            #[wasm_bindgen(js_name = cleanExpired)]
            pub fn clean_expired(&mut self) -> Promise {
                self.store.js_clean_expired(&self.hub)
            }
        }
    };
}

session_store_class!(
    "Sessions in memory: they keep whatever value they are given and last as long as the page.",
    MemorySessionStore,
    "memory",
    MemoryBackend<JsValue>,
    None,
    |config| MemoryBackend::new()
);

session_store_class!(
    "Sessions in `globalThis.localStorage`, one key per session, readable by `@walletmesh/router`.",
    LocalStorageSessionStore,
    "localStorage",
    WebStorage,
    Some(StorageArea::Local),
    |config| WebStorage::new(StorageArea::Local, config.prefix)
);

session_store_class!(
    "Sessions in `globalThis.sessionStorage`: the localStorage layout, scoped to one tab.",
    SessionStorageSessionStore,
    "sessionStorage",
    WebStorage,
    Some(StorageArea::Session),
    |config| WebStorage::new(StorageArea::Session, config.prefix)
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
    let Ok(storage) = Reflect::get(&js_sys::global(), &JsValue::from_str(StorageArea::Local.global_name())) else {
        return false;
    };
    storage.is_object() && Reflect::get(&storage, &JsValue::from_str("length")).is_ok_and(|length| length.as_f64().is_some())
}
