//! The engine for JavaScript. Conversion only: JS values go through `JSON.stringify` into the
//! engine's JSON entry points and the answers come back through `JSON.parse`; every decision
//! lives in `aipuffer-engine`.

use js_sys::JSON;
use wasm_bindgen::prelude::*;

/// Advances one task by one step: `{task, site, context, call}` or `{state, …}` → a step object.
#[wasm_bindgen]
pub fn advance(input: JsValue) -> JsValue {
    object(aipuffer_engine::advance_json, &input)
}

/// `advance` on JSON text (what the PHP host sends the component), for hosts that hold text.
#[wasm_bindgen(js_name = advanceJson)]
pub fn advance_json(input: &str) -> String {
    aipuffer_engine::advance_json(input)
}

/// What a host read, prepared: `{site, directory, templates}`, or a fail step.
#[wasm_bindgen]
pub fn prepare(stored: JsValue) -> JsValue {
    object(aipuffer_engine::prepare_json, &stored)
}

#[wasm_bindgen(js_name = prepareJson)]
pub fn prepare_json(stored: &str) -> String {
    aipuffer_engine::prepare_json(stored)
}

/// What a host must read for `prepare`, and every sentence the engine can say.
#[wasm_bindgen]
pub fn manifest() -> JsValue {
    parse(&aipuffer_engine::manifest_json())
}

#[wasm_bindgen]
pub fn version() -> String {
    aipuffer_engine::VERSION.to_string()
}

/// Runs a JSON entry point on a JS value. A value `JSON.stringify` cannot write (undefined, a
/// cycle, a BigInt) is sent as `null`, which the engine answers with a fail step.
fn object(entry: fn(&str) -> String, input: &JsValue) -> JsValue {
    let text = JSON::stringify(input).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "null".to_string());
    parse(&entry(&text))
}

/// The engine always answers JSON; should parsing fail anyway, the text itself is returned.
fn parse(text: &str) -> JsValue {
    JSON::parse(text).unwrap_or_else(|_| JsValue::from_str(text))
}
