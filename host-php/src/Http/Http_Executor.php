<?php
/**
 * Performs the engine's HTTP requests with the WordPress HTTP API, so every `pre_http_request`
 * filter (e.g. the AI plugin's Connector Approvals guard) sees each provider call, as it does for
 * WordPress's own AI Client. The API key is added here, at the last moment, and scrubbed from what
 * goes back to the engine.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Http;

use AIPuffer\Connectors\Gateway\Credentials;

defined( 'ABSPATH' ) || exit;

final class Http_Executor {

	/**
	 * Sends the requests one after the other (sequential sends keep every request visible to
	 * `pre_http_request`, which WordPress's parallel Requests API bypasses).
	 *
	 * @param array<int, array<string, mixed>> $requests The `requests` of an http step.
	 * @return list<array<string, mixed>> One outcome per request, carrying its id.
	 */
	public function perform( array $requests ): array {
		return array_map( array( $this, 'send' ), array_values( $requests ) );
	}

	/**
	 * @param array<string, mixed> $request
	 * @return array<string, mixed> `{id, status, headers, body}` or `{id, error: {kind, message, code, status}}`.
	 */
	private function send( array $request ): array {
		$id      = (string) ( $request['id'] ?? '' );
		$url     = (string) ( $request['url'] ?? '' );
		$headers = array_map( 'strval', (array) ( $request['headers'] ?? array() ) );
		$secret  = '';
		if ( is_array( $request['credential'] ?? null ) ) {
			$credential = $request['credential'];
			$secret     = Credentials::api_key( (string) ( $credential['provider'] ?? '' ) );
			if ( '' !== $secret ) {
				$value = (string) ( $credential['prefix'] ?? '' ) . $secret;
				$name  = (string) ( $credential['name'] ?? '' );
				if ( 'query' === ( $credential['placement'] ?? '' ) ) {
					$url = add_query_arg( rawurlencode( $name ), rawurlencode( $value ), $url );
				} else {
					$headers[ $name ] = $value;
				}
			}
		}
		$body = $request['body'] ?? null;
		// A body of bytes (a multipart upload) comes as base64 of them: decoded, nothing else.
		if ( ! empty( $request['body_base64'] ) && is_string( $body ) ) {
			$body = base64_decode( $body, true );
			if ( false === $body ) {
				return array(
					'id'    => $id,
					'error' => array(
						'kind'    => 'other',
						'message' => 'The engine handed over a request body that is not base64.',
						'code'    => 'aipuffer_bad_body',
						'status'  => null,
					),
				);
			}
		}
		$args = array(
			'method'              => (string) ( $request['method'] ?? 'POST' ),
			'headers'             => $headers,
			'body'                => $body,
			'timeout'             => (float) ( $request['timeout'] ?? 30 ),
			'redirection'         => 0,
			// HTTP/1.1, as the AI Client's own transporter sends it (WP_Http defaults to 1.0).
			'httpversion'         => '1.1',
			'data_format'         => 'body',
			// The engine says how much of an answer it will read; the rest is never downloaded.
			'limit_response_size' => max( 1, (int) ( $request['max_response_bytes'] ?? 0 ) ),
		);
		// A base URL the site owner configured for a server on their own network (Ollama) is
		// refused by the safe-URL check by design; every other provider call goes through it.
		$response = empty( $request['local'] ) ? wp_safe_remote_request( $url, $args ) : wp_remote_request( $url, $args );
		if ( is_wp_error( $response ) ) {
			return array(
				'id'    => $id,
				'error' => self::transport_error( $response, $secret ),
			);
		}
		$response_headers = array();
		foreach ( wp_remote_retrieve_headers( $response ) as $name => $value ) {
			$response_headers[ strtolower( (string) $name ) ] = is_array( $value ) ? implode( ', ', $value ) : (string) $value;
		}
		return array(
			'id'      => $id,
			'status'  => (int) wp_remote_retrieve_response_code( $response ),
			'headers' => (object) $response_headers,
			'body'    => self::redact( (string) wp_remote_retrieve_body( $response ), $secret ),
		);
	}

	/**
	 * A WP_Error from the HTTP API, as the engine's transport error. Errors raised by a
	 * `pre_http_request` filter carry their own code (and often a status): those are "refused".
	 *
	 * @return array<string, mixed>
	 */
	private static function transport_error( \WP_Error $error, string $secret ): array {
		$code    = (string) $error->get_error_code();
		$message = self::redact( $error->get_error_message(), $secret );
		$data    = $error->get_error_data();
		if ( 'http_request_failed' === $code ) {
			$kind = self::failure_kind( $message );
		} else {
			$kind = 'refused';
		}
		return array(
			'kind'    => $kind,
			'message' => $message,
			'code'    => $code,
			'status'  => is_array( $data ) && isset( $data['status'] ) ? (int) $data['status'] : null,
		);
	}

	/**
	 * What went wrong on the wire, from the HTTP API's text: a timeout; a connection that was made
	 * and then reset or closed before the answer was whole (cURL 18 partial file, 52 empty reply,
	 * 55 send failure, 56 receive failure); or no connection at all.
	 */
	private static function failure_kind( string $message ): string {
		if ( false !== stripos( $message, 'timed out' ) || false !== strpos( $message, 'cURL error 28' ) ) {
			return 'timeout';
		}
		if ( preg_match( '/cURL error (18|52|55|56):/', $message ) || false !== stripos( $message, 'connection reset' ) ) {
			return 'dropped';
		}
		return 'connect';
	}

	/** Removes the API key from text a provider or the network sent back (some echo it). */
	private static function redact( string $text, string $secret ): string {
		return '' === $secret ? $text : str_replace( array( $secret, rawurlencode( $secret ) ), '[redacted]', $text );
	}
}
