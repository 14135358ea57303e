//! Property tests (proptest, native): the stored-metadata codec, config parsing, and every store
//! operation against a simple model of the expiry rules, over arbitrary inputs. None may panic.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use proptest::prelude::*;
use wasm_session_store::backend::MemoryBackend;
use wasm_session_store::record::{Corrupt, StoredField};
use wasm_session_store::{ConfigValue, ManualClock, Meta, Policy, RawConfig, SessionStore};

fn stored_field() -> impl Strategy<Value = StoredField> {
    prop_oneof![
        Just(StoredField::Absent),
        Just(StoredField::Null),
        Just(StoredField::Other),
        any::<f64>().prop_map(StoredField::Number),
        (-1e15..1e15f64).prop_map(StoredField::Number),
    ]
}

fn config_value() -> impl Strategy<Value = ConfigValue> {
    prop_oneof![
        Just(ConfigValue::Absent),
        Just(ConfigValue::Other),
        any::<bool>().prop_map(ConfigValue::Bool),
        ".{0,12}".prop_map(ConfigValue::Text),
        any::<f64>().prop_map(ConfigValue::Number),
        (0.0..1e7f64).prop_map(ConfigValue::Number),
    ]
}

proptest! {
    #[test]
    fn metadata_decoding_matches_its_model(expires in stored_field(), created in stored_field()) {
        let model = |field| match field {
            StoredField::Absent | StoredField::Null => Ok(None),
            StoredField::Number(ms) if ms.is_finite() => Ok(Some(ms)),
            _ => Err(Corrupt),
        };
        let expected = match (model(expires), model(created)) {
            (Ok(expires_at), Ok(created_at)) => Ok(Meta { expires_at, created_at, last_active_at: None, deadline: None }),
            _ => Err(Corrupt),
        };
        prop_assert_eq!(Meta::decode(expires, created), expected);
    }

    #[test]
    fn a_parsed_config_always_holds_usable_durations(
        lifetime in config_value(), refresh in config_value(), absolute in config_value(), prefix in config_value()
    ) {
        let raw = RawConfig { lifetime, refresh_on_access: refresh, absolute_lifetime: absolute, prefix };
        if let Ok(config) = raw.parse() {
            let Policy { lifetime, absolute_lifetime, .. } = config.policy;
            for duration in [lifetime, absolute_lifetime].into_iter().flatten() {
                prop_assert!(duration.is_finite() && duration > 0.0);
            }
            if let (Some(idle), Some(absolute)) = (lifetime, absolute_lifetime) {
                prop_assert!(absolute >= idle);
            }
        }
    }

    #[test]
    fn pulled_back_times_are_never_ahead_of_what_now_allows(
        policy in policy(), expires in proptest::option::of(-1e15..1e15f64), created in proptest::option::of(-1e15..1e15f64), now in -1e13..1e13f64
    ) {
        let meta = Meta { expires_at: expires, created_at: created, last_active_at: None, deadline: None };
        let clamped = policy.clamp(&meta, now).unwrap_or(meta);
        if let (Some(expires_at), Some(lifetime)) = (clamped.expires_at, policy.lifetime.or(policy.absolute_lifetime)) {
            prop_assert!(expires_at <= now + lifetime);
        }
        if let (Some(created_at), Some(_)) = (clamped.created_at, policy.absolute_lifetime) {
            prop_assert!(created_at <= now);
        }
        prop_assert!(!policy.is_expired(&meta, now) || policy.is_expired(&clamped, now), "pulling back never revives");
    }

    #[test]
    fn the_store_behaves_as_its_model(policy in policy(), ops in proptest::collection::vec(op(), 1..80)) {
        let clock = ManualClock::new(1_700_000_000_000.0);
        let mut store = SessionStore::new(MemoryBackend::new(), policy, &clock);
        let mut model = Model { policy, sessions: BTreeMap::new() };
        for op in ops {
            let now = clock.now_for_test();
            match op {
                Op::Set(id, value) => {
                    prop_assert_eq!(store.set(&id.to_string(), &value), Ok(()));
                    model.sessions.insert(id, Modelled { value, created: now, expires: policy.lifetime.map(|l| now + l) });
                }
                Op::Get(id) => prop_assert_eq!(store.get(&id.to_string()).unwrap(), model.access(id, now)),
                Op::Delete(id) => {
                    prop_assert_eq!(store.delete(&id.to_string()), Ok(()));
                    model.sessions.remove(&id);
                }
                Op::GetAll => {
                    let ids: Vec<u8> = model.sessions.keys().copied().collect();
                    let expected: BTreeMap<String, u16> =
                        ids.into_iter().filter_map(|id| model.access(id, now).map(|v| (id.to_string(), v))).collect();
                    let actual: BTreeMap<String, u16> = store.get_all().unwrap().into_iter().collect();
                    prop_assert_eq!(actual, expected);
                }
                Op::CleanExpired => {
                    let before = model.sessions.len();
                    model.sessions.retain(|_, s| live(&policy, s, now));
                    prop_assert_eq!(store.clean_expired().unwrap() as usize, before - model.sessions.len());
                }
                Op::Advance(ms) => clock.advance(f64::from(ms)),
            }
        }
    }
}

#[derive(Clone, Debug)]
enum Op {
    Set(u8, u16),
    Get(u8),
    Delete(u8),
    GetAll,
    CleanExpired,
    Advance(u16),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5u8, any::<u16>()).prop_map(|(id, v)| Op::Set(id, v)),
        (0..5u8).prop_map(Op::Get),
        (0..5u8).prop_map(Op::Delete),
        Just(Op::GetAll),
        Just(Op::CleanExpired),
        // On the same 100 ms grid as the lifetimes, so that steps often land exactly on a deadline.
        (0..30u16).prop_map(|steps| Op::Advance(steps * 100)),
    ]
}

fn policy() -> impl Strategy<Value = Policy> {
    (proptest::option::of(1..30u16), any::<bool>(), proptest::option::of(0..40u16)).prop_map(
        |(lifetime, refresh, extra)| {
            let lifetime = lifetime.map(|steps| f64::from(steps) * 100.0);
            // An absolute lifetime is at least the idle one, as the config parser demands.
            let absolute_lifetime = extra.map(|extra| lifetime.unwrap_or(100.0) + f64::from(extra) * 100.0);
            Policy { lifetime, refresh_on_access: refresh, absolute_lifetime, inactivity: None }
        },
    )
}

/// The rules, stated plainly: a session lives while now is at most its idle expiry and at most its
/// creation plus the absolute lifetime; an access to a live one with refresh moves the idle expiry.
struct Model {
    policy: Policy,
    sessions: BTreeMap<u8, Modelled>,
}

struct Modelled {
    value: u16,
    created: f64,
    expires: Option<f64>,
}

fn live(policy: &Policy, session: &Modelled, now: f64) -> bool {
    session.expires.is_none_or(|end| now <= end) && policy.absolute_lifetime.is_none_or(|a| now <= session.created + a)
}

impl Model {
    fn access(&mut self, id: u8, now: f64) -> Option<u16> {
        let session = self.sessions.get(&id)?;
        if !live(&self.policy, session, now) {
            self.sessions.remove(&id);
            return None;
        }
        let (refresh, lifetime) = (self.policy.refresh_on_access, self.policy.lifetime);
        let session = self.sessions.get_mut(&id)?;
        if let (true, Some(lifetime)) = (refresh, lifetime) {
            session.expires = Some(now + lifetime);
        }
        Some(session.value)
    }
}

trait ReadWithoutCounting {
    fn now_for_test(&self) -> f64;
}

impl ReadWithoutCounting for ManualClock {
    fn now_for_test(&self) -> f64 {
        use wasm_session_store::Clock;
        self.now().unwrap()
    }
}
