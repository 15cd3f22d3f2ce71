//! Which connector, model and wire format serve a call — decided once, when a task starts, and
//! carried in the continuation so later steps never decide again.

use serde::{Deserialize, Serialize};

use crate::call::{Call, Capability};
use crate::catalog::ModelRow;
use crate::connectors::{self, Connector, Requires, WireFormat};
use crate::defaults;
use crate::failure::{params, Failure};
use crate::image_models;
use crate::messages::{self, Reason};
use crate::rows::RouteNote;
use crate::site::{Settings, Site, SiteConnector};

/// A resolved route: everything a provider adapter needs to build and read requests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    #[serde(with = "connectors")]
    pub connector: &'static Connector,
    pub model: ModelRow,
    pub format: WireFormat,
    /// The connector's declared settings, defaults filled in.
    pub settings: Settings,
    /// The default route that chose this target, when the caller asked for an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<RouteNote>,
}

impl Target {
    /// A setting as text (`""` when the connector does not declare it).
    pub fn setting(&self, key: &str) -> &str {
        self.settings.get(key).map_or("", String::as_str)
    }

    /// What requests to this target's model honour (see `Connector::model_features`).
    pub fn features(&self) -> crate::connectors::TextFeatures {
        self.connector.model_features(self.format, &self.model.id)
    }

    /// The model behind the target's model id, where the connector names it apart (an Azure
    /// deployment's).
    pub fn served_model(&self) -> Option<&str> {
        self.connector.served_model(&self.model.name)
    }

    /// What AI Puffer bills an image of this target's model at when the provider reports no
    /// usage.
    pub fn units_per_image(&self) -> u64 {
        crate::image_models::features(self.connector, &self.model.id, &self.model.name)
            .map_or(crate::image_models::DEFAULT_UNITS_PER_IMAGE, |f| f.units_per_image)
    }

    /// The provider's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.setting("base_url").trim_end_matches('/')
    }
}

/// Resolves the connector and model the AI Client chose, refusing what the site can't serve.
/// Reads only the chosen connector's model list: linear in its size.
pub fn resolve(site: &Site, call: &Call) -> Result<Target, Failure> {
    if call.provider == defaults::PROVIDER_ID {
        return resolve_alias(site, call.model.trim(), call.capability);
    }
    resolve_model(site, &call.provider, call.model.trim(), call.capability)
}

fn resolve_model(site: &Site, connector_id: &str, wanted: &str, capability: Capability) -> Result<Target, Failure> {
    let connector = find(connector_id)?;
    if !site.managed {
        return Err(Failure::invalid_argument(Reason::NotManaged, params([("connector", connector.name.into())])));
    }
    let prepared = site.connector(connector.id).filter(|c| c.available).ok_or_else(|| not_configured(connector))?;
    let models = match capability {
        Capability::TextGeneration => model_list(connector, prepared)?,
        Capability::ImageGeneration => prepared.image_model_rows().map_err(|e| unreadable_list(connector, e))?,
    };
    let Some(model) = models.iter().find(|m| m.id == wanted) else {
        return Err(missing_model(connector, models, wanted));
    };
    let mut target = target(connector, prepared, model.clone());
    if capability == Capability::ImageGeneration {
        // The model family's wire format (Gemini image models and Imagen differ); prepare lists
        // only image models of mapped families.
        let features = image_models::features(connector, &model.id, &model.name).ok_or_else(|| missing_model(connector, &[], wanted))?;
        target.format = features.format;
    }
    Ok(target)
}

/// When the caller preferred models and a default route answers instead, the route's reasons say
/// which preferences were not available (the AI Client falls back to the first model it knows, the
/// default text route, when none of them is).
pub fn note_unavailable_preferences(target: &mut Target, preferences: &[crate::site::Preference]) {
    let Some(note) = target.via.as_mut() else { return };
    if preferences.is_empty() || preferences.iter().any(|p| p.model == note.alias) {
        return;
    }
    let models = preferences
        .iter()
        .map(|p| if p.provider.is_empty() { format!("\"{}\"", p.model) } else { format!("\"{}\" of {}", p.model, p.provider) })
        .collect::<Vec<_>>()
        .join(", ");
    note.why.push(messages::render(Reason::RoutePreferenceUnavailable, &params([("models", models)])));
}

/// A default route's alias: the connector and model `prepare` inferred (or an admin pinned),
/// with the reason carried along for the log.
fn resolve_alias(site: &Site, alias: &str, capability: Capability) -> Result<Target, Failure> {
    let route = site.route(alias).ok_or_else(|| {
        Failure::invalid_argument(
            Reason::UnknownModel,
            params([("connector", defaults::PROVIDER_NAME.into()), ("model", alias.into()), ("known", aliases(site))]),
        )
    })?;
    let (Some(connector), Some(model)) = (&route.connector, &route.model) else {
        return Err(Failure::invalid_argument(Reason::RouteNoConnector, params([])));
    };
    let mut target = resolve_model(site, connector, model, capability)?;
    let mut why = vec![messages::render(Reason::RouteAsked, &params([("alias", alias.into())]))];
    why.extend(route.why.iter().map(|step| step.message.clone()));
    target.via = Some(RouteNote { alias: alias.into(), why });
    Ok(target)
}

fn aliases(site: &Site) -> String {
    site.routes.iter().map(|r| r.alias.as_str()).collect::<Vec<_>>().join(", ")
}

/// The routes to try, in the administrator's fallback order, when `chosen` fails transiently:
/// each other available connector's saved model (else its first), where that model honours
/// everything the call asks for.
pub fn fallbacks(site: &Site, call: &Call, chosen: &Target) -> Vec<Target> {
    // Images fall back once another connector makes them.
    if call.capability != Capability::TextGeneration {
        return Vec::new();
    }
    site.fallback
        .iter()
        .filter(|id| id.as_str() != chosen.connector.id)
        .filter_map(|id| {
            let connector = connectors::find(id)?;
            let prepared = site.connector(connector.id).filter(|c| c.available)?;
            let models = model_list(connector, prepared).ok()?;
            let saved = prepared.settings.get("model").map_or("", |m| m.trim());
            let model = models.iter().find(|m| m.id == saved).or_else(|| models.first())?;
            Some(target(connector, prepared, model.clone()))
        })
        .filter(|target| target.features().serves(call))
        .collect()
}

/// The route an admin's *Test connection* takes: the connector's saved model when it is listed,
/// else its first — whether or not AI Puffer manages the AI Client yet, because site owners test
/// a provider before they hand the AI Client over.
pub fn connection_test(site: &Site, connector_id: &str) -> Result<Target, Failure> {
    let (connector, prepared) = configured(site, connector_id)?;
    let models = model_list(connector, prepared)?;
    let saved = prepared.settings.get("model").map_or("", |m| m.trim());
    let model = models.iter().find(|m| m.id == saved).or_else(|| models.first());
    let model = model.ok_or_else(|| missing_model(connector, models, saved))?;
    Ok(target(connector, prepared, model.clone()))
}

/// The target of a model sync: the connector, configured (managed or not), with no model yet.
pub fn model_sync(site: &Site, connector_id: &str) -> Result<Target, Failure> {
    let (connector, prepared) = configured(site, connector_id)?;
    Ok(target(connector, prepared, ModelRow { id: String::new(), name: String::new(), variant: None }))
}

/// A connector that has what it needs to authenticate, managed or not (for an admin's tasks).
fn configured<'a>(site: &'a Site, connector_id: &str) -> Result<(&'static Connector, &'a SiteConnector), Failure> {
    let connector = find(connector_id)?;
    let prepared = site.connector(connector.id).filter(|c| c.configured || c.available).ok_or_else(|| not_configured(connector))?;
    Ok((connector, prepared))
}

fn find(id: &str) -> Result<&'static Connector, Failure> {
    connectors::find(id).ok_or_else(|| Failure::invalid_argument(Reason::UnknownConnector, params([("connector", id.to_string())])))
}

fn model_list<'a>(connector: &Connector, prepared: &'a SiteConnector) -> Result<&'a [ModelRow], Failure> {
    prepared.model_rows().map_err(|e| unreadable_list(connector, e))
}

fn unreadable_list(connector: &Connector, e: serde_json::Error) -> Failure {
    Failure::bad_input(format_args!("the site's {} model list: {e}", connector.id))
}

fn target(connector: &'static Connector, prepared: &SiteConnector, model: ModelRow) -> Target {
    Target { connector, model, format: connector.wire_format(&prepared.settings), settings: prepared.settings.clone(), via: None }
}

/// A model the connector's list does not hold.
fn missing_model(connector: &Connector, models: &[ModelRow], model: &str) -> Failure {
    if models.is_empty() {
        Failure::invalid_argument(
            Reason::ModelListEmpty,
            params([("connector", connector.name.into()), ("model", model.to_string()), ("settings_name", connector.internal.into())]),
        )
    } else {
        let known: Vec<&str> = models.iter().take(5).map(|m| m.id.as_str()).collect();
        Failure::invalid_argument(
            Reason::UnknownModel,
            params([("connector", connector.name.into()), ("model", model.to_string()), ("known", known.join(", "))]),
        )
    }
}

/// What the admin must store before `connector` can serve requests.
fn not_configured(connector: &Connector) -> Failure {
    let names = |extra: Option<&str>| {
        let mut p = params([("connector", connector.name.into()), ("settings_name", connector.internal.into())]);
        p.extend(extra.map(|setting| ("setting".to_string(), setting.to_string())));
        p
    };
    match connector.requires {
        Requires::ApiKey => Failure::invalid_argument(Reason::NotConfigured, names(None)),
        Requires::ApiKeyAnd(setting) => Failure::invalid_argument(Reason::NotConfiguredKeyAnd, names(Some(setting))),
        Requires::Setting(setting) => Failure::invalid_argument(Reason::NotConfiguredSetting, names(Some(setting))),
    }
}
