//! Sessions held in memory, in the order a JavaScript `Map` would keep them.

use alloc::{borrow::ToOwned, collections::BTreeMap, string::String, vec::Vec};
use core::borrow::Borrow;

use super::{Backend, Entry, Loaded};
use crate::error::StoreError;
use crate::record::{nan_for_none, none_for_nan, Meta, Record};

/// Where each session's slot is, by id: a `BTreeMap` by default, or an index of the caller's.
pub trait SlotIndex {
    /// What names a session.
    type Id: ?Sized + ToOwned;
    /// The slot of a session, if it has one.
    fn position(&self, id: &Self::Id) -> Option<usize>;
    /// Records (or moves) a session's slot.
    fn insert(&mut self, id: &Self::Id, position: usize);
    /// Forgets a session's slot, returning it.
    fn remove(&mut self, id: &Self::Id) -> Option<usize>;
    /// Forgets every slot.
    fn clear(&mut self);
}

impl SlotIndex for BTreeMap<String, usize> {
    type Id = str;

    fn position(&self, id: &str) -> Option<usize> {
        self.get(id).copied()
    }

    fn insert(&mut self, id: &str, position: usize) {
        BTreeMap::insert(self, id.to_owned(), position);
    }

    fn remove(&mut self, id: &str) -> Option<usize> {
        BTreeMap::remove(self, id)
    }

    fn clear(&mut self) {
        BTreeMap::clear(self);
    }
}

type Owned<I> = <<I as SlotIndex>::Id as ToOwned>::Owned;

/// A session's four optional times as plain numbers, NaN for none: half the room of a `Meta`
/// (each `Option<f64>` takes 16 bytes) in every slot of a memory store. No time is ever NaN:
/// stored times are finite or absent, and a NaN would mean "none" to every rule anyway.
#[derive(Clone, Copy)]
struct Times([f64; 4]);

impl From<Meta> for Times {
    fn from(meta: Meta) -> Self {
        let time = nan_for_none;
        Times([time(meta.expires_at), time(meta.created_at), time(meta.last_active_at), time(meta.deadline)])
    }
}

impl From<Times> for Meta {
    fn from(Times([expires_at, created_at, last_active_at, deadline]): Times) -> Self {
        let time = none_for_nan;
        Meta {
            expires_at: time(expires_at),
            created_at: time(created_at),
            last_active_at: time(last_active_at),
            deadline: time(deadline),
        }
    }
}

/// One session in memory: its id, its data and its times.
struct Slot<I: SlotIndex, D> {
    id: Owned<I>,
    data: D,
    times: Times,
}

impl<I: SlotIndex, D: Clone> Slot<I, D> {
    fn record(&self) -> Record<D> {
        Record { data: self.data.clone(), meta: self.times.into() }
    }
}

/// An in-memory backend. `load_all` yields sessions in first-insertion order (overwriting keeps a
/// session's place, deleting and re-adding moves it last), as `@walletmesh/router`'s `Map` does.
pub struct MemoryBackend<D, I: SlotIndex = BTreeMap<String, usize>> {
    /// Sessions in insertion order; a removed one leaves a hole until the next compaction.
    slots: Vec<Option<Slot<I, D>>>,
    index: I,
    len: usize,
}

impl<D> MemoryBackend<D> {
    /// An empty backend.
    pub fn new() -> Self {
        Self::with_index(BTreeMap::new())
    }
}

impl<D, I: SlotIndex> MemoryBackend<D, I> {
    /// An empty backend over an empty `index`.
    pub fn with_index(index: I) -> Self {
        MemoryBackend { slots: Vec::new(), index, len: 0 }
    }

    /// How many sessions it holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds no session.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn slot_mut(&mut self, id: &I::Id) -> Option<&mut Slot<I, D>> {
        let position = self.index.position(id)?;
        self.slots.get_mut(position)?.as_mut()
    }

    /// Drops the holes once they are the majority, so that walking stays proportional to the
    /// sessions, and gives back the room the store no longer needs (a store that held 100,000
    /// sessions must not keep their space once they are gone).
    fn compact_if_sparse(&mut self) {
        if self.slots.len() > 32 && self.len * 2 < self.slots.len() {
            self.slots.retain(Option::is_some);
            self.slots.shrink_to(self.len * 2);
            for (position, slot) in self.slots.iter().flatten().enumerate() {
                self.index.insert(slot.id.borrow(), position);
            }
        }
    }
}

// Keys can be token hashes and records hold session data: neither may reach a log.
impl<D, I: SlotIndex> core::fmt::Debug for MemoryBackend<D, I> {
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

impl<D: Clone, I: SlotIndex> Backend for MemoryBackend<D, I>
where
    Owned<I>: Clone,
{
    type Id = I::Id;
    type Data = D;
    type Entry = Record<D>;

    fn load(&self, id: &I::Id) -> Result<Option<Record<D>>, StoreError> {
        let slot = self.index.position(id).and_then(|position| self.slots.get(position));
        Ok(slot.and_then(Option::as_ref).map(Slot::record))
    }

    fn save(&mut self, id: &I::Id, data: &D, meta: Meta) -> Result<(), StoreError> {
        match self.slot_mut(id) {
            Some(slot) => {
                slot.data = data.clone();
                slot.times = meta.into();
            }
            None => {
                self.index.insert(id, self.slots.len());
                self.slots.push(Some(Slot { id: id.to_owned(), data: data.clone(), times: meta.into() }));
                self.len += 1;
            }
        }
        Ok(())
    }

    fn save_meta(&mut self, id: &I::Id, entry: &mut Record<D>, meta: Meta) -> Result<(), StoreError> {
        entry.meta = meta;
        if let Some(slot) = self.slot_mut(id) {
            slot.times = meta.into();
        }
        Ok(())
    }

    fn remove(&mut self, id: &I::Id) -> Result<(), StoreError> {
        if let Some(position) = self.index.remove(id) {
            if self.slots.get_mut(position).and_then(Option::take).is_some() {
                self.len -= 1;
            }
            self.compact_if_sparse();
        }
        Ok(())
    }

    fn load_all(&self) -> Result<Loaded<Self>, StoreError> {
        Ok(self.slots.iter().flatten().map(|slot| (slot.id.clone(), Ok(slot.record()))).collect())
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        // The room itself goes too, not only the sessions.
        self.slots = Vec::new();
        self.index.clear();
        self.len = 0;
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
    fn every_time_comes_back_as_it_was_saved_absent_or_not() {
        let mut backend = MemoryBackend::new();
        let metas = [
            Meta::default(),
            Meta { expires_at: Some(1.5), created_at: None, last_active_at: Some(-3.0), deadline: Some(0.0) },
            Meta { expires_at: None, created_at: Some(f64::MAX), last_active_at: None, deadline: Some(-0.0) },
        ];
        for (i, meta) in metas.iter().enumerate() {
            backend.save(&format!("s{i}"), &0u8, *meta).unwrap();
            assert_eq!(backend.load(&format!("s{i}")).unwrap().unwrap().meta, *meta);
        }
        let mut entry = backend.load("s0").unwrap().unwrap();
        backend.save_meta("s0", &mut entry, metas[1]).unwrap();
        assert_eq!(backend.load("s0").unwrap().unwrap().meta, metas[1]);
        let all: Vec<Meta> = backend.load_all().unwrap().into_iter().map(|(_, e)| e.unwrap().meta).collect();
        assert_eq!(all, [metas[1], metas[1], metas[2]]);
    }

    #[test]
    fn room_is_given_back_when_sessions_go() {
        let mut backend = MemoryBackend::new();
        let names: Vec<String> = (0..10_000).map(|i| format!("s{i}")).collect();
        for id in &names {
            backend.save(id, &0, Meta::default()).unwrap();
        }
        for id in names.iter().skip(100) {
            backend.remove(id).unwrap();
        }
        assert!(backend.slots.capacity() <= 400, "room for {} slots kept for 100 sessions", backend.slots.capacity());
        backend.remove_all().unwrap();
        assert_eq!(backend.slots.capacity(), 0);
    }

    #[test]
    fn debug_shows_neither_ids_nor_data() {
        let mut backend = MemoryBackend::new();
        backend.save("secret-id", &4242u32, Meta::default()).unwrap();
        let debug = format!("{backend:?}");
        assert!(!debug.contains("secret-id") && !debug.contains("4242"), "{debug}");
    }
}
