//! Exact fractions for load shares: `1/4`, not `0.25000000001`.
//!
//! A share is a product of a few small reciprocals (1/AZs × 1/nodes × 1/pods), so a reduced
//! `u64/u64` holds every one exactly; sums are done in `u128` and report overflow instead of
//! rounding. Twenty lines of arithmetic did not justify a dependency (and its weight in wasm).

use std::cmp::Ordering;
use std::fmt;

/// A non-negative fraction in lowest terms; the denominator is never 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: u64,
    den: u64,
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Ratio {
    pub const ZERO: Ratio = Ratio { num: 0, den: 1 };
    pub const ONE: Ratio = Ratio { num: 1, den: 1 };

    /// `num/den` reduced; `None` when `den` is 0.
    pub fn new(num: u64, den: u64) -> Option<Ratio> {
        Ratio::reduced(u128::from(num), u128::from(den))
    }

    /// `1/n`; `None` for 0.
    pub fn recip(n: usize) -> Option<Ratio> {
        Ratio::new(1, n as u64)
    }

    fn reduced(num: u128, den: u128) -> Option<Ratio> {
        if den == 0 {
            return None;
        }
        let g = gcd(num, den).max(1);
        Some(Ratio {
            num: u64::try_from(num / g).ok()?,
            den: u64::try_from(den / g).ok()?,
        })
    }

    pub fn numer(self) -> u64 {
        self.num
    }

    pub fn denom(self) -> u64 {
        self.den
    }

    pub fn is_zero(self) -> bool {
        self.num == 0
    }

    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// The product; `None` if it does not fit.
    pub fn checked_mul(self, other: Ratio) -> Option<Ratio> {
        Ratio::reduced(
            u128::from(self.num) * u128::from(other.num),
            u128::from(self.den) * u128::from(other.den),
        )
    }

    /// The sum; `None` if it does not fit.
    pub fn checked_add(self, other: Ratio) -> Option<Ratio> {
        let g = gcd(u128::from(self.den), u128::from(other.den));
        let den = u128::from(self.den) / g * u128::from(other.den);
        let num = u128::from(self.num) * (den / u128::from(self.den))
            + u128::from(other.num) * (den / u128::from(other.den));
        Ratio::reduced(num, den)
    }

    /// The sum of many; `None` if any step does not fit.
    pub fn checked_sum(items: impl IntoIterator<Item = Ratio>) -> Option<Ratio> {
        items
            .into_iter()
            .try_fold(Ratio::ZERO, |acc, r| acc.checked_add(r))
    }
}

impl Ord for Ratio {
    fn cmp(&self, other: &Ratio) -> Ordering {
        (u128::from(self.num) * u128::from(other.den))
            .cmp(&(u128::from(other.num) * u128::from(self.den)))
    }
}

impl PartialOrd for Ratio {
    fn partial_cmp(&self, other: &Ratio) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// `1/4`; whole numbers without a denominator (`0`, `1`).
impl fmt::Display for Ratio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u64, d: u64) -> Ratio {
        Ratio::new(n, d).unwrap()
    }

    #[test]
    fn fractions_are_reduced_and_exact() {
        assert_eq!(r(2, 8), r(1, 4));
        assert_eq!(r(2, 8).to_string(), "1/4");
        assert_eq!(r(3, 3).to_string(), "1");
        assert_eq!(Ratio::ZERO.to_string(), "0");
        assert_eq!(Ratio::new(1, 0), None);
        assert_eq!(Ratio::recip(0), None);
        assert_eq!(r(1, 2).checked_mul(r(1, 2)), Some(r(1, 4)));
        assert_eq!(r(1, 4).checked_add(r(1, 4)), Some(r(1, 2)));
        assert_eq!(
            Ratio::checked_sum([r(1, 4), r(1, 4), r(1, 2)]),
            Some(Ratio::ONE)
        );
        // Thirds add up exactly, as floats would not.
        assert_eq!(
            Ratio::checked_sum([r(1, 3), r(1, 3), r(1, 3)]),
            Some(Ratio::ONE)
        );
        assert!(r(1, 3) > r(1, 4));
        assert_eq!(r(1, 4).to_f64(), 0.25);
    }

    #[test]
    fn overflow_is_reported_not_wrapped() {
        let big = r(1, u64::MAX - 1);
        assert_eq!(big.checked_mul(big), None);
        assert_eq!(big.checked_add(r(1, u64::MAX - 2)), None);
        // A product that reduces back into range is fine.
        assert_eq!(r(u64::MAX, 1).checked_mul(r(1, u64::MAX)), Some(Ratio::ONE));
    }
}
