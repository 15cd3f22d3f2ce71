//! An administrator's change to a user's credit balance. Decided like a charge: on the balance
//! read under the user's lock, written with its own ledger row (entry type `adjustment`) in the
//! same transaction, and keyed by the request id so a form sent twice adjusts once. A balance never
//! goes below zero: a larger deduction empties it, and the ledger row says what was taken.

use serde::{Deserialize, Serialize};

use crate::accounting::{self, BALANCE_META_KEY, LEDGER_TABLE};
use crate::failure::{params, Failure};
use crate::messages::Reason;
use crate::protocol::{Lock, Locked, Write};
use crate::rows::{AdjustmentMeta, AdjustmentRow, Row};
use crate::site::Context;
use crate::time::mysql_datetime;

/// What the administrator asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub user_id: u64,
    /// Credits to add (negative: to take away).
    pub credits: i64,
    /// Why, in the administrator's words (kept in the ledger row).
    #[serde(default, deserialize_with = "crate::lenient::string")]
    pub note: String,
}

pub fn locks(adjustment: &Adjustment) -> Vec<Lock> {
    vec![accounting::balance_lock(adjustment.user_id)]
}

/// The ledger row and the new balance, decided on the balance read under lock.
pub fn writes(adjustment: &Adjustment, context: &Context, locked: &[Locked]) -> Result<Vec<Write>, Failure> {
    let (found, raw) = accounting::locked_balance(locked)?;
    if !found {
        return Err(Failure::client(404, Reason::UserNotFound, params([("user", adjustment.user_id.to_string())])));
    }
    let before = accounting::stored_balance(raw.as_deref());
    let after = u64::try_from((i128::from(before) + i128::from(adjustment.credits)).max(0)).unwrap_or(u64::MAX);
    let delta = i64::try_from(i128::from(after) - i128::from(before)).unwrap_or(0);
    let row = AdjustmentRow {
        user_id: adjustment.user_id,
        actor_type: "user",
        module: "admin",
        context_type: "module",
        operation: "adjustment",
        credits_delta: delta,
        entry_type: "adjustment",
        reference_type: "admin",
        reference_id: context.actor.user_id.to_string(),
        idempotency_key: format!("wp-ai-client-adjust-{}", context.request_id),
        meta: AdjustmentMeta {
            requested_credits: adjustment.credits,
            balance_before: before,
            balance_after: after,
            note: adjustment.note.chars().take(500).collect(),
            admin_user_id: context.actor.user_id,
            request_id: context.request_id.clone(),
        },
        created_at: mysql_datetime(context.now, 0),
    };
    let mut writes = vec![Write::Insert { table: LEDGER_TABLE, row: Row::Adjustment(Box::new(row)), html: Vec::new() }];
    if raw.as_deref() != Some(after.to_string().as_str()) {
        writes.push(Write::UserMeta { user_id: adjustment.user_id, key: BALANCE_META_KEY, value: after.to_string(), expect: raw });
    }
    Ok(writes)
}

#[cfg(test)]
#[path = "tests/adjustments.rs"]
mod tests;
