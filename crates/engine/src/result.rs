//! The AI Client result (`GenerativeAiResult::toArray()`) of a finished call.

use crate::ai_client::{AdditionalData, Candidate, GenerativeAiResult};
use crate::catalog;
use crate::providers::TextReply;
use crate::route::Route;
use crate::snapshot::Snapshot;
use crate::usage::Usage;

/// The result of a text call. Provider and model metadata name the real provider and model that
/// answered, whatever alias the caller asked for.
pub fn text_result(snapshot: &Snapshot, route: &Route, reply: TextReply, usage: &Usage) -> GenerativeAiResult {
    GenerativeAiResult {
        id: snapshot.request_id.clone(),
        candidates: reply.candidates.into_iter().map(|c| Candidate::text(c.text, c.finish.as_str())).collect(),
        token_usage: usage.token_usage(),
        provider_metadata: catalog::provider_metadata(route.connector),
        model_metadata: catalog::text_model_metadata(route.connector, &route.model),
        additional_data: AdditionalData {
            aipkit_provider: route.connector.internal,
            aipkit_model: route.model.id.clone(),
            aipkit_usage_estimated: usage.estimated,
        },
    }
}
