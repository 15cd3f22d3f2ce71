//! Unit tests of the `adjust_balance` task: store, write, and what each ack means.

use crate::tests::support;
use serde_json::{json, Value};

fn advance(input: Value) -> Value {
    serde_json::from_str(&crate::advance_json(&input.to_string())).unwrap()
}

fn started() -> Value {
    let context = serde_json::to_value(support::context(1)).unwrap();
    advance(json!({ "task": "adjust_balance", "context": context, "adjustment": { "user_id": 7, "credits": 40, "note": "" } }))
}

#[test]
fn it_stores_on_the_locked_balance_and_settles_by_the_acks() {
    let store = started();
    assert_eq!(store["step"], "store");
    assert_eq!(store["result"], json!({ "user_id": 7, "credits": 40, "note": "" }));
    assert_eq!(store["locks"], json!([{ "lock": "user_meta", "id": "balance", "user_id": 7, "key": "_aipkit_token_balance" }]));

    let write = advance(json!({ "state": store["state"], "locked": [{ "id": "balance", "found": true, "value": "10" }] }));
    assert_eq!(write["step"], "write");
    assert_eq!(write["writes"][1]["value"], "50");

    assert_eq!(advance(json!({ "state": write["state"], "acks": ["duplicate"] }))["step"], "done", "sent twice: adjusted once");
    let retry = advance(json!({ "state": write["state"], "acks": ["applied", "conflict"] }));
    assert_eq!(retry["step"], "retry");
    let again = advance(json!({ "state": retry["state"], "locked": [{ "id": "balance", "found": true, "value": "15" }] }));
    assert_eq!(again["writes"][1]["value"], "55", "decided again on the new balance");
}

#[test]
fn nothing_to_change_is_refused() {
    let context = serde_json::to_value(support::context(1)).unwrap();
    let step = advance(json!({ "task": "adjust_balance", "context": context, "adjustment": { "user_id": 7, "credits": 0 } }));
    assert_eq!(step["error"]["reason"], "bad_input");
}
