//! A stored entry's text, read by the crate's decoder (`entry::decode_entry`, the reading of the
//! package's JavaScript codec), then put through every expiry rule: nothing may panic, pulled-back
//! times must respect their bounds, and wherever serde_json parses the text the decoder agrees with
//! it on the envelope's fields.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use wasm_session_store::entry::decode_entry;
use wasm_session_store::record::{
    ParsedEntry, StoredField, CREATED_AT_FIELD, DATA_FIELD, DEADLINE_FIELD, EXPIRES_AT_FIELD,
};
use wasm_session_store::Policy;

#[derive(Arbitrary, Debug)]
struct Input {
    text: String,
    lifetime: Option<u32>,
    refresh_on_access: bool,
    extra_absolute: Option<u32>,
    now: f64,
}

fn field(value: &Value, name: &str) -> StoredField {
    match value.as_object().and_then(|entry| entry.get(name)) {
        None => StoredField::Absent,
        Some(Value::Null) => StoredField::Null,
        Some(Value::Number(n)) => n.as_f64().map_or(StoredField::Other, StoredField::Number),
        Some(_) => StoredField::Other,
    }
}

/// serde_json's reading, where it has one (it refuses lone surrogates and deep nesting).
fn serde_reading(text: &str) -> Option<ParsedEntry> {
    let value = serde_json::from_str::<Value>(text).ok()?;
    Some(ParsedEntry {
        is_object: value.is_object() || value.is_array(),
        has_data: value.as_object().is_some_and(|entry| entry.contains_key(DATA_FIELD)),
        expires_at: field(&value, EXPIRES_AT_FIELD),
        created_at: field(&value, CREATED_AT_FIELD),
        deadline: field(&value, DEADLINE_FIELD),
    })
}

fuzz_target!(|input: Input| {
    let decoded = decode_entry(&input.text);
    if let Some(entry) = serde_reading(&input.text) {
        assert_eq!(
            decoded.map(|entry| entry.map(|entry| entry.meta)),
            entry.decode().map(Some),
            "as serde_json reads it"
        );
    }
    let Ok(Some(entry)) = decoded else { return };
    let meta = entry.meta;
    let lifetime = input.lifetime.filter(|&l| l > 0).map(f64::from);
    let absolute_lifetime = input.extra_absolute.map(|extra| lifetime.unwrap_or(1.0) + f64::from(extra));
    let policy = Policy { lifetime, refresh_on_access: input.refresh_on_access, absolute_lifetime, inactivity: None };
    let now = input.now;
    let _ = policy.can_expire(&meta);
    let expired = policy.is_expired(&meta, now);
    let clamped = policy.clamp(&meta, now).unwrap_or(meta);
    if now.is_finite() {
        // A deadline of its own is the caller's, never pulled back.
        if let (Some(end), Some(l), None) = (clamped.expires_at, lifetime.or(absolute_lifetime), clamped.deadline) {
            assert!(end <= now + l);
        }
        assert!(!expired || policy.is_expired(&clamped, now), "pulling back never revives");
    }
    let _ = policy.on_access(&clamped, now);
});
