//! Charges in credits for a call's usage (AI Puffer's `AIPKit_Charge_Calculator`).

use crate::usage::Usage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// Credits billed: the raw charge rounded up.
    pub credits: u64,
    /// `per_1k_tokens`, `flat`, `per_image`, `per_video` or `legacy_fallback`.
    pub billing_method: &'static str,
    /// The charge before rounding, six decimals.
    pub raw_charge: String,
    pub rule_id: Option<u64>,
}

/// Without a matching pricing rule, one credit per token (AI Puffer's legacy fallback).
pub fn charge(usage: &Usage) -> Charge {
    Charge {
        credits: usage.total,
        billing_method: "legacy_fallback",
        raw_charge: crate::money::Micros(i128::from(usage.total) * crate::money::SCALE).to_decimal_string(),
        rule_id: None,
    }
}
