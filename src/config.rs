//! Turning a caller's config object into a [`Policy`] and a key prefix, refusing bad values.

use alloc::{string::String, borrow::ToOwned};
use crate::error::ConfigError;
use crate::policy::Policy;

/// The key prefix of Web Storage stores, the one `@walletmesh/router` uses.
pub const DEFAULT_PREFIX: &str = "wm_session_";

/// One config field as the caller gave it.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ConfigValue {
    /// `undefined` or `null`: use the default.
    #[default]
    Absent,
    Number(f64),
    Bool(bool),
    Text(String),
    /// Anything else (an object, a symbol, a BigInt…).
    Other,
}

/// The value held a type other than the one asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongType;

impl ConfigValue {
    /// A boolean, or `None` when absent.
    pub fn boolean(self) -> Result<Option<bool>, WrongType> {
        match self {
            ConfigValue::Absent => Ok(None),
            ConfigValue::Bool(flag) => Ok(Some(flag)),
            _ => Err(WrongType),
        }
    }

    /// A string, or `None` when absent.
    pub fn text(self) -> Result<Option<String>, WrongType> {
        match self {
            ConfigValue::Absent => Ok(None),
            ConfigValue::Text(text) => Ok(Some(text)),
            _ => Err(WrongType),
        }
    }

    /// A number (any, NaN included: ranges are the caller's to check), or `None` when absent.
    pub fn number(self) -> Result<Option<f64>, WrongType> {
        match self {
            ConfigValue::Absent => Ok(None),
            ConfigValue::Number(number) => Ok(Some(number)),
            _ => Err(WrongType),
        }
    }
}

/// The fields of a `SessionStoreConfig`, unchecked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawConfig {
    pub lifetime: ConfigValue,
    pub refresh_on_access: ConfigValue,
    pub absolute_lifetime: ConfigValue,
    pub prefix: ConfigValue,
}

/// A checked store configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreConfig {
    pub policy: Policy,
    pub prefix: String,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig { policy: Policy::default(), prefix: DEFAULT_PREFIX.to_owned() }
    }
}

impl RawConfig {
    /// Checks every field: durations are finite, non-negative milliseconds (0 meaning "none"), and a
    /// nonzero absolute lifetime is at least the idle lifetime.
    pub fn parse(self) -> Result<StoreConfig, ConfigError> {
        let lifetime = duration(self.lifetime, "lifetime")?;
        let absolute_lifetime = duration(self.absolute_lifetime, "absoluteLifetime")?;
        if let (Some(idle), Some(absolute)) = (lifetime, absolute_lifetime) {
            if absolute < idle {
                return Err(ConfigError::AbsoluteShorterThanIdle);
            }
        }
        let refresh_on_access = self
            .refresh_on_access
            .boolean()
            .map_err(|_| ConfigError::NotABoolean { field: "refreshOnAccess" })?
            .unwrap_or(false);
        let prefix = self.prefix.text().map_err(|_| ConfigError::NotAString { field: "prefix" })?;
        let prefix = prefix.unwrap_or_else(|| DEFAULT_PREFIX.to_owned());
        Ok(StoreConfig { policy: Policy { lifetime, refresh_on_access, absolute_lifetime }, prefix })
    }
}

/// A duration in ms; absent or 0 mean "no limit".
pub(crate) fn duration(value: ConfigValue, field: &'static str) -> Result<Option<f64>, ConfigError> {
    match value.number() {
        Ok(None) => Ok(None),
        Ok(Some(ms)) if ms.is_finite() && ms >= 0.0 => Ok((ms > 0.0).then_some(ms)),
        _ => Err(ConfigError::InvalidDuration { field }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConfigValue::*;

    fn with(f: impl FnOnce(&mut RawConfig)) -> Result<StoreConfig, ConfigError> {
        let mut raw = RawConfig::default();
        f(&mut raw);
        raw.parse()
    }

    #[test]
    fn defaults_never_expire_and_use_the_walletmesh_prefix() {
        assert_eq!(RawConfig::default().parse(), Ok(StoreConfig::default()));
        assert_eq!(StoreConfig::default().prefix, "wm_session_");
    }

    #[test]
    fn zero_means_no_limit() {
        let config = with(|c| {
            c.lifetime = Number(0.0);
            c.absolute_lifetime = Number(0.0);
        })
        .unwrap();
        assert_eq!(config.policy, Policy::default());
    }

    #[test]
    fn fields_are_read() {
        let config = with(|c| {
            c.lifetime = Number(1000.0);
            c.refresh_on_access = Bool(true);
            c.absolute_lifetime = Number(1000.0);
            c.prefix = Text("app:".into());
        })
        .unwrap();
        assert_eq!(
            config,
            StoreConfig {
                policy: Policy {
                    lifetime: Some(1000.0),
                    refresh_on_access: true,
                    absolute_lifetime: Some(1000.0)
                },
                prefix: "app:".into()
            }
        );
    }

    #[test]
    fn bad_durations_are_refused() {
        for bad in [Number(-1.0), Number(f64::NAN), Number(f64::INFINITY), Text("1000".into()), Bool(true), Other]
        {
            let field = "lifetime";
            assert_eq!(with(|c| c.lifetime = bad.clone()), Err(ConfigError::InvalidDuration { field }));
            let field = "absoluteLifetime";
            assert_eq!(with(|c| c.absolute_lifetime = bad.clone()), Err(ConfigError::InvalidDuration { field }));
        }
    }

    #[test]
    fn absolute_shorter_than_idle_is_refused_unless_zero() {
        let shorter = with(|c| {
            c.lifetime = Number(1000.0);
            c.absolute_lifetime = Number(999.0);
        });
        assert_eq!(shorter, Err(ConfigError::AbsoluteShorterThanIdle));
        let absolute_only = with(|c| c.absolute_lifetime = Number(5.0)).unwrap();
        assert_eq!(absolute_only.policy.absolute_lifetime, Some(5.0));
    }

    #[test]
    fn wrong_types_are_refused() {
        let field = "refreshOnAccess";
        assert_eq!(with(|c| c.refresh_on_access = Number(1.0)), Err(ConfigError::NotABoolean { field }));
        let field = "prefix";
        assert_eq!(with(|c| c.prefix = Number(1.0)), Err(ConfigError::NotAString { field }));
    }
}
