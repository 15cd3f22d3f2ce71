//! The engine for JavaScript. Conversion only: JS values ⇄ the engine's types through
//! serde-wasm-bindgen, or JSON text straight through. Every decision lives in `aipuffer-engine`.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use aipuffer_engine::{AdvanceInput, Snapshot};

/// Advances one call by one step: `{snapshot, call, state?, responses?}` → a step object.
#[wasm_bindgen]
pub fn advance(input: JsValue) -> JsValue {
    let step = match serde_wasm_bindgen::from_value::<AdvanceInput>(input) {
        Ok(input) => aipuffer_engine::advance(&input),
        Err(e) => aipuffer_engine::bad_input(&e),
    };
    to_js(&step)
}

/// The providers and models offered for a snapshot object.
#[wasm_bindgen]
pub fn describe(snapshot: JsValue) -> JsValue {
    match serde_wasm_bindgen::from_value::<Snapshot>(snapshot) {
        Ok(snapshot) => to_js(&aipuffer_engine::catalog::describe(&snapshot)),
        Err(e) => to_js(&aipuffer_engine::bad_input(&e)),
    }
}

/// `advance` on JSON text (what the PHP host sends the component), for hosts that hold text.
#[wasm_bindgen(js_name = advanceJson)]
pub fn advance_json(input: &str) -> String {
    aipuffer_engine::advance_json(input)
}

#[wasm_bindgen]
pub fn version() -> String {
    aipuffer_engine::VERSION.to_string()
}

/// Plain JS objects (not `Map`s) for JSON objects, so results read like parsed JSON.
fn to_js<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or_else(|e| JsValue::from_str(&format!("engine could not encode its answer: {e}")))
}
