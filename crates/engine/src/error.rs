//! Failures, in the WordPress AI Client's own vocabulary.
//!
//! Every failure names the SDK exception a PHP host throws (`exception`); WordPress's prompt
//! builder turns that exception into the `WP_Error` code and status listed here (`code`,
//! `status`), so a caller sees exactly what a native AI Client provider would give it.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The `WP_Error` code the caller ends up with.
    pub code: &'static str,
    /// The HTTP-like status in the `WP_Error` data.
    pub status: u16,
    /// Which AI Client exception the host raises to produce `code`.
    pub exception: Exception,
    /// A sentence a site owner can act on. Never contains a secret.
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

impl Failure {
    pub fn client(status: u16, message: impl Into<String>) -> Self {
        Self { code: "prompt_client_error", status, exception: Exception::Client, message: message.into() }
    }
    pub fn server(status: u16, message: impl Into<String>) -> Self {
        Self { code: "prompt_upstream_server_error", status, exception: Exception::Server, message: message.into() }
    }
    pub fn network(message: impl Into<String>) -> Self {
        Self { code: "prompt_network_error", status: 503, exception: Exception::Network, message: message.into() }
    }
    pub fn token_limit(message: impl Into<String>) -> Self {
        Self { code: "prompt_token_limit_reached", status: 400, exception: Exception::TokenLimit, message: message.into() }
    }
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self { code: "prompt_invalid_argument", status: 400, exception: Exception::InvalidArgument, message: message.into() }
    }
}
