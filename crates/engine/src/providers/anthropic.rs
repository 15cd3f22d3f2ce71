//! Anthropic: the Messages API (`POST {base_url}/v1/messages`, the connector's `api_version` sent
//! as the `anthropic-version` header, the key in `x-api-key`).
//!
//! What differs from the OpenAI formats, and why the mapping looks the way it does:
//! - `max_tokens` is required, so a call without one asks for `DEFAULT_MAX_TOKENS`;
//! - one answer per request (no `n`): N candidates are N requests;
//! - function calls are `tool_use` blocks of an assistant turn and their results `tool_result`
//!   blocks of the next user turn, first in its content (several in one turn is the norm);
//! - there is no JSON output mode in API version 2023-06-01, so JSON answers come through a tool
//!   the model is made to call (`ANSWER_TOOL`): its input is the answer, read back as text;
//! - reasoning comes as `thinking` blocks with a `signature` that must go back unchanged when the
//!   model thinks and calls tools (the AI Client's thought channel and `thoughtSignature`).

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, File, FunctionCall, Part, PartKind, Role, WebSearch};
use crate::catalog::ModelKind;
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Credential, HttpOutcome, HttpRequest, Placement};
use crate::providers::openai_compatible as compat;
use crate::providers::sampling::{self, Names};
use crate::providers::tools::CallIds;
use crate::providers::{get_json, items, listed, percent_encode, scrub, status_failure, timeout, ErrorClass, ModelPage};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;
use crate::usage::{count_at, Usage};

/// The provider's name in messages.
const PROVIDER: &str = "Anthropic";

/// The Messages API's sampling options: no penalties.
const SAMPLING: Names = Names {
    temperature: "temperature",
    top_p: "top_p",
    top_k: Some("top_k"),
    stop: Some("stop_sequences"),
    presence_penalty: None,
    frequency_penalty: None,
};

const CREDENTIAL: Credential = Credential { provider: "Claude", placement: Placement::Header, name: "x-api-key", prefix: "" };

/// The output limit asked for when the caller set none: Anthropic requires one. 4096 is what
/// Anthropic's SDK examples and most clients use, and fits every current Claude model's limit.
pub const DEFAULT_MAX_TOKENS: u32 = 4096;

/// The API version when the connector's setting is empty (the connector declares the same default).
const DEFAULT_API_VERSION: &str = "2023-06-01";

/// The tool a JSON answer comes through when its schema describes an object: its input is the answer.
pub const ANSWER_TOOL: &str = "wp_ai_client_response";
/// The tool for any other schema (tool inputs must be objects): the answer is its input's `value`.
pub const ANSWER_VALUE_TOOL: &str = "wp_ai_client_response_value";

/// Anthropic returns one answer per request: N candidates are N requests, which the host may
/// send concurrently.
pub fn text_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let mut request = compat::post_json(endpoint(target), CREDENTIAL, body(target, call)?, timeout(call));
    request.headers.insert("anthropic-version", version(target));
    Ok(vec![request; call.candidates() as usize])
}

/// `{base_url}/v1/messages`.
fn endpoint(target: &Target) -> String {
    v1(target, "/messages")
}

/// `{base_url}/v1{path}`; a base URL that already ends in `/v1` is kept as is.
fn v1(target: &Target, path: &str) -> String {
    let base = target.base_url();
    if base.ends_with("/v1") {
        format!("{base}{path}")
    } else {
        format!("{base}/v1{path}")
    }
}

/// One page of `/v1/models` (Anthropic pages by `after_id`; 1,000 a page is its maximum).
pub fn list_request(target: &Target, page: Option<&str>) -> HttpRequest {
    let mut path = "/models?limit=1000".to_string();
    if let Some(after) = page {
        path.push_str("&after_id=");
        path.push_str(&percent_encode(after));
    }
    let mut request = get_json(v1(target, &path), Some(CREDENTIAL));
    request.headers.insert("anthropic-version", version(target));
    request
}

/// `data[]` of `{id, display_name}`, all text models; `has_more` with `last_id` for the next page.
pub fn parse_list(body: &Value) -> ModelPage {
    let models = items(body, "data").iter().filter_map(|row| listed(row, &["id"], &["display_name"], ModelKind::Text)).collect();
    let more = body.get("has_more").and_then(Value::as_bool).unwrap_or(false);
    let next = if more { body.get("last_id").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string) } else { None };
    ModelPage { models, next }
}

fn version(target: &Target) -> String {
    let version = target.setting("api_version").trim();
    if version.is_empty() { DEFAULT_API_VERSION } else { version }.to_string()
}

fn body(target: &Target, call: &Call) -> Result<Value, Failure> {
    let config = &call.config;
    let mut body = Map::new();
    body.insert("model".into(), json!(target.model.id));
    body.insert("max_tokens".into(), json!(config.max_tokens.unwrap_or(DEFAULT_MAX_TOKENS)));
    if let Some(system) = config.system_instruction.as_deref().filter(|s| !s.trim().is_empty()) {
        body.insert("system".into(), json!(system));
    }
    body.insert("messages".into(), Value::Array(messages(call)?));
    sampling::insert(&mut body, &SAMPLING, config, &target.features());
    let mut tools: Vec<Value> = config
        .function_declarations
        .iter()
        .flatten()
        .map(|d| json!({ "name": d.name, "description": d.description, "input_schema": object_schema(d.parameters.as_ref()) }))
        .collect();
    if let Some(search) = &config.web_search {
        tools.push(web_search_tool(search)?);
    }
    let mut reserved = vec!["model", "messages", "stream", "tools"];
    if let Some(answer) = answer_tool(call) {
        // Alone, the answer tool is forced; beside the caller's tools (or web search) the model
        // must call one of them, and ends the exchange by calling the answer tool.
        let choice = if tools.is_empty() { json!({ "type": "tool", "name": answer["name"] }) } else { json!({ "type": "any" }) };
        tools.push(answer);
        body.insert("tool_choice".into(), choice);
        reserved.push("tool_choice");
    }
    if !tools.is_empty() {
        body.insert("tools".into(), Value::Array(tools));
    }
    compat::merge_custom_options(&mut body, call, &reserved);
    Ok(Value::Object(body))
}

/// A tool's `input_schema`: always an object schema (`type: object` is required).
fn object_schema(schema: Option<&Value>) -> Value {
    let mut schema = compat::parameters(schema);
    if let Value::Object(fields) = &mut schema {
        fields.entry("type").or_insert_with(|| json!("object"));
    }
    schema
}

/// The tool a JSON answer comes through, when the call asks for JSON.
fn answer_tool(call: &Call) -> Option<Value> {
    let description = "Give your answer by calling this tool: its input is your whole answer.";
    match (&call.config.output_schema, compat::is_json_mime(call)) {
        (Some(schema), _) if describes_object(schema) => {
            Some(json!({ "name": ANSWER_TOOL, "description": description, "input_schema": object_schema(Some(schema)) }))
        }
        (Some(schema), _) => Some(json!({
            "name": ANSWER_VALUE_TOOL,
            "description": "Give your answer by calling this tool: its input's `value` is your whole answer.",
            "input_schema": { "type": "object", "properties": { "value": schema }, "required": ["value"] },
        })),
        (None, true) => Some(json!({ "name": ANSWER_TOOL, "description": description, "input_schema": { "type": "object" } })),
        (None, false) => None,
    }
}

fn describes_object(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(kind)) => kind == "object",
        Some(_) => false,
        None => schema.get("properties").is_some(),
    }
}

/// Anthropic's server-side web search. It takes allowed or blocked domains, never both: an
/// excluded domain that overlaps no allowed one cannot appear anyway and is left out; one that
/// does cannot be expressed, and the call is refused rather than widened.
fn web_search_tool(search: &WebSearch) -> Result<Value, Failure> {
    let host = |domain: &str| domain.trim().trim_start_matches("https://").trim_start_matches("http://").to_ascii_lowercase();
    let within = |inner: &str, outer: &str| {
        let (inner, outer) = (host(inner), host(outer));
        let (inner, outer) = (inner.split('/').next().unwrap_or(""), outer.split('/').next().unwrap_or(""));
        inner == outer || inner.ends_with(&format!(".{outer}"))
    };
    let mut tool = json!({ "type": "web_search_20250305", "name": "web_search" });
    if !search.allowed_domains.is_empty() {
        let overlapping = search.disallowed_domains.iter().any(|b| search.allowed_domains.iter().any(|a| within(b, a) || within(a, b)));
        if overlapping {
            return Err(Failure::invalid_argument(Reason::WebSearchAllowedAndExcluded, params([("provider", PROVIDER.into())])));
        }
        tool["allowed_domains"] = json!(search.allowed_domains);
    } else if !search.disallowed_domains.is_empty() {
        tool["blocked_domains"] = json!(search.disallowed_domains);
    }
    Ok(tool)
}

/// The conversation as Messages turns of content blocks. A user turn's function responses
/// become `tool_result` blocks placed first (Anthropic wants them before any text); a model
/// turn's function calls become `tool_use` blocks, in the order they came.
fn messages(call: &Call) -> Result<Vec<Value>, Failure> {
    let thinking = thinks(call);
    let mut ids = CallIds::new();
    let mut out = Vec::with_capacity(call.messages.len());
    for message in &call.messages {
        let mut results = Vec::new();
        let mut content = Vec::new();
        for part in &message.parts {
            match (part.channel, part.kind) {
                (Channel::Thought, PartKind::Text) if thinking && message.role == Role::Model => content.extend(thinking_block(part)),
                (Channel::Thought, _) => {}
                (Channel::Content, PartKind::Text) => {
                    if let Some(text) = part.text.as_deref().filter(|t| !t.trim().is_empty()) {
                        content.push(json!({ "type": "text", "text": text }));
                    }
                }
                // Assistant turns cannot hold images.
                (Channel::Content, PartKind::File) if message.role == Role::User => content.push(image(part.file.as_ref())?),
                (Channel::Content, PartKind::File) => {}
                (Channel::Content, PartKind::FunctionCall) => {
                    let Some(called) = &part.function_call else { continue };
                    content.push(json!({
                        "type": "tool_use",
                        "id": tool_id(ids.for_call(called)),
                        "name": called.name.as_deref().unwrap_or(""),
                        "input": tool_input(called),
                    }));
                }
                (Channel::Content, PartKind::FunctionResponse) => {
                    let Some(response) = &part.function_response else { continue };
                    results.push(
                        json!({ "type": "tool_result", "tool_use_id": tool_id(ids.for_response(response)), "content": response.text() }),
                    );
                }
            }
        }
        results.extend(content);
        if !results.is_empty() {
            let role = if message.role == Role::User { "user" } else { "assistant" };
            out.push(json!({ "role": role, "content": results }));
        }
    }
    if out.is_empty() {
        return Err(Failure::invalid_argument(Reason::PromptEmpty, Default::default()));
    }
    Ok(out)
}

/// Whether the call turns extended thinking on (through `customOptions.thinking`). Only then do
/// earlier thinking blocks go back: the API needs them for a thinking model's tool calls and
/// ignores them otherwise, and a signature another provider made would be refused.
fn thinks(call: &Call) -> bool {
    call.config.custom_options.get("thinking").and_then(|t| t.get("type")).and_then(Value::as_str).is_some_and(|t| t != "disabled")
}

/// A thought part as the block it came from: `thinking` with its signature, or — a signature
/// without text — `redacted_thinking` (see `parse_text`). Thoughts without a signature were not
/// Anthropic's and cannot go back.
fn thinking_block(part: &Part) -> Option<Value> {
    let signature = part.thought_signature.as_deref().filter(|s| !s.is_empty())?;
    Some(match part.text.as_deref().filter(|t| !t.is_empty()) {
        Some(text) => json!({ "type": "thinking", "thinking": text, "signature": signature }),
        None => json!({ "type": "redacted_thinking", "data": signature }),
    })
}

/// A `tool_use` input must be an object: arguments that are JSON text are read, anything else
/// is kept under `value`.
fn tool_input(called: &FunctionCall) -> Value {
    match called.args_object() {
        Value::Object(args) => Value::Object(args),
        Value::String(text) => match serde_json::from_str::<Value>(&text) {
            Ok(Value::Object(args)) => Value::Object(args),
            _ => json!({ "value": text }),
        },
        other => json!({ "value": other }),
    }
}

/// Tool ids must match `^[a-zA-Z0-9_-]+$`; ids another provider made may not.
fn tool_id(id: String) -> String {
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        return id;
    }
    let cleaned: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' }).collect();
    if cleaned.is_empty() {
        "call".into()
    } else {
        cleaned
    }
}

/// An image block: inline data (or a data URI) as a `base64` source, a remote URL as a `url`
/// source. Only images are accepted.
fn image(file: Option<&File>) -> Result<Value, Failure> {
    let file = file.ok_or_else(|| Failure::invalid_argument(Reason::FilePartEmpty, Default::default()))?;
    let inline = match (&file.url, &file.base64_data) {
        (Some(url), _) if url.starts_with("data:") => data_uri(url),
        (Some(url), _) => {
            if !file.mime_type.is_empty() && !file.mime_type.starts_with("image/") {
                return Err(not_image(&file.mime_type));
            }
            return Ok(json!({ "type": "image", "source": { "type": "url", "url": url } }));
        }
        (None, Some(data)) => Some((file.mime_type.clone(), data.clone())),
        (None, None) => None,
    };
    let (mime_type, data) = inline.ok_or_else(|| Failure::invalid_argument(Reason::FileWithoutData, Default::default()))?;
    if !mime_type.starts_with("image/") {
        return Err(not_image(&mime_type));
    }
    Ok(json!({ "type": "image", "source": { "type": "base64", "media_type": mime_type, "data": data } }))
}

/// `data:{mime};base64,{data}` as its MIME type and data.
fn data_uri(url: &str) -> Option<(String, String)> {
    let (meta, data) = url.strip_prefix("data:")?.split_once(',')?;
    let mime_type = meta.strip_suffix(";base64")?;
    Some((mime_type.to_string(), data.to_string()))
}

fn not_image(mime_type: &str) -> Failure {
    if mime_type.is_empty() {
        Failure::invalid_argument(Reason::FileWithoutMimeType, Default::default())
    } else {
        Failure::invalid_argument(Reason::FileNotImage, params([("mime_type", mime_type.to_string())]))
    }
}

/// Reads a Messages response: `text` blocks are the answer, `thinking` blocks the thought
/// channel, `tool_use` blocks function calls (or, for the answer tool, the JSON answer).
pub fn parse_text(target: &Target, body: Value) -> Result<TextReply, Failure> {
    let label = target.connector.label;
    let model = &target.model.id;
    let names = || params([("provider", label.into()), ("model", model.clone())]);
    if body.get("type").and_then(Value::as_str) == Some("error") {
        let failure = Failure::server(502, Reason::ProviderFailed, names());
        return Err(match body.pointer("/error/message").and_then(Value::as_str).map(scrub).filter(|s| !s.is_empty()) {
            Some(said) => failure.with_detail(Reason::ProviderSaid, params([("provider", label.into()), ("text", said)])),
            None => failure,
        });
    }
    let stop_reason = body.get("stop_reason").and_then(Value::as_str).unwrap_or("");
    // A response cut by the token limit may end inside a tool call: its input is incomplete,
    // so neither function calls nor a JSON answer are taken from it.
    let cut = matches!(stop_reason, "max_tokens" | "model_context_window_exceeded");
    let mut parts = Vec::new();
    // Whether a search block came between this text and the answer text before it.
    let mut searched = false;
    for block in body.get("content").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        let text_of = |key: &str| block.get(key).and_then(Value::as_str).unwrap_or("").to_string();
        match block.get("type").and_then(Value::as_str) {
            Some("text") => push_answer(&mut parts, &text_of("text"), std::mem::take(&mut searched)),
            Some("thinking") => {
                let signature = Some(text_of("signature")).filter(|s| !s.is_empty());
                parts.push(ReplyPart::Text { text: text_of("thinking"), thought: true, signature });
            }
            // Encrypted reasoning: nothing to show, but it must go back with the turn.
            Some("redacted_thinking") => {
                parts.push(ReplyPart::Text { text: String::new(), thought: true, signature: Some(text_of("data")) });
            }
            Some("tool_use") if cut => {}
            Some("tool_use") => match block.get("name").and_then(Value::as_str) {
                Some(ANSWER_TOOL) => push_answer(&mut parts, &block.get("input").cloned().unwrap_or_else(|| json!({})).to_string(), false),
                Some(ANSWER_VALUE_TOOL) => {
                    push_answer(&mut parts, &block.pointer("/input/value").cloned().unwrap_or(Value::Null).to_string(), false)
                }
                _ => parts.push(ReplyPart::FunctionCall { call: function_call(block), signature: None }),
            },
            // server_tool_use, web_search_tool_result: the search, not the answer
            _ => searched = true,
        }
    }
    let answered = parts.iter().any(|p| matches!(p, ReplyPart::Text { text, thought: false, .. } if !text.is_empty()));
    let calls = parts.iter().any(|p| matches!(p, ReplyPart::FunctionCall { .. }));
    let finish = match stop_reason {
        _ if cut && !answered => return Err(Failure::token_limit(Reason::ProviderTokenLimit, names())),
        _ if cut => FinishReason::Length,
        "refusal" => FinishReason::ContentFilter,
        _ if calls => FinishReason::ToolCalls,
        _ => FinishReason::Stop,
    };
    if finish == FinishReason::Stop && !answered {
        return Err(compat::no_text(label, model));
    }
    Ok(TextReply { candidates: vec![Candidate { parts, finish }], usage: usage(&body) })
}

/// Appends answer text to the answer text just before: web search answers come as many `text`
/// blocks, one per cited passage, each with its own spacing; text written before a search and
/// text written after it are paragraphs apart.
fn push_answer(parts: &mut Vec<ReplyPart>, text: &str, after_search: bool) {
    if let Some(ReplyPart::Text { text: last, thought: false, .. }) = parts.last_mut() {
        if after_search && !last.is_empty() && !text.is_empty() {
            last.push_str("\n\n");
        }
        last.push_str(text);
    } else if !text.is_empty() {
        parts.push(ReplyPart::Text { text: text.to_string(), thought: false, signature: None });
    }
}

/// A `tool_use` block (`{id, name, input}`) as a `FunctionCall`.
fn function_call(block: &Value) -> FunctionCall {
    FunctionCall {
        id: block.get("id").and_then(Value::as_str).map(str::to_string),
        name: block.get("name").and_then(Value::as_str).map(str::to_string),
        args: Some(block.get("input").cloned().unwrap_or_else(|| json!({}))),
    }
}

/// Usage: Anthropic counts fresh input, cache writes and cache reads apart; the input the AI
/// Client sees is their sum (as Anthropic's own SDK reports it). Reasoning is not broken out.
fn usage(body: &Value) -> Option<Usage> {
    let fresh = count_at(body, &["usage", "input_tokens"])?;
    let written = count_at(body, &["usage", "cache_creation_input_tokens"]);
    let read = count_at(body, &["usage", "cache_read_input_tokens"]);
    let output = count_at(body, &["usage", "output_tokens"]).unwrap_or(0);
    let input = fresh.saturating_add(written.unwrap_or(0)).saturating_add(read.unwrap_or(0));
    let mut usage = Usage::reported(input, output, None);
    usage.cached_input = read;
    usage.cache_write_input = written;
    Some(usage)
}

/// The failure for an error answer (`{type: "error", error: {type, message}}`).
pub fn error(target: &Target, response: &HttpOutcome) -> Failure {
    let body = serde_json::from_str::<Value>(&response.body).ok();
    let kind = body.as_ref().and_then(|b| b.pointer("/error/type")).and_then(Value::as_str).unwrap_or("");
    let message = body.as_ref().and_then(compat::error_message);
    status_failure(target, response, error_class(kind, message.as_deref().unwrap_or("")), message.as_deref())
}

/// What Anthropic's error says beyond its status. Context and credit problems share
/// `invalid_request_error` (400) with every malformed request, so their messages tell them apart:
/// "prompt is too long: N tokens > M maximum", "input length and `max_tokens` exceed context
/// limit", "Your credit balance is too low …", "You have reached your specified API usage limits".
fn error_class(kind: &str, message: &str) -> Option<ErrorClass> {
    let message = message.to_ascii_lowercase();
    if kind == "billing_error" || message.contains("credit balance") || message.contains("api usage limits") {
        Some(ErrorClass::Billing)
    } else if message.contains("prompt is too long") || message.contains("exceed context limit") {
        Some(ErrorClass::ContextTooLong)
    } else if message.contains("content filtering policy") {
        Some(ErrorClass::ContentRefused)
    } else {
        None
    }
}

#[cfg(test)]
#[path = "../tests/anthropic.rs"]
mod tests;
