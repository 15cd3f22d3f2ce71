//! What a call cost in US dollars, from a vendored public price list (LiteLLM's
//! `model_prices_and_context_window.json`, MIT; see `host-php/data/README.md`), in exact
//! arithmetic: prices are decimal USD per million tokens with at most six places, so a token
//! costs a whole number of pico-dollars. Cached input, cache writes and long-context tiers have
//! their own rates; reasoning tokens are output. A model the list does not know has no price —
//! never a guess.

use crate::price_list::{ModelPrice, Tier};
use crate::pricing_rules::PricedAs;
use crate::protocol::{Lock, Locked};
use crate::usage::Usage;

/// The id of the price read in `locks` and `locked`.
pub const PRICE_READ: &str = "price";

/// The entries of the list that may price a call, most specific first (the list keys most
/// providers' models by a `provider/` prefix; OpenAI's and Anthropic's by the bare id). `served`
/// is the model behind the call's model id where the connector says (an Azure deployment's):
/// its price comes first, since a deployment's name is the site's choice.
pub fn price_keys(priced: &PricedAs, served: Option<&str>) -> Vec<String> {
    let mut keys = served.filter(|model| *model != priced.model).map_or_else(Vec::new, |model| keys_of(&priced.provider, model));
    keys.extend(keys_of(&priced.provider, &priced.model));
    keys
}

fn keys_of(provider: &str, model: &str) -> Vec<String> {
    let prefixed = |prefix: &str| format!("{prefix}/{model}");
    match provider {
        "openai" => vec![model.to_string()],
        "claude" => vec![model.to_string(), prefixed("anthropic")],
        "google" => vec![prefixed("gemini"), model.to_string()],
        "azure" => vec![prefixed("azure"), model.to_string()],
        "deepseek" => vec![prefixed("deepseek"), model.to_string()],
        "xai" => vec![prefixed("xai"), model.to_string()],
        "ollama" => vec![prefixed("ollama")],
        // OpenRouter bills the upstream provider's list price: `openai/gpt-4o-mini` → `gpt-4o-mini`.
        "openrouter" => {
            let mut keys = vec![prefixed("openrouter")];
            keys.extend(model.split_once('/').map(|(_, bare)| bare.to_string()));
            keys
        }
        _ => Vec::new(),
    }
}

/// What recording reads for the dollar cost: the first of the call's price keys in the list.
pub fn price_read(priced: &PricedAs, served: Option<&str>) -> Lock {
    Lock::Price { id: PRICE_READ, keys: price_keys(priced, served) }
}

/// The price the host found, if any (a host without a price list answers "not found").
pub fn found_price(locked: &[Locked]) -> Option<ModelPrice> {
    let read = locked.iter().find(|l| l.id == PRICE_READ).filter(|l| l.found)?;
    crate::lenient::typed(&read.value)
}

/// A call's cost in pico-dollars (10⁻¹² USD); `None` when the price lacks a rate the usage needs.
pub fn cost(price: &ModelPrice, usage: &Usage) -> Option<i128> {
    let passes = |tier: &&Tier| if price.tier_inclusive { usage.input >= tier.above } else { usage.input > tier.above };
    let rates = price.tiers.iter().filter(passes).max_by_key(|t| t.above).map_or(&price.rates, |t| &t.rates);
    let input = rates.input.or(price.rates.input)?.0;
    let output = rates.output.or(price.rates.output)?.0;
    let cached = i128::from(usage.cached_input.unwrap_or(0).min(usage.input));
    let written = i128::from(usage.cache_write_input.unwrap_or(0)).min(i128::from(usage.input) - cached);
    let plain = i128::from(usage.input) - cached - written;
    let cache_read = rates.cache_read.or(price.rates.cache_read).map_or(input, |m| m.0);
    let cache_write = rates.cache_write.or(price.rates.cache_write).map_or(input, |m| m.0);
    Some(plain * input + cached * cache_read + written * cache_write + i128::from(usage.output) * output)
}

/// Pico-dollars as decimal USD with twelve places, trailing zeros kept to six (`0.000123`).
pub fn dollars(pico: i128) -> String {
    const PICO: i128 = 1_000_000_000_000;
    let text = format!("{}.{:012}", pico / PICO, pico % PICO);
    let keep = text.len() - text.bytes().rev().take(6).take_while(|b| *b == b'0').count();
    text[..keep].to_string()
}

#[cfg(test)]
#[path = "tests/usd.rs"]
mod tests;
