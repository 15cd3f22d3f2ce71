//! Bad input never traps: every prefix of real inputs, and inputs with bytes swapped for others,
//! give a JSON step (a deterministic stand-in for fuzzing that runs in every `cargo test`).

use serde_json::{json, Value};

fn inputs() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let vector: Value = serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        if vector.get("snapshot").is_none() {
            continue;
        }
        let mut input = json!({ "snapshot": vector["snapshot"], "call": vector["call"] });
        out.push(input.to_string());
        if let Some(step) = vector["steps"].get(0).filter(|s| s.get("responses").is_some()) {
            input["state"] = step["expect"]["state"].clone();
            input["responses"] = step["responses"].clone();
            out.push(input.to_string());
        }
    }
    out
}

fn assert_step(text: &str) {
    let out: Value = serde_json::from_str(&aipuffer_engine::advance_json(text)).expect("always JSON");
    let step = out["step"].as_str().expect("always a step");
    assert!(["http", "done", "fail"].contains(&step));
}

#[test]
fn every_prefix_of_a_real_input_is_answered() {
    for input in inputs() {
        for cut in (0..input.len()).step_by(7).filter(|i| input.is_char_boundary(*i)) {
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
        for _ in 0..300 {
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
    let deep_in_catalog = format!(r#"{{"snapshot":{{"catalogs":{{"x":{}1{}}}}},"call":{{}}}}"#, "[".repeat(5000), "]".repeat(5000));
    assert_step(&deep_in_catalog);
}
