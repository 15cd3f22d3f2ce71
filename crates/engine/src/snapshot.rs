//! What the host knows about the site at the moment of a call, handed to the engine whole.
//! The engine reads no clock, no randomness and no storage: `now`, `request_id` and every stored
//! setting arrive here. API keys never do — the host removes them and lists in `credentials` which
//! providers have one.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Snapshot {
    /// Unix time in seconds (UTC).
    #[serde(default)]
    pub now: i64,
    /// The site's UTC offset in seconds (`get_option('gmt_offset') * 3600`), for local-time columns.
    #[serde(default)]
    pub gmt_offset: i64,
    /// A fresh UUID v4 from the host; keys the result, the ledger row and the conversation log.
    #[serde(default)]
    pub request_id: String,
    /// `aipkit_wp_ai_client_gateway_mode === 'managed'`.
    #[serde(default)]
    pub managed: bool,
    /// The `aipkit_options` option, with every `api_key` removed.
    #[serde(default)]
    pub options: AipkitOptions,
    /// Internal provider names (`OpenAI`, `Claude`, …) whose API key is stored and non-empty.
    #[serde(default)]
    pub credentials: Vec<String>,
    /// AI Puffer's model-catalog options by option name, as stored: the model registry's
    /// per-provider snapshots (`aipkit_model_registry_openai`) and the legacy lists
    /// (`aipkit_openai_model_list`).
    #[serde(default)]
    pub catalogs: BTreeMap<String, Value>,
    /// Who is calling.
    #[serde(default)]
    pub actor: Actor,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AipkitOptions {
    /// The main provider's internal name.
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub provider: String,
    /// Settings per internal provider name. Values are kept as stored (AI Puffer saves strings,
    /// but older sites hold numbers and booleans too).
    #[serde(default, deserialize_with = "crate::lenient::object_of_objects")]
    pub providers: BTreeMap<String, Map<String, Value>>,
}

impl AipkitOptions {
    /// A provider setting as text, or `""` when missing or not a scalar.
    pub fn setting(&self, provider: &str, key: &str) -> &str {
        self.providers
            .get(provider)
            .and_then(|settings| settings.get(key))
            .and_then(Value::as_str)
            .map(str::trim)
            .unwrap_or("")
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Actor {
    /// The logged-in user's id, 0 for a guest or a system call.
    #[serde(default)]
    pub user_id: u64,
    /// `wp-ai-client-{hmac}` for guests, `wp-ai-client-system` without an IP (computed by the
    /// host: it needs the site's secret salt).
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub session_id: String,
    /// The user's roles, if logged in.
    #[serde(default)]
    pub roles: Vec<String>,
    /// The raw `_aipkit_token_balance` user meta (null when absent or for guests).
    #[serde(default)]
    pub balance: Option<String>,
}

impl Snapshot {
    pub fn has_credentials(&self, internal_provider: &str) -> bool {
        self.credentials.iter().any(|p| p == internal_provider)
    }
}
