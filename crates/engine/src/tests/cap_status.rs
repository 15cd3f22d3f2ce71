//! Unit tests of the `cap_status` task.

use crate::tests::support;
use serde_json::{json, Value};

fn advance(input: Value) -> Value {
    serde_json::from_str(&crate::advance_json(&input.to_string())).unwrap()
}

#[test]
fn each_cap_says_how_much_of_it_is_used() {
    let site = json!({ "gmt_offset": 0, "caps": [
        { "caller": "seo-helper/seo-helper.php", "period": "day", "unit": "credits", "limit": "200" },
        { "caller": "", "period": "month", "unit": "usd", "limit": "0" }
    ] });
    let context = serde_json::to_value(support::context(1)).unwrap();
    let read = advance(json!({ "task": "cap_status", "site": site, "context": context }));
    assert_eq!(read["step"], "read");
    assert_eq!(read["locks"][0]["since"], "2026-11-24 00:00:00");
    let done = advance(json!({ "state": read["state"], "locked": [
        { "id": "cap-0", "found": true, "value": "170" }, { "id": "cap-1", "found": true, "value": null }
    ] }));
    assert_eq!(done["step"], "done");
    assert_eq!(done["result"][0]["percent"], 85);
    assert_eq!(done["result"][0]["level"], "warning");
    assert_eq!(done["result"][1]["level"], "reached");
    assert_eq!(done["result"][0]["spent"], "170 credits");
    assert_eq!(done["result"][1]["percent"], 100, "a cap of 0 is always reached");
    assert_eq!(done["result"][1]["limit"], "$0.00");
}

#[test]
fn no_caps_nothing_to_read() {
    let context = serde_json::to_value(support::context(1)).unwrap();
    let done = advance(json!({ "task": "cap_status", "site": {}, "context": context }));
    assert_eq!(done, json!({ "step": "done", "result": [] }));
}
