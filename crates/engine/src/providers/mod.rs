//! Provider adapters: one module per wire format, each answering the same questions — build the
//! request for a call, read the response, read the usage, explain a failure. OpenAI-compatible
//! providers share `openai_compatible` with their differences as a `Profile`. An adapter gets a
//! resolved `Target` (connector, model, wire format, the settings the connector declared), never
//! the site.

pub mod anthropic;
pub mod azure;
pub mod deepseek;
pub mod google;
pub mod multipart;
pub mod ollama;
pub mod openai;
pub mod openai_compatible;
pub mod openai_images;
pub mod openrouter;
pub mod sampling;
pub mod tools;
pub mod xai;

use serde_json::Value;

use crate::call::{Call, Channel, File, PartKind, Role};
use crate::catalog::ListedModel;
use crate::connectors::{Adapter, WireFormat};
use crate::failure::{params, Failure};
use crate::image_models::{self, ImageFeatures, Shape};
use crate::messages::Reason;
use crate::protocol::{HttpOutcome, HttpRequest, TransportErrorKind};
use crate::reply::TextReply;
use crate::route::Target;

/// The most a text response may weigh. Text answers are far smaller (128K output tokens are
/// ≈0.5 MB of JSON); anything bigger is a misbehaving server, not an answer.
pub const TEXT_RESPONSE_LIMIT: u64 = 8 * 1024 * 1024;

/// The requests for a call — text, or images where the target's format makes them (one per
/// candidate where the API can't return several). Ids are left empty: the task numbers them.
pub fn text_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    match target.format {
        WireFormat::OpenAiResponses => openai::text_requests(target, call),
        WireFormat::ChatCompletions => openai_compatible::text_requests(openai_compatible::profile(target.connector), target, call),
        WireFormat::AnthropicMessages => anthropic::text_requests(target, call),
        WireFormat::GeminiGenerateContent => google::text_requests(target, call),
        WireFormat::OllamaChat => ollama::text_requests(target, call),
        WireFormat::OpenAiImages => openai_images::image_requests(openai_compatible::profile(target.connector), target, call),
        WireFormat::GeminiImages => google::image_requests(target, call),
        WireFormat::ImagenPredict => google::imagen_requests(target, call),
        WireFormat::ChatCompletionsImages => openrouter::image_requests(target, call),
    }
}

/// Reads one outcome of a text request sent with at most `limit` response bytes.
pub fn parse_text(target: &Target, call_timeout: f64, outcome: &HttpOutcome, limit: u64) -> Result<TextReply, Failure> {
    let body = checked_body(target, call_timeout, outcome, limit)?;
    match target.format {
        WireFormat::OpenAiResponses => openai::parse_text(target, body),
        WireFormat::ChatCompletions => openai_compatible::parse_text(target, outcome, body),
        WireFormat::AnthropicMessages => anthropic::parse_text(target, body),
        WireFormat::GeminiGenerateContent => google::parse_text(target, outcome, body),
        WireFormat::OllamaChat => ollama::parse_text(target, body),
        WireFormat::OpenAiImages => openai_images::parse_images(target, outcome, body),
        WireFormat::GeminiImages => google::parse_images(target, outcome, body),
        WireFormat::ImagenPredict => google::parse_imagen(target, outcome, body),
        WireFormat::ChatCompletionsImages => openrouter::parse_images(target, outcome, body),
    }
}

/// What an image call asks, checked against what the model makes (the AI Client matched the
/// declared values already; this refuses what slipped past with the values that would work).
pub struct ImagePlan<'a> {
    pub features: ImageFeatures,
    pub prompt: String,
    /// The images the user's messages carry (image refinement sends the image to change), in
    /// order; only where the family takes reference images.
    pub references: Vec<&'a File>,
    /// The pixels of the choice (`1536x1024`), where the family's requests name pixels.
    pub size: Option<&'static str>,
    /// The ratio of the choice (`3:2`).
    pub ratio: &'static str,
    pub mime: &'static str,
    pub candidates: u32,
}

pub fn image_plan<'a>(target: &Target, call: &'a Call) -> Result<ImagePlan<'a>, Failure> {
    let unsupported = |option: &str, supported: String| {
        Failure::invalid_argument(
            Reason::ImageOptionUnsupported,
            params([("model", target.model.id.clone()), ("option", option.into()), ("supported", supported)]),
        )
    };
    let features = image_models::features(target.connector, &target.model.id, &target.model.name).ok_or_else(|| {
        Failure::invalid_argument(
            Reason::UnknownModel,
            params([("connector", target.connector.name.into()), ("model", target.model.id.clone()), ("known", String::new())]),
        )
    })?;
    let prompt = call.image_prompt();
    if prompt.trim().is_empty() {
        return Err(Failure::invalid_argument(Reason::PromptEmpty, params([])));
    }
    let references = reference_images(call)?;
    // A model declaring text input only would drop the image and make a new picture instead of
    // the refinement asked for: refused, not silently ignored.
    if !references.is_empty() && !features.reference_images {
        return Err(Failure::invalid_argument(Reason::ImageReferenceUnsupported, params([("model", target.model.id.clone())])));
    }
    let config = &call.config;
    let (ratio, orientation) = (config.output_media_aspect_ratio.as_deref(), config.output_media_orientation.as_deref());
    let size = features.size(ratio, orientation);
    let Some(ratio) = features.ratio(ratio, orientation).filter(|_| size.is_some() || features.shape != Shape::Size) else {
        return Err(unsupported("outputMediaAspectRatio", features.ratios.join(", ")));
    };
    // No type asked: the model's own (the first declared).
    let mime = match config.output_mime_type.as_deref() {
        None => features.mime_types.first().copied(),
        Some(asked) => features.mime_types.iter().find(|m| **m == asked.trim()).copied(),
    };
    let Some(mime) = mime else {
        return Err(unsupported("outputMimeType", features.mime_types.join(", ")));
    };
    if config.output_file_type.as_deref().is_some_and(|t| t != "inline") {
        return Err(unsupported("outputFileType", "inline".into()));
    }
    Ok(ImagePlan { features, prompt, references, size, ratio, mime, candidates: call.candidates().min(features.max_candidates) })
}

/// The files of the user's messages (content, not reasoning), each an image: a file part
/// without a file, or a file that is not an image, is refused here rather than sent.
fn reference_images(call: &Call) -> Result<Vec<&File>, Failure> {
    let parts = call.messages.iter().filter(|m| m.role == Role::User).flat_map(|m| &m.parts);
    parts
        .filter(|p| p.kind == PartKind::File && p.channel == Channel::Content)
        .map(|p| {
            let file = p.file.as_ref().ok_or_else(|| Failure::invalid_argument(Reason::FilePartEmpty, params([])))?;
            let mime = inline_image(file).map_or(file.mime_type.trim(), |(mime, _)| mime).to_string();
            if mime.is_empty() {
                Err(Failure::invalid_argument(Reason::FileWithoutMimeType, params([])))
            } else if !mime.starts_with("image/") {
                Err(Failure::invalid_argument(Reason::FileNotImage, params([("mime_type", mime)])))
            } else if file.url.as_deref().is_none_or(|u| u.trim().is_empty()) && file.base64_data.as_deref().is_none_or(str::is_empty) {
                Err(Failure::invalid_argument(Reason::FileWithoutData, params([])))
            } else {
                Ok(file)
            }
        })
        .collect()
}

/// `(mime, base64)` of a reference image given as data (base64, or a data URL); None for one
/// given by a remote URL.
pub fn inline_image(file: &File) -> Option<(&str, &str)> {
    if let Some(data) = file.base64_data.as_deref().filter(|d| !d.is_empty()) {
        return Some((file.mime_type.trim(), data));
    }
    let (mime, data) = data_url(file.url.as_deref()?)?;
    Some((if mime.is_empty() { file.mime_type.trim() } else { mime }, data))
}

/// The MIME type of base64 image data, from its first bytes (PNG, JPEG, WebP, GIF), for APIs
/// that do not say which type they sent.
pub fn sniff_image_mime(base64: &str) -> Option<&'static str> {
    const SIGNATURES: &[(&str, &str)] =
        &[("iVBORw0KGgo", "image/png"), ("/9j/", "image/jpeg"), ("UklGR", "image/webp"), ("R0lGOD", "image/gif")];
    SIGNATURES.iter().find(|(prefix, _)| base64.starts_with(prefix)).map(|(_, mime)| *mime)
}

/// `(mime, data)` of a base64 data URL (`data:image/png;base64,…`).
pub fn data_url(url: &str) -> Option<(&str, &str)> {
    let (head, data) = url.trim().strip_prefix("data:")?.split_once(',')?;
    let mime = head.strip_suffix(";base64")?;
    Some((mime.split(';').next().unwrap_or(""), data))
}

/// The failure for an image answer that holds no image.
pub fn no_image(target: &Target, response: &HttpOutcome) -> Failure {
    Failure::server(
        502,
        Reason::ProviderNoImage,
        params([("provider", target.connector.label.into()), ("model", target.model.id.clone()), ("status", response.status.to_string())]),
    )
}

/// The most a model list may weigh (OpenRouter's is a few MB).
pub const LIST_RESPONSE_LIMIT: u64 = 64 * 1024 * 1024;

/// Seconds to wait for a model list.
pub const LIST_TIMEOUT: f64 = 60.0;

/// One page of a provider's model list, and the token of the next page when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelPage {
    pub models: Vec<ListedModel>,
    pub next: Option<String>,
}

/// The request for one page of the connector's model list (`page`: the previous page's token).
pub fn list_request(target: &Target, page: Option<&str>) -> HttpRequest {
    match target.connector.adapter {
        Adapter::Google => google::list_request(target, page),
        Adapter::Anthropic => anthropic::list_request(target, page),
        Adapter::Ollama => ollama::list_request(target),
        Adapter::OpenAi | Adapter::OpenRouter | Adapter::Azure | Adapter::DeepSeek | Adapter::Xai => {
            openai_compatible::list_request(openai_compatible::profile(target.connector), target)
        }
    }
}

/// Reads one page of a model list.
pub fn parse_list(target: &Target, outcome: &HttpOutcome) -> Result<ModelPage, Failure> {
    // A 404 here is the address, not a model: the format's error readers would name a model.
    if outcome.error.is_none() && outcome.status == 404 {
        return Err(Failure::client(
            404,
            Reason::ProviderListNotFound,
            params([("provider", target.connector.label.into()), ("host", host_of(&outcome_url(target)).to_string())]),
        ));
    }
    let body = checked_body(target, LIST_TIMEOUT, outcome, LIST_RESPONSE_LIMIT)?;
    let page = match target.connector.adapter {
        Adapter::Google => google::parse_list(&body),
        Adapter::Anthropic => anthropic::parse_list(&body),
        Adapter::Ollama => ollama::parse_list(&body),
        Adapter::OpenAi | Adapter::OpenRouter | Adapter::Azure | Adapter::DeepSeek | Adapter::Xai => {
            ModelPage { models: (openai_compatible::profile(target.connector).listed)(&body), next: None }
        }
    };
    Ok(page)
}

/// The list's address, for messages.
fn outcome_url(target: &Target) -> String {
    list_request(target, None).url
}

/// A response's JSON body once it is known to be a success: transport errors, oversized bodies
/// and error statuses (read by the format's own error reader) become failures first.
fn checked_body(target: &Target, call_timeout: f64, outcome: &HttpOutcome, limit: u64) -> Result<Value, Failure> {
    if let Some(error) = &outcome.error {
        return Err(transport_failure(target, call_timeout, error));
    }
    if outcome.body.len() as u64 >= limit {
        return Err(Failure::server(
            502,
            Reason::ProviderTooLarge,
            params([("provider", target.connector.label.into()), ("limit", limit.to_string()), ("status", outcome.status.to_string())]),
        ));
    }
    // An error status is read by the format's error reader; a success must be JSON first.
    if !(200..300).contains(&outcome.status) {
        return Err(match target.format {
            WireFormat::OpenAiResponses | WireFormat::ChatCompletions | WireFormat::OpenAiImages | WireFormat::ChatCompletionsImages => {
                openai_compatible::error(target, outcome)
            }
            WireFormat::AnthropicMessages => anthropic::error(target, outcome),
            WireFormat::GeminiGenerateContent | WireFormat::GeminiImages | WireFormat::ImagenPredict => google::error(target, outcome),
            WireFormat::OllamaChat => ollama::error(target, outcome),
        });
    }
    json_body(target.connector.label, outcome)
}

/// Percent-encodes all but RFC 3986's unreserved characters (query values, path segments).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A GET of a JSON resource (model lists).
pub fn get_json(url: String, credential: Option<crate::protocol::Credential>) -> HttpRequest {
    let mut headers = std::collections::BTreeMap::new();
    headers.insert("Accept", "application/json".to_string());
    HttpRequest {
        id: String::new(),
        method: "GET",
        url,
        headers,
        credential,
        body: None,
        timeout: LIST_TIMEOUT,
        max_response_bytes: LIST_RESPONSE_LIMIT,
        body_base64: false,
        local: false,
    }
}

/// The items of `body[field]` (an array), or none.
pub fn items<'a>(body: &'a Value, field: &str) -> &'a [Value] {
    body.get(field).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A listed model from a row, by the first non-empty of `id_fields` and `name_fields`.
pub fn listed(row: &Value, id_fields: &[&str], name_fields: &[&str], kind: crate::catalog::ModelKind) -> Option<ListedModel> {
    let text = |fields: &[&str]| {
        fields.iter().filter_map(|f| row.get(*f).and_then(Value::as_str)).map(str::trim).find(|s| !s.is_empty()).map(str::to_string)
    };
    let id = text(id_fields)?;
    let name = text(name_fields).unwrap_or_else(|| id.clone());
    Some(ListedModel { id, name, kind })
}

/// Seconds the host waits for the provider: the prompt builder's request timeout (WordPress
/// defaults it to 30 s through `wp_ai_client_default_request_timeout`).
pub fn timeout(call: &Call) -> f64 {
    match call.request_options.timeout {
        Some(t) if t.is_finite() && t > 0.0 => t,
        _ => 30.0,
    }
}

/// The host part of a URL, for messages (`api.openai.com:443`).
pub fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest)
}

/// The body of a successful response as JSON; every way it can be unusable becomes a failure
/// that says what came back.
pub fn json_body(label: &str, response: &HttpOutcome) -> Result<Value, Failure> {
    if looks_like_html(response) {
        return Err(Failure::server(
            502,
            Reason::ProviderHtml,
            params([("provider", label.into()), ("status", response.status.to_string())]),
        ));
    }
    serde_json::from_str(response.body.trim_start()).map_err(|e| {
        let reason = if e.is_eof() { Reason::ProviderTruncated } else { Reason::ProviderInvalidJson };
        Failure::server(
            502,
            reason,
            params([("provider", label.into()), ("status", response.status.to_string()), ("bytes", response.body.len().to_string())]),
        )
    })
}

pub fn looks_like_html(response: &HttpOutcome) -> bool {
    let content_type = response.header("content-type").unwrap_or("");
    content_type.contains("text/html") || response.body.trim_start().starts_with('<')
}

/// What a provider's error body says happened, where its HTTP status alone does not tell.
/// Each provider module reads its own error codes into this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The prompt (with history) is longer than the model's context window.
    ContextTooLong,
    /// No credit left, or no billing set up on the provider account.
    Billing,
    /// The provider refused the content of the prompt.
    ContentRefused,
}

/// A failure for a non-2xx status, classified by `class` where the provider said more than its
/// status does, with the provider's own explanation (scrubbed) and what the site owner can do.
pub fn status_failure(target: &Target, response: &HttpOutcome, class: Option<ErrorClass>, provider_message: Option<&str>) -> Failure {
    let label = target.connector.label;
    let status = response.status;
    let named = |extra: &[(&str, String)]| {
        let mut p =
            params([("provider", label.into()), ("status", status.to_string()), ("settings_name", target.connector.internal.into())]);
        p.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
        p
    };
    let model = || ("model", target.model.id.clone());
    let failure = match (class, status) {
        (Some(ErrorClass::ContextTooLong), _) => Failure::token_limit(Reason::ProviderContextTooLong, named(&[model()])),
        (Some(ErrorClass::Billing), _) => {
            Failure::client(if (400..500).contains(&status) { status } else { 402 }, Reason::ProviderBilling, named(&[]))
        }
        (Some(ErrorClass::ContentRefused), _) => {
            Failure::client(if (400..500).contains(&status) { status } else { 400 }, Reason::ProviderRefusedContent, named(&[model()]))
        }
        (None, 401 | 403) => Failure::client(status, Reason::ProviderRefusedKey, named(&[])),
        (None, 404) => Failure::client(status, Reason::ProviderModelNotFound, named(&[model()])),
        (None, 429) => match response.header("retry-after").map(str::trim).filter(|s| !s.is_empty()) {
            Some(after) => Failure::client(status, Reason::ProviderRateLimitedRetryAfter, named(&[("retry_after", scrub(after))])),
            None => Failure::client(status, Reason::ProviderRateLimited, named(&[])),
        },
        (None, 400..=499) => Failure::client(status, Reason::ProviderRejected, named(&[])),
        (None, 500..=599) => Failure::server(status, Reason::ProviderServerError, named(&[])),
        (None, _) => Failure::server(502, Reason::ProviderUnexpectedStatus, named(&[])),
    };
    match provider_message.map(scrub).filter(|m| !m.is_empty()) {
        Some(text) => failure.with_detail(Reason::ProviderSaid, params([("provider", label.into()), ("text", text)])),
        None if looks_like_html(response) => failure.with_detail(Reason::ProviderSentHtml, Default::default()),
        None => failure,
    }
}

fn transport_failure(target: &Target, call_timeout: f64, error: &crate::protocol::TransportError) -> Failure {
    let label = target.connector.label;
    // Azure has no base URL: its resource endpoint is the host.
    let base = if target.base_url().is_empty() { target.setting("endpoint") } else { target.base_url() };
    let host = host_of(base).to_string();
    let failure = match error.kind {
        TransportErrorKind::Timeout => Failure::network(
            Reason::NetworkTimeout,
            params([("provider", label.into()), ("host", host), ("seconds", call_timeout.to_string())]),
        ),
        TransportErrorKind::Refused => match error.status {
            // Another plugin's `pre_http_request` guard (e.g. Connector Approvals) stopped the call.
            Some(status) if (400..500).contains(&status) => {
                Failure::client(status, Reason::RequestBlocked, params([("provider", label.into())]))
            }
            _ => Failure::network(Reason::RequestBlockedAtHost, params([("provider", label.into()), ("host", host)])),
        },
        TransportErrorKind::Dropped => Failure::network(Reason::NetworkDropped, params([("provider", label.into()), ("host", host)])),
        TransportErrorKind::Connect | TransportErrorKind::Other => {
            Failure::network(Reason::NetworkUnreachable, params([("provider", label.into()), ("host", host)]))
        }
    };
    match scrub(&error.message) {
        text if text.is_empty() => failure,
        text => failure.with_detail(Reason::HostSaid, params([("text", text)])),
    }
}

/// Makes provider or transport text safe to show: drops anything shaped like a credential and
/// bounds the length. (Hosts also remove the exact stored key before the engine sees a body.)
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(300));
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let bare = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        let secret_like = bare.starts_with("sk-")
            || bare.starts_with("sk_")
            || bare.starts_with("AIza")
            || (bare.len() >= 32
                && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                && bare.chars().any(|c| c.is_ascii_digit()));
        out.push_str(if secret_like { "[redacted]" } else { word });
        if out.len() > 1200 {
            break;
        }
    }
    if out.chars().count() > 300 {
        out = out.chars().take(297).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
#[path = "../tests/providers.rs"]
mod tests;
