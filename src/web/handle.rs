//! A class's hold on its manager: a `RefCell<Option<…>>`, so that a call made while another runs
//! (from a Storage method, a getter, `toJSON`, `Date.now`) is refused with `REENTRANT_CALL` instead
//! of aliasing the running one, and a freed object refuses calls with `FREED` instead of reaching
//! freed memory.

use core::cell::{Cell, RefCell};

use crate::error::StoreError;

/// What a class holds: its store or manager (`None` once freed).
pub(crate) struct Handle<T> {
    inner: RefCell<Option<T>>,
    /// `free()` was called while a call was running: the store goes when that call returns.
    freed: Cell<bool>,
}

impl<T> Handle<T> {
    pub(crate) fn new(inner: T) -> Self {
        Handle { inner: RefCell::new(Some(inner)), freed: Cell::new(false) }
    }

    /// Runs `call` on the live value, or says why it cannot run. No borrow outlives the call.
    pub(crate) fn with<R>(&self, call: impl FnOnce(&mut T) -> R) -> Result<R, StoreError> {
        let outcome = {
            let Ok(mut inner) = self.inner.try_borrow_mut() else { return Err(StoreError::ReentrantCall) };
            match inner.as_mut() {
                Some(inner) => Ok(call(inner)),
                None => Err(StoreError::Freed),
            }
        };
        if self.freed.get() {
            self.release();
        }
        outcome
    }

    /// Drops the value now, or as soon as the running call returns. Out of line: every export
    /// would otherwise carry its own copy of the value's drop.
    #[inline(never)]
    pub(crate) fn release(&self) {
        self.freed.set(true);
        drop(self.inner.try_borrow_mut().ok().and_then(|mut inner| inner.take()));
    }
}
