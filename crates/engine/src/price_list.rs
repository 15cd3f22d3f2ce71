//! A model's entry in the vendored price list (see `usd`): decimal USD per million tokens, as the
//! host found it (`host-php/data/prices.php`) or as the admin preview's snapshot carries it.

use serde::Deserialize;

use crate::money::Micros;

/// One model's prices as the vendored list stores them: decimal USD per million tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ModelPrice {
    /// The list entry the host found (`gemini/gemini-2.5-flash`).
    #[serde(default)]
    pub key: String,
    /// The list and its version (`litellm 1.110.2`).
    #[serde(default)]
    pub source: String,
    #[serde(default, flatten)]
    pub rates: Rates,
    /// Long-context tiers: above `above` prompt tokens every rate switches, for the whole call.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// xAI switches at ≥ `above` rather than > `above`.
    #[serde(default)]
    pub tier_inclusive: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Rates {
    #[serde(default, deserialize_with = "rate")]
    pub input: Option<Micros>,
    #[serde(default, deserialize_with = "rate")]
    pub output: Option<Micros>,
    #[serde(default, deserialize_with = "rate")]
    pub cache_read: Option<Micros>,
    #[serde(default, deserialize_with = "rate")]
    pub cache_write: Option<Micros>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Tier {
    pub above: u64,
    #[serde(flatten)]
    pub rates: Rates,
}

/// A price: a decimal that is not negative.
fn rate<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Micros>, D::Error> {
    Ok(crate::lenient::decimal(d)?.filter(|m| m.0 >= 0))
}
