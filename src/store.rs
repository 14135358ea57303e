//! The seven operations of a session store, written once for every backend.

use crate::backend::{Backend, Entry, OwnedId};
use crate::clock::{Clock, OperationTime};
use crate::error::StoreError;
use crate::policy::{Policy, Verdict};
use alloc::{borrow::ToOwned, vec::Vec};
use core::borrow::Borrow;

/// A session store: a [`Backend`] under an expiry [`Policy`], reading time from a [`Clock`].
///
/// `set` reads the clock exactly once; `get`, `validate_and_refresh`, `get_all` and
/// `clean_expired` read it at most once, and only when an expiry has to be checked or moved;
/// `delete` and `clear` never read it.
pub struct SessionStore<B: Backend, C> {
    backend: B,
    policy: Policy,
    clock: C,
    /// What this store changed, kept only while someone listens.
    changes: Option<Vec<Change<OwnedId<B>>>>,
}

impl<B: Backend + core::fmt::Debug, C: core::fmt::Debug> core::fmt::Debug for SessionStore<B, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionStore")
            .field("backend", &self.backend)
            .field("policy", &self.policy)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// The live sessions `get_all` returns, each with its id.
pub type LiveSessions<B> = Vec<(OwnedId<B>, <B as Backend>::Data)>;

/// A change this store made to its sessions, naming them by `I`, the backend's owned id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change<I> {
    /// A session was written by `set`.
    Set(I),
    /// A session was removed: by `delete`, or by `cleanExpired` because its entry was corrupt.
    Delete(I),
    /// Every session was removed by `clear`.
    Clear,
    /// A live session's expiry was moved by an access (refresh on access), or its times were
    /// pulled back after a clock jump; its data is unchanged.
    Refresh(I),
    /// A session was removed because it had expired.
    Expire(I),
}

/// A session found live (and refreshed when configured) or found expired (and removed).
enum Access<D> {
    Live(D),
    Expired,
}

impl<B: Backend, C> SessionStore<B, C> {
    /// Starts or stops keeping the list of changes that [`Self::take_changes`] hands out.
    pub fn record_changes(&mut self, on: bool) {
        self.changes = on.then(Vec::new);
    }

    /// The changes made since the last call, oldest first.
    pub fn take_changes(&mut self) -> Vec<Change<OwnedId<B>>> {
        self.changes.as_mut().map(core::mem::take).unwrap_or_default()
    }
}

impl<B: Backend, C: Clock> SessionStore<B, C> {
    /// A store over `backend` with `policy`, reading time from `clock`.
    pub fn new(backend: B, policy: Policy, clock: C) -> Self {
        SessionStore { backend, policy, clock, changes: None }
    }

    /// Its expiry rules.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The storage underneath.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The storage underneath, to change: a driver that runs each operation against a snapshot of
    /// its storage (the protocol of the adapter stores) puts each snapshot in here.
    pub fn backend_mut(&mut self) -> &mut B {
        &mut self.backend
    }

    /// Stores a session, starting it anew: its expiry (and absolute deadline) count from now.
    pub fn set(&mut self, id: &B::Id, data: &B::Data) -> Result<(), StoreError> {
        self.set_until(id, data, None)
    }

    /// [`Self::set`], or with `deadline` (ms since the epoch) a session that ends then, whatever
    /// the store's lifetimes, and that no access refreshes.
    pub fn set_until(&mut self, id: &B::Id, data: &B::Data, deadline: Option<f64>) -> Result<(), StoreError> {
        if deadline.is_some_and(|ms| !ms.is_finite()) {
            return Err(StoreError::InvalidDeadline);
        }
        let meta = self.policy.on_set(self.clock.now()?, deadline);
        self.making_room(|backend| backend.save(id, data, meta))?;
        self.changed(|| Change::Set(id.to_owned()));
        Ok(())
    }

    /// Same as [`Self::validate_and_refresh`], as in `@walletmesh/router`.
    pub fn get(&mut self, id: &B::Id) -> Result<Option<B::Data>, StoreError> {
        self.validate_and_refresh(id)
    }

    /// The session's data if it is live (refreshing its expiry when configured); `None` if there
    /// is none or it has expired, in which case it is removed.
    pub fn validate_and_refresh(&mut self, id: &B::Id) -> Result<Option<B::Data>, StoreError> {
        let Some(entry) = self.backend.load(id)? else { return Ok(None) };
        match self.access(id, entry, &mut OperationTime::default())? {
            Access::Live(data) => Ok(Some(data)),
            Access::Expired => Ok(None),
        }
    }

    /// Every live session in the backend's order, each refreshed when configured. Expired sessions
    /// met on the way are removed; corrupt entries are skipped and left in place.
    pub fn get_all(&mut self) -> Result<LiveSessions<B>, StoreError> {
        let mut time = OperationTime::default();
        let mut live = Vec::new();
        for (id, entry) in self.backend.load_all()? {
            let Ok(entry) = entry else { continue };
            if let Access::Live(data) = self.access(id.borrow(), entry, &mut time)? {
                live.push((id, data));
            }
        }
        Ok(live)
    }

    /// Removes a session; deleting a missing one does nothing.
    pub fn delete(&mut self, id: &B::Id) -> Result<(), StoreError> {
        self.remove(id)
    }

    /// Removes this store's sessions, and nothing else.
    pub fn clear(&mut self) -> Result<(), StoreError> {
        self.backend.remove_all()?;
        self.changed(|| Change::Clear);
        Ok(())
    }

    /// Removes every expired session, and every corrupt entry (which can never become valid);
    /// returns how many it removed.
    pub fn clean_expired(&mut self) -> Result<u32, StoreError> {
        self.sweep().map(|(removed, _)| removed)
    }

    /// [`Self::clean_expired`], also giving the earliest end among the sessions left (`None` when
    /// none can expire): when `subscribe`'s expiry timer should sweep next.
    #[inline(never)] // Two exports call it: one copy in the module.
    pub fn sweep(&mut self) -> Result<(u32, Option<f64>), StoreError> {
        let mut time = OperationTime::default();
        let mut removed = 0;
        let mut next: Option<f64> = None;
        for (id, entry) in self.backend.load_all()? {
            let doomed = match &entry {
                Ok(entry) => self.is_expired(entry, &mut time)?,
                Err(_) => true,
            };
            if !doomed {
                if let Some(end) = entry.ok().and_then(|entry| self.policy.end(&entry.meta())) {
                    next = Some(next.map_or(end, |next| next.min(end)));
                }
            } else {
                let change: fn(OwnedId<B>) -> Change<OwnedId<B>> = match &entry {
                    Ok(entry) => {
                        self.backend.remove_entry(id.borrow(), entry)?;
                        Change::Expire
                    }
                    Err(_) => {
                        self.backend.remove(id.borrow())?;
                        Change::Delete
                    }
                };
                self.changed(|| change(id));
                removed += 1;
            }
        }
        Ok((removed, next))
    }

    /// Runs a write; when storage is full, removes this store's expired and corrupt entries and
    /// tries once more. A second refusal is reported, with the previous value left in place.
    fn making_room(&mut self, mut write: impl FnMut(&mut B) -> Result<(), StoreError>) -> Result<(), StoreError> {
        match write(&mut self.backend) {
            Err(StoreError::QuotaExceeded) => {
                self.clean_expired()?;
                write(&mut self.backend)
            }
            outcome => outcome,
        }
    }

    fn remove(&mut self, id: &B::Id) -> Result<(), StoreError> {
        self.backend.remove(id)?;
        self.changed(|| Change::Delete(id.to_owned()));
        Ok(())
    }

    fn changed(&mut self, change: impl FnOnce() -> Change<OwnedId<B>>) {
        if let Some(log) = &mut self.changes {
            log.push(change());
        }
    }

    fn is_expired(&self, entry: &B::Entry, time: &mut OperationTime) -> Result<bool, StoreError> {
        let meta = entry.meta();
        Ok(self.policy.can_expire(&meta) && self.policy.is_expired(&meta, time.get(&self.clock)?))
    }

    /// Removes an expired session; otherwise writes back its refreshed expiry when configured, or
    /// its times pulled back when a clock jump left them ahead of now.
    fn access(
        &mut self,
        id: &B::Id,
        mut entry: B::Entry,
        time: &mut OperationTime,
    ) -> Result<Access<B::Data>, StoreError> {
        let meta = entry.meta();
        if !self.policy.is_timed(&meta) {
            return Ok(Access::Live(entry.into_data()));
        }
        match self.policy.verdict(&meta, time.get(&self.clock)?) {
            Verdict::Expired => {
                self.backend.remove_entry(id, &entry)?;
                self.changed(|| Change::Expire(id.to_owned()));
                return Ok(Access::Expired);
            }
            Verdict::Live(Some(meta)) => {
                self.making_room(|backend| backend.save_meta(id, &mut entry, meta))?;
                self.changed(|| Change::Refresh(id.to_owned()));
            }
            Verdict::Live(None) => {}
        }
        Ok(Access::Live(entry.into_data()))
    }
}
