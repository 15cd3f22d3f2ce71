//! A provider's answer to a text request, read into the AI Client's terms.

use serde::{Deserialize, Serialize};

use crate::call::FunctionCall;
use crate::usage::Usage;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextReply {
    pub candidates: Vec<Candidate>,
    /// None when the provider reported no usage.
    pub usage: Option<Usage>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub parts: Vec<ReplyPart>,
    pub finish: FinishReason,
}

/// One part of a model's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyPart {
    Text {
        text: String,
        /// Reasoning the provider shows (the AI Client's `thought` channel), not the answer.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        thought: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    FunctionCall {
        call: FunctionCall,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        signature: Option<String>,
    },
    /// A generated image, inline.
    Image { mime_type: String, base64: String },
}

impl Candidate {
    /// The images of the answer: `(mime type, base64 length)`.
    pub fn images(&self) -> impl Iterator<Item = (&str, usize)> {
        self.parts.iter().filter_map(|p| match p {
            ReplyPart::Image { mime_type, base64 } => Some((mime_type.as_str(), base64.len())),
            _ => None,
        })
    }

    /// A plain text answer.
    pub fn text(text: String, finish: FinishReason) -> Self {
        Self { parts: vec![ReplyPart::Text { text, thought: false, signature: None }], finish }
    }

    /// The answer's text (content channel), parts joined as they came.
    pub fn answer(&self) -> String {
        self.parts
            .iter()
            .filter_map(|p| match p {
                ReplyPart::Text { text, thought: false, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn function_calls(&self) -> impl Iterator<Item = &FunctionCall> {
        self.parts.iter().filter_map(|p| match p {
            ReplyPart::FunctionCall { call, .. } => Some(call),
            ReplyPart::Text { .. } | ReplyPart::Image { .. } => None,
        })
    }
}

/// The AI Client's `FinishReasonEnum`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FinishReason {
    Stop,
    Length,
    ContentFilter,
    ToolCalls,
}

impl FinishReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stop => "stop",
            Self::Length => "length",
            Self::ContentFilter => "content_filter",
            Self::ToolCalls => "tool_calls",
        }
    }
}
