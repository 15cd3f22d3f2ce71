<?php
/**
 * API keys, read only where a request is sent. They never enter the engine, its snapshots,
 * errors or logs.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Credentials {

	/** The key stored in `aipkit_options.providers[$provider].api_key`, or ''. */
	public static function api_key( string $provider ): string {
		$options = get_option( 'aipkit_options', array() );
		$key     = is_array( $options ) ? ( $options['providers'][ $provider ]['api_key'] ?? '' ) : '';
		return is_string( $key ) ? trim( $key ) : '';
	}
}
