//! The `sync_models` task: an admin's *Sync models* (or the scheduled refresh of a stale
//! catalog). The engine asks for the provider's own model list, page by page, classifies the
//! models, then records the catalogs where AI Puffer keeps them — decided on the options read
//! under lock, so two syncs never lose each other's writes. A failed list keeps the old catalog
//! and says why (the provider's own error, as a caller would get it).
//!
//! ```text
//! start ──http──▶ listing ──(next page)──▶ http … ──(last page)──▶ store: result + locks
//! saving ──locked──▶ write ──acks──▶ done | retry (an option changed meanwhile) | fail
//! ```

use serde::{Deserialize, Serialize};

use crate::catalog::{ListedModel, ModelKind};
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::model_sync;
use crate::protocol::{Ack, HttpOutcome, Locked};
use crate::providers;
use crate::route::{self, Target};
use crate::site::{Context, Site};
use crate::tasks::{number, Continuation, Step, TaskResult};

/// A list longer than this many pages is a provider that keeps handing out tokens.
const MAX_PAGES: u32 = 50;

/// A catalog older than this is stale (AI Puffer's threshold: 7 days).
pub const STALE_AFTER: i64 = 7 * 24 * 3600;

/// An option that changes under compare-and-set this often is not settling: give up.
const MAX_CONFLICTS: u32 = 5;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Listing(Box<Listing>),
    Saving(Box<Saving>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Listing {
    target: Target,
    context: Context,
    /// The request in flight and how many pages were asked for.
    request: String,
    pages: u32,
    models: Vec<ListedModel>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Saving {
    target: Target,
    context: Context,
    models: Vec<ListedModel>,
    #[serde(default)]
    conflicts: u32,
}

/// What a sync found.
#[derive(Debug, Serialize)]
pub struct SyncResult {
    pub connector: &'static str,
    pub provider: &'static str,
    pub text_models: usize,
    pub image_models: usize,
    pub pages: u32,
    pub synced_at: i64,
}

/// Starts a sync; with `only_if_stale` (the scheduled refresh) a catalog synced within
/// `STALE_AFTER` is left alone (`done` with no result).
pub fn start(site: &Site, context: Context, connector: &str, only_if_stale: bool) -> Result<Step, Failure> {
    let target = route::model_sync(site, connector)?;
    if only_if_stale {
        let synced_at = site.connector(target.connector.id).and_then(|c| c.synced_at);
        if synced_at.is_some_and(|at| context.now - at < STALE_AFTER) {
            return Ok(Step::Done { result: None });
        }
    }
    let listing = Listing { target, context, request: String::new(), pages: 0, models: Vec::new() };
    Ok(listing.ask(None))
}

pub fn resume(state: State, outcomes: Vec<HttpOutcome>, locked: Vec<Locked>, acks: Vec<Ack>) -> Result<Step, Failure> {
    match state {
        State::Listing(listing) => listing.read(outcomes),
        State::Saving(saving) if acks.is_empty() => Ok(saving.write(&locked)),
        State::Saving(saving) => saving.settle(&acks),
    }
}

impl Listing {
    /// Asks for the next page (`page`: the previous page's token).
    fn ask(mut self, page: Option<&str>) -> Step {
        let mut requests = vec![providers::list_request(&self.target, page)];
        self.pages += 1;
        number(&mut requests, self.pages);
        self.request = requests[0].id.clone();
        Step::Http { requests, state: Continuation::SyncModels(State::Listing(Box::new(self))) }
    }

    fn read(mut self, outcomes: Vec<HttpOutcome>) -> Result<Step, Failure> {
        let outcome =
            outcomes.into_iter().find(|o| o.id == self.request).ok_or_else(|| Failure::bad_input("the model list's outcome is missing"))?;
        let page = providers::parse_list(&self.target, &outcome)?;
        for model in page.models {
            if !self.models.iter().any(|m| m.id == model.id && m.kind == model.kind) {
                self.models.push(model);
            }
        }
        match page.next {
            Some(token) if self.pages < MAX_PAGES => Ok(self.ask(Some(&token))),
            Some(_) => Err(Failure::server(
                502,
                Reason::SyncTooManyPages,
                params([("provider", self.target.connector.label.into()), ("pages", MAX_PAGES.to_string())]),
            )),
            None => {
                let count = |kind| self.models.iter().filter(|m| m.kind == kind).count();
                let result = SyncResult {
                    connector: self.target.connector.id,
                    provider: self.target.connector.internal,
                    text_models: count(ModelKind::Text),
                    image_models: if self.target.connector.image_catalog().is_some() { count(ModelKind::Image) } else { 0 },
                    pages: self.pages,
                    synced_at: self.context.now,
                };
                let saving = Saving { target: self.target, context: self.context, models: self.models, conflicts: 0 };
                Ok(Step::Store {
                    result: TaskResult::SyncModels(Box::new(result)),
                    locks: model_sync::locks(saving.target.connector),
                    state: Continuation::SyncModels(State::Saving(Box::new(saving))),
                })
            }
        }
    }
}

impl Saving {
    fn write(self, locked: &[Locked]) -> Step {
        let revision = format!("{}-{}", self.context.now, self.context.request_id);
        let writes = model_sync::writes(self.target.connector, &self.models, locked, self.context.now, &revision);
        Step::Write { writes, state: Continuation::SyncModels(State::Saving(Box::new(self))) }
    }

    /// Acks come back only when a write was not applied: another writer changed an option
    /// since it was read. Read them again and decide again.
    fn settle(mut self, acks: &[Ack]) -> Result<Step, Failure> {
        if acks.iter().all(|a| *a == Ack::Applied) {
            return Ok(Step::Done { result: None });
        }
        if acks.iter().any(|a| *a == Ack::Duplicate) || self.conflicts + 1 >= MAX_CONFLICTS {
            return Err(Failure::server(500, Reason::SyncNotSaved, params([("provider", self.target.connector.label.into())])));
        }
        self.conflicts += 1;
        Ok(Step::Retry { locks: model_sync::locks(self.target.connector), state: Continuation::SyncModels(State::Saving(Box::new(self))) })
    }
}

#[cfg(test)]
#[path = "../tests/sync_models.rs"]
mod tests;
