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
use crate::protocol::HttpRequest;
use crate::providers;
use crate::route;
use crate::site::Site;
use crate::tasks::number;
use crate::tasks::{Step, TaskResult};
use crate::usage::Usage;

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
}

pub fn run(site: &Site, call: &Call) -> Result<Step, Failure> {
    let target = route::resolve(site, call)?;
    let mut requests = providers::text_requests(&target, call)?;
    number(&mut requests, 1);
    let estimated_usage = Usage::estimate(&call.summary(), u64::from(call.candidates()));
    let rule = pricing::resolve(&site.pricing_rules, &accounting::priced_as(&target));
    let charge = pricing::charge(rule, &estimated_usage, 0);
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
        }))),
    })
}
