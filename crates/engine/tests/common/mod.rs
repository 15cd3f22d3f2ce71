//! What the robustness and fuzzing tests feed the engine: every input a host sends while driving
//! the conformance vectors, and the check that an answer is one well-formed step.

use serde_json::{json, Value};

/// Every input a host sends while driving the vectors: each `prepare`, each task start and each
/// resume, as the text a host sends.
pub fn inputs() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let vector: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let Some(start) = vector.get("start") else { continue };
        let mut input = start.clone();
        if let Some(stored) = vector.get("stored") {
            out.push(stored.to_string());
            let prepared: Value = serde_json::from_str(&aipuffer_engine::prepare_json(&stored.to_string())).unwrap();
            input["site"] = prepared["site"].clone();
        }
        for step in vector["steps"].as_array().unwrap() {
            let text = input.to_string();
            let output: Value = serde_json::from_str(&aipuffer_engine::advance_json(&text)).unwrap();
            out.push(text);
            let Some(resume) = step.get("resume").and_then(Value::as_object) else { break };
            input = json!({ "state": output["state"] });
            for (key, value) in resume {
                input[key] = value.clone();
            }
        }
    }
    out
}

const STEPS: [&str; 8] = ["read", "http", "record", "store", "write", "retry", "done", "fail"];

/// `advance` answers one well-formed step, whatever the input; returns it.
pub fn advance_step(text: &str) -> Value {
    let out: Value = serde_json::from_str(&aipuffer_engine::advance_json(text)).expect("advance always answers JSON");
    let step = out["step"].as_str().expect("always a step");
    assert!(STEPS.contains(&step), "unknown step {step}");
    if step == "fail" {
        assert!(out["error"]["code"].is_string() && out["error"]["message"].is_string(), "a fail step carries the error: {out}");
    }
    if ["read", "http", "record", "store", "write", "retry"].contains(&step) {
        assert!(out["state"].is_string(), "a step to resume carries its state: {step}");
    }
    out
}

/// `prepare` answers a site or a fail step, whatever the input.
pub fn assert_prepared(text: &str) {
    let prepared: Value = serde_json::from_str(&aipuffer_engine::prepare_json(text)).expect("prepare always answers JSON");
    assert!(prepared.get("site").is_some() || prepared["step"] == "fail", "prepare answered {prepared}");
}
