//! The last site snapshot read, kept parsed for the next task that starts with the same text.
//!
//! Hosts send the same snapshot with every task start until a setting changes (the PHP host
//! splices one cached text in; the Node host sends what `prepare` gave it), and parsing it was
//! the largest part of a start step. Where the engine's memory outlives a call — a php-fpm
//! worker's kept store, a Node process — the next start compares the text and reuses the parse.
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

/// `Input.site`: the snapshot as text, then parsed unless it is the text parsed last time.
pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Rc<Site>>, D::Error> {
    let Some(raw) = Option::<&'de RawValue>::deserialize(d)? else { return Ok(None) };
    parse(raw.get()).map(Some).map_err(serde::de::Error::custom)
}

/// The site snapshot in `text`, reusing the parse of the last identical text.
pub fn parse(text: &str) -> Result<Rc<Site>, serde_json::Error> {
    if let Some(site) = LAST.with_borrow(|last| last.as_ref().filter(|(kept, _)| **kept == *text).map(|(_, site)| Rc::clone(site))) {
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
}
