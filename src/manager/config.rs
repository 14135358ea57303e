//! Turning a `SessionManager` config object into checked settings.

use alloc::{string::String, borrow::ToOwned};
use super::session::Timeouts;
use crate::config::{duration, ConfigValue};
use crate::error::{ConfigError, StorageArea};

/// Lifetime of a session created without `expiresIn`: 24 hours.
pub const DEFAULT_EXPIRES_IN: f64 = 24.0 * 60.0 * 60.0 * 1000.0;
/// Key prefix of the manager's sessions, as in @dotdo/workers.
pub const DEFAULT_MANAGER_PREFIX: &str = "session:";

/// Where the manager keeps its sessions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ManagerStorage {
    Memory,
    Web(StorageArea),
}

/// The fields of a `SessionManager` config, unchecked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawManagerConfig {
    pub storage: ConfigValue,
    pub prefix: ConfigValue,
    pub default_expires_in: ConfigValue,
    pub inactivity_timeout: ConfigValue,
    pub absolute_timeout: ConfigValue,
    pub bind_to_user_agent: ConfigValue,
}

/// A checked manager configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct ManagerConfig {
    pub storage: ManagerStorage,
    pub prefix: String,
    pub default_expires_in: f64,
    pub timeouts: Timeouts,
    pub bind_to_user_agent: bool,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        ManagerConfig {
            storage: ManagerStorage::Memory,
            prefix: DEFAULT_MANAGER_PREFIX.to_owned(),
            default_expires_in: DEFAULT_EXPIRES_IN,
            timeouts: Timeouts::default(),
            bind_to_user_agent: false,
        }
    }
}

impl RawManagerConfig {
    pub fn parse(self) -> Result<ManagerConfig, ConfigError> {
        let storage = match self.storage.text().map_err(|_| ConfigError::UnknownStorage)?.as_deref() {
            None | Some("memory") => ManagerStorage::Memory,
            Some("localStorage") => ManagerStorage::Web(StorageArea::Local),
            Some("sessionStorage") => ManagerStorage::Web(StorageArea::Session),
            Some(_) => return Err(ConfigError::UnknownStorage),
        };
        let prefix = self.prefix.text().map_err(|_| ConfigError::NotAString { field: "prefix" })?;
        let prefix = prefix.unwrap_or_else(|| DEFAULT_MANAGER_PREFIX.to_owned());
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
        Ok(ManagerConfig {
            storage,
            prefix,
            default_expires_in,
            timeouts: Timeouts { inactivity, absolute },
            bind_to_user_agent,
        })
    }
}

/// A duration that must be a finite number of milliseconds above zero.
fn positive_duration(value: ConfigValue, field: &'static str) -> Result<f64, ConfigError> {
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
        let config = RawManagerConfig::default().parse().unwrap();
        assert_eq!(config, ManagerConfig::default());
        assert_eq!((config.prefix.as_str(), config.default_expires_in), ("session:", 86_400_000.0));
    }

    #[test]
    fn storage_names() {
        assert_eq!(with(|c| c.storage = Text("localStorage".into())).unwrap().storage, ManagerStorage::Web(StorageArea::Local));
        assert_eq!(with(|c| c.storage = Text("sessionStorage".into())).unwrap().storage, ManagerStorage::Web(StorageArea::Session));
        assert_eq!(with(|c| c.storage = Text("indexedDB".into())), Err(ConfigError::UnknownStorage));
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
            assert_eq!(with(|c| c.default_expires_in = bad.clone()), Err(ConfigError::NotPositive { field: "defaultExpiresIn" }));
        }
    }
}
