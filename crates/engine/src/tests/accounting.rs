//! Unit tests of `accounting` (kept out of the module file so it reads as the product code).

use super::*;

#[test]
fn debit_takes_what_the_balance_has() {
    assert_eq!(debit(Some("100"), 30), Debit { before: 100, deducted: 30, after: 70 });
    assert_eq!(debit(Some("10"), 30), Debit { before: 10, deducted: 10, after: 0 });
    assert_eq!(debit(Some("12.9"), 5), Debit { before: 12, deducted: 5, after: 7 });
    assert_eq!(debit(Some("-4"), 5), Debit { before: 0, deducted: 0, after: 0 });
    assert_eq!(debit(Some("lots"), 5), Debit { before: 0, deducted: 0, after: 0 });
    assert_eq!(debit(None, 5), Debit { before: 0, deducted: 0, after: 0 });
}

mod writes {
    use super::super::*;
    use crate::protocol::{Lock, Locked, Write};
    use crate::reply::{Candidate, FinishReason};
    use crate::tests::support;
    use serde_json::{json, Value};

    fn writes_for(user_id: u64, total: u64, locked: &[Locked]) -> Result<(Vec<Write>, Vec<Purpose>), crate::Failure> {
        writes_with(user_id, Usage::reported(total / 2, total - total / 2, Some(total)), locked)
    }

    fn writes_with(user_id: u64, usage: Usage, locked: &[Locked]) -> Result<(Vec<Write>, Vec<Purpose>), crate::Failure> {
        writes_of(&support::call(json!({})), user_id, usage, locked)
    }

    fn writes_of(
        call: &crate::call::Call,
        user_id: u64,
        usage: Usage,
        locked: &[Locked],
    ) -> Result<(Vec<Write>, Vec<Purpose>), crate::Failure> {
        let context = support::context(user_id);
        let target = support::target(json!({}), call);
        let summary = call.summary();
        let candidates = [Candidate::text("Hello".into(), FinishReason::Stop)];
        text_writes(
            &TextCall {
                context: &context,
                target: &target,
                summary: &summary,
                candidates: &candidates,
                usage: &usage,
                failed_attempts: &[],
            },
            locked,
        )
    }

    fn rules(rows: Value) -> Locked {
        Locked { id: "pricing_rules".into(), found: true, value: rows }
    }

    fn balance(found: bool, value: Value) -> Vec<Locked> {
        vec![Locked { id: "balance".into(), found, value }, rules(json!([]))]
    }

    fn target() -> Target {
        support::target(json!({}), &support::call(json!({})))
    }

    #[test]
    fn a_users_balance_is_locked_and_the_rules_for_the_call_read() {
        let target = target();
        let rules_read = Lock::PricingRules {
            id: "pricing_rules",
            module: "chat",
            provider: target.connector.internal.to_ascii_lowercase(),
            model: target.model.id.clone(),
            operation: "chat",
        };
        let price_read = Lock::Price { id: "price", keys: vec![target.model.id.clone()] };
        assert_eq!(
            locks(&support::context(7), &target),
            vec![Lock::UserMeta { id: "balance", user_id: 7, key: "_aipkit_token_balance" }, rules_read.clone(), price_read.clone()]
        );
        assert_eq!(locks(&support::context(0), &target), vec![rules_read, price_read]);
    }

    #[test]
    fn an_azure_deployment_reads_the_price_of_the_model_it_serves() {
        // Synced deployments are named "deployment (model)"; the pricing rule still matches the
        // deployment (the model AI Puffer records), the dollar price the model it serves.
        let site = support::site(json!({
            "managed": true,
            "credentials": ["Azure"],
            "providers": { "Azure": { "endpoint": "https://contoso.openai.azure.com" } },
            "catalogs": { "aipkit_azure_deployment_list": [{ "id": "prod", "name": "prod (gpt-4o-mini)" }] },
        }));
        let call: crate::call::Call = serde_json::from_value(json!({
            "capability": "text_generation", "provider": "azure", "model": "prod",
            "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }],
        }))
        .unwrap();
        let target = crate::route::resolve(&site, &call).unwrap();
        let read = locks(&support::context(0), &target);
        assert!(matches!(&read[0], Lock::PricingRules { model, .. } if model == "prod"), "{read:?}");
        assert_eq!(
            read[1],
            Lock::Price { id: "price", keys: vec!["azure/gpt-4o-mini".into(), "gpt-4o-mini".into(), "azure/prod".into(), "prod".into()] }
        );
    }

    #[test]
    fn the_rule_read_in_the_transaction_prices_the_ledger_row() {
        let target = target();
        let row = json!({
            "id": "12", "scope_type": "module", "scope_id": "0", "module": "chat",
            "provider": target.connector.internal.to_ascii_lowercase(), "model": target.model.id,
            "operation": "chat", "billing_method": "per_1k_tokens", "input_rate": "2.000000",
            "output_rate": "10.000000", "unit_rate": null, "enabled": "1", "updated_at": "2026-11-30 09:00:00"
        });
        // 500 input × 2/1K + 500 output × 10/1K = 1 + 5 = 6 credits.
        let locked = [Locked { id: "balance".into(), found: true, value: json!("100") }, rules(json!([row]))];
        let (writes, _) = writes_for(7, 1000, &locked).unwrap();
        let ledger = serde_json::to_value(&writes[0]).unwrap();
        assert_eq!(ledger["row"]["credits_delta"], -6);
        assert_eq!(ledger["row"]["meta"]["resolved_rule_id"], 12);
        assert_eq!(ledger["row"]["meta"]["billing_method"], "per_1k_tokens");
        assert_eq!(ledger["row"]["meta"]["raw_charge"], "6.000000");
        assert_eq!(ledger["row"]["meta"]["used_legacy_fallback"], false);
        assert_eq!(ledger["row"]["meta"]["usd_cost"], Value::Null, "no price read: no dollar cost");
        assert_eq!(writes[1], Write::UserMeta { user_id: 7, key: BALANCE_META_KEY, value: "94".into(), expect: Some("100".into()) });
    }

    #[test]
    fn the_price_found_in_the_list_gives_the_dollar_cost_and_names_its_entry() {
        let price = json!({ "key": "gpt-4.1-mini", "source": "litellm 1.110.2", "input": "0.4", "output": "1.6" });
        let locked = [rules(json!([])), Locked { id: "price".into(), found: true, value: price }];
        let (writes, _) = writes_for(0, 1000, &locked).unwrap();
        let meta = &serde_json::to_value(&writes[0]).unwrap()["row"]["meta"];
        // 500 × $0.40 + 500 × $1.60 per 1M = $0.001.
        assert_eq!(meta["usd_cost"], "0.001000");
        assert_eq!(meta["usd_price"], json!({ "key": "gpt-4.1-mini", "source": "litellm 1.110.2" }));
    }

    #[test]
    fn an_estimated_usage_gets_no_dollar_cost_a_reported_cost_wins() {
        let price = json!({ "key": "gpt-4.1-mini", "source": "litellm 1.110.2", "input": "0.4", "output": "1.6" });
        let locked = [rules(json!([])), Locked { id: "price".into(), found: true, value: price }];
        let estimated = Usage { estimated: true, ..Usage::reported(500, 500, None) };
        let (writes, _) = writes_with(0, estimated, &locked).unwrap();
        let meta = &serde_json::to_value(&writes[0]).unwrap()["row"]["meta"];
        assert_eq!((meta["usd_cost"].clone(), meta.get("usd_price")), (Value::Null, None), "no price on a guess");
        let reported = Usage { reported_cost: Some(2_500_000), ..Usage::reported(500, 500, None) };
        let (writes, _) = writes_with(0, reported, &locked).unwrap();
        let meta = &serde_json::to_value(&writes[0]).unwrap()["row"]["meta"];
        assert_eq!(meta["usd_cost"], "0.0000025");
        assert_eq!(meta["usd_price"]["key"], "usage.cost");
    }

    #[test]
    fn without_a_rules_table_the_legacy_fallback_prices() {
        let locked = [Locked { id: "pricing_rules".into(), found: false, value: Value::Null }];
        let (writes, _) = writes_for(0, 30, &locked).unwrap();
        let ledger = serde_json::to_value(&writes[0]).unwrap();
        assert_eq!(ledger["row"]["meta"]["billing_method"], "legacy_fallback");
        assert_eq!(ledger["row"]["meta"]["billed_credits"], 30);
    }

    #[test]
    fn recording_without_the_rules_read_is_refused() {
        let locked = [Locked { id: "balance".into(), found: true, value: json!("100") }];
        assert_eq!(writes_for(7, 30, &locked).unwrap_err().reason, crate::messages::Reason::BadInput);
    }

    #[test]
    fn the_debit_is_decided_on_the_locked_balance() {
        let (writes, purposes) = writes_for(7, 30, &balance(true, json!("1000"))).unwrap();
        assert_eq!(purposes, [Purpose::LedgerEntry, Purpose::BalanceDebit, Purpose::ConversationLog]);
        assert_eq!(writes[1], Write::UserMeta { user_id: 7, key: BALANCE_META_KEY, value: "970".into(), expect: Some("1000".into()) });
        let ledger = serde_json::to_value(&writes[0]).unwrap();
        assert_eq!(ledger["row"]["credits_delta"], -30);
        assert_eq!(ledger["row"]["meta"]["balance_before"], 1000);
        assert_eq!(ledger["row"]["meta"]["balance_after"], 970);
    }

    #[test]
    fn a_balance_that_does_not_change_is_not_written() {
        let (_, purposes) = writes_for(7, 0, &balance(true, json!("1000"))).unwrap();
        assert_eq!(purposes, [Purpose::LedgerEntry, Purpose::ConversationLog]);
    }

    #[test]
    fn a_missing_balance_is_written_as_zero_like_ai_puffer_does() {
        let (writes, _) = writes_for(7, 30, &balance(true, Value::Null)).unwrap();
        assert_eq!(writes[1], Write::UserMeta { user_id: 7, key: BALANCE_META_KEY, value: "0".into(), expect: None });
    }

    #[test]
    fn a_deleted_user_is_recorded_without_a_debit() {
        let (_, purposes) = writes_for(7, 30, &balance(false, Value::Null)).unwrap();
        assert_eq!(purposes, [Purpose::LedgerEntry, Purpose::ConversationLog]);
    }

    #[test]
    fn a_user_without_a_locked_balance_is_refused() {
        let failure = writes_for(7, 30, &[rules(json!([]))]).unwrap_err();
        assert_eq!(failure.reason, crate::messages::Reason::BadInput);
    }

    #[test]
    fn a_guest_gets_a_ledger_entry_and_a_log() {
        let (writes, purposes) = writes_for(0, 30, &[rules(json!([]))]).unwrap();
        assert_eq!(purposes, [Purpose::LedgerEntry, Purpose::ConversationLog]);
        let ledger = serde_json::to_value(&writes[0]).unwrap();
        assert_eq!(ledger["row"]["session_id"], "wp-ai-client-system");
        assert_eq!(ledger["row"]["credits_delta"], 0);
        assert_eq!(ledger["row"]["idempotency_key"], "wp-ai-client-6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b");
    }

    #[test]
    fn the_log_names_the_files_a_prompt_carried_never_their_data() {
        // Image refinement: a text and the image to change, then a turn with only a linked file.
        let call: crate::call::Call = serde_json::from_value(json!({
            "capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
            "messages": [
                { "role": "user", "parts": [
                    { "type": "text", "text": " Make it blue " },
                    { "type": "file", "file": { "mimeType": "image/png", "base64Data": "A".repeat(4096) } },
                ] },
                { "role": "model", "parts": [{ "type": "text", "text": "Done." }] },
                { "role": "user", "parts": [{ "type": "file", "file": { "mimeType": "application/pdf", "url": "https://example.com/a.pdf" } }] },
            ],
        }))
        .unwrap();
        let (writes, _) = writes_of(&call, 0, Usage::reported(10, 5, None), &[rules(json!([]))]).unwrap();
        let log = serde_json::to_value(&writes[1]).unwrap();
        let turns = &log["row"]["messages"]["messages"];
        assert_eq!(turns[0]["content"], "Make it blue [image: image/png, 3 KB]");
        let transcript: Vec<&str> =
            turns[1]["request_payload"]["messages"].as_array().unwrap().iter().map(|m| m["content"].as_str().unwrap()).collect();
        assert_eq!(transcript, ["Make it blue [image: image/png, 3 KB]", "Done.", "[file: application/pdf]"]);
        assert!(!log.to_string().contains("AAAA"), "no file data in the log");
    }
}
