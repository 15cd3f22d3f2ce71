//! The WordPress AI plugin's Connector Approvals, checked before any provider call — two layers,
//! as AI Puffer checks them: the gateway first (this plugin sends every provider request), then
//! the caller (the plugin, mu-plugin or theme that called the AI Client). AI Puffer names the
//! innermost identifiable frame; the AI plugin's guard, which checks the same request again at the
//! HTTP layer, names the outermost. Both are asked for (innermost first), so approving whom this
//! check names always satisfies the guard too — never a second block naming someone else.
//! Pending entries go into the AI plugin's own option, in its own shape, so its screen
//! (Tools > Connector Approvals) shows them; nothing is ever approved here.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::connectors::Connector;
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Lock, Locked, Write};
pub use crate::site::Party;
use crate::site::{ApprovalState, Context, Frame, FrameKind};

/// The AI plugin's list of callers waiting for approval (non-autoloaded).
pub const PENDING_OPTION: &str = "wpai_connector_approval_pending";

/// The AI plugin keeps at most this many pending entries, dropping the oldest.
const MAX_PENDING: usize = 50;

/// The id of the pending list's lock.
const PENDING_LOCK: &str = "pending";

/// Files of the AI plugin that are its own plumbing (the guard skips them too).
const AI_PLUGIN_PLUMBING: &[&str] = &["includes/Connector_Approval/", "includes/Logging/", "includes/Settings/", "includes/helpers.php"];

/// A request the approvals stop, and who goes on the pending list.
#[derive(Debug, Clone, PartialEq)]
pub struct Blocked {
    pub failure: Failure,
    pub pending: Vec<Party>,
}

/// Whether `connector` may be used now; `None` when nothing blocks it.
pub fn check(context: &Context, state: &ApprovalState, connector: &Connector) -> Option<Blocked> {
    let callers: Vec<Party> = callers(context).into_iter().filter(|c| !approved(state, c, connector)).collect();
    if let Some(gateway) = gateway(context).filter(|g| checks_gateway(state) && !approved(state, g, connector)) {
        let failure = Failure::client(
            403,
            Reason::ApprovalGatewayNeeded,
            params([("connector", connector.name.into()), ("connector_id", connector.id.into()), ("name", gateway.name.clone())]),
        );
        let pending = std::iter::once(gateway).chain(callers).collect();
        return Some(Blocked { failure, pending });
    }
    callers.first().map(|caller| Blocked {
        failure: Failure::client(
            403,
            Reason::ApprovalCallerNeeded,
            params([
                ("connector", connector.name.into()),
                ("connector_id", connector.id.into()),
                ("kind", caller.kind.clone()),
                ("name", caller.name.clone()),
            ]),
        ),
        pending: callers.clone(),
    })
}

/// One party the approvals would ask about, as the admin preview shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Need {
    pub party: Party,
    /// `gateway` (this plugin, which sends every provider request) or `caller`.
    pub role: &'static str,
    /// `approved`, `needs_approval`, or `not_needed` (no guard is active, or it skips the gateway).
    pub status: &'static str,
}

/// Everyone `check` would ask about for `connector`, in its order, and what it would find;
/// `state` is `None` when no guard is active (then nobody needs approving).
pub fn needs(context: &Context, state: Option<&ApprovalState>, connector: &Connector) -> Vec<Need> {
    let status = |party: &Party, asked: bool| match state {
        Some(state) if asked && approved(state, party, connector) => "approved",
        Some(_) if asked => "needs_approval",
        _ => "not_needed",
    };
    let gateway = gateway(context).map(|party| Need { status: status(&party, state.is_some_and(checks_gateway)), party, role: "gateway" });
    let callers = callers(context).into_iter().map(|party| Need { status: status(&party, true), party, role: "caller" });
    gateway.into_iter().chain(callers).collect()
}

fn approved(state: &ApprovalState, party: &Party, connector: &Connector) -> bool {
    state.approvals.get(&party.basename).and_then(|c| c.get(connector.id)).is_some_and(is_true)
}

/// A newer guard skips the provider's own plugin — us — so it never asks for our approval.
fn checks_gateway(state: &ApprovalState) -> bool {
    !state.guard_skips_provider_plugin
}

/// This plugin, as the approvals name it (none: the host did not say who it is).
fn gateway(context: &Context) -> Option<Party> {
    Some(Party { kind: "plugin".into(), basename: context.gateway.clone(), name: gateway_name(context) }).filter(|g| !g.basename.is_empty())
}

/// Who called, besides the gateway: the innermost and the outermost frame that belong to a
/// plugin, mu-plugin or theme other than the gateway and the AI plugin's own plumbing — once
/// each, innermost first; empty (nobody to ask) when there is none.
pub fn callers(context: &Context) -> Vec<Party> {
    let mut identified = context.frames.iter().filter(|frame| is_caller(context, frame));
    let innermost = identified.next();
    let outermost = identified.last().filter(|outer| innermost.is_some_and(|inner| inner.basename != outer.basename));
    innermost.into_iter().chain(outermost).map(party).collect()
}

fn party(frame: &Frame) -> Party {
    Party {
        kind: match frame.kind {
            FrameKind::MuPlugin => "mu-plugin",
            FrameKind::Theme => "theme",
            _ => "plugin",
        }
        .into(),
        basename: frame.basename.clone(),
        name: if frame.name.is_empty() { frame.basename.clone() } else { frame.name.clone() },
    }
}

fn is_caller(context: &Context, frame: &Frame) -> bool {
    match frame.kind {
        FrameKind::Core | FrameKind::Other => false,
        _ if frame.basename.is_empty() || frame.basename == context.gateway => false,
        FrameKind::Plugin if frame.basename.starts_with("ai/") => !AI_PLUGIN_PLUMBING.iter().any(|p| frame.path.starts_with(p)),
        _ => true,
    }
}

fn gateway_name(context: &Context) -> String {
    if context.gateway_name.is_empty() {
        context.gateway.clone()
    } else {
        context.gateway_name.clone()
    }
}

fn is_true(value: &Value) -> bool {
    matches!(value, Value::Bool(true)) || value.as_u64() == Some(1) || value.as_str() == Some("1")
}

/// What recording a block must read under lock.
pub fn locks() -> Vec<Lock> {
    vec![Lock::Option { id: PENDING_LOCK, name: PENDING_OPTION.into() }]
}

/// The pending list with these parties added for `connector_id` (a repeat counts an attempt and
/// moves `last_seen`), capped at the AI plugin's 50 entries, oldest first out.
pub fn pending_write(locked: &[Locked], parties: &[Party], connector_id: &str, now: i64) -> Write {
    let current = locked.iter().find(|l| l.id == PENDING_LOCK);
    let expect = current.filter(|l| l.found).map(|l| l.value.clone());
    let mut entries: Map<String, Value> = match current.map(|l| &l.value) {
        Some(Value::Object(entries)) => entries.clone(),
        _ => Map::new(),
    };
    for party in parties {
        let key = format!("{}::{connector_id}", party.basename);
        let entry = entries.entry(key).or_insert_with(|| {
            json!({
                "caller_type": party.kind, "caller_basename": party.basename, "caller_name": party.name,
                "connector_id": connector_id, "attempts": 0, "first_seen": now, "last_seen": now,
            })
        });
        if let Value::Object(fields) = entry {
            let attempts = fields.get("attempts").and_then(Value::as_u64).unwrap_or(0);
            fields.insert("attempts".into(), json!(attempts + 1));
            fields.insert("last_seen".into(), json!(now));
        }
    }
    while entries.len() > MAX_PENDING {
        let oldest =
            entries.iter().min_by_key(|(_, e)| e.get("first_seen").and_then(Value::as_i64).unwrap_or(i64::MIN)).map(|(k, _)| k.clone());
        match oldest {
            Some(key) => entries.remove(&key),
            None => break,
        };
    }
    Write::Option { name: PENDING_OPTION.into(), value: Value::Object(entries), expect, autoload: false }
}

#[cfg(test)]
#[path = "tests/approvals.rs"]
mod tests;
