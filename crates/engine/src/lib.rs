//! AI Puffer Connectors engine: every decision of the gateway — which connector and model serve a
//! WordPress AI Client call, the provider request, reading the response, usage, charges and the
//! rows to write — as a pure step machine. No I/O, no clock, no randomness: hosts pass `now` and a
//! request id in the snapshot, perform the HTTP requests and database writes the engine asks for,
//! and resume it with the responses. See `protocol` for the loop every host runs.

pub mod accounting;
pub mod ai_client;
pub mod call;
pub mod catalog;
pub mod connectors;
pub mod error;
mod lenient;
pub mod machine;
pub mod money;
pub mod pricing;
pub mod protocol;
pub mod providers;
pub mod result;
pub mod route;
pub mod rows;
pub mod snapshot;
pub mod time;
pub mod usage;

use serde::Serialize;

pub use error::Failure;
pub use protocol::{AdvanceInput, Step};
pub use snapshot::Snapshot;

/// The engine's version, for hosts' diagnostics and cache keys.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Advances one call by one step.
pub fn advance(input: &AdvanceInput) -> Step {
    machine::advance(input)
}

/// Advances one call by one step, JSON in and out. Input that is not a valid `AdvanceInput`
/// becomes a `fail` step naming the problem; this never panics.
pub fn advance_json(input: &str) -> String {
    let step = match serde_json::from_str::<AdvanceInput>(input) {
        Ok(input) => advance(&input),
        Err(e) => bad_input(&e),
    };
    to_json(&step)
}

/// The providers and models the gateway offers the AI Client, for a snapshot (JSON text).
pub fn describe_json(snapshot: &str) -> String {
    match serde_json::from_str::<Snapshot>(snapshot) {
        Ok(snapshot) => to_json(&catalog::describe(&snapshot)),
        Err(e) => to_json(&bad_input(&e)),
    }
}

/// The `fail` step for input the engine cannot read.
pub fn bad_input(error: &dyn std::fmt::Display) -> Step {
    Step::Fail {
        error: Failure::invalid_argument(format!("The gateway received a request it cannot read: {error}.")),
        writes: Vec::new(),
    }
}

fn to_json<T: Serialize>(value: &T) -> String {
    // Serializing these types cannot fail (string keys, no non-finite floats reach them), but a
    // fallback keeps the promise of never trapping.
    serde_json::to_string(value).unwrap_or_else(|_| {
        r#"{"step":"fail","error":{"code":"prompt_invalid_argument","status":400,"exception":"invalid_argument","message":"The gateway could not encode its answer."},"writes":[]}"#.to_string()
    })
}
