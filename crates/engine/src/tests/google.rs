//! Unit tests of `providers/google` (kept out of the module file so it reads as the product code).

use super::*;
use crate::failure::Code;
use crate::route;
use crate::tests::support;
use serde_json::json;

/// A managed site whose Google connector has a key, `settings` and its models.
fn target(settings: Value, call: &Call) -> Target {
    let site = support::site(json!({
        "managed": true,
        "credentials": ["Google"],
        "providers": { "Google": settings },
        "catalogs": { "aipkit_google_model_list": ["gemini-2.5-flash", "models/gemini-2.0-flash", "tunedModels/my-tune"] },
    }));
    route::resolve(&site, call).unwrap()
}

fn call_with(messages: Value, config: Value) -> Call {
    serde_json::from_value(json!({
        "capability": "text_generation", "provider": "google", "model": "gemini-2.5-flash",
        "messages": messages, "config": config,
    }))
    .unwrap()
}

fn hi(config: Value) -> Call {
    call_with(json!([{ "role": "user", "parts": [{ "type": "text", "text": "Hi" }] }]), config)
}

fn requests(call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    crate::providers::text_requests(&target(json!({}), call), call)
}

fn body_of(call: &Call) -> Value {
    let sent = requests(call).unwrap();
    assert_eq!(sent.len(), 1);
    serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap()
}

fn reply(status: u16, body: Value) -> Result<TextReply, Failure> {
    outcome(status, &body.to_string(), json!({ "content-type": "application/json" }))
}

fn outcome(status: u16, body: &str, headers: Value) -> Result<TextReply, Failure> {
    let call = hi(json!({}));
    let outcome =
        HttpOutcome { id: "1.1".into(), status, headers: headers.as_object().cloned().unwrap_or_default(), body: body.into(), error: None };
    crate::providers::parse_text(&target(json!({}), &call), 30.0, &outcome, crate::providers::TEXT_RESPONSE_LIMIT)
}

fn text(parts: Value) -> Value {
    json!({ "candidates": [{ "content": { "role": "model", "parts": parts }, "finishReason": "STOP", "index": 0 }],
            "usageMetadata": { "promptTokenCount": 5, "candidatesTokenCount": 3, "totalTokenCount": 8 } })
}

// ---- requests -----------------------------------------------------------------------------------

#[test]
fn one_request_to_generate_content_with_the_key_in_its_header() {
    let sent = requests(&hi(json!({ "candidateCount": 3 }))).unwrap();
    assert_eq!(sent.len(), 1, "Gemini returns every candidate in one response");
    assert_eq!(sent[0].url, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    assert_eq!(sent[0].method, "POST");
    let credential = sent[0].credential.as_ref().unwrap();
    assert_eq!(
        (credential.provider, credential.placement, credential.name, credential.prefix),
        ("Google", Placement::Header, "x-goog-api-key", "")
    );
    assert!(!sent[0].url.contains("key="));
    assert_eq!(sent[0].headers["Content-Type"], "application/json");
    let body: Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["generationConfig"]["candidateCount"], 3);
    assert!(body.get("model").is_none(), "the model is in the URL only");
}

#[test]
fn resource_names_and_versioned_base_urls_are_not_doubled() {
    let mut call = hi(json!({}));
    call.model = "models/gemini-2.0-flash".into();
    assert_eq!(requests(&call).unwrap()[0].url, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent");
    call.model = "tunedModels/my-tune".into();
    assert_eq!(requests(&call).unwrap()[0].url, "https://generativelanguage.googleapis.com/v1beta/tunedModels/my-tune:generateContent");
    let call = hi(json!({}));
    let custom = target(json!({ "base_url": "https://gw.example/google/v1beta/", "api_version": "v1beta" }), &call);
    assert_eq!(text_requests(&custom, &call).unwrap()[0].url, "https://gw.example/google/v1beta/models/gemini-2.5-flash:generateContent");
    let v1 = target(json!({ "api_version": "v1" }), &call);
    assert_eq!(
        text_requests(&v1, &call).unwrap()[0].url,
        "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:generateContent"
    );
}

#[test]
fn every_option_lands_in_its_field() {
    let body = body_of(&hi(json!({
        "systemInstruction": "Be brief.", "maxTokens": 77, "temperature": 0.3, "topP": 0.7, "topK": 5,
        "stopSequences": ["END"], "presencePenalty": 0.5, "frequencyPenalty": -0.5, "candidateCount": 2,
    })));
    assert_eq!(body["systemInstruction"], json!({ "parts": [{ "text": "Be brief." }] }));
    assert_eq!(body["contents"], json!([{ "role": "user", "parts": [{ "text": "Hi" }] }]));
    assert_eq!(
        body["generationConfig"],
        json!({ "maxOutputTokens": 77, "temperature": 0.3, "topP": 0.7, "topK": 5, "stopSequences": ["END"],
                "presencePenalty": 0.5, "frequencyPenalty": -0.5, "candidateCount": 2 })
    );
    let plain = body_of(&hi(json!({})));
    assert_eq!(plain, json!({ "contents": [{ "role": "user", "parts": [{ "text": "Hi" }] }] }), "nothing unasked is sent");
}

#[test]
fn json_output_with_and_without_a_schema() {
    let body = body_of(&hi(json!({ "outputMimeType": "application/json" })));
    assert_eq!(body["generationConfig"], json!({ "responseMimeType": "application/json" }));
    let schema = json!({ "type": "object", "properties": { "a": { "type": "string" } }, "additionalProperties": false });
    let body = body_of(&hi(json!({ "outputMimeType": "application/json", "outputSchema": schema })));
    assert_eq!(body["generationConfig"], json!({ "responseMimeType": "application/json", "responseJsonSchema": schema }));
    assert!(body.get("systemInstruction").is_none(), "Gemini needs no prompt rule for JSON");
}

#[test]
fn declarations_become_function_declarations_and_web_search_google_search() {
    let body = body_of(&hi(json!({
        "functionDeclarations": [
            { "name": "get_weather", "description": "Weather.", "parameters": { "type": "object", "properties": { "city": { "type": "string" } } } },
            { "name": "now", "description": "", "parameters": [] },
        ],
        "webSearch": { "allowedDomains": [], "disallowedDomains": [] },
    })));
    assert_eq!(
        body["tools"],
        json!([
            { "functionDeclarations": [
                { "name": "get_weather", "description": "Weather.", "parametersJsonSchema": { "type": "object", "properties": { "city": { "type": "string" } } } },
                { "name": "now" },
            ] },
            { "google_search": {} },
        ])
    );
}

#[test]
fn web_search_with_domain_filters_is_refused_not_widened() {
    for search in [json!({ "allowedDomains": ["example.com"] }), json!({ "disallowedDomains": ["example.com"] })] {
        let failure = requests(&hi(json!({ "webSearch": search }))).unwrap_err();
        assert_eq!(failure.code, Code::PromptInvalidArgument);
        assert_eq!(failure.reason, Reason::WebSearchCannotFilterDomains);
        assert!(failure.message.starts_with("Google's web search cannot be limited"), "{}", failure.message);
    }
}

#[test]
fn a_tool_round_trip_keeps_signatures_and_sends_several_responses_in_one_user_turn() {
    let call = call_with(
        json!([
            { "role": "user", "parts": [{ "type": "text", "text": "Weather in Paris and Rome?" }] },
            { "role": "model", "parts": [
                { "channel": "thought", "type": "text", "text": "Two cities.", "thoughtSignature": "c2lnLXRob3VnaHQ=" },
                { "type": "function_call", "functionCall": { "name": "get_weather", "args": { "city": "Paris" } }, "thoughtSignature": "c2lnLWE=" },
                { "type": "function_call", "functionCall": { "id": "fc-2", "name": "get_weather", "args": [] } },
            ] },
            { "role": "user", "parts": [
                { "type": "function_response", "functionResponse": { "name": "get_weather", "response": { "temp": 21 } } },
                { "type": "function_response", "functionResponse": { "id": "fc-2", "response": "18 C" } },
            ] },
        ]),
        json!({ "functionDeclarations": [{ "name": "get_weather", "description": "Weather." }] }),
    );
    let body = body_of(&call);
    assert_eq!(
        body["contents"],
        json!([
            { "role": "user", "parts": [{ "text": "Weather in Paris and Rome?" }] },
            { "role": "model", "parts": [
                { "text": "Two cities.", "thought": true, "thoughtSignature": "c2lnLXRob3VnaHQ=" },
                { "functionCall": { "name": "get_weather", "args": { "city": "Paris" } }, "thoughtSignature": "c2lnLWE=" },
                { "functionCall": { "name": "get_weather", "args": {}, "id": "fc-2" } },
            ] },
            { "role": "user", "parts": [
                { "functionResponse": { "name": "get_weather", "response": { "temp": 21 } } },
                { "functionResponse": { "name": "get_weather", "response": { "output": "18 C" }, "id": "fc-2" } },
            ] },
        ])
    );
}

#[test]
fn a_response_without_a_name_or_a_known_id_is_refused() {
    let call = call_with(
        json!([
            { "role": "user", "parts": [{ "type": "text", "text": "Go" }] },
            { "role": "user", "parts": [{ "type": "function_response", "functionResponse": { "id": "unknown", "response": {} } }] },
        ]),
        json!({}),
    );
    let failure = requests(&call).unwrap_err();
    assert_eq!(failure.reason, Reason::FunctionResponseUnnamed);
    assert_eq!(failure.code, Code::PromptInvalidArgument);
}

#[test]
fn images_inline_as_data_uris_and_as_remote_urls() {
    let image =
        |file: Value| json!([{ "role": "user", "parts": [{ "type": "text", "text": "What is this?" }, { "type": "file", "file": file }] }]);
    let inline = body_of(&call_with(image(json!({ "mimeType": "image/png", "base64Data": "iVBORw0KGgo=" })), json!({})));
    assert_eq!(inline["contents"][0]["parts"][1], json!({ "inlineData": { "mimeType": "image/png", "data": "iVBORw0KGgo=" } }));
    let data_uri = body_of(&call_with(image(json!({ "url": "data:image/jpeg;base64,/9j/4AAQ" })), json!({})));
    assert_eq!(data_uri["contents"][0]["parts"][1], json!({ "inlineData": { "mimeType": "image/jpeg", "data": "/9j/4AAQ" } }));
    let remote = body_of(&call_with(image(json!({ "mimeType": "image/webp", "url": "https://example.com/cat.webp" })), json!({})));
    assert_eq!(
        remote["contents"][0]["parts"][1],
        json!({ "fileData": { "mimeType": "image/webp", "fileUri": "https://example.com/cat.webp" } })
    );

    let refused = |file: Value| requests(&call_with(image(file), json!({}))).unwrap_err().reason;
    assert_eq!(refused(json!({ "mimeType": "application/pdf", "base64Data": "JVBERi0=" })), Reason::FileNotImage);
    assert_eq!(refused(json!({ "url": "https://example.com/cat" })), Reason::FileWithoutMimeType);
    assert_eq!(refused(json!({ "url": "data:image/svg+xml,<svg/>" })), Reason::FileDataUriUnreadable);
    assert_eq!(refused(json!({ "mimeType": "image/png" })), Reason::FileWithoutData);
}

#[test]
fn custom_options_reach_the_body_and_its_generation_config_but_not_the_contents() {
    let body = body_of(&hi(json!({
        "temperature": 0.2,
        "functionDeclarations": [{ "name": "f", "description": "F." }],
        "customOptions": {
            "generationConfig.thinkingConfig": { "thinkingBudget": 0 },
            "generationConfig": { "seed": 7 },
            "tools": [{ "url_context": {} }],
            "safetySettings": [{ "category": "HARM_CATEGORY_HARASSMENT", "threshold": "BLOCK_NONE" }],
            "contents": [],
        },
    })));
    assert_eq!(body["generationConfig"], json!({ "temperature": 0.2, "thinkingConfig": { "thinkingBudget": 0 }, "seed": 7 }));
    assert_eq!(body["tools"], json!([{ "functionDeclarations": [{ "name": "f", "description": "F." }] }, { "url_context": {} }]));
    assert_eq!(body["safetySettings"][0]["threshold"], "BLOCK_NONE");
    assert_eq!(body["contents"][0]["parts"][0]["text"], "Hi");
}

#[test]
fn an_empty_prompt_is_refused() {
    let failure = requests(&call_with(json!([{ "role": "user", "parts": [] }]), json!({}))).unwrap_err();
    assert_eq!(failure.reason, Reason::PromptEmpty);
}

// ---- responses ----------------------------------------------------------------------------------

#[test]
fn text_thoughts_and_signatures_are_read_part_by_part() {
    let got = reply(
        200,
        text(json!([
            { "text": "Thinking about it.", "thought": true },
            { "text": "Hello" },
            { "text": " there", "thoughtSignature": "c2ln" },
            { "text": "" },
        ])),
    )
    .unwrap();
    assert_eq!(got.candidates.len(), 1);
    let candidate = &got.candidates[0];
    assert_eq!(candidate.finish, FinishReason::Stop);
    assert_eq!(candidate.answer(), "Hello there");
    assert_eq!(
        candidate.parts,
        vec![
            ReplyPart::Text { text: "Thinking about it.".into(), thought: true, signature: None },
            ReplyPart::Text { text: "Hello".into(), thought: false, signature: None },
            ReplyPart::Text { text: " there".into(), thought: false, signature: Some("c2ln".into()) },
        ]
    );
}

#[test]
fn function_calls_keep_their_signature_and_finish_with_tool_calls() {
    let got = reply(
        200,
        text(json!([
            { "functionCall": { "name": "get_weather", "args": { "city": "Paris" } }, "thoughtSignature": "c2lnLWE=" },
            { "functionCall": { "id": "fc-2", "name": "now" } },
        ])),
    )
    .unwrap();
    let candidate = &got.candidates[0];
    assert_eq!(candidate.finish, FinishReason::ToolCalls);
    assert_eq!(
        candidate.parts,
        vec![
            ReplyPart::FunctionCall {
                call: FunctionCall { id: None, name: Some("get_weather".into()), args: Some(json!({ "city": "Paris" })) },
                signature: Some("c2lnLWE=".into()),
            },
            ReplyPart::FunctionCall {
                call: FunctionCall { id: Some("fc-2".into()), name: Some("now".into()), args: Some(json!({})) },
                signature: None
            },
        ]
    );
}

#[test]
fn several_candidates_come_from_one_response() {
    let got = reply(
        200,
        json!({ "candidates": [
            { "content": { "parts": [{ "text": "One" }] }, "finishReason": "STOP", "index": 0 },
            { "content": { "parts": [{ "text": "Two, cut" }] }, "finishReason": "MAX_TOKENS", "index": 1 },
            { "content": { "parts": [] }, "finishReason": "SAFETY", "index": 2 },
        ] }),
    )
    .unwrap();
    let finishes: Vec<FinishReason> = got.candidates.iter().map(|c| c.finish).collect();
    assert_eq!(finishes, vec![FinishReason::Stop, FinishReason::Length, FinishReason::ContentFilter]);
    assert_eq!(got.usage, None, "no usageMetadata: the task estimates");
}

#[test]
fn usage_counts_thinking_as_output_and_the_cache_as_part_of_the_input() {
    let mut body = text(json!([{ "text": "Hi" }]));
    body["usageMetadata"] = json!({
        "promptTokenCount": 100, "cachedContentTokenCount": 60, "candidatesTokenCount": 10,
        "thoughtsTokenCount": 25, "toolUsePromptTokenCount": 5, "totalTokenCount": 140,
    });
    let usage = reply(200, body).unwrap().usage.unwrap();
    assert_eq!((usage.input, usage.output, usage.total), (105, 35, 140));
    assert_eq!((usage.thought, usage.cached_input, usage.cache_write_input), (Some(25), Some(60), None));
    let plain = reply(200, text(json!([{ "text": "Hi" }]))).unwrap().usage.unwrap();
    assert_eq!((plain.input, plain.output, plain.total, plain.thought), (5, 3, 8, None));
}

#[test]
fn an_answer_that_thinking_cut_off_is_the_token_limit() {
    let failure = reply(
        200,
        json!({ "candidates": [{ "content": { "role": "model" }, "finishReason": "MAX_TOKENS" }],
                "usageMetadata": { "promptTokenCount": 5, "thoughtsTokenCount": 77, "totalTokenCount": 82 } }),
    )
    .unwrap_err();
    assert_eq!(failure.code, Code::PromptTokenLimitReached);
    assert_eq!(failure.reason, Reason::ProviderTokenLimit);
}

#[test]
fn a_blocked_prompt_is_refused_content() {
    let failure =
        reply(200, json!({ "promptFeedback": { "blockReason": "SAFETY" }, "usageMetadata": { "promptTokenCount": 9 } })).unwrap_err();
    assert_eq!(failure.code, Code::PromptClientError);
    assert_eq!(failure.reason, Reason::ProviderRefusedContent);
    assert!(failure.message.ends_with("Google said: \"blockReason SAFETY\""), "{}", failure.message);
}

#[test]
fn no_text_says_why_when_google_did() {
    let empty = reply(200, json!({ "candidates": [{ "content": { "role": "model" }, "finishReason": "STOP" }] })).unwrap_err();
    assert_eq!(empty.reason, Reason::ProviderNoText);
    assert!(empty.detail.is_none());
    let malformed = reply(200, json!({ "candidates": [{ "finishReason": "MALFORMED_FUNCTION_CALL" }] })).unwrap_err();
    assert_eq!(malformed.reason, Reason::ProviderNoText);
    assert!(malformed.message.ends_with("\"finishReason MALFORMED_FUNCTION_CALL\""), "{}", malformed.message);
    assert_eq!(reply(200, json!({})).unwrap_err().reason, Reason::ProviderNoText);
}

// ---- errors -------------------------------------------------------------------------------------

fn google_error(code: u16, status: &str, message: &str, details: Value) -> Value {
    json!({ "error": { "code": code, "message": message, "status": status, "details": details } })
}

#[test]
fn a_wrong_key_is_the_key_failure_although_google_says_400() {
    let body = google_error(
        400,
        "INVALID_ARGUMENT",
        "API key not valid. Please pass a valid API key.",
        json!([{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com" }]),
    );
    let failure = reply(400, body).unwrap_err();
    assert_eq!((failure.code, failure.status, failure.reason), (Code::PromptClientError, 400, Reason::ProviderRefusedKey));
    assert!(failure.message.contains("Check the Google API key"), "{}", failure.message);
    assert!(failure.message.ends_with("Google said: \"API key not valid. Please pass a valid API key.\""));
    let denied = reply(403, google_error(403, "PERMISSION_DENIED", "Method doesn't allow unregistered callers.", json!([]))).unwrap_err();
    assert_eq!((denied.status, denied.reason), (403, Reason::ProviderRefusedKey));
}

#[test]
fn rate_limits_read_googles_retry_delay() {
    let details = json!([
        { "@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [] },
        { "@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "37.2s" },
    ]);
    let failure = reply(429, google_error(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota.", details)).unwrap_err();
    assert_eq!((failure.status, failure.reason), (429, Reason::ProviderRateLimitedRetryAfter));
    assert_eq!(failure.params["retry_after"], "38");
    let header = outcome(429, &google_error(429, "RESOURCE_EXHAUSTED", "Slow down.", json!([])).to_string(), json!({ "retry-after": "5" }));
    assert_eq!(header.unwrap_err().params["retry_after"], "5");
    let plain =
        reply(429, google_error(429, "RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota).", json!([]))).unwrap_err();
    assert_eq!(plain.reason, Reason::ProviderRateLimited);
}

#[test]
fn billing_errors_are_billing() {
    let prepay = google_error(402, "RESOURCE_EXHAUSTED", "Your prepayment credits are depleted. Please go to AI Studio.", json!([]));
    let failure = reply(402, prepay).unwrap_err();
    assert_eq!((failure.status, failure.reason), (402, Reason::ProviderBilling));
    let free_tier = google_error(
        400,
        "FAILED_PRECONDITION",
        "Gemini API free tier is not available in your country. Please enable billing on your project in Google AI Studio.",
        json!([]),
    );
    assert_eq!(reply(400, free_tier).unwrap_err().reason, Reason::ProviderBilling);
    let location = google_error(400, "FAILED_PRECONDITION", "User location is not supported for the API use.", json!([]));
    assert_eq!(reply(400, location).unwrap_err().reason, Reason::ProviderRejected);
}

#[test]
fn an_over_long_prompt_is_the_token_limit() {
    let body = google_error(
        400,
        "INVALID_ARGUMENT",
        "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).",
        json!([]),
    );
    let failure = reply(400, body).unwrap_err();
    assert_eq!((failure.code, failure.reason), (Code::PromptTokenLimitReached, Reason::ProviderContextTooLong));
    assert!(failure.message.contains("\"gemini-2.5-flash\""));
}

#[test]
fn other_errors_by_status_and_shape() {
    let not_found = google_error(404, "NOT_FOUND", "models/gemini-9 is not found for API version v1beta.", json!([]));
    assert_eq!(reply(404, not_found).unwrap_err().reason, Reason::ProviderModelNotFound);
    let internal = reply(500, google_error(500, "INTERNAL", "An internal error has occurred.", json!([]))).unwrap_err();
    assert_eq!((internal.code, internal.reason), (Code::PromptUpstreamServerError, Reason::ProviderServerError));
    let overloaded =
        reply(503, google_error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.", json!([]))).unwrap_err();
    assert_eq!((overloaded.status, overloaded.reason), (503, Reason::ProviderServerError));
    assert!(overloaded.message.ends_with("Google said: \"The model is overloaded. Please try again later.\""));
    // Some Google front ends wrap the error in a list.
    let listed = json!([google_error(
        400,
        "INVALID_ARGUMENT",
        "The input token count (9) exceeds the maximum number of tokens allowed (8).",
        json!([])
    )]);
    assert_eq!(reply(400, listed).unwrap_err().reason, Reason::ProviderContextTooLong);
    let html = outcome(503, "<html><body>503</body></html>", json!({ "content-type": "text/html" })).unwrap_err();
    assert_eq!(html.detail.map(|d| d.reason), Some(Reason::ProviderSentHtml));
    assert_eq!(outcome(200, "{\"candidates\": [", json!({})).unwrap_err().reason, Reason::ProviderTruncated);
    assert_eq!(outcome(200, "", json!({})).unwrap_err().reason, Reason::ProviderTruncated);
    assert_eq!(outcome(200, "<!DOCTYPE html>", json!({})).unwrap_err().reason, Reason::ProviderHtml);
}

/// An Imagen model as Google's list names it (`models/…`), in a site whose image catalog lists it.
fn imagen_target(call: &Call) -> Target {
    let site = support::site(json!({
        "managed": true, "credentials": ["Google"],
        "catalogs": { "aipkit_model_registry_google": { "catalogs": { "GoogleImage": ["models/imagen-4.0-fast-generate-001"] } } },
    }));
    route::resolve(&site, call).unwrap()
}

#[test]
fn imagen_predicts_every_image_in_one_request_and_keeps_what_its_filter_let_through() {
    let call: Call = serde_json::from_value(json!({
        "capability": "image_generation", "provider": "google", "model": "models/imagen-4.0-fast-generate-001",
        "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "A teapot" }] }],
        "config": { "candidateCount": 4, "outputMediaOrientation": "landscape" },
    }))
    .unwrap();
    let target = imagen_target(&call);
    let sent = crate::providers::text_requests(&target, &call).unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].url, "https://generativelanguage.googleapis.com/v1beta/models/imagen-4.0-fast-generate-001:predict");
    let body: Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(body["parameters"], json!({ "sampleCount": 4, "aspectRatio": "16:9", "outputOptions": { "mimeType": "image/png" } }));

    let ok = support::outcome(200, "", &[]);
    let reply = parse_imagen(
        &target,
        &ok,
        json!({ "predictions": [{ "bytesBase64Encoded": "iVBORw0KGgo=" }, { "raiFilteredReason": "filtered" }, { "bytesBase64Encoded": "" }] }),
    )
    .unwrap();
    assert_eq!(reply.candidates.len(), 1, "a filtered or empty prediction is no image");
    assert!(reply.usage.is_none());
    let none = parse_imagen(&target, &ok, json!({})).unwrap_err();
    assert_eq!((none.status, none.code), (502, Code::PromptUpstreamServerError));
}
