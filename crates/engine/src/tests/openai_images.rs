//! Unit tests of `providers/openai_images`: the same format for OpenAI, Azure deployments and xAI.

use super::*;
use crate::call::Call;
use crate::failure::Code;
use crate::route;
use crate::tests::support;
use serde_json::json;

fn site() -> crate::site::Site {
    support::site(json!({
        "managed": true,
        "credentials": ["OpenAI", "Azure", "xAI"],
        "providers": { "Azure": { "endpoint": "https://example.openai.azure.com/" } },
        "catalogs": {
            "aipkit_model_registry_openai": { "catalogs": { "OpenAIImage": ["gpt-image-1", "dall-e-3"] } },
            "aipkit_model_registry_azure": { "catalogs": { "AzureImage": [{ "id": "pictures", "name": "pictures (gpt-image-1)" }, "dall-e-3"] } },
            "aipkit_model_registry_xai": { "catalogs": { "xAIImage": ["grok-imagine-image", "grok-2-image-1212"] } },
        },
    }))
}

fn image_call(provider: &str, model: &str, config: Value) -> Call {
    serde_json::from_value(json!({
        "capability": "image_generation", "provider": provider, "model": model,
        "messages": [{ "role": "user", "parts": [{ "type": "text", "text": "A teapot" }] }], "config": config,
    }))
    .unwrap()
}

fn sent(provider: &str, model: &str, config: Value) -> Result<Vec<HttpRequest>, Failure> {
    let call = image_call(provider, model, config);
    crate::providers::text_requests(&route::resolve(&site(), &call)?, &call)
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap()).unwrap()
}

#[test]
fn xai_sends_the_ratio_and_asks_for_base64_never_a_size() {
    let requests = sent("xai", "grok-imagine-image", json!({ "outputMediaAspectRatio": "16:9", "candidateCount": 3 })).unwrap();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url, "https://api.x.ai/v1/images/generations");
    assert_eq!(requests[0].credential.as_ref().unwrap().provider, "xAI");
    assert_eq!(
        body(&requests[0]),
        json!({ "model": "grok-imagine-image", "prompt": "A teapot", "aspect_ratio": "16:9", "n": 3, "response_format": "b64_json" })
    );
    let portrait = sent("xai", "grok-imagine-image", json!({ "outputMediaOrientation": "portrait" })).unwrap();
    assert_eq!(body(&portrait[0])["aspect_ratio"], "9:16");
}

#[test]
fn grok_2_image_sends_no_shape_and_refuses_one_it_does_not_make() {
    let requests = sent("xai", "grok-2-image-1212", json!({})).unwrap();
    assert_eq!(body(&requests[0]), json!({ "model": "grok-2-image-1212", "prompt": "A teapot", "n": 1, "response_format": "b64_json" }));
    let refused = sent("xai", "grok-2-image-1212", json!({ "outputMediaAspectRatio": "1:1" })).unwrap_err();
    assert_eq!(refused.code, Code::PromptInvalidArgument);
    assert_eq!(refused.params["supported"], "4:3");
    let png = sent("xai", "grok-imagine-image", json!({ "outputMimeType": "image/png" })).unwrap_err();
    assert_eq!(png.params["supported"], "image/jpeg");
}

#[test]
fn an_azure_deployment_is_named_in_the_url_and_sent_as_its_family() {
    let requests = sent("azure", "pictures", json!({ "outputMediaOrientation": "landscape", "outputMimeType": "image/jpeg" })).unwrap();
    assert_eq!(
        requests[0].url,
        "https://example.openai.azure.com/openai/deployments/pictures/images/generations?api-version=2025-01-01-preview"
    );
    assert_eq!(requests[0].credential.as_ref().unwrap().name, "api-key");
    assert_eq!(body(&requests[0]), json!({ "prompt": "A teapot", "size": "1536x1024", "n": 1, "output_format": "jpeg" }));
    let dalle = sent("azure", "dall-e-3", json!({ "candidateCount": 2 })).unwrap();
    assert_eq!(dalle.len(), 2, "DALL·E 3 makes one image a request");
    assert_eq!(body(&dalle[0]), json!({ "prompt": "A teapot", "size": "1024x1024", "n": 1, "response_format": "b64_json" }));
}

#[test]
fn the_type_comes_from_the_item_the_body_or_the_bytes() {
    let call = image_call("xai", "grok-imagine-image", json!({}));
    let target = route::resolve(&site(), &call).unwrap();
    let read = |body: Value| parse_images(&target, &support::outcome(200, "", &[]), body);
    let reply = read(json!({ "data": [{ "b64_json": "/9j/4AAQ", "mime_type": "image/jpeg" }, { "b64_json": "data:image/png;base64,iVBORw0KGgo=" }, { "b64_json": "iVBORw0KGgo=" }] })).unwrap();
    let types: Vec<(&str, usize)> = reply.candidates.iter().flat_map(|c| c.images()).collect();
    assert_eq!(types, vec![("image/jpeg", 8), ("image/png", 12), ("image/png", 12)]);
    assert!(reply.usage.is_none(), "xAI reports no tokens for images");
    let empty = read(json!({ "data": [{ "url": "https://imgen.x.ai/a.jpeg" }] })).unwrap_err();
    assert_eq!(empty.status, 502);
    assert!(empty.message.contains("xAI returned no image"), "{}", empty.message);
}

#[test]
fn an_azure_gpt_image_deployment_edits_at_its_own_address_without_naming_a_model() {
    let mut call = image_call("azure", "pictures", json!({ "outputMediaOrientation": "portrait" }));
    call.messages = serde_json::from_value(json!([{ "role": "user", "parts": [
        { "type": "text", "text": "Make it blue" },
        { "type": "file", "file": { "fileType": "inline", "mimeType": "image/png", "base64Data": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" } }
    ] }]))
    .unwrap();
    let requests = crate::providers::text_requests(&route::resolve(&site(), &call).unwrap(), &call).unwrap();
    assert_eq!(requests[0].url, "https://example.openai.azure.com/openai/deployments/pictures/images/edits?api-version=2025-01-01-preview");
    assert!(requests[0].body_base64, "a multipart body of bytes");
    let sent = crate::providers::multipart::decode_base64(requests[0].body.as_deref().unwrap()).unwrap();
    let text = String::from_utf8_lossy(&sent);
    assert!(!text.contains("name=\"model\""), "the deployment chooses the model, as for generations");
    assert!(text.contains("name=\"image[]\"; filename=\"image-1.png\""));
    assert!(text.contains("1024x1536"));
}
