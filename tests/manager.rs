//! The session manager over the memory backend, with a manual clock (native).
#![cfg(not(target_arch = "wasm32"))]

use wasm_session_store::backend::{Backend, MemoryBackend};
use wasm_session_store::manager::{Invalid, ManagerConfig, NewSession, SessionManager, StoredSession, Timeouts};
use wasm_session_store::token::hash_token;
use wasm_session_store::{ManagerError, ManualClock};

const T0: f64 = 1_700_000_000_000.0;
type Manager<'c> = SessionManager<MemoryBackend<StoredSession<String>>, &'c ManualClock>;

fn manager(clock: &ManualClock, config: ManagerConfig) -> Manager<'_> {
    SessionManager::new(MemoryBackend::new(), clock, &config)
}

fn with_timeouts(inactivity: Option<f64>, absolute: Option<f64>) -> ManagerConfig {
    ManagerConfig { timeouts: Timeouts { inactivity, absolute }, ..ManagerConfig::default() }
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
    let refreshed = m.refresh(&old).unwrap();
    let new = refreshed.token.expose().to_owned();
    assert_ne!(new, old);
    assert_eq!(refreshed.session.id, created.id, "the same session, a new token");
    assert_eq!(refreshed.session.expires_at, T0 + 1000.0 + 86_400_000.0);
    assert_eq!(verdict(&mut m, &old), Err(Invalid::InvalidToken));
    assert_eq!(verdict(&mut m, &new), Ok(created.id));
    assert_eq!(m.backend().len(), 1, "the old hash's entry is gone");
    assert_eq!(m.refresh(&old).unwrap_err(), ManagerError::SessionNotFound);
}

#[test]
fn refresh_refuses_revoked_and_expired_sessions() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (revoked, session) = create(&mut m, for_user("a"));
    m.destroy(&session.id).unwrap();
    assert_eq!(m.refresh(&revoked).unwrap_err(), ManagerError::SessionRevoked);
    let (expired, _) = create(&mut m, NewSession { expires_in: Some(10.0), ..for_user("a") });
    clock.advance(11.0);
    assert_eq!(m.refresh(&expired).unwrap_err(), ManagerError::SessionExpired);
    assert_eq!(m.refresh("never-issued").unwrap_err(), ManagerError::SessionNotFound);
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
    let ids = |m: &mut Manager<'_>| m.list_for_user("alice").unwrap().into_iter().map(|s| s.id).collect::<Vec<_>>();
    assert_eq!(ids(&mut m), vec![a1.id.clone(), a2.id.clone()]);
    clock.advance(11.0);
    assert_eq!(ids(&mut m), vec![a1.id.clone()], "expired sessions are not listed");
    assert!(m.list_for_user("carol").unwrap().is_empty());
}

#[test]
fn destroy_all_for_user_removes_only_that_users_sessions() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (alice, alice_session) = create(&mut m, for_user("alice"));
    create(&mut m, for_user("alice"));
    m.destroy(&alice_session.id).unwrap();
    let (bob, _) = create(&mut m, for_user("bob"));
    m.destroy_all_for_user("alice").unwrap();
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
    assert_eq!(m.validate(&token, None).unwrap().unwrap().expires_at, T0 + 2500.0, "capped at createdAt + absoluteTimeout");
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
    let token = m.refresh(&token).unwrap().token.expose().to_owned();
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
        token = m.refresh(&token).unwrap().token.expose().to_owned();
    }
    clock.set(T0 + 250.0);
    assert!(verdict(&mut m, &token).is_ok());
    clock.set(T0 + 251.0);
    assert_eq!(verdict(&mut m, &token), Err(Invalid::SessionExpired));
    assert_eq!(m.refresh(&token).unwrap_err(), ManagerError::SessionExpired);
}

#[test]
fn regression_user_agent_binding() {
    let clock = ManualClock::new(T0);
    let config = ManagerConfig { bind_to_user_agent: true, ..ManagerConfig::default() };
    let mut m = manager(&clock, config);
    let (token, session) = create(&mut m, NewSession { user_agent: Some("Firefox/140".into()), ..for_user("a") });
    assert_eq!(session.bound_user_agent.as_deref(), Some("Firefox/140"));
    assert!(m.validate(&token, Some("Firefox/140")).unwrap().is_ok());
    assert_eq!(m.validate(&token, Some("Chrome/150")).unwrap().unwrap_err(), Invalid::UserAgentMismatch);
    assert_eq!(m.validate(&token, None).unwrap().unwrap_err(), Invalid::UserAgentMismatch);
    // The binding is checked before revocation, as the order of checks says.
    m.destroy(&session.id).unwrap();
    assert_eq!(m.validate(&token, Some("Chrome/150")).unwrap().unwrap_err(), Invalid::UserAgentMismatch);
    assert_eq!(m.validate(&token, Some("Firefox/140")).unwrap().unwrap_err(), Invalid::SessionRevoked);
}

#[test]
fn without_binding_the_user_agent_is_neither_stored_nor_checked() {
    let clock = ManualClock::new(T0);
    let mut m = manager(&clock, ManagerConfig::default());
    let (token, session) = create(&mut m, NewSession { user_agent: Some("Firefox/140".into()), ..for_user("a") });
    assert_eq!(session.bound_user_agent, None);
    assert!(m.validate(&token, Some("Chrome/150")).unwrap().is_ok());
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
