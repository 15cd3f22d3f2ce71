//! Model catalogs → the AI Client's model directory. AI Puffer stores synced model lists in
//! several historical shapes; this module reads all of them and describes each model the way
//! the AI Client's `ModelMetadata::toArray()` does.

use serde::Serialize;
use serde_json::Value;

use crate::ai_client::{self, ModelMetadata, ProviderMetadata};

use crate::connectors::Connector;
use crate::snapshot::Snapshot;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelRow {
    pub id: String,
    pub name: String,
}

/// The models of one catalog, deduplicated by id, in directory order: the provider's saved model
/// first (so the AI Client's "first candidate" default is the model the site chose), then by id,
/// case-insensitively — AI Puffer's own order.
pub fn models(snapshot: &Snapshot, connector: &Connector) -> Vec<ModelRow> {
    let mut rows: Vec<ModelRow> = Vec::new();
    if let Some(catalog) = text_catalog(snapshot, connector) {
        collect_rows(catalog, &mut rows, 0);
    }
    let saved = snapshot.options.setting(connector.internal, "model");
    rows.sort_by(|a, b| {
        (a.id != saved)
            .cmp(&(b.id != saved))
            .then_with(|| a.id.to_ascii_lowercase().cmp(&b.id.to_ascii_lowercase()))
            .then_with(|| a.id.cmp(&b.id))
    });
    rows
}

/// The registry snapshot's catalog when it has one (even an empty one: a synced provider with no
/// models has none), else the legacy option.
fn text_catalog<'a>(snapshot: &'a Snapshot, connector: &Connector) -> Option<&'a Value> {
    snapshot
        .catalogs
        .get(connector.registry_option)
        .and_then(|registry| registry.get("catalogs"))
        .and_then(|catalogs| catalogs.get(connector.text_catalog))
        .or_else(|| snapshot.catalogs.get(connector.legacy_text_option))
}

pub fn find_model(snapshot: &Snapshot, connector: &Connector, model_id: &str) -> Option<ModelRow> {
    models(snapshot, connector).into_iter().find(|m| m.id == model_id)
}

/// Rows are `{id|model|name, name?}` objects or bare strings; a row that is a list (or an object
/// without an id) is a group of rows. Groups nest at most a few levels in practice.
fn collect_rows(value: &Value, out: &mut Vec<ModelRow>, depth: u8) {
    if depth > 4 {
        return;
    }
    let row = match value {
        Value::String(id) => row(id, id),
        Value::Object(fields) => {
            let id = ["id", "model", "name"]
                .iter()
                .filter_map(|k| fields.get(*k).and_then(Value::as_str))
                .map(str::trim)
                .find(|s| !s.is_empty());
            match id {
                Some(id) => row(id, fields.get("name").and_then(Value::as_str).unwrap_or(id)),
                None => {
                    fields.values().for_each(|v| collect_rows(v, out, depth + 1));
                    return;
                }
            }
        }
        Value::Array(items) => {
            items.iter().for_each(|v| collect_rows(v, out, depth + 1));
            return;
        }
        _ => None,
    };
    if let Some(row) = row {
        if !out.iter().any(|r| r.id == row.id) {
            out.push(row);
        }
    }
}

fn row(id: &str, name: &str) -> Option<ModelRow> {
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    let name = name.trim();
    Some(ModelRow { id: id.to_string(), name: if name.is_empty() { id } else { name }.to_string() })
}

/// `ModelMetadata::toArray()` of a text model of `connector`.
pub fn text_model_metadata(connector: &Connector, model: &ModelRow) -> ModelMetadata {
    ModelMetadata {
        id: model.id.clone(),
        name: model.name.clone(),
        supported_capabilities: ai_client::TEXT_CAPABILITIES,
        supported_options: if connector.image_input { ai_client::TEXT_OPTIONS_WITH_IMAGES } else { ai_client::TEXT_OPTIONS },
    }
}

/// `ProviderMetadata::toArray()` of `connector`.
pub fn provider_metadata(connector: &Connector) -> ProviderMetadata {
    ProviderMetadata {
        id: connector.id,
        name: connector.name,
        description: connector.description,
        kind: connector.provider_type,
        credentials_url: connector.credentials_url,
        authentication_method: None,
        logo_path: None,
    }
}

/// Everything the AI Client needs to list the gateway's providers and models.
#[derive(Debug, Serialize)]
pub struct Described {
    pub managed: bool,
    pub providers: Vec<DescribedProvider>,
}

#[derive(Debug, Serialize)]
pub struct DescribedProvider {
    pub id: &'static str,
    pub metadata: ProviderMetadata,
    pub configured: bool,
    pub models: Vec<ModelMetadata>,
}

pub fn describe(snapshot: &Snapshot) -> Described {
    let providers = crate::connectors::CONNECTORS
        .iter()
        .map(|connector| DescribedProvider {
            id: connector.id,
            metadata: provider_metadata(connector),
            configured: connector.is_available(snapshot),
            models: models(snapshot, connector).iter().map(|m| text_model_metadata(connector, m)).collect(),
        })
        .collect();
    Described { managed: snapshot.managed, providers }
}

#[cfg(test)]
#[path = "tests/catalog.rs"]
mod tests;
