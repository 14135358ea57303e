//! The stored envelope as JavaScript sees it: an entry's text, `{"data": …, "expiresAt": …}` (and
//! `createdAt`, `deadline` when kept), made and read by `js/envelope.js` without copying any text into the module. The rules of
//! its metadata are the core's (`crate::record`); the field names here are the same.

use js_sys::{JsString, Object};
use wasm_bindgen::prelude::*;

use crate::error::StoreError;
use crate::record::{nan_for_none as time, Meta, ParsedEntry, StoredField};

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` of a JavaScript string, which stays one.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    pub(crate) fn parse_json(text: &JsValue) -> Result<JsValue, JsValue>;
    /// `JSON.stringify`, whose text stays a JavaScript string (`undefined` for no JSON form).
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify, catch)]
    pub(crate) fn stringify_json(value: &JsValue) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/js/envelope.js")]
extern "C" {
    /// The entry text of data and times (NaN for none); `undefined` when the data has no JSON form.
    #[wasm_bindgen(js_name = entryText)]
    fn entry_text(data: &JsValue, expires_at: f64, created_at: f64, deadline: f64) -> JsValue;
    /// `storage.getItem(key)` as an envelope: `null` for nothing stored, `undefined` for a corrupt entry.
    #[wasm_bindgen(js_name = storedEnvelope, catch)]
    pub(super) fn stored_envelope(storage: &JsValue, key: &JsString) -> Result<JsValue, JsValue>;
    /// `expiresAt` as `stored_time` reads it when the entry has no other time; -Infinity when it has.
    #[wasm_bindgen(js_name = storedExpiry)]
    fn stored_expiry(envelope: &Object) -> f64;
    /// The stored time at place `at` (0 expiresAt, 1 createdAt, 2 deadline): NaN when absent or
    /// null, infinite when it is no finite number.
    #[wasm_bindgen(js_name = storedTime)]
    fn stored_time(envelope: &Object, at: u32) -> f64;
    /// The envelope's data.
    #[wasm_bindgen(js_name = envelopeData)]
    fn envelope_data(envelope: &Object) -> JsValue;
    /// The envelope's text with new times (NaN removes one); `undefined` when it has no JSON form.
    #[wasm_bindgen(js_name = rewrittenText)]
    fn rewritten_text(envelope: &Object, expires_at: f64, created_at: f64, deadline: f64) -> JsValue;
}

/// What [`stored_envelope`] gave, other than `null`, as its envelope, data and metadata.
pub(super) fn read(parsed: JsValue) -> Result<(Object, JsValue, Meta), StoreError> {
    if parsed.is_undefined() {
        return Err(StoreError::CorruptEntry);
    }
    let envelope: Object = parsed.unchecked_into();
    let data = envelope_data(&envelope);
    // One call for the usual entry, whose only time is its expiry.
    let entry = match stored_expiry(&envelope) {
        time if time == f64::NEG_INFINITY => ParsedEntry {
            is_object: true,
            has_data: true,
            expires_at: field_of(stored_time(&envelope, 0)),
            created_at: field_of(stored_time(&envelope, 1)),
            deadline: field_of(stored_time(&envelope, 2)),
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

/// A time as the entry functions give it: NaN none, infinite corrupt.
fn field_of(time: f64) -> StoredField {
    match time {
        time if time.is_nan() => StoredField::Absent,
        time if time.is_finite() => StoredField::Number(time),
        _ => StoredField::Other,
    }
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
