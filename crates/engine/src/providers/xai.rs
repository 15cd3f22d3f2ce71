//! xAI: the shared Chat Completions adapter with xAI's differences as data
//! (docs.x.ai: "Chat completions" reference, "Reasoning", "Debugging errors").

use serde_json::Value;

use crate::protocol::{Credential, Placement};
use crate::providers::openai_compatible::{said_lowercase, versioned_endpoint, Profile, Verdict, STANDARD};
use crate::providers::ErrorClass;

pub const PROFILE: Profile = Profile {
    credential: Credential { provider: "xAI", placement: Placement::Header, name: "Authorization", prefix: "Bearer " },
    endpoint: versioned_endpoint,
    // xAI's reference marks `max_tokens` "deprecated in favor of max_completion_tokens".
    max_tokens_field: "max_completion_tokens",
    // grok-3-mini shows its reasoning in `reasoning_content` (other models keep it hidden).
    reasoning: Some("reasoning_content"),
    // xAI has reported reasoning tokens outside `completion_tokens` (total = prompt + completion +
    // reasoning); newer answers count them inside. Either way they end up in the output.
    reasoning_beside_output: true,
    classify,
    ..STANDARD
};

/// xAI's error bodies are `{"code": <gRPC status text>, "error": <message>}`: only the words say
/// what happened. A wrong key is a 400 ("Incorrect API key provided"); no credit left is a 403 or
/// 429 ("… used all available credits or reached its monthly spending limit").
fn classify(_status: u16, body: &Value) -> Option<Verdict> {
    let said = said_lowercase(body);
    if said.contains("incorrect api key") || said.contains("invalid api key") {
        Some(Verdict::BadKey)
    } else if said.contains("credits") || said.contains("spending limit") {
        Some(Verdict::Class(ErrorClass::Billing))
    } else if said.contains("maximum prompt length") || said.contains("maximum context length") {
        Some(Verdict::Class(ErrorClass::ContextTooLong))
    } else {
        None
    }
}
