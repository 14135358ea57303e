//! Arbitrary config objects for stores and managers: parsing never panics, and what it accepts
//! always holds usable durations.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wasm_session_store::manager::RawManagerConfig;
use wasm_session_store::{ConfigValue, RawConfig};

#[derive(Arbitrary, Debug)]
enum Value {
    Absent,
    Number(f64),
    Bool(bool),
    Text(String),
    Other,
}

impl From<Value> for ConfigValue {
    fn from(value: Value) -> Self {
        match value {
            Value::Absent => ConfigValue::Absent,
            Value::Number(n) => ConfigValue::Number(n),
            Value::Bool(b) => ConfigValue::Bool(b),
            Value::Text(t) => ConfigValue::Text(t),
            Value::Other => ConfigValue::Other,
        }
    }
}

fuzz_target!(|fields: [Value; 11]| {
    let [a, b, c, d, e, f, g, h, i, j, k] = fields;
    let store =
        RawConfig { lifetime: a.into(), refresh_on_access: b.into(), absolute_lifetime: c.into(), prefix: d.into() };
    if let Ok(config) = store.parse() {
        for duration in [config.policy.lifetime, config.policy.absolute_lifetime].into_iter().flatten() {
            assert!(duration.is_finite() && duration > 0.0);
        }
        if let (Some(idle), Some(absolute)) = (config.policy.lifetime, config.policy.absolute_lifetime) {
            assert!(absolute >= idle);
        }
    }
    let manager = RawManagerConfig {
        storage: e.into(),
        prefix: f.into(),
        default_expires_in: g.into(),
        inactivity_timeout: h.into(),
        absolute_timeout: i.into(),
        bind_to_user_agent: j.into(),
        rotation_grace: k.into(),
    };
    if let Ok(config) = manager.parse() {
        assert!(config.default_expires_in.is_finite() && config.default_expires_in > 0.0);
        if let (Some(inactivity), Some(absolute)) = (config.inactivity_timeout, config.absolute_timeout) {
            assert!(absolute >= inactivity);
        }
        if let Some(grace) = config.rotation_grace {
            assert!(grace.is_finite() && grace >= 0.0);
        }
    }
});
