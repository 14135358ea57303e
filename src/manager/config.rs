//! Turning a `SessionManager` config object into checked settings.

use crate::config::{duration, prefix, ConfigValue, Text};
use crate::error::{ConfigError, StorageArea};
use alloc::string::String;

/// Lifetime of a session created without `expiresIn`: 24 hours.
pub const DEFAULT_EXPIRES_IN: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
/// How long (ms) the entry of a rotated token answers a second `refresh` of it: 10 s, as
/// Supabase's refresh-token reuse interval.
pub const DEFAULT_ROTATION_GRACE: f64 = 10_000.0;
/// Key prefix of the manager's sessions, as in @dotdo/workers.
pub const DEFAULT_MANAGER_PREFIX: &str = "session:";

/// Where the manager keeps its sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagerStorage {
    /// Sessions in memory, gone with the page.
    Memory,
    /// Sessions in `localStorage` or `sessionStorage`.
    Web(StorageArea),
}

/// The fields of a `SessionManager` config, unchecked, with text of type `T`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawManagerConfig<T = String> {
    /// `storage`: `'memory'`, `'localStorage'` or `'sessionStorage'`.
    pub storage: ConfigValue<T>,
    /// `prefix`: the key prefix in Web Storage.
    pub prefix: ConfigValue<T>,
    /// `defaultExpiresIn` in ms.
    pub default_expires_in: ConfigValue<T>,
    /// `inactivityTimeout` in ms.
    pub inactivity_timeout: ConfigValue<T>,
    /// `absoluteTimeout` in ms.
    pub absolute_timeout: ConfigValue<T>,
    /// `bindToUserAgent`.
    pub bind_to_user_agent: ConfigValue<T>,
    /// `rotationGrace` in ms.
    pub rotation_grace: ConfigValue<T>,
}

/// A checked manager configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagerConfig<T = String> {
    /// Where sessions are kept.
    pub storage: ManagerStorage,
    /// The key prefix in Web Storage: never empty.
    pub prefix: T,
    /// Lifetime in ms of a session created without `expiresIn`.
    pub default_expires_in: f64,
    /// A session unused this long (ms) is expired.
    pub inactivity_timeout: Option<f64>,
    /// A session this old (ms) is expired, whatever its use.
    pub absolute_timeout: Option<f64>,
    /// Whether a session's token only opens it for the user agent it was created with.
    pub bind_to_user_agent: bool,
    /// How long (ms) a rotated token still gets the rotated session from `refresh`; `None`: not at all.
    pub rotation_grace: Option<f64>,
}

impl<T: Text> Default for ManagerConfig<T> {
    fn default() -> Self {
        ManagerConfig {
            storage: ManagerStorage::Memory,
            prefix: T::from_static(DEFAULT_MANAGER_PREFIX),
            default_expires_in: DEFAULT_EXPIRES_IN,
            inactivity_timeout: None,
            absolute_timeout: None,
            bind_to_user_agent: false,
            rotation_grace: Some(DEFAULT_ROTATION_GRACE),
        }
    }
}

impl<T: Text> RawManagerConfig<T> {
    /// Checks every field, as the constructor does.
    pub fn parse(self) -> Result<ManagerConfig<T>, ConfigError> {
        let storage = match self.storage {
            ConfigValue::Absent => ManagerStorage::Memory,
            ConfigValue::Text(name) if name == T::from_static("memory") => ManagerStorage::Memory,
            ConfigValue::Text(name) if name == T::from_static("localStorage") => {
                ManagerStorage::Web(StorageArea::Local)
            }
            ConfigValue::Text(name) if name == T::from_static("sessionStorage") => {
                ManagerStorage::Web(StorageArea::Session)
            }
            _ => return Err(ConfigError::UnknownStorage),
        };
        let prefix = prefix(self.prefix, DEFAULT_MANAGER_PREFIX)?;
        let default_expires_in = match self.default_expires_in {
            ConfigValue::Absent => DEFAULT_EXPIRES_IN,
            value => positive_duration(value, "defaultExpiresIn")?,
        };
        let inactivity = duration(self.inactivity_timeout, "inactivityTimeout")?;
        let absolute = duration(self.absolute_timeout, "absoluteTimeout")?;
        if let (Some(inactivity), Some(absolute)) = (inactivity, absolute) {
            if absolute < inactivity {
                return Err(ConfigError::AbsoluteTimeoutShorterThanInactivity);
            }
        }
        let bind_to_user_agent = self
            .bind_to_user_agent
            .boolean()
            .map_err(|_| ConfigError::NotABoolean { field: "bindToUserAgent" })?
            .unwrap_or(false);
        let rotation_grace = match self.rotation_grace {
            ConfigValue::Absent => Some(DEFAULT_ROTATION_GRACE),
            value => duration(value, "rotationGrace")?,
        };
        Ok(ManagerConfig {
            storage,
            prefix,
            default_expires_in,
            inactivity_timeout: inactivity,
            absolute_timeout: absolute,
            bind_to_user_agent,
            rotation_grace,
        })
    }
}

/// A duration that must be a finite number of milliseconds above zero.
fn positive_duration<T>(value: ConfigValue<T>, field: &'static str) -> Result<f64, ConfigError> {
    match value.number() {
        Ok(Some(ms)) if ms.is_finite() && ms > 0.0 => Ok(ms),
        _ => Err(ConfigError::NotPositive { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConfigValue::*;

    fn with(f: impl FnOnce(&mut RawManagerConfig)) -> Result<ManagerConfig, ConfigError> {
        let mut raw = RawManagerConfig::default();
        f(&mut raw);
        raw.parse()
    }

    #[test]
    fn defaults_are_memory_session_prefix_and_24_hours() {
        let config = RawManagerConfig::<String>::default().parse().unwrap();
        assert_eq!(config, ManagerConfig::default());
        assert_eq!((config.prefix.as_str(), config.default_expires_in), ("session:", 86_400_000.0));
    }

    #[test]
    fn storage_names() {
        assert_eq!(
            with(|c| c.storage = Text("localStorage".into())).unwrap().storage,
            ManagerStorage::Web(StorageArea::Local)
        );
        assert_eq!(
            with(|c| c.storage = Text("sessionStorage".into())).unwrap().storage,
            ManagerStorage::Web(StorageArea::Session)
        );
        assert_eq!(with(|c| c.storage = Text("indexedDB".into())), Err(ConfigError::UnknownStorage));
        assert_eq!(with(|c| c.storage = Number(1.0)), Err(ConfigError::UnknownStorage));
    }

    #[test]
    fn the_empty_prefix_is_refused() {
        assert_eq!(with(|c| c.prefix = Text(String::new())), Err(ConfigError::EmptyPrefix));
    }

    #[test]
    fn negative_or_non_finite_timeouts_are_refused() {
        for bad in [Number(-1.0), Number(f64::NAN), Number(f64::INFINITY), Text("1".into())] {
            let field = "inactivityTimeout";
            assert_eq!(with(|c| c.inactivity_timeout = bad.clone()), Err(ConfigError::InvalidDuration { field }));
            let field = "absoluteTimeout";
            assert_eq!(with(|c| c.absolute_timeout = bad.clone()), Err(ConfigError::InvalidDuration { field }));
        }
    }

    #[test]
    fn absolute_timeout_shorter_than_inactivity_is_refused() {
        let shorter = with(|c| {
            c.inactivity_timeout = Number(1000.0);
            c.absolute_timeout = Number(500.0);
        });
        assert_eq!(shorter, Err(ConfigError::AbsoluteTimeoutShorterThanInactivity));
    }

    #[test]
    fn default_expires_in_must_be_positive() {
        for bad in [Number(0.0), Number(-5.0), Number(f64::INFINITY)] {
            assert_eq!(
                with(|c| c.default_expires_in = bad.clone()),
                Err(ConfigError::NotPositive { field: "defaultExpiresIn" })
            );
        }
    }
}
