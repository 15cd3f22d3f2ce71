<?php
/**
 * Plugin Name: HTTP call timer (AI Puffer Connectors benchmark)
 * Description: Times every WordPress HTTP API call of the request — the gateway's provider call
 * (Http_Executor) and the plain provider's (the AI Client's WP_AI_Client_HTTP_Client) both go
 * through WP_Http::request() — so the two can be compared inside PHP. Installed as a must-use
 * plugin by scripts/bench only.
 *
 * Two spans per call: `ms`, the whole WP_Http::request() (first `http_request_args` filter to last
 * `http_response` filter: argument parsing, every filter, the transport); `transport_ms`, the
 * transport alone (last `pre_http_request` filter to first `http_api_debug` action). The first
 * call of each request also keeps its arguments (the key masked, the body as its size), so a
 * difference in headers or transport options can be named.
 */

final class AIPuffer_Bench_Http_Timer {

	/** @var list<array<string, mixed>> The calls of this request, in order. */
	public static array $calls = array();

	/** @var array<string, int> hrtime() marks of the call in flight. */
	private static array $marks = array();

	public static function mark( string $name ): void {
		self::$marks[ $name ] = hrtime( true );
	}

	/**
	 * @param array<string, mixed> $args The call's arguments, as WP_Http::request() parsed them.
	 */
	public static function finish( array $args, string $url, int $response_bytes ): void {
		$now  = hrtime( true );
		$call = array(
			'ms'             => isset( self::$marks['args'] ) ? ( $now - self::$marks['args'] ) / 1e6 : null,
			'transport_ms'   => isset( self::$marks['pre'], self::$marks['debug'] ) ? ( self::$marks['debug'] - self::$marks['pre'] ) / 1e6 : null,
			'response_bytes' => $response_bytes,
		);
		if ( ! self::$calls ) {
			$headers = array();
			foreach ( (array) ( $args['headers'] ?? array() ) as $name => $value ) {
				$headers[ strtolower( (string) $name ) ] = preg_match( '/^(authorization|api-key|x-api-key)$/i', (string) $name ) ? '(masked)' : $value;
			}
			ksort( $headers );
			$call['url']  = preg_replace( '/\?.*/', '', $url );
			$call['args'] = array_diff_key( $args, array_flip( array( 'headers', 'body', 'filename' ) ) ) + array(
				'headers'    => $headers,
				'body_bytes' => is_string( $args['body'] ?? null ) ? strlen( $args['body'] ) : 0,
			);
		}
		self::$calls[] = $call;
		self::$marks   = array();
	}
}

add_filter(
	'http_request_args',
	static function ( $args ) {
		AIPuffer_Bench_Http_Timer::mark( 'args' );
		return $args;
	},
	PHP_INT_MIN
);
add_filter(
	'pre_http_request',
	static function ( $pre ) {
		AIPuffer_Bench_Http_Timer::mark( 'pre' );
		return $pre;
	},
	PHP_INT_MAX
);
add_action(
	'http_api_debug',
	static function (): void {
		AIPuffer_Bench_Http_Timer::mark( 'debug' );
	},
	PHP_INT_MIN
);
add_filter(
	'http_response',
	static function ( $response, $args, $url ) {
		AIPuffer_Bench_Http_Timer::finish( (array) $args, (string) $url, strlen( (string) wp_remote_retrieve_body( $response ) ) );
		return $response;
	},
	PHP_INT_MAX,
	3
);
