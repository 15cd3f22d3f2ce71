//! The wasm-bindgen binding, run inside Node by wasm-bindgen-test-runner: JS values in and out,
//! and no exception or trap for any input.

use js_sys::JSON;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn from_json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn to_json(value: JsValue) -> serde_json::Value {
    serde_json::from_str(&JSON::stringify(&value).unwrap().as_string().unwrap()).unwrap()
}

const STORED: &str = r#"{"managed": true, "credentials": ["OpenAI"],
  "providers": {"OpenAI": {"model": "gpt-4.1-mini"}},
  "catalogs": {"aipkit_openai_model_list": ["gpt-4.1-mini"]}}"#;

const CALL: &str = r#"{"capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
  "messages": [{"role": "user", "parts": [{"type": "text", "text": "Hi"}]}]}"#;

fn start_input() -> String {
    let prepared = to_json(aipuffer_js::prepare(from_json(STORED)));
    format!(r#"{{"task": "prompt", "site": {}, "context": {{"now": 1795500000, "request_id": "r-1"}}, "call": {CALL}}}"#, prepared["site"])
}

#[wasm_bindgen_test]
fn prepare_then_advance_take_and_return_plain_objects() {
    let step = to_json(aipuffer_js::advance(from_json(&start_input())));
    assert_eq!(step["step"], "http");
    assert_eq!(step["requests"][0]["id"], "1.1");
    assert_eq!(step["requests"][0]["url"], "https://api.openai.com/v1/responses");
    assert_eq!(step["requests"][0]["credential"]["provider"], "OpenAI");
}

#[wasm_bindgen_test]
fn the_json_text_api_gives_the_same_step() {
    // Both through JS numbers (`30.0` is `30` there), as a JS host sees them.
    let from_text = to_json(from_json(&aipuffer_js::advance_json(&start_input())));
    let from_object = to_json(aipuffer_js::advance(from_json(&start_input())));
    assert_eq!(from_text, from_object);
}

#[wasm_bindgen_test]
fn unreadable_values_become_fail_steps() {
    for value in [JsValue::UNDEFINED, JsValue::NULL, JsValue::from_f64(1.5), JsValue::from_str("x")] {
        let step = to_json(aipuffer_js::advance(value));
        assert_eq!(step["step"], "fail");
        assert_eq!(step["error"]["code"], "prompt_invalid_argument");
        assert_eq!(step["error"]["reason"], "bad_input");
    }
}

#[wasm_bindgen_test]
fn the_manifest_names_what_to_read_and_every_sentence() {
    let manifest = to_json(aipuffer_js::manifest());
    assert_eq!(manifest["protocol"], 2);
    assert_eq!(manifest["settings"]["OpenAI"][0], "model");
    assert!(manifest["messages"]["provider_server_error"].as_str().unwrap().contains("{provider}"));
}
