//! The session manager over the memory backend, with a manual clock (native).
#![cfg(not(target_arch = "wasm32"))]

use wasm_session_store::backend::{Backend, MemoryBackend};
use wasm_session_store::manager::{
    Invalid, ManagerConfig, NewSession, SessionManager, StoredSession, DEFAULT_ROTATION_GRACE,
};
use wasm_session_store::record::Meta;
use wasm_session_store::token::hash_token;
use wasm_session_store::{ManagerError, ManualClock, StoreError};

const T0: f64 = 1_700_000_000_000.0;
type Manager<'c> = SessionManager<MemoryBackend<StoredSession<String>>, &'c ManualClock>;

fn manager(clock: &ManualClock, config: ManagerConfig) -> Manager<'_> {
    SessionManager::new(MemoryBackend::new(), clock, &config)
}

fn with_timeouts(inactivity: Option<f64>, absolute: Option<f64>) -> ManagerConfig {
    ManagerConfig { inactivity_timeout: inactivity, absolute_timeout: absolute, ..ManagerConfig::default() }
}

fn for_user(user_id: &str) -> NewSession<String> {
    NewSession { user_id: user_id.into(), ..NewSession::default() }
}

fn create(m: &mut Manager<'_>, new: NewSession<String>) -> (String, StoredSession<String>) {
    let issued = m.create(new).unwrap();
    (issued.token.expose().to_owned(), issued.session)
}

fn verdict(m: &mut Manager<'_>, token: &str) -> Result<String, Invalid> {
    m.validate(token, None).unwrap().map(|session| session.id)
}

#[test]
fn create_returns_the_token_once_and_stores_only_its_hash() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let metadata = Some("wallet: 0xabc".to_owned());
    let (token, session) = create(&mut m, NewSession { metadata: metadata.clone(), ..for_user("alice") });
    assert_eq!(token.len(), 43);
    assert_eq!(session.token_hash, hash_token(&token));
    assert_eq!((session.created_at, session.expires_at), (T0, T0 + 86_400_000.0), "24 h by default");
    assert_eq!(session.metadata, metadata);
    let stored = m.backend().load_all().unwrap();
    assert_eq!(stored.len(), 1);
    let (key, entry) = &stored[0];
    assert_eq!(key, &hash_token(&token), "stored under the hash, never the token");
    assert_eq!(entry.as_ref().unwrap().data.token_hash, hash_token(&token));
    assert_eq!(verdict(&mut m, &token), Ok(session.id));
}

#[test]
fn unknown_tokens_are_invalid() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    create(&mut m, for_user("alice"));
    assert_eq!(verdict(&mut m, "not-a-token"), Err(Invalid::InvalidToken));
    assert_eq!(verdict(&mut m, ""), Err(Invalid::InvalidToken));
}

#[test]
fn expiry_is_inclusive_at_expires_at() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (token, _) = create(&mut m, NewSession { expires_in: Some(1000.0), ..for_user("a") });
    clock.set(T0 + 1000.0);
    assert!(verdict(&mut m, &token).is_ok());
    clock.set(T0 + 1001.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired));
}

#[test]
fn regression_old_token_is_invalid_after_refresh() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (old, created) = create(&mut m, for_user("alice"));
    clock.advance(1000.0);
    let refreshed = m.refresh(&old, None).unwrap();
    let new = refreshed.token.expose().to_owned();
    assert_ne!(new, old);
    assert_eq!(refreshed.session.id, created.id, "the same session, a new token");
    assert_eq!(refreshed.session.expires_at, T0 + 1000.0 + 86_400_000.0);
    assert_eq!(verdict(&mut m, &old), Err(Invalid::InvalidToken));
    assert_eq!(verdict(&mut m, &new), Ok(created.id));
    clock.advance(DEFAULT_ROTATION_GRACE + 1.0);
    assert_eq!(m.refresh(&old, None).unwrap_err(), ManagerError::SessionNotFound, "after the grace");
    assert_eq!(m.clean_expired().unwrap(), 1, "the old hash's entry goes with its grace");
    assert_eq!(m.backend().len(), 1);
}

#[test]
fn a_forward_written_while_the_clock_was_ahead_ends_its_grace_after_the_clock_is_corrected() {
    const YEAR: f64 = 365.0 * 86_400_000.0;
    for cleaned_first in [false, true] {
        let clock = ManualClock::new(T0 + YEAR);
        let mut m = manager(&clock, ManagerConfig::default());
        let (old, _) = create(&mut m, for_user("alice"));
        let new = m.refresh(&old, None).unwrap().token.expose().to_owned();
        clock.set(T0);
        if cleaned_first {
            assert_eq!(m.clean_expired().unwrap(), 0, "within the grace from the correction");
        } else {
            assert_eq!(m.refresh(&old, None).unwrap().token.expose(), new, "within the grace from the correction");
        }
        clock.set(T0 + DEFAULT_ROTATION_GRACE + 1.0);
        assert_eq!(m.refresh(&old, None).unwrap_err(), ManagerError::SessionNotFound, "the grace ran out");
        assert_eq!(m.clean_expired().unwrap(), 1, "and cleanup takes the forward");
    }
}

#[test]
fn without_a_rotation_grace_the_old_entry_is_removed_at_once() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig { rotation_grace: None, ..ManagerConfig::default() });
    let (old, _) = create(&mut m, for_user("alice"));
    m.refresh(&old, None).unwrap();
    assert_eq!(m.backend().len(), 1, "the old hash's entry is gone");
    assert_eq!(m.refresh(&old, None).unwrap_err(), ManagerError::SessionNotFound);
}

#[test]
fn a_second_refresh_of_the_same_token_within_the_grace_gets_the_rotated_session_and_rotates_nothing() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (old, created) = create(&mut m, for_user("alice"));
    let first = m.refresh(&old, None).unwrap();
    clock.advance(DEFAULT_ROTATION_GRACE);
    let second = m.refresh(&old, None).unwrap();
    assert_eq!(second.token.expose(), first.token.expose(), "the same new token");
    assert_eq!(second.session, first.session);
    assert_eq!(verdict(&mut m, first.token.expose()), Ok(created.id.clone()));
    assert_eq!(verdict(&mut m, &old), Err(Invalid::InvalidToken), "the old token still validates nothing");
    let stored = m.backend().load(&hash_token(&old)).unwrap().unwrap().data;
    let sealed = stored.successor.expect("a forward");
    assert!(!sealed.contains(first.token.expose()), "the new token is not stored in the clear");
    assert_eq!(m.list_for_user(&"alice".into()).unwrap().len(), 1, "a forward is not a session");
    m.destroy(&created.id).unwrap();
    assert_eq!(m.refresh(&old, None).unwrap_err(), ManagerError::SessionRevoked, "the rotated session's checks apply");
    m.destroy_all_for_user(&"alice".into()).unwrap();
    assert!(m.backend().is_empty(), "the forward goes with the user's sessions");
}

#[test]
fn a_token_two_rotations_old_within_the_grace_gets_the_newest_token() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (oldest, created) = create(&mut m, for_user("alice"));
    let first = m.refresh(&oldest, None).unwrap();
    clock.advance(1000.0);
    let second = m.refresh(first.token.expose(), None).unwrap();
    // A tab that still holds the oldest token, racing the other two refreshes.
    let late = m.refresh(&oldest, None).unwrap();
    assert_eq!(late.token.expose(), second.token.expose(), "the newest token, nothing rotated");
    assert_eq!(verdict(&mut m, late.token.expose()), Ok(created.id.clone()));
    assert_eq!(m.list_for_user(&"alice".into()).unwrap().len(), 1);
    // Once the first forward's grace is over, the oldest token opens nothing.
    clock.set(T0 + DEFAULT_ROTATION_GRACE + 1.0);
    assert_eq!(m.refresh(&oldest, None).unwrap_err(), ManagerError::SessionNotFound);
    assert_eq!(
        m.refresh(first.token.expose(), None).unwrap().token.expose(),
        second.token.expose(),
        "the second forward is within its grace"
    );
}

#[test]
fn a_forward_applies_the_user_agent_binding_and_a_tampered_one_is_corrupt() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig { bind_to_user_agent: true, ..ManagerConfig::default() });
    let agent = String::from("Wallet/1");
    let (old, _) = create(&mut m, NewSession { user_agent: Some(agent.clone()), ..for_user("alice") });
    m.refresh(&old, Some(&agent)).unwrap();
    assert_eq!(m.refresh(&old, None).unwrap_err(), ManagerError::UserAgentMismatch);
    assert!(m.refresh(&old, Some(&agent)).is_ok());
    let key = hash_token(&old);
    let mut entry = m.backend().load(&key).unwrap().unwrap();
    entry.data.successor = Some("00".repeat(43));
    let mut backend = MemoryBackend::new();
    for (stored, record) in m.backend().load_all().unwrap() {
        let record = record.unwrap();
        let data = if stored == key { entry.data.clone() } else { record.data };
        backend.save(&stored, &data, record.meta).unwrap();
    }
    let mut m = SessionManager::new(
        backend,
        &clock,
        &ManagerConfig::<String> { bind_to_user_agent: true, ..ManagerConfig::default() },
    );
    assert!(matches!(
        m.refresh(&old, Some(&agent)),
        Err(ManagerError::SessionNotFound | ManagerError::Store(StoreError::CorruptEntry))
    ));
}

#[test]
fn refresh_refuses_revoked_and_expired_sessions() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (revoked, session) = create(&mut m, for_user("a"));
    m.destroy(&session.id).unwrap();
    assert_eq!(m.refresh(&revoked, None).unwrap_err(), ManagerError::SessionRevoked);
    let (expired, _) = create(&mut m, NewSession { expires_in: Some(10.0), ..for_user("a") });
    clock.advance(11.0);
    assert_eq!(m.refresh(&expired, None).unwrap_err(), ManagerError::SessionExpired);
    assert_eq!(m.refresh("never-issued", None).unwrap_err(), ManagerError::SessionNotFound);
}

#[test]
fn regression_revoked_token_validates_as_revoked_and_the_session_remains() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (token, session) = create(&mut m, for_user("alice"));
    clock.advance(5.0);
    m.destroy(&session.id).unwrap();
    m.destroy("unknown-id").unwrap();
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionRevoked));
    let stored = m.backend().load(&hash_token(&token)).unwrap().unwrap().data;
    assert_eq!(stored.revoked_at, Some(T0 + 5.0));
}

#[test]
fn regression_list_for_user_finds_exactly_the_users_live_sessions() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (_, a1) = create(&mut m, for_user("alice"));
    let (_, a2) = create(&mut m, NewSession { expires_in: Some(10.0), ..for_user("alice") });
    let (_, a3) = create(&mut m, for_user("alice"));
    create(&mut m, for_user("bob"));
    m.destroy(&a3.id).unwrap();
    let ids =
        |m: &mut Manager<'_>| m.list_for_user(&"alice".into()).unwrap().into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(ids(&mut m), vec![a1.id.clone(), a2.id.clone()]);
    clock.advance(11.0);
    assert_eq!(ids(&mut m), vec![a1.id.clone()], "expired sessions are not listed");
    assert!(m.list_for_user(&"carol".into()).unwrap().is_empty());
}

#[test]
fn destroy_all_for_user_removes_only_that_users_sessions() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (alice, alice_session) = create(&mut m, for_user("alice"));
    create(&mut m, for_user("alice"));
    m.destroy(&alice_session.id).unwrap();
    let (bob, _) = create(&mut m, for_user("bob"));
    m.destroy_all_for_user(&"alice".into()).unwrap();
    assert_eq!(m.backend().len(), 1, "revoked ones are removed too");
    assert_eq!(verdict(&mut m, &alice), Err(Invalid::InvalidToken));
    assert!(verdict(&mut m, &bob).is_ok());
}

#[test]
fn regression_sliding_expiration_is_applied_persisted_and_capped() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, with_timeouts(None, Some(2500.0)));
    let (token, _) = create(&mut m, NewSession { expires_in: Some(1000.0), sliding_expiration: true, ..for_user("a") });
    clock.set(T0 + 900.0);
    assert_eq!(m.validate(&token, None).unwrap().unwrap().expires_at, T0 + 1900.0);
    let persisted = m.backend().load(&hash_token(&token)).unwrap().unwrap().data;
    assert_eq!(persisted.expires_at, T0 + 1900.0, "the slide is persisted");
    clock.set(T0 + 1800.0);
    assert_eq!(
        m.validate(&token, None).unwrap().unwrap().expires_at,
        T0 + 2500.0,
        "capped at createdAt + absoluteTimeout"
    );
    clock.set(T0 + 2501.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired));
}

#[test]
fn sessions_without_sliding_keep_their_expiry() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (token, _) = create(&mut m, NewSession { expires_in: Some(1000.0), ..for_user("a") });
    clock.set(T0 + 900.0);
    assert_eq!(m.validate(&token, None).unwrap().unwrap().expires_at, T0 + 1000.0);
    clock.set(T0 + 1001.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired));
}

#[test]
fn inactivity_timeout_expires_idle_sessions_and_validate_or_refresh_resets_it() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, with_timeouts(Some(100.0), None));
    let (token, _) = create(&mut m, for_user("a"));
    clock.set(T0 + 100.0);
    assert!(verdict(&mut m, &token).is_ok(), "valid at exactly the inactivity deadline");
    clock.set(T0 + 190.0);
    let token = m.refresh(&token, None).unwrap().token.expose().to_owned();
    clock.set(T0 + 290.0);
    assert!(verdict(&mut m, &token).is_ok());
    clock.set(T0 + 391.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired));
}

#[test]
fn absolute_timeout_ends_sessions_whatever_their_use() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, with_timeouts(Some(100.0), Some(250.0)));
    let (mut token, _) = create(&mut m, for_user("a"));
    for at in [90.0, 180.0] {
        clock.set(T0 + at);
        token = m.refresh(&token, None).unwrap().token.expose().to_owned();
    }
    clock.set(T0 + 250.0);
    assert!(verdict(&mut m, &token).is_ok());
    clock.set(T0 + 251.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired));
    assert_eq!(m.refresh(&token, None).unwrap_err(), ManagerError::SessionExpired);
}

#[test]
fn regression_user_agent_binding() {
    let clock = ManualClock::new(T0);
    let config = ManagerConfig { bind_to_user_agent: true, ..ManagerConfig::default() };
    let mut m = manager(&clock, config);
    let (token, session) = create(&mut m, NewSession { user_agent: Some("Firefox/140".into()), ..for_user("a") });
    assert_eq!(session.bound_user_agent.as_deref(), Some("Firefox/140"));
    assert!(m.validate(&token, Some(&"Firefox/140".into())).unwrap().is_ok());
    assert_eq!(m.validate(&token, Some(&"Chrome/150".into())).unwrap().unwrap_err(), Invalid::UserAgentMismatch);
    assert_eq!(m.validate(&token, None).unwrap().unwrap_err(), Invalid::UserAgentMismatch);
    // The binding is checked before revocation, as the order of checks says.
    m.destroy(&session.id).unwrap();
    assert_eq!(m.validate(&token, Some(&"Chrome/150".into())).unwrap().unwrap_err(), Invalid::UserAgentMismatch);
    assert_eq!(m.validate(&token, Some(&"Firefox/140".into())).unwrap().unwrap_err(), Invalid::SessionRevoked);
}

#[test]
fn without_binding_the_user_agent_is_neither_stored_nor_checked() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (token, session) = create(&mut m, NewSession { user_agent: Some("Firefox/140".into()), ..for_user("a") });
    assert_eq!(session.bound_user_agent, None);
    assert!(m.validate(&token, Some(&"Chrome/150".into())).unwrap().is_ok());
}

#[test]
fn revoked_is_reported_before_expired() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (token, session) = create(&mut m, NewSession { expires_in: Some(10.0), ..for_user("a") });
    m.destroy(&session.id).unwrap();
    clock.advance(100.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionRevoked));
}

#[test]
fn invalid_expires_in_is_refused_before_anything_is_stored() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let result = m.create(NewSession { expires_in: Some(bad), ..for_user("a") });
        assert_eq!(result.unwrap_err(), ManagerError::InvalidOptions { field: "expiresIn" });
    }
    assert!(m.backend().is_empty());
}

#[test]
fn issued_tokens_never_show_in_debug_output() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let issued = m.create(for_user("a")).unwrap();
    let debug = format!("{issued:?} {m:?}");
    assert!(!debug.contains(issued.token.expose()));
    assert!(!debug.contains(&issued.session.token_hash));
}

#[test]
fn regression_refresh_applies_the_user_agent_binding_and_rotates_nothing_on_a_mismatch() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig { bind_to_user_agent: true, ..ManagerConfig::default() });
    let firefox = String::from("Firefox/140");
    let (token, _) = create(&mut m, NewSession { user_agent: Some(firefox.clone()), ..for_user("a") });
    let before = m.backend().load_all().unwrap();
    assert_eq!(m.refresh(&token, None).unwrap_err(), ManagerError::UserAgentMismatch);
    assert_eq!(m.refresh(&token, Some(&"Chrome/150".into())).unwrap_err(), ManagerError::UserAgentMismatch);
    assert_eq!(m.backend().load_all().unwrap(), before, "nothing rotated, nothing written");
    assert!(m.validate(&token, Some(&firefox)).unwrap().is_ok(), "the victim is still logged in");
    let rotated = m.refresh(&token, Some(&firefox)).unwrap();
    assert!(m.validate(rotated.token.expose(), Some(&firefox)).unwrap().is_ok());
}

#[test]
fn regression_a_record_that_disagrees_with_its_key_is_corrupt_and_redirects_no_write() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (alice_token, alice) = create(&mut m, for_user("alice"));
    let (mallory_token, mallory) = create(&mut m, for_user("mallory"));
    // Mallory's entry overwritten with a copy of Alice's record (its tokenHash is Alice's).
    let mut backend = MemoryBackend::new();
    for (key, entry) in m.backend().load_all().unwrap() {
        let record = entry.unwrap();
        let data = if key == mallory.token_hash { alice.clone() } else { record.data };
        backend.save(&key, &data, record.meta).unwrap();
    }
    let mut m = SessionManager::new(backend, &clock, &ManagerConfig::<String>::default());
    assert_eq!(verdict(&mut m, &mallory_token), Err(Invalid::InvalidToken), "a corrupt entry opens nothing");
    assert!(
        matches!(m.refresh(&mallory_token, None), Err(ManagerError::Store(StoreError::CorruptEntry))),
        "refresh reports the entry as corrupt and rotates nothing"
    );
    assert_eq!(m.list_for_user(&"alice".into()).unwrap().len(), 1, "listed once, from its own key");
    m.destroy(&alice.id).unwrap();
    assert_eq!(verdict(&mut m, &alice_token), Err(Invalid::SessionRevoked));
    let copy = m.backend().load(&mallory.token_hash).unwrap().unwrap().data;
    assert_eq!(copy.revoked_at, None, "the copy was not written through");
    m.destroy_all_for_user(&"alice".into()).unwrap();
    assert!(m.backend().load(&mallory.token_hash).unwrap().is_some(), "the copy did not redirect the removal");
    assert_eq!(m.clean_expired().unwrap(), 1, "cleanup removes the corrupt entry");
    assert!(m.backend().is_empty());
}

#[test]
fn regression_times_from_a_clock_a_year_ahead_are_pulled_back() {
    let year = 365.0 * 86_400_000.0;
    let clock = ManualClock::new(T0 + year);
    let mut m = manager(&clock, with_timeouts(Some(30_000.0), Some(60_000.0)));
    let (token, _) = create(&mut m, NewSession { expires_in: Some(30.0 * 86_400_000.0), ..for_user("a") });
    clock.set(T0);
    let session = m.validate(&token, None).unwrap().unwrap();
    assert_eq!((session.created_at, session.last_active_at), (T0, T0));
    let stored = m.backend().load(&hash_token(&token)).unwrap().unwrap();
    assert_eq!(stored.data.created_at, T0, "the pulled-back times are persisted");
    assert_eq!(stored.meta.expires_at, Some(T0 + 30_000.0), "the envelope's deadline follows");
    for at in [30_000.0, 60_000.0] {
        clock.set(T0 + at);
        assert!(m.validate(&token, None).unwrap().is_ok());
    }
    clock.set(T0 + 60_001.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired), "60 s after the correction, not a year");
}

#[test]
fn listing_and_cleanup_count_pulled_back_times_too() {
    let clock = ManualClock::new(T0 + 1e10);
    let mut m = manager(&clock, with_timeouts(None, Some(1000.0)));
    create(&mut m, for_user("a"));
    clock.set(T0 + 1001.0 - 1e0);
    assert_eq!(m.list_for_user(&"a".into()).unwrap().len(), 1);
    assert_eq!(m.clean_expired().unwrap(), 0);
    clock.set(T0);
    assert_eq!(m.list_for_user(&"a".into()).unwrap().len(), 1, "alive for the absolute timeout from now");
}

#[test]
fn clean_expired_removes_expired_and_revoked_expired_sessions_only() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (live, _) = create(&mut m, for_user("a"));
    create(&mut m, NewSession { expires_in: Some(10.0), ..for_user("a") });
    let (_, revoked) = create(&mut m, NewSession { expires_in: Some(10.0), ..for_user("b") });
    m.destroy(&revoked.id).unwrap();
    assert_eq!(m.clean_expired().unwrap(), 0);
    clock.advance(11.0);
    assert_eq!(m.clean_expired().unwrap(), 2);
    assert!(verdict(&mut m, &live).is_ok());
    assert_eq!(m.backend().len(), 1);
}

#[test]
fn the_envelope_deadline_is_the_earliest_of_expiry_inactivity_and_absolute() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, with_timeouts(Some(100.0), Some(250.0)));
    let (token, _) = create(&mut m, NewSession { expires_in: Some(1000.0), ..for_user("a") });
    let meta = |m: &Manager<'_>| m.backend().load(&hash_token(&token)).unwrap().unwrap().meta;
    assert_eq!(meta(&m), Meta { expires_at: Some(T0 + 100.0), ..Meta::default() });
    clock.set(T0 + 90.0);
    assert!(verdict(&mut m, &token).is_ok());
    assert_eq!(meta(&m).expires_at, Some(T0 + 190.0), "inactivity moved by use");
    clock.set(T0 + 180.0);
    assert!(verdict(&mut m, &token).is_ok());
    assert_eq!(meta(&m).expires_at, Some(T0 + 250.0), "capped by the absolute timeout");
}
