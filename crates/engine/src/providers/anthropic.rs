//! Anthropic: not built yet (its connector is not offered until `Adapter::is_built` says so).

use crate::call::Call;
use crate::failure::Failure;
use crate::protocol::{HttpOutcome, HttpRequest};
use crate::reply::TextReply;
use crate::route::Target;

pub fn text_requests(target: &Target, _call: &Call) -> Result<Vec<HttpRequest>, Failure> {
    Err(Failure::bad_input(format_args!("the {} adapter is not built yet", target.connector.label)))
}

pub fn parse_text(target: &Target, _response: &HttpOutcome) -> Result<TextReply, Failure> {
    Err(Failure::bad_input(format_args!("the {} adapter is not built yet", target.connector.label)))
}
