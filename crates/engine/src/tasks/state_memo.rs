//! The last continuation the engine handed out, kept parsed for the step that sends it back.
//!
//! A task's state travels as JSON text inside each step, and every host sends it back unchanged
//! with the next call — usually to the same engine instance (a php-fpm request drives its whole
//! task through the worker's kept store; a Node process through its one module). Reading it
//! again (scan, unescape, parse) cost as much as writing it. So the engine keeps the state it
//! wrote with its literal exactly as the step carries it, and a resume whose `state` is that
//! literal byte for byte takes the kept value instead of parsing.
//! - Hosts write `{"state":…` first (JSON.stringify and the PHP host's `Json::encode` keep key
//!   order): `take_leading` then compares the literal in place, eight bytes at a time, and parses
//!   only what follows it — the literal is never scanned.
//! - Anywhere else, `deserialize_option` compares the literal serde found.
//!
//! Purely an optimisation, like `site_memo`: the literal is compared in full (no hash that could
//! collide), any other text is parsed as before, and the answer is a function of the input alone.
//! The literal written is `"` and `\` escaped and nothing else (serde_json's JSON text holds no
//! control characters), which is also exactly how JSON.stringify and the PHP host's flags write
//! it back; a literal escaped any other way (json_encode escapes U+2028) is simply parsed.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::io;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::ser::{CharEscape, Formatter};
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
    /// Whether `write_keeping` is writing a step: `serialize` then leaves the state's place empty
    /// and writes its literal here, to be spliced in.
    static SPLICING: Cell<bool> = const { Cell::new(false) };
    static PENDING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// How a step written by `write_keeping` ends before its state's literal is spliced in.
const SPLICE_POINT: &str = "\"state\":\"\"}";

/// `Step.state`: the continuation as JSON text, written as a string.
pub fn serialize<S: Serializer>(state: &Continuation, s: S) -> Result<S::Ok, S::Error> {
    if SPLICING.get() {
        PENDING.set(Some(literal(state).map_err(serde::ser::Error::custom)?));
        return s.serialize_str("");
    }
    // Written whole (outside `write_keeping`): the literal unescaped, so that states are only ever
    // serialized through `Escaped` — a second formatter would double their serializing code.
    s.serialize_str(&unescaped(&literal(state).map_err(serde::ser::Error::custom)?))
}

/// A literal's text: every backslash in it escapes the byte after it.
fn unescaped(literal: &str) -> String {
    let mut text = String::with_capacity(literal.len());
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        text.push(if c == '\\' { chars.next().unwrap_or(c) } else { c });
    }
    text
}

/// Writes `step` with `write` and splices its state's literal in, then keeps the state with that
/// literal. Written this way the state's text is made once, already escaped, instead of written
/// and then escaped again as a string: in wasmtime that second pass (and measuring the literal to
/// find it in the step) cost ≈19 % of a managed request's guest instructions (callgrind). A step without a state
/// forgets the last one (the task is over).
pub fn write_keeping(step: Step, write: impl Fn(&Step) -> String) -> String {
    PENDING.set(None);
    SPLICING.set(true);
    let mut json = write(&step);
    SPLICING.set(false);
    let literal = PENDING.take();
    if let Some(literal) = &literal {
        if json.ends_with(SPLICE_POINT) {
            json.truncate(json.len() - 2);
            json.push_str(literal);
            json.push_str("\"}");
        } else {
            // Not a step as `Step` writes it (a writer's own fallback text): written whole.
            json = write(&step);
        }
    }
    LAST.set(literal.filter(|literal| literal.len() <= MAX_KEPT).zip(step.into_state()));
    json
}

/// The state's JSON text as it reads between a JSON string's quotes.
fn literal(state: &Continuation) -> Result<String, serde_json::Error> {
    let mut text = Vec::with_capacity(2048);
    state.serialize(&mut serde_json::Serializer::with_formatter(&mut text, Escaped))?;
    String::from_utf8(text).map_err(serde::ser::Error::custom)
}

/// serde_json's compact JSON, escaped as a JSON string's contents while it is written: its quotes
/// and its escapes' backslashes gain a backslash. String fragments never hold either (serde_json
/// hands them to `write_char_escape`), and compact JSON holds no control characters.
struct Escaped;

impl Formatter for Escaped {
    fn begin_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn end_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\\\"")
    }

    fn write_char_escape<W: ?Sized + io::Write>(&mut self, writer: &mut W, escape: CharEscape) -> io::Result<()> {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        writer.write_all(match escape {
            CharEscape::Quote => b"\\\\\\\"",
            CharEscape::ReverseSolidus => b"\\\\\\\\",
            CharEscape::Solidus => b"\\\\/",
            CharEscape::Backspace => b"\\\\b",
            CharEscape::FormFeed => b"\\\\f",
            CharEscape::LineFeed => b"\\\\n",
            CharEscape::CarriageReturn => b"\\\\r",
            CharEscape::Tab => b"\\\\t",
            CharEscape::AsciiControl(byte) => {
                return writer.write_all(&[b'\\', b'\\', b'u', b'0', b'0', HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]]);
            }
        })
    }

    fn write_raw_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        for piece in fragment.split_inclusive(['"', '\\']) {
            match piece.strip_suffix(['"', '\\']) {
                Some(text) => {
                    writer.write_all(text.as_bytes())?;
                    writer.write_all(if piece.ends_with('"') { b"\\\"" } else { b"\\\\" })?;
                }
                None => writer.write_all(piece.as_bytes())?,
            }
        }
        Ok(())
    }
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
        let rest = super::strip_kept(after_key, literal)?.strip_prefix('"')?;
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
        Some((written, state)) if inner.is_some_and(|inner| super::is_kept(inner, &written)) => Some(state),
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
    fn a_state_spliced_in_reads_as_its_text_written_as_a_string() -> Result<(), serde_json::Error> {
        // Every escape serde_json writes, inside a state.
        let state: Continuation = serde_json::from_str(
            r#"{"cap_status":{"caps":[{"caller":"q\" b\\ \n\t\r\b\f\u0001\u001f é / </","period":"day","unit":"credits","limit":"5"}]}}"#,
        )?;
        let text = serde_json::to_string(&state)?;
        assert_eq!(format!("\"{}\"", literal(&state)?), serde_json::to_string(&text)?, "one pass, the same bytes");
        let step = Step::Read { locks: Vec::new(), state };
        let plain = to_text(&step);
        assert!(plain.ends_with(&format!("\"state\":{}}}", serde_json::to_string(&text)?)), "written whole outside write_keeping");
        assert_eq!(write_keeping(step, to_text), plain, "spliced in, the step is byte for byte the same");
        // A writer whose text does not end with the state's place is written whole.
        let step = Step::Read { locks: Vec::new(), state: serde_json::from_str(&text)? };
        assert_eq!(write_keeping(step, |step| format!("[{}]", to_text(step))), format!("[{plain}]"));
        // Raw JSON fragments (none in states today) are escaped too.
        let raw = serde_json::value::RawValue::from_string(r#"{"a":"b\"c\\d"}"#.to_string())?;
        let mut escaped = Vec::new();
        raw.serialize(&mut serde_json::Serializer::with_formatter(&mut escaped, Escaped))?;
        assert_eq!(format!("\"{}\"", String::from_utf8_lossy(&escaped)), serde_json::to_string(raw.get())?);
        Ok(())
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
