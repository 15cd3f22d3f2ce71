//! The AI Client's sampling options — temperature, top_p, top_k, stop sequences and the two
//! penalties — under each wire format's own names, sent only where the model declares them
//! (`TextFeatures`), so a declared option is always sent and an undeclared one never is.

use serde_json::{json, Map, Value};

use crate::call::ModelConfig;
use crate::connectors::TextFeatures;

/// What a wire format calls each option; `None` where it has no such option.
pub struct Names {
    pub temperature: &'static str,
    pub top_p: &'static str,
    pub top_k: Option<&'static str>,
    pub stop: Option<&'static str>,
    pub presence_penalty: Option<&'static str>,
    pub frequency_penalty: Option<&'static str>,
}

/// Chat Completions' names (OpenAI and the APIs that copy it, Ollama's `options` too).
pub const SNAKE_CASE: Names = Names {
    temperature: "temperature",
    top_p: "top_p",
    top_k: Some("top_k"),
    stop: Some("stop"),
    presence_penalty: Some("presence_penalty"),
    frequency_penalty: Some("frequency_penalty"),
};

/// Puts the options `config` sets and `features` declares into `out`.
pub fn insert(out: &mut Map<String, Value>, names: &Names, config: &ModelConfig, features: &TextFeatures) {
    if features.sampling {
        insert_number(out, names.temperature, config.temperature);
        insert_number(out, names.top_p, config.top_p);
    }
    if let (Some(name), Some(k), true) = (names.top_k, config.top_k, features.top_k) {
        out.insert(name.into(), json!(k));
    }
    if let (Some(name), Some(stop), true) = (names.stop, config.stop_sequences.as_ref().filter(|s| !s.is_empty()), features.stop_sequences)
    {
        out.insert(name.into(), json!(stop));
    }
    if features.penalties {
        if let Some(name) = names.presence_penalty {
            insert_number(out, name, config.presence_penalty);
        }
        if let Some(name) = names.frequency_penalty {
            insert_number(out, name, config.frequency_penalty);
        }
    }
}

/// A finite number under `key` (NaN and infinities are not JSON).
pub fn insert_number(out: &mut Map<String, Value>, key: &str, value: Option<f64>) {
    if let Some(v) = value.filter(|v| v.is_finite()) {
        out.insert(key.into(), json!(v));
    }
}
