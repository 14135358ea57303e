//! The stored envelope as JavaScript sees it: an entry's text, `{"data": …, "expiresAt": …}` (and
//! `createdAt`, `deadline` when kept), written and read without copying any text into the module. The rules of
//! its metadata are the core's (`crate::record`); the field names here are the same.

use js_sys::{JsString, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsThreadLocal;

use super::storage::join;
use crate::error::StoreError;
use crate::record::{Meta, ParsedEntry, StoredField};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JavaScript string, which stays one.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.stringify`, whose text stays a JavaScript string (`undefined` for no JSON form).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub(crate) fn stringify_json(value: &JsValue) -> Result<JsValue, JsValue>;
}

// rustfmt would drop the initializers, which are wasm-bindgen syntax, not Rust.
#[rustfmt::skip]
#[wasm_bindgen]
extern "C" {
    // The field names and pieces of every entry, made once by the glue instead of being decoded
    // from the module's memory at each call: `record.rs`'s names.
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
    static DEADLINE: JsString = "deadline";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static DEADLINE_PIECE: JsString = ",\"deadline\":";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static ENTRY_TAIL: JsString = "}";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static NULL_JSON: JsString = "null";
}

/// Whether two strings are equal, at compile time.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

// The statics above must be literals: the build fails if they and `record.rs`'s names part ways.
const _: () = assert!(same(crate::record::DATA_FIELD, "data"));
const _: () = assert!(same(crate::record::EXPIRES_AT_FIELD, "expiresAt"));
const _: () = assert!(same(crate::record::CREATED_AT_FIELD, "createdAt"));
const _: () = assert!(same(crate::record::DEADLINE_FIELD, "deadline"));

/// The data and times of an entry's text, if it decodes.
pub(crate) fn decode_data(text: &JsValue) -> Option<(JsValue, Meta)> {
    decode(text).ok().map(|(_, data, meta)| (data, meta))
}

/// An entry's text as its envelope object, its data and its metadata.
pub(super) fn decode(text: &JsValue) -> Result<(Object, JsValue, Meta), StoreError> {
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
        deadline: stored_field(&envelope, &DEADLINE),
    };
    let meta = entry.decode().map_err(|_| StoreError::CorruptEntry)?;
    Ok((envelope, data, meta))
}

#[inline(never)]
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
pub(super) fn encode(data: &JsValue, meta: Meta) -> Result<JsString, StoreError> {
    let data_json = stringify_json(data)
        .ok()
        .and_then(|json| json.dyn_into::<JsString>().ok())
        .ok_or(StoreError::DataNotSerializable)?;
    let mut entry = ENTRY_HEAD.with(|head| join(head, &data_json));
    let times =
        [(&EXPIRES_AT_PIECE, meta.expires_at), (&CREATED_AT_PIECE, meta.created_at), (&DEADLINE_PIECE, meta.deadline)];
    for (piece, time) in times {
        entry = entry.and_then(|text| with_time(text, piece, time));
    }
    // Past the engine's longest string, the entry has no JSON form either.
    entry.and_then(|text| ENTRY_TAIL.with(|tail| join(&text, tail))).map_err(|_| StoreError::DataNotSerializable)
}

/// `text` with `piece` and the time's JSON after it, when there is a time. Out of line: one copy
/// for the three times.
#[inline(never)]
fn with_time(text: JsString, piece: &'static JsThreadLocal<JsString>, time: Option<f64>) -> Result<JsString, JsValue> {
    let Some(ms) = time else { return Ok(text) };
    piece.with(|piece| join(&text, piece)).and_then(|text| join(&text, &number_json(ms)))
}

/// A time as JSON text, formatted by JavaScript itself: byte for byte what `JSON.stringify` writes,
/// with no float formatting code in the module.
fn number_json(ms: f64) -> JsString {
    JSON::stringify(&JsValue::from_f64(ms))
        .ok()
        .and_then(|text| text.dyn_into::<JsString>().ok())
        .unwrap_or_else(|| NULL_JSON.with(JsString::clone))
}

/// The envelope read from storage with new times, as text: its data and any other fields kept.
pub(super) fn with_times(envelope: &Object, meta: Meta) -> Result<JsString, StoreError> {
    set_time(envelope, &EXPIRES_AT, meta.expires_at);
    set_time(envelope, &CREATED_AT, meta.created_at);
    set_time(envelope, &DEADLINE, meta.deadline);
    stringify_json(envelope)
        .ok()
        .and_then(|text| text.dyn_into::<JsString>().ok())
        .ok_or(StoreError::DataNotSerializable)
}

fn set_time(envelope: &Object, name: &'static JsThreadLocal<JsString>, time: Option<f64>) {
    // The envelope is a plain object from JSON.parse: neither call can fail.
    let _ = name.with(|name| match time {
        Some(ms) => Reflect::set(envelope, name, &JsValue::from_f64(ms)),
        None => Reflect::delete_property(envelope, name),
    });
}
