//! Which connector, provider settings and model serve a call.

use crate::call::Call;
use crate::catalog::{self, ModelRow};
use crate::connectors::{self, Connector};
use crate::error::Failure;
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub connector: &'static Connector,
    pub model: ModelRow,
}

impl Route {
    /// The provider's base URL from its settings, without a trailing slash.
    pub fn base_url(&self, snapshot: &Snapshot) -> String {
        let stored = snapshot.options.setting(self.connector.internal, "base_url");
        let url = if stored.is_empty() { self.connector.default_base_url } else { stored };
        url.trim_end_matches('/').to_string()
    }
}

/// Resolves the connector and model the AI Client chose, refusing what the site can't serve.
pub fn resolve(snapshot: &Snapshot, call: &Call) -> Result<Route, Failure> {
    let connector = connectors::find(&call.provider).ok_or_else(|| {
        Failure::invalid_argument(format!("AI Puffer Connectors has no connector \"{}\".", call.provider))
    })?;
    if !snapshot.managed {
        return Err(Failure::invalid_argument(format!(
            "{} is not available: AI Puffer is not managing the AI Client. Turn management on under Settings > Connectors.",
            connector.name
        )));
    }
    if !snapshot.has_credentials(connector.internal) {
        return Err(Failure::invalid_argument(format!(
            "{} is not configured: no {} API key is stored. Add it in AI Puffer > Settings.",
            connector.name,
            connector.internal
        )));
    }
    let model = catalog::find_model(snapshot, connector, call.model.trim()).ok_or_else(|| {
        let known: Vec<String> = catalog::models(snapshot, connector).into_iter().take(5).map(|m| m.id).collect();
        let hint = if known.is_empty() {
            format!("The {} model list is empty; sync the models in AI Puffer > Settings.", connector.internal)
        } else {
            format!("Known models include: {}.", known.join(", "))
        };
        Failure::invalid_argument(format!("{} has no model \"{}\". {hint}", connector.name, call.model))
    })?;
    Ok(Route { connector, model })
}
