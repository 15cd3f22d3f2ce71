//! The `cap_status` task: how far each spending cap is used right now, for the administrator's
//! notices (80 % and 100 %) and the caps screen. Reads the spends, decides nothing else.
//!
//! ```text
//! start ──read: each cap's spend──▶ reading ──locked──▶ done: the statuses
//! ```

use serde::{Deserialize, Serialize};

use crate::caps;
use crate::failure::Failure;
use crate::protocol::Locked;
use crate::site::{Cap, Context, Site};
use crate::tasks::{Continuation, Step, TaskResult};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    caps: Vec<Cap>,
}

pub fn start(site: &Site, context: &Context) -> Step {
    if site.caps.is_empty() {
        return Step::Done { result: Some(TaskResult::CapStatus(Vec::new())) };
    }
    Step::Read {
        locks: caps::spend_reads(&site.caps, context, site.gmt_offset),
        state: Continuation::CapStatus(Box::new(State { caps: site.caps.clone() })),
    }
}

pub fn resume(state: State, locked: &[Locked]) -> Result<Step, Failure> {
    Ok(Step::Done { result: Some(TaskResult::CapStatus(caps::statuses(&state.caps, locked)?)) })
}

#[cfg(test)]
#[path = "../tests/cap_status.rs"]
mod tests;
