<?php
/**
 * Runs one AI Client call through the engine: advance, perform the requests it asks for, resume,
 * and apply its writes. The loop every host runs (see crates/engine/src/protocol.rs).
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Http\Http_Executor;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Runtime\Engine_Error;
use AIPuffer\Connectors\Storage\Write_Executor;
use WordPress\AiClient\Common\Exception\RuntimeException;

defined( 'ABSPATH' ) || exit;

final class Call_Runner {

	/** More steps than any call needs: a bound, not a tuning knob. */
	private const MAX_STEPS = 16;

	/**
	 * @param array<string, mixed> $call
	 * @return array<string, mixed> The result, as `GenerativeAiResult::toArray()`.
	 * @throws \Exception The AI Client exception for the failure.
	 */
	public function run( array $call ): array {
		$engine = Requirements::engine();
		$input  = array(
			'snapshot' => Snapshot_Builder::build(),
			'call'     => $call,
		);
		for ( $i = 0; $i < self::MAX_STEPS; $i++ ) {
			try {
				$step = Json::decode_object( $engine->advance( Json::encode( $input ) ) );
			} catch ( Engine_Error $e ) {
				throw new RuntimeException( $e->getMessage(), 0, $e );
			}
			switch ( $step['step'] ?? '' ) {
				case 'http':
					$input['state']     = $step['state'];
					$input['responses'] = ( new Http_Executor() )->perform( (array) $step['requests'] );
					break;
				case 'done':
					if ( Write_Executor::CONFLICT === $this->apply( (array) ( $step['writes'] ?? array() ) ) ) {
						// Another request changed the balance first: decide again on fresh data.
						$input['snapshot']['actor'] = Snapshot_Builder::build()['actor'];
						break;
					}
					return (array) $step['result'];
				case 'fail':
					$this->apply( (array) ( $step['writes'] ?? array() ) );
					throw Errors::exception( (array) $step['error'] );
				default:
					throw new RuntimeException( __( 'The AI Puffer engine gave an answer the plugin does not understand.', 'aipuffer-connectors' ) );
			}
		}
		throw new RuntimeException( __( 'The AI Puffer engine did not finish the request.', 'aipuffer-connectors' ) );
	}

	/** @param array<int, array<string, mixed>> $writes */
	private function apply( array $writes ): string {
		try {
			return ( new Write_Executor() )->apply( $writes );
		} catch ( \RuntimeException $e ) {
			throw new RuntimeException(
				/* translators: %s: database error */
				sprintf( __( 'The AI answer arrived but AI Puffer could not record its usage: %s', 'aipuffer-connectors' ), $e->getMessage() ),
				0,
				$e
			);
		}
	}
}
