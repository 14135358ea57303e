//! The Web Storage backend: one key per session, `prefix + sessionId`, holding the entry text that
//! `envelope.rs` writes and reads. The storage object is looked up on `globalThis` at every call and
//! may be anything with `getItem / setItem / removeItem / key / length`.

use alloc::vec::Vec;
use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::envelope;

use crate::backend::{Backend, Entry, Loaded};
use crate::error::{StorageArea, StoreError};
use crate::record::Meta;

#[wasm_bindgen]
extern "C" {
    /// Anything with `getItem / setItem / removeItem / key / length`, called by name (structurally),
    /// so that polyfills and test doubles serve. Values stay JavaScript strings: none is copied into
    /// the module and back.
    pub type StorageLike;
    #[wasm_bindgen(method, catch, getter)]
    fn length(this: &StorageLike) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn key(this: &StorageLike, index: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setItem)]
    fn set_item(this: &StorageLike, key: &JsString, value: &JsString) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeItem)]
    fn remove_item(this: &StorageLike, key: &JsString) -> Result<(), JsValue>;

    /// A key read from storage, tested and cut in JavaScript.
    type Key;
    #[wasm_bindgen(method, js_name = startsWith)]
    fn starts_with(this: &Key, prefix: &JsString) -> bool;
    #[wasm_bindgen(method, js_name = slice)]
    fn slice_from(this: &Key, start: u32) -> JsString;
    // `catch`: joining strings throws a RangeError past the engine's longest string.
    #[wasm_bindgen(method, js_name = concat, catch)]
    fn join(this: &Key, tail: &JsString) -> Result<JsString, JsValue>;
}

// rustfmt would drop the initializers, which are wasm-bindgen syntax, not Rust.
#[rustfmt::skip]
#[wasm_bindgen]
extern "C" {
    // The names read at every call, made once by the glue instead of being decoded from the
    // module's memory each time: `globalThis` properties, and error names.
    #[wasm_bindgen(thread_local_v2, static_string)]
    static LOCAL_STORAGE: JsString = "localStorage";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static SESSION_STORAGE: JsString = "sessionStorage";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static QUOTA_EXCEEDED: JsString = "QuotaExceededError";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static QUOTA_REACHED: JsString = "NS_ERROR_DOM_QUOTA_REACHED";
}

/// A store's key prefix as a JavaScript string: keys are made, tested and cut back to session ids
/// without being copied into the module.
#[derive(Clone, Debug)]
pub struct Prefix {
    text: JsString,
    /// In UTF-16 code units, as `slice` counts.
    len: u32,
}

impl Prefix {
    /// The caller's prefix, exactly as given.
    pub fn new(text: JsString) -> Self {
        let len = text.length();
        Prefix { text, len }
    }

    /// `prefix + id`; an id too long to make a key with is no valid session id.
    pub fn key(&self, id: &JsString) -> Result<JsString, StoreError> {
        join(&self.text, id).map_err(|_| StoreError::InvalidSessionId)
    }

    /// Whether `key` is a string under this prefix.
    fn owns(&self, key: &JsValue) -> bool {
        key.is_string() && key.unchecked_ref::<Key>().starts_with(&self.text)
    }

    /// The session id under a key already known to be this prefix's.
    fn id_of_own(&self, key: &JsValue) -> JsString {
        key.unchecked_ref::<Key>().slice_from(self.len)
    }
}

/// The sessions of one store in `localStorage`, `sessionStorage`, or a storage object of its own
/// (the snapshot that `js/adapter.js` runs a call against for an asynchronous adapter).
#[derive(Debug)]
pub struct WebStorage {
    source: Source,
    prefix: Prefix,
}

/// Where a [`WebStorage`] finds its storage object at each call.
#[derive(Debug)]
enum Source {
    /// Looked up on `globalThis` each time: it may come, go, or throw.
    Area(StorageArea),
    /// Given once, at construction.
    Object(JsValue),
}

/// A stored session as parsed: the whole envelope is kept so a refresh rewrites it with any extra
/// fields intact.
pub struct WebEntry {
    /// The key it was read under, reused to write it back or remove it.
    key: JsString,
    envelope: Object,
    data: JsValue,
    meta: Meta,
}

impl Entry for WebEntry {
    type Data = JsValue;

    fn meta(&self) -> Meta {
        self.meta
    }

    fn into_data(self) -> JsValue {
        self.data
    }
}

impl WebStorage {
    pub fn new(area: StorageArea, prefix: Prefix) -> Self {
        WebStorage { source: Source::Area(area), prefix }
    }

    /// Over a storage object of its own, used as it is.
    pub fn over(storage: JsValue, prefix: Prefix) -> Self {
        WebStorage { source: Source::Object(storage), prefix }
    }

    fn storage(&self) -> Result<StorageLike, StoreError> {
        let area = match &self.source {
            Source::Area(area) => *area,
            Source::Object(storage) => return Ok(storage.clone().unchecked_into()),
        };
        let unavailable = || StoreError::StorageUnavailable(area);
        // Reading the property itself throws in sandboxed frames and with site data blocked.
        let storage = area_object(area).map_err(|_| unavailable())?;
        if storage.is_undefined() {
            return Err(unavailable());
        }
        Ok(storage.unchecked_into())
    }

    /// This store's keys, walking `key(0)` … `key(length - 1)` in order before touching any.
    fn own_keys(&self, storage: &StorageLike) -> Result<Vec<JsString>, StoreError> {
        let length = storage.length().map_err(failed("length"))?.as_f64().unwrap_or(0.0);
        let mut keys = Vec::new();
        // `length` as Storage reports it: a count, so the cast only guards against a double's nonsense.
        for index in 0..(length as u32) {
            let key = storage.key(index).map_err(failed("key"))?;
            if self.prefix.owns(&key) {
                keys.push(key.unchecked_into());
            }
        }
        Ok(keys)
    }

    fn write(&self, storage: &StorageLike, key: &JsString, text: &JsString) -> Result<(), StoreError> {
        storage.set_item(key, text).map_err(|error| {
            if is_quota_error(&error) {
                StoreError::QuotaExceeded
            } else {
                StoreError::StorageFailure { operation: "setItem" }
            }
        })
    }
}

impl Backend for WebStorage {
    type Id = JsString;
    type Data = JsValue;
    type Entry = WebEntry;

    fn load(&self, id: &JsString) -> Result<Option<WebEntry>, StoreError> {
        let storage = self.storage()?;
        read_entry(&storage, &self.prefix.key(id)?).transpose()
    }

    fn save(&mut self, id: &JsString, data: &JsValue, meta: Meta) -> Result<(), StoreError> {
        let storage = self.storage()?;
        let text = envelope::encode(data, meta)?;
        self.write(&storage, &self.prefix.key(id)?, &text)
    }

    fn save_meta(&mut self, _id: &JsString, entry: &mut WebEntry, meta: Meta) -> Result<(), StoreError> {
        let storage = self.storage()?;
        let text = envelope::with_times(&entry.envelope, meta)?;
        entry.meta = meta;
        self.write(&storage, &entry.key, &text)
    }

    fn remove(&mut self, id: &JsString) -> Result<(), StoreError> {
        self.storage()?.remove_item(&self.prefix.key(id)?).map_err(failed("removeItem"))
    }

    fn remove_entry(&mut self, _id: &JsString, entry: &WebEntry) -> Result<(), StoreError> {
        self.storage()?.remove_item(&entry.key).map_err(failed("removeItem"))
    }

    fn load_all(&self) -> Result<Loaded<Self>, StoreError> {
        let storage = self.storage()?;
        let mut entries = Vec::new();
        for key in self.own_keys(&storage)? {
            if let Some(entry) = read_entry(&storage, &key) {
                entries.push((self.prefix.id_of_own(&key), entry));
            }
        }
        Ok(entries)
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        let storage = self.storage()?;
        for key in self.own_keys(&storage)? {
            storage.remove_item(&key).map_err(failed("removeItem"))?;
        }
        Ok(())
    }
}

/// `head + tail`, or the RangeError of a string longer than the engine allows.
pub(super) fn join(head: &JsString, tail: &JsString) -> Result<JsString, JsValue> {
    head.unchecked_ref::<Key>().join(tail)
}

#[wasm_bindgen(module = "/js/storage-area.js")]
extern "C" {
    #[wasm_bindgen(js_name = storageArea, catch)]
    fn storage_area(name: &JsString) -> Result<JsValue, JsValue>;
}

/// `globalThis.localStorage` or `globalThis.sessionStorage` as it is now (`undefined` for none);
/// the read itself throws in sandboxed frames and with site data blocked.
fn area_object(area: StorageArea) -> Result<JsValue, JsValue> {
    let name = match area {
        StorageArea::Local => &LOCAL_STORAGE,
        StorageArea::Session => &SESSION_STORAGE,
    };
    name.with(storage_area)
}

/// Reads and decodes one entry; `None` when the key holds nothing (missing or empty).
fn read_entry(storage: &StorageLike, key: &JsString) -> Option<Result<WebEntry, StoreError>> {
    // Read, tested and parsed in JavaScript, in one call: the entry's text never enters the module.
    match envelope::stored_envelope(storage, key) {
        Err(_) => Some(Err(StoreError::StorageFailure { operation: "getItem" })),
        Ok(found) if found.is_null() => None,
        Ok(found) => Some(envelope::read(found).map(|(envelope, data, meta)| WebEntry {
            key: key.clone(),
            envelope,
            data,
            meta,
        })),
    }
}

fn failed(operation: &'static str) -> impl Fn(JsValue) -> StoreError {
    move |_| StoreError::StorageFailure { operation }
}

fn is_quota_error(error: &JsValue) -> bool {
    // Compared in JavaScript: the name is never copied into the module.
    let Ok(name) = Reflect::get(error, &JsValue::from_str("name")) else { return false };
    QUOTA_EXCEEDED.with(|quota| name == ***quota) || QUOTA_REACHED.with(|quota| name == ***quota)
}
