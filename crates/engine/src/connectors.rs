//! The connectors the gateway can manage, as data. A connector is what WordPress's Connectors
//! screen and the AI Client see (`openai`); behind it sits one of AI Puffer's internal providers
//! (`OpenAI`) whose settings, key and model catalogs it uses, and one provider adapter that speaks
//! its wire format.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::call::{Call, PartKind};
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
    /// What must be stored before it can serve requests.
    pub requires: Requires,
    /// The catalog key of its text models.
    pub text_catalog: &'static str,
    /// AI Puffer's model-registry option for this provider (`{catalogs: {key: [records]}}`).
    pub registry_option: &'static str,
    /// The option older AI Puffer versions kept the text models in (read when the registry has
    /// no such catalog).
    pub legacy_text_option: &'static str,
    /// The provider module that speaks for it.
    pub adapter: Adapter,
}

/// What a connector needs stored to be available (AI Puffer's own "configured" rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requires {
    ApiKey,
    /// An API key and a non-empty setting (Azure: `endpoint`).
    ApiKeyAnd(&'static str),
    /// Only a non-empty setting, no key (Ollama: `base_url`).
    Setting(&'static str),
}

/// Which provider module speaks for a connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Adapter {
    OpenAi,
    Google,
    Anthropic,
    OpenRouter,
    Azure,
    DeepSeek,
    Xai,
    Ollama,
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
    /// Anthropic's Messages API (`POST /v1/messages`).
    AnthropicMessages,
    /// Gemini's `models/{model}:generateContent`.
    GeminiGenerateContent,
    /// Ollama's native `POST /api/chat`.
    OllamaChat,
    /// OpenAI's image generation (`POST /v1/images/generations`).
    #[serde(rename = "openai_images")]
    OpenAiImages,
    /// Gemini image models through `generateContent` with image output.
    GeminiImages,
    /// Imagen's `models/{model}:predict`.
    ImagenPredict,
    /// Chat Completions asking for image output (`modalities`), as OpenRouter serves images.
    ChatCompletionsImages,
}

impl WireFormat {
    /// Whether requests in this format make images.
    pub fn makes_images(self) -> bool {
        matches!(self, WireFormat::OpenAiImages | WireFormat::GeminiImages | WireFormat::ImagenPredict | WireFormat::ChatCompletionsImages)
    }
}

/// What a route's text requests honour. Model metadata declares exactly this
/// (`catalog::text_options`) and the provider module maps every part of it — a promise the
/// option-by-option test in `tests/honesty.rs` holds each wire format to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFeatures {
    /// Candidates per call (1–4).
    pub max_candidates: u32,
    /// Temperature and top_p (reasoning models take neither).
    pub sampling: bool,
    pub top_k: bool,
    pub stop_sequences: bool,
    /// Presence and frequency penalties.
    pub penalties: bool,
    /// JSON output (`outputMimeType: application/json`).
    pub json_output: bool,
    /// JSON output that follows a schema (`outputSchema`).
    pub json_schema: bool,
    /// Function declarations, calls and responses.
    pub tools: bool,
    pub web_search: bool,
    /// Images in the prompt.
    pub image_input: bool,
}

impl TextFeatures {
    /// Whether requests with these features honour everything `call` asks for: a fallback route
    /// must serve the call the AI Client matched against the first route's model.
    pub fn serves(&self, call: &Call) -> bool {
        let c = &call.config;
        let parts = || call.messages.iter().flat_map(|m| &m.parts);
        let images = parts().any(|p| p.kind == PartKind::File);
        let function_parts = parts().any(|p| matches!(p.kind, PartKind::FunctionCall | PartKind::FunctionResponse));
        let declarations = c.function_declarations.as_ref().is_some_and(|d| !d.is_empty());
        call.candidates() <= self.max_candidates
            && (self.sampling || (c.temperature.is_none() && c.top_p.is_none()))
            && (self.top_k || c.top_k.is_none())
            && (self.stop_sequences || c.stop_sequences.as_ref().is_none_or(Vec::is_empty))
            && (self.penalties || (c.presence_penalty.is_none() && c.frequency_penalty.is_none()))
            && (self.json_schema || c.output_schema.is_none())
            && (self.json_output || c.output_mime_type.as_deref() != Some("application/json"))
            && (self.tools || !(declarations || function_parts))
            && (self.web_search || c.web_search.is_none())
            && (self.image_input || !images)
    }

    /// What every text API takes besides the prompt: system instruction, max tokens,
    /// temperature and top_p, one candidate.
    pub const BASIC: TextFeatures = TextFeatures {
        max_candidates: 1,
        sampling: true,
        top_k: false,
        stop_sequences: false,
        penalties: false,
        json_output: false,
        json_schema: false,
        tools: false,
        web_search: false,
        image_input: false,
    };
}

const fn connector(
    id: &'static str,
    internal: &'static str,
    label: &'static str,
    name: &'static str,
    description: &'static str,
    credentials_url: Option<&'static str>,
    settings: &'static [(&'static str, &'static str)],
    requires: Requires,
    adapter: Adapter,
    registry_option: &'static str,
    legacy_text_option: &'static str,
) -> Connector {
    Connector {
        id,
        internal,
        label,
        name,
        description,
        provider_type: if matches!(adapter, Adapter::Ollama) { "server" } else { "cloud" },
        credentials_url,
        settings,
        requires,
        text_catalog: internal,
        registry_option,
        legacy_text_option,
        adapter,
    }
}

/// Every connector, in AI Puffer's registration order. Only those whose adapter is built are
/// offered (`Adapter::is_built`).
pub const CONNECTORS: &[Connector] = &[
    connector(
        "openai",
        "OpenAI",
        "OpenAI",
        "OpenAI via AI Puffer",
        "OpenAI models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://platform.openai.com/api-keys"),
        &[("model", ""), ("base_url", "https://api.openai.com"), ("api_version", "v1"), ("api_mode", "responses")],
        Requires::ApiKey,
        Adapter::OpenAi,
        "aipkit_model_registry_openai",
        "aipkit_openai_model_list",
    ),
    connector(
        "google",
        "Google",
        "Google",
        "Google via AI Puffer",
        "Google Gemini models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://aistudio.google.com/app/apikey"),
        &[("model", ""), ("base_url", "https://generativelanguage.googleapis.com"), ("api_version", "v1beta")],
        Requires::ApiKey,
        Adapter::Google,
        "aipkit_model_registry_google",
        "aipkit_google_model_list",
    ),
    connector(
        "anthropic",
        "Claude",
        "Anthropic",
        "Anthropic via AI Puffer",
        "Anthropic Claude models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://console.anthropic.com/settings/keys"),
        &[("model", ""), ("base_url", "https://api.anthropic.com"), ("api_version", "2023-06-01")],
        Requires::ApiKey,
        Adapter::Anthropic,
        "aipkit_model_registry_claude",
        "aipkit_claude_model_list",
    ),
    connector(
        "openrouter",
        "OpenRouter",
        "OpenRouter",
        "OpenRouter via AI Puffer",
        "OpenRouter models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://openrouter.ai/settings/keys"),
        &[("model", ""), ("base_url", "https://openrouter.ai/api"), ("api_version", "v1")],
        Requires::ApiKey,
        Adapter::OpenRouter,
        "aipkit_model_registry_openrouter",
        "aipkit_openrouter_model_list",
    ),
    connector(
        "azure",
        "Azure",
        "Azure OpenAI",
        "Azure OpenAI via AI Puffer",
        "Azure OpenAI deployments through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://portal.azure.com/"),
        &[
            ("model", ""),
            ("endpoint", ""),
            ("api_version_inference", "2025-01-01-preview"),
            ("api_version_authoring", "2023-03-15-preview"),
        ],
        Requires::ApiKeyAnd("endpoint"),
        Adapter::Azure,
        "aipkit_model_registry_azure",
        "aipkit_azure_deployment_list",
    ),
    connector(
        "deepseek",
        "DeepSeek",
        "DeepSeek",
        "DeepSeek via AI Puffer",
        "DeepSeek models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://platform.deepseek.com/api_keys"),
        &[("model", ""), ("base_url", "https://api.deepseek.com"), ("api_version", "v1")],
        Requires::ApiKey,
        Adapter::DeepSeek,
        "aipkit_model_registry_deepseek",
        "aipkit_deepseek_model_list",
    ),
    connector(
        "xai",
        "xAI",
        "xAI",
        "xAI via AI Puffer",
        "xAI Grok models through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        Some("https://console.x.ai/"),
        &[("model", ""), ("base_url", "https://api.x.ai"), ("api_version", "v1")],
        Requires::ApiKey,
        Adapter::Xai,
        "aipkit_model_registry_xai",
        "aipkit_xai_model_list",
    ),
    connector(
        "ollama",
        "Ollama",
        "Ollama",
        "Ollama via AI Puffer",
        "Models on your own Ollama server through AI Puffer Connectors: approvals, routing, pricing and usage logs.",
        None,
        &[("model", ""), ("base_url", "http://localhost:11434")],
        Requires::Setting("base_url"),
        Adapter::Ollama,
        "aipkit_model_registry_ollama",
        "aipkit_ollama_model_list",
    ),
];

pub fn find(id: &str) -> Option<&'static Connector> {
    CONNECTORS.iter().find(|c| c.id == id)
}

impl Adapter {
    /// Whether its provider module exists yet; connectors of other adapters are never offered.
    pub fn is_built(self) -> bool {
        // Every adapter is built; the list stays so a connector added later is offered only once
        // its provider module exists.
        matches!(
            self,
            Adapter::OpenAi
                | Adapter::Google
                | Adapter::Anthropic
                | Adapter::OpenRouter
                | Adapter::Azure
                | Adapter::DeepSeek
                | Adapter::Xai
                | Adapter::Ollama
        )
    }
}

impl Connector {
    /// The model a model of this connector serves, where its id does not say: Azure names
    /// deployments freely, and the synced name (`deployment (model)`) says which model one serves.
    pub fn served_model<'a>(&self, model_name: &'a str) -> Option<&'a str> {
        if self.adapter != Adapter::Azure {
            return None;
        }
        let (_, rest) = model_name.rsplit_once(" (")?;
        rest.strip_suffix(')').map(str::trim).filter(|model| !model.is_empty())
    }

    /// Whether what is stored lets it serve requests: `credentials` lists the providers with a
    /// key; `stored` reads a setting as stored (before defaults).
    pub fn is_configured(&self, credentials: &[String], stored: impl Fn(&str) -> bool) -> bool {
        let has_key = || credentials.iter().any(|p| p == self.internal);
        self.adapter.is_built()
            && match self.requires {
                Requires::ApiKey => has_key(),
                Requires::ApiKeyAnd(setting) => has_key() && stored(setting),
                Requires::Setting(setting) => stored(setting),
            }
    }

    /// What text requests to one of its models honour: the connector's features, narrowed where
    /// the provider's models differ — OpenAI's reasoning models (o-series, GPT-5) refuse
    /// temperature, top_p, penalties and stop sequences; only Ollama's and xAI's vision models
    /// read images. (Azure deployments are named by the site, so nothing is inferred there.)
    pub fn model_features(&self, format: WireFormat, model_id: &str) -> TextFeatures {
        let mut features = self.text_features(format);
        let id = model_id.to_ascii_lowercase();
        match self.adapter {
            Adapter::OpenAi if is_openai_reasoning_model(&id) => {
                features.sampling = false;
                features.penalties = false;
                features.stop_sequences = false;
            }
            Adapter::Ollama => features.image_input = OLLAMA_VISION_FAMILIES.iter().any(|family| id.contains(family)),
            Adapter::Xai => features.image_input &= id.starts_with("grok-4") || id.contains("vision"),
            _ => {}
        }
        features
    }

    /// AI Puffer's catalog default image model (`get_default_{provider}_image_model()`).
    pub fn default_image_model(&self) -> Option<&'static str> {
        match self.adapter {
            Adapter::OpenAi => Some("gpt-image-2"),
            Adapter::Google => Some("gemini-3.1-flash-image"),
            Adapter::Xai => Some("grok-imagine-image-quality"),
            _ => None,
        }
    }

    /// AI Puffer's catalog of this provider's image models, where it has one.
    pub fn image_catalog(&self) -> Option<&'static str> {
        match self.adapter {
            Adapter::OpenAi => Some("OpenAIImage"),
            Adapter::Google => Some("GoogleImage"),
            Adapter::Xai => Some("xAIImage"),
            Adapter::Azure => Some("AzureImage"),
            Adapter::OpenRouter => Some("OpenRouterImage"),
            Adapter::Anthropic | Adapter::DeepSeek | Adapter::Ollama => None,
        }
    }

    /// The values a setting may take, when it is a choice (empty: free text).
    pub fn setting_choices(&self, key: &str) -> &'static [&'static str] {
        match (self.adapter, key) {
            (Adapter::OpenAi, "api_mode") => &["responses", "chat_completions"],
            _ => &[],
        }
    }

    /// The wire format the settings select (AI Puffer's OpenAI `api_mode`).
    pub fn wire_format(&self, settings: &Settings) -> WireFormat {
        match self.adapter {
            Adapter::OpenAi => match settings.get("api_mode").map(String::as_str) {
                Some("chat_completions" | "chat-completions" | "chat") => WireFormat::ChatCompletions,
                _ => WireFormat::OpenAiResponses,
            },
            Adapter::Google => WireFormat::GeminiGenerateContent,
            Adapter::Anthropic => WireFormat::AnthropicMessages,
            Adapter::Ollama => WireFormat::OllamaChat,
            Adapter::OpenRouter | Adapter::Azure | Adapter::DeepSeek | Adapter::Xai => WireFormat::ChatCompletions,
        }
    }

    /// What text requests in `format` honour.
    pub fn text_features(&self, format: WireFormat) -> TextFeatures {
        const NONE: TextFeatures = TextFeatures::BASIC;
        match (self.adapter, format) {
            // The Responses API has no top_k, stop sequences or penalties.
            (Adapter::OpenAi, WireFormat::OpenAiResponses) => TextFeatures {
                max_candidates: 4,
                json_output: true,
                json_schema: true,
                tools: true,
                web_search: true,
                image_input: true,
                ..NONE
            },
            // OpenAI's Chat Completions has no top_k; its web search needs dedicated models.
            (Adapter::OpenAi, WireFormat::ChatCompletions) => TextFeatures {
                max_candidates: 4,
                stop_sequences: true,
                penalties: true,
                json_output: true,
                json_schema: true,
                tools: true,
                image_input: true,
                ..NONE
            },
            // Gemini's generateContent maps every option (see `providers::google`); its Google
            // Search takes no domain filters, so such a webSearch is refused, not widened.
            (Adapter::Google, WireFormat::GeminiGenerateContent) => TextFeatures {
                max_candidates: 4,
                sampling: true,
                top_k: true,
                stop_sequences: true,
                penalties: true,
                json_output: true,
                json_schema: true,
                tools: true,
                web_search: true,
                image_input: true,
            },
            // Anthropic's Messages API has no penalties; JSON output comes through a forced tool
            // (see `providers::anthropic`), web search is its server tool.
            (Adapter::Anthropic, WireFormat::AnthropicMessages) => TextFeatures {
                max_candidates: 4,
                top_k: true,
                stop_sequences: true,
                json_output: true,
                json_schema: true,
                tools: true,
                web_search: true,
                image_input: true,
                ..NONE
            },
            // Ollama's `/api/chat`: one answer per request, sampling in `options`, `format` for
            // JSON. Tools are mapped (a model without them answers 400, explained); images are
            // mapped here and declared per model (`model_features`: vision families only). No web
            // search.
            (Adapter::Ollama, WireFormat::OllamaChat) => TextFeatures {
                max_candidates: 4,
                top_k: true,
                stop_sequences: true,
                penalties: true,
                json_output: true,
                json_schema: true,
                tools: true,
                ..NONE
            },
            // OpenRouter's request schema has top_k, stop and both penalties (passed to the
            // models that take them), no `n` (one request per candidate), `response_format`
            // with `json_schema`, and web search as its `web` plugin.
            (Adapter::OpenRouter, WireFormat::ChatCompletions) => TextFeatures {
                max_candidates: 4,
                sampling: true,
                top_k: true,
                stop_sequences: true,
                penalties: true,
                json_output: true,
                json_schema: true,
                tools: true,
                web_search: true,
                image_input: true,
            },
            // Azure deployments of OpenAI's models: OpenAI's Chat Completions without its web
            // search (no search models on Azure's chat completions).
            (Adapter::Azure, WireFormat::ChatCompletions) => TextFeatures {
                max_candidates: 4,
                stop_sequences: true,
                penalties: true,
                json_output: true,
                json_schema: true,
                tools: true,
                image_input: true,
                ..NONE
            },
            // DeepSeek: no `n` (one request per candidate), JSON mode without schemas, no
            // vision; thinking mode accepts and ignores the penalties.
            (Adapter::DeepSeek, WireFormat::ChatCompletions) => {
                TextFeatures { max_candidates: 4, stop_sequences: true, penalties: true, json_output: true, tools: true, ..NONE }
            }
            // xAI's reasoning models (grok-4, grok-3-mini, …) refuse presencePenalty,
            // frequencyPenalty and stop with an error, and a model's name does not reliably say
            // whether it reasons: neither is declared for any xAI model. Images: per model.
            (Adapter::Xai, WireFormat::ChatCompletions) => {
                TextFeatures { max_candidates: 4, json_output: true, json_schema: true, tools: true, image_input: true, ..NONE }
            }
            // Adapters still to come honour nothing yet (they are not offered either).
            _ => NONE,
        }
    }
}

/// OpenAI's reasoning models: the o-series and GPT-5 (its `-chat` variants are not).
fn is_openai_reasoning_model(id: &str) -> bool {
    let id = id.rsplit('/').next().unwrap_or(id);
    let o_series = id.len() > 1 && id.starts_with('o') && id.as_bytes()[1].is_ascii_digit();
    o_series || (id.starts_with("gpt-5") && !id.contains("-chat"))
}

/// Ollama model families that read images (Ollama's vision models).
const OLLAMA_VISION_FAMILIES: &[&str] = &[
    "llava",
    "bakllava",
    "llama3.2-vision",
    "llama4",
    "gemma3",
    "qwen2.5vl",
    "qwen2.5-vl",
    "qwen3-vl",
    "minicpm-v",
    "moondream",
    "granite3.2-vision",
    "mistral-small3.1",
];

/// A connector travels in continuations by id.
pub fn serialize<S: Serializer>(connector: &&'static Connector, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(connector.id)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Connector, D::Error> {
    let id = String::deserialize(d)?;
    find(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown connector \"{id}\"")))
}
