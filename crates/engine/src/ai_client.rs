//! The WordPress AI Client's DTO shapes (`toArray()` of ProviderMetadata, ModelMetadata,
//! GenerativeAiResult …) as typed structs, serialized straight to the wire. Typed rather than
//! built as `serde_json::Value` trees: the metadata is mostly static data, and building trees of
//! maps was most of the engine's time per call.

use serde::Serialize;

/// `ProviderMetadata::toArray()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderMetadata {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub credentials_url: Option<&'static str>,
    /// Always null: the gateway holds the credentials, the AI Client never asks for them.
    pub authentication_method: Option<&'static str>,
    pub logo_path: Option<&'static str>,
}

/// `ModelMetadata::toArray()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelMetadata {
    pub id: String,
    pub name: String,
    pub supported_capabilities: &'static [&'static str],
    pub supported_options: &'static [SupportedOption],
}

/// `SupportedOption::toArray()`: `supportedValues` is left out when any value is accepted.
#[derive(Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportedOption {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_values: Option<SupportedValues>,
}

#[derive(Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SupportedValues {
    Counts(&'static [u32]),
    /// Modality combinations, e.g. `[["text"], ["text", "image"]]`.
    Modalities(&'static [&'static [&'static str]]),
}

const fn any(name: &'static str) -> SupportedOption {
    SupportedOption { name, supported_values: None }
}

const fn only(name: &'static str, values: SupportedValues) -> SupportedOption {
    SupportedOption { name, supported_values: Some(values) }
}

pub const TEXT_CAPABILITIES: &[&str] = &["text_generation", "chat_history"];

/// What a text model accepts — AI Puffer's list. The AI Client matches a prompt's settings
/// against it before choosing a model, so every option a caller may set must be here.
macro_rules! text_options {
    ($input_modalities:expr) => {
        &[
            any("customOptions"),
            only("candidateCount", SupportedValues::Counts(&[1, 2, 3, 4])),
            any("systemInstruction"),
            any("maxTokens"),
            any("temperature"),
            any("topP"),
            any("topK"),
            any("stopSequences"),
            any("presencePenalty"),
            any("frequencyPenalty"),
            any("outputMimeType"),
            any("outputSchema"),
            only("inputModalities", SupportedValues::Modalities($input_modalities)),
            only("outputModalities", SupportedValues::Modalities(&[&["text"]])),
        ]
    };
}

pub const TEXT_OPTIONS: &[SupportedOption] = text_options!(&[&["text"]]);
pub const TEXT_OPTIONS_WITH_IMAGES: &[SupportedOption] = text_options!(&[&["text"], &["text", "image"]]);

/// `GenerativeAiResult::toArray()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerativeAiResult {
    pub id: String,
    pub candidates: Vec<Candidate>,
    pub token_usage: TokenUsage,
    pub provider_metadata: ProviderMetadata,
    pub model_metadata: ModelMetadata,
    pub additional_data: AdditionalData,
}

/// `Candidate::toArray()`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub message: ModelMessage,
    pub finish_reason: &'static str,
}

/// A `Message` with the model role and one content part.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelMessage {
    pub role: &'static str,
    pub parts: [TextPart; 1],
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TextPart {
    pub channel: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub text: String,
}

impl Candidate {
    pub fn text(text: String, finish_reason: &'static str) -> Self {
        Self { message: ModelMessage { role: "model", parts: [TextPart { channel: "content", kind: "text", text }] }, finish_reason }
    }
}

/// `TokenUsage::toArray()`: `thoughtTokens` only when known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenUsage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub total_tokens: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought_tokens: Option<u64>,
}

/// What the gateway adds to a result (AI Puffer's `aipkit_*` keys).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdditionalData {
    pub aipkit_provider: &'static str,
    pub aipkit_model: String,
    pub aipkit_usage_estimated: bool,
}
