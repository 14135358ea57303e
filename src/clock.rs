//! Where a store reads the current time, in milliseconds since the Unix epoch.

use core::cell::Cell;

use crate::error::StoreError;

/// A source of the current time. The store reads it at the moment of each operation, never caching
/// it across operations, so that fake timers in the host control it.
pub trait Clock {
    /// Milliseconds since the Unix epoch, or why there is no usable time.
    fn now(&self) -> Result<f64, StoreError>;
}

/// A clock moved by hand, which counts how often it is read: for tests and native hosts.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: Cell<f64>,
    reads: Cell<u32>,
}

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: f64) -> Self {
        ManualClock { now: Cell::new(now), reads: Cell::new(0) }
    }

    /// Sets the time, forward or back.
    pub fn set(&self, now: f64) {
        self.now.set(now);
    }

    /// Moves the time forward by `ms`.
    pub fn advance(&self, ms: f64) {
        self.now.set(self.now.get() + ms);
    }

    /// How many times the clock has been read.
    pub fn reads(&self) -> u32 {
        self.reads.get()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Result<f64, StoreError> {
        self.reads.set(self.reads.get() + 1);
        Ok(self.now.get())
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Result<f64, StoreError> {
        (**self).now()
    }
}

/// The time of one operation: read from the clock on first need, then the same for the rest of it.
#[derive(Debug, Default)]
pub(crate) struct OperationTime(Option<f64>);

impl OperationTime {
    pub(crate) fn get(&mut self, clock: &impl Clock) -> Result<f64, StoreError> {
        match self.0 {
            Some(now) => Ok(now),
            None => {
                let now = clock.now()?;
                self.0 = Some(now);
                Ok(now)
            }
        }
    }
}
