//! What a sync writes: AI Puffer's registry snapshot, legacy mirror, manifest and timestamps,
//! keeping what else those options hold.

use serde_json::{json, Value};

use crate::catalog::{ListedModel, ModelKind};
use crate::connectors;
use crate::protocol::{Locked, Write};

fn model(id: &str, kind: ModelKind) -> ListedModel {
    ListedModel { id: id.into(), name: id.to_uppercase(), kind }
}

fn option(write: &Write) -> (&str, &Value, &Option<Value>) {
    match write {
        Write::Option { name, value, expect, .. } => (name, value, expect),
        other => panic!("not an option write: {other:?}"),
    }
}

#[test]
fn the_registry_keeps_other_catalogs_and_gains_text_image_and_sync_status() {
    let openai = connectors::find("openai").unwrap();
    let models = [
        model("gpt-4.1", ModelKind::Text),
        model("o3", ModelKind::Text),
        model("gpt-image-1", ModelKind::Image),
        model("gpt-5-mini", ModelKind::Text),
    ];
    let old_registry = json!({ "catalogs": { "OpenAI": [{ "id": "gone" }], "OpenAIEmbedding": [{ "id": "text-embedding-3-small" }] }, "sync": { "OpenAIVectorStores": { "status": "ready" } }, "custom": 1 });
    let locked = [
        Locked { id: "registry".into(), found: true, value: old_registry.clone() },
        Locked { id: "legacy".into(), found: false, value: Value::Null },
        Locked {
            id: "manifest".into(),
            found: true,
            value: json!({ "providers": { "Google": { "option": "aipkit_model_registry_google" } } }),
        },
        Locked { id: "timestamps".into(), found: true, value: json!({ "Google": 5 }) },
    ];
    let writes = super::writes(openai, &models, &locked, 1_800_000_000, "1800000000-abc");
    assert_eq!(writes.len(), 4);

    let (name, registry, expect) = option(&writes[0]);
    assert_eq!(name, "aipkit_model_registry_openai");
    assert_eq!(expect.as_ref(), Some(&old_registry), "compare-and-set on what was read");
    let text: Vec<&str> = registry["catalogs"]["OpenAI"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(text, ["gpt-4.1", "o3", "gpt-5-mini"]);
    assert_eq!(registry["catalogs"]["OpenAIImage"][0]["id"], "gpt-image-1");
    assert_eq!(registry["catalogs"]["OpenAIImage"][0]["capabilities"]["image_generation"], true);
    assert_eq!(registry["catalogs"]["OpenAIEmbedding"][0]["id"], "text-embedding-3-small", "other catalogs are kept");
    assert_eq!(registry["catalogs"]["OpenAI"][0]["source"], "synced");
    assert_eq!(registry["sync"]["OpenAI"]["status"], "ready");
    assert_eq!(registry["sync"]["OpenAI"]["last_success"], 1_800_000_000);
    assert_eq!(registry["sync"]["OpenAIVectorStores"]["status"], "ready", "other scopes are kept");
    assert_eq!((registry["custom"].as_i64(), registry["revision"].as_str()), (Some(1), Some("1800000000-abc")));

    let (name, legacy, expect) = option(&writes[1]);
    assert_eq!((name, expect), ("aipkit_openai_model_list", &None));
    assert_eq!(legacy["GPT-5"], json!([{ "id": "gpt-5-mini", "name": "GPT-5-MINI" }]), "OpenAI's mirror is grouped by family");
    assert_eq!(legacy["GPT-4"][0]["id"], "gpt-4.1");
    assert_eq!(legacy["o-series"][0]["id"], "o3");

    let (_, manifest, _) = option(&writes[2]);
    assert_eq!(manifest["providers"]["OpenAI"]["revision"], "1800000000-abc");
    assert_eq!(manifest["providers"]["Google"]["option"], "aipkit_model_registry_google");
    let (_, timestamps, _) = option(&writes[3]);
    assert_eq!(timestamps, &json!({ "Google": 5, "OpenAI": 1_800_000_000 }));
}

#[test]
fn a_provider_without_an_image_catalog_keeps_a_flat_mirror_and_no_image_catalog() {
    let claude = connectors::find("anthropic").unwrap();
    let writes = super::writes(claude, &[model("claude-haiku-4-5", ModelKind::Text)], &[], 7, "7-x");
    let (_, registry, expect) = option(&writes[0]);
    assert_eq!(expect, &None, "nothing read: the option is created");
    assert_eq!(registry["catalogs"].as_object().unwrap().keys().collect::<Vec<_>>(), ["Claude"]);
    let (name, legacy, _) = option(&writes[1]);
    assert_eq!(name, "aipkit_claude_model_list");
    assert_eq!(legacy, &json!([{ "id": "claude-haiku-4-5", "name": "CLAUDE-HAIKU-4-5" }]));
}
