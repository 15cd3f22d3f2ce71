//! The `prompt` task: an AI Client call, start to finish.
//!
//! ```text
//! start ──(caps bound the caller)──read──▶ capping ──(under the caps)──┐
//!   └────────────────────────────────────────────────────────────────┴──http──▶ generating
//! generating ──(every outcome folded)──▶ record: result + locks
//!                   │  all failed, transient, a fallback route left → http (next route)
//!                   └─ all failed → fail
//! recording ──locked──▶ writing: the rows, decided on the locked values
//! writing ──acks──▶ done (already recorded, or log present) | retry (balance changed) | fail
//! ```
//! One failed candidate does not discard the others: each outcome is folded into its slot, and
//! the call succeeds with the candidates that came back, billed for those alone.

use serde::{Deserialize, Serialize};

use crate::accounting::{self, Purpose, TextCall};
use crate::approvals::{self, Party};
use crate::call::{Call, CallSummary};
use crate::caps;
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Ack, HttpOutcome, Locked};
use crate::providers;
use crate::reply::{Candidate, TextReply};
use crate::result;
use crate::route::{self, Target};
use crate::rows::AttemptNote;
use crate::site::{Cap, Context, Site};
use crate::tasks::{number, Continuation, Step};
use crate::usage::Usage;

/// A balance that changes under compare-and-set this often is not settling: give up.
const MAX_CONFLICTS: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting for what the caller spent so far under each cap that bounds it.
    Capping(Box<Capping>),
    /// Waiting for the provider's answers.
    Generating(Box<Generating>),
    /// The answer is out; waiting for the values read under lock.
    Recording(Box<Recording>),
    /// The connector approvals stopped the call; waiting for the pending list read under lock.
    Blocking(Box<Blocking>),
    /// Waiting for the acks of writes that were not all applied.
    Writing(Box<Writing>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Generating {
    context: Context,
    target: Target,
    /// Routes still to try, in order, when every request of this one fails transiently.
    fallback: Vec<Target>,
    /// 1 for the first route, then one more per fallback.
    attempt: u32,
    /// The routes that failed before the current one, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed_attempts: Vec<AttemptNote>,
    /// The call itself, kept only while a fallback route may need requests built from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    call: Option<Call>,
    summary: CallSummary,
    /// The caller's request timeout, for messages.
    timeout: f64,
    slots: Vec<Slot>,
}

/// A call that spending caps bound: sent once the spend read shows every cap has room.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Capping {
    generating: Generating,
    caps: Vec<Cap>,
}

/// One request in flight and, once it is back, what came of it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Slot {
    id: String,
    limit: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<SlotOutcome>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SlotOutcome {
    Reply(TextReply),
    Failure(Failure),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recording {
    context: Context,
    target: Target,
    summary: CallSummary,
    candidates: Vec<Candidate>,
    usage: Usage,
    /// Times the balance was found changed under compare-and-set.
    #[serde(default)]
    conflicts: u32,
    /// Routes that failed before the one that answered (fallback), for the log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    failed_attempts: Vec<AttemptNote>,
}

/// A call the connector approvals stopped before any provider request: who goes on the AI
/// plugin's pending list, and the attempt for the conversation log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Blocking {
    context: Context,
    target: Target,
    summary: CallSummary,
    pending: Vec<Party>,
    /// The failure the caller gets, for the log.
    message: String,
    #[serde(default)]
    conflicts: u32,
}

/// What a transaction records: a finished answer, or a blocked attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Record {
    Answer(Recording),
    Block(Blocking),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Writing {
    record: Record,
    /// What each write handed out is for, in order.
    purposes: Vec<Purpose>,
}

pub fn start(site: &Site, mut context: Context, call: Call) -> Result<Step, Failure> {
    let mut target = route::resolve(site, &call)?;
    route::note_unavailable_preferences(&mut target, &context.preferences);
    // The ledger and the log name the innermost caller, as the approvals do.
    context.caller = approvals::callers(&context).into_iter().next();
    if let Some(blocked) = context.approval.as_ref().and_then(|state| approvals::check(&context, state, target.connector)) {
        let blocking = Blocking {
            message: blocked.failure.message.clone(),
            context,
            target,
            summary: call.summary(),
            pending: blocked.pending,
            conflicts: 0,
        };
        return Ok(Step::Fail {
            error: blocked.failure,
            locks: approvals::locks(),
            state: Some(Continuation::Prompt(State::Blocking(Box::new(blocking)))),
        });
    }
    // The administrator's fallback order, without connectors the approvals would stop.
    let fallback = route::fallbacks(site, &call, &target)
        .into_iter()
        .filter(|t| context.approval.as_ref().is_none_or(|state| approvals::check(&context, state, t.connector).is_none()))
        .collect();
    let caps = caps::applicable(&site.caps, context.caller.as_ref());
    let mut generating = Generating {
        context,
        target,
        fallback,
        attempt: 0,
        failed_attempts: Vec::new(),
        call: None,
        summary: call.summary(),
        timeout: providers::timeout(&call),
        slots: Vec::new(),
    };
    if caps.is_empty() {
        return generating.send(call);
    }
    let locks = caps::spend_reads(&caps, &generating.context, site.gmt_offset);
    generating.call = Some(call);
    Ok(Step::Read { locks, state: Continuation::Prompt(State::Capping(Box::new(Capping { generating, caps }))) })
}

pub fn resume(state: State, outcomes: Vec<HttpOutcome>, locked: Vec<Locked>, acks: Vec<Ack>) -> Result<Step, Failure> {
    match state {
        State::Capping(capping) => capping.check(&locked),
        State::Generating(generating) => generating.fold(outcomes),
        State::Recording(recording) => recording.write(&locked),
        State::Blocking(blocking) => blocking.write(&locked),
        State::Writing(writing) => writing.settle(&acks),
    }
}

impl Capping {
    /// Sends the call if every cap still has room; otherwise the caller gets the cap's 429.
    fn check(self, locked: &[Locked]) -> Result<Step, Failure> {
        let Capping { mut generating, caps } = self;
        caps::check(&caps, generating.context.caller.as_ref(), locked)?;
        let call = generating.call.take().ok_or_else(|| Failure::bad_input("the capped call was not kept"))?;
        generating.send(call)
    }
}

impl Generating {
    /// Builds the current route's requests (the next attempt) and asks the host to send them.
    fn send(mut self, call: Call) -> Result<Step, Failure> {
        let mut requests = providers::text_requests(&self.target, &call)?;
        self.attempt += 1;
        number(&mut requests, self.attempt);
        self.slots = requests.iter().map(|r| Slot { id: r.id.clone(), limit: r.max_response_bytes, outcome: None }).collect();
        self.call = (!self.fallback.is_empty()).then_some(call);
        Ok(Step::Http { requests, state: Continuation::Prompt(State::Generating(Box::new(self))) })
    }

    /// Folds each outcome into its request's slot; concludes once every slot is filled.
    fn fold(mut self, outcomes: Vec<HttpOutcome>) -> Result<Step, Failure> {
        if outcomes.is_empty() {
            return Err(Failure::bad_input("the provider requests' outcomes are missing"));
        }
        for outcome in outcomes {
            let Some(slot) = self.slots.iter_mut().find(|s| s.id == outcome.id) else {
                return Err(Failure::bad_input(format_args!("an outcome for a request that was not sent (\"{}\")", outcome.id)));
            };
            if slot.outcome.is_some() {
                return Err(Failure::bad_input(format_args!("two outcomes for request \"{}\"", outcome.id)));
            }
            slot.outcome = Some(match providers::parse_text(&self.target, self.timeout, &outcome, slot.limit) {
                Ok(reply) => SlotOutcome::Reply(reply),
                Err(failure) => SlotOutcome::Failure(failure),
            });
        }
        if self.slots.iter().any(|s| s.outcome.is_none()) {
            return Ok(Step::Http { requests: Vec::new(), state: Continuation::Prompt(State::Generating(Box::new(self))) });
        }
        self.conclude()
    }

    fn conclude(mut self) -> Result<Step, Failure> {
        let mut candidates = Vec::new();
        // The replies' usage summed; unknown (None) as soon as one reply reported none.
        let mut usage: Option<Option<Usage>> = None;
        let mut first_failure = None;
        for slot in std::mem::take(&mut self.slots) {
            match slot.outcome {
                Some(SlotOutcome::Reply(reply)) => {
                    candidates.extend(reply.candidates);
                    usage = Some(match (usage, reply.usage) {
                        (None, reply) => reply,
                        (Some(sum), reply) => sum.zip(reply).map(|(a, b)| a.add(b)),
                    });
                }
                Some(SlotOutcome::Failure(failure)) => {
                    first_failure.get_or_insert(failure);
                }
                None => {}
            }
        }
        if candidates.is_empty() {
            let failure = first_failure.unwrap_or_else(|| Failure::bad_input("no provider request was answered"));
            if failure.is_transient() && !self.fallback.is_empty() {
                if let Some(call) = self.call.take() {
                    self.failed_attempts.push(AttemptNote {
                        connector: self.target.connector.id.into(),
                        model: self.target.model.id.clone(),
                        reason: serde_json::to_value(failure.reason).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
                        message: failure.message.clone(),
                    });
                    self.target = self.fallback.remove(0);
                    return self.send(call);
                }
            }
            return Err(failure);
        }
        // AI Puffer estimates the whole call when any answer lacks usage.
        let usage = usage.flatten().unwrap_or_else(|| {
            if self.target.format.makes_images() {
                Usage::images(candidates.len() as u64, self.target.units_per_image())
            } else {
                Usage::estimate(&self.summary, candidates.len() as u64)
            }
        });
        let recording = Recording {
            context: self.context,
            target: self.target,
            summary: self.summary,
            candidates,
            usage,
            conflicts: 0,
            failed_attempts: self.failed_attempts,
        };
        let result = result::text_result(&recording.context, &recording.target, &recording.candidates, &recording.usage);
        Ok(Step::Record {
            result: Box::new(result),
            locks: accounting::locks(&recording.context, &recording.target),
            state: Continuation::Prompt(State::Recording(Box::new(recording))),
        })
    }
}

impl Recording {
    fn text_call(&self) -> TextCall<'_> {
        TextCall {
            context: &self.context,
            target: &self.target,
            summary: &self.summary,
            candidates: &self.candidates,
            usage: &self.usage,
            failed_attempts: &self.failed_attempts,
        }
    }

    /// The rows, decided on the values the host read under lock.
    fn write(self, locked: &[Locked]) -> Result<Step, Failure> {
        let (writes, purposes) = accounting::text_writes(&self.text_call(), locked)?;
        Ok(Step::Write {
            writes,
            state: Continuation::Prompt(State::Writing(Box::new(Writing { record: Record::Answer(self), purposes }))),
        })
    }
}

impl Blocking {
    /// The pending list with this attempt's parties, decided on the list read under lock, and
    /// the attempt in the conversation log.
    fn write(self, locked: &[Locked]) -> Result<Step, Failure> {
        let writes = vec![
            approvals::pending_write(locked, &self.pending, self.target.connector.id, self.context.now),
            accounting::blocked_log(&self.context, &self.target, &self.summary, &self.message),
        ];
        let purposes = vec![Purpose::PendingApprovals, Purpose::ConversationLog];
        Ok(Step::Write { writes, state: Continuation::Prompt(State::Writing(Box::new(Writing { record: Record::Block(self), purposes }))) })
    }
}

impl Record {
    fn context(&self) -> &Context {
        match self {
            Record::Answer(recording) => &recording.context,
            Record::Block(blocking) => &blocking.context,
        }
    }

    fn conflicts(&mut self) -> &mut u32 {
        match self {
            Record::Answer(recording) => &mut recording.conflicts,
            Record::Block(blocking) => &mut blocking.conflicts,
        }
    }

    /// Roll back and read the locks again: the state to resume with them.
    fn retry(self) -> Step {
        match self {
            Record::Answer(recording) => Step::Retry {
                locks: accounting::locks(&recording.context, &recording.target),
                state: Continuation::Prompt(State::Recording(Box::new(recording))),
            },
            Record::Block(blocking) => {
                Step::Retry { locks: approvals::locks(), state: Continuation::Prompt(State::Blocking(Box::new(blocking))) }
            }
        }
    }
}

impl Writing {
    /// What the acks of writes that were not all applied mean.
    fn settle(self, acks: &[Ack]) -> Result<Step, Failure> {
        if acks.is_empty() || acks.len() > self.purposes.len() {
            return Err(Failure::bad_input(format_args!("{} acks for {} writes", acks.len(), self.purposes.len())));
        }
        let Some(at) = acks.iter().position(|a| *a != Ack::Applied) else {
            return if acks.len() == self.purposes.len() {
                Ok(Step::Done { result: None })
            } else {
                Err(Failure::bad_input("the writes stopped without an ack saying why"))
            };
        };
        let mut record = self.record;
        let request = record.context().request_id.clone();
        match (self.purposes[at], acks[at]) {
            // An earlier attempt recorded this request already (its ledger entry is keyed by the
            // request id): nothing more to write, nothing charged twice.
            (Purpose::LedgerEntry, Ack::Duplicate) => Ok(Step::Done { result: None }),
            // The conversation is logged already; what was just written stands.
            (Purpose::ConversationLog, Ack::Duplicate) => Ok(Step::Done { result: None }),
            // Another request changed a value this one decided on: decide again on the new one.
            (Purpose::BalanceDebit | Purpose::PendingApprovals, Ack::Conflict) if *record.conflicts() + 1 < MAX_CONFLICTS => {
                *record.conflicts() += 1;
                Ok(record.retry())
            }
            (Purpose::BalanceDebit | Purpose::PendingApprovals, Ack::Conflict) => {
                Err(Failure::server(500, Reason::RecordingConflict, params([("request", request)])))
            }
            (purpose, ack) => Err(Failure::server(
                500,
                Reason::RecordingRefused,
                params([("request", request), ("ack", name(&ack)), ("write", name(&purpose))]),
            )),
        }
    }
}

fn name<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(test)]
#[path = "../tests/prompt.rs"]
mod tests;
