//! Exact decimal amounts. Rates are stored as DECIMAL(20,6); they are held here as integer
//! millionths, so every charge is computed without floating point.

/// An amount in millionths of a credit (or of any unit priced at 6 decimals).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Micros(pub i128);

pub const SCALE: i128 = 1_000_000;

impl Micros {
    /// Parses `"12"`, `"0.002"`, `"-1.5"`, `" 3.000000 "`; more than six decimals, exponents or
    /// anything else is `None` (a rate that can't be read exactly is not guessed at).
    pub fn parse(text: &str) -> Option<Self> {
        parse_scaled(text, 6).map(Micros)
    }

    /// The smallest whole number ≥ this amount (charges round up).
    pub fn ceil_units(self) -> i128 {
        self.0.div_euclid(SCALE) + i128::from(self.0.rem_euclid(SCALE) != 0)
    }

    /// Six-decimal text, as DECIMAL(20,6) prints it.
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:06}", abs / SCALE as u128, abs % SCALE as u128)
    }
}

/// Decimal text as a whole number of 10^-`places` units (`"0.25"`, 12 → 250_000_000_000): at
/// most `places` decimals and 20 whole digits; exponents or anything else is `None`.
pub fn parse_scaled(text: &str, places: usize) -> Option<i128> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > places
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || whole.len() > 20
    {
        return None;
    }
    let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction: i128 = if places == 0 { 0 } else { format!("{fraction:0<places$}").parse().ok()? };
    let value = whole.checked_mul(10i128.checked_pow(u32::try_from(places).ok()?)?)?.checked_add(fraction)?;
    Some(if negative { -value } else { value })
}

/// Like `parse_scaled`, and also scientific notation (`1.5e-05`, as JSON writes small numbers):
/// exact, or `None` when the value needs more than `places` decimals.
pub fn parse_exact(text: &str, places: usize) -> Option<i128> {
    let text = text.trim();
    let Some((mantissa, exponent)) = text.split_once(['e', 'E']) else {
        return parse_scaled(text, places);
    };
    let exponent: i32 = exponent.parse().ok()?;
    let (negative, digits) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    // The number is `whole fraction` × 10^(exponent − fraction length): scale it to `places`.
    let shift = i64::try_from(places).ok()? + i64::from(exponent) - i64::try_from(fraction.len()).ok()?;
    let significand = parse_scaled(&format!("{whole}{fraction}"), 0)?;
    let value = if shift >= 0 {
        significand.checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?)?
    } else {
        let divisor = 10i128.checked_pow(u32::try_from(-shift).ok()?)?;
        if significand % divisor != 0 {
            return None;
        }
        significand / divisor
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
#[path = "tests/money.rs"]
mod tests;
