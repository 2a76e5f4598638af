//! A count of the probes the scenario checks make — one per lookup of an item among the
//! others (a CIDR among the VPC's, a subnet's name among the subnets'). A test doubles every
//! list of a scenario and asserts the count doubles too, so a check that compares every item
//! with every other (quadratic: the count quadruples) cannot come back unnoticed.
//!
//! Counting costs one thread-local add per probe; nothing reads the count but [`measure`].

use std::cell::Cell;

thread_local! {
    static PROBES: Cell<u64> = const { Cell::new(0) };
}

/// Counts one probe.
pub fn tick() {
    PROBES.with(|p| p.set(p.get().wrapping_add(1)));
}

/// Runs `f` and returns what it returned with the probes it made (on this thread).
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = PROBES.with(Cell::get);
    let out = f();
    (out, PROBES.with(Cell::get).wrapping_sub(before))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_are_counted_per_call() {
        let ((), n) = measure(|| (0..7).for_each(|_| tick()));
        assert_eq!(n, 7);
        let ((), n) = measure(|| ());
        assert_eq!(n, 0);
    }
}
