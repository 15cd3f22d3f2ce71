//! The last site snapshot read, kept parsed for the next task that starts with the same text.
//!
//! Hosts send the same snapshot with every task start until a setting changes (the PHP host
//! splices one cached text in; the Node host sends what `prepare` gave it), and parsing it was
//! the largest part of a start step. Where the engine's memory outlives a call — a php-fpm
//! worker's kept store, a Node process — the next start compares the text and reuses the parse.
//! Hosts write `{"site":…` first: `take_leading` then compares the kept text in place, with one
//! memcmp, and only what follows it is parsed — the snapshot is never scanned. Anywhere else,
//! `deserialize_option` compares the text serde found.
//! Purely an optimisation: the answer is a function of the input alone, the text is compared in
//! full (no hash that could collide), and a different snapshot simply replaces the kept one.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::site::Site;

thread_local! {
    /// One entry: a site has one snapshot at a time, and a worker serving several sites of a
    /// network only loses the reuse, never correctness.
    static LAST: RefCell<Option<(Box<str>, Rc<Site>)>> = const { RefCell::new(None) };
}

/// An input that starts with the kept snapshot: the kept site, and the rest of the input as an
/// object of its own (`{"site":{…},"task":…}` → `{"task":…}`). None for any other text.
pub fn take_leading(text: &str) -> Option<(Rc<Site>, String)> {
    let after_key = text.strip_prefix("{\"site\":")?;
    LAST.with_borrow(|last| {
        let (kept, site) = last.as_ref()?;
        let rest = super::strip_kept(after_key, kept)?;
        let rest = super::fields_after(rest)?;
        Some((Rc::clone(site), rest))
    })
}

/// `Input.site`: the snapshot as text, then parsed unless it is the text parsed last time.
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rc<Site>>, D::Error> {
    let Some(raw) = Option::<&'de RawValue>::deserialize(d)? else { return Ok(None) };
    parse(raw.get()).map(Some).map_err(serde::de::Error::custom)
}

/// The site snapshot in `text`, reusing the parse of the last identical text.
pub fn parse(text: &str) -> Result<Rc<Site>, serde_json::Error> {
    if let Some(site) =
        LAST.with_borrow(|last| last.as_ref().filter(|(kept, _)| super::is_kept(text, kept)).map(|(_, site)| Rc::clone(site)))
    {
        return Ok(site);
    }
    let site = Rc::new(serde_json::from_str::<Site>(text)?);
    LAST.set(Some((text.into(), Rc::clone(&site))));
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_gives_the_same_parse_and_a_new_text_replaces_it() -> Result<(), serde_json::Error> {
        let first = parse(r#"{"managed":true,"gmt_offset":2}"#)?;
        let again = parse(r#"{"managed":true,"gmt_offset":2}"#)?;
        assert!(Rc::ptr_eq(&first, &again), "an identical snapshot is not parsed again");
        let changed = parse(r#"{"managed":true,"gmt_offset":3}"#)?;
        assert!(!Rc::ptr_eq(&first, &changed));
        assert_eq!(changed.gmt_offset, 3, "a changed snapshot is read, never the kept one");
        assert!(parse(r#"{"managed":"#).is_err(), "a broken snapshot fails as before");
        assert!(Rc::ptr_eq(&changed, &parse(r#"{"managed":true,"gmt_offset":3}"#)?), "a failed parse keeps the last good one");
        Ok(())
    }

    #[test]
    fn a_kept_site_keeps_its_model_lists_parsed() -> Result<(), serde_json::Error> {
        let text = r#"{"managed":true,"connectors":[{"id":"openai","models":[{"id":"a","name":"A"},{"id":"b","name":"B"}]},
            {"id":"anthropic","models":[{"id":1}]}]}"#;
        let site = parse(text)?;
        let openai = site.connector("openai").map(|c| c.model_rows());
        let first = openai.transpose()?.unwrap_or_default();
        assert_eq!(first.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        // The next task sends the same snapshot: the same site, and the list is not read again.
        let again = parse(text)?;
        let second = again.connector("openai").map(|c| c.model_rows()).transpose()?.unwrap_or_default();
        assert!(std::ptr::eq(first, second), "the list parsed for the first task serves the next");
        let none = again.connector("openai").map(|c| c.image_model_rows()).transpose()?;
        assert_eq!(none.map(<[_]>::len), Some(0), "no image models: an empty list");
        // A list that cannot be read fails every time it is asked for, never empty.
        let broken = again.connector("anthropic");
        assert!(broken.is_some_and(|c| c.model_rows().is_err() && c.model_rows().is_err()));
        Ok(())
    }

    #[test]
    fn an_input_that_starts_with_the_kept_snapshot_leaves_only_what_follows_it() -> Result<(), serde_json::Error> {
        let site = parse(r#"{"managed":true,"gmt_offset":2}"#)?;
        let taken = take_leading(r#"{"site":{"managed":true,"gmt_offset":2},"task":"preview"}"#);
        assert!(taken.as_ref().is_some_and(|(kept, rest)| Rc::ptr_eq(kept, &site) && rest == r#"{"task":"preview"}"#));
        assert!(take_leading(r#"{"site":{"managed":true,"gmt_offset":2}}"#).is_some_and(|(_, rest)| rest == "{}"));
        for other in [
            r#"{"site":{"managed":true,"gmt_offset":3},"task":"preview"}"#,
            r#"{"task":"preview","site":{"managed":true,"gmt_offset":2}}"#,
            r#"{"site":{"managed":true,"gmt_offset":2}]"#,
            r#"{"site":{"managed":true,"gmt_offset":2}0,"task":"preview"}"#,
            r#"{"site":{"managed":true,"gmt_offset":2},}"#,
        ] {
            assert!(take_leading(other).is_none(), "{other} is read as a whole");
        }
        let input = super::super::read_input(r#"{"site":{"managed":true,"gmt_offset":2},"task":"preview"}"#)?;
        assert!(input.site.is_some_and(|kept| Rc::ptr_eq(&kept, &site)) && input.task.is_some());
        // Read whole when what follows has a second site or breaks: the answer it always was.
        for text in [
            r#"{"site":{"managed":true,"gmt_offset":2},"site":{}}"#,
            r#"{"site":{"managed":true,"gmt_offset":2},"task":}"#,
            r#"{"site":{"managed":true,"gmt_offset":2},}"#,
            r#"{"site":{"managed":true,"gmt_offset":2}} x"#,
        ] {
            let read = super::super::read_input(text).map(|input| input.site.map(|s| s.gmt_offset)).map_err(|e| e.to_string());
            let whole =
                serde_json::from_str::<super::super::Input>(text).map(|input| input.site.map(|s| s.gmt_offset)).map_err(|e| e.to_string());
            assert_eq!(read, whole, "{text}");
        }
        Ok(())
    }
}
