//! Unit tests of `providers/openai` (kept out of the module file so it reads as the product code).

use super::*;
use crate::failure::Code;
use crate::tests::support;
use serde_json::json;

fn requests(openai: Value, config: Value) -> Result<Vec<HttpRequest>, Failure> {
    let call = support::call(config);
    crate::providers::text_requests(&support::target(openai, &call), &call)
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn responses_mode_sends_one_request_per_candidate() {
    let sent = requests(json!({}), json!({ "candidateCount": 3 })).unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| r.url == "https://api.openai.com/v1/responses"));
    assert!(sent.iter().all(|r| r.max_response_bytes == crate::providers::TEXT_RESPONSE_LIMIT && !r.local));
}

#[test]
fn chat_completions_mode_asks_for_n_candidates_at_once() {
    let sent = requests(json!({ "api_mode": "chat_completions" }), json!({ "candidateCount": 3, "stopSequences": ["END"] })).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "https://api.openai.com/v1/chat/completions");
    assert_eq!(body(&sent[0])["n"], 3);
    assert_eq!(body(&sent[0])["stop"], json!(["END"]));
}

#[test]
fn json_schema_output_uses_each_apis_own_format() {
    let schema = json!({ "type": "object" });
    let responses = requests(json!({}), json!({ "outputSchema": schema, "outputMimeType": "application/json" })).unwrap();
    assert_eq!(body(&responses[0])["text"]["format"]["type"], "json_schema");
    assert!(body(&responses[0])["instructions"].as_str().unwrap().contains("JSON Schema"));
    let chat = requests(json!({ "api_mode": "chat_completions" }), json!({ "outputMimeType": "application/json" })).unwrap();
    assert_eq!(body(&chat[0])["response_format"], json!({ "type": "json_object" }));
}

#[test]
fn custom_options_cannot_replace_the_model_or_the_prompt() {
    let sent = requests(json!({}), json!({ "customOptions": { "model": "other", "input": [], "seed": 7 } })).unwrap();
    let b = body(&sent[0]);
    assert_eq!(b["model"], "gpt-4.1-mini");
    assert_eq!(b["seed"], 7);
    assert_eq!(b["input"][0]["content"][0]["text"], "Hi");
}

#[test]
fn the_version_is_not_doubled_and_custom_versions_are_kept() {
    let sent = requests(json!({ "base_url": "https://gw.example/openai/v1/" }), json!({})).unwrap();
    assert_eq!(sent[0].url, "https://gw.example/openai/v1/responses");
    let sent = requests(json!({ "base_url": "https://gw.example", "api_version": "v2" }), json!({})).unwrap();
    assert_eq!(sent[0].url, "https://gw.example/v2/responses");
}

#[test]
fn the_key_is_never_in_the_request_only_where_it_goes() {
    let sent = requests(json!({ "api_key": "sk-should-not-be-here" }), json!({})).unwrap();
    let text = serde_json::to_string(&sent).unwrap();
    assert!(!text.contains("sk-should-not-be-here"));
    let credential = sent[0].credential.as_ref().unwrap();
    assert_eq!(
        (credential.provider, credential.placement, credential.name, credential.prefix),
        ("OpenAI", Placement::Header, "Authorization", "Bearer ")
    );
}

#[test]
fn only_images_can_be_attached() {
    let call: Call = serde_json::from_value(json!({
        "capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
        "messages": [{ "role": "user", "parts": [{ "type": "file", "file": { "mimeType": "application/pdf", "base64Data": "JVBERi0=" } }] }],
    }))
    .unwrap();
    let failure = crate::providers::text_requests(&support::target(json!({}), &call), &call).unwrap_err();
    assert_eq!(failure.code, Code::PromptInvalidArgument);
    assert_eq!(failure.reason, Reason::FileNotImage);
    assert!(failure.message.contains("application/pdf"));
}
