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

	/** How the state member of an engine step starts; the engine writes it last (protocol.rs). */
	private const STATE_MEMBER = ',"state":"';

	/**
	 * An engine step, its `state` (when it has one) as a Continuation: cut off the answer as
	 * written rather than decoded. The engine writes the state last, so the answer then ends
	 * `,"state":"…"}`; inside a JSON string a `"` always follows a `\`, so the last `,"state":"`
	 * is where the state starts. Only the rest is decoded.
	 *
	 * @return array<string, mixed>
	 */
	public static function decode_step( string $answer ): array {
		$at = strrpos( $answer, self::STATE_MEMBER );
		if ( false === $at || ! str_ends_with( $answer, '"}' ) ) {
			return self::decode_object( $answer );
		}
		$step          = self::decode_object( substr( $answer, 0, $at ) . '}' );
		$step['state'] = new Continuation( substr( $answer, $at + strlen( self::STATE_MEMBER ) - 1, -1 ) );
		return $step;
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
