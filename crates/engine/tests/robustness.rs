//! Bad input never traps: every prefix of real inputs, and inputs with bytes swapped for others,
//! give a JSON step (a deterministic stand-in for fuzzing that runs in every `cargo test`).

mod common;

use common::inputs;

fn assert_step(text: &str) {
    common::advance_step(text);
    // prepare reads the same text as a stored site: it answers too, whatever the input.
    common::assert_prepared(text);
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
