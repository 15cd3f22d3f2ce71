//! The `preview` task: what a call would do — the route, the requests the provider would
//! receive (credentials named, never present), the estimated usage and charge, and for the caller
//! the context names: the spending caps that bound it with what is left of each, and the
//! Connector Approvals it would need — sending nothing and writing nothing. The admin preview
//! runs it in the browser.
//!
//! It decides as `prompt` does, from the same functions: the caller from the context's frames,
//! the approvals from the context's approval state, the caps from the spend of each of the site's
//! caps, which the host reads as `cap_status` asks for them and passes as `locked`.

use serde::Serialize;

use crate::accounting;
use crate::approvals::{self, Need, Party};
use crate::call::Call;
use crate::caps::{self, CapHeadroom, Estimate};
use crate::catalog::ModelRow;
use crate::connectors::WireFormat;
use crate::failure::Failure;
use crate::pricing;
use crate::pricing_rules::PricedAs;
use crate::protocol::{HttpRequest, Locked};
use crate::providers;
use crate::route;
use crate::rows::RouteNote;
use crate::site::{Context, Site};
use crate::tasks::number;
use crate::tasks::{Step, TaskResult};
use crate::usage::Usage;
use crate::usd;

#[derive(Debug, Serialize)]
pub struct Preview {
    /// The connector id (`openai`) and AI Puffer's provider name (`OpenAI`).
    pub connector: &'static str,
    pub provider: &'static str,
    pub model: ModelRow,
    pub format: WireFormat,
    pub requests: Vec<HttpRequest>,
    /// AI Puffer's estimate for the call (the provider reports the real usage).
    pub estimated_usage: Usage,
    /// How much of the estimate's input is the prompt's images (`IMAGE_INPUT_TOKENS` each).
    #[serde(skip_serializing_if = "is_zero")]
    pub estimated_image_tokens: u64,
    /// Credits the estimate would cost by the pricing rule that applies (from the snapshot's
    /// `pricing_rules`), and that rule.
    pub estimated_credits: u64,
    pub billing_method: &'static str,
    pub rule_id: Option<u64>,
    /// The estimate's cost in US dollars by the snapshot's `prices` (none: no price known), and
    /// the price list entry.
    pub estimated_usd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_key: Option<String>,
    /// The pricing rule columns the call matches (module, provider, model, operation).
    pub priced_as: PricedAs,
    /// When a default route chose the model: which alias, and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<RouteNote>,
    /// Who the request is attributed to, as a prompt's ledger row would name it (none: WordPress
    /// itself, or no frames given).
    pub caller: Option<Party>,
    pub caps: CapsPreview,
    pub approvals: ApprovalsPreview,
}

/// The spending caps that bound the caller, what is left of each this period, and the refusal
/// the first one already reached would give (the AI Client's 429).
#[derive(Debug, Serialize)]
pub struct CapsPreview {
    pub applicable: Vec<CapHeadroom>,
    pub refusal: Option<Failure>,
}

/// The Connector Approvals the routed connector needs: whether a guard is active, each party it
/// would ask about, and the refusal the first unapproved one would give (the AI Client's 403).
#[derive(Debug, Serialize)]
pub struct ApprovalsPreview {
    pub guard_active: bool,
    pub parties: Vec<Need>,
    pub refusal: Option<Failure>,
}

pub fn run(site: &Site, call: &Call, context: Option<&Context>, locked: &[Locked]) -> Result<Step, Failure> {
    let target = route::resolve(site, call)?;
    let mut requests = providers::text_requests(&target, call)?;
    number(&mut requests, 1);
    // What the prompt task would bill if the provider reported nothing: AI Puffer's estimate for
    // text, its per-image units for images (a per-image rule bills the images asked for).
    let candidates = u64::from(call.candidates());
    let (estimated_usage, images, estimated_image_tokens) = if target.format.makes_images() {
        (Usage::images(candidates, target.units_per_image()), candidates, 0)
    } else {
        let summary = call.summary();
        (Usage::estimate(&summary, candidates), 0, Usage::image_input_estimate(&summary).saturating_mul(candidates))
    };
    let priced = accounting::priced_as(&target);
    let rule = pricing::resolve(&site.pricing_rules, &priced);
    let charge = pricing::charge(rule, &estimated_usage, images);
    let price = usd::price_keys(&priced, target.served_model()).into_iter().find_map(|key| site.prices.get(&key).map(|p| (key, p)));
    let usd = price.as_ref().and_then(|(_, p)| usd::cost(p, &estimated_usage));
    let context = context.cloned().unwrap_or_default();
    let caller = approvals::callers(&context).into_iter().next();
    let (applicable, cap_refusal) = caps::headroom(&site.caps, caller.as_ref(), locked, Estimate { credits: charge.credits, usd })?;
    let approval = context.approval.as_ref();
    let approvals = ApprovalsPreview {
        guard_active: approval.is_some(),
        parties: approvals::needs(&context, approval, target.connector),
        refusal: approval.and_then(|state| approvals::check(&context, state, target.connector)).map(|blocked| blocked.failure),
    };
    Ok(Step::Done {
        result: Some(TaskResult::Preview(Box::new(Preview {
            connector: target.connector.id,
            provider: target.connector.internal,
            model: target.model,
            format: target.format,
            requests,
            estimated_usage,
            estimated_image_tokens,
            estimated_credits: charge.credits,
            billing_method: charge.billing_method,
            rule_id: charge.rule_id,
            estimated_usd: usd.map(usd::dollars),
            price_key: price.map(|(key, _)| key),
            priced_as: priced,
            route: target.via,
            caller,
            caps: CapsPreview { applicable, refusal: cap_refusal },
            approvals,
        }))),
    })
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[cfg(test)]
#[path = "../tests/preview.rs"]
mod tests;
