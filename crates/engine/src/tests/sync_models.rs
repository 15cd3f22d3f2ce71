//! The `sync_models` task through JSON: pages, classification, the store step, the writes and
//! their acks, and failures that save nothing.

use serde_json::{json, Value};

use crate::tests::support;

fn advance(input: Value) -> Value {
    serde_json::from_str(&crate::advance_json(&input.to_string())).unwrap()
}

fn site(credentials: &[&str]) -> Value {
    let stored = json!({
        "managed": false, "credentials": credentials,
        "providers": { "Google": {}, "OpenAI": {}, "Claude": {} },
    });
    let stored: crate::site::StoredSite = serde_json::from_value(stored).unwrap();
    serde_json::to_value(crate::catalog::prepare(&stored).site).unwrap()
}

fn start(connector: &str, credentials: &[&str]) -> Value {
    advance(json!({
        "task": "sync_models", "site": site(credentials), "connector": connector,
        "context": serde_json::to_value(support::context(1)).unwrap(),
    }))
}

fn page(id: &str, body: Value) -> Value {
    json!({ "id": id, "status": 200, "headers": {}, "body": body.to_string() })
}

#[test]
fn google_pages_are_followed_and_models_classified() {
    let step = start("google", &["Google"]);
    assert_eq!(step["step"], "http", "{step}");
    assert_eq!(step["requests"][0]["method"], "GET");
    assert_eq!(step["requests"][0]["url"], "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000");
    let first = json!({
        "models": [
            { "name": "models/gemini-2.5-flash", "displayName": "Gemini 2.5 Flash", "supportedGenerationMethods": ["generateContent"] },
            { "name": "models/gemini-embedding-001", "supportedGenerationMethods": ["embedContent"] },
        ],
        "nextPageToken": "page+2/==",
    });
    let step = advance(json!({ "state": step["state"], "outcomes": [page("1.1", first)] }));
    assert_eq!(
        step["requests"][0]["url"],
        "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken=page%2B2%2F%3D%3D"
    );
    let second = json!({ "models": [
        { "name": "models/gemini-2.5-flash-image", "displayName": "Nano Banana", "supportedGenerationMethods": ["generateContent"] },
        { "name": "models/imagen-4.0-generate-001", "supportedGenerationMethods": ["predict"] },
        { "name": "models/gemini-2.5-flash-preview-tts", "supportedGenerationMethods": ["generateContent"] },
    ] });
    let store = advance(json!({ "state": step["state"], "outcomes": [page("2.1", second)] }));
    assert_eq!(store["step"], "store", "{store}");
    assert_eq!(
        store["result"],
        json!({ "connector": "google", "provider": "Google", "text_models": 1, "image_models": 2, "pages": 2, "synced_at": 1_795_500_000 })
    );
    assert_eq!(store["locks"].as_array().unwrap().len(), 4);

    let locked = json!([{ "id": "registry", "found": false, "value": null }]);
    let write = advance(json!({ "state": store["state"], "locked": locked }));
    assert_eq!(write["step"], "write");
    let registry = &write["writes"][0]["value"];
    assert_eq!(registry["catalogs"]["Google"][0]["id"], "gemini-2.5-flash");
    let images: Vec<&str> = registry["catalogs"]["GoogleImage"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(images, ["gemini-2.5-flash-image", "imagen-4.0-generate-001"]);

    let conflict = advance(json!({ "state": write["state"], "acks": ["applied", "conflict"] }));
    assert_eq!(conflict["step"], "retry", "a changed option is read again");
    let again = advance(json!({ "state": conflict["state"], "locked": locked }));
    assert_eq!(again["step"], "write");
}

#[test]
fn anthropic_pages_by_after_id_with_its_version_header() {
    let step = start("anthropic", &["Claude"]);
    assert_eq!(step["requests"][0]["url"], "https://api.anthropic.com/v1/models?limit=1000");
    assert_eq!(step["requests"][0]["headers"]["anthropic-version"], "2023-06-01");
    let body = json!({ "data": [{ "id": "claude-haiku-4-5", "display_name": "Claude Haiku 4.5" }], "has_more": true, "last_id": "claude-haiku-4-5" });
    let next = advance(json!({ "state": step["state"], "outcomes": [page("1.1", body)] }));
    assert_eq!(next["requests"][0]["url"], "https://api.anthropic.com/v1/models?limit=1000&after_id=claude-haiku-4-5");
}

#[test]
fn openai_lists_once_and_drops_what_is_not_text_or_images() {
    let step = start("openai", &["OpenAI"]);
    assert_eq!(step["requests"][0]["url"], "https://api.openai.com/v1/models");
    assert_eq!(step["requests"][0]["credential"]["provider"], "OpenAI");
    let body = json!({ "data": [{ "id": "gpt-4.1" }, { "id": "text-embedding-3-small" }, { "id": "whisper-1" }, { "id": "dall-e-3" }, { "id": "tts-1" }] });
    let store = advance(json!({ "state": step["state"], "outcomes": [page("1.1", body)] }));
    assert_eq!((store["result"]["text_models"].as_u64(), store["result"]["image_models"].as_u64()), (Some(1), Some(1)));
}

#[test]
fn a_refused_key_fails_and_saves_nothing() {
    let step = start("openai", &["OpenAI"]);
    let refused = json!({ "id": "1.1", "status": 401, "headers": {}, "body": "{\"error\":{\"message\":\"Incorrect API key provided\"}}" });
    let failed = advance(json!({ "state": step["state"], "outcomes": [refused] }));
    assert_eq!(failed["step"], "fail");
    assert_eq!(failed["error"]["reason"], "provider_refused_key");
    assert!(failed.get("locks").is_none(), "nothing to record");
}

#[test]
fn a_connector_without_its_key_is_refused_before_any_request() {
    let failed = start("openai", &[]);
    assert_eq!(failed["error"]["reason"], "not_configured");
}

#[test]
fn the_scheduled_refresh_skips_a_fresh_catalog_and_syncs_a_stale_or_never_synced_one() {
    let now = 1_795_500_000_i64;
    let site_synced_at = |at: Option<i64>| {
        let mut registry = json!({ "catalogs": { "OpenAI": [{ "id": "gpt-4.1" }] } });
        if let Some(at) = at {
            registry["sync"] = json!({ "OpenAI": { "status": "ready", "last_success": at } });
        }
        let stored =
            json!({ "credentials": ["OpenAI"], "providers": { "OpenAI": {} }, "catalogs": { "aipkit_model_registry_openai": registry } });
        let stored: crate::site::StoredSite = serde_json::from_value(stored).unwrap();
        serde_json::to_value(crate::catalog::prepare(&stored).site).unwrap()
    };
    let refresh = |site: Value| {
        advance(json!({
            "task": "sync_models", "site": site, "connector": "openai", "only_if_stale": true,
            "context": serde_json::to_value(support::context(0)).unwrap(),
        }))["step"]
            .clone()
    };
    assert_eq!(refresh(site_synced_at(Some(now - 3600))), "done", "synced an hour ago");
    assert_eq!(refresh(site_synced_at(Some(now - super::STALE_AFTER))), "http", "seven days old");
    assert_eq!(refresh(site_synced_at(None)), "http", "never synced");
}

#[test]
fn a_list_address_that_does_not_exist_says_so_without_naming_a_model() {
    let step = start("openai", &["OpenAI"]);
    let missing =
        json!({ "id": "1.1", "status": 404, "headers": {}, "body": "{\"error\":{\"message\":\"Invalid URL (GET /v1/modelz)\"}}" });
    let failed = advance(json!({ "state": step["state"], "outcomes": [missing] }));
    assert_eq!(failed["error"]["reason"], "provider_list_not_found");
    assert_eq!(
        failed["error"]["message"],
        "OpenAI has no model list at api.openai.com (HTTP 404). Check the base URL, endpoint and API version in AI Puffer > Settings."
    );
}
