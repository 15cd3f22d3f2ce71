//! What the engine knows about the site. Two shapes:
//!
//! - `StoredSite` is what a host reads from WordPress — the gateway mode, the main provider, the
//!   settings each connector declares it reads (see `manifest`), which providers have an API key,
//!   and AI Puffer's catalog options by name. API keys never arrive: the host keeps them.
//! - `Site` is what `prepare` makes of it: per connector its settings with defaults filled in,
//!   whether it can serve requests, and its models de-duplicated in directory order. The host
//!   caches it and hands it back with every new task; the engine reads only the routed
//!   connector's model list (`models` stays raw JSON until then), once per snapshot it keeps.
//!
//! `Context` holds the facts of one request: the time, a request id and who is calling.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A connector's settings (`aipkit_options.providers[internal][key]`), as text.
pub type Settings = BTreeMap<String, String>;

/// A model of a connector's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRow {
    pub id: String,
    pub name: String,
    /// Which of the connector's metadata variants describes this model (`prepare` sets it
    /// where the model's options differ from the connector's usual ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

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
    /// The fallback order an administrator set (`aipuffer_connectors_fallback`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub fallback: FallbackSetting,
    /// The routes an administrator pinned (`aipuffer_connectors_routes`).
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub pins: Pins,
    /// Spending caps an administrator set (`aipuffer_connectors_caps`); unreadable ones are dropped.
    #[serde(default, deserialize_with = "caps")]
    pub caps: Vec<Cap>,
}

/// A spending cap: what one caller (or every caller together) may spend on AI requests in a
/// day or a month of the site's time zone, in credits or in US dollars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cap {
    /// A plugin basename, mu-plugin file or theme slug; empty: every caller together.
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub caller: String,
    pub period: CapPeriod,
    pub unit: CapUnit,
    /// The limit as decimal text (credits, or dollars), at most six decimals.
    #[serde(deserialize_with = "crate::lenient::string")]
    pub limit: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapPeriod {
    Day,
    Month,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapUnit {
    Credits,
    Usd,
}

/// Caps as stored: a list; an entry of the wrong shape or with an unreadable limit is left out.
fn caps<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Cap>, D::Error> {
    let items = match Value::deserialize(d)? {
        Value::Array(items) => items,
        Value::Object(entries) => entries.into_iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    Ok(items
        .into_iter()
        .filter_map(|item| crate::lenient::typed::<Cap>(&item))
        .filter(|cap| crate::money::Micros::parse(&cap.limit).is_some_and(|m| m.0 >= 0))
        .collect())
}

/// Where a call goes when its connector fails for a moment: off unless an administrator turned
/// it on, then the connectors in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct FallbackSetting {
    #[serde(default, deserialize_with = "crate::lenient::flag")]
    pub enabled: bool,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub order: Vec<String>,
}

/// An administrator's choice for a default route: a connector and one of its synced models.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Pin {
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub connector: String,
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub model: String,
}

/// The pinned routes by kind; a missing or empty one is inferred.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Pins {
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub text: Option<Pin>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub fast: Option<Pin>,
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub image: Option<Pin>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Site {
    #[serde(default)]
    pub managed: bool,
    #[serde(default)]
    pub gmt_offset: i64,
    #[serde(default)]
    pub connectors: Vec<SiteConnector>,
    /// The default routes `prepare` inferred (see `defaults`).
    #[serde(default)]
    pub routes: Vec<SiteRoute>,
    /// Connector ids to try, in order, when a call's connector fails transiently (empty: off).
    #[serde(default)]
    pub fallback: Vec<String>,
    /// Spending caps, checked before any provider request.
    #[serde(default)]
    pub caps: Vec<Cap>,
    /// Price list entries for the admin preview's dollar estimate, by list key.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub prices: BTreeMap<String, crate::price_list::ModelPrice>,
    /// Pricing rules for the admin preview's estimate. A prompt never prices from the snapshot:
    /// it reads the rules in its recording transaction.
    #[serde(default, deserialize_with = "crate::lenient::or_default")]
    pub pricing_rules: Vec<crate::pricing_rules::PricingRule>,
}

/// A default route as the engine reads it back: its alias, where it goes and why.
#[derive(Debug, Clone, Deserialize)]
pub struct SiteRoute {
    pub alias: String,
    #[serde(default)]
    pub connector: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub why: Vec<SiteRouteStep>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SiteRouteStep {
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Deserialize)]
pub struct SiteConnector {
    pub id: String,
    /// Managed, and the provider has what it needs to authenticate.
    #[serde(default)]
    pub available: bool,
    /// The provider has what it needs to authenticate, managed or not.
    #[serde(default)]
    pub configured: bool,
    #[serde(default)]
    pub settings: Settings,
    /// `[{id, name}, …]` in directory order.
    #[serde(default)]
    pub models: Option<Box<RawValue>>,
    /// Its image models, `[{id, name, variant}, …]`.
    #[serde(default)]
    pub image_models: Option<Box<RawValue>>,
    /// When its catalog was last synced (Unix time).
    #[serde(default)]
    pub synced_at: Option<i64>,
    /// `models` and `image_models` once parsed. A site stays parsed between tasks while hosts
    /// send the same snapshot (`tasks::site_memo`), so a worker reads a connector's list once
    /// per settings change instead of once per request: with a few hundred models (OpenRouter)
    /// that parse was most of a start step.
    #[serde(skip)]
    parsed_models: OnceCell<Vec<ModelRow>>,
    #[serde(skip)]
    parsed_image_models: OnceCell<Vec<ModelRow>>,
}

impl SiteConnector {
    /// Its models, parsed on first use. An empty list when it has none.
    pub fn model_rows(&self) -> Result<&[ModelRow], serde_json::Error> {
        parsed_once(&self.parsed_models, self.models.as_deref())
    }

    /// Its image models, parsed on first use.
    pub fn image_model_rows(&self) -> Result<&[ModelRow], serde_json::Error> {
        parsed_once(&self.parsed_image_models, self.image_models.as_deref())
    }
}

/// `raw` parsed into `cell` the first time; a list that fails to parse is parsed (and fails)
/// again on every use, as it always did.
fn parsed_once<'a>(cell: &'a OnceCell<Vec<ModelRow>>, raw: Option<&RawValue>) -> Result<&'a [ModelRow], serde_json::Error> {
    if let Some(rows) = cell.get() {
        return Ok(rows);
    }
    let rows = match raw {
        Some(raw) => serde_json::from_str(raw.get())?,
        None => Vec::new(),
    };
    Ok(cell.get_or_init(|| rows))
}

impl Site {
    pub fn connector(&self, id: &str) -> Option<&SiteConnector> {
        self.connectors.iter().find(|c| c.id == id)
    }

    pub fn route(&self, alias: &str) -> Option<&SiteRoute> {
        self.routes.iter().find(|r| r.alias == alias)
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
    /// This plugin's basename (`aipuffer-connectors/aipuffer-connectors.php`) and name: the
    /// gateway that sends every provider request, so never the caller.
    #[serde(default, skip_serializing, deserialize_with = "crate::lenient::string")]
    pub gateway: String,
    #[serde(default, skip_serializing, deserialize_with = "crate::lenient::string")]
    pub gateway_name: String,
    /// The PHP call stack, innermost frame first, each file classified by the host; read once,
    /// when a task starts.
    #[serde(default, skip_serializing)]
    pub frames: Vec<Frame>,
    /// Who asked for the call, decided from `frames` when the task starts and kept for the
    /// ledger and the log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<Party>,
    /// The WordPress AI plugin's Connector Approvals state, when its guard is active; read once,
    /// when a task starts (never carried in a continuation).
    #[serde(default, skip_serializing)]
    pub approval: Option<ApprovalState>,
    /// The models the caller preferred (`using_model_preference()`), in its order, where the host
    /// could see them: the AI Client picks among them and hands the model no list, so this is how
    /// the log can say that none was available.
    #[serde(default, skip_serializing)]
    pub preferences: Vec<Preference>,
}

/// One model preference: a model id, with the provider when the caller named one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Preference {
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub provider: String,
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub model: String,
}

/// A plugin, mu-plugin or theme: who called, or who must be approved for a connector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// `plugin`, `mu-plugin` or `theme` (the AI plugin's words).
    pub kind: String,
    pub basename: String,
    pub name: String,
}

/// What the host collected for a connector approval check.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct ApprovalState {
    /// Whether the installed guard treats the plugin that registered a connector's provider as
    /// plumbing (newer versions): it then never checks the gateway itself.
    #[serde(default)]
    pub guard_skips_provider_plugin: bool,
    /// `wpai_connector_approvals`: `{basename: {connector_id: true}}`.
    #[serde(default, deserialize_with = "crate::lenient::object_of_objects")]
    pub approvals: BTreeMap<String, Map<String, Value>>,
}

/// One stack frame's file: whose code it is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Frame {
    pub kind: FrameKind,
    /// Plugin basename (`slug/main.php`), mu-plugin file or folder, or theme slug.
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub basename: String,
    /// Its display name.
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub name: String,
    /// The file's path inside its plugin, mu-plugin folder or theme (`includes/helpers.php`).
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameKind {
    Plugin,
    MuPlugin,
    Theme,
    /// WordPress itself (wp-includes, wp-admin, the root files).
    Core,
    #[serde(other)]
    Other,
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
