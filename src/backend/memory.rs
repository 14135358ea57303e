//! Sessions held in memory, in the order a JavaScript `Map` would keep them.

use std::collections::HashMap;

use super::{Backend, Entry};
use crate::error::StoreError;
use crate::record::{Meta, Record};

/// An in-memory backend. `load_all` yields sessions in first-insertion order (overwriting keeps a
/// session's place, deleting and re-adding moves it last), as `@walletmesh/router`'s `Map` does.
pub struct MemoryBackend<D> {
    sessions: HashMap<String, Slot<D>>,
    next_position: u64,
}

struct Slot<D> {
    position: u64,
    record: Record<D>,
}

impl<D> MemoryBackend<D> {
    pub fn new() -> Self {
        MemoryBackend { sessions: HashMap::new(), next_position: 0 }
    }

    pub fn len(&self) -> usize {
        self.sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
    }
}

// Keys can be token hashes and records hold session data: neither may reach a log.
impl<D> std::fmt::Debug for MemoryBackend<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBackend").field("sessions", &self.sessions.len()).finish_non_exhaustive()
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
        Ok(self.sessions.get(id).map(|slot| slot.record.clone()))
    }

    fn save(&mut self, id: &str, data: &D, meta: Meta) -> Result<(), StoreError> {
        let record = Record { data: data.clone(), meta };
        match self.sessions.get_mut(id) {
            Some(slot) => slot.record = record,
            None => {
                let position = self.next_position;
                self.next_position += 1;
                self.sessions.insert(id.to_owned(), Slot { position, record });
            }
        }
        Ok(())
    }

    fn save_meta(&mut self, id: &str, entry: &mut Record<D>, meta: Meta) -> Result<(), StoreError> {
        entry.meta = meta;
        if let Some(slot) = self.sessions.get_mut(id) {
            slot.record.meta = meta;
        }
        Ok(())
    }

    fn remove(&mut self, id: &str) -> Result<(), StoreError> {
        self.sessions.remove(id);
        Ok(())
    }

    fn load_all(&self) -> Result<Vec<(String, Result<Record<D>, StoreError>)>, StoreError> {
        let mut slots: Vec<(&String, &Slot<D>)> = self.sessions.iter().collect();
        slots.sort_unstable_by_key(|(_, slot)| slot.position);
        Ok(slots.into_iter().map(|(id, slot)| (id.clone(), Ok(slot.record.clone()))).collect())
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        self.sessions.clear();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(backend: &mut MemoryBackend<u8>) -> Vec<String> {
        backend.load_all().unwrap().into_iter().map(|(id, _)| id).collect()
    }

    #[test]
    fn keeps_map_insertion_order() {
        let mut backend = MemoryBackend::new();
        for id in ["b", "a", "c"] {
            backend.save(id, &0, Meta::default()).unwrap();
        }
        backend.save("a", &1, Meta::default()).unwrap();
        assert_eq!(ids(&mut backend), ["b", "a", "c"], "overwriting keeps the place");
        backend.remove("b").unwrap();
        backend.save("b", &2, Meta::default()).unwrap();
        assert_eq!(ids(&mut backend), ["a", "c", "b"], "re-adding moves it last");
    }

    #[test]
    fn debug_shows_neither_ids_nor_data() {
        let mut backend = MemoryBackend::new();
        backend.save("secret-id", &4242u32, Meta::default()).unwrap();
        let debug = format!("{backend:?}");
        assert!(!debug.contains("secret-id") && !debug.contains("4242"), "{debug}");
    }
}
