//! Runs the conformance vectors in `tests/vectors/` (shared with the Node and PHP hosts): each
//! step's output must equal the recorded expectation exactly. `BLESS=1 cargo test` records new
//! expectations — review the diff before committing it.
//!
//! A vector: `stored` (what a host reads from WordPress; `prepare` turns it into the site the
//! task starts with), `start` (the task, context and call) or `raw_input` (text sent as is), and
//! `steps`, each with the `expect`ed step and what the host `resume`s with. A vector with
//! `prepared` also checks `prepare`'s whole answer.
//!
//! Each vector runs three times, and each must give the recorded steps: with the site snapshot
//! and each state sent first, as hosts write them (the engine takes what it kept without reading
//! it, `site_memo` and `state_memo`); sent after the other fields (kept, found by the field's
//! parser); and with each state escaped differently (so the engine parses it).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/vectors")
}

fn prepare(stored: &Value) -> Value {
    serde_json::from_str(&aipuffer_engine::prepare_json(&stored.to_string())).expect("prepare answers JSON")
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
    assert!(files.len() >= 20, "expected the conformance vectors, found {}", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let mut vector: Value = serde_json::from_str(&fs::read_to_string(file).unwrap()).expect("vector is JSON");
        let prepared = vector.get("stored").map(prepare);
        if let (Some(expected), Some(got)) = (vector.get_mut("prepared"), &prepared) {
            if bless {
                *expected = got.clone();
            } else if expected != got {
                failures.push(format!("{name} prepare:\nexpected {expected:#}\n     got {got:#}"));
            }
        }
        let mut input = match (vector.get("raw_input").and_then(Value::as_str), vector.get("start")) {
            (Some(raw), _) => Value::String(raw.to_string()),
            (None, Some(start)) => {
                let mut start = start.clone();
                if let Some(prepared) = &prepared {
                    start["site"] = prepared["site"].clone();
                }
                start
            }
            (None, None) => Value::Null,
        };
        let first_input = input.clone();
        // `Last` first: the site it parses is then kept for `First` to take without reading it.
        for how in [StateSent::Last, StateSent::First, StateSent::Parsed] {
            input = first_input.clone();
            let steps = vector.get_mut("steps").and_then(Value::as_array_mut).map(Vec::as_mut_slice).unwrap_or_default();
            for (i, step) in steps.iter_mut().enumerate() {
                let text = how.write(&input);
                let answer = aipuffer_engine::advance_json(&text);
                let output: Value = serde_json::from_str(&answer).expect("engine answers JSON");
                if let Err(why) = state_cuts_off(&answer, &output) {
                    failures.push(format!("{name} step {i} ({how:?}): {why}\n{answer}"));
                }
                if bless && how == StateSent::First {
                    step["expect"] = output.clone();
                } else if step["expect"] != output {
                    failures.push(format!("{name} step {i} ({how:?}):\nexpected {:#}\n     got {output:#}", step["expect"]));
                    break;
                }
                if let Some(resume) = step.get("resume").and_then(Value::as_object) {
                    input = json!({ "state": output["state"] });
                    for (key, value) in resume {
                        input[key] = value.clone();
                    }
                }
            }
        }
        if bless {
            fs::write(file, serde_json::to_string_pretty(&vector).unwrap() + "\n").unwrap();
        }
    }
    assert!(failures.is_empty(), "{} vector(s) differ:\n{}", failures.len(), failures.join("\n\n"));
}

/// The protocol's promise that lets a host leave the state undecoded (protocol.rs): the answer's
/// state, and only its state, is what a host finds by cutting at the last `,"state":"` of an
/// answer ending `"}` — the literal `StateSent::First` sends back, byte for byte, and the rest
/// decodes to the step without it.
fn state_cuts_off(answer: &str, output: &Value) -> Result<(), String> {
    let cut = answer.rfind(r#","state":""#).filter(|_| answer.ends_with(r#""}"#));
    match (cut, output.get("state")) {
        (None, None) => Ok(()),
        (Some(at), Some(state)) => {
            let literal = &answer[at + r#","state":"#.len()..answer.len() - 1];
            if literal != state.to_string() {
                return Err(format!("the cut literal is not the state as hosts send it back: {literal}"));
            }
            let head: Value = serde_json::from_str(&format!("{}}}", &answer[..at])).map_err(|e| format!("the rest is not JSON: {e}"))?;
            let mut without = output.clone();
            without.as_object_mut().map(|fields| fields.remove("state"));
            if head == without {
                Ok(())
            } else {
                Err("the rest is not the step without its state".into())
            }
        }
        (None, Some(_)) => Err("a state a host cannot cut off".into()),
        (Some(_), None) => Err("an answer a host would cut a state off, without a state".into()),
    }
}

/// How a step's state (or a start's site snapshot) goes to the engine.
#[derive(Debug, Clone, Copy, PartialEq)]
enum StateSent {
    /// First, as written: the way every host sends them.
    First,
    /// As written, after the other fields (serde_json's map keeps keys sorted).
    Last,
    /// The same string escaped another way: not the literal the engine kept.
    Parsed,
}

impl StateSent {
    fn write(self, input: &Value) -> String {
        let Value::Object(fields) = input else {
            return match input {
                Value::String(raw) => raw.clone(),
                other => other.to_string(),
            };
        };
        let Some((key, first)) = ["state", "site"].into_iter().find_map(|key| Some((key, fields.get(key)?))) else {
            return input.to_string();
        };
        match self {
            StateSent::First => {
                let mut rest = fields.clone();
                rest.remove(key);
                let rest = Value::Object(rest).to_string();
                let after = if rest == "{}" { "}".to_string() } else { format!(",{}", &rest[1..]) };
                format!("{{\"{key}\":{first}{after}")
            }
            StateSent::Last => input.to_string(),
            StateSent::Parsed => input.to_string().replacen(r#""state":"{"#, r#""state":"\u007b"#, 1),
        }
    }
}
