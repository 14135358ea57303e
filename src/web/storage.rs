//! The Web Storage backend: one key per session, `prefix + sessionId`, holding the JSON text of
//! `{"data": …, "expiresAt": …}`. The storage object is looked up on `globalThis` at every call and
//! may be anything with `getItem / setItem / removeItem / key / length`.

use alloc::vec::Vec;
use js_sys::{JsString, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsThreadLocal;

use super::global::global;

use crate::backend::{Backend, Entry, Loaded};
use crate::error::{StorageArea, StoreError};
use crate::record::{Meta, ParsedEntry, StoredField};

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
    #[wasm_bindgen(method, catch, js_name = getItem)]
    fn get_item(this: &StorageLike, key: &JsString) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = setItem)]
    fn set_item(this: &StorageLike, key: &JsString, value: &JsString) -> Result<(), JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeItem)]
    fn remove_item(this: &StorageLike, key: &JsString) -> Result<(), JsValue>;

    /// `JSON.parse` of a JavaScript string, which stays one.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.stringify`, whose text stays a JavaScript string (`undefined` for no JSON form).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub(crate) fn stringify_json(value: &JsValue) -> Result<JsValue, JsValue>;
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
    // The names read and written at every call, made once by the glue instead of being decoded
    // from the module's memory each time. The area names are `globalThis` properties; the
    // field names are `record.rs`'s.
    #[wasm_bindgen(thread_local_v2, static_string)]
    static LOCAL_STORAGE: JsString = "localStorage";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static SESSION_STORAGE: JsString = "sessionStorage";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static DATA: JsString = "data";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static EXPIRES_AT: JsString = "expiresAt";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static CREATED_AT: JsString = "createdAt";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static ENTRY_HEAD: JsString = "{\"data\":";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static EXPIRES_AT_PIECE: JsString = ",\"expiresAt\":";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static CREATED_AT_PIECE: JsString = ",\"createdAt\":";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static ENTRY_TAIL: JsString = "}";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static NULL_JSON: JsString = "null";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static QUOTA_EXCEEDED: JsString = "QuotaExceededError";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static QUOTA_REACHED: JsString = "NS_ERROR_DOM_QUOTA_REACHED";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static EMPTY: JsString = "";
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

    /// The prefix as the caller gave it.
    pub fn text(&self) -> &JsString {
        &self.text
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

/// The sessions of one store in `localStorage` or `sessionStorage`.
#[derive(Debug)]
pub struct WebStorage {
    area: StorageArea,
    prefix: Prefix,
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
        WebStorage { area, prefix }
    }

    fn storage(&self) -> Result<StorageLike, StoreError> {
        let unavailable = || StoreError::StorageUnavailable(self.area);
        // Reading the property itself throws in sandboxed frames and with site data blocked.
        let storage = area_object(self.area).map_err(|_| unavailable())?;
        if storage.is_undefined() || storage.is_null() {
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
        let text = encode(data, meta)?;
        self.write(&storage, &self.prefix.key(id)?, &text)
    }

    fn save_meta(&mut self, _id: &JsString, entry: &mut WebEntry, meta: Meta) -> Result<(), StoreError> {
        let storage = self.storage()?;
        set_time(&entry.envelope, &EXPIRES_AT, meta.expires_at);
        set_time(&entry.envelope, &CREATED_AT, meta.created_at);
        entry.meta = meta;
        let text = stringify_json(&entry.envelope)
            .ok()
            .and_then(|text| text.dyn_into::<JsString>().ok())
            .ok_or(StoreError::DataNotSerializable)?;
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
fn join(head: &JsString, tail: &JsString) -> Result<JsString, JsValue> {
    head.unchecked_ref::<Key>().join(tail)
}

/// `globalThis.localStorage` or `globalThis.sessionStorage` as it is now; the read itself throws
/// in sandboxed frames and with site data blocked.
pub(crate) fn area_object(area: StorageArea) -> Result<JsValue, JsValue> {
    let name = match area {
        StorageArea::Local => &LOCAL_STORAGE,
        StorageArea::Session => &SESSION_STORAGE,
    };
    name.with(|name| Reflect::get(&global(), name))
}

/// Reads and decodes one entry; `None` when the key holds nothing (missing or empty).
fn read_entry(storage: &StorageLike, key: &JsString) -> Option<Result<WebEntry, StoreError>> {
    match storage.get_item(key) {
        Err(_) => Some(Err(StoreError::StorageFailure { operation: "getItem" })),
        // Compared in JavaScript: the entry's text is never copied into the module.
        Ok(text) if text.is_null() || text.is_undefined() || EMPTY.with(|empty| text == ***empty) => None,
        Ok(text) => {
            Some(decode(&text).map(|(envelope, data, meta)| WebEntry { key: key.clone(), envelope, data, meta }))
        }
    }
}

/// The data of an entry's text, if it decodes.
pub(crate) fn decode_data(text: &JsValue) -> Option<JsValue> {
    decode(text).ok().map(|(_, data, _)| data)
}

/// An entry's text as its envelope object, its data and its metadata.
fn decode(text: &JsValue) -> Result<(Object, JsValue, Meta), StoreError> {
    let parsed = parse_json(text).map_err(|_| StoreError::CorruptEntry)?;
    if !parsed.is_object() {
        return Err(StoreError::CorruptEntry);
    }
    let envelope: Object = parsed.unchecked_into();
    let data = DATA.with(|name| Reflect::get(&envelope, name)).unwrap_or(JsValue::UNDEFINED);
    let entry = ParsedEntry {
        is_object: true,
        has_data: !data.is_undefined(),
        expires_at: stored_field(&envelope, &EXPIRES_AT),
        created_at: stored_field(&envelope, &CREATED_AT),
    };
    let meta = entry.decode().map_err(|_| StoreError::CorruptEntry)?;
    Ok((envelope, data, meta))
}

fn stored_field(envelope: &Object, name: &'static JsThreadLocal<JsString>) -> StoredField {
    match name.with(|name| Reflect::get(envelope, name)) {
        Ok(value) if value.is_undefined() => StoredField::Absent,
        Ok(value) if value.is_null() => StoredField::Null,
        Ok(value) => value.as_f64().map_or(StoredField::Other, StoredField::Number),
        Err(_) => StoredField::Other,
    }
}

/// The entry text, byte for byte what `JSON.stringify({ data, expiresAt })` gives, joined in
/// JavaScript from the data's JSON, static pieces and the times' JSON: no text is copied into the
/// module or out of it.
fn encode(data: &JsValue, meta: Meta) -> Result<JsString, StoreError> {
    let data_json = stringify_json(data)
        .ok()
        .and_then(|json| json.dyn_into::<JsString>().ok())
        .ok_or(StoreError::DataNotSerializable)?;
    let mut entry = ENTRY_HEAD.with(|head| join(head, &data_json));
    for (piece, time) in [(&EXPIRES_AT_PIECE, meta.expires_at), (&CREATED_AT_PIECE, meta.created_at)] {
        if let Some(ms) = time {
            entry = entry
                .and_then(|text| piece.with(|piece| join(&text, piece)))
                .and_then(|text| join(&text, &number_json(ms)));
        }
    }
    // Past the engine's longest string, the entry has no JSON form either.
    entry.and_then(|text| ENTRY_TAIL.with(|tail| join(&text, tail))).map_err(|_| StoreError::DataNotSerializable)
}

/// A time as JSON text, formatted by JavaScript itself: byte for byte what `JSON.stringify` writes,
/// with no float formatting code in the module.
fn number_json(ms: f64) -> JsString {
    JSON::stringify(&JsValue::from_f64(ms))
        .ok()
        .and_then(|text| text.dyn_into::<JsString>().ok())
        .unwrap_or_else(|| NULL_JSON.with(JsString::clone))
}

fn set_time(envelope: &Object, name: &'static JsThreadLocal<JsString>, time: Option<f64>) {
    // The envelope is a plain object from JSON.parse: neither call can fail.
    let _ = name.with(|name| match time {
        Some(ms) => Reflect::set(envelope, name, &JsValue::from_f64(ms)),
        None => Reflect::delete_property(envelope, name),
    });
}

fn failed(operation: &'static str) -> impl Fn(JsValue) -> StoreError {
    move |_| StoreError::StorageFailure { operation }
}

fn is_quota_error(error: &JsValue) -> bool {
    // Compared in JavaScript: the name is never copied into the module.
    let Ok(name) = Reflect::get(error, &JsValue::from_str("name")) else { return false };
    QUOTA_EXCEEDED.with(|quota| name == ***quota) || QUOTA_REACHED.with(|quota| name == ***quota)
}
