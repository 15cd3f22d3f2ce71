//! Bad input never traps: every prefix of real inputs, and inputs with bytes swapped for others,
//! give a JSON step (a deterministic stand-in for fuzzing that runs in every `cargo test`).

use serde_json::{json, Value};

/// Every input a host sends while driving the vectors: each task start and each resume.
fn inputs() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let vector: Value = serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        let (Some(stored), Some(start)) = (vector.get("stored"), vector.get("start")) else { continue };
        out.push(aipuffer_engine::prepare_json(&stored.to_string()));
        let prepared: Value = serde_json::from_str(&out[out.len() - 1]).unwrap();
        let mut input = start.clone();
        input["site"] = prepared["site"].clone();
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

fn assert_step(text: &str) {
    let out: Value = serde_json::from_str(&aipuffer_engine::advance_json(text)).expect("always JSON");
    let step = out["step"].as_str().expect("always a step");
    assert!(["read", "http", "record", "store", "write", "retry", "done", "fail"].contains(&step), "{step}");
    // prepare reads the same text as a stored site: it answers too, whatever the input.
    let prepared: Value = serde_json::from_str(&aipuffer_engine::prepare_json(text)).expect("always JSON");
    assert!(prepared.get("site").is_some() || prepared["step"] == "fail");
}

#[test]
fn every_prefix_of_a_real_input_is_answered() {
    for input in inputs() {
        // About 200 cuts per input, at least 7 bytes apart: every part of every input is cut
        // somewhere without the run growing with the number of vectors' bytes.
        for cut in (0..input.len()).step_by((input.len() / 200).max(7)).filter(|i| input.is_char_boundary(*i)) {
            assert_step(&input[..cut]);
        }
    }
}

#[test]
fn mutated_inputs_are_answered() {
    // xorshift: deterministic, no dependency.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let replacements = ["", "null", "-1", "1e309", "\"\"", "[]", "{}", "true", "\"\\u0000\"", "99999999999999999999"];
    for input in inputs() {
        for _ in 0..100 {
            let mut text = input.clone();
            let at = (next() as usize) % text.len();
            let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            let end = (at + (next() as usize % 12)).min(text.len());
            let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            text.replace_range(at..end, replacements[next() as usize % replacements.len()]);
            assert_step(&text);
        }
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_step(&deep);
    let deep_in_catalog = format!(r#"{{"catalogs":{{"aipkit_openai_model_list":{}1{}}}}}"#, "[".repeat(5000), "]".repeat(5000));
    assert_step(&deep_in_catalog);
}
