//! Model metadata is a promise: every option a connector's text models declare must change what
//! the provider receives. For each offered connector (and each OpenAI API mode), this takes the
//! options `prepare` declares and, one by one, sets each to a sample value on a preview of the
//! same prompt: the requests (URL, body, count) must differ from the plain prompt's. An option
//! declared but dropped by the mapping fails here.

use aipuffer_engine::providers::multipart::decode_base64;
use serde_json::{json, Value};

fn prepare(stored: &Value) -> Value {
    serde_json::from_str(&aipuffer_engine::prepare_json(&stored.to_string())).unwrap()
}

fn preview(site: &Value, connector: &str, model: &str, config: Value, extra_part: Option<Value>) -> Value {
    let mut parts = vec![json!({ "type": "text", "text": "Hi" })];
    parts.extend(extra_part);
    let step: Value = serde_json::from_str(&aipuffer_engine::advance_json(
        &json!({
            "task": "preview",
            "site": site,
            "call": { "capability": "text_generation", "provider": connector, "model": model,
                      "messages": [{ "role": "user", "parts": parts }], "config": config },
        })
        .to_string(),
    ))
    .unwrap();
    assert_eq!(step["step"], "done", "{connector}: {step}");
    step["result"]["requests"].clone()
}

/// A value that exercises `option` (`None`: nothing to send, e.g. the only output modality).
fn sample(option: &str, values: Option<&Value>) -> Vec<(Value, Option<Value>)> {
    let image = json!({ "type": "file", "file": { "fileType": "inline", "mimeType": "image/png", "base64Data": "iVBORw0KGgo=" } });
    match option {
        "customOptions" => vec![(json!({ "customOptions": { "aipuffer_probe": 1 } }), None)],
        "candidateCount" => values
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .filter(|v| v.as_u64() != Some(1))
            .map(|v| (json!({ "candidateCount": v }), None))
            .collect(),
        "systemInstruction" => vec![(json!({ "systemInstruction": "Answer briefly." }), None)],
        "maxTokens" => vec![(json!({ "maxTokens": 77 }), None)],
        "temperature" => vec![(json!({ "temperature": 0.3 }), None)],
        "topP" => vec![(json!({ "topP": 0.7 }), None)],
        "topK" => vec![(json!({ "topK": 5 }), None)],
        "stopSequences" => vec![(json!({ "stopSequences": ["END"] }), None)],
        "presencePenalty" => vec![(json!({ "presencePenalty": 0.5 }), None)],
        "frequencyPenalty" => vec![(json!({ "frequencyPenalty": 0.5 }), None)],
        // text/plain is what every request asks for anyway.
        "outputMimeType" => vec![(json!({ "outputMimeType": "application/json" }), None)],
        "outputSchema" => {
            vec![(
                json!({ "outputMimeType": "application/json", "outputSchema": { "type": "object", "properties": { "a": { "type": "string" } } } }),
                None,
            )]
        }
        "functionDeclarations" => vec![(
            json!({ "functionDeclarations": [{ "name": "probe", "description": "A probe.", "parameters": { "type": "object", "properties": { "q": { "type": "string" } } } }] }),
            None,
        )],
        "webSearch" => vec![(json!({ "webSearch": { "allowedDomains": [], "disallowedDomains": [] } }), None)],
        "inputModalities" => {
            let with_image =
                values.and_then(Value::as_array).unwrap().iter().any(|combo| combo.as_array().unwrap().iter().any(|m| m == "image"));
            if with_image {
                vec![(json!({}), Some(image))]
            } else {
                Vec::new()
            }
        }
        "outputModalities" => Vec::new(),
        other => panic!("no sample for declared option {other}: add one, and make sure the mapping honours it"),
    }
}

#[test]
fn every_declared_option_changes_what_the_provider_receives() {
    let stored = json!({
        "managed": true,
        "credentials": ["OpenAI", "Google", "Claude", "OpenRouter", "Azure", "DeepSeek", "xAI"],
        "providers": {
            "Azure": { "endpoint": "https://example.openai.azure.com" },
            "Ollama": { "base_url": "http://localhost:11434" },
        },
        "catalogs": {
            // A model of each metadata variant: the usual one ("m") and those whose options differ.
            "aipkit_openai_model_list": ["m", "o3-mini"], "aipkit_google_model_list": ["m"], "aipkit_claude_model_list": ["m"],
            "aipkit_openrouter_model_list": ["m"], "aipkit_azure_deployment_list": ["m"], "aipkit_deepseek_model_list": ["m"],
            "aipkit_xai_model_list": ["m", "grok-4"], "aipkit_ollama_model_list": ["m", "llava:7b"],
        },
    });
    let mut checked = 0;
    let mut stored_modes = vec![stored.clone()];
    let mut chat = stored.clone();
    chat["providers"]["OpenAI"] = json!({ "api_mode": "chat_completions" });
    stored_modes.push(chat);
    let mut dropped = Vec::new();
    for stored in &stored_modes {
        let prepared = prepare(stored);
        for connector in prepared["site"]["connectors"].as_array().unwrap().iter().filter(|c| c["available"] == true) {
            let id = connector["id"].as_str().unwrap();
            for model in connector["models"].as_array().unwrap() {
                let model_id = model["id"].as_str().unwrap();
                // The template the AI Client sees for this model.
                let template = match model.get("variant").and_then(Value::as_str) {
                    Some(variant) => &prepared["templates"][id]["model_variants"][variant],
                    None => &prepared["templates"][id]["model_metadata"],
                };
                let baseline = preview(&prepared["site"], id, model_id, json!({}), None);
                for option in template["supportedOptions"].as_array().unwrap() {
                    let name = option["name"].as_str().unwrap();
                    for (config, part) in sample(name, option.get("supportedValues")) {
                        let requests = preview(&prepared["site"], id, model_id, config.clone(), part);
                        checked += 1;
                        if requests == baseline {
                            dropped.push(format!("{id} {model_id} ({}): {name} = {config}", connector["settings"]["api_mode"]));
                        }
                    }
                }
            }
        }
    }
    assert!(dropped.is_empty(), "declared but not sent:\n{}", dropped.join("\n"));
    assert!(checked >= 20, "only {checked} option samples were checked");
}

/// A reference image (a 1×1 PNG).
const REFERENCE: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/// Image models make the same promise: every value an image model declares for an option is
/// honoured — each value of a multi-valued option gives its own requests (size, format, count),
/// a single-valued one is the default and must be accepted.
#[test]
fn every_declared_image_option_value_changes_the_request_or_is_the_default() {
    let stored = json!({
        "managed": true, "credentials": ["OpenAI", "Google", "xAI", "OpenRouter", "Azure"],
        "providers": { "OpenAI": {}, "Google": {}, "Azure": { "endpoint": "https://example.openai.azure.com" } },
        "catalogs": {
            "aipkit_model_registry_openai": { "catalogs": { "OpenAI": ["gpt-4.1"], "OpenAIImage": ["gpt-image-1", "dall-e-3"] } },
            "aipkit_model_registry_google": { "catalogs": {
                "Google": ["gemini-2.5-flash"], "GoogleImage": ["gemini-2.5-flash-image", "imagen-4.0-generate-001"] } },
            "aipkit_model_registry_xai": { "catalogs": { "xAI": ["grok-4"], "xAIImage": ["grok-imagine-image", "grok-2-image-1212"] } },
            "aipkit_model_registry_openrouter": { "catalogs": {
                "OpenRouter": ["openai/gpt-4o-mini"], "OpenRouterImage": ["google/gemini-2.5-flash-image"] } },
            // Azure deployments: the family is the model each serves.
            "aipkit_model_registry_azure": { "catalogs": {
                "Azure": ["gpt-4o"], "AzureImage": [{ "id": "pictures", "name": "pictures (gpt-image-1)" }, { "id": "dalle3", "name": "dalle3 (dall-e-3)" }] } },
        },
    });
    let prepared = prepare(&stored);
    let mut checked = 0;
    let mut models = 0;
    let mut references = 0;
    for connector in ["openai", "google", "xai", "openrouter", "azure"] {
        let offered = prepared["site"]["connectors"].as_array().unwrap().iter().find(|c| c["id"] == connector).unwrap().clone();
        let step = |model: &str, config: Value, reference: bool| -> Value {
            let mut config = config;
            config["outputModalities"] = json!(["image"]);
            let mut parts = vec![json!({ "type": "text", "text": "A teapot" })];
            if reference {
                parts.push(json!({ "type": "file", "file": { "fileType": "inline", "mimeType": "image/png", "base64Data": REFERENCE } }));
            }
            serde_json::from_str(&aipuffer_engine::advance_json(
                &json!({
                    "task": "preview", "site": prepared["site"],
                    "call": { "capability": "image_generation", "provider": connector, "model": model,
                              "messages": [{ "role": "user", "parts": parts }], "config": config },
                })
                .to_string(),
            ))
            .unwrap()
        };
        let image = |model: &str, config: Value| -> Value {
            let step = step(model, config.clone(), false);
            assert_eq!(step["step"], "done", "{model} {config}: {step}");
            step["result"]["requests"].clone()
        };
        for row in offered["image_models"].as_array().unwrap() {
            models += 1;
            let model = row["id"].as_str().unwrap();
            let variant = &prepared["templates"][connector]["model_variants"][row["variant"].as_str().unwrap()];
            let plain = image(model, json!({}));
            for option in variant["supportedOptions"].as_array().unwrap() {
                let name = option["name"].as_str().unwrap();
                if name == "inputModalities" {
                    // A model declaring image input sends the image; one declaring text only
                    // refuses a prompt carrying one rather than dropping it.
                    let takes_images = option["supportedValues"].to_string().contains("image");
                    let with_reference = step(model, json!({}), true);
                    if takes_images {
                        assert_eq!(with_reference["step"], "done", "{model}: {with_reference}");
                        let requests = &with_reference["result"]["requests"];
                        assert_ne!(requests, &plain, "{model}: the reference image changes nothing");
                        // A multipart body (an edit) travels as base64 of its bytes.
                        let sent = requests.as_array().unwrap().iter().all(|r| match r["body_base64"] == true {
                            true => {
                                let body = decode_base64(r["body"].as_str().unwrap()).unwrap();
                                let image = decode_base64(REFERENCE).unwrap();
                                body.windows(image.len()).any(|w| w == image)
                            }
                            false => r["body"].as_str().unwrap().contains(REFERENCE),
                        });
                        assert!(sent, "{model}: the reference image is not sent");
                        references += 1;
                    } else {
                        assert_eq!(with_reference["step"], "fail", "{model}: a reference image is dropped: {with_reference}");
                        assert_eq!(with_reference["error"]["reason"], "image_reference_unsupported", "{model}: {with_reference}");
                    }
                    checked += 1;
                    continue;
                }
                if name.ends_with("Modalities") {
                    continue;
                }
                let values = option["supportedValues"].as_array().unwrap();
                let requests: Vec<Value> = values.iter().map(|v| image(model, json!({ name: v }))).collect();
                if values.len() == 1 {
                    assert_eq!(requests[0], plain, "{model}: the only {name} is the default");
                } else {
                    for (i, a) in requests.iter().enumerate() {
                        for b in &requests[i + 1..] {
                            assert_ne!(a, b, "{model}: two values of {name} send the same requests");
                        }
                    }
                }
                checked += values.len();
            }
        }
    }
    assert_eq!(models, 9, "every mapped family of every image connector is checked");
    assert_eq!(
        references, 4,
        "the families that take reference images: Gemini, on Google and on OpenRouter, and GPT Image on OpenAI and Azure"
    );
    assert!(checked >= 100, "{checked} option values checked");
}
