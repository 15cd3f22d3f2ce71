//! Unit tests of `usd`: figures computed by hand from the list's per-million prices.

use super::*;
use crate::price_list::Rates;
use serde_json::json;

fn price(entry: serde_json::Value) -> ModelPrice {
    serde_json::from_value(entry).unwrap()
}

fn priced(provider: &str, model: &str) -> PricedAs {
    PricedAs { module: "chat", provider: provider.into(), model: model.into(), operation: "chat" }
}

#[test]
fn input_and_output_at_their_rates() {
    // gpt-4.1-mini: $0.40 / $1.60 per 1M. 1,234 in + 567 out = 0.0004936 + 0.0009072 = $0.0014008.
    let p = price(json!({"key": "gpt-4.1-mini", "source": "litellm 1.110.2", "input": "0.4", "output": "1.6"}));
    let cost = cost(&p, &Usage::reported(1234, 567, None)).unwrap();
    assert_eq!(cost, 1_400_800_000);
    assert_eq!(dollars(cost), "0.0014008");
}

#[test]
fn cached_input_and_cache_writes_have_their_own_rates() {
    // claude-sonnet-4-5: $3 in, $15 out, $0.30 cache read, $3.75 cache write per 1M.
    // 10,000 in of which 6,000 read from cache and 2,000 written: 2,000 × 3 + 6,000 × 0.3 + 2,000 × 3.75
    // = 6,000 + 1,800 + 7,500 = 15,300 µ$ … per 1M → $0.0153; 500 out × 15 → $0.0075.
    let p = price(json!({"input": "3", "output": "15", "cache_read": "0.3", "cache_write": "3.75"}));
    let usage = Usage { cached_input: Some(6000), cache_write_input: Some(2000), ..Usage::reported(10_000, 500, None) };
    assert_eq!(dollars(cost(&p, &usage).unwrap()), "0.022800");
    // Without a cache rate, cached tokens are plain input.
    let plain = price(json!({"input": "3", "output": "15"}));
    assert_eq!(dollars(cost(&plain, &usage).unwrap()), "0.037500");
}

#[test]
fn a_long_prompt_switches_every_rate_to_the_tier() {
    let p = price(json!({"input": "1.25", "output": "10", "tiers": [{"above": 200000, "input": "2.5", "output": "15"}]}));
    assert_eq!(dollars(cost(&p, &Usage::reported(200_000, 1000, None)).unwrap()), "0.260000", "at the threshold: base rates");
    assert_eq!(dollars(cost(&p, &Usage::reported(200_001, 1000, None)).unwrap()), "0.5150025");
    let inclusive = ModelPrice { tier_inclusive: true, ..p };
    assert_eq!(dollars(cost(&inclusive, &Usage::reported(200_000, 1000, None)).unwrap()), "0.515000", "xAI: from the threshold on");
}

#[test]
fn no_price_is_no_guess() {
    assert_eq!(cost(&price(json!({"output": "1.6"})), &Usage::reported(1, 1, None)), None);
    assert_eq!(found_price(&[]), None);
    let not_found = [Locked { id: PRICE_READ.into(), found: false, value: serde_json::Value::Null }];
    assert_eq!(found_price(&not_found), None);
    // A rate with more than six decimals or negative is not a rate.
    assert_eq!(price(json!({"input": "0.0000001", "output": "-1"})).rates, Rates::default());
}

#[test]
fn keys_follow_the_lists_naming_per_provider() {
    assert_eq!(price_keys(&priced("openai", "gpt-4.1-mini"), None), ["gpt-4.1-mini"]);
    assert_eq!(price_keys(&priced("google", "gemini-2.5-flash"), None), ["gemini/gemini-2.5-flash", "gemini-2.5-flash"]);
    assert_eq!(price_keys(&priced("openrouter", "openai/gpt-4o-mini"), None), ["openrouter/openai/gpt-4o-mini", "gpt-4o-mini"]);
    assert_eq!(price_keys(&priced("ollama", "llama3"), None), ["ollama/llama3"]);
}

#[test]
fn an_azure_deployment_is_priced_as_the_model_it_serves_first() {
    // A deployment named by the site ("prod") serving gpt-4o-mini: the served model's entries
    // come first, then the deployment's own name (a deployment named after its model).
    assert_eq!(price_keys(&priced("azure", "prod"), Some("gpt-4o-mini")), ["azure/gpt-4o-mini", "gpt-4o-mini", "azure/prod", "prod"]);
    // A deployment named "gpt-4o" that serves gpt-4o-mini is priced as gpt-4o-mini.
    assert_eq!(price_keys(&priced("azure", "gpt-4o"), Some("gpt-4o-mini"))[0], "azure/gpt-4o-mini");
    assert_eq!(price_keys(&priced("azure", "gpt-4o"), Some("gpt-4o")), ["azure/gpt-4o", "gpt-4o"], "no key twice");
}

#[test]
fn dollars_keep_six_places_at_least() {
    assert_eq!(dollars(0), "0.000000");
    assert_eq!(dollars(1), "0.000000000001");
    assert_eq!(dollars(1_500_000_000_000), "1.500000");
}
