<?php
/**
 * A task's state between two engine steps, kept as the text the engine wrote: a JSON string
 * literal, quotes included. The engine writes it as a step's last member so that a host can cut
 * it off the answer (Json::decode_step) and send it back untouched: never decoded, never encoded
 * again. Decoding and re-encoding it cost the PHP host about a third of its JSON work per request.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

defined( 'ABSPATH' ) || exit;

final class Continuation {

	/** The state's JSON text as the engine wrote it, quotes included. */
	public readonly string $json;

	public function __construct( string $json ) {
		$this->json = $json;
	}

	/** A state held decoded (a record kept in a file while the database was away). */
	public static function of( string $state ): self {
		return new self( Json::encode( $state ) );
	}

	/** The state decoded, for keeping somewhere other than the next step. */
	public function text(): string {
		return (string) json_decode( $this->json, false, 512, JSON_THROW_ON_ERROR );
	}

	/**
	 * The engine's next input: this state first, as written (the engine takes the state it kept
	 * without reading it again), then what the step asked for.
	 *
	 * @param string $key   `outcomes`, `locked` or `acks`.
	 * @param mixed  $value Its value.
	 */
	public function resume( string $key, $value ): string {
		return '{"state":' . $this->json . ',"' . $key . '":' . Json::encode( $value ) . '}';
	}
}
