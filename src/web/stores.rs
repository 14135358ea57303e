//! The exported store classes. Each class is the same seven methods over a different backend.

use js_sys::{Map, Promise};
use wasm_bindgen::prelude::*;

use super::clock::JsClock;
use super::convert::{js_error, session_id, settle, store_config};
use super::storage::WebStorage;
use crate::backend::{Backend, MemoryBackend};
use crate::error::StorageArea;
use crate::store::SessionStore;

/// The JavaScript methods, written once for any backend holding `JsValue` data.
trait JsOperations {
    fn js_set(&mut self, session_id: &JsValue, data: JsValue) -> Promise;
    fn js_validate_and_refresh(&mut self, session_id: &JsValue) -> Promise;
    fn js_get_all(&mut self) -> Promise;
    fn js_delete(&mut self, session_id: &JsValue) -> Promise;
    fn js_clear(&mut self) -> Promise;
    fn js_clean_expired(&mut self) -> Promise;
}

impl<B: Backend<Data = JsValue>> JsOperations for SessionStore<B, JsClock> {
    fn js_set(&mut self, id: &JsValue, data: JsValue) -> Promise {
        settle(session_id(id).and_then(|id| self.set(&id, data)).map(|()| JsValue::UNDEFINED))
    }

    fn js_validate_and_refresh(&mut self, id: &JsValue) -> Promise {
        let found = session_id(id).and_then(|id| self.validate_and_refresh(&id));
        settle(found.map(|data| data.unwrap_or(JsValue::UNDEFINED)))
    }

    fn js_get_all(&mut self) -> Promise {
        settle(self.get_all().map(|sessions| {
            let map = Map::new();
            for (id, data) in sessions {
                map.set(&JsValue::from(id), &data);
            }
            map.into()
        }))
    }

    fn js_delete(&mut self, id: &JsValue) -> Promise {
        settle(session_id(id).and_then(|id| self.delete(&id)).map(|()| JsValue::UNDEFINED))
    }

    fn js_clear(&mut self) -> Promise {
        settle(self.clear().map(|()| JsValue::UNDEFINED))
    }

    fn js_clean_expired(&mut self) -> Promise {
        settle(self.clean_expired().map(JsValue::from))
    }
}

/// Declares one exported store class; `$backend` builds its backend from the checked config.
macro_rules! session_store_class {
    ($doc:literal, $class:ident, $kind:literal, $backend:ty, |$config:ident| $make:expr) => {
        #[doc = $doc]
        #[wasm_bindgen(skip_typescript)]
        pub struct $class {
            store: SessionStore<$backend, JsClock>,
        }

        #[wasm_bindgen]
        impl $class {
            /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses.
            #[wasm_bindgen(constructor)]
            pub fn new(config: JsValue) -> Result<$class, JsValue> {
                let $config = store_config(&config).map_err(|error| js_error(&error))?;
                let policy = $config.policy;
                Ok($class { store: SessionStore::new($make, policy, JsClock) })
            }

            /// Which storage this store uses.
            #[wasm_bindgen(getter)]
            pub fn kind(&self) -> String {
                $kind.to_owned()
            }

            pub fn set(&mut self, session_id: JsValue, data: JsValue) -> Promise {
                self.store.js_set(&session_id, data)
            }

            pub fn get(&mut self, session_id: JsValue) -> Promise {
                self.store.js_validate_and_refresh(&session_id)
            }

            #[wasm_bindgen(js_name = validateAndRefresh)]
            pub fn validate_and_refresh(&mut self, session_id: JsValue) -> Promise {
                self.store.js_validate_and_refresh(&session_id)
            }

            #[wasm_bindgen(js_name = getAll)]
            pub fn get_all(&mut self) -> Promise {
                self.store.js_get_all()
            }

            pub fn delete(&mut self, session_id: JsValue) -> Promise {
                self.store.js_delete(&session_id)
            }

            pub fn clear(&mut self) -> Promise {
                self.store.js_clear()
            }

            #[wasm_bindgen(js_name = cleanExpired)]
            pub fn clean_expired(&mut self) -> Promise {
                self.store.js_clean_expired()
            }
        }
    };
}

session_store_class!(
    "Sessions in memory: they keep whatever value they are given and last as long as the page.",
    MemorySessionStore,
    "memory",
    MemoryBackend<JsValue>,
    |config| MemoryBackend::new()
);

session_store_class!(
    "Sessions in `globalThis.localStorage`, one key per session, readable by `@walletmesh/router`.",
    LocalStorageSessionStore,
    "localStorage",
    WebStorage,
    |config| WebStorage::new(StorageArea::Local, config.prefix)
);

session_store_class!(
    "Sessions in `globalThis.sessionStorage`: the localStorage layout, scoped to one tab.",
    SessionStorageSessionStore,
    "sessionStorage",
    WebStorage,
    |config| WebStorage::new(StorageArea::Session, config.prefix)
);

