//! Unit tests of `messages`.

use super::*;
use crate::failure::params;

#[test]
fn render_fills_named_placeholders() {
    let p = params([("provider", "OpenAI".into()), ("status", "500".into())]);
    assert_eq!(
        render(Reason::ProviderServerError, &p),
        "OpenAI had a server error (HTTP 500). This is usually temporary; try again shortly."
    );
}

#[test]
fn render_leaves_unknown_placeholders_and_braces_alone() {
    let p = params([("text", "use {json} here".into())]);
    assert_eq!(render(Reason::HostSaid, &p), "Details: use {json} here");
    assert_eq!(render(Reason::ProviderSaid, &Params::new()), "{provider} said: \"{text}\"");
}

#[test]
fn every_reason_has_a_distinct_snake_case_name_and_a_sentence() {
    let mut names = std::collections::BTreeSet::new();
    for reason in Reason::ALL {
        let name = serde_json::to_value(reason).unwrap().as_str().unwrap().to_string();
        assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{name}");
        assert!(names.insert(name.clone()), "{name} twice");
        let template = reason.template();
        assert!(template.ends_with(['.', '"', '}']), "{name}: {template}");
    }
}
