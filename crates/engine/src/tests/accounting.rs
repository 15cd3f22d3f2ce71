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
        let call = support::call(json!({}));
        let context = support::context(user_id);
        let target = support::target(json!({}), &call);
        let summary = call.summary();
        let candidates = [Candidate::text("Hello".into(), FinishReason::Stop)];
        let usage = Usage::reported(total / 2, total - total / 2, Some(total));
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

    fn balance(found: bool, value: Value) -> Vec<Locked> {
        vec![Locked { id: "balance".into(), found, value }]
    }

    #[test]
    fn a_users_balance_is_locked_a_guests_nothing() {
        assert_eq!(locks(&support::context(7)), vec![Lock::UserMeta { id: "balance", user_id: 7, key: "_aipkit_token_balance" }]);
        assert!(locks(&support::context(0)).is_empty());
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
        let failure = writes_for(7, 30, &[]).unwrap_err();
        assert_eq!(failure.reason, crate::messages::Reason::BadInput);
    }

    #[test]
    fn a_guest_gets_a_ledger_entry_and_a_log() {
        let (writes, purposes) = writes_for(0, 30, &[]).unwrap();
        assert_eq!(purposes, [Purpose::LedgerEntry, Purpose::ConversationLog]);
        let ledger = serde_json::to_value(&writes[0]).unwrap();
        assert_eq!(ledger["row"]["session_id"], "wp-ai-client-system");
        assert_eq!(ledger["row"]["credits_delta"], 0);
        assert_eq!(ledger["row"]["idempotency_key"], "wp-ai-client-6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b");
    }
}
