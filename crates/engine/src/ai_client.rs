//! The WordPress AI Client's DTO shapes (`toArray()` of ProviderMetadata, ModelMetadata,
//! GenerativeAiResult …) as typed structs, serialized straight to the wire. Typed rather than
//! built as `serde_json::Value` trees: the metadata is mostly static data, and building trees of
//! maps was most of the engine's time per call.

use serde::Serialize;

use crate::call::FunctionCall;

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
    pub supported_options: Vec<SupportedOption>,
}

/// `SupportedOption::toArray()`: `supportedValues` is left out when any value is accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportedOption {
    pub name: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_values: Option<SupportedValues>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum SupportedValues {
    Counts(&'static [u32]),
    Strings(&'static [&'static str]),
    /// Modality combinations, e.g. `[["text"], ["text", "image"]]`.
    Modalities(&'static [&'static [&'static str]]),
}

impl SupportedOption {
    pub const fn any(name: &'static str) -> Self {
        Self { name, supported_values: None }
    }

    pub const fn only(name: &'static str, values: SupportedValues) -> Self {
        Self { name, supported_values: Some(values) }
    }
}

pub const TEXT_CAPABILITIES: &[&str] = &["text_generation", "chat_history"];
pub const IMAGE_CAPABILITIES: &[&str] = &["image_generation"];

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

/// A `Message` with the model role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelMessage {
    pub role: &'static str,
    pub parts: Vec<MessagePart>,
}

/// `MessagePart::toArray()`: a text or a function call, on the content or the thought channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessagePart {
    pub channel: &'static str,
    #[serde(rename = "type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<File>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<String>,
}

/// `File::toArray()` of an inline file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct File {
    pub file_type: &'static str,
    pub mime_type: String,
    pub base64_data: String,
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
