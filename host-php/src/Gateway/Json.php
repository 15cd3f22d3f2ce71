<?php
/**
 * JSON for the engine boundary. Invalid UTF-8 (which would abort the process inside wasmtime)
 * is replaced, never passed through.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Json {

	/** @param mixed $value */
	public static function encode( $value ): string {
		return (string) json_encode( $value, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR );
	}

	/** @return array<string, mixed> */
	public static function decode_object( string $json ): array {
		$value = json_decode( $json, true, 512, JSON_THROW_ON_ERROR );
		if ( ! is_array( $value ) ) {
			throw new \UnexpectedValueException( 'The engine answered something other than a JSON object.' );
		}
		return $value;
	}
}
