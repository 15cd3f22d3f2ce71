//! The Chat Completions wire format (`POST …/chat/completions`), shared by every provider that
//! speaks it. What differs between them is data in a `Profile`; which options a request carries
//! (top_k, stop sequences, penalties, JSON schema, tools, web search) is what the connector
//! declares (`Connector::text_features`), so what is declared and what is sent cannot drift apart.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, Message, PartKind, Role, WebSearch};
use crate::catalog::{kind_by_id, ListedModel};
use crate::connectors::{Adapter, Connector, TextFeatures};
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Credential, HttpOutcome, HttpRequest, Placement};
use crate::providers::tools::CallIds;
use crate::providers::{
    azure, deepseek, get_json, items, listed, openai, openrouter, sampling, status_failure, timeout, xai, ErrorClass, TEXT_RESPONSE_LIMIT,
};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;
use crate::usage::{count_at, Usage, UsageFields};

/// How one provider's Chat Completions dialect differs from OpenAI's. Provider modules start from
/// `STANDARD` (OpenAI's own behaviour) and change what differs.
pub struct Profile {
    /// Where the API key goes.
    pub credential: Credential,
    /// The URL of an API path (`/chat/completions`) for a target.
    pub endpoint: fn(&Target, &str) -> String,
    /// The body field for the output limit: OpenAI deprecated `max_tokens` in favour of
    /// `max_completion_tokens` (reasoning models reject the old one); most others only know
    /// `max_tokens`.
    pub max_tokens_field: &'static str,
    /// Whether the body names the model (Azure names its deployment in the URL instead).
    pub model_in_body: bool,
    /// Whether the API returns several choices for `n`; where it cannot, each candidate is a
    /// request of its own.
    pub n: bool,
    /// Headers every request carries besides the credential (OpenRouter's app attribution).
    pub headers: &'static [(&'static str, &'static str)],
    /// The message field that holds the model's visible reasoning, read as a thought part.
    pub reasoning: Option<&'static str>,
    /// The reasoning of an assistant turn with tool calls must be sent back with it.
    pub reasoning_with_tool_calls: bool,
    /// Where the usage counts are.
    pub usage: UsageFields,
    /// Input tokens written to the prompt cache, where reported.
    pub cache_write_input: &'static [&'static str],
    /// Where the provider reports what the call cost in US dollars (OpenRouter: `usage.cost`).
    pub reported_cost: &'static [&'static str],
    /// Reasoning tokens may be reported beside `completion_tokens` instead of inside it.
    pub reasoning_beside_output: bool,
    /// The body field and value that turn web search on, where the API has it.
    pub web_search: Option<fn(&WebSearch) -> (&'static str, Value)>,
    /// What the provider's error body says beyond its status.
    pub classify: fn(u16, &Value) -> Option<Verdict>,
    /// The URL of the provider's model list.
    pub models_url: fn(&Target) -> String,
    /// The models of a model list, classified (`data[]` of `{id}` for most).
    pub listed: fn(&Value) -> Vec<ListedModel>,
}

/// What an error answer means where its status alone does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Class(ErrorClass),
    /// The API key was refused with a status that does not say so (xAI answers 400).
    BadKey,
    /// Azure: no such deployment (or API version) at the endpoint.
    DeploymentNotFound,
}

/// OpenAI's own Chat Completions: the profile every dialect starts from (each names its own
/// credential, endpoint and output-limit field).
pub const STANDARD: Profile = Profile {
    credential: Credential { provider: "OpenAI", placement: Placement::Header, name: "Authorization", prefix: "Bearer " },
    endpoint: versioned_endpoint,
    max_tokens_field: "max_completion_tokens",
    model_in_body: true,
    n: true,
    headers: &[],
    reasoning: None,
    reasoning_with_tool_calls: false,
    usage: CHAT_USAGE,
    cache_write_input: &[],
    reported_cost: &[],
    reasoning_beside_output: false,
    web_search: None,
    classify: openai_verdict,
    models_url: |target| versioned_endpoint(target, "/models"),
    listed: listed_by_id,
};

/// `data[]` of `{id, name?}`, classified by id (OpenAI, DeepSeek, xAI).
pub fn listed_by_id(body: &Value) -> Vec<ListedModel> {
    items(body, "data")
        .iter()
        .filter_map(|row| listed(row, &["id"], &["name", "display_name"], kind_by_id(row.get("id")?.as_str()?)?))
        .collect()
}

/// The request for the provider's model list (one page: these APIs do not paginate it).
pub fn list_request(profile: &Profile, target: &Target) -> HttpRequest {
    let mut request = get_json((profile.models_url)(target), Some(profile.credential.clone()));
    for (name, value) in profile.headers {
        request.headers.insert(name, (*value).to_string());
    }
    request
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

/// The requests for a call: one asking for every candidate with `n`, or one per candidate where
/// the API has no `n` (the host may send them concurrently).
pub fn text_requests(profile: &Profile, target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let request = text_request(profile, target, call)?;
    Ok(if profile.n { vec![request] } else { vec![request; call.candidates() as usize] })
}

/// One Chat Completions request for the call (with `n` for several candidates where the API has it).
pub fn text_request(profile: &Profile, target: &Target, call: &Call) -> Result<HttpRequest, Failure> {
    let features = target.features();
    let url = (profile.endpoint)(target, "/chat/completions");
    let mut body = Map::new();
    if profile.model_in_body {
        body.insert("model".into(), json!(target.model.id));
    }
    body.insert("messages".into(), Value::Array(messages(profile, target, features, call)?));
    let config = &call.config;
    if let Some(max) = config.max_tokens {
        body.insert(profile.max_tokens_field.into(), json!(max));
    }
    sampling::insert(&mut body, &sampling::SNAKE_CASE, config, &features);
    if let Some(n) = config.candidate_count.filter(|n| *n > 1 && profile.n) {
        body.insert("n".into(), json!(n));
    }
    match (&config.output_schema, is_json_mime(call)) {
        (Some(schema), _) if features.json_schema => {
            body.insert(
                "response_format".into(),
                json!({ "type": "json_schema", "json_schema": { "name": SCHEMA_NAME, "schema": schema } }),
            );
        }
        // Without schema support the schema travels in the system instruction only.
        (Some(_), _) | (None, true) if features.json_output => {
            body.insert("response_format".into(), json!({ "type": "json_object" }));
        }
        _ => {}
    }
    if let Some(declarations) = config.function_declarations.as_ref().filter(|d| !d.is_empty() && features.tools) {
        let tools: Vec<Value> = declarations
            .iter()
            .map(|d| json!({ "type": "function", "function": { "name": d.name, "description": d.description, "parameters": parameters(d.parameters.as_ref()) } }))
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    let mut reserved = vec!["model", "messages", "stream", "n", "tools"];
    if let (Some(search), Some(web_search), true) = (&config.web_search, profile.web_search, features.web_search) {
        let (field, value) = web_search(search);
        body.insert(field.into(), value);
        reserved.push(field);
    }
    merge_custom_options(&mut body, call, &reserved);
    let mut request = post_json(url, profile.credential.clone(), Value::Object(body), timeout(call));
    request.headers.extend(profile.headers.iter().map(|(name, value)| (*name, value.to_string())));
    Ok(request)
}

/// System instruction first, then the conversation. A user turn with images becomes a content
/// array; text-only turns stay plain strings, which every compatible provider accepts. A model
/// turn's function calls become its `tool_calls`; each function response becomes a `tool`
/// message of its own — also several from one user turn, which is what WordPress's ability
/// resolver sends.
fn messages(profile: &Profile, target: &Target, features: TextFeatures, call: &Call) -> Result<Vec<Value>, Failure> {
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
                PartKind::File if !features.image_input => {
                    return Err(Failure::invalid_argument(
                        Reason::ProviderNoImageInput,
                        params([("provider", target.connector.label.into())]),
                    ));
                }
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
                let mut assistant = Map::new();
                assistant.insert("role".into(), json!("assistant"));
                assistant.insert("content".into(), if text.is_empty() { Value::Null } else { json!(text) });
                assistant.insert("tool_calls".into(), Value::Array(tool_calls));
                if let (Some(field), true) = (profile.reasoning, profile.reasoning_with_tool_calls) {
                    assistant.insert(field.into(), json!(thought_text(message)));
                }
                out.push(Value::Object(assistant));
            }
            Role::Model => out.push(json!({ "role": "assistant", "content": text })),
            Role::User if has_image => out.push(json!({ "role": "user", "content": parts })),
            Role::User if !parts.is_empty() => out.push(json!({ "role": "user", "content": text })),
            Role::User => {}
        }
    }
    Ok(out)
}

/// A model turn's reasoning (its thought-channel text), as the model wrote it.
fn thought_text(message: &Message) -> String {
    let texts: Vec<&str> = message
        .parts
        .iter()
        .filter(|p| p.channel == Channel::Thought && p.kind == PartKind::Text)
        .filter_map(|p| p.text.as_deref())
        .collect();
    texts.concat()
}

/// Reads a Chat Completions response.
pub fn parse_text(target: &Target, response: &HttpOutcome, body: Value) -> Result<TextReply, Failure> {
    let label = target.connector.label;
    let profile = profile(target.connector);
    let choices = body.get("choices").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    // OpenRouter answers 200 when the model failed after the request was accepted, with the
    // error in the body or in the choice.
    let mut failed = body.get("error").filter(|e| e.is_object() && choices.is_empty());
    let mut candidates = Vec::with_capacity(choices.len());
    for choice in choices {
        let message = choice.get("message");
        let mut parts = Vec::new();
        if let Some(thought) = profile.reasoning.and_then(|field| message.and_then(|m| m.get(field))).and_then(Value::as_str) {
            if !thought.is_empty() {
                parts.push(ReplyPart::Text { text: thought.to_string(), thought: true, signature: None });
            }
        }
        if let Some(text) = message.and_then(|m| m.get("content")).and_then(Value::as_str).filter(|t| !t.is_empty()) {
            parts.push(ReplyPart::Text { text: text.to_string(), thought: false, signature: None });
        }
        for tool_call in message.and_then(|m| m.get("tool_calls")).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            parts.push(ReplyPart::FunctionCall { call: function_call(tool_call), signature: None });
        }
        let answered = parts.iter().any(|p| !matches!(p, ReplyPart::Text { thought: true, .. }));
        if let Some(error) = choice.get("error").filter(|e| e.is_object() && !answered) {
            failed = failed.or(Some(error));
            continue;
        }
        let finish = match choice.get("finish_reason").and_then(Value::as_str) {
            _ if parts.iter().any(|p| matches!(p, ReplyPart::FunctionCall { .. })) => FinishReason::ToolCalls,
            Some("length") => FinishReason::Length,
            Some("content_filter") => FinishReason::ContentFilter,
            Some("tool_calls" | "function_call") => FinishReason::ToolCalls,
            _ => FinishReason::Stop,
        };
        // Reasoning alone is no answer.
        if answered || finish != FinishReason::Stop {
            candidates.push(Candidate { parts, finish });
        }
    }
    if candidates.is_empty() {
        return Err(match failed {
            Some(error) => error_in_body(target, response, error),
            None => no_text(label, &target.model.id),
        });
    }
    Ok(TextReply { candidates, usage: usage(profile, &body) })
}

/// An error a 2xx body carries: a failure as if it had come with its own status.
pub fn error_in_body(target: &Target, response: &HttpOutcome, error: &Value) -> Failure {
    let status = error.get("code").and_then(Value::as_u64).and_then(|c| u16::try_from(c).ok()).filter(|c| (400..600).contains(c));
    let as_sent = HttpOutcome {
        id: response.id.clone(),
        status: status.unwrap_or(502),
        headers: response.headers.clone(),
        body: json!({ "error": error }).to_string(),
        error: None,
    };
    self::error(target, &as_sent)
}

/// The usage a body reports, with the dialect's extra fields.
pub fn usage(profile: &Profile, body: &Value) -> Option<Usage> {
    let mut usage = profile.usage.read(body)?;
    if !profile.cache_write_input.is_empty() {
        usage.cache_write_input = count_at(body, profile.cache_write_input);
    }
    if !profile.reported_cost.is_empty() {
        usage.reported_cost = reported_cost(body, profile.reported_cost);
    }
    // Reasoning reported beside the completion (total = input + completion + reasoning) is
    // output all the same: count it there, so that reasoning stays a part of the output.
    if let Some(thought) = usage.thought.filter(|t| profile.reasoning_beside_output && *t > 0) {
        if usage.total == usage.input.saturating_add(usage.output).saturating_add(thought) {
            usage.output = usage.output.saturating_add(thought);
        }
    }
    Some(usage)
}

/// A dollar amount the provider reported, in pico-dollars, read exactly from the JSON number's
/// text (`0.000123`, `1.5e-05`); anything else is not a cost.
fn reported_cost(body: &Value, path: &[&str]) -> Option<u64> {
    let mut value = body;
    for key in path {
        value = value.get(key)?;
    }
    let number = value.as_number()?.to_string();
    crate::money::parse_exact(&number, 12).and_then(|pico| u64::try_from(pico).ok())
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

/// The failure for an error answer of a connector's API: the dialect's reading of its body
/// classifies it, its message is quoted.
pub fn error(target: &Target, response: &HttpOutcome) -> Failure {
    let body = serde_json::from_str::<Value>(&response.body).ok();
    let said = body.as_ref().and_then(error_message);
    let verdict = (profile(target.connector).classify)(response.status, body.as_ref().unwrap_or(&Value::Null));
    match verdict {
        Some(Verdict::Class(class)) => status_failure(target, response, Some(class), said.as_deref()),
        Some(Verdict::BadKey) => retitled(status_failure(target, response, None, said.as_deref()), Reason::ProviderRefusedKey),
        Some(Verdict::DeploymentNotFound) => {
            retitled(status_failure(target, response, None, said.as_deref()), Reason::ProviderDeploymentNotFound)
        }
        None => status_failure(target, response, None, said.as_deref()),
    }
}

/// A client failure told with another reason (same status, params and detail).
fn retitled(failure: Failure, reason: Reason) -> Failure {
    let out = Failure::client(failure.status, reason, failure.params);
    match failure.detail {
        Some(detail) => out.with_detail(detail.reason, detail.params),
        None => out,
    }
}

/// OpenAI's reading of an error body (also Azure's, which passes OpenAI's codes on).
pub fn openai_verdict(_status: u16, body: &Value) -> Option<Verdict> {
    error_class(body).map(Verdict::Class)
}

/// OpenAI's error codes that say more than the status: `context_length_exceeded` (400),
/// `insufficient_quota` (429), `content_filter` / content policy violations (400).
pub fn error_class(body: &Value) -> Option<ErrorClass> {
    let error = body.get("error")?;
    let code = error.get("code").and_then(Value::as_str).or_else(|| error.get("type").and_then(Value::as_str)).unwrap_or("");
    match code {
        "context_length_exceeded" | "string_above_max_length" => Some(ErrorClass::ContextTooLong),
        "insufficient_quota" | "billing_hard_limit_reached" | "billing_not_active" => Some(ErrorClass::Billing),
        "content_filter" | "content_policy_violation" => Some(ErrorClass::ContentRefused),
        _ => None,
    }
}

/// An error body's message in lower case, for dialects whose only code is their wording.
pub fn said_lowercase(body: &Value) -> String {
    error_message(body).unwrap_or_default().to_lowercase()
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
        // A `Value` always serializes (string keys, no non-finite numbers).
        body: Some(serde_json::to_string(&body).unwrap_or_default()),
        timeout,
        max_response_bytes: TEXT_RESPONSE_LIMIT,
        body_base64: false,
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

#[cfg(test)]
#[path = "../tests/compatible.rs"]
mod tests;
