//! Unit tests of `image_models`: which families are mapped, and how ratios and orientations pick.

use super::*;
use crate::connectors;

fn of(connector: &str, id: &str, name: &str) -> Option<ImageFeatures> {
    features(connectors::find(connector).unwrap(), id, name)
}

#[test]
fn each_connector_maps_its_own_families_only() {
    assert_eq!(of("openai", "gpt-image-1", "").map(|f| f.family), Some("gpt-image"));
    assert_eq!(of("openai", "dall-e-2", ""), None);
    assert_eq!(of("google", "imagen-4.0-generate-001", "").map(|f| f.format), Some(WireFormat::ImagenPredict));
    assert_eq!(of("google", "models/imagen-4.0-fast-generate-001", "").map(|f| f.family), Some("imagen"));
    assert_eq!(of("google", "gemini-2.5-flash-image", "").map(|f| f.format), Some(WireFormat::GeminiImages));
    assert_eq!(of("xai", "grok-imagine-image-quality", "").map(|f| f.family), Some("grok-imagine"));
    assert_eq!(of("xai", "grok-2-image-1212", "").map(|f| f.shape), Some(Shape::Fixed));
    assert_eq!(of("openrouter", "google/gemini-2.5-flash-image", "").map(|f| f.format), Some(WireFormat::ChatCompletionsImages));
    // OpenRouter image models of other makers take options the gateway cannot vouch for.
    assert_eq!(of("openrouter", "black-forest-labs/flux.2-pro", ""), None);
    assert_eq!(of("xai", "gpt-image-1", ""), None);
    assert_eq!(of("anthropic", "gpt-image-1", ""), None);
}

#[test]
fn an_azure_deployment_is_the_family_of_the_model_it_serves() {
    assert_eq!(of("azure", "dalle3", "dalle3 (dall-e-3)").map(|f| f.family), Some("dall-e-3"));
    assert_eq!(of("azure", "gpt-image-1", "gpt-image-1").map(|f| f.family), Some("gpt-image"));
    assert_eq!(of("azure", "images", "images (gpt-image-1)").map(|f| f.family), Some("gpt-image"));
    assert_eq!(of("azure", "my-images", "My images"), None, "a deployment whose model is unknown is not offered");
}

#[test]
fn orientation_picks_the_first_ratio_of_that_orientation_and_declares_only_those_it_has() {
    let imagen = of("google", "imagen-4.0-generate-001", "").unwrap();
    assert_eq!(imagen.ratio(None, Some("landscape")), Some("16:9"));
    assert_eq!(imagen.ratio(None, Some("portrait")), Some("9:16"));
    assert_eq!(imagen.ratio(None, None), Some("1:1"));
    assert_eq!(imagen.ratio(Some("3:2"), None), None);
    assert_eq!(imagen.orientations(), &["square", "landscape", "portrait"]);
    let grok2 = of("xai", "grok-2-image", "").unwrap();
    assert_eq!(grok2.orientations(), &["landscape"]);
    assert_eq!(grok2.ratio(None, None), Some("4:3"));
    assert_eq!(grok2.ratio(None, Some("square")), None);
    let gpt = of("openai", "gpt-image-1", "").unwrap();
    assert_eq!(gpt.size(None, Some("portrait")), Some("1024x1536"));
}
