//! Managed sessions in Web Storage: each `StoredSession` goes in and out as a plain JS object
//! (serde-wasm-bindgen), inside the usual `{"data": …, "expiresAt": …}` envelope.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::backend::{Backend, Entry};
use crate::error::StoreError;
use crate::manager::StoredSession;
use crate::record::{Meta, Record};

/// The stored form of a managed session: times in ms since the epoch, no token.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionRecord {
    id: String,
    user_id: String,
    token_hash: String,
    created_at: f64,
    expires_at: f64,
    last_active_at: f64,
    lifetime: f64,
    #[serde(with = "serde_wasm_bindgen::preserve", default = "undefined", skip_serializing_if = "JsValue::is_undefined")]
    metadata: JsValue,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    revoked_at: Option<f64>,
    #[serde(default)]
    sliding_expiration: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    bound_user_agent: Option<String>,
}

fn undefined() -> JsValue {
    JsValue::UNDEFINED
}

/// A backend of JS values (Web Storage) seen as a backend of managed sessions.
#[derive(Debug)]
pub struct SessionRecords<B>(pub B);

impl<B: Backend<Data = JsValue>> Backend for SessionRecords<B> {
    type Data = StoredSession<JsValue>;
    type Entry = Record<StoredSession<JsValue>>;

    fn load(&self, key: &str) -> Result<Option<Self::Entry>, StoreError> {
        self.0.load(key)?.map(decode).transpose()
    }

    fn save(&mut self, key: &str, session: &StoredSession<JsValue>, meta: Meta) -> Result<(), StoreError> {
        self.0.save(key, &encode(session.clone())?, meta)
    }

    fn save_meta(&mut self, key: &str, entry: &mut Self::Entry, meta: Meta) -> Result<(), StoreError> {
        entry.meta = meta;
        self.save(key, &entry.data.clone(), meta)
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.0.remove(key)
    }

    fn load_all(&self) -> Result<Vec<(String, Result<Self::Entry, StoreError>)>, StoreError> {
        let entries = self.0.load_all()?;
        Ok(entries.into_iter().map(|(key, entry)| (key, entry.and_then(decode))).collect())
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        self.0.remove_all()
    }
}

fn encode(session: StoredSession<JsValue>) -> Result<JsValue, StoreError> {
    let record = SessionRecord {
        id: session.id,
        user_id: session.user_id,
        token_hash: session.token_hash,
        created_at: session.created_at,
        expires_at: session.expires_at,
        last_active_at: session.last_active_at,
        lifetime: session.lifetime,
        metadata: session.metadata.unwrap_or(JsValue::UNDEFINED),
        revoked_at: session.revoked_at,
        sliding_expiration: session.sliding_expiration,
        bound_user_agent: session.bound_user_agent,
    };
    serde_wasm_bindgen::to_value(&record).map_err(|_| StoreError::DataNotSerializable)
}

fn decode<E: Entry<Data = JsValue>>(entry: E) -> Result<Record<StoredSession<JsValue>>, StoreError> {
    let meta = entry.meta();
    let record: SessionRecord = serde_wasm_bindgen::from_value(entry.into_data()).map_err(|_| StoreError::CorruptEntry)?;
    let times = [record.created_at, record.expires_at, record.last_active_at, record.lifetime];
    if times.iter().any(|t| !t.is_finite()) || record.revoked_at.is_some_and(|t| !t.is_finite()) {
        return Err(StoreError::CorruptEntry);
    }
    let data = StoredSession {
        id: record.id,
        user_id: record.user_id,
        token_hash: record.token_hash,
        created_at: record.created_at,
        expires_at: record.expires_at,
        last_active_at: record.last_active_at,
        lifetime: record.lifetime,
        metadata: (!record.metadata.is_undefined()).then_some(record.metadata),
        revoked_at: record.revoked_at,
        sliding_expiration: record.sliding_expiration,
        bound_user_agent: record.bound_user_agent,
    };
    Ok(Record { data, meta })
}
