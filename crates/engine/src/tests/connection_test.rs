//! The `connection_test` task through JSON, as the settings screen's *Test connection* drives it.

use serde_json::{json, Value};

fn advance(input: Value) -> Value {
    serde_json::from_str(&crate::advance_json(&input.to_string())).unwrap()
}

/// A site whose OpenAI connector has a key and two models, with AI Puffer managing or not.
fn site(managed: bool, saved_model: &str, credentials: &[&str]) -> Value {
    let stored = json!({
        "managed": managed, "credentials": credentials, "providers": { "OpenAI": { "model": saved_model } },
        "catalogs": { "aipkit_openai_model_list": ["gpt-4.1-mini", "gpt-4o-mini"] },
    });
    let stored: crate::site::StoredSite = serde_json::from_value(stored).unwrap();
    serde_json::to_value(crate::catalog::prepare(&stored).site).unwrap()
}

fn start(site: Value) -> Value {
    advance(json!({ "task": "connection_test", "site": site, "connector": "openai" }))
}

fn answer(status: u16, body: Value) -> Value {
    json!({ "id": "1.1", "status": status, "headers": {}, "body": body.to_string() })
}

#[test]
fn sends_one_small_request_to_the_saved_model_before_management_is_on() {
    let step = start(site(false, "gpt-4o-mini", &["OpenAI"]));
    assert_eq!(step["step"], "http", "{step}");
    let requests = step["requests"].as_array().unwrap();
    assert_eq!(requests.len(), 1);
    let body: Value = serde_json::from_str(requests[0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["model"], "gpt-4o-mini");
    assert_eq!(body["max_output_tokens"], 32);
    assert_eq!(requests[0]["credential"]["provider"], "OpenAI");
}

#[test]
fn uses_the_first_model_when_the_saved_one_is_not_listed() {
    let step = start(site(true, "gpt-retired", &["OpenAI"]));
    let body: Value = serde_json::from_str(step["requests"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["model"], "gpt-4.1-mini");
}

#[test]
fn reports_the_answer_and_usage() {
    let step = start(site(false, "", &["OpenAI"]));
    let body = json!({
        "status": "completed",
        "output": [{ "type": "message", "content": [{ "type": "output_text", "text": " OK\n" }] }],
        "usage": { "input_tokens": 12, "output_tokens": 1, "total_tokens": 13 },
    });
    let done = advance(json!({ "state": step["state"], "outcomes": [answer(200, body)] }));
    assert_eq!(done["step"], "done", "{done}");
    assert_eq!(done["result"]["connector"], "openai");
    assert_eq!(done["result"]["model"], "gpt-4.1-mini");
    assert_eq!(done["result"]["answer"], "OK");
    assert_eq!(done["result"]["usage"]["total"], 13);
}

#[test]
fn a_refused_key_is_the_providers_actionable_error() {
    let step = start(site(false, "", &["OpenAI"]));
    let body = json!({ "error": { "message": "Incorrect API key provided: sk-wr***ng.", "type": "invalid_request_error" } });
    let failed = advance(json!({ "state": step["state"], "outcomes": [answer(401, body)] }));
    assert_eq!(failed["step"], "fail", "{failed}");
    assert_eq!(failed["error"]["status"], 401);
    assert!(failed["error"]["message"].as_str().unwrap().contains("API key"), "{failed}");
}

#[test]
fn a_connector_without_a_key_says_what_to_store() {
    let failed = start(site(false, "", &[]));
    assert_eq!(failed["step"], "fail");
    assert_eq!(failed["error"]["reason"], "not_configured", "{failed}");
}

#[test]
fn an_unknown_connector_or_a_missing_name_is_refused() {
    let failed = advance(json!({ "task": "connection_test", "site": site(true, "", &["OpenAI"]), "connector": "nope" }));
    assert_eq!(failed["error"]["reason"], "unknown_connector");
    let failed = advance(json!({ "task": "connection_test", "site": site(true, "", &["OpenAI"]) }));
    assert_eq!(failed["step"], "fail");
}
