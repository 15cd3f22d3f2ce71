//! AI Puffer's pricing rules as `{prefix}aipkit_pricing_rules` stores them. Rows come from SQL
//! (every value a string) or from the admin preview (numbers); a value of the wrong shape reads
//! as "not set", and a rate that is not an exact decimal of at most six places reads as no rate.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::lenient;
use crate::money::Micros;

pub const PRICING_RULES_TABLE: &str = "aipkit_pricing_rules";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PricingRule {
    #[serde(default, deserialize_with = "whole_number")]
    pub id: u64,
    /// `global`, `module`, or a specific scope (`chatbot`, `ai_form`) with its `scope_id`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub scope_type: String,
    #[serde(default, deserialize_with = "whole_number")]
    pub scope_id: u64,
    #[serde(default, deserialize_with = "lenient::string")]
    pub module: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub provider: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub model: String,
    #[serde(default, deserialize_with = "lenient::string")]
    pub operation: String,
    /// `per_1k_tokens`, `flat`, `per_image`, `per_video`; anything else bills as the fallback.
    #[serde(default, deserialize_with = "lenient::string")]
    pub billing_method: String,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub input_rate: Option<Micros>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub output_rate: Option<Micros>,
    #[serde(default, deserialize_with = "lenient::decimal")]
    pub unit_rate: Option<Micros>,
    #[serde(default, deserialize_with = "lenient::flag")]
    pub enabled: bool,
    /// `Y-m-d H:i:s`: the newest rule of a scope wins, as in AI Puffer.
    #[serde(default, deserialize_with = "lenient::string")]
    pub updated_at: String,
}

/// What a call is priced as: the columns a rule must match exactly.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PricedAs {
    /// AI Puffer's pricing module: `chat` for text, `image_generator` for images.
    pub module: &'static str,
    /// AI Puffer's provider key (`openai`, `claude`, …).
    pub provider: String,
    pub model: String,
    /// AI Puffer's pricing operation: `chat` for text, `generate` for images.
    pub operation: &'static str,
}

/// `"12"`, `12` → 12; anything else (`null`, `""`, `"-1"`) → 0.
fn whole_number<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(lenient::scalar_text(&Value::deserialize(d)?).trim().parse().unwrap_or(0))
}
