//! Unit tests of the `prompt` task's step machine, through JSON as hosts drive it.

use super::*;
use crate::tests::support;
use serde_json::{json, Value};

fn advance(input: Value) -> Value {
    serde_json::from_str(&crate::advance_json(&input.to_string())).unwrap()
}

fn site_json() -> Value {
    let stored = json!({
        "managed": true, "credentials": ["OpenAI"], "providers": { "OpenAI": {} },
        "catalogs": { "aipkit_openai_model_list": ["gpt-4.1-mini", "gpt-4o-mini"] },
    });
    let stored: crate::site::StoredSite = serde_json::from_value(stored).unwrap();
    serde_json::to_value(crate::catalog::prepare(&stored).site).unwrap()
}

fn start(user_id: u64, config: Value) -> Value {
    advance(json!({
        "task": "prompt",
        "site": site_json(),
        "context": serde_json::to_value(support::context(user_id)).unwrap(),
        "call": serde_json::to_value(support::call(config)).unwrap(),
    }))
}

fn answer(id: &str, text: &str, tokens: u64) -> Value {
    let body = json!({
        "status": "completed",
        "output": [{ "type": "message", "content": [{ "type": "output_text", "text": text }] }],
        "usage": { "input_tokens": tokens / 2, "output_tokens": tokens - tokens / 2, "total_tokens": tokens },
    });
    json!({ "id": id, "status": 200, "headers": {}, "body": body.to_string() })
}

fn server_error(id: &str) -> Value {
    json!({ "id": id, "status": 503, "headers": {}, "body": "{\"error\":{\"message\":\"overloaded\"}}" })
}

/// The continuation inside a step (it travels as JSON text).
fn state(step: &Value) -> Value {
    serde_json::from_str(step["state"].as_str().expect("a state")).unwrap()
}

fn resume(step: &Value, key: &str, value: Value) -> Value {
    advance(json!({ "state": step["state"], key: value }))
}

#[test]
fn requests_carry_ids_and_the_state_carries_the_route() {
    let step = start(0, json!({ "candidateCount": 2 }));
    assert_eq!(step["step"], "http");
    let ids: Vec<&str> = step["requests"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["1.1", "1.2"]);
    let generating = &state(&step)["prompt"]["generating"];
    assert_eq!(generating["target"]["connector"], "openai");
    assert_eq!(generating["target"]["model"]["id"], "gpt-4.1-mini");
    assert_eq!(generating["target"]["format"], "openai_responses");
    assert_eq!(generating["attempt"], 1);
}

#[test]
fn outcomes_are_matched_by_id_in_any_order_and_may_arrive_in_parts() {
    let step = start(0, json!({ "candidateCount": 2 }));
    let waiting = resume(&step, "outcomes", json!([answer("1.2", "second", 10)]));
    assert_eq!(waiting["step"], "http");
    assert_eq!(waiting["requests"], json!([]), "nothing new to send while one answer is out");
    let record = resume(&waiting, "outcomes", json!([answer("1.1", "first", 20)]));
    assert_eq!(record["step"], "record");
    let texts: Vec<&str> =
        record["result"]["candidates"].as_array().unwrap().iter().map(|c| c["message"]["parts"][0]["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["first", "second"], "candidates in request order");
    assert_eq!(record["result"]["tokenUsage"]["totalTokens"], 30);
}

#[test]
fn one_failed_candidate_does_not_discard_the_others() {
    let step = start(0, json!({ "candidateCount": 3 }));
    let record = resume(&step, "outcomes", json!([answer("1.1", "a", 10), server_error("1.2"), answer("1.3", "c", 12)]));
    assert_eq!(record["step"], "record");
    assert_eq!(record["result"]["candidates"].as_array().unwrap().len(), 2);
    assert_eq!(record["result"]["tokenUsage"]["totalTokens"], 22, "billed for the answers that came back");
}

#[test]
fn when_every_candidate_fails_the_first_failure_is_raised() {
    let step = start(0, json!({ "candidateCount": 2 }));
    let fail = resume(&step, "outcomes", json!([server_error("1.1"), server_error("1.2")]));
    assert_eq!(fail["step"], "fail");
    assert_eq!(fail["error"]["reason"], "provider_server_error");
    assert_eq!(fail["error"]["detail"]["params"]["text"], "overloaded");
}

#[test]
fn outcomes_for_unknown_or_answered_requests_are_refused() {
    let step = start(0, json!({}));
    assert_eq!(resume(&step, "outcomes", json!([answer("9.9", "x", 1)]))["error"]["reason"], "bad_input");
    let both = resume(&step, "outcomes", json!([answer("1.1", "x", 1), answer("1.1", "y", 1)]));
    assert_eq!(both["error"]["reason"], "bad_input");
    assert_eq!(resume(&step, "outcomes", json!([]))["error"]["reason"], "bad_input");
}

/// The first step of a prompt whose route has one fallback: the same connector, another model.
fn with_fallback(model: &str) -> Value {
    let call = support::call(json!({}));
    let first = support::target(json!({}), &call);
    let mut fallback = first.clone();
    fallback.model.id = model.into();
    let generating = Generating {
        context: support::context(0),
        target: first,
        fallback: vec![fallback],
        attempt: 0,
        failed_attempts: Vec::new(),
        call: None,
        summary: call.summary(),
        timeout: 30.0,
        slots: Vec::new(),
    };
    serde_json::to_value(generating.send(call).unwrap()).unwrap()
}

#[test]
fn a_transient_failure_moves_on_to_the_next_route() {
    let step = with_fallback("gpt-4o-mini");
    assert!(state(&step)["prompt"]["generating"]["call"].is_object(), "the call is kept while a fallback may need it");
    let next = resume(&step, "outcomes", json!([server_error("1.1")]));
    assert_eq!(next["step"], "http");
    assert_eq!(next["requests"][0]["id"], "2.1");
    assert!(next["requests"][0]["body"].as_str().unwrap().contains("\"model\":\"gpt-4o-mini\""));
    assert!(state(&next)["prompt"]["generating"].get("call").is_none(), "no route left that would need it");
    let record = resume(&next, "outcomes", json!([answer("2.1", "from the fallback", 8)]));
    assert_eq!(record["result"]["modelMetadata"]["id"], "gpt-4o-mini", "the result names the model that answered");
}

#[test]
fn a_refused_key_is_not_retried_elsewhere() {
    let step = with_fallback("gpt-4.1-mini");
    let refused = json!({ "id": "1.1", "status": 401, "headers": {}, "body": "{}" });
    assert_eq!(resume(&step, "outcomes", json!([refused]))["error"]["reason"], "provider_refused_key");
}

fn recorded(user_id: u64) -> Value {
    let step = start(user_id, json!({}));
    resume(&step, "outcomes", json!([answer("1.1", "Hello", 30)]))
}

#[test]
fn the_result_comes_before_the_bookkeeping_with_the_locks_to_take() {
    let record = recorded(7);
    assert_eq!(record["step"], "record");
    assert_eq!(record["result"]["candidates"][0]["message"]["parts"][0]["text"], "Hello");
    assert_eq!(record["locks"][0], json!({ "lock": "user_meta", "id": "balance", "user_id": 7, "key": "_aipkit_token_balance" }));
    assert_eq!(record["locks"][1]["lock"], "pricing_rules");
    assert_eq!(record["locks"][1]["module"], "chat");
    assert!(state(&record)["prompt"]["recording"].is_object());
    assert_eq!(record["locks"][2]["lock"], "price");
    assert_eq!(recorded(0)["locks"].as_array().unwrap().len(), 2, "a guest: only the rules and the price are read");
}

/// The host's read of `aipkit_pricing_rules`: no rule for the call.
fn no_rules() -> Value {
    json!({ "id": "pricing_rules", "found": true, "value": [] })
}

fn written(user_id: u64, balance: Value) -> Value {
    resume(&recorded(user_id), "locked", json!([{ "id": "balance", "found": true, "value": balance }, no_rules()]))
}

#[test]
fn writes_are_decided_on_the_locked_balance() {
    let write = written(7, json!("100"));
    assert_eq!(write["step"], "write");
    let kinds: Vec<&str> = write["writes"].as_array().unwrap().iter().map(|w| w["write"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["insert", "user_meta", "insert"]);
    assert_eq!(write["writes"][1]["value"], "70");
    assert_eq!(write["writes"][1]["expect"], "100");
}

#[test]
fn acks_decide_what_a_collision_means() {
    let write = written(7, json!("100"));
    let done = resume(&write, "acks", json!(["duplicate"]));
    assert_eq!(done, json!({ "step": "done" }), "the ledger entry exists: recorded before, charge nothing");
    let retry = resume(&write, "acks", json!(["applied", "conflict"]));
    assert_eq!(retry["step"], "retry");
    assert_eq!(retry["locks"][0]["id"], "balance");
    assert_eq!(state(&retry)["prompt"]["recording"]["conflicts"], 1);
    assert_eq!(resume(&write, "acks", json!(["applied", "applied", "duplicate"]))["step"], "done");
    assert_eq!(resume(&write, "acks", json!(["applied", "applied", "applied"]))["step"], "done");
    let refused = resume(&write, "acks", json!(["conflict"]));
    assert_eq!(refused["error"]["reason"], "recording_refused");
    assert_eq!(resume(&write, "acks", json!(["applied"]))["error"]["reason"], "bad_input");
    assert_eq!(resume(&write, "acks", json!(["applied", "applied", "applied", "applied"]))["error"]["reason"], "bad_input");
}

#[test]
fn a_balance_that_keeps_changing_ends_in_a_recording_failure() {
    let mut write = written(7, json!("100"));
    for round in 1..MAX_CONFLICTS {
        let retry = resume(&write, "acks", json!(["applied", "conflict"]));
        assert_eq!(retry["step"], "retry", "round {round}");
        write = resume(&retry, "locked", json!([{ "id": "balance", "found": true, "value": "90" }, no_rules()]));
        assert_eq!(write["writes"][1]["expect"], "90", "decided again on the new value");
    }
    let fail = resume(&write, "acks", json!(["applied", "conflict"]));
    assert_eq!(fail["error"]["reason"], "recording_conflict");
    assert!(fail["error"]["message"].as_str().unwrap().contains("6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"));
}

#[test]
fn a_task_and_a_state_together_are_refused() {
    let step = start(0, json!({}));
    let both = advance(json!({ "task": "prompt", "state": step["state"] }));
    assert_eq!(both["error"]["reason"], "bad_input");
    assert_eq!(advance(json!({}))["error"]["reason"], "bad_input");
    assert_eq!(
        advance(json!({ "task": "sync_models", "site": {} }))["error"]["reason"],
        "bad_input",
        "a sync needs its context and connector"
    );
}

#[test]
fn a_preview_shows_the_route_requests_and_estimate_and_sends_nothing() {
    let preview = advance(json!({
        "task": "preview",
        "site": site_json(),
        "call": serde_json::to_value(support::call(json!({ "maxTokens": 100 }))).unwrap(),
    }));
    assert_eq!(preview["step"], "done");
    let result = &preview["result"];
    assert_eq!((result["connector"].as_str(), result["model"]["id"].as_str()), (Some("openai"), Some("gpt-4.1-mini")));
    assert_eq!(result["requests"][0]["url"], "https://api.openai.com/v1/responses");
    assert_eq!(result["requests"][0]["credential"]["name"], "Authorization");
    assert_eq!(result["estimated_usage"]["output"], 100);
    assert_eq!(result["estimated_credits"], result["estimated_usage"]["total"]);
}
