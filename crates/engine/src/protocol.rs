//! The wire between a host and the engine: what a host sends (`AdvanceInput`) and what the engine
//! answers (`Step`). Everything here is plain serializable data — a host (PHP, Node, the browser)
//! keeps no engine state between steps beyond the opaque `state` value it was handed.
//!
//! The loop every host runs:
//! ```text
//! input = {snapshot, call}
//! loop {
//!     step = advance(input)
//!     match step {
//!         http { requests, state } => input.state = state; input.responses = perform(requests)
//!         done { result, writes }  => apply(writes); return result
//!         fail { error, writes }   => apply(writes); raise error
//!     }
//! }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ai_client::GenerativeAiResult;
use crate::call::Call;
use crate::rows::Row;
use crate::error::Failure;
use crate::snapshot::Snapshot;

/// One call of `advance`: the first has no `state` and no `responses`; every later one carries
/// the `state` of the previous `http` step and one response per request it asked for, in order.
#[derive(Debug, Deserialize)]
pub struct AdvanceInput {
    pub snapshot: Snapshot,
    pub call: Call,
    #[serde(default)]
    pub state: Option<Continuation>,
    #[serde(default)]
    pub responses: Vec<HttpOutcome>,
}

/// Where the engine is inside one call. Opaque to hosts: they pass it back unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Continuation {
    /// What the engine is waiting for.
    pub awaiting: Awaiting,
    /// How many requests the previous `http` step sent (each needs one response).
    pub sent: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    /// Text generation responses, one per candidate request.
    TextGeneration,
}

/// The engine's answer: exactly one thing for the host to do next.
#[derive(Debug, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Perform these requests (in any order, or concurrently), then call `advance` again with the
    /// same snapshot and call, this `state`, and the outcomes in request order.
    Http { requests: Vec<HttpRequest>, state: Continuation },
    /// The call succeeded: `result` has the shape of the AI Client's `GenerativeAiResult::toArray()`.
    /// Apply `writes` (in order, in one transaction), then hand the result to the caller.
    Done { result: GenerativeAiResult, writes: Vec<Write> },
    /// The call failed: apply `writes` (possibly none), then raise `error`.
    Fail { error: Failure, writes: Vec<Write> },
}

/// An HTTP request for the host to perform. The engine never sees API keys: `auth` names which
/// stored credential the host puts into which header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    /// Header name → value, without the credential header.
    pub headers: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// The request body, already encoded (JSON text for every provider call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Seconds before the host gives up and reports a timeout.
    pub timeout: f64,
}

/// "Put `prefix` + the API key stored for `provider` into header `header`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Auth {
    /// AI Puffer's internal provider name (`OpenAI`, `Google`, `Claude`, …): the key lives in
    /// `aipkit_options.providers[provider].api_key`.
    pub provider: &'static str,
    pub header: &'static str,
    pub prefix: &'static str,
}

/// What happened to one request: a response (any status), or — when `error` is set — a
/// transport error. A plain struct rather than an untagged enum: serde would buffer every
/// response body to try each variant.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HttpResponse {
    #[serde(default)]
    pub status: u16,
    /// Header names are matched case-insensitively.
    #[serde(default)]
    pub headers: serde_json::Map<String, Value>,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub error: Option<TransportError>,
}

pub type HttpOutcome = HttpResponse;

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| match v {
                Value::String(s) => Some(s.as_str()),
                Value::Array(items) => items.first().and_then(Value::as_str),
                _ => None,
            })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct TransportError {
    /// `timeout`, `connect`, `refused` (e.g. blocked by a `pre_http_request` filter), or `other`.
    #[serde(default)]
    pub kind: TransportErrorKind,
    /// The host's own text (e.g. "cURL error 28: …"); shown to site owners after redaction.
    #[serde(default)]
    pub message: String,
    /// A code the host's HTTP layer gave the error (e.g. `wpai_connector_not_approved`).
    #[serde(default)]
    pub code: Option<String>,
    /// A status the host's HTTP layer attached to the error (e.g. 403 from an approval guard).
    #[serde(default)]
    pub status: Option<u16>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TransportErrorKind {
    Timeout,
    Connect,
    Refused,
    #[default]
    #[serde(other)]
    Other,
}

/// A database write for the host to apply. The writes of one step go in one transaction, in
/// order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "write", rename_all = "snake_case")]
pub enum Write {
    /// Insert `row` into `table` (name without the WordPress prefix; hosts accept only tables they
    /// know). Values are strings, integers, null, or JSON objects/arrays that the host stores as
    /// JSON text (unescaped slashes and Unicode, as AI Puffer writes them).
    Insert {
        table: &'static str,
        row: Row,
        /// When the row collides with an existing one on a unique key, the host skips it and
        /// every write after it: a retried step never charges or logs twice.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        first_time_only: bool,
        /// JSON pointers (RFC 6901) into `row` of text that is shown as HTML; the host passes
        /// each through its HTML sanitizer (`wp_kses_post` in WordPress) before storing.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        html: Vec<String>,
    },
    /// Set user meta `key` of `user_id` to `value` — only if it still holds `expect` (`null`: the
    /// meta is absent). Otherwise another request changed it first: the host rolls the whole
    /// transaction back, reads a fresh snapshot and calls `advance` again with the same `state`
    /// and responses, so no debit is ever lost.
    UserMeta { user_id: u64, key: &'static str, value: String, expect: Option<String> },
}
