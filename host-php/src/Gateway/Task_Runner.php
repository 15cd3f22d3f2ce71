<?php
/**
 * Runs engine tasks: the loop every host runs (crates/engine/src/protocol.rs). The engine
 * decides; this class sends the requests it asks for, hands the result over the moment the
 * engine says it is final, and lets the Recorder do the bookkeeping.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Gateway;

use AIPuffer\Connectors\Approvals\Approval_State;
use AIPuffer\Connectors\Http\Http_Executor;
use AIPuffer\Connectors\Requirements;
use AIPuffer\Connectors\Runtime\Engine_Error;
use AIPuffer\Connectors\Storage\Recorder;
use AIPuffer\Connectors\Storage\Recording_Failures;
use WordPress\AiClient\Common\Exception\RuntimeException;

defined( 'ABSPATH' ) || exit;

final class Task_Runner {

	/** More steps than any task needs: a bound, not a tuning knob. */
	private const MAX_STEPS = 16;

	/**
	 * An AI Client call, start to finish.
	 *
	 * @param array<string, mixed> $call The AI Client's call (model, messages, config).
	 * @return array<string, mixed> The result, as `GenerativeAiResult::toArray()`.
	 * @throws \Exception The AI Client exception for the failure.
	 */
	public function prompt( array $call ): array {
		$context = Request_Context::current();
		$approval = Approval_State::collect();
		if ( null !== $approval ) {
			$context['approval'] = $approval;
		}
		// The cached site snapshot goes in as the text the engine made, never decoded here.
		$step = $this->advance(
			'{"task":"prompt","site":' . Site_Snapshot::site_json() . ',"context":' . Json::encode( $context ) . ',"call":' . Json::encode( $call ) . '}'
		);
		for ( $i = 0; $i < self::MAX_STEPS; $i++ ) {
			switch ( $step['step'] ?? '' ) {
				case 'http':
					$outcomes = ( new Http_Executor() )->perform( (array) $step['requests'] );
					$step     = $this->advance( Json::encode( array( 'state' => $step['state'], 'outcomes' => $outcomes ) ) );
					break;
				case 'record':
					$this->record( $step, $context['request_id'] );
					return (array) $step['result'];
				case 'done':
					return (array) ( $step['result'] ?? array() );
				case 'fail':
					if ( isset( $step['state'] ) ) {
						// A failure that leaves a record (a blocked request's pending approval).
						$this->record( $step, $context['request_id'] );
					}
					throw Errors::exception( (array) $step['error'] );
				default:
					throw new RuntimeException( __( 'The AI Puffer engine gave an answer the plugin does not understand.', 'aipuffer-connectors' ) );
			}
		}
		throw new RuntimeException( __( 'The AI Puffer engine did not finish the request.', 'aipuffer-connectors' ) );
	}

	/**
	 * Records a result that is already final (or a failure that leaves a record). Whatever goes
	 * wrong here — the database, the engine — the caller still gets its answer; the site owner
	 * learns what was not recorded.
	 *
	 * @param array<string, mixed> $step The `record` (or `fail`) step.
	 */
	private function record( array $step, string $request_id ): void {
		try {
			( new Recorder( Requirements::engine() ) )->record( (array) ( $step['locks'] ?? array() ), (string) $step['state'] );
		} catch ( \Throwable $e ) {
			Recording_Failures::remember( $request_id, $e->getMessage() );
		}
	}

	/**
	 * @return array<string, mixed> The step.
	 * @throws RuntimeException When the engine cannot run.
	 */
	private function advance( string $input ): array {
		try {
			return Json::decode_object( Requirements::engine()->advance( $input ) );
		} catch ( Engine_Error $e ) {
			throw new RuntimeException( $e->getMessage(), 0, $e );
		}
	}
}
