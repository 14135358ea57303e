//! A managed session as stored. When it expires is decided by [`crate::policy`], as for stores.

use alloc::string::String;
use core::fmt;

use crate::record::Meta;

/// A session as the manager stores it: never the token, only its hash. `M` is its metadata, `T`
/// the caller's text (user id, user agent): `String` natively, JavaScript strings behind the facade.
#[derive(Clone, PartialEq)]
pub struct StoredSession<M, T = String> {
    /// The public session id: 256 random bits, base64url.
    pub id: String,
    /// Whose session it is, exactly as the caller gave it.
    pub user_id: T,
    /// Lowercase hex SHA-256 of the current token.
    pub token_hash: String,
    /// Creation time (ms since the epoch).
    pub created_at: f64,
    /// The session's own expiry (ms), moved by `refresh` and by sliding validation.
    pub expires_at: f64,
    /// Time of the latest successful validate or refresh (or of creation).
    pub last_active_at: f64,
    /// This session's lifetime in ms (its `expiresIn`): how far a refresh or a slide moves the expiry.
    pub lifetime: f64,
    /// What the caller attached at creation.
    pub metadata: Option<M>,
    /// When it was revoked by `destroy`.
    pub revoked_at: Option<f64>,
    /// Whether each successful validation moves the expiry to now + lifetime.
    pub sliding_expiration: bool,
    /// The user agent the session was created for, when the manager binds sessions to one.
    pub bound_user_agent: Option<T>,
    /// On the entry a `refresh` left under the old token's hash for its grace period: the new
    /// token, sealed with the old one (see [`crate::token::seal_successor`]). Such an entry opens
    /// nothing; it lets a second `refresh` of the old token answer with the rotated session.
    pub successor: Option<String>,
}

impl<M, T> StoredSession<M, T> {
    /// Its times, as the expiry policy reads them.
    pub fn times(&self) -> Meta {
        Meta {
            expires_at: Some(self.expires_at),
            created_at: Some(self.created_at),
            last_active_at: Some(self.last_active_at),
            deadline: None,
        }
    }

    /// Takes the times the expiry policy decided.
    pub fn set_times(&mut self, times: Meta) {
        self.expires_at = times.expires_at.unwrap_or(self.expires_at);
        self.created_at = times.created_at.unwrap_or(self.created_at);
        self.last_active_at = times.last_active_at.unwrap_or(self.last_active_at);
    }
}

// Hand-written so that neither the token hash nor the metadata ever reaches a log.
impl<M, T: fmt::Debug> fmt::Debug for StoredSession<M, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredSession")
            .field("id", &self.id)
            .field("user_id", &self.user_id)
            .field("token_hash", &"<redacted>")
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .field("last_active_at", &self.last_active_at)
            .field("lifetime", &self.lifetime)
            .field("metadata", &self.metadata.as_ref().map(|_| "<redacted>"))
            .field("revoked_at", &self.revoked_at)
            .field("sliding_expiration", &self.sliding_expiration)
            .field("bound_user_agent", &self.bound_user_agent)
            .field("successor", &self.successor.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_redacts_the_token_hash_and_metadata() {
        let session = StoredSession {
            id: "id".into(),
            user_id: String::from("user"),
            token_hash: "a".repeat(64),
            created_at: 0.0,
            expires_at: 1.0,
            last_active_at: 0.0,
            lifetime: 1.0,
            metadata: Some("secret-metadata"),
            revoked_at: None,
            sliding_expiration: false,
            bound_user_agent: None,
            successor: None,
        };
        let debug = format!("{session:?}");
        assert!(!debug.contains(&session.token_hash));
        assert!(!debug.contains("secret-metadata"));
        assert!(debug.contains("<redacted>"));
    }

    #[test]
    fn times_round_trip() {
        let mut session = StoredSession::<(), String> {
            id: String::new(),
            user_id: String::new(),
            token_hash: String::new(),
            created_at: 1.0,
            expires_at: 2.0,
            last_active_at: 3.0,
            lifetime: 1.0,
            metadata: None,
            revoked_at: None,
            sliding_expiration: false,
            bound_user_agent: None,
            successor: None,
        };
        assert_eq!(
            session.times(),
            Meta { expires_at: Some(2.0), created_at: Some(1.0), last_active_at: Some(3.0), deadline: None }
        );
        session.set_times(Meta { expires_at: Some(9.0), created_at: None, last_active_at: Some(8.0), deadline: None });
        assert_eq!((session.created_at, session.expires_at, session.last_active_at), (1.0, 9.0, 8.0));
    }
}
