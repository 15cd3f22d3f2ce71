//! Ollama: the native chat API (`POST {base_url}/api/chat`) of a server the site owner runs.
//! There is no key: requests carry no credential and are marked `local`, so the host allows the
//! configured base URL although WordPress refuses local hosts and unusual ports by default.
//!
//! Wire facts (Ollama's `docs/api.md`, `docs/openapi.yaml`, `docs/capabilities/*.mdx`): `stream`
//! defaults to true, so every request sets it to false; sampling settings live in `options`
//! (`num_predict` is the output limit); `format` is `"json"` or a JSON schema; images are base64
//! strings in a message's `images`; tool results are `tool` messages named by `tool_name` (newer
//! servers also read `tool_call_id` and return an `id` per tool call); errors are `{"error": "…"}`.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, File, FunctionCall, FunctionResponse, PartKind, Role};
use crate::catalog::ModelKind;
use crate::failure::{params, Failure, Params};
use crate::messages::Reason;
use crate::protocol::{HttpOutcome, HttpRequest};
use crate::providers::openai_compatible::{self as compat};
use crate::providers::{
    get_json, host_of, items, listed, looks_like_html, sampling, scrub, status_failure, timeout, ErrorClass, ModelPage, TEXT_RESPONSE_LIMIT,
};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;
use crate::usage::{count_at, Usage};

/// Custom options that are fields of the request itself; every other custom option is a model
/// option and goes into `options` (`num_ctx`, `seed`, `min_p`, …), which is where Ollama reads it.
const REQUEST_FIELDS: &[&str] = &["format", "keep_alive", "think", "truncate", "shift", "logprobs", "top_logprobs"];

/// Fields the gateway owns: a custom option cannot replace the model, the prompt, the tools or
/// turn streaming back on (the engine reads one JSON answer, not NDJSON).
const RESERVED: &[&str] = &["model", "messages", "stream", "tools"];

/// Ollama answers one message per request: N candidates are N requests, which the host may send
/// concurrently.
pub fn text_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let mut headers = BTreeMap::new();
    headers.insert("Content-Type", "application/json".to_string());
    headers.insert("Accept", "application/json".to_string());
    let request = HttpRequest {
        id: String::new(),
        method: "POST",
        url: chat_url(target),
        headers,
        credential: None,
        body: Some(serde_json::to_string(&chat_body(target, call)?).unwrap_or_default()),
        timeout: timeout(call),
        max_response_bytes: TEXT_RESPONSE_LIMIT,
        body_base64: false,
        local: true,
    };
    Ok(vec![request; call.candidates() as usize])
}

/// `{base_url}/api/chat`; a base URL saved with Ollama's `/api` prefix is not doubled.
fn chat_url(target: &Target) -> String {
    api_url(target, "/chat")
}

fn api_url(target: &Target, path: &str) -> String {
    let base = target.base_url();
    format!("{}/api{path}", base.strip_suffix("/api").unwrap_or(base))
}

/// `GET {base_url}/api/tags`: the models pulled on the server (no key; a local address allowed).
pub fn list_request(target: &Target) -> HttpRequest {
    let mut request = get_json(api_url(target, "/tags"), None);
    request.local = true;
    request
}

/// `models[]` of `{name, model}`; embedding models are none of ours.
pub fn parse_list(body: &Value) -> ModelPage {
    let models = items(body, "models")
        .iter()
        .filter(|row| !row.get("name").and_then(Value::as_str).unwrap_or("").contains("embed"))
        .filter_map(|row| listed(row, &["name", "model"], &["name"], ModelKind::Text))
        .collect();
    ModelPage { models, next: None }
}

fn chat_body(target: &Target, call: &Call) -> Result<Value, Failure> {
    let config = &call.config;
    let mut body = Map::new();
    body.insert("model".into(), json!(target.model.id));
    body.insert("messages".into(), Value::Array(messages(call)?));
    body.insert("stream".into(), json!(false));
    let mut options = Map::new();
    if let Some(max) = config.max_tokens {
        options.insert("num_predict".into(), json!(max));
    }
    sampling::insert(&mut options, &sampling::SNAKE_CASE, config, &target.features());
    match (&config.output_schema, compat::is_json_mime(call)) {
        (Some(schema), _) => {
            body.insert("format".into(), schema.clone());
        }
        (None, true) => {
            body.insert("format".into(), json!("json"));
        }
        (None, false) => {}
    }
    if let Some(declarations) = config.function_declarations.as_ref().filter(|d| !d.is_empty()) {
        let tools: Vec<Value> = declarations
            .iter()
            .map(|d| json!({ "type": "function", "function": { "name": d.name, "description": d.description, "parameters": compat::parameters(d.parameters.as_ref()) } }))
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    for (key, value) in &config.custom_options {
        match (key.as_str(), value) {
            (key, _) if RESERVED.contains(&key) => {}
            ("options", Value::Object(more)) => options.extend(more.clone()),
            (key, _) if REQUEST_FIELDS.contains(&key) => {
                body.insert(key.to_string(), value.clone());
            }
            _ => {
                options.insert(key.clone(), value.clone());
            }
        }
    }
    if !options.is_empty() {
        body.insert("options".into(), Value::Object(options));
    }
    Ok(Value::Object(body))
}

/// The system instruction (with AI Puffer's JSON rule: Ollama's docs ask for JSON to be requested
/// in the prompt too), then the conversation. A model turn's function calls become its
/// `tool_calls` and its thought-channel text its `thinking` (templates of reasoning models read it
/// back during tool loops); each function response becomes a `tool` message of its own — also
/// several from one user turn, which is what WordPress's ability resolver sends.
fn messages(call: &Call) -> Result<Vec<Value>, Failure> {
    let mut out = Vec::with_capacity(call.messages.len() + 1);
    if let Some(system) = compat::system_instruction(call) {
        out.push(json!({ "role": "system", "content": system }));
    }
    let mut calls = CallNames::default();
    let mut conversation = 0;
    for message in &call.messages {
        let mut images = Vec::new();
        let mut tool_calls = Vec::new();
        let mut thinking = Vec::new();
        for part in &message.parts {
            match (part.channel, part.kind) {
                (Channel::Thought, PartKind::Text) => thinking.extend(part.text.as_deref()),
                (Channel::Thought, _) | (Channel::Content, PartKind::Text) => {}
                (Channel::Content, PartKind::File) if message.role == Role::User => images.push(image_data(part.file.as_ref())?),
                (Channel::Content, PartKind::File) => {}
                (Channel::Content, PartKind::FunctionCall) => {
                    let Some(called) = &part.function_call else { continue };
                    calls.record(called);
                    tool_calls.push(object([
                        ("id", called.id.clone().filter(|id| !id.is_empty()).map(Value::String)),
                        ("type", Some(json!("function"))),
                        ("function", Some(json!({ "name": called.name.as_deref().unwrap_or(""), "arguments": called.args_object() }))),
                    ]));
                }
                (Channel::Content, PartKind::FunctionResponse) => {
                    let Some(response) = &part.function_response else { continue };
                    let (name, id) = calls.answering(response);
                    out.push(object([
                        ("role", Some(json!("tool"))),
                        ("content", Some(json!(response.text()))),
                        ("tool_name", Some(json!(name))),
                        ("tool_call_id", id.map(Value::String)),
                    ]));
                    conversation += 1;
                }
            }
        }
        let text = message.text();
        match message.role {
            Role::Model if text.is_empty() && tool_calls.is_empty() && thinking.is_empty() => {}
            Role::Model => {
                out.push(object([
                    ("role", Some(json!("assistant"))),
                    ("content", Some(json!(text))),
                    ("tool_calls", (!tool_calls.is_empty()).then_some(Value::Array(tool_calls))),
                    ("thinking", (!thinking.is_empty()).then(|| json!(thinking.join("\n\n")))),
                ]));
                conversation += 1;
            }
            Role::User if text.is_empty() && images.is_empty() => {}
            Role::User => {
                out.push(object([
                    ("role", Some(json!("user"))),
                    ("content", Some(json!(text))),
                    ("images", (!images.is_empty()).then(|| json!(images))),
                ]));
                conversation += 1;
            }
        }
    }
    // An empty conversation would only load the model (`done_reason: "load"`), not answer.
    if conversation == 0 {
        return Err(Failure::invalid_argument(Reason::PromptEmpty, Default::default()));
    }
    Ok(out)
}

/// A JSON object of the fields that have a value.
fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    Value::Object(fields.into_iter().filter_map(|(key, value)| value.map(|v| (key.to_string(), v))).collect())
}

/// Ties function responses to the calls they answer. Ollama matches a tool result by the
/// function's name (`tool_name`); newer servers also by `tool_call_id`.
#[derive(Default)]
struct CallNames {
    /// `(name, id)` of every call seen, latest last.
    calls: Vec<(String, Option<String>)>,
}

impl CallNames {
    fn record(&mut self, call: &FunctionCall) {
        self.calls.push((call.name.clone().unwrap_or_default(), call.id.clone().filter(|id| !id.is_empty())));
    }

    /// The response's function name (its own, else that of the call with its id) and id (its own,
    /// else that of the latest call of the same function).
    fn answering(&self, response: &FunctionResponse) -> (String, Option<String>) {
        let own_id = response.id.clone().filter(|id| !id.is_empty());
        let name = match response.name.clone().filter(|n| !n.is_empty()) {
            Some(name) => name,
            None => own_id
                .as_ref()
                .and_then(|id| self.calls.iter().rev().find(|(_, called)| called.as_ref() == Some(id)))
                .map(|(name, _)| name.clone())
                .unwrap_or_default(),
        };
        let id = own_id.or_else(|| self.calls.iter().rev().find(|(called, _)| *called == name).and_then(|(_, id)| id.clone()));
        (name, id)
    }
}

/// An image as the bare base64 Ollama wants: inline data, or a data URI's payload. Ollama cannot
/// fetch a URL, so a remote image is refused rather than dropped.
fn image_data(file: Option<&File>) -> Result<String, Failure> {
    let file = file.ok_or_else(|| Failure::invalid_argument(Reason::FilePartEmpty, Default::default()))?;
    if file.mime_type.is_empty() && file.base64_data.is_some() {
        return Err(Failure::invalid_argument(Reason::FileWithoutMimeType, Default::default()));
    }
    if !file.mime_type.is_empty() && !file.mime_type.starts_with("image/") {
        return Err(Failure::invalid_argument(Reason::FileNotImage, params([("mime_type", file.mime_type.clone())])));
    }
    match (&file.base64_data, &file.url) {
        (Some(data), _) => Ok(data.clone()),
        (None, Some(url)) => match url.strip_prefix("data:").and_then(|rest| rest.split_once(";base64,")) {
            Some((mime, data)) if mime.starts_with("image/") => Ok(data.to_string()),
            Some((mime, _)) => Err(Failure::invalid_argument(Reason::FileNotImage, params([("mime_type", mime.to_string())]))),
            None => Err(Failure::invalid_argument(Reason::OllamaImageUrl, params([("provider", "Ollama".into())]))),
        },
        (None, None) => Err(Failure::invalid_argument(Reason::FileWithoutData, Default::default())),
    }
}

/// Reads a chat response: `message.content`, `message.thinking` (a thought part), `message.tool_calls`
/// and `done_reason`; usage from `prompt_eval_count` and `eval_count`.
pub fn parse_text(target: &Target, body: Value) -> Result<TextReply, Failure> {
    let label = target.connector.label;
    let model = &target.model.id;
    let names = || params([("provider", label.into()), ("model", model.clone())]);
    if let Some(said) = body.get("error").and_then(Value::as_str) {
        return Err(with_said(Failure::server(502, Reason::ProviderFailed, names()), label, &unwrap_error(said)));
    }
    let message = body.get("message");
    let text = message.and_then(|m| m.get("content")).and_then(Value::as_str).unwrap_or("");
    let thinking = message.and_then(|m| m.get("thinking")).and_then(Value::as_str).unwrap_or("");
    let tool_calls = message.and_then(|m| m.get("tool_calls")).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut parts = Vec::new();
    if !thinking.is_empty() {
        parts.push(ReplyPart::Text { text: thinking.to_string(), thought: true, signature: None });
    }
    if !text.is_empty() {
        parts.push(ReplyPart::Text { text: text.to_string(), thought: false, signature: None });
    }
    for (i, tool_call) in tool_calls.iter().enumerate() {
        parts.push(ReplyPart::FunctionCall { call: function_call(tool_call, i), signature: None });
    }
    let finish = match body.get("done_reason").and_then(Value::as_str) {
        _ if !tool_calls.is_empty() => FinishReason::ToolCalls,
        Some("length") if text.is_empty() => return Err(Failure::token_limit(Reason::ProviderTokenLimit, names())),
        Some("length") => FinishReason::Length,
        _ if text.is_empty() => return Err(compat::no_text(label, model)),
        _ => FinishReason::Stop,
    };
    Ok(TextReply { candidates: vec![Candidate { parts, finish }], usage: usage(&body) })
}

/// `{id?, function: {name, arguments}}` as a `FunctionCall`. Servers before tool-call ids send
/// none; the call then gets `call_{n}` by its position, so the AI Client can tie its response to it.
fn function_call(tool_call: &Value, index: usize) -> FunctionCall {
    let args = match tool_call.pointer("/function/arguments") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
        Some(Value::Null) | None => Value::Object(Map::new()),
        Some(other) => other.clone(),
    };
    let id = tool_call.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()).map(str::to_string);
    FunctionCall {
        id: Some(id.unwrap_or_else(|| format!("call_{}", index + 1))),
        name: tool_call.pointer("/function/name").and_then(Value::as_str).map(str::to_string),
        args: Some(args),
    }
}

/// Ollama omits zero counts (`omitempty`), so one count without the other means zero, not unknown;
/// reasoning tokens are part of `eval_count` and not reported apart.
fn usage(body: &Value) -> Option<Usage> {
    let input = count_at(body, &["prompt_eval_count"]);
    let output = count_at(body, &["eval_count"]);
    if input.is_none() && output.is_none() {
        return None;
    }
    Some(Usage::reported(input.unwrap_or(0), output.unwrap_or(0), None))
}

/// The failure for an error answer. Ollama has no error codes, only its `error` sentence, so the
/// class is read from the sentence.
pub fn error(target: &Target, response: &HttpOutcome) -> Failure {
    let label = target.connector.label;
    let status = response.status;
    let said = error_sentence(response);
    let lower = said.as_deref().unwrap_or("").to_ascii_lowercase();
    let named = |extra: &[(&str, String)]| {
        let mut p: Params = params([
            ("provider", label.into()),
            ("status", status.to_string()),
            ("host", host_of(target.base_url()).to_string()),
            ("model", target.model.id.clone()),
        ]);
        p.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        p
    };
    let class = if CONTEXT_TOO_LONG.iter().any(|s| lower.contains(s)) {
        Some(ErrorClass::ContextTooLong)
    } else if status == 402 || USAGE_LIMIT.iter().any(|s| lower.contains(s)) {
        Some(ErrorClass::Billing)
    } else {
        None
    };
    let failure = match (class, status) {
        (Some(_), _) => return status_failure(target, response, class, said.as_deref()),
        (None, 404) if lower.contains("not found") && lower.contains("model") => {
            Failure::client(404, Reason::OllamaModelNotPulled, named(&[]))
        }
        (None, 400) if lower.contains("does not support tools") => Failure::client(400, Reason::OllamaModelLacksTools, named(&[])),
        (None, 401 | 403) => Failure::client(status, Reason::OllamaUnauthorized, named(&[])),
        (None, _) => return status_failure(target, response, None, said.as_deref()),
    };
    match said {
        Some(text) => with_said(failure, label, &text),
        None => failure,
    }
}

/// What the server said: `error` of its JSON body (a nested error JSON unwrapped), or a short
/// plain-text body such as Go's `404 page not found` for a wrong path. Never an HTML page.
fn error_sentence(response: &HttpOutcome) -> Option<String> {
    if looks_like_html(response) {
        return None;
    }
    match serde_json::from_str::<Value>(response.body.trim()) {
        Ok(body) => body.get("error").and_then(Value::as_str).map(unwrap_error).or_else(|| compat::error_message(&body)),
        Err(_) => Some(response.body.trim().to_string()).filter(|t| !t.is_empty() && t.len() <= 200),
    }
}

/// Newer servers pass the runner's own error JSON through as the sentence
/// (`{"error":"{\"error\":{\"message\":…,\"type\":\"exceed_context_size_error\"}}"}`): its message
/// and type are what matter.
fn unwrap_error(said: &str) -> String {
    let inner = serde_json::from_str::<Value>(said).ok();
    let error = inner.as_ref().and_then(|v| v.get("error"));
    match (error.and_then(|e| e.get("message")).and_then(Value::as_str), error.and_then(|e| e.get("type")).and_then(Value::as_str)) {
        (Some(message), Some(kind)) => format!("{message} ({kind})"),
        (Some(message), None) => message.to_string(),
        _ => said.to_string(),
    }
}

/// Sentences of a prompt longer than the context window: the runner's `exceed_context_size_error`
/// (servers that no longer truncate silently) and the older "input length exceeds the context length".
const CONTEXT_TOO_LONG: &[&str] = &["exceed_context_size", "exceeds the available context size", "exceeds the context length"];

/// Sentences of ollama.com's plan limits for cloud models ("you have reached your weekly usage
/// limit, upgrade for higher limits"), sent with 429.
const USAGE_LIMIT: &[&str] = &["usage limit"];

fn with_said(failure: Failure, label: &str, said: &str) -> Failure {
    match scrub(said) {
        text if text.is_empty() => failure,
        text => failure.with_detail(Reason::ProviderSaid, params([("provider", label.into()), ("text", text)])),
    }
}

#[cfg(test)]
#[path = "../tests/ollama.rs"]
mod tests;
