//! Sessions held in memory, in the order a JavaScript `Map` would keep them.

use alloc::{string::String, vec::Vec, borrow::ToOwned};
use hashbrown::HashMap;
use rustc_hash::FxBuildHasher;

use super::{Backend, Entry};
use crate::error::StoreError;
use crate::record::{Meta, Record};

/// An in-memory backend. `load_all` yields sessions in first-insertion order (overwriting keeps a
/// session's place, deleting and re-adding moves it last), as `@walletmesh/router`'s `Map` does.
pub struct MemoryBackend<D> {
    /// Sessions in insertion order; a removed one leaves a hole until the next compaction.
    slots: Vec<Option<(String, Record<D>)>>,
    /// Where each session's slot is.
    index: HashMap<String, usize, FxBuildHasher>,
}

impl<D> MemoryBackend<D> {
    pub fn new() -> Self {
        MemoryBackend { slots: Vec::new(), index: HashMap::default() }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Drops the holes once they are the majority, so that walking stays proportional to the sessions.
    fn compact_if_sparse(&mut self) {
        if self.slots.len() > 32 && self.index.len() * 2 < self.slots.len() {
            self.slots.retain(Option::is_some);
            for (position, (id, _)) in self.slots.iter().flatten().enumerate() {
                if let Some(slot) = self.index.get_mut(id) {
                    *slot = position;
                }
            }
        }
    }
}

// Keys can be token hashes and records hold session data: neither may reach a log.
impl<D> core::fmt::Debug for MemoryBackend<D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MemoryBackend").field("sessions", &self.len()).finish_non_exhaustive()
    }
}

impl<D> Default for MemoryBackend<D> {
    fn default() -> Self {
        Self::new()
    }
}

impl<D: Clone> Entry for Record<D> {
    type Data = D;

    fn meta(&self) -> Meta {
        self.meta
    }

    fn into_data(self) -> D {
        self.data
    }
}

impl<D: Clone> Backend for MemoryBackend<D> {
    type Data = D;
    type Entry = Record<D>;

    fn load(&self, id: &str) -> Result<Option<Record<D>>, StoreError> {
        let slot = self.index.get(id).and_then(|&position| self.slots.get(position));
        Ok(slot.and_then(Option::as_ref).map(|(_, record)| record.clone()))
    }

    fn save(&mut self, id: &str, data: &D, meta: Meta) -> Result<(), StoreError> {
        let record = Record { data: data.clone(), meta };
        match self.index.get(id).and_then(|&position| self.slots.get_mut(position)) {
            Some(Some((_, slot))) => *slot = record,
            _ => {
                self.index.insert(id.to_owned(), self.slots.len());
                self.slots.push(Some((id.to_owned(), record)));
            }
        }
        Ok(())
    }

    fn save_meta(&mut self, id: &str, entry: &mut Record<D>, meta: Meta) -> Result<(), StoreError> {
        entry.meta = meta;
        if let Some(Some((_, record))) = self.index.get(id).and_then(|&position| self.slots.get_mut(position)) {
            record.meta = meta;
        }
        Ok(())
    }

    fn remove(&mut self, id: &str) -> Result<(), StoreError> {
        if let Some(position) = self.index.remove(id) {
            if let Some(slot) = self.slots.get_mut(position) {
                *slot = None;
            }
            self.compact_if_sparse();
        }
        Ok(())
    }

    fn load_all(&self) -> Result<Vec<(String, Result<Record<D>, StoreError>)>, StoreError> {
        Ok(self.slots.iter().flatten().map(|(id, record)| (id.clone(), Ok(record.clone()))).collect())
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        self.slots.clear();
        self.index.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(backend: &MemoryBackend<u8>) -> Vec<String> {
        backend.load_all().unwrap().into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn keeps_map_insertion_order() {
        let mut backend = MemoryBackend::new();
        for id in ["b", "a", "c"] {
            backend.save(id, &0, Meta::default()).unwrap();
        }
        backend.save("a", &1, Meta::default()).unwrap();
        assert_eq!(ids(&backend), ["b", "a", "c"], "overwriting keeps the place");
        backend.remove("b").unwrap();
        backend.save("b", &2, Meta::default()).unwrap();
        assert_eq!(ids(&backend), ["a", "c", "b"], "re-adding moves it last");
    }

    #[test]
    fn order_and_contents_survive_compaction() {
        let mut backend = MemoryBackend::new();
        let names: Vec<String> = (0..100).map(|i| format!("s{i}")).collect();
        for (i, id) in names.iter().enumerate() {
            backend.save(id, &(i as u8), Meta::default()).unwrap();
        }
        for id in names.iter().step_by(3) {
            backend.remove(id).unwrap();
        }
        for id in names.iter().skip(1).step_by(3) {
            backend.remove(id).unwrap();
        }
        let left: Vec<String> = names.iter().skip(2).step_by(3).cloned().collect();
        assert_eq!(ids(&backend), left);
        assert!(backend.slots.len() < 100, "the holes were dropped");
        backend.save("s2", &7, Meta::default()).unwrap();
        backend.save("new", &8, Meta::default()).unwrap();
        assert_eq!(backend.load("s2").unwrap().unwrap().data, 7);
        assert_eq!(ids(&backend).last().map(String::as_str), Some("new"));
        assert_eq!(backend.len(), left.len() + 1);
    }

    #[test]
    fn debug_shows_neither_ids_nor_data() {
        let mut backend = MemoryBackend::new();
        backend.save("secret-id", &4242u32, Meta::default()).unwrap();
        let debug = format!("{backend:?}");
        assert!(!debug.contains("secret-id") && !debug.contains("4242"), "{debug}");
    }
}
