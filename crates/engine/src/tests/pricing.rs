//! Unit and property tests of `pricing`; figures computed by hand from AI Puffer's formulas.

use super::*;
use proptest::prelude::*;
use serde_json::json;

fn rule(fields: serde_json::Value) -> PricingRule {
    let mut row = json!({
        "id": "1", "scope_type": "global", "scope_id": "0", "module": "chat", "provider": "openai",
        "model": "gpt-4.1", "operation": "chat", "billing_method": "per_1k_tokens",
        "input_rate": null, "output_rate": null, "unit_rate": null, "enabled": "1",
        "updated_at": "2026-11-01 10:00:00"
    });
    for (k, v) in fields.as_object().unwrap() {
        row[k] = v.clone();
    }
    serde_json::from_value(row).unwrap()
}

fn text() -> PricedAs {
    PricedAs { module: "chat", provider: "openai".into(), model: "gpt-4.1".into(), operation: "chat" }
}

#[test]
fn per_1k_tokens_bills_input_and_output_at_their_rates_rounded_up() {
    // 1234/1000 × 0.5 + 567/1000 × 1.5 = 0.617 + 0.8505 = 1.4675 → 2 credits.
    let r = rule(json!({"input_rate": "0.500000", "output_rate": "1.500000"}));
    let c = charge(Some(&r), &Usage::reported(1234, 567, None), 0);
    assert_eq!((c.credits, c.billing_method, c.raw_charge.as_str(), c.rule_id), (2, "per_1k_tokens", "1.467500", Some(1)));
}

#[test]
fn per_1k_tokens_bills_a_bare_total_as_input() {
    let r = rule(json!({"input_rate": "2", "output_rate": "100"}));
    let usage = Usage { total: 1500, ..Usage::default() };
    assert_eq!(charge(Some(&r), &usage, 0).raw_charge, "3.000000");
}

#[test]
fn tiny_rates_keep_every_digit() {
    // 1 token × 0.000001 per 1K = 0.000000001 credits: still one credit, and the raw charge exact.
    let r = rule(json!({"input_rate": "0.000001", "output_rate": "0"}));
    let c = charge(Some(&r), &Usage::reported(1, 0, None), 0);
    assert_eq!((c.credits, c.raw_charge.as_str()), (1, "0.000000001"));
}

#[test]
fn flat_is_the_unit_rate_whatever_the_usage() {
    let r = rule(json!({"billing_method": "flat", "unit_rate": "3.25"}));
    let c = charge(Some(&r), &Usage::reported(50_000, 9_000, None), 0);
    assert_eq!((c.credits, c.raw_charge.as_str()), (4, "3.250000"));
    // Without a unit rate AI Puffer bills the total.
    let r = rule(json!({"billing_method": "flat"}));
    assert_eq!(charge(Some(&r), &Usage::reported(10, 5, None), 0).credits, 15);
}

#[test]
fn per_image_multiplies_the_image_count() {
    let r = rule(json!({"billing_method": "per_image", "unit_rate": "0.75", "operation": "generate"}));
    let c = charge(Some(&r), &Usage::images(2, 2_000), 2);
    assert_eq!((c.credits, c.billing_method, c.raw_charge.as_str()), (2, "per_image", "1.500000"));
    // No count known: the total stands in (at least one).
    assert_eq!(charge(Some(&r), &Usage::default(), 0).raw_charge, "0.750000");
}

#[test]
fn no_rule_or_an_unknown_method_is_one_credit_a_token() {
    let usage = Usage::reported(20, 10, None);
    let c = charge(None, &usage, 0);
    assert_eq!((c.credits, c.billing_method, c.raw_charge.as_str(), c.rule_id), (30, "legacy_fallback", "30.000000", None));
    let r = rule(json!({"billing_method": "per_minute", "id": "9"}));
    let c = charge(Some(&r), &usage, 0);
    assert_eq!((c.credits, c.billing_method, c.rule_id), (30, "legacy_fallback", Some(9)));
}

#[test]
fn negative_or_unreadable_rates_charge_nothing_for_their_part() {
    let r = rule(json!({"input_rate": "-5", "output_rate": "1e3"}));
    assert_eq!(charge(Some(&r), &Usage::reported(1000, 1000, None), 0).credits, 0);
}

#[test]
fn the_module_scope_beats_the_global_one_and_the_newest_rule_wins_within_a_scope() {
    let rules = [
        rule(json!({"id": "1", "scope_type": "global"})),
        rule(json!({"id": "2", "scope_type": "module", "updated_at": "2026-11-01 10:00:00"})),
        rule(json!({"id": "3", "scope_type": "module", "updated_at": "2026-11-02 10:00:00"})),
        rule(json!({"id": "4", "scope_type": "module", "updated_at": "2026-11-03 10:00:00", "enabled": "0"})),
    ];
    assert_eq!(resolve(&rules, &text()).map(|r| r.id), Some(3));
    assert_eq!(resolve(&rules[..1], &text()).map(|r| r.id), Some(1));
    // Same update time: the higher id.
    let tied = [rule(json!({"id": "7"})), rule(json!({"id": "8"}))];
    assert_eq!(resolve(&tied, &text()).map(|r| r.id), Some(8));
}

#[test]
fn a_rule_must_match_every_column_and_belong_to_no_chatbot_or_form() {
    let priced = text();
    for other in [
        json!({"model": "gpt-4.1-mini"}),
        json!({"provider": "azure"}),
        json!({"module": "image_generator"}),
        json!({"operation": "generate"}),
        json!({"scope_type": "chatbot", "scope_id": "12"}),
    ] {
        assert_eq!(resolve(&[rule(other.clone())], &priced), None, "{other}");
    }
    // Case and an empty scope (AI Puffer's global) still match.
    let r = rule(json!({"provider": "OpenAI", "scope_type": ""}));
    assert_eq!(resolve(std::slice::from_ref(&r), &priced), Some(&r));
}

fn any_rule() -> impl Strategy<Value = PricingRule> {
    let method = prop_oneof![Just("per_1k_tokens"), Just("flat"), Just("per_image"), Just("per_video"), Just("other")];
    let rate = proptest::option::of(0i128..1_000_000_000_000);
    (method, rate.clone(), rate.clone(), rate).prop_map(|(m, i, o, u)| PricingRule {
        billing_method: m.into(),
        input_rate: i.map(Micros),
        output_rate: o.map(Micros),
        unit_rate: u.map(Micros),
        enabled: true,
        ..PricingRule::default()
    })
}

proptest! {
    #[test]
    fn charges_are_never_negative_and_grow_with_usage(
        r in proptest::option::of(any_rule()),
        input in 0u64..10_000_000, output in 0u64..10_000_000, extra in 0u64..1_000_000, units in 0u64..20,
    ) {
        let small = charge(r.as_ref(), &Usage::reported(input, output, None), units);
        let more_input = charge(r.as_ref(), &Usage::reported(input + extra, output, None), units);
        let more_output = charge(r.as_ref(), &Usage::reported(input, output + extra, None), units);
        prop_assert!(!small.raw_charge.starts_with('-'));
        prop_assert!(more_input.credits >= small.credits);
        prop_assert!(more_output.credits >= small.credits);
        // Credits are the raw charge rounded up: never below it, never a whole credit above.
        let raw = Micros::parse(&small.raw_charge[..small.raw_charge.find('.').unwrap() + 7]).unwrap();
        prop_assert!(i128::from(small.credits) >= raw.0 / 1_000_000);
        prop_assert!(i128::from(small.credits) <= raw.ceil_units() + 1);
    }

    #[test]
    fn six_decimal_amounts_round_trip_through_decimal_20_6(value in -99_999_999_999_999_999_999i128..99_999_999_999_999_999_999i128) {
        let text = Micros(value).to_decimal_string();
        prop_assert_eq!(Micros::parse(&text), Some(Micros(value)));
    }
}
