//! What a model sync writes, decided on the values read under lock: the provider's catalogs in
//! AI Puffer's registry snapshot (`aipkit_model_registry_{provider}`: text and image catalogs,
//! the sync status of the provider's scope, a new revision), the legacy mirror older readers use
//! (`aipkit_<provider>_model_list`; OpenAI's grouped by family), the registry manifest and
//! `aipkit_model_sync_timestamps`. Every other key of those options is kept as it was.

use serde_json::{json, Map, Value};

use crate::catalog::{ListedModel, ModelKind};
use crate::connectors::Connector;
use crate::protocol::{Lock, Locked, Write};

const MANIFEST_OPTION: &str = "aipkit_model_registry_manifest";
const TIMESTAMPS_OPTION: &str = "aipkit_model_sync_timestamps";

/// What a sync reads under lock before it writes.
pub fn locks(connector: &Connector) -> Vec<Lock> {
    vec![
        Lock::Option { id: "registry", name: connector.registry_option.into() },
        Lock::Option { id: "legacy", name: connector.legacy_text_option.into() },
        Lock::Option { id: "manifest", name: MANIFEST_OPTION.into() },
        Lock::Option { id: "timestamps", name: TIMESTAMPS_OPTION.into() },
    ]
}

/// The four option writes, each a compare-and-set on the value read under lock.
pub fn writes(connector: &Connector, models: &[ListedModel], locked: &[Locked], now: i64, revision: &str) -> Vec<Write> {
    let read = |id: &str| locked.iter().find(|l| l.id == id);
    let object = |id: &str| match read(id).map(|l| &l.value) {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    let write = |id: &str, name: &str, value: Value| Write::Option {
        name: name.into(),
        value,
        expect: read(id).filter(|l| l.found).map(|l| l.value.clone()),
        autoload: false,
    };
    let scope = connector.internal;
    let text: Vec<&ListedModel> = models.iter().filter(|m| m.kind == ModelKind::Text).collect();
    let images: Vec<&ListedModel> = models.iter().filter(|m| m.kind == ModelKind::Image).collect();

    let mut registry = object("registry");
    let mut catalogs = match registry.remove("catalogs") {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    catalogs.insert(connector.text_catalog.into(), records(connector, connector.text_catalog, &text));
    if let Some(image_catalog) = connector.image_catalog() {
        catalogs.insert(image_catalog.into(), records(connector, image_catalog, &images));
    }
    let mut sync = match registry.remove("sync") {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    sync.insert(
        scope.into(),
        json!({ "status": "ready", "last_attempt": now, "last_success": now, "error_code": "", "error_message": "", "connection_fingerprint": "" }),
    );
    registry.insert("schema_version".into(), json!(1));
    registry.insert("provider".into(), json!(scope));
    registry.insert("revision".into(), json!(revision));
    registry.insert("updated_at".into(), json!(now));
    registry.insert("catalogs".into(), Value::Object(catalogs));
    registry.insert("sync".into(), Value::Object(sync));

    let mut manifest = object("manifest");
    let mut providers = match manifest.remove("providers") {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    providers.insert(scope.into(), json!({ "option": connector.registry_option, "revision": revision, "updated_at": now }));
    manifest.insert("schema_version".into(), json!(1));
    manifest.insert("updated_at".into(), json!(now));
    manifest.insert("providers".into(), Value::Object(providers));

    let mut timestamps = object("timestamps");
    timestamps.insert(scope.into(), json!(now));

    vec![
        write("registry", connector.registry_option, Value::Object(registry)),
        write("legacy", connector.legacy_text_option, legacy_rows(connector, &text)),
        write("manifest", MANIFEST_OPTION, Value::Object(manifest)),
        write("timestamps", TIMESTAMPS_OPTION, Value::Object(timestamps)),
    ]
}

/// AI Puffer's catalog records for synced models.
fn records(connector: &Connector, catalog: &str, models: &[&ListedModel]) -> Value {
    let capability = if catalog == connector.text_catalog { "text_generation" } else { "image_generation" };
    let kind = if catalog == connector.text_catalog { "text" } else { "image" };
    Value::Array(
        models
            .iter()
            .enumerate()
            .map(|(order, m)| {
                let (family_key, family_label, family_order) = family(connector, &m.id);
                json!({
                    "provider": connector.internal, "id": m.id, "raw_id": m.id, "canonical_id": m.id, "name": m.name,
                    "resource_type": "model", "kinds": [kind], "capabilities": { capability: true }, "catalog_keys": [catalog],
                    "source": "synced", "status": "available", "verified": true, "recommended": false, "default": false,
                    "family_key": family_key, "family_label": family_label, "family_order": family_order, "family_collapsed": false,
                    "metadata": {}, "order": order,
                })
            })
            .collect(),
    )
}

/// The legacy mirror: `{id, name}` rows; OpenAI's text list grouped by family label, as AI Puffer
/// stores it. (The groups come out ordered by label: the engine's JSON objects keep keys sorted,
/// and readers — ours and AI Puffer's — flatten the groups by family anyway.)
fn legacy_rows(connector: &Connector, models: &[&ListedModel]) -> Value {
    let row = |m: &ListedModel| json!({ "id": m.id, "name": m.name });
    if connector.text_catalog != "OpenAI" {
        return Value::Array(models.iter().map(|m| row(m)).collect());
    }
    let mut groups = Map::new();
    for m in models {
        let (_, label, _) = family(connector, &m.id);
        if let Value::Array(rows) = groups.entry(label).or_insert_with(|| Value::Array(Vec::new())) {
            rows.push(row(m));
        }
    }
    Value::Object(groups)
}

/// OpenAI's model families (AI Puffer's labels and order); other providers have none.
fn family(connector: &Connector, id: &str) -> (&'static str, &'static str, u32) {
    if connector.text_catalog != "OpenAI" {
        return ("", "", 0);
    }
    let id = id.to_ascii_lowercase();
    let o_series = id.len() > 1 && id.starts_with('o') && id.as_bytes()[1].is_ascii_digit();
    if id.starts_with("ft:") {
        ("fine-tuned", "Fine-tuned", 90)
    } else if id.starts_with("gpt-5") {
        ("gpt-5", "GPT-5", 10)
    } else if id.starts_with("gpt-4") || id.starts_with("chatgpt-4") {
        ("gpt-4", "GPT-4", 20)
    } else if o_series {
        ("o-series", "o-series", 30)
    } else if id.starts_with("gpt-3.5") {
        ("gpt-3-5-legacy", "GPT-3.5 & legacy", 40)
    } else {
        ("specialized-other", "Specialized & other", 100)
    }
}

#[cfg(test)]
#[path = "tests/model_sync.rs"]
mod tests;
