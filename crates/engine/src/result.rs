//! The AI Client result (`GenerativeAiResult::toArray()`) of a finished call.

use serde_json::{json, Value};

use crate::catalog;
use crate::providers::TextReply;
use crate::route::Route;
use crate::snapshot::Snapshot;
use crate::usage::Usage;

/// The result of a text call. Provider and model metadata name the real provider and model that
/// answered, whatever alias the caller asked for.
pub fn text_result(snapshot: &Snapshot, route: &Route, reply: &TextReply, usage: &Usage) -> Value {
    let candidates: Vec<Value> = reply
        .candidates
        .iter()
        .map(|c| {
            json!({
                "message": { "role": "model", "parts": [{ "channel": "content", "type": "text", "text": c.text }] },
                "finishReason": c.finish.as_str(),
            })
        })
        .collect();
    json!({
        "id": snapshot.request_id,
        "candidates": candidates,
        "tokenUsage": usage.token_usage(),
        "providerMetadata": catalog::provider_metadata(route.connector),
        "modelMetadata": catalog::text_model_metadata(route.connector, &route.model),
        "additionalData": {
            "aipkit_provider": route.connector.internal,
            "aipkit_model": route.model.id,
            "aipkit_usage_estimated": usage.estimated,
        },
    })
}
