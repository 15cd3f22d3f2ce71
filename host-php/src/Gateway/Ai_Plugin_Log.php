<?php
/**
 * The WordPress AI plugin's request log (Settings > AI > Request logs, 1.3.0+): the AI plugin
 * logs the requests the AI Client sends through its own HTTP transporter, which never sees the
 * gateway's — they go through the WordPress HTTP API. When its logging API is there
 * (`WordPress\AI\log_ai_request()`), each gateway request is written to it too, so that log stops
 * missing them. Only conversion: the entry is made of the result the engine gave.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Ai_Plugin_Log {

	public const FUNCTION = 'WordPress\\AI\\log_ai_request';

	public static function active(): bool {
		return function_exists( self::FUNCTION );
	}

	/**
	 * @param array<string, mixed>      $call   The AI Client call.
	 * @param array<string, mixed>|null $result `GenerativeAiResult::toArray()`, on success.
	 * @param \Throwable|null           $error  What the caller got instead.
	 */
	public static function record( array $call, ?array $result, ?\Throwable $error, int $duration_ms ): void {
		if ( ! self::active() ) {
			return;
		}
		$image = 'image_generation' === ( $call['capability'] ?? '' );
		$entry = array(
			'type'        => $image ? 'image' : 'text',
			'operation'   => $image ? 'generate_image' : 'generate_text',
			'provider'    => (string) ( $result['providerMetadata']['id'] ?? $call['provider'] ?? '' ),
			'model'       => (string) ( $result['modelMetadata']['id'] ?? $call['model'] ?? '' ),
			'duration_ms' => $duration_ms,
			'status'      => null === $error ? 'success' : 'error',
			'user_id'     => get_current_user_id(),
			'context'     => array(
				'gateway'    => 'aipuffer-connectors',
				'request_id' => (string) ( $result['id'] ?? '' ),
			),
		);
		if ( null !== $result ) {
			$entry['tokens_input']  = (int) ( $result['tokenUsage']['promptTokens'] ?? 0 );
			$entry['tokens_output'] = (int) ( $result['tokenUsage']['completionTokens'] ?? 0 );
		}
		if ( null !== $error ) {
			$entry['error_message'] = $error->getMessage();
		}
		try {
			call_user_func( self::FUNCTION, $entry );
		} catch ( \Throwable $e ) {
			// Another plugin's log failing never costs the caller its answer.
			unset( $e );
		}
	}
}
