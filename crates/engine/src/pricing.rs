//! Charges in credits for a call's usage: which pricing rule applies (AI Puffer's
//! `AIPKit_Price_Resolver`) and what it charges (`AIPKit_Charge_Calculator`), in exact
//! arithmetic where AI Puffer uses floats.

use crate::money::Micros;
use crate::pricing_rules::{PricedAs, PricingRule};
use crate::usage::Usage;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    /// Credits billed: the raw charge rounded up.
    pub credits: u64,
    /// `per_1k_tokens`, `flat`, `per_image`, `per_video` or `legacy_fallback`.
    pub billing_method: &'static str,
    /// The charge before rounding, exact (six decimals or more).
    pub raw_charge: String,
    /// The rule that priced the call; none for the legacy fallback without a rule.
    pub rule_id: Option<u64>,
}

/// The scopes a WP AI Client call is priced in, most specific first: it belongs to no chatbot
/// or form, so AI Puffer's lookup starts at the module scope, then the global one.
const SCOPES: [&str; 2] = ["module", "global"];

/// The enabled rule that prices `priced`: the first scope with a match wins, and within a scope
/// the most recently updated rule (then the highest id), as AI Puffer orders them. Columns match
/// exactly, ignoring ASCII case as MySQL's default collation does.
pub fn resolve<'a>(rules: &'a [PricingRule], priced: &PricedAs) -> Option<&'a PricingRule> {
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    SCOPES.iter().find_map(|scope| {
        rules
            .iter()
            .filter(|r| {
                let scope_type = if r.scope_type.trim().is_empty() { "global" } else { r.scope_type.as_str() };
                r.enabled
                    && same(scope_type, scope)
                    && r.scope_id == 0
                    && same(&r.module, priced.module)
                    && same(&r.provider, &priced.provider)
                    && same(&r.model, &priced.model)
                    && same(&r.operation, priced.operation)
            })
            .max_by(|a, b| (&a.updated_at, a.id).cmp(&(&b.updated_at, b.id)))
    })
}

/// Amounts are computed in billionths of a credit: rates have six decimals and per-1K pricing
/// divides by a thousand, so every charge is an integer here.
const NANOS: i128 = 1_000_000_000;

/// What `rule` charges for `usage`; `units` is the number of images (or videos) the call made.
/// Without a rule — or with a billing method AI Puffer does not know — one credit per token.
pub fn charge(rule: Option<&PricingRule>, usage: &Usage, units: u64) -> Charge {
    let total = i128::from(usage.total);
    let rate = |r: Option<Micros>| r.map_or(0, |m| m.0.max(0));
    let (billing_method, nanos) = match rule.map(|r| (r, r.billing_method.trim())) {
        Some((r, "per_1k_tokens")) => {
            // Only a total known: AI Puffer bills it as input.
            let (input, output) = match (usage.input, usage.output) {
                (0, 0) => (total, 0),
                (i, o) => (i128::from(i), i128::from(o)),
            };
            ("per_1k_tokens", input.saturating_mul(rate(r.input_rate)).saturating_add(output.saturating_mul(rate(r.output_rate))))
        }
        Some((r, "flat")) => ("flat", r.unit_rate.map_or(total.saturating_mul(NANOS), |m| rate(Some(m)).saturating_mul(1000))),
        Some((r, method @ ("per_image" | "per_video"))) => {
            let count = if units > 0 { i128::from(units) } else { total.max(1) };
            (if method == "per_image" { "per_image" } else { "per_video" }, count.saturating_mul(rate(r.unit_rate)).saturating_mul(1000))
        }
        _ => ("legacy_fallback", total.saturating_mul(NANOS)),
    };
    let credits = nanos.div_euclid(NANOS) + i128::from(nanos.rem_euclid(NANOS) != 0);
    Charge { credits: u64::try_from(credits).unwrap_or(u64::MAX), billing_method, raw_charge: decimal(nanos), rule_id: rule.map(|r| r.id) }
}

/// Billionths as decimal text with at least six places (`1.467500`, `0.0000005`).
fn decimal(nanos: i128) -> String {
    let text = format!("{}.{:09}", nanos / NANOS, nanos % NANOS);
    let keep = text.len() - text.bytes().rev().take(3).take_while(|b| *b == b'0').count();
    text[..keep].to_string()
}

#[cfg(test)]
#[path = "tests/pricing.rs"]
mod tests;
