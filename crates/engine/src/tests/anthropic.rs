//! Unit tests of `providers/anthropic` (kept out of the module file so it reads as the product code).

use super::*;
use crate::failure::Code;
use crate::reply::ReplyPart;
use crate::route::{self, Target};
use crate::tests::support;
use serde_json::json;

const MODEL: &str = "claude-sonnet-4-5";

/// A call to `anthropic`/`claude-sonnet-4-5` with these messages and config.
fn call_with(messages: Value, config: Value) -> Call {
    serde_json::from_value(json!({
        "capability": "text_generation", "provider": "anthropic", "model": MODEL, "messages": messages, "config": config,
    }))
    .unwrap()
}

fn hi(config: Value) -> Call {
    call_with(json!([{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }]), config)
}

fn target_for(settings: Value, call: &Call) -> Target {
    let site = support::site(json!({
        "managed": true,
        "credentials": ["Claude"],
        "providers": { "Claude": settings },
        "catalogs": { "aipkit_claude_model_list": [MODEL, "claude-haiku-4-5"] },
    }));
    route::resolve(&site, call).unwrap()
}

fn target() -> Target {
    target_for(json!({}), &hi(json!({})))
}

fn requests(settings: Value, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    crate::providers::text_requests(&target_for(settings, call), call)
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
}

fn sent(config: Value) -> Value {
    body(&requests(json!({}), &hi(config)).unwrap()[0])
}

fn outcome(status: u16, body: Value, headers: &[(&str, &str)]) -> HttpOutcome {
    HttpOutcome {
        id: "1.1".into(),
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), json!(v))).collect(),
        body: body.to_string(),
        error: None,
    }
}

/// A successful Messages response with these content blocks and stop reason.
fn message(content: Value, stop_reason: &str) -> HttpOutcome {
    outcome(
        200,
        json!({
            "id": "msg_01", "type": "message", "role": "assistant", "model": MODEL, "content": content,
            "stop_reason": stop_reason, "stop_sequence": null,
            "usage": { "input_tokens": 12, "output_tokens": 7 },
        }),
        &[("content-type", "application/json")],
    )
}

fn parse(response: &HttpOutcome) -> Result<TextReply, Failure> {
    crate::providers::parse_text(&target(), 30.0, response, crate::providers::TEXT_RESPONSE_LIMIT)
}

fn anthropic_error(status: u16, kind: &str, text: &str) -> HttpOutcome {
    outcome(status, json!({ "type": "error", "error": { "type": kind, "message": text }, "request_id": "req_01" }), &[])
}

// ---- requests ---------------------------------------------------------------------------------

#[test]
fn a_plain_prompt_is_one_messages_request_with_the_required_fields() {
    let sent = requests(json!({}), &hi(json!({}))).unwrap();
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!((request.method, request.url.as_str()), ("POST", "https://api.anthropic.com/v1/messages"));
    assert_eq!(request.headers.get("anthropic-version").map(String::as_str), Some("2023-06-01"));
    assert_eq!(request.headers.get("Content-Type").map(String::as_str), Some("application/json"));
    let credential = request.credential.as_ref().unwrap();
    assert_eq!(
        (credential.provider, credential.placement, credential.name, credential.prefix),
        ("Claude", Placement::Header, "x-api-key", "")
    );
    assert_eq!(
        body(request),
        json!({ "model": MODEL, "max_tokens": 4096, "messages": [{ "role": "user", "content": [{ "type": "text", "text": "Hi" }] }] })
    );
}

#[test]
fn every_sampling_option_has_its_own_field() {
    let b = sent(json!({
        "systemInstruction": "Be brief.", "maxTokens": 77, "temperature": 0.3, "topP": 0.7, "topK": 5, "stopSequences": ["END"],
    }));
    assert_eq!(b["system"], "Be brief.");
    assert_eq!(b["max_tokens"], 77);
    assert_eq!(b["temperature"], 0.3);
    assert_eq!(b["top_p"], 0.7);
    assert_eq!(b["top_k"], 5);
    assert_eq!(b["stop_sequences"], json!(["END"]));
    // No penalties, no `n`, no response format exist in this API.
    for absent in ["presence_penalty", "frequency_penalty", "n", "response_format", "tools", "tool_choice"] {
        assert!(b.get(absent).is_none(), "{absent}");
    }
}

#[test]
fn candidates_are_one_request_each() {
    let sent = requests(json!({}), &hi(json!({ "candidateCount": 3 }))).unwrap();
    assert_eq!(sent.len(), 3);
    assert!(sent.iter().all(|r| body(r).get("n").is_none() && r.url == sent[0].url));
}

#[test]
fn the_base_url_and_version_come_from_the_settings() {
    let sent = requests(json!({ "base_url": "https://gw.example/anthropic/v1/", "api_version": "2024-01-01" }), &hi(json!({}))).unwrap();
    assert_eq!(sent[0].url, "https://gw.example/anthropic/v1/messages");
    assert_eq!(sent[0].headers["anthropic-version"], "2024-01-01");
    let sent = requests(json!({ "base_url": "http://127.0.0.1:9/anthropic" }), &hi(json!({}))).unwrap();
    assert_eq!(sent[0].url, "http://127.0.0.1:9/anthropic/v1/messages");
}

#[test]
fn the_key_is_never_in_the_request() {
    let sent = requests(json!({ "api_key": "sk-ant-should-not-be-here" }), &hi(json!({}))).unwrap();
    assert!(!serde_json::to_string(&sent).unwrap().contains("sk-ant-should-not-be-here"));
}

#[test]
fn custom_options_cannot_replace_the_model_the_prompt_or_the_tools() {
    let b = sent(
        json!({ "customOptions": { "model": "other", "messages": [], "tools": [], "stream": true, "metadata": { "user_id": "u1" } } }),
    );
    assert_eq!(b["model"], MODEL);
    assert_eq!(b["messages"][0]["content"][0]["text"], "Hi");
    assert!(b.get("tools").is_none() && b.get("stream").is_none());
    assert_eq!(b["metadata"]["user_id"], "u1");
    // tool_choice is the caller's unless a JSON answer needs it.
    assert_eq!(sent(json!({ "customOptions": { "tool_choice": { "type": "none" } } }))["tool_choice"]["type"], "none");
    let json_answer = sent(json!({ "outputMimeType": "application/json", "customOptions": { "tool_choice": { "type": "none" } } }));
    assert_eq!(json_answer["tool_choice"]["type"], "tool");
}

#[test]
fn history_alternates_roles_and_skips_empty_text() {
    let call = call_with(
        json!([
            { "role": "user", "parts": [{ "type": "text", "text": "Earlier question" }] },
            { "role": "model", "parts": [{ "type": "text", "text": "Earlier answer" }, { "type": "text", "text": "  " }] },
            { "role": "user", "parts": [{ "type": "text", "text": "Now" }] },
        ]),
        json!({}),
    );
    let b = body(&requests(json!({}), &call).unwrap()[0]);
    assert_eq!(
        b["messages"],
        json!([
            { "role": "user", "content": [{ "type": "text", "text": "Earlier question" }] },
            { "role": "assistant", "content": [{ "type": "text", "text": "Earlier answer" }] },
            { "role": "user", "content": [{ "type": "text", "text": "Now" }] },
        ])
    );
}

#[test]
fn a_prompt_with_nothing_to_send_is_refused() {
    let call = call_with(json!([{ "role": "user", "parts": [{ "type": "text", "text": "" }] }]), json!({}));
    assert_eq!(requests(json!({}), &call).unwrap_err().reason, Reason::PromptEmpty);
}

// ---- images -----------------------------------------------------------------------------------

fn with_file(file: Value) -> Result<Vec<HttpRequest>, Failure> {
    let call = call_with(
        json!([{ "role": "user", "parts": [{ "type": "text", "text": "Describe" }, { "type": "file", "file": file }] }]),
        json!({}),
    );
    requests(json!({}), &call)
}

#[test]
fn images_are_base64_or_url_sources() {
    let inline = with_file(json!({ "fileType": "inline", "mimeType": "image/png", "base64Data": "iVBORw0KGgo=" })).unwrap();
    assert_eq!(
        body(&inline[0])["messages"][0]["content"][1],
        json!({ "type": "image", "source": { "type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo=" } })
    );
    let remote = with_file(json!({ "fileType": "remote", "mimeType": "image/jpeg", "url": "https://example.com/cat.jpg" })).unwrap();
    assert_eq!(
        body(&remote[0])["messages"][0]["content"][1],
        json!({ "type": "image", "source": { "type": "url", "url": "https://example.com/cat.jpg" } })
    );
    let data_uri = with_file(json!({ "url": "data:image/webp;base64,UklGRg==" })).unwrap();
    assert_eq!(
        body(&data_uri[0])["messages"][0]["content"][1]["source"],
        json!({ "type": "base64", "media_type": "image/webp", "data": "UklGRg==" })
    );
}

#[test]
fn only_images_can_be_attached() {
    let pdf = with_file(json!({ "mimeType": "application/pdf", "base64Data": "JVBERi0=" })).unwrap_err();
    assert_eq!((pdf.code, pdf.reason), (Code::PromptInvalidArgument, Reason::FileNotImage));
    let remote_pdf = with_file(json!({ "mimeType": "application/pdf", "url": "https://example.com/a.pdf" })).unwrap_err();
    assert_eq!(remote_pdf.reason, Reason::FileNotImage);
    assert_eq!(with_file(json!({ "base64Data": "iVBORw0KGgo=" })).unwrap_err().reason, Reason::FileWithoutMimeType);
    assert_eq!(with_file(json!({ "mimeType": "image/png" })).unwrap_err().reason, Reason::FileWithoutData);
}

// ---- function calling -------------------------------------------------------------------------

fn weather_declarations() -> Value {
    json!([
        { "name": "get_weather", "description": "Weather in a city.", "parameters": { "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] } },
        { "name": "get_time", "description": "Time in a city." },
    ])
}

#[test]
fn declarations_become_tools_with_object_input_schemas() {
    let b = sent(json!({ "functionDeclarations": weather_declarations() }));
    assert_eq!(
        b["tools"],
        json!([
            { "name": "get_weather", "description": "Weather in a city.", "input_schema": { "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] } },
            { "name": "get_time", "description": "Time in a city.", "input_schema": { "type": "object", "properties": {} } },
        ])
    );
    assert!(b.get("tool_choice").is_none(), "the model chooses freely");
    let untyped = sent(json!({ "functionDeclarations": [{ "name": "f", "parameters": { "properties": { "a": { "type": "string" } } } }] }));
    assert_eq!(untyped["tools"][0]["input_schema"]["type"], "object");
}

#[test]
fn tool_use_blocks_are_function_calls() {
    let reply = parse(&message(
        json!([
            { "type": "text", "text": "Let me check." },
            { "type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": { "city": "Paris" } },
            { "type": "tool_use", "id": "toolu_01B", "name": "get_time", "input": {} },
        ]),
        "tool_use",
    ))
    .unwrap();
    let candidate = &reply.candidates[0];
    assert_eq!(candidate.finish, FinishReason::ToolCalls);
    assert_eq!(candidate.answer(), "Let me check.");
    let calls: Vec<_> = candidate.function_calls().collect();
    assert_eq!(calls.len(), 2);
    assert_eq!(
        (calls[0].id.as_deref(), calls[0].name.as_deref(), calls[0].args.clone()),
        (Some("toolu_01A"), Some("get_weather"), Some(json!({ "city": "Paris" })))
    );
    assert_eq!(calls[1].id.as_deref(), Some("toolu_01B"));
}

#[test]
fn several_function_responses_in_one_user_turn_answer_the_calls_before() {
    // What WordPress's ability resolver sends: the model's calls, then ONE user message with
    // every response (here without ids: they are matched to the calls by name).
    let call = call_with(
        json!([
            { "role": "user", "parts": [{ "type": "text", "text": "Weather and time in Paris?" }] },
            { "role": "model", "parts": [
                { "type": "text", "text": "Checking." },
                { "type": "function_call", "functionCall": { "id": "toolu_01A", "name": "get_weather", "args": { "city": "Paris" } } },
                { "type": "function_call", "functionCall": { "id": "toolu_01B", "name": "get_time", "args": [] } },
            ] },
            { "role": "user", "parts": [
                { "type": "function_response", "functionResponse": { "name": "get_weather", "response": { "temp": 21 } } },
                { "type": "function_response", "functionResponse": { "id": "toolu_01B", "name": "get_time", "response": "10:00" } },
                { "type": "text", "text": "Answer briefly." },
            ] },
        ]),
        json!({ "functionDeclarations": weather_declarations() }),
    );
    let b = body(&requests(json!({}), &call).unwrap()[0]);
    assert_eq!(
        b["messages"][1],
        json!({ "role": "assistant", "content": [
            { "type": "text", "text": "Checking." },
            { "type": "tool_use", "id": "toolu_01A", "name": "get_weather", "input": { "city": "Paris" } },
            { "type": "tool_use", "id": "toolu_01B", "name": "get_time", "input": {} },
        ] })
    );
    assert_eq!(
        b["messages"][2],
        json!({ "role": "user", "content": [
            { "type": "tool_result", "tool_use_id": "toolu_01A", "content": "{\"temp\":21}" },
            { "type": "tool_result", "tool_use_id": "toolu_01B", "content": "10:00" },
            { "type": "text", "text": "Answer briefly." },
        ] })
    );
}

#[test]
fn calls_without_ids_get_ids_their_responses_share() {
    let call = call_with(
        json!([
            { "role": "user", "parts": [{ "type": "text", "text": "Go" }] },
            { "role": "model", "parts": [{ "type": "function_call", "functionCall": { "name": "get_time", "args": "{\"city\":\"Oslo\"}" } }] },
            { "role": "user", "parts": [{ "type": "function_response", "functionResponse": { "name": "get_time", "response": "9:00" } }] },
        ]),
        json!({}),
    );
    let b = body(&requests(json!({}), &call).unwrap()[0]);
    let used = &b["messages"][1]["content"][0];
    assert_eq!(used["input"], json!({ "city": "Oslo" }), "JSON text arguments are read");
    assert_eq!(b["messages"][2]["content"][0]["tool_use_id"], used["id"]);
}

#[test]
fn foreign_call_ids_are_made_valid_on_both_sides() {
    let call = call_with(
        json!([
            { "role": "model", "parts": [{ "type": "function_call", "functionCall": { "id": "fc:1/a", "name": "f", "args": {} } }] },
            { "role": "user", "parts": [{ "type": "function_response", "functionResponse": { "id": "fc:1/a", "name": "f", "response": 1 } }] },
        ]),
        json!({}),
    );
    let b = body(&requests(json!({}), &call).unwrap()[0]);
    assert_eq!(b["messages"][0]["content"][0]["id"], "fc_1_a");
    assert_eq!(b["messages"][1]["content"][0]["tool_use_id"], "fc_1_a");
}

// ---- JSON output ------------------------------------------------------------------------------

#[test]
fn a_json_schema_answer_is_a_forced_tool_whose_input_is_the_answer() {
    let schema = json!({ "type": "object", "properties": { "title": { "type": "string" } }, "required": ["title"] });
    let b = sent(json!({ "outputMimeType": "application/json", "outputSchema": schema }));
    assert_eq!(b["tools"][0]["name"], ANSWER_TOOL);
    assert_eq!(b["tools"][0]["input_schema"], schema);
    assert_eq!(b["tool_choice"], json!({ "type": "tool", "name": ANSWER_TOOL }));

    let reply =
        parse(&message(json!([{ "type": "tool_use", "id": "toolu_1", "name": ANSWER_TOOL, "input": { "title": "Hi" } }]), "tool_use"))
            .unwrap();
    let candidate = &reply.candidates[0];
    assert_eq!(candidate.finish, FinishReason::Stop, "an answer, not a function call");
    assert_eq!(candidate.function_calls().count(), 0);
    assert_eq!(serde_json::from_str::<Value>(&candidate.answer()).unwrap(), json!({ "title": "Hi" }));
}

#[test]
fn schemas_that_are_not_objects_travel_under_value() {
    let schema = json!({ "type": "array", "items": { "type": "string" } });
    let b = sent(json!({ "outputSchema": schema }));
    assert_eq!(b["tools"][0]["name"], ANSWER_VALUE_TOOL);
    assert_eq!(b["tools"][0]["input_schema"], json!({ "type": "object", "properties": { "value": schema }, "required": ["value"] }));
    let reply = parse(&message(
        json!([{ "type": "tool_use", "id": "t", "name": ANSWER_VALUE_TOOL, "input": { "value": ["a", "b"] } }]),
        "tool_use",
    ))
    .unwrap();
    assert_eq!(reply.candidates[0].answer(), "[\"a\",\"b\"]");
}

#[test]
fn json_without_a_schema_is_any_object() {
    let b = sent(json!({ "outputMimeType": "application/json" }));
    assert_eq!(b["tools"][0]["input_schema"], json!({ "type": "object" }));
    assert_eq!(b["tool_choice"]["name"], ANSWER_TOOL);
    assert!(b.get("system").is_none(), "no prompt rule needed: the tool delivers JSON");
}

#[test]
fn json_beside_other_tools_lets_the_model_call_any_of_them() {
    let b = sent(json!({ "outputMimeType": "application/json", "functionDeclarations": weather_declarations(), "webSearch": {} }));
    let names: Vec<&str> = b["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["get_weather", "get_time", "web_search", ANSWER_TOOL]);
    assert_eq!(b["tool_choice"], json!({ "type": "any" }));
}

// ---- web search -------------------------------------------------------------------------------

#[test]
fn web_search_is_the_server_tool_with_its_domain_lists() {
    let plain = sent(json!({ "webSearch": { "allowedDomains": [], "disallowedDomains": [] } }));
    assert_eq!(plain["tools"], json!([{ "type": "web_search_20250305", "name": "web_search" }]));
    let allowed = sent(json!({ "webSearch": { "allowedDomains": ["wordpress.org"] } }));
    assert_eq!(allowed["tools"][0]["allowed_domains"], json!(["wordpress.org"]));
    let blocked = sent(json!({ "webSearch": { "disallowedDomains": ["example.com"] } }));
    assert_eq!(blocked["tools"][0]["blocked_domains"], json!(["example.com"]));
    // An excluded domain outside every allowed one cannot appear anyway.
    let both = sent(json!({ "webSearch": { "allowedDomains": ["wordpress.org"], "disallowedDomains": ["example.com"] } }));
    assert_eq!(both["tools"][0], json!({ "type": "web_search_20250305", "name": "web_search", "allowed_domains": ["wordpress.org"] }));
}

#[test]
fn excluding_inside_allowed_domains_is_refused_not_widened() {
    for blocked in ["make.wordpress.org", "wordpress.org", "https://WordPress.org/news"] {
        let call = hi(json!({ "webSearch": { "allowedDomains": ["wordpress.org"], "disallowedDomains": [blocked] } }));
        let failure = requests(json!({}), &call).unwrap_err();
        assert_eq!((failure.code, failure.reason), (Code::PromptInvalidArgument, Reason::WebSearchAllowedAndExcluded), "{blocked}");
        assert!(failure.message.starts_with("Anthropic's web search"), "{}", failure.message);
    }
}

#[test]
fn web_search_answers_are_the_text_blocks_joined() {
    let reply = parse(&message(
        json!([
            { "type": "text", "text": "I'll search." },
            { "type": "server_tool_use", "id": "srvtoolu_1", "name": "web_search", "input": { "query": "wp 7" } },
            { "type": "web_search_tool_result", "tool_use_id": "srvtoolu_1", "content": [] },
            { "type": "text", "text": "WordPress 7 is out", "citations": [{ "type": "web_search_result_location", "url": "https://wordpress.org" }] },
            { "type": "text", "text": "." },
        ]),
        "end_turn",
    ))
    .unwrap();
    assert_eq!(reply.candidates[0].parts.len(), 1);
    assert_eq!(reply.candidates[0].answer(), "I'll search.\n\nWordPress 7 is out.");
}

// ---- thinking ---------------------------------------------------------------------------------

#[test]
fn thinking_blocks_are_the_thought_channel_with_their_signature() {
    let reply = parse(&message(
        json!([
            { "type": "thinking", "thinking": "Paris is in France.", "signature": "sig-1" },
            { "type": "redacted_thinking", "data": "enc-2" },
            { "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": { "city": "Paris" } },
        ]),
        "tool_use",
    ))
    .unwrap();
    let parts = &reply.candidates[0].parts;
    assert_eq!(parts[0], ReplyPart::Text { text: "Paris is in France.".into(), thought: true, signature: Some("sig-1".into()) });
    assert_eq!(parts[1], ReplyPart::Text { text: String::new(), thought: true, signature: Some("enc-2".into()) });
    assert_eq!(reply.candidates[0].finish, FinishReason::ToolCalls);
}

#[test]
fn signed_thoughts_go_back_only_when_the_call_thinks() {
    let messages = json!([
        { "role": "user", "parts": [{ "type": "text", "text": "Weather?" }] },
        { "role": "model", "parts": [
            { "channel": "thought", "type": "text", "text": "Need the tool.", "thoughtSignature": "sig-1" },
            { "channel": "thought", "type": "text", "text": "", "thoughtSignature": "enc-2" },
            { "channel": "thought", "type": "text", "text": "Unsigned, from elsewhere." },
            { "type": "function_call", "functionCall": { "id": "toolu_1", "name": "get_weather", "args": { "city": "Paris" } } },
        ] },
        { "role": "user", "parts": [{ "type": "function_response", "functionResponse": { "id": "toolu_1", "name": "get_weather", "response": "sunny" } }] },
    ]);
    let thinking = json!({ "customOptions": { "thinking": { "type": "enabled", "budget_tokens": 1024 } } });
    let b = body(&requests(json!({}), &call_with(messages.clone(), thinking)).unwrap()[0]);
    assert_eq!(b["thinking"]["budget_tokens"], 1024);
    let turn = b["messages"][1]["content"].as_array().unwrap();
    assert_eq!(turn[0], json!({ "type": "thinking", "thinking": "Need the tool.", "signature": "sig-1" }));
    assert_eq!(turn[1], json!({ "type": "redacted_thinking", "data": "enc-2" }));
    assert_eq!(turn[2]["type"], "tool_use");
    assert_eq!(turn.len(), 3);

    let plain = body(&requests(json!({}), &call_with(messages, json!({}))).unwrap()[0]);
    assert_eq!(
        plain["messages"][1]["content"],
        json!([{ "type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": { "city": "Paris" } }])
    );
}

// ---- finish reasons and usage -----------------------------------------------------------------

#[test]
fn stop_reasons_map_to_finish_reasons() {
    let text = json!([{ "type": "text", "text": "Done" }]);
    assert_eq!(parse(&message(text.clone(), "end_turn")).unwrap().candidates[0].finish, FinishReason::Stop);
    assert_eq!(parse(&message(text.clone(), "stop_sequence")).unwrap().candidates[0].finish, FinishReason::Stop);
    assert_eq!(parse(&message(text.clone(), "max_tokens")).unwrap().candidates[0].finish, FinishReason::Length);
    assert_eq!(parse(&message(text.clone(), "model_context_window_exceeded")).unwrap().candidates[0].finish, FinishReason::Length);
    assert_eq!(parse(&message(text, "refusal")).unwrap().candidates[0].finish, FinishReason::ContentFilter);
    let refused = parse(&message(json!([]), "refusal")).unwrap();
    assert_eq!((refused.candidates[0].finish, refused.candidates[0].parts.len()), (FinishReason::ContentFilter, 0));
}

#[test]
fn the_token_limit_without_an_answer_is_a_token_limit_failure() {
    for content in [json!([]), json!([{ "type": "thinking", "thinking": "Hmm", "signature": "s" }])] {
        let failure = parse(&message(content, "max_tokens")).unwrap_err();
        assert_eq!((failure.code, failure.reason), (Code::PromptTokenLimitReached, Reason::ProviderTokenLimit));
        assert!(failure.message.contains(MODEL), "{}", failure.message);
    }
    // A tool call cut by the limit has incomplete input: it is not passed on.
    let cut_call =
        parse(&message(json!([{ "type": "tool_use", "id": "t", "name": "get_weather", "input": {} }]), "max_tokens")).unwrap_err();
    assert_eq!(cut_call.reason, Reason::ProviderTokenLimit);
    let cut_json = parse(&message(json!([{ "type": "tool_use", "id": "t", "name": ANSWER_TOOL, "input": {} }]), "max_tokens")).unwrap_err();
    assert_eq!(cut_json.reason, Reason::ProviderTokenLimit);
}

#[test]
fn an_answer_without_text_is_no_text() {
    let failure = parse(&message(json!([{ "type": "thinking", "thinking": "…", "signature": "s" }]), "end_turn")).unwrap_err();
    assert_eq!((failure.code, failure.reason), (Code::PromptUpstreamServerError, Reason::ProviderNoText));
}

#[test]
fn usage_sums_the_three_input_counts() {
    let mut response = message(json!([{ "type": "text", "text": "Hi" }]), "end_turn");
    response.body = json!({
        "type": "message", "content": [{ "type": "text", "text": "Hi" }], "stop_reason": "end_turn",
        "usage": { "input_tokens": 10, "cache_creation_input_tokens": 200, "cache_read_input_tokens": 3000, "output_tokens": 40 },
    })
    .to_string();
    let usage = parse(&response).unwrap().usage.unwrap();
    assert_eq!((usage.input, usage.output, usage.total), (3210, 40, 3250));
    assert_eq!((usage.cached_input, usage.cache_write_input, usage.thought, usage.estimated), (Some(3000), Some(200), None, false));
    let plain = parse(&message(json!([{ "type": "text", "text": "Hi" }]), "end_turn")).unwrap().usage.unwrap();
    assert_eq!((plain.input, plain.output, plain.total, plain.cached_input, plain.cache_write_input), (12, 7, 19, None, None));
    response.body = json!({ "type": "message", "content": [{ "type": "text", "text": "Hi" }], "stop_reason": "end_turn" }).to_string();
    assert_eq!(parse(&response).unwrap().usage, None, "no usage: the task estimates");
}

// ---- errors -----------------------------------------------------------------------------------

#[test]
fn error_types_and_messages_classify_failures() {
    let cases = [
        (anthropic_error(401, "authentication_error", "invalid x-api-key"), Code::PromptClientError, 401, Reason::ProviderRefusedKey),
        (anthropic_error(403, "permission_error", "Your API key does not have permission to use the specified resource."), Code::PromptClientError, 403, Reason::ProviderRefusedKey),
        (anthropic_error(404, "not_found_error", "model: claude-nope"), Code::PromptClientError, 404, Reason::ProviderModelNotFound),
        (anthropic_error(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"), Code::PromptTokenLimitReached, 400, Reason::ProviderContextTooLong),
        (anthropic_error(400, "invalid_request_error", "input length and `max_tokens` exceed context limit: 197626 + 8192 > 200000, decrease input length or `max_tokens` and try again"), Code::PromptTokenLimitReached, 400, Reason::ProviderContextTooLong),
        (anthropic_error(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."), Code::PromptClientError, 400, Reason::ProviderBilling),
        (anthropic_error(400, "invalid_request_error", "You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC."), Code::PromptClientError, 400, Reason::ProviderBilling),
        (anthropic_error(402, "billing_error", "There is an issue with your payment method."), Code::PromptClientError, 402, Reason::ProviderBilling),
        (anthropic_error(400, "invalid_request_error", "Output blocked by content filtering policy"), Code::PromptClientError, 400, Reason::ProviderRefusedContent),
        (anthropic_error(400, "invalid_request_error", "temperature: Input should be less than or equal to 1"), Code::PromptClientError, 400, Reason::ProviderRejected),
        (anthropic_error(413, "request_too_large", "Request exceeds the maximum allowed number of bytes."), Code::PromptClientError, 413, Reason::ProviderRejected),
        (anthropic_error(429, "rate_limit_error", "Number of requests has exceeded your per-minute rate limit"), Code::PromptClientError, 429, Reason::ProviderRateLimited),
        (anthropic_error(500, "api_error", "Internal server error"), Code::PromptUpstreamServerError, 500, Reason::ProviderServerError),
        (anthropic_error(504, "timeout_error", "Request timed out"), Code::PromptUpstreamServerError, 504, Reason::ProviderServerError),
        (anthropic_error(529, "overloaded_error", "Overloaded"), Code::PromptUpstreamServerError, 529, Reason::ProviderServerError),
    ];
    for (response, code, status, reason) in cases {
        let failure = parse(&response).unwrap_err();
        assert_eq!((failure.code, failure.status, failure.reason), (code, status, reason), "{}", response.body);
        assert_eq!(failure.detail.as_ref().map(|d| d.reason), Some(Reason::ProviderSaid), "the provider is quoted");
        assert!(failure.message.starts_with("Anthropic "), "{}", failure.message);
    }
}

#[test]
fn a_rate_limit_says_when_to_retry() {
    let mut response = anthropic_error(429, "rate_limit_error", "This request would exceed the rate limit for your organization.");
    response.headers.insert("retry-after".into(), json!("12"));
    let failure = parse(&response).unwrap_err();
    assert_eq!((failure.reason, failure.params["retry_after"].as_str()), (Reason::ProviderRateLimitedRetryAfter, "12"));
    assert!(failure.message.contains("Retry after 12 s") && failure.message.contains("Claude account"), "{}", failure.message);
    assert!(failure.is_transient());
}

#[test]
fn unusable_bodies_are_upstream_errors() {
    let html =
        HttpOutcome { status: 503, body: "<html><body>503 Service Temporarily Unavailable</body></html>".into(), ..Default::default() };
    let failure = parse(&html).unwrap_err();
    assert_eq!((failure.reason, failure.detail.map(|d| d.reason)), (Reason::ProviderServerError, Some(Reason::ProviderSentHtml)));
    let empty = HttpOutcome { status: 200, ..Default::default() };
    assert_eq!(parse(&empty).unwrap_err().reason, Reason::ProviderTruncated);
    let cut = HttpOutcome { status: 200, body: "{\"type\":\"message\",\"content\":[{\"type\":\"te".into(), ..Default::default() };
    assert_eq!(parse(&cut).unwrap_err().reason, Reason::ProviderTruncated);
    let page = HttpOutcome { status: 200, body: "<!doctype html><p>login</p>".into(), ..Default::default() };
    assert_eq!(parse(&page).unwrap_err().reason, Reason::ProviderHtml);
}

#[test]
fn an_error_in_a_2xx_body_is_not_an_answer() {
    let failure = parse(&anthropic_error(200, "overloaded_error", "Overloaded")).unwrap_err();
    assert_eq!((failure.code, failure.reason), (Code::PromptUpstreamServerError, Reason::ProviderFailed));
    assert!(failure.message.ends_with("Anthropic said: \"Overloaded\""), "{}", failure.message);
}
