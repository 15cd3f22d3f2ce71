//! Token usage: what providers report, normalized, and AI Puffer's estimate when they report none.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ai_client::TokenUsage;
use crate::call::CallSummary;

/// What an image in a prompt is estimated to cost in input tokens, whatever its size: about what
/// providers count for one at the size they scale images to (Anthropic ≈1,600 at its
/// 1.15-megapixel limit; OpenAI 765–1,105 at high detail; Gemini 258 per 768-pixel tile). The
/// engine never decodes an image to measure it.
pub const IMAGE_INPUT_TOKENS: u64 = 1_600;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub input: u64,
    pub output: u64,
    pub total: u64,
    /// Reasoning tokens, a subset of `output` (the AI Client's `thoughtTokens`).
    pub thought: Option<u64>,
    /// Input tokens served from the provider's prompt cache, a subset of `input`.
    pub cached_input: Option<u64>,
    /// Input tokens written to the provider's prompt cache (billed at their own rate by some
    /// providers, e.g. Anthropic), a subset of `input`.
    #[serde(default)]
    pub cache_write_input: Option<u64>,
    /// True when the provider reported nothing and the numbers are AI Puffer's estimate.
    pub estimated: bool,
    /// What the provider says the call cost, in pico-dollars (10⁻¹² USD), where it says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_cost: Option<u64>,
}

impl Usage {
    /// From provider counts; a missing or zero total is the sum.
    pub fn reported(input: u64, output: u64, total: Option<u64>) -> Self {
        let total = total.filter(|t| *t > 0).unwrap_or(input.saturating_add(output));
        Self { input, output, total, ..Self::default() }
    }

    pub fn add(self, other: Self) -> Self {
        let sum = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
        };
        Self {
            input: self.input.saturating_add(other.input),
            output: self.output.saturating_add(other.output),
            total: self.total.saturating_add(other.total),
            thought: sum(self.thought, other.thought),
            cached_input: sum(self.cached_input, other.cached_input),
            cache_write_input: sum(self.cache_write_input, other.cache_write_input),
            estimated: self.estimated || other.estimated,
            // Only a cost every part reported is the call's cost.
            reported_cost: self.reported_cost.zip(other.reported_cost).map(|(a, b)| a.saturating_add(b)),
        }
    }

    /// AI Puffer's estimate for a response without usage, per candidate: input =
    /// max(⌈chars/4⌉, ⌈words × 1.35⌉) over the prompt's text, plus `IMAGE_INPUT_TOKENS` for each
    /// image it carries (AI Puffer counts text only); output = the requested max tokens (or 1000).
    pub fn estimate(call: &CallSummary, candidates: u64) -> Self {
        let text: String = call.turns.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("\n");
        let chars = text.chars().count() as u64;
        let words = text.split_whitespace().count() as u64;
        let text_tokens = chars.div_ceil(4).max((words * 135).div_ceil(100));
        let input = text_tokens.saturating_add(Self::image_input_estimate(call)).saturating_mul(candidates);
        let output = u64::from(call.max_tokens.unwrap_or(1000)).saturating_mul(candidates);
        Self { input, output, total: input.saturating_add(output), estimated: true, ..Self::default() }
    }

    /// The part of the estimate's input, per candidate, that is the prompt's images.
    pub fn image_input_estimate(call: &CallSummary) -> u64 {
        let images = call.turns.iter().flat_map(|t| &t.files).filter(|f| f.is_image()).count() as u64;
        images.saturating_mul(IMAGE_INPUT_TOKENS)
    }

    /// AI Puffer's billing fallback for images the provider reported no usage for: so many units
    /// an image (`ImageFeatures::units_per_image`).
    pub fn images(count: u64, units_per_image: u64) -> Self {
        let units = count.saturating_mul(units_per_image);
        Self { output: units, total: units, estimated: true, ..Self::default() }
    }

    /// `TokenUsage::toArray()`.
    pub fn token_usage(&self) -> TokenUsage {
        TokenUsage { prompt_tokens: self.input, completion_tokens: self.output, total_tokens: self.total, thought_tokens: self.thought }
    }
}

/// Where a wire format keeps its token counts (JSON paths into the response body).
pub struct UsageFields {
    pub input: &'static [&'static str],
    pub output: &'static [&'static str],
    pub total: &'static [&'static str],
    pub thought: &'static [&'static str],
    pub cached_input: &'static [&'static str],
}

impl UsageFields {
    /// The usage a provider reported, or None when it sent no input count.
    pub fn read(&self, body: &Value) -> Option<Usage> {
        let input = count_at(body, self.input)?;
        let output = count_at(body, self.output).unwrap_or(0);
        let mut usage = Usage::reported(input, output, count_at(body, self.total));
        usage.thought = count_at(body, self.thought);
        usage.cached_input = count_at(body, self.cached_input);
        Some(usage)
    }
}

/// A non-negative integer at `path` in a provider body (`usage.input_tokens`), if present.
pub fn count_at(body: &Value, path: &[&str]) -> Option<u64> {
    let mut v = body;
    for key in path {
        v = v.get(key)?;
    }
    v.as_u64().or_else(|| v.as_f64().filter(|f| f.is_finite() && *f >= 0.0).map(|f| f as u64))
}

#[cfg(test)]
#[path = "tests/usage.rs"]
mod tests;
