//! The expiry rules, as pure functions of a session's metadata and the current time. Stores and the
//! session manager both decide expiry here, and nowhere else.

use crate::record::Meta;

/// How long a store's sessions live.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Policy {
    /// Idle lifetime in ms: every `set` (and every access, with `refresh_on_access`) moves the expiry
    /// to now + lifetime. `None`: sessions never expire by idleness.
    pub lifetime: Option<f64>,
    /// Whether a successful access pushes the expiry forward.
    pub refresh_on_access: bool,
    /// Absolute lifetime in ms from the session's latest `set`, refreshes included.
    pub absolute_lifetime: Option<f64>,
    /// Idle limit in ms counted from the session's last use, whatever its expiry says (the
    /// manager's `inactivityTimeout`; stores have none).
    pub inactivity: Option<f64>,
}

impl Policy {
    /// The metadata of a session being `set` at `now`: a `set` starts the session anew. With a
    /// `deadline` of its own, the session ends then, whatever the lifetimes say.
    pub fn on_set(&self, now: f64, deadline: Option<f64>) -> Meta {
        let last_active_at = self.inactivity.map(|_| now);
        if deadline.is_some() {
            return Meta { expires_at: deadline, created_at: None, last_active_at, deadline };
        }
        let created_at = self.absolute_lifetime.map(|_| now);
        let idle_expiry = self.lifetime.map(|lifetime| now + lifetime);
        Meta { expires_at: earliest(idle_expiry, self.deadline(created_at)), created_at, last_active_at, deadline }
    }

    /// Whether a session with this metadata can ever expire, so whether checking needs the time.
    pub fn can_expire(&self, meta: &Meta) -> bool {
        self.end(meta).is_some()
    }

    /// The last millisecond the session is valid: the earliest of its expiry, its absolute deadline
    /// and its inactivity deadline; `None` when it never expires.
    pub fn end(&self, meta: &Meta) -> Option<f64> {
        let idle_deadline = meta.last_active_at.zip(self.inactivity).map(|(used, idle)| used + idle);
        let end = earliest(earliest(meta.expires_at, self.deadline(meta.created_at)), idle_deadline);
        earliest(end, meta.deadline)
    }

    /// A session is expired strictly after its [`end`](Self::end); it is still valid at exactly
    /// that millisecond.
    pub fn is_expired(&self, meta: &Meta, now: f64) -> bool {
        self.end(meta).is_some_and(|end| now > end)
    }

    /// Whether accessing a live session writes a new expiry back (never for one with its own
    /// deadline).
    pub fn refreshes(&self, meta: &Meta) -> bool {
        self.refresh_on_access && self.lifetime.is_some() && meta.deadline.is_none()
    }

    /// The metadata of a live session used at `now`: its last use becomes now (when it records
    /// one), and with [`refreshes`](Self::refreshes) its idle expiry moves to now + lifetime, never
    /// past the absolute deadline. An entry without `createdAt` (written without an absolute
    /// lifetime) starts its absolute lifetime at this refresh.
    pub fn on_access(&self, meta: &Meta, now: f64) -> Meta {
        let mut used = *meta;
        if meta.last_active_at.is_some() || self.inactivity.is_some() {
            used.last_active_at = Some(now);
        }
        if self.refreshes(meta) {
            used.created_at = match self.absolute_lifetime {
                Some(_) => Some(meta.created_at.unwrap_or(now)),
                None => meta.created_at,
            };
            let idle_expiry = self.lifetime.map(|lifetime| now + lifetime);
            used.expires_at = earliest(idle_expiry, self.deadline(used.created_at));
        }
        used
    }

    /// Pulls back times that could not have been written by `now` (an expiry beyond now plus the
    /// lifetime, a creation or a use after now) left by a clock that has since jumped back, so
    /// that such a session lives at most its lifetime from now instead of the length of the jump.
    /// `None` when nothing needs pulling back.
    pub fn clamp(&self, meta: &Meta, now: f64) -> Option<Meta> {
        // A deadline of its own was given as a time, not counted from a clock: nothing to pull back.
        let counted = meta.deadline.is_none();
        let latest_expiry = self.lifetime.or(self.absolute_lifetime).filter(|_| counted).map(|lifetime| now + lifetime);
        let mut clamped = *meta;
        if let (Some(expires_at), Some(latest)) = (meta.expires_at, latest_expiry) {
            clamped.expires_at = Some(lesser(expires_at, latest));
        }
        if let (Some(created_at), Some(_)) = (meta.created_at, self.absolute_lifetime) {
            clamped.created_at = Some(lesser(created_at, now));
        }
        if let Some(last_active_at) = meta.last_active_at {
            clamped.last_active_at = Some(lesser(last_active_at, now));
        }
        (clamped != *meta).then_some(clamped)
    }

    /// Whether reading this session needs the time: it can expire, or an access moves its expiry.
    pub fn is_timed(&self, meta: &Meta) -> bool {
        self.can_expire(meta) || self.refreshes(meta)
    }

    /// What a store's access at `now` makes of a timed session: gone, or live with the times to
    /// write back (refreshed, or pulled back after a clock jump), if any.
    pub fn verdict(&self, meta: &Meta, now: f64) -> Verdict {
        if self.is_expired(meta, now) {
            return Verdict::Expired;
        }
        let clamped = self.clamp(meta, now);
        Verdict::Live(match self.refreshes(meta) {
            true => Some(self.on_access(&clamped.unwrap_or(*meta), now)),
            false => clamped,
        })
    }

    /// The times at which an access changes nothing ([`Self::verdict`] is `Live(None)`) for a
    /// session whose times were written at `written_at` (by [`Self::on_set`] or a verdict): from
    /// then, when no time can be ahead of the clock, to its [`end`](Self::end) (infinite when it
    /// has none). None for a session that every access refreshes. A caller that keeps the session
    /// need not ask at those times.
    pub fn quiet_window(&self, meta: &Meta, written_at: f64) -> (f64, f64) {
        let from = if self.refreshes(meta) { f64::INFINITY } else { written_at };
        (from, self.end(meta).unwrap_or(f64::INFINITY))
    }

    fn deadline(&self, created_at: Option<f64>) -> Option<f64> {
        Some(created_at? + self.absolute_lifetime?)
    }
}

/// A store's access to a session, decided by [`Policy::verdict`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Verdict {
    /// The session has expired: it is removed.
    Expired,
    /// The session is live; its new times are written back when there are any.
    Live(Option<Meta>),
}

/// The lesser of two times. Not `f64::min`, whose NaN rule compiles to a call in WebAssembly: no
/// time here is NaN.
fn lesser(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

fn earliest(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(lesser(a, b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: f64 = 1_700_000_000_000.0;

    fn idle(lifetime: f64, refresh: bool) -> Policy {
        Policy { lifetime: Some(lifetime), refresh_on_access: refresh, absolute_lifetime: None, inactivity: None }
    }

    #[test]
    fn no_lifetime_means_no_expiry() {
        let policy = Policy::default();
        let meta = policy.on_set(T0, None);
        assert_eq!(meta, Meta { expires_at: None, created_at: None, last_active_at: None, deadline: None });
        assert!(!policy.can_expire(&meta));
        assert!(!policy.is_expired(&meta, f64::MAX));
    }

    #[test]
    fn set_expires_lifetime_after_now() {
        assert_eq!(idle(1000.0, false).on_set(T0, None).expires_at, Some(T0 + 1000.0));
    }

    #[test]
    fn valid_at_exactly_expires_at_and_expired_one_ms_later() {
        let policy = idle(1000.0, false);
        let meta = policy.on_set(T0, None);
        assert!(!policy.is_expired(&meta, T0 + 1000.0));
        assert!(policy.is_expired(&meta, T0 + 1001.0));
        assert!(policy.is_expired(&meta, T0 + 1000.5));
    }

    #[test]
    fn stored_expiry_applies_whatever_the_store_config() {
        let meta = Meta { expires_at: Some(T0), created_at: None, last_active_at: None, deadline: None };
        assert!(Policy::default().can_expire(&meta));
        assert!(Policy::default().is_expired(&meta, T0 + 1.0));
    }

    #[test]
    fn refresh_needs_both_refresh_on_access_and_lifetime() {
        assert!(idle(1000.0, true).refreshes(&Meta::default()));
        assert!(!idle(1000.0, false).refreshes(&Meta::default()));
        let no_lifetime = Policy { refresh_on_access: true, ..Policy::default() };
        assert!(!no_lifetime.refreshes(&Meta::default()));
    }

    #[test]
    fn refresh_moves_expiry_to_now_plus_lifetime() {
        let policy = idle(1000.0, true);
        let meta = policy.on_set(T0, None);
        let refreshed = policy.on_access(&meta, T0 + 900.0);
        assert_eq!(refreshed.expires_at, Some(T0 + 1900.0));
        assert_eq!(refreshed.created_at, None);
    }

    #[test]
    fn absolute_lifetime_caps_refreshes_and_keeps_created_at() {
        let policy = Policy {
            lifetime: Some(1000.0),
            refresh_on_access: true,
            absolute_lifetime: Some(2500.0),
            inactivity: None,
        };
        let meta = policy.on_set(T0, None);
        assert_eq!(
            meta,
            Meta { expires_at: Some(T0 + 1000.0), created_at: Some(T0), last_active_at: None, deadline: None }
        );
        let meta = policy.on_access(&meta, T0 + 900.0);
        assert_eq!(
            meta,
            Meta { expires_at: Some(T0 + 1900.0), created_at: Some(T0), last_active_at: None, deadline: None }
        );
        let meta = policy.on_access(&meta, T0 + 1800.0);
        assert_eq!(meta.expires_at, Some(T0 + 2500.0), "capped at createdAt + absoluteLifetime");
        assert!(!policy.is_expired(&meta, T0 + 2500.0));
        assert!(policy.is_expired(&meta, T0 + 2501.0));
    }

    #[test]
    fn absolute_lifetime_alone_expires_at_the_deadline() {
        let policy = Policy { absolute_lifetime: Some(5000.0), ..Policy::default() };
        let meta = policy.on_set(T0, None);
        assert_eq!(
            meta,
            Meta { expires_at: Some(T0 + 5000.0), created_at: Some(T0), last_active_at: None, deadline: None }
        );
    }

    #[test]
    fn absolute_deadline_applies_to_entries_with_a_later_stored_expiry() {
        // Written under a longer absolute lifetime, read by a store with a shorter one.
        let policy = Policy { absolute_lifetime: Some(1000.0), ..Policy::default() };
        let meta = Meta { expires_at: Some(T0 + 9000.0), created_at: Some(T0), last_active_at: None, deadline: None };
        assert!(!policy.is_expired(&meta, T0 + 1000.0));
        assert!(policy.is_expired(&meta, T0 + 1001.0));
    }

    #[test]
    fn times_from_a_clock_that_jumped_ahead_are_pulled_back_to_now() {
        let policy = Policy {
            lifetime: Some(1000.0),
            refresh_on_access: false,
            absolute_lifetime: Some(5000.0),
            inactivity: None,
        };
        let written_a_year_ahead = policy.on_set(T0 + 3.2e10, None);
        let clamped = policy.clamp(&written_a_year_ahead, T0).unwrap();
        assert_eq!(
            clamped,
            Meta { expires_at: Some(T0 + 1000.0), created_at: Some(T0), last_active_at: None, deadline: None }
        );
        assert_eq!(policy.clamp(&policy.on_set(T0, None), T0 + 10.0), None, "times written by now stay");
        let no_limits = Policy::default();
        assert_eq!(
            no_limits
                .clamp(&Meta { expires_at: Some(1e300), created_at: None, last_active_at: None, deadline: None }, T0),
            None,
            "honoured without a lifetime"
        );
    }

    #[test]
    fn a_deadline_of_its_own_replaces_the_lifetimes_and_no_access_moves_it() {
        let policy = Policy { absolute_lifetime: Some(500.0), ..idle(1000.0, true) };
        let week = T0 + 7.0 * 86_400_000.0;
        let meta = policy.on_set(T0, Some(week));
        assert_eq!(meta, Meta { expires_at: Some(week), created_at: None, last_active_at: None, deadline: Some(week) });
        assert!(!policy.refreshes(&meta));
        assert_eq!(policy.on_access(&meta, T0 + 10.0), meta, "an access leaves it");
        assert_eq!(policy.clamp(&meta, T0), None, "not pulled back to now + lifetime");
        assert!(!policy.is_expired(&meta, week) && policy.is_expired(&meta, week + 1.0));
        // Another writer that moved `expiresAt` (a @walletmesh/router refresh) does not move the end.
        assert_eq!(policy.end(&Meta { expires_at: Some(week + 5.0), ..meta }), Some(week));
    }

    #[test]
    fn an_access_inside_the_quiet_window_changes_nothing_and_one_after_it_expires() {
        let policies = [
            Policy::default(),
            idle(1000.0, false),
            idle(1000.0, true),
            Policy { absolute_lifetime: Some(2500.0), ..idle(1000.0, false) },
            Policy { absolute_lifetime: Some(2500.0), ..Policy::default() },
            Policy { inactivity: Some(700.0), ..idle(1000.0, false) },
        ];
        let steps = [
            -1000.0, -1.0, 0.0, 1e-3, 0.5, 1.0, 999.0, 999.9, 1000.0, 1000.1, 1001.0, 2499.0, 2500.0, 2501.0, 5000.0,
            6000.0,
        ];
        for policy in policies {
            for at in [T0, T0 + 0.3, 1e15 + 0.7] {
                for deadline in [None, Some(at + 5000.0)] {
                    let set = policy.on_set(at, deadline);
                    // Times written at `at`: by a set, and by a pull-back at `at` of times a year ahead.
                    let ahead = policy.on_set(at + 3.2e10, deadline.map(|d| d + 3.2e10));
                    let pulled = match policy.verdict(&ahead, at) {
                        Verdict::Live(Some(meta)) => meta,
                        _ => ahead,
                    };
                    for meta in [set, pulled] {
                        let (from, until) = policy.quiet_window(&meta, at);
                        for now in steps.iter().map(|step| at + step).chain([until, until.next_up()]) {
                            if !now.is_finite() {
                                continue;
                            }
                            let verdict = policy.verdict(&meta, now);
                            if now >= from && now <= until {
                                assert_eq!(verdict, Verdict::Live(None), "{policy:?} {meta:?} at {now}");
                            }
                            if now > until {
                                assert_eq!(verdict, Verdict::Expired, "{policy:?} {meta:?} at {now}");
                            }
                        }
                        assert_eq!(from == f64::INFINITY, policy.refreshes(&meta));
                    }
                }
            }
        }
    }

    #[test]
    fn entries_without_created_at_start_their_absolute_lifetime_at_first_refresh() {
        let policy = Policy {
            lifetime: Some(1000.0),
            refresh_on_access: true,
            absolute_lifetime: Some(3000.0),
            inactivity: None,
        };
        let legacy = Meta { expires_at: Some(T0 + 500.0), created_at: None, last_active_at: None, deadline: None };
        assert!(!policy.is_expired(&legacy, T0 + 400.0));
        let meta = policy.on_access(&legacy, T0 + 400.0);
        assert_eq!(
            meta,
            Meta { expires_at: Some(T0 + 1400.0), created_at: Some(T0 + 400.0), last_active_at: None, deadline: None }
        );
    }
}
