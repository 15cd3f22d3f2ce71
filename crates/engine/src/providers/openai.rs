//! OpenAI: the Responses API (`POST /v1/responses`, AI Puffer's default `api_mode`) and, with
//! `api_mode = chat_completions`, the shared Chat Completions adapter. Images go through the
//! shared images adapter (`openai_images`) with this profile.

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, PartKind, Role};
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Credential, HttpRequest, Placement};
use crate::providers::openai_compatible::{self as compat, Profile};
use crate::providers::sampling::{self, Names};
use crate::providers::tools::CallIds;
use crate::providers::{scrub, timeout};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;
use crate::usage::UsageFields;

/// The provider's name in messages.
const PROVIDER: &str = "OpenAI";

/// The Responses API has no top_k, stop sequences or penalties (sending them is a 400); Chat
/// Completions mode sends the ones OpenAI knows.
const RESPONSES_SAMPLING: Names =
    Names { temperature: "temperature", top_p: "top_p", top_k: None, stop: None, presence_penalty: None, frequency_penalty: None };

pub const PROFILE: Profile = Profile {
    credential: Credential { provider: "OpenAI", placement: Placement::Header, name: "Authorization", prefix: "Bearer " },
    endpoint: compat::versioned_endpoint,
    max_tokens_field: "max_completion_tokens",
    ..compat::STANDARD
};

/// The Responses API returns one output per request: N candidates are N requests, which the
/// host may send concurrently.
pub fn text_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let request = compat::post_json(
        compat::versioned_endpoint(target, "/responses"),
        PROFILE.credential.clone(),
        responses_body(target, call)?,
        timeout(call),
    );
    Ok(vec![request; call.candidates() as usize])
}

fn responses_body(target: &Target, call: &Call) -> Result<Value, Failure> {
    let mut body = Map::new();
    body.insert("model".into(), json!(target.model.id));
    body.insert("input".into(), Value::Array(input_items(call)?));
    if let Some(instructions) = compat::system_instruction(call) {
        body.insert("instructions".into(), json!(instructions));
    }
    let config = &call.config;
    if let Some(max) = config.max_tokens {
        body.insert("max_output_tokens".into(), json!(max));
    }
    // Reasoning models (o-series, GPT-5) refuse sampling settings: they are not declared there,
    // and not sent when a caller picks such a model explicitly.
    sampling::insert(&mut body, &RESPONSES_SAMPLING, config, &target.features());
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
    let tools = tools(call)?;
    if !tools.is_empty() {
        body.insert("tools".into(), Value::Array(tools));
    }
    body.insert("store".into(), json!(false));
    compat::merge_custom_options(&mut body, call, &["model", "input", "stream", "tools"]);
    Ok(Value::Object(body))
}

/// Function declarations and web search as Responses tools. OpenAI's web search can be limited
/// to domains but cannot exclude any: such a request is refused rather than widened.
fn tools(call: &Call) -> Result<Vec<Value>, Failure> {
    let mut tools: Vec<Value> = call
        .config
        .function_declarations
        .iter()
        .flatten()
        .map(|d| json!({ "type": "function", "name": d.name, "description": d.description, "parameters": compat::parameters(d.parameters.as_ref()), "strict": false }))
        .collect();
    if let Some(search) = &call.config.web_search {
        if !search.disallowed_domains.is_empty() {
            return Err(Failure::invalid_argument(Reason::WebSearchCannotExclude, params([("provider", PROVIDER.into())])));
        }
        tools.push(if search.allowed_domains.is_empty() {
            json!({ "type": "web_search" })
        } else {
            json!({ "type": "web_search", "filters": { "allowed_domains": search.allowed_domains } })
        });
    }
    Ok(tools)
}

/// Messages as Responses input items: user text is `input_text`, earlier model turns
/// `output_text`, images `input_image`; a model's function calls are `function_call` items and
/// each function response a `function_call_output` item, in the order they came.
fn input_items(call: &Call) -> Result<Vec<Value>, Failure> {
    let mut items = Vec::with_capacity(call.messages.len());
    let mut ids = CallIds::new();
    for message in &call.messages {
        let (role, text_type) = match message.role {
            Role::User => ("user", "input_text"),
            Role::Model => ("assistant", "output_text"),
        };
        let mut content = Vec::new();
        let flush = |content: &mut Vec<Value>, items: &mut Vec<Value>| {
            if !content.is_empty() {
                items.push(json!({ "role": role, "content": std::mem::take(content) }));
            }
        };
        for part in message.parts.iter().filter(|p| p.channel == Channel::Content) {
            match part.kind {
                PartKind::Text => content.push(json!({ "type": text_type, "text": part.text.as_deref().unwrap_or("") })),
                PartKind::File if message.role == Role::User => {
                    content.push(json!({ "type": "input_image", "image_url": compat::image_url(part.file.as_ref())? }))
                }
                PartKind::File => {}
                PartKind::FunctionCall => {
                    let Some(called) = &part.function_call else { continue };
                    flush(&mut content, &mut items);
                    items.push(json!({
                        "type": "function_call",
                        "call_id": ids.for_call(called),
                        "name": called.name.as_deref().unwrap_or(""),
                        "arguments": called.args_object().to_string(),
                    }));
                }
                PartKind::FunctionResponse => {
                    let Some(response) = &part.function_response else { continue };
                    flush(&mut content, &mut items);
                    items.push(json!({ "type": "function_call_output", "call_id": ids.for_response(response), "output": response.text() }));
                }
            }
        }
        flush(&mut content, &mut items);
    }
    if items.is_empty() {
        return Err(Failure::invalid_argument(Reason::PromptEmpty, Default::default()));
    }
    Ok(items)
}

pub fn parse_text(target: &Target, body: Value) -> Result<TextReply, Failure> {
    let label = target.connector.label;
    let model = &target.model.id;
    let mut parts = Vec::new();
    let mut text = String::new();
    for item in body.get("output").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
        match item.get("type").and_then(Value::as_str) {
            Some("message") => {
                let content = item.get("content").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                for part in content.iter().filter(|p| p.get("type").and_then(Value::as_str) == Some("output_text")) {
                    text.push_str(part.get("text").and_then(Value::as_str).unwrap_or(""));
                }
            }
            Some("function_call") => parts.push(ReplyPart::FunctionCall { call: function_call(item), signature: None }),
            _ => {} // reasoning summaries, web search calls: not part of the answer
        }
    }
    let reason = body.pointer("/incomplete_details/reason").and_then(Value::as_str);
    let names = || params([("provider", label.into()), ("model", model.clone())]);
    let finish = match (body.get("status").and_then(Value::as_str), reason) {
        (Some("failed"), _) => {
            let failure = Failure::server(502, Reason::ProviderFailed, names());
            return Err(match body.pointer("/error/message").and_then(Value::as_str).map(scrub).filter(|s| !s.is_empty()) {
                Some(said) => failure.with_detail(Reason::ProviderSaid, params([("provider", label.into()), ("text", said)])),
                None => failure,
            });
        }
        (Some("incomplete"), Some("max_output_tokens")) => return Err(Failure::token_limit(Reason::ProviderTokenLimit, names())),
        (Some("incomplete"), Some("content_filter")) => FinishReason::ContentFilter,
        _ => FinishReason::Stop,
    };
    let finish = if parts.is_empty() { finish } else { FinishReason::ToolCalls };
    if text.is_empty() && finish == FinishReason::Stop {
        return Err(compat::no_text(label, model));
    }
    if !text.is_empty() {
        parts.insert(0, ReplyPart::Text { text, thought: false, signature: None });
    }
    Ok(TextReply { candidates: vec![Candidate { parts, finish }], usage: RESPONSES_USAGE.read(&body) })
}

/// A `function_call` output item (`{call_id, name, arguments}`) as a `FunctionCall`.
fn function_call(item: &Value) -> crate::call::FunctionCall {
    let args = match item.get("arguments") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone())),
        Some(other) => other.clone(),
        None => Value::Object(Map::new()),
    };
    crate::call::FunctionCall {
        id: item.get("call_id").or_else(|| item.get("id")).and_then(Value::as_str).map(str::to_string),
        name: item.get("name").and_then(Value::as_str).map(str::to_string),
        args: Some(args),
    }
}

/// Usage in a Responses API body (GPT Image's image generations report it the same way).
pub(crate) const RESPONSES_USAGE: UsageFields = UsageFields {
    input: &["usage", "input_tokens"],
    output: &["usage", "output_tokens"],
    total: &["usage", "total_tokens"],
    thought: &["usage", "output_tokens_details", "reasoning_tokens"],
    cached_input: &["usage", "input_tokens_details", "cached_tokens"],
};

#[cfg(test)]
#[path = "../tests/openai.rs"]
mod tests;
