//! A stored entry's text, decoded by the rules the Web Storage backend ships (`ParsedEntry::decode`;
//! serde_json stands in only for the host's `JSON.parse`), then put through every expiry rule:
//! nothing may panic, and pulled-back times must respect their bounds.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
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

fuzz_target!(|input: Input| {
    let Ok(value) = serde_json::from_str::<Value>(&input.text) else { return };
    let entry = ParsedEntry {
        is_object: value.is_object() || value.is_array(),
        has_data: value.as_object().is_some_and(|entry| entry.contains_key(DATA_FIELD)),
        expires_at: field(&value, EXPIRES_AT_FIELD),
        created_at: field(&value, CREATED_AT_FIELD),
        deadline: field(&value, DEADLINE_FIELD),
    };
    let Ok(meta) = entry.decode() else { return };
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
