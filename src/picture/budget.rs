//! A bound on decoded pixels in memory at once.
//!
//! Each picture is bounded on its own ([`super::MAX_PIXEL_BYTES`]), but a
//! book of many large pictures decoded on every thread at once multiplied
//! that bound by the threads: eight 16000 x 16000 PNGs of 31 KB each took
//! 1.3 GB. A writer takes a permit for a picture's decoded size before
//! decoding it and gives it back when done, so the pictures in flight
//! never hold more than the budget (one picture larger than the budget
//! waits until it is alone).

use std::sync::{Condvar, Mutex, PoisonError};

/// Decoded bytes a writer may hold at once across its threads.
pub const DEFAULT_BUDGET: u64 = 320 * 1024 * 1024;

/// A counting semaphore of bytes. Owned by one writer call (not shared by
/// the process), so one book's pictures never wait for another book's.
pub struct Budget {
    limit: u64,
    in_use: Mutex<u64>,
    freed: Condvar,
}

/// Bytes taken from a [`Budget`]; given back when dropped.
pub struct Permit<'a> {
    budget: &'a Budget,
    bytes: u64,
}

impl Budget {
    pub fn new(limit: u64) -> Self {
        Budget {
            limit: limit.max(1),
            in_use: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits until `bytes` fit beside what is in use (or nothing else is in
    /// use, for a request larger than the whole budget), then takes them.
    pub fn acquire(&self, bytes: u64) -> Permit<'_> {
        let want = bytes.min(self.limit);
        // A poisoned lock only means another picture's thread panicked;
        // the count itself is still right.
        let mut used = self.in_use.lock().unwrap_or_else(PoisonError::into_inner);
        while *used > 0 && *used + want > self.limit {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *used += want;
        Permit {
            budget: self,
            bytes: want,
        }
    }

    /// Bytes taken now.
    #[cfg(test)]
    fn in_use(&self) -> u64 {
        *self.in_use.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(DEFAULT_BUDGET)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut used = self
            .budget
            .in_use
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *used -= self.bytes;
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Whatever the threads ask for, what is held at once never passes the
    /// budget, except a single request larger than it, held alone.
    #[test]
    fn what_is_held_at_once_stays_within_the_budget() {
        let budget = Budget::new(100);
        let peak = AtomicU64::new(0);
        let asks: Vec<u64> = (0..64).map(|i| [10, 40, 70, 150, 1][i % 5]).collect();
        std::thread::scope(|s| {
            for chunk in asks.chunks(8) {
                let (budget, peak) = (&budget, &peak);
                s.spawn(move || {
                    for &a in chunk {
                        let _p = budget.acquire(a);
                        let now = budget.in_use();
                        peak.fetch_max(now, Ordering::SeqCst);
                        assert!(now <= 100, "{now} held at once");
                        std::thread::yield_now();
                    }
                });
            }
        });
        assert!(peak.load(Ordering::SeqCst) <= 100);
        assert_eq!(budget.in_use(), 0);
    }
}
