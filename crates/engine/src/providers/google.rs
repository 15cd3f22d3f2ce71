//! Google Gemini: `POST {base_url}/{api_version}/models/{model}:generateContent` with the key in
//! the `x-goog-api-key` header (Google's preferred placement; `?key=` would put it in URLs that
//! proxies log). Reference: ai.google.dev/api/generate-content, …/docs/function-calling,
//! …/docs/thought-signatures, …/docs/generate-content/api-errors.
//!
//! One request serves every candidate (`generationConfig.candidateCount`). Gemini signs its
//! reasoning with a `thoughtSignature` on the part it belongs to (notably function calls); the AI
//! Client keeps it on the message part, and it goes back on the same part with the history —
//! Gemini 3 refuses a function-calling turn whose signatures are missing.

use serde_json::{json, Map, Value};

use crate::call::{Call, Channel, File, FunctionCall, FunctionResponse, Message, Part, PartKind, Role};
use crate::catalog::{ListedModel, ModelKind};
use crate::connectors::TextFeatures;
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Credential, HttpOutcome, HttpRequest, Placement};
use crate::providers::openai_compatible::{self as compat};
use crate::providers::sampling::{self, Names};
use crate::providers::{
    get_json, image_plan, inline_image, items, no_image, percent_encode, scrub, status_failure, timeout, ErrorClass, ImagePlan, ModelPage,
};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;
use crate::usage::{count_at, Usage};

/// The provider's name in messages.
const PROVIDER: &str = "Google";

/// `generationConfig`'s names for the sampling options.
const SAMPLING: Names = Names {
    temperature: "temperature",
    top_p: "topP",
    top_k: Some("topK"),
    stop: Some("stopSequences"),
    presence_penalty: Some("presencePenalty"),
    frequency_penalty: Some("frequencyPenalty"),
};

pub const CREDENTIAL: Credential = Credential { provider: "Google", placement: Placement::Header, name: "x-goog-api-key", prefix: "" };

/// One request: Gemini returns every candidate in one response.
pub fn text_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    Ok(vec![compat::post_json(endpoint(target), CREDENTIAL, body(target, call)?, timeout(call))])
}

/// One page of `…/models` (Google pages its list; 1,000 a page is its maximum).
pub fn list_request(target: &Target, page: Option<&str>) -> HttpRequest {
    let mut path = "/models?pageSize=1000".to_string();
    if let Some(token) = page {
        path.push_str("&pageToken=");
        path.push_str(&percent_encode(token));
    }
    get_json(compat::versioned_endpoint(target, &path), Some(CREDENTIAL))
}

/// `models[]` of `{name: "models/…", displayName, supportedGenerationMethods}`: Gemini image
/// models and Imagen (`predict`) make images; other `generateContent` models make text, except
/// speech, live-audio and retrieval models; the rest (embeddings) are none of ours.
pub fn parse_list(body: &Value) -> ModelPage {
    let models = items(body, "models")
        .iter()
        .filter_map(|row| {
            let id = row.get("name").and_then(Value::as_str)?.trim().trim_start_matches("models/").to_string();
            let methods: Vec<&str> =
                row.get("supportedGenerationMethods").and_then(Value::as_array).map(|m| m.iter().filter_map(Value::as_str).collect())?;
            let lower = id.to_ascii_lowercase();
            let kind = if lower.starts_with("imagen") && methods.contains(&"predict") {
                ModelKind::Image
            } else if !methods.contains(&"generateContent")
                || ["tts", "native-audio", "live", "aqa", "embedding"].iter().any(|w| lower.contains(w))
            {
                return None;
            } else if lower.contains("image") {
                ModelKind::Image
            } else {
                ModelKind::Text
            };
            let name = row.get("displayName").and_then(Value::as_str).map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&id).to_string();
            (!id.is_empty()).then_some(ListedModel { id, name, kind })
        })
        .collect();
    let next = body.get("nextPageToken").and_then(Value::as_str).filter(|t| !t.is_empty()).map(str::to_string);
    ModelPage { models, next }
}

/// A Gemini image model: `generateContent` asking for image output in the ratio chosen, one
/// image a request (N images are N requests). Reference images (the image to refine) follow the
/// prompt as `inlineData` parts, as Google's image editing examples send them; they must be data
/// (`fileData` wants a Files API URI, which a site's image URL is not).
pub fn image_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let ImagePlan { prompt, references, ratio, candidates, .. } = image_plan(target, call)?;
    let mut parts = vec![json!({ "text": prompt })];
    for file in references {
        let (mime, data) = inline_image(file)
            .ok_or_else(|| Failure::invalid_argument(Reason::ImageReferenceNotInline, params([("provider", PROVIDER.into())])))?;
        parts.push(json!({ "inlineData": { "mimeType": mime, "data": data } }));
    }
    let body = json!({
        "contents": [{ "role": "user", "parts": parts }],
        "generationConfig": { "responseModalities": ["TEXT", "IMAGE"], "imageConfig": { "aspectRatio": ratio } },
    });
    Ok(vec![compat::post_json(endpoint(target), CREDENTIAL, body, timeout(call)); candidates as usize])
}

/// Imagen: `models/{model}:predict` with the prompt as the one instance, every image of the call
/// in one request (`sampleCount`), the ratio and the output type as parameters.
pub fn imagen_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let ImagePlan { prompt, ratio, mime, candidates, .. } = image_plan(target, call)?;
    let body = json!({
        "instances": [{ "prompt": prompt }],
        "parameters": { "sampleCount": candidates, "aspectRatio": ratio, "outputOptions": { "mimeType": mime } },
    });
    Ok(vec![compat::post_json(model_endpoint(target, "predict"), CREDENTIAL, body, timeout(call))])
}

/// `predictions[]` of `{bytesBase64Encoded, mimeType}`, one candidate each. Imagen drops an image
/// its safety filter stopped (the prediction then carries only `raiFilteredReason`); when none is
/// left, the reason is said. Imagen reports no usage.
pub fn parse_imagen(target: &Target, response: &HttpOutcome, body: Value) -> Result<TextReply, Failure> {
    let predictions = items(&body, "predictions");
    let candidates: Vec<Candidate> = predictions
        .iter()
        .filter_map(|prediction| {
            let base64 = prediction.get("bytesBase64Encoded").and_then(Value::as_str).filter(|d| !d.is_empty())?;
            let mime = prediction.get("mimeType").and_then(Value::as_str).filter(|m| m.starts_with("image/")).unwrap_or("image/png");
            Some(Candidate { parts: vec![ReplyPart::Image { mime_type: mime.into(), base64: base64.into() }], finish: FinishReason::Stop })
        })
        .collect();
    if candidates.is_empty() {
        let failure = no_image(target, response);
        let filtered = predictions.iter().find_map(|p| p.get("raiFilteredReason").and_then(Value::as_str)).map(scrub);
        return Err(match filtered.filter(|r| !r.is_empty()) {
            Some(text) => failure.with_detail(Reason::ProviderSaid, params([("provider", PROVIDER.into()), ("text", text)])),
            None => failure,
        });
    }
    Ok(TextReply { candidates, usage: None })
}

/// The images of the answer (`inlineData` parts); the text Gemini says around them is dropped.
pub fn parse_images(target: &Target, response: &HttpOutcome, body: Value) -> Result<TextReply, Failure> {
    let mut candidates = Vec::new();
    for candidate in body.get("candidates").and_then(Value::as_array).map_or(&[][..], Vec::as_slice) {
        let parts: Vec<ReplyPart> = candidate
            .pointer("/content/parts")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|part| {
                let data = part.get("inlineData")?;
                let mime = data.get("mimeType").and_then(Value::as_str).filter(|m| m.starts_with("image/"))?;
                let base64 = data.get("data").and_then(Value::as_str).filter(|d| !d.is_empty())?;
                Some(ReplyPart::Image { mime_type: mime.into(), base64: base64.into() })
            })
            .collect();
        if !parts.is_empty() {
            candidates.push(Candidate { parts, finish: FinishReason::Stop });
        }
    }
    if candidates.is_empty() {
        return Err(no_image(target, response));
    }
    Ok(TextReply { candidates, usage: usage(&body) })
}

/// `…/models/{id}:generateContent`. Catalogs synced from Google's model list store ids as
/// resource names (`models/gemini-2.5-flash`): those, and tuned models (`tunedModels/…`), are
/// used as they are rather than doubled.
fn endpoint(target: &Target) -> String {
    model_endpoint(target, "generateContent")
}

/// `…/models/{id}:{method}`.
fn model_endpoint(target: &Target, method: &str) -> String {
    let id = target.model.id.trim().trim_start_matches('/');
    let resource = if id.contains('/') { id.to_string() } else { format!("models/{id}") };
    compat::versioned_endpoint(target, &format!("/{}:{method}", path_escape(&resource)))
}

/// Percent-encodes what may not stand in a URL path (model ids are `[a-z0-9.-]` in practice).
fn path_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn body(target: &Target, call: &Call) -> Result<Value, Failure> {
    let mut body = Map::new();
    body.insert("contents".into(), Value::Array(contents(call)?));
    if let Some(system) = call.config.system_instruction.as_deref().filter(|s| !s.trim().is_empty()) {
        body.insert("systemInstruction".into(), json!({ "parts": [{ "text": system }] }));
    }
    let generation = generation_config(call, &target.features());
    if !generation.is_empty() {
        body.insert("generationConfig".into(), Value::Object(generation));
    }
    let tools = tools(call)?;
    if !tools.is_empty() {
        body.insert("tools".into(), Value::Array(tools));
    }
    merge_custom_options(&mut body, call);
    Ok(Value::Object(body))
}

fn generation_config(call: &Call, features: &TextFeatures) -> Map<String, Value> {
    let config = &call.config;
    let mut out = Map::new();
    if let Some(max) = config.max_tokens {
        out.insert("maxOutputTokens".into(), json!(max));
    }
    sampling::insert(&mut out, &SAMPLING, config, features);
    if config.candidate_count.is_some() {
        out.insert("candidateCount".into(), json!(call.candidates()));
    }
    // The AI Client's schema is JSON Schema: `responseJsonSchema` takes it as is, where
    // `responseSchema` would want Google's OpenAPI subset. It requires the JSON MIME type.
    match (&config.output_schema, config.output_mime_type.as_deref().map(str::trim).filter(|m| !m.is_empty())) {
        (Some(schema), _) => {
            out.insert("responseMimeType".into(), json!("application/json"));
            out.insert("responseJsonSchema".into(), schema.clone());
        }
        (None, Some(mime)) => {
            out.insert("responseMimeType".into(), json!(mime));
        }
        (None, None) => {}
    }
    out
}

/// Function declarations (their JSON Schema as `parametersJsonSchema`) and Google Search.
/// Gemini's search cannot be limited to or keep away from domains: such a request is refused
/// rather than silently widened.
fn tools(call: &Call) -> Result<Vec<Value>, Failure> {
    let mut tools = Vec::new();
    let declarations: Vec<Value> = call
        .config
        .function_declarations
        .iter()
        .flatten()
        .map(|d| {
            let mut declaration = Map::new();
            declaration.insert("name".into(), json!(d.name));
            if !d.description.is_empty() {
                declaration.insert("description".into(), json!(d.description));
            }
            if let Some(schema) = d.parameters.as_ref().filter(|p| p.as_object().is_some_and(|o| !o.is_empty())) {
                declaration.insert("parametersJsonSchema".into(), schema.clone());
            }
            Value::Object(declaration)
        })
        .collect();
    if !declarations.is_empty() {
        tools.push(json!({ "functionDeclarations": declarations }));
    }
    if let Some(search) = &call.config.web_search {
        if !search.allowed_domains.is_empty() || !search.disallowed_domains.is_empty() {
            return Err(Failure::invalid_argument(Reason::WebSearchCannotFilterDomains, params([("provider", PROVIDER.into())])));
        }
        tools.push(json!({ "google_search": {} }));
    }
    Ok(tools)
}

/// Custom options go into the body, except `contents` (the gateway's own). Like Google's own
/// WordPress provider, `generationConfig.{key}` sets one generation setting; a `generationConfig`
/// object is merged key by key, and a `tools` list is added to the gateway's tools.
fn merge_custom_options(body: &mut Map<String, Value>, call: &Call) {
    for (key, value) in &call.config.custom_options {
        match (key.as_str(), value) {
            ("contents", _) => {}
            ("generationConfig", Value::Object(fields)) => {
                for (name, setting) in fields {
                    set_generation(body, name, setting);
                }
            }
            ("tools", Value::Array(extra)) => match body.get_mut("tools") {
                Some(Value::Array(tools)) => tools.extend(extra.iter().cloned()),
                _ => {
                    body.insert("tools".into(), value.clone());
                }
            },
            (key, _) => match key.strip_prefix("generationConfig.").filter(|name| !name.is_empty()) {
                Some(name) => set_generation(body, name, value),
                None => {
                    body.insert(key.to_string(), value.clone());
                }
            },
        }
    }
}

/// Sets one `generationConfig` field, creating the object when missing (or not an object).
fn set_generation(body: &mut Map<String, Value>, name: &str, value: &Value) {
    match body.get_mut("generationConfig") {
        Some(Value::Object(fields)) => {
            fields.insert(name.to_string(), value.clone());
        }
        _ => {
            let mut fields = Map::new();
            fields.insert(name.to_string(), value.clone());
            body.insert("generationConfig".into(), Value::Object(fields));
        }
    }
}

/// One `user`/`model` content per message. A user message holding several function responses
/// (what WordPress's ability resolver sends) stays one content with several `functionResponse`
/// parts — which is how Gemini wants the answers to parallel calls.
fn contents(call: &Call) -> Result<Vec<Value>, Failure> {
    let names = call_names(&call.messages);
    let mut contents = Vec::with_capacity(call.messages.len());
    for message in &call.messages {
        let mut parts = Vec::with_capacity(message.parts.len());
        for part in &message.parts {
            let Some(mut out) = content_part(part, &names)? else { continue };
            if let (Some(signature), Value::Object(fields)) = (part.thought_signature.as_deref().filter(|s| !s.is_empty()), &mut out) {
                fields.insert("thoughtSignature".into(), json!(signature));
            }
            parts.push(out);
        }
        if !parts.is_empty() {
            let role = match message.role {
                Role::User => "user",
                Role::Model => "model",
            };
            contents.push(json!({ "role": role, "parts": parts }));
        }
    }
    if contents.is_empty() {
        return Err(Failure::invalid_argument(Reason::PromptEmpty, Default::default()));
    }
    Ok(contents)
}

fn content_part(part: &Part, names: &[(String, String)]) -> Result<Option<Value>, Failure> {
    Ok(Some(match part.kind {
        PartKind::Text => {
            let text = part.text.as_deref().unwrap_or("");
            match part.channel {
                // Reasoning the model showed earlier goes back marked as such.
                Channel::Thought => json!({ "text": text, "thought": true }),
                Channel::Content => json!({ "text": text }),
            }
        }
        PartKind::File => file_part(part.file.as_ref())?,
        PartKind::FunctionCall => match &part.function_call {
            Some(called) => function_call_part(called),
            None => return Ok(None),
        },
        PartKind::FunctionResponse => match &part.function_response {
            Some(response) => function_response_part(response, names)?,
            None => return Ok(None),
        },
    }))
}

fn function_call_part(called: &FunctionCall) -> Value {
    let args = match called.args_object() {
        object @ Value::Object(_) => object,
        other => json!({ "value": other }),
    };
    let mut call = Map::new();
    call.insert("name".into(), json!(called.name.as_deref().unwrap_or("")));
    call.insert("args".into(), args);
    if let Some(id) = called.id.as_deref().filter(|id| !id.is_empty()) {
        call.insert("id".into(), json!(id));
    }
    json!({ "functionCall": call })
}

/// Gemini needs the function's name and an object: a result that is not one is sent under
/// `output`, the key Gemini reads as the function's output.
fn function_response_part(response: &FunctionResponse, names: &[(String, String)]) -> Result<Value, Failure> {
    let id = response.id.as_deref().filter(|id| !id.is_empty());
    let name = response
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .or_else(|| id.and_then(|id| names.iter().find(|(called, _)| called == id).map(|(_, name)| name.as_str())))
        .ok_or_else(|| Failure::invalid_argument(Reason::FunctionResponseUnnamed, params([("provider", PROVIDER.into())])))?;
    let result = match &response.response {
        object @ Value::Object(_) => object.clone(),
        other => json!({ "output": other }),
    };
    let mut out = Map::new();
    out.insert("name".into(), json!(name));
    out.insert("response".into(), result);
    if let Some(id) = id {
        out.insert("id".into(), json!(id));
    }
    Ok(json!({ "functionResponse": out }))
}

/// `(id, name)` of every function call in the history, for responses that carry only the id.
fn call_names(messages: &[Message]) -> Vec<(String, String)> {
    messages
        .iter()
        .flat_map(|m| &m.parts)
        .filter_map(|p| p.function_call.as_ref())
        .filter_map(|c| Some((c.id.clone().filter(|id| !id.is_empty())?, c.name.clone().filter(|n| !n.is_empty())?)))
        .collect()
}

/// An image: inline data (and data URIs) as `inlineData`; a remote URL as `fileData`, which
/// Gemini fetches itself (public and signed HTTPS URLs, since January 2026).
fn file_part(file: Option<&File>) -> Result<Value, Failure> {
    let file = file.ok_or_else(|| Failure::invalid_argument(Reason::FilePartEmpty, Default::default()))?;
    if let Some(data) = file.base64_data.as_deref().filter(|d| !d.is_empty()) {
        return Ok(json!({ "inlineData": { "mimeType": image_mime(&file.mime_type)?, "data": data } }));
    }
    match file.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if url.starts_with("data:") => {
            let (mime, data) = data_uri(url)
                .ok_or_else(|| Failure::invalid_argument(Reason::FileDataUriUnreadable, params([("provider", PROVIDER.into())])))?;
            let mime = if mime.is_empty() { file.mime_type.as_str() } else { mime };
            Ok(json!({ "inlineData": { "mimeType": image_mime(mime)?, "data": data } }))
        }
        Some(url) => Ok(json!({ "fileData": { "mimeType": image_mime(&file.mime_type)?, "fileUri": url } })),
        None => Err(Failure::invalid_argument(Reason::FileWithoutData, Default::default())),
    }
}

/// `(mime, data)` of a base64 data URI (`data:image/png;base64,…`).
fn data_uri(url: &str) -> Option<(&str, &str)> {
    let (head, data) = url.strip_prefix("data:")?.split_once(',')?;
    let mime = head.strip_suffix(";base64")?;
    Some((mime.split(';').next().unwrap_or(""), data))
}

/// Only images are declared as input: anything else is refused here, not sent.
fn image_mime(mime: &str) -> Result<&str, Failure> {
    let mime = mime.trim();
    if mime.is_empty() {
        Err(Failure::invalid_argument(Reason::FileWithoutMimeType, Default::default()))
    } else if !mime.starts_with("image/") {
        Err(Failure::invalid_argument(Reason::FileNotImage, params([("mime_type", mime.to_string())])))
    } else {
        Ok(mime)
    }
}

pub fn parse_text(target: &Target, response: &HttpOutcome, body: Value) -> Result<TextReply, Failure> {
    let label = target.connector.label;
    let model = &target.model.id;
    let listed = body.get("candidates").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    if listed.is_empty() {
        // The prompt itself was blocked: no candidate at all, and the reason in promptFeedback.
        if let Some(blocked) = body.pointer("/promptFeedback/blockReason").and_then(Value::as_str) {
            let said = match body.pointer("/promptFeedback/blockReasonMessage").and_then(Value::as_str) {
                Some(text) => format!("blockReason {blocked}: {text}"),
                None => format!("blockReason {blocked}"),
            };
            return Err(status_failure(target, response, Some(ErrorClass::ContentRefused), Some(&said)));
        }
        return Err(compat::no_text(label, model));
    }
    let mut candidates = Vec::with_capacity(listed.len());
    let mut unanswered = Vec::new();
    for candidate in listed {
        let parts = reply_parts(candidate);
        let reason = candidate.get("finishReason").and_then(Value::as_str).unwrap_or("STOP");
        let answered = parts.iter().any(|p| match p {
            ReplyPart::Text { text, thought, .. } => !thought && !text.is_empty(),
            ReplyPart::FunctionCall { .. } | ReplyPart::Image { .. } => true,
        });
        let finish = match reason {
            _ if parts.iter().any(|p| matches!(p, ReplyPart::FunctionCall { .. })) => FinishReason::ToolCalls,
            "MAX_TOKENS" => FinishReason::Length,
            "SAFETY" | "RECITATION" | "BLOCKLIST" | "PROHIBITED_CONTENT" | "SPII" | "IMAGE_SAFETY" => FinishReason::ContentFilter,
            _ => FinishReason::Stop,
        };
        if answered || finish == FinishReason::ContentFilter {
            candidates.push(Candidate { parts, finish });
        } else {
            unanswered.push(reason);
        }
    }
    if candidates.is_empty() {
        // Thinking can spend the whole output budget before any answer: that is the token limit.
        if unanswered.contains(&"MAX_TOKENS") {
            return Err(Failure::token_limit(Reason::ProviderTokenLimit, params([("provider", label.into()), ("model", model.clone())])));
        }
        let failure = compat::no_text(label, model);
        return Err(match unanswered.iter().find(|r| **r != "STOP") {
            Some(reason) => failure.with_detail(
                Reason::ProviderSaid,
                params([("provider", label.into()), ("text", format!("finishReason {}", scrub(reason)))]),
            ),
            None => failure,
        });
    }
    Ok(TextReply { candidates, usage: usage(&body) })
}

/// A candidate's parts, one reply part per Gemini part so that each signature stays on the part
/// it came with (an empty text part may carry nothing but a signature). Parts that are not text
/// or function calls (inline images, executable code) are not part of a text answer.
fn reply_parts(candidate: &Value) -> Vec<ReplyPart> {
    let parts = candidate.pointer("/content/parts").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let signature = part.get("thoughtSignature").and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_string);
        if let Some(called) = part.get("functionCall") {
            let args = match called.get("args") {
                Some(Value::Null) | None => Value::Object(Map::new()),
                Some(args) => args.clone(),
            };
            let call = FunctionCall {
                id: called.get("id").and_then(Value::as_str).filter(|id| !id.is_empty()).map(str::to_string),
                name: called.get("name").and_then(Value::as_str).map(str::to_string),
                args: Some(args),
            };
            out.push(ReplyPart::FunctionCall { call, signature });
        } else if let Some(text) = part.get("text").and_then(Value::as_str) {
            if !text.is_empty() || signature.is_some() {
                let thought = part.get("thought").and_then(Value::as_bool).unwrap_or(false);
                out.push(ReplyPart::Text { text: text.to_string(), thought, signature });
            }
        }
    }
    out
}

/// `usageMetadata`. `candidatesTokenCount` leaves out the model's thinking, which Google bills
/// as output: output = candidates + thoughts, so that input + output = `totalTokenCount`.
/// Input counts the prompt plus what tools (Google Search) added to it; `cachedContentTokenCount`
/// is the cached part of the prompt. Gemini charges no cache writes.
fn usage(body: &Value) -> Option<Usage> {
    let meta = body.get("usageMetadata")?;
    let count = |key: &str| count_at(meta, &[key]);
    let input = count("promptTokenCount")?.saturating_add(count("toolUsePromptTokenCount").unwrap_or(0));
    let thought = count("thoughtsTokenCount");
    let output = count("candidatesTokenCount").unwrap_or(0).saturating_add(thought.unwrap_or(0));
    let mut usage = Usage::reported(input, output, count("totalTokenCount"));
    usage.thought = thought;
    usage.cached_input = count("cachedContentTokenCount");
    Some(usage)
}

/// A Google error answer: `{"error": {code, message, status, details}}` (some front ends wrap it
/// in a list). Its `status` and `details` say more than the HTTP status does.
pub fn error(target: &Target, response: &HttpOutcome) -> Failure {
    let body = serde_json::from_str::<Value>(&response.body).ok();
    let error = body.as_ref().and_then(|b| b.get("error").or_else(|| b.get(0).and_then(|first| first.get("error"))));
    let message = error.and_then(|e| e.get("message")).and_then(Value::as_str);
    let details = error.and_then(|e| e.get("details")).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    if details.iter().any(|d| d.get("reason").and_then(Value::as_str) == Some("API_KEY_INVALID")) {
        return refused_key(target, response, message);
    }
    let status = error.and_then(|e| e.get("status")).and_then(Value::as_str).unwrap_or("");
    let class = error_class(response.status, status, message.unwrap_or(""));
    match retry_delay(details).filter(|_| response.status == 429 && response.header("retry-after").is_none()) {
        Some(seconds) => {
            let mut with_delay = response.clone();
            with_delay.headers.insert("retry-after".into(), json!(seconds));
            status_failure(target, &with_delay, class, message)
        }
        None => status_failure(target, response, class, message),
    }
}

/// Google's statuses that say more than the HTTP status: billing not set up
/// (`FAILED_PRECONDITION`, "…enable billing…"), prepaid credit used up (402
/// `RESOURCE_EXHAUSTED`), and a prompt longer than the model's context (`INVALID_ARGUMENT`, "The
/// input token count (N) exceeds the maximum number of tokens allowed (M).").
fn error_class(http: u16, status: &str, message: &str) -> Option<ErrorClass> {
    let lower = message.to_ascii_lowercase();
    let too_long = (lower.contains("token count") && lower.contains("exceeds"))
        || lower.contains("exceeds the maximum number of tokens")
        || lower.contains("context is too long");
    match status {
        _ if http == 402 => Some(ErrorClass::Billing),
        "FAILED_PRECONDITION" if lower.contains("billing") => Some(ErrorClass::Billing),
        "RESOURCE_EXHAUSTED" if lower.contains("prepay") || lower.contains("credits are depleted") => Some(ErrorClass::Billing),
        "INVALID_ARGUMENT" | "INTERNAL" if too_long => Some(ErrorClass::ContextTooLong),
        _ => None,
    }
}

/// A wrong key: Google answers 400 `INVALID_ARGUMENT` with reason `API_KEY_INVALID`, not 401.
/// It is the key failure all the same, with the status Google sent.
fn refused_key(target: &Target, response: &HttpOutcome, message: Option<&str>) -> Failure {
    let connector = target.connector;
    let failure = Failure::client(
        response.status,
        Reason::ProviderRefusedKey,
        params([
            ("provider", connector.label.into()),
            ("status", response.status.to_string()),
            ("settings_name", connector.internal.into()),
        ]),
    );
    match message.map(scrub).filter(|m| !m.is_empty()) {
        Some(text) => failure.with_detail(Reason::ProviderSaid, params([("provider", connector.label.into()), ("text", text)])),
        None => failure,
    }
}

/// Whole seconds to wait from a `google.rpc.RetryInfo` detail (`"retryDelay": "37.5s"`),
/// rounded up. Google sends this instead of a `Retry-After` header.
fn retry_delay(details: &[Value]) -> Option<String> {
    let delay = details
        .iter()
        .filter(|d| d.get("@type").and_then(Value::as_str).is_some_and(|t| t.ends_with("google.rpc.RetryInfo")))
        .find_map(|d| d.get("retryDelay").and_then(Value::as_str))?;
    let seconds = delay.trim().strip_suffix('s')?;
    let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
    let seconds: u64 = whole.parse().ok()?;
    let round_up = fraction.bytes().any(|b| b != b'0');
    Some(seconds.saturating_add(u64::from(round_up)).to_string())
}

#[cfg(test)]
#[path = "../tests/google.rs"]
mod tests;
