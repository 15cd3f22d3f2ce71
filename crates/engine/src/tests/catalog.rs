//! Unit tests of `catalog` (kept out of the module file so it reads as the product code).

use super::*;
use crate::connectors::{find, WireFormat};
use serde_json::json;

fn stored(catalogs: Value, saved: &str) -> StoredSite {
    serde_json::from_value(json!({
        "managed": true,
        "credentials": ["OpenAI"],
        "providers": { "OpenAI": { "model": saved } },
        "catalogs": catalogs,
    }))
    .unwrap()
}

fn ids(stored: &StoredSite) -> Vec<String> {
    let saved = stored.providers["OpenAI"]["model"].as_str().unwrap_or("");
    models(stored, find("openai").unwrap(), saved).into_iter().map(|m| m.id).collect()
}

#[test]
fn reads_every_stored_row_shape() {
    let s = stored(
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
    let rows = models(&s, find("openai").unwrap(), "");
    assert_eq!(rows[0].name, "GPT A", "the first occurrence of an id wins");
}

#[test]
fn the_saved_model_comes_first_then_ids_case_insensitively() {
    let s = stored(json!({ "aipkit_openai_model_list": ["b", "A", "c", "B"] }), "c");
    assert_eq!(ids(&s), ["c", "A", "B", "b"]);
}

#[test]
fn the_registry_wins_over_the_legacy_list_even_when_empty() {
    let s = stored(
        json!({
            "aipkit_model_registry_openai": { "catalogs": { "OpenAI": [] } },
            "aipkit_openai_model_list": ["legacy"],
        }),
        "",
    );
    assert!(ids(&s).is_empty());
    let s = stored(json!({ "aipkit_model_registry_openai": { "catalogs": {} }, "aipkit_openai_model_list": ["legacy"] }), "");
    assert_eq!(ids(&s), ["legacy"]);
}

#[test]
fn large_catalogs_with_duplicates_keep_each_id_once() {
    // Every id three times, in reverse: 30,000 rows → 10,000 models, sorted, saved one first.
    let rows: Vec<Value> = (0..30_000).rev().map(|i| json!({ "id": format!("m-{:05}", i % 10_000) })).collect();
    let s = stored(json!({ "aipkit_openai_model_list": rows }), "m-05000");
    let ids = ids(&s);
    assert_eq!(ids.len(), 10_000);
    assert_eq!(ids[0], "m-05000");
    assert_eq!(ids[1], "m-00000");
    assert_eq!(ids[9_999], "m-09999");
}

#[test]
fn prepare_fills_defaults_and_keeps_only_declared_settings() {
    let s: StoredSite = serde_json::from_value(json!({
        "managed": true,
        "main_provider": "OpenAI",
        "credentials": ["OpenAI"],
        "providers": { "OpenAI": { "model": " gpt-x ", "base_url": "", "api_mode": 7, "secret_thing": "no" } },
        "catalogs": { "aipkit_openai_model_list": ["gpt-x"] },
    }))
    .unwrap();
    let prepared = serde_json::to_value(prepare(&s)).unwrap();
    let openai = &prepared["site"]["connectors"][0];
    assert_eq!(openai["id"], "openai");
    assert_eq!(openai["available"], true);
    assert_eq!(openai["settings"], json!({ "api_mode": "7", "api_version": "v1", "base_url": "https://api.openai.com", "model": "gpt-x" }));
    assert_eq!(openai["models"], json!([{ "id": "gpt-x", "name": "gpt-x" }]));
    // The default routes' provider comes first (registered first), then the connectors in order.
    assert_eq!(prepared["directory"]["providers"][0]["id"], "aipuffer");
    assert_eq!(prepared["directory"]["providers"][1]["configured"], true);
    assert_eq!(prepared["directory"]["providers"][1]["metadata"]["name"], "OpenAI via AI Puffer");
    assert!(prepared["directory"]["providers"][1].get("models").is_none(), "the directory stays small");
}

#[test]
fn a_connector_without_a_key_or_management_is_not_available() {
    let mut s = stored(json!({}), "");
    s.credentials.clear();
    assert_eq!(serde_json::to_value(prepare(&s)).unwrap()["site"]["connectors"][0]["available"], false);
    let mut s = stored(json!({}), "");
    s.managed = false;
    assert_eq!(serde_json::to_value(prepare(&s)).unwrap()["directory"]["providers"][0]["configured"], false);
}

#[test]
fn text_models_advertise_what_the_ai_client_checks() {
    let m = serde_json::to_value(text_model_metadata(
        find("openai").unwrap(),
        WireFormat::ChatCompletions,
        &ModelRow { id: "x".into(), name: "X".into(), variant: None },
    ))
    .unwrap();
    let names: Vec<&str> = m["supportedOptions"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap()).collect();
    for needed in ["temperature", "maxTokens", "systemInstruction", "inputModalities", "outputModalities", "candidateCount"] {
        assert!(names.contains(&needed), "{needed}");
    }
    assert_eq!(m["supportedCapabilities"], json!(["text_generation", "chat_history"]));
}

#[test]
fn each_connector_says_what_it_is_missing() {
    use crate::messages::Reason;
    let site = crate::tests::support::site(json!({ "managed": true, "credentials": [], "catalogs": {} }));
    let call = |provider: &str| -> crate::call::Call {
        serde_json::from_value(json!({ "capability": "text_generation", "provider": provider, "model": "m", "messages": [] })).unwrap()
    };
    let reason = |provider: &str| crate::route::resolve(&site, &call(provider)).unwrap_err();
    assert_eq!(reason("openai").reason, Reason::NotConfigured);
    assert_eq!(reason("azure").reason, Reason::NotConfiguredKeyAnd);
    let ollama = reason("ollama");
    assert_eq!(ollama.reason, Reason::NotConfiguredSetting);
    assert!(ollama.message.contains("Ollama base_url"), "{}", ollama.message);
    assert!(!ollama.message.contains("API key"));
}

#[test]
fn models_whose_options_differ_get_their_own_metadata_variant() {
    let s: StoredSite = serde_json::from_value(json!({
        "managed": true,
        "credentials": ["OpenAI"],
        "providers": { "OpenAI": { "model": "gpt-4.1-mini" } },
        "catalogs": { "aipkit_openai_model_list": ["gpt-4.1-mini", "o3-mini", "gpt-5", "gpt-5-chat-latest", "o4-mini"] },
    }))
    .unwrap();
    let prepared = serde_json::to_value(prepare(&s)).unwrap();
    let openai = &prepared["site"]["connectors"][0];
    let variant = |id: &str| openai["models"].as_array().unwrap().iter().find(|m| m["id"] == id).unwrap().get("variant").cloned();
    assert_eq!(variant("gpt-4.1-mini"), None);
    assert_eq!(variant("gpt-5-chat-latest"), None, "GPT-5's chat models take sampling settings");
    assert_eq!(variant("o3-mini"), Some(json!("v1")));
    assert_eq!(variant("gpt-5"), Some(json!("v1")), "one variant for every reasoning model");
    let names = |template: &Value| {
        template["supportedOptions"].as_array().unwrap().iter().map(|o| o["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    let templates = &prepared["templates"]["openai"];
    assert!(openai.get("model_metadata").is_none(), "the engine's site carries no templates");
    assert!(names(&templates["model_metadata"]).contains(&"temperature".to_string()));
    assert!(!names(&templates["model_variants"]["v1"]).contains(&"temperature".to_string()), "reasoning models refuse it");
    let result = text_model_metadata(
        find("openai").unwrap(),
        WireFormat::OpenAiResponses,
        &ModelRow { id: "o3".into(), name: "o3".into(), variant: None },
    );
    assert!(!result.supported_options.iter().any(|o| o.name == "topP"), "a result's metadata says the same");
}

#[test]
fn only_vision_models_of_ollama_and_xai_read_images() {
    let features = |connector: &str, format, model: &str| find(connector).unwrap().model_features(format, model).image_input;
    assert!(features("ollama", WireFormat::OllamaChat, "llava:7b"));
    assert!(features("ollama", WireFormat::OllamaChat, "gemma3:4b"));
    assert!(!features("ollama", WireFormat::OllamaChat, "llama3.2:latest"));
    assert!(features("xai", WireFormat::ChatCompletions, "grok-4"));
    assert!(!features("xai", WireFormat::ChatCompletions, "grok-3"));
}

#[test]
fn the_manifest_describes_each_connector_for_the_settings_screen() {
    let manifest = serde_json::to_value(crate::manifest()).unwrap();
    let connectors = manifest["connectors"].as_array().unwrap();
    let ids: Vec<&str> = connectors.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["openai", "google", "anthropic", "openrouter", "azure", "deepseek", "xai", "ollama"]);
    let openai = &connectors[0];
    assert_eq!(openai["provider"], "OpenAI");
    assert_eq!(openai["needs_key"], true);
    let api_mode = openai["settings"].as_array().unwrap().iter().find(|s| s["key"] == "api_mode").unwrap();
    assert_eq!(api_mode["default"], "responses");
    assert_eq!(api_mode["choices"], json!(["responses", "chat_completions"]));
    assert_eq!(connectors[4]["required_setting"], "endpoint");
    assert_eq!(connectors[7]["needs_key"], false);
    assert_eq!(connectors[7]["required_setting"], "base_url");
}
