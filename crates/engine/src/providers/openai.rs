//! OpenAI: the Responses API (`POST /v1/responses`, AI Puffer's default `api_mode`) and, with
//! `api_mode = chat_completions`, the shared Chat Completions adapter.

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, PartKind, Role};
use crate::error::Failure;
use crate::protocol::{Auth, HttpRequest, HttpResponse};
use crate::providers::openai_compatible::{self as compat, Profile};
use crate::providers::{json_body, status_failure, timeout, Candidate, FinishReason, TextReply};
use crate::route::Route;
use crate::snapshot::Snapshot;
use crate::usage::{count_at, Usage};

pub const PROFILE: Profile = Profile {
    label: "OpenAI",
    auth: Auth { provider: "OpenAI", header: "Authorization", prefix: "Bearer " },
    max_tokens_field: "max_completion_tokens",
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ApiMode {
    Responses,
    ChatCompletions,
}

fn api_mode(snapshot: &Snapshot) -> ApiMode {
    match snapshot.options.setting("OpenAI", "api_mode") {
        "chat_completions" | "chat-completions" | "chat" => ApiMode::ChatCompletions,
        _ => ApiMode::Responses,
    }
}

/// `{base_url}/{api_version}{path}`; a base URL that already ends in the version is kept as is.
fn endpoint(route: &Route, snapshot: &Snapshot, path: &str) -> String {
    let base = route.base_url(snapshot);
    let version = match snapshot.options.setting("OpenAI", "api_version") {
        "" => "v1",
        v => v.trim_matches('/'),
    };
    if base.ends_with(&format!("/{version}")) {
        format!("{base}{path}")
    } else {
        format!("{base}/{version}{path}")
    }
}

pub fn text_requests(route: &Route, call: &Call, snapshot: &Snapshot) -> Result<Vec<HttpRequest>, Failure> {
    match api_mode(snapshot) {
        ApiMode::ChatCompletions => {
            Ok(vec![compat::text_request(&PROFILE, endpoint(route, snapshot, "/chat/completions"), route, call)?])
        }
        ApiMode::Responses => {
            // The Responses API returns one output per request: N candidates are N requests,
            // which the host may send concurrently.
            let request = compat::post_json(
                endpoint(route, snapshot, "/responses"),
                PROFILE.auth.clone(),
                responses_body(route, call)?,
                timeout(call),
            );
            let count = call.config.candidate_count.unwrap_or(1).clamp(1, 4);
            Ok(vec![request; count as usize])
        }
    }
}

fn responses_body(route: &Route, call: &Call) -> Result<Value, Failure> {
    let mut body = Map::new();
    body.insert("model".into(), json!(route.model.id));
    body.insert("input".into(), Value::Array(input_items(call)?));
    if let Some(instructions) = compat::system_instruction(call) {
        body.insert("instructions".into(), json!(instructions));
    }
    let config = &call.config;
    if let Some(max) = config.max_tokens {
        body.insert("max_output_tokens".into(), json!(max));
    }
    compat::insert_number(&mut body, "temperature", config.temperature);
    compat::insert_number(&mut body, "top_p", config.top_p);
    // The Responses API has no top_k, stop sequences or penalties; sending them is a 400, so
    // they are left out (Chat Completions mode sends the ones OpenAI knows).
    match (&config.output_schema, compat::is_json_mime(call)) {
        (Some(schema), _) => {
            body.insert(
                "text".into(),
                json!({ "format": { "type": "json_schema", "name": compat::SCHEMA_NAME, "schema": schema, "strict": false } }),
            );
        }
        (None, true) => {
            body.insert("text".into(), json!({ "format": { "type": "json_object" } }));
        }
        (None, false) => {}
    }
    body.insert("store".into(), json!(false));
    compat::merge_custom_options(&mut body, call, &["model", "input", "stream"]);
    Ok(Value::Object(body))
}

/// Messages as Responses input items: user text is `input_text`, earlier model turns
/// `output_text`, images `input_image`.
fn input_items(call: &Call) -> Result<Vec<Value>, Failure> {
    let mut items = Vec::with_capacity(call.messages.len());
    for message in &call.messages {
        let (role, text_type) = match message.role {
            Role::User => ("user", "input_text"),
            Role::Model => ("assistant", "output_text"),
        };
        let mut content = Vec::new();
        for part in message.parts.iter().filter(|p| p.channel == Channel::Content) {
            match part.kind {
                PartKind::Text => content.push(json!({ "type": text_type, "text": part.text.as_deref().unwrap_or("") })),
                PartKind::File if message.role == Role::User => {
                    content.push(json!({ "type": "input_image", "image_url": compat::image_url(part.file.as_ref())? }))
                }
                PartKind::File => {}
                PartKind::FunctionCall | PartKind::FunctionResponse => return Err(compat::function_calling_unsupported()),
            }
        }
        if !content.is_empty() {
            items.push(json!({ "role": role, "content": content }));
        }
    }
    if items.is_empty() {
        return Err(Failure::invalid_argument("The prompt has no text or image to send."));
    }
    Ok(items)
}

pub fn parse_text(route: &Route, snapshot: &Snapshot, response: &HttpResponse) -> Result<TextReply, Failure> {
    match api_mode(snapshot) {
        ApiMode::ChatCompletions => compat::parse_text(&PROFILE, route, response),
        ApiMode::Responses => parse_response(route, response),
    }
}

fn parse_response(route: &Route, response: &HttpResponse) -> Result<TextReply, Failure> {
    let label = PROFILE.label;
    let model = &route.model.id;
    if !(200..300).contains(&response.status) {
        let message = serde_json::from_str::<Value>(&response.body).ok().and_then(|b| compat::error_message(&b));
        return Err(status_failure(label, route.connector.internal, model, response, message.as_deref()));
    }
    let body = json_body(label, response)?;
    let text: String = body
        .get("output")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter(|item| item.get("type").and_then(Value::as_str) == Some("message"))
        .flat_map(|item| item.get("content").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]))
        .filter(|part| part.get("type").and_then(Value::as_str) == Some("output_text"))
        .filter_map(|part| part.get("text").and_then(Value::as_str))
        .collect();
    let reason = body.pointer("/incomplete_details/reason").and_then(Value::as_str);
    let finish = match (body.get("status").and_then(Value::as_str), reason) {
        (Some("failed"), _) => {
            let said = body.pointer("/error/message").and_then(Value::as_str).map(crate::providers::scrub).unwrap_or_default();
            return Err(Failure::server(502, format!("{label} could not complete the response for model \"{model}\": {said}")));
        }
        (Some("incomplete"), Some("max_output_tokens")) => {
            return Err(Failure::token_limit(format!(
                "{label} stopped at the output token limit before finishing (model \"{model}\"). Raise maxTokens for this prompt."
            )));
        }
        (Some("incomplete"), Some("content_filter")) => FinishReason::ContentFilter,
        _ => FinishReason::Stop,
    };
    if text.is_empty() && finish == FinishReason::Stop {
        return Err(compat::no_text(label, model));
    }
    Ok(TextReply { candidates: vec![Candidate { text, finish }], usage: responses_usage(&body) })
}

fn responses_usage(body: &Value) -> Option<Usage> {
    let input = count_at(body, &["usage", "input_tokens"])?;
    let output = count_at(body, &["usage", "output_tokens"]).unwrap_or(0);
    let mut usage = Usage::reported(input, output, count_at(body, &["usage", "total_tokens"]));
    usage.thought = count_at(body, &["usage", "output_tokens_details", "reasoning_tokens"]);
    usage.cached_input = count_at(body, &["usage", "input_tokens_details", "cached_tokens"]);
    Some(usage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn snapshot(openai: Value) -> Snapshot {
        serde_json::from_value(json!({
            "managed": true,
            "credentials": ["OpenAI"],
            "options": { "providers": { "OpenAI": openai } },
            "catalogs": { "aipkit_openai_model_list": ["gpt-4.1-mini"] },
        }))
        .unwrap()
    }

    fn call(config: Value) -> Call {
        serde_json::from_value(json!({
            "capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
            "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }],
            "config": config,
        }))
        .unwrap()
    }

    fn requests(openai: Value, config: Value) -> Result<Vec<HttpRequest>, Failure> {
        let snapshot = snapshot(openai);
        let call = call(config);
        let route = crate::route::resolve(&snapshot, &call)?;
        text_requests(&route, &call, &snapshot)
    }

    fn body(request: &HttpRequest) -> Value {
        serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn responses_mode_sends_one_request_per_candidate() {
        let sent = requests(json!({}), json!({ "candidateCount": 3 })).unwrap();
        assert_eq!(sent.len(), 3);
        assert!(sent.iter().all(|r| r.url == "https://api.openai.com/v1/responses"));
    }

    #[test]
    fn chat_completions_mode_asks_for_n_candidates_at_once() {
        let sent = requests(json!({ "api_mode": "chat_completions" }), json!({ "candidateCount": 3, "stopSequences": ["END"] })).unwrap();
        assert_eq!(sent.len(), 1);
        assert_eq!(body(&sent[0])["n"], 3);
        assert_eq!(body(&sent[0])["stop"], json!(["END"]));
    }

    #[test]
    fn json_schema_output_uses_each_apis_own_format() {
        let schema = json!({ "type": "object" });
        let responses = requests(json!({}), json!({ "outputSchema": schema, "outputMimeType": "application/json" })).unwrap();
        assert_eq!(body(&responses[0])["text"]["format"]["type"], "json_schema");
        assert!(body(&responses[0])["instructions"].as_str().unwrap().contains("JSON Schema"));
        let chat = requests(json!({ "api_mode": "chat_completions" }), json!({ "outputMimeType": "application/json" })).unwrap();
        assert_eq!(body(&chat[0])["response_format"], json!({ "type": "json_object" }));
    }

    #[test]
    fn custom_options_cannot_replace_the_model_or_the_prompt() {
        let sent = requests(json!({}), json!({ "customOptions": { "model": "other", "input": [], "seed": 7 } })).unwrap();
        let b = body(&sent[0]);
        assert_eq!(b["model"], "gpt-4.1-mini");
        assert_eq!(b["seed"], 7);
        assert_eq!(b["input"][0]["content"][0]["text"], "Hi");
    }

    #[test]
    fn the_version_is_not_doubled_and_custom_versions_are_kept() {
        let sent = requests(json!({ "base_url": "https://gw.example/openai/v1/" }), json!({})).unwrap();
        assert_eq!(sent[0].url, "https://gw.example/openai/v1/responses");
        let sent = requests(json!({ "base_url": "https://gw.example", "api_version": "v2" }), json!({})).unwrap();
        assert_eq!(sent[0].url, "https://gw.example/v2/responses");
    }

    #[test]
    fn the_key_is_never_in_the_request_only_a_reference_to_it() {
        let sent = requests(json!({ "api_key": "sk-should-not-be-here" }), json!({})).unwrap();
        let text = serde_json::to_string(&sent).unwrap();
        assert!(!text.contains("sk-should-not-be-here"));
        assert_eq!(sent[0].auth.as_ref().unwrap().provider, "OpenAI");
    }

    #[test]
    fn only_images_can_be_attached() {
        let snapshot = snapshot(json!({}));
        let call: Call = serde_json::from_value(json!({
            "capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
            "messages": [{ "role": "user", "parts": [{ "type": "file", "file": { "mimeType": "application/pdf", "base64Data": "JVBERi0=" } }] }],
        }))
        .unwrap();
        let route = crate::route::resolve(&snapshot, &call).unwrap();
        let failure = text_requests(&route, &call, &snapshot).unwrap_err();
        assert_eq!(failure.code, "prompt_invalid_argument");
        assert!(failure.message.contains("application/pdf"));
    }
}
