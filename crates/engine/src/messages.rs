//! Every sentence the engine can say to a site owner, by stable reason. Templates use `{name}`
//! placeholders filled from a failure's params. The table is exported through `manifest`, and the
//! PHP host keeps a translatable copy of each template (a test checks they agree word for word),
//! so the English text here is what translators see.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Named values for a reason's template (`{provider}`, `{status}` …).
pub type Params = BTreeMap<String, String>;

macro_rules! reasons {
    ($($(#[$doc:meta])* $variant:ident => $template:literal,)*) => {
        /// Why a request failed (or what a detail sentence says), as a stable snake_case code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Reason { $($(#[$doc])* $variant,)* }

        impl Reason {
            pub const ALL: &'static [Reason] = &[$(Reason::$variant,)*];

            /// The English template.
            pub fn template(self) -> &'static str {
                match self { $(Reason::$variant => $template,)* }
            }
        }
    };
}

reasons! {
    /// The host sent something the engine cannot read.
    BadInput => "The gateway received a request it cannot read: {problem}.",
    UnknownConnector => "AI Puffer Connectors has no connector \"{connector}\".",
    NotManaged => "{connector} is not available: AI Puffer is not managing the AI Client. Turn management on under Settings > Connectors.",
    NotConfigured => "{connector} is not configured: no {settings_name} API key is stored. Add it in AI Puffer > Settings.",
    NotConfiguredKeyAnd => "{connector} is not configured: it needs both the {settings_name} API key and its {setting}. Add them in AI Puffer > Settings.",
    NotConfiguredSetting => "{connector} is not configured: no {settings_name} {setting} is stored (the address of the server). Add it in AI Puffer > Settings.",
    ModelListEmpty => "{connector} has no model \"{model}\". The {settings_name} model list is empty; sync the models in AI Puffer > Settings.",
    UnknownModel => "{connector} has no model \"{model}\". Known models include: {known}.",
    PromptEmpty => "The prompt has no text or image to send.",
    FilePartEmpty => "A file part of the prompt has no file.",
    FileNotImage => "Only images can be attached to a text prompt through AI Puffer Connectors (got {mime_type}).",
    FileWithoutMimeType => "Only images can be attached to a text prompt through AI Puffer Connectors (got a file without a MIME type).",
    FileWithoutData => "A file in the prompt has neither a URL nor data.",
    WebSearchCannotExclude => "{provider}'s web search can be limited to domains but cannot exclude any; ask with allowed domains instead.",
    ProviderHtml => "{provider} answered with an HTML page (HTTP {status}) instead of JSON. The base URL may point at a website or proxy rather than the API; check it in AI Puffer > Settings.",
    ProviderTruncated => "{provider}'s response was cut off (truncated JSON) (HTTP {status}, {bytes} bytes). Try again; if it persists, check the provider's status.",
    ProviderInvalidJson => "{provider}'s response is not valid JSON (HTTP {status}, {bytes} bytes). Try again; if it persists, check the provider's status.",
    ProviderTooLarge => "{provider}'s response was larger than the {limit} bytes the gateway accepts for this request (HTTP {status}). Ask for less, e.g. with a lower maxTokens.",
    ProviderRefusedKey => "{provider} refused the request (HTTP {status}): the API key is missing, wrong or not allowed to use this model. Check the {settings_name} API key in AI Puffer > Settings.",
    ProviderModelNotFound => "{provider} does not know the model \"{model}\" or the endpoint (HTTP 404). Sync the {settings_name} models in AI Puffer > Settings, or check the base URL.",
    ProviderRateLimited => "{provider} is rate-limiting this site or its quota is used up (HTTP 429). Check the plan and usage limits of the {settings_name} account.",
    ProviderRateLimitedRetryAfter => "{provider} is rate-limiting this site or its quota is used up (HTTP 429). Retry after {retry_after} s. Check the plan and usage limits of the {settings_name} account.",
    ProviderRejected => "{provider} rejected the request (HTTP {status}).",
    ProviderContextTooLong => "{provider} says the prompt is too long for model \"{model}\" (HTTP {status}). Shorten the prompt or the conversation history, or choose a model with a longer context.",
    ProviderBilling => "{provider} refused the request because the account has no credit left or no billing set up (HTTP {status}). Check the billing of the {settings_name} account.",
    ProviderRefusedContent => "{provider} refused to answer this prompt on content grounds (model \"{model}\", HTTP {status}).",
    ProviderServerError => "{provider} had a server error (HTTP {status}). This is usually temporary; try again shortly.",
    ProviderUnexpectedStatus => "{provider} answered with an unexpected HTTP status {status}.",
    ProviderFailed => "{provider} could not complete the response for model \"{model}\".",
    ProviderTokenLimit => "{provider} stopped at the output token limit before finishing (model \"{model}\"). Raise maxTokens for this prompt.",
    ProviderNoText => "{provider} returned no text for model \"{model}\". Try again, or choose another model.",
    NetworkTimeout => "{provider} at {host} did not answer within {seconds} s. Try again, or allow more time with the request timeout.",
    RequestBlocked => "The request to {provider} was blocked on this site.",
    RequestBlockedAtHost => "The request to {provider} at {host} was blocked on this site.",
    NetworkDropped => "{provider} at {host} closed the connection before the answer was complete. This is usually temporary; try again shortly.",
    NetworkUnreachable => "Could not reach {provider} at {host}. Check the base URL in AI Puffer > Settings and that this server can make outgoing requests.",
    /// The host resumed without an outcome for a request it was asked to send.
    NoOutcome => "The site reported no answer for the request to {provider}.",
    /// Detail: the provider's own explanation (scrubbed of anything shaped like a key).
    ProviderSaid => "{provider} said: \"{text}\"",
    /// Detail: a status failure whose body was a web page.
    ProviderSentHtml => "The response was an HTML page, not the provider's API.",
    /// Detail: the host's own transport error text.
    HostSaid => "Details: {text}",
    /// Connector Approvals: this plugin is not approved for the connector.
    ApprovalGatewayNeeded => "The connector \"{connector}\" is not approved for \"{name}\", the plugin that sends this site's AI requests. An administrator can approve it under Tools > Connector Approvals.",
    /// Connector Approvals: the calling plugin, mu-plugin or theme is not approved.
    ApprovalCallerNeeded => "The connector \"{connector}\" is not approved for the {kind} \"{name}\", which made this AI request. An administrator can approve it under Tools > Connector Approvals.",
    /// A spending cap: what the caller spent this period already reaches the cap.
    CapReached => "The {kind} \"{name}\" has used {spent} of its {period} cap of {limit} for AI requests on this site, so this request was not sent. An administrator can raise or remove the cap under AI Puffer > Pricing rules > Spending caps.",
    /// A spending cap for every caller together is reached.
    SiteCapReached => "This site's AI requests have used {spent} of the {period} cap of {limit} for all callers together, so this request was not sent. An administrator can raise or remove the cap under AI Puffer > Pricing rules > Spending caps.",
    /// A balance adjustment for a user that does not exist (any more).
    UserNotFound => "There is no user {user} whose credit balance could be changed.",
    /// Recording: the locked balance kept changing under compare-and-set.
    RecordingConflict => "The usage of request {request} could not be recorded: the stored balance kept changing.",
    /// Recording: the database refused a write the engine cannot explain.
    RecordingRefused => "The usage of request {request} could not be recorded: the database answered \"{ack}\" to the {write}.",
    // Ollama
    /// Ollama's 404 "model … not found, try pulling it first": the server lacks the model.
    OllamaModelNotPulled => "{provider} at {host} does not have the model \"{model}\" (HTTP 404). Pull it on that server with `ollama pull {model}`, or sync the Ollama models in AI Puffer > Settings.",
    /// Ollama's 400 "… does not support tools": the model's template has no tool calling.
    OllamaModelLacksTools => "{provider}'s model \"{model}\" does not support function calling (HTTP {status}). Choose a model with tool support on the Ollama server, or call this one without functions.",
    /// Ollama has no keys; a 401/403 comes from ollama.com (cloud models) or a proxy in front.
    OllamaUnauthorized => "{provider} at {host} refused the request (HTTP {status}). Cloud models need the Ollama server signed in to ollama.com (`ollama signin`); a proxy in front of the server may want credentials, which this connector does not send.",
    /// Ollama takes images only as base64 data.
    OllamaImageUrl => "{provider} accepts images only as inline data, not by URL. Attach the image's data instead.",
    // Anthropic
    /// Anthropic's web search takes allowed or blocked domains, not both; refused when an
    /// excluded domain lies inside (or around) an allowed one.
    WebSearchAllowedAndExcluded => "{provider}'s web search cannot limit results to some domains and also exclude domains inside them; ask with one of the two lists.",
    // Google
    /// Gemini's Google Search tool takes no domain filters (allowed or excluded).
    WebSearchCannotFilterDomains => "{provider}'s web search cannot be limited to domains or exclude any; ask without allowed or disallowed domains.",
    /// A function response with neither a name nor the id of an earlier call (Gemini needs the name).
    FunctionResponseUnnamed => "A function response in the prompt names no function and matches no earlier function call; {provider} needs the function's name.",
    FileDataUriUnreadable => "A file in the prompt is a data URI without base64 data, which {provider} cannot read.",
    // OpenAI-compatible
    /// Azure: the connector's model names a deployment the endpoint does not have.
    ProviderDeploymentNotFound => "{provider} has no deployment \"{model}\" at the configured endpoint and API version (HTTP {status}). Check the deployment name in the {settings_name} model list, the endpoint and the inference API version in AI Puffer > Settings.",
    /// The prompt holds an image but the connector's API reads none (DeepSeek).
    ProviderNoImageInput => "{provider} cannot read images. Send the prompt without them, or choose a model of a connector that accepts images.",
    // Default routes: each sentence is one step of the reason a route serves what it serves.
    RouteMainProvider => "Main provider {provider} is tried first.",
    RouteMainProviderUnknown => "The main provider \"{name}\" is not a connector of this gateway; the usual order is used.",
    RouteSkippedNotConfigured => "{provider} is not configured → skipped.",
    RouteSkippedNoModels => "{provider} is configured but has no synced models → skipped.",
    RouteConnectorChosen => "{provider} is configured and has {count} synced models.",
    RouteNoConnector => "No connector is configured with synced models: nothing can serve this route. Add a key and sync the models in AI Puffer > Settings.",
    RouteSavedModelChosen => "Its saved model {model} is listed → chosen.",
    RouteSavedModelMissing => "Its saved model {model} is not listed → the first model, {chosen}, is chosen.",
    RouteFirstModel => "No model is saved → the first model, {chosen}, is chosen.",
    RouteFastKeyword => "{model} is the first model whose name contains \"{keyword}\" (fast, flash-lite, flash, mini, nano, lite, haiku, in that order) → chosen.",
    RouteFastSavedModel => "No model's name contains fast, flash-lite, flash, mini, nano, lite or haiku → the saved model {model} is used.",
    RouteFastUsesText => "No model's name contains fast, flash-lite, flash, mini, nano, lite or haiku, and no model is saved → the default text route is used.",
    RouteSkippedNoImageModels => "{provider} makes no images through this gateway (no image model it maps is synced) → skipped.",
    RouteImageConnectorChosen => "{provider} is configured and has {count} image models.",
    RouteImageDefaultModel => "Its catalog's default image model {model} is listed → chosen.",
    RouteImageFirstModel => "Its catalog's default image model is not listed → the first image model, {chosen}, is chosen.",
    RouteNoImageConnector => "No configured connector makes images through this gateway: nothing can serve this route.",
    RoutePinned => "Pinned by an administrator to {provider} / {model}.",
    RoutePinGone => "The pinned model {provider} / {model} is not available any more → inferred instead.",
    // Model sync
    /// An image option outside what the model makes (the AI Client checks declared values first).
    ImageOptionUnsupported => "The image model \"{model}\" does not support this {option}; it supports: {supported}.",
    ProviderNoImage => "{provider} returned no image for model \"{model}\" (HTTP {status}). Try again, or rephrase the prompt.",
    /// A reference image in the prompt of an image model that takes none (it declares text input only).
    ImageReferenceUnsupported => "The image model \"{model}\" takes no reference image. Send the prompt as text only, or choose an image model that edits images.",
    /// A reference image given by URL to an image API that takes image data only.
    ImageReferenceNotInline => "{provider}'s image models take a reference image only as inline data, not by URL. Attach the image's data instead.",
    ProviderListNotFound => "{provider} has no model list at {host} (HTTP 404). Check the base URL, endpoint and API version in AI Puffer > Settings.",
    SyncTooManyPages => "{provider}'s model list did not end after {pages} pages; nothing was saved. Try again later.",
    SyncNotSaved => "The {provider} model list was read but could not be saved: the stored catalog kept changing. Try again.",
    /// The log's note on a call a default route decided.
    RouteAsked => "The caller asked for {alias}.",
    /// The caller's model preferences that were not what answered (none was available for this
    /// request, so the AI Client fell back to the default route).
    RoutePreferenceUnavailable => "The caller preferred {models}; no connector of this site offers that for this request, so the default route answers.",
}

/// `template` with each `{name}` replaced by its param; unknown names are left as written.
pub fn render(reason: Reason, params: &Params) -> String {
    let template = reason.template();
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if params.contains_key(name) => {
                out.push_str(&params[name]);
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
#[path = "tests/messages.rs"]
mod tests;
