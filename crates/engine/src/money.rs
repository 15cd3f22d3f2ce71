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
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        if whole.is_empty() && fraction.is_empty()
            || fraction.len() > 6
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || whole.len() > 20
        {
            return None;
        }
        let whole: i128 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let fraction: i128 = format!("{fraction:0<6}").parse().ok()?;
        let value = whole * SCALE + fraction;
        Some(Micros(if negative { -value } else { value }))
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

#[cfg(test)]
#[path = "tests/money.rs"]
mod tests;
