//! The `preview` task: what a call would do — the route, the requests the provider would
//! receive (credentials named, never present), the estimated usage and charge — sending nothing
//! and writing nothing. The admin preview runs it in the browser.

use serde::Serialize;

use crate::accounting;
use crate::call::Call;
use crate::catalog::ModelRow;
use crate::connectors::WireFormat;
use crate::failure::Failure;
use crate::pricing;
use crate::pricing_rules::PricedAs;
use crate::protocol::HttpRequest;
use crate::providers;
use crate::route;
use crate::rows::RouteNote;
use crate::site::Site;
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
}

pub fn run(site: &Site, call: &Call) -> Result<Step, Failure> {
    let target = route::resolve(site, call)?;
    let mut requests = providers::text_requests(&target, call)?;
    number(&mut requests, 1);
    // What the prompt task would bill if the provider reported nothing: AI Puffer's estimate for
    // text, its per-image units for images (a per-image rule bills the images asked for).
    let (estimated_usage, images) = if target.format.makes_images() {
        (Usage::images(u64::from(call.candidates())), u64::from(call.candidates()))
    } else {
        (Usage::estimate(&call.summary(), u64::from(call.candidates())), 0)
    };
    let priced = accounting::priced_as(&target);
    let rule = pricing::resolve(&site.pricing_rules, &priced);
    let charge = pricing::charge(rule, &estimated_usage, images);
    let price = usd::price_keys(&priced).into_iter().find_map(|key| site.prices.get(&key).map(|p| (key, p)));
    Ok(Step::Done {
        result: Some(TaskResult::Preview(Box::new(Preview {
            connector: target.connector.id,
            provider: target.connector.internal,
            model: target.model,
            format: target.format,
            requests,
            estimated_usage,
            estimated_credits: charge.credits,
            billing_method: charge.billing_method,
            rule_id: charge.rule_id,
            estimated_usd: price.as_ref().and_then(|(_, p)| usd::cost(p, &estimated_usage)).map(usd::dollars),
            price_key: price.map(|(key, _)| key),
            priced_as: priced,
            route: target.via,
        }))),
    })
}
