//! Managed sessions in Web Storage: each `StoredSession` goes in and out as a plain JS object
//! (times in ms, no token), inside the usual `{"data": …, "expiresAt": …}` envelope.

use alloc::{string::String, vec::Vec};
use js_sys::{JsString, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::convert::{copied_string, MAX_COPIED_LENGTH};
use crate::backend::{Backend, Entry, Loaded};
use crate::error::StoreError;
use crate::manager::StoredSession;
use crate::record::{Meta, Record};

/// A backend of JS values (Web Storage) seen as a backend of managed sessions, keyed by the token
/// hashes the manager computes in Rust.
#[derive(Debug)]
pub struct SessionRecords<B>(pub B);

impl<B: Backend<Id = JsString, Data = JsValue>> Backend for SessionRecords<B> {
    type Id = str;
    type Data = StoredSession<JsValue, JsString>;
    type Entry = Record<StoredSession<JsValue, JsString>>;

    fn load(&self, key: &str) -> Result<Option<Self::Entry>, StoreError> {
        self.0.load(&JsString::from(key))?.map(decode).transpose()
    }

    fn save(&mut self, key: &str, session: &StoredSession<JsValue, JsString>, meta: Meta) -> Result<(), StoreError> {
        self.0.save(&JsString::from(key), &encode(session), meta)
    }

    fn save_meta(&mut self, key: &str, entry: &mut Self::Entry, meta: Meta) -> Result<(), StoreError> {
        entry.meta = meta;
        self.save(key, &entry.data.clone(), meta)
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.0.remove(&JsString::from(key))
    }

    fn load_all(&self) -> Result<Loaded<Self>, StoreError> {
        let entries = self.0.load_all()?;
        let mut sessions = Vec::with_capacity(entries.len());
        for (key, entry) in entries {
            // A key too long to hold a token hash is not the manager's, and is never copied into the module.
            if key.length() <= MAX_COPIED_LENGTH {
                sessions.push((String::from(&key), entry.and_then(decode)));
            }
        }
        Ok(sessions)
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        self.0.remove_all()
    }
}

fn encode(session: &StoredSession<JsValue, JsString>) -> JsValue {
    let record = Object::new();
    let set = |name: &str, value: JsValue| {
        // Defining a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&record, &JsValue::from_str(name), &value);
    };
    set("id", JsValue::from_str(&session.id));
    set("userId", session.user_id.clone().into());
    set("tokenHash", JsValue::from_str(&session.token_hash));
    set("createdAt", JsValue::from_f64(session.created_at));
    set("expiresAt", JsValue::from_f64(session.expires_at));
    set("lastActiveAt", JsValue::from_f64(session.last_active_at));
    set("lifetime", JsValue::from_f64(session.lifetime));
    if let Some(metadata) = &session.metadata {
        set("metadata", metadata.clone());
    }
    if let Some(revoked_at) = session.revoked_at {
        set("revokedAt", JsValue::from_f64(revoked_at));
    }
    set("slidingExpiration", JsValue::from_bool(session.sliding_expiration));
    if let Some(agent) = &session.bound_user_agent {
        set("boundUserAgent", agent.clone().into());
    }
    if let Some(successor) = &session.successor {
        set("successor", JsValue::from_str(successor));
    }
    record.into()
}

fn decode<E: Entry<Data = JsValue>>(entry: E) -> Result<Record<StoredSession<JsValue, JsString>>, StoreError> {
    let meta = entry.meta();
    let record = entry.into_data();
    let field = |name: &str| Reflect::get(&record, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
    let present = |value: JsValue| (!value.is_undefined() && !value.is_null()).then_some(value);
    // Copied only when short enough to be what the manager writes.
    let text = |name: &str| copied_string(&field(name)).ok_or(StoreError::CorruptEntry);
    let js_text = |value: JsValue| value.dyn_into::<JsString>().map_err(|_| StoreError::CorruptEntry);
    let time = |value: JsValue| value.as_f64().filter(|t| t.is_finite()).ok_or(StoreError::CorruptEntry);
    let data = StoredSession {
        id: text("id")?,
        user_id: js_text(field("userId"))?,
        token_hash: text("tokenHash")?,
        created_at: time(field("createdAt"))?,
        expires_at: time(field("expiresAt"))?,
        last_active_at: time(field("lastActiveAt"))?,
        lifetime: time(field("lifetime"))?,
        metadata: present(field("metadata")),
        revoked_at: present(field("revokedAt")).map(time).transpose()?,
        sliding_expiration: field("slidingExpiration").is_truthy(),
        bound_user_agent: present(field("boundUserAgent")).map(js_text).transpose()?,
        successor: present(field("successor")).map(|_| text("successor")).transpose()?,
    };
    Ok(Record { data, meta })
}
