//! Unit tests of `providers` (kept out of the module file so it reads as the product code).

use super::*;

fn response(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), Value::String(v.to_string()))).collect(),
        body: body.to_string(),
        error: None,
    }
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
        (400, "prompt_client_error", 400),
        (401, "prompt_client_error", 401),
        (403, "prompt_client_error", 403),
        (404, "prompt_client_error", 404),
        (429, "prompt_client_error", 429),
        (500, "prompt_upstream_server_error", 500),
        (503, "prompt_upstream_server_error", 503),
        (302, "prompt_upstream_server_error", 502),
    ];
    for (status, code, expected_status) in cases {
        let failure = status_failure("OpenAI", "OpenAI", "m", &response(status, "", &[]), None);
        assert_eq!((failure.code, failure.status), (code, expected_status), "HTTP {status}");
    }
}

#[test]
fn a_429_says_when_to_retry() {
    let failure = status_failure("OpenAI", "OpenAI", "m", &response(429, "", &[("Retry-After", "7")]), Some("slow down"));
    assert!(failure.message.contains("Retry after 7 s"), "{}", failure.message);
    assert!(failure.message.contains("slow down"));
}

#[test]
fn unusable_bodies_are_upstream_errors() {
    let html = json_body("OpenAI", &response(200, "<!doctype html><p>hi", &[])).unwrap_err();
    assert_eq!((html.code, html.status), ("prompt_upstream_server_error", 502));
    assert!(html.message.contains("HTML"));
    let cut = json_body("OpenAI", &response(200, "{\"a\":", &[])).unwrap_err();
    assert!(cut.message.contains("truncated"));
    let junk = json_body("OpenAI", &response(200, "nope", &[])).unwrap_err();
    assert!(junk.message.contains("not valid JSON"));
}

#[test]
fn host_of_strips_scheme_and_path() {
    assert_eq!(host_of("https://api.openai.com/v1/responses"), "api.openai.com");
    assert_eq!(host_of("http://127.0.0.1:9999"), "127.0.0.1:9999");
    assert_eq!(host_of("weird"), "weird");
}
