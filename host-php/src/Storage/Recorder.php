<?php
/**
 * Records a finished task's bookkeeping the one way that loses nothing under concurrency:
 * open a transaction, read what the decision depends on under lock (Lock_Reader), let the
 * engine decide the writes from those values, apply them with every result checked
 * (Write_Executor), commit — and on a deadlock, a lock wait timeout or a lost connection (once
 * the database answers again), or when the engine asks, do the whole transaction again. Never a
 * cached read compared afterwards. What takes no row lock (pricing rules, prices) is read just
 * before the transaction opens, and the HTML sanitiser is readied then too, so the transaction
 * holds its locks for the locked reads, the engine's decision and the writes only. A record that
 * reads nothing under lock (no balance to debit) is decided, and its statements written, before
 * the transaction opens: it then holds its locks for the statements alone.
 *
 * @package AIPuffer\Connectors
 */

namespace AIPuffer\Connectors\Storage;

use AIPuffer\Connectors\Gateway\Continuation;
use AIPuffer\Connectors\Gateway\Failure_Messages;
use AIPuffer\Connectors\Gateway\Json;
use AIPuffer\Connectors\Runtime\Engine;

defined( 'ABSPATH' ) || exit;

final class Recorder {

	/** Transactions tried before giving up (deadlocks and engine retries together). */
	private const MAX_ATTEMPTS = 8;

	private Engine $engine;
	private Database $db;

	public function __construct( Engine $engine, ?Database $db = null ) {
		$this->engine = $engine;
		$this->db     = $db ?? new Database();
	}

	/**
	 * @param array<int, array<string, mixed>> $locks The `locks` of the record step.
	 * @param Continuation                     $state  Its `state`.
	 * @param bool                             $markup Whether the texts it logs may hold markup (see Write_Executor::warm_up()).
	 * @throws Recording_Failed When the record could not be written; nothing of it was kept.
	 */
	public function record( array $locks, Continuation $state, bool $markup = true ): void {
		$last = '';
		Write_Executor::warm_up( $markup );
		for ( $attempt = 1; $attempt <= self::MAX_ATTEMPTS; $attempt++ ) {
			$reader = new Lock_Reader( $this->db );
			$writer = new Write_Executor( $this->db, $reader );
			try {
				$this->db->guard(); // These reads must not end the request either (rollback() ends the guard).
				Log_Charset::prime();
				$read  = $reader->read_unlocked( $locks );
				$ready = array();
				if ( count( $read ) === count( $locks ) ) {
					// Nothing to read under lock: the decision and the statements it asks for are
					// made before the transaction opens, which then holds its locks for the writes alone.
					$step  = $this->advance( $state->resume( 'locked', $reader->read( $locks, $read ) ) );
					$ready = 'write' === ( $step['step'] ?? '' ) ? $writer->statements( (array) $step['writes'] ) : array();
					$this->db->begin();
				} else {
					$this->db->begin();
					$step = $this->advance( $state->resume( 'locked', $reader->read( $locks, $read ) ) );
				}
				while ( 'write' === ( $step['step'] ?? '' ) ) {
					$acks  = $writer->apply( (array) $step['writes'], $ready );
					$ready = array();
					if ( count( $acks ) === count( (array) $step['writes'] ) && ! array_diff( $acks, array( Write_Executor::APPLIED ) ) ) {
						$step = array( 'step' => 'done' );
						break;
					}
					$step = $this->advance( $step['state']->resume( 'acks', $acks ) );
				}
				switch ( $step['step'] ?? '' ) {
					case 'done':
						$this->db->commit();
						$writer->clear_caches();
						return;
					case 'retry':
						$this->db->rollback();
						$locks = (array) $step['locks'];
						$state = $step['state'];
						$last  = __( 'the stored values kept changing', 'aipuffer-connectors' );
						continue 2;
					case 'fail':
						$this->db->rollback();
						throw new Recording_Failed( Failure_Messages::render( (array) $step['error'] ) );
					default:
						$this->db->rollback();
						throw new Recording_Failed( __( 'The AI Puffer engine gave an answer the plugin does not understand.', 'aipuffer-connectors' ) );
				}
			} catch ( Database_Error $e ) {
				$this->db->rollback();
				if ( $e->is_connection_lost() && ! $this->db->reconnect() ) {
					throw Recording_Failed::database_unavailable( $e );
				}
				if ( ! $e->is_transient() ) {
					Log_Charset::forget();
					throw new Recording_Failed( $e->getMessage(), 0, $e );
				}
				$last = $e->getMessage();
			} catch ( Recording_Failed $e ) {
				throw $e;
			} catch ( \Throwable $e ) {
				$this->db->rollback();
				throw new Recording_Failed( $e->getMessage(), 0, $e );
			}
		}
		/* translators: 1: number of attempts, 2: the last reason */
		throw new Recording_Failed( sprintf( __( 'Gave up after %1$d attempts: %2$s', 'aipuffer-connectors' ), self::MAX_ATTEMPTS, $last ) );
	}

	/** @return array<string, mixed> The step, its state a Continuation. */
	private function advance( string $input ): array {
		return Json::decode_step( $this->engine->advance( $input ) );
	}
}
