//! Unit tests of `catalog` (kept out of the module file so it reads as the product code).

use super::*;
use crate::connectors::find;
use serde_json::json;

fn snapshot(catalogs: Value, saved: &str) -> Snapshot {
    serde_json::from_value(json!({
        "options": { "providers": { "OpenAI": { "model": saved } } },
        "catalogs": catalogs,
    }))
    .unwrap()
}

fn ids(snapshot: &Snapshot) -> Vec<String> {
    models(snapshot, find("openai").unwrap()).into_iter().map(|m| m.id).collect()
}

#[test]
fn reads_every_stored_row_shape() {
    let s = snapshot(
        json!({ "aipkit_openai_model_list": [
            "gpt-b",
            { "id": "gpt-a", "name": "GPT A" },
            { "model": "gpt-c" },
            { "Group": [{ "id": "gpt-d" }, "gpt-a"] },
            "",
            { "id": "  " },
            42
        ]}),
        "",
    );
    assert_eq!(ids(&s), ["gpt-a", "gpt-b", "gpt-c", "gpt-d"]);
    let a = find_model(&s, find("openai").unwrap(), "gpt-a").unwrap();
    assert_eq!(a.name, "GPT A");
}

#[test]
fn the_saved_model_comes_first_then_ids_case_insensitively() {
    let s = snapshot(json!({ "aipkit_openai_model_list": ["b", "A", "c"] }), "c");
    assert_eq!(ids(&s), ["c", "A", "b"]);
}

#[test]
fn the_registry_wins_over_the_legacy_list_even_when_empty() {
    let s = snapshot(
        json!({
            "aipkit_model_registry_openai": { "catalogs": { "OpenAI": [] } },
            "aipkit_openai_model_list": ["legacy"],
        }),
        "",
    );
    assert!(ids(&s).is_empty());
    let s = snapshot(json!({ "aipkit_model_registry_openai": { "catalogs": {} }, "aipkit_openai_model_list": ["legacy"] }), "");
    assert_eq!(ids(&s), ["legacy"]);
}

#[test]
fn text_models_advertise_what_the_ai_client_checks() {
    let m = serde_json::to_value(text_model_metadata(find("openai").unwrap(), &ModelRow { id: "x".into(), name: "X".into() })).unwrap();
    let names: Vec<&str> = m["supportedOptions"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    for needed in ["temperature", "maxTokens", "systemInstruction", "inputModalities", "outputModalities", "candidateCount"] {
        assert!(names.contains(&needed), "{needed}");
    }
    assert_eq!(m["supportedCapabilities"], json!(["text_generation", "chat_history"]));
}
