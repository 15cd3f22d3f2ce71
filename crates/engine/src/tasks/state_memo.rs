//! The last continuation the engine handed out, kept parsed for the step that sends it back.
//!
//! A task's state travels as JSON text inside each step, and every host sends it back unchanged
//! with the next call — usually to the same engine instance (a php-fpm request drives its whole
//! task through the worker's kept store; a Node process through its one module). Reading it
//! again (unescape, then parse) cost as much as writing it (≈40k instructions a resume, natively). So the engine keeps the state it
//! wrote, with the exact text it wrote, and a resume whose `state` is that text byte for byte
//! takes the kept value instead of parsing.
//! Purely an optimisation, like `site_memo`: the text is compared in full (no hash that could
//! collide), any other text is parsed as before, and the answer is a function of the input alone.

use std::borrow::Cow;
use std::cell::RefCell;

use serde::{Deserialize, Deserializer, Serializer};
use serde_json::value::RawValue;

use super::{Continuation, Step};

/// States larger than this are written and read as before, not kept: a prompt carrying big
/// images would otherwise stay in the guest's memory until the next step.
const MAX_KEPT: usize = 256 * 1024;

thread_local! {
    /// The state's JSON text as written into the step (there escaped as a JSON string), and its
    /// value. One entry: a host drives one task at a time per engine instance, and one that
    /// interleaves tasks only loses the reuse, never correctness.
    static LAST: RefCell<Option<(String, Continuation)>> = const { RefCell::new(None) };
    /// The text `serialize` wrote last, until `write_keeping` pairs it with its value: the step's state
    /// moves in once the step is written, rather than being copied while it is.
    static WRITTEN: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// `Step.state`: the continuation as JSON text, written as a string — and kept with that text.
pub fn serialize<S: Serializer>(state: &Continuation, s: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(state).map_err(serde::ser::Error::custom)?;
    let written = s.serialize_str(&text);
    WRITTEN.set((text.len() <= MAX_KEPT).then_some(text));
    written
}

/// Writes `step` with `write`, then keeps its state with the text written for it. A step
/// without a state forgets the last one (the task is over).
pub fn write_keeping(step: Step, write: impl FnOnce(&Step) -> String) -> String {
    WRITTEN.set(None);
    let json = write(&step);
    LAST.set(WRITTEN.take().zip(step.into_state()));
    json
}

pub fn serialize_option<S: Serializer>(state: &Option<Continuation>, s: S) -> Result<S::Ok, S::Error> {
    match state {
        Some(state) => serialize(state, s),
        None => s.serialize_none(),
    }
}

/// `Input.state`: the kept value when the text is the one written last, else the text parsed.
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Continuation>, D::Error> {
    let Some(literal) = Option::<&'de RawValue>::deserialize(d)? else { return Ok(None) };
    parse(literal.get()).map(Some).map_err(|e| serde::de::Error::custom(format_args!("state: {e}")))
}

/// The continuation in `literal`, a JSON string (quotes included) holding the state's JSON text.
fn parse(literal: &str) -> Result<Continuation, serde_json::Error> {
    let kept = LAST.with_borrow_mut(|last| match last.take() {
        Some((text, state)) if spells(literal, &text) => Some(state),
        other => {
            *last = other;
            None
        }
    });
    match kept {
        Some(state) => Ok(state),
        None => serde_json::from_str(&serde_json::from_str::<Cow<'_, str>>(literal)?),
    }
}

/// Whether `literal` is `text` written as a JSON string the way every host writes it back: `"`
/// and `\` escaped, every other byte as is (serde_json's JSON text holds no control characters,
/// and JavaScript's JSON.stringify and the PHP host's json_encode flags escape nothing else in
/// it). Compared in place, without unescaping. A literal escaped any other way (json_encode
/// escapes U+2028) is simply parsed; one that matches decodes to exactly `text`.
fn spells(literal: &str, text: &str) -> bool {
    let Some(mut rest) = literal.strip_prefix('"').and_then(|l| l.strip_suffix('"')).map(str::as_bytes) else { return false };
    let mut text = text.as_bytes();
    // Plain runs compare as slices; each `"` or `\` must come as a backslash and itself.
    while let Some(at) = text.iter().position(|&byte| byte == b'"' || byte == b'\\') {
        let (plain, escaped) = text.split_at(at);
        match rest.strip_prefix(plain).and_then(|after| after.strip_prefix(b"\\")).and_then(|after| after.strip_prefix(&escaped[..1])) {
            Some(after) => rest = after,
            None => return false,
        }
        text = &escaped[1..];
    }
    rest == text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to_text(step: &Step) -> String {
        serde_json::to_string(step).unwrap_or_default()
    }

    /// The state's literal as a step carries it, written the way `advance_json` writes steps.
    fn written(state: &Continuation) -> Result<String, serde_json::Error> {
        let step = write_keeping(Step::Read { locks: Vec::new(), state: state.clone() }, to_text);
        let step: serde_json::Value = serde_json::from_str(&step)?;
        serde_json::to_string(&step["state"])
    }

    #[test]
    fn the_written_text_is_taken_back_without_parsing_and_any_other_text_is_parsed() -> Result<(), serde_json::Error> {
        let state: Continuation = serde_json::from_str(r#"{"cap_status":{"caps":[]}}"#)?;
        let literal = written(&state)?;
        assert_eq!(literal, r#""{\"cap_status\":{\"caps\":[]}}""#, "the state travels as a JSON string");
        assert!(LAST.with_borrow(|last| last.as_ref().is_some_and(|(text, _)| spells(&literal, text))), "what was written is kept");
        assert!(matches!(parse(&literal)?, Continuation::CapStatus(_)));
        assert!(LAST.with_borrow(Option::is_none), "a kept state is handed out once");
        // Sent again (a host retrying the same step), it is parsed like any other text.
        assert!(matches!(parse(&literal)?, Continuation::CapStatus(_)));
        Ok(())
    }

    #[test]
    fn a_text_that_differs_in_one_byte_is_read_not_replaced_by_the_kept_state() -> Result<(), serde_json::Error> {
        let kept: Continuation =
            serde_json::from_str(r#"{"cap_status":{"caps":[{"caller":"a","period":"day","unit":"credits","limit":"5"}]}}"#)?;
        let literal = written(&kept)?;
        let edited = literal.replace(r#"\"5\""#, r#"\"6\""#);
        assert_ne!(edited, literal);
        let read = serde_json::to_string(&parse(&edited)?)?;
        assert!(read.contains(r#""limit":"6""#), "the edited text is read, never swapped for the kept state: {read}");
        assert!(LAST.with_borrow(Option::is_some), "a miss leaves the kept state for its own text");
        assert!(parse(r#""{\"cap_status\":"#).is_err(), "a broken state fails as before");
        Ok(())
    }

    #[test]
    fn a_literal_spells_its_text_only_with_exactly_the_escapes_hosts_write() -> Result<(), serde_json::Error> {
        let text = r#"{"prompt":"say \"hi\" \\ é"}"#;
        let literal = serde_json::to_string(text)?;
        assert!(spells(&literal, text));
        assert_eq!(serde_json::from_str::<String>(&literal)?, text);
        for other in [
            literal.replacen('{', "\\u007b", 1),
            literal.replace('é', "\\u00e9"),
            literal.replacen('"', "", 1),
            format!("{literal} "),
            literal.replacen("hi", "ho", 1),
        ] {
            assert!(!spells(&other, text), "{other} is not how hosts write {text}");
        }
        assert!(!spells(&literal[..literal.len() - 2], text) && !spells("\"\"", text));
        // Backslashes inside and across eight-byte words, and runs of them.
        for text in ["\\", "a\\\\b", "abcdefg\\\"", "abcdefgh\\\\\\\"ijklmnop\\"] {
            let literal = serde_json::to_string(text)?;
            assert!(spells(&literal, text), "{literal} spells {text}");
            assert!(!spells(&literal.replacen("\\\\", "\\u005c", 1), text), "another escape of {text} is parsed");
        }
        Ok(())
    }

    #[test]
    fn only_the_text_written_for_a_step_is_paired_with_its_state() -> Result<(), serde_json::Error> {
        let state: Continuation = serde_json::from_str(r#"{"cap_status":{"caps":[]}}"#)?;
        written(&state)?;
        write_keeping(Step::Done { result: None }, to_text);
        assert!(LAST.with_borrow(Option::is_none), "a step without a state (the task is over) forgets the kept one");
        // A step written elsewhere leaves its text behind; a later writer that never writes its
        // own state (a failed write) must not pair that text with its state.
        serde_json::to_string(&Step::Read { locks: Vec::new(), state: state.clone() })?;
        write_keeping(Step::Read { locks: Vec::new(), state: state.clone() }, |_| String::new());
        assert!(LAST.with_borrow(Option::is_none));
        Ok(())
    }
}
