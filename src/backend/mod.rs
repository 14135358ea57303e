//! Where a store keeps its entries. A backend decides how an entry is held; the store decides
//! what it means (expiry lives in [`crate::policy`] only).

use alloc::{string::String, vec::Vec};
mod memory;

pub use memory::MemoryBackend;

use crate::error::StoreError;
use crate::record::Meta;

/// One session as read from a backend.
pub trait Entry {
    type Data;
    fn meta(&self) -> Meta;
    fn into_data(self) -> Self::Data;
}

/// Storage for one store's sessions. Every operation reports failures as [`StoreError`]s; an entry
/// that exists but cannot be decoded is [`StoreError::CorruptEntry`].
pub trait Backend {
    type Data;
    type Entry: Entry<Data = Self::Data>;

    /// Reads one session, or `None` when there is none under this id.
    fn load(&self, id: &str) -> Result<Option<Self::Entry>, StoreError>;

    /// Writes a session, replacing any under the same id. A full storage area is
    /// [`StoreError::QuotaExceeded`], with the previous value kept.
    fn save(&mut self, id: &str, data: &Self::Data, meta: Meta) -> Result<(), StoreError>;

    /// Writes new metadata for a session just loaded, keeping its data (and any extra fields).
    fn save_meta(&mut self, id: &str, entry: &mut Self::Entry, meta: Meta) -> Result<(), StoreError>;

    fn remove(&mut self, id: &str) -> Result<(), StoreError>;

    /// Removes a session just loaded; a backend may use what the entry remembers of where it lives.
    fn remove_entry(&mut self, id: &str, _entry: &Self::Entry) -> Result<(), StoreError> {
        self.remove(id)
    }

    /// Reads every session of this store once, in the backend's order. An undecodable entry comes
    /// back as an `Err` beside the others instead of failing the whole read.
    fn load_all(&self) -> Result<Vec<(String, Result<Self::Entry, StoreError>)>, StoreError>;

    /// Removes every session of this store, and nothing else.
    fn remove_all(&mut self) -> Result<(), StoreError>;
}
