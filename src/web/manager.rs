//! The exported `SessionManager` class and the `generateSessionId` / `hashToken` functions.

use alloc::string::String;
use js_sys::{Date, JsString, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::clock::JsClock;
use super::convert::{config_field, config_object, copied_string, js_error, settle};
use super::handle::Handle;
use super::json::{parse_json, stringify_json};
use super::records::SessionRecords;
use super::sessions::JsSessions;
use crate::error::{ManagerError, StorageArea, StoreError};
use crate::manager::{
    Invalid, ManagerConfig, ManagerStorage, NewSession, RawManagerConfig, SessionManager, StoredSession,
};
use crate::token;

type Session = StoredSession<JsValue, JsString>;

/// The manager over the storage its config chose: memory is a storage object of its own
/// (`js/memory-area.js`), holding the same JSON text as `localStorage`.
type JsManager = SessionManager<SessionRecords<JsSessions>, JsClock>;

/// Session tokens handed out once, stored only as SHA-256 hashes; rotation, revocation, listing,
/// and idle and absolute timeouts.
#[wasm_bindgen(js_name = SessionManager, skip_typescript)]
pub struct JsSessionManager {
    handle: Handle<JsManager>,
    /// The config's prefix and whether its storage is `localStorage`, as the one config reader
    /// read them: `js/manager.js` names its cross-tab lock after them.
    prefix: JsString,
    over_local_storage: bool,
}

/// One manager method, settled as a Promise whatever state the handle is in; a `Result` for its
/// ABI, as the store methods are (see `stores.rs`).
fn call(
    handle: &Handle<JsManager>,
    method: impl FnOnce(&mut JsManager) -> Result<JsValue, ManagerError>,
) -> Result<Promise, JsValue> {
    Ok(settle(handle.with(method).map_err(ManagerError::from).and_then(|outcome| outcome)))
}

#[wasm_bindgen(js_class = SessionManager)]
impl JsSessionManager {
    /// Throws an `Error` with code `INVALID_CONFIG` for a config it refuses. `sessions_of(prefix,
    /// area)` makes the storage it runs over (`js/manager.js`: the stores' own, over `area`:
    /// `"localStorage"`, `"sessionStorage"`, or undefined for its memory or an adapter's snapshot).
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, sessions_of: &js_sys::Function) -> Result<JsSessionManager, JsValue> {
        let config = manager_config(&config).map_err(|error| js_error(&error))?;
        let over_local_storage = matches!(config.storage, ManagerStorage::Web(StorageArea::Local));
        let area = match config.storage {
            ManagerStorage::Memory => JsValue::UNDEFINED,
            ManagerStorage::Web(StorageArea::Local) => JsValue::from_str("localStorage"),
            ManagerStorage::Web(StorageArea::Session) => JsValue::from_str("sessionStorage"),
        };
        let sessions = sessions_of.call2(&JsValue::UNDEFINED, &config.prefix, &area)?;
        let backend = JsSessions::new(sessions);
        let manager = SessionManager::new(SessionRecords(backend), JsClock, &config);
        Ok(JsSessionManager { handle: Handle::new(manager), prefix: config.prefix.clone(), over_local_storage })
    }

    /// Starts a session; the returned token is the only copy there will be.
    pub fn create(&self, options: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| {
            let issued = manager.create(new_session(&options)?)?;
            Ok(session_object(&issued.session, issued.token.expose()))
        })
    }

    /// Checks a token; never rejects for a bad one.
    pub fn validate(&self, token: JsValue, context: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| {
            // A string too long to be a token opens nothing, and is never copied.
            let Some(token) = copied_string(&token) else { return Ok(invalid(Invalid::InvalidToken)) };
            Ok(match manager.validate(&token, user_agent(&context).as_ref())? {
                Ok(session) => {
                    let result = Object::new();
                    set(&result, "valid", &JsValue::TRUE);
                    set(&result, "session", &session_object(&session, ""));
                    result.into()
                }
                Err(reason) => invalid(reason),
            })
        })
    }

    /// Rotates the token after the checks of `validate`, with the same context.
    pub fn refresh(&self, token: JsValue, context: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| {
            let token = copied_string(&token).ok_or(ManagerError::SessionNotFound)?;
            let issued = manager.refresh(&token, user_agent(&context).as_ref())?;
            Ok(session_object(&issued.session, issued.token.expose()))
        })
    }

    /// Revokes a session by its id.
    pub fn destroy(&self, session_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| {
            if !session_id.is_string() {
                return Err(StoreError::InvalidSessionId.into());
            }
            // Session ids are 43 characters: a longer string matches nothing.
            if let Some(id) = copied_string(&session_id) {
                manager.destroy(&id)?;
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The user's sessions that are neither revoked nor expired.
    #[wasm_bindgen(js_name = listForUser)]
    pub fn list_for_user(&self, user_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| {
            let sessions = manager.list_for_user(&user_id_of(user_id)?)?;
            Ok(sessions.iter().map(|session| session_object(session, "")).collect::<js_sys::Array>().into())
        })
    }

    /// Removes all of the user's sessions.
    #[wasm_bindgen(js_name = destroyAllForUser)]
    pub fn destroy_all_for_user(&self, user_id: JsValue) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| {
            manager.destroy_all_for_user(&user_id_of(user_id)?)?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Removes expired sessions and corrupt entries; resolves to how many.
    #[wasm_bindgen(js_name = cleanExpired)]
    pub fn clean_expired(&self) -> Result<Promise, JsValue> {
        call(&self.handle, |manager| Ok(JsValue::from(manager.clean_expired()?)))
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

    /// Releases the manager's memory now: later calls reject with `FREED`.
    #[wasm_bindgen(js_name = free)]
    pub fn release(&self) {
        self.handle.release();
    }
}

/// A manager's key prefix, as its config gave it or the default.
#[wasm_bindgen(js_name = _managerPrefix, skip_typescript)]
pub fn manager_prefix(manager: &JsSessionManager) -> JsString {
    manager.prefix.clone()
}

/// Whether a manager keeps its sessions in `localStorage`, which other tabs share.
#[wasm_bindgen(js_name = _managerOverLocalStorage, skip_typescript)]
pub fn manager_over_local_storage(manager: &JsSessionManager) -> bool {
    manager.over_local_storage
}

/// 256 bits from the platform CSPRNG, base64url without padding.
#[wasm_bindgen(js_name = generateSessionId, skip_typescript)]
pub fn generate_session_id() -> Result<String, JsValue> {
    token::generate_session_id().map_err(|e| js_error(&ManagerError::from(e)))
}

/// Lowercase hex SHA-256 of the token's UTF-8 bytes.
#[wasm_bindgen(js_name = hashToken, skip_typescript)]
pub fn hash_token(token: JsValue) -> Result<String, JsValue> {
    let token = copied_string(&token).ok_or_else(|| js_error(&ManagerError::InvalidOptions { field: "token" }))?;
    Ok(token::hash_token(&token))
}

fn manager_config(config: &JsValue) -> Result<ManagerConfig<JsString>, StoreError> {
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
        rotation_grace: config_field(config, "rotationGrace"),
    };
    Ok(raw.parse()?)
}

/// A context without a string `userAgent` presents none (and fails a bound session).
fn user_agent(context: &JsValue) -> Option<JsString> {
    context.is_object().then(|| config_field(context, "userAgent").text().ok().flatten()).flatten()
}

fn user_id_of(value: JsValue) -> Result<JsString, ManagerError> {
    value.dyn_into().map_err(|_| ManagerError::InvalidOptions { field: "userId" })
}

fn new_session(options: &JsValue) -> Result<NewSession<JsValue, JsString>, ManagerError> {
    let bad = |field| ManagerError::InvalidOptions { field };
    if !options.is_object() {
        return Err(bad("options"));
    }
    let user_id = config_field(options, "userId").text().ok().flatten().ok_or(bad("userId"))?;
    let expires_in = config_field(options, "expiresIn").number().map_err(|_| bad("expiresIn"))?;
    let metadata = Reflect::get(options, &JsValue::from_str("metadata")).map_err(|_| bad("metadata"))?;
    let metadata = match metadata {
        m if m.is_undefined() || m.is_null() => None,
        m if m.is_object() && !m.is_function() => Some(copy(&m).ok_or(bad("metadata"))?),
        _ => return Err(bad("metadata")),
    };
    let sliding_expiration =
        config_field(options, "slidingExpiration").boolean().map_err(|_| bad("slidingExpiration"))?;
    let user_agent = config_field(options, "userAgent").text().map_err(|_| bad("userAgent"))?;
    Ok(NewSession {
        user_id,
        expires_in,
        metadata,
        sliding_expiration: sliding_expiration.unwrap_or(false),
        user_agent,
    })
}

/// A JSON copy: metadata is stored as JSON in every storage, memory included, and nobody holding
/// a session object can change the stored one through it. `None` when it has no JSON form.
fn copy(value: &JsValue) -> Option<JsValue> {
    let text = stringify_json(value).ok().filter(JsValue::is_string)?;
    parse_json(&text).ok().filter(JsValue::is_object)
}

/// The `Session` object JavaScript sees; `token` is `''` except when just issued.
fn session_object(session: &Session, token: &str) -> JsValue {
    let object = Object::new();
    set(&object, "id", &JsValue::from_str(&session.id));
    set(&object, "userId", &session.user_id);
    set(&object, "token", &JsValue::from_str(token));
    set(&object, "tokenHash", &JsValue::from_str(&session.token_hash));
    set(&object, "createdAt", &date(session.created_at));
    set(&object, "expiresAt", &date(session.expires_at));
    if let Some(metadata) = session.metadata.as_ref().and_then(copy) {
        set(&object, "metadata", &metadata);
    }
    if let Some(revoked_at) = session.revoked_at {
        set(&object, "revokedAt", &date(revoked_at));
    }
    set(&object, "slidingExpiration", &JsValue::from_bool(session.sliding_expiration));
    if let Some(agent) = &session.bound_user_agent {
        set(&object, "boundUserAgent", agent);
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
