//! The last continuation the engine handed out, kept parsed for the step that sends it back.
//!
//! A task's state travels as JSON text inside each step, and every host sends it back unchanged
//! with the next call — usually to the same engine instance (a php-fpm request drives its whole
//! task through the worker's kept store; a Node process through its one module). Reading it
//! again (scan, unescape, parse) cost as much as writing it. So the engine keeps the state it
//! wrote with its literal exactly as the step carries it, and a resume whose `state` is that
//! literal byte for byte takes the kept value instead of parsing.
//! - Hosts write `{"state":…` first (JSON.stringify and the PHP host's `Json::encode` keep key
//!   order): `take_leading` then compares the literal in place, with one memcmp, and parses only
//!   what follows it — the literal is never scanned.
//! - Anywhere else, `deserialize_option` compares the literal serde found.
//!
//! Purely an optimisation, like `site_memo`: the literal is compared in full (no hash that could
//! collide), any other text is parsed as before, and the answer is a function of the input alone.
//! The literal written is `"` and `\` escaped and nothing else (serde_json's JSON text holds no
//! control characters), which is also exactly how JSON.stringify and the PHP host's flags write
//! it back; a literal escaped any other way (json_encode escapes U+2028) is simply parsed.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use serde::{Deserialize, Deserializer, Serializer};
use serde_json::value::RawValue;

use super::{Continuation, Step};

/// States larger than this are written and read as before, not kept: a prompt carrying big
/// images would otherwise stay in the guest's memory until the next step.
const MAX_KEPT: usize = 256 * 1024;

/// How a step's state field starts: every `Step` variant writes its state last.
const STATE_KEY: &str = "\"state\":\"";

thread_local! {
    /// The state's literal as the step carries it (between its quotes, escapes as written), and
    /// its value. One entry: a host drives one task at a time per engine instance, and one that
    /// interleaves tasks only loses the reuse, never correctness.
    static LAST: RefCell<Option<(String, Continuation)>> = const { RefCell::new(None) };
    /// Whether the step being written wrote a state small enough to keep.
    static WRITTEN: Cell<bool> = const { Cell::new(false) };
}

/// `Step.state`: the continuation as JSON text, written as a string.
pub fn serialize<S: Serializer>(state: &Continuation, s: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(state).map_err(serde::ser::Error::custom)?;
    WRITTEN.set(text.len() <= MAX_KEPT);
    s.serialize_str(&text)
}

/// Writes `step` with `write`, then keeps its state with the literal written for it: the end of
/// the step's JSON, after the last `"state":"` (inside the literal every `"` is escaped, so the
/// key cannot occur there). A step without a state forgets the last one (the task is over).
pub fn write_keeping(step: Step, write: impl FnOnce(&Step) -> String) -> String {
    WRITTEN.set(false);
    let json = write(&step);
    let literal =
        WRITTEN.take().then(|| json.strip_suffix("\"}")?.rsplit_once(STATE_KEY)).flatten().map(|(_, literal)| literal.to_string());
    LAST.set(literal.zip(step.into_state()));
    json
}

pub fn serialize_option<S: Serializer>(state: &Option<Continuation>, s: S) -> Result<S::Ok, S::Error> {
    match state {
        Some(state) => serialize(state, s),
        None => s.serialize_none(),
    }
}

/// An input that starts with the kept state's literal: the kept value, and the rest of the
/// input as an object of its own (`{"state":"…","outcomes":…}` → `{"outcomes":…}`). None for any
/// other text, which is then read as a whole.
pub fn take_leading(text: &str) -> Option<(Continuation, String)> {
    let after_key = text.strip_prefix('{')?.strip_prefix(STATE_KEY)?;
    LAST.with_borrow_mut(|last| {
        let (literal, _) = last.as_ref()?;
        let rest = after_key.strip_prefix(literal.as_str())?.strip_prefix('"')?;
        let rest = super::fields_after(rest)?;
        last.take().map(|(_, state)| (state, rest))
    })
}

/// `Input.state`: the kept value when the literal is the one written last, else the text parsed.
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Continuation>, D::Error> {
    let Some(literal) = Option::<&'de RawValue>::deserialize(d)? else { return Ok(None) };
    parse(literal.get()).map(Some).map_err(|e| serde::de::Error::custom(format_args!("state: {e}")))
}

/// The continuation in `literal`, a JSON string (quotes included) holding the state's JSON text.
fn parse(literal: &str) -> Result<Continuation, serde_json::Error> {
    let inner = literal.strip_prefix('"').and_then(|l| l.strip_suffix('"'));
    let kept = LAST.with_borrow_mut(|last| match last.take() {
        Some((written, state)) if inner == Some(written.as_str()) => Some(state),
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

#[cfg(test)]
mod tests {
    use super::super::{read_input, Input};
    use super::*;

    fn to_text(step: &Step) -> String {
        serde_json::to_string(step).unwrap_or_default()
    }

    /// The state's literal (quotes included) as a step carries it, written the way `advance_json`
    /// writes steps.
    fn written(state: &Continuation) -> Result<String, serde_json::Error> {
        let step = write_keeping(Step::Read { locks: Vec::new(), state: state.clone() }, to_text);
        let step: serde_json::Value = serde_json::from_str(&step)?;
        serde_json::to_string(&step["state"])
    }

    fn cap_status(limit: &str) -> Result<Continuation, serde_json::Error> {
        serde_json::from_str(&format!(
            r#"{{"cap_status":{{"caps":[{{"caller":"a \"b\" \\ é","period":"day","unit":"credits","limit":"{limit}"}}]}}}}"#
        ))
    }

    fn kept() -> bool {
        LAST.with_borrow(Option::is_some)
    }

    #[test]
    fn the_written_literal_is_taken_back_without_parsing_and_any_other_text_is_parsed() -> Result<(), serde_json::Error> {
        let state: Continuation = serde_json::from_str(r#"{"cap_status":{"caps":[]}}"#)?;
        let literal = written(&state)?;
        assert_eq!(literal, r#""{\"cap_status\":{\"caps\":[]}}""#, "the state travels as a JSON string");
        assert!(
            LAST.with_borrow(|last| last.as_ref().is_some_and(|(kept, _)| format!("\"{kept}\"") == literal)),
            "what was written is kept"
        );
        assert!(matches!(parse(&literal)?, Continuation::CapStatus(_)));
        assert!(!kept(), "a kept state is handed out once");
        // Sent again (a host retrying the same step), it is parsed like any other text.
        assert!(matches!(parse(&literal)?, Continuation::CapStatus(_)));
        Ok(())
    }

    #[test]
    fn a_text_that_differs_in_one_byte_is_read_not_replaced_by_the_kept_state() -> Result<(), serde_json::Error> {
        let literal = written(&cap_status("5")?)?;
        let edited = literal.replace(r#"\"5\""#, r#"\"6\""#);
        assert_ne!(edited, literal);
        let read = serde_json::to_string(&parse(&edited)?)?;
        assert!(read.contains(r#""limit":"6""#), "the edited text is read, never swapped for the kept state: {read}");
        assert!(kept(), "a miss leaves the kept state for its own text");
        assert!(parse(r#""{\"cap_status\":"#).is_err(), "a broken state fails as before");
        Ok(())
    }

    #[test]
    fn only_the_escapes_hosts_write_back_match_any_other_is_parsed_to_the_same_state() -> Result<(), serde_json::Error> {
        let state = cap_status("5")?;
        let expected = serde_json::to_string(&state)?;
        let literal = written(&state)?;
        assert!(literal.contains(r#"\\\"b\\\""#) && literal.contains('é'), "quotes and backslashes escaped, nothing else: {literal}");
        for other in [literal.replacen('{', "\\u007b", 1), literal.replace('é', "\\u00e9"), literal.replacen("\\\\", "\\u005c", 1)] {
            assert_eq!(serde_json::from_str::<String>(&other)?, serde_json::from_str::<String>(&literal)?, "the same string");
            assert_eq!(serde_json::to_string(&parse(&other)?)?, expected);
            assert!(kept(), "{other} is not the literal written: parsed, the kept state stays");
        }
        assert!(matches!(parse(&literal)?, Continuation::CapStatus(_)) && !kept());
        Ok(())
    }

    #[test]
    fn an_input_that_starts_with_the_kept_literal_reads_only_what_follows_it() -> Result<(), serde_json::Error> {
        let state = cap_status("5")?;
        let literal = written(&state)?;
        let text = format!(r#"{{"state":{literal},"locked":[{{"id":"cap-0","found":true,"value":"2"}}]}}"#);
        let taken = take_leading(&text).map(|(_, rest)| rest);
        assert_eq!(
            taken.as_deref(),
            Some(r#"{"locked":[{"id":"cap-0","found":true,"value":"2"}]}"#),
            "only what follows the literal is left to read"
        );
        assert!(take_leading(&format!(r#"{{ "state":{literal}}}"#)).is_none(), "another layout is read as a whole");
        written(&state)?;
        let input = read_input(&text)?;
        assert!(!kept(), "the kept state was taken");
        assert_eq!(serde_json::to_string(&input.state)?, serde_json::to_string(&state)?);
        assert_eq!((input.locked.len(), input.locked[0].id.as_str()), (1, "cap-0"), "the fields after it are read");
        // The literal alone, and the literal elsewhere than first (read by the field's parser).
        written(&state)?;
        assert_eq!(take_leading(&format!(r#"{{"state":{literal}}}"#)).map(|(_, rest)| rest).as_deref(), Some("{}"), "the literal alone");
        written(&state)?;
        assert!(read_input(&format!(r#"{{"state":{literal}}}"#))?.state.is_some() && !kept());
        written(&state)?;
        assert!(read_input(&format!(r#"{{"acks":[],"state":{literal}}}"#))?.state.is_some() && !kept());
        Ok(())
    }

    #[test]
    fn anything_odd_after_a_leading_literal_is_answered_as_the_whole_text_always_was() -> Result<(), serde_json::Error> {
        let state = cap_status("5")?;
        let literal = written(&state)?;
        for text in [
            format!(r#"{{"state":{literal},"state":{literal}}}"#),
            format!(r#"{{"state":{literal},"locked":[}}"#),
            format!(r#"{{"state":{literal}]"#),
            format!(r#"{{"state":{literal},"task":"prompt"}}"#),
            format!(r#"{{"state":{literal},}}"#),
            format!(r#"{{"state":{literal}}} x"#),
        ] {
            written(&state)?;
            let read = read_input(&text).map(|input| serde_json::to_string(&input.state).unwrap_or_default()).map_err(|e| e.to_string());
            let whole = serde_json::from_str::<Input>(&text)
                .map(|input| serde_json::to_string(&input.state).unwrap_or_default())
                .map_err(|e| e.to_string());
            assert_eq!(read, whole, "{text}");
        }
        Ok(())
    }

    #[test]
    fn only_the_literal_written_for_a_step_is_paired_with_its_state() -> Result<(), serde_json::Error> {
        let state: Continuation = serde_json::from_str(r#"{"cap_status":{"caps":[]}}"#)?;
        written(&state)?;
        write_keeping(Step::Done { result: None }, to_text);
        assert!(!kept(), "a step without a state (the task is over) forgets the kept one");
        // A step written elsewhere leaves its flag behind; a later writer that never writes its
        // own state (a failed write) must not keep anything.
        serde_json::to_string(&Step::Read { locks: Vec::new(), state: state.clone() })?;
        write_keeping(Step::Read { locks: Vec::new(), state: state.clone() }, |_| String::new());
        assert!(!kept());
        Ok(())
    }
}
