//! The exported `SessionManager` class and the `generateSessionId` / `hashToken` functions.

use alloc::string::String;
use js_sys::{Date, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::backend::JsBackend;
use super::clock::JsClock;
use super::convert::{config_field, config_object, js_error, settle};
use super::memory::js_memory;
use super::records::SessionRecords;
use super::storage::{Prefix, WebStorage};
use crate::error::{ManagerError, StoreError};
use crate::manager::{Invalid, ManagerConfig, ManagerStorage, NewSession, RawManagerConfig, SessionManager, StoredSession};
use crate::token;

type Session = StoredSession<JsValue>;

/// The manager over the storage its config chose (memory keeps the same plain records).
type JsManager = SessionManager<SessionRecords<JsBackend>, JsClock>;

/// Session tokens handed out once, stored only as SHA-256 hashes; rotation, revocation, listing,
/// and idle and absolute timeouts.
#[wasm_bindgen(js_name = SessionManager, skip_typescript)]
pub struct JsSessionManager {
    inner: JsManager,
}

#[wasm_bindgen(js_class = SessionManager)]
impl JsSessionManager {
    /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue) -> Result<JsSessionManager, JsValue> {
        let config = manager_config(&config).map_err(|error| js_error(&error))?;
        let backend = match config.storage {
            ManagerStorage::Memory => JsBackend::Memory(js_memory()),
            ManagerStorage::Web(area) => JsBackend::Web(WebStorage::new(area, Prefix::new(&config.prefix))),
        };
        Ok(JsSessionManager { inner: SessionManager::new(SessionRecords(backend), JsClock, &config) })
    }

    pub fn create(&mut self, options: JsValue) -> Promise {
        settle(new_session(&options).and_then(|new| {
            self.inner.create(new).map(|issued| session_object(&issued.session, issued.token.expose()))
        }))
    }

    pub fn validate(&mut self, token: JsValue, context: JsValue) -> Promise {
        let Some(token) = token.as_string() else { return settle(Ok::<_, ManagerError>(invalid(Invalid::InvalidToken))) };
        // A context without a string userAgent presents none (and fails a bound session).
        let user_agent = if context.is_object() { config_field(&context, "userAgent").text().ok().flatten() } else { None };
        settle(self.inner.validate(&token, user_agent.as_deref()).map(|verdict| match verdict {
            Ok(session) => {
                let result = Object::new();
                set(&result, "valid", &JsValue::TRUE);
                set(&result, "session", &session_object(&session, ""));
                result.into()
            }
            Err(reason) => invalid(reason),
        }))
    }

    pub fn refresh(&mut self, token: JsValue) -> Promise {
        let Some(token) = token.as_string() else { return settle(Err::<JsValue, _>(ManagerError::SessionNotFound)) };
        settle(self.inner.refresh(&token).map(|issued| session_object(&issued.session, issued.token.expose())))
    }

    pub fn destroy(&mut self, session_id_value: JsValue) -> Promise {
        // Session ids are base64url: a string that cannot be one simply matches nothing.
        let outcome = session_id_value.as_string().ok_or(ManagerError::from(StoreError::InvalidSessionId));
        settle(outcome.and_then(|id| self.inner.destroy(&id)).map(|()| JsValue::UNDEFINED))
    }

    #[wasm_bindgen(js_name = listForUser)]
    pub fn list_for_user(&mut self, user_id: JsValue) -> Promise {
        let outcome = user_id.as_string().ok_or(ManagerError::InvalidOptions { field: "userId" });
        settle(outcome.and_then(|user| self.inner.list_for_user(&user)).map(|sessions| {
            sessions.iter().map(|session| session_object(session, "")).collect::<js_sys::Array>().into()
        }))
    }

    #[wasm_bindgen(js_name = destroyAllForUser)]
    pub fn destroy_all_for_user(&mut self, user_id: JsValue) -> Promise {
        let outcome = user_id.as_string().ok_or(ManagerError::InvalidOptions { field: "userId" });
        settle(outcome.and_then(|user| self.inner.destroy_all_for_user(&user)).map(|()| JsValue::UNDEFINED))
    }

    /// The fields of a session that are safe to show: never the token or its hash.
    #[wasm_bindgen(js_name = toPublicSession)]
    pub fn to_public_session(&self, session: JsValue) -> Result<JsValue, JsValue> {
        if !session.is_object() {
            return Err(js_error(&ManagerError::InvalidOptions { field: "session" }));
        }
        let public = Object::new();
        for field in ["id", "userId", "createdAt", "expiresAt", "metadata"] {
            let value = Reflect::get(&session, &JsValue::from_str(field)).unwrap_or(JsValue::UNDEFINED);
            if !value.is_undefined() {
                set(&public, field, &value);
            }
        }
        Ok(public.into())
    }
}

/// 256 bits from the platform CSPRNG, base64url without padding.
#[wasm_bindgen(js_name = generateSessionId, skip_typescript)]
pub fn generate_session_id() -> Result<String, JsValue> {
    token::generate_session_id().map_err(|e| js_error(&ManagerError::from(e)))
}

/// Lowercase hex SHA-256 of the token's UTF-8 bytes.
#[wasm_bindgen(js_name = hashToken, skip_typescript)]
pub fn hash_token(token: JsValue) -> Result<String, JsValue> {
    let token = token.as_string().ok_or_else(|| js_error(&ManagerError::InvalidOptions { field: "token" }))?;
    Ok(token::hash_token(&token))
}

fn manager_config(config: &JsValue) -> Result<ManagerConfig, StoreError> {
    if !config_object(config)? {
        return Ok(ManagerConfig::default());
    }
    let raw = RawManagerConfig {
        storage: config_field(config, "storage"),
        prefix: config_field(config, "prefix"),
        default_expires_in: config_field(config, "defaultExpiresIn"),
        inactivity_timeout: config_field(config, "inactivityTimeout"),
        absolute_timeout: config_field(config, "absoluteTimeout"),
        bind_to_user_agent: config_field(config, "bindToUserAgent"),
    };
    Ok(raw.parse()?)
}

fn new_session(options: &JsValue) -> Result<NewSession<JsValue>, ManagerError> {
    let bad = |field| ManagerError::InvalidOptions { field };
    if !options.is_object() {
        return Err(bad("options"));
    }
    let user_id = config_field(options, "userId").text().ok().flatten().ok_or(bad("userId"))?;
    let expires_in = config_field(options, "expiresIn").number().map_err(|_| bad("expiresIn"))?;
    let metadata = Reflect::get(options, &JsValue::from_str("metadata")).map_err(|_| bad("metadata"))?;
    let metadata = match metadata {
        m if m.is_undefined() || m.is_null() => None,
        m if m.is_object() && !m.is_function() => Some(m),
        _ => return Err(bad("metadata")),
    };
    let sliding_expiration = config_field(options, "slidingExpiration").boolean().map_err(|_| bad("slidingExpiration"))?;
    let user_agent = config_field(options, "userAgent").text().map_err(|_| bad("userAgent"))?;
    Ok(NewSession { user_id, expires_in, metadata, sliding_expiration: sliding_expiration.unwrap_or(false), user_agent })
}

/// The `Session` object JavaScript sees; `token` is `''` except when just issued.
fn session_object(session: &Session, token: &str) -> JsValue {
    let object = Object::new();
    set(&object, "id", &JsValue::from_str(&session.id));
    set(&object, "userId", &JsValue::from_str(&session.user_id));
    set(&object, "token", &JsValue::from_str(token));
    set(&object, "tokenHash", &JsValue::from_str(&session.token_hash));
    set(&object, "createdAt", &date(session.created_at));
    set(&object, "expiresAt", &date(session.expires_at));
    if let Some(metadata) = &session.metadata {
        set(&object, "metadata", metadata);
    }
    if let Some(revoked_at) = session.revoked_at {
        set(&object, "revokedAt", &date(revoked_at));
    }
    set(&object, "slidingExpiration", &JsValue::from_bool(session.sliding_expiration));
    if let Some(agent) = &session.bound_user_agent {
        set(&object, "boundUserAgent", &JsValue::from_str(agent));
    }
    object.into()
}

fn invalid(reason: Invalid) -> JsValue {
    let result = Object::new();
    set(&result, "valid", &JsValue::FALSE);
    set(&result, "error", &JsValue::from_str(reason.as_str()));
    result.into()
}

fn date(ms: f64) -> JsValue {
    Date::new(&JsValue::from_f64(ms)).into()
}

fn set(object: &Object, field: &str, value: &JsValue) {
    // Defining a property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(field), value);
}
