//! The `connection_test` task: the admin's *Test connection*. One minimal request ("Reply with
//! OK", a few output tokens) to the connector's saved model, read by the same adapter that reads
//! every answer, so a wrong key, URL or model gives the same actionable error a caller would get.
//! Nothing is recorded: it is an admin's check, not a caller's request, and costs a few tokens.
//!
//! ```text
//! start ──http──▶ waiting ──outcome──▶ done: {connector, model, answer, usage} | fail
//! ```

use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::call::Call;
use crate::failure::Failure;
use crate::protocol::HttpOutcome;
use crate::providers;
use crate::reply::ReplyPart;
use crate::route::{self, Target};
use crate::site::Site;
use crate::tasks::{number, Continuation, Step, TaskResult};
use crate::usage::Usage;

/// Enough for "OK" from any model; reasoning models may spend it thinking (still a success:
/// the provider accepted the key, the URL and the model).
const MAX_TOKENS: u32 = 32;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    target: Target,
    request: String,
    limit: u64,
    timeout: f64,
}

#[derive(Debug, Serialize)]
pub struct ConnectionTest {
    pub connector: &'static str,
    pub provider: &'static str,
    pub model: String,
    /// The model's text, trimmed (empty when it spent the few tokens reasoning).
    pub answer: String,
    pub usage: Option<Usage>,
}

pub fn start(site: &Site, connector: &str) -> Result<Step, Failure> {
    let target = route::connection_test(site, connector)?;
    // Read from text like every call a host sends: a `from_value` here would compile the whole
    // call's deserializer a second time, for `Value`, into every build of the engine.
    let call: Call = serde_json::from_str(
        &json!({
            "capability": "text_generation",
            "provider": target.connector.id,
            "model": target.model.id,
            "messages": [{ "role": "user", "parts": [{ "channel": "content", "type": "text", "text": "Reply with the word OK." }] }],
            "config": { "maxTokens": MAX_TOKENS },
        })
        .to_string(),
    )
    .map_err(|e| Failure::bad_input(format_args!("the connection test's call: {e}")))?;
    let mut requests = providers::text_requests(&target, &call)?;
    requests.truncate(1);
    number(&mut requests, 1);
    let request = requests.first().ok_or_else(|| Failure::bad_input("the connection test built no request"))?;
    let state = State { request: request.id.clone(), limit: request.max_response_bytes, timeout: providers::timeout(&call), target };
    Ok(Step::Http { requests, state: Continuation::ConnectionTest(Box::new(state)) })
}

pub fn resume(state: State, outcomes: Vec<HttpOutcome>) -> Result<Step, Failure> {
    let outcome = outcomes
        .into_iter()
        .find(|o| o.id == state.request)
        .ok_or_else(|| Failure::bad_input("the connection test's outcome is missing"))?;
    let reply = providers::parse_text(&state.target, state.timeout, &outcome, state.limit)?;
    let answer = reply
        .candidates
        .iter()
        .flat_map(|c| &c.parts)
        .filter_map(|part| match part {
            ReplyPart::Text { text, thought: false, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("")
        .trim()
        .to_string();
    Ok(Step::Done {
        result: Some(TaskResult::ConnectionTest(Box::new(ConnectionTest {
            connector: state.target.connector.id,
            provider: state.target.connector.internal,
            model: state.target.model.id,
            answer,
            usage: reply.usage,
        }))),
    })
}

#[cfg(test)]
#[path = "../tests/connection_test.rs"]
mod tests;
