//! The engine's component binding: `wit/engine.wit` exports, JSON text in and out. Conversion
//! only — every decision lives in `aipuffer-engine`.

wit_bindgen::generate!({ world: "engine", path: "../../wit" });

struct Engine;

impl Guest for Engine {
    fn advance(input: String) -> String {
        aipuffer_engine::advance_json(&input)
    }

    fn prepare(stored: String) -> String {
        aipuffer_engine::prepare_json(&stored)
    }

    fn manifest() -> String {
        aipuffer_engine::manifest_json()
    }

    fn version() -> String {
        aipuffer_engine::VERSION.to_string()
    }
}

export!(Engine);
