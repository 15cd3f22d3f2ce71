//! AI Puffer Connectors engine: every decision of the gateway — which connector and model serve a
//! WordPress AI Client call, the provider request, reading the response, usage, charges and the
//! rows to write — as a pure step machine. No I/O, no clock, no randomness: hosts pass `now` and a
//! request id in, perform the HTTP requests and database writes the engine asks for, and resume
//! it with what came back. See `protocol` for the loop every host runs.
//!
//! Modules in layers, each using only those above it:
//! 1. data — `ai_client`, `call`, `rows`, `site`, `failure`, `messages`, `money`,
//!    `price_list`, `pricing_rules`, `time`, `usage`, `reply` (and `lenient`, `protocol` for the wire);
//! 2. tables — `connectors`, `image_models`, `defaults` (the inferred routes), `catalog`;
//! 3. decisions — `route`, `approvals`, `caps`, `pricing`, `usd`, `accounting`, `adjustments`, `result`, `model_sync`;
//! 4. wire formats — `providers`;
//! 5. the step machine — `tasks` (with the `Input` and `Step` envelopes of the protocol).
//!
//! `tests/layers.rs` fails on a reference to a higher layer or a cycle.
//!
//! Without the `host-tasks` feature (the browser's build) only `preview` runs; what only the other
//! tasks use is then unused, and left to the linker rather than fenced off module by module.
#![cfg_attr(not(feature = "host-tasks"), allow(dead_code, unused_imports))]

pub mod ai_client;
pub mod call;
pub mod failure;
mod lenient;
pub mod messages;
pub mod money;
pub mod price_list;
pub mod pricing_rules;
pub mod protocol;
pub mod reply;
pub mod rows;
pub mod site;
pub mod time;
pub mod usage;

pub mod catalog;
pub mod connectors;
pub mod defaults;
pub mod image_models;

pub mod accounting;
pub mod adjustments;
pub mod approvals;
pub mod caps;
pub mod model_sync;
pub mod pricing;
pub mod result;
pub mod route;
pub mod usd;

pub mod providers;

pub mod tasks;

#[cfg(test)]
mod tests {
    pub mod support;
}

use std::collections::BTreeMap;

use serde::Serialize;

pub use failure::Failure;
pub use site::{Site, StoredSite};
pub use tasks::{Input, Step};

/// The engine's version, for hosts' diagnostics and cache keys.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The protocol hosts speak with this engine (see `protocol`).
pub const PROTOCOL: u32 = 2;

/// Advances one task by one step.
pub fn advance(input: Input) -> Step {
    tasks::advance(input)
}

/// Advances one task by one step, JSON in and out. Input that is not a valid `Input` becomes a
/// `fail` step naming the problem; this never panics.
pub fn advance_json(input: &str) -> String {
    let step = match tasks::read_input(input) {
        Ok(input) => advance(input),
        Err(e) => Step::fail(Failure::bad_input(e)),
    };
    tasks::written(step, to_json)
}

/// The site snapshot, the AI Client directory and the model templates for what a host read from
/// WordPress (JSON text of a `StoredSite`). Unreadable input gives a `fail` step.
pub fn prepare_json(stored: &str) -> String {
    match serde_json::from_str::<StoredSite>(stored) {
        Ok(stored) => to_json(&catalog::prepare(&stored)),
        Err(e) => to_json(&Step::fail(Failure::bad_input(e))),
    }
}

/// What a host must read for `prepare`, and every sentence the engine can say.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub engine: &'static str,
    pub protocol: u32,
    /// Per AI Puffer provider name, the keys of `aipkit_options.providers[name]` the connectors read.
    pub settings: BTreeMap<&'static str, Vec<&'static str>>,
    /// The options holding model catalogs, by name.
    pub catalog_options: Vec<&'static str>,
    /// The connectors offered, in AI Puffer's order, as the settings screen presents them.
    pub connectors: Vec<ConnectorManifest>,
    /// Reason → English template (see `messages`).
    pub messages: BTreeMap<String, &'static str>,
}

/// A connector as the settings screen presents it: what to ask the admin for.
#[derive(Debug, Serialize)]
pub struct ConnectorManifest {
    pub id: &'static str,
    /// The key of `aipkit_options.providers`.
    pub provider: &'static str,
    pub label: &'static str,
    pub name: &'static str,
    pub credentials_url: Option<&'static str>,
    /// Whether it authenticates with an API key.
    pub needs_key: bool,
    /// A setting that must be non-empty besides (or instead of) the key.
    pub required_setting: Option<&'static str>,
    /// Its settings with the value used when one is empty, and the choices where it is one.
    pub settings: Vec<SettingManifest>,
}

#[derive(Debug, Serialize)]
pub struct SettingManifest {
    pub key: &'static str,
    pub default: &'static str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub choices: &'static [&'static str],
}

fn connector_manifest(c: &'static connectors::Connector) -> ConnectorManifest {
    use connectors::Requires;
    ConnectorManifest {
        id: c.id,
        provider: c.internal,
        label: c.label,
        name: c.name,
        credentials_url: c.credentials_url,
        needs_key: !matches!(c.requires, Requires::Setting(_)),
        required_setting: match c.requires {
            Requires::ApiKey => None,
            Requires::ApiKeyAnd(setting) | Requires::Setting(setting) => Some(setting),
        },
        settings: c.settings.iter().map(|&(key, default)| SettingManifest { key, default, choices: c.setting_choices(key) }).collect(),
    }
}

pub fn manifest() -> Manifest {
    let connectors = connectors::CONNECTORS;
    Manifest {
        engine: VERSION,
        protocol: PROTOCOL,
        settings: connectors.iter().map(|c| (c.internal, c.settings.iter().map(|(key, _)| *key).collect())).collect(),
        catalog_options: connectors.iter().flat_map(|c| [c.registry_option, c.legacy_text_option]).collect(),
        connectors: connectors.iter().filter(|c| c.adapter.is_built()).map(connector_manifest).collect(),
        messages: messages::Reason::ALL
            .iter()
            .map(|r| (serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(), r.template()))
            .collect(),
    }
}

pub fn manifest_json() -> String {
    to_json(&manifest())
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Steps run to a few kilobytes: starting there saves the five or so regrowths from
    // serde_json's 128 bytes. Serializing these types cannot fail (string keys, no non-finite
    // floats reach them), but a fallback keeps the promise of never trapping.
    let mut json = Vec::with_capacity(4096);
    serde_json::to_writer(&mut json, value).ok().and_then(|()| String::from_utf8(json).ok()).unwrap_or_else(|| {
        r#"{"step":"fail","error":{"code":"prompt_invalid_argument","status":400,"exception":"invalid_argument","reason":"bad_input","params":{"problem":"the answer could not be encoded"},"message":"The gateway received a request it cannot read: the answer could not be encoded."}}"#.to_string()
    })
}
