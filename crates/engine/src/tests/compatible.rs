//! Unit tests of `providers/openai_compatible` through the four dialects that only speak it:
//! DeepSeek, xAI, OpenRouter and Azure OpenAI (OpenAI's own Chat Completions mode is held to its
//! conformance vectors).

use super::*;
use crate::failure::Code;
use crate::protocol::{Placement, TransportError, TransportErrorKind};
use crate::tests::support;
use serde_json::json;

/// (connector, AI Puffer provider, legacy model list option, a model id).
const DEEPSEEK: (&str, &str, &str, &str) = ("deepseek", "DeepSeek", "aipkit_deepseek_model_list", "deepseek-reasoner");
const XAI: (&str, &str, &str, &str) = ("xai", "xAI", "aipkit_xai_model_list", "grok-4");
const OPENROUTER: (&str, &str, &str, &str) = ("openrouter", "OpenRouter", "aipkit_openrouter_model_list", "openai/gpt-4o-mini");
const AZURE: (&str, &str, &str, &str) = ("azure", "Azure", "aipkit_azure_deployment_list", "gpt-4o-prod");

fn call_to(connector: (&str, &str, &str, &str), messages: Value, config: Value) -> Call {
    serde_json::from_value(json!({
        "capability": "text_generation", "provider": connector.0, "model": connector.3, "messages": messages, "config": config,
    }))
    .unwrap()
}

fn hi() -> Value {
    json!([{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }])
}

fn target_for(connector: (&str, &str, &str, &str), settings: Value, call: &Call) -> Target {
    let site = support::site(json!({
        "managed": true,
        "credentials": [connector.1],
        "providers": { connector.1: settings },
        "catalogs": { connector.2: [connector.3] },
    }));
    crate::route::resolve(&site, call).unwrap()
}

fn default_settings(connector: (&str, &str, &str, &str)) -> Value {
    if connector.0 == "azure" {
        json!({ "endpoint": "https://contoso.openai.azure.com" })
    } else {
        json!({})
    }
}

fn requests(connector: (&str, &str, &str, &str), messages: Value, config: Value) -> Result<Vec<HttpRequest>, Failure> {
    let call = call_to(connector, messages, config);
    crate::providers::text_requests(&target_for(connector, default_settings(connector), &call), &call)
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
}

fn sent(connector: (&str, &str, &str, &str), config: Value) -> Value {
    body(&requests(connector, hi(), config).unwrap()[0])
}

fn parse(connector: (&str, &str, &str, &str), status: u16, body: Value) -> Result<TextReply, Failure> {
    parse_raw(connector, support::outcome(status, &body.to_string(), &[]))
}

fn parse_raw(connector: (&str, &str, &str, &str), outcome: HttpOutcome) -> Result<TextReply, Failure> {
    let call = call_to(connector, hi(), json!({}));
    crate::providers::parse_text(&target_for(connector, default_settings(connector), &call), 30.0, &outcome, TEXT_RESPONSE_LIMIT)
}

/// Every sampling option, with `extra` keys added.
fn every_option(extra: Value) -> Value {
    let mut config = json!({
        "systemInstruction": "Be brief.", "maxTokens": 50, "temperature": 0.3, "topP": 0.9, "topK": 20,
        "stopSequences": ["END"], "presencePenalty": 0.5, "frequencyPenalty": 0.25,
    });
    if let (Some(config), Value::Object(extra)) = (config.as_object_mut(), extra) {
        config.extend(extra);
    }
    config
}

// ---- requests ----------------------------------------------------------------------------------

#[test]
fn deepseek_sends_what_it_declares_and_a_request_per_candidate() {
    let sent = requests(DEEPSEEK, hi(), every_option(json!({ "candidateCount": 3 }))).unwrap();
    assert_eq!(sent.len(), 3, "DeepSeek has no n");
    assert!(sent.iter().all(|r| r.url == "https://api.deepseek.com/v1/chat/completions"));
    let credential = sent[0].credential.as_ref().unwrap();
    assert_eq!(
        (credential.provider, credential.placement, credential.name, credential.prefix),
        ("DeepSeek", Placement::Header, "Authorization", "Bearer ")
    );
    assert_eq!(
        body(&sent[0]),
        json!({
            "model": "deepseek-reasoner",
            "messages": [{ "role": "system", "content": "Be brief." }, { "role": "user", "content": "Hi" }],
            "max_tokens": 50, "temperature": 0.3, "top_p": 0.9, "stop": ["END"], "presence_penalty": 0.5, "frequency_penalty": 0.25,
        })
    );
}

#[test]
fn every_dialect_maps_the_common_options_its_own_way() {
    let xai = sent(XAI, json!({ "candidateCount": 2, "maxTokens": 50, "topK": 20, "stopSequences": ["END"], "presencePenalty": 0.5 }));
    assert_eq!(xai, json!({ "model": "grok-4", "messages": [{ "role": "user", "content": "Hi" }], "max_completion_tokens": 50, "n": 2 }));

    let call = call_to(OPENROUTER, hi(), every_option(json!({})));
    let openrouter = crate::providers::text_requests(&target_for(OPENROUTER, json!({}), &call), &call).unwrap();
    assert_eq!(openrouter[0].url, "https://openrouter.ai/api/v1/chat/completions");
    assert_eq!(openrouter[0].headers.get("X-Title").map(String::as_str), Some("AIPKit"));
    let b = body(&openrouter[0]);
    assert_eq!((b["max_tokens"].clone(), b["top_k"].clone(), b["stop"].clone()), (json!(50), json!(20), json!(["END"])));
    assert_eq!((b["presence_penalty"].clone(), b["frequency_penalty"].clone()), (json!(0.5), json!(0.25)));

    let azure = requests(AZURE, hi(), json!({ "candidateCount": 2, "maxTokens": 50, "topK": 20, "stopSequences": ["END"] })).unwrap();
    assert_eq!(azure.len(), 1);
    assert_eq!(
        azure[0].url,
        "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2025-01-01-preview"
    );
    let credential = azure[0].credential.as_ref().unwrap();
    assert_eq!((credential.provider, credential.name, credential.prefix), ("Azure", "api-key", ""));
    assert_eq!(
        body(&azure[0]),
        json!({ "messages": [{ "role": "user", "content": "Hi" }], "max_completion_tokens": 50, "n": 2, "stop": ["END"] }),
        "no model in the body: the deployment is in the URL"
    );
}

#[test]
fn candidates_are_requests_where_there_is_no_n() {
    for (connector, count) in [(DEEPSEEK, 4), (OPENROUTER, 4), (XAI, 1), (AZURE, 1)] {
        let sent = requests(connector, hi(), json!({ "candidateCount": 4 })).unwrap();
        assert_eq!(sent.len(), count, "{}", connector.0);
        assert_eq!(body(&sent[0]).get("n").is_some(), count == 1, "{}", connector.0);
    }
}

#[test]
fn azure_endpoints_are_normalised_and_deployments_encoded() {
    let call = call_to(AZURE, hi(), json!({}));
    let mut target =
        target_for(AZURE, json!({ "endpoint": "https://contoso.openai.azure.com/openai/", "api_version_inference": "2024-10-21" }), &call);
    assert_eq!(
        crate::providers::azure::deployment_endpoint(&target, "/chat/completions"),
        "https://contoso.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21"
    );
    target.model.id = "my deployment/1".into();
    assert!(crate::providers::azure::deployment_endpoint(&target, "/x").contains("/deployments/my%20deployment%2F1/x?"));
}

#[test]
fn json_output_follows_each_dialects_support() {
    let schema = json!({ "type": "object", "properties": { "a": { "type": "string" } } });
    let config = json!({ "outputMimeType": "application/json", "outputSchema": schema });
    // DeepSeek has JSON mode but no schemas: JSON mode, with the schema in the instruction.
    let deepseek = sent(DEEPSEEK, config.clone());
    assert_eq!(deepseek["response_format"], json!({ "type": "json_object" }));
    assert!(deepseek["messages"][0]["content"].as_str().unwrap().contains("JSON Schema"));
    for connector in [XAI, OPENROUTER, AZURE] {
        let b = sent(connector, config.clone());
        assert_eq!(b["response_format"]["type"], "json_schema", "{}", connector.0);
        assert_eq!(b["response_format"]["json_schema"], json!({ "name": SCHEMA_NAME, "schema": schema }), "{}", connector.0);
    }
    assert_eq!(sent(XAI, json!({ "outputMimeType": "application/json" }))["response_format"], json!({ "type": "json_object" }));
}

#[test]
fn images_go_where_they_are_read_and_are_refused_by_deepseek() {
    let image = json!([{ "role": "user", "parts": [
        { "type": "text", "text": "What is this?" },
        { "type": "file", "file": { "fileType": "remote", "mimeType": "image/png", "url": "https://example.com/a.png" } },
        { "type": "file", "file": { "fileType": "inline", "mimeType": "image/jpeg", "base64Data": "/9j/4A==" } },
    ] }]);
    for connector in [XAI, OPENROUTER, AZURE] {
        let b = body(&requests(connector, image.clone(), json!({})).unwrap()[0]);
        assert_eq!(
            b["messages"][0]["content"],
            json!([
                { "type": "text", "text": "What is this?" },
                { "type": "image_url", "image_url": { "url": "https://example.com/a.png" } },
                { "type": "image_url", "image_url": { "url": "data:image/jpeg;base64,/9j/4A==" } },
            ]),
            "{}",
            connector.0
        );
    }
    let refused = requests(DEEPSEEK, image, json!({})).unwrap_err();
    assert_eq!((refused.code, refused.reason), (Code::PromptInvalidArgument, Reason::ProviderNoImageInput));
    assert_eq!(
        refused.message,
        "DeepSeek cannot read images. Send the prompt without them, or choose a model of a connector that accepts images."
    );
}

#[test]
fn openrouter_web_search_is_its_web_plugin_and_domain_filters_ask_for_exa() {
    let plain = sent(OPENROUTER, json!({ "webSearch": { "allowedDomains": [], "disallowedDomains": [] } }));
    assert_eq!(plain["plugins"], json!([{ "id": "web" }]));
    let filtered = sent(
        OPENROUTER,
        json!({ "webSearch": { "allowedDomains": ["wordpress.org"], "disallowedDomains": ["example.com"] }, "customOptions": { "plugins": [] } }),
    );
    assert_eq!(
        filtered["plugins"],
        json!([{ "id": "web", "engine": "exa", "include_domains": ["wordpress.org"], "exclude_domains": ["example.com"] }]),
        "custom options cannot drop the search the caller asked for"
    );
    // Where web search is not declared it is not sent either.
    for connector in [DEEPSEEK, XAI, AZURE] {
        let b = sent(connector, json!({ "webSearch": {} }));
        assert!(b.get("plugins").is_none() && b.get("web_search_options").is_none(), "{}", connector.0);
    }
}

#[test]
fn tools_go_out_and_several_responses_in_one_user_turn_come_back() {
    let history = json!([
        { "role": "user", "parts": [{ "type": "text", "text": "Weather in Paris and Rome?" }] },
        { "role": "model", "parts": [
            { "channel": "thought", "type": "text", "text": "Two cities: two calls." },
            { "type": "function_call", "functionCall": { "id": "call_a", "name": "weather", "args": { "city": "Paris" } } },
            { "type": "function_call", "functionCall": { "name": "time", "args": [] } },
        ] },
        { "role": "user", "parts": [
            { "type": "function_response", "functionResponse": { "id": "call_a", "name": "weather", "response": { "sky": "clear" } } },
            { "type": "function_response", "functionResponse": { "name": "time", "response": "12:00" } },
        ] },
    ]);
    let config = json!({ "functionDeclarations": [{ "name": "weather", "description": "Weather.", "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } }, { "name": "time" }] });
    for connector in [DEEPSEEK, XAI, OPENROUTER, AZURE] {
        let b = body(&requests(connector, history.clone(), config.clone()).unwrap()[0]);
        assert_eq!(
            b["tools"][1],
            json!({ "type": "function", "function": { "name": "time", "description": "", "parameters": { "type": "object", "properties": {} } } })
        );
        let messages = b["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 4, "{}: {messages:?}", connector.0);
        assert_eq!(messages[1]["tool_calls"][0]["function"], json!({ "name": "weather", "arguments": "{\"city\":\"Paris\"}" }));
        assert_eq!(messages[1]["tool_calls"][1]["id"], "call_2");
        assert_eq!(messages[2], json!({ "role": "tool", "tool_call_id": "call_a", "content": "{\"sky\":\"clear\"}" }));
        assert_eq!(messages[3], json!({ "role": "tool", "tool_call_id": "call_2", "content": "12:00" }));
        // Only DeepSeek wants the reasoning of a tool-calling turn back.
        let reasoning = messages[1].get("reasoning_content").cloned();
        assert_eq!(reasoning, (connector.0 == "deepseek").then(|| json!("Two cities: two calls.")), "{}", connector.0);
    }
}

#[test]
fn deepseek_sends_empty_reasoning_back_when_the_history_has_none() {
    let history = json!([
        { "role": "user", "parts": [{ "type": "text", "text": "Hi" }] },
        { "role": "model", "parts": [{ "type": "function_call", "functionCall": { "id": "c1", "name": "f", "args": {} } }] },
        { "role": "user", "parts": [{ "type": "function_response", "functionResponse": { "id": "c1", "name": "f", "response": 1 } }] },
    ]);
    let b = body(&requests(DEEPSEEK, history, json!({ "functionDeclarations": [{ "name": "f" }] })).unwrap()[0]);
    assert_eq!(b["messages"][1]["reasoning_content"], "");
    assert_eq!(b["messages"][1]["content"], Value::Null);
}

// ---- responses ---------------------------------------------------------------------------------

#[test]
fn tool_calls_come_back_as_function_calls() {
    for connector in [DEEPSEEK, XAI, OPENROUTER, AZURE] {
        let reply = parse(
            connector,
            200,
            json!({ "choices": [{ "index": 0, "finish_reason": "tool_calls", "message": { "role": "assistant", "content": null, "tool_calls": [
                { "id": "call_9", "type": "function", "function": { "name": "weather", "arguments": "{\"city\":\"Paris\"}" } },
            ] } }], "usage": { "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15 } }),
        )
        .unwrap();
        let candidate = &reply.candidates[0];
        assert_eq!(candidate.finish, FinishReason::ToolCalls);
        let calls: Vec<_> = candidate.function_calls().collect();
        assert_eq!(
            calls,
            [&crate::call::FunctionCall {
                id: Some("call_9".into()),
                name: Some("weather".into()),
                args: Some(json!({ "city": "Paris" }))
            }]
        );
    }
}

#[test]
fn deepseek_reasoning_is_a_thought_and_cache_hits_are_cached_input() {
    let reply = parse(
        DEEPSEEK,
        200,
        json!({ "choices": [{ "index": 0, "finish_reason": "stop", "message": { "role": "assistant", "content": "4", "reasoning_content": "2+2 is 4." } }],
                "usage": { "prompt_tokens": 12, "completion_tokens": 30, "total_tokens": 42, "prompt_cache_hit_tokens": 8, "prompt_cache_miss_tokens": 4,
                           "completion_tokens_details": { "reasoning_tokens": 29 } } }),
    )
    .unwrap();
    assert_eq!(
        reply.candidates[0].parts,
        [
            ReplyPart::Text { text: "2+2 is 4.".into(), thought: true, signature: None },
            ReplyPart::Text { text: "4".into(), thought: false, signature: None },
        ]
    );
    assert_eq!(reply.candidates[0].answer(), "4");
    let usage = reply.usage.unwrap();
    assert_eq!((usage.input, usage.output, usage.total, usage.thought, usage.cached_input), (12, 30, 42, Some(29), Some(8)));
}

#[test]
fn xai_reasoning_beside_the_completion_is_counted_as_output() {
    let answer = |usage: Value| {
        parse(XAI, 200, json!({ "choices": [{ "message": { "content": "303", "reasoning_content": "101*3" }, "finish_reason": "stop" }], "usage": usage }))
            .unwrap()
    };
    let beside = answer(json!({ "prompt_tokens": 32, "completion_tokens": 9, "total_tokens": 135,
        "prompt_tokens_details": { "cached_tokens": 6 }, "completion_tokens_details": { "reasoning_tokens": 94 } }));
    let usage = beside.usage.unwrap();
    assert_eq!((usage.input, usage.output, usage.total, usage.thought, usage.cached_input), (32, 103, 135, Some(94), Some(6)));
    assert_eq!(beside.candidates[0].parts.len(), 2, "grok-3-mini's reasoning_content is a thought part");
    let inside = answer(
        json!({ "prompt_tokens": 686, "completion_tokens": 123, "total_tokens": 809, "completion_tokens_details": { "reasoning_tokens": 112 } }),
    );
    assert_eq!(inside.usage.unwrap().output, 123, "already inside: not counted twice");
}

#[test]
fn openrouter_reads_reasoning_and_cache_writes() {
    let reply = parse(
        OPENROUTER,
        200,
        json!({ "choices": [{ "message": { "role": "assistant", "content": "Hi!", "reasoning": "Greet back." }, "finish_reason": "stop" }],
                "usage": { "prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110, "cost": 0.0012,
                           "prompt_tokens_details": { "cached_tokens": 60, "cache_write_tokens": 40 }, "completion_tokens_details": { "reasoning_tokens": 4 } } }),
    )
    .unwrap();
    assert_eq!(reply.candidates[0].parts[0], ReplyPart::Text { text: "Greet back.".into(), thought: true, signature: None });
    let usage = reply.usage.unwrap();
    assert_eq!((usage.cached_input, usage.cache_write_input, usage.thought), (Some(60), Some(40), Some(4)));
}

#[test]
fn openrouter_errors_inside_a_200_are_failures_with_their_own_status() {
    let whole = parse(
        OPENROUTER,
        200,
        json!({ "error": { "code": 502, "message": "Provider returned error", "metadata": { "provider_name": "X" } } }),
    )
    .unwrap_err();
    assert_eq!((whole.code, whole.status, whole.reason), (Code::PromptUpstreamServerError, 502, Reason::ProviderServerError));
    assert!(whole.message.ends_with("OpenRouter said: \"Provider returned error\""), "{}", whole.message);
    let in_choice = parse(
        OPENROUTER,
        200,
        json!({ "choices": [{ "finish_reason": "error", "message": { "role": "assistant", "content": "" }, "error": { "code": 429, "message": "Upstream rate limit" } }] }),
    )
    .unwrap_err();
    assert_eq!((in_choice.status, in_choice.reason), (429, Reason::ProviderRateLimited));
}

// ---- errors ------------------------------------------------------------------------------------

fn failure(connector: (&str, &str, &str, &str), status: u16, body: &str, headers: &[(&str, &str)]) -> Failure {
    parse_raw(connector, support::outcome(status, body, headers)).unwrap_err()
}

#[test]
fn deepseek_errors_are_classified() {
    let openai_style = |message: &str| {
        json!({ "error": { "message": message, "type": "invalid_request_error", "param": null, "code": "invalid_request_error" } })
            .to_string()
    };
    let cases = [
        (402, openai_style("Insufficient Balance"), Code::PromptClientError, Reason::ProviderBilling),
        (
            400,
            openai_style("This model's maximum context length is 131072 tokens. However, you requested 140000 tokens."),
            Code::PromptTokenLimitReached,
            Reason::ProviderContextTooLong,
        ),
        (400, openai_style("Content Exists Risk"), Code::PromptClientError, Reason::ProviderRefusedContent),
        (401, openai_style("Authentication Fails, Your api key: ****abcd is invalid"), Code::PromptClientError, Reason::ProviderRefusedKey),
        (422, openai_style("Failed to deserialize the JSON body"), Code::PromptClientError, Reason::ProviderRejected),
        (503, openai_style("Server overloaded"), Code::PromptUpstreamServerError, Reason::ProviderServerError),
        (402, String::new(), Code::PromptClientError, Reason::ProviderBilling),
    ];
    for (status, body, code, reason) in cases {
        let failure = failure(DEEPSEEK, status, &body, &[]);
        assert_eq!((failure.code, failure.reason), (code, reason), "{status} {body}");
    }
    assert!(failure(DEEPSEEK, 402, &openai_style("Insufficient Balance"), &[])
        .message
        .contains("Check the billing of the DeepSeek account."));
}

#[test]
fn xai_errors_are_read_from_their_words() {
    let xai = |code: &str, error: &str| json!({ "code": code, "error": error }).to_string();
    let bad_key = failure(
        XAI,
        400,
        &xai(
            "Client specified an invalid argument",
            "Incorrect API key provided: xa***23. You can obtain an API key from https://console.x.ai.",
        ),
        &[],
    );
    assert_eq!((bad_key.status, bad_key.reason), (400, Reason::ProviderRefusedKey));
    assert!(bad_key.message.starts_with("xAI refused the request (HTTP 400): the API key is missing, wrong"), "{}", bad_key.message);
    assert!(bad_key.message.contains("xAI said: \"Incorrect API key provided"), "{}", bad_key.message);
    let credits = failure(
        XAI,
        429,
        &xai(
            "Some resource has been exhausted",
            "Your team abc has either used all available credits or reached its monthly spending limit.",
        ),
        &[("retry-after", "1")],
    );
    assert_eq!((credits.status, credits.reason), (429, Reason::ProviderBilling));
    let too_long = failure(
        XAI,
        400,
        &xai(
            "Client specified an invalid argument",
            "This model's maximum prompt length is 131072 but the request contains 250000 tokens.",
        ),
        &[],
    );
    assert_eq!(too_long.reason, Reason::ProviderContextTooLong);
    let limited = failure(XAI, 429, &xai("Some resource has been exhausted", "Too many requests"), &[("retry-after", "3")]);
    assert_eq!((limited.reason, limited.params["retry_after"].as_str()), (Reason::ProviderRateLimitedRetryAfter, "3"));
    let unknown = failure(
        XAI,
        404,
        &xai("Some requested entity was not found", "The model grok-9 does not exist or your team does not have access to it."),
        &[],
    );
    assert_eq!(unknown.reason, Reason::ProviderModelNotFound);
}

#[test]
fn openrouter_errors_use_their_numeric_codes() {
    let openrouter = |code: u16, message: &str, metadata: Value| {
        json!({ "error": { "code": code, "message": message, "metadata": metadata } }).to_string()
    };
    let billing = failure(
        OPENROUTER,
        402,
        &openrouter(402, "Insufficient credits. Add more using https://openrouter.ai/settings/credits", Value::Null),
        &[],
    );
    assert_eq!((billing.status, billing.reason), (402, Reason::ProviderBilling));
    let flagged =
        failure(OPENROUTER, 403, &openrouter(403, "Input flagged", json!({ "reasons": ["harassment"], "flagged_input": "…" })), &[]);
    assert_eq!((flagged.status, flagged.reason), (403, Reason::ProviderRefusedContent));
    let key = failure(OPENROUTER, 401, &openrouter(401, "User not found.", Value::Null), &[]);
    assert_eq!(key.reason, Reason::ProviderRefusedKey);
    let long = failure(
        OPENROUTER,
        400,
        &openrouter(
            400,
            "This endpoint's maximum context length is 128000 tokens. However, you requested about 250000 tokens.",
            Value::Null,
        ),
        &[],
    );
    assert_eq!(long.reason, Reason::ProviderContextTooLong);
    let down = failure(OPENROUTER, 503, &openrouter(503, "No allowed providers are available for the selected model.", Value::Null), &[]);
    assert_eq!(down.reason, Reason::ProviderServerError);
}

#[test]
fn azure_names_the_deployment_when_it_is_missing_and_reads_the_content_filter() {
    let missing = failure(
        AZURE,
        404,
        r#"{"error":{"code":"DeploymentNotFound","message":"The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again."}}"#,
        &[],
    );
    assert_eq!((missing.code, missing.status, missing.reason), (Code::PromptClientError, 404, Reason::ProviderDeploymentNotFound));
    assert!(missing.message.starts_with("Azure OpenAI has no deployment \"gpt-4o-prod\" at the configured endpoint and API version (HTTP 404). Check the deployment name in the Azure model list"), "{}", missing.message);
    assert_eq!(missing.detail.as_ref().unwrap().reason, Reason::ProviderSaid);
    let filtered = failure(
        AZURE,
        400,
        r#"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}"#,
        &[],
    );
    assert_eq!((filtered.status, filtered.reason), (400, Reason::ProviderRefusedContent));
    let key = failure(
        AZURE,
        401,
        r#"{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}"#,
        &[],
    );
    assert_eq!(key.reason, Reason::ProviderRefusedKey);
    let limited = failure(AZURE, 429, r#"{"error":{"code":"429","message":"Please retry after 6 seconds."}}"#, &[("retry-after", "6")]);
    assert_eq!(limited.reason, Reason::ProviderRateLimitedRetryAfter);
    let html = failure(AZURE, 502, "<html><body>Bad gateway</body></html>", &[("content-type", "text/html")]);
    assert_eq!((html.reason, html.detail.unwrap().reason), (Reason::ProviderServerError, Reason::ProviderSentHtml));
}

#[test]
fn azure_transport_failures_name_the_endpoint_host() {
    let timeout = HttpOutcome {
        error: Some(TransportError { kind: TransportErrorKind::Connect, message: String::new(), code: None, status: None }),
        ..HttpOutcome::default()
    };
    let failure = parse_raw(AZURE, timeout).unwrap_err();
    assert_eq!(failure.params["host"], "contoso.openai.azure.com");
}

#[test]
fn bodies_that_are_not_answers_are_upstream_errors() {
    for connector in [DEEPSEEK, XAI, OPENROUTER, AZURE] {
        assert_eq!(failure(connector, 200, "{\"choices\":[{\"mess", &[]).reason, Reason::ProviderTruncated);
        assert_eq!(failure(connector, 200, "", &[]).reason, Reason::ProviderTruncated);
        assert_eq!(failure(connector, 200, "{\"choices\":[]}", &[]).reason, Reason::ProviderNoText);
        let only_reasoning =
            r#"{"choices":[{"message":{"content":"","reasoning_content":"Hm.","reasoning":"Hm."},"finish_reason":"stop"}]}"#;
        assert_eq!(failure(connector, 200, only_reasoning, &[]).reason, Reason::ProviderNoText, "{}", connector.0);
    }
}
