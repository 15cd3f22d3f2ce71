//! Azure OpenAI: the shared Chat Completions adapter with Azure's differences as data
//! (learn.microsoft.com: "Azure OpenAI in Azure AI Foundry Models REST API reference").

use serde_json::Value;

use crate::catalog::{kind_by_id, ListedModel};
use crate::protocol::{Credential, Placement};
use crate::providers::openai_compatible::{openai_verdict, Profile, Verdict, STANDARD};
use crate::providers::{items, percent_encode as encode};
use crate::route::Target;

pub const PROFILE: Profile = Profile {
    // The resource key goes in `api-key`, as is.
    credential: Credential { provider: "Azure", placement: Placement::Header, name: "api-key", prefix: "" },
    endpoint: deployment_endpoint,
    // Azure serves OpenAI's models: the same `max_completion_tokens` (reasoning deployments
    // refuse `max_tokens`).
    max_tokens_field: "max_completion_tokens",
    // The deployment in the URL chooses the model.
    model_in_body: false,
    classify,
    models_url: deployments_url,
    listed: deployments,
    ..STANDARD
};

/// `{endpoint}/openai/deployments/{deployment}{path}?api-version={api_version_inference}`. The
/// connector's model is the deployment name. An endpoint saved with `/openai` is not doubled.
pub fn deployment_endpoint(target: &Target, path: &str) -> String {
    let endpoint = target.setting("endpoint").trim().trim_end_matches('/');
    let endpoint = endpoint.strip_suffix("/openai").unwrap_or(endpoint);
    let version = target.setting("api_version_inference").trim();
    format!("{endpoint}/openai/deployments/{}{path}?api-version={}", encode(&target.model.id), encode(version))
}

/// `{endpoint}/openai/deployments?api-version={api_version_authoring}`: the resource's
/// deployments, which are Azure's "models".
fn deployments_url(target: &Target) -> String {
    let endpoint = target.setting("endpoint").trim().trim_end_matches('/');
    let endpoint = endpoint.strip_suffix("/openai").unwrap_or(endpoint);
    format!("{endpoint}/openai/deployments?api-version={}", encode(target.setting("api_version_authoring").trim()))
}

/// `data[]` of `{id: deployment name, model: the model it serves}`: classified by the model,
/// named "deployment (model)".
fn deployments(body: &Value) -> Vec<ListedModel> {
    items(body, "data")
        .iter()
        .filter_map(|row| {
            let id = row.get("id").and_then(Value::as_str)?.trim();
            let model = row.get("model").and_then(Value::as_str).unwrap_or(id).trim();
            let kind = kind_by_id(model)?;
            let name = if model.is_empty() || model == id { id.to_string() } else { format!("{id} ({model})") };
            (!id.is_empty()).then(|| ListedModel { id: id.to_string(), name, kind })
        })
        .collect()
}

/// OpenAI's codes (`content_filter` for a prompt the content filter blocked,
/// `context_length_exceeded`); any 404 means no such deployment at this endpoint and API version
/// (`DeploymentNotFound`, or "Resource not found" for an unknown API version).
fn classify(status: u16, body: &Value) -> Option<Verdict> {
    if status == 404 {
        return Some(Verdict::DeploymentNotFound);
    }
    openai_verdict(status, body)
}
