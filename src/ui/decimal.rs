//! [`decimal`]: the plain decimals the page reads back (a `viewBox`, a link's `zoom=`, a saved
//! time, a CSS alpha), without `str::parse::<f64>`, whose general algorithm (exponents,
//! 19+ digits) brings its power-of-five tables into the wasm: about 10 KB gzip of tables
//! alone. Every caller reads numbers eksplain or CSS wrote, which never need it.

/// A plain decimal (`-12.50`, as the drawings write their `viewBox`), the same `f64` as
/// `str::parse` gives: its digits as a whole number divided by a power of ten, both exact, so
/// the division rounds once. `None` for any other form (exponents, more than 15 digits). Not
/// `str::parse`, whose general algorithm brings about 12 KB of tables into the wasm.
pub fn decimal(text: &str) -> Option<f64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all = || whole.bytes().chain(fraction.bytes());
    if whole.is_empty() || all().count() > 15 || !all().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mantissa = all().fold(0u64, |n, b| n * 10 + u64::from(b - b'0')) as f64;
    let value = mantissa / 10f64.powi(fraction.len() as i32);
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
        ] {
            assert_eq!(decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        for text in [
            "",
            "-",
            ".5",
            "1e3",
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
