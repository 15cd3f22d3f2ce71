//! Unit tests of `adjustments`: decided on the locked balance, never below zero, keyed once.

use super::*;
use crate::tests::support;
use serde_json::{json, Value};

fn balance(found: bool, value: Value) -> Vec<Locked> {
    vec![Locked { id: "balance".into(), found, value }]
}

fn adjust(credits: i64) -> Adjustment {
    Adjustment { user_id: 7, credits, note: "Welcome bonus".into() }
}

fn admin() -> Context {
    support::context(1)
}

#[test]
fn credits_are_added_with_a_ledger_row_naming_the_administrator() {
    let writes = writes(&adjust(250), &admin(), &balance(true, json!("100"))).unwrap();
    let row = serde_json::to_value(&writes[0]).unwrap()["row"].clone();
    assert_eq!(row["user_id"], 7);
    assert_eq!((row["entry_type"].as_str(), row["credits_delta"].as_i64()), (Some("adjustment"), Some(250)));
    assert_eq!((row["reference_type"].as_str(), row["reference_id"].as_str()), (Some("admin"), Some("1")));
    assert_eq!(row["idempotency_key"], "wp-ai-client-adjust-6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b");
    assert_eq!(row["meta"]["balance_before"], 100);
    assert_eq!(row["meta"]["balance_after"], 350);
    assert_eq!(row["meta"]["note"], "Welcome bonus");
    assert_eq!(writes[1], Write::UserMeta { user_id: 7, key: BALANCE_META_KEY, value: "350".into(), expect: Some("100".into()) });
}

#[test]
fn a_deduction_stops_at_zero_and_the_row_says_what_was_taken() {
    let writes = writes(&adjust(-500), &admin(), &balance(true, json!("120"))).unwrap();
    let row = serde_json::to_value(&writes[0]).unwrap()["row"].clone();
    assert_eq!(row["credits_delta"], -120);
    assert_eq!(row["meta"]["requested_credits"], -500);
    assert_eq!(writes[1], Write::UserMeta { user_id: 7, key: BALANCE_META_KEY, value: "0".into(), expect: Some("120".into()) });
}

#[test]
fn a_missing_user_is_refused_and_nothing_read_is_a_host_error() {
    assert_eq!(writes(&adjust(5), &admin(), &balance(false, Value::Null)).unwrap_err().reason, Reason::UserNotFound);
    assert_eq!(writes(&adjust(5), &admin(), &[]).unwrap_err().reason, Reason::BadInput);
}
