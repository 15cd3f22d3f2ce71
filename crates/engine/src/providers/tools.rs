//! What every wire format needs for function calling: ids that tie each function response to
//! its call. The AI Client leaves ids optional; providers (OpenAI, Anthropic) require them.

use crate::call::{Call, FunctionCall, FunctionResponse, PartKind};

/// The id each function call and response of a call's history is sent with, in part order.
pub struct CallIds {
    /// `(name, id)` of every call seen, latest last.
    calls: Vec<(String, String)>,
    next: usize,
}

impl CallIds {
    pub fn new() -> Self {
        Self { calls: Vec::new(), next: 0 }
    }

    /// The call's own id, else `call_{n}` by its position in the history.
    pub fn for_call(&mut self, call: &FunctionCall) -> String {
        self.next += 1;
        let id = call.id.clone().filter(|id| !id.is_empty()).unwrap_or_else(|| format!("call_{}", self.next));
        self.calls.push((call.name.clone().unwrap_or_default(), id.clone()));
        id
    }

    /// The response's own id, else the id of the latest call of the same function.
    pub fn for_response(&mut self, response: &FunctionResponse) -> String {
        if let Some(id) = response.id.clone().filter(|id| !id.is_empty()) {
            return id;
        }
        let name = response.name.as_deref().unwrap_or_default();
        self.calls.iter().rev().find(|(called, _)| called == name).map(|(_, id)| id.clone()).unwrap_or_else(|| {
            self.next += 1;
            format!("call_{}", self.next)
        })
    }
}

impl Default for CallIds {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether any message of the call holds function calls or responses.
pub fn has_function_parts(call: &Call) -> bool {
    call.messages.iter().flat_map(|m| &m.parts).any(|p| matches!(p.kind, PartKind::FunctionCall | PartKind::FunctionResponse))
}
