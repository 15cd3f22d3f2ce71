//! Route inference, branch by branch: AI Puffer's order, the main provider, what makes a
//! connector skipped, the saved model, the fast keywords in their order, pins and pins gone.

use serde_json::{json, Value};

use crate::catalog::prepare;
use crate::site::StoredSite;

/// The routes `prepare` infers for a stored site.
fn routes(stored: Value) -> Value {
    let stored: StoredSite = serde_json::from_value(stored).unwrap();
    serde_json::to_value(prepare(&stored).site.routes).unwrap()
}

fn why(route: &Value) -> Vec<String> {
    route["why"].as_array().unwrap().iter().map(|s| s["reason"].as_str().unwrap().to_string()).collect()
}

fn openai_and_anthropic(main: &str, openai_models: Value, anthropic_models: Value) -> Value {
    json!({
        "managed": true,
        "main_provider": main,
        "credentials": ["OpenAI", "Claude"],
        "providers": { "OpenAI": { "model": "gpt-4.1" }, "Claude": {} },
        "catalogs": { "aipkit_openai_model_list": openai_models, "aipkit_claude_model_list": anthropic_models },
    })
}

#[test]
fn the_main_provider_is_tried_first_and_its_saved_model_wins() {
    let routes =
        routes(openai_and_anthropic("Claude", json!(["gpt-4.1", "gpt-4.1-mini"]), json!(["claude-sonnet-4-5", "claude-haiku-4-5"])));
    let text = &routes[0];
    assert_eq!(text["alias"], "aipuffer-default-text");
    assert_eq!(text["connector"], "anthropic");
    assert_eq!(text["model"], "claude-haiku-4-5", "no saved model: the first in directory order");
    assert_eq!(why(text), ["route_main_provider", "route_connector_chosen", "route_first_model"]);
    assert_eq!(text["why"][0]["message"], "Main provider Anthropic is tried first.");
    assert_eq!(text["why"][1]["message"], "Anthropic is configured and has 2 synced models.");
}

#[test]
fn without_a_main_provider_ai_puffers_order_applies_and_the_saved_model_is_chosen() {
    let routes = routes(openai_and_anthropic("", json!(["gpt-4o", "gpt-4.1"]), json!(["claude-sonnet-4-5"])));
    assert_eq!(routes[0]["connector"], "openai");
    assert_eq!(routes[0]["model"], "gpt-4.1");
    assert_eq!(why(&routes[0]), ["route_connector_chosen", "route_saved_model_chosen"]);
}

#[test]
fn an_unknown_main_provider_is_said_and_ignored() {
    let routes = routes(openai_and_anthropic("Mistral", json!(["gpt-4.1"]), json!([])));
    assert_eq!(routes[0]["connector"], "openai");
    assert_eq!(why(&routes[0])[0], "route_main_provider_unknown");
}

#[test]
fn a_connector_without_a_key_or_without_models_is_skipped_with_its_reason() {
    let stored = json!({
        "managed": true,
        "main_provider": "Google",
        "credentials": ["OpenAI", "OpenRouter"],
        "providers": { "OpenAI": {}, "OpenRouter": {} },
        "catalogs": { "aipkit_google_model_list": ["gemini-2.5-flash"], "aipkit_openai_model_list": [], "aipkit_openrouter_model_list": ["openai/gpt-4o"] },
    });
    let routes = routes(stored);
    assert_eq!(routes[0]["connector"], "openrouter");
    assert_eq!(
        why(&routes[0]),
        ["route_main_provider", "route_skipped_not_configured", "route_skipped_no_models", "route_connector_chosen", "route_first_model"]
    );
    assert_eq!(routes[0]["why"][1]["message"], "Google is not configured → skipped.");
    assert_eq!(routes[0]["why"][2]["message"], "OpenAI is configured but has no synced models → skipped.");
}

#[test]
fn a_saved_model_that_is_not_listed_gives_the_first_and_says_so() {
    let routes = routes(openai_and_anthropic("OpenAI", json!(["gpt-4o", "o3"]), json!([])));
    assert_eq!(routes[0]["model"], "gpt-4o");
    assert_eq!(routes[0]["why"][2]["reason"], "route_saved_model_missing");
    assert_eq!(routes[0]["why"][2]["message"], "Its saved model gpt-4.1 is not listed → the first model, gpt-4o, is chosen.");
}

#[test]
fn nothing_configured_means_no_route_and_no_alias() {
    let stored: StoredSite = serde_json::from_value(json!({ "managed": true })).unwrap();
    let prepared = serde_json::to_value(prepare(&stored)).unwrap();
    let text = &prepared["site"]["routes"][0];
    assert_eq!(text["connector"], Value::Null);
    assert_eq!(why(text).last().unwrap(), "route_no_connector");
    let aliases = prepared["site"]["connectors"].as_array().unwrap().iter().find(|c| c["id"] == "aipuffer").unwrap().clone();
    assert_eq!(aliases["models"], json!([]));
    assert_eq!(aliases["available"], false);
    assert_eq!(prepared["directory"]["providers"][0]["id"], "aipuffer");
    assert_eq!(prepared["directory"]["providers"][0]["configured"], false);
}

#[test]
fn the_fast_route_takes_the_keywords_in_their_order_not_the_models_order() {
    // "mini" comes before "flash" in the list, but "flash" is the earlier keyword.
    let stored = json!({
        "managed": true, "credentials": ["Google"], "providers": { "Google": {} },
        "catalogs": { "aipkit_google_model_list": ["gemini-2.5-mini-x", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite"] },
    });
    let fast = &routes(stored)[1];
    assert_eq!(fast["alias"], "aipuffer-fast-text");
    assert_eq!(fast["model"], "gemini-2.5-flash-lite", "flash-lite is tried before flash");
    assert_eq!(why(fast).last().unwrap(), "route_fast_keyword");
}

#[test]
fn the_fast_route_matches_names_too_case_blind() {
    let stored = json!({
        "managed": true, "credentials": ["OpenAI"], "providers": { "OpenAI": {} },
        "catalogs": { "aipkit_openai_model_list": [{ "id": "model-a", "name": "Big" }, { "id": "model-b", "name": "Speedy HAIKU" }] },
    });
    assert_eq!(routes(stored)[1]["model"], "model-b");
}

#[test]
fn without_a_fast_model_the_saved_model_then_the_text_route_serves() {
    let saved = routes(openai_and_anthropic("", json!(["gpt-4o", "gpt-4.1"]), json!([])));
    assert_eq!(saved[1]["model"], "gpt-4.1");
    assert_eq!(why(&saved[1]).last().unwrap(), "route_fast_saved_model");

    let stored = json!({
        "managed": true, "credentials": ["OpenAI"], "providers": { "OpenAI": {} },
        "catalogs": { "aipkit_openai_model_list": ["gpt-4o", "o3"] },
    });
    let fallback = routes(stored);
    assert_eq!(fallback[1]["model"], fallback[0]["model"]);
    assert_eq!(fallback[1]["connector"], "openai");
    assert_eq!(why(&fallback[1]).last().unwrap(), "route_fast_uses_text");
}

#[test]
fn a_pin_wins_and_a_pin_whose_model_is_gone_falls_back_to_inference() {
    let mut stored = openai_and_anthropic("", json!(["gpt-4.1", "gpt-4.1-mini"]), json!(["claude-sonnet-4-5"]));
    stored["pins"] = json!({ "text": { "connector": "anthropic", "model": "claude-sonnet-4-5" }, "fast": { "connector": "openai", "model": "gpt-3.5-turbo" } });
    let routes = routes(stored);
    assert_eq!((routes[0]["connector"].as_str(), routes[0]["model"].as_str()), (Some("anthropic"), Some("claude-sonnet-4-5")));
    assert_eq!(routes[0]["pinned"], true);
    assert_eq!(why(&routes[0]), ["route_pinned"]);
    assert_eq!(routes[1]["pinned"], false);
    assert_eq!(routes[1]["model"], "gpt-4.1-mini");
    assert_eq!(why(&routes[1])[0], "route_pin_gone");
    assert_eq!(routes[1]["why"][0]["message"], "The pinned model OpenAI / gpt-3.5-turbo is not available any more → inferred instead.");
}

#[test]
fn pins_of_the_wrong_shape_read_as_none() {
    let mut stored = openai_and_anthropic("", json!(["gpt-4.1"]), json!([]));
    stored["pins"] = json!("");
    assert_eq!(routes(stored)[0]["pinned"], false);
    let mut stored = openai_and_anthropic("", json!(["gpt-4.1"]), json!([]));
    stored["pins"] = json!({ "text": [] });
    assert_eq!(routes(stored)[0]["model"], "gpt-4.1");
}

#[test]
fn the_aliases_are_described_like_the_models_they_resolve_to() {
    let stored: StoredSite = serde_json::from_value(openai_and_anthropic("", json!(["gpt-4.1", "gpt-4.1-mini"]), json!([]))).unwrap();
    let prepared = serde_json::to_value(prepare(&stored)).unwrap();
    let aliases = prepared["site"]["connectors"].as_array().unwrap().iter().find(|c| c["id"] == "aipuffer").unwrap().clone();
    assert_eq!(aliases["available"], true);
    assert_eq!(aliases["models"][0]["id"], "aipuffer-default-text");
    assert_eq!(aliases["models"][0]["name"], "Default text model: OpenAI / gpt-4.1");
    assert_eq!(aliases["models"][1]["name"], "Fast text model: OpenAI / gpt-4.1-mini");
    let templates = &prepared["templates"];
    assert_eq!(templates["aipuffer"]["model_variants"]["text"], templates["openai"]["model_metadata"]);
    assert_eq!(prepared["directory"]["providers"][0]["metadata"]["name"], "AI Puffer Defaults");
    assert_eq!(prepared["directory"]["providers"][0]["configured"], true);
}

#[test]
fn inference_reads_each_list_a_bounded_number_of_times() {
    // 10,000 models without a fast keyword: every scan is linear, the whole inference too.
    let models: Vec<String> = (0..10_000).map(|i| format!("model-{i:05}")).collect();
    let routes = routes(openai_and_anthropic("", json!(models), json!([])));
    assert_eq!(routes[0]["model"], "model-00000");
    assert_eq!(why(&routes[1]).last().unwrap(), "route_fast_uses_text");
}

fn with_images(credentials: &[&str], openai_images: Value) -> Value {
    json!({
        "managed": true, "credentials": credentials, "providers": { "OpenAI": {}, "Claude": {} },
        "catalogs": {
            "aipkit_model_registry_openai": { "catalogs": { "OpenAI": ["gpt-4.1"], "OpenAIImage": openai_images } },
            "aipkit_claude_model_list": ["claude-haiku-4-5"],
        },
    })
}

#[test]
fn the_image_route_takes_the_catalog_default_image_model_when_listed_else_the_first() {
    let listed = routes(with_images(&["OpenAI"], json!(["dall-e-3", "gpt-image-2", "dall-e-2"])));
    let image = &listed[2];
    assert_eq!(image["alias"], "aipuffer-default-image");
    assert_eq!((image["connector"].as_str(), image["model"].as_str()), (Some("openai"), Some("gpt-image-2")));
    assert_eq!(why(image), ["route_image_connector_chosen", "route_image_default_model"]);

    let first = routes(with_images(&["OpenAI"], json!(["gpt-image-1", "dall-e-3"])));
    assert_eq!(first[2]["model"], "dall-e-3", "the first in directory order");
    assert_eq!(why(&first[2]).last().unwrap(), "route_image_first_model");
}

#[test]
fn no_image_route_without_a_configured_connector_that_makes_images() {
    let unconfigured = routes(with_images(&["Claude"], json!(["gpt-image-1"])));
    assert_eq!(unconfigured[2]["connector"], Value::Null);
    assert_eq!(why(&unconfigured[2]).first().unwrap(), "route_skipped_not_configured");
    assert_eq!(why(&unconfigured[2]).last().unwrap(), "route_no_image_connector");

    let unmapped = routes(with_images(&["OpenAI"], json!(["dall-e-2"])));
    assert_eq!(why(&unmapped[2])[0], "route_skipped_no_image_models", "an image model the gateway does not map makes no route");
}

#[test]
fn the_image_alias_is_described_like_the_image_model_and_a_pin_is_honoured() {
    let mut stored = with_images(&["OpenAI"], json!(["gpt-image-1", "dall-e-3"]));
    stored["pins"] = json!({ "image": { "connector": "openai", "model": "gpt-image-1" } });
    let stored: StoredSite = serde_json::from_value(stored).unwrap();
    let prepared = serde_json::to_value(prepare(&stored)).unwrap();
    assert_eq!(prepared["site"]["routes"][2]["model"], "gpt-image-1");
    assert_eq!(prepared["site"]["routes"][2]["pinned"], true);
    let aliases = prepared["site"]["connectors"].as_array().unwrap().iter().find(|c| c["id"] == "aipuffer").unwrap().clone();
    let image = aliases["models"].as_array().unwrap().iter().find(|m| m["id"] == "aipuffer-default-image").unwrap().clone();
    assert_eq!(image["name"], "Default image model: OpenAI / gpt-image-1");
    let templates = &prepared["templates"];
    assert_eq!(templates["aipuffer"]["model_variants"]["image"], templates["openai"]["model_variants"]["image:gpt-image"]);
}
