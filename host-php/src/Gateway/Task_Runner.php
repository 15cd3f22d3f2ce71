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
use AIPuffer\Connectors\Storage\Database;
use AIPuffer\Connectors\Storage\Database_Error;
use AIPuffer\Connectors\Storage\Lock_Reader;
use AIPuffer\Connectors\Storage\Pending_Records;
use AIPuffer\Connectors\Storage\Recorder;
use AIPuffer\Connectors\Storage\Recording_Failed;
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
		if ( ! Ai_Plugin_Log::active() ) {
			return $this->run_prompt( $call );
		}
		$started = hrtime( true );
		try {
			$result = $this->run_prompt( $call );
		} catch ( \Exception $e ) {
			Ai_Plugin_Log::record( $call, null, $e, (int) ( ( hrtime( true ) - $started ) / 1000000 ) );
			throw $e;
		}
		Ai_Plugin_Log::record( $call, $result, null, (int) ( ( hrtime( true ) - $started ) / 1000000 ) );
		return $result;
	}

	/**
	 * @param array<string, mixed> $call
	 * @return array<string, mixed>
	 * @throws \Exception
	 */
	private function run_prompt( array $call ): array {
		$context  = Request_Context::current() + Request_Context::caller() + array( 'preferences' => Asked_Preferences::take() );
		$approval = Approval_State::collect();
		if ( null !== $approval ) {
			$context['approval'] = $approval;
		}
		// The cached site snapshot goes in as the text the engine made, never decoded here.
		$call_json = Json::encode( $call );
		$step      = $this->advance( '{"site":' . Site_Snapshot::site_json() . ',"task":"prompt","context":' . Json::encode( $context ) . ',"call":' . $call_json . '}' );
		for ( $i = 0; $i < self::MAX_STEPS; $i++ ) {
			switch ( $step['step'] ?? '' ) {
				case 'read':
					$step = $this->read( $step );
					break;
				case 'http':
					$step = $this->send( $step );
					break;
				case 'record':
					// The log keeps the prompt and the answer through wp_kses_post(): markup in either
					// needs kses made ready for tags before the transaction.
					$this->record( $step, $context['request_id'], false !== strpos( $call_json, '<' ) || false !== strpos( Json::encode( $step['result']['candidates'] ?? array() ), '<' ) );
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
	 * The settings screen's *Test connection*: one tiny request to the connector's saved model.
	 *
	 * @return array<string, mixed> `{connector, provider, model, answer, usage}`.
	 * @throws \Exception The AI Client exception for the failure.
	 */
	public function test_connection( string $connector ): array {
		$step = $this->advance( '{"site":' . Site_Snapshot::site_json() . ',"task":"connection_test","connector":' . Json::encode( $connector ) . '}' );
		for ( $i = 0; $i < self::MAX_STEPS; $i++ ) {
			switch ( $step['step'] ?? '' ) {
				case 'http':
					$step = $this->send( $step );
					break;
				case 'done':
					return (array) ( $step['result'] ?? array() );
				case 'fail':
					throw Errors::exception( (array) $step['error'] );
				default:
					throw new RuntimeException( __( 'The AI Puffer engine gave an answer the plugin does not understand.', 'aipuffer-connectors' ) );
			}
		}
		throw new RuntimeException( __( 'The AI Puffer engine did not finish the request.', 'aipuffer-connectors' ) );
	}

	/**
	 * *Sync models*: the provider's own model list, page by page, stored where AI Puffer keeps
	 * its catalogs (in one transaction, decided on the options read under lock).
	 *
	 * @param bool $only_if_stale The scheduled refresh: leave a catalog synced within 7 days.
	 * @return array<string, mixed>|null `{connector, provider, text_models, image_models, pages, synced_at}`;
	 *                                   null when the catalog was fresh.
	 * @throws \Exception The AI Client exception for a provider failure; Recording_Failed when
	 *                    the catalog could not be saved.
	 */
	public function sync_models( string $connector, bool $only_if_stale = false ): ?array {
		$context = Request_Context::current();
		$step    = $this->advance(
			'{"site":' . Site_Snapshot::site_json() . ',"task":"sync_models","context":' . Json::encode( $context ) . ',"connector":' . Json::encode( $connector ) . ',"only_if_stale":' . ( $only_if_stale ? 'true' : 'false' ) . '}'
		);
		for ( $i = 0; $i < self::MAX_STEPS + 50; $i++ ) {
			switch ( $step['step'] ?? '' ) {
				case 'http':
					$step = $this->send( $step );
					break;
				case 'store':
					( new Recorder( Requirements::engine() ) )->record( (array) $step['locks'], $step['state'] );
					return (array) $step['result'];
				case 'done':
					return null;
				case 'fail':
					throw Errors::exception( (array) $step['error'] );
				default:
					throw new RuntimeException( __( 'The AI Puffer engine gave an answer the plugin does not understand.', 'aipuffer-connectors' ) );
			}
		}
		throw new RuntimeException( __( 'The AI Puffer engine did not finish the request.', 'aipuffer-connectors' ) );
	}

	/**
	 * An administrator's change to a user's credit balance, with its ledger row, decided on the
	 * balance read under the user's lock (one transaction; redone if the balance changed).
	 *
	 * @throws \Exception The AI Client exception for a refusal (no such user); Recording_Failed
	 *                    when the database would not take it.
	 */
	public function adjust_balance( int $user_id, int $credits, string $note ): void {
		$step = $this->advance(
			Json::encode(
				array(
					'task'       => 'adjust_balance',
					'context'    => Request_Context::current(),
					'adjustment' => array( 'user_id' => $user_id, 'credits' => $credits, 'note' => $note ),
				)
			)
		);
		if ( 'store' === ( $step['step'] ?? '' ) ) {
			( new Recorder( Requirements::engine() ) )->record( (array) $step['locks'], $step['state'] );
			return;
		}
		throw 'fail' === ( $step['step'] ?? '' ) ? Errors::exception( (array) $step['error'] ) : new RuntimeException( __( 'The AI Puffer engine gave an answer the plugin does not understand.', 'aipuffer-connectors' ) );
	}

	/**
	 * How far each spending cap is used now.
	 *
	 * @return list<array{cap: array<string, string>, spent: string, limit: string, percent: int}>
	 * @throws RuntimeException When the engine or the database cannot answer.
	 */
	public function cap_status(): array {
		$step = $this->advance( '{"site":' . Site_Snapshot::site_json() . ',"task":"cap_status","context":' . Json::encode( Request_Context::current() ) . '}' );
		if ( 'read' === ( $step['step'] ?? '' ) ) {
			$step = $this->read( $step );
		}
		if ( 'done' !== ( $step['step'] ?? '' ) ) {
			throw new RuntimeException( __( 'The AI Puffer engine could not say how far the spending caps are used.', 'aipuffer-connectors' ) );
		}
		return array_values( (array) ( $step['result'] ?? array() ) );
	}

	/**
	 * What each spending cap's period has spent so far, as `cap_status` asks for it (`cap-{i}`,
	 * one per cap of the site) and the database answers — for the admin preview, whose engine
	 * decides on it in the page. Empty without caps.
	 *
	 * @return list<array{id: string, found: bool, value: mixed}>
	 * @throws RuntimeException When the engine or the database cannot answer.
	 */
	public function cap_spend(): array {
		$step = $this->advance( '{"site":' . Site_Snapshot::site_json() . ',"task":"cap_status","context":' . Json::encode( Request_Context::current() ) . '}' );
		if ( 'done' === ( $step['step'] ?? '' ) ) {
			return array();
		}
		if ( 'read' !== ( $step['step'] ?? '' ) ) {
			throw new RuntimeException( __( 'The AI Puffer engine could not say how far the spending caps are used.', 'aipuffer-connectors' ) );
		}
		return $this->read_locks( (array) $step['locks'] );
	}

	/**
	 * Sends the requests of an `http` step and hands their outcomes back.
	 *
	 * @param array<string, mixed> $step
	 * @return array<string, mixed> The next step.
	 */
	private function send( array $step ): array {
		$outcomes = ( new Http_Executor() )->perform( (array) $step['requests'] );
		return $this->advance( $step['state']->resume( 'outcomes', $outcomes ) );
	}

	/**
	 * Reads what a decision before the call needs (a spending cap's spend so far), outside any
	 * transaction. A database that cannot answer stops the call: a cap is never skipped.
	 *
	 * @param array<string, mixed> $step
	 * @return array<string, mixed> The next step.
	 * @throws RuntimeException When the database cannot answer.
	 */
	private function read( array $step ): array {
		$read = $this->read_locks( (array) $step['locks'] );
		return $this->advance( $step['state']->resume( 'locked', $read ) );
	}

	/**
	 * @param list<array<string, mixed>> $locks
	 * @return list<array{id: string, found: bool, value: mixed}>
	 * @throws RuntimeException When the database cannot answer.
	 */
	private function read_locks( array $locks ): array {
		try {
			return ( new Lock_Reader( new Database() ) )->read( $locks );
		} catch ( Database_Error $e ) {
			throw new RuntimeException( __( 'The spending caps could not be checked: the database did not answer. Nothing was sent.', 'aipuffer-connectors' ), 0, $e );
		}
	}

	/**
	 * Records a result that is already final (or a failure that leaves a record). Whatever goes
	 * wrong here — the database, the engine — the caller still gets its answer. A database that
	 * cannot be reached leaves the record waiting in a file, written by a later request; anything
	 * else that stops it, the site owner learns about.
	 *
	 * @param array<string, mixed> $step   The `record` (or `fail`) step.
	 * @param bool                 $markup Whether the texts it logs may hold markup.
	 */
	private function record( array $step, string $request_id, bool $markup = true ): void {
		$locks    = (array) ( $step['locks'] ?? array() );
		$recorder = new Recorder( Requirements::engine() );
		try {
			$recorder->record( $locks, $step['state'], $markup );
		} catch ( Recording_Failed $e ) {
			if ( $e->is_database_unavailable() && Pending_Records::keep( $request_id, $locks, $step['state'] ) ) {
				// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the site owner's record of a delay.
				error_log( sprintf( 'AI Puffer Connectors: the database could not be reached; the record of request %1$s waits in %2$s and is written once the database answers again.', $request_id, Pending_Records::dir() ) );
				return;
			}
			Recording_Failures::remember( $request_id, $e->getMessage() );
			return;
		} catch ( \Throwable $e ) {
			Recording_Failures::remember( $request_id, $e->getMessage() );
			return;
		}
		// The database answers: records kept while it did not can be written now.
		Pending_Records::replay( $recorder );
	}

	/**
	 * @return array<string, mixed> The step, its state a Continuation.
	 * @throws RuntimeException When the engine cannot run.
	 */
	private function advance( string $input ): array {
		try {
			return Json::decode_step( Requirements::engine()->advance( $input ) );
		} catch ( Engine_Error $e ) {
			throw new RuntimeException( $e->getMessage(), 0, $e );
		}
	}
}
