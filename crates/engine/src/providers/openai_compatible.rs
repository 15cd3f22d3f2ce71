//! The Chat Completions wire format (`POST …/chat/completions`), shared by every provider that
//! speaks it. What differs between them is data in a `Profile`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, PartKind, Role};
use crate::connectors::{Adapter, Connector};
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Credential, HttpOutcome, HttpRequest};
use crate::providers::tools::CallIds;
use crate::providers::{azure, deepseek, json_body, openai, openrouter, status_failure, timeout, xai, ErrorClass, TEXT_RESPONSE_LIMIT};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;
use crate::usage::UsageFields;

/// How one provider's Chat Completions dialect differs from OpenAI's.
#[derive(Debug)]
pub struct Profile {
    /// Where the API key goes.
    pub credential: Credential,
    /// The URL of an API path (`/chat/completions`) for a target.
    pub endpoint: fn(&Target, &str) -> String,
    /// The body field for the output limit: OpenAI deprecated `max_tokens` in favour of
    /// `max_completion_tokens` (reasoning models reject the old one); most others only know
    /// `max_tokens`.
    pub max_tokens_field: &'static str,
}

/// The name JSON-schema output is registered under (AI Puffer uses the same).
pub const SCHEMA_NAME: &str = "wp_ai_client_response";

/// The dialect of a connector that speaks Chat Completions.
pub fn profile(connector: &Connector) -> &'static Profile {
    match connector.adapter {
        Adapter::OpenAi => &openai::PROFILE,
        Adapter::OpenRouter => &openrouter::PROFILE,
        Adapter::Azure => &azure::PROFILE,
        Adapter::DeepSeek => &deepseek::PROFILE,
        Adapter::Xai => &xai::PROFILE,
        // Their own wire formats; never routed here.
        Adapter::Google | Adapter::Anthropic | Adapter::Ollama => &openai::PROFILE,
    }
}

/// `{base_url}/{api_version}{path}`; a base URL that already ends in the version is kept as is.
pub fn versioned_endpoint(target: &Target, path: &str) -> String {
    let base = target.base_url();
    let version = target.setting("api_version").trim_matches('/');
    let version = if version.is_empty() { "v1" } else { version };
    if base.ends_with(&format!("/{version}")) {
        format!("{base}{path}")
    } else {
        format!("{base}/{version}{path}")
    }
}

/// The requests for a call: one, asking for every candidate with `n`.
pub fn text_requests(profile: &Profile, target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    Ok(vec![text_request(profile, target, call)?])
}

/// One Chat Completions request for the whole call (`n` asks for several candidates at once).
pub fn text_request(profile: &Profile, target: &Target, call: &Call) -> Result<HttpRequest, Failure> {
    let url = (profile.endpoint)(target, "/chat/completions");
    let mut body = Map::new();
    body.insert("model".into(), json!(target.model.id));
    body.insert("messages".into(), Value::Array(messages(call)?));
    let config = &call.config;
    if let Some(max) = config.max_tokens {
        body.insert(profile.max_tokens_field.into(), json!(max));
    }
    insert_number(&mut body, "temperature", config.temperature);
    insert_number(&mut body, "top_p", config.top_p);
    insert_number(&mut body, "presence_penalty", config.presence_penalty);
    insert_number(&mut body, "frequency_penalty", config.frequency_penalty);
    if let Some(n) = config.candidate_count.filter(|n| *n > 1) {
        body.insert("n".into(), json!(n));
    }
    if let Some(stop) = config.stop_sequences.as_ref().filter(|s| !s.is_empty()) {
        body.insert("stop".into(), json!(stop));
    }
    match (&config.output_schema, is_json_mime(call)) {
        (Some(schema), _) => {
            body.insert(
                "response_format".into(),
                json!({ "type": "json_schema", "json_schema": { "name": SCHEMA_NAME, "schema": schema } }),
            );
        }
        (None, true) => {
            body.insert("response_format".into(), json!({ "type": "json_object" }));
        }
        (None, false) => {}
    }
    if let Some(declarations) = config.function_declarations.as_ref().filter(|d| !d.is_empty()) {
        let tools: Vec<Value> = declarations
            .iter()
            .map(|d| json!({ "type": "function", "function": { "name": d.name, "description": d.description, "parameters": parameters(d.parameters.as_ref()) } }))
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    merge_custom_options(&mut body, call, &["model", "messages", "stream", "n", "tools"]);
    Ok(post_json(url, profile.credential.clone(), Value::Object(body), timeout(call)))
}

/// System instruction first, then the conversation. A user turn with images becomes a content
/// array; text-only turns stay plain strings, which every compatible provider accepts. A model
/// turn's function calls become its `tool_calls`; each function response becomes a `tool`
/// message of its own — also several from one user turn, which is what WordPress's ability
/// resolver sends.
fn messages(call: &Call) -> Result<Vec<Value>, Failure> {
    let mut out = Vec::with_capacity(call.messages.len() + 1);
    if let Some(system) = system_instruction(call) {
        out.push(json!({ "role": "system", "content": system }));
    }
    let mut ids = CallIds::new();
    for message in &call.messages {
        let mut parts = Vec::new();
        let mut has_image = false;
        let mut tool_calls = Vec::new();
        for part in message.parts.iter().filter(|p| p.channel == Channel::Content) {
            match part.kind {
                PartKind::Text => parts.push(json!({ "type": "text", "text": part.text.as_deref().unwrap_or("") })),
                PartKind::File => {
                    has_image = true;
                    parts.push(json!({ "type": "image_url", "image_url": { "url": image_url(part.file.as_ref())? } }));
                }
                PartKind::FunctionCall => {
                    let Some(called) = &part.function_call else { continue };
                    tool_calls.push(json!({
                        "id": ids.for_call(called),
                        "type": "function",
                        "function": { "name": called.name.as_deref().unwrap_or(""), "arguments": called.args_object().to_string() },
                    }));
                }
                PartKind::FunctionResponse => {
                    let Some(response) = &part.function_response else { continue };
                    out.push(json!({ "role": "tool", "tool_call_id": ids.for_response(response), "content": response.text() }));
                }
            }
        }
        let text = message.text();
        match message.role {
            Role::Model if !tool_calls.is_empty() => {
                out.push(json!({ "role": "assistant", "content": if text.is_empty() { Value::Null } else { json!(text) }, "tool_calls": tool_calls }));
            }
            Role::Model => out.push(json!({ "role": "assistant", "content": text })),
            Role::User if has_image => out.push(json!({ "role": "user", "content": parts })),
            Role::User if !parts.is_empty() => out.push(json!({ "role": "user", "content": text })),
            Role::User => {}
        }
    }
    Ok(out)
}

/// Reads a Chat Completions response.
pub fn parse_text(target: &Target, response: &HttpOutcome) -> Result<TextReply, Failure> {
    let label = target.connector.label;
    if !(200..300).contains(&response.status) {
        return Err(error(target, response));
    }
    let body = json_body(label, response)?;
    let choices = body.get("choices").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut candidates = Vec::with_capacity(choices.len());
    for choice in choices {
        let message = choice.get("message");
        let mut parts = Vec::new();
        if let Some(text) = message.and_then(|m| m.get("content")).and_then(Value::as_str).filter(|t| !t.is_empty()) {
            parts.push(ReplyPart::Text { text: text.to_string(), thought: false, signature: None });
        }
        for tool_call in message.and_then(|m| m.get("tool_calls")).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            parts.push(ReplyPart::FunctionCall { call: function_call(tool_call), signature: None });
        }
        let finish = match choice.get("finish_reason").and_then(Value::as_str) {
            _ if parts.iter().any(|p| matches!(p, ReplyPart::FunctionCall { .. })) => FinishReason::ToolCalls,
            Some("length") => FinishReason::Length,
            Some("content_filter") => FinishReason::ContentFilter,
            Some("tool_calls" | "function_call") => FinishReason::ToolCalls,
            _ => FinishReason::Stop,
        };
        if !parts.is_empty() || finish != FinishReason::Stop {
            candidates.push(Candidate { parts, finish });
        }
    }
    if candidates.is_empty() {
        return Err(no_text(label, &target.model.id));
    }
    Ok(TextReply { candidates, usage: CHAT_USAGE.read(&body) })
}

/// `{id, function: {name, arguments}}` as a `FunctionCall`; arguments that are not JSON stay text.
fn function_call(tool_call: &Value) -> crate::call::FunctionCall {
    let arguments = tool_call.pointer("/function/arguments");
    let args = match arguments {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
        Some(other) => other.clone(),
        None => Value::Object(Map::new()),
    };
    crate::call::FunctionCall {
        id: tool_call.get("id").and_then(Value::as_str).map(str::to_string),
        name: tool_call.pointer("/function/name").and_then(Value::as_str).map(str::to_string),
        args: Some(args),
    }
}

/// Usage in a Chat Completions body.
pub const CHAT_USAGE: UsageFields = UsageFields {
    input: &["usage", "prompt_tokens"],
    output: &["usage", "completion_tokens"],
    total: &["usage", "total_tokens"],
    thought: &["usage", "completion_tokens_details", "reasoning_tokens"],
    cached_input: &["usage", "prompt_tokens_details", "cached_tokens"],
};

/// The failure for an OpenAI-style error answer: its `error.code`/`type` classify it, its
/// `error.message` is quoted.
pub fn error(target: &Target, response: &HttpOutcome) -> Failure {
    let body = serde_json::from_str::<Value>(&response.body).ok();
    let class = body.as_ref().and_then(|b| error_class(b));
    status_failure(target, response, class, body.as_ref().and_then(error_message).as_deref())
}

/// OpenAI's error codes that say more than the status: `context_length_exceeded` (400),
/// `insufficient_quota` (429), `content_filter` / content policy violations (400).
fn error_class(body: &Value) -> Option<ErrorClass> {
    let error = body.get("error")?;
    let code = error.get("code").and_then(Value::as_str).or_else(|| error.get("type").and_then(Value::as_str)).unwrap_or("");
    match code {
        "context_length_exceeded" | "string_above_max_length" => Some(ErrorClass::ContextTooLong),
        "insufficient_quota" | "billing_hard_limit_reached" | "billing_not_active" => Some(ErrorClass::Billing),
        "content_filter" | "content_policy_violation" => Some(ErrorClass::ContentRefused),
        _ => None,
    }
}

/// `error.message` of an OpenAI-style error body (`{"error": {"message": …}}`), or a top-level
/// `message`/string `error` some compatible servers send.
pub fn error_message(body: &Value) -> Option<String> {
    let error = body.get("error");
    error
        .and_then(|e| e.get("message"))
        .or_else(|| error.filter(|e| e.is_string()))
        .or_else(|| body.get("message"))
        .and_then(Value::as_str)
        .map(str::to_string)
}

// ---- pieces the other wire formats share -----------------------------------------------------

pub fn post_json(url: String, credential: Credential, body: Value, timeout: f64) -> HttpRequest {
    let mut headers = BTreeMap::new();
    headers.insert("Content-Type", "application/json".to_string());
    headers.insert("Accept", "application/json".to_string());
    HttpRequest {
        id: String::new(),
        method: "POST",
        url,
        headers,
        credential: Some(credential),
        body: Some(body.to_string()),
        timeout,
        max_response_bytes: TEXT_RESPONSE_LIMIT,
        local: false,
    }
}

/// A function's parameter schema; providers want an object schema even for no parameters.
pub fn parameters(schema: Option<&Value>) -> Value {
    match schema {
        Some(Value::Object(fields)) if !fields.is_empty() => Value::Object(fields.clone()),
        _ => json!({ "type": "object", "properties": {} }),
    }
}

/// The system instruction, extended the way AI Puffer does when JSON output is requested
/// (OpenAI refuses `json_object` output unless the prompt mentions JSON).
pub fn system_instruction(call: &Call) -> Option<String> {
    let base = call.config.system_instruction.clone().filter(|s| !s.trim().is_empty());
    let json_rule = match (&call.config.output_schema, is_json_mime(call)) {
        (Some(schema), _) => Some(format!("Respond only with valid JSON that matches this JSON Schema: {schema}")),
        (None, true) => Some("Respond only with valid JSON.".to_string()),
        (None, false) => None,
    };
    match (base, json_rule) {
        (Some(base), Some(rule)) => Some(format!("{base}\n\n{rule}")),
        (base, rule) => base.or(rule),
    }
}

pub fn is_json_mime(call: &Call) -> bool {
    call.config.output_mime_type.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("application/json"))
}

/// Custom options go into the body as given — except the fields the gateway itself must own.
pub fn merge_custom_options(body: &mut Map<String, Value>, call: &Call, reserved: &[&str]) {
    for (key, value) in &call.config.custom_options {
        if !reserved.contains(&key.as_str()) {
            body.insert(key.clone(), value.clone());
        }
    }
}

pub fn insert_number(body: &mut Map<String, Value>, key: &str, value: Option<f64>) {
    if let Some(v) = value.filter(|v| v.is_finite()) {
        body.insert(key.into(), json!(v));
    }
}

/// An image part's URL: its remote URL or a data URI. Only images are accepted.
pub fn image_url(file: Option<&crate::call::File>) -> Result<String, Failure> {
    let file = file.ok_or_else(|| Failure::invalid_argument(Reason::FilePartEmpty, Default::default()))?;
    if !file.mime_type.starts_with("image/") && file.base64_data.is_some() {
        return Err(if file.mime_type.is_empty() {
            Failure::invalid_argument(Reason::FileWithoutMimeType, Default::default())
        } else {
            Failure::invalid_argument(Reason::FileNotImage, params([("mime_type", file.mime_type.clone())]))
        });
    }
    file.as_url().ok_or_else(|| Failure::invalid_argument(Reason::FileWithoutData, Default::default()))
}

pub fn no_text(label: &str, model: &str) -> Failure {
    Failure::server(502, Reason::ProviderNoText, params([("provider", label.into()), ("model", model.into())]))
}
