//! The wire between a host and the engine (protocol 2): what a host sends (`tasks::Input`) and
//! what the engine answers (`tasks::Step`), and the data both carry — requests and their
//! outcomes, locks and the values read under them, writes and their acks — defined here.
//! Everything is plain serializable data; a host keeps no engine state
//! between steps beyond the opaque `state` it was handed, and the state carries every decision
//! already made (task, route, attempt, partial results), so no later step needs the site again.
//!
//! A task starts with `{site, task, context, …}` and goes on with `{state, outcomes | locked |
//! acks}`. Keys may come in any order, but a host that writes `site` or `state` first, as
//! written (JSON.stringify and the PHP host do), lets the engine take the snapshot or state it
//! kept without reading it again (`tasks::read_input`).
//!
//! A step's `state`, when it has one, is its last member: the answer ends `,"state":"…"}`, the
//! state's JSON text escaped with `\"` and `\\` only. A host need not decode it: it may cut the
//! literal off the answer (the last `,"state":"` of an answer ending `"}`; inside a JSON string a
//! `"` always follows a `\`, so that text cannot occur in the literal) and send it back as written,
//! decoding only the rest — the PHP host does (`Json::decode_step`). A step without a state ends in
//! a string member only when `step` is its one member. The loop every host runs:
//! ```text
//! step = advance({site, task: "prompt", context, call})
//! loop {
//!   match step {
//!     http { requests, state }    => step = advance({state, outcomes: send(requests)})
//!     record { result, locks, state } =>
//!         hand `result` to the caller — it is final, whatever happens to the bookkeeping;
//!         repeat (bounded, on deadlock or `retry`):
//!             BEGIN; locked = read `locks` under lock (SELECT … FOR UPDATE, never a cache)
//!             step = advance({state, locked})                      // → write
//!             write { writes, state } => apply in order, each result checked, stopping at the
//!                 first that is not applied; all applied → COMMIT, clear the caches bypassed;
//!                 else step = advance({state, acks})                // → done | retry | fail
//!             done => COMMIT · retry { locks, state } => ROLLBACK, again · fail => ROLLBACK
//!         if recording finally fails: tell the site owner (with the request id), never the caller
//!     done { result? }            => return result (tasks without bookkeeping, e.g. preview)
//!     fail { error }              => raise error
//!   }
//! }
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::rows::Row;
use crate::site::CapUnit;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// An AI Client call: route, send, read, then record usage, credits and the log.
    Prompt,
    /// What a call would do — route, provider requests, estimated usage and charge, and for the
    /// caller the context's frames name its caps' headroom and the approvals it needs — sending
    /// nothing and writing nothing (the admin preview).
    Preview,
    /// The admin's *Test connection*: one minimal request to a connector's saved model, nothing
    /// recorded (managed or not: site owners test before they hand the AI Client over).
    ConnectionTest,
    /// Refresh a connector's model catalogs from the provider's own list (`connector`), stored
    /// where AI Puffer keeps them.
    SyncModels,
    /// An administrator's change to a user's credit balance (`adjustment`), with its ledger row.
    AdjustBalance,
    /// How far each spending cap is used now (for the administrator's notices).
    CapStatus,
}

/// An HTTP request for the host to send. The engine never sees API keys: `credential` says
/// which stored key goes where.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HttpRequest {
    /// Unique within a task; the outcome carries it back.
    pub id: String,
    pub method: &'static str,
    pub url: String,
    /// Header name → value, without the credential.
    pub headers: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<Credential>,
    /// The request body, already encoded (JSON text for every provider call but image edits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body is base64 of the bytes to send (a multipart body holding image files is not
    /// text, and the protocol is JSON): the host decodes it, and changes nothing else.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub body_base64: bool,
    /// Seconds before the host gives up and reports a timeout.
    pub timeout: f64,
    /// Read at most this many bytes of the response body (WordPress: `limit_response_size`).
    pub max_response_bytes: u64,
    /// The URL is a base URL the site owner configured for a server on their own network
    /// (Ollama): the host must allow it although its safe-URL check refuses local hosts.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub local: bool,
}

/// "Put the API key stored for `provider`, after `prefix`, into the header or query parameter
/// `name`."
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Credential {
    /// AI Puffer's internal provider name: the key lives in `aipkit_options.providers[provider].api_key`.
    pub provider: &'static str,
    pub placement: Placement,
    pub name: &'static str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub prefix: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    Header,
    Query,
}

/// What happened to one request: a response (any status), or — when `error` is set — a
/// transport error. A plain struct rather than an untagged enum: serde would buffer every
/// response body to try each variant.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HttpOutcome {
    #[serde(default)]
    pub id: String,
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

impl HttpOutcome {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| match v {
            Value::String(s) => Some(s.as_str()),
            Value::Array(items) => items.first().and_then(Value::as_str),
            _ => None,
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct TransportError {
    /// `timeout`, `connect`, `dropped` (the connection closed before the answer was complete),
    /// `refused` (e.g. blocked by a `pre_http_request` filter), or `other`.
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
    /// Connected, then the connection was reset or closed before the whole answer arrived.
    Dropped,
    Refused,
    #[default]
    #[serde(other)]
    Other,
}

/// A value to read under a lock that is held until the transaction ends, so the decision made
/// on it cannot be overtaken by another request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "lock", rename_all = "snake_case")]
pub enum Lock {
    /// Lock the user's row (`SELECT … FROM users … FOR UPDATE`: every request for the user waits
    /// here), then read the meta value from SQL.
    UserMeta { id: &'static str, user_id: u64, key: &'static str },
    /// Lock and read an option's row (its value as JSON; serialized PHP unserialized first).
    Option { id: &'static str, name: String },
    /// Read, in the same transaction but without locking (rules are configuration: an edit
    /// applies from the next request), the rows of `aipkit_pricing_rules` whose `module`,
    /// `provider`, `model` and `operation` equal these; `value` is the list of rows (`found`
    /// false when the table is missing). The engine picks the rule.
    PricingRules { id: &'static str, module: &'static str, provider: String, model: String, operation: &'static str },
    /// Look up the vendored price list (no database): the entry of the first of `keys` it has,
    /// as `{key, source, input, output, cache_read, cache_write, tiers, tier_inclusive}`
    /// (`found` false when it has none).
    Price { id: &'static str, keys: Vec<String> },
    /// Read (no lock: a cap is checked before the call, not charged against) what the ledger's
    /// `wp_ai_client` usage rows since `since` (UTC `Y-m-d H:i:s`) add up to — of `caller`
    /// (`meta.caller.basename`) or of every caller when none — in `unit`: the billed credits
    /// (`meta.billed_credits`) or the dollar cost (`meta.usd_cost`). `value`: that sum as decimal
    /// text.
    Spend { id: String, caller: Option<String>, since: String, unit: CapUnit },
}

/// The value read under a lock.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Locked {
    pub id: String,
    /// Whether the locked row exists (the user; the option).
    #[serde(default)]
    pub found: bool,
    /// The meta value (a string) or the option value; null when absent.
    #[serde(default)]
    pub value: Value,
}

/// A database write for the host to apply inside the open transaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "write", rename_all = "snake_case")]
pub enum Write {
    /// Insert `row` into `table` (name without the WordPress prefix; hosts accept only tables they
    /// know). Values are strings, integers, null, or JSON objects/arrays that the host stores as
    /// JSON text (unescaped slashes and Unicode, as AI Puffer writes them). A unique-key
    /// collision is acked `duplicate`; any other database error aborts the transaction.
    Insert {
        table: &'static str,
        row: Row,
        /// JSON pointers (RFC 6901) into `row` of text that is shown as HTML; the host passes
        /// each through its HTML sanitizer (`wp_kses_post` in WordPress) before storing.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        html: Vec<String>,
    },
    /// Set user meta `key` of `user_id` to `value` if it still holds `expect` (null: absent);
    /// otherwise ack `conflict`.
    UserMeta { user_id: u64, key: &'static str, value: String, expect: Option<String> },
    /// Set option `name` to `value` if it still holds `expect` (null: absent); otherwise ack
    /// `conflict`. For catalogs, sync timestamps and other plugins' lists.
    Option { name: String, value: Value, expect: Option<Value>, autoload: bool },
}

/// What became of one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ack {
    Applied,
    /// An insert collided with an existing row on a unique key.
    Duplicate,
    /// A compare-and-set found another value.
    Conflict,
}
