//! The store contract as one suite, run natively against every way a store can reach its entries:
//! the memory backend, and a staged backend that follows the protocol of the asynchronous adapter
//! stores (`js/adapter.js`). There an operation runs against a snapshot of what was fetched before
//! it; a read of anything not fetched fails the run, whose writes are then dropped, and the
//! operation runs again once the entry is fetched; the writes of the run that completes are applied
//! to the adapter in order. The suite holds only if every operation is correct under that protocol.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use wasm_session_store::backend::{Backend, Loaded, MemoryBackend};
use wasm_session_store::{ManualClock, Meta, Policy, Record, SessionStore, StoreError};

const T0: f64 = 1_700_000_000_000.0;

/// The operations of a store as the suite drives them, whatever carries them out.
trait Sessions {
    fn set(&mut self, id: &str, data: &str) -> Result<(), StoreError>;
    fn get(&mut self, id: &str) -> Result<Option<String>, StoreError>;
    fn get_all(&mut self) -> Result<Vec<(String, String)>, StoreError>;
    fn delete(&mut self, id: &str) -> Result<(), StoreError>;
    fn clear(&mut self) -> Result<(), StoreError>;
    fn clean_expired(&mut self) -> Result<u32, StoreError>;
}

fn sorted(mut sessions: Vec<(String, String)>) -> Vec<(String, String)> {
    sessions.sort();
    sessions
}

// ---- the memory backend, driven directly ----

struct Direct<'c>(SessionStore<MemoryBackend<String>, &'c ManualClock>);

impl<'c> Direct<'c> {
    fn new(policy: Policy, clock: &'c ManualClock) -> Self {
        Direct(SessionStore::new(MemoryBackend::new(), policy, clock))
    }
}

impl Sessions for Direct<'_> {
    fn set(&mut self, id: &str, data: &str) -> Result<(), StoreError> {
        self.0.set(id, &data.to_owned())
    }
    fn get(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        self.0.get(id)
    }
    fn get_all(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        self.0.get_all().map(sorted)
    }
    fn delete(&mut self, id: &str) -> Result<(), StoreError> {
        self.0.delete(id)
    }
    fn clear(&mut self) -> Result<(), StoreError> {
        self.0.clear()
    }
    fn clean_expired(&mut self) -> Result<u32, StoreError> {
        self.0.clean_expired()
    }
}

// ---- the staged backend: the adapter stores' protocol ----

/// What a run needs that was not fetched: one entry, or the whole listing.
#[derive(Clone, Debug, PartialEq)]
enum Miss {
    Entry(String),
    All,
}

/// One run's view of the adapter: the entries fetched (in the adapter's order), whether the whole
/// listing was, the writes made (in order), and the first read that found nothing fetched.
#[derive(Default)]
struct Snapshot {
    fetched: Vec<(String, Option<Record<String>>)>,
    listed: bool,
    writes: Vec<(String, Option<Record<String>>)>,
    missed: RefCell<Option<Miss>>,
}

impl Snapshot {
    fn miss<T>(&self, what: Miss) -> Result<T, StoreError> {
        self.missed.borrow_mut().get_or_insert(what);
        Err(StoreError::StorageFailure { operation: "getItem" })
    }

    fn put(&mut self, id: &str, record: Option<Record<String>>) {
        match self.fetched.iter_mut().find(|(key, _)| key == id) {
            Some(slot) => slot.1 = record.clone(),
            None => self.fetched.push((id.to_owned(), record.clone())),
        }
        self.writes.push((id.to_owned(), record));
    }
}

impl Backend for Snapshot {
    type Id = str;
    type Data = String;
    type Entry = Record<String>;

    fn load(&self, id: &str) -> Result<Option<Record<String>>, StoreError> {
        match self.fetched.iter().find(|(key, _)| key == id) {
            Some((_, record)) => Ok(record.clone()),
            None if self.listed => Ok(None),
            None => self.miss(Miss::Entry(id.to_owned())),
        }
    }

    fn save(&mut self, id: &str, data: &String, meta: Meta) -> Result<(), StoreError> {
        self.put(id, Some(Record { data: data.clone(), meta }));
        Ok(())
    }

    fn save_meta(&mut self, id: &str, entry: &mut Record<String>, meta: Meta) -> Result<(), StoreError> {
        entry.meta = meta;
        self.put(id, Some(entry.clone()));
        Ok(())
    }

    fn remove(&mut self, id: &str) -> Result<(), StoreError> {
        self.put(id, None);
        Ok(())
    }

    fn load_all(&self) -> Result<Loaded<Self>, StoreError> {
        if !self.listed {
            return self.miss(Miss::All);
        }
        Ok(self.fetched.iter().filter_map(|(key, record)| Some((key.clone(), Ok(record.clone()?)))).collect())
    }

    fn remove_all(&mut self) -> Result<(), StoreError> {
        for (id, _) in self.load_all()? {
            self.remove(&id)?;
        }
        Ok(())
    }
}

/// A store over an adapter (here a memory backend standing for one), each operation run by the
/// protocol: fetch what it names, run, fetch what it missed and run again, then write in order.
struct Staged<'c> {
    adapter: MemoryBackend<String>,
    store: SessionStore<Snapshot, &'c ManualClock>,
    /// Runs of the last operation (more than one: a read was missed).
    runs: Cell<u32>,
}

impl<'c> Staged<'c> {
    fn new(policy: Policy, clock: &'c ManualClock) -> Self {
        Staged {
            adapter: MemoryBackend::new(),
            store: SessionStore::new(Snapshot::default(), policy, clock),
            runs: Cell::new(0),
        }
    }

    fn run<R>(
        &mut self,
        reads: &[Miss],
        op: impl Fn(&mut SessionStore<Snapshot, &'c ManualClock>) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let mut snapshot = Snapshot::default();
        for read in reads {
            self.fetch(&mut snapshot, read);
        }
        self.runs.set(0);
        loop {
            snapshot.writes.clear();
            *snapshot.missed.get_mut() = None;
            *self.store.backend_mut() = snapshot;
            self.runs.set(self.runs.get() + 1);
            let outcome = op(&mut self.store);
            snapshot = core::mem::take(self.store.backend_mut());
            match snapshot.missed.take() {
                Some(miss) => self.fetch(&mut snapshot, &miss),
                None => {
                    for (id, record) in snapshot.writes {
                        match record {
                            Some(record) => self.adapter.save(&id, &record.data, record.meta)?,
                            None => self.adapter.remove(&id)?,
                        }
                    }
                    return outcome;
                }
            }
        }
    }

    fn fetch(&self, snapshot: &mut Snapshot, what: &Miss) {
        match what {
            Miss::Entry(id) => snapshot.fetched.push((id.clone(), self.adapter.load(id).unwrap())),
            Miss::All => {
                snapshot.fetched =
                    self.adapter.load_all().unwrap().into_iter().map(|(id, record)| (id, record.ok())).collect();
                snapshot.listed = true;
            }
        }
    }
}

impl Sessions for Staged<'_> {
    fn set(&mut self, id: &str, data: &str) -> Result<(), StoreError> {
        self.run(&[], |store| store.set(id, &data.to_owned()))
    }
    fn get(&mut self, id: &str) -> Result<Option<String>, StoreError> {
        self.run(&[Miss::Entry(id.to_owned())], |store| store.get(id))
    }
    fn get_all(&mut self) -> Result<Vec<(String, String)>, StoreError> {
        self.run(&[Miss::All], |store| store.get_all()).map(sorted)
    }
    fn delete(&mut self, id: &str) -> Result<(), StoreError> {
        self.run(&[], |store| store.delete(id))
    }
    fn clear(&mut self) -> Result<(), StoreError> {
        self.run(&[Miss::All], |store| store.clear())
    }
    fn clean_expired(&mut self) -> Result<u32, StoreError> {
        self.run(&[Miss::All], |store| store.clean_expired())
    }
}

// ---- the suite ----

fn idle(lifetime: f64, refresh_on_access: bool) -> Policy {
    Policy { lifetime: Some(lifetime), refresh_on_access, absolute_lifetime: None, inactivity: None }
}

/// What a store with `lifetime` (and refresh on access) must answer: the contract as a model.
struct Model {
    sessions: BTreeMap<String, (String, f64)>,
    lifetime: f64,
    refresh: bool,
}

impl Model {
    fn get(&mut self, id: &str, now: f64) -> Option<String> {
        let (data, expires_at) = self.sessions.get_mut(id)?;
        if now > *expires_at {
            self.sessions.remove(id);
            return None;
        }
        if self.refresh {
            *expires_at = now + self.lifetime;
        }
        Some(data.clone())
    }
}

/// A small deterministic PRNG: a failing sequence replays from its seed.
fn random(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    }
}

macro_rules! conformance {
    ($backend:ident, $make:expr) => {
        mod $backend {
            use super::*;

            fn make(policy: Policy, clock: &ManualClock) -> impl Sessions + '_ {
                $make(policy, clock)
            }

            #[test]
            fn set_get_replace_delete() {
                let clock = ManualClock::new(T0);
                let mut s = make(Policy::default(), &clock);
                s.set("a", "alpha").unwrap();
                assert_eq!(s.get("a").unwrap().as_deref(), Some("alpha"));
                s.set("a", "beta").unwrap();
                assert_eq!(s.get("a").unwrap().as_deref(), Some("beta"));
                assert_eq!(s.get("missing").unwrap(), None);
                s.delete("a").unwrap();
                s.delete("a").unwrap();
                assert_eq!(s.get("a").unwrap(), None);
            }

            #[test]
            fn get_all_and_clear() {
                let clock = ManualClock::new(T0);
                let mut s = make(Policy::default(), &clock);
                s.set("b", "2").unwrap();
                s.set("a", "1").unwrap();
                assert_eq!(s.get_all().unwrap(), vec![("a".into(), "1".into()), ("b".into(), "2".into())]);
                s.clear().unwrap();
                assert_eq!(s.get_all().unwrap(), vec![]);
            }

            #[test]
            fn live_at_the_exact_deadline_then_removed() {
                let clock = ManualClock::new(T0);
                let mut s = make(idle(1000.0, false), &clock);
                s.set("a", "x").unwrap();
                clock.set(T0 + 1000.0);
                assert_eq!(s.get("a").unwrap().as_deref(), Some("x"));
                clock.set(T0 + 1001.0);
                assert_eq!(s.get("a").unwrap(), None);
                clock.set(T0 + 1000.0);
                assert_eq!(s.get("a").unwrap(), None, "removed, not only hidden");
            }

            #[test]
            fn refresh_moves_the_expiry_and_the_absolute_lifetime_caps_it() {
                let clock = ManualClock::new(T0);
                let policy = Policy { absolute_lifetime: Some(2500.0), ..idle(1000.0, true) };
                let mut s = make(policy, &clock);
                s.set("a", "x").unwrap();
                for step in 1..=3 {
                    clock.set(T0 + 800.0 * f64::from(step));
                    assert_eq!(s.get("a").unwrap().as_deref(), Some("x"), "refreshed at step {step}");
                }
                clock.set(T0 + 2501.0);
                assert_eq!(s.get("a").unwrap(), None);
            }

            #[test]
            fn clean_expired_counts_what_it_removes() {
                let clock = ManualClock::new(T0);
                let mut s = make(idle(1000.0, false), &clock);
                s.set("old", "x").unwrap();
                clock.set(T0 + 600.0);
                s.set("new", "y").unwrap();
                clock.set(T0 + 1100.0);
                assert_eq!(s.clean_expired().unwrap(), 1);
                assert_eq!(s.get_all().unwrap(), vec![("new".into(), "y".into())]);
            }

            #[test]
            fn random_sequences_match_the_model() {
                for seed in 1..=20u64 {
                    let clock = ManualClock::new(T0);
                    let refresh = seed % 2 == 0;
                    let mut s = make(idle(1000.0, refresh), &clock);
                    let mut model = Model { sessions: BTreeMap::new(), lifetime: 1000.0, refresh };
                    let mut next = random(seed);
                    let mut now = T0;
                    for step in 0..200 {
                        let id = ["a", "b", "c", "d"][next(4) as usize];
                        now += next(400) as f64;
                        clock.set(now);
                        match next(6) {
                            0 | 1 => {
                                let data = format!("{seed}-{step}");
                                s.set(id, &data).unwrap();
                                model.sessions.insert(id.to_owned(), (data, now + 1000.0));
                            }
                            2 => assert_eq!(s.get(id).unwrap(), model.get(id, now), "seed {seed} step {step}"),
                            3 => {
                                s.delete(id).unwrap();
                                model.sessions.remove(id);
                            }
                            4 => {
                                let ids: Vec<String> = model.sessions.keys().cloned().collect();
                                let live: Vec<(String, String)> =
                                    ids.iter().filter_map(|id| Some((id.clone(), model.get(id, now)?))).collect();
                                assert_eq!(s.get_all().unwrap(), live, "seed {seed} step {step}");
                            }
                            _ => {
                                let before = model.sessions.len();
                                model.sessions.retain(|_, (_, expires_at)| now <= *expires_at);
                                let removed = (before - model.sessions.len()) as u32;
                                assert_eq!(s.clean_expired().unwrap(), removed, "seed {seed} step {step}");
                            }
                        }
                    }
                }
            }
        }
    };
}

conformance!(memory, Direct::new);
conformance!(staged, Staged::new);

#[test]
fn staged_operations_that_read_an_unplanned_entry_run_again_and_write_once() {
    let clock = ManualClock::new(T0);
    let mut s = Staged::new(idle(1000.0, true), &clock);
    s.set("a", "x").unwrap();
    // No plan: the run misses "a", is dropped, and runs again with it fetched.
    let found = s.run(&[], |store| store.get("a")).unwrap();
    assert_eq!((found.as_deref(), s.runs.get()), (Some("x"), 2));
    clock.set(T0 + 500.0);
    s.run(&[], |store| store.get("a")).unwrap();
    assert_eq!(s.adapter.load("a").unwrap().unwrap().meta.expires_at, Some(T0 + 1500.0), "the refresh written once");
    assert_eq!(s.adapter.len(), 1);
}
