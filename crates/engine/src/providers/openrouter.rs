//! OpenRouter: the shared Chat Completions adapter with OpenRouter's differences as data
//! (openrouter.ai/docs: "API reference", "Errors", "Web search", "Usage accounting", "Image
//! generation"). Images come from Chat Completions too, asked for with `modalities`.

use serde_json::{json, Map, Value};

use crate::call::{Call, WebSearch};
use crate::catalog::{ListedModel, ModelKind};
use crate::failure::Failure;
use crate::protocol::{Credential, HttpOutcome, HttpRequest, Placement};
use crate::providers::openai_compatible::{
    error_class, error_in_body, post_json, said_lowercase, usage, versioned_endpoint, Profile, Verdict, STANDARD,
};
use crate::providers::{data_url, image_plan, items, listed, no_image, timeout, ErrorClass, ImagePlan};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;

pub const PROFILE: Profile = Profile {
    credential: Credential { provider: "OpenRouter", placement: Placement::Header, name: "Authorization", prefix: "Bearer " },
    // The base URL is `https://openrouter.ai/api`; the API lives under `/v1`.
    endpoint: versioned_endpoint,
    max_tokens_field: "max_tokens",
    // No `n` in OpenRouter's request schema: each candidate is a request of its own.
    n: false,
    // App attribution, as AI Puffer sends it (HTTP-Referer would need the site URL, which the
    // engine does not have).
    headers: &[("X-Title", "AIPKit")],
    reasoning: Some("reasoning"),
    cache_write_input: &["usage", "prompt_tokens_details", "cache_write_tokens"],
    // OpenRouter reports what it charged for the call: that wins over any price list.
    reported_cost: &["usage", "cost"],
    web_search: Some(web_plugin),
    classify,
    listed: by_output_modalities,
    ..STANDARD
};

/// `data[]` of `{id, name, architecture: {output_modalities}}`: a model that outputs images is an
/// image model, one that outputs text a text model; embeddings and the like output neither.
fn by_output_modalities(body: &Value) -> Vec<ListedModel> {
    items(body, "data")
        .iter()
        .filter_map(|row| {
            let outputs: Vec<&str> = row
                .pointer("/architecture/output_modalities")
                .and_then(Value::as_array)
                .map(|m| m.iter().filter_map(Value::as_str).collect())
                .unwrap_or_else(|| vec!["text"]);
            let kind = if outputs.contains(&"image") {
                ModelKind::Image
            } else if outputs.contains(&"text") {
                ModelKind::Text
            } else {
                return None;
            };
            listed(row, &["id"], &["name"], kind)
        })
        .collect()
}

/// OpenRouter's web plugin. Its default engine is the model's native search where there is one,
/// whose domain filters vary (OpenAI's ignores exclusions, Google's ignores both): a search
/// limited by domains asks for Exa, which honours both lists, rather than being widened.
fn web_plugin(search: &WebSearch) -> (&'static str, Value) {
    let mut plugin = Map::new();
    plugin.insert("id".into(), json!("web"));
    if !search.allowed_domains.is_empty() || !search.disallowed_domains.is_empty() {
        plugin.insert("engine".into(), json!("exa"));
    }
    if !search.allowed_domains.is_empty() {
        plugin.insert("include_domains".into(), json!(search.allowed_domains));
    }
    if !search.disallowed_domains.is_empty() {
        plugin.insert("exclude_domains".into(), json!(search.disallowed_domains));
    }
    ("plugins", json!([plugin]))
}

/// `{"error": {"code": <status>, "message", "metadata"}}`: 402 is no credit left, 403 a flagged
/// input (moderation, `metadata.reasons`); a provider's context-length error comes through in words.
fn classify(status: u16, body: &Value) -> Option<Verdict> {
    let code = body.pointer("/error/code").and_then(Value::as_u64).unwrap_or(u64::from(status));
    let class = if code == 402 {
        ErrorClass::Billing
    } else if code == 403 && body.pointer("/error/metadata/reasons").is_some() {
        ErrorClass::ContentRefused
    } else if said_lowercase(body).contains("maximum context length") {
        ErrorClass::ContextTooLong
    } else {
        return error_class(body).map(Verdict::Class);
    };
    Some(Verdict::Class(class))
}

/// An image model: the prompt as the user turn, image and text output (Gemini image models answer
/// both; asking for image alone is for models that make nothing else), the ratio as
/// `image_config.aspect_ratio`. No `n`: one image a request. Reference images (the image to
/// refine) follow the prompt as `image_url` parts, data URLs or URLs as OpenRouter takes both.
pub fn image_requests(target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let ImagePlan { prompt, references, ratio, candidates, .. } = image_plan(target, call)?;
    let content = if references.is_empty() {
        json!(prompt)
    } else {
        let mut parts = vec![json!({ "type": "text", "text": prompt })];
        parts.extend(
            references.iter().filter_map(|file| file.as_url()).map(|url| json!({ "type": "image_url", "image_url": { "url": url } })),
        );
        Value::Array(parts)
    };
    let body = json!({
        "model": target.model.id,
        "messages": [{ "role": "user", "content": content }],
        "modalities": ["image", "text"],
        "image_config": { "aspect_ratio": ratio },
    });
    let mut request = post_json(versioned_endpoint(target, "/chat/completions"), PROFILE.credential.clone(), body, timeout(call));
    request.headers.extend(PROFILE.headers.iter().map(|(name, value)| (*name, value.to_string())));
    Ok(vec![request; candidates as usize])
}

/// `choices[].message.images[].image_url.url`, base64 data URLs: each choice with images is a
/// candidate (the text beside them is dropped). An error OpenRouter answers with 200 is read as
/// the error it is; usage and OpenRouter's charge as for text.
pub fn parse_images(target: &Target, response: &HttpOutcome, body: Value) -> Result<TextReply, Failure> {
    let choices = items(&body, "choices");
    let candidates: Vec<Candidate> = choices
        .iter()
        .filter_map(|choice| {
            let parts: Vec<ReplyPart> = choice
                .pointer("/message/images")
                .and_then(Value::as_array)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .filter_map(|image| {
                    let (mime, data) = data_url(image.pointer("/image_url/url").and_then(Value::as_str)?)?;
                    (mime.starts_with("image/") && !data.is_empty())
                        .then(|| ReplyPart::Image { mime_type: mime.into(), base64: data.into() })
                })
                .collect();
            (!parts.is_empty()).then_some(Candidate { parts, finish: FinishReason::Stop })
        })
        .collect();
    if candidates.is_empty() {
        let error = body.get("error").or_else(|| choices.iter().find_map(|c| c.get("error"))).filter(|e| e.is_object());
        return Err(match error {
            Some(error) => error_in_body(target, response, error),
            None => no_image(target, response),
        });
    }
    Ok(TextReply { candidates, usage: usage(&PROFILE, &body) })
}
