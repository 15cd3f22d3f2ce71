//! The rows a finished call leaves behind, exactly as AI Puffer writes them for its own
//! WP AI Client gateway: a ledger entry (`aipkit_token_ledger`), the user's balance debit
//! (`_aipkit_token_balance`) and a "WP AI Client" conversation log (`aipkit_chat_logs`).
//!
//! One difference on purpose: AI Puffer leaves `idempotency_key` empty for these rows; the
//! gateway keys each row by its request id so a retried write never charges twice.

use crate::call::{Call, Role};
use crate::pricing::{self, Charge};
use crate::protocol::Write;
use crate::rows::{
    AiParams, BotTurn, ChatLogRow, Conversation, LedgerMeta, LedgerRow, Payload, RequestPayload, ResponseData, Row, TranscriptEntry,
    UsageData, UserTurn,
};
use crate::providers::TextReply;
use crate::route::Route;
use crate::snapshot::Snapshot;
use crate::time::mysql_datetime;
use crate::usage::Usage;

pub const LEDGER_TABLE: &str = "aipkit_token_ledger";
pub const CHAT_LOG_TABLE: &str = "aipkit_chat_logs";
pub const BALANCE_META_KEY: &str = "_aipkit_token_balance";
pub const MODULE: &str = "wp_ai_client";

/// AI Puffer prices WP AI Client text calls with its chat pricing rules.
const TEXT_PRICING_MODULE: &str = "chat";

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
    let before = raw_balance
        .map(str::trim)
        .and_then(|raw| {
            let whole = raw.split('.').next().unwrap_or("");
            if whole.starts_with('-') { Some(0) } else { whole.parse::<u64>().ok() }
        })
        .unwrap_or(0);
    let deducted = before.min(credits);
    Debit { before, deducted, after: before - deducted }
}

pub fn text_writes(snapshot: &Snapshot, call: &Call, route: &Route, reply: &TextReply, usage: &Usage) -> Vec<Write> {
    let charge = pricing::charge(usage);
    let user_id = snapshot.actor.user_id;
    let debit = (user_id > 0).then(|| debit(snapshot.actor.balance.as_deref(), charge.credits));
    let mut writes = vec![Write::Insert {
        table: LEDGER_TABLE,
        row: Row::Ledger(Box::new(ledger_row(snapshot, route, usage, &charge, debit))),
        first_time_only: true,
        html: Vec::new(),
    }];
    if let Some(debit) = debit {
        writes.push(Write::UserMeta {
            user_id,
            key: BALANCE_META_KEY,
            value: debit.after.to_string(),
            expect: snapshot.actor.balance.clone(),
        });
    }
    writes.push(Write::Insert {
        table: CHAT_LOG_TABLE,
        row: Row::ChatLog(Box::new(chat_log_row(snapshot, call, route, reply, usage))),
        first_time_only: false,
        html: vec!["/messages/messages/0/content".into(), "/messages/messages/1/content".into()],
    });
    writes
}

/// `(user_id, session_id)`: AI Puffer stores one or the other.
fn actor_columns(snapshot: &Snapshot) -> (Option<u64>, Option<String>) {
    let actor = &snapshot.actor;
    if actor.user_id > 0 {
        (Some(actor.user_id), None)
    } else {
        (None, Some(actor.session_id.clone()))
    }
}

fn ledger_row(snapshot: &Snapshot, route: &Route, usage: &Usage, charge: &Charge, debit: Option<Debit>) -> LedgerRow {
    let deducted = debit.map_or(0, |d| d.deducted);
    let (user_id, session_id) = actor_columns(snapshot);
    LedgerRow {
        user_id,
        session_id,
        actor_type: if user_id.is_some() { "user" } else { "guest" },
        module: MODULE,
        context_type: "module",
        context_id: None,
        provider: route.connector.internal.to_ascii_lowercase(),
        model: route.model.id.clone(),
        operation: "text_generation",
        usage_input_units: usage.input,
        usage_output_units: usage.output,
        usage_total_units: usage.total,
        credits_delta: -i64::try_from(deducted).unwrap_or(i64::MAX),
        entry_type: "usage",
        reference_type: None,
        reference_id: None,
        idempotency_key: format!("wp-ai-client-{}", snapshot.request_id),
        meta: LedgerMeta {
            legacy_total_units: usage.total,
            billed_credits: charge.credits,
            pricing_module: TEXT_PRICING_MODULE,
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
            usage_estimated: usage.estimated,
            request_id: snapshot.request_id.clone(),
        },
        created_at: mysql_datetime(snapshot.now, 0),
    }
}

fn usage_data(usage: &Usage) -> UsageData {
    UsageData { input_tokens: usage.input, output_tokens: usage.output, total_tokens: usage.total }
}

/// One new conversation per call, holding the user turn and the bot's answer.
fn chat_log_row(snapshot: &Snapshot, call: &Call, route: &Route, reply: &TextReply, usage: &Usage) -> ChatLogRow {
    let now = snapshot.now;
    let id = &snapshot.request_id;
    let answer: Vec<&str> = reply.candidates.iter().map(|c| c.text.as_str()).collect();
    let transcript = call
        .messages
        .iter()
        .map(|m| TranscriptEntry { role: if m.role == Role::User { "user" } else { "assistant" }, content: m.text() })
        .collect();
    let config = &call.config;
    let (user_id, session_id) = actor_columns(snapshot);
    let roles = snapshot.actor.roles.join(",");
    let at = mysql_datetime(now, 0);
    ChatLogRow {
        bot_id: None,
        user_id,
        session_id,
        conversation_uuid: id.clone(),
        is_guest: u8::from(user_id.is_none()),
        module: MODULE,
        messages: Conversation {
            parent_id: parent_id(snapshot),
            messages: (
                UserTurn { message_id: format!("aipkit-wp-ai-client-user-{id}"), role: "user", content: user_turn(call), timestamp: now },
                BotTurn {
                    message_id: format!("aipkit-wp-ai-client-bot-{id}"),
                    role: "bot",
                    content: answer.join("\n\n"),
                    timestamp: now,
                    provider: route.connector.internal,
                    model: route.model.id.clone(),
                    usage: usage_data(usage),
                    request_payload: RequestPayload {
                        operation: "text_generation",
                        messages: transcript,
                        payload: Payload {
                            provider: route.connector.internal,
                            model: route.model.id.clone(),
                            system_instruction: config.system_instruction.clone(),
                            ai_params: AiParams {
                                max_completion_tokens: config.max_tokens,
                                temperature: config.temperature,
                                top_p: config.top_p,
                                candidate_count: config.candidate_count,
                            },
                        },
                    },
                    response_data: ResponseData { kind: "text_generation", source: MODULE },
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

/// What AI Puffer logs as the user turn: the first non-empty user text, else any non-empty text.
fn user_turn(call: &Call) -> String {
    let texts = || call.messages.iter().map(|m| (m.role, m.text().trim().to_string()));
    texts()
        .find(|(role, t)| *role == Role::User && !t.is_empty())
        .or_else(|| texts().find(|(_, t)| !t.is_empty()))
        .map(|(_, t)| t)
        .unwrap_or_else(|| "[WP AI Client request]".to_string())
}

/// AI Puffer's `parent_id` shape (`aipkit-parent-` + 13 hex + 8 digits, from `uniqid`), derived
/// from the request id and time instead of randomness.
fn parent_id(snapshot: &Snapshot) -> String {
    let hex: String = snapshot.request_id.chars().filter(char::is_ascii_hexdigit).take(13).collect();
    format!("aipkit-parent-{hex:0<13}{:08}", snapshot.now.rem_euclid(100_000_000))
}

#[cfg(test)]
#[path = "tests/accounting.rs"]
mod tests;
