//! The session manager: hands out tokens, stores only their hashes, validates, rotates, revokes.
//!
//! The whole story of a token, on one page: `create` draws a token and stores the session under
//! `prefix + SHA-256(token)`. A presented token is hashed and looked up by that key; the entry
//! must name the same hash (compared in constant time), or it is corrupt and opens nothing. Then,
//! in this order, for `validate` and `refresh` alike: the user agent it is bound to, revocation,
//! expiry (decided by [`crate::policy`], after pulling back times a clock jump left ahead). A
//! valid session is marked used, slid or rotated, and written back under its key. The key is the
//! truth: no write ever goes where a record says instead.

mod config;
mod session;

pub use config::{
    ManagerConfig, ManagerStorage, RawManagerConfig, DEFAULT_EXPIRES_IN, DEFAULT_MANAGER_PREFIX, DEFAULT_ROTATION_GRACE,
};
pub use session::StoredSession;

use alloc::{string::String, vec::Vec};

use crate::backend::{Backend, Entry};
use crate::clock::{Clock, OperationTime};
use crate::config::Text;
use crate::error::{ManagerError, StoreError};
use crate::policy::Policy;
use crate::record::Meta;
use crate::token::{generate_session_id, generate_token, hash_token, hashes_match, open_successor, seal_successor};

/// How many forwards `refresh` follows from an old token: more rotations than this within one
/// grace are not a race between tabs.
const MAX_FORWARDS: usize = 16;

/// What `create` needs to know about a new session.
#[derive(Clone, Debug, Default)]
pub struct NewSession<M, T = String> {
    /// Whose session it is.
    pub user_id: T,
    /// Lifetime in ms; the manager's `default_expires_in` when `None`.
    pub expires_in: Option<f64>,
    /// Anything the caller wants kept with the session.
    pub metadata: Option<M>,
    /// Whether each successful validation moves the expiry forward.
    pub sliding_expiration: bool,
    /// The user agent to bind the session to, when the manager binds sessions.
    pub user_agent: Option<T>,
}

/// A session with the token that opens it: only `create` and `refresh` ever return a token.
#[derive(Debug)]
pub struct Issued<M, T = String> {
    /// The token, shown once.
    pub token: IssuedToken,
    /// The session as stored.
    pub session: StoredSession<M, T>,
}

/// A freshly issued token. `Debug` never shows it.
pub struct IssuedToken(String);

impl IssuedToken {
    /// The token itself, to hand to the client once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("IssuedToken(<redacted>)")
    }
}

/// Why a token does not open a session, in the order `validate` and `refresh` check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// No session is stored under the token's hash (or its entry is corrupt).
    InvalidToken,
    /// The session is bound to another user agent than the one presented (or none was).
    UserAgentMismatch,
    /// The session was revoked by `destroy`.
    SessionRevoked,
    /// The session is past its expiry, its inactivity timeout or its absolute timeout.
    SessionExpired,
}

impl Invalid {
    /// The `ValidationResult.error` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Invalid::InvalidToken => "invalid_token",
            Invalid::UserAgentMismatch => "user_agent_mismatch",
            Invalid::SessionRevoked => "session_revoked",
            Invalid::SessionExpired => "session_expired",
        }
    }
}

impl From<Invalid> for ManagerError {
    fn from(reason: Invalid) -> Self {
        match reason {
            Invalid::InvalidToken => ManagerError::SessionNotFound,
            Invalid::UserAgentMismatch => ManagerError::UserAgentMismatch,
            Invalid::SessionRevoked => ManagerError::SessionRevoked,
            Invalid::SessionExpired => ManagerError::SessionExpired,
        }
    }
}

/// A session a token opened: its key, the time of the check, its policy, and whether its times
/// had to be pulled back.
struct Opened<M, T> {
    key: String,
    session: StoredSession<M, T>,
    now: f64,
    policy: Policy,
    clamped: bool,
}

/// A session with the key it is stored under.
type Keyed<M, T> = (String, StoredSession<M, T>);

/// Creates, validates, rotates and revokes sessions over a [`Backend`] of [`StoredSession`]s.
#[derive(Debug)]
pub struct SessionManager<B, C> {
    backend: B,
    clock: C,
    default_expires_in: f64,
    inactivity_timeout: Option<f64>,
    absolute_timeout: Option<f64>,
    bind_to_user_agent: bool,
    rotation_grace: Option<f64>,
}

impl<M, T, B, C> SessionManager<B, C>
where
    M: Clone,
    T: Text,
    B: Backend<Id = str, Data = StoredSession<M, T>>,
    C: Clock,
{
    /// A manager over `backend` (whose key prefix the config chose) with the config's rules.
    pub fn new<P>(backend: B, clock: C, config: &ManagerConfig<P>) -> Self {
        SessionManager {
            backend,
            clock,
            default_expires_in: config.default_expires_in,
            inactivity_timeout: config.inactivity_timeout,
            absolute_timeout: config.absolute_timeout,
            bind_to_user_agent: config.bind_to_user_agent,
            rotation_grace: config.rotation_grace,
        }
    }

    /// The storage underneath.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Starts a session for a user; the returned token is the only copy there will ever be.
    pub fn create(&mut self, new: NewSession<M, T>) -> Result<Issued<M, T>, ManagerError> {
        let lifetime = match new.expires_in {
            None => self.default_expires_in,
            Some(ms) if ms.is_finite() && ms > 0.0 => ms,
            Some(_) => return Err(ManagerError::InvalidOptions { field: "expiresIn" }),
        };
        let now = self.clock.now()?;
        let token = generate_token()?;
        let mut session = StoredSession {
            id: generate_session_id()?,
            user_id: new.user_id,
            token_hash: hash_token(&token),
            created_at: now,
            expires_at: now + lifetime,
            last_active_at: now,
            lifetime,
            metadata: new.metadata,
            revoked_at: None,
            sliding_expiration: new.sliding_expiration,
            bound_user_agent: new.user_agent.filter(|_| self.bind_to_user_agent),
            successor: None,
        };
        session.set_times(self.renewal(&session).on_access(&session.times(), now));
        self.save(&session.token_hash.clone(), &session)?;
        Ok(Issued { token: IssuedToken(token), session })
    }

    /// Checks a presented token. A valid session is marked used (and slid forward when it has
    /// sliding expiration), and written back when that matters to its expiry.
    pub fn validate(
        &mut self,
        token: &str,
        user_agent: Option<&T>,
    ) -> Result<Result<StoredSession<M, T>, Invalid>, ManagerError> {
        let Opened { key, mut session, now, policy, clamped } = match self.open(token, user_agent) {
            Ok(Ok(opened)) => opened,
            Ok(Err(reason)) => return Ok(Err(reason)),
            // `validate` never rejects for a bad token: a corrupt entry opens nothing.
            Err(ManagerError::Store(StoreError::CorruptEntry)) => return Ok(Err(Invalid::InvalidToken)),
            Err(error) => return Err(error),
        };
        session.set_times(policy.on_access(&session.times(), now));
        if clamped || policy.inactivity.is_some() || policy.refreshes(&session.times()) {
            self.save(&key, &session)?;
        }
        Ok(Ok(session))
    }

    /// Rotates the token after the same checks as [`Self::validate`], with the same user agent: a
    /// new token and expiry (now + lifetime, capped by the absolute timeout). The old token opens
    /// nothing from this moment on. A refused token rotates nothing.
    ///
    /// With a rotation grace, the old token's entry is replaced by one holding the new token
    /// sealed with the old ([`StoredSession::successor`]) until the grace ends: a second `refresh`
    /// of the old token in that time (another tab that raced this one) rotates nothing and
    /// answers with the session as this call rotated it, new token included, after the same
    /// checks. Without a grace, the old entry is removed.
    pub fn refresh(&mut self, token: &str, user_agent: Option<&T>) -> Result<Issued<M, T>, ManagerError> {
        let key = hash_token(token);
        let found = self.find(&key)?;
        if found.as_ref().is_some_and(|entry| entry.successor.is_some()) {
            return self.rotated(token, key, found, user_agent);
        }
        let Opened { key, mut session, now, .. } = self.checked(key, found, user_agent)??;
        let before = session.clone();
        let new_token = generate_token()?;
        session.token_hash = hash_token(&new_token);
        session.set_times(self.renewal(&session).on_access(&session.times(), now));
        self.save(&session.token_hash.clone(), &session)?;
        let retired = match self.rotation_grace {
            Some(grace) => {
                let forward = StoredSession {
                    successor: Some(seal_successor(token, &new_token)),
                    expires_at: now + grace,
                    ..before
                };
                self.save(&key, &forward)
            }
            None => self.backend.remove(&key).map_err(ManagerError::from),
        };
        if let Err(error) = retired {
            // Two live tokens would defeat rotation: undo the new one and report.
            let _ = self.backend.remove(&session.token_hash);
            return Err(error);
        }
        Ok(Issued { token: IssuedToken(new_token), session })
    }

    /// The session a rotated token (`key`, its entry `found`, a forward) leads to, with its newest
    /// token. Forwards are followed while each is within its grace: a tab that raced another may
    /// hold a token two rotations old, and holding the old token opens each forward in turn. One
    /// past its grace, or a session that fails the checks, is refused as `validate` refuses it.
    fn rotated(
        &mut self,
        token: &str,
        mut key: String,
        mut found: Option<StoredSession<M, T>>,
        user_agent: Option<&T>,
    ) -> Result<Issued<M, T>, ManagerError> {
        let mut time = OperationTime::default();
        let mut newest: Option<String> = None;
        for _ in 0..MAX_FORWARDS {
            let Some(entry) = &mut found else { break };
            if entry.successor.is_none() || !self.forward_live(&key, entry, time.get(&self.clock)?)? {
                break;
            }
            let sealed = entry.successor.as_ref().ok_or(StoreError::CorruptEntry)?;
            let next = open_successor(newest.as_deref().unwrap_or(token), sealed).ok_or(StoreError::CorruptEntry)?;
            key = hash_token(&next);
            found = self.find(&key)?;
            newest = Some(next);
        }
        let Opened { session, .. } = self.checked(key, found, user_agent)??;
        // `checked` opens no forward, so a session was reached through at least one.
        let token = newest.ok_or(ManagerError::SessionNotFound)?;
        Ok(Issued { token: IssuedToken(token), session })
    }

    /// Revokes a session: it stays stored with `revoked_at`, and its token validates as revoked.
    pub fn destroy(&mut self, session_id: &str) -> Result<(), ManagerError> {
        let mut time = OperationTime::default();
        for (key, mut session) in self.sessions()? {
            if session.id == session_id && session.revoked_at.is_none() {
                session.revoked_at = Some(time.get(&self.clock)?);
                self.save(&key, &session)?;
            }
        }
        Ok(())
    }

    /// The user's sessions that are neither revoked nor expired.
    pub fn list_for_user(&mut self, user_id: &T) -> Result<Vec<StoredSession<M, T>>, ManagerError> {
        let mut time = OperationTime::default();
        let mut live = Vec::new();
        for (_, session) in self.sessions()? {
            if session.user_id == *user_id
                && session.successor.is_none()
                && session.revoked_at.is_none()
                && !self.is_expired(&session, time.get(&self.clock)?)
            {
                live.push(session);
            }
        }
        Ok(live)
    }

    /// Removes every session of the user, revoked and expired ones included.
    pub fn destroy_all_for_user(&mut self, user_id: &T) -> Result<(), ManagerError> {
        for (key, session) in self.sessions()? {
            if session.user_id == *user_id {
                self.backend.remove(&key)?;
            }
        }
        Ok(())
    }

    /// Removes every expired session (revoked ones included) and every corrupt entry, a record
    /// that disagrees with its key among them; returns how many it removed.
    pub fn clean_expired(&mut self) -> Result<u32, ManagerError> {
        let mut time = OperationTime::default();
        let mut removed = 0;
        for (key, entry) in self.backend.load_all()? {
            let doomed = match entry.map(Entry::into_data) {
                Ok(mut session) if hashes_match(&session.token_hash, &key) => {
                    let now = time.get(&self.clock)?;
                    match session.successor {
                        Some(_) => !self.forward_live(&key, &mut session, now)?,
                        None => self.is_expired(&session, now),
                    }
                }
                _ => true,
            };
            if doomed {
                self.backend.remove(&key)?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// The session `token` opens for a caller presenting `user_agent`, or why it opens none.
    fn open(&mut self, token: &str, user_agent: Option<&T>) -> Result<Result<Opened<M, T>, Invalid>, ManagerError> {
        let key = hash_token(token);
        let found = self.find(&key)?;
        self.checked(key, found, user_agent)
    }

    /// [`Self::open`] for the entry already read under `key`.
    fn checked(
        &mut self,
        key: String,
        found: Option<StoredSession<M, T>>,
        user_agent: Option<&T>,
    ) -> Result<Result<Opened<M, T>, Invalid>, ManagerError> {
        let Some(mut session) = found else { return Ok(Err(Invalid::InvalidToken)) };
        if session.successor.is_some() {
            // A rotated token opens nothing: `refresh` alone follows it, within the grace.
            return Ok(Err(Invalid::InvalidToken));
        }
        if self.bind_to_user_agent {
            if let Some(bound) = &session.bound_user_agent {
                if user_agent != Some(bound) {
                    return Ok(Err(Invalid::UserAgentMismatch));
                }
            }
        }
        if session.revoked_at.is_some() {
            return Ok(Err(Invalid::SessionRevoked));
        }
        let now = self.clock.now()?;
        let policy = self.policy(&session);
        let clamped = policy.clamp(&session.times(), now);
        if let Some(times) = clamped {
            session.set_times(times);
        }
        if policy.is_expired(&session.times(), now) {
            return Ok(Err(Invalid::SessionExpired));
        }
        Ok(Ok(Opened { key, session, now, policy, clamped: clamped.is_some() }))
    }

    /// The expiry rules of one session: its own lifetime, sliding or not, under the manager's timeouts.
    fn policy(&self, session: &StoredSession<M, T>) -> Policy {
        Policy {
            lifetime: Some(session.lifetime),
            refresh_on_access: session.sliding_expiration,
            absolute_lifetime: self.absolute_timeout,
            inactivity: self.inactivity_timeout,
        }
    }

    /// The rules of a creation or rotation: the expiry moves whether or not the session slides.
    fn renewal(&self, session: &StoredSession<M, T>) -> Policy {
        Policy { refresh_on_access: true, ..self.policy(session) }
    }

    /// Whether a forward (the entry of a rotated token, under `key`) is within its grace at `now`.
    /// A forward written while the clock was ahead ends at most the grace from now, as a session's
    /// times are pulled back: that end is written, so the grace runs out instead of following the
    /// clock.
    fn forward_live(&mut self, key: &str, forward: &mut StoredSession<M, T>, now: f64) -> Result<bool, ManagerError> {
        // Without a grace (the config changed since it was written), a forward opens nothing.
        let Some(grace) = self.rotation_grace else { return Ok(false) };
        if forward.expires_at > now + grace {
            forward.expires_at = now + grace;
            self.save(key, forward)?;
        }
        Ok(now <= forward.expires_at)
    }

    /// Expired by now, counting times a clock jump left ahead as now.
    fn is_expired(&self, session: &StoredSession<M, T>, now: f64) -> bool {
        let policy = self.policy(session);
        let times = session.times();
        policy.is_expired(&policy.clamp(&times, now).unwrap_or(times), now)
    }

    /// The session stored under this token hash. An entry that does not decode, or whose record
    /// names another hash (compared in constant time), is [`StoreError::CorruptEntry`].
    fn find(&self, key: &str) -> Result<Option<StoredSession<M, T>>, ManagerError> {
        match self.backend.load(key)?.map(Entry::into_data) {
            Some(session) if !hashes_match(&session.token_hash, key) => Err(StoreError::CorruptEntry.into()),
            found => Ok(found),
        }
    }

    /// Every session with the key it is stored under; corrupt entries, and records that disagree
    /// with their key, are skipped.
    fn sessions(&self) -> Result<Vec<Keyed<M, T>>, ManagerError> {
        let entries = self.backend.load_all()?;
        Ok(entries
            .into_iter()
            .filter_map(|(key, entry)| Some((key, entry.ok()?.into_data())))
            .filter(|(key, session)| hashes_match(&session.token_hash, key))
            .collect())
    }

    fn save(&mut self, key: &str, session: &StoredSession<M, T>) -> Result<(), ManagerError> {
        // The envelope's expiresAt lets a plain store's cleanExpired() clear dead sessions too.
        let end = self.policy(session).end(&session.times());
        let meta = Meta { expires_at: end, ..Meta::default() };
        Ok(self.backend.save(key, session, meta)?)
    }
}
