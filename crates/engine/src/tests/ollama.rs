//! Unit tests of `providers/ollama` (kept out of the module file so it reads as the product code).

use super::*;
use crate::failure::Code;
use crate::protocol::{TransportError, TransportErrorKind};
use crate::route;
use crate::tests::support;

/// A managed site whose Ollama connector has `settings` and two models.
fn target(settings: Value, call: &Call) -> Target {
    let site = support::site(json!({
        "managed": true,
        "credentials": [],
        "providers": { "Ollama": settings },
        "catalogs": { "aipkit_ollama_model_list": ["llama3.2", "qwen3"] },
    }));
    route::resolve(&site, call).unwrap()
}

fn call_with(messages: Value, config: Value) -> Call {
    serde_json::from_value(json!({
        "capability": "text_generation", "provider": "ollama", "model": "llama3.2", "messages": messages, "config": config,
    }))
    .unwrap()
}

fn hi(config: Value) -> Call {
    call_with(json!([{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }]), config)
}

fn requests_for(call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    crate::providers::text_requests(&target(json!({ "base_url": "http://localhost:11434" }), call), call)
}

fn body_of(call: &Call) -> Value {
    let sent = requests_for(call).unwrap();
    serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap()
}

fn parse(status: u16, body: &str) -> Result<TextReply, Failure> {
    let call = hi(json!({}));
    crate::providers::parse_text(
        &target(json!({ "base_url": "http://gpu-box.lan:11434" }), &call),
        30.0,
        &support::outcome(status, body, &[]),
        TEXT_RESPONSE_LIMIT,
    )
}

fn failure(status: u16, body: &str, headers: &[(&str, &str)]) -> Failure {
    let call = hi(json!({}));
    let target = target(json!({ "base_url": "http://gpu-box.lan:11434" }), &call);
    crate::providers::parse_text(&target, 30.0, &support::outcome(status, body, headers), TEXT_RESPONSE_LIMIT).unwrap_err()
}

#[test]
fn one_local_keyless_non_streaming_request_per_candidate() {
    let sent = requests_for(&hi(json!({ "candidateCount": 3 }))).unwrap();
    assert_eq!(sent.len(), 3);
    for request in &sent {
        assert_eq!((request.method, request.url.as_str()), ("POST", "http://localhost:11434/api/chat"));
        assert!(request.local, "the host must allow the configured local base URL");
        assert_eq!(request.credential, None);
        assert_eq!(request.headers["Content-Type"], "application/json");
        assert_eq!(request.max_response_bytes, TEXT_RESPONSE_LIMIT);
        assert_eq!(request.timeout, 30.0);
    }
    let body: Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({ "model": "llama3.2", "messages": [{ "role": "user", "content": "Hi" }], "stream": false }));
}

#[test]
fn the_base_url_is_the_configured_one_without_a_doubled_api_prefix() {
    let call = hi(json!({}));
    for (base, url) in [
        ("http://192.168.1.20:11434/", "http://192.168.1.20:11434/api/chat"),
        ("https://ollama.example/api", "https://ollama.example/api/chat"),
        ("http://proxy.lan/ollama", "http://proxy.lan/ollama/api/chat"),
    ] {
        let sent = crate::providers::text_requests(&target(json!({ "base_url": base }), &call), &call).unwrap();
        assert_eq!(sent[0].url, url);
    }
}

#[test]
fn sampling_settings_go_into_options() {
    let body = body_of(&hi(json!({
        "systemInstruction": "Be brief.", "maxTokens": 77, "temperature": 0.3, "topP": 0.7, "topK": 5,
        "stopSequences": ["END"], "presencePenalty": 0.5, "frequencyPenalty": 0.25,
    })));
    assert_eq!(body["messages"][0], json!({ "role": "system", "content": "Be brief." }));
    assert_eq!(
        body["options"],
        json!({ "num_predict": 77, "temperature": 0.3, "top_p": 0.7, "top_k": 5, "stop": ["END"], "presence_penalty": 0.5, "frequency_penalty": 0.25 })
    );
    assert_eq!(body["stream"], false);
}

#[test]
fn json_output_uses_format_and_says_so_in_the_system_message() {
    let body = body_of(&hi(json!({ "outputMimeType": "application/json" })));
    assert_eq!(body["format"], "json");
    assert_eq!(body["messages"][0]["content"], "Respond only with valid JSON.");
    let schema = json!({ "type": "object", "properties": { "a": { "type": "string" } }, "required": ["a"] });
    let body = body_of(&hi(json!({ "outputMimeType": "application/json", "outputSchema": schema })));
    assert_eq!(body["format"], schema);
    assert!(body["messages"][0]["content"].as_str().unwrap().contains("JSON Schema"));
}

#[test]
fn custom_options_are_model_options_unless_they_are_request_fields() {
    let body = body_of(&hi(json!({ "temperature": 0.1, "customOptions": {
        "seed": 7, "num_ctx": 8192, "think": false, "keep_alive": "10m", "options": { "min_p": 0.05 },
        "model": "other", "stream": true, "messages": [],
    } })));
    assert_eq!(body["options"], json!({ "temperature": 0.1, "seed": 7, "num_ctx": 8192, "min_p": 0.05 }));
    assert_eq!((&body["think"], &body["keep_alive"]), (&json!(false), &json!("10m")));
    assert_eq!((&body["model"], &body["stream"]), (&json!("llama3.2"), &json!(false)));
    assert_eq!(body["messages"][0]["content"], "Hi");
}

#[test]
fn declarations_become_function_tools() {
    let body = body_of(&hi(json!({ "functionDeclarations": [
        { "name": "get_weather", "description": "Weather for a city.", "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } },
        { "name": "now", "description": "The time." },
    ] })));
    assert_eq!(
        body["tools"],
        json!([
            { "type": "function", "function": { "name": "get_weather", "description": "Weather for a city.", "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } } },
            { "type": "function", "function": { "name": "now", "description": "The time.", "parameters": { "type": "object", "properties": {} } } },
        ])
    );
}

/// Turn 2 of a tool loop as WordPress's ability resolver sends it: the model's calls, then ONE
/// user message holding every function response.
#[test]
fn several_function_responses_in_one_user_turn_become_tool_messages_in_order() {
    let call = call_with(
        json!([
            { "role": "user", "parts": [{ "type": "text", "text": "Weather in Paris and the time?" }] },
            { "role": "model", "parts": [
                { "channel": "thought", "type": "text", "text": "Two tools." },
                { "type": "function_call", "functionCall": { "id": "call_a1", "name": "get_weather", "args": { "city": "Paris" } } },
                { "type": "function_call", "functionCall": { "name": "now", "args": [] } },
            ] },
            { "role": "user", "parts": [
                { "type": "function_response", "functionResponse": { "id": "call_a1", "response": { "temp": 21 } } },
                { "type": "function_response", "functionResponse": { "name": "now", "response": "12:00" } },
            ] },
        ]),
        json!({ "functionDeclarations": [{ "name": "get_weather" }, { "name": "now" }] }),
    );
    let body = body_of(&call);
    assert_eq!(
        body["messages"],
        json!([
            { "role": "user", "content": "Weather in Paris and the time?" },
            { "role": "assistant", "content": "", "thinking": "Two tools.", "tool_calls": [
                { "id": "call_a1", "type": "function", "function": { "name": "get_weather", "arguments": { "city": "Paris" } } },
                { "type": "function", "function": { "name": "now", "arguments": {} } },
            ] },
            { "role": "tool", "content": "{\"temp\":21}", "tool_name": "get_weather", "tool_call_id": "call_a1" },
            { "role": "tool", "content": "12:00", "tool_name": "now" },
        ])
    );
}

#[test]
fn images_go_as_bare_base64_and_urls_are_refused() {
    let with = |file: Value| {
        let call = call_with(
            json!([{ "role": "user", "parts": [{ "type": "text", "text": "What is this?" }, { "type": "file", "file": file }] }]),
            json!({}),
        );
        requests_for(&call).map(|sent| serde_json::from_str::<Value>(sent[0].body.as_deref().unwrap()).unwrap())
    };
    let inline = with(json!({ "fileType": "inline", "mimeType": "image/png", "base64Data": "iVBORw0KGgo=" })).unwrap();
    assert_eq!(inline["messages"][0], json!({ "role": "user", "content": "What is this?", "images": ["iVBORw0KGgo="] }));
    let data_uri = with(json!({ "mimeType": "image/jpeg", "url": "data:image/jpeg;base64,/9j/4AAQ" })).unwrap();
    assert_eq!(data_uri["messages"][0]["images"], json!(["/9j/4AAQ"]));
    let remote = with(json!({ "mimeType": "image/png", "url": "https://example.com/cat.png" })).unwrap_err();
    assert_eq!((remote.code, remote.reason), (Code::PromptInvalidArgument, Reason::OllamaImageUrl));
    assert_eq!(remote.message, "Ollama accepts images only as inline data, not by URL. Attach the image's data instead.");
    let pdf = with(json!({ "mimeType": "application/pdf", "base64Data": "JVBERi0=" })).unwrap_err();
    assert_eq!(pdf.reason, Reason::FileNotImage);
}

#[test]
fn a_prompt_with_nothing_to_say_is_refused() {
    let call = call_with(json!([{ "role": "user", "parts": [{ "type": "text", "text": "" }] }]), json!({ "systemInstruction": "Hi" }));
    assert_eq!(requests_for(&call).unwrap_err().reason, Reason::PromptEmpty);
}

#[test]
fn a_reply_gives_text_thinking_and_usage() {
    let reply = parse(
        200,
        r#"{"model":"qwen3","created_at":"2026-11-24T06:00:00Z","message":{"role":"assistant","content":"Hello!","thinking":"Greet back."},"done":true,"done_reason":"stop","total_duration":5191566416,"prompt_eval_count":26,"eval_count":298}"#,
    )
    .unwrap();
    assert_eq!(
        reply.candidates,
        vec![Candidate {
            parts: vec![
                ReplyPart::Text { text: "Greet back.".into(), thought: true, signature: None },
                ReplyPart::Text { text: "Hello!".into(), thought: false, signature: None },
            ],
            finish: FinishReason::Stop,
        }]
    );
    assert_eq!(reply.usage, Some(Usage::reported(26, 298, None)));
    assert_eq!(reply.usage.unwrap().total, 324);
}

#[test]
fn counts_left_out_are_zero_and_no_counts_is_no_usage() {
    let cached = parse(200, r#"{"message":{"role":"assistant","content":"ok"},"done":true,"eval_count":3}"#).unwrap();
    assert_eq!(cached.usage, Some(Usage::reported(0, 3, None)));
    let none = parse(200, r#"{"message":{"role":"assistant","content":"ok"},"done":true}"#).unwrap();
    assert_eq!(none.usage, None);
}

#[test]
fn tool_calls_become_function_calls_with_ids() {
    let reply = parse(
        200,
        r#"{"message":{"role":"assistant","content":"","tool_calls":[
            {"id":"call_p7o2gz50","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}},
            {"function":{"name":"now","arguments":"{\"tz\":\"UTC\"}"}}]},"done":true,"done_reason":"stop","prompt_eval_count":122,"eval_count":33}"#,
    )
    .unwrap();
    let candidate = &reply.candidates[0];
    assert_eq!(candidate.finish, FinishReason::ToolCalls);
    let calls: Vec<&FunctionCall> = candidate.function_calls().collect();
    assert_eq!(
        calls,
        vec![
            &FunctionCall { id: Some("call_p7o2gz50".into()), name: Some("get_weather".into()), args: Some(json!({ "city": "Paris" })) },
            &FunctionCall { id: Some("call_2".into()), name: Some("now".into()), args: Some(json!({ "tz": "UTC" })) },
        ]
    );
}

#[test]
fn the_output_limit_is_a_length_finish_or_a_token_limit_when_nothing_came() {
    let cut =
        parse(200, r#"{"message":{"role":"assistant","content":"Once upon"},"done":true,"done_reason":"length","eval_count":2}"#).unwrap();
    assert_eq!(cut.candidates[0].finish, FinishReason::Length);
    let thought_only =
        failure(200, r#"{"message":{"role":"assistant","content":"","thinking":"Hmm…"},"done":true,"done_reason":"length"}"#, &[]);
    assert_eq!((thought_only.code, thought_only.reason), (Code::PromptTokenLimitReached, Reason::ProviderTokenLimit));
    let empty = failure(200, r#"{"message":{"role":"assistant","content":""},"done":true,"done_reason":"stop"}"#, &[]);
    assert_eq!((empty.code, empty.reason), (Code::PromptUpstreamServerError, Reason::ProviderNoText));
}

#[test]
fn a_model_that_is_not_pulled_says_how_to_pull_it() {
    let f = failure(
        404,
        r#"{"error":"model \"llama3.2\" not found, try pulling it first"}"#,
        &[("content-type", "application/json; charset=utf-8")],
    );
    assert_eq!((f.code, f.status, f.reason), (Code::PromptClientError, 404, Reason::OllamaModelNotPulled));
    assert_eq!(
        f.message,
        "Ollama at gpu-box.lan:11434 does not have the model \"llama3.2\" (HTTP 404). Pull it on that server with `ollama pull llama3.2`, or sync the Ollama models in AI Puffer > Settings. Ollama said: \"model \"llama3.2\" not found, try pulling it first\""
    );
}

#[test]
fn a_wrong_path_is_a_404_that_quotes_the_plain_text() {
    let f = failure(404, "404 page not found", &[("content-type", "text/plain")]);
    assert_eq!(f.reason, Reason::ProviderModelNotFound);
    assert!(f.message.ends_with("Ollama said: \"404 page not found\""), "{}", f.message);
}

#[test]
fn error_sentences_are_classified() {
    type Case<'a> = (u16, &'a str, &'a [(&'a str, &'a str)], Code, u16, Reason);
    let cases: [Case; 8] = [
        (
            400,
            r#"{"error":"registry.ollama.ai/library/gemma3:latest does not support tools"}"#,
            &[],
            Code::PromptClientError,
            400,
            Reason::OllamaModelLacksTools,
        ),
        (
            400,
            r#"{"error":"{\"error\":{\"code\":400,\"message\":\"request (351 tokens) exceeds the available context size (256 tokens), try increasing it\",\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":351,\"n_ctx\":256}}"}"#,
            &[],
            Code::PromptTokenLimitReached,
            400,
            Reason::ProviderContextTooLong,
        ),
        (
            429,
            r#"{"error":"you (loopback) have reached your weekly usage limit, upgrade for higher limits: https://ollama.com/upgrade"}"#,
            &[],
            Code::PromptClientError,
            429,
            Reason::ProviderBilling,
        ),
        (
            429,
            r#"{"error":"too many requests"}"#,
            &[("Retry-After", "2")],
            Code::PromptClientError,
            429,
            Reason::ProviderRateLimitedRetryAfter,
        ),
        (
            401,
            r#"{"error":"unauthorized","signin_url":"https://ollama.com/connect"}"#,
            &[],
            Code::PromptClientError,
            401,
            Reason::OllamaUnauthorized,
        ),
        (
            400,
            r#"{"error":"invalid format: expected \"json\" or a valid JSON schema"}"#,
            &[],
            Code::PromptClientError,
            400,
            Reason::ProviderRejected,
        ),
        (
            500,
            r#"{"error":"model requires more system memory (5.5 GiB) than is available (2.1 GiB)"}"#,
            &[],
            Code::PromptUpstreamServerError,
            500,
            Reason::ProviderServerError,
        ),
        (
            503,
            r#"{"error":"server busy, please try again.  maximum pending requests exceeded"}"#,
            &[],
            Code::PromptUpstreamServerError,
            503,
            Reason::ProviderServerError,
        ),
    ];
    for (status, body, headers, code, expected_status, reason) in cases {
        let f = failure(status, body, headers);
        assert_eq!((f.code, f.status, f.reason), (code, expected_status, reason), "{body}");
        assert_eq!(f.detail.as_ref().map(|d| d.reason), Some(Reason::ProviderSaid), "{body}");
    }
    let too_long = failure(
        400,
        r#"{"error":"{\"error\":{\"message\":\"request (351 tokens) exceeds the available context size (256 tokens), try increasing it\",\"type\":\"exceed_context_size_error\"}}"}"#,
        &[],
    );
    assert!(too_long.message.ends_with("Ollama said: \"request (351 tokens) exceeds the available context size (256 tokens), try increasing it (exceed_context_size_error)\""), "{}", too_long.message);
    assert!(failure(401, r#"{"error":"unauthorized"}"#, &[]).message.contains("`ollama signin`"));
}

#[test]
fn unusable_bodies_are_upstream_errors() {
    let html = failure(503, "<html><body>503 Service Temporarily Unavailable</body></html>", &[("content-type", "text/html")]);
    assert_eq!((html.reason, html.detail.map(|d| d.reason)), (Reason::ProviderServerError, Some(Reason::ProviderSentHtml)));
    assert_eq!(failure(200, r#"{"model":"llama3.2","message":{"role":"assist"#, &[]).reason, Reason::ProviderTruncated);
    assert_eq!(failure(200, "", &[]).reason, Reason::ProviderTruncated);
    // What a server streaming anyway would send: NDJSON lines, not one JSON value.
    let ndjson = "{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"message\":{\"content\":\"\"},\"done\":true}\n";
    assert_eq!(failure(200, ndjson, &[]).reason, Reason::ProviderInvalidJson);
    let in_body = failure(200, r#"{"error":"an error was encountered while running the model"}"#, &[]);
    assert_eq!((in_body.status, in_body.reason), (502, Reason::ProviderFailed));
}

#[test]
fn a_refused_connection_names_the_configured_host() {
    let refused = HttpOutcome {
        error: Some(TransportError {
            kind: TransportErrorKind::Connect,
            message: "cURL error 7: Failed to connect to gpu-box.lan port 11434: Connection refused".into(),
            code: None,
            status: None,
        }),
        ..HttpOutcome::default()
    };
    let call = hi(json!({}));
    let target = target(json!({ "base_url": "http://gpu-box.lan:11434/" }), &call);
    let f = crate::providers::parse_text(&target, 30.0, &refused, TEXT_RESPONSE_LIMIT).unwrap_err();
    assert_eq!((f.code, f.reason), (Code::PromptNetworkError, Reason::NetworkUnreachable));
    assert!(f.message.starts_with("Could not reach Ollama at gpu-box.lan:11434."), "{}", f.message);
}
