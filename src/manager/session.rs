//! A managed session as stored, and its expiry rules (FoalTS's inactivity and absolute timeouts,
//! @dotdo/workers' per-session lifetime and sliding expiration).

use alloc::string::String;
use core::fmt;

/// A session as the manager stores it: never the token, only its hash.
#[derive(Clone, PartialEq)]
pub struct StoredSession<M> {
    pub id: String,
    pub user_id: String,
    /// Lowercase hex SHA-256 of the current token.
    pub token_hash: String,
    pub created_at: f64,
    pub expires_at: f64,
    /// Time of the latest successful validate or refresh (or of creation).
    pub last_active_at: f64,
    /// This session's lifetime in ms (its `expiresIn`): how far a refresh or a slide moves the expiry.
    pub lifetime: f64,
    pub metadata: Option<M>,
    pub revoked_at: Option<f64>,
    pub sliding_expiration: bool,
    pub bound_user_agent: Option<String>,
}

// Hand-written so that neither the token hash nor the metadata ever reaches a log.
impl<M> fmt::Debug for StoredSession<M> {
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
            .finish()
    }
}

/// The manager-wide timeouts, in ms; `None` means no such limit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timeouts {
    /// A session unused this long is expired.
    pub inactivity: Option<f64>,
    /// A session this old is expired, whatever its use.
    pub absolute: Option<f64>,
}

impl Timeouts {
    /// The moment after which the session is expired: its own expiry, its inactivity deadline or its
    /// absolute deadline, whichever comes first.
    pub fn deadline<M>(&self, session: &StoredSession<M>) -> f64 {
        let mut end = session.expires_at;
        if let Some(inactivity) = self.inactivity {
            end = end.min(session.last_active_at + inactivity);
        }
        if let Some(end_of_life) = self.end_of_life(session) {
            end = end.min(end_of_life);
        }
        end
    }

    /// Expired strictly after the deadline: still valid at that very millisecond.
    pub fn is_expired<M>(&self, session: &StoredSession<M>, now: f64) -> bool {
        now > self.deadline(session)
    }

    /// Marks the session used at `now`; with `extend`, moves its expiry to now + its lifetime,
    /// never past the absolute deadline.
    pub fn touch<M>(&self, session: &mut StoredSession<M>, now: f64, extend: bool) {
        session.last_active_at = now;
        if extend {
            let extended = now + session.lifetime;
            session.expires_at = self.end_of_life(session).map_or(extended, |end| extended.min(end));
        }
    }

    /// Whether a successful validation must write the session back.
    pub fn tracks_activity<M>(&self, session: &StoredSession<M>) -> bool {
        self.inactivity.is_some() || session.sliding_expiration
    }

    fn end_of_life<M>(&self, session: &StoredSession<M>) -> Option<f64> {
        Some(session.created_at + self.absolute?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_700_000_000_000.0;

    fn session<M>(lifetime: f64) -> StoredSession<M> {
        StoredSession {
            id: "id".into(),
            user_id: "user".into(),
            token_hash: "0".repeat(64),
            created_at: T0,
            expires_at: T0 + lifetime,
            last_active_at: T0,
            lifetime,
            metadata: None,
            revoked_at: None,
            sliding_expiration: false,
            bound_user_agent: None,
        }
    }

    #[test]
    fn expires_after_expires_at_inclusive_boundary() {
        let t = Timeouts::default();
        let s: StoredSession<()> = session(1000.0);
        assert!(!t.is_expired(&s, T0 + 1000.0));
        assert!(t.is_expired(&s, T0 + 1001.0));
    }

    #[test]
    fn inactivity_deadline_follows_last_activity() {
        let t = Timeouts { inactivity: Some(100.0), absolute: None };
        let mut s: StoredSession<()> = session(10_000.0);
        assert!(t.is_expired(&s, T0 + 101.0));
        t.touch(&mut s, T0 + 90.0, false);
        assert!(!t.is_expired(&s, T0 + 190.0));
        assert!(t.is_expired(&s, T0 + 191.0));
        assert_eq!(s.expires_at, T0 + 10_000.0, "a touch without extend keeps the expiry");
    }

    #[test]
    fn absolute_deadline_counts_from_creation() {
        let t = Timeouts { inactivity: None, absolute: Some(500.0) };
        let s: StoredSession<()> = session(10_000.0);
        assert!(!t.is_expired(&s, T0 + 500.0));
        assert!(t.is_expired(&s, T0 + 501.0));
    }

    #[test]
    fn extending_slides_the_expiry_but_never_past_the_absolute_deadline() {
        let t = Timeouts { inactivity: None, absolute: Some(1500.0) };
        let mut s: StoredSession<()> = session(1000.0);
        t.touch(&mut s, T0 + 400.0, true);
        assert_eq!(s.expires_at, T0 + 1400.0);
        t.touch(&mut s, T0 + 900.0, true);
        assert_eq!(s.expires_at, T0 + 1500.0);
    }

    #[test]
    fn debug_output_redacts_the_token_hash_and_metadata() {
        let mut s = session(1.0);
        s.token_hash = "a".repeat(64);
        s.metadata = Some("secret-metadata");
        let debug = format!("{s:?}");
        assert!(!debug.contains(&s.token_hash));
        assert!(!debug.contains("secret-metadata"));
        assert!(debug.contains("<redacted>"));
    }
}
