//! Every store operation over the memory backend, with a manual clock (native).
#![cfg(not(target_arch = "wasm32"))]

use wasm_session_store::backend::{Backend, MemoryBackend};
use wasm_session_store::{ManualClock, Meta, Policy, SessionStore, StoreError};

const T0: f64 = 1_700_000_000_000.0;

fn store(policy: Policy, clock: &ManualClock) -> SessionStore<MemoryBackend<&'static str>, &ManualClock> {
    SessionStore::new(MemoryBackend::new(), policy, clock)
}

fn idle(lifetime: f64, refresh_on_access: bool) -> Policy {
    Policy { lifetime: Some(lifetime), refresh_on_access, absolute_lifetime: None, inactivity: None }
}

fn ids<D>(all: Vec<(String, D)>) -> Vec<String> {
    all.into_iter().map(|(id, _)| id).collect()
}

#[test]
fn set_then_get_returns_the_data() {
    let clock = ManualClock::new(T0);
    let mut s = store(Policy::default(), &clock);
    s.set("a", &"alpha").unwrap();
    assert_eq!(s.get("a").unwrap(), Some("alpha"));
    assert_eq!(s.get("missing").unwrap(), None);
}

#[test]
fn set_reads_the_clock_exactly_once_even_without_lifetime() {
    for policy in [Policy::default(), idle(1000.0, true)] {
        let clock = ManualClock::new(T0);
        store(policy, &clock).set("a", &"x").unwrap();
        assert_eq!(clock.reads(), 1);
    }
}

#[test]
fn reads_without_expiry_and_deletes_never_read_the_clock() {
    let clock = ManualClock::new(T0);
    let mut s = store(Policy::default(), &clock);
    s.set("a", &"x").unwrap();
    let after_set = clock.reads();
    s.get("a").unwrap();
    s.get("missing").unwrap();
    s.get_all().unwrap();
    s.delete("a").unwrap();
    s.clear().unwrap();
    assert_eq!(clock.reads(), after_set);
}

#[test]
fn each_operation_reads_the_clock_at_most_once() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, true), &clock);
    for id in ["a", "b", "c"] {
        s.set(id, &"x").unwrap();
    }
    for op in 0..3 {
        let before = clock.reads();
        match op {
            0 => drop(s.validate_and_refresh("a").unwrap()),
            1 => drop(s.get_all().unwrap()),
            _ => drop(s.clean_expired().unwrap()),
        }
        assert_eq!(clock.reads() - before, 1, "operation {op}");
    }
}

#[test]
fn expiry_boundary_is_inclusive_and_expired_sessions_are_removed() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    s.set("a", &"x").unwrap();
    clock.set(T0 + 1000.0);
    assert_eq!(s.validate_and_refresh("a").unwrap(), Some("x"), "valid at exactly expiresAt");
    clock.set(T0 + 1001.0);
    assert_eq!(s.validate_and_refresh("a").unwrap(), None);
    assert!(s.backend().is_empty(), "the expired session was removed");
}

#[test]
fn every_set_resets_the_expiry() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    s.set("a", &"x").unwrap();
    clock.advance(800.0);
    s.set("a", &"y").unwrap();
    clock.advance(800.0);
    assert_eq!(s.get("a").unwrap(), Some("y"));
}

#[test]
fn without_refresh_access_does_not_extend() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    s.set("a", &"x").unwrap();
    clock.advance(900.0);
    assert_eq!(s.get("a").unwrap(), Some("x"));
    clock.advance(200.0);
    assert_eq!(s.get("a").unwrap(), None);
}

#[test]
fn refresh_on_access_extends_through_get_and_get_all() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, true), &clock);
    s.set("a", &"x").unwrap();
    clock.advance(900.0);
    assert_eq!(s.get("a").unwrap(), Some("x"));
    clock.advance(900.0);
    assert_eq!(ids(s.get_all().unwrap()), ["a"]);
    clock.advance(900.0);
    assert_eq!(s.validate_and_refresh("a").unwrap(), Some("x"));
}

#[test]
fn get_all_returns_live_sessions_in_insertion_order_and_removes_expired() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    s.set("s1", &"1").unwrap();
    clock.set(T0 - 500.0);
    s.set("s3", &"3").unwrap();
    clock.set(T0);
    s.set("s2", &"2").unwrap();
    clock.set(T0 + 600.0);
    assert_eq!(ids(s.get_all().unwrap()), ["s1", "s2"]);
    assert_eq!(s.backend().len(), 2, "s3 expired and was removed by getAll");
}

#[test]
fn clean_expired_counts_what_it_removed() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    for id in ["s1", "s2", "s3"] {
        s.set(id, &"x").unwrap();
    }
    clock.advance(1100.0);
    s.set("s4", &"x").unwrap();
    assert_eq!(s.clean_expired().unwrap(), 3);
    assert_eq!(ids(s.get_all().unwrap()), ["s4"]);
    assert_eq!(s.clean_expired().unwrap(), 0);
}

#[test]
fn delete_and_clear() {
    let clock = ManualClock::new(T0);
    let mut s = store(Policy::default(), &clock);
    s.set("a", &"x").unwrap();
    s.set("b", &"y").unwrap();
    s.delete("a").unwrap();
    s.delete("never-there").unwrap();
    assert_eq!(ids(s.get_all().unwrap()), ["b"]);
    s.clear().unwrap();
    assert!(s.get_all().unwrap().is_empty());
}

#[test]
fn absolute_lifetime_ends_a_session_despite_refreshes() {
    let clock = ManualClock::new(T0);
    let policy =
        Policy { lifetime: Some(1000.0), refresh_on_access: true, absolute_lifetime: Some(2500.0), inactivity: None };
    let mut s = store(policy, &clock);
    s.set("a", &"x").unwrap();
    for _ in 0..2 {
        clock.advance(900.0);
        assert_eq!(s.get("a").unwrap(), Some("x"));
    }
    clock.set(T0 + 2500.0);
    assert_eq!(s.get("a").unwrap(), Some("x"), "valid at exactly createdAt + absoluteLifetime");
    clock.set(T0 + 2501.0);
    assert_eq!(s.get("a").unwrap(), None);
}

#[test]
fn a_new_set_restarts_the_absolute_lifetime() {
    let clock = ManualClock::new(T0);
    let policy =
        Policy { lifetime: Some(1000.0), refresh_on_access: true, absolute_lifetime: Some(1500.0), inactivity: None };
    let mut s = store(policy, &clock);
    s.set("a", &"x").unwrap();
    clock.advance(1000.0);
    s.set("a", &"y").unwrap();
    clock.advance(900.0);
    assert_eq!(s.get("a").unwrap(), Some("y"), "would be past the first set's deadline");
    let meta = s.backend().load("a").unwrap().map(|record| record.meta);
    assert_eq!(
        meta,
        Some(Meta {
            expires_at: Some(T0 + 2500.0),
            created_at: Some(T0 + 1000.0),
            last_active_at: None,
            deadline: None
        })
    );
}

/// A memory backend with room for `capacity` sessions: a new one beyond that is a quota error.
struct Limited {
    inner: MemoryBackend<&'static str>,
    capacity: usize,
    writes: u32,
}

impl Backend for Limited {
    type Id = str;
    type Data = &'static str;
    type Entry = wasm_session_store::Record<&'static str>;

    fn load(&self, id: &str) -> Result<Option<Self::Entry>, StoreError> {
        self.inner.load(id)
    }
    fn save(&mut self, id: &str, data: &&'static str, meta: Meta) -> Result<(), StoreError> {
        self.writes += 1;
        if self.inner.len() >= self.capacity && self.inner.load(id)?.is_none() {
            return Err(StoreError::QuotaExceeded);
        }
        self.inner.save(id, data, meta)
    }
    fn save_meta(&mut self, id: &str, entry: &mut Self::Entry, meta: Meta) -> Result<(), StoreError> {
        self.inner.save_meta(id, entry, meta)
    }
    fn remove(&mut self, id: &str) -> Result<(), StoreError> {
        self.inner.remove(id)
    }
    fn load_all(&self) -> Result<Vec<(String, Result<Self::Entry, StoreError>)>, StoreError> {
        self.inner.load_all()
    }
    fn remove_all(&mut self) -> Result<(), StoreError> {
        self.inner.remove_all()
    }
}

#[test]
fn a_full_storage_makes_room_by_removing_expired_sessions_then_retries_once() {
    let clock = ManualClock::new(T0);
    let backend = Limited { inner: MemoryBackend::new(), capacity: 2, writes: 0 };
    let mut s = SessionStore::new(backend, idle(1000.0, false), &clock);
    s.set("old-1", &"x").unwrap();
    s.set("old-2", &"x").unwrap();
    clock.advance(2000.0);
    s.set("new", &"fresh").unwrap();
    assert_eq!(s.get("new").unwrap(), Some("fresh"));
    assert_eq!(s.backend().inner.len(), 1, "both expired sessions made room");
    assert_eq!(s.backend().writes, 4, "one refused write, one retry");
}

#[test]
fn a_full_storage_of_live_sessions_refuses_and_keeps_every_session() {
    let clock = ManualClock::new(T0);
    let backend = Limited { inner: MemoryBackend::new(), capacity: 2, writes: 0 };
    let mut s = SessionStore::new(backend, idle(1000.0, false), &clock);
    s.set("a", &"alpha").unwrap();
    s.set("b", &"beta").unwrap();
    assert_eq!(s.set("c", &"gamma"), Err(StoreError::QuotaExceeded));
    assert_eq!(s.backend().writes, 4, "exactly one retry");
    assert_eq!(ids(s.get_all().unwrap()), ["a", "b"]);
    assert_eq!(s.get("a").unwrap(), Some("alpha"));
    s.set("a", &"alpha-2").unwrap();
    assert_eq!(s.get("a").unwrap(), Some("alpha-2"), "overwriting an existing session still works");
}

#[test]
fn changes_are_recorded_only_while_asked_for_and_say_what_happened() {
    use wasm_session_store::Change::*;
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    s.set("quiet", &"x").unwrap();
    assert!(s.take_changes().is_empty(), "nothing is kept while nobody listens");
    s.record_changes(true);
    s.set("a", &"x").unwrap();
    s.set("b", &"x").unwrap();
    s.delete("a").unwrap();
    clock.advance(2000.0);
    s.set("c", &"x").unwrap();
    assert_eq!(s.get("b").unwrap(), None);
    assert_eq!(s.clean_expired().unwrap(), 1);
    s.clear().unwrap();
    assert_eq!(
        s.take_changes(),
        [
            Set("a".into()),
            Set("b".into()),
            Delete("a".into()),
            Set("c".into()),
            Expire("b".into()),
            Expire("quiet".into()),
            Clear
        ]
    );
    assert!(s.take_changes().is_empty());
    let mut refreshing = store(idle(1000.0, true), &clock);
    refreshing.set("r", &"x").unwrap();
    refreshing.record_changes(true);
    refreshing.get("r").unwrap();
    refreshing.get("missing").unwrap();
    assert_eq!(refreshing.take_changes(), [Refresh("r".into())], "a refresh on access is a refresh");
    assert_eq!(s.set("d", &"x"), Ok(()));
    s.record_changes(false);
    assert!(s.take_changes().is_empty());
}

#[test]
fn a_clock_that_jumped_ahead_at_set_cannot_make_a_session_immortal() {
    let clock = ManualClock::new(T0 + 3.2e10); // a year ahead
    let mut s = store(idle(1000.0, false), &clock);
    s.set("a", &"x").unwrap();
    clock.set(T0); // the clock is right again
    assert_eq!(s.get("a").unwrap(), Some("x"));
    let meta = s.backend().load("a").unwrap().unwrap().meta;
    assert_eq!(meta.expires_at, Some(T0 + 1000.0), "pulled back to now + lifetime, and persisted");
    clock.set(T0 + 1001.0);
    assert_eq!(s.get("a").unwrap(), None);
}

#[test]
fn a_clock_that_jumps_back_never_ends_a_live_session_early() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, true), &clock);
    s.set("a", &"x").unwrap();
    clock.set(T0 - 50_000.0);
    assert_eq!(s.get("a").unwrap(), Some("x"));
    clock.advance(1000.0);
    assert_eq!(s.get("a").unwrap(), Some("x"), "a full lifetime after the jump");
}

#[test]
fn a_stored_created_at_in_the_future_is_pulled_back_to_now() {
    let clock = ManualClock::new(T0 + 1e9);
    let policy =
        Policy { lifetime: Some(1000.0), refresh_on_access: true, absolute_lifetime: Some(3000.0), inactivity: None };
    let mut s = store(policy, &clock);
    s.set("a", &"x").unwrap();
    clock.set(T0);
    assert_eq!(s.get("a").unwrap(), Some("x"), "first use after the clock came back");
    for at in [900.0, 1800.0, 2700.0] {
        clock.set(T0 + at);
        assert_eq!(s.get("a").unwrap(), Some("x"), "at {at}");
    }
    clock.set(T0 + 3001.0);
    assert_eq!(s.get("a").unwrap(), None, "absolute lifetime counted from when the clock came back");
}

#[test]
fn a_session_set_until_its_own_deadline_lives_until_then_and_no_access_moves_it() {
    let clock = ManualClock::new(T0);
    let mut s = store(Policy { absolute_lifetime: Some(2000.0), ..idle(1000.0, true) }, &clock);
    let week = T0 + 7.0 * 86_400_000.0;
    s.set_until("wc", &"walletconnect", Some(week)).unwrap();
    s.set("plain", &"x").unwrap();
    s.record_changes(true);
    clock.set(T0 + 500.0);
    assert_eq!(s.get("wc").unwrap(), Some("walletconnect"));
    assert_eq!(s.take_changes(), vec![], "nothing refreshed, nothing written");
    clock.set(T0 + 3000.0); // past the store's lifetimes
    assert_eq!(s.get("plain").unwrap(), None);
    assert_eq!(s.get("wc").unwrap(), Some("walletconnect"));
    clock.set(week);
    assert_eq!(s.clean_expired().unwrap(), 0, "alive at its deadline");
    clock.set(week + 1.0);
    assert_eq!(s.clean_expired().unwrap(), 1);
    assert_eq!(s.get("wc").unwrap(), None);
    for bad in [f64::NAN, f64::INFINITY] {
        assert_eq!(s.set_until("x", &"x", Some(bad)), Err(StoreError::InvalidDeadline));
    }
    assert_eq!(s.get("x").unwrap(), None, "nothing stored");
}

#[test]
fn sweep_removes_what_ended_and_gives_the_earliest_end_of_the_rest() {
    let clock = ManualClock::new(T0);
    let mut s = store(idle(1000.0, false), &clock);
    assert_eq!(s.sweep().unwrap(), (0, None));
    s.set("a", &"x").unwrap();
    clock.set(T0 + 10.0);
    s.set("b", &"x").unwrap();
    s.set_until("c", &"x", Some(T0 + 500.0)).unwrap();
    assert_eq!(s.sweep().unwrap(), (0, Some(T0 + 500.0)));
    clock.set(T0 + 501.0);
    assert_eq!(s.sweep().unwrap(), (1, Some(T0 + 1000.0)), "c removed, a next");
    clock.set(T0 + 1001.0);
    assert_eq!(s.sweep().unwrap(), (1, Some(T0 + 1010.0)));
    assert_eq!(store(Policy::default(), &clock).sweep().unwrap(), (0, None));
}
