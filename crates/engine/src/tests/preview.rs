//! Unit tests of the `preview` task: for the caller the context names, the caps that bound it
//! with what is left, and the Connector Approvals it needs — decided as a prompt decides them.

use serde_json::{json, Value};

fn advance(input: Value) -> Value {
    serde_json::from_str(&crate::advance_json(&input.to_string())).unwrap()
}

const GATEWAY: &str = "aipuffer-connectors/aipuffer-connectors.php";
const SEO: &str = "seo-helper/seo-helper.php";

/// A managed OpenAI site with a daily credits cap for `seo-helper`, one for another plugin and a
/// monthly dollar cap for everyone, and the price of gpt-4.1-mini.
fn site() -> Value {
    let stored = json!({
        "managed": true, "credentials": ["OpenAI"], "providers": { "OpenAI": {} },
        "catalogs": { "aipkit_openai_model_list": ["gpt-4.1-mini", "gpt-4o-mini"] },
        "caps": [
            { "caller": SEO, "period": "day", "unit": "credits", "limit": "100" },
            { "caller": "other/other.php", "period": "day", "unit": "credits", "limit": "1" },
            { "caller": "", "period": "month", "unit": "usd", "limit": "5" },
        ],
    });
    let stored: crate::site::StoredSite = serde_json::from_value(stored).unwrap();
    let mut site = serde_json::to_value(crate::catalog::prepare(&stored).site).unwrap();
    site["prices"] = json!({ "gpt-4.1-mini": { "key": "gpt-4.1-mini", "input": "0.4", "output": "1.6" } });
    site
}

fn call(parts: Value) -> Value {
    json!({
        "capability": "text_generation", "provider": "aipuffer", "model": "aipuffer-default-text",
        "messages": [{ "role": "user", "parts": parts }], "config": { "maxTokens": 50 },
    })
}

fn text() -> Value {
    call(json!([{ "type": "text", "text": "Hi" }]))
}

/// What the page sends for a caller: the gateway, one frame of the chosen plugin, the approvals.
fn context(frames: Value, approval: Value) -> Value {
    json!({ "gateway": GATEWAY, "gateway_name": "AI Puffer Connectors", "frames": frames, "approval": approval })
}

fn seo_frame() -> Value {
    json!([{ "kind": "plugin", "basename": SEO, "name": "SEO Helper", "path": "seo-helper.php" }])
}

fn spend(values: [&str; 3]) -> Value {
    json!(values.iter().enumerate().map(|(i, v)| json!({ "id": format!("cap-{i}"), "found": true, "value": v })).collect::<Vec<_>>())
}

fn preview(call: Value, context: Value, locked: Value) -> Value {
    let step = advance(json!({ "task": "preview", "site": site(), "call": call, "context": context, "locked": locked }));
    assert_eq!(step["step"], "done", "{step}");
    step["result"].clone()
}

#[test]
fn a_preview_for_a_plugin_shows_its_caps_headroom_and_the_approvals_it_needs() {
    let approval = json!({ "approvals": { GATEWAY: { "openai": true } } });
    let result = preview(text(), context(seo_frame(), approval), spend(["95", "0", "1.5"]));
    assert_eq!(result["caller"], json!({ "kind": "plugin", "basename": SEO, "name": "SEO Helper" }));

    let caps = result["caps"]["applicable"].as_array().unwrap();
    let callers: Vec<&str> = caps.iter().map(|c| c["cap"]["caller"].as_str().unwrap()).collect();
    assert_eq!(callers, [SEO, ""], "its own cap and the site-wide one, not the other plugin's");
    assert_eq!(
        (caps[0]["spent"].as_str(), caps[0]["left"].as_str(), caps[0]["refuses"].as_bool()),
        (Some("95 credits"), Some("5 credits"), Some(false))
    );
    assert_eq!(caps[0]["this_request"], format!("{} credits", result["estimated_credits"]));
    assert_eq!(caps[0]["reached_after"], true, "the estimate is more than the 5 credits left");
    assert_eq!((caps[1]["left"].as_str(), caps[1]["reached_after"].as_bool()), (Some("$3.50"), Some(false)));
    assert_eq!(caps[1]["this_request"], format!("${}", result["estimated_usd"].as_str().unwrap().trim_end_matches('0')));
    assert_eq!(result["caps"]["refusal"], Value::Null);

    let approvals = &result["approvals"];
    assert_eq!(approvals["guard_active"], true);
    let parties: Vec<(&str, &str)> =
        approvals["parties"].as_array().unwrap().iter().map(|p| (p["role"].as_str().unwrap(), p["status"].as_str().unwrap())).collect();
    assert_eq!(parties, [("gateway", "approved"), ("caller", "needs_approval")]);
    assert_eq!(approvals["refusal"]["reason"], "approval_caller_needed");
    assert_eq!(approvals["refusal"]["status"], 403);
}

#[test]
fn a_reached_cap_refuses_with_the_prompts_own_429() {
    let result = preview(text(), context(seo_frame(), Value::Null), spend(["100", "0", "0"]));
    assert_eq!(result["caps"]["refusal"]["reason"], "cap_reached");
    assert_eq!(result["caps"]["refusal"]["status"], 429);
    assert!(result["caps"]["refusal"]["message"].as_str().unwrap().contains("\"SEO Helper\" has used 100 credits of its daily cap"));
    assert_eq!(
        result["approvals"],
        json!({ "guard_active": false, "parties": [{ "party": { "kind": "plugin", "basename": GATEWAY, "name": "AI Puffer Connectors" }, "role": "gateway", "status": "not_needed" }, { "party": { "kind": "plugin", "basename": SEO, "name": "SEO Helper" }, "role": "caller", "status": "not_needed" }], "refusal": null })
    );
}

#[test]
fn without_a_context_the_preview_is_for_wordpress_itself_and_a_missing_spend_is_a_host_error() {
    let result = preview(text(), Value::Null, spend(["0", "0", "5"]));
    assert_eq!(result["caller"], Value::Null);
    assert_eq!(result["caps"]["applicable"].as_array().unwrap().len(), 1, "the site-wide cap only");
    assert_eq!(result["caps"]["refusal"]["reason"], "site_cap_reached");
    assert_eq!(result["approvals"], json!({ "guard_active": false, "parties": [], "refusal": null }));

    let step = advance(json!({ "task": "preview", "site": site(), "call": text() }));
    assert_eq!((step["step"].as_str(), step["error"]["reason"].as_str()), (Some("fail"), Some("bad_input")), "caps need their spend");
}

#[test]
fn text_with_an_inline_image_reaches_the_provider_request_whole() {
    let data = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    let parts = json!([
        { "type": "text", "text": "What is in this picture?" },
        { "type": "file", "file": { "fileType": "inline", "mimeType": "image/png", "base64Data": data } },
    ]);
    let result = preview(call(parts), Value::Null, spend(["0", "0", "0"]));
    let body: Value = serde_json::from_str(result["requests"][0]["body"].as_str().unwrap()).unwrap();
    assert_eq!(body["input"][0]["content"][1], json!({ "type": "input_image", "image_url": format!("data:image/png;base64,{data}") }));
    // "What is in this picture?": 24 chars → 6, 5 words → ⌈6.75⌉ = 7; the image adds its share.
    assert_eq!(result["estimated_image_tokens"], 1600);
    assert_eq!(result["estimated_usage"]["input"], 7 + 1600);
    let text_only = preview(call(json!([{ "type": "text", "text": "What is in this picture?" }])), Value::Null, spend(["0", "0", "0"]));
    assert_eq!((text_only["estimated_usage"]["input"].as_u64(), text_only.get("estimated_image_tokens")), (Some(7), None));
}
