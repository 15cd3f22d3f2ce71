//! The AI Client result (`GenerativeAiResult::toArray()`) of a finished call.

use crate::ai_client::{self, AdditionalData, GenerativeAiResult};
use crate::catalog;
use crate::reply::Candidate;
use crate::route::Target;
use crate::site::Context;
use crate::usage::Usage;

/// The result of a text call. Provider and model metadata name the real provider and model that
/// answered, whatever alias the caller asked for.
pub fn text_result(context: &Context, target: &Target, candidates: &[Candidate], usage: &Usage) -> GenerativeAiResult {
    GenerativeAiResult {
        id: context.request_id.clone(),
        candidates: candidates.iter().map(|c| ai_client::Candidate::text(c.text.clone(), c.finish.as_str())).collect(),
        token_usage: usage.token_usage(),
        provider_metadata: catalog::provider_metadata(target.connector),
        model_metadata: catalog::text_model_metadata(target.connector, &target.model),
        additional_data: AdditionalData {
            aipkit_provider: target.connector.internal,
            aipkit_model: target.model.id.clone(),
            aipkit_usage_estimated: usage.estimated,
        },
    }
}
