//! Conversions at the JavaScript boundary: arguments in, results and errors out.
//!
//! Strings stay JavaScript strings wherever the module only compares or stores them. The few
//! copied into the module (tokens, session ids to look up) are checked for type and length first,
//! so no caller's string can exhaust the module's memory.

#[cfg(feature = "manager")]
use js_sys::Promise;
use js_sys::{JsString, Reflect};
use wasm_bindgen::prelude::*;

use crate::config::{ConfigValue, RawConfig, StoreConfig, Text};
use crate::error::{ConfigError, ManagerError, Message, StoreError};

#[cfg(feature = "manager")]
#[wasm_bindgen]
extern "C" {
    // `catch`: resolving with an object reads its `constructor` (for a Promise), which may throw.
    // Used for every value: one call, where testing for an object first made two.
    #[wasm_bindgen(js_namespace = Promise, js_name = resolve, catch)]
    fn resolve_value(value: &JsValue) -> Result<Promise, JsValue>;
}

#[cfg(feature = "manager")]
/// The longest string copied into the module, in UTF-16 code units: tokens are 43, and hashes of
/// other systems' tokens are far below this.
pub(crate) const MAX_COPIED_LENGTH: u32 = 65_536;

impl Text for JsString {
    fn from_static(text: &'static str) -> Self {
        JsString::from(text)
    }

    fn len(&self) -> usize {
        self.length() as usize
    }
}

/// A failure that JavaScript sees as an `Error` with a stable `code`.
pub(crate) trait Coded {
    fn code(&self) -> &'static str;
    fn message(&self) -> Message;
}

impl Coded for StoreError {
    fn code(&self) -> &'static str {
        StoreError::code(self)
    }

    fn message(&self) -> Message {
        StoreError::message(self)
    }
}

impl Coded for ManagerError {
    fn code(&self) -> &'static str {
        ManagerError::code(self)
    }

    fn message(&self) -> Message {
        ManagerError::message(self)
    }
}

/// A JavaScript `Error` carrying the failure's stable `code`.
pub(crate) fn js_error(error: &impl Coded) -> JsValue {
    let js = js_sys::Error::new(&error.message().into_string());
    // Setting a property on a fresh Error cannot fail.
    let _ = Reflect::set(&js, &JsValue::from_str("code"), &JsValue::from_str(error.code()));
    js.into()
}

#[cfg(feature = "manager")]
/// Settles an operation's outcome as a real Promise: failures reject, they never throw.
pub(crate) fn settle<E: Coded>(outcome: Result<JsValue, E>) -> Promise {
    match outcome {
        Ok(value) => resolve_value(&value).unwrap_or_else(|error| Promise::reject(&error)),
        Err(error) => Promise::reject(&js_error(&error)),
    }
}

#[cfg(feature = "manager")]
/// A string the module must read (a token, an id it compares with its own), copied only when it
/// is a string of at most [`MAX_COPIED_LENGTH`] code units: `None` otherwise.
pub(crate) fn copied_string(value: &JsValue) -> Option<alloc::string::String> {
    let text = value.dyn_ref::<JsString>()?;
    (text.length() <= MAX_COPIED_LENGTH).then(|| text.into())
}

/// Reads a `SessionStoreConfig` object; `undefined` and `null` mean all defaults.
pub(crate) fn store_config(config: &JsValue) -> Result<StoreConfig<JsString>, StoreError> {
    if !config_object(config)? {
        return Ok(StoreConfig::default());
    }
    let raw = RawConfig {
        lifetime: config_field(config, "lifetime"),
        refresh_on_access: config_field(config, "refreshOnAccess"),
        absolute_lifetime: config_field(config, "absoluteLifetime"),
        prefix: config_field(config, "prefix"),
    };
    Ok(raw.parse()?)
}

/// One field of a caller's options object, by the type it holds. Strings stay JavaScript strings.
pub(crate) fn config_field(config: &JsValue, name: &str) -> ConfigValue<JsString> {
    match Reflect::get(config, &JsValue::from_str(name)) {
        Ok(value) if value.is_undefined() || value.is_null() => ConfigValue::Absent,
        Ok(value) => {
            if let Some(number) = value.as_f64() {
                ConfigValue::Number(number)
            } else if let Some(flag) = value.as_bool() {
                ConfigValue::Bool(flag)
            } else {
                match value.dyn_into::<JsString>() {
                    Ok(text) => ConfigValue::Text(text),
                    Err(_) => ConfigValue::Other,
                }
            }
        }
        // A throwing getter or proxy trap: refuse the field rather than guess.
        Err(_) => ConfigValue::Other,
    }
}

/// Whether a config argument is an object to read (`false`: absent, use the defaults).
pub(crate) fn config_object(config: &JsValue) -> Result<bool, StoreError> {
    if config.is_undefined() || config.is_null() {
        Ok(false)
    } else if config.is_object() {
        Ok(true)
    } else {
        Err(ConfigError::NotAnObject.into())
    }
}
