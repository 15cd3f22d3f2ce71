<?php
/**
 * Every sentence the engine can say, translatable. The engine names a stable reason and its
 * params; this class turns them into the site's language. The English templates here match the
 * engine's word for word (written by scripts/lib/failure-messages.mjs from the engine's
 * manifest; a test compares them), so a failure reads the same in English whether the engine
 * or WordPress renders it.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Failure_Messages {

	/**
	 * The failure's sentence, and its detail sentence when it has one, in the site's language.
	 *
	 * @param array<string, mixed> $error The `error` of a fail step.
	 */
	public static function render( array $error ): string {
		$message = self::sentence( $error );
		if ( null === $message ) {
			// A reason this plugin does not know (a newer engine): its English text is the best there is.
			return (string) ( $error['message'] ?? __( 'The AI request failed.', 'aipuffer-connectors' ) );
		}
		if ( is_array( $error['detail'] ?? null ) ) {
			$detail = self::sentence( $error['detail'] );
			if ( null !== $detail ) {
				$message .= ' ' . $detail;
			}
		}
		return $message;
	}

	/**
	 * One reason's template with its `{name}` placeholders filled.
	 *
	 * @param array<string, mixed> $sentence `{reason, params}`.
	 */
	private static function sentence( array $sentence ): ?string {
		$template = self::template( (string) ( $sentence['reason'] ?? '' ) );
		if ( null === $template ) {
			return null;
		}
		$replacements = array();
		foreach ( (array) ( $sentence['params'] ?? array() ) as $name => $value ) {
			$replacements[ '{' . $name . '}' ] = is_scalar( $value ) ? (string) $value : '';
		}
		return strtr( $template, $replacements );
	}

	/**
	 * The translated template of a reason, or null for a reason this plugin does not know.
	 */
	public static function template( string $reason ): ?string {
		switch ( $reason ) {
			case 'approval_caller_needed':
				/* translators: keep each {name} as is: {connector}, {kind}, {name}. */
				return __( 'The connector "{connector}" is not approved for the {kind} "{name}", which made this AI request. An administrator can approve it under Tools > Connector Approvals.', 'aipuffer-connectors' );
			case 'approval_gateway_needed':
				/* translators: keep each {name} as is: {connector}, {name}. */
				return __( 'The connector "{connector}" is not approved for "{name}", the plugin that sends this site\'s AI requests. An administrator can approve it under Tools > Connector Approvals.', 'aipuffer-connectors' );
			case 'bad_input':
				/* translators: keep each {name} as is: {problem}. */
				return __( 'The gateway received a request it cannot read: {problem}.', 'aipuffer-connectors' );
			case 'cap_reached':
				/* translators: keep each {name} as is: {kind}, {name}, {spent}, {period}, {limit}. */
				return __( 'The {kind} "{name}" has used {spent} of its {period} cap of {limit} for AI requests on this site, so this request was not sent. An administrator can raise or remove the cap under AI Puffer > Pricing rules > Spending caps.', 'aipuffer-connectors' );
			case 'file_data_uri_unreadable':
				/* translators: keep each {name} as is: {provider}. */
				return __( 'A file in the prompt is a data URI without base64 data, which {provider} cannot read.', 'aipuffer-connectors' );
			case 'file_not_image':
				/* translators: keep each {name} as is: {mime_type}. */
				return __( 'Only images can be attached to a text prompt through AI Puffer Connectors (got {mime_type}).', 'aipuffer-connectors' );
			case 'file_part_empty':
				return __( 'A file part of the prompt has no file.', 'aipuffer-connectors' );
			case 'file_without_data':
				return __( 'A file in the prompt has neither a URL nor data.', 'aipuffer-connectors' );
			case 'file_without_mime_type':
				return __( 'Only images can be attached to a text prompt through AI Puffer Connectors (got a file without a MIME type).', 'aipuffer-connectors' );
			case 'function_response_unnamed':
				/* translators: keep each {name} as is: {provider}. */
				return __( 'A function response in the prompt names no function and matches no earlier function call; {provider} needs the function\'s name.', 'aipuffer-connectors' );
			case 'host_said':
				/* translators: keep each {name} as is: {text}. */
				return __( 'Details: {text}', 'aipuffer-connectors' );
			case 'image_option_unsupported':
				/* translators: keep each {name} as is: {model}, {option}, {supported}. */
				return __( 'The image model "{model}" does not support this {option}; it supports: {supported}.', 'aipuffer-connectors' );
			case 'image_reference_not_inline':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider}\'s image models take a reference image only as inline data, not by URL. Attach the image\'s data instead.', 'aipuffer-connectors' );
			case 'image_reference_unsupported':
				/* translators: keep each {name} as is: {model}. */
				return __( 'The image model "{model}" takes no reference image. Send the prompt as text only, or choose an image model that edits images.', 'aipuffer-connectors' );
			case 'model_list_empty':
				/* translators: keep each {name} as is: {connector}, {model}, {settings_name}. */
				return __( '{connector} has no model "{model}". The {settings_name} model list is empty; sync the models in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'network_dropped':
				/* translators: keep each {name} as is: {provider}, {host}. */
				return __( '{provider} at {host} closed the connection before the answer was complete. This is usually temporary; try again shortly.', 'aipuffer-connectors' );
			case 'network_timeout':
				/* translators: keep each {name} as is: {provider}, {host}, {seconds}. */
				return __( '{provider} at {host} did not answer within {seconds} s. Try again, or allow more time with the request timeout.', 'aipuffer-connectors' );
			case 'network_unreachable':
				/* translators: keep each {name} as is: {provider}, {host}. */
				return __( 'Could not reach {provider} at {host}. Check the base URL in AI Puffer > Settings and that this server can make outgoing requests.', 'aipuffer-connectors' );
			case 'no_outcome':
				/* translators: keep each {name} as is: {provider}. */
				return __( 'The site reported no answer for the request to {provider}.', 'aipuffer-connectors' );
			case 'not_configured':
				/* translators: keep each {name} as is: {connector}, {settings_name}. */
				return __( '{connector} is not configured: no {settings_name} API key is stored. Add it in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'not_configured_key_and':
				/* translators: keep each {name} as is: {connector}, {settings_name}, {setting}. */
				return __( '{connector} is not configured: it needs both the {settings_name} API key and its {setting}. Add them in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'not_configured_setting':
				/* translators: keep each {name} as is: {connector}, {settings_name}, {setting}. */
				return __( '{connector} is not configured: no {settings_name} {setting} is stored (the address of the server). Add it in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'not_managed':
				/* translators: keep each {name} as is: {connector}. */
				return __( '{connector} is not available: AI Puffer is not managing the AI Client. Turn management on under Settings > Connectors.', 'aipuffer-connectors' );
			case 'ollama_image_url':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider} accepts images only as inline data, not by URL. Attach the image\'s data instead.', 'aipuffer-connectors' );
			case 'ollama_model_lacks_tools':
				/* translators: keep each {name} as is: {provider}, {model}, {status}. */
				return __( '{provider}\'s model "{model}" does not support function calling (HTTP {status}). Choose a model with tool support on the Ollama server, or call this one without functions.', 'aipuffer-connectors' );
			case 'ollama_model_not_pulled':
				/* translators: keep each {name} as is: {provider}, {host}, {model}. */
				return __( '{provider} at {host} does not have the model "{model}" (HTTP 404). Pull it on that server with `ollama pull {model}`, or sync the Ollama models in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'ollama_unauthorized':
				/* translators: keep each {name} as is: {provider}, {host}, {status}. */
				return __( '{provider} at {host} refused the request (HTTP {status}). Cloud models need the Ollama server signed in to ollama.com (`ollama signin`); a proxy in front of the server may want credentials, which this connector does not send.', 'aipuffer-connectors' );
			case 'prompt_empty':
				return __( 'The prompt has no text or image to send.', 'aipuffer-connectors' );
			case 'provider_billing':
				/* translators: keep each {name} as is: {provider}, {status}, {settings_name}. */
				return __( '{provider} refused the request because the account has no credit left or no billing set up (HTTP {status}). Check the billing of the {settings_name} account.', 'aipuffer-connectors' );
			case 'provider_context_too_long':
				/* translators: keep each {name} as is: {provider}, {model}, {status}. */
				return __( '{provider} says the prompt is too long for model "{model}" (HTTP {status}). Shorten the prompt or the conversation history, or choose a model with a longer context.', 'aipuffer-connectors' );
			case 'provider_deployment_not_found':
				/* translators: keep each {name} as is: {provider}, {model}, {status}, {settings_name}. */
				return __( '{provider} has no deployment "{model}" at the configured endpoint and API version (HTTP {status}). Check the deployment name in the {settings_name} model list, the endpoint and the inference API version in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'provider_failed':
				/* translators: keep each {name} as is: {provider}, {model}. */
				return __( '{provider} could not complete the response for model "{model}".', 'aipuffer-connectors' );
			case 'provider_html':
				/* translators: keep each {name} as is: {provider}, {status}. */
				return __( '{provider} answered with an HTML page (HTTP {status}) instead of JSON. The base URL may point at a website or proxy rather than the API; check it in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'provider_invalid_json':
				/* translators: keep each {name} as is: {provider}, {status}, {bytes}. */
				return __( '{provider}\'s response is not valid JSON (HTTP {status}, {bytes} bytes). Try again; if it persists, check the provider\'s status.', 'aipuffer-connectors' );
			case 'provider_list_not_found':
				/* translators: keep each {name} as is: {provider}, {host}. */
				return __( '{provider} has no model list at {host} (HTTP 404). Check the base URL, endpoint and API version in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'provider_model_not_found':
				/* translators: keep each {name} as is: {provider}, {model}, {settings_name}. */
				return __( '{provider} does not know the model "{model}" or the endpoint (HTTP 404). Sync the {settings_name} models in AI Puffer > Settings, or check the base URL.', 'aipuffer-connectors' );
			case 'provider_no_image':
				/* translators: keep each {name} as is: {provider}, {model}, {status}. */
				return __( '{provider} returned no image for model "{model}" (HTTP {status}). Try again, or rephrase the prompt.', 'aipuffer-connectors' );
			case 'provider_no_image_input':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider} cannot read images. Send the prompt without them, or choose a model of a connector that accepts images.', 'aipuffer-connectors' );
			case 'provider_no_text':
				/* translators: keep each {name} as is: {provider}, {model}. */
				return __( '{provider} returned no text for model "{model}". Try again, or choose another model.', 'aipuffer-connectors' );
			case 'provider_rate_limited':
				/* translators: keep each {name} as is: {provider}, {settings_name}. */
				return __( '{provider} is rate-limiting this site or its quota is used up (HTTP 429). Check the plan and usage limits of the {settings_name} account.', 'aipuffer-connectors' );
			case 'provider_rate_limited_retry_after':
				/* translators: keep each {name} as is: {provider}, {retry_after}, {settings_name}. */
				return __( '{provider} is rate-limiting this site or its quota is used up (HTTP 429). Retry after {retry_after} s. Check the plan and usage limits of the {settings_name} account.', 'aipuffer-connectors' );
			case 'provider_refused_content':
				/* translators: keep each {name} as is: {provider}, {model}, {status}. */
				return __( '{provider} refused to answer this prompt on content grounds (model "{model}", HTTP {status}).', 'aipuffer-connectors' );
			case 'provider_refused_key':
				/* translators: keep each {name} as is: {provider}, {status}, {settings_name}. */
				return __( '{provider} refused the request (HTTP {status}): the API key is missing, wrong or not allowed to use this model. Check the {settings_name} API key in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'provider_rejected':
				/* translators: keep each {name} as is: {provider}, {status}. */
				return __( '{provider} rejected the request (HTTP {status}).', 'aipuffer-connectors' );
			case 'provider_said':
				/* translators: keep each {name} as is: {provider}, {text}. */
				return __( '{provider} said: "{text}"', 'aipuffer-connectors' );
			case 'provider_sent_html':
				return __( 'The response was an HTML page, not the provider\'s API.', 'aipuffer-connectors' );
			case 'provider_server_error':
				/* translators: keep each {name} as is: {provider}, {status}. */
				return __( '{provider} had a server error (HTTP {status}). This is usually temporary; try again shortly.', 'aipuffer-connectors' );
			case 'provider_token_limit':
				/* translators: keep each {name} as is: {provider}, {model}. */
				return __( '{provider} stopped at the output token limit before finishing (model "{model}"). Raise maxTokens for this prompt.', 'aipuffer-connectors' );
			case 'provider_too_large':
				/* translators: keep each {name} as is: {provider}, {limit}, {status}. */
				return __( '{provider}\'s response was larger than the {limit} bytes the gateway accepts for this request (HTTP {status}). Ask for less, e.g. with a lower maxTokens.', 'aipuffer-connectors' );
			case 'provider_truncated':
				/* translators: keep each {name} as is: {provider}, {status}, {bytes}. */
				return __( '{provider}\'s response was cut off (truncated JSON) (HTTP {status}, {bytes} bytes). Try again; if it persists, check the provider\'s status.', 'aipuffer-connectors' );
			case 'provider_unexpected_status':
				/* translators: keep each {name} as is: {provider}, {status}. */
				return __( '{provider} answered with an unexpected HTTP status {status}.', 'aipuffer-connectors' );
			case 'recording_conflict':
				/* translators: keep each {name} as is: {request}. */
				return __( 'The usage of request {request} could not be recorded: the stored balance kept changing.', 'aipuffer-connectors' );
			case 'recording_refused':
				/* translators: keep each {name} as is: {request}, {ack}, {write}. */
				return __( 'The usage of request {request} could not be recorded: the database answered "{ack}" to the {write}.', 'aipuffer-connectors' );
			case 'request_blocked':
				/* translators: keep each {name} as is: {provider}. */
				return __( 'The request to {provider} was blocked on this site.', 'aipuffer-connectors' );
			case 'request_blocked_at_host':
				/* translators: keep each {name} as is: {provider}, {host}. */
				return __( 'The request to {provider} at {host} was blocked on this site.', 'aipuffer-connectors' );
			case 'route_asked':
				/* translators: keep each {name} as is: {alias}. */
				return __( 'The caller asked for {alias}.', 'aipuffer-connectors' );
			case 'route_connector_chosen':
				/* translators: keep each {name} as is: {provider}, {count}. */
				return __( '{provider} is configured and has {count} synced models.', 'aipuffer-connectors' );
			case 'route_fast_keyword':
				/* translators: keep each {name} as is: {model}, {keyword}. */
				return __( '{model} is the first model whose name contains "{keyword}" (fast, flash-lite, flash, mini, nano, lite, haiku, in that order) → chosen.', 'aipuffer-connectors' );
			case 'route_fast_saved_model':
				/* translators: keep each {name} as is: {model}. */
				return __( 'No model\'s name contains fast, flash-lite, flash, mini, nano, lite or haiku → the saved model {model} is used.', 'aipuffer-connectors' );
			case 'route_fast_uses_text':
				return __( 'No model\'s name contains fast, flash-lite, flash, mini, nano, lite or haiku, and no model is saved → the default text route is used.', 'aipuffer-connectors' );
			case 'route_first_model':
				/* translators: keep each {name} as is: {chosen}. */
				return __( 'No model is saved → the first model, {chosen}, is chosen.', 'aipuffer-connectors' );
			case 'route_image_connector_chosen':
				/* translators: keep each {name} as is: {provider}, {count}. */
				return __( '{provider} is configured and has {count} image models.', 'aipuffer-connectors' );
			case 'route_image_default_model':
				/* translators: keep each {name} as is: {model}. */
				return __( 'Its catalog\'s default image model {model} is listed → chosen.', 'aipuffer-connectors' );
			case 'route_image_first_model':
				/* translators: keep each {name} as is: {chosen}. */
				return __( 'Its catalog\'s default image model is not listed → the first image model, {chosen}, is chosen.', 'aipuffer-connectors' );
			case 'route_main_provider':
				/* translators: keep each {name} as is: {provider}. */
				return __( 'Main provider {provider} is tried first.', 'aipuffer-connectors' );
			case 'route_main_provider_unknown':
				/* translators: keep each {name} as is: {name}. */
				return __( 'The main provider "{name}" is not a connector of this gateway; the usual order is used.', 'aipuffer-connectors' );
			case 'route_no_connector':
				return __( 'No connector is configured with synced models: nothing can serve this route. Add a key and sync the models in AI Puffer > Settings.', 'aipuffer-connectors' );
			case 'route_no_image_connector':
				return __( 'No configured connector makes images through this gateway: nothing can serve this route.', 'aipuffer-connectors' );
			case 'route_pin_gone':
				/* translators: keep each {name} as is: {provider}, {model}. */
				return __( 'The pinned model {provider} / {model} is not available any more → inferred instead.', 'aipuffer-connectors' );
			case 'route_pinned':
				/* translators: keep each {name} as is: {provider}, {model}. */
				return __( 'Pinned by an administrator to {provider} / {model}.', 'aipuffer-connectors' );
			case 'route_preference_unavailable':
				/* translators: keep each {name} as is: {models}. */
				return __( 'The caller preferred {models}; no connector of this site offers that for this request, so the default route answers.', 'aipuffer-connectors' );
			case 'route_saved_model_chosen':
				/* translators: keep each {name} as is: {model}. */
				return __( 'Its saved model {model} is listed → chosen.', 'aipuffer-connectors' );
			case 'route_saved_model_missing':
				/* translators: keep each {name} as is: {model}, {chosen}. */
				return __( 'Its saved model {model} is not listed → the first model, {chosen}, is chosen.', 'aipuffer-connectors' );
			case 'route_skipped_no_image_models':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider} makes no images through this gateway (no image model it maps is synced) → skipped.', 'aipuffer-connectors' );
			case 'route_skipped_no_models':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider} is configured but has no synced models → skipped.', 'aipuffer-connectors' );
			case 'route_skipped_not_configured':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider} is not configured → skipped.', 'aipuffer-connectors' );
			case 'site_cap_reached':
				/* translators: keep each {name} as is: {spent}, {period}, {limit}. */
				return __( 'This site\'s AI requests have used {spent} of the {period} cap of {limit} for all callers together, so this request was not sent. An administrator can raise or remove the cap under AI Puffer > Pricing rules > Spending caps.', 'aipuffer-connectors' );
			case 'sync_not_saved':
				/* translators: keep each {name} as is: {provider}. */
				return __( 'The {provider} model list was read but could not be saved: the stored catalog kept changing. Try again.', 'aipuffer-connectors' );
			case 'sync_too_many_pages':
				/* translators: keep each {name} as is: {provider}, {pages}. */
				return __( '{provider}\'s model list did not end after {pages} pages; nothing was saved. Try again later.', 'aipuffer-connectors' );
			case 'unknown_connector':
				/* translators: keep each {name} as is: {connector}. */
				return __( 'AI Puffer Connectors has no connector "{connector}".', 'aipuffer-connectors' );
			case 'unknown_model':
				/* translators: keep each {name} as is: {connector}, {model}, {known}. */
				return __( '{connector} has no model "{model}". Known models include: {known}.', 'aipuffer-connectors' );
			case 'user_not_found':
				/* translators: keep each {name} as is: {user}. */
				return __( 'There is no user {user} whose credit balance could be changed.', 'aipuffer-connectors' );
			case 'web_search_allowed_and_excluded':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider}\'s web search cannot limit results to some domains and also exclude domains inside them; ask with one of the two lists.', 'aipuffer-connectors' );
			case 'web_search_cannot_exclude':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider}\'s web search can be limited to domains but cannot exclude any; ask with allowed domains instead.', 'aipuffer-connectors' );
			case 'web_search_cannot_filter_domains':
				/* translators: keep each {name} as is: {provider}. */
				return __( '{provider}\'s web search cannot be limited to domains or exclude any; ask without allowed or disallowed domains.', 'aipuffer-connectors' );
			default:
				return null;
		}
	}
}
