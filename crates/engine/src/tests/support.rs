//! Shared builders for the unit tests: a site as `prepare` makes it, a call, a context.

use serde_json::{json, Value};

use crate::call::Call;
use crate::protocol::HttpOutcome;
use crate::route::{self, Target};
use crate::site::{Actor, Context, Site, StoredSite};

/// The site `prepare` makes of what a host read.
pub fn site(stored: Value) -> Site {
    let stored: StoredSite = serde_json::from_value(stored).unwrap();
    let prepared = serde_json::to_string(&crate::catalog::prepare(&stored).site).unwrap();
    serde_json::from_str(&prepared).unwrap()
}

/// A managed site whose OpenAI connector has a key, `settings` and two models.
pub fn openai_site(settings: Value) -> Site {
    site(json!({
        "managed": true,
        "credentials": ["OpenAI"],
        "providers": { "OpenAI": settings },
        "catalogs": { "aipkit_openai_model_list": ["gpt-4.1-mini", "gpt-4o-mini"] },
    }))
}

/// A text call to `openai`/`gpt-4.1-mini` saying "Hi", with a model config.
pub fn call(config: Value) -> Call {
    serde_json::from_value(json!({
        "capability": "text_generation", "provider": "openai", "model": "gpt-4.1-mini",
        "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }],
        "config": config,
    }))
    .unwrap()
}

pub fn target(settings: Value, call: &Call) -> Target {
    route::resolve(&openai_site(settings), call).unwrap()
}

pub fn context(user_id: u64) -> Context {
    Context {
        now: 1_795_500_000,
        request_id: "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b".into(),
        actor: Actor { user_id, session_id: if user_id == 0 { "wp-ai-client-system".into() } else { String::new() }, roles: Vec::new() },
        ..Context::default()
    }
}

/// A provider's answer to request `1.1`.
pub fn outcome(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpOutcome {
    HttpOutcome {
        id: "1.1".into(),
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect(),
        body: body.to_string(),
        error: None,
    }
}
