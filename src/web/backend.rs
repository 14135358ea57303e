//! The one backend type behind every exported class: memory or Web Storage, chosen at run time, so
//! that the store and manager code is compiled once instead of once per backend.

use alloc::vec::Vec;
use js_sys::JsString;
use wasm_bindgen::JsValue;

use super::memory::JsMemory;
use super::storage::{WebEntry, WebStorage};
use crate::backend::{Backend, Entry, Loaded};
use crate::error::StoreError;
use crate::record::{Meta, Record};

pub enum JsBackend {
    Memory(JsMemory),
    Web(WebStorage),
}

pub enum JsEntry {
    Memory(Record<JsValue>),
    Web(WebEntry),
}

impl Entry for JsEntry {
    type Data = JsValue;

    fn meta(&self) -> Meta {
        match self {
            JsEntry::Memory(entry) => entry.meta(),
            JsEntry::Web(entry) => entry.meta(),
        }
    }

    fn into_data(self) -> JsValue {
        match self {
            JsEntry::Memory(entry) => entry.into_data(),
            JsEntry::Web(entry) => entry.into_data(),
        }
    }
}

fn wrap<E>(entries: Vec<(JsString, Result<E, StoreError>)>, variant: fn(E) -> JsEntry) -> Loaded<JsBackend> {
    entries.into_iter().map(|(id, entry)| (id, entry.map(variant))).collect()
}

impl Backend for JsBackend {
    type Id = JsString;
    type Data = JsValue;
    type Entry = JsEntry;

    fn load(&self, id: &JsString) -> Result<Option<JsEntry>, StoreError> {
        Ok(match self {
            JsBackend::Memory(backend) => backend.load(id)?.map(JsEntry::Memory),
            JsBackend::Web(backend) => backend.load(id)?.map(JsEntry::Web),
        })
    }

    fn save(&mut self, id: &JsString, data: &JsValue, meta: Meta) -> Result<(), StoreError> {
        match self {
            JsBackend::Memory(backend) => backend.save(id, data, meta),
            JsBackend::Web(backend) => backend.save(id, data, meta),
        }
    }

    fn save_meta(&mut self, id: &JsString, entry: &mut JsEntry, meta: Meta) -> Result<(), StoreError> {
        match (self, entry) {
            (JsBackend::Memory(backend), JsEntry::Memory(entry)) => backend.save_meta(id, entry, meta),
            (JsBackend::Web(backend), JsEntry::Web(entry)) => backend.save_meta(id, entry, meta),
            // An entry always comes from the backend it goes back to.
            _ => Err(StoreError::StorageFailure { operation: "setItem" }),
        }
    }

    fn remove(&mut self, id: &JsString) -> Result<(), StoreError> {
        match self {
            JsBackend::Memory(backend) => backend.remove(id),
            JsBackend::Web(backend) => backend.remove(id),
        }
    }

    fn remove_entry(&mut self, id: &JsString, entry: &JsEntry) -> Result<(), StoreError> {
        match (self, entry) {
            (JsBackend::Web(backend), JsEntry::Web(entry)) => backend.remove_entry(id, entry),
            (backend, _) => backend.remove(id),
        }
    }

    fn load_all(&self) -> Result<Loaded<Self>, StoreError> {
        Ok(match self {
            JsBackend::Memory(backend) => wrap(backend.load_all()?, JsEntry::Memory),
            JsBackend::Web(backend) => wrap(backend.load_all()?, JsEntry::Web),
        })
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        match self {
            JsBackend::Memory(backend) => backend.remove_all(),
            JsBackend::Web(backend) => backend.remove_all(),
        }
    }
}
