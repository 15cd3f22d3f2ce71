//! Unit tests of `usage`: AI Puffer's estimate.

use super::*;
use crate::call::{FileNote, Role, Turn};

fn summary(turns: Vec<Turn>, max_tokens: Option<u32>) -> CallSummary {
    CallSummary { turns, system_instruction: None, max_tokens, temperature: None, top_p: None, candidate_count: None }
}

fn turn(text: &str, files: Vec<FileNote>) -> Turn {
    Turn { role: Role::User, text: text.into(), files }
}

#[test]
fn text_is_counted_as_ai_puffer_counts_it() {
    // 11 chars → ⌈11/4⌉ = 3; 2 words → ⌈2.7⌉ = 3. Output: max tokens, else 1000.
    let usage = Usage::estimate(&summary(vec![turn("Hello world", Vec::new())], Some(50)), 1);
    assert_eq!((usage.input, usage.output, usage.total, usage.estimated), (3, 50, 53, true));
    assert_eq!(Usage::estimate(&summary(vec![turn("Hello world", Vec::new())], None), 2).output, 2000);
}

#[test]
fn each_image_in_the_prompt_adds_its_tokens_other_files_none() {
    let files = vec![
        FileNote::inline("image/png", 4096),
        FileNote { mime: "image/jpeg".into(), bytes: None },
        FileNote { mime: "application/pdf".into(), bytes: None },
    ];
    let usage = Usage::estimate(&summary(vec![turn("Hello world", files)], Some(50)), 1);
    assert_eq!(usage.input, 3 + 2 * IMAGE_INPUT_TOKENS);
    // Per candidate, as the text is.
    let two = Usage::estimate(&summary(vec![turn("", vec![FileNote::inline("image/webp", 8)])], Some(1)), 2);
    assert_eq!(two.input, 2 * IMAGE_INPUT_TOKENS);
}
