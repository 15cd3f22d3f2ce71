//! The call a host forwards from the AI Client: which model of which connector, the prompt as
//! `Message::toArray()` values, and the model config as `ModelConfig::toArray()`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    /// What the AI Client asked the model for.
    pub capability: Capability,
    /// The connector id of the model object the AI Client chose (`openai`, …).
    pub provider: String,
    /// The model id the AI Client chose.
    pub model: String,
    pub messages: Vec<Message>,
    #[serde(default)]
    pub config: ModelConfig,
    /// `RequestOptions::toArray()` from the prompt builder (its `timeout` in seconds).
    #[serde(default)]
    pub request_options: RequestOptions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    TextGeneration,
    ImageGeneration,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Model,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Part {
    #[serde(default)]
    pub channel: Channel,
    #[serde(rename = "type")]
    pub kind: PartKind,
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub file: Option<File>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_call: Option<FunctionCall>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_response: Option<FunctionResponse>,
    /// Gemini's signature of its reasoning before this part: sent back to it unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thought_signature: Option<String>,
}

/// `FunctionCall::toArray()`: the model asks for a function to be run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionCall {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Value>,
}

/// `FunctionResponse::toArray()`: what a function returned, for the model's next turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionResponse {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default)]
    pub response: Value,
}

/// `FunctionDeclaration::toArray()`: a function the model may call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionDeclaration {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A JSON schema of the arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Value>,
}

/// `WebSearch::toArray()`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSearch {
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    #[serde(default)]
    pub disallowed_domains: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    #[default]
    Content,
    Thought,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    Text,
    File,
    FunctionCall,
    FunctionResponse,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct File {
    #[serde(default)]
    pub mime_type: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub base64_data: Option<String>,
}

impl File {
    /// `data:{mime};base64,{data}` for inline files, the URL for remote ones.
    pub fn as_url(&self) -> Option<String> {
        match (&self.url, &self.base64_data) {
            (Some(url), _) => Some(url.clone()),
            (None, Some(data)) => Some(format!("data:{};base64,{}", self.mime_type, data)),
            (None, None) => None,
        }
    }
}

/// `ModelConfig::toArray()`: only the keys that were set are present.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelConfig {
    pub system_instruction: Option<String>,
    pub candidate_count: Option<u32>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub top_k: Option<u32>,
    pub stop_sequences: Option<Vec<String>>,
    pub presence_penalty: Option<f64>,
    pub frequency_penalty: Option<f64>,
    pub output_mime_type: Option<String>,
    pub output_schema: Option<Value>,
    pub function_declarations: Option<Vec<FunctionDeclaration>>,
    pub web_search: Option<WebSearch>,
    /// Images: `inline` (base64 data) or `remote` (a URL).
    pub output_file_type: Option<String>,
    /// Images: `square`, `landscape` or `portrait`.
    pub output_media_orientation: Option<String>,
    /// Images: `W:H`, e.g. `3:2`.
    pub output_media_aspect_ratio: Option<String>,
    #[serde(default, deserialize_with = "crate::lenient::map")]
    pub custom_options: Map<String, Value>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RequestOptions {
    pub timeout: Option<f64>,
}

/// What the engine keeps of a call once its requests are built: the texts and settings the
/// conversation log and a usage estimate need — never the files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSummary {
    pub turns: Vec<Turn>,
    pub system_instruction: Option<String>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f64>,
    pub top_p: Option<f64>,
    pub candidate_count: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub role: Role,
    pub text: String,
    /// The files the message carried, by what they are, never their data: the log names them
    /// and the usage estimate counts the images.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileNote>,
}

/// A file of a message or an answer, as the log and the estimate know it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileNote {
    pub mime: String,
    /// The size of inline data (from its base64 length); none for a file sent by URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
}

impl FileNote {
    /// A file whose base64 data is `length` characters long.
    pub fn inline(mime: &str, length: usize) -> Self {
        Self { mime: mime.to_string(), bytes: Some(length as u64 * 3 / 4) }
    }

    pub fn is_image(&self) -> bool {
        self.mime.starts_with("image/")
    }

    /// `[image: image/png, 12 KB]`; `[file: application/pdf]` for one sent by URL.
    pub fn label(&self) -> String {
        let kind = if self.is_image() { "image" } else { "file" };
        match self.bytes {
            Some(bytes) => format!("[{kind}: {}, {} KB]", self.mime, bytes.div_ceil(1024)),
            None => format!("[{kind}: {}]", self.mime),
        }
    }
}

impl Turn {
    /// The turn as the log shows it: its text, then a label for each file.
    pub fn logged(&self) -> String {
        if self.files.is_empty() {
            return self.text.clone();
        }
        let text = Some(self.text.trim()).filter(|t| !t.is_empty()).map(str::to_string);
        text.into_iter().chain(self.files.iter().map(FileNote::label)).collect::<Vec<_>>().join(" ")
    }
}

impl Call {
    pub fn summary(&self) -> CallSummary {
        let config = &self.config;
        CallSummary {
            turns: self.messages.iter().map(|m| Turn { role: m.role, text: m.text(), files: m.files() }).collect(),
            system_instruction: config.system_instruction.clone(),
            max_tokens: config.max_tokens,
            temperature: config.temperature,
            top_p: config.top_p,
            candidate_count: config.candidate_count,
        }
    }

    /// The prompt of an image call: every content text of the user's messages, in order.
    pub fn image_prompt(&self) -> String {
        self.messages
            .iter()
            .filter(|m| m.role == Role::User)
            .map(Message::text)
            .filter(|t| !t.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// How many candidates the caller asked for (the AI Client allows 1–4 here).
    pub fn candidates(&self) -> u32 {
        self.config.candidate_count.unwrap_or(1).clamp(1, 4)
    }
}

impl FunctionCall {
    /// The arguments as a JSON object: PHP sends an empty object as `[]`, and no arguments as
    /// nothing at all.
    pub fn args_object(&self) -> Value {
        match &self.args {
            Some(Value::Object(_)) => self.args.clone().unwrap_or_default(),
            Some(Value::Array(items)) if items.is_empty() => Value::Object(Map::new()),
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(other) => other.clone(),
        }
    }
}

impl FunctionResponse {
    /// The response as text, for APIs that take a string: a string as is, anything else as JSON.
    pub fn text(&self) -> String {
        match &self.response {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        }
    }
}

impl Message {
    /// The message's content-channel text parts, joined by blank lines.
    pub fn text(&self) -> String {
        let texts: Vec<&str> = self
            .parts
            .iter()
            .filter(|p| p.channel == Channel::Content && p.kind == PartKind::Text)
            .filter_map(|p| p.text.as_deref())
            .collect();
        texts.join("\n\n")
    }

    /// The message's content-channel files, by what they are.
    pub fn files(&self) -> Vec<FileNote> {
        self.parts
            .iter()
            .filter(|p| p.channel == Channel::Content && p.kind == PartKind::File)
            .filter_map(|p| p.file.as_ref())
            .map(|f| match &f.base64_data {
                Some(data) if f.url.is_none() => FileNote::inline(&f.mime_type, data.len()),
                _ => FileNote { mime: f.mime_type.clone(), bytes: None },
            })
            .collect()
    }
}
