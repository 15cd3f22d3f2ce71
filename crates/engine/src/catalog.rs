//! Model catalogs and the AI Client's directory. AI Puffer stores synced model lists in several
//! historical shapes; `prepare` reads all of them once per settings change into one list per
//! connector — de-duplicated, in directory order — and describes providers and models the way the
//! AI Client's `ProviderMetadata::toArray()` and `ModelMetadata::toArray()` do.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::ai_client::{self, ModelMetadata, ProviderMetadata, SupportedOption, SupportedValues};
use crate::connectors::{self, Connector, TextFeatures, WireFormat, CONNECTORS};
use crate::defaults::{self, Candidate, Route, RouteKind};
use crate::image_models::{self, ImageFeatures};
use crate::lenient;
use crate::site::{Settings, StoredSite};

pub use crate::site::ModelRow;

/// A model a provider's own list names, with what it makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ListedModel {
    pub id: String,
    pub name: String,
    pub kind: ModelKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    Text,
    Image,
}

/// What a model id says it makes, for lists that say nothing else: image generators by their
/// family names; embeddings, speech, audio, video, moderation and legacy completion models are
/// none of ours (None).
pub fn kind_by_id(id: &str) -> Option<ModelKind> {
    let id = id.to_ascii_lowercase();
    const NOT_OURS: &[&str] =
        &["embed", "tts", "whisper", "transcribe", "audio", "realtime", "moderation", "davinci", "babbage", "video", "sora", "rerank"];
    if NOT_OURS.iter().any(|word| id.contains(word)) {
        None
    } else if ["dall-e", "gpt-image", "image", "imagine", "imagen"].iter().any(|word| id.contains(word)) {
        Some(ModelKind::Image)
    } else {
        Some(ModelKind::Text)
    }
}

/// What `prepare` gives the host: the site for the engine, the directory for the AI Client, and
/// the metadata templates the host lists models with.
#[derive(Debug, Serialize)]
pub struct Prepared {
    pub site: PreparedSite,
    pub directory: Directory,
    /// By connector id (the default routes' provider included). Kept apart from the site: the
    /// engine never reads them, and in the site they were two thirds of the text every task
    /// start parses (measured: a start took 2.7× as long with them).
    pub templates: BTreeMap<&'static str, ConnectorTemplates>,
}

/// The `Site` the engine reads back (see `site::Site`).
#[derive(Debug, Serialize)]
pub struct PreparedSite {
    pub managed: bool,
    pub gmt_offset: i64,
    pub main_provider: String,
    /// The connectors, then the default routes' provider (`aipuffer`), whose models are the
    /// routes' aliases described like the models they resolve to.
    pub connectors: Vec<PreparedConnector>,
    pub routes: Vec<Route>,
    /// The fallback order when an administrator turned fallback on (connector ids), else empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fallback: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub caps: Vec<crate::site::Cap>,
}

#[derive(Debug, Serialize)]
pub struct PreparedConnector {
    pub id: &'static str,
    /// Managed and configured: the AI Client may route to it.
    pub available: bool,
    /// Has what it needs to authenticate (an admin can test it before managing).
    pub configured: bool,
    pub settings: Settings,
    pub models: Vec<ModelRow>,
    /// Its image models, where the gateway builds its image generation (each names its variant).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub image_models: Vec<ModelRow>,
    /// When its catalog was last synced from the provider (AI Puffer's registry snapshot,
    /// `sync[provider].last_success`); none when it never was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub synced_at: Option<i64>,
}

/// How a connector's models are described to the AI Client.
#[derive(Debug, Serialize)]
pub struct ConnectorTemplates {
    /// `ModelMetadata::toArray()` of this connector's text models without `id` and `name`: the
    /// same for most models, so the host builds the AI Client's model list from this and the
    /// site's `models`.
    pub model_metadata: ModelTemplate,
    /// The templates of models whose options differ (their row names the variant).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub model_variants: BTreeMap<String, ModelTemplate>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelTemplate {
    pub supported_capabilities: &'static [&'static str],
    pub supported_options: Vec<SupportedOption>,
}

/// The providers the AI Client registers on every page load: small on purpose (it is kept in an
/// autoloaded option); model lists stay in the site.
#[derive(Debug, Serialize)]
pub struct Directory {
    pub managed: bool,
    pub providers: Vec<DirectoryEntry>,
}

#[derive(Debug, Serialize)]
pub struct DirectoryEntry {
    pub id: &'static str,
    pub configured: bool,
    pub metadata: ProviderMetadata,
}

/// The site and directory for the connectors whose adapter is built: a connector still to come
/// is not registered with the AI Client at all (it would replace another plugin's provider of
/// the same id with one that cannot answer).
pub fn prepare(stored: &StoredSite) -> Prepared {
    let offered = || CONNECTORS.iter().filter(|c| c.adapter.is_built());
    let (connectors, templates): (Vec<PreparedConnector>, Vec<ConnectorTemplates>) = offered()
        .map(|connector| {
            let settings = settings(stored, connector);
            let mut models = models(stored, connector, settings.get("model").map_or("", String::as_str));
            let format = connector.wire_format(&settings);
            let usual = connector.text_features(format);
            let mut variants: Vec<TextFeatures> = Vec::new();
            let mut variants_by_name: BTreeMap<&'static str, ImageFeatures> = BTreeMap::new();
            for model in &mut models {
                let features = connector.model_features(format, &model.id);
                if features != usual {
                    let at = variants.iter().position(|v| *v == features).unwrap_or_else(|| {
                        variants.push(features);
                        variants.len() - 1
                    });
                    model.variant = Some(format!("v{}", at + 1));
                }
            }
            let configured = connector.is_configured(&stored.credentials, |key| is_stored(stored, connector, key));
            let images = image_models(stored, connector);
            for (_, features) in &images {
                variants_by_name.entry(features.family).or_insert(*features);
            }
            let templates = ConnectorTemplates {
                model_metadata: template(usual),
                model_variants: variants
                    .into_iter()
                    .enumerate()
                    .map(|(i, features)| (format!("v{}", i + 1), template(features)))
                    .chain(variants_by_name.into_iter().map(|(family, features)| (image_variant(family), image_template(features))))
                    .collect(),
            };
            let prepared = PreparedConnector {
                id: connector.id,
                available: stored.managed && configured,
                configured,
                image_models: images.into_iter().map(|(row, _)| row).collect(),
                synced_at: synced_at(stored, connector),
                settings,
                models,
            };
            (prepared, templates)
        })
        .unzip();
    let candidates: Vec<Candidate> = offered()
        .zip(&connectors)
        .map(|(connector, prepared)| Candidate {
            connector,
            configured: prepared.configured,
            models: &prepared.models,
            saved: prepared.settings.get("model").map_or("", |m| m.trim()),
            image_models: &prepared.image_models,
        })
        .collect();
    let routes = defaults::infer(&stored.main_provider, &candidates, &stored.pins);
    let (aliases, alias_templates) = route_models(&routes, &connectors, stored.managed);
    let mut entries = vec![DirectoryEntry { id: defaults::PROVIDER_ID, configured: aliases.available, metadata: defaults_metadata() }];
    entries.extend(offered().zip(&connectors).map(|(connector, prepared)| DirectoryEntry {
        id: connector.id,
        configured: prepared.available,
        metadata: provider_metadata(connector),
    }));
    let mut templates: BTreeMap<&'static str, ConnectorTemplates> = connectors.iter().map(|c| c.id).zip(templates).collect();
    templates.insert(aliases.id, alias_templates);
    let mut connectors = connectors;
    connectors.push(aliases);
    Prepared {
        site: PreparedSite {
            managed: stored.managed,
            gmt_offset: stored.gmt_offset,
            main_provider: stored.main_provider.trim().to_string(),
            connectors,
            routes,
            fallback: fallback_order(stored),
            caps: stored.caps.clone(),
        },
        directory: Directory { managed: stored.managed, providers: entries },
        templates,
    }
}

/// The connectors an administrator put in the fallback order, known ones only, each once.
fn fallback_order(stored: &StoredSite) -> Vec<String> {
    if !stored.fallback.enabled {
        return Vec::new();
    }
    let mut order: Vec<String> = Vec::new();
    for id in &stored.fallback.order {
        let id = id.trim();
        if connectors::find(id).is_some_and(|c| c.adapter.is_built()) && !order.iter().any(|o| o == id) {
            order.push(id.to_string());
        }
    }
    order
}

/// The default routes' provider as a connector entry: one model per route that resolves, named
/// "Default text model: OpenAI / gpt-4.1" and described exactly like the model it resolves to
/// (each its own variant), so the AI Client matches a caller's options against the real model.
fn route_models(routes: &[Route], connectors: &[PreparedConnector], managed: bool) -> (PreparedConnector, ConnectorTemplates) {
    let mut models = Vec::new();
    let mut variants = BTreeMap::new();
    for route in routes {
        let (Some(connector_id), Some(model_id)) = (&route.connector, &route.model) else { continue };
        let (Some(connector), Some(prepared)) = (connectors::find(connector_id), connectors.iter().find(|c| c.id == connector_id)) else {
            continue;
        };
        let template = if route.kind == RouteKind::Image {
            let name = prepared.image_models.iter().find(|m| m.id == *model_id).map_or("", |m| m.name.as_str());
            let Some(features) = image_models::features(connector, model_id, name) else { continue };
            image_template(features)
        } else {
            template(connector.model_features(connector.wire_format(&prepared.settings), model_id))
        };
        let variant = route.kind.name().to_string();
        models.push(ModelRow {
            id: route.alias.clone(),
            name: format!("{}: {} / {}", route.kind.label(), connector.label, model_id),
            variant: Some(variant.clone()),
        });
        variants.insert(variant, template);
    }
    let usual = variants.get(RouteKind::Text.name()).map(|t: &ModelTemplate| t.supported_options.clone());
    let connector = PreparedConnector {
        id: defaults::PROVIDER_ID,
        available: managed && !models.is_empty(),
        configured: !models.is_empty(),
        settings: Settings::new(),
        models,
        image_models: Vec::new(),
        synced_at: None,
    };
    let templates = ConnectorTemplates {
        model_metadata: ModelTemplate {
            supported_capabilities: ai_client::TEXT_CAPABILITIES,
            supported_options: usual.unwrap_or_else(|| text_options(TextFeatures::BASIC)),
        },
        model_variants: variants,
    };
    (connector, templates)
}

/// `ProviderMetadata::toArray()` of the default routes' provider.
fn defaults_metadata() -> ProviderMetadata {
    ProviderMetadata {
        id: defaults::PROVIDER_ID,
        name: defaults::PROVIDER_NAME,
        description: defaults::PROVIDER_DESCRIPTION,
        kind: "server",
        credentials_url: None,
        authentication_method: None,
        logo_path: None,
    }
}

/// Whether a setting is stored non-empty (defaults aside).
fn is_stored(stored: &StoredSite, connector: &Connector, key: &str) -> bool {
    stored.providers.get(connector.internal).and_then(|s| s.get(key)).is_some_and(|v| !lenient::scalar_text(v).trim().is_empty())
}

/// The connector's declared settings as trimmed text, defaults where empty.
fn settings(stored: &StoredSite, connector: &Connector) -> Settings {
    let saved = stored.providers.get(connector.internal);
    connector
        .settings
        .iter()
        .map(|(key, default)| {
            let value = saved.and_then(|s| s.get(*key)).map(lenient::scalar_text).unwrap_or_default();
            let value = value.trim();
            (key.to_string(), if value.is_empty() { default.to_string() } else { value.to_string() })
        })
        .collect()
}

/// The models of one catalog in directory order: the saved model first (so the AI Client's
/// "first candidate" default is the model the site chose), then by id case-insensitively — AI
/// Puffer's own order. De-duplicated by id, the first occurrence winning. O(n log n).
pub fn models(stored: &StoredSite, connector: &Connector, saved: &str) -> Vec<ModelRow> {
    let mut rows = Vec::new();
    if let Some(catalog) = text_catalog(stored, connector) {
        collect_rows(catalog, &mut rows, 0);
    }
    ordered(rows, saved)
}

/// Rows de-duplicated by id (the first occurrence wins), the saved model first, then by id
/// case-insensitively — AI Puffer's own order. O(n log n).
fn ordered(rows: Vec<ModelRow>, saved: &str) -> Vec<ModelRow> {
    let mut keyed: Vec<(String, usize, ModelRow)> = rows.into_iter().enumerate().map(|(i, r)| (r.id.to_ascii_lowercase(), i, r)).collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.id.cmp(&b.2.id)).then(a.1.cmp(&b.1)));
    keyed.dedup_by(|later, earlier| later.2.id == earlier.2.id);
    let mut ordered: Vec<ModelRow> = keyed.into_iter().map(|(_, _, row)| row).collect();
    if let Some(at) = ordered.iter().position(|r| r.id == saved) {
        ordered[..=at].rotate_right(1);
    }
    ordered
}

/// The image models of a connector whose image generation the gateway builds: its image
/// catalog, in directory order, each with what its requests honour; models of families the
/// gateway does not map are not offered.
fn image_models(stored: &StoredSite, connector: &Connector) -> Vec<(ModelRow, ImageFeatures)> {
    let Some(catalog) = connector.image_catalog() else { return Vec::new() };
    let Some(rows) = stored.catalogs.get(connector.registry_option).and_then(|r| r.get("catalogs")).and_then(|c| c.get(catalog)) else {
        return Vec::new();
    };
    let mut collected = Vec::new();
    collect_rows(rows, &mut collected, 0);
    ordered(collected, "")
        .into_iter()
        .filter_map(|mut row| {
            let features = image_models::features(connector, &row.id, &row.name)?;
            row.variant = Some(image_variant(features.family));
            Some((row, features))
        })
        .collect()
}

fn image_variant(family: &str) -> String {
    format!("image:{family}")
}

/// `ModelMetadata::toArray()` of an image model of `connector`, when the gateway maps it.
pub fn image_model_metadata(connector: &Connector, model: &ModelRow) -> Option<ModelMetadata> {
    let features = image_models::features(connector, &model.id, &model.name)?;
    Some(ModelMetadata {
        id: model.id.clone(),
        name: model.name.clone(),
        supported_capabilities: ai_client::IMAGE_CAPABILITIES,
        supported_options: image_options(features),
    })
}

fn image_template(features: ImageFeatures) -> ModelTemplate {
    ModelTemplate { supported_capabilities: ai_client::IMAGE_CAPABILITIES, supported_options: image_options(features) }
}

/// The options an image model declares: exactly what its requests honour.
pub fn image_options(features: ImageFeatures) -> Vec<SupportedOption> {
    use SupportedOption as O;
    const CANDIDATES: &[u32] = &[1, 2, 3, 4];
    let inputs: &'static [&'static [&'static str]] =
        if features.reference_images { &[&["text"], &["text", "image"]] } else { &[&["text"]] };
    vec![
        O::only("candidateCount", SupportedValues::Counts(&CANDIDATES[..features.max_candidates.clamp(1, 4) as usize])),
        O::only("outputMimeType", SupportedValues::Strings(features.mime_types)),
        O::only("outputFileType", SupportedValues::Strings(&["inline"])),
        O::only("outputMediaOrientation", SupportedValues::Strings(features.orientations())),
        O::only("outputMediaAspectRatio", SupportedValues::Strings(features.ratios)),
        O::only("inputModalities", SupportedValues::Modalities(inputs)),
        O::only("outputModalities", SupportedValues::Modalities(&[&["image"]])),
    ]
}

/// The registry snapshot's last successful sync of the connector's provider scope.
fn synced_at(stored: &StoredSite, connector: &Connector) -> Option<i64> {
    let at = stored.catalogs.get(connector.registry_option)?.get("sync")?.get(connector.internal)?.get("last_success")?;
    at.as_i64().or_else(|| at.as_str().and_then(|s| s.trim().parse().ok())).filter(|t| *t > 0)
}

/// The registry snapshot's catalog when it has one (even an empty one: a synced provider with no
/// models has none), else the legacy option.
fn text_catalog<'a>(stored: &'a StoredSite, connector: &Connector) -> Option<&'a Value> {
    stored
        .catalogs
        .get(connector.registry_option)
        .and_then(|registry| registry.get("catalogs"))
        .and_then(|catalogs| catalogs.get(connector.text_catalog))
        .or_else(|| stored.catalogs.get(connector.legacy_text_option))
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
    out.extend(row);
}

fn row(id: &str, name: &str) -> Option<ModelRow> {
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    let name = name.trim();
    Some(ModelRow { id: id.to_string(), name: if name.is_empty() { id } else { name }.to_string(), variant: None })
}

fn template(features: TextFeatures) -> ModelTemplate {
    ModelTemplate { supported_capabilities: ai_client::TEXT_CAPABILITIES, supported_options: text_options(features) }
}

/// The options a text model declares: exactly what its route's requests honour. The AI Client
/// matches every option a caller sets against this list before it picks a model.
pub fn text_options(features: TextFeatures) -> Vec<SupportedOption> {
    use SupportedOption as O;
    const CANDIDATES: &[u32] = &[1, 2, 3, 4];
    let mut options = vec![
        O::any("customOptions"),
        O::only("candidateCount", SupportedValues::Counts(&CANDIDATES[..features.max_candidates.clamp(1, 4) as usize])),
        O::any("systemInstruction"),
        O::any("maxTokens"),
    ];
    if features.sampling {
        options.extend([O::any("temperature"), O::any("topP")]);
    }
    if features.top_k {
        options.push(O::any("topK"));
    }
    if features.stop_sequences {
        options.push(O::any("stopSequences"));
    }
    if features.penalties {
        options.extend([O::any("presencePenalty"), O::any("frequencyPenalty")]);
    }
    if features.json_output {
        options.push(O::only("outputMimeType", SupportedValues::Strings(&["text/plain", "application/json"])));
    }
    if features.json_schema {
        options.push(O::any("outputSchema"));
    }
    if features.tools {
        options.push(O::any("functionDeclarations"));
    }
    if features.web_search {
        options.push(O::any("webSearch"));
    }
    let inputs: &'static [&'static [&'static str]] = if features.image_input { &[&["text"], &["text", "image"]] } else { &[&["text"]] };
    options.push(O::only("inputModalities", SupportedValues::Modalities(inputs)));
    options.push(O::only("outputModalities", SupportedValues::Modalities(&[&["text"]])));
    options
}

/// `ModelMetadata::toArray()` of a text model of `connector` on `format`.
pub fn text_model_metadata(connector: &Connector, format: WireFormat, model: &ModelRow) -> ModelMetadata {
    ModelMetadata {
        id: model.id.clone(),
        name: model.name.clone(),
        supported_capabilities: ai_client::TEXT_CAPABILITIES,
        supported_options: text_options(connector.model_features(format, &model.id)),
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

#[cfg(test)]
#[path = "tests/catalog.rs"]
mod tests;
