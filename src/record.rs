//! The stored envelope of a session and the rules for decoding its metadata.
//!
//! In Web Storage an entry is the JSON text of `{"data": <data>, "expiresAt": <ms>}`, the format of
//! `@walletmesh/router`. `expiresAt` is left out when the session never expires; `createdAt` is
//! added only by stores with an `absoluteLifetime`, and may be absent from any entry; `deadline`
//! only by a `set` given its own `expiresAt`.

/// Name of the field holding the session's data.
pub const DATA_FIELD: &str = "data";
/// Name of the field holding the expiry time (ms since the epoch).
pub const EXPIRES_AT_FIELD: &str = "expiresAt";
/// Name of the field holding the time of the session's latest `set` (ms since the epoch).
pub const CREATED_AT_FIELD: &str = "createdAt";
/// Name of the field holding a session's own end, which no access moves (ms since the epoch).
pub const DEADLINE_FIELD: &str = "deadline";

/// When a session expires and when it was (last) set.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Meta {
    /// `None`: the session never expires on its own.
    pub expires_at: Option<f64>,
    /// `None`: unknown (written by a store without an absolute lifetime).
    pub created_at: Option<f64>,
    /// Time of the session's last use, for an inactivity limit: the manager's sessions keep it in
    /// their record; store entries have none.
    pub last_active_at: Option<f64>,
    /// The session's own end, given to `set` (a protocol's expiry such as WalletConnect's): it
    /// replaces the store's lifetimes for this session, and no access moves it.
    pub deadline: Option<f64>,
}

/// A session's data with its metadata: what the memory backend holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Record<D> {
    /// What the caller stored.
    pub data: D,
    /// When it expires and when it was set.
    pub meta: Meta,
}

/// What a stored metadata field holds, as far as decoding is concerned.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StoredField {
    /// The field is missing.
    Absent,
    /// The field is `null`.
    Null,
    /// The field is a number (any, NaN and infinities included).
    Number(f64),
    /// A string, boolean, object or array: never a valid time.
    Other,
}

/// The entry cannot be decoded into a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrupt;

/// A stored entry's parsed JSON, reduced to what decoding needs: the host's JSON parser makes it,
/// this module decides what it means (the Web Storage backend and the fuzz target share the rules).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParsedEntry {
    /// The text parsed to an object (an array counts, as in JavaScript).
    pub is_object: bool,
    /// It has a `data` field that is not `undefined`.
    pub has_data: bool,
    /// Its `expiresAt` field.
    pub expires_at: StoredField,
    /// Its `createdAt` field.
    pub created_at: StoredField,
    /// Its `deadline` field.
    pub deadline: StoredField,
}

impl ParsedEntry {
    /// The entry's metadata, or `Corrupt` when it is not an envelope with data and valid times.
    pub fn decode(self) -> Result<Meta, Corrupt> {
        if !self.is_object || !self.has_data {
            return Err(Corrupt);
        }
        let meta = Meta::decode(self.expires_at, self.created_at)?;
        Ok(Meta { deadline: decode_time(self.deadline)?, ..meta })
    }
}

/// A time as a plain number, NaN for none: how times cross to JavaScript and are packed in
/// memory. No stored time is ever NaN: times are finite or absent.
pub fn nan_for_none(time: Option<f64>) -> f64 {
    time.unwrap_or(f64::NAN)
}

/// A time from [`nan_for_none`]'s form: NaN is none.
pub fn none_for_nan(time: f64) -> Option<f64> {
    (!time.is_nan()).then_some(time)
}

impl Meta {
    /// Decodes the metadata fields of a stored entry: each must be absent, `null` (both meaning
    /// "none") or a finite number.
    pub fn decode(expires_at: StoredField, created_at: StoredField) -> Result<Meta, Corrupt> {
        let (expires_at, created_at) = (decode_time(expires_at)?, decode_time(created_at)?);
        Ok(Meta { expires_at, created_at, ..Meta::default() })
    }
}

fn decode_time(field: StoredField) -> Result<Option<f64>, Corrupt> {
    match field {
        StoredField::Absent | StoredField::Null => Ok(None),
        StoredField::Number(ms) if ms.is_finite() => Ok(Some(ms)),
        StoredField::Number(_) | StoredField::Other => Err(Corrupt),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StoredField::*;

    #[test]
    fn absent_and_null_both_mean_no_expiry() {
        let none = Meta { expires_at: None, created_at: None, last_active_at: None, deadline: None };
        assert_eq!(Meta::decode(Absent, Absent), Ok(none));
        assert_eq!(Meta::decode(Null, Null), Ok(none));
    }

    #[test]
    fn finite_numbers_are_times_even_zero_and_negative() {
        assert_eq!(
            Meta::decode(Number(1_700_000_000_000.0), Number(-5.0)),
            Ok(Meta {
                expires_at: Some(1_700_000_000_000.0),
                created_at: Some(-5.0),
                last_active_at: None,
                deadline: None
            })
        );
        assert_eq!(Meta::decode(Number(0.0), Absent).unwrap().expires_at, Some(0.0));
    }

    #[test]
    fn an_entry_needs_an_object_with_data() {
        let entry = ParsedEntry {
            is_object: true,
            has_data: true,
            expires_at: Number(5.0),
            created_at: Absent,
            deadline: Absent,
        };
        assert_eq!(entry.decode().unwrap().expires_at, Some(5.0));
        assert_eq!(ParsedEntry { deadline: Number(5.0), ..entry }.decode().unwrap().deadline, Some(5.0));
        assert_eq!(ParsedEntry { deadline: Other, ..entry }.decode(), Err(Corrupt));
        assert_eq!(ParsedEntry { is_object: false, ..entry }.decode(), Err(Corrupt));
        assert_eq!(ParsedEntry { has_data: false, ..entry }.decode(), Err(Corrupt));
        assert_eq!(ParsedEntry { created_at: Other, ..entry }.decode(), Err(Corrupt));
    }

    #[test]
    fn anything_else_is_corrupt() {
        assert_eq!(Meta::decode(Other, Absent), Err(Corrupt));
        assert_eq!(Meta::decode(Absent, Other), Err(Corrupt));
        assert_eq!(Meta::decode(Number(f64::NAN), Absent), Err(Corrupt));
        assert_eq!(Meta::decode(Number(f64::INFINITY), Absent), Err(Corrupt));
    }
}
