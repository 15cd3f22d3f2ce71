//! AI Puffer's table rows, column by column (docs/aipuffer-storage.md), as typed structs that
//! serialize straight into a `Write`. `None` is SQL NULL.

use serde::{Deserialize, Serialize};

/// A row of one of the tables the engine writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Row {
    Ledger(Box<LedgerRow>),
    Adjustment(Box<AdjustmentRow>),
    ChatLog(Box<ChatLogRow>),
}

/// `{prefix}aipkit_token_ledger`: an administrator's change to a user's balance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentRow {
    pub user_id: u64,
    pub actor_type: &'static str,
    pub module: &'static str,
    pub context_type: &'static str,
    pub operation: &'static str,
    /// What the balance really moved by (a deduction stops at zero).
    pub credits_delta: i64,
    pub entry_type: &'static str,
    pub reference_type: &'static str,
    /// The administrator's user id.
    pub reference_id: String,
    pub idempotency_key: String,
    pub meta: AdjustmentMeta,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdjustmentMeta {
    pub requested_credits: i64,
    pub balance_before: u64,
    pub balance_after: u64,
    pub note: String,
    pub admin_user_id: u64,
    pub request_id: String,
}

/// `{prefix}aipkit_token_ledger`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerRow {
    pub user_id: Option<u64>,
    pub session_id: Option<String>,
    pub actor_type: &'static str,
    pub module: &'static str,
    pub context_type: &'static str,
    pub context_id: Option<u64>,
    pub provider: String,
    pub model: String,
    pub operation: &'static str,
    pub usage_input_units: u64,
    pub usage_output_units: u64,
    pub usage_total_units: u64,
    pub credits_delta: i64,
    pub entry_type: &'static str,
    pub reference_type: Option<&'static str>,
    pub reference_id: Option<String>,
    pub idempotency_key: String,
    pub meta: LedgerMeta,
    pub created_at: String,
}

/// The ledger row's `meta` JSON, with AI Puffer's keys.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerMeta {
    pub legacy_total_units: u64,
    pub billed_credits: u64,
    pub pricing_module: &'static str,
    pub billing_method: &'static str,
    pub raw_charge: String,
    pub used_legacy_fallback: bool,
    pub resolved_rule_id: Option<u64>,
    pub balance_before: u64,
    pub balance_after: u64,
    pub balance_units: u64,
    pub quota_units: u64,
    pub quota_recorded: bool,
    pub tool_units: u64,
    pub tool_usage: [u8; 0],
    pub raw_usage_data: UsageData,
    /// Images made (AI Puffer's normalized `unit_count`), billed by per-image rules.
    pub unit_count: u64,
    pub usage_estimated: bool,
    pub request_id: String,
    /// The plugin, mu-plugin or theme that asked: spend per caller is summed from this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<crate::site::Party>,
    /// What the call cost in US dollars by the price list (decimal text); none: no price known.
    pub usd_cost: Option<String>,
    /// The price list entry that priced it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usd_price: Option<UsdPrice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UsdPrice {
    /// The list's entry (`gemini/gemini-2.5-flash`).
    pub key: String,
    /// The list and its version (`litellm 1.110.2`).
    pub source: String,
}

/// Usage as AI Puffer logs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UsageData {
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub total_tokens: u64,
}

/// `{prefix}aipkit_chat_logs`: one conversation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChatLogRow {
    pub bot_id: Option<u64>,
    pub user_id: Option<u64>,
    pub session_id: Option<String>,
    pub conversation_uuid: String,
    pub is_guest: u8,
    pub module: &'static str,
    pub messages: Conversation,
    pub message_count: u32,
    pub first_message_ts: i64,
    pub last_message_ts: i64,
    pub ip_address: Option<&'static str>,
    pub user_wp_role: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The `messages` column: AI Puffer stores an object, not a bare list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conversation {
    pub parent_id: String,
    pub messages: (UserTurn, BotTurn),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserTurn {
    pub message_id: String,
    pub role: &'static str,
    pub content: String,
    pub timestamp: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BotTurn {
    pub message_id: String,
    pub role: &'static str,
    pub content: String,
    pub timestamp: i64,
    /// AI Puffer's internal provider name (`OpenAI`), unlike the ledger's lower-case key.
    pub provider: &'static str,
    pub model: String,
    pub usage: UsageData,
    pub request_payload: RequestPayload,
    pub response_data: ResponseData,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestPayload {
    pub operation: &'static str,
    pub messages: Vec<TranscriptEntry>,
    pub payload: Payload,
    /// When a default route decided the model: which alias, and why it went where it went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteNote>,
    /// Connectors tried before the one that answered, and why each failed (fallback).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_attempts: Vec<AttemptNote>,
    /// The plugin, mu-plugin or theme that asked (none: WordPress itself or a script).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<crate::site::Party>,
}

/// A connector a call fell back from, for the conversation log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptNote {
    pub connector: String,
    pub model: String,
    pub reason: String,
    pub message: String,
}

/// The default route a call was sent by (`Target::via`), for the conversation log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RouteNote {
    pub alias: String,
    pub why: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TranscriptEntry {
    pub role: &'static str,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Payload {
    pub provider: &'static str,
    pub model: String,
    pub system_instruction: Option<String>,
    pub ai_params: AiParams,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AiParams {
    pub max_completion_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub candidate_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseData {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub source: &'static str,
}
