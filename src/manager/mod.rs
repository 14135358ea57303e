//! The session manager: hands out tokens, stores only their hashes, validates, rotates, revokes.
//!
//! Each session is stored under `prefix + tokenHash`, so validating a token is one read and a
//! rotated token's key is gone. Listing and ending a user's sessions walk the entries.

use alloc::{string::String, vec::Vec};
mod config;
mod session;

pub use config::{ManagerConfig, ManagerStorage, RawManagerConfig, DEFAULT_EXPIRES_IN, DEFAULT_MANAGER_PREFIX};
pub use session::{StoredSession, Timeouts};

use crate::backend::{Backend, Entry};
use crate::clock::{Clock, OperationTime};
use crate::error::{ManagerError, StoreError};
use crate::record::Meta;
use crate::token::{generate_session_id, generate_token, hash_token, hashes_match};

/// What `create` needs to know about a new session.
#[derive(Clone, Debug, Default)]
pub struct NewSession<M> {
    pub user_id: String,
    /// Lifetime in ms; the manager's `default_expires_in` when `None`.
    pub expires_in: Option<f64>,
    pub metadata: Option<M>,
    pub sliding_expiration: bool,
    pub user_agent: Option<String>,
}

/// A session with the token that opens it: only `create` and `refresh` ever return a token.
#[derive(Debug)]
pub struct Issued<M> {
    pub token: IssuedToken,
    pub session: StoredSession<M>,
}

/// A freshly issued token. `Debug` never shows it.
pub struct IssuedToken(String);

impl IssuedToken {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl core::fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("IssuedToken(<redacted>)")
    }
}

/// Why a token does not open a session, in the order `validate` checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    InvalidToken,
    UserAgentMismatch,
    SessionRevoked,
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

/// Creates, validates, rotates and revokes sessions over a [`Backend`] of [`StoredSession`]s.
#[derive(Debug)]
pub struct SessionManager<B, C> {
    backend: B,
    clock: C,
    default_expires_in: f64,
    timeouts: Timeouts,
    bind_to_user_agent: bool,
}

impl<M, B, C> SessionManager<B, C>
where
    M: Clone,
    B: Backend<Id = str, Data = StoredSession<M>>,
    C: Clock,
{
    /// A manager over `backend` (whose key prefix the config chose) with the config's rules.
    pub fn new(backend: B, clock: C, config: &ManagerConfig) -> Self {
        SessionManager {
            backend,
            clock,
            default_expires_in: config.default_expires_in,
            timeouts: config.timeouts,
            bind_to_user_agent: config.bind_to_user_agent,
        }
    }

    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Starts a session for a user; the returned token is the only copy there will ever be.
    pub fn create(&mut self, new: NewSession<M>) -> Result<Issued<M>, ManagerError> {
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
        };
        self.timeouts.touch(&mut session, now, true);
        self.save(&session)?;
        Ok(Issued { token: IssuedToken(token), session })
    }

    /// Checks a presented token: unknown, then user agent, then revoked, then expired. A valid
    /// session is marked active (and slid forward when it has sliding expiration), persisted.
    pub fn validate(&mut self, token: &str, user_agent: Option<&str>) -> Result<Result<StoredSession<M>, Invalid>, ManagerError> {
        let Some(mut session) = self.find(&hash_token(token))? else { return Ok(Err(Invalid::InvalidToken)) };
        if self.bind_to_user_agent {
            if let Some(bound) = &session.bound_user_agent {
                if user_agent != Some(bound.as_str()) {
                    return Ok(Err(Invalid::UserAgentMismatch));
                }
            }
        }
        if session.revoked_at.is_some() {
            return Ok(Err(Invalid::SessionRevoked));
        }
        let now = self.clock.now()?;
        if self.timeouts.is_expired(&session, now) {
            return Ok(Err(Invalid::SessionExpired));
        }
        if self.timeouts.tracks_activity(&session) {
            let slide = session.sliding_expiration;
            self.timeouts.touch(&mut session, now, slide);
            self.save(&session)?;
        }
        Ok(Ok(session))
    }

    /// Rotates the token: a new token and expiry (now + lifetime, capped by the absolute timeout);
    /// the old token opens nothing from this moment on.
    pub fn refresh(&mut self, token: &str) -> Result<Issued<M>, ManagerError> {
        let old_hash = hash_token(token);
        let mut session = self.find(&old_hash)?.ok_or(ManagerError::SessionNotFound)?;
        if session.revoked_at.is_some() {
            return Err(ManagerError::SessionRevoked);
        }
        let now = self.clock.now()?;
        if self.timeouts.is_expired(&session, now) {
            return Err(ManagerError::SessionExpired);
        }
        let new_token = generate_token()?;
        session.token_hash = hash_token(&new_token);
        self.timeouts.touch(&mut session, now, true);
        self.save(&session)?;
        if let Err(error) = self.backend.remove(&old_hash) {
            // Two live tokens would defeat rotation: undo the new one and report.
            let _ = self.backend.remove(&session.token_hash);
            return Err(error.into());
        }
        Ok(Issued { token: IssuedToken(new_token), session })
    }

    /// Revokes a session: it stays stored with `revoked_at`, and its token validates as revoked.
    pub fn destroy(&mut self, session_id: &str) -> Result<(), ManagerError> {
        let mut time = OperationTime::default();
        for mut session in self.sessions()? {
            if session.id == session_id && session.revoked_at.is_none() {
                session.revoked_at = Some(time.get(&self.clock)?);
                self.save(&session)?;
            }
        }
        Ok(())
    }

    /// The user's sessions that are neither revoked nor expired.
    pub fn list_for_user(&mut self, user_id: &str) -> Result<Vec<StoredSession<M>>, ManagerError> {
        let mut time = OperationTime::default();
        let mut live = Vec::new();
        for session in self.sessions()? {
            if session.user_id == user_id && session.revoked_at.is_none() && !self.timeouts.is_expired(&session, time.get(&self.clock)?) {
                live.push(session);
            }
        }
        Ok(live)
    }

    /// Removes every session of the user, revoked and expired ones included.
    pub fn destroy_all_for_user(&mut self, user_id: &str) -> Result<(), ManagerError> {
        for session in self.sessions()? {
            if session.user_id == user_id {
                self.backend.remove(&session.token_hash)?;
            }
        }
        Ok(())
    }

    /// The session stored under this token hash, if its record agrees (compared in constant time).
    /// A corrupt entry opens nothing.
    fn find(&self, token_hash: &str) -> Result<Option<StoredSession<M>>, ManagerError> {
        let session = match self.backend.load(token_hash) {
            Ok(entry) => entry.map(Entry::into_data),
            Err(StoreError::CorruptEntry) => None,
            Err(error) => return Err(error.into()),
        };
        Ok(session.filter(|session| hashes_match(&session.token_hash, token_hash)))
    }

    /// Every decodable session; corrupt entries are skipped.
    fn sessions(&self) -> Result<Vec<StoredSession<M>>, ManagerError> {
        let entries = self.backend.load_all()?;
        Ok(entries.into_iter().filter_map(|(_, entry)| entry.ok().map(Entry::into_data)).collect())
    }

    fn save(&mut self, session: &StoredSession<M>) -> Result<(), ManagerError> {
        // The envelope's expiresAt lets a plain store's cleanExpired() clear dead sessions too.
        let meta = Meta { expires_at: Some(self.timeouts.deadline(session)), created_at: None };
        Ok(self.backend.save(&session.token_hash, session, meta)?)
    }
}
