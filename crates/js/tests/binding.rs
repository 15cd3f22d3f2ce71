//! The wasm-bindgen binding, run inside Node by wasm-bindgen-test-runner: JS values in and out,
//! and no exception or trap for any input.

use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

/// What `JSON.parse` would give, built through serde-wasm-bindgen (no js-sys dependency).
fn from_json(text: &str) -> JsValue {
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    serde::Serialize::serialize(&value, &serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

fn to_json(value: JsValue) -> serde_json::Value {
    serde_wasm_bindgen::from_value(value).unwrap()
}

const INPUT: &str = r#"{
  "snapshot": {"now": 1795500000, "request_id": "r-1", "managed": true, "credentials": ["OpenAI"],
    "options": {"providers": {"OpenAI": {"model": "gpt-4.1-mini"}}},
    "catalogs": {"aipkit_openai_model_list": ["gpt-4.1-mini"]}},
  "call": {"capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
    "messages": [{"role": "user", "parts": [{"type": "text", "text": "Hi"}]}]}
}"#;

#[wasm_bindgen_test]
fn advance_takes_and_returns_plain_objects() {
    let step = to_json(aipuffer_js::advance(from_json(INPUT)));
    assert_eq!(step["step"], "http");
    assert_eq!(step["requests"][0]["url"], "https://api.openai.com/v1/responses");
    assert_eq!(step["requests"][0]["auth"]["provider"], "OpenAI");
}

#[wasm_bindgen_test]
fn advance_json_matches_advance() {
    let from_text: serde_json::Value = serde_json::from_str(&aipuffer_js::advance_json(INPUT)).unwrap();
    let from_object = to_json(aipuffer_js::advance(from_json(INPUT)));
    // Numbers cross JS as f64, so compare what the host acts on rather than number types.
    for key in ["url", "body", "method", "auth"] {
        assert_eq!(from_text["requests"][0][key], from_object["requests"][0][key], "{key}");
    }
    assert_eq!(from_text["state"], from_object["state"]);
}

#[wasm_bindgen_test]
fn unreadable_values_become_fail_steps() {
    for value in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_f64(1.5), JsValue::from_str("x")] {
        let step = to_json(aipuffer_js::advance(value));
        assert_eq!(step["step"], "fail");
        assert_eq!(step["error"]["code"], "prompt_invalid_argument");
    }
}

#[wasm_bindgen_test]
fn describe_lists_connectors() {
    let input: serde_json::Value = serde_json::from_str(INPUT).unwrap();
    let described = to_json(aipuffer_js::describe(from_json(&input["snapshot"].to_string())));
    assert_eq!(described["providers"][0]["id"], "openai");
    assert_eq!(described["providers"][0]["models"][0]["id"], "gpt-4.1-mini");
}
