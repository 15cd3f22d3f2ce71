//! Failures, in the WordPress AI Client's own vocabulary.
//!
//! Every failure names the SDK exception a PHP host throws (`exception`); WordPress's prompt
//! builder turns that exception into the `WP_Error` code and status listed here (`code`,
//! `status`), so a caller sees exactly what a native AI Client provider would give it.
//!
//! Besides the English `message`, a failure carries a stable `reason` and its `params`, so a host
//! can show the same sentence translated (PHP with `__()`, the browser with `wp.i18n`); `detail`
//! is an optional second sentence quoting the provider's or the network's own words.

use serde::{Deserialize, Serialize};

pub use crate::messages::Params;
use crate::messages::{self, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The `WP_Error` code the caller ends up with.
    pub code: Code,
    /// The HTTP-like status in the `WP_Error` data.
    pub status: u16,
    /// Which AI Client exception the host raises to produce `code`.
    pub exception: Exception,
    /// What went wrong, stable across versions and languages.
    pub reason: Reason,
    pub params: Params,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Detail>,
    /// The sentence(s) in English. Never contains a secret.
    pub message: String,
}

/// A second sentence: what the provider or the network said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detail {
    pub reason: Reason,
    pub params: Params,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    PromptClientError,
    PromptUpstreamServerError,
    PromptNetworkError,
    PromptTokenLimitReached,
    PromptInvalidArgument,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exception {
    /// `Providers\Http\Exception\ClientException` → `prompt_client_error` (status = the code).
    Client,
    /// `Providers\Http\Exception\ServerException` → `prompt_upstream_server_error`.
    Server,
    /// `Providers\Http\Exception\NetworkException` → `prompt_network_error` (503).
    Network,
    /// `Common\Exception\TokenLimitReachedException` → `prompt_token_limit_reached` (400).
    TokenLimit,
    /// `Common\Exception\InvalidArgumentException` → `prompt_invalid_argument` (400).
    InvalidArgument,
}

/// `[("provider", "OpenAI"), …]` as `Params`.
pub fn params<const N: usize>(pairs: [(&str, String); N]) -> Params {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

impl Failure {
    fn new(code: Code, exception: Exception, status: u16, reason: Reason, params: Params) -> Self {
        let message = messages::render(reason, &params);
        Self { code, status, exception, reason, params, detail: None, message }
    }
    pub fn client(status: u16, reason: Reason, params: Params) -> Self {
        Self::new(Code::PromptClientError, Exception::Client, status, reason, params)
    }
    pub fn server(status: u16, reason: Reason, params: Params) -> Self {
        Self::new(Code::PromptUpstreamServerError, Exception::Server, status, reason, params)
    }
    pub fn network(reason: Reason, params: Params) -> Self {
        Self::new(Code::PromptNetworkError, Exception::Network, 503, reason, params)
    }
    pub fn token_limit(reason: Reason, params: Params) -> Self {
        Self::new(Code::PromptTokenLimitReached, Exception::TokenLimit, 400, reason, params)
    }
    pub fn invalid_argument(reason: Reason, params: Params) -> Self {
        Self::new(Code::PromptInvalidArgument, Exception::InvalidArgument, 400, reason, params)
    }

    /// The same failure with a second sentence.
    pub fn with_detail(mut self, reason: Reason, params: Params) -> Self {
        self.message.push(' ');
        self.message.push_str(&messages::render(reason, &params));
        self.detail = Some(Detail { reason, params });
        self
    }

    /// Input the engine cannot read (unparseable JSON, a wrong shape, a step out of order).
    pub fn bad_input(problem: impl std::fmt::Display) -> Self {
        Self::invalid_argument(Reason::BadInput, params([("problem", problem.to_string())]))
    }

    /// Worth trying the next route: the provider or the network failed, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(self.exception, Exception::Server | Exception::Network) || self.status == 429
    }
}
