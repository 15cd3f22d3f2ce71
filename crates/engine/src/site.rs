//! What the engine knows about the site. Two shapes:
//!
//! - `StoredSite` is what a host reads from WordPress — the gateway mode, the main provider, the
//!   settings each connector declares it reads (see `manifest`), which providers have an API key,
//!   and AI Puffer's catalog options by name. API keys never arrive: the host keeps them.
//! - `Site` is what `prepare` makes of it: per connector its settings with defaults filled in,
//!   whether it can serve requests, and its models de-duplicated in directory order. The host
//!   caches it and hands it back with every new task; the engine reads only the routed
//!   connector's model list (`models` stays raw JSON until then).
//!
//! `Context` holds the facts of one request: the time, a request id and who is calling.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A connector's settings (`aipkit_options.providers[internal][key]`), as text.
pub type Settings = BTreeMap<String, String>;

#[derive(Debug, Default, Deserialize)]
pub struct StoredSite {
    /// `aipkit_wp_ai_client_gateway_mode === 'managed'`.
    #[serde(default)]
    pub managed: bool,
    /// The site's UTC offset in seconds (`get_option('gmt_offset') * 3600`).
    #[serde(default)]
    pub gmt_offset: i64,
    /// `aipkit_options.provider`: the main provider's internal name.
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub main_provider: String,
    /// `aipkit_options.providers`, only the keys the manifest names. Values as stored (AI Puffer
    /// saves strings, older sites hold numbers and booleans too).
    #[serde(default, deserialize_with = "crate::lenient::object_of_objects")]
    pub providers: BTreeMap<String, Map<String, Value>>,
    /// Internal provider names whose API key is stored and non-empty.
    #[serde(default)]
    pub credentials: Vec<String>,
    /// The catalog options the manifest names, by option name, as stored.
    #[serde(default)]
    pub catalogs: BTreeMap<String, Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Site {
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub gmt_offset: i64,
    #[serde(default)]
    pub connectors: Vec<SiteConnector>,
}

#[derive(Debug, Deserialize)]
pub struct SiteConnector {
    pub id: String,
    /// Managed, and the provider has what it needs to authenticate.
    #[serde(default)]
    pub available: bool,
    #[serde(default)]
    pub settings: Settings,
    /// `[{id, name}, …]` in directory order.
    #[serde(default)]
    pub models: Option<Box<RawValue>>,
}

impl Site {
    pub fn connector(&self, id: &str) -> Option<&SiteConnector> {
        self.connectors.iter().find(|c| c.id == id)
    }
}

/// The facts of one request, from the host (the engine has no clock and no randomness).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    /// Unix time in seconds (UTC).
    #[serde(default)]
    pub now: i64,
    /// A fresh UUID v4; keys the result, the ledger row and the conversation log.
    #[serde(default)]
    pub request_id: String,
    #[serde(default)]
    pub actor: Actor,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
}
