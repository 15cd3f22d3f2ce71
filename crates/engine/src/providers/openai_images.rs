//! The OpenAI images wire format (`POST …/images/generations`, and `…/images/edits` for GPT
//! Image with reference images), shared by OpenAI, Azure OpenAI
//! (deployments) and xAI. Where they differ — address, key placement, whether the body names the
//! model — is the connector's Chat Completions `Profile`; what a model family takes (pixels, a
//! ratio or nothing; a named output type or base64 asked for; how many images a request) is its
//! `ImageFeatures`.

use serde_json::{json, Map, Value};

use crate::call::Call;
use crate::failure::params;
use crate::failure::Failure;
use crate::image_models::Shape;
use crate::messages::Reason;
use crate::protocol::{HttpOutcome, HttpRequest};
use crate::providers::multipart::{self, decode_base64, encode_base64, Field};
use crate::providers::openai_compatible::{post_json, Profile};
use crate::providers::{data_url, image_plan, inline_image, no_image, sniff_image_mime, timeout, ImagePlan};
use crate::reply::{Candidate, FinishReason, ReplyPart, TextReply};
use crate::route::Target;

/// The prompt, the shape as the family names it, the count (or one request per image), and
/// inline data always: GPT Image names its output type and returns base64 only; DALL·E and xAI
/// are asked for `b64_json` (a URL would expire and could not go into an `<img>` as data).
pub fn image_requests(profile: &Profile, target: &Target, call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    let plan = image_plan(target, call)?;
    if !plan.references.is_empty() {
        return edit_requests(profile, target, call, plan);
    }
    let ImagePlan { features, prompt, size, ratio, mime, candidates, .. } = plan;
    let mut body = Map::new();
    if profile.model_in_body {
        body.insert("model".into(), json!(target.model.id));
    }
    body.insert("prompt".into(), json!(prompt));
    match (features.shape, size) {
        (Shape::Size, Some(size)) => {
            body.insert("size".into(), json!(size));
        }
        (Shape::Ratio, _) => {
            body.insert("aspect_ratio".into(), json!(ratio));
        }
        _ => {}
    }
    body.insert("n".into(), json!(if features.one_per_request { 1 } else { candidates }));
    if features.names_output_format {
        body.insert("output_format".into(), json!(mime.trim_start_matches("image/")));
    } else {
        body.insert("response_format".into(), json!("b64_json"));
    }
    let mut request =
        post_json((profile.endpoint)(target, "/images/generations"), profile.credential.clone(), Value::Object(body), timeout(call));
    request.headers.extend(profile.headers.iter().map(|(name, value)| (*name, value.to_string())));
    Ok(vec![request; if features.one_per_request { candidates as usize } else { 1 }])
}

/// GPT Image with reference images: `POST …/images/edits`, multipart/form-data with the same
/// fields as a generation and each image as an `image[]` file (OpenAI reads up to 16). The
/// engine builds the whole body and hands it over as base64; the host decodes it and sends it.
/// Images must be data: the files are uploaded, a URL cannot be.
fn edit_requests(profile: &Profile, target: &Target, call: &Call, plan: ImagePlan<'_>) -> Result<Vec<HttpRequest>, Failure> {
    let ImagePlan { features, prompt, references, size, mime, candidates, .. } = plan;
    let provider = || params([("provider", target.connector.label.into())]);
    let mut fields = Vec::new();
    if profile.model_in_body {
        fields.push(Field::Text("model", target.model.id.clone()));
    }
    fields.push(Field::Text("prompt", prompt));
    for (i, file) in references.into_iter().enumerate() {
        let (kind, data) = inline_image(file).ok_or_else(|| Failure::invalid_argument(Reason::ImageReferenceNotInline, provider()))?;
        let bytes = decode_base64(data).ok_or_else(|| Failure::invalid_argument(Reason::FileDataUriUnreadable, provider()))?;
        let extension = kind.strip_prefix("image/").unwrap_or("png").replace("jpeg", "jpg");
        fields.push(Field::File { name: "image[]", filename: format!("image-{}.{extension}", i + 1), mime: kind, bytes });
    }
    fields.push(Field::Text("n", (if features.one_per_request { 1 } else { candidates }).to_string()));
    if let Some(size) = size {
        fields.push(Field::Text("size", size.to_string()));
    }
    if features.names_output_format {
        fields.push(Field::Text("output_format", mime.trim_start_matches("image/").to_string()));
    }
    let (content_type, body) = multipart::form(&fields);
    let mut request = post_json((profile.endpoint)(target, "/images/edits"), profile.credential.clone(), Value::Null, timeout(call));
    request.headers.insert("Content-Type", content_type);
    request.headers.extend(profile.headers.iter().map(|(name, value)| (*name, value.to_string())));
    request.body = Some(encode_base64(&body));
    request.body_base64 = true;
    Ok(vec![request; if features.one_per_request { candidates as usize } else { 1 }])
}

/// `data[].b64_json`, one candidate per image. The type is the item's `mime_type` (xAI), else the
/// body's `output_format` (GPT Image), else what the bytes are; GPT Image's token usage where
/// reported (DALL·E and xAI report none).
pub fn parse_images(target: &Target, response: &HttpOutcome, body: Value) -> Result<TextReply, Failure> {
    let named = match body.get("output_format").and_then(Value::as_str) {
        Some("png") => Some("image/png"),
        Some("jpeg" | "jpg") => Some("image/jpeg"),
        Some("webp") => Some("image/webp"),
        _ => None,
    };
    let candidates: Vec<Candidate> = body
        .get("data")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .filter_map(|item| {
            let data = item.get("b64_json").and_then(Value::as_str).map(str::trim).filter(|b| !b.is_empty())?;
            // Some servers send the base64 as a data URL.
            let (url_mime, base64) = data_url(data).map_or((None, data), |(mime, data)| (Some(mime), data));
            let mime = item
                .get("mime_type")
                .and_then(Value::as_str)
                .or(url_mime)
                .filter(|m| m.starts_with("image/"))
                .or(named)
                .or_else(|| sniff_image_mime(base64))
                .unwrap_or("image/png");
            Some(Candidate { parts: vec![ReplyPart::Image { mime_type: mime.into(), base64: base64.into() }], finish: FinishReason::Stop })
        })
        .collect();
    if candidates.is_empty() {
        return Err(no_image(target, response));
    }
    Ok(TextReply { candidates, usage: super::openai::RESPONSES_USAGE.read(&body) })
}

#[cfg(test)]
#[path = "../tests/openai_images.rs"]
mod tests;
