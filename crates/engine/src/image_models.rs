//! The image model families the gateway maps, as data: for each, the wire format its requests
//! use, the aspect ratios it makes, how a request names the shape, its output types and how
//! many images a call may ask for. Model metadata declares exactly this (`catalog::image_options`)
//! and the provider modules map every part of it — `tests/honesty.rs` holds them to it. A model
//! of a family not listed here is not offered.

use crate::connectors::{Adapter, Connector, WireFormat};

/// How a request names the shape of the image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Pixels (`size: "1536x1024"`), one size per ratio.
    Size,
    /// The ratio itself (`aspect_ratio: "16:9"`).
    Ratio,
    /// Nothing: the model makes one shape only.
    Fixed,
}

/// What requests to an image model honour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageFeatures {
    /// The name of the model family (the metadata variant of its models).
    pub family: &'static str,
    pub format: WireFormat,
    /// The ratios it makes (`W:H`); the first is the default.
    pub ratios: &'static [&'static str],
    /// The pixels asked for each ratio, where the request names pixels (`Shape::Size`).
    pub sizes: &'static [&'static str],
    pub shape: Shape,
    /// The output types it makes; the first is the default.
    pub mime_types: &'static [&'static str],
    /// Whether the request names the output type (`output_format`); otherwise it asks for base64
    /// (`response_format: b64_json`) where the format needs asking.
    pub names_output_format: bool,
    pub max_candidates: u32,
    /// Each image is a request of its own (the API has no image count).
    pub one_per_request: bool,
    /// Whether a prompt may carry reference images (image refinement, edits): the model then
    /// declares `[[text], [text, image]]` as input modalities and its requests send them.
    pub reference_images: bool,
    /// What AI Puffer bills an image at when the provider reports no usage: 2,000 units
    /// (`AIPKit_Image_Manager::TOKENS_PER_IMAGE`), 1,500 for Imagen (its Google image handler).
    pub units_per_image: u64,
}

impl ImageFeatures {
    /// The size to ask for a ratio (`W:H`) or an orientation, where the request names pixels.
    pub fn size(&self, ratio: Option<&str>, orientation: Option<&str>) -> Option<&'static str> {
        self.sizes.get(self.index(ratio, orientation)?).copied()
    }

    /// The ratio a call asks for: the one named, else the first of the orientation asked, else
    /// the default.
    pub fn ratio(&self, ratio: Option<&str>, orientation: Option<&str>) -> Option<&'static str> {
        self.ratios.get(self.index(ratio, orientation)?).copied()
    }

    /// The orientations its ratios cover, in the AI Client's order.
    pub fn orientations(&self) -> &'static [&'static str] {
        let has = |wanted: &str| self.ratios.iter().any(|r| orientation_of(r) == Some(wanted));
        match (has("square"), has("landscape"), has("portrait")) {
            (true, true, true) => &["square", "landscape", "portrait"],
            (true, true, false) => &["square", "landscape"],
            (true, false, true) => &["square", "portrait"],
            (false, true, true) => &["landscape", "portrait"],
            (true, false, false) => &["square"],
            (false, true, false) => &["landscape"],
            (false, false, true) => &["portrait"],
            (false, false, false) => &[],
        }
    }

    fn index(&self, ratio: Option<&str>, orientation: Option<&str>) -> Option<usize> {
        match (ratio, orientation) {
            (Some(ratio), _) => self.ratios.iter().position(|r| *r == ratio.trim()),
            (None, None) => Some(0),
            (None, Some(wanted)) => self.ratios.iter().position(|r| orientation_of(r) == Some(wanted)),
        }
    }
}

/// `square`, `landscape` or `portrait` for a `W:H` ratio.
fn orientation_of(ratio: &str) -> Option<&'static str> {
    let (w, h) = ratio.split_once(':')?;
    let (w, h): (f64, f64) = (w.trim().parse().ok()?, h.trim().parse().ok()?);
    Some(if w > h {
        "landscape"
    } else if w < h {
        "portrait"
    } else {
        "square"
    })
}

/// AI Puffer's billing fallback for an image the provider reported no usage for.
pub const DEFAULT_UNITS_PER_IMAGE: u64 = 2_000;

/// OpenAI's GPT Image models (also as Azure deployments): 1024², 1536×1024, 1024×1536; PNG, JPEG
/// or WebP named as `output_format`; several images in one request. With reference images the
/// request is an edit (`/images/edits`, multipart) with the same options.
const GPT_IMAGE: ImageFeatures = ImageFeatures {
    family: "gpt-image",
    format: WireFormat::OpenAiImages,
    ratios: &["1:1", "3:2", "2:3"],
    sizes: &["1024x1024", "1536x1024", "1024x1536"],
    shape: Shape::Size,
    mime_types: &["image/png", "image/jpeg", "image/webp"],
    names_output_format: true,
    max_candidates: 4,
    one_per_request: false,
    reference_images: true,
    units_per_image: DEFAULT_UNITS_PER_IMAGE,
};

/// DALL·E 3 (also as Azure deployments): 1024², 1792×1024, 1024×1792; PNG; one image a request.
const DALL_E_3: ImageFeatures = ImageFeatures {
    family: "dall-e-3",
    format: WireFormat::OpenAiImages,
    ratios: &["1:1", "7:4", "4:7"],
    sizes: &["1024x1024", "1792x1024", "1024x1792"],
    shape: Shape::Size,
    mime_types: &["image/png"],
    names_output_format: false,
    max_candidates: 4,
    one_per_request: true,
    reference_images: false,
    units_per_image: DEFAULT_UNITS_PER_IMAGE,
};

/// Gemini image models: ten aspect ratios sent as `imageConfig.aspectRatio`, PNG, one image a
/// request; reference images go beside the prompt as `inlineData` parts (Gemini edits an image
/// it is given).
const GEMINI_IMAGE: ImageFeatures = ImageFeatures {
    family: "gemini-image",
    format: WireFormat::GeminiImages,
    ratios: GEMINI_RATIOS,
    sizes: &[],
    shape: Shape::Ratio,
    mime_types: &["image/png"],
    names_output_format: false,
    max_candidates: 4,
    one_per_request: true,
    reference_images: true,
    units_per_image: DEFAULT_UNITS_PER_IMAGE,
};

/// The ratios Gemini's image models make (ai.google.dev "Image generation"), which OpenRouter
/// passes on as `image_config.aspect_ratio`.
const GEMINI_RATIOS: &[&str] = &["1:1", "3:2", "2:3", "4:3", "3:4", "5:4", "4:5", "16:9", "9:16", "21:9"];

/// Imagen (`models/{model}:predict`): five ratios as `parameters.aspectRatio`, PNG or JPEG as
/// `outputOptions.mimeType`, up to four images a request (`sampleCount`).
const IMAGEN: ImageFeatures = ImageFeatures {
    family: "imagen",
    format: WireFormat::ImagenPredict,
    ratios: &["1:1", "16:9", "9:16", "4:3", "3:4"],
    sizes: &[],
    shape: Shape::Ratio,
    mime_types: &["image/png", "image/jpeg"],
    names_output_format: true,
    max_candidates: 4,
    one_per_request: false,
    reference_images: false,
    units_per_image: 1_500,
};

/// xAI's Grok Imagine models (`POST /v1/images/generations`): the ratio as `aspect_ratio` (xAI
/// refuses `size`, `quality` and `style`; its ratios with decimals, `19.5:9`, are not ratios the
/// AI Client accepts), base64 asked for, several images in one request. xAI chooses the format:
/// JPEG.
const GROK_IMAGINE: ImageFeatures = ImageFeatures {
    family: "grok-imagine",
    format: WireFormat::OpenAiImages,
    ratios: &["1:1", "16:9", "9:16", "4:3", "3:4", "3:2", "2:3", "2:1", "1:2", "20:9", "9:20"],
    sizes: &[],
    shape: Shape::Ratio,
    mime_types: &["image/jpeg"],
    names_output_format: false,
    max_candidates: 4,
    one_per_request: false,
    reference_images: false,
    units_per_image: DEFAULT_UNITS_PER_IMAGE,
};

/// xAI's first image model takes no `aspect_ratio`: it makes 1024×768 JPEGs only.
const GROK_2_IMAGE: ImageFeatures = ImageFeatures {
    family: "grok-2-image",
    format: WireFormat::OpenAiImages,
    ratios: &["4:3"],
    sizes: &[],
    shape: Shape::Fixed,
    mime_types: &["image/jpeg"],
    names_output_format: false,
    max_candidates: 4,
    one_per_request: false,
    reference_images: false,
    units_per_image: DEFAULT_UNITS_PER_IMAGE,
};

/// Gemini image models on OpenRouter: Chat Completions with `modalities: ["image", "text"]`, the
/// ratio as `image_config.aspect_ratio`, PNG data URLs back, no `n` (one image a request);
/// reference images go in the user message as `image_url` parts.
const OPENROUTER_GEMINI_IMAGE: ImageFeatures =
    ImageFeatures { family: "openrouter-gemini-image", format: WireFormat::ChatCompletionsImages, ..GEMINI_IMAGE };

/// What requests to an image model of `connector` honour; None for a model the gateway does not
/// map (it is then not offered). Azure names deployments freely: the model behind one is read
/// from the synced name (`deployment (model)`), else from the deployment name itself.
pub fn features(connector: &Connector, model_id: &str, model_name: &str) -> Option<ImageFeatures> {
    let id = model_id.trim().to_ascii_lowercase();
    // Google's list names models as resources (`models/imagen-4.0-generate-001`).
    let id = id.strip_prefix("models/").unwrap_or(&id);
    match connector.adapter {
        Adapter::OpenAi => openai_family(id),
        Adapter::Azure => {
            let served = connector.served_model(model_name).map(str::to_ascii_lowercase);
            // A GPT Image deployment edits at its own `…/images/edits` as OpenAI's endpoint does.
            served.as_deref().and_then(openai_family).or_else(|| openai_family(id))
        }
        Adapter::Google if id.starts_with("imagen-") => Some(IMAGEN),
        Adapter::Google if id.starts_with("gemini") && id.contains("-image") => Some(GEMINI_IMAGE),
        Adapter::Xai if id.starts_with("grok-imagine-image") => Some(GROK_IMAGINE),
        Adapter::Xai if id.starts_with("grok-2-image") => Some(GROK_2_IMAGE),
        Adapter::OpenRouter if id.starts_with("google/gemini") && id.contains("-image") => Some(OPENROUTER_GEMINI_IMAGE),
        _ => None,
    }
}

fn openai_family(id: &str) -> Option<ImageFeatures> {
    if id.starts_with("gpt-image") {
        Some(GPT_IMAGE)
    } else if id.starts_with("dall-e-3") {
        Some(DALL_E_3)
    } else {
        None
    }
}

#[cfg(test)]
#[path = "tests/image_models.rs"]
mod tests;
