//! Runs the conformance vectors in `tests/vectors/` (shared with the Node and PHP hosts): each
//! step's output must equal the recorded expectation exactly. `BLESS=1 cargo test` records new
//! expectations — review the diff before committing it.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

#[test]
fn conformance_vectors() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut files: Vec<PathBuf> = fs::read_dir(vectors_dir())
        .expect("tests/vectors exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "expected the conformance vectors, found {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let mut vector: Value = serde_json::from_str(&fs::read_to_string(file).unwrap()).expect("vector is JSON");
        let mut input = match vector.get("raw_input").and_then(Value::as_str) {
            Some(raw) => Value::String(raw.to_string()),
            None => json!({ "snapshot": vector["snapshot"], "call": vector["call"] }),
        };
        let steps = vector["steps"].as_array_mut().expect("steps");
        for (i, step) in steps.iter_mut().enumerate() {
            let text = match &input {
                Value::String(raw) => raw.clone(),
                other => other.to_string(),
            };
            let output: Value = serde_json::from_str(&aipuffer_engine::advance_json(&text)).expect("engine answers JSON");
            if bless {
                step["expect"] = output.clone();
            } else if step["expect"] != output {
                failures.push(format!(
                    "{name} step {i}:\nexpected {}\n     got {}",
                    serde_json::to_string_pretty(&step["expect"]).unwrap(),
                    serde_json::to_string_pretty(&output).unwrap()
                ));
                break;
            }
            if let Some(responses) = step.get("responses") {
                input["state"] = output["state"].clone();
                input["responses"] = responses.clone();
            }
        }
        if bless {
            fs::write(file, serde_json::to_string_pretty(&vector).unwrap() + "\n").unwrap();
        }
    }
    assert!(failures.is_empty(), "{} vector(s) differ:\n{}", failures.len(), failures.join("\n\n"));
}
