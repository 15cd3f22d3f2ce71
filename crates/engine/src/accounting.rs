//! The rows a finished call leaves behind, exactly as AI Puffer writes them for its own
//! WP AI Client gateway: a ledger entry (`aipkit_token_ledger`), the user's balance debit
//! (`_aipkit_token_balance`) and a "WP AI Client" conversation log (`aipkit_chat_logs`).
//!
//! One difference on purpose: AI Puffer leaves `idempotency_key` empty for these rows; the
//! gateway keys each row by its request id so a retried write never charges twice.

use serde::{Deserialize, Serialize};

use crate::call::{CallSummary, FileNote, Role};
use crate::failure::Failure;
use crate::pricing::{self, Charge};
use crate::pricing_rules::{PricedAs, PricingRule};
use crate::protocol::{Lock, Locked, Write};
use crate::reply::Candidate;
use crate::route::Target;
use crate::rows::{
    AiParams, AttemptNote, BotTurn, ChatLogRow, Conversation, LedgerMeta, LedgerRow, Payload, RequestPayload, ResponseData, Row,
    TranscriptEntry, UsageData, UsdPrice, UserTurn,
};
use crate::site::Context;
use crate::time::mysql_datetime;
use crate::usage::Usage;
use crate::usd;

pub const LEDGER_TABLE: &str = "aipkit_token_ledger";
pub const CHAT_LOG_TABLE: &str = "aipkit_chat_logs";
pub const BALANCE_META_KEY: &str = "_aipkit_token_balance";
pub const MODULE: &str = "wp_ai_client";

/// AI Puffer prices WP AI Client text calls (image input included) with its chat pricing rules,
/// and image generation with its image generator's.
const TEXT_PRICING: (&str, &str) = ("chat", "chat");
const IMAGE_PRICING: (&str, &str) = ("image_generator", "generate");

/// AI Puffer's operation for what the call made.
fn operation(target: &Target) -> &'static str {
    if target.format.makes_images() {
        "image_generation"
    } else {
        "text_generation"
    }
}

/// The rule columns the call is priced by: module, AI Puffer's provider key, model, operation.
pub fn priced_as(target: &Target) -> PricedAs {
    let (module, operation) = if target.format.makes_images() { IMAGE_PRICING } else { TEXT_PRICING };
    PricedAs { module, provider: target.connector.internal.to_ascii_lowercase(), model: target.model.id.clone(), operation }
}

/// The ids of the values read in the recording transaction, in `locks` and `locked`.
const BALANCE_LOCK: &str = "balance";
const RULES_READ: &str = "pricing_rules";

/// A finished text call, as recording needs it.
pub struct TextCall<'a> {
    pub context: &'a Context,
    pub target: &'a Target,
    pub summary: &'a CallSummary,
    pub candidates: &'a [Candidate],
    pub usage: &'a Usage,
    /// Connectors that failed before this one answered (fallback), for the log.
    pub failed_attempts: &'a [AttemptNote],
}

/// What each write of a record is for, so its ack can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    LedgerEntry,
    BalanceDebit,
    ConversationLog,
    /// The WordPress AI plugin's pending approvals list.
    PendingApprovals,
}

/// A debit from a logged-in user's credit balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Debit {
    before: u64,
    deducted: u64,
    after: u64,
}

/// AI Puffer reads the balance as an integer (decimals truncated, anything else 0, never below
/// 0) and takes what it can: a debit larger than the balance empties it.
fn debit(raw_balance: Option<&str>, credits: u64) -> Debit {
    let before = stored_balance(raw_balance);
    let deducted = before.min(credits);
    Debit { before, deducted, after: before - deducted }
}

/// A stored `_aipkit_token_balance` as AI Puffer reads it: decimals truncated, anything that is
/// not a number 0, never below 0.
pub fn stored_balance(raw: Option<&str>) -> u64 {
    raw.map(str::trim)
        .and_then(|raw| {
            let whole = raw.split('.').next().unwrap_or("");
            if whole.starts_with('-') {
                Some(0)
            } else {
                whole.parse::<u64>().ok()
            }
        })
        .unwrap_or(0)
}

/// The balance read under lock: whether the user exists, and the meta value as stored.
pub fn locked_balance(locked: &[Locked]) -> Result<(bool, Option<String>), Failure> {
    let balance = locked
        .iter()
        .find(|l| l.id == BALANCE_LOCK)
        .ok_or_else(|| Failure::bad_input("the balance was not read under lock before recording"))?;
    let raw = balance.value.as_str().map(str::to_string).or_else(|| balance.value.as_number().map(|n| n.to_string()));
    Ok((balance.found, raw))
}

/// Locks a user's row and reads the balance (see `locks`).
pub fn balance_lock(user_id: u64) -> Lock {
    Lock::UserMeta { id: BALANCE_LOCK, user_id, key: BALANCE_META_KEY }
}

/// What recording must read in its transaction first: a logged-in caller's balance under lock
/// (the user's row is locked, so concurrent requests of that user are recorded one after the
/// other), then the pricing rules that could price the call.
pub fn locks(context: &Context, target: &Target) -> Vec<Lock> {
    let mut locks = Vec::with_capacity(2);
    if context.actor.user_id > 0 {
        locks.push(balance_lock(context.actor.user_id));
    }
    let priced = priced_as(target);
    let price = usd::price_read(&priced, target.served_model());
    let PricedAs { module, provider, model, operation } = priced;
    locks.push(Lock::PricingRules { id: RULES_READ, module, provider, model, operation });
    locks.push(price);
    locks
}

/// The charge by the rule read in the transaction (none read is a host bug, not "no rule").
fn charge(call: &TextCall, locked: &[Locked]) -> Result<Charge, Failure> {
    let read =
        locked.iter().find(|l| l.id == RULES_READ).ok_or_else(|| Failure::bad_input("the pricing rules were not read before recording"))?;
    let rules: Vec<PricingRule> = if read.found { crate::lenient::typed(&read.value).unwrap_or_default() } else { Vec::new() };
    Ok(pricing::charge(pricing::resolve(&rules, &priced_as(call.target)), call.usage, image_count(call)))
}

/// The images the call made: the units a per-image rule bills.
fn image_count(call: &TextCall) -> u64 {
    call.candidates.iter().map(|c| c.images().count() as u64).sum()
}

/// The writes for a finished text call, decided on the values read under lock: the ledger entry
/// first (keyed by the request id: a repeated record is acked `duplicate` and charges nothing),
/// then the debit, then the conversation log.
pub fn text_writes(call: &TextCall, locked: &[Locked]) -> Result<(Vec<Write>, Vec<Purpose>), Failure> {
    let charge = charge(call, locked)?;
    let user_id = call.context.actor.user_id;
    let debit = if user_id > 0 {
        // A user deleted meanwhile has no balance to debit; the usage is still recorded.
        let (found, raw) = locked_balance(locked)?;
        found.then(|| {
            let debit = debit(raw.as_deref(), charge.credits);
            (raw, debit)
        })
    } else {
        None
    };
    let mut writes = vec![Write::Insert {
        table: LEDGER_TABLE,
        row: Row::Ledger(Box::new(ledger_row(call, &charge, debit.as_ref().map(|(_, d)| *d), usd::found_price(locked)))),
        html: Vec::new(),
    }];
    let mut purposes = vec![Purpose::LedgerEntry];
    if let Some((raw, debit)) = debit {
        // AI Puffer always writes the balance back; a write that changes nothing is left out.
        let value = debit.after.to_string();
        if raw.as_deref() != Some(value.as_str()) {
            writes.push(Write::UserMeta { user_id, key: BALANCE_META_KEY, value, expect: raw });
            purposes.push(Purpose::BalanceDebit);
        }
    }
    writes.push(Write::Insert {
        table: CHAT_LOG_TABLE,
        row: Row::ChatLog(Box::new(chat_log_row(call))),
        html: vec!["/messages/messages/0/content".into(), "/messages/messages/1/content".into()],
    });
    purposes.push(Purpose::ConversationLog);
    Ok((writes, purposes))
}

/// `(user_id, session_id)`: AI Puffer stores one or the other.
fn actor_columns(context: &Context) -> (Option<u64>, Option<String>) {
    let actor = &context.actor;
    if actor.user_id > 0 {
        (Some(actor.user_id), None)
    } else {
        (None, Some(actor.session_id.clone()))
    }
}

fn ledger_row(call: &TextCall, charge: &Charge, debit: Option<Debit>, price: Option<crate::price_list::ModelPrice>) -> LedgerRow {
    // A price list prices what the provider reported, never AI Puffer's estimate of it.
    let price = price.filter(|_| !call.usage.estimated);
    let TextCall { context, target, usage, .. } = *call;
    let deducted = debit.map_or(0, |d| d.deducted);
    let (user_id, session_id) = actor_columns(context);
    LedgerRow {
        user_id,
        session_id,
        actor_type: if user_id.is_some() { "user" } else { "guest" },
        module: MODULE,
        context_type: "module",
        context_id: None,
        provider: target.connector.internal.to_ascii_lowercase(),
        model: target.model.id.clone(),
        operation: operation(target),
        usage_input_units: usage.input,
        usage_output_units: usage.output,
        usage_total_units: usage.total,
        credits_delta: -i64::try_from(deducted).unwrap_or(i64::MAX),
        entry_type: "usage",
        reference_type: None,
        reference_id: None,
        idempotency_key: format!("wp-ai-client-{}", context.request_id),
        meta: LedgerMeta {
            legacy_total_units: usage.total,
            billed_credits: charge.credits,
            pricing_module: priced_as(target).module,
            billing_method: charge.billing_method,
            raw_charge: charge.raw_charge.clone(),
            used_legacy_fallback: charge.rule_id.is_none(),
            resolved_rule_id: charge.rule_id,
            balance_before: debit.map_or(0, |d| d.before),
            balance_after: debit.map_or(0, |d| d.after),
            balance_units: deducted,
            quota_units: charge.credits - deducted,
            quota_recorded: false,
            tool_units: 0,
            tool_usage: [],
            raw_usage_data: usage_data(usage),
            unit_count: image_count(call),
            usage_estimated: usage.estimated,
            request_id: context.request_id.clone(),
            caller: context.caller.clone(),
            usd_cost: usage.reported_cost.map(i128::from).or_else(|| price.as_ref().and_then(|p| usd::cost(p, usage))).map(usd::dollars),
            usd_price: match usage.reported_cost {
                Some(_) => Some(UsdPrice { key: "usage.cost".into(), source: format!("reported by {}", target.connector.label) }),
                None => price.map(|p| UsdPrice { key: p.key, source: p.source }),
            },
        },
        created_at: mysql_datetime(context.now, 0),
    }
}

fn usage_data(usage: &Usage) -> UsageData {
    UsageData { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.total }
}

/// A call the connector approvals stopped, as a conversation whose bot turn says why: the site
/// owner sees the attempt where AI Puffer shows WP AI Client conversations. Nothing is charged.
pub fn blocked_log(context: &Context, target: &Target, summary: &CallSummary, message: &str) -> Write {
    let candidates = [Candidate::text(message.to_string(), crate::reply::FinishReason::Stop)];
    let usage = Usage::default();
    let call = TextCall { context, target, summary, candidates: &candidates, usage: &usage, failed_attempts: &[] };
    let mut row = chat_log_row(&call);
    row.messages.messages.1.response_data.kind = "blocked";
    Write::Insert {
        table: CHAT_LOG_TABLE,
        row: Row::ChatLog(Box::new(row)),
        html: vec!["/messages/messages/0/content".into(), "/messages/messages/1/content".into()],
    }
}

/// One new conversation per call, holding the user turn and the bot's answer.
fn chat_log_row(call: &TextCall) -> ChatLogRow {
    let TextCall { context, target, summary, candidates, usage, failed_attempts } = *call;
    let now = context.now;
    let id = &context.request_id;
    let answer: Vec<String> = candidates.iter().map(logged_answer).collect();
    let transcript = summary
        .turns
        .iter()
        .map(|t| TranscriptEntry { role: if t.role == Role::User { "user" } else { "assistant" }, content: t.logged() })
        .collect();
    let (user_id, session_id) = actor_columns(context);
    let roles = context.actor.roles.join(",");
    let at = mysql_datetime(now, 0);
    ChatLogRow {
        bot_id: None,
        user_id,
        session_id,
        conversation_uuid: id.clone(),
        is_guest: u8::from(user_id.is_none()),
        module: MODULE,
        messages: Conversation {
            parent_id: parent_id(context),
            messages: (
                UserTurn {
                    message_id: format!("aipkit-wp-ai-client-user-{id}"),
                    role: "user",
                    content: user_turn(summary),
                    timestamp: now,
                },
                BotTurn {
                    message_id: format!("aipkit-wp-ai-client-bot-{id}"),
                    role: "bot",
                    content: answer.join("\n\n"),
                    timestamp: now,
                    provider: target.connector.internal,
                    model: target.model.id.clone(),
                    usage: usage_data(usage),
                    request_payload: RequestPayload {
                        operation: operation(target),
                        messages: transcript,
                        payload: Payload {
                            provider: target.connector.internal,
                            model: target.model.id.clone(),
                            system_instruction: summary.system_instruction.clone(),
                            ai_params: AiParams {
                                max_completion_tokens: summary.max_tokens,
                                temperature: summary.temperature,
                                top_p: summary.top_p,
                                candidate_count: summary.candidate_count,
                            },
                        },
                        route: target.via.clone(),
                        failed_attempts: failed_attempts.to_vec(),
                        caller: context.caller.clone(),
                    },
                    response_data: ResponseData { kind: operation(target), source: MODULE },
                },
            ),
        },
        message_count: 2,
        first_message_ts: now,
        last_message_ts: now,
        ip_address: None,
        user_wp_role: if roles.is_empty() { None } else { Some(roles) },
        created_at: at.clone(),
        updated_at: at,
    }
}

/// A candidate as the log shows it: its text, or the functions it asked to call.
fn logged_answer(candidate: &Candidate) -> String {
    let text = candidate.answer();
    if !text.is_empty() {
        return text;
    }
    // An image is logged by what it is, never by its megabytes of data.
    let images: Vec<String> = candidate.images().map(|(mime, length)| FileNote::inline(mime, length).label()).collect();
    if !images.is_empty() {
        return images.join(" ");
    }
    let calls: Vec<String> =
        candidate.function_calls().map(|c| format!("{}({})", c.name.as_deref().unwrap_or("?"), c.args_object())).collect();
    if calls.is_empty() {
        text
    } else {
        format!("[function call: {}]", calls.join(", "))
    }
}

/// What AI Puffer logs as the user turn: the first non-empty user turn, else any non-empty turn
/// (text, then a label for each file it carried).
fn user_turn(summary: &CallSummary) -> String {
    let logged = || summary.turns.iter().map(|t| (t.role, t.logged().trim().to_string()));
    logged()
        .find(|(role, t)| *role == Role::User && !t.is_empty())
        .or_else(|| logged().find(|(_, t)| !t.is_empty()))
        .map_or_else(|| "[WP AI Client request]".to_string(), |(_, t)| t)
}

/// AI Puffer's `parent_id` shape (`aipkit-parent-` + 13 hex + 8 digits, from `uniqid`), derived
/// from the request id and time instead of randomness.
fn parent_id(context: &Context) -> String {
    let hex: String = context.request_id.chars().filter(char::is_ascii_hexdigit).take(13).collect();
    format!("aipkit-parent-{hex:0<13}{:08}", context.now.rem_euclid(100_000_000))
}

#[cfg(test)]
#[path = "tests/accounting.rs"]
mod tests;
