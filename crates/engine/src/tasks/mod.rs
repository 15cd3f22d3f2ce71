//! The step machine: each task as a sequence of steps. Every `advance` is a pure function of its
//! input; what a task has decided so far travels in its `Continuation`.

#[cfg(feature = "host-tasks")]
pub mod adjust_balance;
#[cfg(feature = "host-tasks")]
pub mod cap_status;
#[cfg(feature = "host-tasks")]
pub mod connection_test;
pub mod preview;
#[cfg(feature = "host-tasks")]
pub mod prompt;
mod site_memo;
mod state_memo;
#[cfg(feature = "host-tasks")]
pub mod sync_models;

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::ai_client::GenerativeAiResult;
use crate::call::Call;
use crate::failure::Failure;
use crate::protocol::{Ack, HttpOutcome, HttpRequest, Lock, Locked, Task, Write};
use crate::site::{Context, Site};
use preview::Preview;

/// One call of `advance`. Starting a task: `task`, `site`, `context` and the task's input (`call`
/// for `prompt` and `preview`). Going on: `state` from the previous step and what it asked for.
#[derive(Debug, Deserialize)]
pub struct Input {
    #[serde(default)]
    pub task: Option<Task>,
    /// Kept parsed between calls while hosts send the same text (`site_memo`).
    #[serde(default, deserialize_with = "site_memo::deserialize_option")]
    pub site: Option<Rc<Site>>,
    #[serde(default)]
    pub context: Option<Context>,
    #[serde(default)]
    pub call: Option<Call>,
    /// The connector id a `connection_test` checks or a `sync_models` refreshes.
    #[serde(default)]
    pub connector: Option<String>,
    /// `sync_models` only when the connector's catalog is stale (the scheduled refresh).
    #[serde(default)]
    pub only_if_stale: bool,
    /// What `adjust_balance` changes.
    #[serde(default)]
    pub adjustment: Option<crate::adjustments::Adjustment>,
    #[serde(default, deserialize_with = "state_memo::deserialize_option")]
    pub state: Option<Continuation>,
    /// After `http`: one outcome per request, matched by `id`, in any order. A host may also
    /// deliver them over several calls; the engine waits until each request has one.
    #[serde(default)]
    pub outcomes: Vec<HttpOutcome>,
    /// After `read`, `record` or `retry`: the value of each lock, matched by `id`. Starting a
    /// `preview`: the spend of each of the site's caps, read as `cap_status` asks (`cap-{i}`).
    #[serde(default)]
    pub locked: Vec<Locked>,
    /// After `write`, when not every write was applied: one ack per write attempted, in order.
    #[serde(default)]
    pub acks: Vec<Ack>,
}

/// The engine's answer: exactly one thing for the host to do next.
#[derive(Debug, Serialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// Send these requests (in any order, or concurrently), then resume with their outcomes. An
    /// empty list means "still waiting for outcomes of requests already sent".
    Http {
        requests: Vec<HttpRequest>,
        #[serde(serialize_with = "state_memo::serialize")]
        state: Continuation,
    },
    /// Read `locks` — values a decision needs before any request is sent (a spending cap's spend
    /// so far) — outside any transaction, nothing locked, and resume with `locked`.
    Read {
        locks: Vec<Lock>,
        #[serde(serialize_with = "state_memo::serialize")]
        state: Continuation,
    },
    /// Record, then answer: open a transaction, read `locks` under lock and resume with `locked`
    /// (the rows are decided on those values); once committed, `result` is the task's answer.
    Store {
        result: TaskResult,
        locks: Vec<Lock>,
        #[serde(serialize_with = "state_memo::serialize")]
        state: Continuation,
    },
    /// The task's answer is final: give `result` to the caller now. Then record it: open a
    /// transaction, read `locks` under lock and resume with `locked`.
    #[cfg(feature = "host-tasks")]
    Record {
        result: Box<GenerativeAiResult>,
        locks: Vec<Lock>,
        #[serde(serialize_with = "state_memo::serialize")]
        state: Continuation,
    },
    /// Apply `writes` in order inside the open transaction. If every one is applied, commit: the
    /// task is over. Otherwise stop at the first that is not and resume with the acks so far.
    Write {
        writes: Vec<Write>,
        #[serde(serialize_with = "state_memo::serialize")]
        state: Continuation,
    },
    /// Roll back and record again: open a new transaction, read `locks`, resume with `locked`.
    Retry {
        locks: Vec<Lock>,
        #[serde(serialize_with = "state_memo::serialize")]
        state: Continuation,
    },
    /// The task is over: commit an open transaction. `result` for tasks that end with one.
    Done {
        #[serde(skip_serializing_if = "Option::is_none")]
        result: Option<TaskResult>,
    },
    /// The task failed: roll back an open transaction and raise `error` — or, when the result was
    /// already handed over, report it to the site owner instead.
    Fail {
        error: Failure,
        /// When the failure itself is to be recorded (a blocked request's pending approval):
        /// record first — open a transaction, read `locks`, resume with `locked` — then raise.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        locks: Vec<Lock>,
        #[serde(skip_serializing_if = "Option::is_none", serialize_with = "state_memo::serialize_option")]
        state: Option<Continuation>,
    },
}

#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum TaskResult {
    Preview(Box<Preview>),
    #[cfg(feature = "host-tasks")]
    ConnectionTest(Box<connection_test::ConnectionTest>),
    #[cfg(feature = "host-tasks")]
    SyncModels(Box<sync_models::SyncResult>),
    #[cfg(feature = "host-tasks")]
    Adjustment(Box<crate::adjustments::Adjustment>),
    #[cfg(feature = "host-tasks")]
    CapStatus(Vec<crate::caps::CapStatus>),
}

/// Where a task is: `{"<task>": {"<phase>": {…}}}`. It travels as JSON *text* inside a step
/// (`"state": "{\"prompt\":…}"`), so hosts pass it back byte for byte: a PHP host that decoded
/// it into arrays would turn every empty object into an empty list, and would parse and encode
/// a state holding a whole prompt twice per step for nothing.
/// `state_memo` keeps the last one written, so the step that sends it back skips the parse.
/// (Externally tagged on purpose: serde reads such enums straight from the JSON, where a tag
/// field inside the object would make it buffer the whole state first — slower, and twice the
/// code in the component.)
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Continuation {
    #[cfg(feature = "host-tasks")]
    Prompt(prompt::State),
    #[cfg(feature = "host-tasks")]
    ConnectionTest(Box<connection_test::State>),
    #[cfg(feature = "host-tasks")]
    SyncModels(sync_models::State),
    #[cfg(feature = "host-tasks")]
    AdjustBalance(Box<adjust_balance::State>),
    #[cfg(feature = "host-tasks")]
    CapStatus(Box<cap_status::State>),
}

impl Step {
    /// A failure with nothing to record.
    pub fn fail(error: Failure) -> Self {
        Step::Fail { error, locks: Vec::new(), state: None }
    }

    /// The state a host is to send back, if the task goes on.
    fn into_state(self) -> Option<Continuation> {
        match self {
            Step::Http { state, .. }
            | Step::Read { state, .. }
            | Step::Store { state, .. }
            | Step::Write { state, .. }
            | Step::Retry { state, .. } => Some(state),
            #[cfg(feature = "host-tasks")]
            Step::Record { state, .. } => Some(state),
            Step::Fail { state, .. } => state,
            Step::Done { .. } => None,
        }
    }
}

/// `step` written by `write` (JSON text); its state, just written, is kept for the call that
/// sends it back.
pub fn written(step: Step, write: impl Fn(&Step) -> String) -> String {
    state_memo::write_keeping(step, write)
}

/// `advance`'s input from JSON text. Hosts write the state they send back, or the site snapshot
/// a task starts with, first: when it is the one the engine kept, only what follows it is parsed
/// (`state_memo`, `site_memo`).
pub fn read_input(text: &str) -> Result<Input, serde_json::Error> {
    if let Some((state, rest)) = state_memo::take_leading(text) {
        if let Ok(input @ Input { state: None, .. }) = serde_json::from_str(&rest) {
            return Ok(Input { state: Some(state), ..input });
        }
    } else if let Some((site, rest)) = site_memo::take_leading(text) {
        if let Ok(input @ Input { site: None, .. }) = serde_json::from_str(&rest) {
            return Ok(Input { site: Some(site), ..input });
        }
    }
    // Any other text — or a second `state` or `site`, or an error after the kept part — is read
    // whole, as always, so the answer (and an error's position) is the one it always was.
    serde_json::from_str(text)
}

/// `text.strip_prefix(kept)`, compared eight bytes at a time. The kept texts (site snapshot, state
/// literal) are kilobytes long, and on wasm32 `memcmp` is compiler-builtins' loop over single
/// bytes: this compare took ≈13 % of a request's guest instructions in wasmtime.
fn strip_kept<'a>(text: &'a str, kept: &str) -> Option<&'a str> {
    let head = text.as_bytes().get(..kept.len())?;
    let (mut ours, mut theirs) = (head.chunks_exact(8), kept.as_bytes().chunks_exact(8));
    let word = |chunk: &[u8]| u64::from_ne_bytes(chunk.try_into().unwrap_or_default());
    let same = ours.remainder() == theirs.remainder() && ours.all(|chunk| theirs.next().is_some_and(|k| word(chunk) == word(k)));
    // Equal bytes end where `kept` ends, on a character boundary of `text` too.
    same.then(|| text.get(kept.len()..)).flatten()
}

/// Whether `text` is the kept text, byte for byte (`strip_kept` leaving nothing).
fn is_kept(text: &str, kept: &str) -> bool {
    text.len() == kept.len() && strip_kept(text, kept).is_some()
}

/// What follows a leading field the engine kept (`,"next":…}` or `}`) as an object of its own;
/// None when it does not go on as an object's fields do (the input is then read whole).
fn fields_after(rest: &str) -> Option<String> {
    match rest.strip_prefix(',') {
        Some(fields) if fields.trim_start().starts_with('"') => Some(format!("{{{fields}")),
        None if rest.starts_with('}') => Some(format!("{{{rest}")),
        _ => None,
    }
}

pub fn advance(input: Input) -> Step {
    run(input).unwrap_or_else(Step::fail)
}

fn run(mut input: Input) -> Result<Step, Failure> {
    if let Some(state) = input.state.take() {
        if input.task.is_some() {
            return Err(Failure::bad_input("a step carries either a task to start or a state to go on with, not both"));
        }
        return resume(state, input.outcomes, input.locked, input.acks);
    }
    let task = input.task.ok_or_else(|| Failure::bad_input("neither a task to start nor a state to go on with"))?;
    if task == Task::Preview {
        let site = input.site.as_deref().ok_or_else(|| Failure::bad_input("a task starts with the site"))?;
        let call = input.call.as_ref().ok_or_else(|| Failure::bad_input("this task needs the AI Client call"))?;
        return preview::run(site, call, input.context.as_ref(), &input.locked);
    }
    start_host_task(task, input)
}

#[cfg(feature = "host-tasks")]
fn resume(state: Continuation, outcomes: Vec<HttpOutcome>, locked: Vec<Locked>, acks: Vec<Ack>) -> Result<Step, Failure> {
    match state {
        Continuation::Prompt(state) => prompt::resume(state, outcomes, locked, acks),
        Continuation::ConnectionTest(state) => connection_test::resume(*state, outcomes),
        Continuation::SyncModels(state) => sync_models::resume(state, outcomes, locked, acks),
        Continuation::AdjustBalance(state) => adjust_balance::resume(*state, locked, acks),
        Continuation::CapStatus(state) => cap_status::resume(*state, &locked),
    }
}

/// Without the host tasks no state exists to go on with.
#[cfg(not(feature = "host-tasks"))]
fn resume(state: Continuation, _: Vec<HttpOutcome>, _: Vec<Locked>, _: Vec<Ack>) -> Result<Step, Failure> {
    match state {}
}

#[cfg(feature = "host-tasks")]
fn start_host_task(task: Task, input: Input) -> Result<Step, Failure> {
    let Input { site, context, call, connector, only_if_stale, adjustment, .. } = input;
    if task == Task::AdjustBalance {
        // A balance adjustment needs no site: it touches no connector.
        let context = context.ok_or_else(|| Failure::bad_input("an adjustment starts with the request context"))?;
        let adjustment = adjustment.ok_or_else(|| Failure::bad_input("an adjustment says what to change"))?;
        return adjust_balance::start(context, adjustment);
    }
    let site = site.ok_or_else(|| Failure::bad_input("a task starts with the site"))?;
    match task {
        Task::Prompt => {
            let context = context.ok_or_else(|| Failure::bad_input("a prompt starts with the request context"))?;
            let call = call.ok_or_else(|| Failure::bad_input("this task needs the AI Client call"))?;
            prompt::start(&site, context, call)
        }
        Task::ConnectionTest => {
            let connector = connector.ok_or_else(|| Failure::bad_input("a connection test names the connector"))?;
            connection_test::start(&site, &connector)
        }
        Task::SyncModels => {
            let context = context.ok_or_else(|| Failure::bad_input("a model sync starts with the request context"))?;
            let connector = connector.ok_or_else(|| Failure::bad_input("a model sync names the connector"))?;
            sync_models::start(&site, context, &connector, only_if_stale)
        }
        Task::CapStatus => {
            let context = context.ok_or_else(|| Failure::bad_input("a cap status starts with the request context"))?;
            Ok(cap_status::start(&site, &context))
        }
        Task::Preview | Task::AdjustBalance => Err(Failure::bad_input("this task was started above")),
    }
}

/// The browser's build runs the preview alone: any other task is refused by name.
#[cfg(not(feature = "host-tasks"))]
fn start_host_task(_: Task, _: Input) -> Result<Step, Failure> {
    Err(Failure::bad_input("this build of the engine (the browser's) runs the preview task only"))
}

/// Gives each request of an attempt its id (`{attempt}.{n}`): unique within the task.
fn number(requests: &mut [HttpRequest], attempt: u32) {
    for (n, request) in requests.iter_mut().enumerate() {
        request.id = format!("{attempt}.{}", n + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::strip_kept;

    #[test]
    fn a_kept_prefix_is_stripped_only_when_every_byte_matches() {
        let text = "{\"site\":{\"é\":\"0123456789abcdefghijklmnopqrstuvwxyz\"},\"task\":\"prompt\"}";
        for len in (0..=text.len()).filter(|&len| text.is_char_boundary(len)) {
            let kept = &text[..len];
            assert_eq!(strip_kept(text, kept), Some(&text[len..]), "a prefix of {len} bytes");
            // One byte different anywhere — in a whole word or in the tail — is no match.
            for at in (0..len).filter(|&at| kept.as_bytes()[at].is_ascii()) {
                let mut other = kept.as_bytes().to_vec();
                other[at] ^= 1;
                let other = String::from_utf8(other).unwrap_or_default();
                assert_eq!(strip_kept(text, &other), None, "a difference at byte {at} of {len}");
            }
        }
        assert_eq!(strip_kept("{\"a\"", "{\"a\":1}"), None, "a kept text longer than the input");
    }
}
