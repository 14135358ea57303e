//! Every failure a store reports, each with a stable code that JavaScript callers can match on.
//!
//! Messages name the operation and the rule broken, never a session's data or a stored value.

use alloc::string::String;
use core::fmt;

/// Which Web Storage area a store lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageArea {
    /// `localStorage`.
    Local,
    /// `sessionStorage`.
    Session,
}

impl StorageArea {
    fn display_name(self) -> &'static str {
        match self {
            StorageArea::Local => "LocalStorage",
            StorageArea::Session => "SessionStorage",
        }
    }
}

/// A configuration value the constructor refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The config itself is neither absent nor an object.
    NotAnObject,
    /// A duration that is not a finite, non-negative number of milliseconds.
    InvalidDuration {
        /// The config field's name.
        field: &'static str,
    },
    /// A value that must be a boolean.
    NotABoolean {
        /// The config field's name.
        field: &'static str,
    },
    /// A value that must be a string.
    NotAString {
        /// The config field's name.
        field: &'static str,
    },
    /// A string longer than the field allows.
    TooLong {
        /// The config field's name.
        field: &'static str,
    },
    /// An empty `prefix`, which would make every key of the origin look like a session.
    EmptyPrefix,
    /// A nonzero `absoluteLifetime` shorter than `lifetime`.
    AbsoluteShorterThanIdle,
    /// A duration that must be above zero.
    NotPositive {
        /// The config field's name.
        field: &'static str,
    },
    /// A `storage` other than `memory`, `localStorage` or `sessionStorage`.
    UnknownStorage,
    /// A nonzero `absoluteTimeout` shorter than `inactivityTimeout`.
    AbsoluteTimeoutShorterThanInactivity,
}

impl ConfigError {
    /// The message in pieces, joined without `core::fmt` (which the wasm module does without).
    fn pieces(&self) -> [&'static str; 2] {
        match self {
            ConfigError::NotAnObject => ["config must be an object or undefined", ""],
            ConfigError::InvalidDuration { field } => [field, " must be a finite, non-negative number of milliseconds"],
            ConfigError::NotABoolean { field } => [field, " must be a boolean"],
            ConfigError::NotAString { field } => [field, " must be a string"],
            ConfigError::TooLong { field } => [field, " must be at most 4096 characters long"],
            ConfigError::EmptyPrefix => ["prefix must not be empty", ""],
            ConfigError::AbsoluteShorterThanIdle => ["absoluteLifetime must be 0 or at least lifetime", ""],
            ConfigError::NotPositive { field } => [field, " must be a finite number of milliseconds above 0"],
            ConfigError::UnknownStorage => ["storage must be 'memory', 'localStorage' or 'sessionStorage'", ""],
            ConfigError::AbsoluteTimeoutShorterThanInactivity => {
                ["absoluteTimeout must be 0 or at least inactivityTimeout", ""]
            }
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces().iter().try_for_each(|piece| f.write_str(piece))
    }
}

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The constructor's config was refused.
    InvalidConfig(ConfigError),
    /// A session id that is not a string.
    InvalidSessionId,
    /// Data with no JSON form (undefined, a function, a symbol, a cycle, a BigInt).
    DataNotSerializable,
    /// The storage area is missing from `globalThis`, or reading it throws.
    StorageUnavailable(StorageArea),
    /// An entry under this store's prefix that cannot be decoded.
    CorruptEntry,
    /// The browser refused a write because the storage area is full.
    QuotaExceeded,
    /// A storage method threw for another reason.
    StorageFailure {
        /// The storage method that threw.
        operation: &'static str,
    },
    /// `Date.now()` threw or did not return a finite number.
    ClockUnavailable,
    /// `subscribe` was given something other than a function.
    InvalidListener,
    /// `set` was given an `expiresAt` that is not a finite number.
    InvalidDeadline,
    /// The store (or manager) was freed with `free()`.
    Freed,
    /// A call on a store made while another call on it is running (from a Storage method, a
    /// getter, `toJSON` or `Date.now`): refused, so that the running call's state stays whole.
    ReentrantCall,
}

impl StoreError {
    /// The stable `code` property of the JavaScript `Error`.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::InvalidConfig(_) => "INVALID_CONFIG",
            StoreError::InvalidSessionId => "INVALID_SESSION_ID",
            StoreError::DataNotSerializable => "DATA_NOT_SERIALIZABLE",
            StoreError::StorageUnavailable(_) => "STORAGE_UNAVAILABLE",
            StoreError::CorruptEntry => "CORRUPT_ENTRY",
            StoreError::QuotaExceeded => "QUOTA_EXCEEDED",
            StoreError::StorageFailure { .. } => "STORAGE_ERROR",
            StoreError::ClockUnavailable => "CLOCK_UNAVAILABLE",
            StoreError::InvalidListener => "INVALID_LISTENER",
            StoreError::InvalidDeadline => "INVALID_OPTIONS",
            StoreError::Freed => "FREED",
            StoreError::ReentrantCall => "REENTRANT_CALL",
        }
    }

    /// The message of the JavaScript `Error`.
    pub fn message(&self) -> Message {
        Message(match self {
            StoreError::InvalidConfig(e) => {
                let [rule, rest] = e.pieces();
                ["Invalid session store config: ", rule, rest]
            }
            StoreError::InvalidSessionId => ["sessionId must be a string", "", ""],
            StoreError::DataNotSerializable => {
                ["Session data must be JSON-serializable (no undefined, function, symbol, BigInt or cycle)", "", ""]
            }
            // The exact wording @walletmesh/router uses, which apps' tests match on.
            StoreError::StorageUnavailable(area) => [area.display_name(), " is not available in this environment", ""],
            StoreError::CorruptEntry => ["The stored session entry is corrupt", "", ""],
            StoreError::QuotaExceeded => ["Storage quota exceeded while saving the session", "", ""],
            StoreError::StorageFailure { operation } => ["Storage ", operation, " failed"],
            StoreError::ClockUnavailable => ["Date.now() did not return a finite number", "", ""],
            StoreError::InvalidListener => ["subscribe() needs a function", "", ""],
            StoreError::InvalidDeadline => ["expiresAt must be a finite number", "", ""],
            StoreError::Freed => ["This object was freed with free()", "", ""],
            StoreError::ReentrantCall => ["Called while another call on the same object is running", "", ""],
        })
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl core::error::Error for StoreError {}

/// An error message in static pieces, joined without `core::fmt`, which the wasm module does
/// without (and without `concat`, which brings a kilobyte of generic joining code).
pub struct Message([&'static str; 3]);

impl Message {
    /// The pieces joined.
    pub fn into_string(self) -> String {
        let mut message = String::new();
        for piece in self.0 {
            message.push_str(piece);
        }
        message
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|piece| f.write_str(piece))
    }
}

impl From<ConfigError> for StoreError {
    fn from(e: ConfigError) -> Self {
        StoreError::InvalidConfig(e)
    }
}

/// Why a session-manager operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManagerError {
    /// The storage underneath failed.
    Store(StoreError),
    /// An argument or `create` option of the wrong type or value.
    InvalidOptions {
        /// The argument's or option's name.
        field: &'static str,
    },
    /// `refresh` of a token that belongs to no session.
    SessionNotFound,
    /// `refresh` of a token bound to another user agent than the one presented.
    UserAgentMismatch,
    /// `refresh` of a revoked session's token.
    SessionRevoked,
    /// `refresh` of an expired session's token.
    SessionExpired,
    /// The platform CSPRNG could not produce a token.
    RandomnessUnavailable,
}

impl ManagerError {
    /// The stable `code` of the JavaScript `Error`, in the one convention of every thrown code
    /// (SCREAMING_SNAKE); storage failures as the stores report them.
    pub fn code(&self) -> &'static str {
        match self {
            ManagerError::Store(error) => error.code(),
            ManagerError::InvalidOptions { .. } => "INVALID_OPTIONS",
            ManagerError::SessionNotFound => "SESSION_NOT_FOUND",
            ManagerError::UserAgentMismatch => "USER_AGENT_MISMATCH",
            ManagerError::SessionRevoked => "SESSION_REVOKED",
            ManagerError::SessionExpired => "SESSION_EXPIRED",
            ManagerError::RandomnessUnavailable => "RANDOM_UNAVAILABLE",
        }
    }

    /// The message of the JavaScript `Error`.
    pub fn message(&self) -> Message {
        Message(match self {
            ManagerError::Store(error) => error.message().0,
            ManagerError::InvalidOptions { field } => ["Invalid argument: ", field, ""],
            ManagerError::SessionNotFound => ["No session has this token", "", ""],
            // Says nothing of the user agent the session is bound to.
            ManagerError::UserAgentMismatch => ["The session is bound to another user agent", "", ""],
            ManagerError::SessionRevoked => ["The session was revoked", "", ""],
            ManagerError::SessionExpired => ["The session has expired", "", ""],
            ManagerError::RandomnessUnavailable => ["crypto.getRandomValues is not available", "", ""],
        })
    }
}

impl fmt::Display for ManagerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl core::error::Error for ManagerError {}

impl From<StoreError> for ManagerError {
    fn from(error: StoreError) -> Self {
        ManagerError::Store(error)
    }
}

impl From<crate::token::RandomnessUnavailable> for ManagerError {
    fn from(_: crate::token::RandomnessUnavailable) -> Self {
        ManagerError::RandomnessUnavailable
    }
}
