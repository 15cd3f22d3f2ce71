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
use crate::usage::UsageFields;

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

fn api_mode(route: &Route, snapshot: &Snapshot) -> ApiMode {
    match snapshot.options.setting(route.connector.internal, "api_mode") {
        "chat_completions" | "chat-completions" | "chat" => ApiMode::ChatCompletions,
        _ => ApiMode::Responses,
    }
}

/// `{base_url}/{api_version}{path}`; a base URL that already ends in the version is kept as is.
fn endpoint(route: &Route, snapshot: &Snapshot, path: &str) -> String {
    let base = route.base_url(snapshot);
    let version = match snapshot.options.setting(route.connector.internal, "api_version") {
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
    match api_mode(route, snapshot) {
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
    match api_mode(route, snapshot) {
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
    Ok(TextReply { candidates: vec![Candidate { text, finish }], usage: RESPONSES_USAGE.read(&body) })
}

/// Usage in a Responses API body.
const RESPONSES_USAGE: UsageFields = UsageFields {
    input: &["usage", "input_tokens"],
    output: &["usage", "output_tokens"],
    total: &["usage", "total_tokens"],
    thought: &["usage", "output_tokens_details", "reasoning_tokens"],
    cached_input: &["usage", "input_tokens_details", "cached_tokens"],
};

#[cfg(test)]
#[path = "../tests/openai.rs"]
mod tests;
