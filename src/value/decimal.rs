//! Value: exact decimal numbers (spec sections 2 and 6.1), compared digit by digit.
//!
//! A [`Decimal`] keeps the canonical text of the number (`-12.5`, `0.1`,
//! `3`): no `+`, no leading zeros before the point, no trailing zeros after
//! it, no `-0`. Two decimals are equal exactly when their texts are, and
//! they order by sign, then the length and digits of the integer part, then
//! the fraction digits. Nothing is ever rounded, so `0.1 + 0.2`-style
//! surprises and the precision loss of binary floats cannot change a
//! decision. Integers compare with decimals through the same digits,
//! written into a stack buffer: comparing allocates nothing.

use std::cmp::Ordering;

/// The most digits a decimal may have, before and after the point together
/// (a bound on the work and memory one value from outside can cost).
pub const MAX_DIGITS: usize = 400;

/// An exact decimal number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Decimal(String);

/// Why text is not a decimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecimalError {
    /// Not `-?digits[.digits][e[+-]digits]`.
    Syntax,
    /// More than [`MAX_DIGITS`] digits once the exponent is applied.
    TooLong,
}

impl std::fmt::Display for DecimalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecimalError::Syntax => write!(f, "not a decimal number"),
            DecimalError::TooLong => {
                write!(f, "a decimal number has at most {MAX_DIGITS} digits")
            }
        }
    }
}

impl Decimal {
    /// Parses `-?digits[.digits][(e|E)[+-]digits]` (the JSON number form,
    /// and the policy language's `-?digits.digits`).
    pub fn parse(text: &str) -> Result<Decimal, DecimalError> {
        let (neg, rest) = match text.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, text),
        };
        let (mantissa, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], parse_exponent(&rest[i + 1..])?),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !digits_ok(int) || !digits_ok(frac) || mantissa.ends_with('.') {
            return Err(DecimalError::Syntax);
        }
        let all: String = [int, frac].concat();
        let all = all.trim_start_matches('0');
        // The point sits `point` digits from the left of `all` (may be < 0 or > len).
        let lead_zeros = (int.len() + frac.len()) - all.len();
        let point = int.len() as i64 - lead_zeros as i64 + exp;
        let all = all.trim_end_matches('0');
        if all.is_empty() {
            return Ok(Decimal("0".to_string()));
        }
        let width = (all.len() as i64).max(point).max(0) - point.min(0);
        if width > MAX_DIGITS as i64 {
            return Err(DecimalError::TooLong);
        }
        let mut out = String::with_capacity(width as usize + 3);
        if neg {
            out.push('-');
        }
        if point <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-point) as usize));
            out.push_str(all);
        } else if point as usize >= all.len() {
            out.push_str(all);
            out.extend(std::iter::repeat_n('0', point as usize - all.len()));
        } else {
            out.push_str(&all[..point as usize]);
            out.push('.');
            out.push_str(&all[point as usize..]);
        }
        Ok(Decimal(out))
    }

    /// The canonical text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn parse_exponent(s: &str) -> Result<i64, DecimalError> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DecimalError::Syntax);
    }
    // Any exponent beyond the digit bound gives too many digits anyway.
    let magnitude: i64 = digits
        .trim_start_matches('0')
        .parse()
        .unwrap_or(if digits.trim_start_matches('0').is_empty() {
            0
        } else {
            i64::MAX / 4
        })
        .min(10 * MAX_DIGITS as i64);
    Ok(if s.starts_with('-') {
        -magnitude
    } else {
        magnitude
    })
}

/// A number as sign, integer digits and fraction digits (canonical).
struct Parts<'a> {
    neg: bool,
    int: &'a [u8],
    frac: &'a [u8],
}

fn parts(canonical: &str) -> Parts<'_> {
    let (neg, rest) = match canonical.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, canonical),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    Parts {
        neg,
        int: int.as_bytes(),
        frac: frac.as_bytes(),
    }
}

fn compare_parts(a: &Parts<'_>, b: &Parts<'_>) -> Ordering {
    let a_zero = a.int == b"0" && a.frac.is_empty();
    let b_zero = b.int == b"0" && b.frac.is_empty();
    let sign = |neg: bool, zero: bool| {
        if zero {
            0
        } else if neg {
            -1
        } else {
            1
        }
    };
    let (sa, sb) = (sign(a.neg, a_zero), sign(b.neg, b_zero));
    if sa != sb {
        return sa.cmp(&sb);
    }
    let magnitude = a
        .int
        .len()
        .cmp(&b.int.len())
        .then_with(|| a.int.cmp(b.int))
        .then_with(|| a.frac.cmp(b.frac));
    if sa < 0 {
        magnitude.reverse()
    } else {
        magnitude
    }
}

/// Compares two canonical decimal texts.
pub fn compare(a: &str, b: &str) -> Ordering {
    compare_parts(&parts(a), &parts(b))
}

/// Compares an integer with a canonical decimal text, without allocating.
pub fn compare_int(i: i64, d: &str) -> Ordering {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    let mut n = i.unsigned_abs();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let int = Parts {
        neg: i < 0,
        int: &buf[at..],
        frac: b"",
    };
    compare_parts(&int, &parts(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        Decimal::parse(s)
            .map(|d| d.0)
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn canonical_text() {
        assert_eq!(d("3.50"), "3.5");
        assert_eq!(d("-0.0"), "0");
        assert_eq!(d("007.25"), "7.25");
        assert_eq!(d("1e3"), "1000");
        assert_eq!(d("1.5E-3"), "0.0015");
        assert_eq!(d("-12.5e1"), "-125");
        assert_eq!(d("0.000"), "0");
        assert_eq!(d("1."), "not a decimal number");
        assert_eq!(d(".5"), "not a decimal number");
        assert_eq!(d("1e"), "not a decimal number");
        assert_eq!(d("1e999999999999999999999"), d("1e5000"));
        assert!(d("1e5000").contains("at most"));
        assert_eq!(d("0e999999999999"), "0");
    }

    #[test]
    fn exact_order() {
        let c = |a: &str, b: &str| compare(&d(a), &d(b));
        assert_eq!(c("0.1", "0.10"), Ordering::Equal);
        assert_eq!(c("0.3", "0.30000000000000004"), Ordering::Less);
        assert_eq!(
            c("9007199254740993.0", "9007199254740992.0"),
            Ordering::Greater
        );
        assert_eq!(c("-1.5", "-1.25"), Ordering::Less);
        assert_eq!(c("-0.5", "0.25"), Ordering::Less);
        assert_eq!(c("10", "9.99"), Ordering::Greater);
        assert_eq!(compare_int(3, &d("3.0")), Ordering::Equal);
        assert_eq!(compare_int(-3, &d("-2.5")), Ordering::Less);
        assert_eq!(
            compare_int(i64::MIN, &d("-9223372036854775808.5")),
            Ordering::Greater
        );
        assert_eq!(compare_int(0, &d("-0.1")), Ordering::Greater);
    }
}
