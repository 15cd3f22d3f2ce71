//! The step machine: each task as a sequence of steps. Every `advance` is a pure function of its
//! input; what a task has decided so far travels in its `Continuation`.

pub mod preview;
pub mod prompt;

use serde::{Deserialize, Serialize};

use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{HttpRequest, Input, Step, Task};

/// Where a task is: `{"<task>": {"<phase>": {…}}}`. It travels as JSON *text* inside a step
/// (`"state": "{\"prompt\":…}"`), so hosts pass it back byte for byte: a PHP host that decoded
/// it into arrays would turn every empty object into an empty list, and would parse and encode
/// a state holding a whole prompt twice per step for nothing.
/// (Externally tagged on purpose: serde reads such enums straight from the JSON, where a tag
/// field inside the object would make it buffer the whole state first — slower, and twice the
/// code in the component.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Continuation {
    Prompt(prompt::State),
}

/// Serde helpers for a continuation carried as JSON text.
pub mod as_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Continuation;

    pub fn serialize<S: Serializer>(state: &Continuation, s: S) -> Result<S::Ok, S::Error> {
        serde_json::to_string(state).map_err(serde::ser::Error::custom)?.serialize(s)
    }

    pub fn deserialize_option<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Continuation>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
            Some(text) => serde_json::from_str(&text).map(Some).map_err(|e| serde::de::Error::custom(format_args!("state: {e}"))),
            None => Ok(None),
        }
    }
}

pub fn advance(input: Input) -> Step {
    run(input).unwrap_or_else(|error| Step::Fail { error })
}

fn run(input: Input) -> Result<Step, Failure> {
    let Input { task, site, context, call, state, outcomes, locked, acks } = input;
    if let Some(state) = state {
        if task.is_some() {
            return Err(Failure::bad_input("a step carries either a task to start or a state to go on with, not both"));
        }
        return match state {
            Continuation::Prompt(state) => prompt::resume(state, outcomes, locked, acks),
        };
    }
    let task = task.ok_or_else(|| Failure::bad_input("neither a task to start nor a state to go on with"))?;
    let site = site.ok_or_else(|| Failure::bad_input("a task starts with the site"))?;
    let call = || call.ok_or_else(|| Failure::bad_input("this task needs the AI Client call"));
    match task {
        Task::Prompt => {
            let context = context.ok_or_else(|| Failure::bad_input("a prompt starts with the request context"))?;
            prompt::start(&site, context, call()?)
        }
        Task::Preview => preview::run(&site, &call()?),
        Task::SyncModels => Err(Failure::invalid_argument(Reason::TaskNotAvailable, params([("task", "sync_models".into())]))),
    }
}

/// Gives each request of an attempt its id (`{attempt}.{n}`): unique within the task.
fn number(requests: &mut [HttpRequest], attempt: u32) {
    for (n, request) in requests.iter_mut().enumerate() {
        request.id = format!("{attempt}.{}", n + 1);
    }
}
