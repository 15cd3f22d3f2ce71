//! The connectors the gateway can manage, as data. A connector is what WordPress's Connectors
//! screen and the AI Client see (`openai`); behind it sits one of AI Puffer's internal providers
//! (`OpenAI`) whose settings, key and model catalogs it uses, and one provider adapter that speaks
//! its wire format.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::site::Settings;

#[derive(Debug, PartialEq, Eq)]
pub struct Connector {
    /// The connector and AI Client provider id (`^[a-z0-9_-]+$`).
    pub id: &'static str,
    /// AI Puffer's provider name: the key of `aipkit_options.providers` and of the catalogs.
    pub internal: &'static str,
    /// The provider's own name, for messages.
    pub label: &'static str,
    /// The name shown in WordPress.
    pub name: &'static str,
    /// The description shown on the Connectors screen.
    pub description: &'static str,
    /// `ProviderTypeEnum`: `cloud` for hosted APIs, `server` for self-hosted ones.
    pub provider_type: &'static str,
    /// Where the provider's API keys are created (shown on the Connectors screen).
    pub credentials_url: Option<&'static str>,
    /// The settings it reads from `aipkit_options.providers[internal]`, with the value used when
    /// one is empty or missing. Nothing else of `aipkit_options` reaches the engine.
    pub settings: &'static [(&'static str, &'static str)],
    /// The catalog key of its text models.
    pub text_catalog: &'static str,
    /// AI Puffer's model-registry option for this provider (`{catalogs: {key: [records]}}`).
    pub registry_option: &'static str,
    /// The option older AI Puffer versions kept the text models in (read when the registry has
    /// no such catalog).
    pub legacy_text_option: &'static str,
    /// Whether its text models accept images in the prompt.
    pub image_input: bool,
    /// The provider module that speaks for it.
    pub adapter: Adapter,
}

/// Which provider module speaks for a connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    OpenAi,
}

/// The wire format a route's requests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WireFormat {
    /// OpenAI's Responses API (`POST /v1/responses`).
    #[serde(rename = "openai_responses")]
    OpenAiResponses,
    /// The Chat Completions format, shared by the OpenAI-compatible providers.
    ChatCompletions,
}

/// Connectors with a provider adapter, in AI Puffer's registration order.
pub const CONNECTORS: &[Connector] = &[Connector {
    id: "openai",
    internal: "OpenAI",
    label: "OpenAI",
    name: "OpenAI via AI Puffer",
    description: "OpenAI models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
    provider_type: "cloud",
    credentials_url: Some("https://platform.openai.com/api-keys"),
    settings: &[("model", ""), ("base_url", "https://api.openai.com"), ("api_version", "v1"), ("api_mode", "responses")],
    text_catalog: "OpenAI",
    registry_option: "aipkit_model_registry_openai",
    legacy_text_option: "aipkit_openai_model_list",
    image_input: true,
    adapter: Adapter::OpenAi,
}];

pub fn find(id: &str) -> Option<&'static Connector> {
    CONNECTORS.iter().find(|c| c.id == id)
}

impl Connector {
    /// Whether the provider can authenticate with what is stored (an API key).
    pub fn has_credentials(&self, credentials: &[String]) -> bool {
        credentials.iter().any(|p| p == self.internal)
    }

    /// The wire format the settings select (AI Puffer's OpenAI `api_mode`).
    pub fn wire_format(&self, settings: &Settings) -> WireFormat {
        match self.adapter {
            Adapter::OpenAi => match settings.get("api_mode").map(String::as_str) {
                Some("chat_completions" | "chat-completions" | "chat") => WireFormat::ChatCompletions,
                _ => WireFormat::OpenAiResponses,
            },
        }
    }
}

/// A connector travels in continuations by id.
pub fn serialize<S: Serializer>(connector: &&'static Connector, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(connector.id)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Connector, D::Error> {
    let id = String::deserialize(d)?;
    find(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown connector \"{id}\"")))
}
