//! The step machine: a call goes `start → http → done | fail`. Each `advance` is a pure function
//! of its input; the continuation says which responses the engine is waiting for.

use crate::accounting;
use crate::error::Failure;
use crate::protocol::{AdvanceInput, Awaiting, Continuation, Step};
use crate::providers::{self, TextReply};
use crate::result;
use crate::route;
use crate::usage::Usage;

pub fn advance(input: &AdvanceInput) -> Step {
    match run(input) {
        Ok(step) => step,
        Err(error) => Step::Fail { error, writes: Vec::new() },
    }
}

fn run(input: &AdvanceInput) -> Result<Step, Failure> {
    let AdvanceInput { snapshot, call, state, responses } = input;
    let route = route::resolve(snapshot, call)?;
    let Some(state) = state else {
        let requests = providers::text_requests(&route, call, snapshot)?;
        let sent = u32::try_from(requests.len()).unwrap_or(u32::MAX);
        return Ok(Step::Http { requests, state: Continuation { awaiting: Awaiting::TextGeneration, sent } });
    };
    if responses.len() != state.sent as usize {
        return Err(Failure::invalid_argument(format!(
            "The host answered {} of {} provider requests; every request needs exactly one response, in order.",
            responses.len(),
            state.sent
        )));
    }
    match state.awaiting {
        Awaiting::TextGeneration => {
            let mut replies = Vec::with_capacity(responses.len());
            for outcome in responses {
                replies.push(providers::parse_text(&route, call, snapshot, outcome)?);
            }
            let reply = merge(replies);
            let usage = reply.usage.unwrap_or_else(|| Usage::estimate(call));
            let writes = accounting::text_writes(snapshot, call, &route, &reply, &usage);
            let result = result::text_result(snapshot, &route, reply, &usage);
            Ok(Step::Done { result, writes })
        }
    }
}

/// Several replies (one per candidate request) as one: candidates in order, usage summed. If
/// any reply lacks usage the whole call is estimated, as AI Puffer does for a missing total.
fn merge(replies: Vec<TextReply>) -> TextReply {
    let mut merged = TextReply { candidates: Vec::new(), usage: Some(Usage::default()) };
    for reply in replies {
        merged.candidates.extend(reply.candidates);
        merged.usage = match (merged.usage, reply.usage) {
            (Some(a), Some(b)) => Some(a.add(b)),
            _ => None,
        };
    }
    merged
}
