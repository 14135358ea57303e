//! The stored envelope as JavaScript sees it: an entry's text, `{"data": …, "expiresAt": …}` (and
//! `createdAt`, `deadline` when kept), written and read without copying any text into the module. The rules of
//! its metadata are the core's (`crate::record`); the field names here are the same.

use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsThreadLocal;

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

#[wasm_bindgen(module = "/js/entry-text.js")]
extern "C" {
    /// The entry text of data and times (NaN for none); `undefined` when the data has no JSON form.
    #[wasm_bindgen(js_name = entryText)]
    fn entry_text(data: &JsValue, expires_at: f64, created_at: f64, deadline: f64) -> JsValue;
    /// The envelope of an entry's text when it is an object with data, else `undefined`.
    #[wasm_bindgen(js_name = envelopeOf)]
    fn envelope_of(text: &JsValue) -> JsValue;
    /// `storage.getItem(key)` as an envelope: `null` for nothing stored, `undefined` for a corrupt entry.
    #[wasm_bindgen(js_name = storedEnvelope, catch)]
    pub(super) fn stored_envelope(storage: &JsValue, key: &JsString) -> Result<JsValue, JsValue>;
    /// `expiresAt` as `stored_time` reads it when the entry has no other time; -Infinity when it has.
    #[wasm_bindgen(js_name = storedExpiry)]
    fn stored_expiry(envelope: &Object) -> f64;
    /// A stored time: NaN when absent or null, infinite when it is no finite number.
    #[wasm_bindgen(js_name = storedTime)]
    fn stored_time(envelope: &Object, name: &JsString) -> f64;
    /// The envelope's text with new times (NaN removes one); `undefined` when it has no JSON form.
    #[wasm_bindgen(js_name = rewrittenText)]
    fn rewritten_text(envelope: &Object, expires_at: f64, created_at: f64, deadline: f64) -> JsValue;
}

// rustfmt would drop the initializers, which are wasm-bindgen syntax, not Rust.
#[rustfmt::skip]
#[wasm_bindgen]
extern "C" {
    // The field names read from every entry, made once by the glue instead of being decoded from
    // the module's memory at each call: `record.rs`'s names.
    #[wasm_bindgen(thread_local_v2, static_string)]
    static DATA: JsString = "data";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static EXPIRES_AT: JsString = "expiresAt";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static CREATED_AT: JsString = "createdAt";
    #[wasm_bindgen(thread_local_v2, static_string)]
    static DEADLINE: JsString = "deadline";
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
    read(envelope_of(text))
}

/// What [`stored_envelope`] gave, other than `null`, as its envelope, data and metadata.
pub(super) fn read(parsed: JsValue) -> Result<(Object, JsValue, Meta), StoreError> {
    if parsed.is_undefined() {
        return Err(StoreError::CorruptEntry);
    }
    let envelope: Object = parsed.unchecked_into();
    let data = DATA.with(|name| Reflect::get(&envelope, name)).unwrap_or(JsValue::UNDEFINED);
    // One call for the usual entry, whose only time is its expiry.
    let entry = match stored_expiry(&envelope) {
        time if time == f64::NEG_INFINITY => ParsedEntry {
            is_object: true,
            has_data: true,
            expires_at: stored_field(&envelope, &EXPIRES_AT),
            created_at: stored_field(&envelope, &CREATED_AT),
            deadline: stored_field(&envelope, &DEADLINE),
        },
        time => ParsedEntry {
            is_object: true,
            has_data: true,
            expires_at: field_of(time),
            created_at: StoredField::Absent,
            deadline: StoredField::Absent,
        },
    };
    let meta = entry.decode().map_err(|_| StoreError::CorruptEntry)?;
    Ok((envelope, data, meta))
}

#[inline(never)]
fn stored_field(envelope: &Object, name: &'static JsThreadLocal<JsString>) -> StoredField {
    field_of(name.with(|name| stored_time(envelope, name)))
}

/// A time as the entry functions give it: NaN none, infinite corrupt.
fn field_of(time: f64) -> StoredField {
    match time {
        time if time.is_nan() => StoredField::Absent,
        time if time.is_finite() => StoredField::Number(time),
        _ => StoredField::Other,
    }
}

/// A time as the entry functions take it: NaN for none.
fn time(time: Option<f64>) -> f64 {
    time.unwrap_or(f64::NAN)
}

/// The entry text, byte for byte what `JSON.stringify({ data, expiresAt })` gives (with
/// `createdAt` and `deadline` when kept), joined in JavaScript: no text is copied into the module
/// or out of it.
pub(super) fn encode(data: &JsValue, meta: Meta) -> Result<JsString, StoreError> {
    entry_text(data, time(meta.expires_at), time(meta.created_at), time(meta.deadline))
        .dyn_into::<JsString>()
        .map_err(|_| StoreError::DataNotSerializable)
}

/// The envelope read from storage with new times, as text: its data and any other fields kept.
pub(super) fn with_times(envelope: &Object, meta: Meta) -> Result<JsString, StoreError> {
    rewritten_text(envelope, time(meta.expires_at), time(meta.created_at), time(meta.deadline))
        .dyn_into::<JsString>()
        .map_err(|_| StoreError::DataNotSerializable)
}
