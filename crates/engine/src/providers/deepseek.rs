//! DeepSeek: the shared Chat Completions adapter with DeepSeek's differences as data
//! (api-docs.deepseek.com: "Create Chat Completion", "Thinking Mode", "Error Codes").

use serde_json::Value;

use crate::protocol::{Credential, Placement};
use crate::providers::openai_compatible::{error_class, said_lowercase, versioned_endpoint, Profile, Verdict, CHAT_USAGE, STANDARD};
use crate::providers::ErrorClass;
use crate::usage::UsageFields;

pub const PROFILE: Profile = Profile {
    credential: Credential { provider: "DeepSeek", placement: Placement::Header, name: "Authorization", prefix: "Bearer " },
    // DeepSeek serves the same API at `/chat/completions` and, "for OpenAI compatibility", at
    // `/v1/chat/completions`; the versioned form honours the connector's `api_version` setting
    // like xAI's and OpenRouter's, and keeps a base URL saved with `/v1` working.
    endpoint: versioned_endpoint,
    max_tokens_field: "max_tokens",
    // No `n`: each candidate is a request of its own.
    n: false,
    // Thinking models answer with `reasoning_content`; an assistant turn that called tools must
    // carry it back ("The reasoning_content in the thinking mode must be passed back", HTTP 400).
    reasoning: Some("reasoning_content"),
    reasoning_with_tool_calls: true,
    // Cache hits are reported beside the prompt count, not in `prompt_tokens_details`.
    usage: UsageFields { cached_input: &["usage", "prompt_cache_hit_tokens"], ..CHAT_USAGE },
    classify,
    ..STANDARD
};

/// DeepSeek's errors are OpenAI-shaped but say it in words: 402 "Insufficient Balance",
/// 400 "This model's maximum context length is …", 400 "Content Exists Risk".
fn classify(status: u16, body: &Value) -> Option<Verdict> {
    let said = said_lowercase(body);
    let class = if status == 402 || said.contains("insufficient balance") {
        ErrorClass::Billing
    } else if said.contains("maximum context length") {
        ErrorClass::ContextTooLong
    } else if said.contains("content exists risk") {
        ErrorClass::ContentRefused
    } else {
        return error_class(body).map(Verdict::Class);
    };
    Some(Verdict::Class(class))
}
