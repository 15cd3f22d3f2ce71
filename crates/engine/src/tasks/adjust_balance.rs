//! The `adjust_balance` task: an administrator adds credits to a user's balance or takes some.
//!
//! ```text
//! start ──store: result + the balance lock──▶ adjusting ──locked──▶ write: ledger row + balance
//! adjusting ──acks──▶ done (already adjusted) | retry (balance changed meanwhile) | fail
//! ```

use serde::{Deserialize, Serialize};

use crate::adjustments::{self, Adjustment};
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Ack, Locked};
use crate::site::Context;
use crate::tasks::{Continuation, Step, TaskResult};

/// A balance that changes under compare-and-set this often is not settling: give up.
const MAX_CONFLICTS: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    context: Context,
    adjustment: Adjustment,
    #[serde(default)]
    conflicts: u32,
}

pub fn start(context: Context, adjustment: Adjustment) -> Result<Step, Failure> {
    if adjustment.user_id == 0 || adjustment.credits == 0 {
        return Err(Failure::bad_input("an adjustment names a user and a number of credits other than 0"));
    }
    Ok(Step::Store {
        result: TaskResult::Adjustment(Box::new(adjustment.clone())),
        locks: adjustments::locks(&adjustment),
        state: Continuation::AdjustBalance(Box::new(State { context, adjustment, conflicts: 0 })),
    })
}

pub fn resume(state: State, locked: Vec<Locked>, acks: Vec<Ack>) -> Result<Step, Failure> {
    if acks.is_empty() {
        let writes = adjustments::writes(&state.adjustment, &state.context, &locked)?;
        return Ok(Step::Write { writes, state: Continuation::AdjustBalance(Box::new(state)) });
    }
    match acks.as_slice() {
        // The form was sent before and its row exists: adjusted once already.
        [Ack::Duplicate, ..] => Ok(Step::Done { result: None }),
        [Ack::Applied] | [Ack::Applied, Ack::Applied] => Ok(Step::Done { result: None }),
        [Ack::Applied, Ack::Conflict] if state.conflicts + 1 < MAX_CONFLICTS => {
            let state = State { conflicts: state.conflicts + 1, ..state };
            Ok(Step::Retry { locks: adjustments::locks(&state.adjustment), state: Continuation::AdjustBalance(Box::new(state)) })
        }
        [Ack::Applied, Ack::Conflict] => {
            Err(Failure::server(500, Reason::RecordingConflict, params([("request", state.context.request_id)])))
        }
        _ => Err(Failure::bad_input(format_args!("{} acks that do not fit an adjustment's writes", acks.len()))),
    }
}

#[cfg(test)]
#[path = "../tests/adjust_balance.rs"]
mod tests;
