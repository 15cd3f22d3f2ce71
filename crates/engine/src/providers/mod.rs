//! Provider adapters: one module per wire format, each answering the same questions — build the
//! request for a call, read the response, read the usage, explain a failure. OpenAI-compatible
//! providers share `openai_compatible` with their differences as a `Profile`.

pub mod openai;
pub mod openai_compatible;

use serde_json::Value;

use crate::call::Call;
use crate::error::Failure;
use crate::protocol::{HttpOutcome, HttpRequest, HttpResponse, TransportErrorKind};
use crate::route::Route;
use crate::snapshot::Snapshot;
use crate::usage::Usage;

/// Which adapter speaks for a connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    OpenAi,
}

/// One provider answer to a text request.
#[derive(Debug, Clone, PartialEq)]
pub struct TextReply {
    pub candidates: Vec<Candidate>,
    pub usage: Option<Usage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub text: String,
    pub finish: FinishReason,
}

/// The AI Client's `FinishReasonEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    Stop,
    Length,
    ContentFilter,
    ToolCalls,
}

impl FinishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stop => "stop",
            Self::Length => "length",
            Self::ContentFilter => "content_filter",
            Self::ToolCalls => "tool_calls",
        }
    }
}

/// The requests for a text call (one per candidate where the API can't return several).
pub fn text_requests(route: &Route, call: &Call, snapshot: &Snapshot) -> Result<Vec<HttpRequest>, Failure> {
    match route.connector.adapter {
        Adapter::OpenAi => openai::text_requests(route, call, snapshot),
    }
}

/// Reads one outcome of a text request.
pub fn parse_text(route: &Route, call: &Call, snapshot: &Snapshot, outcome: &HttpOutcome) -> Result<TextReply, Failure> {
    if let Some(error) = &outcome.error {
        return Err(transport_failure(route, call, snapshot, error));
    }
    let response = outcome;
    match route.connector.adapter {
        Adapter::OpenAi => openai::parse_text(route, snapshot, response),
    }
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
pub fn json_body(label: &str, response: &HttpResponse) -> Result<Value, Failure> {
    let body = response.body.trim_start();
    if looks_like_html(response) {
        return Err(Failure::server(
            502,
            format!(
                "{label} answered with an HTML page (HTTP {}) instead of JSON. The base URL may point at a \
                 website or proxy rather than the API; check it in AI Puffer > Settings.",
                response.status
            ),
        ));
    }
    serde_json::from_str(body).map_err(|e| {
        let what = if e.is_eof() { "was cut off (truncated JSON)" } else { "is not valid JSON" };
        Failure::server(
            502,
            format!("{label}'s response {what} (HTTP {}, {} bytes). Try again; if it persists, check the provider's status.", response.status, response.body.len()),
        )
    })
}

pub fn looks_like_html(response: &HttpResponse) -> bool {
    let content_type = response.header("content-type").unwrap_or("");
    let body = response.body.trim_start();
    content_type.contains("text/html") || body.starts_with('<')
}

/// A failure for a non-2xx status, with the provider's own explanation (scrubbed) and what the
/// site owner can do.
pub fn status_failure(label: &str, internal: &str, model: &str, response: &HttpResponse, provider_message: Option<&str>) -> Failure {
    let status = response.status;
    let said = match provider_message.map(scrub).filter(|m| !m.is_empty()) {
        Some(m) => format!(" {label} said: \"{m}\""),
        None if looks_like_html(response) => " The response was an HTML page, not the provider's API.".to_string(),
        None => String::new(),
    };
    match status {
        401 | 403 => Failure::client(
            status,
            format!("{label} refused the request (HTTP {status}): the API key is missing, wrong or not allowed to use this model.{said} Check the {internal} API key in AI Puffer > Settings."),
        ),
        404 => Failure::client(
            status,
            format!("{label} does not know the model \"{model}\" or the endpoint (HTTP 404).{said} Sync the {internal} models in AI Puffer > Settings, or check the base URL."),
        ),
        429 => {
            let retry = response.header("retry-after").map(|s| format!(" Retry after {} s.", s.trim())).unwrap_or_default();
            Failure::client(
                status,
                format!("{label} is rate-limiting this site or its quota is used up (HTTP 429).{said}{retry} Check the plan and usage limits of the {internal} account."),
            )
        }
        400..=499 => Failure::client(status, format!("{label} rejected the request (HTTP {status}).{said}")),
        500..=599 => Failure::server(
            status,
            format!("{label} had a server error (HTTP {status}).{said} This is usually temporary; try again shortly."),
        ),
        _ => Failure::server(502, format!("{label} answered with an unexpected HTTP status {status}.{said}")),
    }
}

fn transport_failure(route: &Route, call: &Call, snapshot: &Snapshot, error: &crate::protocol::TransportError) -> Failure {
    let label = route.connector.label;
    let url = route.base_url(snapshot);
    let host = host_of(&url);
    let detail = scrub(&error.message);
    let detail = if detail.is_empty() { String::new() } else { format!(" ({detail})") };
    match error.kind {
        TransportErrorKind::Timeout => Failure::network(format!(
            "{label} at {host} did not answer within {} s{detail}. Try again, or allow more time with the request timeout.",
            timeout(call)
        )),
        TransportErrorKind::Refused => match error.status {
            // Another plugin's `pre_http_request` guard (e.g. Connector Approvals) stopped the call.
            Some(status) if (400..500).contains(&status) => Failure::client(status, format!("The request to {label} was blocked on this site{detail}.")),
            _ => Failure::network(format!("The request to {label} at {host} was blocked on this site{detail}.")),
        },
        TransportErrorKind::Connect | TransportErrorKind::Other => Failure::network(format!(
            "Could not reach {label} at {host}{detail}. Check the base URL in AI Puffer > Settings and that this server can make outgoing requests."
        )),
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
            || (bare.len() >= 32 && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') && bare.chars().any(|c| c.is_ascii_digit()));
        out.push_str(if secret_like { "[redacted]" } else { word });
    }
    if out.chars().count() > 300 {
        out = out.chars().take(297).collect::<String>() + "…";
    }
    out
}

#[cfg(test)]
#[path = "../tests/providers.rs"]
mod tests;
