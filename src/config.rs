//! Turning a caller's config object into a [`Policy`] and a key prefix, refusing bad values.

use crate::error::ConfigError;
use crate::policy::Policy;
use alloc::string::String;

/// The key prefix of Web Storage stores, the one `@walletmesh/router` uses.
pub const DEFAULT_PREFIX: &str = "wm_session_";

/// Text a caller gives (prefixes, user ids, user agents): a Rust `String` natively; behind the
/// JavaScript facade the caller's own string, compared exactly (lone surrogate halves included)
/// and never copied into the module.
pub trait Text: Clone + PartialEq {
    /// The text of a constant, such as a default prefix.
    fn from_static(text: &'static str) -> Self;
    /// Its length, in UTF-16 code units as JavaScript counts.
    fn len(&self) -> usize;
    /// Whether it holds no characters.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Text for String {
    fn from_static(text: &'static str) -> Self {
        String::from(text)
    }

    fn len(&self) -> usize {
        self.encode_utf16().count()
    }
}

/// The longest key prefix accepted, in UTF-16 code units: far above any real one, and short
/// enough that every key stays a small string.
pub const MAX_PREFIX_LENGTH: usize = 4096;

/// One config field as the caller gave it, with text of type `T`.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum ConfigValue<T = String> {
    /// `undefined` or `null`: use the default.
    #[default]
    Absent,
    /// A number, NaN and infinities included.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A string.
    Text(T),
    /// Anything else (an object, a symbol, a BigInt…).
    Other,
}

/// The value held a type other than the one asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongType;

impl<T> ConfigValue<T> {
    /// A boolean, or `None` when absent.
    pub fn boolean(self) -> Result<Option<bool>, WrongType> {
        match self {
            ConfigValue::Absent => Ok(None),
            ConfigValue::Bool(flag) => Ok(Some(flag)),
            _ => Err(WrongType),
        }
    }

    /// A string, or `None` when absent.
    pub fn text(self) -> Result<Option<T>, WrongType> {
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
pub struct RawConfig<T = String> {
    /// `lifetime`: the idle lifetime in ms.
    pub lifetime: ConfigValue<T>,
    /// `refreshOnAccess`.
    pub refresh_on_access: ConfigValue<T>,
    /// `absoluteLifetime` in ms.
    pub absolute_lifetime: ConfigValue<T>,
    /// `prefix`: the key prefix in Web Storage.
    pub prefix: ConfigValue<T>,
}

/// A checked store configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreConfig<T = String> {
    /// When the store's sessions expire.
    pub policy: Policy,
    /// The key prefix in Web Storage: never empty.
    pub prefix: T,
}

impl<T: Text> Default for StoreConfig<T> {
    fn default() -> Self {
        StoreConfig { policy: Policy::default(), prefix: T::from_static(DEFAULT_PREFIX) }
    }
}

impl<T: Text> RawConfig<T> {
    /// Checks every field: durations are finite, non-negative milliseconds (0 meaning "none"), a
    /// nonzero absolute lifetime is at least the idle lifetime, and the prefix is not empty.
    pub fn parse(self) -> Result<StoreConfig<T>, ConfigError> {
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
        let prefix = prefix(self.prefix, DEFAULT_PREFIX)?;
        Ok(StoreConfig { policy: Policy { lifetime, refresh_on_access, absolute_lifetime, inactivity: None }, prefix })
    }
}

/// A key prefix, `default` when absent. An empty one would make `clear` and `cleanExpired` treat
/// every key of the origin as a session.
pub(crate) fn prefix<T: Text>(value: ConfigValue<T>, default: &'static str) -> Result<T, ConfigError> {
    match value.text() {
        Ok(None) => Ok(T::from_static(default)),
        Ok(Some(prefix)) if prefix.is_empty() => Err(ConfigError::EmptyPrefix),
        Ok(Some(prefix)) if prefix.len() > MAX_PREFIX_LENGTH => Err(ConfigError::TooLong { field: "prefix" }),
        Ok(Some(prefix)) => Ok(prefix),
        Err(_) => Err(ConfigError::NotAString { field: "prefix" }),
    }
}

/// A duration in ms; absent or 0 mean "no limit".
pub(crate) fn duration<T>(value: ConfigValue<T>, field: &'static str) -> Result<Option<f64>, ConfigError> {
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
        assert_eq!(RawConfig::<String>::default().parse(), Ok(StoreConfig::default()));
        assert_eq!(StoreConfig::<String>::default().prefix, "wm_session_");
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
                    absolute_lifetime: Some(1000.0),
                    inactivity: None
                },
                prefix: "app:".into()
            }
        );
    }

    #[test]
    fn bad_durations_are_refused() {
        for bad in [Number(-1.0), Number(f64::NAN), Number(f64::INFINITY), Text("1000".into()), Bool(true), Other] {
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

    #[test]
    fn the_empty_prefix_is_refused() {
        assert_eq!(with(|c| c.prefix = Text(String::new())), Err(ConfigError::EmptyPrefix));
        assert_eq!(with(|c| c.prefix = Text(" ".into())).unwrap().prefix, " ");
        let longest = "é".repeat(MAX_PREFIX_LENGTH);
        assert_eq!(with(|c| c.prefix = Text(longest.clone())).unwrap().prefix, longest);
        let field = "prefix";
        assert_eq!(with(|c| c.prefix = Text(longest + "x")), Err(ConfigError::TooLong { field }));
    }
}
