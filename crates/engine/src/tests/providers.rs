//! Unit tests of `providers` (kept out of the module file so it reads as the product code).

use super::*;
use crate::failure::Code;
use crate::protocol::TransportError;
use crate::tests::support;
use serde_json::json;

fn target() -> Target {
    support::target(json!({}), &support::call(json!({})))
}

#[test]
fn scrub_redacts_anything_shaped_like_a_key() {
    assert_eq!(scrub("Incorrect API key provided: sk-proj-abc123."), "Incorrect API key provided: [redacted]");
    assert_eq!(scrub("key AIzaSyA1234567890 rejected"), "key [redacted] rejected");
    assert_eq!(scrub("token 0123456789abcdef0123456789abcdef0123 bad"), "token [redacted] bad");
    assert_eq!(scrub("The model `gpt-4.1-mini` does not exist"), "The model `gpt-4.1-mini` does not exist");
    assert_eq!(scrub(&"word ".repeat(200)).chars().count(), 298);
}

#[test]
fn statuses_map_to_the_ai_client_codes() {
    let cases = [
        (400, Code::PromptClientError, 400, Reason::ProviderRejected),
        (401, Code::PromptClientError, 401, Reason::ProviderRefusedKey),
        (403, Code::PromptClientError, 403, Reason::ProviderRefusedKey),
        (404, Code::PromptClientError, 404, Reason::ProviderModelNotFound),
        (429, Code::PromptClientError, 429, Reason::ProviderRateLimited),
        (500, Code::PromptUpstreamServerError, 500, Reason::ProviderServerError),
        (503, Code::PromptUpstreamServerError, 503, Reason::ProviderServerError),
        (302, Code::PromptUpstreamServerError, 502, Reason::ProviderUnexpectedStatus),
    ];
    for (status, code, expected_status, reason) in cases {
        let failure = status_failure(&target(), &support::outcome(status, "", &[]), None, None);
        assert_eq!((failure.code, failure.status, failure.reason), (code, expected_status, reason), "HTTP {status}");
    }
}

#[test]
fn a_429_says_when_to_retry_and_quotes_the_provider() {
    let failure = status_failure(&target(), &support::outcome(429, "", &[("Retry-After", "7")]), None, Some("slow down"));
    assert_eq!(failure.reason, Reason::ProviderRateLimitedRetryAfter);
    assert_eq!(failure.params["retry_after"], "7");
    assert!(failure.message.contains("Retry after 7 s"), "{}", failure.message);
    assert!(failure.message.ends_with("OpenAI said: \"slow down\""), "{}", failure.message);
    assert_eq!(failure.detail.as_ref().unwrap().reason, Reason::ProviderSaid);
}

#[test]
fn unusable_bodies_are_upstream_errors() {
    let html = json_body("OpenAI", &support::outcome(200, "<!doctype html><p>hi", &[])).unwrap_err();
    assert_eq!((html.code, html.status, html.reason), (Code::PromptUpstreamServerError, 502, Reason::ProviderHtml));
    let cut = json_body("OpenAI", &support::outcome(200, "{\"a\":", &[])).unwrap_err();
    assert_eq!(cut.reason, Reason::ProviderTruncated);
    let junk = json_body("OpenAI", &support::outcome(200, "nope", &[])).unwrap_err();
    assert_eq!(junk.reason, Reason::ProviderInvalidJson);
}

#[test]
fn a_body_at_the_size_limit_is_refused_not_parsed() {
    let failure = parse_text(&target(), 30.0, &support::outcome(200, &"x".repeat(64), &[]), 64).unwrap_err();
    assert_eq!((failure.reason, failure.status), (Reason::ProviderTooLarge, 502));
    assert_eq!(failure.params["limit"], "64");
}

#[test]
fn transport_errors_name_the_host_and_quote_the_host_text() {
    let timeout = HttpOutcome {
        error: Some(TransportError { kind: TransportErrorKind::Timeout, message: "cURL error 28".into(), code: None, status: None }),
        ..HttpOutcome::default()
    };
    let failure = parse_text(&target(), 12.5, &timeout, TEXT_RESPONSE_LIMIT).unwrap_err();
    assert_eq!((failure.code, failure.reason), (Code::PromptNetworkError, Reason::NetworkTimeout));
    assert_eq!(
        failure.message,
        "OpenAI at api.openai.com did not answer within 12.5 s. Try again, or allow more time with the request timeout. Details: cURL error 28"
    );
    let blocked = HttpOutcome {
        error: Some(TransportError {
            kind: TransportErrorKind::Refused,
            message: String::new(),
            code: Some("x".into()),
            status: Some(403),
        }),
        ..HttpOutcome::default()
    };
    let failure = parse_text(&target(), 30.0, &blocked, TEXT_RESPONSE_LIMIT).unwrap_err();
    assert_eq!((failure.code, failure.status, failure.reason), (Code::PromptClientError, 403, Reason::RequestBlocked));
}

#[test]
fn a_dropped_connection_is_a_network_error_that_says_so() {
    let dropped = HttpOutcome {
        error: Some(TransportError {
            kind: TransportErrorKind::Dropped,
            message: "cURL error 56: Recv failure: Connection reset by peer".into(),
            code: None,
            status: None,
        }),
        ..HttpOutcome::default()
    };
    let failure = parse_text(&target(), 30.0, &dropped, TEXT_RESPONSE_LIMIT).unwrap_err();
    assert_eq!((failure.code, failure.status, failure.reason), (Code::PromptNetworkError, 503, Reason::NetworkDropped));
    assert!(failure.is_transient(), "a dropped connection may fall back to the next connector");
    assert!(failure.message.starts_with("OpenAI at api.openai.com closed the connection before the answer was complete."));
}

#[test]
fn host_of_strips_scheme_and_path() {
    assert_eq!(host_of("https://api.openai.com/v1/responses"), "api.openai.com");
    assert_eq!(host_of("http://127.0.0.1:9999"), "127.0.0.1:9999");
    assert_eq!(host_of("weird"), "weird");
}

#[test]
fn openai_error_codes_say_more_than_the_status() {
    let cases = [
        (
            400,
            r#"{"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}}"#,
            Code::PromptTokenLimitReached,
            Reason::ProviderContextTooLong,
        ),
        (
            429,
            r#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#,
            Code::PromptClientError,
            Reason::ProviderBilling,
        ),
        (
            400,
            r#"{"error":{"message":"flagged","code":"content_policy_violation"}}"#,
            Code::PromptClientError,
            Reason::ProviderRefusedContent,
        ),
        (
            429,
            r#"{"error":{"message":"Rate limit reached","code":"rate_limit_exceeded"}}"#,
            Code::PromptClientError,
            Reason::ProviderRateLimited,
        ),
    ];
    for (status, body, code, reason) in cases {
        let failure = crate::providers::openai_compatible::error(&target(), &support::outcome(status, body, &[]));
        assert_eq!((failure.code, failure.reason), (code, reason), "{body}");
    }
}
