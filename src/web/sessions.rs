//! The manager's storage: the stores' own storage interface (`js/web-storage-sessions.js`, over a
//! Web Storage area, an adapter queue's snapshot or the manager's memory area), and their envelope
//! (`js/envelope.js`'s `Session`). `js/manager.js` makes the object; the module calls it by its
//! methods' names. The keys, the entry texts and the storage's failures are JavaScript's; the
//! module sees sessions and failure numbers.

use alloc::vec::Vec;
use js_sys::{Array, JsString};
use wasm_bindgen::prelude::*;

use super::decisions::Failure;
use crate::backend::{Backend, Entry, Loaded};
use crate::error::StoreError;
use crate::record::{nan_for_none as time, none_for_nan, Meta};

#[wasm_bindgen]
extern "C" {
    /// One store's sessions in one storage: every method answers a failure's number rather than
    /// throwing (`catch` all the same: whatever went wrong, it is no trap).
    pub type WebStorageSessions;
    #[wasm_bindgen(method, catch)]
    fn open(this: &WebStorageSessions) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn load(this: &WebStorageSessions, storage: &JsValue, id: &JsString) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn list(this: &WebStorageSessions, storage: &JsValue) -> Result<JsValue, JsValue>;
    /// `save` of a new `Session` of `data` and these times.
    #[wasm_bindgen(method, catch, js_name = saveData)]
    fn save_data(
        this: &WebStorageSessions,
        storage: &JsValue,
        id: &JsString,
        data: &JsValue,
        expires_at: f64,
        created_at: f64,
        deadline: f64,
    ) -> Result<i32, JsValue>;
    #[wasm_bindgen(method, catch, js_name = saveTimes)]
    fn save_times(
        this: &WebStorageSessions,
        storage: &JsValue,
        id: &JsString,
        session: &Session,
    ) -> Result<i32, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn remove(this: &WebStorageSessions, storage: &JsValue, id: &JsString) -> Result<i32, JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeSession)]
    fn remove_session(
        this: &WebStorageSessions,
        storage: &JsValue,
        id: &JsString,
        session: &Session,
    ) -> Result<i32, JsValue>;
    #[wasm_bindgen(method, catch, js_name = removeAll)]
    fn remove_all(this: &WebStorageSessions, storage: &JsValue) -> Result<i32, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// A session as every store holds it (`js/envelope.js`): its data and its times (NaN for none).
    pub type Session;
    #[wasm_bindgen(method, getter)]
    fn data(this: &Session) -> JsValue;
    #[wasm_bindgen(method, getter = expiresAt)]
    fn expires_at(this: &Session) -> f64;
    #[wasm_bindgen(method, getter = createdAt)]
    fn created_at(this: &Session) -> f64;
    #[wasm_bindgen(method, getter)]
    fn deadline(this: &Session) -> f64;
    #[wasm_bindgen(method, setter = expiresAt)]
    fn set_expires_at(this: &Session, time: f64);
    #[wasm_bindgen(method, setter = createdAt)]
    fn set_created_at(this: &Session, time: f64);
    #[wasm_bindgen(method, setter)]
    fn set_deadline(this: &Session, time: f64);
}

/// The manager's sessions under one prefix, in one storage.
pub struct JsSessions(WebStorageSessions);

impl core::fmt::Debug for JsSessions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("JsSessions")
    }
}

/// A session read from storage: the JavaScript `Session` (its envelope and key kept, so that a
/// rewrite keeps the envelope's other fields) and its times.
pub struct JsEntry {
    session: Session,
    meta: Meta,
}

impl Entry for JsEntry {
    type Data = JsValue;

    fn meta(&self) -> Meta {
        self.meta
    }

    fn into_data(self) -> JsValue {
        self.session.data()
    }
}

impl JsSessions {
    /// Over the storage object `js/manager.js` made.
    pub fn new(sessions: JsValue) -> Self {
        JsSessions(sessions.unchecked_into())
    }

    /// The storage object of one operation.
    fn storage(&self) -> Result<JsValue, StoreError> {
        let storage = self.0.open().map_err(|_| failure(Failure::GetItemFailed as i32))?;
        match storage.as_f64() {
            Some(kind) => Err(failure(kind as i32)),
            None => Ok(storage),
        }
    }
}

/// The error of a failure's number (anything else: a failed read).
fn failure(kind: i32) -> StoreError {
    Failure::from_number(kind).unwrap_or(Failure::GetItemFailed).error()
}

/// -1 done, else the failure's number; a throw (none is expected) as `operation`'s failure.
fn done(outcome: Result<i32, JsValue>, operation: Failure) -> Result<(), StoreError> {
    match outcome {
        Ok(-1) => Ok(()),
        Ok(kind) => Err(failure(kind)),
        Err(_) => Err(operation.error()),
    }
}

/// A session as the backend gives it: none (undefined), corrupt (null), a failure's number, or one.
fn entry_of(found: JsValue) -> Result<Option<JsEntry>, StoreError> {
    if found.is_undefined() {
        return Ok(None);
    }
    if found.is_null() {
        return Err(StoreError::CorruptEntry);
    }
    if let Some(kind) = found.as_f64() {
        return Err(failure(kind as i32));
    }
    let session: Session = found.unchecked_into();
    let meta = Meta {
        expires_at: none_for_nan(session.expires_at()),
        created_at: none_for_nan(session.created_at()),
        last_active_at: None,
        deadline: none_for_nan(session.deadline()),
    };
    Ok(Some(JsEntry { session, meta }))
}

impl Backend for JsSessions {
    type Id = JsString;
    type Data = JsValue;
    type Entry = JsEntry;

    fn load(&self, id: &JsString) -> Result<Option<JsEntry>, StoreError> {
        let storage = self.storage()?;
        entry_of(self.0.load(&storage, id).map_err(|_| Failure::GetItemFailed.error())?)
    }

    fn save(&mut self, id: &JsString, data: &JsValue, meta: Meta) -> Result<(), StoreError> {
        let storage = self.storage()?;
        let saved =
            self.0.save_data(&storage, id, data, time(meta.expires_at), time(meta.created_at), time(meta.deadline));
        done(saved, Failure::SetItemFailed)
    }

    fn save_meta(&mut self, id: &JsString, entry: &mut JsEntry, meta: Meta) -> Result<(), StoreError> {
        let storage = self.storage()?;
        entry.session.set_expires_at(time(meta.expires_at));
        entry.session.set_created_at(time(meta.created_at));
        entry.session.set_deadline(time(meta.deadline));
        entry.meta = meta;
        done(self.0.save_times(&storage, id, &entry.session), Failure::SetItemFailed)
    }

    fn remove(&mut self, id: &JsString) -> Result<(), StoreError> {
        let storage = self.storage()?;
        done(self.0.remove(&storage, id), Failure::RemoveItemFailed)
    }

    fn remove_entry(&mut self, id: &JsString, entry: &JsEntry) -> Result<(), StoreError> {
        let storage = self.storage()?;
        done(self.0.remove_session(&storage, id, &entry.session), Failure::RemoveItemFailed)
    }

    fn load_all(&self) -> Result<Loaded<Self>, StoreError> {
        let storage = self.storage()?;
        let listed = self.0.list(&storage).map_err(|_| Failure::KeyFailed.error())?;
        if let Some(kind) = listed.as_f64() {
            return Err(failure(kind as i32));
        }
        let listed: Array = listed.unchecked_into();
        let (ids, sessions): (Array, Array) = (listed.get(0).unchecked_into(), listed.get(1).unchecked_into());
        let mut entries = Vec::with_capacity(ids.length() as usize);
        for at in 0..ids.length() {
            let entry = entry_of(sessions.get(at)).and_then(|entry| entry.ok_or(StoreError::CorruptEntry));
            entries.push((ids.get(at).unchecked_into(), entry));
        }
        Ok(entries)
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        let storage = self.storage()?;
        done(self.0.remove_all(&storage), Failure::RemoveItemFailed)
    }
}
