//! [`decimal`]: the plain decimals the page reads back (a `viewBox`, a link's `zoom=`, a saved
//! time, a CSS alpha), without `str::parse::<f64>`, whose general algorithm (exponents,
//! 19+ digits) brings its power-of-five tables into the wasm: about 10 KB gzip of tables
//! alone. Every caller reads numbers eksplain or CSS wrote, which never need it.

/// Exact powers of ten: every one up to 10^22 is an `f64` without rounding.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A plain decimal (`-12.50`, as the drawings write their `viewBox`; `1e6` as a hand-written
/// link may), the same `f64` as `str::parse` gives: its digits as a whole number times or
/// divided by a power of ten, both exact, so the result rounds once. `None` for any other form
/// (more than 15 digits, a power of ten past 10^±22, `inf`, `NaN`, a leading `+` or `.`).
pub fn decimal(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (number, exponent) = match digits.split_once(['e', 'E']) {
        Some((number, exponent)) => {
            let magnitude = exponent.strip_prefix('-').unwrap_or(exponent);
            if magnitude.is_empty()
                || magnitude.len() > 3
                || !magnitude.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            let e: i32 = magnitude
                .bytes()
                .fold(0, |n, b| n * 10 + i32::from(b - b'0'));
            (
                number,
                if magnitude.len() < exponent.len() {
                    -e
                } else {
                    e
                },
            )
        }
        None => (digits, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let all = || whole.bytes().chain(fraction.bytes());
    if whole.is_empty() || all().count() > 15 || !all().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mantissa = all().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64;
    let power = exponent - fraction.len() as i32;
    let scale = *POWERS_OF_TEN.get(power.unsigned_abs() as usize)?;
    let value = if power < 0 {
        mantissa / scale
    } else {
        mantissa * scale
    };
    Some(if digits.len() < text.len() {
        -value
    } else {
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_read_as_str_parse_reads_them() {
        for text in [
            "0",
            "440",
            "-20.00",
            "1234.56",
            "0.10",
            "-0.01",
            "999999999999.99",
            "7.5",
            "-0",
            "1e6",
            "1E3",
            "-2.5e-3",
            "12.5e2",
            "3e22",
            "1e-22",
        ] {
            assert_eq!(decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        for text in [
            "",
            "-",
            ".5",
            "1e",
            "1e400",
            "e5",
            "1e+3",
            "NaN",
            "inf",
            "+1",
            "1.2.3",
            "1234567890123456",
        ] {
            assert_eq!(decimal(text), None, "{text}");
        }
    }
}
