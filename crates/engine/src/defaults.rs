//! The default routes AI Puffer infers from the provider settings a site already has — no model
//! list of their own to configure: the default text model, the fast text model and the default
//! image model. The AI Client sees them as the models of the
//! provider "AI Puffer Defaults" (`aipuffer`), whose aliases resolve to a real connector and model.
//!
//! Every route carries the reason for its choice, one sentence per step, so a site owner can see
//! why a request went where it went and fix it in one place. An administrator may pin a route to
//! a synced model; a pin whose model disappeared falls back to inference, and says so.
//!
//! Inference walks each connector once and each model list a fixed number of times: linear in
//! the catalog's size.

use serde::{Deserialize, Serialize};

use crate::connectors::{self, Connector};
use crate::failure::params;
use crate::messages::{self, Params, Reason};
use crate::site::{ModelRow, Pin, Pins};

/// The AI Client provider id of the default routes.
pub const PROVIDER_ID: &str = "aipuffer";
pub const PROVIDER_NAME: &str = "AI Puffer Defaults";
pub const PROVIDER_DESCRIPTION: &str =
    "The default models AI Puffer infers from your provider settings: requests that name no model go to the default text model.";

/// After the main provider, connectors are tried in this order (AI Puffer's).
const TEXT_ORDER: [&str; 8] = ["openai", "google", "openrouter", "anthropic", "deepseek", "xai", "ollama", "azure"];

/// Connectors tried for the image route, in AI Puffer's order (no main provider here).
const IMAGE_ORDER: [&str; 5] = ["openai", "google", "xai", "openrouter", "azure"];

/// A model "is fast" when its id or name contains one of these, tried in this order.
const FAST_KEYWORDS: [&str; 7] = ["fast", "flash-lite", "flash", "mini", "nano", "lite", "haiku"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RouteKind {
    Text,
    Fast,
    Image,
}

impl RouteKind {
    pub const ALL: [RouteKind; 3] = [RouteKind::Text, RouteKind::Fast, RouteKind::Image];

    /// The model id the AI Client sees.
    pub fn alias(self) -> &'static str {
        match self {
            RouteKind::Text => "aipuffer-default-text",
            RouteKind::Fast => "aipuffer-fast-text",
            RouteKind::Image => "aipuffer-default-image",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            RouteKind::Text => "text",
            RouteKind::Fast => "fast",
            RouteKind::Image => "image",
        }
    }

    /// The start of the alias's display name ("Default text model: OpenAI / gpt-4.1").
    pub fn label(self) -> &'static str {
        match self {
            RouteKind::Text => "Default text model",
            RouteKind::Fast => "Fast text model",
            RouteKind::Image => "Default image model",
        }
    }
}

/// One connector as inference sees it.
pub struct Candidate<'a> {
    pub connector: &'static Connector,
    /// It has what it needs to authenticate.
    pub configured: bool,
    /// Its synced models, in directory order.
    pub models: &'a [ModelRow],
    /// Its saved model (`providers[Name].model`), trimmed; may be empty.
    pub saved: &'a str,
    /// Its image models the gateway makes images with, in directory order.
    pub image_models: &'a [ModelRow],
}

/// A route and why it serves what it serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Route {
    pub kind: RouteKind,
    pub alias: String,
    /// The connector and model it resolves to; none when nothing can serve it.
    pub connector: Option<String>,
    pub model: Option<String>,
    #[serde(default)]
    pub pinned: bool,
    pub why: Vec<Step>,
}

/// One sentence of a route's reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub reason: Reason,
    pub params: Params,
    pub message: String,
}

impl Step {
    fn new(reason: Reason, params: Params) -> Self {
        Self { message: messages::render(reason, &params), reason, params }
    }
}

/// The routes, text first (the AI Client's default is the first model of the first provider).
pub fn infer(main_provider: &str, candidates: &[Candidate], pins: &Pins) -> Vec<Route> {
    let text = route(RouteKind::Text, main_provider, candidates, pins, None);
    let fast = route(RouteKind::Fast, main_provider, candidates, pins, Some(&text));
    let image = image_route(candidates, pins);
    vec![text, fast, image]
}

/// The first configured connector, in AI Puffer's image order, that makes images through the
/// gateway; its catalog's default image model when listed, else its first.
fn image_route(candidates: &[Candidate], pins: &Pins) -> Route {
    let kind = RouteKind::Image;
    let mut why = Vec::new();
    if let Some(route) = pinned(kind, pins, candidates, |c| c.image_models, &mut why) {
        return route;
    }
    for id in IMAGE_ORDER {
        let Some(c) = candidates.iter().find(|c| c.connector.id == id) else { continue };
        let provider = c.connector.label.to_string();
        if !c.configured {
            why.push(Step::new(Reason::RouteSkippedNotConfigured, params([("provider", provider)])));
            continue;
        }
        let Some(first) = c.image_models.first() else {
            why.push(Step::new(Reason::RouteSkippedNoImageModels, params([("provider", provider)])));
            continue;
        };
        why.push(Step::new(
            Reason::RouteImageConnectorChosen,
            params([("provider", provider), ("count", c.image_models.len().to_string())]),
        ));
        let default = c.connector.default_image_model().filter(|d| c.image_models.iter().any(|m| m.id == *d));
        let model = match default {
            Some(model) => {
                why.push(Step::new(Reason::RouteImageDefaultModel, params([("model", model.into())])));
                model.to_string()
            }
            None => {
                why.push(Step::new(Reason::RouteImageFirstModel, params([("chosen", first.id.clone())])));
                first.id.clone()
            }
        };
        return Route { kind, alias: kind.alias().into(), connector: Some(c.connector.id.into()), model: Some(model), pinned: false, why };
    }
    why.push(Step::new(Reason::RouteNoImageConnector, Params::new()));
    Route { kind, alias: kind.alias().into(), connector: None, model: None, pinned: false, why }
}

fn route(kind: RouteKind, main_provider: &str, candidates: &[Candidate], pins: &Pins, text: Option<&Route>) -> Route {
    let mut why = Vec::new();
    if let Some(route) = pinned(kind, pins, candidates, |c| c.models, &mut why) {
        return route;
    }
    let Some(chosen) = walk(main_provider, candidates, &mut why) else {
        return Route { kind, alias: kind.alias().into(), connector: None, model: None, pinned: false, why };
    };
    let model = match kind {
        // The image route has its own walk (`image_route`); text inference never asks for it.
        RouteKind::Text | RouteKind::Image => text_model(chosen, &mut why),
        RouteKind::Fast => match fast_model(chosen, &mut why) {
            Some(model) => model,
            None => {
                why.push(Step::new(Reason::RouteFastUsesText, Params::new()));
                return Route {
                    kind,
                    alias: kind.alias().into(),
                    connector: text.and_then(|t| t.connector.clone()),
                    model: text.and_then(|t| t.model.clone()),
                    pinned: false,
                    why,
                };
            }
        },
    };
    Route { kind, alias: kind.alias().into(), connector: Some(chosen.connector.id.into()), model: Some(model), pinned: false, why }
}

/// The pinned route when its model is still listed (in `models` of a configured connector);
/// otherwise none, and `why` says the pin is gone.
fn pinned<'a>(
    kind: RouteKind,
    pins: &Pins,
    candidates: &[Candidate<'a>],
    models: fn(&Candidate<'a>) -> &'a [ModelRow],
    why: &mut Vec<Step>,
) -> Option<Route> {
    let pin = pin(pins, kind)?;
    let listed = candidates.iter().any(|c| c.connector.id == pin.connector && c.configured && models(c).iter().any(|m| m.id == pin.model));
    let provider = connectors::find(&pin.connector).map_or(pin.connector.as_str(), |c| c.label).to_string();
    let p = params([("provider", provider), ("model", pin.model.clone())]);
    if !listed {
        why.push(Step::new(Reason::RoutePinGone, p));
        return None;
    }
    let connector = Some(pin.connector.clone());
    Some(Route {
        kind,
        alias: kind.alias().into(),
        connector,
        model: Some(pin.model.clone()),
        pinned: true,
        why: vec![Step::new(Reason::RoutePinned, p)],
    })
}

fn pin(pins: &Pins, kind: RouteKind) -> Option<&Pin> {
    match kind {
        RouteKind::Text => pins.text.as_ref(),
        RouteKind::Fast => pins.fast.as_ref(),
        RouteKind::Image => pins.image.as_ref(),
    }
    .filter(|pin| !pin.connector.is_empty() && !pin.model.is_empty())
}

/// The main provider, then AI Puffer's order: the first configured connector with models.
fn walk<'a, 'b>(main_provider: &str, candidates: &'b [Candidate<'a>], why: &mut Vec<Step>) -> Option<&'b Candidate<'a>> {
    let main = main_provider.trim();
    let mut first = None;
    if !main.is_empty() {
        match candidates.iter().find(|c| c.connector.internal.eq_ignore_ascii_case(main)) {
            Some(c) => {
                why.push(Step::new(Reason::RouteMainProvider, params([("provider", c.connector.label.into())])));
                first = Some(c.connector.id);
            }
            None => why.push(Step::new(Reason::RouteMainProviderUnknown, params([("name", main.into())]))),
        }
    }
    let order = first.into_iter().chain(TEXT_ORDER.into_iter().filter(|id| Some(*id) != first));
    for id in order {
        let Some(c) = candidates.iter().find(|c| c.connector.id == id) else { continue };
        let provider = c.connector.label.to_string();
        if !c.configured {
            why.push(Step::new(Reason::RouteSkippedNotConfigured, params([("provider", provider)])));
        } else if c.models.is_empty() {
            why.push(Step::new(Reason::RouteSkippedNoModels, params([("provider", provider)])));
        } else {
            why.push(Step::new(Reason::RouteConnectorChosen, params([("provider", provider), ("count", c.models.len().to_string())])));
            return Some(c);
        }
    }
    why.push(Step::new(Reason::RouteNoConnector, Params::new()));
    None
}

/// The saved model when it is listed, else the first.
fn text_model(c: &Candidate, why: &mut Vec<Step>) -> String {
    let first = c.models[0].id.clone();
    if c.saved.is_empty() {
        why.push(Step::new(Reason::RouteFirstModel, params([("chosen", first.clone())])));
        first
    } else if c.models.iter().any(|m| m.id == c.saved) {
        why.push(Step::new(Reason::RouteSavedModelChosen, params([("model", c.saved.into())])));
        c.saved.into()
    } else {
        why.push(Step::new(Reason::RouteSavedModelMissing, params([("model", c.saved.into()), ("chosen", first.clone())])));
        first
    }
}

/// The first model matching a fast keyword (keywords in order), else the saved model; None
/// when neither (the fast route is then the text route).
fn fast_model(c: &Candidate, why: &mut Vec<Step>) -> Option<String> {
    for keyword in FAST_KEYWORDS {
        if let Some(m) = c.models.iter().find(|m| contains(&m.id, keyword) || contains(&m.name, keyword)) {
            why.push(Step::new(Reason::RouteFastKeyword, params([("model", m.id.clone()), ("keyword", keyword.into())])));
            return Some(m.id.clone());
        }
    }
    if !c.saved.is_empty() && c.models.iter().any(|m| m.id == c.saved) {
        why.push(Step::new(Reason::RouteFastSavedModel, params([("model", c.saved.into())])));
        return Some(c.saved.into());
    }
    None
}

/// Case-insensitive `contains` without allocating per model.
fn contains(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
#[path = "tests/defaults.rs"]
mod tests;
