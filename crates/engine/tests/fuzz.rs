//! Structure-aware fuzzing of the engine's entry points, on stable Rust and without a fuzzing
//! framework: every input a host sends while driving the conformance vectors (each `prepare`,
//! task start and resume) is mutated at random — a value swapped for one of another type or an
//! extreme, a key dropped or added, an array emptied or repeated, a string cut — also inside the
//! continuation `state`, which travels as JSON text, and sometimes in its raw bytes. Every answer
//! must be one well-formed step: no panic, no trap, no unknown step.
//!
//! `AIPUFFER_FUZZ_INPUTS` says how many inputs (default 20,000; `scripts/test` runs 1,000,000 in
//! a release build). Inputs that reach an error reason the unmutated vectors never reach are
//! "interesting": with `AIPUFFER_FUZZ_SAVE=1` they are written to `tests/fuzz-corpus/`, which
//! every run replays first.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use serde_json::{json, Value};

/// A xorshift generator: deterministic per seed, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Values of every JSON type, and the extremes parsers and counters trip on.
fn odd_value(rng: &mut Rng) -> Value {
    match rng.below(16) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(0),
        4 => json!(u64::MAX),
        5 => json!(i64::MIN),
        6 => json!(1e308),
        7 => json!(-0.5),
        8 => json!(""),
        9 => json!("\u{0}\u{ffff}"),
        10 => json!("x".repeat(rng.below(5000))),
        11 => json!([]),
        12 => json!({}),
        13 => json!([null, 1, "a", {}]),
        14 => json!({ "type": "text", "text": "a" }),
        _ => json!("{\"prompt\":{}}"),
    }
}

/// A value of the same type, mostly: inputs keep their shape often enough to reach deep decisions.
fn similar_value(value: &Value, rng: &mut Rng) -> Value {
    match value {
        Value::Bool(b) => json!(!b),
        Value::Number(_) => {
            [json!(0), json!(1), json!(-7), json!(2), json!(4_294_967_296u64), json!(0.25), json!(999_999)][rng.below(7)].clone()
        }
        Value::String(s) => match rng.below(4) {
            0 => json!(format!("{s}{s}")),
            1 => json!(format!("{s}\u{e9}\u{1f600}")),
            2 => json!(s.to_uppercase()),
            _ => json!(["openai", "gpt-4.1-mini", "aipuffer", "text", "user", "model", "image/png", "application/json"][rng.below(8)]),
        },
        _ => odd_value(rng),
    }
}

/// Changes one node of `value`, somewhere at random; continuation text is mutated as JSON.
fn mutate(value: &mut Value, rng: &mut Rng, depth: u32) {
    let descend = depth < 12 && rng.below(4) != 0;
    match value {
        Value::Object(map) if descend && !map.is_empty() => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
            match rng.below(10) {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert(format!("k{}", rng.below(100)), odd_value(rng));
                }
                _ => mutate(map.get_mut(&key).expect("key present"), rng, depth + 1),
            }
        }
        Value::Array(items) if descend && !items.is_empty() => match rng.below(10) {
            0 => items.clear(),
            1 => {
                let copy = items[rng.below(items.len())].clone();
                let times = rng.below(50);
                items.extend(std::iter::repeat_n(copy, times));
            }
            2 => {
                items.remove(rng.below(items.len()));
            }
            _ => {
                let at = rng.below(items.len());
                mutate(&mut items[at], rng, depth + 1);
            }
        },
        // A continuation: JSON inside a string.
        Value::String(text) if descend && text.starts_with('{') => {
            if let Ok(mut inner) = serde_json::from_str::<Value>(text) {
                mutate(&mut inner, rng, depth + 1);
                *text = inner.to_string();
            }
        }
        Value::String(text) if rng.below(3) == 0 && !text.is_empty() => {
            let cut = (0..=rng.below(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            text.truncate(cut);
        }
        _ if rng.below(2) == 0 => *value = similar_value(value, rng),
        _ => *value = odd_value(rng),
    }
}

/// Now and then the bytes themselves: a slice replaced by JSON-ish debris.
fn mutate_bytes(text: &mut String, rng: &mut Rng) {
    const DEBRIS: [&str; 8] = ["", "null", "-1", "1e309", "\"", "[", "}", "\\u0000"];
    let at = rng.below(text.len());
    let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
    let end = (at + rng.below(16)).min(text.len());
    let end = (end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
    text.replace_range(at..end, DEBRIS[rng.below(DEBRIS.len())]);
}

/// What an answer says: its step and, for a failure, its reason.
fn outcome(step: &Value) -> String {
    format!("{}:{}", step["step"].as_str().unwrap_or(""), step["error"]["reason"].as_str().unwrap_or(""))
}

fn corpus_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fuzz-corpus")
}

fn corpus() -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(corpus_dir()) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).collect()
}

#[test]
fn mutated_inputs_always_get_a_well_formed_step() {
    let total: usize = std::env::var("AIPUFFER_FUZZ_INPUTS").ok().and_then(|n| n.parse().ok()).unwrap_or(20_000);
    let save = std::env::var_os("AIPUFFER_FUZZ_SAVE").is_some();
    // The kept corpus first: every case that once reached somewhere new must still be answered.
    let kept = corpus();
    for text in &kept {
        common::advance_step(text);
        common::assert_prepared(text);
    }
    let seeds: Vec<Value> = common::inputs().iter().map(|t| serde_json::from_str(t).unwrap()).collect();
    let known: BTreeSet<String> = seeds.iter().map(|s| outcome(&common::advance_step(&s.to_string()))).collect();
    let found = Mutex::new(BTreeSet::new());
    let steps = Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    std::thread::scope(|scope| {
        for thread in 0..threads {
            let (seeds, known, found, steps) = (&seeds, &known, &found, &steps);
            scope.spawn(move || {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (thread as u64 + 1).wrapping_mul(0xA24B_AED4_963E_E407));
                let mut counted = std::collections::BTreeMap::<String, usize>::new();
                for i in (thread..total).step_by(threads) {
                    let mut input = seeds[i % seeds.len()].clone();
                    for _ in 0..=rng.below(3) {
                        mutate(&mut input, &mut rng, 0);
                    }
                    let mut text = input.to_string();
                    if rng.below(8) == 0 {
                        mutate_bytes(&mut text, &mut rng);
                    }
                    let step = common::advance_step(&text);
                    if rng.below(16) == 0 {
                        common::assert_prepared(&text);
                    }
                    *counted.entry(step["step"].as_str().unwrap_or("").to_string()).or_default() += 1;
                    let reached = outcome(&step);
                    if !known.contains(&reached) && text.len() < 64 * 1024 {
                        let mut found = found.lock().unwrap();
                        if !found.iter().any(|(r, _): &(String, String)| *r == reached) {
                            found.insert((reached, text));
                        }
                    }
                }
                let mut steps = steps.lock().unwrap();
                for (step, n) in counted {
                    *steps.entry(step).or_default() += n;
                }
            });
        }
    });
    let found = found.into_inner().unwrap();
    println!(
        "fuzz: {total} mutated inputs from {} seeds on {threads} threads, {} corpus cases replayed; 0 panics; steps {:?}; outcomes no seed reaches: {}",
        seeds.len(),
        kept.len(),
        steps.into_inner().unwrap(),
        found.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>().join(", ")
    );
    if save {
        std::fs::create_dir_all(corpus_dir()).unwrap();
        for (reached, text) in &found {
            let name: String = reached.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
            // A case kept before stays as it is: the corpus only grows by outcomes it lacks.
            let file = corpus_dir().join(format!("{name}.json"));
            if !file.exists() {
                std::fs::write(file, text).unwrap();
            }
        }
    }
}
