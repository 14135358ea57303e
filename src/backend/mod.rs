//! Where a store keeps its entries. A backend decides how an entry is held; the store decides
//! what it means (expiry lives in [`crate::policy`] only).

use alloc::{borrow::ToOwned, vec::Vec};
mod memory;

pub use memory::{MemoryBackend, SlotIndex};

use crate::error::StoreError;
use crate::record::Meta;

/// One session as read from a backend.
pub trait Entry {
    /// The session's data.
    type Data;
    /// When it expires and when it was set.
    fn meta(&self) -> Meta;
    /// Its data, for the caller.
    fn into_data(self) -> Self::Data;
}

/// Storage for one store's sessions. Every operation reports failures as [`StoreError`]s; an entry
/// that exists but cannot be decoded is [`StoreError::CorruptEntry`].
pub trait Backend {
    /// What names a session: `str` in Rust; behind the JavaScript facade, the caller's own string,
    /// never copied into the module.
    type Id: ?Sized + ToOwned;
    /// The sessions' data.
    type Data;
    /// A session as read, with what the backend needs to write it back or remove it.
    type Entry: Entry<Data = Self::Data>;

    /// Reads one session, or `None` when there is none under this id.
    fn load(&self, id: &Self::Id) -> Result<Option<Self::Entry>, StoreError>;

    /// Writes a session, replacing any under the same id. A full storage area is
    /// [`StoreError::QuotaExceeded`], with the previous value kept.
    fn save(&mut self, id: &Self::Id, data: &Self::Data, meta: Meta) -> Result<(), StoreError>;

    /// Writes new metadata for a session just loaded, keeping its data (and any extra fields).
    fn save_meta(&mut self, id: &Self::Id, entry: &mut Self::Entry, meta: Meta) -> Result<(), StoreError>;

    /// Removes a session; removing a missing one does nothing.
    fn remove(&mut self, id: &Self::Id) -> Result<(), StoreError>;

    /// Removes a session just loaded; a backend may use what the entry remembers of where it lives.
    fn remove_entry(&mut self, id: &Self::Id, _entry: &Self::Entry) -> Result<(), StoreError> {
        self.remove(id)
    }

    /// Reads every session of this store once, in the backend's order. An undecodable entry comes
    /// back as an `Err` beside the others instead of failing the whole read.
    fn load_all(&self) -> Result<Loaded<Self>, StoreError>;

    /// Removes every session of this store, and nothing else.
    fn remove_all(&mut self) -> Result<(), StoreError>;
}

/// A session id as a backend hands it out: `String` for `str`.
pub type OwnedId<B> = <<B as Backend>::Id as ToOwned>::Owned;

/// Every session of a backend as `load_all` reads them: each id with its entry or why it failed to decode.
pub type Loaded<B> = Vec<(OwnedId<B>, Result<<B as Backend>::Entry, StoreError>)>;
