//! The connectors the gateway can manage, as data. A connector is what WordPress's Connectors
//! screen and the AI Client see (`openai`); behind it sits one of AI Puffer's internal providers
//! (`OpenAI`) whose settings, key and model catalogs it uses, and one provider adapter that speaks
//! its wire format.

use crate::providers::Adapter;
use crate::snapshot::Snapshot;

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
    /// The catalog key of its text models.
    pub text_catalog: &'static str,
    /// AI Puffer's model-registry option for this provider (`{catalogs: {key: [records]}}`).
    pub registry_option: &'static str,
    /// The option older AI Puffer versions kept the text models in (read when the registry has
    /// no such catalog).
    pub legacy_text_option: &'static str,
    /// Whether its text models accept images in the prompt.
    pub image_input: bool,
    /// The adapter that speaks its wire format.
    pub adapter: Adapter,
    /// Used when the `base_url` setting is empty.
    pub default_base_url: &'static str,
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
    text_catalog: "OpenAI",
    registry_option: "aipkit_model_registry_openai",
    legacy_text_option: "aipkit_openai_model_list",
    image_input: true,
    adapter: Adapter::OpenAi,
    default_base_url: "https://api.openai.com",
}];

pub fn find(id: &str) -> Option<&'static Connector> {
    CONNECTORS.iter().find(|c| c.id == id)
}

impl Connector {
    /// Available to the AI Client: the gateway is managing and the provider has what it needs
    /// to authenticate.
    pub fn is_available(&self, snapshot: &Snapshot) -> bool {
        snapshot.managed && snapshot.has_credentials(self.internal)
    }
}
