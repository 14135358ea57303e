//! `subscribe`: a store's listeners hear `{ type, sessionId?, data? }` for the changes this instance
//! makes (delivered in a microtask, so a listener may call the store) and, for Web Storage stores,
//! for the changes other tabs make (the `storage` event), only under this store's prefix.

use alloc::rc::{Rc, Weak};
use alloc::vec::Vec;
use core::cell::Cell;

use js_sys::{Array, Function, JsString, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::convert::js_error;
use super::global::global;
use super::storage::{area_object, decode_data, Prefix};
use crate::backend::Backend;
use crate::error::{StorageArea, StoreError};
use crate::store::{Change, SessionStore};

#[wasm_bindgen]
extern "C" {
    /// A promise whose `then` takes any function.
    type Pending;
    #[wasm_bindgen(method, js_name = then)]
    fn then(this: &Pending, on_fulfilled: &Function) -> JsValue;
}

/// The `storage` event handler attached to `globalThis`.
type StorageHandler = Closure<dyn Fn(JsValue)>;

/// The listeners of one store, shared with the handlers and unsubscribe functions handed to JS.
/// `Cell`s rather than `RefCell`s: each value is taken out, used without calling JavaScript, and
/// put back, so there is no borrow that could fail (and no panic path in the module).
pub struct Hub {
    listeners: Cell<Vec<(u32, Function)>>,
    next_id: Cell<u32>,
    /// The storage area and prefix whose `storage` events concern this store (Web Storage stores).
    watch: Option<(StorageArea, Prefix)>,
    /// Attached to `globalThis` while there are listeners.
    storage_handler: Cell<Option<StorageHandler>>,
    /// Owned by JavaScript, not by the hub: a delivery already queued when the store is freed
    /// finds the hub gone and does nothing, instead of calling a dropped closure.
    deliver: Function,
}

impl Hub {
    pub fn new(watch: Option<(StorageArea, Prefix)>) -> Rc<Hub> {
        Rc::new_cyclic(|hub: &Weak<Hub>| {
            let hub = hub.clone();
            let deliver = Closure::<dyn Fn(Array)>::new(move |events: Array| {
                if let Some(hub) = hub.upgrade() {
                    for event in events.iter() {
                        hub.dispatch(&event);
                    }
                }
            });
            let deliver = deliver.into_js_value().unchecked_into();
            Hub { listeners: Cell::default(), next_id: Cell::new(0), watch, storage_handler: Cell::default(), deliver }
        })
    }

    /// Adds a listener; returns the function that removes it (calling it twice is harmless).
    pub fn subscribe(self: &Rc<Self>, listener: JsValue) -> Result<JsValue, JsValue> {
        let listener: Function = listener.dyn_into().map_err(|_| js_error(&StoreError::InvalidListener))?;
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        self.with_listeners(|listeners| listeners.push((id, listener)));
        if !self.attached() {
            self.attach();
        }
        let hub = Rc::downgrade(self);
        let unsubscribe = Closure::<dyn Fn()>::new(move || {
            if let Some(hub) = hub.upgrade() {
                let last = hub.with_listeners(|listeners| {
                    listeners.retain(|(other, _)| *other != id);
                    listeners.is_empty()
                });
                if last {
                    hub.detach();
                }
            }
        });
        Ok(unsubscribe.into_js_value())
    }

    /// Hands the store's latest changes to the listeners, after the current call returns.
    pub fn publish<B: Backend<Id = JsString>, C>(&self, store: &mut SessionStore<B, C>, set_data: Option<&JsValue>) {
        let changes = store.take_changes();
        if self.with_listeners(|listeners| listeners.is_empty()) {
            store.record_changes(false);
            return;
        }
        if changes.is_empty() {
            return;
        }
        let events: Array = changes.into_iter().map(|change| event_object(change, set_data)).collect();
        let _ = Promise::resolve(&events).unchecked_into::<Pending>().then(&self.deliver);
    }

    /// Runs `work`, which must not call JavaScript, on the listeners.
    fn with_listeners<R>(&self, work: impl FnOnce(&mut Vec<(u32, Function)>) -> R) -> R {
        let mut listeners = self.listeners.take();
        let result = work(&mut listeners);
        self.listeners.set(listeners);
        result
    }

    /// Whether the `storage` event handler is attached.
    fn attached(&self) -> bool {
        let handler = self.storage_handler.take();
        let attached = handler.is_some();
        self.storage_handler.set(handler);
        attached
    }

    fn dispatch(&self, event: &JsValue) {
        // Listeners may unsubscribe (or subscribe) while being called: call a snapshot.
        let listeners: Vec<Function> =
            self.with_listeners(|listeners| listeners.iter().map(|(_, f)| f.clone()).collect());
        for listener in listeners {
            if let Err(error) = listener.call1(&JsValue::UNDEFINED, event) {
                report(&error);
            }
        }
    }

    fn on_storage_event(&self, event: &JsValue) {
        let Some((area, prefix)) = &self.watch else { return };
        let field = |name: &str| Reflect::get(event, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED);
        let Ok(ours) = area_object(*area) else { return };
        if !Object::is(&field("storageArea"), &ours) {
            return;
        }
        let key = field("key");
        let change = match prefix.id_of(&key) {
            None if key.is_null() => event_object(Change::Clear, None),
            Some(id) => {
                let new_value = field("newValue");
                if new_value.is_null() || new_value.is_undefined() {
                    event_object(Change::Delete(id), None)
                } else {
                    // An entry that does not decode is nothing a listener could use.
                    match decode_data(&new_value) {
                        Some(data) => event_object(Change::Set(id), Some(&data)),
                        None => return,
                    }
                }
            }
            None => return,
        };
        self.dispatch(&change);
    }

    fn attach(self: &Rc<Self>) {
        if self.watch.is_none() {
            return;
        }
        let hub = Rc::downgrade(self);
        let handler = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            if let Some(hub) = hub.upgrade() {
                hub.on_storage_event(&event);
            }
        });
        // No borrow is held while JavaScript runs: addEventListener may call back into the store.
        if call_global("addEventListener", handler.as_ref()) {
            let replaced = self.storage_handler.replace(Some(handler));
            if let Some(earlier) = replaced {
                call_global("removeEventListener", earlier.as_ref());
            }
        }
    }

    fn detach(&self) {
        // Taken out first: removeEventListener may call back into the store (and subscribe again).
        let handler = self.storage_handler.take();
        if let Some(handler) = handler {
            call_global("removeEventListener", handler.as_ref());
        }
    }

    /// Forgets every listener and stops hearing other tabs, as when the store is freed: a delivery
    /// already queued then reaches no one.
    pub fn close(&self) {
        drop(self.listeners.take());
        self.detach();
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        self.detach();
    }
}

/// `globalThis[method]('storage', handler)`; false where there is no such method (Node).
fn call_global(method: &str, handler: &JsValue) -> bool {
    let global = global();
    match Reflect::get(&global, &JsValue::from_str(method)).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
        Some(method) => method.call2(&global, &JsValue::from_str("storage"), handler).is_ok(),
        None => false,
    }
}

fn event_object(change: Change<JsString>, set_data: Option<&JsValue>) -> JsValue {
    let event = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&event, &JsValue::from_str(name), value);
    };
    match change {
        Change::Set(id) => {
            set("type", &JsValue::from_str("set"));
            set("sessionId", &id);
            set("data", set_data.unwrap_or(&JsValue::UNDEFINED));
        }
        Change::Delete(id) => {
            set("type", &JsValue::from_str("delete"));
            set("sessionId", &id);
        }
        Change::Clear => set("type", &JsValue::from_str("clear")),
    }
    event.into()
}

/// A listener's exception goes where the platform reports uncaught errors, and the others still run.
fn report(error: &JsValue) {
    let global = global();
    let reporter =
        Reflect::get(&global, &JsValue::from_str("reportError")).ok().and_then(|f| f.dyn_into::<Function>().ok());
    match reporter {
        Some(report_error) => drop(report_error.call1(&global, error)),
        None => {
            let console = Reflect::get(&global, &JsValue::from_str("console")).unwrap_or(JsValue::UNDEFINED);
            if let Some(log) =
                Reflect::get(&console, &JsValue::from_str("error")).ok().and_then(|f| f.dyn_into::<Function>().ok())
            {
                let _ = log.call1(&console, error);
            }
        }
    }
}
