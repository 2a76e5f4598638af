//! Kubernetes resource quantities (`250m`, `0.5`, `2`, `256Mi`, `1Gi`, `128M`, `1e9`).
//!
//! The grammar is the API machinery's (`k8s.io/apimachinery/pkg/api/resource`):
//! a decimal number (optionally signed, optionally with a fraction) followed by one suffix:
//!
//! - binary SI: `Ki Mi Gi Ti Pi Ei` (powers of 1024);
//! - decimal SI: `n u m` (10⁻⁹, 10⁻⁶, 10⁻³), none, `k M G T P E` (10³ … 10¹⁸);
//! - a decimal exponent: `e3`, `E-2`, `e+6`.
//!
//! Values are rounded **up** to the unit asked for, as `Quantity.MilliValue()` and
//! `Quantity.Value()` do: `0.0001` cpu is `1m`, and memory `128m` (a common slip for `128Mi`)
//! is 0.128 bytes, so 1 byte. Negative quantities are refused (requests must not be
//! negative). Nothing here panics or overflows: a value beyond `u64` is an error that names
//! the text.

use std::fmt;

/// Why a quantity did not parse. `Display` gives a sentence that names the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuantityError {
    /// The text as written (shortened when very long).
    pub text: String,
    pub reason: QuantityErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityErrorKind {
    Empty,
    /// Not `<number><suffix>`.
    Syntax,
    /// A suffix Kubernetes does not know (`Kb`, `mb`, `gib` …).
    UnknownSuffix,
    Negative,
    TooLarge,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = &self.text;
        match self.reason {
            QuantityErrorKind::Empty => f.write_str("a quantity is required, such as `250m` or `256Mi`"),
            QuantityErrorKind::Syntax => write!(
                f,
                "`{text}` is not a Kubernetes quantity: write a number with an optional suffix, such as `250m`, `0.5`, `256Mi` or `1Gi`"
            ),
            QuantityErrorKind::UnknownSuffix => write!(
                f,
                "`{text}` has an unknown suffix: use Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or an exponent such as e9"
            ),
            QuantityErrorKind::Negative => write!(f, "`{text}` is negative; a request must be zero or more"),
            QuantityErrorKind::TooLarge => write!(f, "`{text}` is too large"),
        }
    }
}

impl std::error::Error for QuantityError {}

/// A CPU quantity in millicores: `250m` → 250, `0.5` → 500, `2` → 2000.
pub fn parse_cpu(text: &str) -> Result<u64, QuantityError> {
    parse(text, 3)
}

/// A memory quantity in bytes: `256Mi` → 268435456, `1G` → 10⁹, `1e9` → 10⁹.
pub fn parse_memory(text: &str) -> Result<u64, QuantityError> {
    parse(text, 0)
}

/// Millicores as Kubernetes prints them: `250m`, `2`, `1500m`.
pub fn format_cpu(millis: u64) -> String {
    if millis % 1000 == 0 {
        format!("{}", millis / 1000)
    } else {
        format!("{millis}m")
    }
}

/// Bytes in the largest binary unit that divides them exactly (`256Mi`, `7518Mi`, `1Gi`),
/// else plain bytes.
pub fn format_memory(bytes: u64) -> String {
    const UNITS: [(&str, u64); 6] = [
        ("Ei", 1 << 60),
        ("Pi", 1 << 50),
        ("Ti", 1 << 40),
        ("Gi", 1 << 30),
        ("Mi", 1 << 20),
        ("Ki", 1 << 10),
    ];
    if bytes == 0 {
        return "0".into();
    }
    for (suffix, size) in UNITS {
        if bytes % size == 0 {
            return format!("{}{suffix}", bytes / size);
        }
    }
    bytes.to_string()
}

/// Bytes as a short, human reading (`7.34 GiB`), for labels rather than round trips.
pub fn human_memory(bytes: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("TiB", 1 << 40),
        ("GiB", 1 << 30),
        ("MiB", 1 << 20),
        ("KiB", 1 << 10),
    ];
    for (suffix, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            let text = format!("{value:.2}");
            let text = text.trim_end_matches('0').trim_end_matches('.');
            return format!("{text} {suffix}");
        }
    }
    format!("{bytes} B")
}

/// Significant digits kept; more only sets the sticky bit used for rounding up.
/// 10²⁰ × 1024⁶ < 2¹²⁸, so every product below fits a `u128`.
const MAX_DIGITS: u32 = 20;

/// Parses `text` and returns its value × 10^`unit_shift`, rounded up.
fn parse(text: &str, unit_shift: i64) -> Result<u64, QuantityError> {
    let error = |reason| QuantityError {
        text: shorten(text),
        reason,
    };
    if text.is_empty() {
        return Err(error(QuantityErrorKind::Empty));
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if let Some(&sign) = bytes.first() {
        if sign == b'+' || sign == b'-' {
            negative = sign == b'-';
            i = 1;
        }
    }

    // The number: digits, optionally one '.', more digits; at least one digit.
    let mut mantissa: u128 = 0;
    let mut digits = 0u32; // significant digits kept
    let mut exponent: i64 = 0; // value = mantissa × 10^exponent (before the suffix)
    let mut sticky = false; // a dropped digit was not zero
    let mut seen_digit = false;
    let mut seen_point = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            seen_digit = true;
            let d = u128::from(c - b'0');
            if digits < MAX_DIGITS {
                if mantissa != 0 || d != 0 {
                    mantissa = mantissa * 10 + d;
                    digits += 1;
                }
                if seen_point {
                    exponent -= 1;
                }
            } else {
                sticky |= d != 0;
                if !seen_point {
                    exponent += 1;
                }
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if !seen_digit {
        return Err(error(QuantityErrorKind::Syntax));
    }
    // Leading zeros after the point must still move the exponent: handled above, since
    // every digit after the point (kept or zero) decrements it while below MAX_DIGITS.

    let suffix = &text[i..];
    let (decimal, binary) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 1),
        "Mi" => (0, 2),
        "Gi" => (0, 3),
        "Ti" => (0, 4),
        "Pi" => (0, 5),
        "Ei" => (0, 6),
        _ => match parse_exponent(suffix) {
            Some(e) => (e, 0),
            None if suffix.starts_with(['e', 'E']) || !suffix.is_ascii() => {
                return Err(error(QuantityErrorKind::Syntax))
            }
            None if suffix.bytes().all(|b| b.is_ascii_alphabetic()) => {
                return Err(error(QuantityErrorKind::UnknownSuffix))
            }
            None => return Err(error(QuantityErrorKind::Syntax)),
        },
    };

    if negative && (mantissa != 0 || sticky) {
        return Err(error(QuantityErrorKind::Negative));
    }
    if mantissa == 0 && !sticky {
        return Ok(0);
    }

    let scaled = mantissa << (10 * binary); // < 10²⁰ × 2⁶⁰ < 2¹²⁸
    let e = exponent.saturating_add(decimal).saturating_add(unit_shift);
    let value: u128 = if e >= 0 {
        let mut v = scaled;
        for _ in 0..e {
            v = v
                .checked_mul(10)
                .filter(|v| *v <= u128::from(u64::MAX))
                .ok_or_else(|| error(QuantityErrorKind::TooLarge))?;
        }
        v + u128::from(sticky)
    } else if e < -38 {
        // Less than one unit: rounds up to one.
        1
    } else {
        let divisor = 10u128.pow((-e) as u32);
        let q = scaled / divisor;
        q + u128::from(scaled % divisor != 0 || sticky)
    };
    u64::try_from(value).map_err(|_| error(QuantityErrorKind::TooLarge))
}

/// `e3`, `E-2`, `e+6`: a decimal exponent, bounded so arithmetic stays sane.
fn parse_exponent(suffix: &str) -> Option<i64> {
    let rest = suffix.strip_prefix(['e', 'E'])?;
    let (negative, digits) = match rest.as_bytes().first()? {
        b'-' => (true, &rest[1..]),
        b'+' => (false, &rest[1..]),
        _ => (false, rest),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    // Anything with more than 6 digits is far outside u64 either way; clamp it.
    let magnitude: i64 = if digits.len() > 6 {
        1_000_000
    } else {
        digits.parse().unwrap_or(0)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Error texts quote the input; keep a hostile one short.
fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    let escaped: String = text.escape_default().collect();
    if escaped.chars().count() <= MAX {
        escaped
    } else {
        let head: String = escaped.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MI: u64 = 1 << 20;
    const GI: u64 = 1 << 30;

    #[test]
    fn cpu_forms() {
        assert_eq!(parse_cpu("250m"), Ok(250));
        assert_eq!(parse_cpu("0.5"), Ok(500));
        assert_eq!(parse_cpu("2"), Ok(2000));
        assert_eq!(parse_cpu("1.5"), Ok(1500));
        assert_eq!(parse_cpu(".5"), Ok(500));
        assert_eq!(parse_cpu("5."), Ok(5000));
        assert_eq!(parse_cpu("+1"), Ok(1000));
        assert_eq!(parse_cpu("0"), Ok(0));
        assert_eq!(parse_cpu("-0"), Ok(0));
        assert_eq!(
            parse_cpu("1e3m"),
            Err(QuantityError {
                text: "1e3m".into(),
                reason: QuantityErrorKind::Syntax
            })
        );
        assert_eq!(parse_cpu("1e-3"), Ok(1));
        assert_eq!(parse_cpu("100000n"), Ok(1));
        assert_eq!(parse_cpu("1k"), Ok(1_000_000));
    }

    #[test]
    fn cpu_rounds_up_like_milli_value() {
        assert_eq!(parse_cpu("0.0001"), Ok(1));
        assert_eq!(parse_cpu("1n"), Ok(1));
        assert_eq!(parse_cpu("1001u"), Ok(2));
        assert_eq!(
            parse_cpu("0.00000000000000000000000000000000000000000000001"),
            Ok(1)
        );
        assert_eq!(parse_cpu("1.0000000000000000000000000000001"), Ok(1001));
    }

    #[test]
    fn memory_forms() {
        assert_eq!(parse_memory("256Mi"), Ok(256 * MI));
        assert_eq!(parse_memory("1Gi"), Ok(GI));
        assert_eq!(parse_memory("1.5Gi"), Ok(3 * GI / 2));
        assert_eq!(parse_memory("128M"), Ok(128_000_000));
        assert_eq!(parse_memory("1e9"), Ok(1_000_000_000));
        assert_eq!(parse_memory("1E9"), Ok(1_000_000_000));
        assert_eq!(parse_memory("1E"), Ok(1_000_000_000_000_000_000));
        assert_eq!(parse_memory("1Ei"), Ok(1 << 60));
        assert_eq!(parse_memory("4096"), Ok(4096));
        assert_eq!(parse_memory("64Ki"), Ok(65536));
        assert_eq!(parse_memory("2k"), Ok(2000));
        assert_eq!(parse_memory("1Ti"), Ok(1 << 40));
        assert_eq!(parse_memory("1T"), Ok(1_000_000_000_000));
        assert_eq!(parse_memory("0.5Ki"), Ok(512));
        assert_eq!(
            parse_memory("000000000000000000000000000000000012Mi"),
            Ok(12 * MI)
        );
    }

    #[test]
    fn memory_milli_is_a_fraction_of_a_byte() {
        // Kubernetes accepts `128m` memory and means 0.128 bytes, rounded up to 1.
        assert_eq!(parse_memory("128m"), Ok(1));
        assert_eq!(parse_memory("1500m"), Ok(2));
    }

    #[test]
    fn errors_name_the_text() {
        let e = parse_memory("256MB").unwrap_err();
        assert_eq!(e.reason, QuantityErrorKind::UnknownSuffix);
        assert!(e.to_string().contains("`256MB`"), "{e}");
        let e = parse_memory("").unwrap_err();
        assert_eq!(e.reason, QuantityErrorKind::Empty);
        let e = parse_cpu("-250m").unwrap_err();
        assert_eq!(e.reason, QuantityErrorKind::Negative);
        assert!(e.to_string().contains("`-250m`"));
        for bad in [
            "abc", "1..5", ".", "m", " 1", "1 ", "1e", "1e+", "1ee3", "1.5.5", "1Mi ", "0x10",
            "1_000",
        ] {
            assert!(parse_memory(bad).is_err(), "{bad:?} parsed");
        }
        assert_eq!(
            parse_memory("1gi").unwrap_err().reason,
            QuantityErrorKind::UnknownSuffix
        );
    }

    #[test]
    fn hostile_input_never_panics() {
        assert_eq!(
            parse_memory("1e1000000000000").unwrap_err().reason,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(parse_memory("1e-1000000000000"), Ok(1));
        assert_eq!(
            parse_memory("99999999999999999999999999999999999999999Ei")
                .unwrap_err()
                .reason,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(parse_memory("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_memory("18446744073709551616").unwrap_err().reason,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(
            parse_cpu("18446744073709552").unwrap_err().reason,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(
            parse_memory("16Ei").unwrap_err().reason,
            QuantityErrorKind::TooLarge
        );
        assert_eq!(parse_memory("15Ei"), Ok(15 << 60));
        assert!(parse_memory("１Gi").is_err());
        assert!(parse_memory("1Gí").is_err());
        assert!(parse_memory("💥").is_err());
        let long = "9".repeat(10_000);
        let e = parse_memory(&long).unwrap_err();
        assert_eq!(e.reason, QuantityErrorKind::TooLarge);
        assert!(e.text.chars().count() <= 41, "error text not shortened");
        let tiny = format!("0.{}1", "0".repeat(10_000));
        assert_eq!(parse_memory(&tiny), Ok(1));
    }

    #[test]
    fn formatting_round_trips() {
        assert_eq!(format_cpu(250), "250m");
        assert_eq!(format_cpu(2000), "2");
        assert_eq!(format_memory(256 * MI), "256Mi");
        assert_eq!(format_memory(GI), "1Gi");
        assert_eq!(format_memory(1000), "1000");
        assert_eq!(format_memory(0), "0");
        for text in ["250m", "2", "1500m"] {
            assert_eq!(format_cpu(parse_cpu(text).unwrap()), text);
        }
        for text in ["256Mi", "1Gi", "7518Mi", "100"] {
            assert_eq!(format_memory(parse_memory(text).unwrap()), text);
        }
        assert_eq!(human_memory(7518 * MI), "7.34 GiB");
        assert_eq!(human_memory(512), "512 B");
    }
}
