//! The AI Client result (`GenerativeAiResult::toArray()`) of a finished call.

use crate::ai_client::{self, AdditionalData, File, GenerativeAiResult, MessagePart, ModelMessage};
use crate::catalog;
use crate::reply::{Candidate, ReplyPart};
use crate::route::Target;
use crate::site::Context;
use crate::usage::Usage;

/// The result of a call. Provider and model metadata name the real provider and model that
/// answered, whatever alias the caller asked for.
pub fn text_result(context: &Context, target: &Target, candidates: &[Candidate], usage: &Usage) -> GenerativeAiResult {
    let model_metadata = if target.format.makes_images() { catalog::image_model_metadata(target.connector, &target.model) } else { None };
    GenerativeAiResult {
        id: context.request_id.clone(),
        candidates: candidates.iter().map(candidate).collect(),
        token_usage: usage.token_usage(),
        provider_metadata: catalog::provider_metadata(target.connector),
        model_metadata: model_metadata.unwrap_or_else(|| catalog::text_model_metadata(target.connector, target.format, &target.model)),
        additional_data: AdditionalData {
            aipkit_provider: target.connector.internal,
            aipkit_model: target.model.id.clone(),
            aipkit_usage_estimated: usage.estimated,
        },
    }
}

fn candidate(candidate: &Candidate) -> ai_client::Candidate {
    let parts = candidate
        .parts
        .iter()
        .map(|part| match part {
            ReplyPart::Text { text, thought, signature } => MessagePart {
                channel: if *thought { "thought" } else { "content" },
                kind: "text",
                text: Some(text.clone()),
                file: None,
                function_call: None,
                thought_signature: signature.clone(),
            },
            ReplyPart::FunctionCall { call, signature } => MessagePart {
                channel: "content",
                kind: "function_call",
                text: None,
                file: None,
                function_call: Some(call.clone()),
                thought_signature: signature.clone(),
            },
            ReplyPart::Image { mime_type, base64 } => MessagePart {
                channel: "content",
                kind: "file",
                text: None,
                file: Some(File { file_type: "inline", mime_type: mime_type.clone(), base64_data: base64.clone() }),
                function_call: None,
                thought_signature: None,
            },
        })
        .collect();
    ai_client::Candidate { message: ModelMessage { role: "model", parts }, finish_reason: candidate.finish.as_str() }
}
